/**
 * Tests for Task 4: fc_net.ts (the unit tests; the experiments that train
 * are in targets_test.ts).
 *
 * The expected scores and states are computed here, in float64, by a net
 * written out from the formulas: affine → norm → ReLU per hidden layer, an
 * affine layer to the scores. The layers are of different widths (5 → 7 →
 * 6 → 4) and the batch is of 9, so no shape is square; ε, the momentum, the
 * biases, γ, β and the running statistics are all away from their defaults.
 */
import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "../../lib/assert.ts";
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
import { randint, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import {
  fcNetForward,
  fcNetLoss,
  type FcNetOptions,
  type FcNetParams,
  type FcNetState,
  type Normalization,
} from "./fc_net.ts";

const BOTH = { backends: BOTH_BACKENDS };
const CLOSE = { rtol: 1e-4, atol: 1e-5 };
const DIMS = [5, 7, 6, 4];
const EPS = 0.05;
const MOMENTUM = 0.6;

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
  const x = Array.from({ length: 9 }, () => draw(rng, DIMS[0], 0.5, 2));
  return { net, params, state, x };
}

/**
 * The net in float64: the scores, and the running statistics after the pass
 * (unchanged in test mode).
 */
function forward64(
  net: Net64,
  x: Matrix,
  normalization: Normalization,
  mode: "train" | "test",
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
  "fcNetForward, train mode: scores and next state from the formulas, for each normalisation",
  { task: 4, points: 6, ...BOTH },
  async () => {
    for (const normalization of ["batchnorm", "layernorm", "none"] as const) {
      const { net, params, state, x } = makeNet(30, normalization);
      const options: FcNetOptions = { normalization, eps: EPS, momentum: MOMENTUM };
      const result = fcNetForward(params, tf.tensor2d(x), state, "train", options);
      const expected = forward64(net, x, normalization, "train");
      await assertAllClose(
        result.scores,
        expected.scores,
        CLOSE,
        `${normalization}: train-mode scores of {affine → ${normalization} → ReLU} × 2 → affine`,
      );
      assertEquals(
        Object.keys(result.state).sort(),
        Object.keys(state).sort(),
        `${normalization}: the keys of the next state`,
      );
      await assertState(result.state, expected, `${normalization}: the next state`);
      const given = forward64(net, x, normalization, "test");
      await assertState(state, given, `${normalization}: the state given is left as it was`);
    }
  },
);

test(
  "fcNetForward, test mode: batchnorm uses the running statistics and changes nothing; layernorm is the same in both modes",
  { task: 4, points: 4, ...BOTH },
  async () => {
    const bn = makeNet(31, "batchnorm");
    const options: FcNetOptions = { normalization: "batchnorm", eps: EPS, momentum: MOMENTUM };
    const result = fcNetForward(bn.params, tf.tensor2d(bn.x), bn.state, "test", options);
    const expected = forward64(bn.net, bn.x, "batchnorm", "test");
    await assertAllClose(result.scores, expected.scores, CLOSE, "batchnorm: test-mode scores");
    await assertState(result.state, expected, "batchnorm: test mode leaves the running statistics");
    const alone = fcNetForward(bn.params, tf.tensor2d([bn.x[4]]), bn.state, "test", options);
    await assertAllClose(
      alone.scores,
      [expected.scores[4]],
      CLOSE,
      "batchnorm: an example's test-mode scores do not depend on the rest of its batch",
    );

    const ln = makeNet(32, "layernorm");
    const lnOptions: FcNetOptions = { normalization: "layernorm", eps: EPS };
    const train = fcNetForward(ln.params, tf.tensor2d(ln.x), {}, "train", lnOptions);
    const test = fcNetForward(ln.params, tf.tensor2d(ln.x), {}, "test", lnOptions);
    assertEquals(
      Array.from(await train.scores.data()),
      Array.from(await test.scores.data()),
      "layernorm: train-mode and test-mode scores are identical",
    );
    await assertAllClose(
      test.scores,
      forward64(ln.net, ln.x, "layernorm", "test").scores,
      CLOSE,
      "layernorm: scores",
    );
    assertEquals(Object.keys(train.state), [], "layernorm: the state stays empty");
  },
);

test(
  "fcNetLoss passes the gradient check with batchnorm, layernorm and none",
  { task: 4, points: 6, ...BOTH },
  async () => {
    for (
      const [seed, normalization] of [[33, "batchnorm"], [34, "layernorm"], [35, "none"]] as const
    ) {
      const { params, state, x } = makeNet(seed, normalization);
      const xs = tf.tensor2d(x);
      const y = randint(new Rng(seed + 100), [x.length], DIMS.at(-1)!);
      const options: FcNetOptions = { normalization, eps: EPS, momentum: MOMENTUM, reg: 0.1 };
      const { grads } = fcNetLoss(params, xs, y, state, options);
      assertEquals(
        Object.keys(grads).sort(),
        Object.keys(params).sort(),
        `${normalization}: a gradient for every parameter`,
      );
      // A bias just before batchnorm has no effect on the loss (the batch mean takes it
      // away): its true gradient is 0, which the checker's relative error cannot judge.
      const beforeBatchnorm = (key: string) =>
        normalization === "batchnorm" && /^b\d+$/.test(key) && `gamma${key.slice(1)}` in params;
      for (const key of Object.keys(params).filter(beforeBatchnorm)) {
        await assertAllClose(
          grads[key],
          tf.zerosLike(grads[key]),
          { atol: 1e-5 },
          `d${key}: a bias before batchnorm gets no gradient`,
        );
      }
      const checked = Object.keys(params).filter((key) => !beforeBatchnorm(key));
      await assertGradientsMatch({
        name: `fcNetLoss (${normalization})`,
        f: (p) => fcNetLoss(p, xs, y, state, options).loss,
        inputs: params,
        seed,
        backward: (dout) => {
          const all = chainScalar(dout, fcNetLoss(params, xs, y, state, options).grads);
          return Object.fromEntries(checked.map((key) => [key, all[key]]));
        },
      });
    }
  },
);
