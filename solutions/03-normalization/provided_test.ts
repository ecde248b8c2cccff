/**
 * Tests of assignment 3's provided code (instructor-side: run by
 * `deno task test:lib` against the reference solutions): the argument
 * checks, the experiments' helpers, and the normalised net trained by the
 * Solver with its running statistics as state.
 */
import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertNotEquals, assertThrows } from "../../lib/assert.ts";
import { useBackend } from "../../lib/backend.ts";
import { randint, randn, Rng } from "../../lib/random.ts";
import { type OptimConfig, type UpdateRule } from "../../lib/optimizer.ts";
import { Solver } from "../../lib/solver.ts";
import { sgdMomentum } from "../02-optimizers/optim.ts";
import {
  batchnormBackward,
  batchnormBackwardClosedForm,
  batchnormForward,
  initBatchnormState,
} from "./batchnorm.ts";
import { epochsToReach, spread, SWEEP } from "./experiments.ts";
import { fcNetForward, fcNetModel, fcNetScores, initFcNet } from "./fc_net.ts";
import { foldBatchnorm, foldFcNet } from "./fold.ts";
import { layernormBackward, layernormForward } from "./layernorm.ts";

await useBackend("wasm");

const x = tf.zeros([4, 3]) as tf.Tensor2D;
const ones = tf.ones([3]) as tf.Tensor1D, zeros = tf.zeros([3]) as tf.Tensor1D;
const state = initBatchnormState(3);

Deno.test("batchnormForward: bad arguments are errors that name the argument", () => {
  const bn = (...args: unknown[]) => () =>
    (batchnormForward as (...a: unknown[]) => unknown)(...args);
  assertThrows(
    bn(x, ones, zeros, "training", state),
    Error,
    'mode must be "train" or "test", got "training"',
  );
  assertThrows(bn(x, tf.ones([4]), zeros, "train", state), Error, "gamma must have shape [3]");
  assertThrows(bn(x, ones, tf.ones([3, 1]), "train", state), Error, "beta must have shape [3]");
  assertThrows(
    bn(x, ones, zeros, "test", initBatchnormState(2)),
    Error,
    "state.runningMean must have shape [3]",
  );
  assertThrows(
    bn(x, ones, zeros, "train", undefined),
    Error,
    "state must be { runningMean, runningVar }",
  );
  assertThrows(
    bn(x, ones, zeros, "train", state, { momentum: 1 }),
    Error,
    "momentum must be in [0, 1)",
  );
  assertThrows(
    bn(x, ones, zeros, "train", state, { momentum: -0.1 }),
    Error,
    "momentum must be in [0, 1)",
  );
  assertThrows(bn(x, ones, zeros, "train", state, { eps: 0 }), Error, "eps must be a number > 0");
  assertThrows(bn(x, ones, zeros, "train", state, { esp: 1e-3 }), Error, "did you mean 'eps'?");
  assertThrows(
    bn(tf.zeros([4, 3, 1]), ones, zeros, "train", state),
    Error,
    "x must be a batch of rows",
  );
  assertThrows(bn(tf.zeros([1, 3]), ones, zeros, "train", state), Error, "need at least 2");
  bn(tf.zeros([1, 3]), ones, zeros, "test", state)(); // one example is fine at test time
});

Deno.test("batchnorm backward passes: a test-mode cache or a dout of the wrong shape is an error", () => {
  const [, testCache] = batchnormForward(x, ones, zeros, "test", state);
  const [, trainCache] = batchnormForward(x, ones, zeros, "train", state);
  for (const backward of [batchnormBackward, batchnormBackwardClosedForm]) {
    assertThrows(() => backward(x, testCache), Error, "the cache is from a test-mode forward pass");
    assertThrows(
      () => backward(tf.zeros([3, 4]) as tf.Tensor2D, trainCache),
      Error,
      "dout must have the shape",
    );
  }
});

Deno.test("layernorm: bad arguments are errors that name the argument", () => {
  assertThrows(
    () => layernormForward(x, tf.ones([4]) as tf.Tensor1D, zeros),
    Error,
    "gamma must have shape [3]",
  );
  assertThrows(
    () => layernormForward(x, ones, zeros, { eps: -1 }),
    Error,
    "eps must be a number > 0",
  );
  assertThrows(
    () => layernormForward(x, ones, zeros, { momentum: 0.9 } as never),
    Error,
    "unknown option 'momentum'",
  );
  const [, cache] = layernormForward(x, ones, zeros);
  assertThrows(
    () => layernormBackward(tf.zeros([4, 2]) as tf.Tensor2D, cache),
    Error,
    "dout must have the shape",
  );
});

