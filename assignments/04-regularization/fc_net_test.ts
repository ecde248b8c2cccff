/**
 * Tests for Task 2: fc_net.ts (the unit tests; the experiments that train
 * are in targets_test.ts).
 *
 * The expected scores and states are computed here, in float64, by a net
 * written out from the formulas: affine → norm → ReLU → dropout per hidden
 * layer, an affine layer to the scores, with the masks the handout
 * prescribes (u < p, u = randu(rng, [N, H]), layer 1's drawn first) rebuilt
 * from the same seed. The layers are of different widths (5 → 7 → 6 → 4)
 * and the batch is of 9, so no shape is square; ε, the momentum, the biases,
 * γ, β and the running statistics are all away from their defaults.
 */
import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertNotEquals } from "../../lib/assert.ts";
import { assertAllClose } from "../../lib/assert_tensor.ts";
import {
  addRow,
  columnMeans,
  columnVariances,
  map,
  matMul,
  type Matrix,
  mean,
  variance,
} from "../../lib/float64.ts";
import { assertGradientsMatch, chainScalar } from "../../lib/gradcheck.ts";
import { randint, randn, Rng } from "../../lib/random.ts";
import { Solver } from "../../lib/solver.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import {
  fcNetForward,
  fcNetLoss,
  fcNetModel,
  type FcNetOptions,
  type FcNetParams,
  type FcNetState,
  initFcNet,
  type Normalization,
} from "./fc_net.ts";

const BOTH = { backends: BOTH_BACKENDS };
const CLOSE = { rtol: 1e-4, atol: 1e-5 };
const DIMS = [5, 7, 6, 4];
const BATCH = 9;
const EPS = 0.05;
const MOMENTUM = 0.6;
const NORMALIZATIONS = ["batchnorm", "layernorm", "none"] as const;

/** A net's numbers in float64, each exactly a float32, by layer (index 0 is layer 1). */
interface Net64 {
  W: Matrix[];
  b: number[][];
  gamma: number[][];
  beta: number[][];
  runningMean: number[][];
  runningVar: number[][];
}

function draw(rng: Rng, n: number, mean = 0, std = 1): number[] {
  return Array.from({ length: n }, () => Math.fround(rng.normal(mean, std)));
}

/** A seeded net of DIMS with every number away from its default, as float64 and as tensors. */
function makeNet(seed: number, normalization: Normalization) {
  const rng = new Rng(seed);
  const layers = DIMS.length - 1;
  const net: Net64 = { W: [], b: [], gamma: [], beta: [], runningMean: [], runningVar: [] };
  const params: FcNetParams = {};
  const state: FcNetState = {};
  for (let l = 1; l <= layers; l++) {
    const [fanIn, fanOut] = [DIMS[l - 1], DIMS[l]];
    net.W.push(Array.from({ length: fanIn }, () => draw(rng, fanOut, 0, 0.7)));
    net.b.push(draw(rng, fanOut, 0, 0.5));
    params[`W${l}`] = tf.tensor2d(net.W[l - 1]);
    params[`b${l}`] = tf.tensor1d(net.b[l - 1]);
    if (l === layers || normalization === "none") continue;
    net.gamma.push(draw(rng, fanOut, 1, 0.5));
    net.beta.push(draw(rng, fanOut, 0.2, 0.5));
    params[`gamma${l}`] = tf.tensor1d(net.gamma[l - 1]);
    params[`beta${l}`] = tf.tensor1d(net.beta[l - 1]);
    if (normalization !== "batchnorm") continue;
    net.runningMean.push(draw(rng, fanOut, 0.3, 0.5));
    net.runningVar.push(draw(rng, fanOut).map((v) => Math.fround(0.5 + v * v)));
    state[`runningMean${l}`] = tf.tensor1d(net.runningMean[l - 1]);
    state[`runningVar${l}`] = tf.tensor1d(net.runningVar[l - 1]);
  }
  const x = Array.from({ length: BATCH }, () => draw(rng, DIMS[0], 0.5, 2));
  return { net, params, state, x };
}

/**
 * The net in float64: the scores, and the running statistics after the pass
 * (unchanged in test mode). With `dropout`, each hidden layer's ReLU output
 * is multiplied by (u < p)/p, u drawn from `dropout.rng` [N, H] row by row,
 * layer 1 first.
 */
