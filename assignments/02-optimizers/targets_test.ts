/**
 * Targets for Tasks 4 and 5: networks trained on Fashion-MNIST with your
 * update rules and schedule.
 *
 * These train for real, so they are the slow tier of the suite (see the
 * handout for their budgets on a 2-core machine). They need Fashion-MNIST:
 * `sudo apt-get install dataset-fashion-mnist`, or `deno task data`.
 */
import { assertGreaterOrEqual, assertLess } from "../../lib/assert.ts";
import type { OptimConfig, UpdateRule } from "../../lib/optimizer.ts";
import { Rng } from "../../lib/random.ts";
import { Solver, type SolverData } from "../../lib/solver.ts";
import { test } from "../../lib/testing.ts";
import { fcNetModel, initFcNet } from "./fc_net.ts";
import { adam, ADAM_DEFAULTS, sgd } from "./optim.ts";
import { loadData, SEARCHED, trainFinal } from "./search.ts";

/** A 5-layer net: four hidden layers of 100. */
const FIVE_LAYERS = [784, 100, 100, 100, 100, 10];

/**
 * Trains the 5-layer net for 200 steps (2 epochs of 10,000 images, batches
 * of 100) from a fixed initialisation and batch order.
 *
 * @returns the mean training loss of the last 20 steps
 */
async function lossAfter200Steps<C extends OptimConfig>(
  data: SolverData,
  update: UpdateRule<C>,
  config: C,
): Promise<number> {
  const subset = {
    xTrain: data.xTrain.slice(0, 10_000),
    yTrain: data.yTrain.slice(0, 10_000),
    xVal: data.xVal.slice(0, 1000),
    yVal: data.yVal.slice(0, 1000),
  };
  const solver = new Solver(fcNetModel(1e-4), initFcNet(new Rng(0), FIVE_LAYERS), subset, {
    update,
    config,
    batchSize: 100,
    epochs: 2,
  });
  await solver.train();
  solver.dispose();
  return solver.lossHistory.slice(-20).reduce((a, b) => a + b) / 20;
}

test(
  "5-layer net: after 200 steps, Adam's training loss is below SGD's at its best of 4 rates",
  { task: 4, points: 8 },
  async () => {
    const data = await loadData();
    const adamLoss = await lossAfter200Steps(data, adam, ADAM_DEFAULTS);
    const sgdLosses = [];
    for (const learningRate of [0.01, 0.03, 0.1, 0.3]) {
      sgdLosses.push(await lossAfter200Steps(data, sgd, { learningRate }));
    }
    assertLess(
      adamLoss,
      Math.min(...sgdLosses),
      `mean loss of the last 20 steps: Adam (lr 1e-3) against SGD at 0.01, 0.03, 0.1, 0.3 (${
        sgdLosses.map((l) => l.toFixed(3)).join(", ")
      })`,
    );
  },
);

test(
  "the random search's best configuration, trained in full, reaches ≥ 88% test accuracy",
  { task: 5, points: 13 },
  async (_backend, reportMetric) => {
    // SEARCHED is what search.ts found with the reference solution; trainFinal uses your Adam and stepDecay.
    const data = await loadData();
    const solver = trainFinal(data, SEARCHED);
    await solver.train();
    solver.restoreBest();
    const accuracy = await solver.accuracy(data.xTest, data.yTest);
    await reportMetric("Fashion-MNIST test accuracy (searched 5-layer net)", accuracy);
    assertGreaterOrEqual(
      accuracy,
      0.88,
      `test accuracy of ${JSON.stringify(SEARCHED)} after 8 epochs (best validation epoch)`,
    );
  },
);
