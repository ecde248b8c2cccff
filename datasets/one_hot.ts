/**
 * One-hot encoding: label k of K classes becomes a row of K numbers, all 0 but a 1 at k.
 *
 * Unlike `tf.oneHot`, which turns a label outside 0…K−1 into a silent row of
 * zeros and returns int32, this checks every label and returns float32, the
 * dtype losses expect.
 *
 * @example
 * ```ts
 * import { oneHot } from "./one_hot.ts";
 * oneHot([2, 0], 3); // Tensor2D float32 [[0, 0, 1], [1, 0, 0]]
 * // labels held in a tensor: oneHot(await yTrain.data(), 10)
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * One-hot rows for `labels`.
 *
 * @param labels N class labels, integers 0…classes−1.
 * @param classes K, the number of classes.
 * @returns float32 [N, K].
 * @throws Error naming the first label that is not an integer in 0…K−1.
 */
export function oneHot(labels: ArrayLike<number>, classes: number): tf.Tensor2D {
  if (!(Number.isInteger(classes) && classes >= 1)) {
    throw new Error(`oneHot: classes must be a positive integer, got ${classes}.`);
  }
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i];
    if (!(Number.isInteger(k) && k >= 0 && k < classes)) {
      throw new Error(`oneHot: label ${k} at index ${i} is not an integer in 0…${classes - 1}.`);
    }
    out[i * classes + k] = 1;
  }
  return tf.tensor2d(out, [labels.length, classes], "float32");
}
