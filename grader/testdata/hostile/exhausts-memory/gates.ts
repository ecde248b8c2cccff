// Hostile submission: multiplyForward fills the JavaScript heap; maxForward allocates
// ArrayBuffers (outside the heap) until the process is huge.
// Honest failures: "multiply gate", "max gate" and the gradient check (which calls
// multiplyForward) run out of memory: 94/100.
import type * as tf from "@tensorflow/tfjs";
export * from "./honest_gates.ts";

const hoard: unknown[] = [];

export function multiplyForward(_x: tf.Tensor, _y: tf.Tensor): never {
  while (true) hoard.push(new Array(2 ** 23).fill(1.5));
}

export function maxForward(_x: tf.Tensor, _y: tf.Tensor): never {
  while (true) hoard.push(new Float64Array(2 ** 25).fill(1));
}
