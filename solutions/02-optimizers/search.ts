/**
 * Hyper-parameter search for a 3-layer net on Fashion-MNIST, trained with
 * your Adam and your step decay.
 *
 *     deno task search    # your code, in assignments/02-optimizers/
 *
 * It searches the learning rate and the L2 strength, as the course notes
 * advise, in four stages:
 *
 * 1. **coarse** — random configurations from wide ranges in log space
 *    ({@linkcode COARSE_SPACE}), each scored by a cheap run
 *    ({@linkcode coarseRun}: one epoch on 10,000 images);
 * 2. **fine** — random configurations from the ranges around the 3 best
 *    coarse ones (`refineSpace`), each scored by a longer run
 *    ({@linkcode fineRun}: two epochs on all the images);
 * 3. **grid** — for comparison, a grid over the coarse ranges with as many
 *    cheap runs as the coarse stage: notice how few learning rates it tries;
 * 4. **final** — the fine stage's best configuration trained in full
 *    ({@linkcode trainFinal}), then measured once on the test set.
 *
 * Writes `out/search/trials.csv` (every trial), `out/search/best.json` and
 * the final run's report in `out/search/final/` (CSV and SVG). Flags:
 * `--coarse=N --fine=N` (trials, default 16 and 8), `--grid=N` (values per
 * hyper-parameter, default 4), `--backend=…`. See the handout for how long
 * it takes.
 *
 * @module
 */
import { describeBackend, setupBackend } from "../../lib/backend.ts";
import { parseArgs } from "../../lib/cli.ts";
import { runScript } from "../../lib/script.ts";
import { Rng } from "../../lib/random.ts";
import {
  bestTrial,
  edgeWarnings,
  type Evaluate,
  gridOf,
  gridSearch,
  randomSearch,
  refineSpace,
  type SearchSpace,
  type Trial,
  trialsCsv,
} from "../../lib/search.ts";
import { Solver, type SolverData } from "../../lib/solver.ts";
import { loadFashionMnist } from "../../datasets/mnist.ts";
import { type PreparedImages, prepareImages } from "../../datasets/prepare.ts";
import { fcNetModel, type FcNetParams, initFcNet } from "./fc_net.ts";
import { adam, ADAM_DEFAULTS, type AdamConfig } from "./optim.ts";
import { stepDecay } from "./schedules.ts";

/** The network searched: 784 inputs, hidden layers of 256 and 128, 10 classes. */
export const DIMS: readonly number[] = [784, 256, 128, 10];

/** Where the coarse stage looks: four decades of learning rate, five of L2 strength. */
export const COARSE_SPACE: SearchSpace = {
  learningRate: { min: 1e-5, max: 1e-1, scale: "log" },
  reg: { min: 1e-6, max: 1e-1, scale: "log" },
};

/**
 * The best configuration this search found with the reference solution (its
 * `out/search/best.json`); the handout shows the whole search.
 */
export const SEARCHED: Readonly<Record<string, number>> = Object.freeze({
  learningRate: 0.0018841470593440647,
  reg: 0.000040809977256384704,
});

/** Fashion-MNIST, 5,000 training images held out for validation, standardised. */
export async function loadData(): Promise<PreparedImages> {
  return prepareImages(await loadFashionMnist(), {
    valCount: 5000,
    seed: 0,
    normalize: "standardize",
  });
}

/**
 * A coarse trial: one epoch of Adam on the first 10,000 training images.
 * Cheap, and enough to tell a rate that learns from one that learns
 * nothing or explodes.
 *
 * @param data the prepared data set ([N, 784] images, int32 labels)
 * @returns scores a configuration `{ learningRate, reg }` by its validation accuracy, in [0, 1]
 */
export function coarseRun(data: SolverData): Evaluate {
  const subset = {
    xTrain: data.xTrain.slice(0, 10_000),
    yTrain: data.yTrain.slice(0, 10_000),
    xVal: data.xVal,
    yVal: data.yVal,
  };
  return (params) => trial(subset, params, 1);
}

/**
 * A fine trial: two epochs of Adam on all the training images, the rate
 * halved after the first — a shortened final run. One short epoch favours
 * large rates and cannot see the L2 strength at all; this run ranks
 * configurations as the final run does.
 *
 * @param data the prepared data set
 * @returns scores a configuration `{ learningRate, reg }` by its validation accuracy, in [0, 1]
 */
export function fineRun(data: SolverData): Evaluate {
  return (params) => trial(data, params, 2);
}

/** Trains the net with Adam, halving the rate every epoch; the last epoch's validation accuracy. */
async function trial(
  data: SolverData,
  { learningRate, reg }: Record<string, number>,
  epochs: number,
): Promise<number> {
  const solver = new Solver(fcNetModel(reg), initFcNet(new Rng(0), DIMS), data, {
    update: adam,
    config: { ...ADAM_DEFAULTS, learningRate },
    schedule: stepDecay({ every: 1, factor: 0.5 }),
    batchSize: 100,
    epochs,
  });
  await solver.train();
  solver.dispose();
  return solver.epochHistory[epochs - 1].valAccuracy;
}

