// Hostile submission: addForward answers correctly but leaves a timer that throws,
// an uncaught error that cancels the rest of its test file.
// Honest failures: the two tests that call addForward ("add gate", the gradient
// check) fail; the others, run again on their own, pass: 96/100.
import type * as tf from "@tensorflow/tfjs";
import * as honest from "./honest_gates.ts";
export * from "./honest_gates.ts";

export function addForward(x: tf.Tensor, y: tf.Tensor) {
  setTimeout(() => {
    throw new Error("a timer bomb left by addForward");
  }, 0);
  return honest.addForward(x, y);
}
