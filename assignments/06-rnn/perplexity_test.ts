/**
 * Tests for Task 8: perplexity.ts.
 *
 * The models here are written in the test: one that knows nothing, and one
 * whose scores depend on the character read and on its position in the row
 * (a state that must be carried from chunk to chunk). The expected values
 * are computed here, in float64, reading each row in one piece.
 */
import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertGreater } from "../../lib/assert.ts";
import { softmaxRows } from "../../lib/float64.ts";
import { Rng } from "../../lib/random.ts";
import { test } from "../../lib/testing.ts";
import type { LanguageModel } from "./language_model.ts";
import { perplexity } from "./perplexity.ts";

/** Every character equally likely. */
function uniformModel(vocabSize: number): LanguageModel<tf.Tensor> {
  return {
    vocabSize,
    scores: (ids) => ({
      scores: tf.fill([...ids.shape, vocabSize], 0.25) as tf.Tensor3D,
      state: tf.zeros([ids.shape[0]]),
    }),
  };
}

/**
 * Scores table[id] plus 2 for the character (position mod V), where position
 * counts the characters the row has read: the state is that count, [N].
 */
function positionModel(table: number[][]): LanguageModel<tf.Tensor1D> {
  const v = table.length;
  return {
    vocabSize: v,
    scores: (ids, state) => {
      const [n, t] = ids.shape;
      const start = state ?? (tf.zeros([n], "int32") as tf.Tensor1D);
      const positions = tf.add(start.reshape([n, 1]), tf.range(0, t, 1, "int32").reshape([1, t]));
      const bonus = tf.mul(
        tf.oneHot(tf.mod(positions, tf.scalar(v, "int32")) as tf.Tensor2D, v),
        2,
      );
      const scores = tf.add(tf.gather(tf.tensor2d(table), ids), bonus) as tf.Tensor3D;
      return { scores, state: tf.add(start, tf.scalar(t, "int32")) as tf.Tensor1D };
    },
  };
}

/** The position model's perplexity in float64, each row read in one piece. */
function positionPerplexity64(table: number[][], ids: Int32Array, rows: number): number {
  const v = table.length;
  const perRow = Math.floor((ids.length - 1) / rows);
  let nll = 0;
  for (let row = 0; row < rows; row++) {
    for (let j = 0; j < perRow; j++) {
      const p = row * perRow + j;
      const scores = table[ids[p]].map((s, c) => s + (c === j % v ? 2 : 0));
      nll -= Math.log(softmaxRows([scores])[0][ids[p + 1]]);
    }
  }
  return Math.exp(nll / (rows * perRow));
}

/** A random text of `length` ids in 0…v−1, and a random score table [v, v]. */
function problem(seed: number, length: number, v: number) {
  const rng = new Rng(seed);
  const ids = Int32Array.from({ length }, () => rng.int(v));
  const table = Array.from({ length: v }, () => Array.from({ length: v }, () => 2 * rng.normal()));
  return { ids, table };
}

test("perplexity of a uniform model over 65 characters is 65", { task: 8, points: 2 }, async () => {
  // 300 characters: 299 predictions, 4 rows of 74, 3 left out.
  const { ids } = problem(0, 300, 65);
  assertAlmostEquals(
    await perplexity(uniformModel(65), ids, { rows: 4, chunkLength: 16 }),
    65,
    1e-3,
    "perplexity of uniform scores",
  );
});

test("perplexity matches exp(mean −log p) over the rows, the last characters left out", {
  task: 8,
  points: 3,
}, async () => {
  // 203 characters: 202 predictions, 4 rows of 50, 2 left out.
  const { ids, table } = problem(1, 203, 7);
  const expected = positionPerplexity64(table, ids, 4);
  const got = await perplexity(positionModel(table), ids, { rows: 4, chunkLength: 50 });
  assertAlmostEquals(got, expected, 1e-4 * expected, "perplexity, each row in one chunk");
  assertGreater(expected, 1, "a sanity check of the test itself");
});

test("perplexity in chunks, the state carried, equals one pass; no chunk length changes it", {
  task: 8,
  points: 3,
}, async () => {
  // 204 characters: 203 predictions, 4 rows of 50 (not ⌊204 / 4⌋ = 51), 3 left out.
  const { ids, table } = problem(2, 204, 7);
  const expected = positionPerplexity64(table, ids, 4);
  for (const chunkLength of [7, 16, 49, 64]) {
    assertAlmostEquals(
      await perplexity(positionModel(table), ids, { rows: 4, chunkLength }),
      expected,
      1e-4 * expected,
      `perplexity read in chunks of ${chunkLength} (rows of 50), against one pass`,
    );
  }
  const before = tf.memory().numTensors;
  await perplexity(positionModel(table), ids, { rows: 4, chunkLength: 7 });
  assertAlmostEquals(tf.memory().numTensors, before, 0, "tensors left behind by perplexity");
});
