/**
 * Task 5 targets: the two-layer net trained on real data.
 *
 * These train for real, so they are the slow tier of the suite (see the
 * handout for their budgets on a 2-core machine). They need the data sets:
 * Fashion-MNIST (`sudo apt-get install dataset-fashion-mnist`, or `deno task data`)
 * and CIFAR-10's `data_batch_1` and `test_batch` (`deno task data`).
 */
import * as tf from "@tensorflow/tfjs";
import { assertGreaterOrEqual, assertLessOrEqual } from "../../lib/assert.ts";
import { readScalar } from "../../lib/read.ts";
import { randn, Rng } from "../../lib/random.ts";
import { test } from "../../lib/testing.ts";
import { loadCifar10 } from "../../datasets/cifar10.ts";
import { loadFashionMnist } from "../../datasets/mnist.ts";
import { type PreparedImages, prepareImages } from "../../datasets/prepare.ts";
import { spiral } from "../../datasets/spiral.ts";
import { accuracy, type TrainOptions, trainTwoLayerNet } from "./train.ts";
import { initTwoLayerNet } from "./two_layer_net.ts";

/** Trains a two-layer net with `hidden` units; returns its accuracy on the test split. */
async function testAccuracy(data: PreparedImages, hidden: number, options: TrainOptions) {
  const params = initTwoLayerNet(new Rng(options.seed), data.xTrain.shape[1], hidden, 10);
  const result = await trainTwoLayerNet(params, data, options);
  return accuracy(result.params, data.xTest, data.yTest);
}

/** Accuracy of a linear softmax classifier (scores = x·W + b), trained with tfjs's autodiff. */
async function linearAccuracy(x: tf.Tensor2D, y: tf.Tensor1D, classes: number): Promise<number> {
  const w = tf.variable(randn(new Rng(0), [x.shape[1], classes], 0.01));
  const b = tf.variable(tf.zeros([classes]));
  const optimizer = tf.train.sgd(1);
  const labels = tf.oneHot(y, classes);
  for (let step = 0; step < 300; step++) {
    optimizer.minimize(() =>
      tf.losses.softmaxCrossEntropy(labels, tf.add(tf.matMul(x, w), b)) as tf.Scalar
    );
  }
  const hits = tf.sum(tf.equal(tf.argMax(tf.add(tf.matMul(x, w), b), 1), y.toInt()));
  return (await readScalar(hits)) / x.shape[0];
}

test(
  "spiral: the net fits ≥ 98% where a linear classifier stays ≤ 60%",
  { task: 5, points: 3 },
  async () => {
    const data = spiral({ pointsPerClass: 100, classes: 3, seed: 0 });
    const xTrain = tf.tensor2d(data.x, [data.count, 2]), yTrain = tf.tensor1d(data.y, "int32");
    const { params } = await trainTwoLayerNet(initTwoLayerNet(new Rng(0), 2, 100, 3), {
      xTrain,
      yTrain,
    }, {
      learningRate: 1,
      learningRateDecay: 1,
      reg: 1e-3,
      epochs: 1000,
      batchSize: data.count,
      seed: 0,
    });
    assertGreaterOrEqual(
      await accuracy(params, xTrain, yTrain),
      0.98,
      "two-layer net, training accuracy",
    );
    assertLessOrEqual(
      await linearAccuracy(xTrain, yTrain, 3),
      0.6,
      "linear classifier, training accuracy",
    );
  },
);

test("Fashion-MNIST: ≥ 87% test accuracy (the dataset's published MLP baseline)", {
  task: 5,
  points: 4,
}, async (_backend, reportMetric) => {
  const data = prepareImages(await loadFashionMnist(), {
    valCount: 5000,
    seed: 0,
    normalize: "standardize",
  });
  const acc = await testAccuracy(data, 200, {
    learningRate: 0.1,
    learningRateDecay: 0.9,
    reg: 1e-4,
    epochs: 10,
    batchSize: 200,
    seed: 0,
  });
  await reportMetric("Fashion-MNIST test accuracy (two-layer net)", acc);
  assertGreaterOrEqual(acc, 0.87, "test accuracy");
});

test("CIFAR-10 (data_batch_1 alone): ≥ 40% test accuracy", {
  task: 5,
  points: 3,
}, async (_backend, reportMetric) => {
  const data = prepareImages(await loadCifar10({ trainBatches: [1] }), {
    valCount: 1000,
    seed: 0,
    normalize: "standardize",
  });
  const acc = await testAccuracy(data, 200, {
    learningRate: 0.05,
    learningRateDecay: 0.95,
    reg: 1e-3,
    epochs: 15,
    batchSize: 200,
    seed: 0,
  });
  await reportMetric("CIFAR-10 test accuracy (two-layer net)", acc);
  assertGreaterOrEqual(acc, 0.4, "test accuracy");
});
