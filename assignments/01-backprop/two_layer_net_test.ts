/** Tests for Task 5: two_layer_net.ts (with the provided train.ts). */
import * as tf from "@tensorflow/tfjs";
import {
  assertAlmostEquals,
  assertEquals,
  assertGreater,
  assertGreaterOrEqual,
} from "../../lib/assert.ts";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
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
  "loss ≈ ln(C) when the scores are near zero, and grows with reg",
  { task: 5, points: 4 },
  async () => {
    const rng = new Rng(1);
    const params = initTwoLayerNet(rng, 50, 40, 10);
    const x = randn(rng, [64, 50], 1e-4) as tf.Tensor2D; // tiny inputs, so tiny scores
    const y = randint(rng, [64], 10) as tf.Tensor1D;
    assertShape(twoLayerNetScores(params, x), [64, 10], "scores");
    const loss = (reg: number) => readScalar(twoLayerNetLoss(params, x, y, reg).loss);
    assertAlmostEquals(await loss(0), Math.log(10), 0.01, "initial loss without regularisation");
    const [l0, l1, l2] = [await loss(0), await loss(0.1), await loss(1)];
    assertGreater(l1, l0, "loss with reg 0.1 should exceed loss with reg 0");
    assertGreater(l2, l1, "loss with reg 1 should exceed loss with reg 0.1");
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

test("sgdStep and predict", { task: 5, points: 2 }, async () => {
  const p = {
    W1: tf.tensor2d([[1, 2]]),
    b1: tf.tensor1d([0, 0]),
    W2: tf.tensor2d([[1, 0], [0, 1]]),
    b2: tf.tensor1d([0.5, 0]),
  };
  const g = {
    W1: tf.tensor2d([[10, -10]]),
    b1: tf.tensor1d([1, 1]),
    W2: tf.ones([2, 2]) as tf.Tensor2D,
    b2: tf.tensor1d([0, 5]),
  };
  const next = sgdStep(p, g, 0.1);
  await assertAllClose(next.W1, [[0, 3]], {}, "W1 − 0.1·dW1");
  await assertAllClose(next.b2, [0.5, -0.5], {}, "b2 − 0.1·db2");
  await assertAllClose(p.W1, [[1, 2]], {}, "sgdStep must not change its input");
  // scores for x = [1] and [−1]: relu([1, 2])·I + b2 = [1.5, 2]; relu([−1, −2]) + b2 = [0.5, 0]
  assertEquals(Array.from(await predict(p, tf.tensor2d([[1], [-1]])).data()), [1, 0]);
});

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
