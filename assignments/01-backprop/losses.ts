/**
 * Task 3 — Loss functions and regularisation, each returning its value and gradient.
 *
 * A loss turns class scores into one number to minimise, and its gradient
 * with respect to the scores starts backpropagation. Both losses average over
 * the N examples, so their gradients carry a factor 1/N.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { NotImplementedError } from "../../lib/errors.ts";

/**
 * Softmax cross-entropy: L = −(1/N) Σᵢ log softmax(scoresᵢ)[yᵢ].
 *
 * Numerically stable for any scores (±1e4 included): subtract each row's
 * maximum first, which changes no probability, and use
 * log softmax(s)ⱼ = sⱼ − log Σₖ e^{sₖ} (the log-sum-exp).
 *
 * @param scores class scores, shape [N, C]
 * @param y correct classes, int32, shape [N], each in 0…C−1
 * @returns [loss, dscores]: loss is a scalar; dscores = (softmax(scores) − onehot(y)) / N, shape [N, C]
 */
export function softmaxLoss(scores: tf.Tensor2D, y: tf.Tensor1D): [tf.Scalar, tf.Tensor2D] {
  // TODO: Implement for Task 3.
  throw new NotImplementedError("softmaxLoss", 3);
}

/**
 * Multiclass SVM (hinge) loss: L = (1/N) Σᵢ Σ_{j≠yᵢ} max(0, sⱼ − s_{yᵢ} + Δ).
 *
 * @param scores class scores, shape [N, C]
 * @param y correct classes, int32, shape [N]
 * @param delta the margin Δ, default 1
 * @returns [loss, dscores]: loss is a scalar, dscores has shape [N, C]
 */
export function svmLoss(scores: tf.Tensor2D, y: tf.Tensor1D, delta = 1): [tf.Scalar, tf.Tensor2D] {
  // TODO: Implement for Task 3.
  throw new NotImplementedError("svmLoss", 3);
}

/**
 * L2 regularisation (weight decay): R = ½·reg·Σ w².
 *
 * @param w weights, any shape
 * @param reg the strength, ≥ 0
 * @returns [loss, dw]: loss is a scalar, dw = reg·w has the shape of w
 */
export function l2Regularization(w: tf.Tensor, reg: number): [tf.Scalar, tf.Tensor] {
  // TODO: Implement for Task 3.
  throw new NotImplementedError("l2Regularization", 3);
}

/**
 * L1 regularisation: R = reg·Σ |w|. It pushes weights to exactly zero (sparsity).
 *
 * @param w weights, any shape
 * @param reg the strength, ≥ 0
 * @returns [loss, dw]: loss is a scalar, dw = reg·sign(w) has the shape of w (sign(0) = 0:
 *   a weight at exactly zero gets no pull)
 */
export function l1Regularization(w: tf.Tensor, reg: number): [tf.Scalar, tf.Tensor] {
  // TODO: Implement for Task 3.
  throw new NotImplementedError("l1Regularization", 3);
}
