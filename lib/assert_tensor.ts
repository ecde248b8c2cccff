/**
 * Assertions about tensors: shape, and values within a tolerance.
 *
 * Both read the tensor asynchronously (synchronous reads crash on WebGPU in
 * Deno), so they are awaited. Messages say which shape or element is wrong.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertAllClose, assertShape } from "./assert_tensor.ts";
 * assertShape(tf.zeros([2, 3]), [2, 3]);
 * await assertAllClose(tf.tensor([0.1 + 0.2]), [0.3]);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { AssertionError } from "./assert.ts";

/** Throws unless `t` has shape `shape`. `what` names it in the message. */
export function assertShape(t: tf.Tensor, shape: readonly number[], what = "tensor"): void {
  if (!(t instanceof tf.Tensor)) {
    throw new AssertionError(`Expected ${what} to be a tensor, got ${describe(t)}.`);
  }
  if (!tf.util.arraysEqual(t.shape, [...shape])) {
    throw new AssertionError(`Expected ${what} to have shape [${shape}], got [${t.shape}].`);
  }
}

/** How close {@linkcode assertAllClose} requires values to be: |a − e| ≤ atol + rtol·|e|. */
export interface Tolerance {
  rtol?: number;
  atol?: number;
}

/**
 * Throws unless `actual` has the shape of `expected` and every element satisfies
 * |a − e| ≤ atol + rtol·|e| (defaults: rtol 1e-5, atol 1e-6, as float32 allows).
 * NaN never passes. `expected` may be a tensor, a nested array or a number.
 */
export async function assertAllClose(
  actual: tf.Tensor,
  expected: tf.Tensor | tf.TensorLike | number,
  { rtol = 1e-5, atol = 1e-6 }: Tolerance = {},
  what = "tensor",
): Promise<void> {
  const want = expected instanceof tf.Tensor ? expected : tf.tensor(expected as tf.TensorLike);
  assertShape(actual, want.shape, what);
  const [a, e] = [await actual.data(), await want.data()];
  for (let i = 0; i < e.length; i++) {
    const ai = Number(a[i]), ei = Number(e[i]);
    if (!(Math.abs(ai - ei) <= atol + rtol * Math.abs(ei))) {
      const index = tf.util.indexToLoc(i, want.rank, tf.util.computeStrides(want.shape));
      throw new AssertionError(
        `${what}[${want.rank ? index : ""}] is ${ai}, expected ${ei} ` +
          `(allowed difference ${(atol + rtol * Math.abs(ei)).toExponential(1)}).`,
      );
    }
  }
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return "an array (wrap it with tf.tensor)";
  return x === null ? "null" : typeof x;
}
