import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "../assert.ts";
import { randn, Rng } from "../random.ts";
import { onStockAndOwn } from "./cpu_reference.ts";
import { meanSimd, planReduction, sumSimd } from "./sum_mean.ts";

const x = (shape: number[]) => randn(new Rng(10), shape);

// [name, shape, axis, keepDims]: leading axes, trailing axes, all; odd sizes around the steps of 4 and 16.
const CASES: [string, number[], number | number[] | undefined, boolean][] = [
  ["a bias gradient: axes 0–2 of [3, 4, 5, 6]", [3, 4, 5, 6], [0, 1, 2], false],
  ["batch-norm statistics: axis 0 of [128, 257]", [128, 257], 0, false],
  ["axis 0 with keepDims, 3 columns", [9, 3], 0, true],
  ["axes given out of order: [1, 0] (stock)", [5, 7, 3], [1, 0], false],
  ["softmax: the last axis of [2048, 65]", [2048, 65], -1, true],
  ["the last two axes of [3, 5, 17]", [3, 5, 17], [1, 2], false],
  ["rows of 1, 3 and 33 floats", [5, 33], 1, false],
  ["every axis (a loss)", [784, 257], undefined, false],
  ["every axis of a scalar-like [1]", [1], 0, false],
];

for (
  const [kernel, config, op] of [["Sum", sumSimd, tf.sum], ["Mean", meanSimd, tf.mean]] as const
) {
  for (const [name, shape, axis, keepDims] of CASES) {
    Deno.test(`${kernel} equals the stock kernel bit for bit: ${name}`, async () => {
      const [stock, own] = await onStockAndOwn(config, () => op(x(shape), axis, keepDims));
      assertEquals(own, stock, `${kernel} ${name}`);
    });
  }
}

Deno.test("Sum and Mean leave other axes and int32 to the stock kernels, bit for bit", async () => {
  for (const config of [sumSimd, meanSimd]) {
    const op = config === sumSimd ? tf.sum : tf.mean;
    const [stock, own] = await onStockAndOwn(config, () => op(x([3, 4, 5]), 1));
    assertEquals(own, stock, `${config.kernelName} over a middle axis`);
    const ints = () => op(tf.range(0, 12, 1, "int32").reshape([3, 4]), 0);
    const [stockInt, ownInt] = await onStockAndOwn(config, ints);
    assertEquals(ownInt, stockInt, `${config.kernelName} of int32`);
  }
});

Deno.test("planReduction views leading axes as column sums and trailing ones as row sums", () => {
  assertEquals(planReduction([2, 3, 4], [0, 1]), { axes: [0, 1], rows: 6, cols: 4, columns: true });
  assertEquals(planReduction([2, 3, 4], -1), { axes: [2], rows: 6, cols: 4, columns: false });
  assertEquals(planReduction([2, 3, 4], [0, 1, 2]), {
    axes: [0, 1, 2],
    rows: 1,
    cols: 24,
    columns: false,
  });
  assertEquals(planReduction([2, 3, 4], 1), undefined, "a middle axis");
  assertEquals(planReduction([2, 3, 4], [0, 2]), undefined, "the first and last axes");
  assertEquals(planReduction([2, 3, 4], [1, 0]), undefined, "axes out of order");
});
