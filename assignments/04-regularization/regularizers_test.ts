/**
 * Tests for Task 3: regularizers.ts.
 *
 * The expected penalties, gradients and constrained weights are computed
 * here, in float64, from the formulas. The weight matrices are not square
 * (a norm over the wrong axis shows), hold exact zeros (sign(0) = 0), and
 * sit beside biases, γ and β, which must not be penalised.
 */
import * as tf from "@tensorflow/tfjs";
import { assert, assertAlmostEquals, assertEquals, assertLessOrEqual } from "../../lib/assert.ts";
import { assertAllClose } from "../../lib/assert_tensor.ts";
import { type Matrix, toMatrix } from "../../lib/float64.ts";
import { assertGradientsMatch, chainScalar } from "../../lib/gradcheck.ts";
import type { UpdateRule } from "../../lib/optimizer.ts";
import { randint, randn, Rng } from "../../lib/random.ts";
import type { Params } from "../../lib/solver.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import { fcNetLoss, type FcNetOptions, initFcNet } from "./fc_net.ts";
import { maxNorm, weightPenalty, withMaxNorm } from "./regularizers.ts";

const BOTH = { backends: BOTH_BACKENDS };
const CLOSE = { rtol: 1e-5, atol: 1e-6 };

/** An [n, m] matrix of float32-exact values; about one in five is exactly 0 if `zeros`. */
function weights(rng: Rng, n: number, m: number, zeros = false): Matrix {
  return Array.from(
    { length: n },
    () =>
      Array.from(
        { length: m },
        () => (zeros && rng.uniform() < 0.2 ? 0 : Math.fround(rng.normal(0, 1.5))),
      ),
  );
}

/** A net's parameters: two weight matrices (5×7, 7×3) with biases, γ and β, as float64 and tensors. */
function makeParams(seed: number, zeros: boolean) {
  const rng = new Rng(seed);
  const W = [weights(rng, 5, 7, zeros), weights(rng, 7, 3, zeros)];
  const params: Params = {
    W1: tf.tensor2d(W[0]),
    b1: randn(rng, [7], 1, 2),
    gamma1: randn(rng, [7], 1, 1),
    beta1: randn(rng, [7], 1, 1),
    W2: tf.tensor2d(W[1]),
    b2: randn(rng, [3], 1, 2),
  };
  return { W, params };
}

/** ½·reg·Σw² + l1·Σ|w| over the matrices, in float64. */
function penalty64(W: Matrix[], reg: number, l1: number): number {
  let total = 0;
  for (const w of W.flat(2)) total += 0.5 * reg * w * w + l1 * Math.abs(w);
  return total;
}

/** reg·w + l1·sign(w), in float64. */
function gradient64(w: Matrix, reg: number, l1: number): Matrix {
  return w.map((row) => row.map((v) => reg * v + l1 * Math.sign(v)));
}

/** The Euclidean norm of each column. */
function columnNorms(w: Matrix): number[] {
  return w[0].map((_, j) => Math.sqrt(w.reduce((sum, row) => sum + row[j] * row[j], 0)));
}

test(
  "weightPenalty: penalty and gradients from the formulas, on the weights only",
  { task: 3, points: 4, ...BOTH },
  async () => {
    const { W, params } = makeParams(50, true);
    for (const [reg, l1] of [[0.3, 0.07], [0.3, 0], [0, 0.07]]) {
      const what = `reg = ${reg}, l1 = ${l1}`;
      const { penalty, grads } = weightPenalty(params, { reg, l1 });
      assertAlmostEquals(
        (await penalty.data())[0],
        penalty64(W, reg, l1),
        1e-4 * penalty64(W, reg, l1),
        `${what}: penalty = Σ over W1, W2 of ½·reg·Σw² + l1·Σ|w|`,
      );
      assertEquals(
        Object.keys(grads).sort(),
        ["W1", "W2"],
        `${what}: gradients for the weights only (no b, γ, β)`,
      );
      for (const [k, name] of ["W1", "W2"].entries()) {
        await assertAllClose(
          grads[name],
          gradient64(W[k], reg, l1),
          CLOSE,
          `${what}: d${name} = reg·w + l1·sign(w), with sign(0) = 0`,
        );
      }
    }
  },
);

test(
  "weightPenalty passes the gradient check (L2 and L1 together)",
  { task: 3, points: 3, ...BOTH },
  async () => {
    const { params } = makeParams(51, false);
    const options = { reg: 0.4, l1: 0.2 };
    const weightsOnly = { W1: params.W1, W2: params.W2 };
    await assertGradientsMatch({
      name: "weightPenalty",
      f: (p) => weightPenalty({ ...params, ...p }, options).penalty,
      inputs: weightsOnly,
      seed: 51,
      backward: (dout) => chainScalar(dout, weightPenalty(params, options).grads),
    });
  },
);

