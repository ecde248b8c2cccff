/** Tests for Task 5: clip.ts. Expected values are computed here in float64. */
import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals } from "../../lib/assert.ts";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
import { toVector } from "../../lib/float64.ts";
import { readScalar } from "../../lib/read.ts";
import { randn, Rng } from "../../lib/random.ts";
import { test } from "../../lib/testing.ts";
import { clipGradients } from "./clip.ts";

/** Three gradients of different shapes and scales, and their global norm in float64. */
async function grads(seed: number) {
  const rng = new Rng(seed);
  const g = { w: randn(rng, [4, 3], 2), b: randn(rng, [3], 0.5), e: randn(rng, [2, 2, 5], 1) };
  let squares = 0;
  for (const t of Object.values(g)) for (const v of await toVector(t)) squares += v * v;
  return { g, norm: Math.sqrt(squares) };
}

test("clipGradients: above the threshold, the global norm becomes it and the direction stays", {
  task: 5,
  points: 3,
}, async () => {
  const { g, norm } = await grads(0);
  const maxNorm = norm / 3;
  const { grads: clipped, norm: reported } = clipGradients(g, maxNorm);
  assertAlmostEquals(await readScalar(reported), norm, 1e-4 * norm, "the norm before clipping");
  let squares = 0;
  for (const [name, t] of Object.entries(g)) {
    assertShape(clipped[name as keyof typeof g], t.shape, `clipped ${name}`);
    // Each gradient scaled by the one factor maxNorm / norm: same direction, global norm maxNorm.
    const expected = (await toVector(t)).map((v) => (v * maxNorm) / norm);
    await assertAllClose(
      clipped[name as keyof typeof g].reshape([-1]),
      expected,
      { rtol: 1e-5, atol: 1e-6 },
      `clipped ${name} = ${name} · maxNorm / global norm`,
    );
    for (const v of await toVector(clipped[name as keyof typeof g])) squares += v * v;
  }
  assertAlmostEquals(Math.sqrt(squares), maxNorm, 1e-4 * maxNorm, "the clipped global norm");
});

test(
  "clipGradients: under the threshold, gradients pass untouched",
  { task: 5, points: 2 },
  async () => {
    const { g, norm } = await grads(1);
    const { grads: clipped, norm: reported } = clipGradients(g, norm * 1.5);
    assertAlmostEquals(await readScalar(reported), norm, 1e-4 * norm, "the norm reported");
    for (const [name, t] of Object.entries(g)) {
      await assertAllClose(
        clipped[name as keyof typeof g],
        t,
        { rtol: 0, atol: 0 },
        `${name}, unclipped`,
      );
    }
    const single = clipGradients({ w: tf.tensor([3, 4]) }, 5);
    await assertAllClose(
      single.grads.w,
      [3, 4],
      { rtol: 0, atol: 0 },
      "a norm exactly at the threshold",
    );
  },
);
