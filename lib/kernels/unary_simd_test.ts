import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals } from "../assert.ts";
import { randn, Rng } from "../random.ts";
import { onStockAndOwn } from "./cpu_reference.ts";
import {
  absSimd,
  expSimd,
  negSimd,
  reluSimd,
  sigmoidSimd,
  squareSimd,
  tanhSimd,
} from "./unary_simd.ts";

/** Distance in float32 ulps (how many floats lie between a and b); 0 for two NaNs. */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  // Map the sign-magnitude bit patterns onto a line, so that -0 and +0 meet.
  const line = (i: number) => (i < 0 ? -(i & 0x7fffffff) : i);
  return Math.abs(line(bits[0]) - line(bits[1]));
}

/** The values where each approximation changes branch, the specials, and either side. */
const EDGES = [
  ...[0, -0, 1e-30, 1e-7, 0.0003999, 0.0004, 0.0004001, 0.5, 1, 3, 7.9053, 7.91, 9, 20, 100],
  ...[-87.3, -87.4, -88.7, -100, -103.97, -103.98, -110, 88.72, 88.73, 89],
  ...[NaN, Infinity, -Infinity],
].flatMap((v) => [v, -v]);

// Sizes around the four-float steps, and a large odd one.
const SHAPES = [[1], [3], [4], [5], [7, 13], [2, 3, 5], [4099]];

for (
  const [name, config, op, maxUlps] of [
    ["Tanh", tanhSimd, tf.tanh, 6],
    ["Exp", expSimd, tf.exp, 1],
    ["Sigmoid", sigmoidSimd, tf.sigmoid, 5],
    ["Relu", reluSimd, tf.relu, 0],
    ["Square", squareSimd, tf.square, 0],
    ["Neg", negSimd, tf.neg, 0],
    ["Abs", absSimd, tf.abs, 0],
  ] as const
) {
  for (const shape of SHAPES) {
    Deno.test(`${name} is within ${maxUlps} ulps of the stock kernel on [${shape}]`, async () => {
      const f = () => op(randn(new Rng(shape.length), shape, 4));
      const [stock, own] = await onStockAndOwn(config, f);
      const worst = Math.max(...stock.map((s, i) => ulps(own[i], s)));
      assert(worst <= maxUlps, `${name} on [${shape}]: ${worst} ulps from stock`);
    });
  }
  Deno.test(`${name} agrees with the stock kernel at its edges, NaN and ±∞ included`, async () => {
    const [stock, own] = await onStockAndOwn(config, () => op(tf.tensor(EDGES)));
    for (let i = 0; i < EDGES.length; i++) {
      // Stock's Relu gives NaN or 0 for NaN, depending on where in the tensor it lies; ours NaN.
      if (name === "Relu" && Number.isNaN(EDGES[i])) continue;
      // Stock's Sigmoid flushes results below the smallest normal float to 0; ours rounds them.
      const tiny = Math.abs(own[i] - stock[i]) < 1.2e-38;
      const distance = ulps(own[i], stock[i]);
      assert(distance <= maxUlps || tiny, `${name}(${EDGES[i]}): ${own[i]}, stock ${stock[i]}`);
    }
  });
}

Deno.test("Exp leaves int32 to the stock kernel", async () => {
  const [stock, own] = await onStockAndOwn(
    expSimd,
    () => tf.exp(tf.tensor([-2, 0, 3], [3], "int32")),
  );
  assertEquals(own, stock, "exp of int32");
});
