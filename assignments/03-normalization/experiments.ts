/**
 * The three experiments of the handout, and the target run, on Fashion-MNIST
 * with your layers, your net and your update rules (provided: run it).
 *
 *     deno task normalization                  # all three experiments and the target run
 *     deno task normalization weight-scale     # one: weight-scale | speed | batch-size | target
 *
 * - **weight-scale** ({@linkcode weightScaleSweep}): an 8-layer net from 20
 *   initial weight scales, 1e-4 to 1, with and without batchnorm; the best
 *   validation accuracy of each → `out/normalization/weight_scale.svg`.
 * - **speed** ({@linkcode learningSpeed}): a 6-layer net with and without
 *   batchnorm, from the same small initialisation; validation accuracy per
 *   epoch → `out/normalization/learning_speed.svg`.
 * - **batch-size** ({@linkcode batchSizeEffect}): batchnorm and layernorm nets
 *   trained with batches of 5, 10 and 50 → `out/normalization/batch_size.svg`.
 * - **target** ({@linkcode targetSolver}): the 6-layer batchnorm net on all
 *   55,000 training images; its test accuracy.
 *
 * The graded tests (`targets_test.ts`) run these same functions with these
 * same settings and assert what the handout states; the plots show you what
 * they measured. Flags: `--seed=N` (default 0), `--backend=…`, `--help`.
 *
 * @module
 */
import { describeBackend, setupBackend } from "../../lib/backend.ts";
import { parseArgs } from "../../lib/cli.ts";
import { NotImplementedError } from "../../lib/errors.ts";
import type { OptimConfig, UpdateRule } from "../../lib/optimizer.ts";
import { lineChart } from "../../lib/plot.ts";
import { Rng } from "../../lib/random.ts";
import { Solver, type SolverData } from "../../lib/solver.ts";
import { loadFashionMnist } from "../../datasets/mnist.ts";
import { type PreparedImages, prepareImages } from "../../datasets/prepare.ts";
import { adam, ADAM_DEFAULTS, type AdamConfig, sgdMomentum } from "../02-optimizers/optim.ts";
import { stepDecay } from "../02-optimizers/schedules.ts";
import {
  fcNetModel,
  type FcNetParams,
  type FcNetState,
  initFcNet,
  type Normalization,
} from "./fc_net.ts";

/** Fashion-MNIST: 5,000 training images held out for validation, standardised. */
export async function loadData(): Promise<PreparedImages> {
  return prepareImages(await loadFashionMnist(), {
    valCount: 5000,
    seed: 0,
    normalize: "standardize",
  });
}

/** The first `trainCount` training and `valCount` validation images of `data`. */
export function subset(data: SolverData, trainCount: number, valCount: number): SolverData {
  return {
    xTrain: data.xTrain.slice(0, trainCount),
    yTrain: data.yTrain.slice(0, trainCount),
    xVal: data.xVal.slice(0, valCount),
    yVal: data.yVal.slice(0, valCount),
  };
}

/** One training run's settings. */
interface Run<C extends OptimConfig> {
  dims: readonly number[];
  normalization: Normalization;
  weightScale: number | "he";
  update: UpdateRule<C>;
  config: C;
  batchSize: number;
  epochs: number;
  seed: number;
}

/** Trains one net; returns each epoch's validation accuracy and the best. */
async function train<C extends OptimConfig>(
  data: SolverData,
  run: Run<C>,
): Promise<{ valAccuracy: number[]; best: number }> {
  const { dims, normalization, weightScale, update, config, batchSize, epochs, seed } = run;
  const { params, state } = initFcNet(new Rng(seed), dims, { normalization, weightScale });
  const solver = new Solver(fcNetModel({ normalization }), params, data, {
    update,
    config,
    batchSize,
    epochs,
    seed,
    state,
    trainSamples: 200, // only the validation accuracy is used: keep the training sample small
  });
  try {
    await solver.train();
  } finally {
    solver.dispose();
  }
  return {
    valAccuracy: solver.epochHistory.map((r) => r.valAccuracy),
    best: solver.bestValAccuracy,
  };
}

/** 20 log-spaced scales from 1e-4 to 1. */
const SCALES = Array.from({ length: 20 }, (_, i) => 10 ** (-4 + (4 * i) / 19));

/**
 * The weight-scale sweep: an 8-layer net (seven hidden layers of 50), every
 * weight drawn with std `scale`, trained on 2,000 images for 10 epochs of
 * SGD with momentum, with and without batchnorm. A run "trains" when its
 * best validation accuracy reaches `trainsAt`; `middle` is the middle of the
 * range, the ten scales from 1e-3 to 1e-1, over which batchnorm's accuracy
 * may vary by at most `middleSpread`.
 */
