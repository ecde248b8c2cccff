/**
 * Task 4 — A fully connected net of any depth, with optional normalisation.
 *
 * Every hidden layer is affine → normalisation → ReLU, the order of the
 * batchnorm paper: the normalisation sits after the affine layer, on the
 * pre-activations, and before the non-linearity.
 *
 *     {affine → norm → ReLU} × (L − 1) → affine → softmax
 *     loss = softmaxLoss(scores, y) + ½·reg·Σₗ ‖Wₗ‖²
 *
 * with norm one of `"batchnorm"` (Tasks 1–2), `"layernorm"` (Task 3) or
 * `"none"` (assignment 2's net). The last layer is never normalised.
 *
 * **Parameters** (learned, updated by the Solver's update rule): W1, b1, …,
 * WL, bL for `dims` = [D, H₁, …, H_{L−1}, C], and, when normalised, γ and β
 * of each hidden layer l: `gamma${l}`, `beta${l}`, shape [H_l].
 *
 * **State** (carried, never learned): with batchnorm, each hidden layer's
 * running statistics `runningMean${l}` and `runningVar${l}`, shape [H_l].
 * A train-mode pass returns them updated; the Solver keeps them, saves them
 * in checkpoints and restores them with the best parameters, but hands only
 * the parameters to the update rule. With layernorm or none the state is
 * empty, `{}`.
 *
 * **Options** are one object, {@linkcode FcNetOptions}, so that later
 * assignments add settings (dropout, say) without changing any signature.
 *
 * @example A 6-layer batchnorm net for Fashion-MNIST, as the Solver wants it
 * ```ts
 * import { Rng } from "../../lib/random.ts";
 * import { fcNetModel, initFcNet } from "./fc_net.ts";
 * const options = { normalization: "batchnorm", reg: 1e-4 } as const;
 * const { params, state } = initFcNet(new Rng(0), [784, 100, 100, 100, 100, 100, 10], options);
 * console.log(Object.keys(params)); // ["W1", "b1", "gamma1", "beta1", …, "W6", "b6"]
 * console.log(Object.keys(state));  // ["runningMean1", "runningVar1", …, "runningVar5"]
 * const model = fcNetModel(options); // for new Solver(model, params, data, { state, … })
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { rejectUnknownKeys } from "../../lib/options.ts";
import { randn, type Rng } from "../../lib/random.ts";
import type { Model } from "../../lib/solver.ts";
import {
  affineBackward,
  type AffineCache,
  affineForward,
  reluBackward,
  reluForward,
} from "../01-backprop/layers.ts";
import { l2Regularization, softmaxLoss } from "../01-backprop/losses.ts";
import {
  batchnormBackwardClosedForm,
  type BatchnormCache,
  batchnormForward,
  initBatchnormState,
} from "./batchnorm.ts";
import { checkEps, checkMode, checkMomentum, DEFAULT_EPS, DEFAULT_MOMENTUM } from "./checks.ts";
import type { NormMode } from "./checks.ts";
import { layernormBackward, type LayernormCache, layernormForward } from "./layernorm.ts";
import { NotImplementedError } from "../../lib/errors.ts";

/** Which normalisation the hidden layers use. */
export type Normalization = "batchnorm" | "layernorm" | "none";

/** The normalisations, for checks and messages. */
export const NORMALIZATIONS: readonly Normalization[] = ["batchnorm", "layernorm", "none"];

/** W1, b1, gamma1, beta1, …, WL, bL (see the module doc). */
export type FcNetParams = Record<string, tf.Tensor>;

/** runningMean1, runningVar1, … with batchnorm; `{}` otherwise. */
export type FcNetState = Record<string, tf.Tensor>;

/**
 * How the net computes. Every key is optional; any other key is an error.
 * Later assignments add keys here.
 */
export interface FcNetOptions {
  /** the hidden layers' normalisation; default `"none"` */
  normalization?: Normalization;
  /** L2 strength on the weights Wₗ (not b, γ, β), ≥ 0; default 0 */
  reg?: number;
  /** ε of the normalisation layers, > 0; default 1e-5 */
  eps?: number;
  /** the batchnorm running statistics' momentum, in [0, 1); default 0.9 */
  momentum?: number;
}

