// Gates whose forward passes return zeros and whose backward passes return ones, of
// the right shapes: every gates test fails with them (the gradients disagree with
// the forward passes), unless an attack on the grader makes failing tests pass. The hostile cases that
// attack use these, so a working attack would show as a higher score.
import * as tf from "@tensorflow/tfjs";

const zeros = (x: tf.Tensor, y: tf.Tensor) => [tf.zerosLike(x), { x, y }] as const;
const ones = (dout: tf.Tensor) => ({ dx: tf.onesLike(dout), dy: tf.onesLike(dout) });

export const addForward = zeros;
export const addBackward = ones;
export const multiplyForward = zeros;
export const multiplyBackward = ones;
export const maxForward = zeros;
export const maxBackward = ones;

export function sigmoidNeuronForward(w: tf.Tensor1D, x: tf.Tensor1D) {
  return [tf.scalar(0), { w, x, out: tf.scalar(0) }] as const;
}

export function sigmoidNeuronBackward(_dout: tf.Scalar, { w, x }: { w: tf.Tensor1D; x: tf.Tensor1D }) {
  return { dw: tf.onesLike(w), dx: tf.onesLike(x) };
}
