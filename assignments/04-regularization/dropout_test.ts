/**
 * Tests for Task 1: dropout.ts.
 *
 * The expected outputs are computed here, in float64, from the formula and
 * the mask the handout prescribes (uᵢ < p for u = randu(rng, x.shape)),
 * rebuilt from the same seed. The statistical tests draw tens of thousands
 * of units and allow 5 standard deviations of the binomial (or of the
 * mean): a correct dropout fails one with probability below 10⁻⁶, while a
 * keep probability off by 2 % or more fails it almost surely.
 */
import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertLessOrEqual, assertNotEquals } from "../../lib/assert.ts";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
import { type Matrix, toMatrix, toVector } from "../../lib/float64.ts";
import { assertGradientsMatch } from "../../lib/gradcheck.ts";
import { randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import { dropoutBackward, dropoutForward } from "./dropout.ts";

const BOTH = { backends: BOTH_BACKENDS };
const CLOSE = { rtol: 1e-6, atol: 1e-7 };

/** The mask the handout prescribes, in float64: 1 where u < p (u from rng, in float32), else 0. */
function keptUnits(seed: number, count: number, p: number): boolean[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => Math.fround(rng.uniform()) < Math.fround(p));
}

/** An [n, d] matrix of float32-exact values, none of them 0 (so a zero in out is a drop). */
function nonZero(rng: Rng, n: number, d: number): Matrix {
  return Array.from(
    { length: n },
    () => Array.from({ length: d }, () => Math.fround(rng.normal(0, 2)) || 1),
  );
}

/** |count − n·q| ≤ 5σ of Binomial(n, q): the test's bound on the number of dropped units. */
function assertBinomial(count: number, n: number, q: number, what: string) {
  const sigma = Math.sqrt(n * q * (1 - q));
  assertLessOrEqual(
    Math.abs(count - n * q),
    5 * sigma,
    `${what}: ${count} of ${n} units dropped; with a drop probability 1 − p = ${q} the count ` +
      `lies within 5σ = ${(5 * sigma).toFixed(0)} of ${
        n * q
      } (fails by chance with probability < 10⁻⁶)`,
  );
}

test(
  "dropoutForward, train mode: out = x·mask/p, with the mask u < p drawn from rng",
  { task: 1, points: 5, ...BOTH },
  async () => {
    for (const [seed, p] of [[10, 0.3], [11, 0.75]]) {
      const x = nonZero(new Rng(seed + 100), 6, 11);
      const [out, cache] = dropoutForward(tf.tensor2d(x), p, "train", new Rng(seed));
      assertShape(out, [6, 11], "out");
      const kept = keptUnits(seed, 66, p);
      const expected = x.map((row, i) => row.map((v, j) => (kept[i * 11 + j] ? v / p : 0)));
      await assertAllClose(
        out,
        expected,
        CLOSE,
        `p = ${p}: out = x/p where u < p (u = randu(rng, x.shape), in order) and 0 elsewhere`,
      );
      assert(cache.mask !== null, `p = ${p}: a train-mode cache holds the mask`);
      await assertAllClose(
        cache.mask,
        expected.map((row, i) => row.map((_, j) => (kept[i * 11 + j] ? 1 / p : 0))),
        CLOSE,
        `p = ${p}: the cached mask is 1/p where kept and 0 where dropped`,
      );
    }
  },
);

test(
  "dropoutForward, train mode: the fraction of units dropped is 1 − p (5σ binomial bound), for p = 0.25, 0.5, 0.8",
  { task: 1, points: 5 },
  async () => {
    for (const [seed, p] of [[12, 0.25], [13, 0.5], [14, 0.8]]) {
      const [n, d] = [200, 100];
      const [out] = dropoutForward(tf.ones([n, d]), p, "train", new Rng(seed));
      const values = await toVector(out);
      const dropped = values.filter((v) => v === 0).length;
      assertBinomial(dropped, n * d, 1 - p, `p = ${p} (p keeps, it does not drop)`);
      const kept = values.filter((v) => v !== 0);
      assertEquals(
        kept.every((v) => Math.abs(v - 1 / p) <= 1e-6),
        true,
        `p = ${p}: every kept unit of an input of ones is 1/p = ${1 / p}`,
      );
    }
  },
);

