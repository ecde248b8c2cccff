/**
 * Sum and Mean for tfjs-wasm over leading or trailing axes, four floats at a time.
 *
 * A bias gradient sums over the leading axes (Σ over N, H, W of dy for a bias
 * [C]); a batch norm's mean and variance reduce axis 0; softmax sums over the
 * last axis; a loss sums everything. tfjs-wasm 4.22 first transposes the
 * reduced axes to the end unless they are already there (a full copy), then
 * adds one float at a time: mean over axis 0 of [128, 256] took ~67 µs, sum of
 * a [784, 256] weight ~170 µs (PyTorch: 5 and 10 µs). Viewed as a matrix
 * [rows, cols], these kernels add, with simd.wat:
 *
 * - leading axes (not all): column sums, four columns at a time, the rows
 *   added in order;
 * - trailing axes, or all: row sums, four rows side by side.
 *
 * Both add in float32 in stock's order, so they give stock's bits: only
 * faster, and without the copy.
 *
 * A mean is the sum divided by the count, as in stock. Other axes (or axes not
 * in ascending order), and other dtypes, go to the stock kernels.
 *
 *     x: [d₀, …, d_{r−1}], axis ⊂ {0…k−1} or {k…r−1} → x's shape without those axes
 *     (with keepDims: each reduced axis kept as 1)
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { overrideKernel } from "./registry.ts";
 * import { sumSimd } from "./sum_mean.ts";
 * await tf.setBackend("wasm");
 * overrideKernel(sumSimd);
 * tf.sum(tf.ones([128, 28, 28, 32]), [0, 1, 2]); // [32], every entry 100352
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { stockKernel } from "./registry.ts";
import { offsetOf, simdFor } from "./simd.ts";

/** The wasm Sum kernel config. */
export const sumSimd: tf.KernelConfig = reduceKernel("Sum", false);

/** The wasm Mean kernel config. */
export const meanSimd: tf.KernelConfig = reduceKernel("Mean", true);

function reduceKernel(kernelName: "Sum" | "Mean", mean: boolean): tf.KernelConfig {
  return {
    kernelName,
    backendName: "wasm",
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
      const plan = x.dtype === "float32" ? planReduction(x.shape, axis) : undefined;
      if (!plan) return stockKernel(kernelName, "wasm")!.kernelFunc(args);
      const backend = args.backend as BackendWasm;
      const outShape = keepDims
        ? x.shape.map((d, i) => (plan.axes.includes(i) ? 1 : d))
        : x.shape.filter((_, i) => !plan.axes.includes(i));
      const out = backend.makeOutput(outShape, "float32");
      const simd = simdFor(backend);
      const sum = plan.columns ? simd.sum_columns : simd.sum_rows;
      sum(offsetOf(backend, x), offsetOf(backend, out), plan.rows, plan.cols);
      if (mean) {
        const count = plan.columns ? plan.rows : plan.cols;
        const values = backend.typedArrayFromHeap(out) as Float32Array;
        for (let i = 0; i < values.length; i++) values[i] /= count;
      }
      return out;
    },
  };
}

/** How to reduce `axis` of `shape` as a [rows, cols] matrix, if these kernels can. */
export interface ReductionPlan {
  /** The reduced axes, sorted. */
  axes: number[];
  rows: number;
  cols: number;
  /** true: sum each column (leading axes); false: sum each row (trailing axes, or all). */
  columns: boolean;
}

/** The plan for reducing `axis` of `shape`, or `undefined` unless the axes (ascending) lead or trail. */
export function planReduction(
  shape: readonly number[],
  axis: number | number[],
): ReductionPlan | undefined {
  const axes = tf.util.parseAxisParam(axis, shape as number[]);
  const r = shape.length, k = axes.length;
  // Stock adds over the axes in the order given: only ascending ones are these kernels' order.
  if (k === 0 || axes.some((a, i) => i > 0 && a <= axes[i - 1])) return undefined;
  const size = (from: number, to: number) => tf.util.sizeFromShape(shape.slice(from, to));
  if (axes.every((a, i) => a === r - k + i)) {
    return { axes, rows: size(0, r - k), cols: size(r - k, r), columns: false };
  }
  if (axes.every((a, i) => a === i)) {
    return { axes, rows: size(0, k), cols: size(k, r), columns: true };
  }
  return undefined;
}
