/**
 * Tests for Task 4: ensemble.ts.
 *
 * The expected probabilities are computed here, in float64, from the
 * formula: each member's softmax, row by row, averaged over the members.
 * The members' scores are of different scales and the batch is not square
 * (5 examples, 4 classes), so a softmax over the wrong axis, an average of
 * scores or a sum instead of a mean shows.
 */
import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertLessOrEqual } from "../../lib/assert.ts";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
import { type Matrix, softmaxRows, toMatrix } from "../../lib/float64.ts";
import { Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import { ensemblePredict, ensembleProbabilities } from "./ensemble.ts";

const BOTH = { backends: BOTH_BACKENDS };
const CLOSE = { rtol: 1e-5, atol: 1e-6 };

/** (1/M) Σₘ softmax(scoresₘ), in float64. */
function ensemble64(scores: Matrix[]): Matrix {
  const probabilities = scores.map(softmaxRows);
  return probabilities[0].map((row, n) =>
    row.map((_, c) => probabilities.reduce((sum, p) => sum + p[n][c], 0) / scores.length)
  );
}

function scoresOf(rng: Rng, n: number, c: number, scale: number): Matrix {
  return Array.from(
    { length: n },
    () => Array.from({ length: c }, () => Math.fround(rng.normal(0, scale))),
  );
}

test(
  "ensembleProbabilities: the members' softmax probabilities, averaged, from the formula",
  { task: 4, points: 4, ...BOTH },
  async () => {
    const rng = new Rng(60);
    const members = [scoresOf(rng, 5, 4, 1), scoresOf(rng, 5, 4, 3), scoresOf(rng, 5, 4, 0.3)];
    const out = ensembleProbabilities(members.map((s) => tf.tensor2d(s)));
    assertShape(out, [5, 4], "the ensemble's probabilities");
    await assertAllClose(
      out,
      ensemble64(members),
      CLOSE,
      "out[n, c] = (1/M) Σₘ exp(sₘ[n, c]) / Σ_c′ exp(sₘ[n, c′]), M = 3",
    );
    for (const [n, row] of (await toMatrix(out)).entries()) {
      assertLessOrEqual(
        Math.abs(row.reduce((a, b) => a + b) - 1),
        1e-5,
        `example ${n}: its probabilities sum to 1`,
      );
    }
    const alone = ensembleProbabilities([tf.tensor2d(members[1])]);
    await assertAllClose(alone, softmaxRows(members[1]), CLOSE, "one member: its own softmax");
  },
);

test(
  "ensembleProbabilities: scores of ±1000 stay finite, and probabilities are averaged, not scores",
  { task: 4, points: 2, ...BOTH },
  async () => {
    const huge = [[1000, 0, -1000], [-1000, 1000, 999]];
    const out = ensembleProbabilities([tf.tensor2d(huge), tf.tensor2d([[0, 0, 0], [0, 0, 0]])]);
    await assertAllClose(
      out,
      ensemble64([huge, [[0, 0, 0], [0, 0, 0]]]),
      CLOSE,
      "members with scores of ±1000: subtract each row's largest score before exp",
    );
    // One confident member against two mildly sure of the other class: the average of the
    // probabilities picks class 1, the softmax of the averaged scores would pick class 0.
    const members = [[[10, 0]], [[0, 2]], [[0, 2]]];
    const predicted = ensemblePredict(members.map((s) => tf.tensor2d(s)));
    assertEquals(
      Array.from(await predicted.data()),
      [1],
      "class of the highest average probability: (1 + 0.12 + 0.12)/3 = 0.41 for class 0, 0.59 for class 1",
    );
  },
);
