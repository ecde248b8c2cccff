import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals } from "../assert.ts";
import { randn, Rng } from "../random.ts";
import { onCpuAndWasm, relativeDifference } from "./cpu_reference.ts";

const CASES: [string, number[], number[], boolean, boolean][] = [
  ["plain", [5, 7], [7, 3], false, false],
  ["transposeA (dW = xᵀ·dy)", [7, 5], [7, 3], true, false],
  ["transposeB (dX = dy·wᵀ)", [5, 7], [3, 7], false, true],
  ["both transposed", [7, 5], [3, 7], true, true],
  ["batched", [4, 7, 5], [4, 3, 7], true, true],
  ["batch of 1 broadcast", [1, 5, 7], [4, 3, 7], false, true],
  ["rank 4", [2, 3, 7, 5], [2, 3, 7, 6], true, false],
  ["small a, large b: computed as (b·aᵀ)ᵀ", [2, 16], [16, 16], false, true],
  ["(b·aᵀ)ᵀ, batched with a broadcast", [1, 2, 16], [3, 16, 16], false, true],
];

for (const [name, aShape, bShape, ta, tb] of CASES) {
  Deno.test(`transpose-first BatchMatMul matches cpu: ${name}`, async () => {
    const [cpu, wasm] = await onCpuAndWasm("portable", () => {
      const rng = new Rng(1);
      return tf.matMul(randn(rng, aShape), randn(rng, bShape), ta, tb);
    });
    assert(relativeDifference(wasm, cpu) < 1e-5, `differs by ${relativeDifference(wasm, cpu)}`);
  });
}

Deno.test("transpose-first BatchMatMul frees its transposed copies", async () => {
  await onCpuAndWasm("portable", () => tf.scalar(0));
  const rng = new Rng(2);
  const a = randn(rng, [7, 5]), b = randn(rng, [3, 7]);
  const before = tf.memory().numBytes;
  tf.matMul(a, b, true, true).dispose();
  assertEquals(tf.memory().numBytes, before);
  tf.dispose([a, b]);
});
