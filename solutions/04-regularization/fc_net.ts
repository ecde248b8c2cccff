/**
 * Task 2 — Assignment 3's fully connected net, with dropout after each ReLU.
 *
 * Every hidden layer is affine → normalisation → ReLU → dropout:
 *
 *     {affine → norm → ReLU → dropout} × (L − 1) → affine → softmax
 *     loss = softmaxLoss(scores, y) + Σₗ (½·reg·‖Wₗ‖² + l1·Σ|Wₗ|)
 *
 * The normalisation is assignment 3's (`"batchnorm"`, `"layernorm"` or
 * `"none"`), with its parameters γ, β and, for batchnorm, its running
 * statistics as the model's state: {@linkcode initFcNet} is assignment 3's,
 * unchanged. Dropout adds no parameter and no state — only randomness, drawn
 * from the seeded `Rng` each train-mode pass is given. The last layer (the
 * scores) is never dropped.
 *
 * **Options** are assignment 3's object, {@linkcode FcNetOptions}, with two
 * more keys: `keepProbability` (dropout's p, the probability of **keeping**
 * a unit; leave it out for no dropout) and `l1` (the L1 strength; `reg` is
 * still the L2 strength). The penalties are Task 3's
 * ({@linkcode weightPenalty}); {@linkcode fcNetLoss} adds them.
 *
 * @example A 3-layer net with batchnorm and dropout (p = 0.5), as the Solver wants it
 * ```ts
 * import { Rng } from "../../lib/random.ts";
 * import { fcNetModel, initFcNet } from "./fc_net.ts";
 * const { params, state } = initFcNet(new Rng(0), [784, 500, 500, 10], { normalization: "batchnorm" });
 * const model = fcNetModel({ normalization: "batchnorm", keepProbability: 0.5, reg: 1e-4 });
 * // new Solver(model, params, data, { state, … }): it passes the dropout masks' rng to model.loss
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { rejectUnknownKeys } from "../../lib/options.ts";
import type { Rng } from "../../lib/random.ts";
import type { Model } from "../../lib/solver.ts";
import {
  affineBackward,
  type AffineCache,
  affineForward,
  reluBackward,
  reluForward,
} from "../01-backprop/layers.ts";
import { softmaxLoss } from "../01-backprop/losses.ts";
import {
  batchnormBackwardClosedForm,
  type BatchnormCache,
  batchnormForward,
} from "../03-normalization/batchnorm.ts";
import { DEFAULT_EPS, DEFAULT_MOMENTUM } from "../03-normalization/checks.ts";
import {
  checkFcNet as checkNormalizedFcNet,
  type FcNetOptions as NormalizedFcNetOptions,
  type FcNetParams,
  type FcNetState,
  type HiddenCache as NormalizedHiddenCache,
  type Normalization,
} from "../03-normalization/fc_net.ts";
import {
  layernormBackward,
  type LayernormCache,
  layernormForward,
} from "../03-normalization/layernorm.ts";
import { checkKeepProbability, checkMaskRng, checkNetMode, checkStrength } from "./checks.ts";
import { dropoutBackward, type DropoutCache, dropoutForward, type DropoutMode } from "./dropout.ts";
import { weightPenalty } from "./regularizers.ts";

export { initFcNet } from "../03-normalization/fc_net.ts";
export type { FcNetParams, FcNetState, Normalization } from "../03-normalization/fc_net.ts";

/**
 * How the net computes: assignment 3's options and two more. Every key is
 * optional; any other key is an error.
 */
export interface FcNetOptions extends NormalizedFcNetOptions {
  /**
   * Dropout after each hidden ReLU, keeping each unit with probability
   * `keepProbability`, in (0, 1]. Leave it out for no dropout layer at all.
   */
  keepProbability?: number;
  /** L1 strength on the weights Wₗ (not b, γ, β), ≥ 0; default 0. (`reg` is the L2 strength.) */
  l1?: number;
}

const OPTION_KEYS = ["normalization", "reg", "eps", "momentum", "keepProbability", "l1"];

/** What a hidden layer's backward pass needs: the caches of its four parts. */
export interface HiddenCache extends NormalizedHiddenCache {
  /** the dropout layer's cache (its mask); absent without dropout */
  dropout?: DropoutCache;
}

/** What {@linkcode fcNetBackward} needs from {@linkcode fcNetForward}. */
export interface FcNetCache {
  normalization: Normalization;
  /** one per hidden layer, first to last */
  hidden: HiddenCache[];
  /** the last (scores) layer's */
  last: AffineCache;
}

