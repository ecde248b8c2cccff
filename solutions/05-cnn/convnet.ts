/**
 * A convolutional net of any depth, built from your layers (provided: read
 * it), and **your design** of one for CIFAR-10 (Task 5: {@linkcode cifarDesign}).
 *
 *     {conv K×K (same size) → [spatial batchnorm] → ReLU → [2×2 max pool]} × B
 *       → {affine → ReLU} × A → affine → softmax
 *
 * It is the ThreeLayerConvNet with the middle repeated, as assignment 2's
 * fc net is the two-layer net repeated: the forward pass keeps each layer's
 * cache, the backward pass walks the layers in reverse.
 *
 * **Designing a net for a budget.** The CIFAR-10 target trains your design
 * with the Solver on `data_batch_1` alone (9,000 images after the validation
 * split) and must stay within a compute budget, {@linkcode CIFAR_BUDGET}:
 * {@linkcode designCost} counts the multiply-adds of one image's forward
 * pass, times the images trained on. Spend it where it pays. The course
 * notes' rules of thumb: stacks of small (3×3) filters; more filters after
 * each pool, as the image shrinks; batchnorm to train fast; a few epochs
 * with random horizontal flips (a flipped cat is still a cat) rather than
 * many without, since 9,000 images are soon memorised.
 *
 * Parameters: conv layer l has W{l} [K, K, C, F], b{l} [F] and, with
 * batchnorm, gamma{l}, beta{l} [F] (state: runningMean{l}, runningVar{l});
 * the affine layers continue the numbering.
 *
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
import { initBatchnormState, type NormMode } from "../03-normalization/batchnorm.ts";
import { convBackwardFast, type ConvFastCache, convForwardFast } from "./conv_fast.ts";
import { maxPoolBackwardFast, maxPoolForwardFast, type PoolCache } from "./pooling.ts";
import {
  spatialBatchnormBackward,
  type SpatialBatchnormCache,
  spatialBatchnormForward,
} from "./spatial_norm.ts";
import { type ConvNetParams, type ConvNetState, POOL } from "./three_layer_convnet.ts";

/** One conv block: conv K×K with F filters (stride 1, padding keeping the size), ReLU, maybe a pool. */
export interface ConvBlock {
  filters: number;
  /** K, odd; default 3 */
  size?: number;
  /** a 2×2 max pool, stride 2, after the ReLU; default false */
  pool?: boolean;
}

/** How the Solver trains a design. */
export interface TrainingPlan {
  /** passes over the training images */
  epochs: number;
  batchSize: number;
  /** Adam's learning rate in the first epoch */
  learningRate: number;
  /** the learning rate is multiplied by this after every epoch; default 1 */
  decay?: number;
  /** flip each training image left–right with probability ½, afresh every step; default false */
  flips?: boolean;
}

/** A net and how to train it. */
export interface ConvNetDesign {
  blocks: ConvBlock[];
  /** widths of the affine → ReLU layers between the last block and the scores */
  hidden: number[];
  /** spatial batchnorm after every convolution */
  batchnorm: boolean;
  /** L2 strength on every weight W{l}, ≥ 0 */
  reg: number;
  training: TrainingPlan;
}

/**
 * The compute the CIFAR-10 target grants a design: multiply-adds of one
 * image's forward pass, summed over every image of every epoch (training
 * costs about three times that: forward, and the two matrix products of each
 * backward pass). The reference design spends ~80% of it; it fits the
 * slow-tier budget of the handout with room for code slower than the reference.
 */
export const CIFAR_BUDGET = { imageShape: [32, 32, 3], trainImages: 9000, macs: 8.5e10 } as const;

/**
 * Task 5 — Your net for CIFAR-10, and how to train it.
 *
 * The test trains it on 9,000 images of `data_batch_1` with your Adam
 * (assignment 2) and measures its accuracy on the 10,000 test images: ≥ 50%
 * passes. It must cost at most {@linkcode CIFAR_BUDGET} (see
 * {@linkcode designCost}).
 *
 * @returns the design
 */
