/**
 * Tests for Task 5: three_layer_convnet.ts (its unit tests and a small
 * training run; the targets on real data sets are in targets_test.ts).
 *
 * The expected scores are computed here in float64 by the net written out
 * from the formulas — conv → spatial batchnorm → ReLU → 2×2 max pool →
 * affine → ReLU → affine — for a batch of 3 non-square images [6, 4, 2],
 * 3 filters of 3×3, 5 hidden units and 4 classes, with every bias, γ, β and
 * running statistic away from its default.
 */
import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals, assertLess } from "../../lib/assert.ts";
import { assertAllClose } from "../../lib/assert_tensor.ts";
import {
  type Array4,
  conv2d,
  index4,
  matMul,
  type Matrix,
  sumOfSquares,
  toArray4,
  toMatrix,
  toVector,
  zeros4,
} from "../../lib/float64.ts";
import { assertGradientsMatch, chainScalar } from "../../lib/gradcheck.ts";
import { randint, randn, Rng } from "../../lib/random.ts";
import { Solver } from "../../lib/solver.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import { loadFashionMnist } from "../../datasets/mnist.ts";
import { adam, ADAM_DEFAULTS } from "../02-optimizers/optim.ts";
import {
  type ConvNetParams,
  type ConvNetState,
  initThreeLayerConvNet,
  threeLayerConvNetBackward,
  threeLayerConvNetForward,
  threeLayerConvNetLoss,
  threeLayerConvNetModel,
} from "./three_layer_convnet.ts";

const CLOSE = { rtol: 1e-4, atol: 1e-4 };
const EPS = 1e-5, MOMENTUM = 0.9;

/** A small net with every number away from its default; with batchnorm if asked. */
function makeNet(seed: number, batchnorm: boolean) {
  const rng = new Rng(seed);
  const params: ConvNetParams = {
    W1: randn(rng, [3, 3, 2, 3], 0.7),
    b1: randn(rng, [3], 0.5),
    W2: randn(rng, [3 * 2 * 3, 5], 0.5),
    b2: randn(rng, [5], 0.5),
    W3: randn(rng, [5, 4], 0.7),
    b3: randn(rng, [4], 0.5),
  };
  const state: ConvNetState = {};
  if (batchnorm) {
    params.gamma1 = tf.add(randn(rng, [3], 0.3), 1);
    params.beta1 = randn(rng, [3], 0.5);
    state.runningMean1 = randn(rng, [3], 0.5);
    state.runningVar1 = tf.add(tf.square(randn(rng, [3])), 0.5);
  }
  const x = randn(rng, [3, 6, 4, 2]) as tf.Tensor4D;
  const y = randint(rng, [3], 4) as tf.Tensor1D;
  return { params, state, x, y };
}

