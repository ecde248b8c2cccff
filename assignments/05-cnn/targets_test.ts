/**
 * Targets for Task 5: convolutional nets trained on real images.
 *
 * These train for real, so they are the slow tier of the suite (see the
 * handout for their budgets on a 2-core machine). They need the data sets:
 * Fashion-MNIST (`sudo apt-get install dataset-fashion-mnist`, or `deno task data`)
 * and CIFAR-10's `data_batch_1` and `test_batch` (`deno task data`). The
 * accuracy is measured here, by the Solver's `accuracy` on the whole test set,
 * after putting back the parameters of the best validation epoch.
 */
import { assertGreaterOrEqual, assertLessOrEqual } from "../../lib/assert.ts";
import { test } from "../../lib/testing.ts";
import { CIFAR_BUDGET, cifarDesign, designCost } from "./convnet.ts";
import {
  designSolver,
  FASHION_DESIGN,
  loadCifarImages,
  loadFashionImages,
  trainAndTest,
} from "./train.ts";

test(
  "Fashion-MNIST: a 2-conv net of your layers reaches ≥ 89.5% test accuracy in 3 epochs",
  { task: 5, points: 7 },
  async (_backend, reportMetric) => {
    const data = await loadFashionImages();
    const accuracy = await trainAndTest(designSolver(FASHION_DESIGN, data, 0), data);
    await reportMetric("Fashion-MNIST test accuracy (2-conv net)", accuracy);
    assertGreaterOrEqual(accuracy, 0.895, "test accuracy on the 10,000 Fashion-MNIST test images");
  },
);

test(
  "CIFAR-10 on data_batch_1 alone: your design reaches ≥ 50% test accuracy within the budget",
  { task: 5, points: 7 },
  async (_backend, reportMetric) => {
    const design = cifarDesign();
    const { total } = designCost(design, CIFAR_BUDGET.imageShape, CIFAR_BUDGET.trainImages);
    assertLessOrEqual(
      total,
      CIFAR_BUDGET.macs,
      `multiply-adds of training your design (forward, ${CIFAR_BUDGET.trainImages} images × ` +
        `${design.training.epochs} epochs) against the budget`,
    );
    const data = await loadCifarImages();
    const accuracy = await trainAndTest(designSolver(design, data, 0), data);
    await reportMetric("CIFAR-10 test accuracy (your convnet)", accuracy);
    assertGreaterOrEqual(accuracy, 0.5, "test accuracy on the 10,000 CIFAR-10 test images");
  },
);
