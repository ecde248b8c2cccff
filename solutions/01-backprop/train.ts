/**
 * Training the two-layer net: minibatch SGD with learning-rate decay.
 *
 * Provided for you: it calls your `twoLayerNetLoss`, `sgdStep` and `twoLayerNetScores`.
 * Assignment 2 replaces it with a general Solver and better update rules.
 *
 * @example
 * ```ts
 * const params = initTwoLayerNet(new Rng(0), 784, 200, 10);
 * const result = await trainTwoLayerNet(params, { xTrain, yTrain, xVal, yVal }, {
 *   learningRate: 0.1, learningRateDecay: 0.95, reg: 1e-4, epochs: 10, batchSize: 200, seed: 0,
 * });
 * console.log(result.valAccuracy.at(-1));
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ProgressBar } from "../../lib/progress.ts";
import { readScalar } from "../../lib/read.ts";
import { Rng } from "../../lib/random.ts";
import {
  sgdStep,
  twoLayerNetLoss,
  type TwoLayerNetParams,
  twoLayerNetScores,
} from "./two_layer_net.ts";

/** Inputs [N, D] (float32) and classes [N] (int32) to train on, and optionally to validate on. */
export interface TrainData {
  xTrain: tf.Tensor2D;
  yTrain: tf.Tensor1D;
  xVal?: tf.Tensor2D;
  yVal?: tf.Tensor1D;
}

/** How to train. */
export interface TrainOptions {
  learningRate: number;
  /** The learning rate is multiplied by this after every epoch. */
  learningRateDecay: number;
  /** L2 regularisation strength. */
  reg: number;
  epochs: number;
  batchSize: number;
  /** Seeds the order of the examples. */
  seed: number;
  /** Show a progress bar (default false). */
  progress?: boolean;
}

/** What training produced. */
export interface TrainResult {
  params: TwoLayerNetParams;
  /** The loss of every minibatch, in order. */
  lossHistory: number[];
  /** Accuracy on the validation data after each epoch (empty without it). */
  valAccuracy: number[];
}

/**
 * Trains the two-layer net with minibatch SGD: each epoch visits every
 * training example once, in a seeded random order.
 *
 * @param params the initial network; its tensors are disposed as training replaces them
 * @returns the trained network and the histories
 */
export async function trainTwoLayerNet(
  params: TwoLayerNetParams,
  data: TrainData,
  options: TrainOptions,
): Promise<TrainResult> {
  const { xTrain, yTrain } = data;
  const n = xTrain.shape[0];
  const stepsPerEpoch = Math.max(1, Math.floor(n / options.batchSize));
  const rng = new Rng(options.seed);
  const lossHistory: number[] = [];
  const valAccuracy: number[] = [];
  let learningRate = options.learningRate;
  const bar = options.progress
    ? new ProgressBar({ total: options.epochs * stepsPerEpoch, label: "training" })
    : undefined;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const order = rng.permutation(n);
    for (let step = 0; step < stepsPerEpoch; step++) {
      const indices = order.subarray(step * options.batchSize, (step + 1) * options.batchSize);
      const [next, loss] = tf.tidy(() => {
        const batch = tf.tensor1d(indices, "int32");
        const { loss, grads } = twoLayerNetLoss(
          params,
          tf.gather(xTrain, batch),
          tf.gather(yTrain, batch),
          options.reg,
        );
        return [sgdStep(params, grads, learningRate), loss] as const;
      });
      tf.dispose(params);
      params = next;
      lossHistory.push(await readScalar(loss));
      loss.dispose();
      bar?.update(lossHistory.length, `epoch ${epoch}, loss ${lossHistory.at(-1)!.toFixed(3)}`);
    }
    if (data.xVal && data.yVal) valAccuracy.push(await accuracy(params, data.xVal, data.yVal));
    learningRate *= options.learningRateDecay;
  }
  bar?.finish();
  return { params, lossHistory, valAccuracy };
}

/**
 * The fraction of examples the network classifies correctly (the arg-max of its
 * scores is the class), computed in chunks so large test sets fit in memory.
 *
 * @param x inputs, shape [N, D]
 * @param y classes, int32, shape [N]
 */
export async function accuracy(
  params: TwoLayerNetParams,
  x: tf.Tensor2D,
  y: tf.Tensor1D,
  chunk = 2000,
): Promise<number> {
  const n = x.shape[0];
  let correct = 0;
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const hits = tf.tidy(() =>
      tf.sum(
        tf.equal(
          tf.argMax(twoLayerNetScores(params, x.slice([start, 0], [size, -1])), 1),
          y.slice(start, size).toInt(),
        ),
      )
    );
    correct += await readScalar(hits);
    hits.dispose();
  }
  return correct / n;
}
