/**
 * The experiments of the handout, and the target run, on Fashion-MNIST with
 * your dropout, your net, your penalties and your ensembles (provided: run
 * it).
 *
 *     deno task regularization                 # every experiment, then the target run
 *     deno task regularization overfitting     # one: overfitting | sparsity | ensemble | target
 *
 * - **overfitting** ({@linkcode trainOverfitting}): a net with one hidden
 *   layer of 500 units trained on 500 images, with keep probabilities 1,
 *   0.5 and 0.25; training and validation accuracy per epoch →
 *   `out/regularization/overfitting.svg`.
 * - **sparsity** ({@linkcode sparsity}): the same net trained with L1 and
 *   with L2 at matched strengths; the distribution of its first layer's
 *   weights → `out/regularization/weights.svg` and `small_weights.svg`.
 * - **ensemble** ({@linkcode ensembleAccuracy}): the overfitting
 *   experiment's nets of seeds 0, 1 and 2, averaged; their test accuracy.
 * - **target** ({@linkcode targetSolver}): the target net, regularised as
 *   you chose in `target.ts`, on all 55,000 training images; its test
 *   accuracy.
 *
 * The graded tests (`targets_test.ts`) run these same functions with these
 * same settings and assert what the handout states; the charts show what
 * they measured. Every accuracy is measured here (by the Solver's
 * `accuracy` or by {@linkcode accuracyOf}), never by code you submit.
 * Flags: `--seed=N` (the first seed, default 0), `--backend=…`, `--help`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { describeBackend, setupBackend } from "../../lib/backend.ts";
import { parseArgs } from "../../lib/cli.ts";
import { scope } from "../../lib/memory.ts";
import { rejectUnknownKeys } from "../../lib/options.ts";
import { lineChart } from "../../lib/plot.ts";
import { readScalar } from "../../lib/read.ts";
import { Rng } from "../../lib/random.ts";
import { runScript } from "../../lib/script.ts";
import { Solver, type SolverData } from "../../lib/solver.ts";
import { loadFashionMnist } from "../../datasets/mnist.ts";
import { type PreparedImages, prepareImages } from "../../datasets/prepare.ts";
import { adam, ADAM_DEFAULTS, type AdamConfig, sgdMomentum } from "../02-optimizers/optim.ts";
import { stepDecay } from "../02-optimizers/schedules.ts";
import { checkMaxNorm } from "./checks.ts";
import { ensembleProbabilities } from "./ensemble.ts";
import {
  fcNetModel,
  type FcNetOptions,
  type FcNetParams,
  fcNetScores,
  type FcNetState,
  initFcNet,
} from "./fc_net.ts";
import { withMaxNorm } from "./regularizers.ts";
import { type RegularizationChoice, targetRegularization } from "./target.ts";

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

/**
 * The fraction of examples whose highest score is their class: the course's
 * own measure, on scores [N, C] or probabilities, against classes [N].
 */
export async function accuracyOf(scores: tf.Tensor, y: tf.Tensor): Promise<number> {
  const hits = scope(() => tf.sum(tf.equal(tf.argMax(scores, 1), y.toInt())));
  const correct = await readScalar(hits);
  hits.dispose();
  return correct / y.shape[0];
}

/**
 * The overfitting experiment, CS231n's: a net with one hidden layer of 500
 * units trained on only 500 images, 25 epochs of Adam (rate 5e-4, batches
 * of 100), once per keep probability. It memorises its training set without
 * dropout; the asserted claim is that with p = 0.25 the gap between
 * training and validation accuracy is at least `minGapShrink` smaller. The
 * accuracies are measured at the end of training, in test mode, on the 500
 * training images and 5,000 validation images (the per-epoch curves use
 * the first 1,000).
 */
export const OVERFITTING = Object.freeze({
  dims: [784, 500, 10],
  trainCount: 500,
  valCount: 5000,
  curveValCount: 1000,
  keepProbabilities: [1, 0.5, 0.25],
  config: { ...ADAM_DEFAULTS, learningRate: 5e-4 },
  batchSize: 100,
  epochs: 25,
  minGapShrink: 0.03,
});

/** One trained net of the overfitting experiment. */
export interface OverfittingRun {
  keepProbability: number;
  seed: number;
  /** accuracy on the 500 training images, test mode, at the end */
  trainAccuracy: number;
  /** accuracy on the 5,000 validation images, at the end */
  valAccuracy: number;
  /** per epoch: accuracy on the training images and on the first 1,000 validation images */
  curve: { train: number[]; val: number[] };
  /** the trained parameters (you own them; the ensemble experiment uses them) */
  params: FcNetParams;
}

/**
 * Trains one net of the overfitting experiment ({@linkcode OVERFITTING}).
 *
 * @param data the prepared data set
 * @param keepProbability dropout's p after the hidden ReLU (1: a dropout layer that keeps everything)
 * @param seed seeds the initialisation, the batches and the masks
 */