export function cifarDesign(): ConvNetDesign {
  // BEGIN SOLUTION (Task 5)
  return {
    blocks: [{ filters: 16, pool: true }, { filters: 32, pool: true }],
    hidden: [128],
    batchnorm: true,
    reg: 1e-4,
    training: { epochs: 4, batchSize: 64, learningRate: 2e-3, decay: 0.7, flips: true },
  };
  // END SOLUTION
}

/**
 * The multiply-adds of training a design: one image's forward pass (every
 * convolution's H·W·K²·C·F and every affine layer's D_in·D_out), times the
 * images of every epoch.
 *
 * @param design the net and its training plan
 * @param imageShape [H, W, C] of one image
 * @param trainImages the training set's size
 * @returns `{ perImage, total }`
 */
export function designCost(
  design: ConvNetDesign,
  imageShape: readonly number[],
  trainImages: number,
): { perImage: number; total: number } {
  checkDesign(design, imageShape);
  let [h, w, c] = imageShape;
  let perImage = 0;
  for (const { filters, size = 3, pool = false } of design.blocks) {
    perImage += h * w * size * size * c * filters;
    c = filters;
    if (pool) [h, w] = [h / 2, w / 2];
  }
  let d = h * w * c;
  for (const width of [...design.hidden, 10]) {
    perImage += d * width;
    d = width;
  }
  return { perImage, total: perImage * trainImages * design.training.epochs };
}

/** What {@linkcode convNetBackward} needs from {@linkcode convNetForward}. */
export interface ConvNetCache {
  blocks: {
    conv: ConvFastCache;
    batchnorm?: SpatialBatchnormCache;
    relu: tf.Tensor4D;
    pool?: PoolCache;
  }[];
  /** the shape of the last block's output, before it is flattened */
  flatFrom: number[];
  hidden: { affine: AffineCache; relu: tf.Tensor }[];
  scores: AffineCache;
}

/**
 * A new net for `design`: He initialisation, zero biases, γ = 1, β = 0,
 * running mean 0 and variance 1.
 *
 * @param rng the random source (W1 first, then W2, …)
 * @param design the blocks and hidden widths (its training plan is not used here)
 * @param imageShape [H, W, C] of one image
 * @param classes default 10
 * @returns `{ params, state }`; you own them (the Solver does once given them)
 */
export function initConvNet(
  rng: Rng,
  design: ConvNetDesign,
  imageShape: readonly number[],
  classes = 10,
): { params: ConvNetParams; state: ConvNetState } {
  checkDesign(design, imageShape);
  const params: ConvNetParams = {};
  const state: ConvNetState = {};
  let [h, w, c] = imageShape;
  let l = 0;
  for (const { filters, size = 3, pool = false } of design.blocks) {
    l++;
    params[`W${l}`] = randn(rng, [size, size, c, filters], Math.sqrt(2 / (size * size * c)));
    params[`b${l}`] = tf.zeros([filters]);
    if (design.batchnorm) {
      params[`gamma${l}`] = tf.ones([filters]);
      params[`beta${l}`] = tf.zeros([filters]);
      const { runningMean, runningVar } = initBatchnormState(filters);
      state[`runningMean${l}`] = runningMean;
      state[`runningVar${l}`] = runningVar;
    }
    c = filters;
    if (pool) [h, w] = [h / 2, w / 2];
  }
  let d = h * w * c;
  for (const width of [...design.hidden, classes]) {
    l++;
    params[`W${l}`] = randn(rng, [d, width], Math.sqrt(2 / d));
    params[`b${l}`] = tf.zeros([width]);
    d = width;
  }
  return { params, state };
}

/**
 * The forward pass.
 *
 * @param design the net's blocks and hidden widths
 * @param params from {@linkcode initConvNet}
 * @param x images, [N, H, W, C]
 * @param state the running statistics (batchnorm), or `{}`
 * @param mode `"train"` or `"test"`
 * @returns `{ scores: [N, classes], cache, state }` (a new state object)
 */
