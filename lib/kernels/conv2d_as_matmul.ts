/**
 * Conv2D and both its gradients on tfjs-wasm, as im2col plus one matrix product.
 *
 * tfjs-wasm 4.22 has no `Conv2DBackpropFilter` at all (so no conv training),
 * and its `Conv2DBackpropInput` is a plain loop (~0.4 s for a 128×14×14×32→64
 * 3×3 layer). These kernels turn each into a product by whatever
 * `BatchMatMul` kernel is registered for wasm at the time they run: the
 * transpose-first one in the portable set, OpenBLAS in the native set.
 *
 *     forward   y     = im2col(x) · W            [N·OH·OW, K] · [K, CO]
 *     filter    dW    = im2col(x)ᵀ · dy          [K, N·OH·OW] · [N·OH·OW, CO]
 *     input     dx    = col2im(dy · Wᵀ)          [N·OH·OW, CO] · [CO, K]
 *
 * with K = KH·KW·CI, tensors channels-last (NHWC) and filters [KH, KW, CI, CO].
 * Dilation is supported in the forward kernel; tfjs's gradient of conv2d
 * refuses dilation > 1 before it reaches these.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { overrideKernel } from "./registry.ts";
 * import { conv2dFilterGrad } from "./conv2d_as_matmul.ts";
 * await tf.setBackend("wasm");
 * overrideKernel(conv2dFilterGrad);
 * const x = tf.ones([2, 8, 8, 3]) as tf.Tensor4D, w = tf.ones([3, 3, 3, 4]) as tf.Tensor4D;
 * const dw = tf.grad((w) => tf.conv2d(x, w as tf.Tensor4D, 1, "same"))(w); // [3, 3, 3, 4]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { col2im, colsShape, im2col } from "./im2col.ts";
import { stockKernel } from "./registry.ts";
import { offsetOf, simdFor } from "./simd.ts";

type Info = tf.TensorInfo;

/**
 * Below this many input channels the forward pass stays with tfjs-wasm's XNNPACK:
 * each im2col tap then copies too few numbers to pay for itself (measured on a
 * 128×28×28×1 → 32 layer: XNNPACK 4–6 ms, im2col + OpenBLAS 12–15 ms; at 32
 * channels im2col + OpenBLAS wins, 23 ms against 30–43).
 */
const MIN_CHANNELS_FOR_IM2COL = 8;

/** Conv2D (forward) for wasm: im2col, then cols · W (tfjs's own kernel below 8 input channels). */
export const conv2dForward: tf.KernelConfig = {
  kernelName: "Conv2D",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, filter } = inputs as { x: Info; filter: Info };
    const { strides, pad, dataFormat, dilations, dimRoundingMode } =
      attrs as unknown as tf.Conv2DAttrs;
    const info = geometry(
      x.shape,
      filter.shape,
      strides,
      dilations,
      pad,
      dimRoundingMode,
      dataFormat,
    );
    if (info.inChannels < MIN_CHANNELS_FOR_IM2COL) {
      return stockKernel("Conv2D", "wasm")!.kernelFunc({ inputs, backend, attrs });
    }
    const wasm = backend as BackendWasm;
    const cols = makeCols(wasm, x, info);
    const y = matMul(
      wasm,
      cols,
      reshaped(filter, [colsShape(info)[1], info.outChannels]),
      false,
      false,
    );
    wasm.disposeData(cols.dataId);
    return reshaped(y, info.outShape);
  },
};

/** Conv2DBackpropFilter for wasm: dW = im2col(x)ᵀ · dy. */
export const conv2dFilterGrad: tf.KernelConfig = {
  kernelName: "Conv2DBackpropFilter",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: Info; dy: Info };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
      attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const info = geometry(x.shape, filterShape, strides, 1, pad, dimRoundingMode, dataFormat);
    const wasm = backend as BackendWasm;
    const cols = makeCols(wasm, x, info);
    const dw = matMul(
      wasm,
      cols,
      reshaped(dy, [colsShape(info)[0], info.outChannels]),
      true,
      false,
    );
    wasm.disposeData(cols.dataId);
    return reshaped(dw, filterShape);
  },
};

/** Conv2DBackpropInput for wasm: dx = col2im(dy · Wᵀ). */
export const conv2dInputGrad: tf.KernelConfig = {
  kernelName: "Conv2DBackpropInput",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: Info; filter: Info };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
      attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const info = geometry(inputShape, filter.shape, strides, 1, pad, dimRoundingMode, dataFormat);
    const wasm = backend as BackendWasm;
    const [rows, k] = colsShape(info);
    const dcols = matMul(
      wasm,
      reshaped(dy, [rows, info.outChannels]),
      reshaped(filter, [k, info.outChannels]),
      false,
      true,
    );
    const dx = wasm.makeOutput(inputShape, "float32");
    col2im(simdFor(wasm), offsetOf(wasm, dcols), info, offsetOf(wasm, dx));
    wasm.disposeData(dcols.dataId);
    return dx;
  },
};

function geometry(
  xShape: number[],
  filterShape: number[],
  strides: number | [number, number],
  dilations: number | [number, number],
  pad: tf.Conv2DAttrs["pad"],
  dimRoundingMode: tf.Conv2DAttrs["dimRoundingMode"],
  dataFormat: "NHWC" | "NCHW",
): tf.backend_util.Conv2DInfo {
  if (dataFormat !== "NHWC") {
    throw new Error(`gradlab's wasm conv kernels take NHWC tensors only, got ${dataFormat}.`);
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
  );
}

/** A new heap tensor holding im2col(x): [N·OH·OW, KH·KW·CI]. */
function makeCols(wasm: BackendWasm, x: Info, info: tf.backend_util.Conv2DInfo): Info {
  const cols = wasm.makeOutput(colsShape(info), "float32");
  im2col(simdFor(wasm), offsetOf(wasm, x), info, offsetOf(wasm, cols));
  return cols;
}

/** op(a) · op(b), by the BatchMatMul kernel registered for wasm now (transpose-first or BLAS). */
function matMul(
  wasm: BackendWasm,
  a: Info,
  b: Info,
  transposeA: boolean,
  transposeB: boolean,
): Info {
  return tf.getKernel("BatchMatMul", "wasm")!.kernelFunc({
    inputs: { a, b },
    backend: wasm,
    attrs: { transposeA, transposeB },
  }) as Info;
}

/** The same data under another shape (no copy). */
function reshaped(t: Info, shape: number[]): Info {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}
