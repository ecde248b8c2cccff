/**
 * Sum over leading axes for tfjs-wasm: the bias gradient, without a transpose.
 *
 * A bias `b` [C] added to activations [N, H, W, C] gets the gradient
 * Σ over N, H, W of dy: a sum over the *leading* axes. tfjs-wasm's Sum
 * first transposes the reduced axes to the end (a full copy), then sums;
 * this kernel adds the rows of the [outer, inner] view directly, in row
 * order, so the result is deterministic. Any other reduction goes to the
 * stock kernel.
 *
 *     x: [d₀, …, d_{k−1}, e₀, …], axis = [0, …, k−1] → [e₀, …] (or [1, …, 1, e₀, …] with keepDims)
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { overrideKernel } from "./registry.ts";
 * import { sumLeadingAxes } from "./sum_leading_axes.ts";
 * await tf.setBackend("wasm");
 * overrideKernel(sumLeadingAxes);
 * tf.sum(tf.ones([128, 28, 28, 32]), [0, 1, 2]); // [32], every entry 100352
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { stockKernel } from "./registry.ts";
import { heapViews } from "./wasm_heap.ts";

/** The wasm Sum kernel config. */
export const sumLeadingAxes: tf.KernelConfig = {
  kernelName: "Sum",
  backendName: "wasm",
  kernelFunc: (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.every((a, i) => a === i);
    if (x.dtype !== "float32" || !leading || axes.length === 0 || axes.length === x.shape.length) {
      return stockKernel("Sum", "wasm")!.kernelFunc(args);
    }
    const inner = x.shape.slice(axes.length);
    const outShape = keepDims ? [...axes.map(() => 1), ...inner] : inner;
    const backend = args.backend as BackendWasm;
    const out = backend.makeOutput(outShape, "float32");
    const [xv, sums] = heapViews(backend, x, out);
    addRows(xv, sums);
    return out;
  },
};

/** sums[j] = Σᵢ x[i·m + j], with m = sums.length, adding rows in order. */
export function addRows(x: Float32Array, sums: Float32Array): void {
  const m = sums.length;
  sums.fill(0);
  for (let row = 0; row < x.length; row += m) {
    for (let j = 0; j < m; j++) sums[j] += x[row + j];
  }
}
