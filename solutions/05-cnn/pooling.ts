/**
 * Task 3 — Pooling: max and average, naive and fast.
 *
 * A pooling layer shrinks each channel on its own: a `height`×`width` window
 * moves over the image by `stride` pixels and each position outputs one
 * number — the window's largest value (max pooling) or its mean (average
 * pooling). It has no parameters. With 2×2 windows and stride 2 it halves the
 * height and the width, and a small shift of the input often leaves the
 * maximum of a window where it was: some invariance to translation, for free.
 *
 *     out[n, r, q, c] = max (or mean) of x[n, r·S + i, q·S + j, c] over i < height, j < width
 *
 * **Backward.** Average pooling is a sum gate times 1/(height·width): each
 * input of a window gets dout/(height·width). Max pooling is a max gate: the
 * whole of dout goes to the window's maximum — the **switch** remembered
 * from the forward pass — and nothing to the others. **Ties:** when several
 * inputs of a window share the maximum, the first in row-major window order
 * (smallest i, then smallest j) gets the gradient, as in tfjs. An input that
 * is the maximum of several overlapping windows receives the sum of their
 * gradients.
 *
 * The naive versions loop, as `conv_naive.ts` does. The fast versions reuse
 * `windows` and `addWindows` from `im2col.ts`: a window position (i, j) of
 * the pool is a tap, pooling combines the taps' windows element-wise, and the
 * backward pass sends each tap its share with `addWindows`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { poolOutputShape, type PoolParam } from "./geometry.ts";
import { addWindows, windows } from "./im2col.ts";

/** What a pooling backward pass needs: the input, the output and the window. */
export interface PoolCache {
  x: tf.Tensor4D;
  out: tf.Tensor4D;
  pool: PoolParam;
}

/**
 * Max pooling forward, with loops.
 *
 * @param x [N, H, W, C]
 * @param pool window height, width and stride
 * @returns [out, cache]: out is [N, OH, OW, C], OH = (H − height)/stride + 1
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { maxPoolForwardNaive } from "./pooling.ts";
 * const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
 * const [out] = await maxPoolForwardNaive(x, { height: 2, width: 2, stride: 2 });
 * console.log(await out.array()); // [[[[4]]]]
 * ```
 */
export async function maxPoolForwardNaive(
  x: tf.Tensor4D,
  pool: PoolParam,
): Promise<[tf.Tensor4D, PoolCache]> {
  const outShape = poolOutputShape(x.shape, pool, "maxPoolForwardNaive");
  // BEGIN SOLUTION (Task 3)
  const [n, oh, ow, c] = outShape;
  const xs = await x.buffer();
  const out = tf.buffer(outShape);
  for (let e = 0; e < n; e++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          for (let i = 0; i < pool.height; i++) {
            for (let j = 0; j < pool.width; j++) {
              best = Math.max(best, xs.get(e, r * pool.stride + i, q * pool.stride + j, ch));
            }
          }
          out.set(best, e, r, q, ch);
        }
      }
    }
  }
  const result = out.toTensor() as tf.Tensor4D;
  return [result, { x, out: result, pool }];
  // END SOLUTION
}

/**
 * Max pooling backward, with loops: each dout goes to its window's first maximum.
 *
 * @param dout upstream gradient, [N, OH, OW, C]
 * @param cache from maxPoolForwardNaive (or maxPoolForwardFast)
 * @returns dx, [N, H, W, C]
 */
export async function maxPoolBackwardNaive(
  dout: tf.Tensor4D,
  cache: PoolCache,
): Promise<{ dx: tf.Tensor4D }> {
  checkDout(dout, cache, "maxPoolBackwardNaive");
  // BEGIN SOLUTION (Task 3)
  const { x, pool } = cache;
  const [n, oh, ow, c] = dout.shape;
  const [xs, ds] = await Promise.all([x.buffer(), dout.buffer()]);
  const dx = tf.buffer(x.shape);
  for (let e = 0; e < n; e++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        for (let ch = 0; ch < c; ch++) {
          // The switch: the first position holding the window's maximum (strict >).
          let [best, by, bz] = [-Infinity, -1, -1];
          for (let i = 0; i < pool.height; i++) {
            for (let j = 0; j < pool.width; j++) {
              const [y, z] = [r * pool.stride + i, q * pool.stride + j];
              if (xs.get(e, y, z, ch) > best) [best, by, bz] = [xs.get(e, y, z, ch), y, z];
            }
          }
          dx.set(dx.get(e, by, bz, ch) + ds.get(e, r, q, ch), e, by, bz, ch);
        }
      }
    }
  }
  return { dx: dx.toTensor() as tf.Tensor4D };
  // END SOLUTION
}

/**
 * Average pooling forward, with loops.
 *
 * @param x [N, H, W, C]
 * @param pool window height, width and stride
 * @returns [out, cache]: out is [N, OH, OW, C]
 */
export async function avgPoolForwardNaive(
  x: tf.Tensor4D,
  pool: PoolParam,
): Promise<[tf.Tensor4D, PoolCache]> {
  const outShape = poolOutputShape(x.shape, pool, "avgPoolForwardNaive");
  // BEGIN SOLUTION (Task 3)
  const [n, oh, ow, c] = outShape;
  const xs = await x.buffer();
  const out = tf.buffer(outShape);
  const area = pool.height * pool.width;
  for (let e = 0; e < n; e++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        for (let ch = 0; ch < c; ch++) {
          let sum = 0;
          for (let i = 0; i < pool.height; i++) {
            for (let j = 0; j < pool.width; j++) {
              sum += xs.get(e, r * pool.stride + i, q * pool.stride + j, ch);
            }
          }
          out.set(sum / area, e, r, q, ch);
        }
      }
    }
  }
  const result = out.toTensor() as tf.Tensor4D;
  return [result, { x, out: result, pool }];
  // END SOLUTION
}