export async function trainOverfitting(
  data: SolverData,
  keepProbability: number,
  seed: number,
): Promise<OverfittingRun> {
  const { dims, trainCount, valCount, curveValCount, config, batchSize, epochs } = OVERFITTING;
  const small = subset(data, trainCount, curveValCount);
  const options: FcNetOptions = keepProbability < 1 ? { keepProbability } : {};
  const { params, state } = initFcNet(new Rng(seed), dims);
  const solver = new Solver(fcNetModel(options), params, small, {
    update: adam,
    config,
    batchSize,
    epochs,
    seed,
    state,
    trainSamples: trainCount,
  });
  try {
    await solver.train();
    const val = subset(data, trainCount, valCount);
    return {
      keepProbability,
      seed,
      trainAccuracy: await solver.accuracy(small.xTrain, small.yTrain),
      valAccuracy: await solver.accuracy(val.xVal, val.yVal),
      curve: {
        train: solver.epochHistory.map((r) => r.trainAccuracy),
        val: solver.epochHistory.map((r) => r.valAccuracy),
      },
      params: Object.fromEntries(
        Object.entries(solver.params).map(([key, t]) => [key, tf.clone(t)]),
      ),
    };
  } finally {
    solver.dispose();
  }
}

/** Training minus validation accuracy. */
export function gap(run: { trainAccuracy: number; valAccuracy: number }): number {
  return run.trainAccuracy - run.valAccuracy;
}

/**
 * The ensemble experiment: the test accuracy of each member (nets of the
 * overfitting experiment, trained from different seeds), their mean, and
 * the test accuracy of their ensemble — your {@linkcode ensembleProbabilities}
 * of their test-mode scores, measured by {@linkcode accuracyOf}.
 *
 * @param data the prepared data set (its test images)
 * @param members the members' parameters (nets of {@linkcode OVERFITTING}'s dims, no state)
 */
export async function ensembleAccuracy(
  data: PreparedImages,
  members: readonly FcNetParams[],
): Promise<{ members: number[]; meanMember: number; ensemble: number; gain: number }> {
  const scores = members.map((params) => fcNetScores(params, data.xTest, {}));
  try {
    const accuracies = [];
    for (const s of scores) accuracies.push(await accuracyOf(s, data.yTest));
    const probabilities = ensembleProbabilities(scores);
    const ensemble = await accuracyOf(probabilities, data.yTest);
    probabilities.dispose();
    const meanMember = accuracies.reduce((a, b) => a + b) / accuracies.length;
    return { members: accuracies, meanMember, ensemble, gain: ensemble - meanMember };
  } finally {
    tf.dispose(scores);
  }
}

/**
 * L1 against L2: the overfitting experiment's net on 5,000 images, trained
 * by SGD with momentum (so that each step's pull of L1 is the same size
 * for every weight: Adam would rescale it), once with L2 and once with L1.
 * The strengths are matched: both nets reach about the same validation
 * accuracy. The asserted claim: the fraction of the first layer's weights
 * with |w| < `threshold` is at least `factor` times larger with L1.
 */
export const SPARSITY = Object.freeze({
  dims: [784, 500, 10],
  trainCount: 5000,
  valCount: 2000,
  config: { learningRate: 0.02, momentum: 0.9 },
  batchSize: 100,
  epochs: 8,
  reg: 0.01,
  l1: 1e-3,
  threshold: 1e-3,
  factor: 10,
});

/** One net of the sparsity experiment. */
export interface SparsityRun {
  /** the first layer's weights, 784 × 500 of them */
  weights: Float32Array;
  /** the fraction of them with |w| < SPARSITY.threshold */
  small: number;
  valAccuracy: number;
}

/**
 * Runs the sparsity experiment ({@linkcode SPARSITY}) for one seed.
 *
 * @param data the prepared data set
 * @param seed seeds the initialisation and the batches (the same for both nets)
 * @returns the L2 net's and the L1 net's first-layer weights and how many are small
 */
export async function sparsity(
  data: SolverData,
  seed: number,
): Promise<{ l2: SparsityRun; l1: SparsityRun }> {
  const { dims, trainCount, valCount, config, batchSize, epochs, reg, l1, threshold } = SPARSITY;
  const small = subset(data, trainCount, valCount);
  const run = async (options: FcNetOptions): Promise<SparsityRun> => {
    const { params, state } = initFcNet(new Rng(seed), dims);
    const solver = new Solver(fcNetModel(options), params, small, {
      update: sgdMomentum,
      config,
      batchSize,
      epochs,
      seed,
      state,
      trainSamples: 200, // only the validation accuracy is used: keep the training sample small
    });
    try {
      await solver.train();
      const weights = await solver.params.W1.data() as Float32Array;
      return {
        weights,
        small: weights.filter((w) => Math.abs(w) < threshold).length / weights.length,
        valAccuracy: solver.epochHistory.at(-1)!.valAccuracy,
      };
    } finally {
      solver.dispose();
    }
  };
  return { l2: await run({ reg }), l1: await run({ l1 }) };
}

