/**
 * The per-op benchmarks: one iteration of each op, as tfjs code, named as in
 * bench/torch_bench.py (shapes are tfjs's NHWC ones).
 *
 * Gradients are taken for a given upstream gradient `dy` (`tf.grad(f)(x, dy)`),
 * which is what a backward pass does. The conv rows time one kernel each, as
 * PyTorch's `convolution_backward` rows do; the others time forward + backward.
 *
 * @example
 * ```ts
 * import { makeOps } from "./ops.ts";
 * const ops = makeOps();
 * const y = ops.ops["matmul 128x784·784x256"](); // [128, 256]
 * ops.dispose();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { randn, Rng } from "../lib/random.ts";

/** Name → one iteration (returns a tensor the timer reads back), and `dispose` for the inputs. */
export interface Ops {
  ops: Record<string, () => tf.Tensor>;
  dispose: () => void;
}

/** The inputs, made once, and the ops over them. */
export function makeOps(seed = 0): Ops {
  const rng = new Rng(seed);
  const r = (shape: number[], std = 1) => randn(rng, shape, std);
  const a = r([128, 784]), w = r([784, 256]), dout = r([128, 256]);
  const x14 = r([128, 14, 14, 32]) as tf.Tensor4D, f = r([3, 3, 32, 64]) as tf.Tensor4D;
  const dy14 = r([128, 14, 14, 64]) as tf.Tensor4D;
  const x28 = r([128, 28, 28, 32]) as tf.Tensor4D, dpool = r([128, 14, 14, 32]);
  const xbn = r([128, 256]), gamma = r([256]), beta = r([256]);
  const xs = r([32, 256]), hs = r([32, 256]), cs = r([32, 256]);
  const wx = r([256, 1024], 0.05), wh = r([256, 1024], 0.05), bl = r([1024]);
  const row = r([1, 256]), scores = r([2048, 65]);
  const inputs = [
    ...[a, w, dout, x14, f, dy14, x28, dpool, xbn, gamma, beta, xs, hs, cs, wx, wh, bl],
    ...[row, scores],
  ];
  const ops: Record<string, () => tf.Tensor> = {
    "matmul 128x784·784x256": () => tf.matMul(a, w),
    "matmul ᵀ 784x128·128x256 (dW)": () => tf.matMul(a, dout, true, false),
    "matmul ᵀ 128x256·256x784 (dX)": () => tf.matMul(dout, w, false, true),
    "conv2d fwd 128x14x14x32 → 64, 3x3": () => tf.conv2d(x14, f, 1, "same"),
    "conv2d dX 128x14x14x64 → 32, 3x3": () => tf.conv2dTranspose(dy14, f, x14.shape, 1, "same"),
    // tfjs has no public op for the filter gradient alone; this is the kernel tf.grad calls.
    "conv2d dW 3x3x32x64 from 128x14x14": () =>
      tf.engine().runKernel("Conv2DBackpropFilter", { x: x14, dy: dy14 }, {
        strides: 1,
        pad: "same",
        dataFormat: "NHWC",
        filterShape: f.shape,
      }) as tf.Tensor,
    "maxpool 2x2 fwd+bwd 128x28x28x32": () =>
      tf.grad((x) => tf.maxPool(x as tf.Tensor4D, 2, 2, "valid"))(x28, dpool),
    "batchnorm fwd+bwd 128x256": () =>
      tf.addN(
        tf.grads((x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
          const { mean, variance } = tf.moments(x, 0);
          return tf.batchNorm(x, mean, variance, b, g, 1e-5);
        })([xbn, gamma, beta], xbn).map((g) => g.sum()),
      ),
    // The kernels gradlab owns (lib/kernels/), at the sizes the steps above use them.
    "tile [1,256] → [128,256]": () => tf.tile(row, [128, 1]),
    "tanh [32,256]": () => tf.tanh(xs),
    "exp [2048,65]": () => tf.exp(scores),
    "logSoftmax [2048,65]": () => tf.logSoftmax(scores),
    "sum axis 0 [128,256]": () => tf.sum(xbn, 0),
    "mean axis 0 [128,256]": () => tf.mean(xbn, 0),
    "sum [784,256]": () => tf.sum(w),
    "LSTM step fwd+bwd 32x256": () =>
      tf.addN(
        tf.grads((wx: tf.Tensor, wh: tf.Tensor, b: tf.Tensor) => {
          const [h, c] = lstmStep(xs, hs, cs, wx, wh, b);
          return tf.add(h.sum(), c.sum());
        })([wx, wh, bl]).map((g) => g.sum()),
      ),
  };
  return { ops, dispose: () => tf.dispose(inputs) };
}

/**
 * One LSTM step, gates in the order i, f, o, g.
 *
 * @param x input [N, D]; h, c: state [N, H]; wx [D, 4H]; wh [H, 4H]; b [4H]
 * @returns [h′, c′], each [N, H]
 */
export function lstmStep(
  x: tf.Tensor,
  h: tf.Tensor,
  c: tf.Tensor,
  wx: tf.Tensor,
  wh: tf.Tensor,
  b: tf.Tensor,
): [tf.Tensor, tf.Tensor] {
  const z = tf.add(tf.add(tf.matMul(x, wx), tf.matMul(h, wh)), b);
  const [i, f, o, g] = tf.split(z, 4, 1);
  const c2 = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
  return [tf.mul(tf.sigmoid(o), tf.tanh(c2)), c2];
}
