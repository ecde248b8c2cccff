/**
 * Mini-batches: one epoch over (x, y) in a seeded random order.
 *
 * Each call of {@linkcode batches} is one epoch: it draws a permutation of
 * the rows from `rng` and yields consecutive slices of it, the last one
 * smaller if N is not a multiple of the batch size. Give the same `rng` to
 * the next epoch's call to get a new order; two generators seeded alike give
 * the same batches.
 *
 * **Who disposes:** the iterator. A batch's tensors are disposed when the
 * next batch is asked for, or when the loop ends (also by `break` or an
 * exception). Use them inside the loop body; to keep one, `tf.clone` it.
 *
 * @example
 * ```ts
 * import { batches } from "./batches.ts";
 * import { Rng } from "./random.ts";
 * const rng = new Rng(0);
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const { x, y } of batches(xTrain, yTrain, 64, rng)) {
 *     // x: [≤64, D] rows of xTrain, y: their labels
 *   }
 * }
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "./random.ts";

/**
 * Yields `{ x, y }` mini-batches covering every row once, in an order drawn from `rng`.
 *
 * @param x [N, …] features.
 * @param y [N, …] targets (labels or one-hot rows).
 * @param batchSize rows per batch, a positive integer.
 * @param rng drawn from once per call, for the order.
 * @returns a generator of batches [≤batchSize, …], disposed by the generator (see the module doc).
 */
export function* batches<X extends tf.Tensor, Y extends tf.Tensor>(
  x: X,
  y: Y,
  batchSize: number,
  rng: Rng,
): Generator<{ x: X; y: Y }> {
  if (x.shape[0] !== y.shape[0]) {
    throw new Error(`batches: x has ${x.shape[0]} rows but y has ${y.shape[0]}; they must match.`);
  }
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new Error(`batches: batchSize must be a positive integer, got ${batchSize}.`);
  }
  const order = rng.permutation(x.shape[0]);
  for (let start = 0; start < order.length; start += batchSize) {
    const batch = tf.tidy(() => {
      const rows = tf.tensor1d(order.subarray(start, start + batchSize), "int32");
      return { x: tf.gather(x, rows) as X, y: tf.gather(y, rows) as Y };
    });
    try {
      yield batch;
    } finally {
      tf.dispose([batch.x, batch.y]);
    }
  }
}
