/**
 * Tasks 1 and 2 — The vanilla RNN: one step, then a whole sequence with
 * backpropagation through time.
 *
 * At every time step the RNN reads one input vector and updates its hidden
 * state with the same weights:
 *
 *     h_t = tanh(x_t·Wx + h_{t−1}·Wh + b)
 *
 * Shapes, as in CS231n's `rnn_layers.py`: N sequences (the batch), T time
 * steps, D input features, H hidden units. Sequences are batch-major: x is
 * [N, T, D] and the hidden states are [N, T, H].
 *
 * Write every pass with tfjs ops on whole tensors (a loop over the T time
 * steps is fine and necessary; a loop over the N sequences is not), and read
 * no tensor values. Useful here: `tf.unstack(x, 1)` cuts [N, T, D] into T
 * tensors [N, D]; `tf.stack(list, 1)` puts T tensors [N, H] back into
 * [N, T, H]; `tf.matMul(a, b, false, true)` is a·bᵀ.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** What rnnStepBackward needs from the forward step. */
export interface RnnStepCache {
  x: tf.Tensor2D;
  prevH: tf.Tensor2D;
  wx: tf.Tensor2D;
  wh: tf.Tensor2D;
  nextH: tf.Tensor2D;
}

/** The gradients of one RNN step, each the shape of what it differentiates. */
export interface RnnStepGrads {
  dx: tf.Tensor2D;
  dprevH: tf.Tensor2D;
  dwx: tf.Tensor2D;
  dwh: tf.Tensor2D;
  db: tf.Tensor1D;
}

/**
 * Task 1 — One step of a vanilla RNN, forward: nextH = tanh(x·Wx + prevH·Wh + b).
 *
 * @param x inputs at this step, shape [N, D]
 * @param prevH the hidden state before it, shape [N, H]
 * @param wx input-to-hidden weights, shape [D, H]
 * @param wh hidden-to-hidden weights, shape [H, H]
 * @param b biases, shape [H]
 * @returns [nextH, cache]: nextH has shape [N, H]
 */
export function rnnStepForward(
  x: tf.Tensor2D,
  prevH: tf.Tensor2D,
  wx: tf.Tensor2D,
  wh: tf.Tensor2D,
  b: tf.Tensor1D,
): [tf.Tensor2D, RnnStepCache] {
  // BEGIN SOLUTION (Task 1)
  const nextH = tf.tanh(tf.add(tf.add(tf.matMul(x, wx), tf.matMul(prevH, wh)), b)) as tf.Tensor2D;
  return [nextH, { x, prevH, wx, wh, nextH }];
  // END SOLUTION
}

/**
 * Task 1 — One step of a vanilla RNN, backward. tanh′ = 1 − tanh², written
 * with the output the cache keeps.
 *
 * @param dnextH upstream gradient, shape [N, H]
 * @param cache from rnnStepForward
 * @returns dx [N, D], dprevH [N, H], dwx [D, H], dwh [H, H], db [H]
 */
export function rnnStepBackward(dnextH: tf.Tensor2D, cache: RnnStepCache): RnnStepGrads {
  // BEGIN SOLUTION (Task 1)
  const { x, prevH, wx, wh, nextH } = cache;
  const da = tf.mul(dnextH, tf.sub(1, tf.square(nextH))) as tf.Tensor2D; // through the tanh
  return {
    dx: tf.matMul(da, wx, false, true), // da·Wxᵀ
    dprevH: tf.matMul(da, wh, false, true), // da·Whᵀ
    dwx: tf.matMul(x, da, true, false), // xᵀ·da
    dwh: tf.matMul(prevH, da, true, false), // prevHᵀ·da
    db: tf.sum(da, 0),
  };
  // END SOLUTION
}

/** What rnnBackward needs from the forward pass. */
export interface RnnCache {
  x: tf.Tensor3D;
  h0: tf.Tensor2D;
  /** every step's hidden state, [N, T, H] */
  h: tf.Tensor3D;
  wx: tf.Tensor2D;
  wh: tf.Tensor2D;
}

/** The gradients of a whole sequence: each the shape of what it differentiates. */
export interface RnnGrads {
  dx: tf.Tensor3D;
  dh0: tf.Tensor2D;
  dwx: tf.Tensor2D;
  dwh: tf.Tensor2D;
  db: tf.Tensor1D;
}

