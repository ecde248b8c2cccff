import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "../assert.ts";
import { randn, Rng } from "../random.ts";
import { onStockAndOwn } from "./cpu_reference.ts";
import { swapsLastTwo, transposeSimd } from "./transpose_simd.ts";

const x = (shape: number[]) => randn(new Rng(6), shape);
// Sizes around the 4×4 blocks: whole blocks, leftover rows, leftover columns, both, none.
const CASES: [string, () => tf.Tensor][] = [
  ["[8, 12]: whole blocks", () => tf.transpose(x([8, 12]))],
  ["[7, 13]: rows and columns left over", () => tf.transpose(x([7, 13]))],
  ["[3, 2]: no whole block", () => tf.transpose(x([3, 2]))],
  ["[128, 784]: the MLP's input", () => tf.transpose(x([128, 784]))],
  [
    "[1, 5] and [5, 1]",
    () => tf.concat([tf.transpose(x([1, 5])), tf.transpose(x([5, 1])).reshape([5, 1])]),
  ],
  ["a batch [3, 5, 6], perm [0, 2, 1]", () => tf.transpose(x([3, 5, 6]), [0, 2, 1])],
  ["rank 4, the last two swapped", () => tf.transpose(x([2, 3, 9, 4]), [0, 1, 3, 2])],
  ["int32", () => tf.transpose(tf.range(0, 35, 1, "int32").reshape([5, 7])).toFloat()],
  ["another permutation (stock)", () => tf.transpose(x([2, 3, 4]), [1, 0, 2])],
  ["an empty matrix", () => tf.transpose(x([0, 3]))],
];

for (const [name, f] of CASES) {
  Deno.test(`Transpose equals the stock kernel bit for bit: ${name}`, async () => {
    const [stock, own] = await onStockAndOwn(transposeSimd, f);
    assertEquals(own, stock, name);
  });
}

Deno.test("swapsLastTwo accepts exactly the permutations that swap the last two axes", () => {
  assertEquals([[1, 0], [0, 2, 1], [0, 1, 3, 2]].map(swapsLastTwo), [true, true, true]);
  assertEquals([[0, 1], [1, 0, 2], [2, 1, 0], [0]].map(swapsLastTwo), [false, false, false, false]);
});
