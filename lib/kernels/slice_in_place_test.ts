import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "../assert.ts";
import { randn, Rng } from "../random.ts";
import { onCpuAndWasm } from "./cpu_reference.ts";

const x = () => randn(new Rng(9), [4, 5, 6]);
const CASES: [string, () => tf.Tensor][] = [
  ["a contiguous slice", () => tf.slice(x(), [1, 0, 0], [2, 5, 6])],
  ["a strided slice", () => tf.slice(x(), [1, 2, 3], [2, 3, 2])],
  ["a rank-1 slice", () => tf.slice(tf.range(0, 10, 1, "float32"), [3], [4])],
  ["an empty slice", () => tf.slice(x(), [0, 0, 0], [2, 0, 6])],
  ["unstack along axis 0", () => tf.stack(tf.unstack(x()).reverse())],
  ["unstack along axis 2", () => tf.concat(tf.unstack(x(), 2), 1)],
  ["split into sizes along axis 1", () => tf.concat(tf.split(x(), [1, 3, 1], 1).reverse(), 1)],
  ["split into 3 along axis 2", () => tf.concat(tf.split(x(), 3, 2).reverse(), 2)],
  ["int32 (stock kernels)", () => tf.slice(tf.range(0, 10, 1, "int32"), [2], [3]).toFloat()],
];

for (const [name, f] of CASES) {
  Deno.test(`Slice/Unpack/SplitV equal cpu's exactly: ${name}`, async () => {
    const [cpu, wasm] = await onCpuAndWasm("portable", f);
    assertEquals(Array.from(wasm), Array.from(cpu));
  });
}
