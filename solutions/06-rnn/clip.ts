/**
 * Task 5 — Gradient clipping by global norm.
 *
 * Backpropagation through T steps multiplies the gradient by the recurrent
 * weights T times. Where that product grows, one unlucky batch can give a
 * gradient thousands of times larger than usual, and one step along it
 * throws the weights far away: the loss jumps and training may never
 * recover. Clipping caps the step's size and keeps its direction:
 *
 *     norm = √(Σ over every parameter p of Σ dp²)          the global norm
 *     if norm > maxNorm:  every dp ← dp · maxNorm / norm
 *
 * All gradients are scaled by the same factor, so the update still points
 * the way the gradient does (clipping each gradient on its own, or each
 * element, would change the direction).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Task 5 — Scales every gradient by one factor so that their global norm is
 * at most `maxNorm`; gradients whose norm is already at most `maxNorm` come
 * back with their values unchanged.
 *
 * Stay on the device: compute the scale with tfjs ops (`tf.minimum` helps)
 * rather than reading the norm, so that clipping costs no round trip.
 *
 * @param grads gradients by name, any shapes
 * @param maxNorm the largest global norm allowed, > 0
 * @returns the clipped gradients (same names and shapes), and the global
 *   norm before clipping, a scalar (the training loop records it)
 */
export function clipGradients<G extends Record<string, tf.Tensor>>(
  grads: G,
  maxNorm: number,
): { grads: G; norm: tf.Scalar } {
  if (!(maxNorm > 0 && maxNorm < Infinity)) {
    throw new Error(`clipGradients: maxNorm must be a positive number, got ${maxNorm}.`);
  }
  // BEGIN SOLUTION (Task 5)
  const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
  const scale = tf.minimum(1, tf.div(maxNorm, norm));
  const clipped = Object.fromEntries(
    Object.entries(grads).map(([name, g]) => [name, tf.mul(g, scale)]),
  ) as G;
  return { grads: clipped, norm };
  // END SOLUTION
}
