/**
 * Tanh, Exp, Sigmoid, Relu, Neg, Abs and Square for tfjs-wasm, four floats at
 * a time (lib/kernels/simd.wat), on the calling thread.
 *
 * tfjs-wasm 4.22 computes tanh and exp one float at a time with the C
 * library's functions: tanh of a [32, 256] RNN state took ~95 µs, 5×
 * PyTorch's, 64 times per char-RNN step; exp of [2048, 65] scores ~370 µs.
 * These kernels use Eigen's rational tanh and Cephes' exp on 128-bit SIMD,
 * 5–10× and ~2× faster. Over 2 million points of [-12, 12] (×8 for exp), exp
 * was within 1 float32 ulp of the stock kernel, subnormals included, and tanh
 * within 6 (3.6e-7, where tanh nears ±1); NaN and ±∞ give what stock gives.
 *
 * Sigmoid (1 / (1 + exp(−x)), by the same exp), Relu, Neg, Abs and Square
 * run through XNNPACK in tfjs, split among its threads even for a few floats;
 * here they run on the calling thread, which a busy machine does not make
 * wait (see binary_simd.ts). Neg, Abs and Square give the stock kernels' bits,
 * and so does Relu,
 * except that NaN stays NaN (stock gives NaN or 0, depending on where in the
 * tensor it lies); Sigmoid is within 5 ulps, and rounds results below the
 * smallest normal float where stock gives 0. Other dtypes go to the stock
 * kernels.
 *
 *     x: any shape, float32 → y: the same shape
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { overrideKernel } from "./registry.ts";
 * import { tanhSimd } from "./unary_simd.ts";
 * await tf.setBackend("wasm");
 * overrideKernel(tanhSimd);
 * tf.tanh(tf.tensor([-1, 0, 2])); // [-0.7616, 0, 0.9640]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { stockKernel } from "./registry.ts";
import { offsetOf, type Simd, simdFor } from "./simd.ts";

/** A float32 elementwise wasm kernel running `fn` of simd.wat; other dtypes go to the stock kernel. */
function unaryKernel(
  kernelName: string,
  fn: "tanh" | "exp" | "sigmoid" | "relu" | "neg" | "abs",
): tf.KernelConfig {
  return {
    kernelName,
    backendName: "wasm",
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (x.dtype !== "float32") return stockKernel(kernelName, "wasm")!.kernelFunc(args);
      const backend = args.backend as BackendWasm;
      const out = backend.makeOutput(x.shape, "float32");
      const simd: Simd = simdFor(backend);
      simd[fn](offsetOf(backend, x), offsetOf(backend, out), tf.util.sizeFromShape(x.shape));
      return out;
    },
  };
}

/** The wasm Tanh kernel config. */
export const tanhSimd: tf.KernelConfig = unaryKernel("Tanh", "tanh");

/** The wasm Exp kernel config. */
export const expSimd: tf.KernelConfig = unaryKernel("Exp", "exp");

/** The wasm Sigmoid kernel config. */
export const sigmoidSimd: tf.KernelConfig = unaryKernel("Sigmoid", "sigmoid");

/** The wasm Relu kernel config. */
export const reluSimd: tf.KernelConfig = unaryKernel("Relu", "relu");

/** The wasm Neg kernel config. */
export const negSimd: tf.KernelConfig = unaryKernel("Neg", "neg");

/** The wasm Abs kernel config. */
export const absSimd: tf.KernelConfig = unaryKernel("Abs", "abs");

/** The wasm Square kernel config: x · x by simd.wat's `mul`. */
export const squareSimd: tf.KernelConfig = {
  kernelName: "Square",
  backendName: "wasm",
  kernelFunc: (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype !== "float32") return stockKernel("Square", "wasm")!.kernelFunc(args);
    const backend = args.backend as BackendWasm;
    const out = backend.makeOutput(x.shape, "float32");
    const at = offsetOf(backend, x), size = tf.util.sizeFromShape(x.shape);
    if (size > 0) simdFor(backend).mul(at, 0, at, 0, offsetOf(backend, out), 1, size, 0);
    return out;
  },
};
