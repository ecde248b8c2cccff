/**
 * Task 6 — Why initialisation matters: activations through a deep net.
 *
 * Push a batch of unit-Gaussian inputs through a 10-layer net (no training)
 * and watch the standard deviation of each layer's activations:
 *
 * - weights with std 0.01: each layer scales activations by about
 *   0.01·√fan_in, so they collapse towards zero, and so do the gradients;
 * - Xavier (std √(1/fan_in)): keeps tanh activations alive;
 * - He (std √(2/fan_in)): the factor 2 makes up for ReLU zeroing half its
 *   inputs, so ReLU activations keep their scale through every layer.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { readAll } from "../../lib/read.ts";
import { randn, Rng } from "../../lib/random.ts";
import { NotImplementedError } from "../../lib/errors.ts";

/** A weight initialisation scheme. */
export type Init = "small" | "xavier" | "he";
/** A non-linearity. */
export type Activation = "tanh" | "relu";

/**
 * The standard deviation to draw a layer's weights with.
 *
 * @param init `small` (0.01), `xavier` (√(1/fanIn)) or `he` (√(2/fanIn))
 * @param fanIn the number of inputs of the layer
 */
export function initStd(init: Init, fanIn: number): number {
  // TODO: Implement for Task 6.
  throw new NotImplementedError("initStd", 6);
}

/** The network and batch to study. */
export interface StudyOptions {
  init: Init;
  activation: Activation;
  /** number of layers, default 10 */
  depth?: number;
  /** units per layer (and input size), default 500 */
  width?: number;
  /** examples in the batch, default 1000 */
  batch?: number;
  seed?: number;
}

/**
 * The std of each layer's activations for a batch of N(0, 1) inputs.
 *
 * Layer l computes h_l = activation(h_{l−1}·W_l), W_l of shape [width, width]
 * drawn with {@linkcode initStd}, no biases.
 *
 * @returns depth numbers: the std over all of h_l's entries, for l = 1…depth
 */
export async function activationStds(options: StudyOptions): Promise<number[]> {
  const { init, activation, depth = 10, width = 500, batch = 1000, seed = 0 } = options;
  const rng = new Rng(seed);
  // TODO: Implement for Task 6.
  throw new NotImplementedError("activationStds", 6);
}
