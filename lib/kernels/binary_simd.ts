/**
 * Add, Sub, Multiply and RealDiv for tfjs-wasm on the calling thread, four floats at a time.
 *
 * tfjs-wasm runs these through XNNPACK, which splits even a 32-float bias add
 * among its threads (lib/kernels/wasm_threads.ts): on a busy machine each op
 * then waits for a thread the OS is not running, and a hand-written batch-norm
 * step took 14 ms instead of 0.5. These kernels (simd.wat) cover the
 * broadcasts a training step uses and leave the rest to XNNPACK:
 *
 *     same shape:          [d…] ∘ [d…]
 *     one float:           [d…] ∘ [] (or [1, 1]), and [] ∘ [d…]
 *     a row, repeated:     [n…, c…] ∘ [c…] (a bias), and [c…] ∘ [n…, c…]
 *     a float per row:     [n…, c] ∘ [n…, 1] (softmax's max), and [n…, 1] ∘ [n…, c]
 *
 * Each element is one IEEE float32 operation, as in XNNPACK: the results are
 * the stock kernels' bit for bit. Other dtypes and broadcasts go to the stock
 * kernels.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { overrideKernel } from "./registry.ts";
 * import { addSimd } from "./binary_simd.ts";
 * await tf.setBackend("wasm");
 * overrideKernel(addSimd);
 * tf.add(tf.ones([128, 256]), tf.ones([256])); // [128, 256] of 2
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { stockKernel } from "./registry.ts";
import { offsetOf, simdFor } from "./simd.ts";

/** The wasm Add kernel config. */
export const addSimd: tf.KernelConfig = binaryKernel("Add", "add");
/** The wasm Sub kernel config. */
export const subSimd: tf.KernelConfig = binaryKernel("Sub", "sub");
/** The wasm Multiply kernel config. */
export const mulSimd: tf.KernelConfig = binaryKernel("Multiply", "mul");
/** The wasm RealDiv kernel config. */
export const divSimd: tf.KernelConfig = binaryKernel("RealDiv", "div");

function binaryKernel(kernelName: string, op: "add" | "sub" | "mul" | "div"): tf.KernelConfig {
  return {
    kernelName,
    backendName: "wasm",
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const float = a.dtype === "float32" && b.dtype === "float32";
      const plan = float ? planBroadcast(a.shape, b.shape) : undefined;
      if (!plan) return stockKernel(kernelName, "wasm")!.kernelFunc(args);
      const backend = args.backend as BackendWasm;
      const out = backend.makeOutput(plan.shape, "float32");
      if (plan.rows * plan.cols > 0) {
        simdFor(backend)[op](
          offsetOf(backend, a),
          plan.aRow,
          offsetOf(backend, b),
          plan.bRow,
          offsetOf(backend, out),
          plan.rows,
          plan.cols,
          plan.kind,
        );
      }
      return out;
    },
  };
}

/**
 * How simd.wat's binary functions compute a ∘ b: the result viewed as [rows, cols];
 * row r of a starts at float r·aRow, and of b at r·bRow; `kind` 0 when both are
 * vectors along the row, 1 when b is one float per row, 2 when a is.
 */
export interface BroadcastPlan {
  /** The result's shape. */
  shape: number[];
  rows: number;
  cols: number;
  aRow: number;
  bRow: number;
  kind: 0 | 1 | 2;
}

/** The plan for a ∘ b with these shapes, or `undefined` for a broadcast these kernels leave to XNNPACK. */
export function planBroadcast(
  aShape: readonly number[],
  bShape: readonly number[],
): BroadcastPlan | undefined {
  const shape = tf.backend_util.assertAndGetBroadcastShape(aShape as number[], bShape as number[]);
  const size = tf.util.sizeFromShape(shape);
  const [sa, sb] = [
    tf.util.sizeFromShape(aShape as number[]),
    tf.util.sizeFromShape(bShape as number[]),
  ];
  if (sa === size && sb === size) return { shape, rows: 1, cols: size, aRow: 0, bRow: 0, kind: 0 };
  if (sa === size && sb === 1) return { shape, rows: 1, cols: size, aRow: 0, bRow: 0, kind: 1 };
  if (sb === size && sa === 1) return { shape, rows: 1, cols: size, aRow: 0, bRow: 0, kind: 2 };
  const [full, part] = sa === size ? [aShape, bShape] : sb === size ? [bShape, aShape] : [];
  if (!full || !part) return undefined;
  const fullFirst = full === aShape;
  const inner = stripLeadingOnes(part);
  const last = shape[shape.length - 1];
  if (sameDims(inner, shape.slice(shape.length - inner.length))) {
    const cols = tf.util.sizeFromShape(inner); // a row, repeated
    const [aRow, bRow] = fullFirst ? [cols, 0] : [0, cols];
    return { shape, rows: size / cols, cols, aRow, bRow, kind: 0 };
  }
  if (
    inner.at(-1) === 1 &&
    sameDims(stripLeadingOnes(inner.slice(0, -1)), stripLeadingOnes(shape.slice(0, -1)))
  ) {
    const [aRow, bRow] = fullFirst ? [last, 1] : [1, last]; // one float per row
    return { shape, rows: size / last, cols: last, aRow, bRow, kind: fullFirst ? 1 : 2 };
  }
  return undefined;
}

function stripLeadingOnes(shape: readonly number[]): number[] {
  const first = shape.findIndex((d) => d !== 1);
  return first < 0 ? [] : shape.slice(first);
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
