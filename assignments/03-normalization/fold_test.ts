/**
 * Tests for Task 5: fold.ts. Expected values come from the formulas, in
 * float64, computed here: the folded net's scores are compared with the
 * batchnorm net's test-mode scores without running any of your other code.
 */
import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "../../lib/assert.ts";
import { assertAllClose } from "../../lib/assert_tensor.ts";
import { addRow, map, matMul, type Matrix } from "../../lib/float64.ts";
import { Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import type { FcNetParams, FcNetState } from "./fc_net.ts";
import { foldBatchnorm, foldFcNet } from "./fold.ts";

const CLOSE = { rtol: 1e-4, atol: 1e-5 };

function draw(rng: Rng, n: number, mean = 0, std = 1): number[] {
  return Array.from({ length: n }, () => Math.fround(rng.normal(mean, std)));
}

function matrix(rng: Rng, rows: number, columns: number, mean = 0, std = 1): Matrix {
  return Array.from({ length: rows }, () => draw(rng, columns, mean, std));
}

test(
  "foldBatchnorm: W′ = W·γ/σ and b′ = (b − μ)·γ/σ + β, with σ = √(runningVar + ε)",
  { task: 5, points: 3, backends: BOTH_BACKENDS },
  async () => {
    const rng = new Rng(40);
    const w = matrix(rng, 6, 4);
    const [b, gamma, beta, runningMean] = [
      draw(rng, 4),
      draw(rng, 4, 1),
      draw(rng, 4),
      draw(rng, 4),
    ];
    const runningVar = draw(rng, 4).map((v) => Math.fround(0.01 + v * v));
    const eps = 0.05;
    const folded = foldBatchnorm(
      { w: tf.tensor2d(w), b: tf.tensor1d(b) },
      tf.tensor1d(gamma),
      tf.tensor1d(beta),
      { runningMean: tf.tensor1d(runningMean), runningVar: tf.tensor1d(runningVar) },
      eps,
    );
    const scale = gamma.map((g, j) => g / Math.sqrt(runningVar[j] + eps));
    await assertAllClose(
      folded.w,
      w.map((row) => row.map((v, j) => v * scale[j])),
      CLOSE,
      "W′: column j of W times γⱼ/σⱼ",
    );
    await assertAllClose(
      folded.b,
      b.map((v, j) => (v - runningMean[j]) * scale[j] + beta[j]),
      CLOSE,
      "b′ = (b − runningMean)·γ/σ + β",
    );
  },
);

test(
  "a folded net gives the batchnorm net's test-mode scores, with no normalisation",
  { task: 5, points: 4 },
  async () => {
    // A trained-looking 3-layer batchnorm net: every number away from its initial value.
    const rng = new Rng(41);
    const dims = [12, 9, 8, 3];
    const eps = 1e-3;
    const params: FcNetParams = {}, state: FcNetState = {};
    const bn: {
      W: Matrix;
      b: number[];
      gamma: number[];
      beta: number[];
      mu: number[];
      v: number[];
    }[] = [];
    for (let l = 1; l < dims.length; l++) {
      const [fanIn, fanOut] = [dims[l - 1], dims[l]];
      const layer = {
        W: matrix(rng, fanIn, fanOut, 0, 0.5),
        b: draw(rng, fanOut, 0, 0.5),
        gamma: draw(rng, fanOut, 1, 0.3),
        beta: draw(rng, fanOut, 0.2, 0.5),
        mu: draw(rng, fanOut, 0.5, 1),
        v: draw(rng, fanOut).map((x) => Math.fround(0.2 + x * x)),
      };
      bn.push(layer);
      params[`W${l}`] = tf.tensor2d(layer.W);
      params[`b${l}`] = tf.tensor1d(layer.b);
      if (l === dims.length - 1) continue;
      params[`gamma${l}`] = tf.tensor1d(layer.gamma);
      params[`beta${l}`] = tf.tensor1d(layer.beta);
      state[`runningMean${l}`] = tf.tensor1d(layer.mu);
      state[`runningVar${l}`] = tf.tensor1d(layer.v);
    }
    const x = matrix(rng, 20, dims[0], 2, 3);
    // The batchnorm net at test time, in float64: affine → batchnorm (running statistics) → ReLU.
    let h = x;
    for (const layer of bn.slice(0, -1)) {
      h = map(
        addRow(matMul(h, layer.W), layer.b),
        (a, _, j) =>
          Math.max(
            0,
            layer.gamma[j] * (a - layer.mu[j]) / Math.sqrt(layer.v[j] + eps) + layer.beta[j],
          ),
      );
    }
    const expected = addRow(matMul(h, bn.at(-1)!.W), bn.at(-1)!.b);

    const folded = foldFcNet(params, state, { normalization: "batchnorm", eps });
    assertEquals(
      Object.keys(folded).sort(),
      ["W1", "W2", "W3", "b1", "b2", "b3"],
      "the folded net's parameters: W and b only",
    );
    // The folded net, in float64: affine → ReLU, then the last affine layer.
    let g = x;
    for (let l = 1; l < dims.length; l++) {
      const W = await folded[`W${l}`].array() as Matrix;
      const b = await folded[`b${l}`].array() as number[];
      g = addRow(matMul(g, W), b);
      if (l < dims.length - 1) g = map(g, (v) => Math.max(0, v));
    }
    await assertAllClose(
      tf.tensor2d(g),
      expected,
      CLOSE,
      "scores of the folded net against the batchnorm net's test-mode scores",
    );
  },
);
