/**
 * Tests for Tasks 1–4: optim.ts.
 *
 * Every expected value is computed here, in float64, from the formulas of the
 * course notes — not from the code under test — and compared after each of
 * five steps, the rule's state included. The hyper-parameters are not the
 * usual ones (ε = 1e-4, say), so that a hard-coded default or an ε in the
 * wrong place shows.
 */
import * as tf from "@tensorflow/tfjs";
import { assert, assertAlmostEquals, assertEquals } from "../../lib/assert.ts";
import { assertAllClose } from "../../lib/assert_tensor.ts";
import type { OptimConfig, UpdateRule } from "../../lib/optimizer.ts";
import { readAll } from "../../lib/read.ts";
import { Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import {
  adagrad,
  adam,
  ADAM_DEFAULTS,
  type MomentumConfig,
  nesterov,
  nesterovLookahead,
  rmsprop,
  sgd,
  sgdMomentum,
} from "./optim.ts";

const VALUES = { backends: BOTH_BACKENDS };
const SHAPE = [3, 4];

type Vec = number[];
/** A rule's state in float64: arrays the size of w, and numbers (a step count). */
type State = Record<string, Vec | number>;
/** One float64 step of a rule, coordinate by coordinate: (w, dw, state) → [next w, next state]. */
type Reference = (w: Vec, dw: Vec, state: State) => [Vec, State];

/**
 * A starting point and five gradients, of shape [3, 4], seeded: entries of
 * both signs and of sizes from 1e-3 to 10, each exactly a float32.
 */
function problem(seed: number): { w: Vec; grads: Vec[] } {
  const rng = new Rng(seed);
  const draw = () =>
    Array.from({ length: 12 }, () => Math.fround(rng.normal() * 10 ** rng.uniform(-3, 1)));
  return { w: draw(), grads: Array.from({ length: 5 }, draw) };
}

/**
 * Runs `rule` for five steps and compares w and every state entry with the
 * float64 reference after each step. Also checks that the rule leaves the
 * config it was given as it was.
 */
async function matchesReference<C extends OptimConfig>(
  rule: UpdateRule<C>,
  hyper: C,
  reference: Reference,
  seed: number,
): Promise<void> {
  const { w: w0, grads } = problem(seed);
  let [w, config] = [tf.tensor(w0, SHAPE), hyper];
  let [expectedW, expectedState]: [Vec, State] = [w0, {}];
  for (const [i, g] of grads.entries()) {
    const given = config;
    const snapshot = { ...config };
    [w, config] = rule(w, tf.tensor(g, SHAPE), config);
    assert(
      Object.keys(given).length === Object.keys(snapshot).length &&
        Object.entries(snapshot).every(([key, value]) => given[key] === value),
      "the rule changed the config it was given: return a new one, { ...config, … }",
    );
    [expectedW, expectedState] = reference(expectedW, g, expectedState);
    const step = `after step ${i + 1}`;
    await assertAllClose(w, tf.tensor(expectedW, SHAPE), {}, `w ${step}`);
    for (const [key, value] of Object.entries(expectedState)) {
      const actual = config[key];
      if (typeof value === "number") assertEquals(actual, value, `config.${key} ${step}`);
      else {
        assert(actual instanceof tf.Tensor, `config.${key} ${step} should be a tensor`);
        await assertAllClose(actual, tf.tensor(value, SHAPE), {}, `config.${key} ${step}`);
      }
    }
    for (const [key, value] of Object.entries(hyper)) {
      assertEquals(config[key], value, `config.${key} ${step}: keep the hyper-parameters`);
    }
  }
}

/** Element-wise helpers for the float64 references. */
const map = (n: number, f: (i: number) => number): Vec => Array.from({ length: n }, (_, i) => f(i));
const zeros = (w: Vec): Vec => w.map(() => 0);

test("sgd: w − lr·dw over five steps", { task: 1, points: 5, ...VALUES }, async () => {
  const lr = 0.07;
  await matchesReference(
    sgd,
    { learningRate: lr },
    (w, dw) => [map(w.length, (i) => w[i] - lr * dw[i]), {}],
    1,
  );
});

test(
  "sgdMomentum: v ← μv − lr·dw, w ← w + v over five steps, velocity included",
  { task: 1, points: 7, ...VALUES },
  async () => {
    const [lr, mu] = [0.05, 0.8];
    await matchesReference(sgdMomentum, { learningRate: lr, momentum: mu }, (w, dw, s) => {
      const v0 = (s.velocity as Vec) ?? zeros(w);
      const velocity = map(w.length, (i) => mu * v0[i] - lr * dw[i]);
      return [map(w.length, (i) => w[i] + velocity[i]), { velocity }];
    }, 2);
  },
);

test(
  "nesterov: the rewritten form over five steps, velocity included",
  { task: 2, points: 6, ...VALUES },
  async () => {
    const [lr, mu] = [0.05, 0.8];
    await matchesReference(nesterov, { learningRate: lr, momentum: mu }, (w, dw, s) => {
      const v0 = (s.velocity as Vec) ?? zeros(w);
      const velocity = map(w.length, (i) => mu * v0[i] - lr * dw[i]);
      return [map(w.length, (i) => w[i] - mu * v0[i] + (1 + mu) * velocity[i]), { velocity }];
    }, 3);
  },
);

test(
  "nesterovLookahead: the gradient is taken at x + μv, over five steps",
  { task: 2, points: 5, ...VALUES },
  async () => {
    // f(x) = ½ Σ aᵢ·xᵢ²: curvatures from 0.1 to 10, so ∇f(x + μv) differs from ∇f(x).
    const { w: start } = problem(4);
    const a = map(12, (i) => 0.1 * 100 ** (i / 11));
    const gradient = (x: tf.Tensor) => tf.mul(x, tf.tensor(a, SHAPE));
    const [lr, mu] = [0.15, 0.7];
    let x: tf.Tensor = tf.tensor(start, SHAPE);
    let config: MomentumConfig = { learningRate: lr, momentum: mu };
    let [expectedX, expectedV] = [start, zeros(start)];
    for (let step = 1; step <= 5; step++) {
      [x, config] = nesterovLookahead(x, gradient, config);
      const g = map(12, (i) => a[i] * (expectedX[i] + mu * expectedV[i]));
      expectedV = map(12, (i) => mu * expectedV[i] - lr * g[i]);
      expectedX = map(12, (i) => expectedX[i] + expectedV[i]);
      await assertAllClose(x, tf.tensor(expectedX, SHAPE), {}, `x after step ${step}`);
      await assertAllClose(
        config.velocity as tf.Tensor,
        tf.tensor(expectedV, SHAPE),
        {},
        `velocity after step ${step}`,
      );
    }
  },
);

test(
  "the two Nesterov forms visit the same points: nesterov's w = nesterovLookahead's x + μv",
  { task: 2, points: 5 },
  async () => {
    // On f(x) = ½ Σ aᵢ·xᵢ², from the same start, for 30 steps.
    const { w: start } = problem(5);
    const a = tf.tensor(map(12, (i) => 0.1 * 100 ** (i / 11)), SHAPE);
    const gradient = (x: tf.Tensor) => tf.mul(x, a);
    const hyper: MomentumConfig = { learningRate: 0.1, momentum: 0.9 };
    let [x, configX] = [tf.tensor(start, SHAPE), hyper];
    let [w, configW] = [tf.tensor(start, SHAPE), hyper];
    for (let step = 1; step <= 30; step++) {
      [x, configX] = nesterovLookahead(x, gradient, configX);
      [w, configW] = nesterov(w, gradient(w), configW);
      const lookahead = tf.add(x, tf.mul(0.9, configX.velocity as tf.Tensor));
      await assertAllClose(w, lookahead, { rtol: 1e-4, atol: 1e-5 }, `w after step ${step}`);
    }
  },
);

test(
  "adagrad: cache ← cache + dw², w ← w − lr·dw/(√cache + ε) over five steps",
  { task: 3, points: 6, ...VALUES },
  async () => {
    const [lr, eps] = [0.05, 1e-4];
    await matchesReference(adagrad, { learningRate: lr, epsilon: eps }, (w, dw, s) => {
      const c0 = (s.cache as Vec) ?? zeros(w);
      const cache = map(w.length, (i) => c0[i] + dw[i] ** 2);
      return [map(w.length, (i) => w[i] - (lr * dw[i]) / (Math.sqrt(cache[i]) + eps)), { cache }];
    }, 6);
  },
);

test(
  "adagrad's effective step shrinks like lr/√t under a constant gradient",
  { task: 3, points: 3, ...VALUES },
  async () => {
    const lr = 0.1;
    const dw = tf.tensor([1e-3, -0.1, 5, -200]);
    let w: tf.Tensor = tf.zeros([4]);
    let config = { learningRate: lr, epsilon: 1e-8 };
    const points = [w];
    for (let t = 1; t <= 8; t++) {
      [w, config] = adagrad(w, dw, config);
      points.push(w);
    }
    const values = await readAll(points);
    for (let t = 1; t <= 8; t++) {
      for (let i = 0; i < 4; i++) {
        const step = Math.abs(values[t][i] - values[t - 1][i]);
        assertAlmostEquals(step, lr / Math.sqrt(t), 2e-3 * lr, `|step ${t}| of coordinate ${i}`);
      }
    }
  },
);

test(
  "rmsprop: cache ← ρ·cache + (1 − ρ)·dw², w ← w − lr·dw/(√cache + ε) over five steps",
  { task: 3, points: 6, ...VALUES },
  async () => {
    const [lr, rho, eps] = [0.01, 0.9, 1e-4];
    await matchesReference(
      rmsprop,
      { learningRate: lr, decayRate: rho, epsilon: eps },
      (w, dw, s) => {
        const c0 = (s.cache as Vec) ?? zeros(w);
        const cache = map(w.length, (i) => rho * c0[i] + (1 - rho) * dw[i] ** 2);
        return [
          map(w.length, (i) => w[i] - (lr * dw[i]) / (Math.sqrt(cache[i]) + eps)),
          { cache },
        ];
      },
      7,
    );
  },
);

test(
  "adam: moments, bias correction with t from 1, and the step, over five steps",
  { task: 4, points: 8, ...VALUES },
  async () => {
    const [lr, b1, b2, eps] = [0.01, 0.8, 0.95, 1e-4];
    await matchesReference(
      adam,
      { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps },
      (w, dw, s) => {
        const t = ((s.t as number) ?? 0) + 1;
        const [m0, v0] = [(s.m as Vec) ?? zeros(w), (s.v as Vec) ?? zeros(w)];
        const m = map(w.length, (i) => b1 * m0[i] + (1 - b1) * dw[i]);
        const v = map(w.length, (i) => b2 * v0[i] + (1 - b2) * dw[i] ** 2);
        const next = map(w.length, (i) => {
          const [mHat, vHat] = [m[i] / (1 - b1 ** t), v[i] / (1 - b2 ** t)];
          return w[i] - (lr * mHat) / (Math.sqrt(vHat) + eps);
        });
        return [next, { m, v, t }];
      },
      8,
    );
  },
);

test(
  "adam's first step moves every coordinate by ≈ lr, whatever its gradient's size",
  { task: 4, points: 4, ...VALUES },
  async () => {
    const dw = tf.tensor([1e-3, -1e-2, 0.1, -1, 10, -100, 1000]);
    const w0 = tf.tensor([0.5, -0.25, 1, 2, -1, 0, 0.125]);
    const [w1, config] = adam(w0, dw, { ...ADAM_DEFAULTS, learningRate: 0.01 });
    assertEquals(config.t, 1, "t counts steps from 1");
    const [before, after, g] = await readAll([w0, w1, dw]);
    for (let i = 0; i < 7; i++) {
      const step = after[i] - before[i];
      assertAlmostEquals(step, -0.01 * Math.sign(g[i]), 1e-5, `step of coordinate ${i}`);
    }
  },
);
