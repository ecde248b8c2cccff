/**
 * Task 4 — Normalisation for convolutional layers: spatial batchnorm and
 * spatial groupnorm.
 *
 * **Spatial batchnorm.** A convolutional layer applies the same filter at
 * every position, so its channel c means the same thing everywhere: the
 * statistics of channel c are taken over the batch *and* over every pixel,
 * N·H·W values, with one γ and one β per channel.
 *
 *     μ_c = mean of x[n, y, z, c] over n, y, z        σ²_c likewise (÷ N·H·W)
 *     out[n, y, z, c] = γ_c · (x[n, y, z, c] − μ_c) / √(σ²_c + ε) + β_c
 *
 * In NHWC the pixels of channel c are column c of x viewed as a matrix
 * [N·H·W, C], so spatial batchnorm *is* assignment 3's batchnorm on that
 * view: reshape, call it, reshape back — forward, backward, and the running
 * statistics for test mode, all reused.
 *
 * **Spatial groupnorm.** Batchnorm needs a batch: with 2 images its statistics
 * are noise. Groupnorm (Wu & He, 2018) takes them per example instead: split
 * the C channels into G groups of C/G and normalise each example's group
 * over its H·W·C/G values. No running statistics, the same computation in
 * training and in testing, and it works at any batch size. γ and β stay
 * per channel.
 *
 *     μ_{n,g}, σ²_{n,g} over y, z and the channels c of group g = ⌊c·G/C⌋
 *     out[n, y, z, c] = γ_c · (x[n, y, z, c] − μ_{n,g}) / √(σ²_{n,g} + ε) + β_c
 *
 * Its backward pass is batchnorm's closed form with the sums taken over a
 * group's M = H·W·C/G values instead of over the batch:
 *
 *     dx̂ = dout · γ
 *     dx = invStd / M · (M·dx̂ − Σ_group dx̂ − x̂ · Σ_group(dx̂ · x̂))
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { rejectUnknownKeys } from "../../lib/options.ts";
import {
  batchnormBackwardClosedForm,
  type BatchnormCache,
  batchnormForward,
  type BatchnormOptions,
  type BatchnormState,
  type NormGrads,
  type NormMode,
} from "../03-normalization/batchnorm.ts";
import { checkEps, DEFAULT_EPS } from "../03-normalization/checks.ts";

/** The gradients of a spatial normalisation layer. */
export interface SpatialNormGrads {
  /** [N, H, W, C] */
  dx: tf.Tensor4D;
  /** [C] */
  dgamma: tf.Tensor1D;
  /** [C] */
  dbeta: tf.Tensor1D;
}

/** What spatialBatchnormBackward needs: assignment 3's cache of the [N·H·W, C] view, and x's shape. */
export interface SpatialBatchnormCache {
  shape: [number, number, number, number];
  batchnorm: BatchnormCache;
}

/**
 * Spatial batchnorm, forward: assignment 3's batchnorm on x viewed as [N·H·W, C].
 *
 * @param x [N, H, W, C]
 * @param gamma scale γ, [C]
 * @param beta shift β, [C]
 * @param mode `"train"` (statistics of the batch and of every pixel) or `"test"` (running ones)
 * @param state the running mean and variance of each channel, [C] each
 * @param options `{ eps?, momentum? }`, as assignment 3's batchnorm
 * @returns [out [N, H, W, C], cache, the next state], as assignment 3's batchnormForward
 */
export function spatialBatchnormForward(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  mode: NormMode,
  state: BatchnormState,
  options: BatchnormOptions = {},
): [tf.Tensor4D, SpatialBatchnormCache, BatchnormState] {
  checkImages("spatialBatchnormForward", x);
  // BEGIN SOLUTION (Task 4)
  const rows = x.reshape([-1, x.shape[3]]) as tf.Tensor2D;
  const [out, batchnorm, next] = batchnormForward(rows, gamma, beta, mode, state, options);
  return [out.reshape(x.shape) as tf.Tensor4D, { shape: x.shape, batchnorm }, next];
  // END SOLUTION
}

/**
 * Spatial batchnorm, backward: assignment 3's batchnorm backward on the [N·H·W, C] view.
 *
 * A test-mode pass can be differentiated too (the saliency maps of Task 6 go
 * back through one): its statistics are fixed numbers, so the layer is the
 * affine map out = γ·invStd·(x − μ) + β of each channel, and dx = dout·γ·invStd.
 * Assignment 3's backward pass takes train-mode caches only: do this case yourself.
 *
 * @param dout upstream gradient, [N, H, W, C]
 * @param cache from spatialBatchnormForward, train or test mode
 * @returns dx [N, H, W, C], dgamma [C], dbeta [C]
 */
export function spatialBatchnormBackward(
  dout: tf.Tensor4D,
  cache: SpatialBatchnormCache,
): SpatialNormGrads {
  checkDout("spatialBatchnormBackward", dout, cache.shape);
  // BEGIN SOLUTION (Task 4)
  const rows = dout.reshape([-1, dout.shape[3]]) as tf.Tensor2D;
  const { invStd, xhat, gamma, mode } = cache.batchnorm;
  const { dx, dgamma, dbeta }: NormGrads = mode === "train"
    ? batchnormBackwardClosedForm(rows, cache.batchnorm)
    : {
      dx: tf.mul(rows, tf.mul(gamma, invStd)) as tf.Tensor2D,
      dgamma: tf.sum(tf.mul(rows, xhat), 0) as tf.Tensor1D,
      dbeta: tf.sum(rows, 0) as tf.Tensor1D,
    };
  return { dx: dx.reshape(cache.shape) as tf.Tensor4D, dgamma, dbeta };
  // END SOLUTION
}