/**
 * Stages 1 and 2: a coarse random search of {@linkcode COARSE_SPACE}, then a
 * fine one of the ranges spanned by its 3 best trials. The stages score
 * differently, so the best configuration is the fine stage's best.
 *
 * @param evaluate how each stage scores a configuration: {@linkcode coarseRun} and {@linkcode fineRun}
 * @param trials how many configurations each stage tries
 * @returns the fine stage's ranges, every trial, and the best
 */
export async function coarseToFine(
  evaluate: { coarse: Evaluate; fine: Evaluate },
  trials: { coarse: number; fine: number },
): Promise<{ fineSpace: SearchSpace; trials: Trial[]; best: Trial }> {
  const coarse = await randomSearch({
    space: COARSE_SPACE,
    trials: trials.coarse,
    seed: 0,
    stage: "coarse",
    evaluate: evaluate.coarse,
  });
  const fineSpace = refineSpace(COARSE_SPACE, coarse, 3);
  const fine = await randomSearch({
    space: fineSpace,
    trials: trials.fine,
    seed: 1,
    stage: "fine",
    evaluate: evaluate.fine,
  });
  return { fineSpace, trials: [...coarse, ...fine], best: bestTrial(fine) };
}

/**
 * Stage 4: a Solver that trains a configuration on the whole training set —
 * 8 epochs of Adam, the learning rate halved every 2.
 *
 * @param data the prepared data set
 * @param params `{ learningRate, reg }`, e.g. the best trial's
 * @param progress show a progress bar and a line per epoch
 * @returns the Solver, ready to train (dispose it when done)
 */
export function trainFinal(
  data: SolverData,
  params: Readonly<Record<string, number>>,
  progress = false,
): Solver<FcNetParams, AdamConfig> {
  return new Solver(fcNetModel(params.reg), initFcNet(new Rng(0), DIMS), data, {
    update: adam,
    config: { ...ADAM_DEFAULTS, learningRate: params.learningRate },
    schedule: stepDecay({ every: 2, factor: 0.5 }),
    batchSize: 100,
    epochs: 8,
    progress,
  });
}

const USAGE =
  `usage: deno task search [--coarse N] [--fine N] [--grid N] [--backend auto|wasm|webgpu|cpu]

Random search, coarse then fine, with your Adam and step decay (Tasks 4–5) on
Fashion-MNIST, then the best configuration trained in full; writes out/search_*.`;

if (import.meta.main) {
  await runScript(USAGE, async (args) => {
    const flags = parseArgs(args, {
      string: ["backend", "coarse", "fine", "grid"],
      default: { coarse: "16", fine: "8", grid: "4" },
    });
    console.log(`backend: ${describeBackend(await setupBackend())}`);
    const data = await loadData();
    const logged = (evaluate: Evaluate): Evaluate => async (params) => {
      const accuracy = await evaluate(params);
      console.log(
        `  learningRate ${params.learningRate.toExponential(2)}, reg ${
          params.reg.toExponential(2)
        }: validation accuracy ${accuracy.toFixed(4)}`,
      );
      return accuracy;
    };
    const [coarse, fine] = [logged(coarseRun(data)), logged(fineRun(data))];

    console.log(`random search, coarse (${flags.coarse} trials) then fine (${flags.fine}):`);
    const search = await coarseToFine({ coarse, fine }, {
      coarse: Number(flags.coarse),
      fine: Number(flags.fine),
    });
    console.log(
      `grid search of the coarse ranges, for comparison (${Number(flags.grid) ** 2} trials):`,
    );
    const gridTrials = await gridSearch({
      grid: gridOf(COARSE_SPACE, Number(flags.grid)),
      evaluate: coarse,
    });

    const { best } = search;
    const coarseBest = bestTrial(search.trials.filter((t) => t.stage === "coarse"));
    const gridBest = bestTrial(gridTrials);
    console.log(`fine ranges: ${JSON.stringify(search.fineSpace)}`);
    console.log(`best coarse trial: ${JSON.stringify(coarseBest.params)} (${coarseBest.score})`);
    console.log(`best grid trial:   ${JSON.stringify(gridBest.params)} (${gridBest.score})`);
    console.log(`best fine trial:   ${JSON.stringify(best.params)} (${best.score})`);
    for (const warning of edgeWarnings(COARSE_SPACE, best)) console.log(`warning: ${warning}`);

    console.log("final run: the best configuration, trained on all the training images");
    const solver = trainFinal(data, best.params, true);
    await solver.train();
    solver.restoreBest();
    const testAccuracy = await solver.accuracy(data.xTest, data.yTest);
    console.log(
      `best validation accuracy ${solver.bestValAccuracy} (epoch ${solver.bestEpoch}); ` +
        `test accuracy ${testAccuracy}`,
    );

    await Deno.mkdir("out/search", { recursive: true });
    await Deno.writeTextFile("out/search/trials.csv", trialsCsv([...search.trials, ...gridTrials]));
    await Deno.writeTextFile(
      "out/search/best.json",
      JSON.stringify({ ...best, testAccuracy, fineSpace: search.fineSpace }, null, 2) + "\n",
    );
    const report = await solver.writeReport("out/search/final");
    console.log(`wrote out/search/trials.csv, out/search/best.json, ${report.join(", ")}`);
  });
}
