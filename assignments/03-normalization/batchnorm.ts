/**
 * Tasks 1 and 2 — Batch normalisation: forward, and backward twice.
 *
 * A batchnorm layer normalises each feature (column) of a batch x [N, D] to
 * mean 0 and variance 1 over the batch, then scales and shifts it by the
 * learnable γ and β [D]:
 *
 *     μ = mean of x over the batch            [D]
 *     σ² = mean of (x − μ)² over the batch    [D]   (divided by N, not N − 1)
 *     x̂ = (x − μ) / √(σ² + ε)                 [N, D]
 *     out = γ·x̂ + β                           [N, D]
 *
 * In **train** mode μ and σ² are the batch's, and the layer keeps running
 * averages of them for later; in **test** mode it normalises with those
 * running averages only, so one example's output does not depend on which
 * others share its batch.
 *
 * **The running statistics are state, not parameters.** No gradient flows to
 * them and no update rule touches them: `batchnormForward` returns them,
 * updated, next to its output, and leaves the ones it was given as they
 * were (as the update rules of assignment 2 return a new config). In test
 * mode it returns the state it was given.
 *
 *     const [out, cache, nextState] = batchnormForward(x, gamma, beta, "train", state);
 *     const { dx, dgamma, dbeta } = batchnormBackward(dout, cache);
 *
 * Write every pass with tfjs ops on whole tensors: no loops over examples or
 * features, and no reads of tensor values. The first line of each function
 * checks its arguments (provided); the rest is yours.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  checkFeatureShapes,
  checkMode,
  checkNormOptions,
  DEFAULT_EPS,
  DEFAULT_MOMENTUM,
  type NormMode,
} from "./checks.ts";
import { NotImplementedError } from "../../lib/errors.ts";

export { type NormMode } from "./checks.ts";

/** A batchnorm layer's running statistics: state, carried from step to step, never learned. */
export interface BatchnormState {
  /** the running mean of each feature, shape [D] */
  runningMean: tf.Tensor1D;
  /** the running (population, ÷N) variance of each feature, shape [D] */
  runningVar: tf.Tensor1D;
}

/** A batchnorm layer's settings. Any other key is an error. */
export interface BatchnormOptions {
  /** ε > 0, added to the variance inside the square root; default 1e-5 */
  eps?: number;
  /**
   * In [0, 1): how much of the running statistics each training step keeps;
   * default 0.9. running ← momentum·running + (1 − momentum)·batch.
   */
  momentum?: number;
}

/**
 * What the backward passes need from the forward pass: every intermediate
 * of the staged graph, each with its shape. Both backward passes read the
 * same cache.
 */
export interface BatchnormCache {
  /** the mode the forward pass ran in; only a train-mode cache can go backward */
  mode: NormMode;
  /** x − μ, shape [N, D] */
  centred: tf.Tensor2D;
  /** σ², the batch variance (÷N), shape [D] */
  variance: tf.Tensor1D;
  /** √(σ² + ε), shape [D] */
  std: tf.Tensor1D;
  /** 1 / √(σ² + ε), shape [D] */
  invStd: tf.Tensor1D;
  /** x̂ = (x − μ) / √(σ² + ε), shape [N, D] */
  xhat: tf.Tensor2D;
  /** γ, shape [D] */
  gamma: tf.Tensor1D;
}

/** The gradients of a batchnorm (or layernorm) layer. */
export interface NormGrads {
  /** ∂L/∂x, shape [N, D] */
  dx: tf.Tensor2D;
  /** ∂L/∂γ, shape [D] */
  dgamma: tf.Tensor1D;
  /** ∂L/∂β, shape [D] */
  dbeta: tf.Tensor1D;
}

/**
 * The running statistics of a new batchnorm layer: mean 0 and variance 1
 * for every feature (what a test-mode pass assumes before any training).
 *
 * @param features D, the number of features
 * @returns `{ runningMean: zeros [D], runningVar: ones [D] }`
 */
export function initBatchnormState(features: number): BatchnormState {
  if (!(Number.isInteger(features) && features >= 1)) {
    throw new Error(`initBatchnormState: features must be an integer ≥ 1, got ${features}.`);
  }
  return { runningMean: tf.zeros([features]), runningVar: tf.ones([features]) };
}

/**
 * Task 1 — Batchnorm, forward.
 *
 * Train mode, step by step (the staged graph the backward pass walks back):
 *
 *     μ = mean(x, axis 0)              the batch mean of each feature
 *     centred = x − μ
 *     σ² = mean(centred², axis 0)      the batch variance, ÷N
 *     std = √(σ² + ε)
 *     invStd = 1 / std
 *     x̂ = centred · invStd
 *     out = γ·x̂ + β
 *
 * and the running statistics move towards the batch's:
 *
 *     runningMean ← momentum·runningMean + (1 − momentum)·μ
 *     runningVar  ← momentum·runningVar  + (1 − momentum)·σ²
 *
 * Test mode normalises with the running statistics instead (μ = runningMean,
 * σ² = runningVar) and changes nothing: it returns `state` itself.
 *
 * @param x inputs, shape [N, D] (N ≥ 2 in train mode)
 * @param gamma scale γ, shape [D]
 * @param beta shift β, shape [D]
 * @param mode `"train"` (batch statistics) or `"test"` (running statistics)
 * @param state the running statistics, each shape [D] (from {@linkcode initBatchnormState})
 * @param options `{ eps?, momentum? }`
 * @returns [out (shape [N, D]), cache, the next state (new tensors in train
 *   mode; `state` itself in test mode)]
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { batchnormForward, initBatchnormState } from "./batchnorm.ts";
 * const x = tf.tensor2d([[1, 10], [3, 30]]);
 * const [out, , state] = batchnormForward(x, tf.ones([2]), tf.zeros([2]), "train", initBatchnormState(2));
 * console.log(await out.array());                // ≈ [[-1, -1], [1, 1]]
 * console.log(await state.runningMean.array());  // ≈ [0.2, 2]: 0.9·0 + 0.1·[2, 20]
 * ```
 */