export const SWEEP = Object.freeze({
  dims: [784, 50, 50, 50, 50, 50, 50, 50, 10],
  scales: SCALES,
  trainCount: 2000,
  valCount: 2000,
  batchSize: 100,
  epochs: 10,
  config: { learningRate: 0.05, momentum: 0.9 },
  trainsAt: 0.7,
  middle: [1e-3, 1e-1] as const,
  middleSpread: 0.1,
});

/** One scale of the sweep: the best validation accuracy with and without batchnorm. */
export interface SweepRow {
  scale: number;
  batchnorm: number;
  none: number;
}

/**
 * Runs the weight-scale sweep ({@linkcode SWEEP}).
 *
 * @param data the prepared data set
 * @param seed seeds every initialisation and batch order (the same for both nets)
 * @param onRow called after each scale, e.g. to print it
 * @param scales the scales to try, smallest first; default all of `SWEEP.scales` (the notebook
 *   runs a few of them)
 * @returns one row per scale, in the order of `scales`
 */
export async function weightScaleSweep(
  data: SolverData,
  seed = 0,
  onRow?: (row: SweepRow) => void,
  scales: readonly number[] = SWEEP.scales,
): Promise<SweepRow[]> {
  const small = subset(data, SWEEP.trainCount, SWEEP.valCount);
  const rows: SweepRow[] = [];
  for (const scale of scales) {
    const run = (normalization: Normalization) =>
      train(small, {
        dims: SWEEP.dims,
        normalization,
        weightScale: scale,
        update: sgdMomentum,
        config: SWEEP.config,
        batchSize: SWEEP.batchSize,
        epochs: SWEEP.epochs,
        seed,
      });
    const row = { scale, batchnorm: (await run("batchnorm")).best, none: (await run("none")).best };
    rows.push(row);
    onRow?.(row);
  }
  return rows;
}

/**
 * The learning-speed experiment: a 6-layer net (five hidden layers of 100)
 * with every weight drawn from N(0, 0.02²) as in CS231n's notebook, trained
 * on 5,000 images for 6 epochs of Adam, with and without batchnorm.
 * `threshold` is the validation accuracy whose epoch count is compared.
 */
export const SPEED = Object.freeze({
  dims: [784, 100, 100, 100, 100, 100, 10],
  weightScale: 0.02,
  trainCount: 5000,
  valCount: 2000,
  batchSize: 100,
  epochs: 6,
  config: { ...ADAM_DEFAULTS, learningRate: 1e-3 },
  threshold: 0.8,
});

/** Validation accuracy after each epoch, with and without batchnorm. */
export interface SpeedResult {
  batchnorm: number[];
  none: number[];
}

/**
 * Runs the learning-speed experiment ({@linkcode SPEED}).
 *
 * @param data the prepared data set
 * @param seed seeds the initialisation and batch order (the same for both nets)
 * @returns the validation accuracy after each epoch, for each net
 */
export async function learningSpeed(data: SolverData, seed = 0): Promise<SpeedResult> {
  const small = subset(data, SPEED.trainCount, SPEED.valCount);
  const run = async (normalization: Normalization) =>
    (await train(small, {
      dims: SPEED.dims,
      normalization,
      weightScale: SPEED.weightScale,
      update: adam,
      config: SPEED.config,
      batchSize: SPEED.batchSize,
      epochs: SPEED.epochs,
      seed,
    })).valAccuracy;
  return { batchnorm: await run("batchnorm"), none: await run("none") };
}

/**
 * The first epoch (from 1) whose validation accuracy reaches `threshold`,
 * or `undefined` if none does.
 */
export function epochsToReach(
  valAccuracy: readonly number[],
  threshold: number,
): number | undefined {
  const i = valAccuracy.findIndex((a) => a >= threshold);
  return i < 0 ? undefined : i + 1;
}

/**
 * The target: a 6-layer batchnorm net (five hidden layers of 200, weights of
 * std 0.02) on all 55,000 training images, 10 epochs of Adam in batches of
 * 200, the rate halved every 2 epochs; its test accuracy must reach
 * `testAccuracy`.
 */
export const TARGET = Object.freeze({
  dims: [784, 200, 200, 200, 200, 200, 10],
  weightScale: 0.02,
  config: { ...ADAM_DEFAULTS, learningRate: 2e-3 },
  decay: { every: 2, factor: 0.5 },
  batchSize: 200,
  epochs: 10,
  testAccuracy: 0.89,
});

/**
 * A Solver for the target net ({@linkcode TARGET}) on all the training
 * images, ready to train.
 *
 * @param data the prepared data set
 * @param options `seed` (default 0), `progress` (default false)
 * @returns the Solver (dispose it when done)
 */