/** Groupnorm's settings. Any other key is an error. */
export interface GroupnormOptions {
  /** ε > 0, added to the variance inside the square root; default 1e-5 */
  eps?: number;
}

/** What spatialGroupnormBackward needs from the forward pass. */
export interface SpatialGroupnormCache {
  /** x̂, the normalised input, [N, H, W, C] */
  xhat: tf.Tensor4D;
  /** 1/√(σ² + ε) of each example's group, [N, 1, G, 1] */
  invStd: tf.Tensor4D;
  gamma: tf.Tensor1D;
  groups: number;
}

/**
 * Spatial groupnorm, forward.
 *
 * @param x [N, H, W, C]
 * @param gamma scale γ, [C]
 * @param beta shift β, [C]
 * @param groups G, which divides C: channels gC/G … (g+1)C/G − 1 form group g
 * @param options `{ eps? }`
 * @returns [out [N, H, W, C], cache]
 */
export function spatialGroupnormForward(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  groups: number,
  options: GroupnormOptions = {},
): [tf.Tensor4D, SpatialGroupnormCache] {
  checkGroupnorm(x, gamma, beta, groups, options);
  const { eps = DEFAULT_EPS } = options;
  // BEGIN SOLUTION (Task 4)
  const [n, h, w, c] = x.shape;
  // View each example as [H·W, G, C/G]: group g is slice g of axis 2.
  const grouped = x.reshape([n, h * w, groups, c / groups]);
  const { mean, variance } = tf.moments(grouped, [1, 3], true);
  const invStd = tf.rsqrt(tf.add(variance, eps)) as tf.Tensor4D;
  const xhat = tf.mul(tf.sub(grouped, mean), invStd).reshape(x.shape) as tf.Tensor4D;
  const out = tf.add(tf.mul(xhat, gamma), beta) as tf.Tensor4D;
  return [out, { xhat, invStd, gamma, groups }];
  // END SOLUTION
}

/**
 * Spatial groupnorm, backward.
 *
 * @param dout upstream gradient, [N, H, W, C]
 * @param cache from spatialGroupnormForward
 * @returns dx [N, H, W, C], dgamma [C], dbeta [C]
 */
export function spatialGroupnormBackward(
  dout: tf.Tensor4D,
  cache: SpatialGroupnormCache,
): SpatialNormGrads {
  checkDout("spatialGroupnormBackward", dout, cache.xhat.shape);
  // BEGIN SOLUTION (Task 4)
  const { xhat, invStd, gamma, groups } = cache;
  const [n, h, w, c] = xhat.shape;
  const dbeta = tf.sum(dout, [0, 1, 2]) as tf.Tensor1D;
  const dgamma = tf.sum(tf.mul(dout, xhat), [0, 1, 2]) as tf.Tensor1D;
  const grouped = [n, h * w, groups, c / groups];
  const dxhat = tf.mul(dout, gamma).reshape(grouped);
  const xhatG = xhat.reshape(grouped);
  const m = (h * w * c) / groups;
  const inner = tf.sub(
    tf.sub(tf.mul(m, dxhat), tf.sum(dxhat, [1, 3], true)),
    tf.mul(xhatG, tf.sum(tf.mul(dxhat, xhatG), [1, 3], true)),
  );
  const dx = tf.mul(tf.div(invStd, m), inner).reshape(xhat.shape) as tf.Tensor4D;
  return { dx, dgamma, dbeta };
  // END SOLUTION
}

function checkImages(what: string, x: tf.Tensor): void {
  if (!(x instanceof tf.Tensor) || x.rank !== 4) {
    throw new Error(
      `${what}: x must be a batch of images [N, H, W, C] (NHWC), got ${
        x instanceof tf.Tensor ? `shape [${x.shape}]` : typeof x
      }.`,
    );
  }
}

function checkDout(what: string, dout: tf.Tensor, shape: readonly number[]): void {
  if (!(dout instanceof tf.Tensor) || !tf.util.arraysEqual(dout.shape, [...shape])) {
    throw new Error(
      `${what}: dout must have the shape of the forward pass's output, [${shape}], got ${
        dout instanceof tf.Tensor ? `[${dout.shape}]` : typeof dout
      }.`,
    );
  }
}

function checkGroupnorm(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  groups: number,
  options: GroupnormOptions,
): void {
  const what = "spatialGroupnormForward";
  checkImages(what, x);
  const c = x.shape[3] as number;
  if (!(Number.isInteger(groups) && groups >= 1 && c % groups === 0)) {
    throw new Error(
      `${what}: groups must be an integer ≥ 1 that divides the ${c} channels, got ${groups}.`,
    );
  }
  for (const [name, t] of [["gamma", gamma], ["beta", beta]] as const) {
    if (!(t instanceof tf.Tensor) || t.rank !== 1 || t.shape[0] !== c) {
      throw new Error(`${what}: ${name} must have shape [${c}] (one value per channel).`);
    }
  }
  rejectUnknownKeys(what, options, ["eps"]);
  if (options.eps !== undefined) checkEps(what, options.eps);
}
