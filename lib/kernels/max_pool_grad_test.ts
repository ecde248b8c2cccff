import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals } from "../assert.ts";
import { randn, Rng } from "../random.ts";
import { onCpuAndWasm, relativeDifference } from "./cpu_reference.ts";

const CASES: [string, number[], number, number, "same" | "valid"][] = [
  ["2×2, stride 2", [2, 8, 8, 3], 2, 2, "valid"],
  ["3×3, stride 1 (overlapping windows)", [1, 6, 5, 4], 3, 1, "valid"],
  ["3×3, stride 2, same padding", [2, 7, 7, 2], 3, 2, "same"],
  ["2×2, stride 2, 5 channels (four at a time, then one)", [2, 6, 4, 5], 2, 2, "valid"],
  ["3×3, stride 2, same padding, 7 channels", [1, 5, 6, 7], 3, 2, "same"],
];

for (const [name, shape, size, stride, pad] of CASES) {
  // Overlapping windows add into the same input in another order than cpu's: rounding differs.
  Deno.test(`MaxPoolGrad matches cpu: ${name}`, async () => {
    const [cpu, wasm] = await onCpuAndWasm("portable", () => {
      const rng = new Rng(8);
      const x = randn(rng, shape) as tf.Tensor4D;
      const dy = randn(rng, tf.maxPool(x, size, stride, pad).shape);
      return tf.grad((x) => tf.maxPool(x as tf.Tensor4D, size, stride, pad))(x, dy);
    });
    assert(relativeDifference(wasm, cpu) < 1e-6, `differs by ${relativeDifference(wasm, cpu)}`);
  });
}

for (const channels of [1, 4, 5]) {
  Deno.test(`MaxPoolGrad gives a tie to the window's first maximum, as cpu does (${channels} channels)`, async () => {
    const [cpu, wasm] = await onCpuAndWasm("portable", () => {
      // Two windows, both tied, the same in every channel.
      const image = [3, 3, 0, 0, 1, 3, 0, 0].flatMap((v) => new Array(channels).fill(v));
      const x = tf.tensor4d(image, [1, 2, 4, channels]);
      return tf.grad((x) => tf.maxPool(x as tf.Tensor4D, 2, 2, "valid"))(x);
    });
    const expected = [1, 0, 1, 0, 0, 0, 0, 0].flatMap((v) => new Array(channels).fill(v));
    assertEquals(Array.from(wasm), expected, "the gradient goes to each window's first 3");
    assertEquals(Array.from(wasm), Array.from(cpu));
  });
}

Deno.test("MaxPoolGrad never routes to NaN, and a window of -∞ gets no gradient, as cpu", async () => {
  const [cpu, wasm] = await onCpuAndWasm("portable", () => {
    const x = tf.tensor4d([NaN, 2, 5, NaN, -Infinity, -Infinity, -Infinity, -Infinity], [
      1,
      2,
      4,
      1,
    ]);
    return tf.grad((x) => tf.maxPool(x as tf.Tensor4D, 2, 2, "valid"))(x);
  });
  assertEquals(
    Array.from(wasm),
    Array.from(cpu),
    "gradient at the maxima of [[NaN, 2, 5, NaN], [-∞ …]]",
  );
});
