/**
 * Task 1 — Convolution, naive: the definition, written as loops.
 *
 * A convolutional layer slides each of its F filters over the input. At
 * output position (r, q), filter f looks at the KH×KW×C patch of the
 * (zero-padded) input whose top-left corner is at (r·S − P, q·S − P), and
 * takes its dot product with the filter, plus the filter's bias:
 *
 *     out[n, r, q, f] = b[f] + Σ_{i<KH} Σ_{j<KW} Σ_{c<C} x[n, r·S − P + i, q·S − P + j, c] · w[i, j, c, f]
 *
 * where x is 0 outside the image (that is the padding). Layout is NHWC (see
 * `geometry.ts`): x [N, H, W, C], w [KH, KW, C, F], b [F], out [N, OH, OW, F].
 *
 * These versions are for understanding and for checking the fast ones
 * (`conv_fast.ts`): plain loops over plain numbers. Read the tensors' values
 * with `await t.buffer()` (a `tf.TensorBuffer`: `buf.get(n, i, j, c)`), loop,
 * write into `tf.buffer(shape)` with `buf.set(value, n, i, j, c)`, and turn the
 * result into a tensor with `buf.toTensor()`. They are slow — seconds for a
 * batch of CIFAR-10 images — so the tests run them on tiny inputs only.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { convOutputShape, type ConvParam } from "./geometry.ts";

/** What the backward pass needs from the forward pass: the inputs and the geometry. */
export interface ConvCache {
  x: tf.Tensor4D;
  w: tf.Tensor4D;
  b: tf.Tensor1D;
  conv: ConvParam;
}

/**
 * Convolution forward, with loops.
 *
 * @param x inputs, [N, H, W, C]
 * @param w filters, [KH, KW, C, F]
 * @param b biases, [F]
 * @param conv stride S and zero padding P
 * @returns [out, cache]: out is [N, OH, OW, F], OH = (H − KH + 2P)/S + 1, OW likewise
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { convForwardNaive } from "./conv_naive.ts";
 * const x = tf.ones([1, 3, 3, 1]) as tf.Tensor4D, w = tf.ones([2, 2, 1, 1]) as tf.Tensor4D;
 * const [out] = await convForwardNaive(x, w, tf.zeros([1]), { stride: 1, pad: 0 });
 * console.log(await out.array()); // [[[[4], [4]], [[4], [4]]]]: each 2×2 patch sums four ones
 * ```
 */
export async function convForwardNaive(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  b: tf.Tensor1D,
  conv: ConvParam,
): Promise<[tf.Tensor4D, ConvCache]> {
  const outShape = convOutputShape(x.shape, w.shape, conv, "convForwardNaive");
  // BEGIN SOLUTION (Task 1)
  const [n, oh, ow, f] = outShape;
  const [, h, wd, c] = x.shape;
  const [kh, kw] = w.shape;
  const { stride, pad } = conv;
  const [xs, ws, bs] = await Promise.all([x.buffer(), w.buffer(), b.buffer()]);
  const out = tf.buffer(outShape);
  for (let e = 0; e < n; e++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        for (let k = 0; k < f; k++) {
          let sum = bs.get(k);
          for (let i = 0; i < kh; i++) {
            const y = r * stride - pad + i;
            if (y < 0 || y >= h) continue; // a padding row: zeros add nothing
            for (let j = 0; j < kw; j++) {
              const z = q * stride - pad + j;
              if (z < 0 || z >= wd) continue;
              for (let ch = 0; ch < c; ch++) sum += xs.get(e, y, z, ch) * ws.get(i, j, ch, k);
            }
          }
          out.set(sum, e, r, q, k);
        }
      }
    }
  }
  return [out.toTensor() as tf.Tensor4D, { x, w, b, conv }];
  // END SOLUTION
}

/**
 * Convolution backward, with loops. Each term x·w of the forward sum is a
 * multiply gate: it sends dout·w to that x and dout·x to that w; b[f] was
 * added to every output of filter f.
 *
 * @param dout upstream gradient, [N, OH, OW, F]
 * @param cache from convForwardNaive
 * @returns dx [N, H, W, C], dw [KH, KW, C, F], db [F]
 */
export async function convBackwardNaive(
  dout: tf.Tensor4D,
  cache: ConvCache,
): Promise<{ dx: tf.Tensor4D; dw: tf.Tensor4D; db: tf.Tensor1D }> {
  const { x, w, conv } = cache;
  const outShape = convOutputShape(x.shape, w.shape, conv, "convBackwardNaive");
  if (!tf.util.arraysEqual(dout.shape, outShape)) {
    throw new Error(
      `convBackwardNaive: dout has shape [${dout.shape}], but the output was [${outShape}].`,
    );
  }
  // BEGIN SOLUTION (Task 1)
  const [n, oh, ow, f] = outShape;
  const [, h, wd, c] = x.shape;
  const [kh, kw] = w.shape;
  const { stride, pad } = conv;
  const [xs, ws, ds] = await Promise.all([x.buffer(), w.buffer(), dout.buffer()]);
  const dx = tf.buffer(x.shape), dw = tf.buffer(w.shape), db = tf.buffer([f]);
  for (let e = 0; e < n; e++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        for (let k = 0; k < f; k++) {
          const d = ds.get(e, r, q, k);
          db.set(db.get(k) + d, k);
          for (let i = 0; i < kh; i++) {
            const y = r * stride - pad + i;
            if (y < 0 || y >= h) continue;
            for (let j = 0; j < kw; j++) {
              const z = q * stride - pad + j;
              if (z < 0 || z >= wd) continue;
              for (let ch = 0; ch < c; ch++) {
                dx.set(dx.get(e, y, z, ch) + d * ws.get(i, j, ch, k), e, y, z, ch);
                dw.set(dw.get(i, j, ch, k) + d * xs.get(e, y, z, ch), i, j, ch, k);
              }
            }
          }
        }
      }
    }
  }
  return {
    dx: dx.toTensor() as tf.Tensor4D,
    dw: dw.toTensor() as tf.Tensor4D,
    db: db.toTensor() as tf.Tensor1D,
  };
  // END SOLUTION
}
