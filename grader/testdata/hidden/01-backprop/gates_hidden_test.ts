/**
 * Hidden tests for Task 1 — a fixture of the grader's own tests, standing for
 * the folder an instructor passes with `deno task grade --hidden DIR`.
 */
import * as tf from "@tensorflow/tfjs";
import { assertLess } from "../../lib/assert.ts";
import { assertAllClose } from "../../lib/assert_tensor.ts";
import { readAll } from "../../lib/read.ts";
import { randn, Rng } from "../../lib/random.ts";
import { test } from "../../lib/testing.ts";
import { addForward, sigmoidNeuronForward } from "./gates.ts";

test("add gate on rank-3 inputs", { task: 1, points: 4 }, async () => {
  const rng = new Rng(11);
  const x = randn(rng, [2, 3, 4]), y = randn(rng, [2, 3, 4]);
  await assertAllClose(addForward(x, y)[0], tf.add(x, y), {}, "out");
});

test(
  "sigmoid neuron at random points",
  { task: 1, points: 6, visibility: "hidden" },
  async (_backend, reportMetric) => {
    const rng = new Rng(12);
    let worst = 0;
    for (let i = 0; i < 5; i++) {
      const w = randn(rng, [4]) as tf.Tensor1D, x = randn(rng, [3]) as tf.Tensor1D;
      const expected = tf.sigmoid(tf.add(tf.dot(w.slice(0, 3), x), w.slice(3, 1).reshape([])));
      const [got, want] = await readAll([sigmoidNeuronForward(w, x)[0], expected]);
      worst = Math.max(worst, Math.abs(got[0] - want[0]));
    }
    await reportMetric("sigmoid neuron max error", worst, "asc");
    assertLess(worst, 1e-6, "largest |error| over 5 random neurons");
  },
);
