/**
 * BatchMatMul for tfjs-wasm by native sgemm (see blas.ts), in place on the WASM heap.
 *
 * The operands are read where tfjs-wasm keeps them and the product is written
 * straight into a new tfjs tensor: no copies. Transposes are sgemm flags,
 * free. One sgemm runs per batch entry; a batch of 1 broadcasts.
 *
 *     a: [...batch, M, K] (or [...batch, K, M] with transposeA)
 *     b: [...batch, K, N] (or [...batch, N, K] with transposeB)
 *     out: [...batch, M, N]; batch sizes equal, or one of them 1
 *
 * Results match the stock kernel within float32 rounding, and are the same
 * bits run to run.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { loadBlas } from "./blas.ts";
 * import { blasMatMul } from "./matmul_blas.ts";
 * import { overrideKernel } from "./registry.ts";
 * await tf.setBackend("wasm");
 * const blas = loadBlas(); // needs --allow-ffi
 * if (blas) overrideKernel(blasMatMul(blas));
 * tf.matMul(tf.ones([128, 784]), tf.ones([784, 256])); // [128, 256] by OpenBLAS
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { Blas } from "./blas.ts";
import { heapViews } from "./wasm_heap.ts";

/** The wasm BatchMatMul kernel config that calls `blas.sgemm`. */
export function blasMatMul(blas: Blas): tf.KernelConfig {
  return {
    kernelName: "BatchMatMul",
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
      if (a.dtype !== "float32" || b.dtype !== "float32") {
        throw new Error(`matMul needs float32 tensors, got ${a.dtype} and ${b.dtype}.`);
      }
      const [batchA, rowsA, colsA] = asBatch(a.shape);
      const [batchB, rowsB, colsB] = asBatch(b.shape);
      const [m, k] = transposeA ? [colsA, rowsA] : [rowsA, colsA];
      const [k2, n] = transposeB ? [colsB, rowsB] : [rowsB, colsB];
      if (k !== k2 || (batchA !== batchB && batchA !== 1 && batchB !== 1)) {
        throw new Error(
          `matMul: shapes [${a.shape}] and [${b.shape}] (transposeA=${transposeA}, ` +
            `transposeB=${transposeB}) do not multiply.`,
        );
      }
      const batchShape = tf.backend_util.assertAndGetBroadcastShape(
        a.shape.slice(0, -2),
        b.shape.slice(0, -2),
      );
      const batch = tf.util.sizeFromShape(batchShape);
      const wasm = backend as BackendWasm;
      const out = wasm.makeOutput([...batchShape, m, n], "float32");
      const [av, bv, cv] = heapViews(wasm, a, b, out);
      for (let i = 0; i < batch && m * n > 0; i++) {
        const ai = batchA === 1 ? 0 : i, bi = batchB === 1 ? 0 : i;
        const c = cv.subarray(i * m * n, (i + 1) * m * n);
        if (k === 0) c.fill(0); // BLAS rejects a leading dimension of 0
        else {
          blas.sgemm(
            transposeA,
            transposeB,
            m,
            n,
            k,
            av.subarray(ai * m * k, (ai + 1) * m * k),
            bv.subarray(bi * k * n, (bi + 1) * k * n),
            c,
          );
        }
      }
      return out;
    },
  };
}

/** [batch, rows, cols] of a shape [...batch, rows, cols]. */
function asBatch(shape: number[]): [number, number, number] {
  if (shape.length < 2) throw new Error(`matMul needs rank ≥ 2, got shape [${shape}].`);
  const r = shape.length;
  return [tf.util.sizeFromShape(shape.slice(0, -2)), shape[r - 2], shape[r - 1]];
}
