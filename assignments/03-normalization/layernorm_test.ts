/**
 * Tests for Task 3: layernorm.ts.
 *
 * Expected values are computed here, in float64, from the formulas. The
 * inputs are non-square (N ≠ D) and their rows have different means and
 * scales, some with a variance below ε, so statistics over the wrong axis,
 * a variance divided by D − 1 or an ε outside the square root show.
 */
import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertLessOrEqual } from "../../lib/assert.ts";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
import { type Matrix, mean, toMatrix, variance } from "../../lib/float64.ts";
import { assertGradientsMatch } from "../../lib/gradcheck.ts";
import { randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import { layernormBackward, layernormForward } from "./layernorm.ts";

const BOTH = { backends: BOTH_BACKENDS };
const CLOSE = { rtol: 1e-4, atol: 1e-5 };

/** n rows of d features, row i with mean means[i % …] and scale stds[i % …]: float32-exact. */
function rows(rng: Rng, d: number, means: number[], stds: number[]): Matrix {
  return means.map((m, i) => Array.from({ length: d }, () => Math.fround(rng.normal(m, stds[i]))));
}

/** Layernorm in float64: each row normalised by its own mean and variance (÷D). */
function layernorm64(x: Matrix, gamma: number[], beta: number[], eps: number): Matrix {
  return x.map((row) => {
    const [mu, v] = [mean(row), variance(row)];
    return row.map((value, j) => gamma[j] * (value - mu) / Math.sqrt(v + eps) + beta[j]);
  });
}

function draw(rng: Rng, n: number, mean = 0, std = 1): number[] {
  return Array.from({ length: n }, () => Math.fround(rng.normal(mean, std)));
}

test(
  "layernormForward: out from the formula, statistics per example",
  { task: 3, points: 5, ...BOTH },
  async () => {
    const rng = new Rng(20);
    // Four examples of seven features; the first with a variance well below ε = 0.05.
    const x = rows(rng, 7, [3, -2, 0.5, 10], [0.1, 2, 0.5, 1]);
    const [gamma, beta] = [draw(rng, 7, 1, 2), draw(rng, 7, 0, 2)];
    const [out] = layernormForward(tf.tensor2d(x), tf.tensor1d(gamma), tf.tensor1d(beta), {
      eps: 0.05,
    });
    assertShape(out, [4, 7], "out");
    await assertAllClose(
      out,
      layernorm64(x, gamma, beta, 0.05),
      CLOSE,
      "out = γ·(x − μₙ)/√(σₙ² + ε) + β with each example's own μₙ and σₙ² (÷D)",
    );
    // With γ = 1 and β = 0 every example comes out with mean 0 and std 1.
    const wide = rows(rng, 200, [5, -100, 0], [3, 20, 0.5]);
    const [unit] = layernormForward(tf.tensor2d(wide), tf.ones([200]), tf.zeros([200]));
    for (const [i, row] of (await toMatrix(unit)).entries()) {
      assertLessOrEqual(Math.abs(mean(row)), 1e-4, `example ${i}: the mean of its output`);
      assertLessOrEqual(
        Math.abs(Math.sqrt(variance(row)) - 1),
        1e-3,
        `example ${i}: the std of its output`,
      );
    }
  },
);

test(
  "layernormForward: an example's output is the same alone or in any batch",
  { task: 3, points: 3 },
  async () => {
    const rng = new Rng(21);
    const x = rows(rng, 6, [1, 2, 3, -4, 5], [1, 0.5, 2, 3, 0.2]);
    const [gamma, beta] = [tf.tensor1d(draw(rng, 6, 1)), tf.tensor1d(draw(rng, 6))];
    const batch = await toMatrix(layernormForward(tf.tensor2d(x), gamma, beta)[0]);
    for (let i = 0; i < x.length; i++) {
      const alone = await toMatrix(layernormForward(tf.tensor2d([x[i]]), gamma, beta)[0]);
      assertEquals(alone[0], batch[i], `example ${i}, alone and in a batch of ${x.length}`);
    }
  },
);

test(
  "layernormBackward passes the gradient check at batch sizes 1, 4 and 50",
  { task: 3, points: 6, ...BOTH },
  async () => {
    for (const [seed, n, d] of [[22, 1, 5], [23, 4, 6], [24, 50, 7]]) {
      const rng = new Rng(seed);
      const inputs = {
        x: tf.add(tf.mul(randn(rng, [n, d]), randn(rng, [n, 1], 2)), randn(rng, [n, 1], 3)),
        gamma: randn(rng, [d], 4),
        beta: randn(rng, [d], 2),
      };
      const forward = ({ x, gamma, beta }: Record<string, tf.Tensor>) =>
        layernormForward(x as tf.Tensor2D, gamma as tf.Tensor1D, beta as tf.Tensor1D, {
          eps: 0.01,
        });
      await assertGradientsMatch({
        name: `layernormBackward, batch of ${n}`,
        f: (p) => forward(p)[0],
        inputs,
        seed,
        backward: (dout) => {
          const { dx, dgamma, dbeta } = layernormBackward(dout as tf.Tensor2D, forward(inputs)[1]);
          assertShape(dx, [n, d], "dx");
          return { x: dx, gamma: dgamma, beta: dbeta };
        },
      });
    }
  },
);