function forward64(
  net: Net64,
  x: Matrix,
  normalization: Normalization,
  mode: "train" | "test",
  dropout?: { p: number; rng: Rng },
): { scores: Matrix; runningMean: number[][]; runningVar: number[][] } {
  const layers = net.W.length;
  const runningMean = net.runningMean.map((m) => [...m]);
  const runningVar = net.runningVar.map((v) => [...v]);
  let h = x;
  for (let l = 0; l < layers - 1; l++) {
    let a = addRow(matMul(h, net.W[l]), net.b[l]);
    const [gamma, beta] = [net.gamma[l], net.beta[l]];
    if (normalization === "batchnorm") {
      const [mu, v] = mode === "train"
        ? [columnMeans(a), columnVariances(a)]
        : [net.runningMean[l], net.runningVar[l]];
      a = map(a, (value, _, j) => gamma[j] * (value - mu[j]) / Math.sqrt(v[j] + EPS) + beta[j]);
      if (mode === "train") {
        runningMean[l] = runningMean[l].map((r, j) => MOMENTUM * r + (1 - MOMENTUM) * mu[j]);
        runningVar[l] = runningVar[l].map((r, j) => MOMENTUM * r + (1 - MOMENTUM) * v[j]);
      }
    } else if (normalization === "layernorm") {
      a = a.map((row) => {
        const [mu, v] = [mean(row), variance(row)];
        return row.map((value, j) => gamma[j] * (value - mu) / Math.sqrt(v + EPS) + beta[j]);
      });
    }
    h = map(a, (value) => Math.max(0, value));
    if (dropout && mode === "train") {
      const { p, rng } = dropout;
      h = h.map((row) =>
        row.map((value) => (Math.fround(rng.uniform()) < Math.fround(p) ? value / p : 0))
      );
    }
  }
  return {
    scores: addRow(matMul(h, net.W[layers - 1]), net.b[layers - 1]),
    runningMean,
    runningVar,
  };
}

/** Checks every running statistic of `state` against the float64 values, layer by layer. */
async function assertState(
  state: FcNetState,
  expected: ReturnType<typeof forward64>,
  what: string,
) {
  for (let l = 1; l <= expected.runningMean.length; l++) {
    await assertAllClose(
      state[`runningMean${l}`],
      expected.runningMean[l - 1],
      CLOSE,
      `${what}: runningMean${l}`,
    );
    await assertAllClose(
      state[`runningVar${l}`],
      expected.runningVar[l - 1],
      CLOSE,
      `${what}: runningVar${l}`,
    );
  }
}

test(
  "fcNetForward, train mode with dropout: scores and next state from the formulas, masks drawn layer by layer from rng",
  { task: 2, points: 6, ...BOTH },
  async () => {
    for (const [k, normalization] of NORMALIZATIONS.entries()) {
      const { net, params, state, x } = makeNet(30 + k, normalization);
      const p = 0.6;
      const options: FcNetOptions = {
        normalization,
        eps: EPS,
        momentum: MOMENTUM,
        keepProbability: p,
      };
      const rng = new Rng(40 + k);
      const result = fcNetForward(params, tf.tensor2d(x), state, "train", options, rng);
      const mirror = new Rng(40 + k);
      const expected = forward64(net, x, normalization, "train", { p, rng: mirror });
      await assertAllClose(
        result.scores,
        expected.scores,
        CLOSE,
        `${normalization}: train-mode scores of {affine → ${normalization} → ReLU → dropout(p = ${p})} × 2 → affine`,
      );
      assertEquals(
        rng.state(),
        mirror.state(),
        `${normalization}: the pass draws one number per hidden unit per example (${BATCH}×7 + ${BATCH}×6), no more`,
      );
      await assertState(result.state, expected, `${normalization}: the next state`);
      const hidden = result.cache.hidden;
      assertEquals(hidden.length, 2, `${normalization}: a cache per hidden layer`);
      assert(
        hidden.every((layer) => layer.dropout?.mask),
        `${normalization}: each hidden layer's cache holds its dropout mask`,
      );
    }
  },
);