/**
 * Task 2 — A vanilla RNN over a whole sequence, forward: the step of Task 1
 * at each of the T steps, the hidden state carried from one step to the next.
 *
 * Only the recurrence is sequential. The input's part, x_t·Wx + b, does not
 * depend on the hidden state, so compute it for all N·T positions in one
 * product before the loop (reshape x to [N·T, D]); the loop then does
 * h_t = tanh(xw_t + h_{t−1}·Wh) alone. One large product is cheaper
 * than T small ones, and the char model's training budget counts on it.
 *
 * The state comes in as `h0` and goes out as the last column of `h`
 * (h[:, T − 1, :]), so a long text can be processed chunk after chunk:
 * the next chunk starts from where this one stopped (truncated BPTT).
 *
 * @param x inputs, shape [N, T, D]
 * @param h0 the initial hidden state, shape [N, H]
 * @param wx [D, H], wh [H, H], b [H]: the weights every step shares
 * @returns [h, cache]: h holds every step's hidden state, shape [N, T, H]
 */
export function rnnForward(
  x: tf.Tensor3D,
  h0: tf.Tensor2D,
  wx: tf.Tensor2D,
  wh: tf.Tensor2D,
  b: tf.Tensor1D,
): [tf.Tensor3D, RnnCache] {
  // BEGIN SOLUTION (Task 2)
  const [n, t, d] = x.shape;
  const size = wh.shape[0];
  const xw = tf.add(tf.matMul(x.reshape([n * t, d]) as tf.Tensor2D, wx), b).reshape([n, t, size]);
  const hs: tf.Tensor2D[] = [];
  let h = h0;
  for (const xwt of tf.unstack(xw, 1) as tf.Tensor2D[]) {
    h = tf.tanh(tf.add(xwt, tf.matMul(h, wh)));
    hs.push(h);
  }
  const all = tf.stack(hs, 1) as tf.Tensor3D;
  return [all, { x, h0, h: all, wx, wh }];
  // END SOLUTION
}

/**
 * Task 2 — Backpropagation through time. The hidden state h_t feeds two
 * things: the output at step t (whose gradient is dh[:, t, :]) and the next
 * step. So walk the steps in reverse, carrying the gradient that comes back
 * from step t + 1 and adding it to dh[:, t, :]:
 *
 *     da_t = (dh_t + dnext) ⊙ (1 − h_t²)        the gradient at tanh's input
 *     dnext = da_t·Whᵀ                          what goes back to h_{t−1}
 *
 * As in the forward pass, only this is sequential. The weights are shared
 * by every step, so their gradients add up over the steps: once the loop has
 * every da_t, dx, dWx, dWh and db are each one product (or sum) over all N·T
 * positions, with h_{t−1} (h0 for t = 0) as the input of step t
 * ({@linkcode previousStates} lines them up).
 *
 * @param dh upstream gradient of every hidden state, shape [N, T, H]
 * @param cache from rnnForward
 * @returns dx [N, T, D], dh0 [N, H], dwx [D, H], dwh [H, H], db [H]
 */
export function rnnBackward(dh: tf.Tensor3D, cache: RnnCache): RnnGrads {
  // BEGIN SOLUTION (Task 2)
  const { x, h0, h, wx, wh } = cache;
  const [n, t, d] = x.shape;
  const size = h0.shape[1];
  const whT = wh.transpose(); // once, not at every step
  const hs = tf.unstack(h, 1) as tf.Tensor2D[], dhs = tf.unstack(dh, 1) as tf.Tensor2D[];
  const das: tf.Tensor2D[] = new Array(t);
  let dnext = tf.zerosLike(h0) as tf.Tensor2D;
  for (let step = t - 1; step >= 0; step--) {
    das[step] = tf.mul(tf.add(dhs[step], dnext), tf.sub(1, tf.square(hs[step])));
    dnext = tf.matMul(das[step], whT);
  }
  const da = tf.stack(das, 1).reshape([n * t, size]) as tf.Tensor2D;
  const inputs = x.reshape([n * t, d]) as tf.Tensor2D;
  const prevH = previousStates(h0, h).reshape([n * t, size]) as tf.Tensor2D;
  return {
    dx: tf.matMul(da, wx, false, true).reshape([n, t, d]),
    dh0: dnext,
    dwx: tf.matMul(inputs, da, true, false),
    dwh: tf.matMul(prevH, da, true, false),
    db: tf.sum(da, 0),
  };
  // END SOLUTION
}

/**
 * The state each step starts from: h0 for step 0, then h[:, t − 1, :].
 *
 * @param h0 shape [N, H]
 * @param h every step's state, shape [N, T, H]
 * @returns shape [N, T, H]: h shifted one step later, h0 in front
 */
export function previousStates(h0: tf.Tensor2D, h: tf.Tensor3D): tf.Tensor3D {
  const [n, t, size] = h.shape;
  return tf.concat([h0.reshape([n, 1, size]), h.slice([0, 0, 0], [n, t - 1, size])], 1);
}