export function convNetForward(
  design: ConvNetDesign,
  params: ConvNetParams,
  x: tf.Tensor4D,
  state: ConvNetState,
  mode: NormMode,
): { scores: tf.Tensor2D; cache: ConvNetCache; state: ConvNetState } {
  const param = (key: string) => params[key] as tf.Tensor4D & tf.Tensor2D & tf.Tensor1D;
  const nextState = { ...state };
  const blocks: ConvNetCache["blocks"] = [];
  let a: tf.Tensor4D = x;
  let l = 0;
  for (const { size = 3, pool = false } of design.blocks) {
    l++;
    const [z, conv] = convForwardFast(a, param(`W${l}`), param(`b${l}`), {
      stride: 1,
      pad: (size - 1) / 2,
    });
    let normed = z;
    let batchnorm: SpatialBatchnormCache | undefined;
    if (design.batchnorm) {
      const running = {
        runningMean: state[`runningMean${l}`] as tf.Tensor1D,
        runningVar: state[`runningVar${l}`] as tf.Tensor1D,
      };
      const [out, cache, next] = spatialBatchnormForward(
        z,
        param(`gamma${l}`),
        param(`beta${l}`),
        mode,
        running,
      );
      [normed, batchnorm] = [out, cache];
      nextState[`runningMean${l}`] = next.runningMean;
      nextState[`runningVar${l}`] = next.runningVar;
    }
    const [r, relu] = reluForward(normed) as [tf.Tensor4D, tf.Tensor4D];
    let poolCache: PoolCache | undefined;
    [a, poolCache] = pool ? maxPoolForwardFast(r, POOL) : [r, undefined];
    blocks.push({ conv, batchnorm, relu, pool: poolCache });
  }
  const hidden: ConvNetCache["hidden"] = [];
  let h: tf.Tensor = a;
  for (let k = 0; k < design.hidden.length; k++) {
    l++;
    const [z, affine] = affineForward(h, param(`W${l}`), param(`b${l}`));
    const [r, relu] = reluForward(z);
    hidden.push({ affine, relu });
    h = r;
  }
  l++;
  const [scores, last] = affineForward(h, param(`W${l}`), param(`b${l}`));
  return { scores, cache: { blocks, flatFrom: a.shape, hidden, scores: last }, state: nextState };
}

/**
 * The backward pass, from the scores' gradient to every parameter.
 *
 * @param dscores ∂L/∂scores, [N, classes]
 * @param cache from a train-mode {@linkcode convNetForward}
 * @returns the gradients, with the keys and shapes of params (no regularisation)
 */
export function convNetBackward(dscores: tf.Tensor2D, cache: ConvNetCache): ConvNetParams {
  const grads: ConvNetParams = {};
  let l = cache.blocks.length + cache.hidden.length + 1;
  const top = affineBackward(dscores, cache.scores);
  [grads[`W${l}`], grads[`b${l}`]] = [top.dw, top.db];
  let dh = top.dx;
  for (let k = cache.hidden.length - 1; k >= 0; k--) {
    l--;
    const { dx: dz } = reluBackward(dh, cache.hidden[k].relu);
    const { dx, dw, db } = affineBackward(dz as tf.Tensor2D, cache.hidden[k].affine);
    [grads[`W${l}`], grads[`b${l}`], dh] = [dw, db, dx];
  }
  let da = dh.reshape(cache.flatFrom) as tf.Tensor4D;
  for (let k = cache.blocks.length - 1; k >= 0; k--) {
    l--;
    const block = cache.blocks[k];
    const dr = block.pool ? maxPoolBackwardFast(da, block.pool).dx : da;
    let dz = reluBackward(dr, block.relu).dx as tf.Tensor4D;
    if (block.batchnorm) {
      const { dx, dgamma, dbeta } = spatialBatchnormBackward(dz, block.batchnorm);
      [grads[`gamma${l}`], grads[`beta${l}`], dz] = [dgamma, dbeta, dx];
    }
    const { dx, dw, db } = convBackwardFast(dz, block.conv);
    [grads[`W${l}`], grads[`b${l}`], da] = [dw, db, dx];
  }
  return grads;
}

