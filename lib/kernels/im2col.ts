/**
 * im2col and col2im: a convolution as one matrix product.
 *
 * A 2-D convolution reads, for each output pixel, a KH×KW×CI patch of the
 * input. Copy every patch into one row of a matrix (im2col) and the
 * convolution becomes a matrix product with the filter, reshaped to
 * [KH·KW·CI, CO]:
 *
 *     cols  = im2col(x)          x: [N, H, W, CI]  →  cols: [N·OH·OW, KH·KW·CI]
 *     y     = cols · W           W: [KH·KW·CI, CO] →  y: [N·OH·OW, CO] = [N, OH, OW, CO]
 *     dW    = colsᵀ · dy         (the filter's gradient)
 *     dcols = dy · Wᵀ;  dx = col2im(dcols)   (the input's gradient)
 *
 * col2im is im2col's adjoint: it adds each row's values back to the input
 * pixels they were copied from (a pixel shared by several patches receives
 * the sum). Padding reads as zeros in im2col and is dropped in col2im.
 *
 * Layout is channels-last (NHWC), the tfjs default, so each tap copies CI
 * contiguous numbers. Geometry (padding, strides, dilation, output size)
 * comes from tfjs's own `backend_util.computeConv2DInfo`.
 *
 * Both work on tensors in place, by byte offset into tfjs-wasm's memory, and
 * move whole runs with simd.wat's strided copies: for one filter tap of one
 * output row, the pixels that tap reads are a strided run of the input and
 * land in a strided run of `cols` (a tap's CI numbers in every row).
 *
 * @example On a memory of one's own (tfjs-wasm's, in the kernels)
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { im2col } from "./im2col.ts";
 * import { simdOn } from "./simd.ts";
 * const memory = new WebAssembly.Memory({ initial: 1 });
 * const heap = new Float32Array(memory.buffer);
 * heap.set([1, 2, 3, 4, 5, 6, 7, 8, 9]); // x: [1, 3, 3, 1] at byte 0
 * const info = tf.backend_util.computeConv2DInfo([1, 3, 3, 1], [2, 2, 1, 1], 1, 1, "valid");
 * im2col(simdOn(memory), 0, info, 64); // cols: [4, 4] at byte 64
 * // heap.subarray(16, 32): [1,2,4,5], [2,3,5,6], [4,5,7,8], [5,6,8,9]
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Simd } from "./simd.ts";

type ConvInfo = tf.backend_util.Conv2DInfo;

/** The shape [rows, columns] of the im2col matrix of `info`: [N·OH·OW, KH·KW·CI]. */
export function colsShape(info: ConvInfo): [number, number] {
  return [
    info.batchSize * info.outHeight * info.outWidth,
    info.filterHeight * info.filterWidth * info.inChannels,
  ];
}

/** Writes im2col(x) at byte `cols`: x [N, H, W, CI] at byte `x` → [N·OH·OW, KH·KW·CI]. */
export function im2col(simd: Simd, x: number, info: ConvInfo, cols: number): void {
  checkLayout(info);
  forEachTapRow(info, (tap) => {
    const { step, ci, q0, q1, ow } = tap;
    const row = cols + tap.row;
    if (tap.source === undefined) return simd.zero_rows(row, step, ow, ci); // a row of padding
    if (q0 > 0) simd.zero_rows(row, step, q0, ci);
    if (q1 > q0) simd.copy_rows(x + tap.source, tap.sourceStep, row + q0 * step, step, q1 - q0, ci);
    if (q1 < ow) simd.zero_rows(row + q1 * step, step, ow - q1, ci);
  });
}

/**
 * Writes col2im(cols) at byte `x`: each tap's values added back to the pixels they
 * were read from ([N·OH·OW, KH·KW·CI] at byte `cols` → [N, H, W, CI]); padding is dropped.
 */
export function col2im(simd: Simd, cols: number, info: ConvInfo, x: number): void {
  checkLayout(info);
  const { batchSize, inHeight, inWidth, inChannels } = info;
  simd.zero_rows(x, 0, 1, batchSize * inHeight * inWidth * inChannels);
  forEachTapRow(info, (tap) => {
    const { step, ci, q0, q1 } = tap;
    const row = cols + tap.row;
    if (tap.source === undefined || q1 <= q0) return;
    simd.add_rows(row + q0 * step, step, x + tap.source, tap.sourceStep, q1 - q0, ci);
  });
}

/**
 * One filter tap (i, j) of one output row (n, r): where its CI numbers lie in cols
 * for each output column q (`row` + q·`step` bytes from its start), and which input pixels they
 * read: for q0 ≤ q < q1, a run starting `source` bytes into x, one pixel every
 * `sourceStep` bytes; the others, and the whole row when `source` is undefined, are padding.
 */
interface TapRow {
  row: number;
  step: number;
  ci: number;
  ow: number;
  q0: number;
  q1: number;
  source?: number;
  sourceStep: number;
}

function forEachTapRow(info: ConvInfo, visit: (tap: TapRow) => void): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padInfo } = info;
  const step = 4 * kh * kw * ci; // bytes from one row of cols to the next
  for (let n = 0; n < batchSize; n++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        // The output columns q whose input column q·sw − left + j·dw lies inside the image.
        const left = j * dw - padInfo.left;
        const q0 = Math.min(ow, Math.max(0, Math.ceil(-left / sw)));
        const q1 = Math.max(q0, Math.min(ow, Math.ceil((w - left) / sw)));
        for (let r = 0; r < oh; r++) {
          const y = r * sh - padInfo.top + i * dh;
          const row = 4 * (((n * oh + r) * ow) * kh * kw * ci + (i * kw + j) * ci);
          const inside = y >= 0 && y < h;
          const source = inside ? 4 * (((n * h + y) * w + q0 * sw + left) * ci) : undefined;
          visit({ row, step, ci, ow, q0, q1, source, sourceStep: 4 * sw * ci });
        }
      }
    }
  }
}

function checkLayout(info: ConvInfo): void {
  if (info.dataFormat !== "channelsLast") {
    throw new Error(`im2col supports channels-last (NHWC) data only, got ${info.dataFormat}.`);
  }
}
