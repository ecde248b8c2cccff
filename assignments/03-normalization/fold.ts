/**
 * Task 5 — Folding batchnorm into the affine layer before it, for inference.
 *
 * At test time a batchnorm layer is a fixed affine map of each feature: with
 * σ = √(runningVar + ε),
 *
 *     bn(a) = γ·(a − runningMean)/σ + β = (γ/σ)·a + (β − γ·runningMean/σ)
 *
 * and the affine layer before it is a = x·W + b. Two affine maps in a row
 * are one affine map, so the pair can be replaced by a single affine layer:
 *
 *     W′ = W · γ/σ                 (column j of W scaled by γⱼ/σⱼ)
 *     b′ = (b − runningMean)·γ/σ + β
 *
 * A deployed network does exactly this: the folded net computes the same
 * test-mode scores with no normalisation layers at all — fewer ops, and
 * nothing left to get wrong about modes.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BatchnormState } from "./batchnorm.ts";
import { checkEps, DEFAULT_EPS } from "./checks.ts";
import { checkFcNet, type FcNetOptions, type FcNetParams, type FcNetState } from "./fc_net.ts";
import { NotImplementedError } from "../../lib/errors.ts";

/** An affine layer's weights and biases. */
export interface AffineParams {
  /** shape [D, M] */
  w: tf.Tensor2D;
  /** shape [M] */
  b: tf.Tensor1D;
}

/**
 * Task 5 — One affine layer followed by a test-mode batchnorm, folded into
 * one affine layer (the formulas in the module doc).
 *
 * @param affine `{ w: [D, M], b: [M] }`, the affine layer
 * @param gamma γ, shape [M]
 * @param beta β, shape [M]
 * @param state the batchnorm's running statistics, each shape [M]
 * @param eps the batchnorm's ε, > 0
 * @returns `{ w: [D, M], b: [M] }` with x·w + b = the batchnorm's test-mode output
 */
export function foldBatchnorm(
  affine: AffineParams,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  state: BatchnormState,
  eps = DEFAULT_EPS,
): AffineParams {
  checkFold(affine, gamma, beta, state, eps);
  // TODO: Implement for Task 5.
  throw new NotImplementedError("foldBatchnorm", 5);
}

/**
 * A whole batchnorm net folded: every hidden layer's affine → batchnorm
 * becomes one affine layer, so the result is a net with normalization
 * `"none"` and the same dims, whose scores equal the batchnorm net's
 * test-mode scores.
 *
 * @param params a batchnorm net's W1, b1, gamma1, beta1, …, WL, bL
 * @param state its running statistics
 * @param options its options (normalization `"batchnorm"`; eps as it was trained with)
 * @returns W1, b1, …, WL, bL (new tensors) for `fcNetScores(…, {}, { normalization: "none" })`
 */
export function foldFcNet(
  params: FcNetParams,
  state: FcNetState,
  options: FcNetOptions,
): FcNetParams {
  if (options.normalization !== "batchnorm") {
    throw new Error(
      `foldFcNet: only a batchnorm net can be folded, got normalization ${
        JSON.stringify(options.normalization)
      }.`,
    );
  }
  const layers = checkFcNet("foldFcNet", params, state, options);
  const folded: FcNetParams = {};
  for (let l = 1; l < layers; l++) {
    const { w, b } = foldBatchnorm(
      { w: params[`W${l}`] as tf.Tensor2D, b: params[`b${l}`] as tf.Tensor1D },
      params[`gamma${l}`] as tf.Tensor1D,
      params[`beta${l}`] as tf.Tensor1D,
      {
        runningMean: state[`runningMean${l}`] as tf.Tensor1D,
        runningVar: state[`runningVar${l}`] as tf.Tensor1D,
      },
      options.eps,
    );
    folded[`W${l}`] = w;
    folded[`b${l}`] = b;
  }
  folded[`W${layers}`] = tf.clone(params[`W${layers}`]);
  folded[`b${layers}`] = tf.clone(params[`b${layers}`]);
  return folded;
}

function checkFold(
  affine: AffineParams,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  state: BatchnormState,
  eps: number,
): void {
  checkEps("foldBatchnorm", eps);
  const { w, b } = affine ?? {};
  if (!(w instanceof tf.Tensor) || w.rank !== 2) {
    throw new Error(`foldBatchnorm: affine.w must have shape [D, M], got ${shapeOf(w)}.`);
  }
  const m = w.shape[1];
  const perFeature = {
    "affine.b": b,
    gamma,
    beta,
    "state.runningMean": state?.runningMean,
    "state.runningVar": state?.runningVar,
  };
  for (const [name, t] of Object.entries(perFeature)) {
    if (!(t instanceof tf.Tensor) || !tf.util.arraysEqual(t.shape, [m])) {
      throw new Error(
        `foldBatchnorm: ${name} must have shape [${m}] (one value per output of affine.w, ` +
          `which is [${w.shape}]), got ${shapeOf(t)}.`,
      );
    }
  }
}

function shapeOf(t: unknown): string {
  return t instanceof tf.Tensor ? `shape [${t.shape}]` : String(t);
}
