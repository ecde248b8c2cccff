/**
 * Targets for Task 4: the experiments of the handout, graded.
 *
 * These train for real, so they are the slow tier of the suite (see the
 * handout for their budgets on a 2-core machine). They need Fashion-MNIST:
 * `sudo apt-get install dataset-fashion-mnist`, or `deno task data`.
 *
 * Each runs the same function, with the same settings, as
 * `deno task normalization`, whose charts show what is asserted here. The
 * 6-layer batchnorm net is trained once: its run is both the target and the
 * batchnorm half of the learning-speed experiment.
 */
import * as tf from "@tensorflow/tfjs";
import { assert, assertGreaterOrEqual, assertLess, assertLessOrEqual } from "../../lib/assert.ts";
import { test } from "../../lib/testing.ts";
import type { PreparedImages } from "../../datasets/prepare.ts";
import {
  baselineSpeed,
  BATCH_SIZES,
  batchSizeEffect,
  epochsToReach,
  loadData,
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

/** The target run, trained once: validation accuracy per epoch, and the test accuracy. */
let targetRun: Promise<{ valAccuracy: number[]; testAccuracy: number }> | undefined;
function trainTarget(): Promise<{ valAccuracy: number[]; testAccuracy: number }> {
  targetRun ??= (async () => {
    const d = await fashionMnist();
    const solver = targetSolver(d, "batchnorm");
    try {
      await solver.train();
      solver.restoreBest();
      return {
        valAccuracy: solver.epochHistory.map((r) => r.valAccuracy),
        testAccuracy: await solver.accuracy(d.xTest, d.yTest),
      };
    } finally {
      solver.dispose();
    }
  })();
  return targetRun;
}

const percent = (values: readonly number[]) => values.map((v) => v.toFixed(3)).join(", ");

test(
  `the 6-layer batchnorm net reaches ≥ ${TARGET.testAccuracy} test accuracy on Fashion-MNIST`,
  { task: 4, points: 8 },
  async (_backend, reportMetric) => {
    const { testAccuracy, valAccuracy } = await trainTarget();
    await reportMetric("test accuracy", testAccuracy);
    assertGreaterOrEqual(
      testAccuracy,
      TARGET.testAccuracy,
      `test accuracy after ${TARGET.epochs} epochs, from the best validation epoch ` +
        `(validation accuracy per epoch: ${percent(valAccuracy)})`,
    );
  },
);

test(
  `learning speed: with batchnorm the 6-layer net reaches ${TARGET.speedThreshold} validation accuracy in fewer epochs`,
  { task: 4, points: 6 },
  async () => {
    const { valAccuracy } = await trainTarget();
    const epochs = epochsToReach(valAccuracy, TARGET.speedThreshold);
    assert(
      epochs !== undefined,
      `the batchnorm net never reached ${TARGET.speedThreshold} (per epoch: ${
        percent(valAccuracy)
      })`,
    );
    // The baseline trains as many epochs as batchnorm needed: it must not be there yet.
    const none = await baselineSpeed(await fashionMnist(), epochs);
    console.log(
      `batchnorm reached ${TARGET.speedThreshold} after ${epochs} epoch(s) (${
        percent(valAccuracy)
      }); without: ${percent(none)}`,
    );
    assertLess(
      Math.max(...none),
      TARGET.speedThreshold,
      `without batchnorm, validation accuracy after each of the ${epochs} epoch(s) batchnorm needed`,
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
      0.05,
      `batchnorm's best validation accuracy across scales ${SWEEP.middle.join(" to ")} (${table})`,
    );
  },
);

test(
  "batch size: batchnorm's accuracy depends on it markedly more than layernorm's",
  { task: 4, points: 6 },
  async () => {
    const d = await fashionMnist();
    for (const seed of [0, 1]) {
      const result = await batchSizeEffect(d, seed);
      const [bn, ln] = [spread(result.batchnorm), spread(result.layernorm)];
      const what = `seed ${seed}, batch sizes ${BATCH_SIZES.batchSizes.join(", ")}: batchnorm ` +
        `${percent(result.batchnorm)}, layernorm ${percent(result.layernorm)}`;
      console.log(what);
      assertGreaterOrEqual(bn, 2 * ln, `spread of batchnorm ≥ twice layernorm's (${what})`);
      assertGreaterOrEqual(bn - ln, 0.03, `spread of batchnorm − layernorm's ≥ 3 points (${what})`);
    }
  },
);
