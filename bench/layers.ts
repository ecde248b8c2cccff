/**
 * The hot paths of assignments 3, 5 and 6 as a student writes them: forward and
 * backward passes by hand, in plain tfjs ops (CS231n's `*_forward` /
 * `*_backward` pairs), at the sizes their training loops use. bench/bench.ts
 * times each against the same math in PyTorch (bench/torch_bench.py).
 *
 * - batch norm, train mode, and its closed-form backward (assignment 3);
 * - a 3×3 convolution as im2col + one matrix product, and its backward pass as
 *   matrix products + col2im (assignment 5's fast path, NHWC);
 * - an LSTM over a sequence, and backpropagation through time (assignment 6).
 *
 * @example
 * ```ts
 * import { makeLayers } from "./layers.ts";
 * const layers = makeLayers();
 * const dx = layers.layers["BN fwd+bwd 128x256 (by hand)"](); // [128, 256]
 * layers.dispose();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { randn, Rng } from "../lib/random.ts";
import type { Ops } from "./ops.ts";

/** Name → one forward and backward pass (returns the input gradient), and `dispose`. */
export function makeLayers(seed = 0): { layers: Ops["ops"]; dispose: () => void } {
  const rng = new Rng(seed);
  const r = (shape: number[], std = 1) => randn(rng, shape, std);
  const bn = { x: r([128, 256]), gamma: r([256]), beta: r([256]), dout: r([128, 256]) };
  const conv = {
    x: r([64, 32, 32, 3]) as tf.Tensor4D,
    w: r([3, 3, 3, 32], 0.2) as tf.Tensor4D,
    b: r([32]),
  };
  const convDout = r([64, 32, 32, 32]);
  const lstm = {
    x: r([32, 16, 128]) as tf.Tensor3D,
    h0: r([32, 256]) as tf.Tensor2D,
    wx: r([128, 1024], 0.05),
    wh: r([256, 1024], 0.05),
    b: r([1024]),
  };
  const lstmDh = r([32, 16, 256]);
  const inputs = [
    ...Object.values(bn),
    ...Object.values(conv),
    convDout,
    ...Object.values(lstm),
    lstmDh,
  ];
  return {
    layers: {
      "BN fwd+bwd 128x256 (by hand)": () => batchNormLayer(bn.x, bn.gamma, bn.beta, bn.dout),
      "im2col conv fwd+bwd 64x32x32x3 → 32, 3x3": () =>
        im2colConvLayer(conv.x, conv.w, conv.b, convDout),
      "LSTM 16 steps fwd+bwd, 32x128 → 256 (by hand)": () =>
        lstmLayer(lstm.x, lstm.h0, lstm.wx, lstm.wh, lstm.b, lstmDh),
    },
    dispose: () => tf.dispose(inputs),
  };
}

/**
 * Batch norm in train mode and its closed-form backward pass.
 *
 * @param x [N, D]; gamma, beta [D]; dout [N, D]
 * @returns dx [N, D] (out, dgamma and dbeta are computed too)
 */
export function batchNormLayer(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  dout: tf.Tensor,
  eps = 1e-5,
): tf.Tensor {
  const n = x.shape[0];
  const mu = tf.mean(x, 0);
  const xc = tf.sub(x, mu);
  const istd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), 0), eps));
  const xhat = tf.mul(xc, istd);
  tf.add(tf.mul(xhat, gamma), beta); // out
  tf.sum(dout, 0); // dbeta
  tf.sum(tf.mul(dout, xhat), 0); // dgamma
  const dxhat = tf.mul(dout, gamma);
  const centred = tf.sub(tf.mul(dxhat, n), tf.sum(dxhat, 0));
  return tf.mul(tf.div(istd, n), tf.sub(centred, tf.mul(xhat, tf.sum(tf.mul(dxhat, xhat), 0))));
}

/**
 * A 3×3 convolution, stride 1, padding 1, as im2col + matMul, and its backward pass.
 *
 * @param x [N, H, W, C]; w [3, 3, C, F]; b [F]; dout [N, H, W, F]
 * @returns dx [N, H, W, C] (out, dw and db are computed too)
 */
