import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals } from "../assert.ts";
import { randn, Rng } from "../random.ts";
import { loadBlas } from "./blas.ts";
import { onCpuAndWasm, relativeDifference } from "./cpu_reference.ts";

// Runs where Deno has --allow-ffi and a BLAS library; elsewhere these tests are ignored.
const ignore = loadBlas() === undefined;

const CASES: [string, number[], number[], boolean, boolean][] = [
  ["plain", [5, 7], [7, 3], false, false],
  ["transposeA", [7, 5], [7, 3], true, false],
  ["transposeB", [5, 7], [3, 7], false, true],
  ["both transposed", [7, 5], [3, 7], true, true],
  ["batched", [4, 7, 5], [4, 3, 7], true, true],
  ["a broadcast", [1, 5, 7], [4, 7, 3], false, false],
  ["b broadcast, lower rank", [2, 3, 5, 7], [7, 6], false, false],
  ["empty inner dimension", [5, 0], [0, 3], false, false],
];

for (const [name, aShape, bShape, ta, tb] of CASES) {
  Deno.test({
    name: `BLAS BatchMatMul matches cpu: ${name}`,
    ignore,
    fn: async () => {
      const [cpu, wasm] = await onCpuAndWasm("native", () => {
        const rng = new Rng(3);
        return tf.matMul(randn(rng, aShape), randn(rng, bShape), ta, tb);
      });
      assert(relativeDifference(wasm, cpu) < 1e-5, `differs by ${relativeDifference(wasm, cpu)}`);
    },
  });
}

Deno.test({
  name: "BLAS BatchMatMul gives the same bits every time",
  ignore,
  fn: async () => {
    await onCpuAndWasm("native", () => tf.scalar(0));
    const rng = new Rng(4);
    const a = randn(rng, [128, 784]), b = randn(rng, [128, 256]);
    const first = await tf.matMul(a, b, true, false).data();
    const again = await tf.matMul(a, b, true, false).data();
    assertEquals(Array.from(again), Array.from(first));
    tf.dispose([a, b]);
  },
});

Deno.test({
  name: "BLAS BatchMatMul rejects shapes that do not multiply",
  ignore,
  fn: async () => {
    await onCpuAndWasm("native", () => tf.scalar(0));
    let message = "";
    try {
      tf.matMul(tf.ones([2, 3]), tf.ones([4, 5]));
    } catch (e) {
      message = (e as Error).message;
    }
    assert(message.includes("[2,3]") && message.includes("[4,5]"), message);
  },
});