export function targetSolver(
  data: SolverData,
  options: { seed?: number; progress?: boolean } = {},
): Solver<FcNetParams, AdamConfig, FcNetState> {
  const { seed = 0, progress = false } = options;
  const normalization = "batchnorm";
  const { params, state } = initFcNet(new Rng(seed), TARGET.dims, {
    normalization,
    weightScale: TARGET.weightScale,
  });
  return new Solver(fcNetModel({ normalization }), params, data, {
    update: adam,
    config: TARGET.config,
    schedule: stepDecay(TARGET.decay),
    batchSize: TARGET.batchSize,
    epochs: TARGET.epochs,
    seed,
    state,
    progress,
  });
}

/**
 * The batch-size experiment: a 6-layer net (five hidden layers of 100, He
 * initialisation) trained on 1,000 images for 2 epochs of Adam, with each
 * batch size and each normalisation. Small batches give batchnorm noisy
 * statistics, and test-time statistics unlike any training batch's;
 * layernorm's statistics are each example's own. With batches of 5,
 * batchnorm must lose more accuracy (against batches of 50) than layernorm
 * does, for every seed, and at least `margin` more on average.
 */
export const BATCH_SIZES = Object.freeze({
  dims: [784, 100, 100, 100, 100, 100, 10],
  batchSizes: [5, 10, 50],
  trainCount: 1000,
  valCount: 2000,
  epochs: 2,
  config: { ...ADAM_DEFAULTS, learningRate: 1e-3 },
  margin: 0.03,
});

/** The best validation accuracy of each normalisation at each of BATCH_SIZES.batchSizes. */
export interface BatchSizeResult {
  batchnorm: number[];
  layernorm: number[];
}

/**
 * Runs the batch-size experiment ({@linkcode BATCH_SIZES}) for one seed.
 *
 * @param data the prepared data set
 * @param seed seeds the initialisation and batch order (the same for every run)
 * @returns the best validation accuracy per batch size, for each normalisation
 */
export async function batchSizeEffect(data: SolverData, seed = 0): Promise<BatchSizeResult> {
  const small = subset(data, BATCH_SIZES.trainCount, BATCH_SIZES.valCount);
  const result: BatchSizeResult = { batchnorm: [], layernorm: [] };
  for (const normalization of ["batchnorm", "layernorm"] as const) {
    for (const batchSize of BATCH_SIZES.batchSizes) {
      const { best } = await train(small, {
        dims: BATCH_SIZES.dims,
        normalization,
        weightScale: "he",
        update: adam,
        config: BATCH_SIZES.config,
        batchSize,
        epochs: BATCH_SIZES.epochs,
        seed,
      });
      result[normalization].push(best);
    }
  }
  return result;
}

/** How far apart the largest and smallest of `values` are. */
export function spread(values: readonly number[]): number {
  return Math.max(...values) - Math.min(...values);
}

/**
 * How much accuracy the smallest batch loses against the largest:
 * accuracy at the last batch size minus accuracy at the first.
 */
export function smallBatchLoss(accuracies: readonly number[]): number {
  return accuracies[accuracies.length - 1] - accuracies[0];
}

/** The sweep as a chart: best validation accuracy against log₁₀ of the weight scale. */
export function weightScaleChart(rows: readonly SweepRow[]): string {
  const x = rows.map((r) => Math.log10(r.scale));
  return lineChart({
    title: "8-layer net: best validation accuracy against the initial weight scale",
    xLabel: "log₁₀ weight scale (std of every W)",
    yLabel: "best validation accuracy",
    series: [
      { name: "batchnorm", x, y: rows.map((r) => r.batchnorm) },
      { name: "no normalisation", x, y: rows.map((r) => r.none) },
      { name: `trains (${SWEEP.trainsAt})`, x, y: x.map(() => SWEEP.trainsAt), color: "#999999" },
    ],
  });
}

/** Validation accuracy per epoch, with and without batchnorm. */
export function learningSpeedChart({ batchnorm, none }: SpeedResult): string {
  const epochs = batchnorm.map((_, i) => i + 1);
  return lineChart({
    title: "6-layer net, same initialisation and Adam: validation accuracy per epoch",
    xLabel: "epoch",
    yLabel: "validation accuracy",
    series: [
      { name: "batchnorm", x: epochs, y: batchnorm },
      { name: "no normalisation", x: epochs, y: none },
      {
        name: `${SPEED.threshold}`,
        x: epochs,
        y: epochs.map(() => SPEED.threshold),
        color: "#999999",
      },
    ],
  });
}

/** Best validation accuracy against batch size, one line per normalisation and seed. */
export function batchSizeChart(results: readonly BatchSizeResult[]): string {
  const x = BATCH_SIZES.batchSizes;
  return lineChart({
    title: "Best validation accuracy against batch size",
    xLabel: "batch size",
    yLabel: "best validation accuracy",
    series: results.flatMap((r, seed) => [
      { name: `batchnorm, seed ${seed}`, x, y: r.batchnorm, color: seed ? "#ff7f0e" : "#1f77b4" },
      { name: `layernorm, seed ${seed}`, x, y: r.layernorm, color: seed ? "#2ca02c" : "#d62728" },
    ]),
  });
}

