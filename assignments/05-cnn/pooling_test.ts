/** Tests for Task 3: pooling.ts. */
import * as tf from "@tensorflow/tfjs";
import { assertAllClose } from "../../lib/assert_tensor.ts";
import { type Array4, fromArray4, index4, toArray4, zeros4 } from "../../lib/float64.ts";
import { assertGradientsMatch } from "../../lib/gradcheck.ts";
import { randint, randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import type { PoolParam } from "./geometry.ts";
import {
  avgPoolBackwardFast,
  avgPoolBackwardNaive,
  avgPoolForwardFast,
  avgPoolForwardNaive,
  maxPoolBackwardFast,
  maxPoolBackwardNaive,
  maxPoolForwardFast,
  maxPoolForwardNaive,
} from "./pooling.ts";

/** Non-overlapping 2×2, overlapping 3×2 with stride 1, and 2×3 with stride 2, on non-square images. */
const SETTINGS: { shape: number[]; pool: PoolParam }[] = [
  { shape: [2, 6, 4, 3], pool: { height: 2, width: 2, stride: 2 } },
  { shape: [2, 7, 5, 3], pool: { height: 3, width: 2, stride: 1 } },
  { shape: [2, 6, 7, 3], pool: { height: 2, width: 3, stride: 2 } },
];

const describe = ({ shape, pool }: (typeof SETTINGS)[number]) =>
  `x [${shape}], ${pool.height}×${pool.width} pool, stride ${pool.stride}`;

/** Integer pixels in 0…2: many windows hold their maximum more than once (ties). */
function tiedImages(seed: number, shape: number[]): tf.Tensor4D {
  return randint(new Rng(seed), shape, 3).toFloat() as tf.Tensor4D;
}

/**
 * Pooling and its gradient from the definitions, in float64: each window's
 * maximum (or mean); the gradient of max goes to the window's first maximum in
 * row-major order, the gradient of the mean is shared equally.
 */
function pool64(x: Array4, pool: PoolParam, mode: "max" | "avg", dout?: Array4) {
  const { shape: [n, h, w, c] } = x;
  const [oh, ow] = [(h - pool.height) / pool.stride + 1, (w - pool.width) / pool.stride + 1];
  const out = zeros4([n, oh, ow, c]);
  const dx = zeros4(x.shape);
  for (let e = 0; e < n; e++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        for (let ch = 0; ch < c; ch++) {
          const window: { value: number; at: number }[] = [];
          for (let di = 0; di < pool.height; di++) {
            for (let dj = 0; dj < pool.width; dj++) {
              const at = index4(x.shape, e, r * pool.stride + di, q * pool.stride + dj, ch);
              window.push({ value: x.data[at], at });
            }
          }
          const d = dout ? dout.data[index4(out.shape, e, r, q, ch)] : 0;
          let result: number;
          if (mode === "max") {
            const first = window.reduce((best, p) => (p.value > best.value ? p : best));
            result = first.value;
            dx.data[first.at] += d;
          } else {
            result = window.reduce((s, p) => s + p.value, 0) / window.length;
            for (const p of window) dx.data[p.at] += d / window.length;
          }
          out.data[index4(out.shape, e, r, q, ch)] = result;
        }
      }
    }
  }
  return { out, dx };
}

const asTensor = (a: Array4) => fromArray4(a);

test(
  "maxPoolForwardNaive and avgPoolForwardNaive match their definitions",
  { task: 3, points: 2 },
  async () => {
    for (const [k, setting] of SETTINGS.entries()) {
      const x = randn(new Rng(k), setting.shape) as tf.Tensor4D;
      const x64 = await toArray4(x);
      const [maxOut] = await maxPoolForwardNaive(x, setting.pool);
      await assertAllClose(
        maxOut,
        asTensor(pool64(x64, setting.pool, "max").out),
        {},
        `max pool of ${describe(setting)}`,
      );
      const [avgOut] = await avgPoolForwardNaive(x, setting.pool);
      await assertAllClose(
        avgOut,
        asTensor(pool64(x64, setting.pool, "avg").out),
        {},
        `average pool of ${describe(setting)}`,
      );
    }
  },
);

