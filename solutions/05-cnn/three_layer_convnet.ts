/**
 * Task 5 — ThreeLayerConvNet: the first convolutional network you train.
 *
 *     conv (F filters of K×K, stride 1, pad (K − 1)/2) → [spatial batchnorm] → ReLU
 *       → 2×2 max pool, stride 2 → affine (H hidden) → ReLU → affine (C classes) → softmax
 *
 * The padding keeps the image's height and width through the convolution;
 * the pool halves them. On Fashion-MNIST (28×28×1) with F = 32:
 *
 *     x [N, 28, 28, 1] → conv [N, 28, 28, 32] → pool [N, 14, 14, 32] → affine [N, H] → scores [N, 10]
 *
 * It is built from your layers: `convForwardFast` (Task 2),
 * `maxPoolForwardFast` (Task 3), `spatialBatchnormForward` (Task 4), and
 * assignment 1's affine, ReLU and softmax loss.
 *
 * **Parameters:** W1 [K, K, C, F], b1 [F]; with batchnorm gamma1, beta1 [F];
 * W2 [(H/2)·(W/2)·F, hidden], b2; W3 [hidden, classes], b3. **State** (with
 * batchnorm only): the running statistics runningMean1, runningVar1 [F], as
 * assignment 3's nets keep them. The forward pass takes the state and
 * returns the next one; the Solver carries it from step to step.
 *
 * @example The net for Fashion-MNIST, as the Solver wants it
 * ```ts
 * import { Rng } from "../../lib/random.ts";
 * import { initThreeLayerConvNet, threeLayerConvNetModel } from "./three_layer_convnet.ts";
 * const { params, state } = initThreeLayerConvNet(new Rng(0), {
 *   inputShape: [28, 28, 1], filters: 32, filterSize: 3, hidden: 100, batchnorm: true,
 * });
 * console.log(Object.keys(params)); // ["W1", "b1", "gamma1", "beta1", "W2", "b2", "W3", "b3"]
 * const model = threeLayerConvNetModel(1e-4); // for new Solver(model, params, data, { state, … })
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
  affineReluBackward,
  type AffineReluCache,
  affineReluForward,
  reluBackward,
  reluForward,
} from "../01-backprop/layers.ts";
import { l2Regularization, softmaxLoss } from "../01-backprop/losses.ts";
import { initBatchnormState, type NormMode } from "../03-normalization/batchnorm.ts";
import { checkMode } from "../03-normalization/checks.ts";
import { convBackwardFast, type ConvFastCache, convForwardFast } from "./conv_fast.ts";
import type { ConvParam, PoolParam } from "./geometry.ts";
import { maxPoolBackwardFast, maxPoolForwardFast, type PoolCache } from "./pooling.ts";
import {
  spatialBatchnormBackward,
  type SpatialBatchnormCache,
  spatialBatchnormForward,
} from "./spatial_norm.ts";

/** W1, b1, (gamma1, beta1,) W2, b2, W3, b3 (see the module doc). */
export type ConvNetParams = Record<string, tf.Tensor>;

/** runningMean1 and runningVar1 with batchnorm; `{}` without. */
export type ConvNetState = Record<string, tf.Tensor>;

/** The net's sizes. Every key but inputShape is optional; any other key is an error. */
export interface ThreeLayerConvNetOptions {
  /** [H, W, C] of one image; H and W even (the pool halves them) */
  inputShape: [number, number, number];
  /** F, the number of filters; default 32 */
  filters?: number;
  /** K, the filters' height and width, odd; default 7 */
  filterSize?: number;
  /** the hidden affine layer's width; default 100 */
  hidden?: number;
  /** default 10 */
  classes?: number;
  /** spatial batchnorm between the convolution and its ReLU; default false */
  batchnorm?: boolean;
  /**
   * The standard deviation of every weight, or `"he"` for N(0, 2/fan_in) layer
   * by layer; default `"he"`. (CS231n's 1e-3 makes the initial scores ≈ 0.)
   */
  weightScale?: number | "he";
}

const OPTION_KEYS = [
  "inputShape",
  "filters",
  "filterSize",
  "hidden",
  "classes",
  "batchnorm",
  "weightScale",
];