export function im2colConvLayer(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  b: tf.Tensor,
  dout: tf.Tensor,
): tf.Tensor {
  const [n, h, wd, c] = x.shape, f = w.shape[3];
  const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  const patches = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) patches.push(tf.slice(padded, [0, i, j, 0], [n, h, wd, c]));
  }
  const cols = tf.stack(patches, 3).reshape([n * h * wd, 9 * c]);
  const w2 = w.reshape([9 * c, f]);
  tf.add(tf.matMul(cols, w2), b).reshape([n, h, wd, f]); // out
  const dout2 = dout.reshape([n * h * wd, f]);
  tf.matMul(cols, dout2, true, false).reshape(w.shape); // dw
  tf.sum(dout2, 0); // db
  const dcols = tf.matMul(dout2, w2, false, true).reshape([n, h, wd, 9, c]);
  const pieces = tf.unstack(dcols, 3);
  const dpadded = tf.addN(pieces.map((piece, k) => {
    const [i, j] = [Math.floor(k / 3), k % 3];
    return tf.pad(piece, [[0, 0], [i, 2 - i], [j, 2 - j], [0, 0]]);
  }));
  return tf.slice(dpadded, [0, 1, 1, 0], [n, h, wd, c]);
}

/**
 * An LSTM over a sequence (gates i, f, o, g), and backpropagation through time.
 *
 * @param x [N, T, D]; h0 [N, H]; wx [D, 4H]; wh [H, 4H]; b [4H]; dh [N, T, H]
 * @returns dx [N, T, D] (dh0, dwx, dwh and db are computed too)
 */
export function lstmLayer(
  x: tf.Tensor3D,
  h0: tf.Tensor2D,
  wx: tf.Tensor,
  wh: tf.Tensor,
  b: tf.Tensor,
  dh: tf.Tensor,
): tf.Tensor {
  const [n, steps] = x.shape, hidden = h0.shape[1];
  const xs = tf.unstack(x, 1), dhs = tf.unstack(dh, 1);
  const cache = [];
  let h: tf.Tensor = h0, c = tf.zeros([n, hidden]);
  for (const xt of xs) {
    const a = tf.add(tf.add(tf.matMul(xt, wx), tf.matMul(h, wh)), b);
    const [ai, af, ao, ag] = tf.split(a, 4, 1);
    const [i, f, o, g] = [tf.sigmoid(ai), tf.sigmoid(af), tf.sigmoid(ao), tf.tanh(ag)];
    const cNext = tf.add(tf.mul(f, c), tf.mul(i, g));
    const tc = tf.tanh(cNext);
    cache.push({ xt, h, c, i, f, o, g, tc });
    [h, c] = [tf.mul(o, tc), cNext];
  }
  const dxs = new Array<tf.Tensor>(steps);
  let dhNext = tf.zeros([n, hidden]), dcNext = tf.zeros([n, hidden]);
  let dwx = tf.zerosLike(wx), dwh = tf.zerosLike(wh), db = tf.zerosLike(b);
  for (let t = steps - 1; t >= 0; t--) {
    const { xt, h: hPrev, c: cPrev, i, f, o, g, tc } = cache[t];
    const dht = tf.add(dhs[t], dhNext);
    const dc = tf.add(dcNext, tf.mul(tf.mul(dht, o), tf.sub(1, tf.square(tc))));
    const da = tf.concat([
      tf.mul(tf.mul(dc, g), tf.mul(i, tf.sub(1, i))),
      tf.mul(tf.mul(dc, cPrev), tf.mul(f, tf.sub(1, f))),
      tf.mul(tf.mul(dht, tc), tf.mul(o, tf.sub(1, o))),
      tf.mul(tf.mul(dc, i), tf.sub(1, tf.square(g))),
    ], 1);
    dxs[t] = tf.matMul(da, wx, false, true);
    dhNext = tf.matMul(da, wh, false, true);
    dcNext = tf.mul(dc, f);
    dwx = tf.add(dwx, tf.matMul(xt, da, true, false));
    dwh = tf.add(dwh, tf.matMul(hPrev, da, true, false));
    db = tf.add(db, tf.sum(da, 0));
  }
  return tf.stack(dxs, 1);
}
