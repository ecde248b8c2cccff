/**
 * Task 6 — The LSTM: its gates, one step, then a whole sequence.
 *
 * An LSTM keeps two states: the hidden state h (what it outputs) and the cell
 * state c (its memory). At every step one product computes four gates from
 * the input and the previous hidden state:
 *
 *     a = x·Wx + prevH·Wh + b                    [N, 4H], cut into four [N, H] blocks:
 *     i = σ(a₀)    input gate:  how much of g to write
 *     f = σ(a₁)    forget gate: how much of prevC to keep
 *     o = σ(a₂)    output gate: how much of the cell to show
 *     g = tanh(a₃) the candidate values to write
 *     nextC = f ⊙ prevC + i ⊙ g
 *     nextH = o ⊙ tanh(nextC)
 *
 * The blocks come in the order i, f, o, g along the last axis of a (and so of
 * Wx, Wh and b). The cell is updated by addition: its gradient flows back
 * through time multiplied only by f, not by a weight matrix and a tanh′ at
 * every step as in the vanilla RNN. That is why gradients survive long
 * sequences (see the handout's plot).
 *
 * The element-wise part, from a and prevC to nextH and nextC, is the same in
 * a single step and in a sequence, so it is written once: lstmGatesForward
 * and lstmGatesBackward. The step and the sequence add the products.
 *
 * Shapes: N sequences, T steps, D input features, H hidden units; sequences
 * are batch-major, [N, T, …], as in `rnn.ts`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { previousStates } from "./rnn.ts";

/** What lstmGatesBackward needs: the gates and the states around them, each [N, H]. */
export interface LstmGatesCache {
  i: tf.Tensor2D;
  f: tf.Tensor2D;
  o: tf.Tensor2D;
  g: tf.Tensor2D;
  prevC: tf.Tensor2D;
  /** tanh(nextC) */
  tanhC: tf.Tensor2D;
}

/**
 * Task 6 — The LSTM's element-wise part, forward: from the gates'
 * pre-activations a to the new states (the equations in the module doc).
 *
 * @param a the gates before their nonlinearities, blocks i, f, o, g, shape [N, 4H]
 * @param prevC the cell state before this step, shape [N, H]
 * @returns [nextH, nextC, cache]: nextH and nextC have shape [N, H]
 */
export function lstmGatesForward(
  a: tf.Tensor2D,
  prevC: tf.Tensor2D,
): [tf.Tensor2D, tf.Tensor2D, LstmGatesCache] {
  // BEGIN SOLUTION (Task 6)
  const h = prevC.shape[1];
  // The three sigmoid gates side by side: one op instead of three.
  const [i, f, o] = tf.split(tf.sigmoid(a.slice([0, 0], [-1, 3 * h])), 3, 1) as tf.Tensor2D[];
  const g = tf.tanh(a.slice([0, 3 * h], [-1, h])) as tf.Tensor2D;
  const nextC = tf.add(tf.mul(f, prevC), tf.mul(i, g)) as tf.Tensor2D;
  const tanhC = tf.tanh(nextC) as tf.Tensor2D;
  return [tf.mul(o, tanhC), nextC, { i, f, o, g, prevC, tanhC }];
  // END SOLUTION
}

/**
 * Task 6 — The LSTM's element-wise part, backward. nextC reaches the loss
 * two ways, through nextH = o ⊙ tanh(nextC) and through the next step's
 * cell (dnextC), so its gradient is the sum of both. Then back through each
 * gate's nonlinearity: σ′ = σ(1 − σ), tanh′ = 1 − tanh².
 *
 * @param dnextH upstream gradient of nextH, shape [N, H]
 * @param dnextC upstream gradient of nextC, shape [N, H]
 * @param cache from lstmGatesForward
 * @returns da [N, 4H] (blocks i, f, o, g) and dprevC [N, H]
 */