test(
  "dropoutForward, train mode: the mean of out is the mean of x (inverted scaling), within 5σ",
  { task: 1, points: 4 },
  async () => {
    for (const [seed, p] of [[15, 0.3], [16, 0.6]]) {
      const rng = new Rng(seed);
      const [n, d] = [300, 80];
      const xs = Array.from({ length: n * d }, () => Math.fround(1 + Math.abs(rng.normal(0, 2))));
      const [out] = dropoutForward(tf.tensor2d(xs, [n, d]), p, "train", rng);
      const meanX = xs.reduce((a, b) => a + b) / xs.length;
      const meanOut = (await toVector(out)).reduce((a, b) => a + b) / xs.length;
      // Var(mean of out) = Σ x² (1 − p)/p / (n·d)²
      const sigma = Math.sqrt(xs.reduce((a, v) => a + v * v, 0) * (1 - p) / p) / xs.length;
      assertLessOrEqual(
        Math.abs(meanOut - meanX),
        5 * sigma,
        `p = ${p}: the mean of out (${meanOut.toFixed(4)}) is the mean of x (${
          meanX.toFixed(4)
        }) within 5σ = ${(5 * sigma).toFixed(4)}: kept units are divided by p at training time`,
      );
    }
  },
);

test(
  "dropoutForward, test mode: the identity, whatever p, and no mask",
  { task: 1, points: 3, ...BOTH },
  async () => {
    const x = nonZero(new Rng(17), 5, 9);
    for (const p of [0.25, 0.5, 1]) {
      const [out, cache] = dropoutForward(tf.tensor2d(x), p, "test");
      assertEquals(
        await toMatrix(out),
        x,
        `p = ${p}: test-mode out is x, unscaled, nothing dropped`,
      );
      assertEquals(cache.mask, null, `p = ${p}: a test-mode cache has no mask`);
    }
    const rng = new Rng(18);
    const before = rng.state();
    dropoutForward(tf.tensor2d(x), 0.5, "test", rng);
    assertEquals(rng.state(), before, "a test-mode pass draws nothing from the rng it is given");
  },
);

test(
  "dropoutForward: the same seed gives the same mask, another seed another, each call a new one",
  { task: 1, points: 3 },
  async () => {
    const x = tf.ones([20, 30]);
    const maskOf = async (rng: Rng) => await toVector(dropoutForward(x, 0.5, "train", rng)[0]);
    assertEquals(await maskOf(new Rng(19)), await maskOf(new Rng(19)), "seed 19 twice");
    assertNotEquals(await maskOf(new Rng(19)), await maskOf(new Rng(20)), "seeds 19 and 20");
    const rng = new Rng(21);
    assertNotEquals(
      await maskOf(rng),
      await maskOf(rng),
      "two calls with one rng: the second draws the next numbers, a new mask",
    );
  },
);

test(
  "dropoutBackward passes the gradient check with a fixed mask, for p = 1, 0.75 and 0.5",
  { task: 1, points: 6, ...BOTH },
  async () => {
    for (const [seed, p] of [[22, 1], [23, 0.75], [24, 0.5]]) {
      const x = randn(new Rng(seed), [7, 12]);
      // A fresh generator of the same seed in every call: every pass draws the same mask.
      const forward = (input: tf.Tensor) => dropoutForward(input, p, "train", new Rng(seed + 50));
      await assertGradientsMatch({
        name: `dropoutBackward, p = ${p}`,
        f: ({ x }) => forward(x)[0],
        inputs: { x },
        seed,
        backward: (dout) => {
          const { dx } = dropoutBackward(dout, forward(x)[1]);
          assertShape(dx, [7, 12], "dx");
          return { x: dx };
        },
      });
    }
  },
);

test(
  "dropoutBackward: dx = dout·mask with the forward pass's own mask; test mode passes dout through",
  { task: 1, points: 2, ...BOTH },
  async () => {
    const rng = new Rng(25);
    const x = nonZero(rng, 8, 10);
    const dout = nonZero(rng, 8, 10);
    const p = 0.4;
    const [out, cache] = dropoutForward(tf.tensor2d(x), p, "train", rng);
    const outValues = await toMatrix(out);
    // Where a unit was kept out = x/p, so its gradient is dout/p; where dropped, 0.
    const expected = dout.map((row, i) => row.map((g, j) => (outValues[i][j] === 0 ? 0 : g / p)));
    const { dx } = dropoutBackward(tf.tensor2d(dout), cache);
    await assertAllClose(
      dx,
      expected,
      CLOSE,
      "dx = dout/p where this forward pass kept the unit, 0 where it dropped it (its mask, not a new one)",
    );
    const second = await toMatrix(dropoutBackward(tf.tensor2d(dout), cache).dx);
    assertEquals(second, await toMatrix(dx), "a second backward pass gives the same dx");
    const [, testCache] = dropoutForward(tf.tensor2d(x), p, "test");
    assertEquals(
      await toMatrix(dropoutBackward(tf.tensor2d(dout), testCache).dx),
      dout,
      "test mode: dx = dout",
    );
  },
);