/**
 * Average pooling backward, with loops: each input of a window gets dout/(height·width).
 *
 * @param dout upstream gradient, [N, OH, OW, C]
 * @param cache from avgPoolForwardNaive (or avgPoolForwardFast)
 * @returns dx, [N, H, W, C]
 */
export async function avgPoolBackwardNaive(
  dout: tf.Tensor4D,
  cache: PoolCache,
): Promise<{ dx: tf.Tensor4D }> {
  checkDout(dout, cache, "avgPoolBackwardNaive");
  // BEGIN SOLUTION (Task 3)
  const { x, pool } = cache;
  const [n, oh, ow, c] = dout.shape;
  const ds = await dout.buffer();
  const dx = tf.buffer(x.shape);
  const area = pool.height * pool.width;
  for (let e = 0; e < n; e++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        for (let ch = 0; ch < c; ch++) {
          const share = ds.get(e, r, q, ch) / area;
          for (let i = 0; i < pool.height; i++) {
            for (let j = 0; j < pool.width; j++) {
              const [y, z] = [r * pool.stride + i, q * pool.stride + j];
              dx.set(dx.get(e, y, z, ch) + share, e, y, z, ch);
            }
          }
        }
      }
    }
  }
  return { dx: dx.toTensor() as tf.Tensor4D };
  // END SOLUTION
}

/**
 * Max pooling forward, fast: the element-wise maximum of the pool's windows.
 *
 * @param x [N, H, W, C]
 * @param pool window height, width and stride
 * @returns [out, cache]: out is [N, OH, OW, C]
 */
export function maxPoolForwardFast(x: tf.Tensor4D, pool: PoolParam): [tf.Tensor4D, PoolCache] {
  poolOutputShape(x.shape, pool, "maxPoolForwardFast");
  // BEGIN SOLUTION (Task 3)
  const taps = windows(x, pool.height, pool.width, { stride: pool.stride, pad: 0 });
  const out = taps.reduce((best, t) => tf.maximum(best, t));
  return [out, { x, out, pool }];
  // END SOLUTION
}

/**
 * Max pooling backward, fast: each window's dout goes to its first maximum.
 * Going through the taps in order, a tap takes the gradient where it holds
 * the maximum and no earlier tap has taken it.
 *
 * @param dout upstream gradient, [N, OH, OW, C]
 * @param cache from maxPoolForwardFast
 * @returns dx, [N, H, W, C]
 */
export function maxPoolBackwardFast(dout: tf.Tensor4D, cache: PoolCache): { dx: tf.Tensor4D } {
  checkDout(dout, cache, "maxPoolBackwardFast");
  // BEGIN SOLUTION (Task 3)
  const { x, out, pool } = cache;
  const conv = { stride: pool.stride, pad: 0 };
  let unclaimed = tf.onesLike(out);
  const pieces = windows(x, pool.height, pool.width, conv).map((t) => {
    const claims = tf.mul(tf.cast(tf.equal(t, out), "float32"), unclaimed);
    unclaimed = tf.sub(unclaimed, claims);
    return tf.mul(dout, claims) as tf.Tensor4D;
  });
  return { dx: addWindows(pieces, x.shape, pool.height, pool.width, conv) };
  // END SOLUTION
}

/**
 * Average pooling forward, fast: the mean of the pool's windows.
 *
 * @param x [N, H, W, C]
 * @param pool window height, width and stride
 * @returns [out, cache]: out is [N, OH, OW, C]
 */
export function avgPoolForwardFast(x: tf.Tensor4D, pool: PoolParam): [tf.Tensor4D, PoolCache] {
  poolOutputShape(x.shape, pool, "avgPoolForwardFast");
  // BEGIN SOLUTION (Task 3)
  const taps = windows(x, pool.height, pool.width, { stride: pool.stride, pad: 0 });
  const sum = taps.reduce((total, t) => tf.add(total, t)); // not tf.addN: see addWindows
  const out = tf.div(sum, pool.height * pool.width) as tf.Tensor4D;
  return [out, { x, out, pool }];
  // END SOLUTION
}

/**
 * Average pooling backward, fast: every tap gets dout/(height·width).
 *
 * @param dout upstream gradient, [N, OH, OW, C]
 * @param cache from avgPoolForwardFast
 * @returns dx, [N, H, W, C]
 */
export function avgPoolBackwardFast(dout: tf.Tensor4D, cache: PoolCache): { dx: tf.Tensor4D } {
  checkDout(dout, cache, "avgPoolBackwardFast");
  // BEGIN SOLUTION (Task 3)
  const { x, pool } = cache;
  const share = tf.div(dout, pool.height * pool.width) as tf.Tensor4D;
  const pieces = new Array<tf.Tensor4D>(pool.height * pool.width).fill(share);
  return {
    dx: addWindows(pieces, x.shape, pool.height, pool.width, { stride: pool.stride, pad: 0 }),
  };
  // END SOLUTION
}

function checkDout(dout: tf.Tensor, cache: PoolCache, fn: string): void {
  const outShape = poolOutputShape(cache.x.shape, cache.pool, fn);
  if (!tf.util.arraysEqual(dout.shape, outShape)) {
    throw new Error(`${fn}: dout has shape [${dout.shape}], but the output was [${outShape}].`);
  }
}
