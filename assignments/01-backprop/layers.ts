/**
 * Task 2 — Layers as forward/backward pairs.
 *
 * Every layer is two functions, as in CS231n's `layers.py`:
 *
 *     const [out, cache] = layerForward(x, ...params);
 *     const grads = layerBackward(dout, cache);
 *
 * The forward pass returns its output and a cache of whatever the backward
 * pass will need; the backward pass takes the upstream gradient `dout`
 * (∂L/∂out, the shape of `out`) and returns the gradient of the loss with
 * respect to each input, each the shape of that input.
 *
 * Write every pass with tfjs ops on whole tensors: no loops over examples,
 * and no reads of tensor values (`data()`, `array()`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { NotImplementedError } from "../../lib/errors.ts";

/** What affineBackward needs from the forward pass. */
export interface AffineCache {
  x: tf.Tensor;
  w: tf.Tensor2D;
  b: tf.Tensor1D;
}

/**
 * Affine (fully connected) layer, forward: out = x·w + b.
 *
 * Each example may have any shape (an image [H, W, C], say); it is flattened
 * to a row of D = d₁·…·d_k numbers first.
 *
 * @param x inputs, shape [N, d₁, …, d_k]
 * @param w weights, shape [D, M]
 * @param b biases, shape [M]
 * @returns [out, cache]: out has shape [N, M]
 */
export function affineForward(
  x: tf.Tensor,
  w: tf.Tensor2D,
  b: tf.Tensor1D,
): [tf.Tensor2D, AffineCache] {
  // TODO: Implement for Task 2.
  throw new NotImplementedError("affineForward", 2);
}

/**
 * Affine layer, backward.
 *
 * @param dout upstream gradient, shape [N, M]
 * @param cache from affineForward
 * @returns dx of shape [N, d₁, …, d_k] (the shape of x), dw of shape [D, M], db of shape [M]
 */
export function affineBackward(
  dout: tf.Tensor2D,
  cache: AffineCache,
): { dx: tf.Tensor; dw: tf.Tensor2D; db: tf.Tensor1D } {
  // TODO: Implement for Task 2.
  throw new NotImplementedError("affineBackward", 2);
}

/**
 * ReLU, forward: out = max(0, x), element-wise.
 *
 * @param x any shape
 * @returns [out, cache]: out has the shape of x; the cache is x
 */
export function reluForward(x: tf.Tensor): [tf.Tensor, tf.Tensor] {
  // TODO: Implement for Task 2.
  throw new NotImplementedError("reluForward", 2);
}

/**
 * ReLU, backward: a max gate against 0, so dout passes where x > 0 and stops elsewhere.
 *
 * @param dout upstream gradient, shape of x
 * @param x the cache from reluForward
 * @returns dx, shape of x
 */
export function reluBackward(dout: tf.Tensor, x: tf.Tensor): { dx: tf.Tensor } {
  // TODO: Implement for Task 2.
  throw new NotImplementedError("reluBackward", 2);
}

/**
 * Leaky ReLU, forward: out = x where x > 0, αx elsewhere.
 *
 * @param x any shape
 * @param alpha slope for x < 0, default 0.01
 * @returns [out, cache]: out has the shape of x
 */
export function leakyReluForward(
  x: tf.Tensor,
  alpha = 0.01,
): [tf.Tensor, { x: tf.Tensor; alpha: number }] {
  // TODO: Implement for Task 2.
  throw new NotImplementedError("leakyReluForward", 2);
}

/**
 * Leaky ReLU, backward.
 *
 * @param dout upstream gradient, shape of x
 * @param cache from leakyReluForward
 * @returns dx, shape of x
 */
export function leakyReluBackward(
  dout: tf.Tensor,
  cache: { x: tf.Tensor; alpha: number },
): { dx: tf.Tensor } {
  // TODO: Implement for Task 2.
  throw new NotImplementedError("leakyReluBackward", 2);
}

/**
 * Sigmoid, forward: out = σ(x) = 1 / (1 + e⁻ˣ), element-wise.
 *
 * @param x any shape
 * @returns [out, cache]: out has the shape of x; the cache is out, since σ′ = σ(1 − σ)
 */
export function sigmoidForward(x: tf.Tensor): [tf.Tensor, tf.Tensor] {
  // TODO: Implement for Task 2.
  throw new NotImplementedError("sigmoidForward", 2);
}

/**
 * Sigmoid, backward.
 *
 * @param dout upstream gradient, shape of x
 * @param out the cache from sigmoidForward
 * @returns dx, shape of x
 */
export function sigmoidBackward(dout: tf.Tensor, out: tf.Tensor): { dx: tf.Tensor } {
  // TODO: Implement for Task 2.
  throw new NotImplementedError("sigmoidBackward", 2);
}

/**
 * Tanh, forward, element-wise.
 *
 * @param x any shape
 * @returns [out, cache]: out has the shape of x; the cache is out, since tanh′ = 1 − tanh²
 */
export function tanhForward(x: tf.Tensor): [tf.Tensor, tf.Tensor] {
  // TODO: Implement for Task 2.
  throw new NotImplementedError("tanhForward", 2);
}

/**
 * Tanh, backward.
 *
 * @param dout upstream gradient, shape of x
 * @param out the cache from tanhForward
 * @returns dx, shape of x
 */
export function tanhBackward(dout: tf.Tensor, out: tf.Tensor): { dx: tf.Tensor } {
  // TODO: Implement for Task 2.
  throw new NotImplementedError("tanhBackward", 2);
}

/** What affineReluBackward needs: the caches of its two parts. */
export interface AffineReluCache {
  affine: AffineCache;
  relu: tf.Tensor;
}

/**
 * Affine then ReLU, forward: the building block of a fully connected net.
 *
 * @param x inputs, shape [N, d₁, …, d_k]
 * @param w weights, shape [D, M]
 * @param b biases, shape [M]
 * @returns [out, cache]: out has shape [N, M]
 */
export function affineReluForward(
  x: tf.Tensor,
  w: tf.Tensor2D,
  b: tf.Tensor1D,
): [tf.Tensor2D, AffineReluCache] {
  // TODO: Implement for Task 2.
  throw new NotImplementedError("affineReluForward", 2);
}

/**
 * Affine then ReLU, backward: the two backward passes in reverse order.
 *
 * @param dout upstream gradient, shape [N, M]
 * @param cache from affineReluForward
 * @returns dx (shape of x), dw of shape [D, M], db of shape [M]
 */
export function affineReluBackward(
  dout: tf.Tensor2D,
  cache: AffineReluCache,
): { dx: tf.Tensor; dw: tf.Tensor2D; db: tf.Tensor1D } {
  // TODO: Implement for Task 2.
  throw new NotImplementedError("affineReluBackward", 2);
}
