// Hostile submission: runs before the test file's body (ES module order) and tries
// to change what the tests compute with — Deno.test, the test runner's internals,
// JavaScript built-ins, the assertion helpers and what they use, tfjs's classes,
// engine and kernels. Its functions are wrong, so any of these that worked would
// turn failing tests into passing ones.
// Honest failures: every gates test fails (12 points): 88/100.
import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import util from "node:util";
import { BOTH_BACKENDS } from "../../lib/testing.ts";
export * from "./wrong_gates.ts";

const pass = () => true;
const attempts: [string, () => unknown][] = [
  ["replace Deno.test", () => ((Deno as unknown as Record<string, unknown>).test = pass)],
  ["redefine Deno.test", () => Object.defineProperty(Deno, "test", { value: pass })],
  ["forge a result with the runner's ops", () => {
    const internals = (Deno as unknown as Record<symbol, { core: { ops: Record<string, (...a: unknown[]) => unknown> } }>);
    const ops = internals[(Deno as unknown as { internal: symbol }).internal].core.ops;
    ops.op_test_event_step_result_ok(1, 0);
  }],
  ["Math.abs", () => (Math.abs = () => 0)],
  ["replace Math", () => ((globalThis as Record<string, unknown>).Math = { abs: () => 0 })],
  ["Number.isFinite", () => (Number.isFinite = pass)],
  ["Number.isNaN", () => (Number.isNaN = () => false)],
  ["Array.prototype.every", () => (Array.prototype.every = pass)],
  ["Array.prototype.some", () => (Array.prototype.some = () => false)],
  ["Object.is", () => (Object.is = pass)],
  ["JSON.stringify", () => (JSON.stringify = () => "{}")],
  ["Promise.prototype.then", () => (Promise.prototype.then = function () { return this; } as never)],
  ["Error.prototype.toString", () => (Error.prototype.toString = () => "")],
  ["Error.captureStackTrace", () => (Error.captureStackTrace = () => {})],
  ["node:assert", () => ((assert as unknown as Record<string, unknown>).AssertionError = class {})],
  ["node:util", () => ((util as unknown as Record<string, unknown>).isDeepStrictEqual = pass)],
  ["empty BOTH_BACKENDS", () => ((BOTH_BACKENDS as string[]).length = 0)],
  ["Tensor.prototype.data", () => Object.defineProperty(tf.Tensor.prototype, "data", { value: () => Promise.resolve(new Float32Array(64)) })],
  ["Tensor[Symbol.hasInstance]", () => Object.defineProperty(tf.Tensor, Symbol.hasInstance, { value: pass })],
  ["tf.util.arraysEqual", () => ((tf.util as Record<string, unknown>).arraysEqual = pass)],
  ["engine.runKernel", () => Object.defineProperty(tf.engine(), "runKernel", { value: () => tf.scalar(0) })],
  ["backend.read", () => Object.defineProperty(tf.engine().registry.wasm, "read", { value: () => Promise.resolve(new Float32Array(64)) })],
  ["unregister Sub", () => tf.unregisterKernel("Sub", "wasm")],
  ["register a kernel", () => tf.registerKernel({ kernelName: "Sub", backendName: "wasm", kernelFunc: () => ({}) as never })],
  ["change a kernel", () => ((tf.getKernel("Sub", "wasm") as unknown as Record<string, unknown>).kernelFunc = pass)],
  ["Deno.permissions.querySync", () => ((Deno.permissions as unknown as Record<string, unknown>).querySync = () => ({ state: "granted" }))],
  ["Deno.args", () => (Deno.args as string[]).push("--backend=cpu")],
];
for (const [, attempt] of attempts) {
  try {
    attempt();
  } catch {
    // refused, as it should be
  }
}
