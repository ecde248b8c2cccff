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
import { NotImplementedError } from "../../lib/errors.ts";

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
  // TODO: Implement for Task 3.
  throw new NotImplementedError("maxPoolForwardNaive", 3);
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
  // TODO: Implement for Task 3.
  throw new NotImplementedError("maxPoolBackwardNaive", 3);
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
  // TODO: Implement for Task 3.
  throw new NotImplementedError("avgPoolForwardNaive", 3);
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
  // TODO: Implement for Task 3.
  throw new NotImplementedError("avgPoolBackwardNaive", 3);
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
  // TODO: Implement for Task 3.
  throw new NotImplementedError("maxPoolForwardFast", 3);
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
  // TODO: Implement for Task 3.
  throw new NotImplementedError("maxPoolBackwardFast", 3);
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
  // TODO: Implement for Task 3.
  throw new NotImplementedError("avgPoolForwardFast", 3);
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
  // TODO: Implement for Task 3.
  throw new NotImplementedError("avgPoolBackwardFast", 3);
}

function checkDout(dout: tf.Tensor, cache: PoolCache, fn: string): void {
  const outShape = poolOutputShape(cache.x.shape, cache.pool, fn);
  if (!tf.util.arraysEqual(dout.shape, outShape)) {
    throw new Error(`${fn}: dout has shape [${dout.shape}], but the output was [${outShape}].`);
  }
}
