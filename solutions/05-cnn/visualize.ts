/**
 * Task 6 — What the network learned, made visible.
 *
 * Three pictures of a trained ThreeLayerConvNet:
 *
 * - **The first layer's filters** (provided: {@linkcode filterImage}). Each
 *   filter is a small image, K×K with the input's channels; it responds most
 *   to patches that look like it. Trained filters are smooth edge, stripe and
 *   blob detectors; noisy ones mean too little training or too high a
 *   learning rate.
 * - **The activation maps** of one image (you: {@linkcode activationMaps};
 *   drawn by {@linkcode activationImage}): each filter's ReLU output at every
 *   position, where in the image that filter fired.
 * - **A saliency map** (you: {@linkcode saliencyMaps}; drawn by
 *   {@linkcode saliencyImage}): how much each pixel matters to the correct
 *   class's score. It is a gradient — ∂(score of class y)/∂x — computed with
 *   your own backward passes, run on an input instead of on the weights:
 *   backpropagation used to understand a network, not to train it
 *   (Simonyan, Vedaldi & Zisserman, 2014).
 *
 * `deno task cnn` trains the net and writes all three to `out/cnn/`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { aboveEachOther, type Image, imageGrid, viridis } from "../../lib/image.ts";
import { convForwardFast } from "./conv_fast.ts";
import { spatialBatchnormForward } from "./spatial_norm.ts";
import {
  type ConvNetParams,
  type ConvNetState,
  threeLayerConvNetBackward,
  threeLayerConvNetForward,
} from "./three_layer_convnet.ts";

/**
 * Saliency maps: for each image, the magnitude of the gradient of its
 * correct class's score with respect to its pixels, the largest over the
 * channels.
 *
 *     saliency[n, y, z] = max over c of |∂ scores[n, y_n] / ∂ x[n, y, z, c]|
 *
 * Run the net forward in **test** mode (an image's score must not depend on
 * the others in its batch), start the backward pass from the gradient of the
 * correct class's score alone (1 for that class, 0 for the others), and take
 * the gradient that reaches x.
 *
 * @param params a trained net's parameters
 * @param state its state (running statistics), or `{}`
 * @param x images, [N, H, W, C]
 * @param y their classes, int32, [N]
 * @returns [N, H, W], ≥ 0
 */
export function saliencyMaps(
  params: ConvNetParams,
  state: ConvNetState,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
): tf.Tensor3D {
  checkLabels("saliencyMaps", x, y);
  // BEGIN SOLUTION (Task 6)
  const { scores, cache } = threeLayerConvNetForward(params, x, state, "test");
  const dscores = tf.oneHot(y, scores.shape[1]).toFloat() as tf.Tensor2D;
  const { dx } = threeLayerConvNetBackward(dscores, cache);
  return tf.max(tf.abs(dx), 3) as tf.Tensor3D;
  // END SOLUTION
}

/**
 * The first layer's activation maps: conv → [spatial batchnorm, test mode] → ReLU.
 *
 * @param params a trained net's parameters (W1, b1, and gamma1, beta1 with batchnorm)
 * @param state its state (runningMean1, runningVar1 with batchnorm), or `{}`
 * @param x images, [N, H, W, C]
 * @returns [N, H, W, F]: the ReLU's output, one channel per filter
 */
export function activationMaps(
  params: ConvNetParams,
  state: ConvNetState,
  x: tf.Tensor4D,
): tf.Tensor4D {
  // BEGIN SOLUTION (Task 6)
  const w = params.W1 as tf.Tensor4D;
  const [a] = convForwardFast(x, w, params.b1 as tf.Tensor1D, {
    stride: 1,
    pad: (w.shape[0] - 1) / 2,
  });
  if (!("gamma1" in params)) return tf.relu(a);
  const running = {
    runningMean: state.runningMean1 as tf.Tensor1D,
    runningVar: state.runningVar1 as tf.Tensor1D,
  };
  const gamma = params.gamma1 as tf.Tensor1D, beta = params.beta1 as tf.Tensor1D;
  const [normed] = spatialBatchnormForward(a, gamma, beta, "test", running);
  return tf.relu(normed);
  // END SOLUTION
}

/**
 * The filters of a convolutional layer as a grid of small images: grey for
 * one input channel, colour for three; each scaled from its own minimum
 * (black) to its maximum (white).
 *
 * @param w filters, [K, K, C, F] with C = 1 or 3
 * @param scale each weight drawn as scale×scale pixels; default 8
 * @returns the grid, ⌈√F⌉ filters a row
 */
export async function filterImage(w: tf.Tensor4D, scale = 8): Promise<Image> {
  const [k, , c] = w.shape;
  if (c !== 1 && c !== 3) {
    throw new Error(`filterImage: filters must have 1 or 3 input channels to be drawn, got ${c}.`);
  }
  // [K, K, C, F] → F tiles of [K, K, C]
  const tiles = await tf.unstack(tf.transpose(w, [3, 0, 1, 2])).map((t) => t.data());
  return imageGrid(await Promise.all(tiles), { height: k, width: k, channels: c, scale });
}

/**
 * One image's activation maps as a grid of grey tiles, all on one scale
 * (0 black, the largest activation white), so the tiles compare.
 *
 * @param maps [H, W, F], e.g. `activationMaps(…)` of one image
 * @param scale each value drawn as scale×scale pixels; default 3
 */
export async function activationImage(maps: tf.Tensor3D, scale = 3): Promise<Image> {
  const [h, w] = maps.shape;
  const values = tf.unstack(tf.transpose(maps, [2, 0, 1]));
  const tiles = await Promise.all(values.map((t) => t.data()));
  const high = Math.max(1e-12, ...tiles.map((t) => Math.max(...t)));
  return imageGrid(tiles, { height: h, width: w, channels: 1, scale, range: [0, high] });
}

/**
 * Images above their saliency maps: the images in the first row, the maps
 * (each scaled to its own maximum, through the viridis colour map) in the second.
 *
 * @param images [N, H, W, C], C = 1 or 3 (any range: each is scaled to its own extent)
 * @param saliency [N, H, W], from {@linkcode saliencyMaps}
 * @param scale each pixel drawn as scale×scale; default 4
 */
export async function saliencyImage(
  images: tf.Tensor4D,
  saliency: tf.Tensor3D,
  scale = 4,
): Promise<Image> {
  const [n, h, w, c] = images.shape;
  if (c !== 1 && c !== 3) throw new Error(`saliencyImage: images need 1 or 3 channels, got ${c}.`);
  const pictures = await Promise.all(tf.unstack(images).map((t) => t.data()));
  const maps = await Promise.all(tf.unstack(saliency).map((t) => t.data()));
  const options = { height: h, width: w, columns: n, scale };
  return aboveEachOther([
    imageGrid(pictures, { ...options, channels: c }),
    imageGrid(maps, { ...options, channels: 1, colormap: viridis }),
  ], 0);
}

function checkLabels(fn: string, x: tf.Tensor, y: tf.Tensor): void {
  if (!(x instanceof tf.Tensor) || x.rank !== 4) {
    throw new Error(`${fn}: x must be images [N, H, W, C], got ${x?.shape ?? typeof x}.`);
  }
  if (!(y instanceof tf.Tensor) || y.rank !== 1 || y.shape[0] !== x.shape[0]) {
    throw new Error(`${fn}: y must be [${x.shape[0]}] classes (one per image), got [${y?.shape}].`);
  }
}
