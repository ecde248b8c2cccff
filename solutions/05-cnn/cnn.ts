/**
 * `deno task cnn`: trains a ThreeLayerConvNet made of your layers and draws
 * what it learned (provided: run it).
 *
 *     deno task cnn                      # CIFAR-10 (data_batch_1), 7×7 filters: out/cnn/
 *     deno task cnn --data=fashion       # Fashion-MNIST, 5×5 filters
 *     deno task cnn --epochs=1 --train=2000
 *
 * It writes, in `out/cnn/`:
 * - `filters.png`: the first layer's filters, one tile each;
 * - `activations.png`: the first layer's activation maps for one test image;
 * - `saliency.png`: eight test images above their saliency maps;
 * - `loss.svg`, `accuracy.svg`, `update_ratio.svg` and the CSV histories (the Solver's report).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { describeBackend, setupBackend } from "../../lib/backend.ts";
import { FlagError, parseArgs } from "../../lib/cli.ts";
import { writePng } from "../../lib/image.ts";
import { runScript } from "../../lib/script.ts";
import type { TrainingPlan } from "./convnet.ts";
import type { ThreeLayerConvNetOptions } from "./three_layer_convnet.ts";
import {
  type ImageData,
  loadCifarImages,
  loadFashionImages,
  threeLayerSolver,
  trainAndTest,
} from "./train.ts";
import {
  activationImage,
  activationMaps,
  filterImage,
  saliencyImage,
  saliencyMaps,
} from "./visualize.ts";

const USAGE =
  `usage: deno task cnn [--data=cifar|fashion] [--epochs=N] [--train=N] [--out=DIR] [--backend=NAME]

Trains a ThreeLayerConvNet (your layers) and writes its first-layer filters,
the activation maps of one test image and saliency maps to DIR (default out/cnn).
  --data     cifar (default: data_batch_1, 7×7 filters) or fashion (5×5 filters)
  --epochs   passes over the training images (default 2)
  --train    how many training images to use (default all: 9,000 or 55,000)`;

/** The net and plan for each data set: 32 filters, batchnorm, Adam. */
const SETTINGS: Record<string, { net: ThreeLayerConvNetOptions; plan: TrainingPlan }> = {
  cifar: {
    net: { inputShape: [32, 32, 3], filters: 32, filterSize: 7, hidden: 100, batchnorm: true },
    plan: { epochs: 2, batchSize: 64, learningRate: 2e-3, decay: 0.7, flips: true },
  },
  fashion: {
    net: { inputShape: [28, 28, 1], filters: 32, filterSize: 5, hidden: 100, batchnorm: true },
    plan: { epochs: 2, batchSize: 64, learningRate: 2e-3, decay: 0.7 },
  },
};

async function main(args: string[]): Promise<void> {
  const flags = parseArgs(args, {
    string: ["data", "epochs", "train", "out", "backend"],
    default: { data: "cifar", out: "out/cnn" },
  });
  const setting = SETTINGS[flags.data!];
  if (!setting) throw new FlagError(`--data must be cifar or fashion, got ${flags.data}.`);
  const plan = { ...setting.plan, reg: 1e-4 };
  if (flags.epochs) plan.epochs = positive("--epochs", flags.epochs);
  console.log(`backend: ${describeBackend(await setupBackend())}`);
  let data: ImageData = flags.data === "cifar"
    ? await loadCifarImages()
    : await loadFashionImages();
  if (flags.train) data = { ...data, ...firstRows(data, positive("--train", flags.train)) };
  console.log(
    `training a ThreeLayerConvNet on ${data.xTrain.shape[0]} ${flags.data} images, ` +
      `${plan.epochs} epochs`,
  );
  const solver = threeLayerSolver(setting.net, plan, data, 0, true);
  const accuracy = await trainAndTest(solver, data);
  console.log(`test accuracy ${accuracy.toFixed(4)} (best validation epoch ${solver.bestEpoch})`);

  const dir = flags.out!;
  const { params, state } = solver;
  const x = data.xTest.slice(0, 8) as tf.Tensor4D;
  const y = data.yTest.slice(0, 8) as tf.Tensor1D;
  const maps = activationMaps(params, state, x.slice(0, 1) as tf.Tensor4D);
  const [, h, w, f] = maps.shape;
  const pictures = {
    "filters.png": await filterImage(params.W1 as tf.Tensor4D),
    "activations.png": await activationImage(maps.reshape([h, w, f]) as tf.Tensor3D),
    "saliency.png": await saliencyImage(x, saliencyMaps(params, state, x, y)),
  };
  for (const [name, image] of Object.entries(pictures)) await writePng(`${dir}/${name}`, image);
  const report = await solver.writeReport(dir);
  console.log(
    `wrote ${[...Object.keys(pictures).map((n) => `${dir}/${n}`), ...report].join(", ")}`,
  );
  solver.dispose();
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= 1)) {
    throw new Error(`${flag} must be an integer ≥ 1, got ${value}.`);
  }
  return n;
}

/** The first `count` training images (the validation and test sets stay whole). */
function firstRows(data: ImageData, count: number): Pick<ImageData, "xTrain" | "yTrain"> {
  const n = Math.min(count, data.xTrain.shape[0]);
  return { xTrain: data.xTrain.slice(0, n), yTrain: data.yTrain.slice(0, n) };
}

if (import.meta.main) await runScript(USAGE, main);
