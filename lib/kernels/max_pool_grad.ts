/**
 * MaxPoolGrad for tfjs-wasm, written in plain TypeScript on the WASM heap.
 *
 * The gradient of a max pool routes each output's upstream gradient to the
 * one input that was the maximum of its window; every other input gets 0
 * (an input that was the maximum of several overlapping windows gets the sum).
 * Ties go to the first maximum in row-major window order, as in tfjs's cpu
 * backend; windows are clipped to the input (padding is never a maximum).
 *
 *     input: [N, H, W, C]    dy: [N, OH, OW, C]    dx: [N, H, W, C]
 *
 * tfjs-wasm's own kernel took ~70 ms for a 2×2 pool over 128×28×28×32; this
 * loop takes a few ms, because it walks the channels (contiguous in NHWC)
 * innermost.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { overrideKernel } from "./registry.ts";
 * import { maxPoolGrad } from "./max_pool_grad.ts";
 * await tf.setBackend("wasm");
 * overrideKernel(maxPoolGrad);
 * const x = tf.tensor4d([1, 3, 2, 0], [1, 2, 2, 1]);
 * tf.grad((x) => tf.maxPool(x as tf.Tensor4D, 2, 2, "valid"))(x); // [[[[0],[1]],[[0],[0]]]]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapViews } from "./wasm_heap.ts";

/** The wasm MaxPoolGrad kernel config. */
export const maxPoolGrad: tf.KernelConfig = {
  kernelName: "MaxPoolGrad",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const wasm = backend as BackendWasm;
    const dx = wasm.makeOutput(input.shape, "float32");
    const [x, dyValues, dxValues] = heapViews(wasm, input, dy, dx);
    routeToMaxima(x, dyValues, dxValues, info);
    return dx;
  },
};

/** dx = 0, then each dy value added at its window's first maximum. NHWC, row-major. */
export function routeToMaxima(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): void {
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  dx.fill(0);
  let o = 0; // offset of dy[n, r, q, 0]
  for (let n = 0; n < info.batchSize; n++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++, o += c) {
        best.fill(-Infinity);
        where.fill(-1);
        for (let i = 0; i < fh; i += dh) {
          const y = r * sh - info.padInfo.top + i;
          if (y < 0 || y >= h) continue;
          for (let j = 0; j < fw; j += dw) {
            const xx = q * sw - info.padInfo.left + j;
            if (xx < 0 || xx >= w) continue;
            const base = ((n * h + y) * w + xx) * c;
            for (let k = 0; k < c; k++) {
              if (x[base + k] > best[k]) {
                best[k] = x[base + k];
                where[k] = base + k;
              }
            }
          }
        }
        for (let k = 0; k < c; k++) if (where[k] >= 0) dx[where[k]] += dy[o + k];
      }
    }
  }
}