/** The net's scores and next running statistics, from the formulas, in float64. */
async function forward64(
  params: ConvNetParams,
  state: ConvNetState,
  x: tf.Tensor4D,
  mode: "train" | "test",
) {
  const v = async (key: string) => await toVector(params[key]);
  let a = conv2d(await toArray4(x), await toArray4(params.W1), await v("b1"), 1, 1);
  const [n, h, w, c] = a.shape;
  let next: { mean: number[]; variance: number[] } | undefined;
  if (params.gamma1 !== undefined) {
    const [gamma, beta] = [await v("gamma1"), await v("beta1")];
    const running = [await toVector(state.runningMean1), await toVector(state.runningVar1)];
    const values = (ch: number) => Array.from(a.data).filter((_, i) => i % c === ch);
    const mean = Array.from(
      { length: c },
      (_, ch) => values(ch).reduce((s, t) => s + t) / (n * h * w),
    );
    const variance = mean.map((m, ch) =>
      values(ch).reduce((s, t) => s + (t - m) ** 2, 0) / (n * h * w)
    );
    const [mu, s2] = mode === "train" ? [mean, variance] : running;
    a = {
      shape: a.shape,
      data: a.data.map((t, i) => {
        const ch = i % c;
        return gamma[ch] * (t - mu[ch]) / Math.sqrt(s2[ch] + EPS) + beta[ch];
      }),
    };
    next = {
      mean: running[0].map((r, ch) => MOMENTUM * r + (1 - MOMENTUM) * mean[ch]),
      variance: running[1].map((r, ch) => MOMENTUM * r + (1 - MOMENTUM) * variance[ch]),
    };
  }
  const relu = (t: number) => Math.max(0, t);
  const pooled: Array4 = zeros4([n, h / 2, w / 2, c]);
  for (let e = 0; e < n; e++) {
    for (let r = 0; r < h / 2; r++) {
      for (let q = 0; q < w / 2; q++) {
        for (let ch = 0; ch < c; ch++) {
          const window = [0, 1].flatMap((i) =>
            [0, 1].map((j) => relu(a.data[index4(a.shape, e, 2 * r + i, 2 * q + j, ch)]))
          );
          pooled.data[index4(pooled.shape, e, r, q, ch)] = Math.max(...window);
        }
      }
    }
  }
  const rows: Matrix = Array.from(
    { length: n },
    (_, e) =>
      Array.from(pooled.data.subarray(e * (h / 2) * (w / 2) * c, (e + 1) * (h / 2) * (w / 2) * c)),
  );
  const affine = async (input: Matrix, l: number) => {
    const b = await v(`b${l}`);
    return matMul(input, await toMatrix(params[`W${l}`])).map((row) => row.map((t, j) => t + b[j]));
  };
  const hidden = (await affine(rows, 2)).map((row) => row.map(relu));
  return { scores: await affine(hidden, 3), next };
}

/**
 * The gradients to compare with finite differences. With batchnorm after the
 * convolution, b1 has no effect at all (the batch mean takes it away again):
 * its true gradient is exactly 0, which float32 differences cannot confirm to a
 * relative tolerance, so it is left out there.
 */
function checkedGradients(grads: ConvNetParams, batchnorm: boolean): ConvNetParams {
  if (!batchnorm) return grads;
  const { b1: _zero, ...rest } = grads;
  return rest;
}

test(
  "threeLayerConvNetForward: scores and running statistics match the formulas (float64)",
  { task: 5, points: 4 },
  async () => {
    for (const batchnorm of [false, true]) {
      const { params, state, x } = makeNet(batchnorm ? 1 : 0, batchnorm);
      for (const mode of ["train", "test"] as const) {
        const result = threeLayerConvNetForward(params, x, state, mode);
        const expected = await forward64(params, state, x, mode);
        const where = `${batchnorm ? "with" : "without"} batchnorm, ${mode} mode`;
        await assertAllClose(result.scores, expected.scores, CLOSE, `scores ${where}`);
        if (!batchnorm) continue;
        const next = mode === "train" ? expected.next! : {
          mean: await toVector(state.runningMean1),
          variance: await toVector(state.runningVar1),
        };
        await assertAllClose(result.state.runningMean1, next.mean, CLOSE, `runningMean1 ${where}`);
        await assertAllClose(
          result.state.runningVar1,
          next.variance,
          CLOSE,
          `runningVar1 ${where}`,
        );
      }
    }
  },
);

test(
  "the loss at initialisation is ≈ ln 10, and L2 regularisation adds ½·reg·Σ‖W‖²",
  { task: 5, points: 2 },
  async () => {
    const { params, state } = initThreeLayerConvNet(new Rng(0), {
      inputShape: [8, 6, 3],
      filters: 4,
      filterSize: 3,
      hidden: 7,
      weightScale: 1e-3,
    });
    const rng = new Rng(1);
    const x = randn(rng, [20, 8, 6, 3]) as tf.Tensor4D;
    const y = randint(rng, [20], 10) as tf.Tensor1D;
    const plain = (await threeLayerConvNetLoss(params, x, y, state, 0).loss.data())[0];
    assertAlmostEquals(plain, Math.log(10), 1e-3, "loss with tiny weights and no regularisation");
    const reg = 3e4;
    const regularised = (await threeLayerConvNetLoss(params, x, y, state, reg).loss.data())[0];
    const penalty = 0.5 * reg * sumOfSquares(
      ...(await Promise.all(["W1", "W2", "W3"].map((k) => toVector(params[k])))),
    );
    assertLess(plain, regularised, "the loss with reg 3e4 against the loss without");
    assertAlmostEquals(regularised - plain, penalty, 1e-3 * penalty, "the loss added by reg 3e4");
  },
);