/**
 * Task 2 — The forward pass: L − 1 hidden layers of affine → norm → ReLU →
 * dropout, then an affine layer to the scores.
 *
 * Assignment 3's forward pass (copy yours), with one more step in each
 * hidden layer: when `options.keepProbability` is given, pass the ReLU's
 * output through {@linkcode dropoutForward} with that p, this `mode` and
 * this `rng` (layer 1's mask is drawn first, then layer 2's, …), and keep
 * its cache in the layer's `dropout`. Without `keepProbability` there is no
 * dropout layer: leave `dropout` out and draw nothing.
 *
 * @param params W1, b1, (gamma1, beta1,) …, WL, bL
 * @param x inputs, shape [N, D]
 * @param state runningMean1, runningVar1, … (batchnorm), or `{}`
 * @param mode `"train"` (batch statistics, units dropped) or `"test"` (running statistics, nothing dropped)
 * @param options `{ normalization?, eps?, momentum?, keepProbability? }` (reg and l1 are the loss's business)
 * @param rng the seeded generator of the dropout masks; needed in train mode with dropout
 * @returns `{ scores: [N, C], cache, state }`: the state as in assignment 3
 */
export function fcNetForward(
  params: FcNetParams,
  x: tf.Tensor,
  state: FcNetState,
  mode: DropoutMode,
  options: FcNetOptions = {},
  rng?: Rng,
): { scores: tf.Tensor2D; cache: FcNetCache; state: FcNetState } {
  const layers = checkFcNet("fcNetForward", params, state, options);
  checkNetMode("fcNetForward", mode);
  const {
    normalization = "none",
    eps = DEFAULT_EPS,
    momentum = DEFAULT_MOMENTUM,
    keepProbability,
  } = options;
  if (keepProbability !== undefined) checkMaskRng("fcNetForward", mode, rng);
  // BEGIN SOLUTION (Task 2)
  const nextState: FcNetState = { ...state };
  const W = (l: number) => params[`W${l}`] as tf.Tensor2D;
  const b = (l: number) => params[`b${l}`] as tf.Tensor1D;
  /** Layer l's normalisation of the pre-activations a: [out, cache]. */
  const normForward = (l: number, a: tf.Tensor2D): [tf.Tensor2D, HiddenCache["norm"]] => {
    const gamma = params[`gamma${l}`] as tf.Tensor1D, beta = params[`beta${l}`] as tf.Tensor1D;
    if (normalization === "layernorm") return layernormForward(a, gamma, beta, { eps });
    if (normalization === "none") return [a, undefined];
    const running = {
      runningMean: state[`runningMean${l}`] as tf.Tensor1D,
      runningVar: state[`runningVar${l}`] as tf.Tensor1D,
    };
    const [out, cache, next] = batchnormForward(a, gamma, beta, mode, running, { eps, momentum });
    nextState[`runningMean${l}`] = next.runningMean;
    nextState[`runningVar${l}`] = next.runningVar;
    return [out, cache];
  };
  const hidden: HiddenCache[] = [];
  let h = x;
  for (let l = 1; l < layers; l++) {
    const [a, affine] = affineForward(h, W(l), b(l));
    const [normed, norm] = normForward(l, a);
    const [activated, relu] = reluForward(normed);
    if (keepProbability === undefined) {
      hidden.push({ affine, norm, relu });
      h = activated;
      continue;
    }
    const [dropped, dropout] = dropoutForward(activated, keepProbability, mode, rng);
    hidden.push({ affine, norm, relu, dropout });
    h = dropped;
  }
  const [scores, last] = affineForward(h, W(layers), b(layers));
  return { scores, cache: { normalization, hidden, last }, state: nextState };
  // END SOLUTION
}

/**
 * Task 2 — The backward pass: from the gradient of the scores back through
 * every layer, last to first — assignment 3's, with each hidden layer's
 * dropout undone first (the last thing forward is the first thing backward),
 * through {@linkcode dropoutBackward} and the layer's own cache.
 *
 * @param dscores ∂L/∂scores, shape [N, C]
 * @param cache from a train-mode {@linkcode fcNetForward}
 * @returns the gradient of every parameter: the keys and shapes of params
 *   (no penalty: {@linkcode fcNetLoss} adds it)
 */
