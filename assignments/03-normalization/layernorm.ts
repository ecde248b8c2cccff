/**
 * Task 3 — Layer normalisation: batchnorm turned on its side.
 *
 * Batchnorm normalises each **feature** over the batch; layernorm normalises
 * each **example** over its features:
 *
 *     μₙ = mean of row n of x                 [N, 1]
 *     σₙ² = mean of (row n − μₙ)²             [N, 1]   (÷D)
 *     x̂ = (x − μₙ) / √(σₙ² + ε)               [N, D]
 *     out = γ·x̂ + β                           [N, D]   (γ, β per feature, as in batchnorm)
 *
 * An example's statistics are its own, so there is nothing to average over
 * batches: no running statistics, no modes. Train and test compute the
 * same thing, and a batch of one works as well as a batch of a thousand.
 *
 *     const [out, cache] = layernormForward(x, gamma, beta);
 *     const { dx, dgamma, dbeta } = layernormBackward(dout, cache);
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { NormGrads } from "./batchnorm.ts";
import { checkFeatureShapes, checkNormOptions, DEFAULT_EPS } from "./checks.ts";
import { NotImplementedError } from "../../lib/errors.ts";

/** A layernorm layer's settings. Any other key is an error. */
export interface LayernormOptions {
  /** ε > 0, added to each example's variance inside the square root; default 1e-5 */
  eps?: number;
}

/** What {@linkcode layernormBackward} needs from the forward pass. */
export interface LayernormCache {
  /** 1 / √(σₙ² + ε) of each example, shape [N, 1] */
  invStd: tf.Tensor2D;
  /** x̂ = (x − μₙ) / √(σₙ² + ε), shape [N, D] */
  xhat: tf.Tensor2D;
  /** γ, shape [D] */
  gamma: tf.Tensor1D;
}

/**
 * Task 3 — Layernorm, forward: batchnorm's train-mode formulas, with the
 * statistics taken over each row (axis 1) instead of each column.
 *
 * @param x inputs, shape [N, D]
 * @param gamma scale γ, shape [D]
 * @param beta shift β, shape [D]
 * @param options `{ eps? }`
 * @returns [out, cache]: out has shape [N, D]
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { layernormForward } from "./layernorm.ts";
 * const [out] = layernormForward(tf.tensor2d([[1, 3], [10, 30]]), tf.ones([2]), tf.zeros([2]));
 * console.log(await out.array()); // ≈ [[-1, 1], [-1, 1]]
 * ```
 */
export function layernormForward(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  options: LayernormOptions = {},
): [tf.Tensor2D, LayernormCache] {
  checkFeatureShapes("layernormForward", x, { gamma, beta });
  checkNormOptions("layernormForward", options, ["eps"]);
  const { eps = DEFAULT_EPS } = options;
  // TODO: Implement for Task 3.
  throw new NotImplementedError("layernormForward", 3);
}

/**
 * Task 3 — Layernorm, backward. The closed form of batchnorm's backward
 * pass carries over with the sums over the batch (axis 0) turned into sums
 * over the features (axis 1), D in place of N — except for dγ and dβ,
 * which still sum over the batch: γ and β are per feature.
 *
 * @param dout upstream gradient, shape [N, D]
 * @param cache from {@linkcode layernormForward}
 * @returns `{ dx: [N, D], dgamma: [D], dbeta: [D] }`
 */
export function layernormBackward(dout: tf.Tensor2D, cache: LayernormCache): NormGrads {
  if (!(dout instanceof tf.Tensor) || !tf.util.arraysEqual(dout.shape, cache.xhat.shape)) {
    throw new Error(
      `layernormBackward: dout must have the shape of the forward pass's output, ` +
        `[${cache.xhat.shape}], got ${
          dout instanceof tf.Tensor ? `[${dout.shape}]` : typeof dout
        }.`,
    );
  }
  // TODO: Implement for Task 3.
  throw new NotImplementedError("layernormBackward", 3);
}
