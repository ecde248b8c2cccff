import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals, assertThrows } from "./assert.ts";
import { useBackend } from "./backend.ts";
import {
  add,
  addRow,
  columnMeans,
  columnVariances,
  matMul,
  multiply,
  softmaxCrossEntropy,
  softmaxRows,
  sumOfSquares,
  toMatrix,
  transpose,
} from "./float64.ts";

await useBackend("cpu");

Deno.test("matMul, transpose and addRow follow the formulas", async () => {
  const a = [[1, 2], [3, 4]], b = [[1, 0, -1], [2, 1, 0]];
  assertEquals(matMul(a, b), [[5, 2, -1], [11, 4, -3]]);
  assertEquals(transpose(b), [[1, 2], [0, 1], [-1, 0]]);
  assertEquals(addRow(a, [10, 20]), [[11, 22], [13, 24]]);
  assertEquals(await toMatrix(tf.tensor2d(a)), a);
  assertThrows(() => matMul(a, [[1, 2]]), Error, "a has rows of 2, b has 1 rows");
});

Deno.test("add and multiply work element by element, on matrices of one shape", () => {
  const a = [[1, 2], [3, 4]], b = [[10, 20], [30, 40]];
  assertEquals(add(a, b), [[11, 22], [33, 44]]);
  assertEquals(multiply(a, b), [[10, 40], [90, 160]]);
  assertThrows(() => add(a, [[1, 2]]), Error, "add: the matrices differ in shape");
  assertThrows(() => multiply(a, [[1], [2]]), Error, "multiply: the matrices differ in shape");
});

Deno.test("column statistics use the population variance", () => {
  const a = [[1, 10], [3, 10], [5, 13]];
  assertEquals(columnMeans(a), [3, 11]);
  assertEquals(columnVariances(a), [8 / 3, 2]);
  assertEquals(sumOfSquares(a, [2]), 1 + 100 + 9 + 100 + 25 + 169 + 4);
});

Deno.test("softmax rows sum to 1 and cross-entropy of uniform scores is ln C", () => {
  const p = softmaxRows([[1000, 1000, 1000], [0, Math.log(2), 0]]);
  assertEquals(p[0], [1 / 3, 1 / 3, 1 / 3]);
  assertAlmostEquals(p[1][1], 0.5, 1e-15);
  assertAlmostEquals(softmaxCrossEntropy([[0, 0, 0, 0]], [2]), Math.log(4), 1e-15);
});