/** The pool of every ThreeLayerConvNet: 2×2, stride 2. */
export const POOL: PoolParam = { height: 2, width: 2, stride: 2 };

/** What {@linkcode threeLayerConvNetBackward} needs from the forward pass. */
export interface ThreeLayerConvNetCache {
  conv: ConvFastCache;
  /** absent without batchnorm */
  batchnorm?: SpatialBatchnormCache;
  /** the ReLU's input */
  relu: tf.Tensor4D;
  pool: PoolCache;
  hidden: AffineReluCache;
  scores: AffineCache;
}

/**
 * A new net: weights from `weightScale`, zero biases; with batchnorm γ = 1,
 * β = 0, running mean 0 and variance 1.
 *
 * @param rng the random source (W1 is drawn first, then W2, W3)
 * @param options the sizes (see {@linkcode ThreeLayerConvNetOptions})
 * @returns `{ params, state }`; you own them (the Solver does once given them)
 */
export function initThreeLayerConvNet(
  rng: Rng,
  options: ThreeLayerConvNetOptions,
): { params: ConvNetParams; state: ConvNetState } {
  const {
    inputShape,
    filters = 32,
    filterSize = 7,
    hidden = 100,
    classes = 10,
    batchnorm = false,
    weightScale = "he",
  } = checkOptions(options);
  const [h, w, c] = inputShape;
  const std = (fanIn: number) => weightScale === "he" ? Math.sqrt(2 / fanIn) : weightScale;
  const pooled = (h / 2) * (w / 2) * filters;
  const params: ConvNetParams = {
    W1: randn(rng, [filterSize, filterSize, c, filters], std(filterSize * filterSize * c)),
    b1: tf.zeros([filters]),
  };
  const state: ConvNetState = {};
  if (batchnorm) {
    params.gamma1 = tf.ones([filters]);
    params.beta1 = tf.zeros([filters]);
    const { runningMean, runningVar } = initBatchnormState(filters);
    state.runningMean1 = runningMean;
    state.runningVar1 = runningVar;
  }
  params.W2 = randn(rng, [pooled, hidden], std(pooled));
  params.b2 = tf.zeros([hidden]);
  params.W3 = randn(rng, [hidden, classes], std(hidden));
  params.b3 = tf.zeros([classes]);
  return { params, state };
}

/**
 * The forward pass: conv → [spatial batchnorm] → ReLU → pool → affine → ReLU → affine.
 *
 * The net has batchnorm when params holds gamma1 (then state holds
 * runningMean1 and runningVar1): call spatialBatchnormForward with `mode` and
 * those running statistics, and return the state it gives back under the
 * same keys. Return a **new** state object and leave `state` as it was.
 *
 * @param params W1, b1, (gamma1, beta1,) W2, b2, W3, b3
 * @param x images, [N, H, W, C]
 * @param state runningMean1, runningVar1 (batchnorm), or `{}`
 * @param mode `"train"` (batch statistics) or `"test"` (running statistics)
 * @returns `{ scores: [N, classes], cache, state }`
 */
export function threeLayerConvNetForward(
  params: ConvNetParams,
  x: tf.Tensor4D,
  state: ConvNetState,
  mode: NormMode,
): { scores: tf.Tensor2D; cache: ThreeLayerConvNetCache; state: ConvNetState } {
  const conv = checkNet("threeLayerConvNetForward", params, state, x);
  checkMode("threeLayerConvNetForward", mode);
  // BEGIN SOLUTION (Task 5)
  const W = (key: string) => params[key] as tf.Tensor4D & tf.Tensor2D & tf.Tensor1D;
  const nextState = { ...state };
  const [a, convCache] = convForwardFast(x, W("W1"), W("b1"), conv);
  let normed = a;
  let batchnorm: SpatialBatchnormCache | undefined;
  if ("gamma1" in params) {
    const running = {
      runningMean: state.runningMean1 as tf.Tensor1D,
      runningVar: state.runningVar1 as tf.Tensor1D,
    };
    const [out, cache, next] = spatialBatchnormForward(a, W("gamma1"), W("beta1"), mode, running);
    [normed, batchnorm] = [out, cache];
    nextState.runningMean1 = next.runningMean;
    nextState.runningVar1 = next.runningVar;
  }
  const [r, relu] = reluForward(normed);
  const [pooled, pool] = maxPoolForwardFast(r as tf.Tensor4D, POOL);
  const [h, hidden] = affineReluForward(pooled, W("W2"), W("b2"));
  const [scores, last] = affineForward(h, W("W3"), W("b3"));
  return {
    scores,
    cache: { conv: convCache, batchnorm, relu: relu as tf.Tensor4D, pool, hidden, scores: last },
    state: nextState,
  };
  // END SOLUTION
}