Deno.test("fc net and folding: bad arguments are errors that say what to fix", () => {
  assertThrows(
    () => initFcNet(new Rng(0), [4, 3], { normalization: "batch" as never }),
    Error,
    'normalization must be one of "batchnorm"',
  );
  assertThrows(
    () => initFcNet(new Rng(0), [4, 3], { weightScale: 0 }),
    Error,
    "weightScale must be a number > 0",
  );
  assertThrows(() => initFcNet(new Rng(0), [4]), Error, "dims must be [inputs, hidden…, classes]");
  const bn = initFcNet(new Rng(0), [4, 5, 3], { normalization: "batchnorm" });
  const input = tf.zeros([2, 4]);
  assertThrows(
    () => fcNetScores(bn.params, input, bn.state),
    Error,
    'with normalization "none", params must be W1, b1, W2, b2',
  );
  assertThrows(
    () => fcNetScores(bn.params, input, {}, { normalization: "batchnorm" }),
    Error,
    'with normalization "batchnorm", state must be runningMean1, runningVar1',
  );
  assertThrows(
    () => fcNetForward(bn.params, input, bn.state, "eval" as never, { normalization: "batchnorm" }),
    Error,
    'mode must be "train" or "test", got "eval"',
  );
  assertThrows(() => fcNetModel({ reg: -1 }), Error, "options.reg must be a number ≥ 0");
  assertThrows(
    () => fcNetModel({ normalisation: "batchnorm" } as never),
    Error,
    "did you mean 'normalization'?",
  );
  assertThrows(
    () =>
      fcNetScores({ ...bn.params, gamma1: tf.ones([4]) }, input, bn.state, {
        normalization: "batchnorm",
      }),
    Error,
    "gamma1 must have shape [5]",
  );
  assertThrows(
    () => foldFcNet(bn.params, bn.state, { normalization: "layernorm" }),
    Error,
    "only a batchnorm net",
  );
  assertThrows(
    () =>
      foldBatchnorm(
        { w: tf.zeros([4, 5]) as tf.Tensor2D, b: tf.zeros([4]) as tf.Tensor1D },
        tf.ones([5]) as tf.Tensor1D,
        tf.zeros([5]) as tf.Tensor1D,
        initBatchnormState(5),
      ),
    Error,
    "affine.b must have shape [5]",
  );
  assertThrows(
    () =>
      foldBatchnorm(
        { w: tf.zeros([4, 5]) as tf.Tensor2D, b: tf.zeros([5]) as tf.Tensor1D },
        tf.ones([5]) as tf.Tensor1D,
        tf.zeros([5]) as tf.Tensor1D,
        initBatchnormState(5),
        0,
      ),
    Error,
    "eps must be a number > 0",
  );
});

Deno.test("the Solver trains a batchnorm net: running statistics are state, never updated by the rule", async () => {
  const rng = new Rng(1);
  const data = {
    xTrain: tf.add(randn(rng, [200, 6], 2), 3),
    yTrain: randint(rng, [200], 3),
    xVal: tf.add(randn(rng, [40, 6], 2), 3),
    yVal: randint(rng, [40], 3),
  };
  const options = { normalization: "batchnorm" } as const;
  const { params, state } = initFcNet(rng, [6, 8, 3], options);
  const seen: string[] = [];
  const spy: UpdateRule<OptimConfig & { momentum: number }> = (w, dw, config) => {
    seen.push(w.shape.join("x"));
    return sgdMomentum(w, dw, config);
  };
  const solver = new Solver(fcNetModel(options), params, data, {
    update: spy,
    config: { learningRate: 0.05, momentum: 0.9 },
    batchSize: 20,
    epochs: 2,
    state,
  });
  await solver.train();
  assertEquals(new Set(seen), new Set(["6x8", "8", "8x3", "3"]), "the rule saw W, b, γ and β only");
  const mean = await solver.state.runningMean1.data();
  assert(mean.every((m) => m !== 0), "the running mean moved from its initial 0");
  solver.restoreBest();
  assertEquals(Object.keys(solver.state).sort(), ["runningMean1", "runningVar1"]);
  solver.dispose();
});

Deno.test("experiments: epochsToReach, spread, and the sweep's scales", () => {
  assertEquals(epochsToReach([0.5, 0.8, 0.9], 0.8), 2);
  assertEquals(epochsToReach([0.5, 0.6], 0.8), undefined);
  assertEquals(spread([0.7, 0.75, 0.72]), 0.75 - 0.7);
  assertEquals(SWEEP.scales.length, 20);
  assertEquals(SWEEP.scales[0], 1e-4);
  assertNotEquals(SWEEP.scales[19], 1.01);
  assert(Math.abs(SWEEP.scales[19] - 1) < 1e-12, "the last scale is 1");
});
