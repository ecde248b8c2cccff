import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "../assert.ts";
import { randn, Rng } from "../random.ts";
import { addSimd, divSimd, mulSimd, planBroadcast, subSimd } from "./binary_simd.ts";
import { onStockAndOwn } from "./cpu_reference.ts";

const x = (shape: number[], seed = 1) => randn(new Rng(seed), shape);
/** Every broadcast the kernels take, on odd sizes (rows of 1, 3 and 65 floats), and two they leave. */
const CASES: [string, number[], number[]][] = [
  ["same shape", [7, 13], [7, 13]],
  ["same size, a leading 1", [5, 3], [1, 5, 3]],
  ["one float on the right", [129], []],
  ["one float on the left", [], [3, 5]],
  ["one float as [1, 1]", [4, 7], [1, 1]],
  ["a bias row on the right", [9, 65], [65]],
  ["a row on the left, as [1, c]", [1, 3], [6, 3]],
  ["a row of two axes", [2, 3, 5], [3, 5]],
  ["a float per row on the right (softmax)", [33, 65], [33, 1]],
  ["a float per row on the left", [5, 2, 1], [5, 2, 7]],
  ["an outer product (stock)", [3, 1], [1, 4]],
  ["a middle axis (stock)", [2, 3, 5], [2, 1, 5]],
];

// Specials included: NaN, ±∞, ±0 and a divisor of 0.
const specials = () => tf.tensor([NaN, Infinity, -Infinity, 0, -0, 1, -2.5, 3e38]);

for (const config of [addSimd, subSimd, mulSimd, divSimd]) {
  const op = { Add: tf.add, Sub: tf.sub, Multiply: tf.mul, RealDiv: tf.div }[config.kernelName]!;
  for (const [name, aShape, bShape] of CASES) {
    Deno.test(`${config.kernelName} equals the stock kernel bit for bit: ${name}`, async () => {
      const [stock, own] = await onStockAndOwn(config, () => op(x(aShape), x(bShape, 2)));
      assertEquals(own, stock, `${config.kernelName} of [${aShape}] and [${bShape}]`);
    });
  }
  Deno.test(`${config.kernelName} treats NaN, ±∞ and ±0 as the stock kernel does`, async () => {
    const [stock, own] = await onStockAndOwn(config, () => op(specials(), specials().reverse()));
    assertEquals(own, stock, `${config.kernelName} of the special values`);
  });
}

Deno.test("Add leaves int32 to the stock kernel", async () => {
  const ints = () => tf.add(tf.tensor([1, 2, 3], [3], "int32"), tf.tensor([4], [1], "int32"));
  const [stock, own] = await onStockAndOwn(addSimd, ints);
  assertEquals(own, stock, "int32 sums");
});

Deno.test("planBroadcast views each broadcast as rows of one repeated or varying operand", () => {
  assertEquals(planBroadcast([128, 256], [256]), {
    shape: [128, 256],
    rows: 128,
    cols: 256,
    aRow: 256,
    bRow: 0,
    kind: 0,
  });
  assertEquals(planBroadcast([2048, 1], [2048, 65]), {
    shape: [2048, 65],
    rows: 2048,
    cols: 65,
    aRow: 1,
    bRow: 65,
    kind: 2,
  });
  assertEquals(planBroadcast([3, 1], [1, 4]), undefined, "an outer product");
});
