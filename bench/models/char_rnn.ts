/**
 * The char-RNN step: a vanilla RNN, h_t = tanh(x_t·Wx + h_{t−1}·Wh + b), over
 * 64 characters of a 65-letter alphabet, hidden size 256, batch 32, with a
 * softmax loss on the next character at every step. Plain tfjs ops, autodiff
 * through time (`tf.variableGrads`), plain SGD. Same math as `rnn_step` in
 * bench/torch_bench.py: the input projection is one product for all steps.
 *
 *     chars: [T+1, N] → one-hot [T·N, V] → x·Wx: [T, N, H] → h_1…h_T: [T·N, H] → scores [T·N, V]
 *
 * @example
 * ```ts
 * import { makeCharRnnStep } from "./char_rnn.ts";
 * const rnn = makeCharRnnStep(4, 8);
 * const loss = rnn.step(); // scalar, ≈ ln 65 at first
 * rnn.dispose();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { randint, randn, Rng } from "../../lib/random.ts";
import type { TrainingStep } from "./training_step.ts";

const VOCAB = 65, HIDDEN = 256;

/** The char-RNN training step: `batch` sequences (default 32) of `steps` characters (default 64). */
export function makeCharRnnStep(batch = 32, steps = 64, seed = 0): TrainingStep {
  const rng = new Rng(seed);
  const chars = randint(rng, [steps + 1, batch], VOCAB) as tf.Tensor2D;
  const inputs = tf.tidy(() =>
    tf.oneHot(chars.slice([0, 0], [steps, batch]).reshape([-1]) as tf.Tensor1D, VOCAB).toFloat()
  );
  const targets = tf.tidy(() =>
    tf.oneHot(chars.slice([1, 0], [steps, batch]).reshape([-1]) as tf.Tensor1D, VOCAB).toFloat()
  );
  const p = {
    wx: tf.variable(randn(rng, [VOCAB, HIDDEN], Math.sqrt(1 / VOCAB))),
    wh: tf.variable(randn(rng, [HIDDEN, HIDDEN], Math.sqrt(1 / HIDDEN))),
    b: tf.variable(tf.zeros([HIDDEN])),
    wy: tf.variable(randn(rng, [HIDDEN, VOCAB], Math.sqrt(1 / HIDDEN))),
    by: tf.variable(tf.zeros([VOCAB])),
  };
  const loss = () => {
    const xw = tf.add(tf.matMul(inputs, p.wx), p.b).reshape([steps, batch, HIDDEN]);
    const xs = tf.unstack(xw) as tf.Tensor2D[];
    let h = tf.zeros([batch, HIDDEN]) as tf.Tensor2D;
    const hs: tf.Tensor2D[] = [];
    for (const x of xs) {
      h = tf.tanh(tf.add(x, tf.matMul(h, p.wh)));
      hs.push(h);
    }
    const scores = tf.add(tf.matMul(tf.concat(hs), p.wy), p.by);
    return tf.losses.softmaxCrossEntropy(targets, scores) as tf.Scalar;
  };
  chars.dispose();
  return {
    examples: batch,
    step: () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(loss);
        for (const v of Object.values(p)) v.assign(tf.sub(v, tf.mul(grads[v.name], 1e-3)));
        return value;
      }),
    dispose: () => tf.dispose([inputs, targets, ...Object.values(p)]),
  };
}
