/**
 * Transpose for tfjs-wasm when it swaps the last two axes: 4×4 blocks by SIMD shuffles.
 *
 * Every matMul gradient needs a transposed operand (dW = Xᵀ·dY, dX = dY·Wᵀ),
 * and the portable matMul transposes first (matmul_transpose_first.ts); a
 * hand-written backward pass transposes explicitly. tfjs-wasm's Transpose
 * copies one float at a time. This kernel moves 4×4 blocks through SIMD
 * registers (simd.wat's `transpose`), one matrix of the batch at a time.
 * Values are copied bit for bit. Other permutations, and dtypes of other than
 * 4 bytes, go to the stock kernel.
 *
 *     x: [...batch, R, C], perm = [0, …, k−1, k+1, k] → [...batch, C, R]
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { overrideKernel } from "./registry.ts";
 * import { transposeSimd } from "./transpose_simd.ts";
 * await tf.setBackend("wasm");
 * overrideKernel(transposeSimd);
 * tf.transpose(tf.tensor2d([[1, 2, 3]])); // [[1], [2], [3]]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { stockKernel } from "./registry.ts";
import { offsetOf, simdFor } from "./simd.ts";

/** The wasm Transpose kernel config. */
export const transposeSimd: tf.KernelConfig = {
  kernelName: "Transpose",
  backendName: "wasm",
  kernelFunc: (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { perm } = args.attrs as unknown as tf.TransposeAttrs;
    const fourBytes = x.dtype === "float32" || x.dtype === "int32";
    if (!fourBytes || !swapsLastTwo(perm)) {
      return stockKernel("Transpose", "wasm")!.kernelFunc(args);
    }
    const backend = args.backend as BackendWasm;
    const r = x.shape.length;
    const [rows, cols] = [x.shape[r - 2], x.shape[r - 1]];
    const out = backend.makeOutput(perm.map((p) => x.shape[p]), x.dtype);
    const simd = simdFor(backend);
    const [from, to] = [offsetOf(backend, x), offsetOf(backend, out)];
    const matrices = tf.util.sizeFromShape(x.shape.slice(0, -2));
    for (let m = 0, bytes = 4 * rows * cols; m < matrices; m++) {
      simd.transpose(from + m * bytes, to + m * bytes, rows, cols);
    }
    return out;
  },
};

/** Whether `perm` keeps every axis but the last two, and swaps those. */
export function swapsLastTwo(perm: readonly number[]): boolean {
  const r = perm.length;
  return r >= 2 && perm.every((p, i) => p === (i < r - 2 ? i : i === r - 2 ? r - 1 : r - 2));
}
