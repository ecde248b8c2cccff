/**
 * Tests for Tasks 1 and 2: batchnorm.ts.
 *
 * Every expected value is computed here, in float64, from the formulas of
 * the handout — never by calling the code under test. The inputs are
 * non-square (N ≠ D), so statistics over the wrong axis show; their columns
 * have different means and scales, some with a variance below ε, so an ε
 * outside the square root shows; ε and the momentum are not the defaults,
 * and the running statistics do not start at 0 and 1.
 */
import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertLessOrEqual } from "../../lib/assert.ts";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
import {
  columnMeans,
  columnVariances,
  type Matrix,
  toMatrix,
  toVector,
} from "../../lib/float64.ts";
import { assertGradientsMatch } from "../../lib/gradcheck.ts";
import { randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import {
  batchnormBackward,
  batchnormBackwardClosedForm,
  batchnormForward,
  type BatchnormState,
  type NormGrads,
} from "./batchnorm.ts";

const BOTH = { backends: BOTH_BACKENDS };
/** float32 against float64, for values of order 1. */
const CLOSE = { rtol: 1e-4, atol: 1e-5 };

/** Numbers drawn from the seed, each exactly a float32. */
function draw(rng: Rng, n: number, mean = 0, std = 1): number[] {
  return Array.from({ length: n }, () => Math.fround(rng.normal(mean, std)));
}

/** A batch [n, d] whose column j has mean means[j] and scale stds[j]: float32-exact rows. */
function columns(rng: Rng, n: number, means: number[], stds: number[]): Matrix {
  return Array.from({ length: n }, () => means.map((m, j) => Math.fround(rng.normal(m, stds[j]))));
}

/** (x − μ)/√(σ² + ε)·γ + β, per column, in float64. */
function normalize64(
  x: Matrix,
  mean: number[],
  variance: number[],
  gamma: number[],
  beta: number[],
  eps: number,
): Matrix {
  return x.map((row) =>
    row.map((v, j) => gamma[j] * (v - mean[j]) / Math.sqrt(variance[j] + eps) + beta[j])
  );
}

/** momentum·running + (1 − momentum)·batch, element by element. */
function average64(running: number[], batch: number[], momentum: number): number[] {
  return running.map((r, j) => momentum * r + (1 - momentum) * batch[j]);
}

/** A state from float64 values (each a float32). */
function stateOf(runningMean: number[], runningVar: number[]): BatchnormState {
  return { runningMean: tf.tensor1d(runningMean), runningVar: tf.tensor1d(runningVar) };
}

// Seven examples of four features: one column with variance well below ε = 0.05.
const MEANS = [3, -2, 0.5, 10];
const STDS = [0.1, 2, 0.5, 1];
const EPS = 0.05;
const MOMENTUM = 0.7;

test(
  "batchnormForward, train mode: out and the next running statistics from the formulas",
  { task: 1, points: 6, ...BOTH },
  async () => {
    const rng = new Rng(0);
    const x = columns(rng, 7, MEANS, STDS);
    const [gamma, beta] = [draw(rng, 4, 1, 2), draw(rng, 4, 0, 2)];
    const [runningMean, runningVar] = [draw(rng, 4, 1, 1), draw(rng, 4).map((v) => 0.5 + v * v)];
    const state = stateOf(runningMean, runningVar);
    const [out, cache, next] = batchnormForward(
      tf.tensor2d(x),
      tf.tensor1d(gamma),
      tf.tensor1d(beta),
      "train",
      state,
      { eps: EPS, momentum: MOMENTUM },
    );
    const [mean, variance] = [columnMeans(x), columnVariances(x)];
    assertShape(out, [7, 4], "out");
    await assertAllClose(
      out,
      normalize64(x, mean, variance, gamma, beta, EPS),
      CLOSE,
      "out = γ·(x − μ)/√(σ² + ε) + β with the batch's μ and σ² (÷N), per feature",
    );
    assertEquals(cache.mode, "train", "cache.mode");
    await assertAllClose(
      next.runningMean,
      average64(runningMean, mean, MOMENTUM),
      CLOSE,
      "next runningMean = momentum·runningMean + (1 − momentum)·μ",
    );
    await assertAllClose(
      next.runningVar,
      average64(runningVar, variance, MOMENTUM),
      CLOSE,
      "next runningVar = momentum·runningVar + (1 − momentum)·σ² (σ² ÷N)",
    );
    assert(
      next.runningMean !== state.runningMean && next.runningVar !== state.runningVar,
      "train mode returns new running statistics (new tensors)",
    );
    await assertAllClose(state.runningMean, runningMean, {}, "the state given is left as it was");
    await assertAllClose(state.runningVar, runningVar, {}, "the state given is left as it was");
  },
);

test(
  "batchnormForward, train mode: each feature of out has mean β and std γ",
  { task: 1, points: 3 },
  async () => {
    // 300 examples of 5 features on wildly different scales; ε = 1e-5 is negligible here.
    const rng = new Rng(1);
    const x = columns(rng, 300, [5, -3, 0, 100, 0.01], [3, 0.2, 1, 20, 0.1]);
    const gamma = [0.5, 2, 3, 1.5, 0.2], beta = [-1, 0, 2, 5, 0.3];
    const [out] = batchnormForward(
      tf.tensor2d(x),
      tf.tensor1d(gamma),
      tf.tensor1d(beta),
      "train",
      stateOf([0, 0, 0, 0, 0], [1, 1, 1, 1, 1]),
    );
    const values = await toMatrix(out);
    const [mean, std] = [columnMeans(values), columnVariances(values).map(Math.sqrt)];
    for (let j = 0; j < 5; j++) {
      assertLessOrEqual(
        Math.abs(mean[j] - beta[j]),
        1e-4 * Math.max(1, Math.abs(beta[j])),
        `feature ${j}: mean of out is ${mean[j]}, expected β = ${beta[j]} (within 1e-4)`,
      );
      assertLessOrEqual(
        Math.abs(std[j] - gamma[j]),
        1e-3 * gamma[j],
        `feature ${j}: std of out is ${std[j]}, expected γ = ${gamma[j]} (within 0.1%)`,
      );
    }
  },
);

test(
  "batchnormForward, test mode: the running statistics only, deterministic, state unchanged",
  { task: 1, points: 5, ...BOTH },
  async () => {
    const rng = new Rng(2);
    const x = columns(rng, 6, MEANS, STDS);
    const [gamma, beta] = [draw(rng, 4, 1, 2), draw(rng, 4, 0, 2)];
    const [runningMean, runningVar] = [draw(rng, 4, 1, 1), draw(rng, 4).map((v) => 0.02 + v * v)];
    const state = stateOf(runningMean, runningVar);
    const forward = (rows: Matrix) =>
      batchnormForward(tf.tensor2d(rows), tf.tensor1d(gamma), tf.tensor1d(beta), "test", state, {
        eps: EPS,
        momentum: MOMENTUM,
      });
    const [out, cache, next] = forward(x);
    await assertAllClose(
      out,
      normalize64(x, runningMean, runningVar, gamma, beta, EPS),
      CLOSE,
      "test-mode out = γ·(x − runningMean)/√(runningVar + ε) + β",
    );
    assertEquals(cache.mode, "test", "cache.mode");
    await assertAllClose(
      next.runningMean,
      runningMean,
      {},
      "test mode leaves runningMean as it was",
    );
    await assertAllClose(next.runningVar, runningVar, {}, "test mode leaves runningVar as it was");
    await assertAllClose(state.runningMean, runningMean, {}, "the state given is left as it was");
    const again = await toVector(forward(x)[0]);
    assertEquals(again, await toVector(out), "two test-mode passes give bit-identical outputs");
    const alone = await toMatrix(forward([x[3]])[0]);
    assertEquals(
      alone[0],
      (await toMatrix(out))[3],
      "an example's test-mode output does not depend on the rest of its batch",
    );
  },
);

test(
  "batchnormForward: the running statistics over five training steps",
  { task: 1, points: 4 },
  async () => {
    const rng = new Rng(3);
    const [gamma, beta] = [tf.tensor1d(draw(rng, 4, 1)), tf.tensor1d(draw(rng, 4))];
    let state = stateOf([0, 0, 0, 0], [1, 1, 1, 1]);
    let [mean64, var64] = [[0, 0, 0, 0], [1, 1, 1, 1]];
    for (let step = 1; step <= 5; step++) {
      const x = columns(rng, 9, MEANS, STDS);
      [, , state] = batchnormForward(tf.tensor2d(x), gamma, beta, "train", state, {
        momentum: 0.6,
      });
      mean64 = average64(mean64, columnMeans(x), 0.6);
      var64 = average64(var64, columnVariances(x), 0.6);
      await assertAllClose(state.runningMean, mean64, CLOSE, `runningMean after step ${step}`);
      await assertAllClose(state.runningVar, var64, CLOSE, `runningVar after step ${step}`);
    }
  },
);

/** The batchnorm of a gradient check: N examples, D features, γ far from 1, ε = 0.01. */
function gradientCase(seed: number, n: number, d: number) {
  const rng = new Rng(seed);
  const inputs = {
    x: tf.add(tf.mul(randn(rng, [n, d]), randn(rng, [d], 2)), randn(rng, [d], 3)),
    // γ from −6 to 6, never near 1's comfort: a gradient that forgets γ fails.
    gamma: randn(rng, [d], 4),
    beta: randn(rng, [d], 2),
  };
  const state = stateOf(draw(rng, d), draw(rng, d).map((v) => 1 + v * v));
  const forward = ({ x, gamma, beta }: Record<string, tf.Tensor>) =>
    batchnormForward(
      x as tf.Tensor2D,
      gamma as tf.Tensor1D,
      beta as tf.Tensor1D,
      "train",
      state,
      { eps: 0.01 },
    );
  return { inputs, forward };
}

/** Gradient checks of one backward pass at batch sizes 2, 4 and 50. */
async function checkBackward(
  name: string,
  backward: (dout: tf.Tensor2D, cache: ReturnType<typeof batchnormForward>[1]) => NormGrads,
): Promise<void> {
  for (const [seed, n, d] of [[10, 2, 3], [11, 4, 5], [12, 50, 7]]) {
    const { inputs, forward } = gradientCase(seed, n, d);
    await assertGradientsMatch({
      name: `${name}, batch of ${n}`,
      f: (p) => forward(p)[0],
      inputs,
      seed,
      backward: (dout) => {
        const { dx, dgamma, dbeta } = backward(dout as tf.Tensor2D, forward(inputs)[1]);
        assertShape(dx, [n, d], "dx");
        return { x: dx, gamma: dgamma, beta: dbeta };
      },
    });
  }
}

test(
  "batchnormBackward (the graph) passes the gradient check at batch sizes 2, 4 and 50",
  { task: 2, points: 8, ...BOTH },
  async () => {
    await checkBackward("batchnormBackward", batchnormBackward);
  },
);

test(
  "batchnormBackwardClosedForm passes the gradient check at batch sizes 2, 4 and 50",
  { task: 2, points: 6, ...BOTH },
  async () => {
    await checkBackward("batchnormBackwardClosedForm", batchnormBackwardClosedForm);
  },
);

test(
  "the graph and the closed form agree to float32 rounding",
  { task: 2, points: 3, ...BOTH },
  async () => {
    const { inputs, forward } = gradientCase(13, 64, 33);
    const cache = forward(inputs)[1];
    const dout = randn(new Rng(14), [64, 33]) as tf.Tensor2D;
    const graph = batchnormBackward(dout, cache);
    const closed = batchnormBackwardClosedForm(dout, cache);
    for (const key of ["dx", "dgamma", "dbeta"] as const) {
      const scale = Math.max(...(await toVector(tf.abs(graph[key]))));
      await assertAllClose(
        closed[key],
        graph[key],
        { rtol: 1e-4, atol: 1e-5 * scale },
        `${key}: closed form against the graph`,
      );
    }
  },
);