test(
  "threeLayerConvNetBackward passes the gradient check (dx and every parameter)",
  { task: 5, points: 4, backends: BOTH_BACKENDS },
  async () => {
    for (const batchnorm of [false, true]) {
      const { params, state, x } = makeNet(10 + Number(batchnorm), batchnorm);
      const inputs = { ...params, x };
      const forward = (p: Record<string, tf.Tensor>) => {
        const { x, ...rest } = p;
        return threeLayerConvNetForward(rest, x as tf.Tensor4D, state, "train");
      };
      await assertGradientsMatch({
        name: `threeLayerConvNetBackward (${batchnorm ? "with" : "without"} batchnorm)`,
        f: (p) => forward(p).scores,
        inputs,
        maxCoordinates: 40,
        backward: (dout) => {
          const { grads, dx } = threeLayerConvNetBackward(
            dout as tf.Tensor2D,
            forward(inputs).cache,
          );
          return { ...checkedGradients(grads, batchnorm), x: dx };
        },
      });
      if (!batchnorm) continue;
      const dout = randn(new Rng(13), [3, 4]) as tf.Tensor2D;
      const { grads } = threeLayerConvNetBackward(dout, forward(inputs).cache);
      const [db1, dW1] = [await toVector(grads.b1), await toVector(grads.W1)];
      assertLess(
        Math.max(...db1.map(Math.abs)),
        1e-4 * Math.max(...dW1.map(Math.abs)),
        "largest |db1| with batchnorm (which removes the bias: db1 = 0) against 1e-4·largest |dW1|",
      );
    }
  },
);

test(
  "threeLayerConvNetLoss passes the gradient check, with regularisation",
  { task: 5, points: 2, backends: BOTH_BACKENDS },
  async () => {
    const { params, state, x, y } = makeNet(12, true);
    await assertGradientsMatch({
      name: "threeLayerConvNetLoss",
      f: (p) => threeLayerConvNetLoss(p, x, y, state, 0.3).loss,
      inputs: params,
      maxCoordinates: 40,
      backward: (dout) =>
        chainScalar(
          dout,
          checkedGradients(threeLayerConvNetLoss(params, x, y, state, 0.3).grads, true),
        ),
    });
  },
);

test(
  "the net overfits 50 Fashion-MNIST images: 100% training accuracy within 15 epochs",
  { task: 5, points: 3 },
  async () => {
    const fashion = await loadFashionMnist();
    const pixels = Float32Array.from(fashion.train.images.subarray(0, 50 * 784), (p) => p / 255);
    const x = tf.tensor4d(pixels, [50, 28, 28, 1]);
    const y = tf.tensor1d(fashion.train.labels.subarray(0, 50), "int32");
    const data = {
      xTrain: tf.sub(x, tf.mean(x)),
      yTrain: y,
      xVal: x.slice(0, 10),
      yVal: y.slice(0, 10),
    };
    const { params, state } = initThreeLayerConvNet(new Rng(0), {
      inputShape: [28, 28, 1],
      filters: 16,
      filterSize: 3,
      hidden: 100,
    });
    const solver = new Solver(threeLayerConvNetModel(0), params, data, {
      update: adam,
      config: { ...ADAM_DEFAULTS, learningRate: 1e-3 },
      batchSize: 25,
      epochs: 15,
      state,
    });
    await solver.train();
    const accuracy = await solver.accuracy(data.xTrain, y);
    solver.dispose();
    assertEquals(accuracy, 1, "training accuracy on the 50 images after 15 epochs");
  },
);
