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
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { im2col } from "./im2col.ts";
 * const info = tf.backend_util.computeConv2DInfo([1, 3, 3, 1], [2, 2, 1, 1], 1, 1, "valid");
 * const cols = new Float32Array(4 * 4); // [N·OH·OW, KH·KW·CI] = [4, 4]
 * im2col(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), info, cols);
 * // cols rows: [1,2,4,5], [2,3,5,6], [4,5,7,8], [5,6,8,9]
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

type ConvInfo = tf.backend_util.Conv2DInfo;

/** The shape [rows, columns] of the im2col matrix of `info`: [N·OH·OW, KH·KW·CI]. */
export function colsShape(info: ConvInfo): [number, number] {
  return [
    info.batchSize * info.outHeight * info.outWidth,
    info.filterHeight * info.filterWidth * info.inChannels,
  ];
}

/**
 * Copies each patch of `x` into a row of `cols`.
 *
 * @param x the input, [N, H, W, CI] row-major
 * @param info the convolution's geometry; must be channels-last
 * @param cols written: [N·OH·OW, KH·KW·CI] row-major
 */
export function im2col(x: Float32Array, info: ConvInfo, cols: Float32Array): void {
  check(info, cols.length);
  const { inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padInfo } = info;
  let dst = 0; // walks cols row by row: output pixel (n, r, q), then tap (i, j), then channel
  for (let n = 0; n < info.batchSize; n++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        for (let i = 0; i < kh; i++) {
          const y = r * sh - padInfo.top + i * dh;
          for (let j = 0; j < kw; j++, dst += ci) {
            const xx = q * sw - padInfo.left + j * dw;
            if (y < 0 || y >= h || xx < 0 || xx >= w) {
              for (let c = 0; c < ci; c++) cols[dst + c] = 0; // padding
            } else {
              const src = ((n * h + y) * w + xx) * ci;
              for (let c = 0; c < ci; c++) cols[dst + c] = x[src + c];
            }
          }
        }
      }
    }
  }
}

/**
 * Adds each row of `cols` back into the pixels of the patch it came from: the
 * adjoint of {@linkcode im2col}.
 *
 * @param cols [N·OH·OW, KH·KW·CI] row-major
 * @param info the convolution's geometry; must be channels-last
 * @param x overwritten: [N, H, W, CI] row-major
 */
export function col2im(cols: Float32Array, info: ConvInfo, x: Float32Array): void {
  check(info, cols.length);
  const { inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padInfo } = info;
  x.fill(0);
  let src = 0; // walks cols in the same order as im2col
  for (let n = 0; n < info.batchSize; n++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        for (let i = 0; i < kh; i++) {
          const y = r * sh - padInfo.top + i * dh;
          for (let j = 0; j < kw; j++, src += ci) {
            const xx = q * sw - padInfo.left + j * dw;
            if (y < 0 || y >= h || xx < 0 || xx >= w) continue; // padding: dropped
            const dst = ((n * h + y) * w + xx) * ci;
            for (let c = 0; c < ci; c++) x[dst + c] += cols[src + c];
          }
        }
      }
    }
  }
}

function check(info: ConvInfo, colsLength: number): void {
  if (info.dataFormat !== "channelsLast") {
    throw new Error(`im2col supports channels-last (NHWC) data only, got ${info.dataFormat}.`);
  }
  const [rows, width] = colsShape(info);
  if (colsLength !== rows * width) {
    throw new Error(`im2col: cols holds ${colsLength} numbers, expected ${rows}×${width}.`);
  }
}
