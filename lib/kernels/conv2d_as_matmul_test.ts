import * as tf from "@tensorflow/tfjs";
import { assert } from "../assert.ts";
import { randn, Rng } from "../random.ts";
import { loadBlas } from "./blas.ts";
import { onCpuAndWasm, relativeDifference } from "./cpu_reference.ts";
import type { KernelChoice } from "./kernel_sets.ts";

type Pad = "same" | "valid" | [
  [number, number],
  [number, number],
  [number, number],
  [number, number],
];
const CASES: [string, number[], number[], number, Pad][] = [
  ["3×3 same", [2, 6, 6, 8], [3, 3, 8, 4], 1, "same"],
  ["3×3 valid, stride 2", [2, 7, 7, 9], [3, 3, 9, 4], 2, "valid"],
  ["2×3 same, stride 2", [1, 5, 6, 8], [2, 3, 8, 3], 2, "same"],
  ["explicit padding", [1, 5, 5, 8], [3, 3, 8, 2], 1, [[0, 0], [2, 1], [0, 1], [0, 0]]],
  ["1 input channel (forward by tfjs)", [3, 8, 8, 1], [3, 3, 1, 5], 1, "same"],
];
const SETS: KernelChoice[] = loadBlas() ? ["portable", "native"] : ["portable"];

for (const kernels of SETS) {
  for (const [name, xShape, wShape, stride, pad] of CASES) {
    Deno.test(`conv2d forward and both gradients match cpu (${kernels}): ${name}`, async () => {
      const inputs = (): [tf.Tensor4D, tf.Tensor4D] => {
        const rng = new Rng(5);
        return [randn(rng, xShape) as tf.Tensor4D, randn(rng, wShape) as tf.Tensor4D];
      };
      const y = await onCpuAndWasm(kernels, () => tf.conv2d(...inputs(), stride, pad));
      const grads = await onCpuAndWasm(kernels, () => {
        const [x, w] = inputs();
        const dy = randn(new Rng(6), tf.conv2d(x, w, stride, pad).shape);
        const [dx, dw] = tf.grads((a, b) =>
          tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad)
        )([x, w], dy);
        return tf.concat([dx.reshape([-1]), dw.reshape([-1])]);
      });
      for (const [cpu, wasm] of [y, grads]) {
        assert(relativeDifference(wasm, cpu) < 1e-5, `differs by ${relativeDifference(wasm, cpu)}`);
      }
    });
  }
}

Deno.test("conv2d forward with dilation matches cpu (native set, else portable)", async () => {
  const [cpu, wasm] = await onCpuAndWasm(SETS.at(-1)!, () => {
    const rng = new Rng(7);
    const x = randn(rng, [1, 9, 9, 8]) as tf.Tensor4D, w = randn(rng, [3, 3, 8, 2]) as tf.Tensor4D;
    return tf.conv2d(x, w, 1, "same", "NHWC", 2);
  });
  assert(relativeDifference(wasm, cpu) < 1e-5);
});