export function lstmGatesBackward(
  dnextH: tf.Tensor2D,
  dnextC: tf.Tensor2D,
  cache: LstmGatesCache,
): { da: tf.Tensor2D; dprevC: tf.Tensor2D } {
  // BEGIN SOLUTION (Task 6)
  const { i, f, o, g, prevC, tanhC } = cache;
  const dc = tf.add(dnextC, tf.mul(tf.mul(dnextH, o), tf.sub(1, tf.square(tanhC))));
  const dGates = tf.concat([tf.mul(dc, g), tf.mul(dc, prevC), tf.mul(dnextH, tanhC)], 1); // di, df, do
  const ifo = tf.concat([i, f, o], 1);
  const da = tf.concat([
    tf.mul(dGates, tf.mul(ifo, tf.sub(1, ifo))),
    tf.mul(tf.mul(dc, i), tf.sub(1, tf.square(g))), // dg through the tanh
  ], 1) as tf.Tensor2D;
  return { da, dprevC: tf.mul(dc, f) };
  // END SOLUTION
}

/** What lstmStepBackward needs from the forward step. */
export interface LstmStepCache {
  x: tf.Tensor2D;
  prevH: tf.Tensor2D;
  wx: tf.Tensor2D;
  wh: tf.Tensor2D;
  gates: LstmGatesCache;
}

/** The gradients of one LSTM step, each the shape of what it differentiates. */
export interface LstmStepGrads {
  dx: tf.Tensor2D;
  dprevH: tf.Tensor2D;
  dprevC: tf.Tensor2D;
  dwx: tf.Tensor2D;
  dwh: tf.Tensor2D;
  db: tf.Tensor1D;
}

/**
 * Task 6 — One LSTM step, forward: a = x·Wx + prevH·Wh + b, then the gates.
 *
 * @param x inputs at this step, shape [N, D]
 * @param prevH the hidden state before it, shape [N, H]
 * @param prevC the cell state before it, shape [N, H]
 * @param wx input-to-gates weights, shape [D, 4H]
 * @param wh hidden-to-gates weights, shape [H, 4H]
 * @param b gate biases, shape [4H]
 * @returns [nextH, nextC, cache]: nextH and nextC have shape [N, H]
 */
export function lstmStepForward(
  x: tf.Tensor2D,
  prevH: tf.Tensor2D,
  prevC: tf.Tensor2D,
  wx: tf.Tensor2D,
  wh: tf.Tensor2D,
  b: tf.Tensor1D,
): [tf.Tensor2D, tf.Tensor2D, LstmStepCache] {
  // BEGIN SOLUTION (Task 6)
  const a = tf.add(tf.add(tf.matMul(x, wx), tf.matMul(prevH, wh)), b) as tf.Tensor2D;
  const [nextH, nextC, gates] = lstmGatesForward(a, prevC);
  return [nextH, nextC, { x, prevH, wx, wh, gates }];
  // END SOLUTION
}

/**
 * Task 6 — One LSTM step, backward: through the gates, then the products.
 *
 * @param dnextH upstream gradient of nextH, shape [N, H]
 * @param dnextC upstream gradient of nextC, shape [N, H]
 * @param cache from lstmStepForward
 * @returns dx [N, D], dprevH [N, H], dprevC [N, H], dwx [D, 4H], dwh [H, 4H], db [4H]
 */
export function lstmStepBackward(
  dnextH: tf.Tensor2D,
  dnextC: tf.Tensor2D,
  cache: LstmStepCache,
): LstmStepGrads {
  // BEGIN SOLUTION (Task 6)
  const { x, prevH, wx, wh, gates } = cache;
  const { da, dprevC } = lstmGatesBackward(dnextH, dnextC, gates);
  return {
    dx: tf.matMul(da, wx, false, true), // da·Wxᵀ
    dprevH: tf.matMul(da, wh, false, true), // da·Whᵀ
    dprevC,
    dwx: tf.matMul(x, da, true, false), // xᵀ·da
    dwh: tf.matMul(prevH, da, true, false), // prevHᵀ·da
    db: tf.sum(da, 0),
  };
  // END SOLUTION
}

/** What lstmBackward needs from the forward pass. */
export interface LstmCache {
  x: tf.Tensor3D;
  h0: tf.Tensor2D;
  /** every step's hidden state, [N, T, H] */
  h: tf.Tensor3D;
  wx: tf.Tensor2D;
  wh: tf.Tensor2D;
  /** each step's lstmGatesForward cache, in time order */
  gates: LstmGatesCache[];
}

/** The gradients of a whole sequence: each the shape of what it differentiates. */
export interface LstmGrads {
  dx: tf.Tensor3D;
  dh0: tf.Tensor2D;
  dc0: tf.Tensor2D;
  dwx: tf.Tensor2D;
  dwh: tf.Tensor2D;
  db: tf.Tensor1D;
}

