/**
 * Task 4 — Layers applied at every time step: an affine layer from hidden
 * states to character scores, and the softmax loss of those scores.
 *
 * Both act on [N, T, …] tensors as if the N·T positions were one batch of
 * N·T examples: reshape to [N·T, …], do what the ordinary layer does, and
 * reshape back.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { NotImplementedError } from "../../lib/errors.ts";

/** What temporalAffineBackward needs from the forward pass. */
export interface TemporalAffineCache {
  x: tf.Tensor3D;
  w: tf.Tensor2D;
}

/**
 * Task 4 — Temporal affine, forward: out[n, t, :] = x[n, t, :]·w + b.
 *
 * @param x inputs, shape [N, T, D]
 * @param w weights, shape [D, M]
 * @param b biases, shape [M]
 * @returns [out, cache]: out has shape [N, T, M]
 */
export function temporalAffineForward(
  x: tf.Tensor3D,
  w: tf.Tensor2D,
  b: tf.Tensor1D,
): [tf.Tensor3D, TemporalAffineCache] {
  // TODO: Implement for Task 4.
  throw new NotImplementedError("temporalAffineForward", 4);
}

/**
 * Task 4 — Temporal affine, backward.
 *
 * @param dout upstream gradient, shape [N, T, M]
 * @param cache from temporalAffineForward
 * @returns dx [N, T, D], dw [D, M], db [M]
 */
export function temporalAffineBackward(
  dout: tf.Tensor3D,
  cache: TemporalAffineCache,
): { dx: tf.Tensor3D; dw: tf.Tensor2D; db: tf.Tensor1D } {
  // TODO: Implement for Task 4.
  throw new NotImplementedError("temporalAffineBackward", 4);
}

/**
 * Task 4 — Softmax cross-entropy at every time step, averaged over the
 * positions the mask keeps:
 *
 *     loss = −Σ_{n,t} mask[n,t]·log softmax(x[n,t,:])[y[n,t]]  /  Σ_{n,t} mask[n,t]
 *
 * Masked positions (mask 0: padding after a sequence's end, say) add nothing
 * to the loss and get a zero gradient. With the mean over the kept positions,
 * the loss is the average negative log-likelihood per character: exp(loss)
 * is the perplexity of the batch.
 *
 * Stable for any scores: subtract each row's maximum first (assignment 1's softmaxLoss).
 *
 * @param x scores, shape [N, T, V]
 * @param y the correct characters, int32, shape [N, T], each in 0…V−1
 * @param mask 1 where a position counts, 0 where it does not, float32, shape [N, T];
 *   default: every position counts
 * @returns [loss, dx]: loss is a scalar, dx has shape [N, T, V]
 */
export function temporalSoftmaxLoss(
  x: tf.Tensor3D,
  y: tf.Tensor2D,
  mask?: tf.Tensor2D,
): [tf.Scalar, tf.Tensor3D] {
  checkMask(x, y, mask);
  // TODO: Implement for Task 4.
  throw new NotImplementedError("temporalSoftmaxLoss", 4);
}

/** Throws, saying what is wrong, unless y and mask have shape [N, T] for scores x of shape [N, T, V]. */
function checkMask(x: tf.Tensor3D, y: tf.Tensor2D, mask?: tf.Tensor2D): void {
  const [n, t] = x.shape;
  if (!tf.util.arraysEqual(y.shape, [n, t])) {
    throw new Error(
      `temporalSoftmaxLoss: y must have shape [N, T] = [${n}, ${t}] for scores of shape ` +
        `[${x.shape}], got [${y.shape}].`,
    );
  }
  if (mask && !tf.util.arraysEqual(mask.shape, [n, t])) {
    throw new Error(
      `temporalSoftmaxLoss: mask must have shape [N, T] = [${n}, ${t}], got [${mask.shape}].`,
    );
  }
}