test(
  "maxNorm: columns over c are scaled to norm c, columns within c are left exactly as they were",
  { task: 3, points: 4, ...BOTH },
  async () => {
    const rng = new Rng(52);
    const c = 2;
    // Six units of four inputs each, with norms c/4, 3c, c/2, c·1.01, 10c and 0.
    const scales = [0.25, 3, 0.5, 1.01, 10, 0];
    const w = weights(rng, 4, 6);
    const norms = columnNorms(w);
    const target = w.map((row) =>
      row.map((v, j) => Math.fround((v / norms[j]) * scales[j] * c) || 0)
    );
    const out = await toMatrix(maxNorm(tf.tensor2d(target), c));
    const given = columnNorms(target);
    const expected = target.map((row) => row.map((v, j) => v * Math.min(1, c / given[j] || 1)));
    for (const [j, norm] of columnNorms(out).entries()) {
      assertLessOrEqual(
        norm,
        c * (1 + 1e-6),
        `unit ${j} (incoming norm ${given[j].toFixed(3)}): its norm after max-norm is ≤ c = ${c}`,
      );
    }
    await assertAllClose(
      tf.tensor2d(out),
      expected,
      CLOSE,
      "w′ = w·min(1, c/‖column‖): columns over c scaled down to c, the others unchanged",
    );
    for (const j of [0, 2, 5]) {
      assertEquals(
        out.map((row) => row[j]),
        target.map((row) => row[j]),
        `unit ${j} (norm ${
          given[j].toFixed(3)
        } ≤ c): its incoming weights are untouched, bit for bit`,
      );
    }
  },
);

test(
  "withMaxNorm: after an update step every unit's incoming weight norm is ≤ c; units within c, and biases, are as the step left them",
  { task: 3, points: 2 },
  async () => {
    const c = 1.5;
    const sgd: UpdateRule = (w, dw, config) => [tf.sub(w, tf.mul(config.learningRate, dw)), config];
    const rule = withMaxNorm(sgd, c);
    const rng = new Rng(53);
    const w = tf.tensor2d(weights(rng, 9, 5).map((row) => row.map((v) => v * 0.2)));
    const dw = tf.tensor2d(weights(rng, 9, 5).map((row) => row.map((v, j) => (j < 2 ? v : 0))));
    const [next] = rule(w, dw, { learningRate: 1 });
    const [plain] = sgd(w, dw, { learningRate: 1 });
    const stepped = await toMatrix(plain);
    const out = await toMatrix(next);
    for (const [j, norm] of columnNorms(stepped).entries()) {
      const after = columnNorms(out)[j];
      assertLessOrEqual(
        after,
        c * (1 + 1e-6),
        `unit ${j}: norm ${after.toFixed(4)} ≤ c after the step`,
      );
      if (norm <= c) {
        assertEquals(
          out.map((row) => row[j]),
          stepped.map((row) => row[j]),
          `unit ${j} (norm ${norm.toFixed(3)} ≤ c after the step): exactly as the step left it`,
        );
      } else {
        assertAlmostEquals(after, c, 1e-5, `unit ${j} (norm ${norm.toFixed(3)}): scaled to c`);
      }
    }
    assert(
      columnNorms(stepped).some((norm) => norm > c),
      "precondition: the step pushes some unit past c",
    );
    const b = tf.tensor1d([10, -20, 30]);
    const [nextB] = rule(b, tf.zerosLike(b), { learningRate: 1 });
    assertEquals(Array.from(await nextB.data()), [10, -20, 30], "a bias is not constrained");
  },
);

test(
  "fcNetLoss adds ½·reg·Σ‖W‖² + l1·Σ|W| to the loss and reg·W + l1·sign(W) to each weight's gradient",
  { task: 3, points: 3, ...BOTH },
  async () => {
    const rng = new Rng(54);
    const dims = [6, 8, 5, 3];
    const { params, state } = initFcNet(rng, dims, { normalization: "batchnorm" });
    const x = randn(rng, [10, 6]);
    const y = randint(rng, [10], 3);
    const base: FcNetOptions = { normalization: "batchnorm", keepProbability: 0.8 };
    const [reg, l1] = [0.5, 0.03];
    const plain = fcNetLoss(params, x, y, state, base, new Rng(55));
    const penalised = fcNetLoss(params, x, y, state, { ...base, reg, l1 }, new Rng(55));
    const W = await Promise.all([1, 2, 3].map((l) => toMatrix(params[`W${l}`])));
    const extra = (await penalised.loss.data())[0] - (await plain.loss.data())[0];
    assertAlmostEquals(
      extra,
      penalty64(W, reg, l1),
      1e-4 * penalty64(W, reg, l1),
      "loss with penalties − loss without = Σₗ ½·reg·‖Wₗ‖² + l1·Σ|Wₗ|",
    );
    for (const key of Object.keys(params)) {
      const l = Number(key.slice(1));
      const expected = key.startsWith("W")
        ? tf.add(plain.grads[key], tf.tensor2d(gradient64(W[l - 1], reg, l1)))
        : plain.grads[key];
      await assertAllClose(
        penalised.grads[key],
        expected,
        { rtol: 1e-4, atol: 1e-5 },
        key.startsWith("W")
          ? `d${key}: the data gradient + reg·${key} + l1·sign(${key})`
          : `d${key}: not penalised, the data gradient alone`,
      );
    }
  },
);
