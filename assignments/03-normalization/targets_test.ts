/**
 * Targets for Task 4: the experiments of the handout, graded.
 *
 * These train for real, so they are the slow tier of the suite (see the
 * handout for their budgets on a 2-core machine). They need Fashion-MNIST:
 * `sudo apt-get install dataset-fashion-mnist`, or `deno task data`.
 *
 * Each runs the same function, with the same settings, as
 * `deno task normalization`, whose charts show what is asserted here.
 * Fashion-MNIST is loaded once for the whole file.
 */
import * as tf from "@tensorflow/tfjs";
import {
  assertGreater,
  assertGreaterOrEqual,
  assertLess,
  assertLessOrEqual,
} from "../../lib/assert.ts";
import { test } from "../../lib/testing.ts";
import type { PreparedImages } from "../../datasets/prepare.ts";
import {
  BATCH_SIZES,
  batchSizeEffect,
  epochsToReach,
  learningSpeed,
  loadData,
  smallBatchLoss,
  SPEED,
  spread,
  SWEEP,
  TARGET,
  targetSolver,
  weightScaleSweep,
} from "./experiments.ts";

/** Fashion-MNIST, loaded once for every test of this file (its tensors kept between tests). */
let data: Promise<PreparedImages> | undefined;
function fashionMnist(): Promise<PreparedImages> {
  data ??= loadData().then((d) => {
    for (const t of Object.values(d)) if (t instanceof tf.Tensor) tf.keep(t);
    return d;
  });
  return data;
}

const list = (values: readonly number[]) => values.map((v) => v.toFixed(3)).join(", ");

test(
  `the 6-layer batchnorm net reaches ≥ ${TARGET.testAccuracy} test accuracy on Fashion-MNIST`,
  { task: 4, points: 8 },
  async (_backend, reportMetric) => {
    const d = await fashionMnist();
    const solver = targetSolver(d);
    try {
      await solver.train();
      solver.restoreBest();
      const testAccuracy = await solver.accuracy(d.xTest, d.yTest);
      await reportMetric("Fashion-MNIST test accuracy (6-layer batchnorm net)", testAccuracy);
      assertGreaterOrEqual(
        testAccuracy,
        TARGET.testAccuracy,
        `test accuracy after ${TARGET.epochs} epochs, with the best validation epoch's ` +
          `parameters and running statistics (validation accuracy per epoch: ${
            list(solver.epochHistory.map((r) => r.valAccuracy))
          })`,
      );
    } finally {
      solver.dispose();
    }
  },
);

test(
  `learning speed: with batchnorm a 6-layer net reaches ${SPEED.threshold} validation accuracy in fewer epochs`,
  { task: 4, points: 6 },
  async () => {
    const { batchnorm, none } = await learningSpeed(await fashionMnist());
    const what = `validation accuracy per epoch: batchnorm ${list(batchnorm)}; none ${list(none)}`;
    console.log(what);
    const epochs = epochsToReach(batchnorm, SPEED.threshold);
    assertLessOrEqual(
      epochs ?? Infinity,
      SPEED.epochs - 1,
      `epochs batchnorm needs to reach ${SPEED.threshold} (${what})`,
    );
    assertLess(
      Math.max(...none.slice(0, epochs)),
      SPEED.threshold,
      `without batchnorm, the best validation accuracy of the first ${epochs} epoch(s) (${what})`,
    );
  },
);

test(
  "weight-scale sweep: batchnorm trains from many more initial scales than no normalisation",
  { task: 4, points: 8 },
  async () => {
    const rows = await weightScaleSweep(await fashionMnist());
    const trains = (key: "batchnorm" | "none") =>
      rows.filter((r) => r[key] >= SWEEP.trainsAt).length;
    const middle = rows.filter((r) => r.scale >= SWEEP.middle[0] && r.scale <= SWEEP.middle[1]);
    const table = rows.map((r) =>
      `${r.scale.toExponential(1)}: ${r.batchnorm.toFixed(3)} | ${r.none.toFixed(3)}`
    ).join("; ");
    console.log(
      `trains (≥ ${SWEEP.trainsAt}) at ${trains("batchnorm")} of 20 scales with batchnorm, ` +
        `${trains("none")} without (scale: batchnorm | none: ${table})`,
    );
    assertLessOrEqual(
      trains("none"),
      18,
      `scales where the net without batchnorm trains (${table})`,
    );
    assertGreaterOrEqual(
      trains("batchnorm"),
      trains("none") + 10,
      `scales where batchnorm trains, against ${trains("none")} without (${table})`,
    );
    assertLessOrEqual(
      spread(middle.map((r) => r.batchnorm)),
      SWEEP.middleSpread,
      `spread of batchnorm's best validation accuracy across the scales from ${SWEEP.middle[0]} ` +
        `to ${SWEEP.middle[1]} (${table})`,
    );
  },
);

test(
  "batch size: batchnorm's accuracy depends on it markedly more than layernorm's",
  { task: 4, points: 6 },
  async () => {
    const d = await fashionMnist();
    const differences: number[] = [];
    for (const seed of [0, 1]) {
      const result = await batchSizeEffect(d, seed);
      const [bn, ln] = [smallBatchLoss(result.batchnorm), smallBatchLoss(result.layernorm)];
      const what = `seed ${seed}, batch sizes ${BATCH_SIZES.batchSizes.join(", ")}: batchnorm ` +
        `${list(result.batchnorm)}, layernorm ${list(result.layernorm)}`;
      console.log(what);
      assertGreater(
        bn - ln,
        0,
        `with batches of 5 against 50, batchnorm must lose more accuracy than layernorm: ` +
          `batchnorm lost ${bn.toFixed(3)}, layernorm ${ln.toFixed(3)} (${what})`,
      );
      differences.push(bn - ln);
    }
    const mean = (differences[0] + differences[1]) / 2;
    assertGreaterOrEqual(
      mean,
      BATCH_SIZES.margin,
      `how much more batchnorm loses than layernorm, on average over seeds 0 and 1 ` +
        `(${differences.map((v) => v.toFixed(3)).join(", ")})`,
    );
  },
);