/**
 * The backward pass, from the scores' gradient back to every parameter and
 * to the images (the saliency map of Task 6 is that last gradient).
 *
 * @param dscores ∂L/∂scores, [N, classes]
 * @param cache from threeLayerConvNetForward
 * @returns grads (the keys and shapes of params; no regularisation) and dx [N, H, W, C]
 */
export function threeLayerConvNetBackward(
  dscores: tf.Tensor2D,
  cache: ThreeLayerConvNetCache,
): { grads: ConvNetParams; dx: tf.Tensor4D } {
  // BEGIN SOLUTION (Task 5)
  const grads: ConvNetParams = {};
  const top = affineBackward(dscores, cache.scores);
  [grads.W3, grads.b3] = [top.dw, top.db];
  const mid = affineReluBackward(top.dx as tf.Tensor2D, cache.hidden);
  [grads.W2, grads.b2] = [mid.dw, mid.db];
  const dpooled = mid.dx.reshape(cache.pool.out.shape) as tf.Tensor4D;
  const { dx: dr } = maxPoolBackwardFast(dpooled, cache.pool);
  let da = reluBackward(dr, cache.relu).dx as tf.Tensor4D;
  if (cache.batchnorm) {
    const { dx, dgamma, dbeta } = spatialBatchnormBackward(da, cache.batchnorm);
    [grads.gamma1, grads.beta1, da] = [dgamma, dbeta, dx];
  }
  const { dx, dw, db } = convBackwardFast(da, cache.conv);
  [grads.W1, grads.b1] = [dw, db];
  return { grads, dx };
  // END SOLUTION
}

/**
 * The training loss, its gradients and the next state: a train-mode forward
 * pass, the softmax loss, the backward pass, and ½·reg·(‖W1‖² + ‖W2‖² + ‖W3‖²).
 *
 * @param params W1, b1, (gamma1, beta1,) W2, b2, W3, b3
 * @param x images, [N, H, W, C]
 * @param y correct classes, int32, [N]
 * @param state runningMean1, runningVar1 (batchnorm), or `{}`
 * @param reg L2 strength on W1, W2, W3, ≥ 0
 * @returns the scalar loss, grads with the keys and shapes of params, and the next state
 */
export function threeLayerConvNetLoss(
  params: ConvNetParams,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  state: ConvNetState,
  reg: number,
): { loss: tf.Scalar; grads: ConvNetParams; state: ConvNetState } {
  if (!(reg >= 0)) throw new Error(`threeLayerConvNetLoss: reg must be a number ≥ 0, got ${reg}.`);
  const forward = threeLayerConvNetForward(params, x, state, "train");
  const [dataLoss, dscores] = softmaxLoss(forward.scores, y);
  const { grads } = threeLayerConvNetBackward(dscores, forward.cache);
  const penalties = ["W1", "W2", "W3"].map((key) => {
    const [penalty, dw] = l2Regularization(params[key], reg);
    grads[key] = tf.add(grads[key], dw);
    return penalty;
  });
  return { loss: tf.addN([dataLoss, ...penalties]) as tf.Scalar, grads, state: forward.state };
}

/**
 * The net as the Solver's {@linkcode Model}: the training loss (train mode)
 * and the scores (test mode).
 *
 * @param reg L2 strength on the weights, ≥ 0
 * @returns `{ loss(params, x, y, state), scores(params, x, state) }`
 */
