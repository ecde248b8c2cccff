/**
 * Tests for Task 7: sample.ts.
 *
 * The models here are written in the test. One gives the same scores after
 * every character; the other scores table[id] plus 3 for the character
 * (position mod V), where position counts the characters the row has read —
 * a state that must be carried from call to call. Expected draws and paths
 * are computed here, in float64.
 */
import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertLessOrEqual, assertNotEquals } from "../../lib/assert.ts";
import { softmaxRows } from "../../lib/float64.ts";
import { Rng } from "../../lib/random.ts";
import { test } from "../../lib/testing.ts";
import type { LanguageModel } from "./language_model.ts";
import { sample } from "./sample.ts";

/** The same scores whatever was read: a fixed distribution. */
function fixedModel(scores: number[]): LanguageModel<tf.Tensor> {
  return {
    vocabSize: scores.length,
    scores: (ids) => ({
      scores: tf.tile(tf.tensor3d([[scores]]), [ids.shape[0], ids.shape[1], 1]) as tf.Tensor3D,
      state: tf.zeros([ids.shape[0]]),
    }),
  };
}

/** table[id] plus 3 for the character (position mod V); the state counts the characters read. */
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
        3,
      );
      const scores = tf.add(tf.gather(tf.tensor2d(table), ids), bonus) as tf.Tensor3D;
      return { scores, state: tf.add(start, tf.scalar(t, "int32")) as tf.Tensor1D };
    },
  };
}

/** The position model's most likely continuation of `prompt`, computed here. */
function greedyPath(table: number[][], prompt: number[], length: number): number[] {
  const v = table.length, path: number[] = [];
  let last = prompt.at(-1)!, position = prompt.length - 1;
  while (path.length < length) {
    const scores = table[last].map((s, c) => s + (c === position % v ? 3 : 0));
    last = scores.indexOf(Math.max(...scores));
    path.push(last);
    position++;
  }
  return path;
}

const TABLE = (() => {
  const rng = new Rng(7);
  return Array.from({ length: 6 }, () => Array.from({ length: 6 }, () => 2 * rng.normal()));
})();

test("sample: temperature → 0 gives the arg-max path, from the prompt's last character on", {
  task: 7,
  points: 3,
}, async () => {
  const prompt = [4, 1, 5];
  const got = await sample(positionModel(TABLE), prompt, 12, {
    temperature: 1e-3,
    rng: new Rng(0),
  });
  assertEquals(Array.from(got), greedyPath(TABLE, prompt, 12), "the 12 characters after [4, 1, 5]");
});

test("sample: with a seed the text repeats exactly; every id is in the vocabulary", {
  task: 7,
  points: 2,
}, async () => {
  const model = positionModel(TABLE);
  const draw = (seed: number) => sample(model, [2], 40, { temperature: 1, rng: new Rng(seed) });
  const [a, b, c] = [await draw(3), await draw(3), await draw(4)];
  assertEquals(a.length, 40, "how many characters were generated");
  assertEquals(Array.from(a), Array.from(b), "two samples with seed 3");
  assertNotEquals(Array.from(a), Array.from(c), "samples with seeds 3 and 4");
  assert(a.every((id) => Number.isInteger(id) && id >= 0 && id < 6), `ids in 0…5: ${a}`);
});

test("sample: each draw is one rng.uniform() through softmax(scores / temperature)", {
  task: 7,
  points: 3,
}, async () => {
  const scores = [1.5, -0.5, 0.3, 2.0, -1.2];
  for (const temperature of [0.5, 1, 2]) {
    const got = await sample(fixedModel(scores), [0], 300, { temperature, rng: new Rng(11) });
    // The draws the doc comment prescribes: the first id whose cumulative probability exceeds u.
    const p = softmaxRows([scores.map((s) => s / temperature)])[0];
    const draws = new Rng(11);
    const expected = Array.from({ length: 300 }, () => {
      const u = draws.uniform();
      let id = 0, cumulative = p[0];
      while (cumulative <= u && id < p.length - 1) cumulative += p[++id];
      return id;
    });
    const differ = expected.filter((id, k) => id !== got[k]).length;
    // float32 against float64 may disagree where u falls within ~1e-7 of a boundary: rarely.
    assertLessOrEqual(
      differ,
      1,
      `draws that differ from the expected ones at temperature ${temperature}`,
    );
  }
});