/**
 * The target: a net of two hidden layers of 512 with batchnorm, on all
 * 55,000 training images, 8 epochs of Adam in batches of 200, the rate
 * halved every 2 epochs, regularised as {@linkcode RegularizationChoice}
 * says; its test accuracy (with the best validation epoch's parameters)
 * must reach `testAccuracy` — assignment 2's unregularised target was 0.88.
 */
export const TARGET = Object.freeze({
  dims: [784, 512, 512, 10],
  normalization: "batchnorm" as const,
  config: { ...ADAM_DEFAULTS, learningRate: 2e-3 },
  decay: { every: 2, factor: 0.5 },
  batchSize: 200,
  epochs: 8,
  testAccuracy: 0.885,
});

/**
 * A Solver for the target net ({@linkcode TARGET}) with your regularisation,
 * on all the training images, ready to train.
 *
 * @param data the prepared data set
 * @param choice the regularisation: `{ keepProbability?, reg?, l1?, maxNorm? }`
 * @param options `seed` (default 0), `progress` (default false)
 * @returns the Solver (dispose it when done)
 */
export function targetSolver(
  data: SolverData,
  choice: RegularizationChoice,
  options: { seed?: number; progress?: boolean } = {},
): Solver<FcNetParams, AdamConfig, FcNetState> {
  rejectUnknownKeys("targetRegularization()", choice, ["keepProbability", "reg", "l1", "maxNorm"]);
  const { maxNorm, ...penalties } = choice;
  if (maxNorm !== undefined) checkMaxNorm("targetRegularization()", maxNorm);
  const { seed = 0, progress = false } = options;
  const { normalization } = TARGET;
  const model = fcNetModel({ normalization, ...penalties });
  const { params, state } = initFcNet(new Rng(seed), TARGET.dims, { normalization });
  return new Solver(model, params, data, {
    update: maxNorm === undefined ? adam : withMaxNorm(adam, maxNorm),
    config: TARGET.config,
    schedule: stepDecay(TARGET.decay),
    batchSize: TARGET.batchSize,
    epochs: TARGET.epochs,
    seed,
    state,
    progress,
  });
}

/** Training and validation accuracy per epoch, one pair of lines per keep probability. */
export function overfittingChart(runs: readonly OverfittingRun[]): string {
  const epochs = runs[0].curve.train.map((_, i) => i + 1);
  return lineChart({
    title: "1 hidden layer of 500, 500 training images: accuracy per epoch",
    xLabel: "epoch",
    yLabel: "accuracy",
    series: runs.flatMap((run) => [
      { name: `train, p = ${run.keepProbability}`, x: epochs, y: run.curve.train },
      { name: `validation, p = ${run.keepProbability}`, x: epochs, y: run.curve.val },
    ]),
  });
}

/** Histogram bins of w over [−0.15, 0.15]: centres and the fraction of weights in each. */
function histogram(weights: Float32Array, bins = 60, limit = 0.15): { x: number[]; y: number[] } {
  const width = (2 * limit) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const w of weights) {
    const bin = Math.floor((w + limit) / width);
    if (bin >= 0 && bin < bins) counts[bin] += 1;
  }
  return {
    x: counts.map((_, i) => -limit + (i + 0.5) * width),
    y: counts.map((c) => c / weights.length),
  };
}

/** The first layer's weights with L1 and with L2: a histogram, fractions on a log scale. */
export function weightsChart({ l1, l2 }: { l1: SparsityRun; l2: SparsityRun }): string {
  const [h1, h2] = [histogram(l1.weights), histogram(l2.weights)];
  return lineChart({
    title: "First-layer weights after training: histogram (empty bins not drawn)",
    xLabel: "weight w (bins of 0.005)",
    yLabel: "fraction of the weights",
    series: [
      { name: `L1 (l1 = ${SPARSITY.l1})`, x: h1.x, y: h1.y },
      { name: `L2 (reg = ${SPARSITY.reg})`, x: h2.x, y: h2.y },
    ],
    logY: true,
  });
}

