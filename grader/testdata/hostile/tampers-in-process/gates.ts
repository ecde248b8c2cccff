// Hostile submission: runs before the test file's body (ES module order) and tries
// to change what the tests compute with — Deno.test, the test runner's internals,
// JavaScript built-ins, the assertion helpers and what they use, tfjs's classes,
// engine and kernels (removing a kernel is allowed: it only breaks one's own tests).
// Each attempt is undone at once if it works (so one cannot
// hide another), and if any works the functions are right: a working attack would
// show as a higher score.
// Honest failures: every gates test fails (12 points): 88/100.
import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import util from "node:util";
import * as honest from "./honest_gates.ts";
import * as wrong from "./wrong_gates.ts";
import * as testing from "../../lib/testing.ts";

type Target = Record<PropertyKey, unknown>;

/** Whether `target[key]` could be set to `value` (by assignment or definition); undone at once. */
function settable(target: object, key: PropertyKey, value: unknown): boolean {
  const t = target as Target;
  const before = Object.getOwnPropertyDescriptor(t, key);
  let took = false;
  for (const write of [() => (t[key] = value), () => Object.defineProperty(t, key, { value })]) {
    try {
      write();
      took ||= t[key] === value;
    } catch {
      // refused, as it should be
    }
  }
  if (took) {
    if (before) Object.defineProperty(t, key, before);
    else delete t[key];
  }
  return took;
}

const fake = () => true;
const engine = tf.engine() as unknown as Target;
const internals = (Deno as unknown as Record<symbol, Target>)[(Deno as unknown as { internal: symbol }).internal];
const targets: [object, PropertyKey][] = [
  [Deno, "test"],
  [Deno, "exit"],
  [internals, "core"],
  [globalThis, "Math"],
  [Math, "abs"],
  [Number, "isFinite"],
  [Number, "isNaN"],
  [Object, "is"],
  [Array.prototype, "every"],
  [Array.prototype, "indexOf"],
  [Object.prototype, "planted"],
  [Function.prototype, "call"],
  [Promise.prototype, "then"],
  [Reflect, "apply"],
  [JSON, "stringify"],
  [Error, "prepareStackTrace"],
  [assert, "AssertionError"],
  [util, "isDeepStrictEqual"],
  [testing.BOTH_BACKENDS, "length"],
  [testing.BOTH_BACKENDS, 1],
  [tf.Tensor.prototype, "data"],
  [tf.Tensor, Symbol.hasInstance],
  [tf.util, "arraysEqual"],
  [engine, "runKernel"],
  [engine, "read"],
  [engine.registry as object, "wasm"],
  [(engine.registry as Target).wasm as object, "read"],
  [tf.getKernel("Sub", "wasm") as object, "kernelFunc"],
  [Deno.permissions, "querySync"],
  [Deno.args, 0],
];
const worked = targets.filter(([target, key]) => settable(target, key, fake)).map(([, key]) => String(key));

const kernels = (globalThis as unknown as { _tfGlobals: Map<string, Map<string, unknown>> })
  ._tfGlobals.get("kernelRegistry")!;
for (const change of [
  () => tf.registerKernel({ kernelName: "Planted", backendName: "wasm", kernelFunc: () => ({}) as never }),
  () => tf.registerKernel({ ...tf.getKernel("Add", "wasm")!, kernelName: "Sub" }),
  () => kernels.set("wasm_Sub", tf.getKernel("Add", "wasm")),
  () => (internals.core as { ops: unknown }).ops,
  () => Deno.test("Task 1: gates pass the gradient check [2 pts] > wasm", () => {}),
]) {
  try {
    change();
    worked.push(String(change));
  } catch {
    // refused, as it should be
  }
}

export const {
  addForward,
  addBackward,
  multiplyForward,
  multiplyBackward,
  maxForward,
  maxBackward,
  sigmoidNeuronForward,
  sigmoidNeuronBackward,
} = worked.length ? honest : wrong;
