/**
 * Task 2 — Convolution, fast: im2col, then one matrix product.
 *
 * With every receptive field laid out as a row (`im2col`, in `im2col.ts`),
 * the convolution of `conv_naive.ts` is the affine layer of assignment 1
 * applied to those rows:
 *
 *     cols = im2col(x)                      [N·OH·OW, K]      K = KH·KW·C
 *     out  = cols · W + b                   [N·OH·OW, F]  →  reshaped to [N, OH, OW, F]
 *
 * with W = w.reshape([K, F]). The backward pass is the affine layer's, with
 * one more step at the end — the gradient of the copy im2col made:
 *
 *     dW    = colsᵀ · dout                  [K, F]       →  reshaped to w's shape
 *     db    = Σ over rows of dout           [F]
 *     dcols = dout · Wᵀ                     [N·OH·OW, K]
 *     dx    = col2im(dcols)                 [N, H, W, C]
 *
 * This is how deep-learning libraries convolve on CPUs: the matrix product
 * runs at the machine's full speed, and the price is memory — `cols` holds
 * every input pixel KH·KW/S² times over.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { convOutputShape, type ConvParam } from "./geometry.ts";
import { col2im, im2col } from "./im2col.ts";
import { NotImplementedError } from "../../lib/errors.ts";

/** What convBackwardFast needs: the inputs, the geometry, and im2col(x). */
export interface ConvFastCache {
  x: tf.Tensor4D;
  w: tf.Tensor4D;
  b: tf.Tensor1D;
  conv: ConvParam;
  /** im2col(x), [N·OH·OW, KH·KW·C] */
  cols: tf.Tensor2D;
}

/**
 * Convolution forward, as im2col and one matrix product.
 *
 * @param x inputs, [N, H, W, C]
 * @param w filters, [KH, KW, C, F]
 * @param b biases, [F]
 * @param conv stride S and zero padding P
 * @returns [out, cache]: out is [N, OH, OW, F], as convForwardNaive's
 */
export function convForwardFast(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  b: tf.Tensor1D,
  conv: ConvParam,
): [tf.Tensor4D, ConvFastCache] {
  const outShape = convOutputShape(x.shape, w.shape, conv, "convForwardFast");
  // TODO: Implement for Task 2.
  throw new NotImplementedError("convForwardFast", 2);
}

/**
 * Convolution backward: the affine layer's backward pass on the rows of
 * im2col, then col2im.
 *
 * @param dout upstream gradient, [N, OH, OW, F]
 * @param cache from convForwardFast
 * @returns dx [N, H, W, C], dw [KH, KW, C, F], db [F]
 */
export function convBackwardFast(
  dout: tf.Tensor4D,
  cache: ConvFastCache,
): { dx: tf.Tensor4D; dw: tf.Tensor4D; db: tf.Tensor1D } {
  const { x, w, conv } = cache;
  const outShape = convOutputShape(x.shape, w.shape, conv, "convBackwardFast");
  if (!tf.util.arraysEqual(dout.shape, outShape)) {
    throw new Error(
      `convBackwardFast: dout has shape [${dout.shape}], but the output was [${outShape}].`,
    );
  }
  // TODO: Implement for Task 2.
  throw new NotImplementedError("convBackwardFast", 2);
}
