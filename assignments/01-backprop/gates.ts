/**
 * Task 1 — The gates of a computational graph.
 *
 * Backpropagation is the chain rule applied gate by gate: each gate gets the
 * gradient of the loss with respect to its output (`dout`) and passes back
 * the gradient with respect to each input, `dout × (local derivative)`.
 * Three gates show the three ways a gradient can flow:
 *
 * - add routes `dout` unchanged to both inputs;
 * - multiply swaps: each input gets `dout` times the *other* input;
 * - max routes `dout` to the larger input and gives the other nothing.
 *
 * All gates here are element-wise: `x` and `y` have the same shape, and so do
 * `out`, `dout`, `dx` and `dy`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { NotImplementedError } from "../../lib/errors.ts";

/** The inputs a binary gate's backward pass needs. */
export interface GateCache {
  x: tf.Tensor;
  y: tf.Tensor;
}

/** The gradients a binary gate passes back. */
export interface GateGrads {
  /** ∂L/∂x, shape of x. */
  dx: tf.Tensor;
  /** ∂L/∂y, shape of y. */
  dy: tf.Tensor;
}

/**
 * Add gate, forward: out = x + y.
 *
 * @param x any shape
 * @param y the shape of x
 * @returns [out, cache]: out has the shape of x
 */
export function addForward(x: tf.Tensor, y: tf.Tensor): [tf.Tensor, GateCache] {
  // TODO: Implement for Task 1.
  throw new NotImplementedError("addForward", 1);
}

/**
 * Add gate, backward.
 *
 * @param dout upstream gradient ∂L/∂out, shape of out
 * @param _cache from addForward (unused: the add gate's local derivatives are 1)
 * @returns dx and dy, each the shape of dout
 */
export function addBackward(dout: tf.Tensor, _cache: GateCache): GateGrads {
  // TODO: Implement for Task 1.
  throw new NotImplementedError("addBackward", 1);
}

/**
 * Multiply gate, forward: out = x ⊙ y (element-wise).
 *
 * @param x any shape
 * @param y the shape of x
 * @returns [out, cache]: out has the shape of x
 */
export function multiplyForward(x: tf.Tensor, y: tf.Tensor): [tf.Tensor, GateCache] {
  // TODO: Implement for Task 1.
  throw new NotImplementedError("multiplyForward", 1);
}

/**
 * Multiply gate, backward: each input's gradient is dout times the other input.
 *
 * @param dout upstream gradient, shape of out
 * @param cache from multiplyForward
 * @returns dx and dy, each the shape of dout
 */
export function multiplyBackward(dout: tf.Tensor, cache: GateCache): GateGrads {
  // TODO: Implement for Task 1.
  throw new NotImplementedError("multiplyBackward", 1);
}

/**
 * Max gate, forward: out = max(x, y) (element-wise).
 *
 * @param x any shape
 * @param y the shape of x
 * @returns [out, cache]: out has the shape of x
 */
export function maxForward(x: tf.Tensor, y: tf.Tensor): [tf.Tensor, GateCache] {
  // TODO: Implement for Task 1.
  throw new NotImplementedError("maxForward", 1);
}

/**
 * Max gate, backward: dout goes to whichever input was larger (to x on a tie).
 *
 * @param dout upstream gradient, shape of out
 * @param cache from maxForward
 * @returns dx and dy, each the shape of dout
 */
export function maxBackward(dout: tf.Tensor, cache: GateCache): GateGrads {
  // TODO: Implement for Task 1.
  throw new NotImplementedError("maxBackward", 1);
}

/** What sigmoidNeuronBackward needs from the forward pass. */
export interface NeuronCache {
  w: tf.Tensor1D;
  x: tf.Tensor1D;
  /** The output σ(w·x + b), kept because σ′ = σ(1 − σ). */
  out: tf.Scalar;
}

/**
 * A sigmoid neuron, forward: f = σ(w₀x₀ + w₁x₁ + … + b), with the bias stored last in w.
 *
 * @param w weights then bias, shape [D + 1]
 * @param x inputs, shape [D]
 * @returns [f, cache]: f is a scalar
 */
export function sigmoidNeuronForward(w: tf.Tensor1D, x: tf.Tensor1D): [tf.Scalar, NeuronCache] {
  // TODO: Implement for Task 1.
  throw new NotImplementedError("sigmoidNeuronForward", 1);
}

/**
 * A sigmoid neuron, backward, by hand: through σ, then the add, then each multiply.
 *
 * @param dout upstream gradient ∂L/∂f, a scalar
 * @param cache from sigmoidNeuronForward
 * @returns dw of shape [D + 1] (bias last) and dx of shape [D]
 */
export function sigmoidNeuronBackward(
  dout: tf.Scalar,
  cache: NeuronCache,
): { dw: tf.Tensor1D; dx: tf.Tensor1D } {
  // TODO: Implement for Task 1.
  throw new NotImplementedError("sigmoidNeuronBackward", 1);
}
