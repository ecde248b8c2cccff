/** Tests for Task 5: two_layer_net.ts (with the provided train.ts). */
import * as tf from "@tensorflow/tfjs";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreaterOrEqual,
} from "../../lib/assert.ts";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
import {
  addRow,
  map,
  matMul,
  type Matrix,
  softmaxCrossEntropy,
  sumOfSquares,
} from "../../lib/float64.ts";
import { assertGradientsMatch, chainScalar } from "../../lib/gradcheck.ts";
import { readScalar } from "../../lib/read.ts";
import { randint, randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import { accuracy, trainTwoLayerNet } from "./train.ts";
import {
  initTwoLayerNet,
  predict,
  sgdStep,
  twoLayerNetLoss,
  type TwoLayerNetParams,
  twoLayerNetScores,
} from "./two_layer_net.ts";

/** The population standard deviation of a tensor's entries, read back. */
async function std(t: tf.Tensor): Promise<number> {
  return await readScalar(tf.moments(t).variance.sqrt());
}

test("initTwoLayerNet: shapes, He scale, zero biases", { task: 5, points: 3 }, async () => {
  const params = initTwoLayerNet(new Rng(0), 400, 300, 10);
  assertShape(params.W1, [400, 300], "W1");
  assertShape(params.b1, [300], "b1");
  assertShape(params.W2, [300, 10], "W2");
  assertShape(params.b2, [10], "b2");
  assertAlmostEquals(
    await std(params.W1),
    Math.sqrt(2 / 400),
    0.05 * Math.sqrt(2 / 400),
    "std of W1",
  );
  assertAlmostEquals(
    await std(params.W2),
    Math.sqrt(2 / 300),
    0.05 * Math.sqrt(2 / 300),
    "std of W2",
  );
  await assertAllClose(params.b1, tf.zeros([300]), {}, "b1");
  await assertAllClose(params.b2, tf.zeros([10]), {}, "b2");
});

test(
  "twoLayerNetLoss: the value from the formula, ≈ ln(C) near zero, plus ½·reg·(‖W1‖² + ‖W2‖²)",
  { task: 5, points: 4 },
  async () => {
    // A small net whose hidden pre-activations have both signs, so a missing ReLU shows.
    const rng = new Rng(1);
    const params = { ...initTwoLayerNet(rng, 5, 6, 3), b1: randn(rng, [6], 0.5) as tf.Tensor1D };
    params.b2 = randn(rng, [3], 0.5) as tf.Tensor1D;
    const x = randn(rng, [4, 5]) as tf.Tensor2D;
    const y = tf.tensor1d([0, 2, 1, 2], "int32");
    const [W1, b1, W2, b2, X] = await Promise.all(
      [params.W1, params.b1, params.W2, params.b2, x].map((t) => t.array()),
    ) as [Matrix, number[], Matrix, number[], Matrix];
    const hidden = map(addRow(matMul(X, W1), b1), (v) => Math.max(0, v));
    const scores = addRow(matMul(hidden, W2), b2);
    await assertAllClose(
      twoLayerNetScores(params, x),
      scores,
      { rtol: 1e-5, atol: 1e-6 },
      "scores",
    );
    const dataLoss = softmaxCrossEntropy(scores, [0, 2, 1, 2]);
    const loss = (reg: number) => readScalar(twoLayerNetLoss(params, x, y, reg).loss);
    assertAlmostEquals(await loss(0), dataLoss, 1e-5, "loss with reg 0 (softmax cross-entropy)");
    // The penalty is on the weights only, never the biases, and has the ½.
    const penalty = 0.5 * 0.3 * sumOfSquares(W1, W2);
    assertAlmostEquals(
      await loss(0.3),
      dataLoss + penalty,
      1e-5 * (dataLoss + penalty),
      "loss with reg 0.3 = data loss + ½·reg·(‖W1‖² + ‖W2‖²)",
    );
    // Tiny inputs give tiny scores, and a near-uniform prediction.
    const tiny = initTwoLayerNet(rng, 50, 40, 10);
    const xTiny = randn(rng, [64, 50], 1e-4) as tf.Tensor2D;
    const yTiny = randint(rng, [64], 10) as tf.Tensor1D;
    assertShape(twoLayerNetScores(tiny, xTiny), [64, 10], "scores");
    assertAlmostEquals(
      await readScalar(twoLayerNetLoss(tiny, xTiny, yTiny, 0).loss),
      Math.log(10),
      0.01,
      "initial loss without regularisation",
    );
  },
);

test(
  "twoLayerNetLoss passes the gradient check",
  { task: 5, points: 5, backends: BOTH_BACKENDS },
  async () => {
    const rng = new Rng(2);
    // Nonzero b1, so no hidden unit starts exactly at ReLU's kink.
    const point = { ...initTwoLayerNet(rng, 6, 8, 4), b1: randn(rng, [8], 0.1) as tf.Tensor1D };
    const x = randn(rng, [5, 6]) as tf.Tensor2D;
    const y = randint(rng, [5], 4) as tf.Tensor1D;
    await assertGradientsMatch({
      name: "twoLayerNetLoss",
      f: (p) => twoLayerNetLoss(p as TwoLayerNetParams, x, y, 0.1).loss,
      inputs: point,
      backward: (dout) => chainScalar(dout, twoLayerNetLoss(point, x, y, 0.1).grads),
    });
  },
);

test(
  "sgdStep updates every parameter into a new tensor; predict",
  { task: 5, points: 2 },
  async () => {
    const p = {
      W1: tf.tensor2d([[1, 2]]),
      b1: tf.tensor1d([0, 0]),
      W2: tf.tensor2d([[1, 0], [0, 1]]),
      b2: tf.tensor1d([0.5, 0]),
    };
    const g = {
      W1: tf.tensor2d([[10, -10]]),
      b1: tf.tensor1d([1, -2]),
      W2: tf.tensor2d([[1, 2], [3, 4]]),
      b2: tf.tensor1d([0, 5]),
    };
    const next = sgdStep(p, g, 0.1);
    await assertAllClose(next.W1, [[0, 3]], {}, "W1 − 0.1·dW1");
    await assertAllClose(next.b1, [-0.1, 0.2], {}, "b1 − 0.1·db1");
    await assertAllClose(next.W2, [[0.9, -0.2], [-0.3, 0.6]], {}, "W2 − 0.1·dW2");
    await assertAllClose(next.b2, [0.5, -0.5], {}, "b2 − 0.1·db2");
    for (const k of ["W1", "b1", "W2", "b2"] as const) {
      assert(next[k] !== p[k] && next[k] !== g[k], `sgdStep must return a new tensor for ${k}`);
    }
    await assertAllClose(p.W1, [[1, 2]], {}, "sgdStep must not change its input");
    // scores for x = [1] and [−1]: relu([1, 2])·I + b2 = [1.5, 2]; relu([−1, −2]) + b2 = [0.5, 0]
    assertEquals(
      Array.from(await predict(p, tf.tensor2d([[1], [-1]])).data()),
      [1, 0],
      "predict: the arg-max class of each row",
    );
  },
);

test("overfits 50 examples to 100% training accuracy", { task: 5, points: 3 }, async () => {
  const rng = new Rng(4);
  const xTrain = randn(rng, [50, 20]) as tf.Tensor2D;
  const yTrain = randint(rng, [50], 10) as tf.Tensor1D;
  const { params } = await trainTwoLayerNet(initTwoLayerNet(rng, 20, 100, 10), { xTrain, yTrain }, {
    learningRate: 0.5,
    learningRateDecay: 1,
    reg: 0,
    epochs: 200,
    batchSize: 50,
    seed: 4,
  });
  assertGreaterOrEqual(
    await accuracy(params, xTrain, yTrain),
    1,
    "training accuracy on 50 examples",
  );
});