test(
  "fcNetForward, test mode with dropout: nothing dropped, nothing drawn, the scores of the net without dropout",
  { task: 2, points: 3, ...BOTH },
  async () => {
    for (const [k, normalization] of NORMALIZATIONS.entries()) {
      const { net, params, state, x } = makeNet(33 + k, normalization);
      const options: FcNetOptions = {
        normalization,
        eps: EPS,
        momentum: MOMENTUM,
        keepProbability: 0.3,
      };
      const rng = new Rng(43);
      const before = rng.state();
      const result = fcNetForward(params, tf.tensor2d(x), state, "test", options, rng);
      await assertAllClose(
        result.scores,
        forward64(net, x, normalization, "test").scores,
        CLOSE,
        `${normalization}: test-mode scores, unscaled (inverted dropout changes nothing at test time)`,
      );
      assertEquals(rng.state(), before, `${normalization}: a test-mode pass draws nothing`);
    }
  },
);

test(
  "fcNetLoss with dropout passes the gradient check, for batchnorm, layernorm and none",
  { task: 2, points: 6, ...BOTH },
  async () => {
    for (const [k, normalization] of NORMALIZATIONS.entries()) {
      const seed = 36 + k;
      const { params, state, x } = makeNet(seed, normalization);
      const xs = tf.tensor2d(x);
      const y = randint(new Rng(seed + 100), [BATCH], DIMS.at(-1)!);
      const options: FcNetOptions = {
        normalization,
        eps: EPS,
        momentum: MOMENTUM,
        keepProbability: 0.7,
      };
      // A fresh generator of the same seed in every call: every pass draws the same masks.
      const loss = (p: FcNetParams) => fcNetLoss(p, xs, y, state, options, new Rng(seed + 200));
      const { grads } = loss(params);
      assertEquals(
        Object.keys(grads).sort(),
        Object.keys(params).sort(),
        `${normalization}: a gradient for every parameter`,
      );
      // A bias just before batchnorm has no effect on the loss (the batch mean takes it away).
      const beforeBatchnorm = (key: string) =>
        normalization === "batchnorm" && /^b\d+$/.test(key) && `gamma${key.slice(1)}` in params;
      const checked = Object.keys(params).filter((key) => !beforeBatchnorm(key));
      await assertGradientsMatch({
        name: `fcNetLoss (${normalization}, dropout p = 0.7)`,
        f: (p) => loss(p).loss,
        inputs: params,
        seed,
        backward: (dout) => {
          const all = chainScalar(dout, loss(params).grads);
          return Object.fromEntries(checked.map((key) => [key, all[key]]));
        },
      });
    }
  },
);

test(
  "fcNetModel's loss draws its masks from the rng it is given; the Solver's runs repeat exactly",
  { task: 2, points: 2 },
  async () => {
    const rng = new Rng(45);
    const data = {
      xTrain: randn(rng, [60, 5]),
      yTrain: randint(rng, [60], 4),
      xVal: randn(rng, [20, 5]),
      yVal: randint(rng, [20], 4),
    };
    const options: FcNetOptions = { normalization: "layernorm", keepProbability: 0.5 };
    const model = fcNetModel(options);
    const { params } = initFcNet(new Rng(0), DIMS, { normalization: "layernorm" });
    const lossWith = async (seed: number) =>
      (await model.loss(params, data.xTrain, data.yTrain, {}, new Rng(seed)).loss.data())[0];
    assertEquals(await lossWith(1), await lossWith(1), "the loss with masks from seed 1, twice");
    assertNotEquals(await lossWith(1), await lossWith(2), "the loss with masks from seeds 1 and 2");
    const losses = async () => {
      const { params, state } = initFcNet(new Rng(0), DIMS, { normalization: "layernorm" });
      const solver = new Solver(model, params, data, {
        update: (w, dw, config) => [tf.sub(w, tf.mul(config.learningRate, dw)), config],
        config: { learningRate: 0.1 },
        batchSize: 20,
        epochs: 2,
        seed: 1,
        state,
      });
      await solver.train();
      solver.dispose();
      return solver.lossHistory;
    };
    assertEquals(await losses(), await losses(), "two runs of seed 1: the same loss at every step");
  },
);
