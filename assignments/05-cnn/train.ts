/**
 * Training the nets of this assignment on real images (provided: read it).
 * The targets (`targets_test.ts`) and `deno task cnn` train through here.
 *
 * - The data: Fashion-MNIST and CIFAR-10's `data_batch_1`, split and
 *   standardised by `prepareImages` (statistics from the training images
 *   only), then reshaped to NHWC images [N, H, W, C].
 * - The loop: the Solver of `lib/solver.ts` with your Adam (assignment 2)
 *   and a learning rate multiplied by `decay` after every epoch (your
 *   `stepDecay`), keeping the parameters of the best validation epoch.
 * - Data augmentation: with `flips`, every training batch has each image
 *   mirrored left–right with probability ½ ({@linkcode withFlips}), drawn
 *   from the run's seeded generator: a new view of the data every epoch, at
 *   the cost of one `tf.reverse`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../lib/random.ts";
import { type Model, type Params, Solver } from "../../lib/solver.ts";
import { loadCifar10 } from "../../datasets/cifar10.ts";
import { loadFashionMnist } from "../../datasets/mnist.ts";
import { prepareImages } from "../../datasets/prepare.ts";
import { adam, ADAM_DEFAULTS, type AdamConfig } from "../02-optimizers/optim.ts";
import { stepDecay } from "../02-optimizers/schedules.ts";
import {
  checkDesign,
  type ConvNetDesign,
  convNetModel,
  initConvNet,
  type TrainingPlan,
} from "./convnet.ts";
import {
  type ConvNetParams,
  type ConvNetState,
  initThreeLayerConvNet,
  threeLayerConvNetModel,
  type ThreeLayerConvNetOptions,
} from "./three_layer_convnet.ts";

/** Training, validation and test images [N, H, W, C] (standardised) with int32 classes [N]. */
export interface ImageData {
  xTrain: tf.Tensor4D;
  yTrain: tf.Tensor1D;
  xVal: tf.Tensor4D;
  yVal: tf.Tensor1D;
  xTest: tf.Tensor4D;
  yTest: tf.Tensor1D;
}

/**
 * Fashion-MNIST as images: 5,000 training images held out for validation,
 * the first `trainCount` of the rest (default all 55,000) to train on, the
 * 10,000 test images.
 */
export async function loadFashionImages(trainCount?: number): Promise<ImageData> {
  const dataset = await loadFashionMnist();
  const prepared = prepareImages(dataset, {
    valCount: 5000,
    trainCount,
    seed: 0,
    normalize: "standardize",
  });
  return asImages(prepared, dataset.imageShape);
}

/**
 * CIFAR-10's `data_batch_1` as images: 1,000 held out for validation, 9,000
 * to train on, and the 10,000 test images.
 */
export async function loadCifarImages(): Promise<ImageData> {
  const dataset = await loadCifar10({ trainBatches: [1] });
  const prepared = prepareImages(dataset, { valCount: 1000, seed: 0, normalize: "standardize" });
  return asImages(prepared, dataset.imageShape);
}

/**
 * The net the Fashion-MNIST target trains, and how: two conv blocks with
 * pooling, as in the data set's benchmark table, built from your layers.
 * Three epochs are what the 6-minute budget holds (see the handout).
 */
export const FASHION_DESIGN: ConvNetDesign = {
  blocks: [{ filters: 16, pool: true }, { filters: 32, pool: true }],
  hidden: [100],
  batchnorm: true,
  reg: 1e-4,
  training: { epochs: 3, batchSize: 64, learningRate: 2e-3, decay: 0.3 },
};

/**
 * A Solver for a ThreeLayerConvNet, ready to train.
 *
 * @param net the net's sizes
 * @param plan how to train it, and its L2 strength
 * @param data images of the net's inputShape
 * @param seed the weights', the batches' and the flips' seed
 * @param progress show a bar and a line per epoch
 */
