/**
 * Trains your two-layer net on the spiral data and draws what it learned.
 *
 *     deno task spiral             # your code, in assignments/01-backprop/
 *
 * Needs no download: the spiral is generated from a seed. Writes
 * `out/spiral_loss.svg` (the loss curve) and `out/spiral_regions.svg` (the
 * plane coloured by predicted class, with the training points on top and the
 * training accuracy in the title). Accepts `--backend=wasm|webgpu|cpu|auto`
 * and `--epochs=N`. The assignment's notebook draws the same charts with the
 * functions exported here.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { describeBackend, setupBackend } from "../../lib/backend.ts";
import { parseArgs } from "../../lib/cli.ts";
import { runScript } from "../../lib/script.ts";
import { type Domain, lineChart, regionGrid, regionsChart } from "../../lib/plot.ts";
import { Rng } from "../../lib/random.ts";
import { type PlanarData, spiral } from "../../datasets/spiral.ts";
import { accuracy, trainTwoLayerNet } from "./train.ts";
import { initTwoLayerNet, predict, type TwoLayerNetParams } from "./two_layer_net.ts";

/** A trained net on the spiral, and how the training went. */
export interface SpiralRun {
  /** the spiral: 100 points in each of 3 arms, seed 0 */
  data: PlanarData;
  params: TwoLayerNetParams;
  /** the loss of every step (one step per epoch: the batch is the whole set) */
  lossHistory: number[];
  /** the fraction of the training points classified right */
  trainAccuracy: number;
}

/**
 * Trains your two-layer net (100 hidden units, He initialisation, seed 0) on
 * the spiral with full-batch SGD: learning rate 1, L2 strength 1e-3.
 *
 * @param epochs how many steps; default 1000
 * @param progress show a progress bar; default false
 */
export async function trainOnSpiral(epochs = 1000, progress = false): Promise<SpiralRun> {
  const data = spiral({ pointsPerClass: 100, classes: 3, seed: 0 });
  const xTrain = tf.tensor2d(data.x, [data.count, 2]);
  const yTrain = tf.tensor1d(data.y, "int32");
  const { params, lossHistory } = await trainTwoLayerNet(
    initTwoLayerNet(new Rng(0), 2, 100, 3),
    { xTrain, yTrain },
    {
      learningRate: 1,
      learningRateDecay: 1,
      reg: 1e-3,
      epochs,
      batchSize: data.count,
      seed: 0,
      progress,
    },
  );
  const trainAccuracy = await accuracy(params, xTrain, yTrain);
  tf.dispose([xTrain, yTrain]);
  return { data, params, lossHistory, trainAccuracy };
}

/** The run's loss curve, log scale, as SVG. */
export function lossChart(run: SpiralRun): string {
  return lineChart({
    title: "Two-layer net on the spiral: training loss",
    subtitle: `final loss ${run.lossHistory.at(-1)?.toFixed(4)}`,
    xLabel: "iteration",
    yLabel: "loss",
    series: [{ name: "training loss", y: run.lossHistory }],
    logY: true,
  });
}

/** The square of the plane the spiral lies in (its arms reach radius 1). */
const PLANE: Domain = { x: [-1.1, 1.1], y: [-1.1, 1.1] };

/**
 * The plane coloured by the class the net predicts at each of 400 × 400
 * points, the training points on top, as SVG.
 */
export async function regionsOf(run: SpiralRun): Promise<string> {
  const size = 400;
  const cells = regionGrid(PLANE, size, size);
  const classes = new Int32Array(size * size);
  for (let row = 0; row < size; row += 100) { // 100 rows at a time: a 40,000 × 100 hidden layer
    const points = tf.tensor2d(cells.subarray(2 * row * size, 2 * (row + 100) * size), [
      100 * size,
      2,
    ]);
    const predicted = tf.tidy(() => predict(run.params, points));
    classes.set(await predicted.data(), row * size);
    tf.dispose([points, predicted]);
  }
  return regionsChart({
    title: "Two-layer net on the spiral: decision regions",
    subtitle: `training accuracy ${(100 * run.trainAccuracy).toFixed(1)}%`,
    domain: PLANE,
    grid: { width: size, height: size, classes },
    points: { xy: run.data.x, classes: run.data.y },
  });
}

const USAGE = `usage: deno task spiral [--epochs N] [--backend auto|wasm|webgpu|cpu]

Trains your two-layer net on the spiral (Tasks 1–5 must be written) and writes
out/spiral_loss.svg and out/spiral_regions.svg.`;

if (import.meta.main) {
  await runScript(USAGE, async (args) => {
    const flags = parseArgs(args, {
      string: ["backend", "epochs"],
      default: { epochs: "1000" },
    });
    console.log(`backend: ${describeBackend(await setupBackend())}`);
    const run = await trainOnSpiral(Number(flags.epochs), true);
    await Deno.mkdir("out", { recursive: true });
    await Deno.writeTextFile("out/spiral_loss.svg", lossChart(run));
    await Deno.writeTextFile("out/spiral_regions.svg", await regionsOf(run));
    console.log(
      `final loss ${run.lossHistory.at(-1)!.toFixed(4)}, training accuracy ${
        (100 * run.trainAccuracy).toFixed(1)
      }%`,
    );
    console.log("wrote out/spiral_loss.svg and out/spiral_regions.svg");
  });
}