const EXPERIMENTS = ["weight-scale", "speed", "batch-size", "target"] as const;

const USAGE = `usage: deno task normalization [${
  EXPERIMENTS.join(" | ")
} …] [--seed=N] [--backend=…]

Runs the handout's experiments with your code (all of them if none is named)
and writes their charts to out/normalization/. See the handout for how long
each takes.`;

async function main(args: string[]): Promise<void> {
  const flags = parseArgs(args, { string: ["backend", "seed"], boolean: ["help"] });
  if (flags.help) return console.log(USAGE);
  const wanted = flags._.length ? flags._.map(String) : [...EXPERIMENTS];
  const unknown = wanted.filter((name) => !(EXPERIMENTS as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`unknown experiment ${unknown.join(", ")}.\n${USAGE}`);
  const seed = Number(flags.seed ?? 0);
  console.log(`backend: ${describeBackend(await setupBackend())}`);
  const data = await loadData();
  await Deno.mkdir("out/normalization", { recursive: true });
  const write = async (name: string, svg: string) => {
    await Deno.writeTextFile(`out/normalization/${name}`, svg);
    console.log(`wrote out/normalization/${name}`);
  };

  if (wanted.includes("weight-scale")) {
    console.log("weight-scale sweep: best validation accuracy, batchnorm | none");
    const rows = await weightScaleSweep(
      data,
      seed,
      (r) =>
        console.log(
          `  scale ${r.scale.toExponential(1)}: ${r.batchnorm.toFixed(3)} | ${r.none.toFixed(3)}`,
        ),
    );
    const trains = (key: "batchnorm" | "none") =>
      rows.filter((r) => r[key] >= SWEEP.trainsAt).length;
    const middle = rows.filter((r) => r.scale >= SWEEP.middle[0] && r.scale <= SWEEP.middle[1]);
    console.log(
      `  trains (≥ ${SWEEP.trainsAt}) at ${trains("batchnorm")} scales with batchnorm, ` +
        `${trains("none")} without; spread over ${SWEEP.middle.join("–")}: batchnorm ` +
        `${(100 * spread(middle.map((r) => r.batchnorm))).toFixed(1)} points, none ` +
        `${(100 * spread(middle.map((r) => r.none))).toFixed(1)}`,
    );
    await write("weight_scale.svg", weightScaleChart(rows));
  }

  if (wanted.includes("speed")) {
    console.log("learning speed: validation accuracy per epoch");
    const result = await learningSpeed(data, seed);
    const reach = (values: number[]) => epochsToReach(values, SPEED.threshold) ?? "never";
    console.log(
      `  batchnorm ${result.batchnorm.map((a) => a.toFixed(3))}\n` +
        `  none      ${result.none.map((a) => a.toFixed(3))}\n` +
        `  epochs to ${SPEED.threshold}: batchnorm ${reach(result.batchnorm)}, ` +
        `none ${reach(result.none)}`,
    );
    await write("learning_speed.svg", learningSpeedChart(result));
  }

  if (wanted.includes("batch-size")) {
    console.log(`batch sizes ${BATCH_SIZES.batchSizes.join(", ")}: best validation accuracy`);
    const results: BatchSizeResult[] = [];
    for (const s of [seed, seed + 1]) {
      const r = await batchSizeEffect(data, s);
      results.push(r);
      const lost = (values: number[]) => (100 * smallBatchLoss(values)).toFixed(1);
      console.log(
        `  seed ${s}: batchnorm ${r.batchnorm.map((a) => a.toFixed(3))} (batch 5 loses ` +
          `${lost(r.batchnorm)} points against 50), layernorm ` +
          `${r.layernorm.map((a) => a.toFixed(3))} (${lost(r.layernorm)})`,
      );
    }
    await write("batch_size.svg", batchSizeChart(results));
  }

  if (wanted.includes("target")) {
    console.log("the target: the 6-layer batchnorm net on all the training images");
    const solver = targetSolver(data, { seed, progress: true });
    await solver.train();
    solver.restoreBest();
    const test = await solver.accuracy(data.xTest, data.yTest);
    solver.dispose();
    console.log(
      `  test accuracy ${test.toFixed(4)} (target ≥ ${TARGET.testAccuracy}), with epoch ` +
        `${solver.bestEpoch}'s parameters and running statistics`,
    );
  }
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    if (!(e instanceof NotImplementedError)) throw e;
    console.error(`error: ${e.message}`);
    Deno.exit(1);
  }
}
