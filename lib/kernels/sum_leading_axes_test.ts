import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals } from "../assert.ts";
import { randn, Rng } from "../random.ts";
import { onCpuAndWasm, relativeDifference } from "./cpu_reference.ts";
import { addRows } from "./sum_leading_axes.ts";

const x = () => randn(new Rng(10), [3, 4, 5, 6]);
const CASES: [string, () => tf.Tensor][] = [
  ["bias gradient, axes 0–2", () => tf.sum(x(), [0, 1, 2])],
  ["axis 0, keepDims", () => tf.sum(x(), 0, true)],
  ["axes given out of order", () => tf.sum(x(), [1, 0])],
  ["a trailing axis (stock kernel)", () => tf.sum(x(), 3)],
  ["every axis (stock kernel)", () => tf.sum(x())],
];

for (const [name, f] of CASES) {
  Deno.test(`Sum over leading axes matches cpu: ${name}`, async () => {
    const [cpu, wasm] = await onCpuAndWasm("portable", f);
    assert(relativeDifference(wasm, cpu) < 1e-6, `differs by ${relativeDifference(wasm, cpu)}`);
  });
}

Deno.test("addRows adds the rows of a [2, 3] matrix", () => {
  const sums = new Float32Array(3);
  addRows(Float32Array.from([1, 2, 3, 10, 20, 30]), sums);
  assertEquals(Array.from(sums), [11, 22, 33]);
});
