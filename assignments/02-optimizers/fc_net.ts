/**
 * A fully connected network of any depth, built from your assignment-1
 * layers (provided: read it, you will train it with your update rules).
 *
 *     {affine → ReLU} × (L − 1) → affine → softmax
 *     loss = softmaxLoss(scores, y) + ½·reg·Σₗ ‖Wₗ‖²
 *
 * It is assignment 1's two-layer net with the middle repeated: the forward
 * pass keeps each layer's cache, the backward pass walks the layers in
 * reverse. The parameters are W1, b1, …, WL, bL, for `dims` =
 * [D, H₁, …, H_{L−1}, C]: D inputs, L − 1 hidden layers, C classes.
 *
 * @example A 5-layer net for Fashion-MNIST, as the Solver wants it
 * ```ts
 * import { Rng } from "../../lib/random.ts";
 * import { fcNetModel, initFcNet } from "./fc_net.ts";
 * const params = initFcNet(new Rng(0), [784, 100, 100, 100, 100, 10]);
 * console.log(Object.keys(params)); // ["W1", "b1", …, "W5", "b5"]
 * const model = fcNetModel(1e-4); // { loss, scores } with L2 strength 1e-4
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { randn, type Rng } from "../../lib/random.ts";
import type { Model } from "../../lib/solver.ts";
import {
  affineBackward,
  type AffineCache,
  affineForward,
  affineReluBackward,
  type AffineReluCache,
  affineReluForward,
} from "../01-backprop/layers.ts";
import { l2Regularization, softmaxLoss } from "../01-backprop/losses.ts";

/** W1, b1, …, WL, bL: Wₗ has shape [dims[l−1], dims[l]], bₗ has shape [dims[l]]. */
export type FcNetParams = Record<string, tf.Tensor>;

/**
 * He initialisation, layer by layer: each Wₗ drawn from N(0, 2/fan_in), biases zero.
 *
 * @param rng the random source (W1 is drawn first, then W2, …)
 * @param dims [D, H₁, …, C]: at least two numbers, each a positive integer
 * @returns W1, b1, …, WL, bL with L = dims.length − 1
 */
export function initFcNet(rng: Rng, dims: readonly number[]): FcNetParams {
  if (dims.length < 2 || !dims.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new Error(
      `initFcNet: dims must be [inputs, hidden…, classes], positive integers, got [${dims}].`,
    );
  }
  const params: FcNetParams = {};
  for (let l = 1; l < dims.length; l++) {
    const [fanIn, fanOut] = [dims[l - 1], dims[l]];
    params[`W${l}`] = randn(rng, [fanIn, fanOut], Math.sqrt(2 / fanIn));
    params[`b${l}`] = tf.zeros([fanOut]);
  }
  return params;
}

/**
 * The class scores.
 *
 * @param params W1, b1, …, WL, bL
 * @param x inputs, shape [N, D]
 * @returns scores, shape [N, C]
 */
export function fcNetScores(params: FcNetParams, x: tf.Tensor): tf.Tensor2D {
  const layers = layerCount(params);
  let h = x;
  for (let l = 1; l < layers; l++) {
    [h] = affineReluForward(h, params[`W${l}`] as tf.Tensor2D, params[`b${l}`] as tf.Tensor1D);
  }
  return affineForward(
    h,
    params[`W${layers}`] as tf.Tensor2D,
    params[`b${layers}`] as tf.Tensor1D,
  )[0];
}

/**
 * The loss and its gradient with respect to every parameter.
 *
 * @param params W1, b1, …, WL, bL
 * @param x inputs, shape [N, D]
 * @param y correct classes, int32, shape [N]
 * @param reg L2 strength on the weights (not the biases), ≥ 0
 * @returns the scalar loss, and grads with the keys and shapes of params
 */
export function fcNetLoss(
  params: FcNetParams,
  x: tf.Tensor,
  y: tf.Tensor,
  reg: number,
): { loss: tf.Scalar; grads: FcNetParams } {
  const layers = layerCount(params);
  const W = (l: number) => params[`W${l}`] as tf.Tensor2D;
  const b = (l: number) => params[`b${l}`] as tf.Tensor1D;

  const hiddenCaches: AffineReluCache[] = [];
  let h = x;
  for (let l = 1; l < layers; l++) {
    const [out, cache] = affineReluForward(h, W(l), b(l));
    hiddenCaches.push(cache);
    h = out;
  }
  const [scores, lastCache] = affineForward(h, W(layers), b(layers));
  const [dataLoss, dscores] = softmaxLoss(scores, y as tf.Tensor1D);

  const grads: FcNetParams = {};
  const penalties: tf.Scalar[] = [];
  const addGradients = (l: number, dw: tf.Tensor, db: tf.Tensor) => {
    const [penalty, dwReg] = l2Regularization(W(l), reg);
    penalties.push(penalty);
    grads[`W${l}`] = tf.add(dw, dwReg);
    grads[`b${l}`] = db;
  };
  const last = affineBackward(dscores, lastCache as AffineCache);
  addGradients(layers, last.dw, last.db);
  let dh = last.dx as tf.Tensor2D;
  for (let l = layers - 1; l >= 1; l--) {
    const back = affineReluBackward(dh, hiddenCaches[l - 1]);
    addGradients(l, back.dw, back.db);
    dh = back.dx as tf.Tensor2D;
  }
  return { loss: tf.addN([dataLoss, ...penalties]) as tf.Scalar, grads };
}

/**
 * The network as the Solver's {@linkcode Model}: its loss (with L2 strength
 * `reg`) and its scores.
 *
 * @param reg L2 strength on the weights, ≥ 0
 * @returns `{ loss(params, x, y), scores(params, x) }` for params from {@linkcode initFcNet}
 */
export function fcNetModel(reg: number): Model<FcNetParams> {
  if (!(reg >= 0)) throw new Error(`fcNetModel: reg must be a number ≥ 0, got ${reg}.`);
  return {
    loss: (params, x, y) => fcNetLoss(params, x, y, reg),
    scores: fcNetScores,
  };
}

/** L, checking that params is exactly W1, b1, …, WL, bL. */
function layerCount(params: FcNetParams): number {
  const layers = Object.keys(params).length / 2;
  const expected = Array.from({ length: layers }, (_, i) => [`W${i + 1}`, `b${i + 1}`]).flat();
  if (!Number.isInteger(layers) || layers < 1 || !expected.every((key) => key in params)) {
    throw new Error(
      `fcNet: params must be W1, b1, …, WL, bL (from initFcNet), got ${
        Object.keys(params).join(", ")
      }.`,
    );
  }
  return layers;
}