export function threeLayerConvNetModel(reg: number): Model<ConvNetParams, ConvNetState> {
  if (!(reg >= 0)) throw new Error(`threeLayerConvNetModel: reg must be a number ≥ 0, got ${reg}.`);
  return {
    loss: (params, x, y, state = {}) =>
      threeLayerConvNetLoss(params, x as tf.Tensor4D, y as tf.Tensor1D, state, reg),
    scores: (params, x, state = {}) =>
      threeLayerConvNetForward(params, x as tf.Tensor4D, state, "test").scores,
  };
}

function checkOptions(options: ThreeLayerConvNetOptions): ThreeLayerConvNetOptions {
  const fn = "initThreeLayerConvNet";
  rejectUnknownKeys(fn, options, OPTION_KEYS);
  const { inputShape, filterSize = 7, weightScale = "he" } = options;
  if (
    !Array.isArray(inputShape) || inputShape.length !== 3 ||
    !inputShape.every((d) => Number.isInteger(d) && d >= 1)
  ) {
    throw new Error(`${fn}: inputShape must be [H, W, C], positive integers, got ${inputShape}.`);
  }
  if (inputShape[0] % 2 !== 0 || inputShape[1] % 2 !== 0) {
    throw new Error(
      `${fn}: the 2×2 pool needs an even height and width, got ${inputShape[0]}×${inputShape[1]}.`,
    );
  }
  for (const key of ["filters", "hidden", "classes"] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      throw new Error(`${fn}: ${key} must be an integer ≥ 1, got ${value}.`);
    }
  }
  if (!(Number.isInteger(filterSize) && filterSize >= 1 && filterSize % 2 === 1)) {
    throw new Error(
      `${fn}: filterSize must be an odd integer (so that pad (K − 1)/2 keeps the size), got ${filterSize}.`,
    );
  }
  if (weightScale !== "he" && !(typeof weightScale === "number" && weightScale > 0)) {
    throw new Error(`${fn}: weightScale must be a number > 0 or "he", got ${weightScale}.`);
  }
  return options;
}

/**
 * Checks that params and state are a ThreeLayerConvNet's (every key, every
 * shape that must agree) and that x fits it; returns the convolution's geometry.
 */
function checkNet(
  fn: string,
  params: ConvNetParams,
  state: ConvNetState,
  x: tf.Tensor,
): ConvParam {
  const batchnorm = "gamma1" in params;
  const expected = [
    "W1",
    "b1",
    ...(batchnorm ? ["gamma1", "beta1"] : []),
    "W2",
    "b2",
    "W3",
    "b3",
  ];
  const keys = Object.keys(params);
  if (keys.length !== expected.length || !expected.every((k) => k in params)) {
    throw new Error(
      `${fn}: params must be ${expected.join(", ")} (from initThreeLayerConvNet), got ${
        keys.join(", ")
      }.`,
    );
  }
  const stateKeys = batchnorm ? ["runningMean1", "runningVar1"] : [];
  if (
    Object.keys(state).length !== stateKeys.length || !stateKeys.every((k) => k in state)
  ) {
    throw new Error(
      `${fn}: state must be {${stateKeys.join(", ")}} for this net ` +
        `(from initThreeLayerConvNet), got {${Object.keys(state).join(", ")}}.`,
    );
  }
  const [k, , c, f] = params.W1.shape;
  if (!(x instanceof tf.Tensor) || x.rank !== 4 || x.shape[3] !== c) {
    throw new Error(
      `${fn}: x must be images [N, H, W, ${c}], got ${
        x instanceof tf.Tensor ? `shape [${x.shape}]` : typeof x
      }. Reshape flat rows first: x.reshape([N, H, W, C]).`,
    );
  }
  const [, h, w] = x.shape as [number, number, number, number];
  const pooled = (h / 2) * (w / 2) * f;
  if (params.W2.shape[0] !== pooled) {
    throw new Error(
      `${fn}: W2 has ${params.W2.shape[0]} rows but ${h}×${w} images give ` +
        `${pooled} pooled features: was the net made for another inputShape?`,
    );
  }
  return { stride: 1, pad: (k - 1) / 2 };
}