export function threeLayerSolver(
  net: ThreeLayerConvNetOptions,
  plan: TrainingPlan & { reg: number },
  data: ImageData,
  seed: number,
  progress = false,
): Solver<ConvNetParams, AdamConfig, ConvNetState> {
  const rng = new Rng(seed);
  const { params, state } = initThreeLayerConvNet(rng.fork(), net);
  const model = threeLayerConvNetModel(plan.reg);
  return makeSolver(plan.flips ? withFlips(model, rng.fork()) : model, params, state, data, {
    plan,
    seed,
    progress,
  });
}

/**
 * A Solver for a design's net on CIFAR-10, ready to train.
 *
 * @param design the net and its training plan, e.g. your `cifarDesign()`
 * @param data from {@linkcode loadCifarImages}
 * @param seed the weights', the batches' and the flips' seed
 * @param progress show a bar and a line per epoch
 */
export function designSolver(
  design: ConvNetDesign,
  data: ImageData,
  seed: number,
  progress = false,
): Solver<ConvNetParams, AdamConfig, ConvNetState> {
  checkDesign(design, data.xTrain.shape.slice(1));
  const rng = new Rng(seed);
  const { params, state } = initConvNet(rng.fork(), design, data.xTrain.shape.slice(1));
  const model = convNetModel(design);
  const plan = design.training;
  return makeSolver(plan.flips ? withFlips(model, rng.fork()) : model, params, state, data, {
    plan,
    seed,
    progress,
  });
}

/**
 * The model with each training image mirrored left–right (along the width
 * axis) with probability ½, drawn from `rng` at every step. Scores (used for
 * accuracy) see the images as they are.
 */
export function withFlips<P extends Params, S extends Params>(
  model: Model<P, S>,
  rng: Rng,
): Model<P, S> {
  return {
    loss: (params, x, y, state) => {
      const n = x.shape[0];
      const flip = tf.tensor(Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : 0)), [
        n,
        ...x.shape.slice(1).map(() => 1),
      ]);
      const flipped = tf.add(x, tf.mul(flip, tf.sub(tf.reverse(x, 2), x)));
      return model.loss(params, flipped, y, state);
    },
    scores: model.scores,
  };
}

/**
 * Trains a Solver, puts back its best validation epoch, and measures the test accuracy.
 *
 * @returns the test accuracy, in [0, 1]
 */
export async function trainAndTest(
  solver: Solver<ConvNetParams, AdamConfig, ConvNetState>,
  data: ImageData,
): Promise<number> {
  await solver.train();
  solver.restoreBest();
  return await solver.accuracy(data.xTest, data.yTest);
}

function makeSolver(
  model: Model<ConvNetParams, ConvNetState>,
  params: ConvNetParams,
  state: ConvNetState,
  data: ImageData,
  { plan, seed, progress }: { plan: TrainingPlan; seed: number; progress: boolean },
): Solver<ConvNetParams, AdamConfig, ConvNetState> {
  return new Solver(model, params, data, {
    update: adam,
    config: { ...ADAM_DEFAULTS, learningRate: plan.learningRate },
    schedule: stepDecay({ every: 1, factor: plan.decay ?? 1 }),
    batchSize: plan.batchSize,
    epochs: plan.epochs,
    seed,
    state,
    progress,
    // 1,000 images at once would grow the wasm heap to 1.5 GB (im2col's copies), and it never
    // shrinks; 100 at a time keep both targets in one run under 1.2 GB.
    evalBatchSize: 100,
  });
}

function asImages(
  prepared: ReturnType<typeof prepareImages>,
  shape: readonly number[],
): ImageData {
  const images = (x: tf.Tensor2D) => {
    const out = x.reshape([x.shape[0], ...shape]) as tf.Tensor4D;
    x.dispose();
    return out;
  };
  return {
    xTrain: images(prepared.xTrain),
    yTrain: prepared.yTrain,
    xVal: images(prepared.xVal),
    yVal: prepared.yVal,
    xTest: images(prepared.xTest),
    yTest: prepared.yTest,
  };
}
