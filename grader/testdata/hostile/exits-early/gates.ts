// Hostile submission: ends the process from inside functions, three ways.
// Honest failures: the tests that call multiplyForward ("multiply gate", the gradient
// check), maxForward ("max gate") or sigmoidNeuronForward (both sigmoid tests) fail;
// "add gate" passes: 90/100.
import type * as tf from "@tensorflow/tfjs";
import process from "node:process";
export * from "./honest_gates.ts";

export function multiplyForward(_x: tf.Tensor, _y: tf.Tensor): never {
  (globalThis as unknown as { close(): never }).close();
  throw new Error("unreachable");
}

export function maxForward(_x: tf.Tensor, _y: tf.Tensor): never {
  Deno.exit(0);
}

export function sigmoidNeuronForward(_w: tf.Tensor1D, _x: tf.Tensor1D): never {
  process.exit(0);
}