const OPTION_KEYS = ["normalization", "reg", "eps", "momentum"];

/** How {@linkcode initFcNet} draws the weights. */
export interface FcNetInit {
  /** the hidden layers' normalisation (decides whether there are γ, β and running statistics); default `"none"` */
  normalization?: Normalization;
  /**
   * The standard deviation of every Wₗ's entries, or `"he"` for N(0, 2/fan_in)
   * layer by layer; default `"he"`. The weight-scale experiment sweeps it.
   */
  weightScale?: number | "he";
}

/** What a hidden layer's backward pass needs: the caches of its three parts. */
export interface HiddenCache {
  affine: AffineCache;
  /** the normalisation's cache; absent with `"none"` */
  norm?: BatchnormCache | LayernormCache;
  /** the ReLU's input */
  relu: tf.Tensor;
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
 * A new net: weights from `init.weightScale`, zero biases, γ = 1 and β = 0
 * (each normalisation starts as the identity on normalised inputs), running
 * mean 0 and variance 1.
 *
 * @param rng the random source (W1 is drawn first, then W2, …)
 * @param dims [D, H₁, …, C]: at least two numbers, each a positive integer
 * @param init `{ normalization?, weightScale? }`
 * @returns `{ params, state }`; you own them (the Solver does once given them)
 */
export function initFcNet(
  rng: Rng,
  dims: readonly number[],
  init: FcNetInit = {},
): { params: FcNetParams; state: FcNetState } {
  rejectUnknownKeys("initFcNet", init, ["normalization", "weightScale"]);
  const { normalization = "none", weightScale = "he" } = init;
  checkNormalization("initFcNet", normalization);
  if (dims.length < 2 || !dims.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new Error(
      `initFcNet: dims must be [inputs, hidden…, classes], positive integers, got [${dims}].`,
    );
  }
  if (weightScale !== "he" && !(typeof weightScale === "number" && weightScale > 0)) {
    throw new Error(
      `initFcNet: weightScale must be a number > 0 (the weights' std) or "he", got ${weightScale}.`,
    );
  }
  const params: FcNetParams = {};
  const state: FcNetState = {};
  const layers = dims.length - 1;
  for (let l = 1; l <= layers; l++) {
    const [fanIn, fanOut] = [dims[l - 1], dims[l]];
    const std = weightScale === "he" ? Math.sqrt(2 / fanIn) : weightScale;
    params[`W${l}`] = randn(rng, [fanIn, fanOut], std);
    params[`b${l}`] = tf.zeros([fanOut]);
    if (l === layers || normalization === "none") continue;
    params[`gamma${l}`] = tf.ones([fanOut]);
    params[`beta${l}`] = tf.zeros([fanOut]);
    if (normalization === "batchnorm") {
      const { runningMean, runningVar } = initBatchnormState(fanOut);
      state[`runningMean${l}`] = runningMean;
      state[`runningVar${l}`] = runningVar;
    }
  }
  return { params, state };
}

/**
 * Task 4 — The forward pass: L − 1 hidden layers of affine → norm → ReLU,
 * then an affine layer to the scores.
 *
 * Per hidden layer l, with W = params[`W${l}`] and so on:
 * - `"batchnorm"`: {@linkcode batchnormForward} with γ, β = params[`gamma${l}`],
 *   params[`beta${l}`], the running statistics runningMean${l},
 *   runningVar${l} of `state`, `mode`, and `{ eps, momentum }`; put the
 *   state it returns into the state you return, under the same keys;
 * - `"layernorm"`: {@linkcode layernormForward} with γ, β and `{ eps }` (it
 *   has no mode and no state);
 * - `"none"`: nothing between the affine layer and the ReLU.
 *
 * Return a **new** state object and leave `state` as it was. In test mode,
 * or without batchnorm, the state returned holds the same tensors.
 *
 * @param params W1, b1, (gamma1, beta1,) …, WL, bL
 * @param x inputs, shape [N, D]
 * @param state runningMean1, runningVar1, … (batchnorm), or `{}`
 * @param mode `"train"` (batch statistics) or `"test"` (running statistics)
 * @param options `{ normalization?, eps?, momentum? }` (reg is the loss's business)
 * @returns `{ scores: [N, C], cache, state }`
 */
export function fcNetForward(
  params: FcNetParams,
  x: tf.Tensor,
  state: FcNetState,
  mode: NormMode,
  options: FcNetOptions = {},
): { scores: tf.Tensor2D; cache: FcNetCache; state: FcNetState } {
  const layers = checkFcNet("fcNetForward", params, state, options);
  checkMode("fcNetForward", mode);
  const { normalization = "none", eps = DEFAULT_EPS, momentum = DEFAULT_MOMENTUM } = options;
  // TODO: Implement for Task 4.
  throw new NotImplementedError("fcNetForward", 4);
}

/**
 * Task 4 — The backward pass: from the gradient of the scores back through
 * every layer, last to first. Use {@linkcode batchnormBackwardClosedForm}
 * for batchnorm (the faster of your two; they agree).
 *
 * @param dscores ∂L/∂scores, shape [N, C]
 * @param cache from a train-mode {@linkcode fcNetForward}
 * @returns the gradient of every parameter: the keys and shapes of params
 *   (no regularisation: {@linkcode fcNetLoss} adds it)
 */
export function fcNetBackward(dscores: tf.Tensor2D, cache: FcNetCache): FcNetParams {
  // TODO: Implement for Task 4.
  throw new NotImplementedError("fcNetBackward", 4);
}

/**
 * The training loss, its gradients and the next state: a train-mode
 * forward pass, the softmax loss, the backward pass, and the L2 penalty on
 * the weights.
 *
 * @param params W1, b1, (gamma1, beta1,) …, WL, bL
 * @param x inputs, shape [N, D]
 * @param y correct classes, int32, shape [N]
 * @param state runningMean1, runningVar1, … (batchnorm), or `{}`
 * @param options `{ normalization?, reg?, eps?, momentum? }`
 * @returns the scalar loss, grads with the keys and shapes of params, and the next state
 */
export function fcNetLoss(
  params: FcNetParams,
  x: tf.Tensor,
  y: tf.Tensor,
  state: FcNetState,
  options: FcNetOptions = {},
): { loss: tf.Scalar; grads: FcNetParams; state: FcNetState } {
  const { reg = 0 } = options;
  if (!(reg >= 0)) throw new Error(`fcNetLoss: options.reg must be a number ≥ 0, got ${reg}.`);
  const forward = fcNetForward(params, x, state, "train", options);
  const [dataLoss, dscores] = softmaxLoss(forward.scores, y as tf.Tensor1D);
  const grads = fcNetBackward(dscores, forward.cache);
  const penalties = Object.keys(params).filter((key) => /^W\d+$/.test(key)).map((key) => {
    const [penalty, dw] = l2Regularization(params[key], reg);
    grads[key] = tf.add(grads[key], dw);
    return penalty;
  });
  return { loss: tf.addN([dataLoss, ...penalties]) as tf.Scalar, grads, state: forward.state };
}

/**
 * The class scores at test time: a test-mode forward pass (batchnorm uses
 * the running statistics, so each example's scores are its own).
 *
 * @param params W1, b1, (gamma1, beta1,) …, WL, bL
 * @param x inputs, shape [N, D]
 * @param state runningMean1, runningVar1, … (batchnorm), or `{}`
 * @param options `{ normalization?, eps? }` and any other net option
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
 * The net as the Solver's {@linkcode Model}: the training loss (train mode)
 * and the scores (test mode). Give the Solver the state from
 * {@linkcode initFcNet} as its `state` option.
 *
 * @param options `{ normalization?, reg?, eps?, momentum? }`
 * @returns `{ loss(params, x, y, state), scores(params, x, state) }`
 */
export function fcNetModel(options: FcNetOptions = {}): Model<FcNetParams, FcNetState> {
  checkFcNetOptions("fcNetModel", options);
  return {
    loss: (params, x, y, state = {}) => fcNetLoss(params, x, y, state, options),
    scores: (params, x, state = {}) => fcNetScores(params, x, state, options),
  };
}

/**
 * L, checking that params and state hold exactly the keys the options call
 * for, each of the right shape, and that the options are valid.
 */
export function checkFcNet(
  what: string,
  params: FcNetParams,
  state: FcNetState,
  options: FcNetOptions,
): number {
  checkFcNetOptions(what, options);
  const { normalization = "none" } = options;
  const layers = Object.keys(params).filter((key) => /^W\d+$/.test(key)).length;
  const expected: string[] = [];
  const expectedState: string[] = [];
  for (let l = 1; l <= layers; l++) {
    expected.push(`W${l}`, `b${l}`);
    if (l === layers || normalization === "none") continue;
    expected.push(`gamma${l}`, `beta${l}`);
    if (normalization === "batchnorm") expectedState.push(`runningMean${l}`, `runningVar${l}`);
  }
  const same = (keys: string[], want: string[]) =>
    keys.length === want.length && want.every((key) => keys.includes(key));
  if (layers < 1 || !same(Object.keys(params), expected)) {
    throw new Error(
      `${what}: with normalization "${normalization}", params must be ${
        describeKeys(expected, layers)
      } (from initFcNet with the same normalization), got ${Object.keys(params).join(", ")}.`,
    );
  }
  if (typeof state !== "object" || state === null || !same(Object.keys(state), expectedState)) {
    throw new Error(
      `${what}: with normalization "${normalization}", state must be ${
        expectedState.length ? describeKeys(expectedState, layers) : "{}"
      } (from initFcNet with the same normalization), got ${
        state && typeof state === "object" ? Object.keys(state).join(", ") || "{}" : state
      }.`,
    );
  }
  for (let l = 1; l <= layers; l++) {
    const [fanIn, fanOut] = (params[`W${l}`].shape as number[]).concat([NaN]).slice(0, 2);
    const wanted: Record<string, number[]> = { [`W${l}`]: [fanIn, fanOut], [`b${l}`]: [fanOut] };
    for (const key of [`gamma${l}`, `beta${l}`, `runningMean${l}`, `runningVar${l}`]) {
      wanted[key] = [fanOut];
    }
    for (const [key, shape] of Object.entries(wanted)) {
      const t = params[key] ?? state[key];
      if (t && !tf.util.arraysEqual(t.shape, shape)) {
        throw new Error(`${what}: ${key} must have shape [${shape}], got [${t.shape}].`);
      }
    }
    if (params[`W${l}`].rank !== 2 || (l > 1 && params[`W${l - 1}`].shape[1] !== fanIn)) {
      throw new Error(
        `${what}: W${l} has shape [${params[`W${l}`].shape}], which does not follow W${l - 1}'s.`,
      );
    }
  }
  return layers;
}

function checkFcNetOptions(what: string, options: FcNetOptions): void {
  rejectUnknownKeys(what, options, OPTION_KEYS);
  const { normalization = "none", reg = 0, eps, momentum } = options;
  checkNormalization(what, normalization);
  if (typeof reg !== "number" || !(reg >= 0)) {
    throw new Error(`${what}: options.reg must be a number ≥ 0, got ${reg}.`);
  }
  if (eps !== undefined) checkEps(what, eps);
  if (momentum !== undefined) checkMomentum(what, momentum);
}

function checkNormalization(what: string, normalization: unknown): void {
  if (!NORMALIZATIONS.includes(normalization as Normalization)) {
    throw new Error(
      `${what}: normalization must be one of ${
        NORMALIZATIONS.map((n) => `"${n}"`).join(", ")
      }, got ${JSON.stringify(normalization)}.`,
    );
  }
}

function describeKeys(keys: string[], layers: number): string {
  return keys.length <= 8
    ? keys.join(", ")
    : `${keys.slice(0, 6).join(", ")}, … (${layers} layers)`;
}