export function fcNetBackward(dscores: tf.Tensor2D, cache: FcNetCache): FcNetParams {
  // BEGIN SOLUTION (Task 2)
  const { hidden, last, normalization } = cache;
  const layers = hidden.length + 1;
  const grads: FcNetParams = {};
  const top = affineBackward(dscores, last);
  grads[`W${layers}`] = top.dw;
  grads[`b${layers}`] = top.db;
  let dh = top.dx as tf.Tensor2D;
  for (let l = layers - 1; l >= 1; l--) {
    const { affine, norm, relu, dropout } = hidden[l - 1];
    if (dropout) dh = dropoutBackward(dh, dropout).dx as tf.Tensor2D;
    let da = reluBackward(dh, relu).dx as tf.Tensor2D;
    if (normalization !== "none") {
      const { dx, dgamma, dbeta } = normalization === "batchnorm"
        ? batchnormBackwardClosedForm(da, norm as BatchnormCache)
        : layernormBackward(da, norm as LayernormCache);
      grads[`gamma${l}`] = dgamma;
      grads[`beta${l}`] = dbeta;
      da = dx;
    }
    const { dx, dw, db } = affineBackward(da, affine);
    grads[`W${l}`] = dw;
    grads[`b${l}`] = db;
    dh = dx as tf.Tensor2D;
  }
  return grads;
  // END SOLUTION
}

/**
 * The training loss, its gradients and the next state: a train-mode forward
 * pass (units dropped with masks from `rng`), the softmax loss, the backward
 * pass, and the L2 and L1 penalties on the weights ({@linkcode weightPenalty}).
 *
 * @param params W1, b1, (gamma1, beta1,) …, WL, bL
 * @param x inputs, shape [N, D]
 * @param y correct classes, int32, shape [N]
 * @param state runningMean1, runningVar1, … (batchnorm), or `{}`
 * @param options `{ normalization?, reg?, l1?, eps?, momentum?, keepProbability? }`
 * @param rng the seeded generator of the dropout masks; needed with dropout
 * @returns the scalar loss, grads with the keys and shapes of params, and the next state
 */
export function fcNetLoss(
  params: FcNetParams,
  x: tf.Tensor,
  y: tf.Tensor,
  state: FcNetState,
  options: FcNetOptions = {},
  rng?: Rng,
): { loss: tf.Scalar; grads: FcNetParams; state: FcNetState } {
  const { reg = 0, l1 = 0 } = options;
  const forward = fcNetForward(params, x, state, "train", options, rng);
  const [dataLoss, dscores] = softmaxLoss(forward.scores, y as tf.Tensor1D);
  const grads = fcNetBackward(dscores, forward.cache);
  if (reg === 0 && l1 === 0) return { loss: dataLoss, grads, state: forward.state };
  const penalty = weightPenalty(params, { reg, l1 });
  for (const [key, dw] of Object.entries(penalty.grads)) grads[key] = tf.add(grads[key], dw);
  return { loss: tf.add(dataLoss, penalty.penalty) as tf.Scalar, grads, state: forward.state };
}

/**
 * The class scores at test time: a test-mode forward pass (running
 * statistics, nothing dropped, no randomness).
 *
 * @param params W1, b1, (gamma1, beta1,) …, WL, bL
 * @param x inputs, shape [N, D]
 * @param state runningMean1, runningVar1, … (batchnorm), or `{}`
 * @param options the net's options
 * @returns scores, shape [N, C]
 */
export function fcNetScores(
  params: FcNetParams,
  x: tf.Tensor,
  state: FcNetState,
  options: FcNetOptions = {},
): tf.Tensor2D {
  return fcNetForward(params, x, state, "test", options).scores;
}

/**
 * The net as the Solver's {@linkcode Model}: the training loss (train mode,
 * dropout masks from the `rng` the Solver passes) and the scores (test
 * mode). Give the Solver the state from {@linkcode initFcNet} as its `state`
 * option.
 *
 * @param options `{ normalization?, reg?, l1?, eps?, momentum?, keepProbability? }`
 * @returns `{ loss(params, x, y, state, rng), scores(params, x, state) }`
 */
export function fcNetModel(options: FcNetOptions = {}): Model<FcNetParams, FcNetState> {
  checkFcNetOptions("fcNetModel", options);
  return {
    loss: (params, x, y, state = {}, rng) => fcNetLoss(params, x, y, state, options, rng),
    scores: (params, x, state = {}) => fcNetScores(params, x, state, options),
  };
}

/**
 * L, checking the options, and that params and state hold exactly the keys
 * the normalisation calls for, each of the right shape (assignment 3's check).
 */
export function checkFcNet(
  what: string,
  params: FcNetParams,
  state: FcNetState,
  options: FcNetOptions,
): number {
  checkFcNetOptions(what, options);
  const { keepProbability: _p, l1: _l1, ...normalized } = options;
  return checkNormalizedFcNet(what, params, state, normalized);
}

function checkFcNetOptions(what: string, options: FcNetOptions): void {
  rejectUnknownKeys(what, options, OPTION_KEYS);
  const { keepProbability, l1 = 0 } = options;
  if (keepProbability !== undefined) {
    checkKeepProbability(what, keepProbability, "options.keepProbability");
  }
  checkStrength(what, "options.l1", l1);
}