export function batchnormForward(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  mode: NormMode,
  state: BatchnormState,
  options: BatchnormOptions = {},
): [tf.Tensor2D, BatchnormCache, BatchnormState] {
  checkBatchnormForward(x, gamma, beta, mode, state, options);
  const { eps = DEFAULT_EPS, momentum = DEFAULT_MOMENTUM } = options;
  // TODO: Implement for Task 1.
  throw new NotImplementedError("batchnormForward", 1);
}

/**
 * Task 2 — Batchnorm, backward, through the computational graph: walk the
 * stages of the forward pass in reverse, one local gradient at a time, as
 * you did for gates in assignment 1.
 *
 *     out = γ·x̂ + β            → dβ, dγ, dx̂
 *     x̂ = centred · invStd     → d(centred) (first path), d(invStd)
 *     invStd = 1 / std         → d(std)
 *     std = √(σ² + ε)          → d(σ²)
 *     σ² = mean(centred²)      → d(centred) (second path)
 *     centred = x − μ          → dx (first path), dμ
 *     μ = mean(x)              → dx (second path)
 *
 * centred reaches the output along two paths (directly, and through σ²),
 * and x along two (directly, and through μ): add their gradients. Drop
 * either path and the gradient check fails — but only with a random `dout`:
 * with dout = 1 the true dx is exactly 0.
 *
 * @param dout upstream gradient, shape [N, D]
 * @param cache from a train-mode {@linkcode batchnormForward}
 * @returns `{ dx: [N, D], dgamma: [D], dbeta: [D] }`
 */
export function batchnormBackward(dout: tf.Tensor2D, cache: BatchnormCache): NormGrads {
  checkBatchnormBackward("batchnormBackward", dout, cache);
  // TODO: Implement for Task 2.
  throw new NotImplementedError("batchnormBackward", 2);
}

/**
 * Task 2 — Batchnorm, backward, in closed form. Work the graph's gradients
 * out on paper and they collapse into one line per feature:
 *
 *     dx̂ = dout · γ
 *     dx = invStd / N · (N·dx̂ − Σₙ dx̂ − x̂ · Σₙ(dx̂ · x̂))
 *
 * (Σₙ sums over the batch, axis 0.) It must agree with
 * {@linkcode batchnormBackward} to float32 rounding, in fewer ops: the
 * handout reports how much faster it runs (`deno task bench`).
 *
 * @param dout upstream gradient, shape [N, D]
 * @param cache from a train-mode {@linkcode batchnormForward}
 * @returns `{ dx: [N, D], dgamma: [D], dbeta: [D] }`
 */
export function batchnormBackwardClosedForm(
  dout: tf.Tensor2D,
  cache: BatchnormCache,
): NormGrads {
  checkBatchnormBackward("batchnormBackwardClosedForm", dout, cache);
  // TODO: Implement for Task 2.
  throw new NotImplementedError("batchnormBackwardClosedForm", 2);
}

function checkBatchnormForward(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  mode: unknown,
  state: BatchnormState,
  options: BatchnormOptions,
): void {
  const what = "batchnormForward";
  checkMode(what, mode);
  if (typeof state !== "object" || state === null) {
    throw new Error(
      `${what}: state must be { runningMean, runningVar } (from initBatchnormState), got ${state}.`,
    );
  }
  checkFeatureShapes(
    what,
    x,
    {
      gamma,
      beta,
      "state.runningMean": state.runningMean,
      "state.runningVar": state.runningVar,
    },
    mode === "train" ? 2 : 1,
  );
  checkNormOptions(what, options, ["eps", "momentum"]);
}

function checkBatchnormBackward(what: string, dout: tf.Tensor, cache: BatchnormCache): void {
  if (cache?.mode !== "train") {
    throw new Error(
      `${what}: the cache is from a ${cache?.mode}-mode forward pass; only a train-mode ` +
        `pass (batch statistics) is differentiated here.`,
    );
  }
  if (!(dout instanceof tf.Tensor) || !tf.util.arraysEqual(dout.shape, cache.xhat.shape)) {
    throw new Error(
      `${what}: dout must have the shape of the forward pass's output, [${cache.xhat.shape}], ` +
        `got ${dout instanceof tf.Tensor ? `[${dout.shape}]` : typeof dout}.`,
    );
  }
}