/**
 * Task 6 — An LSTM over a whole sequence, forward. As in `rnnForward`, the
 * input's part x·Wx + b is one product over all N·T positions before the
 * loop; each step then adds h_{t−1}·Wh and runs lstmGatesForward.
 *
 * Both states come in (h0, c0) and go out (the last column of h, and cT), so
 * a long text can be processed chunk after chunk (truncated BPTT).
 *
 * @param x inputs, shape [N, T, D]
 * @param h0 the initial hidden state, shape [N, H]
 * @param c0 the initial cell state, shape [N, H]
 * @param wx [D, 4H], wh [H, 4H], b [4H]: the weights every step shares
 * @returns [h, cT, cache]: h holds every step's hidden state, shape [N, T, H];
 *   cT is the cell state after the last step, shape [N, H]
 */
export function lstmForward(
  x: tf.Tensor3D,
  h0: tf.Tensor2D,
  c0: tf.Tensor2D,
  wx: tf.Tensor2D,
  wh: tf.Tensor2D,
  b: tf.Tensor1D,
): [tf.Tensor3D, tf.Tensor2D, LstmCache] {
  // BEGIN SOLUTION (Task 6)
  const [n, t, d] = x.shape;
  const xw = tf.add(tf.matMul(x.reshape([n * t, d]) as tf.Tensor2D, wx), b)
    .reshape([n, t, wx.shape[1]]);
  const hs: tf.Tensor2D[] = [], gates: LstmGatesCache[] = [];
  let h = h0, c = c0;
  for (const xwt of tf.unstack(xw, 1) as tf.Tensor2D[]) {
    let stepGates: LstmGatesCache;
    [h, c, stepGates] = lstmGatesForward(tf.add(xwt, tf.matMul(h, wh)), c);
    hs.push(h);
    gates.push(stepGates);
  }
  const all = tf.stack(hs, 1) as tf.Tensor3D;
  return [all, c, { x, h0, h: all, wx, wh, gates }];
  // END SOLUTION
}

/**
 * Task 6 — Backpropagation through time for the LSTM: as `rnnBackward`, with
 * the cell's gradient carried back alongside the hidden state's. Nothing in
 * the chunk uses cT, so the cell's gradient starts at zero. The loop runs
 * lstmGatesBackward and carries dnextH = da_t·Whᵀ and dnextC back; dx, dWx,
 * dWh and db are then one product (or sum) each over all N·T positions.
 *
 * @param dh upstream gradient of every hidden state, shape [N, T, H]
 * @param cache from lstmForward
 * @returns dx [N, T, D], dh0 [N, H], dc0 [N, H], dwx [D, 4H], dwh [H, 4H], db [4H]
 */
export function lstmBackward(dh: tf.Tensor3D, cache: LstmCache): LstmGrads {
  // BEGIN SOLUTION (Task 6)
  const { x, h0, h, wx, wh, gates } = cache;
  const [n, t, d] = x.shape;
  const size = h0.shape[1];
  const whT = wh.transpose(); // once, not at every step
  const dhs = tf.unstack(dh, 1) as tf.Tensor2D[];
  const das: tf.Tensor2D[] = new Array(t);
  let dnextH = tf.zerosLike(h0) as tf.Tensor2D, dnextC = dnextH;
  for (let step = t - 1; step >= 0; step--) {
    const { da, dprevC } = lstmGatesBackward(tf.add(dhs[step], dnextH), dnextC, gates[step]);
    das[step] = da;
    dnextH = tf.matMul(da, whT);
    dnextC = dprevC;
  }
  const da = tf.stack(das, 1).reshape([n * t, 4 * size]) as tf.Tensor2D;
  const inputs = x.reshape([n * t, d]) as tf.Tensor2D;
  const prevH = previousStates(h0, h).reshape([n * t, size]) as tf.Tensor2D;
  return {
    dx: tf.matMul(da, wx, false, true).reshape([n, t, d]),
    dh0: dnextH,
    dc0: dnextC,
    dwx: tf.matMul(inputs, da, true, false),
    dwh: tf.matMul(prevH, da, true, false),
    db: tf.sum(da, 0),
  };
  // END SOLUTION
}