/** The fraction of first-layer weights with |w| < t, against log₁₀ t. */
export function smallWeightsChart({ l1, l2 }: { l1: SparsityRun; l2: SparsityRun }): string {
  const t = Array.from({ length: 41 }, (_, i) => -6 + i * 0.125);
  const below = (weights: Float32Array) =>
    t.map((e) => weights.filter((w) => Math.abs(w) < 10 ** e).length / weights.length);
  return lineChart({
    title: "Fraction of first-layer weights with |w| < t",
    xLabel: "log₁₀ t",
    yLabel: "fraction",
    series: [
      { name: `L1 (l1 = ${SPARSITY.l1})`, x: t, y: below(l1.weights) },
      { name: `L2 (reg = ${SPARSITY.reg})`, x: t, y: below(l2.weights) },
      {
        name: `t = ${SPARSITY.threshold}`,
        x: [Math.log10(SPARSITY.threshold), Math.log10(SPARSITY.threshold)],
        y: [0, 1],
        color: "#999999",
      },
    ],
  });
}

const EXPERIMENTS = ["overfitting", "sparsity", "ensemble", "target"] as const;

const USAGE = `usage: deno task regularization [${
  EXPERIMENTS.join(" | ")
} …] [--seed=N] [--backend=…]

Runs the handout's experiments with your code (all of them if none is named)
and writes their charts to out/regularization/. The ensemble is made of the
overfitting experiment's nets. See the handout for how long each takes.`;

async function main(args: string[]): Promise<void> {
  const flags = parseArgs(args, { string: ["backend", "seed"] });
  const wanted = flags._.length ? flags._.map(String) : [...EXPERIMENTS];
  const unknown = wanted.filter((name) => !(EXPERIMENTS as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`unknown experiment ${unknown.join(", ")}.\n${USAGE}`);
  const seed = Number(flags.seed ?? 0);
  console.log(`backend: ${describeBackend(await setupBackend())}`);
  const data = await loadData();
  await Deno.mkdir("out/regularization", { recursive: true });
  const write = async (name: string, svg: string) => {
    await Deno.writeTextFile(`out/regularization/${name}`, svg);
    console.log(`wrote out/regularization/${name}`);
  };
  const percent = (v: number) => `${(100 * v).toFixed(1)} %`;

  if (wanted.includes("overfitting") || wanted.includes("ensemble")) {
    console.log("overfitting: 500 training images; accuracy at the end, train | validation | gap");
    const runs: OverfittingRun[] = [];
    for (const s of [seed, seed + 1, seed + 2]) {
      for (const p of OVERFITTING.keepProbabilities) {
        const run = await trainOverfitting(data, p, s);
        runs.push(run);
        console.log(
          `  seed ${s}, p = ${p}: ${run.trainAccuracy.toFixed(3)} | ${
            run.valAccuracy.toFixed(3)
          } | ${gap(run).toFixed(3)}`,
        );
      }
    }
    if (wanted.includes("overfitting")) {
      await write("overfitting.svg", overfittingChart(runs.filter((r) => r.seed === seed)));
    }
    if (wanted.includes("ensemble")) {
      console.log("ensemble: test accuracy of the three seeds' nets and of their average");
      for (const p of OVERFITTING.keepProbabilities) {
        const members = runs.filter((r) => r.keepProbability === p).map((r) => r.params);
        const result = await ensembleAccuracy(data, members);
        console.log(
          `  p = ${p}: members ${result.members.map((a) => a.toFixed(3)).join(", ")} ` +
            `(mean ${result.meanMember.toFixed(3)}); ensemble ${result.ensemble.toFixed(3)}, ` +
            `gain ${(100 * result.gain).toFixed(1)} points`,
        );
      }
    }
    tf.dispose(runs.flatMap((r) => Object.values(r.params)));
  }

  if (wanted.includes("sparsity")) {
    console.log(`sparsity: fraction of first-layer weights with |w| < ${SPARSITY.threshold}`);
    const result = await sparsity(data, seed);
    for (const key of ["l1", "l2"] as const) {
      console.log(
        `  ${key.toUpperCase()}: ${percent(result[key].small)} small, validation accuracy ` +
          `${result[key].valAccuracy.toFixed(3)}`,
      );
    }
    console.log(`  ratio L1/L2: ${(result.l1.small / result.l2.small).toFixed(1)}`);
    await write("weights.svg", weightsChart(result));
    await write("small_weights.svg", smallWeightsChart(result));
  }

  if (wanted.includes("target")) {
    const choice = targetRegularization();
    console.log(`the target net, regularised with ${JSON.stringify(choice)}`);
    const solver = targetSolver(data, choice, { seed, progress: true });
    try {
      await solver.train();
      solver.restoreBest();
      const test = await solver.accuracy(data.xTest, data.yTest);
      console.log(
        `  test accuracy ${test.toFixed(4)} (target ≥ ${TARGET.testAccuracy}), with epoch ` +
          `${solver.bestEpoch}'s parameters (best validation accuracy ${
            solver.bestValAccuracy.toFixed(4)
          })`,
      );
    } finally {
      solver.dispose();
    }
  }
}

if (import.meta.main) await runScript(USAGE, main);
