// Hostile submission: addForward never returns (a synchronous infinite loop).
// Honest failures: the two tests that call addForward time out ("add gate", and the
// gradient check, which starts with it): 96/100. The others must still pass.
import type * as tf from "@tensorflow/tfjs";
export * from "./honest_gates.ts";

export function addForward(_x: tf.Tensor, _y: tf.Tensor): never {
  while (true) {
    // spin
  }
}
