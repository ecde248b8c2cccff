/**
 * Tests for Task 5: fold.ts. Expected values come from the formulas, in
 * float64; the folded net is compared with the batchnorm net it came from.
 */
import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "../../lib/assert.ts";
import { assertAllClose } from "../../lib/assert_tensor.ts";
import { type Matrix, toMatrix } from "../../lib/float64.ts";
import { randint, randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import { fcNetLoss, fcNetScores, initFcNet } from "./fc_net.ts";
import { foldBatchnorm, foldFcNet } from "./fold.ts";

const CLOSE = { rtol: 1e-4, atol: 1e-5 };

function draw(rng: Rng, n: number, mean = 0, std = 1): number[] {
  return Array.from({ length: n }, () => Math.fround(rng.normal(mean, std)));
}

test(
  "foldBatchnorm: W′ = W·γ/σ and b′ = (b − μ)·γ/σ + β, with σ = √(runningVar + ε)",
  { task: 5, points: 3, ...{ backends: BOTH_BACKENDS } },
  async () => {
    const rng = new Rng(40);
    const w: Matrix = Array.from({ length: 6 }, () => draw(rng, 4));
    const [b, gamma, beta, runningMean] = [
      draw(rng, 4),
      draw(rng, 4, 1),
      draw(rng, 4),
      draw(rng, 4),
    ];
    const runningVar = draw(rng, 4).map((v) => Math.fround(0.01 + v * v));
    const eps = 0.05;
    const folded = foldBatchnorm(
      { w: tf.tensor2d(w), b: tf.tensor1d(b) },
      tf.tensor1d(gamma),
      tf.tensor1d(beta),
      { runningMean: tf.tensor1d(runningMean), runningVar: tf.tensor1d(runningVar) },
      eps,
    );
    const scale = gamma.map((g, j) => g / Math.sqrt(runningVar[j] + eps));
    await assertAllClose(
      folded.w,
      w.map((row) => row.map((v, j) => v * scale[j])),
      CLOSE,
      "W′: column j of W times γⱼ/σⱼ",
    );
    await assertAllClose(
      folded.b,
      b.map((v, j) => (v - runningMean[j]) * scale[j] + beta[j]),
      CLOSE,
      "b′ = (b − runningMean)·γ/σ + β",
    );
  },
);

test(
  "a folded net gives the batchnorm net's test-mode scores, with no normalisation",
  { task: 5, points: 4 },
  async () => {
    // A trained-looking batchnorm net: γ, β and biases away from 1 and 0, and
    // running statistics from ten training steps on shifted, scaled inputs.
    const rng = new Rng(41);
    const options = { normalization: "batchnorm", eps: 1e-3, momentum: 0.5 } as const;
    const init = initFcNet(rng, [12, 9, 8, 3], { normalization: "batchnorm" });
    const params = Object.fromEntries(
      Object.entries(init.params).map(([key, t]) => [key, tf.add(t, randn(rng, t.shape, 0.5))]),
    );
    let state = init.state;
    const inputs = (n: number) => tf.add(tf.mul(randn(rng, [n, 12]), 3), 2);
    for (let step = 0; step < 10; step++) {
      ({ state } = fcNetLoss(params, inputs(16), randint(rng, [16], 3), state, options));
    }
    const x = inputs(20);
    const folded = foldFcNet(params, state, options);
    assertEquals(
      Object.keys(folded).sort(),
      ["W1", "W2", "W3", "b1", "b2", "b3"],
      "the folded net's parameters: W and b only",
    );
    const expected = await toMatrix(fcNetScores(params, x, state, options));
    await assertAllClose(
      fcNetScores(folded, x, {}, { normalization: "none" }),
      expected,
      CLOSE,
      "scores of the folded net against the batchnorm net's test-mode scores",
    );
  },
);