test(
  "maxPoolBackwardNaive sends each gradient to its window's first maximum (ties included)",
  { task: 3, points: 3 },
  async () => {
    for (const [k, setting] of SETTINGS.entries()) {
      for (const x of [randn(new Rng(10 + k), setting.shape), tiedImages(k, setting.shape)]) {
        const [out, cache] = await maxPoolForwardNaive(x as tf.Tensor4D, setting.pool);
        const dout = randn(new Rng(20 + k), out.shape) as tf.Tensor4D;
        const { dx } = await maxPoolBackwardNaive(dout, cache);
        const expected = pool64(await toArray4(x), setting.pool, "max", await toArray4(dout));
        await assertAllClose(dx, asTensor(expected.dx), {}, `dx of ${describe(setting)}`);
      }
    }
  },
);

test(
  "avgPoolBackwardNaive shares each gradient equally over its window",
  { task: 3, points: 2 },
  async () => {
    for (const [k, setting] of SETTINGS.entries()) {
      const x = randn(new Rng(30 + k), setting.shape) as tf.Tensor4D;
      const [out, cache] = await avgPoolForwardNaive(x, setting.pool);
      const dout = randn(new Rng(40 + k), out.shape) as tf.Tensor4D;
      const { dx } = await avgPoolBackwardNaive(dout, cache);
      const expected = pool64(await toArray4(x), setting.pool, "avg", await toArray4(dout));
      await assertAllClose(dx, asTensor(expected.dx), {}, `dx of ${describe(setting)}`);
    }
  },
);

test(
  "maxPoolForwardFast and maxPoolBackwardFast match the definitions, ties included",
  { task: 3, points: 3, backends: BOTH_BACKENDS },
  async () => {
    for (const [k, setting] of SETTINGS.entries()) {
      for (const x of [randn(new Rng(50 + k), setting.shape), tiedImages(60 + k, setting.shape)]) {
        const [out, cache] = maxPoolForwardFast(x as tf.Tensor4D, setting.pool);
        const dout = randn(new Rng(70 + k), out.shape) as tf.Tensor4D;
        const { dx } = maxPoolBackwardFast(dout, cache);
        const expected = pool64(await toArray4(x), setting.pool, "max", await toArray4(dout));
        await assertAllClose(out, asTensor(expected.out), {}, `out of ${describe(setting)}`);
        await assertAllClose(dx, asTensor(expected.dx), {}, `dx of ${describe(setting)}`);
      }
    }
  },
);

test(
  "maxPoolBackwardFast passes the gradient check (kinks left out)",
  { task: 3, points: 3, backends: BOTH_BACKENDS },
  async () => {
    const setting = SETTINGS[1];
    const x = randn(new Rng(80), setting.shape);
    await assertGradientsMatch({
      name: `maxPoolBackwardFast (${describe(setting)})`,
      f: ({ x }) => maxPoolForwardFast(x as tf.Tensor4D, setting.pool)[0],
      inputs: { x },
      backward: (dout) => ({
        x: maxPoolBackwardFast(
          dout as tf.Tensor4D,
          maxPoolForwardFast(x as tf.Tensor4D, setting.pool)[1],
        ).dx,
      }),
    });
  },
);

test(
  "average pooling, fast: the definition's values, and the gradient check",
  { task: 3, points: 3, backends: BOTH_BACKENDS },
  async () => {
    for (const [k, setting] of SETTINGS.entries()) {
      const x = randn(new Rng(90 + k), setting.shape) as tf.Tensor4D;
      const [out, cache] = avgPoolForwardFast(x, setting.pool);
      const dout = randn(new Rng(95 + k), out.shape) as tf.Tensor4D;
      const expected = pool64(await toArray4(x), setting.pool, "avg", await toArray4(dout));
      await assertAllClose(out, asTensor(expected.out), {}, `out of ${describe(setting)}`);
      await assertAllClose(
        avgPoolBackwardFast(dout, cache).dx,
        asTensor(expected.dx),
        {},
        `dx of ${describe(setting)}`,
      );
    }
    const setting = SETTINGS[2];
    const x = randn(new Rng(99), setting.shape);
    await assertGradientsMatch({
      name: `avgPoolBackwardFast (${describe(setting)})`,
      f: ({ x }) => avgPoolForwardFast(x as tf.Tensor4D, setting.pool)[0],
      inputs: { x },
      backward: (dout) => ({
        x: avgPoolBackwardFast(
          dout as tf.Tensor4D,
          avgPoolForwardFast(x as tf.Tensor4D, setting.pool)[1],
        ).dx,
      }),
    });
  },
);
