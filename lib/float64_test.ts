import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals, assertThrows } from "./assert.ts";
import { useBackend } from "./backend.ts";
import {
  add,
  addRow,
  type Array4,
  columnMeans,
  columnVariances,
  conv2d,
  conv2dGradients,
  fromArray4,
  get4,
  index4,
  matMul,
  multiply,
  softmaxCrossEntropy,
  softmaxRows,
  sumOfSquares,
  toArray4,
  toMatrix,
  transpose,
  zeros4,
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

Deno.test("conv2d and conv2dGradients follow the definition on a hand-worked example", async () => {
  // x: one 3×3 image, 1 channel, values 1…9; w: one 2×2 filter [[1, 0], [0, −1]]; b = 0.5.
  const x = await toArray4(tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]));
  const w = await toArray4(tf.tensor4d([1, 0, 0, -1], [2, 2, 1, 1]));
  const valid = conv2d(x, w, [0.5], 1, 0);
  assertEquals(valid.shape, [1, 2, 2, 1], "shape without padding");
  assertEquals(Array.from(valid.data), [-3.5, -3.5, -3.5, -3.5], "x[r,q] − x[r+1,q+1] + 0.5");
  const padded = conv2d(x, w, [0], 2, 1);
  // Padding 1, stride 2: positions (−1, −1), (−1, 1), (1, −1), (1, 1) of the window's corner.
  assertEquals(Array.from(padded.data), [-1, -3, -7, 5 - 9], "stride 2, pad 1");
  assertEquals(get4(x, 0, -1, 0, 0), 0, "outside the image is zero padding");
  assertEquals(index4([2, 3, 4, 5], 1, 2, 3, 4), 119, "the last element's flat index");
  const dout = { shape: [1, 2, 2, 1] as Array4["shape"], data: Float64Array.from([1, 0, 0, 0]) };
  const { dx, dw, db } = conv2dGradients(x, w, dout, 1, 0);
  assertEquals(Array.from(dx.data), [1, 0, 0, 0, -1, 0, 0, 0, 0], "dx: dout at (0, 0) times w");
  assertEquals(Array.from(dw.data), [1, 2, 4, 5], "dw: dout at (0, 0) times the patch it saw");
  assertEquals(db, [1], "db: the sum of dout");
  assertEquals(Array.from(await fromArray4(x).data()), [1, 2, 3, 4, 5, 6, 7, 8, 9], "fromArray4");
  assertEquals(Array.from(zeros4([1, 1, 2, 1]).data), [0, 0], "zeros4");
});
