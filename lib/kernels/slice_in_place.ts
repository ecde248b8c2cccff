/**
 * Slice, Unpack and SplitV for tfjs-wasm that copy only the slice.
 *
 * tfjs-wasm's Slice first reads the *whole* input back from the WASM heap
 * (`readSync` copies it), then copies the slice out of that copy; Unpack and
 * SplitV slice once per piece. Unstacking a [64, 32, 256] tensor into 64
 * time steps therefore copied 64 × 2 MB (~65 ms instead of ~0.3 ms). These
 * kernels copy each slice once, in place, in as few runs as its shape allows
 * (lib/kernels/copy_block.ts).
 *
 *     Slice:  x [d₀, …, d_{r−1}], begin, size → [size₀, …, size_{r−1}]
 *     Unpack: x [..., n (axis), ...] → n tensors without that axis
 *     SplitV: x → pieces of x along `axis`, of sizes `sizeSplits`
 *
 * Values are copied bit for bit, so results equal the stock kernels' exactly.
 * Non-float32 tensors go to the stock kernels.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { overrideKernel } from "./registry.ts";
 * import { sliceInPlace, unpackInPlace } from "./slice_in_place.ts";
 * await tf.setBackend("wasm");
 * overrideKernel(sliceInPlace);
 * overrideKernel(unpackInPlace);
 * const steps = tf.unstack(tf.ones([64, 32, 256])); // 64 tensors [32, 256]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { copyBlock, denseStrides } from "./copy_block.ts";
import { stockKernel } from "./registry.ts";
import { offsetOf, simdFor } from "./simd.ts";

type Info = tf.TensorInfo;

/** The wasm Slice kernel config. */
export const sliceInPlace: tf.KernelConfig = {
  kernelName: "Slice",
  backendName: "wasm",
  kernelFunc: (args) => {
    const { x } = args.inputs as { x: Info };
    const { begin, size } = args.attrs as unknown as tf.SliceAttrs;
    if (x.dtype !== "float32") return stockKernel("Slice", "wasm")!.kernelFunc(args);
    const [b, s] = tf.slice_util.parseSliceParams(x, begin, size);
    return slice(args.backend as BackendWasm, x, b, s);
  },
};

/** The wasm Unpack kernel config: one slice per index along `axis`. */
export const unpackInPlace: tf.KernelConfig = {
  kernelName: "Unpack",
  backendName: "wasm",
  kernelFunc: (args) => {
    const { value } = args.inputs as { value: Info };
    if (value.dtype !== "float32") return stockKernel("Unpack", "wasm")!.kernelFunc(args);
    const rank = value.shape.length;
    const axis = ((args.attrs as unknown as tf.UnpackAttrs).axis + rank) % rank;
    const begin = new Array<number>(rank).fill(0);
    const size = value.shape.slice();
    size[axis] = 1;
    const outShape = value.shape.filter((_, i) => i !== axis);
    return Array.from({ length: value.shape[axis] }, (_, i) => {
      begin[axis] = i;
      return { ...slice(args.backend as BackendWasm, value, begin, size), shape: outShape };
    });
  },
};

/** The wasm SplitV kernel config: consecutive slices along `axis`. */
export const splitInPlace: tf.KernelConfig = {
  kernelName: "SplitV",
  backendName: "wasm",
  kernelFunc: (args) => {
    const { x } = args.inputs as { x: Info };
    const { numOrSizeSplits, axis } = args.attrs as unknown as tf.SplitVAttrs;
    if (x.dtype !== "float32") return stockKernel("SplitV", "wasm")!.kernelFunc(args);
    const $axis = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, $axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = x.shape.slice();
      size[$axis] = s;
      const piece = slice(args.backend as BackendWasm, x, begin, size);
      begin[$axis] += s;
      return piece;
    });
  },
};

/** A new tensor holding x[begin : begin + size], copied in place. */
function slice(backend: BackendWasm, x: Info, begin: number[], size: number[]): Info {
  const out = backend.makeOutput(size, "float32");
  const strides = denseStrides(x.shape);
  const first = begin.reduce((sum, b, i) => sum + b * strides[i], 0);
  copyBlock(
    simdFor(backend),
    size,
    { at: offsetOf(backend, x) + 4 * first, strides },
    { at: offsetOf(backend, out), strides: denseStrides(size) },
  );
  return out;
}
