// Hostile submission: answers of the wrong kind — NaN, a wrong shape, a wrong dtype,
// and a plain number where a tensor belongs.
// Honest failures: every gates test fails (12 points): 88/100.
import * as tf from "@tensorflow/tfjs";
export * from "./honest_gates.ts";

export function addForward(x: tf.Tensor, y: tf.Tensor) {
  return [tf.fill(x.shape, NaN), { x, y }] as const;
}

export function multiplyForward(x: tf.Tensor, y: tf.Tensor) {
  return [tf.mul(x, y).reshape([-1]), { x, y }] as const;
}

export function maxForward(x: tf.Tensor, y: tf.Tensor) {
  return [tf.greater(x, y), { x, y }] as const;
}

export function sigmoidNeuronForward(w: tf.Tensor1D, x: tf.Tensor1D) {
  return [0.7311, { w, x, out: tf.scalar(0.7311) }] as const;
}
