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
 * one walks the channels (contiguous in NHWC) four at a time in simd.wat.
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
import type { Simd } from "./simd.ts";
import { offsetOf, simdFor } from "./simd.ts";

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
    routeToMaxima(
      simdFor(wasm),
      offsetOf(wasm, input),
      offsetOf(wasm, dy),
      offsetOf(wasm, dx),
      info,
    );
    return dx;
  },
};

/**
 * dx = 0, then each dy value added at its window's first maximum (NHWC, row-major;
 * byte offsets x, dy, dx in `simd`'s memory). Windows are clipped to the input; each is
 * handed to simd.wat's `max_pool_grad`, which takes all its channels at once.
 */
export function routeToMaxima(
  simd: Simd,
  x: number,
  dy: number,
  dx: number,
  info: tf.backend_util.Conv2DInfo,
): void {
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  simd.zero_rows(dx, 0, 1, info.batchSize * h * w * c);
  // The taps t·step (t = 0, 1, …, below `extent`) of a window starting at `start` that lie in [0, size).
  const inside = (start: number, step: number, extent: number, size: number) => {
    const first = Math.max(0, Math.ceil(-start / step));
    const end = Math.min(Math.ceil(extent / step), Math.ceil((size - start) / step));
    return [first, Math.max(first, end)];
  };
  let o = 0; // dy[n, r, q, 0]
  for (let n = 0; n < info.batchSize; n++) {
    for (let r = 0; r < oh; r++) {
      const top = r * sh - info.padInfo.top;
      const [i0, i1] = inside(top, dh, fh, h);
      for (let q = 0; q < ow; q++, o += c) {
        const left = q * sw - info.padInfo.left;
        const [j0, j1] = inside(left, dw, fw, w);
        if (i1 === i0 || j1 === j0) continue;
        const first = ((n * h + top + i0 * dh) * w + left + j0 * dw) * c;
        simd.max_pool_grad(
          x + 4 * first,
          dx - x,
          dy + 4 * o,
          4 * dh * w * c,
          4 * dw * c,
          i1 - i0,
          j1 - j0,
          c,
        );
      }
    }
  }
}
