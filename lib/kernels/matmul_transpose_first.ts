/**
 * BatchMatMul for tfjs-wasm that transposes its operands first.
 *
 * tfjs-wasm multiplies `a·b` through XNNPACK at ~40–60 GFLOP/s, but as soon
 * as `transposeA` or `transposeB` is set it falls back to a plain loop at
 * ~2–3 GFLOP/s. Every matMul gradient asks for a transposed product
 * (dX = dY·Wᵀ, dW = Xᵀ·dY), so training ran ~20× slower than it should.
 *
 * This kernel materialises the transpose (a copy, O(size)) and then calls the
 * stock kernel untransposed (O(M·N·K)). Results match the stock kernel within
 * float32 rounding (not bitwise: XNNPACK blocks K differently from the loop).
 *
 * For a·bᵀ with a small `a` and a large `b` (an RNN's dh·Whᵀ: [32, 256] by
 * [256, 256]), it computes (b·aᵀ)ᵀ instead: two small transposes rather than
 * one large one. That also spares XNNPACK from repacking `b`: it packs the
 * right-hand operand once per tensor, and a freshly transposed copy is a new
 * tensor every call (a 256×256 repack costs ~0.2 ms, the product ~0.15 ms).
 *
 *     a: [...batch, M, K] (or [...batch, K, M] with transposeA)
 *     b: [...batch, K, N] (or [...batch, N, K] with transposeB)
 *     out: [...batch, M, N]
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { overrideKernel } from "./registry.ts";
 * import { transposeFirstMatMul } from "./matmul_transpose_first.ts";
 * await tf.setBackend("wasm");
 * overrideKernel(transposeFirstMatMul);
 * tf.matMul(tf.ones([784, 128]), tf.ones([784, 256]), true, false); // [128, 256], fast path
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { stockKernel } from "./registry.ts";

/** The wasm BatchMatMul kernel config: transpose, then the stock untransposed product. */
export const transposeFirstMatMul: tf.KernelConfig = {
  kernelName: "BatchMatMul",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend: wasm, attrs }) => {
    const backend = wasm as BackendWasm;
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const matMul = stockKernel("BatchMatMul", "wasm")!.kernelFunc;
    if (!transposeA && !transposeB) return matMul({ inputs, backend, attrs });
    if (!transposeA && transposeB && swapIsCheaper(a.shape, b.shape)) {
      const aT = transposeLastTwo(a, backend);
      const outT = matMul({
        inputs: { a: b, b: aT },
        backend,
        attrs: { transposeA: false, transposeB: false },
      }) as tf.TensorInfo;
      const out = transposeLastTwo(outT, backend);
      backend.disposeData(aT.dataId);
      backend.disposeData(outT.dataId);
      return out;
    }
    const a2 = transposeA ? transposeLastTwo(a, backend) : a;
    const b2 = transposeB ? transposeLastTwo(b, backend) : b;
    const out = matMul({
      inputs: { a: a2, b: b2 },
      backend,
      attrs: { transposeA: false, transposeB: false },
    });
    if (a2 !== a) backend.disposeData(a2.dataId);
    if (b2 !== b) backend.disposeData(b2.dataId);
    return out;
  },
};

/**
 * Whether a·bᵀ, a [..., M, K] and b [..., N, K], copies fewer numbers as (b·aᵀ)ᵀ
 * (transposing a and the [..., N, M] result) than by transposing b.
 */
function swapIsCheaper(aShape: number[], bShape: number[]): boolean {
  const size = tf.util.sizeFromShape;
  const out = Math.max(size(aShape.slice(0, -2)), size(bShape.slice(0, -2))) *
    aShape[aShape.length - 2] * bShape[bShape.length - 2];
  return size(aShape) + out < size(bShape);
}

/** `x` ([..., R, C]) with its last two axes swapped ([..., C, R]), by the Transpose kernel installed. */
export function transposeLastTwo(x: tf.TensorInfo, backend: BackendWasm): tf.TensorInfo {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  const transpose = tf.getKernel("Transpose", "wasm")!;
  return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
}