/**
 * The design's net as the Solver's {@linkcode Model}: the training loss (train
 * mode, with ½·reg·Σ‖W‖²) and the scores (test mode).
 *
 * @param design the net (its reg is used; its training plan is the Solver's business)
 * @returns `{ loss(params, x, y, state), scores(params, x, state) }`
 */
export function convNetModel(design: ConvNetDesign): Model<ConvNetParams, ConvNetState> {
  return {
    loss: (params, x, y, state = {}) => {
      const forward = convNetForward(design, params, x as tf.Tensor4D, state, "train");
      const [dataLoss, dscores] = softmaxLoss(forward.scores, y as tf.Tensor1D);
      const grads = convNetBackward(dscores, forward.cache);
      const penalties = Object.keys(params).filter((key) => /^W\d+$/.test(key)).map((key) => {
        const [penalty, dw] = l2Regularization(params[key], design.reg);
        grads[key] = tf.add(grads[key], dw);
        return penalty;
      });
      // tf.add, not tf.addN: WebGPU's addN drops inputs beyond the 7th (a deep net has more).
      const loss = penalties.reduce((sum, penalty) => tf.add(sum, penalty), dataLoss) as tf.Scalar;
      return { loss, grads, state: forward.state };
    },
    scores: (params, x, state = {}) =>
      convNetForward(design, params, x as tf.Tensor4D, state, "test").scores,
  };
}

/** Throws, naming the key, unless `design` is a valid design for images of `imageShape`. */
export function checkDesign(design: ConvNetDesign, imageShape: readonly number[]): void {
  const fail = (why: string): never => {
    throw new Error(`convNet design: ${why}`);
  };
  if (typeof design !== "object" || design === null) fail(`expected an object, got ${design}.`);
  rejectUnknownKeys("convNet design", design, ["blocks", "hidden", "batchnorm", "reg", "training"]);
  const whole = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;
  if (!Array.isArray(design.blocks) || design.blocks.length === 0) {
    fail("blocks must be a non-empty list of { filters, size?, pool? }.");
  }
  let [h, w] = imageShape;
  design.blocks.forEach((block, k) => {
    rejectUnknownKeys(`convNet design: blocks[${k}]`, block, ["filters", "size", "pool"]);
    if (!whole(block.filters)) fail(`blocks[${k}].filters must be an integer ≥ 1.`);
    const size = block.size ?? 3;
    if (!(whole(size) && size % 2 === 1)) fail(`blocks[${k}].size must be an odd integer ≥ 1.`);
    if (block.pool) {
      if (h % 2 !== 0 || w % 2 !== 0) {
        fail(`blocks[${k}] pools a ${h}×${w} image: the 2×2 pool needs an even height and width.`);
      }
      [h, w] = [h / 2, w / 2];
    }
  });
  if (!Array.isArray(design.hidden) || !design.hidden.every(whole)) {
    fail("hidden must be a list of integers ≥ 1 (it may be empty).");
  }
  if (typeof design.batchnorm !== "boolean") fail("batchnorm must be true or false.");
  if (!(typeof design.reg === "number" && design.reg >= 0)) fail("reg must be a number ≥ 0.");
  const plan = design.training;
  if (typeof plan !== "object" || plan === null) {
    fail("training must be { epochs, batchSize, learningRate, decay?, flips? }.");
  }
  rejectUnknownKeys("convNet design: training", plan, [
    "epochs",
    "batchSize",
    "learningRate",
    "decay",
    "flips",
  ]);
  if (!whole(plan.epochs)) fail("training.epochs must be an integer ≥ 1.");
  if (!(whole(plan.batchSize) && plan.batchSize >= 32 && plan.batchSize <= 512)) {
    fail(
      "training.batchSize must be an integer in 32…512 (smaller batches pay a per-step cost " +
        "the budget does not count; larger ones do not fit in memory).",
    );
  }
  if (!(plan.learningRate > 0)) fail("training.learningRate must be > 0.");
  if (plan.decay !== undefined && !(plan.decay > 0 && plan.decay <= 1)) {
    fail("training.decay must be in (0, 1].");
  }
}
