/**
 * Task 5 — A two-layer network: affine → ReLU → affine → softmax.
 *
 * The network is plain data (its parameters) and plain functions, so the
 * gradient checker can treat the whole net as one function of W1, b1, W2, b2.
 *
 *     scores = relu(X·W1 + b1)·W2 + b2
 *     loss   = softmaxLoss(scores, y) + ½·reg·(‖W1‖² + ‖W2‖²)
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { randn, type Rng } from "../../lib/random.ts";
import { affineBackward, affineForward, affineReluBackward, affineReluForward } from "./layers.ts";
import { l2Regularization, softmaxLoss } from "./losses.ts";
import { NotImplementedError } from "../../lib/errors.ts";

/** The learnable parameters, D inputs, H hidden units, C classes. */
export type TwoLayerNetParams = {
  /** first-layer weights, shape [D, H] */
  W1: tf.Tensor2D;
  /** first-layer biases, shape [H] */
  b1: tf.Tensor1D;
  /** second-layer weights, shape [H, C] */
  W2: tf.Tensor2D;
  /** second-layer biases, shape [C] */
  b2: tf.Tensor1D;
};

/**
 * He initialisation: each weight drawn from N(0, 2/fan_in), where fan_in is the
 * number of inputs of its layer; biases zero. The factor 2 makes up for ReLU
 * zeroing half its inputs, so activations keep their scale layer after layer.
 *
 * @param rng the random source (draw W1 first, then W2)
 * @param inputDim D
 * @param hiddenDim H
 * @param numClasses C
 * @returns parameters with the shapes of {@linkcode TwoLayerNetParams}
 */
export function initTwoLayerNet(
  rng: Rng,
  inputDim: number,
  hiddenDim: number,
  numClasses: number,
): TwoLayerNetParams {
  // TODO: Implement for Task 5.
  throw new NotImplementedError("initTwoLayerNet", 5);
}

/**
 * The class scores.
 *
 * @param params the network
 * @param X inputs, shape [N, D]
 * @returns scores, shape [N, C]
 */
export function twoLayerNetScores(params: TwoLayerNetParams, X: tf.Tensor2D): tf.Tensor2D {
  // TODO: Implement for Task 5.
  throw new NotImplementedError("twoLayerNetScores", 5);
}

/**
 * The loss and its gradient with respect to every parameter: forward through
 * the layers keeping their caches, then backward through them in reverse.
 *
 * @param params the network
 * @param X inputs, shape [N, D]
 * @param y correct classes, int32, shape [N]
 * @param reg L2 strength on W1 and W2 (not on biases)
 * @returns the scalar loss, and grads with the keys and shapes of params
 */
export function twoLayerNetLoss(
  params: TwoLayerNetParams,
  X: tf.Tensor2D,
  y: tf.Tensor1D,
  reg: number,
): { loss: tf.Scalar; grads: TwoLayerNetParams } {
  // TODO: Implement for Task 5.
  throw new NotImplementedError("twoLayerNetLoss", 5);
}

/**
 * The predicted class of each input: the index of its largest score.
 *
 * @param params the network
 * @param X inputs, shape [N, D]
 * @returns classes, int32, shape [N]
 */
export function predict(params: TwoLayerNetParams, X: tf.Tensor2D): tf.Tensor1D {
  // TODO: Implement for Task 5.
  throw new NotImplementedError("predict", 5);
}

/**
 * One step of stochastic gradient descent: every parameter moves against its gradient.
 *
 *     p ← p − learningRate · dp
 *
 * @param params the network
 * @param grads gradients with the keys and shapes of params
 * @param learningRate the step size
 * @returns the updated parameters (new tensors; params is left as it was)
 */
export function sgdStep(
  params: TwoLayerNetParams,
  grads: TwoLayerNetParams,
  learningRate: number,
): TwoLayerNetParams {
  // TODO: Implement for Task 5.
  throw new NotImplementedError("sgdStep", 5);
}
