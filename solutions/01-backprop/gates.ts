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
  // BEGIN SOLUTION (Task 1)
  return [tf.add(x, y), { x, y }];
  // END SOLUTION
}

/**
 * Add gate, backward.
 *
 * @param dout upstream gradient ∂L/∂out, shape of out
 * @param _cache from addForward (unused: the add gate's local derivatives are 1)
 * @returns dx and dy, each the shape of dout
 */
export function addBackward(dout: tf.Tensor, _cache: GateCache): GateGrads {
  // BEGIN SOLUTION (Task 1)
  return { dx: dout, dy: dout }; // local derivatives are 1: nothing from the forward pass is needed
  // END SOLUTION
}

/**
 * Multiply gate, forward: out = x ⊙ y (element-wise).
 *
 * @param x any shape
 * @param y the shape of x
 * @returns [out, cache]: out has the shape of x
 */
export function multiplyForward(x: tf.Tensor, y: tf.Tensor): [tf.Tensor, GateCache] {
  // BEGIN SOLUTION (Task 1)
  return [tf.mul(x, y), { x, y }];
  // END SOLUTION
}

/**
 * Multiply gate, backward: each input's gradient is dout times the other input.
 *
 * @param dout upstream gradient, shape of out
 * @param cache from multiplyForward
 * @returns dx and dy, each the shape of dout
 */
export function multiplyBackward(dout: tf.Tensor, cache: GateCache): GateGrads {
  // BEGIN SOLUTION (Task 1)
  const { x, y } = cache;
  return { dx: tf.mul(dout, y), dy: tf.mul(dout, x) };
  // END SOLUTION
}

/**
 * Max gate, forward: out = max(x, y) (element-wise).
 *
 * @param x any shape
 * @param y the shape of x
 * @returns [out, cache]: out has the shape of x
 */
export function maxForward(x: tf.Tensor, y: tf.Tensor): [tf.Tensor, GateCache] {
  // BEGIN SOLUTION (Task 1)
  return [tf.maximum(x, y), { x, y }];
  // END SOLUTION
}

/**
 * Max gate, backward: dout goes to whichever input was larger (to x on a tie).
 *
 * @param dout upstream gradient, shape of out
 * @param cache from maxForward
 * @returns dx and dy, each the shape of dout
 */
export function maxBackward(dout: tf.Tensor, cache: GateCache): GateGrads {
  // BEGIN SOLUTION (Task 1)
  const xWon = tf.greaterEqual(cache.x, cache.y);
  return {
    dx: tf.where(xWon, dout, tf.zerosLike(dout)),
    dy: tf.where(xWon, tf.zerosLike(dout), dout),
  };
  // END SOLUTION
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
  // BEGIN SOLUTION (Task 1)
  const d = x.shape[0];
  const z = tf.add(tf.dot(w.slice(0, d), x), w.slice(d, 1).reshape([]));
  const out = tf.sigmoid(z) as tf.Scalar;
  return [out, { w, x, out }];
  // END SOLUTION
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
  // BEGIN SOLUTION (Task 1)
  const { w, x, out } = cache;
  const d = x.shape[0];
  const dz = tf.mul(dout, tf.mul(out, tf.sub(1, out))); // σ′(z) = σ(z)(1 − σ(z))
  const dw = tf.concat([tf.mul(dz, x), dz.reshape([1])]) as tf.Tensor1D; // multiply gates swap; the bias sees dz
  const dx = tf.mul(dz, w.slice(0, d)) as tf.Tensor1D;
  return { dw, dx };
  // END SOLUTION
}
