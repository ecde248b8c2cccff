/**
 * Tests for Task 4: spatial_norm.ts.
 *
 * Expected values are computed here in float64 from the formulas. The images
 * are non-square with N ≠ H ≠ W ≠ C, and their channels have different means
 * and scales, so statistics over the wrong axes show; ε, the momentum and the
 * starting running statistics are not the defaults.
 */
import * as tf from "@tensorflow/tfjs";
import { assertAllClose } from "../../lib/assert_tensor.ts";
import { type Array4, fromArray4, index4, toArray4, toVector, zeros4 } from "../../lib/float64.ts";
import { assertGradientsMatch } from "../../lib/gradcheck.ts";
import { randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import {
  spatialBatchnormBackward,
  spatialBatchnormForward,
  spatialGroupnormBackward,
  spatialGroupnormForward,
} from "./spatial_norm.ts";

const CLOSE = { rtol: 1e-4, atol: 1e-4 };
const OPTIONS = { eps: 0.05, momentum: 0.7 };

/** Images [N, H, W, C] = [3, 4, 5, 6] whose channel c has mean c − 2 and scale 1 + c/2. */
function images(seed: number): tf.Tensor4D {
  const x = randn(new Rng(seed), [3, 4, 5, 6]);
  return tf.add(tf.mul(x, tf.linspace(1, 3.5, 6)), tf.linspace(-2, 3, 6)) as tf.Tensor4D;
}

function perChannel(seed: number): { gamma: tf.Tensor1D; beta: tf.Tensor1D } {
  const rng = new Rng(seed);
  return {
    gamma: tf.add(randn(rng, [6], 0.3), 1) as tf.Tensor1D,
    beta: randn(rng, [6]) as tf.Tensor1D,
  };
}

/** Running statistics that are not the defaults 0 and 1. */
function runningState() {
  return {
    runningMean: tf.linspace(0.5, -0.5, 6) as tf.Tensor1D,
    runningVar: tf.linspace(0.5, 2, 6) as tf.Tensor1D,
  };
}

/**
 * Normalisation from the definition: the values of x whose group key is the
 * same share a mean and a variance (÷ count); then γ_c·x̂ + β_c.
 */
function normalize64(
  x: Array4,
  gamma: number[],
  beta: number[],
  eps: number,
  group: (n: number, c: number) => string,
  stats?: { mean: number[]; variance: number[] },
): { out: Array4; mean: Map<string, number>; variance: Map<string, number> } {
  const { shape: [n, h, w, c] } = x;
  const sums = new Map<string, number[]>();
  for (let e = 0; e < n; e++) {
    for (let y = 0; y < h; y++) {
      for (let z = 0; z < w; z++) {
        for (let ch = 0; ch < c; ch++) {
          const key = group(e, ch);
          const list = sums.get(key) ?? [];
          list.push(x.data[index4(x.shape, e, y, z, ch)]);
          sums.set(key, list);
        }
      }
    }
  }
  const mean = new Map<string, number>(), variance = new Map<string, number>();
  for (const [key, values] of sums) {
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    mean.set(key, m);
    variance.set(key, values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length);
  }
  const out = zeros4(x.shape);
  x.data.forEach((v, i) => {
    const ch = i % c, e = Math.floor(i / (h * w * c));
    const key = group(e, ch);
    const [m, s2] = stats
      ? [stats.mean[ch], stats.variance[ch]]
      : [mean.get(key)!, variance.get(key)!];
    out.data[i] = gamma[ch] * (v - m) / Math.sqrt(s2 + eps) + beta[ch];
  });
  return { out, mean, variance };
}

test(
  "spatialBatchnormForward, train: statistics per channel over N, H and W; running statistics updated",
  { task: 4, points: 3 },
  async () => {
    const x = images(0);
    const { gamma, beta } = perChannel(1);
    const state = runningState();
    const [out, , next] = spatialBatchnormForward(x, gamma, beta, "train", state, OPTIONS);
    const [g, b] = [await toVector(gamma), await toVector(beta)];
    const expected = normalize64(await toArray4(x), g, b, OPTIONS.eps, (_n, c) => `${c}`);
    await assertAllClose(out, fromArray4(expected.out), CLOSE, "out");
    const [m0, v0] = [await toVector(state.runningMean), await toVector(state.runningVar)];
    const mix = (old: number[], batch: Map<string, number>) =>
      old.map((o, c) => OPTIONS.momentum * o + (1 - OPTIONS.momentum) * batch.get(`${c}`)!);
    await assertAllClose(next.runningMean, mix(m0, expected.mean), CLOSE, "the next runningMean");
    await assertAllClose(next.runningVar, mix(v0, expected.variance), CLOSE, "the next runningVar");
  },
);

test(
  "spatialBatchnormForward, test: normalises with the running statistics",
  { task: 4, points: 2 },
  async () => {
    const x = images(2);
    const { gamma, beta } = perChannel(3);
    const state = runningState();
    const [out] = spatialBatchnormForward(x, gamma, beta, "test", state, OPTIONS);
    const stats = {
      mean: await toVector(state.runningMean),
      variance: await toVector(state.runningVar),
    };
    const [g, b] = [await toVector(gamma), await toVector(beta)];
    const expected = normalize64(await toArray4(x), g, b, OPTIONS.eps, (_n, c) => `${c}`, stats);
    await assertAllClose(out, fromArray4(expected.out), CLOSE, "out in test mode");
  },
);

test(
  "spatialBatchnormBackward passes the gradient check, in train and in test mode",
  { task: 4, points: 3, backends: BOTH_BACKENDS },
  async () => {
    const x = images(4);
    const { gamma, beta } = perChannel(5);
    for (const mode of ["train", "test"] as const) {
      const forward = (p: Record<string, tf.Tensor>) =>
        spatialBatchnormForward(
          p.x as tf.Tensor4D,
          p.gamma as tf.Tensor1D,
          p.beta as tf.Tensor1D,
          mode,
          runningState(),
          OPTIONS,
        );
      await assertGradientsMatch({
        name: `spatialBatchnormBackward (${mode} mode)`,
        f: (p) => forward(p)[0],
        inputs: { x, gamma, beta },
        maxCoordinates: 120,
        backward: (dout) => {
          const { dx, dgamma, dbeta } = spatialBatchnormBackward(
            dout as tf.Tensor4D,
            forward({ x, gamma, beta })[1],
          );
          return { x: dx, gamma: dgamma, beta: dbeta };
        },
      });
    }
  },
);

test(
  "spatialGroupnormForward: statistics per example and group of channels",
  { task: 4, points: 3 },
  async () => {
    const x = images(6);
    const { gamma, beta } = perChannel(7);
    const [g, b] = [await toVector(gamma), await toVector(beta)];
    for (const groups of [2, 3]) {
      const [out] = spatialGroupnormForward(x, gamma, beta, groups, { eps: OPTIONS.eps });
      const group = (n: number, c: number) => `${n}/${Math.floor((c * groups) / 6)}`;
      const expected = normalize64(await toArray4(x), g, b, OPTIONS.eps, group);
      await assertAllClose(
        out,
        fromArray4(expected.out),
        CLOSE,
        `out, ${groups} groups`,
      );
    }
  },
);

test(
  "spatialGroupnormBackward passes the gradient check",
  { task: 4, points: 3, backends: BOTH_BACKENDS },
  async () => {
    const x = images(8);
    const { gamma, beta } = perChannel(9);
    const forward = (p: Record<string, tf.Tensor>) =>
      spatialGroupnormForward(
        p.x as tf.Tensor4D,
        p.gamma as tf.Tensor1D,
        p.beta as tf.Tensor1D,
        3,
        { eps: OPTIONS.eps },
      );
    await assertGradientsMatch({
      name: "spatialGroupnormBackward",
      f: (p) => forward(p)[0],
      inputs: { x, gamma, beta },
      maxCoordinates: 120,
      backward: (dout) => {
        const { dx, dgamma, dbeta } = spatialGroupnormBackward(
          dout as tf.Tensor4D,
          forward({ x, gamma, beta })[1],
        );
        return { x: dx, gamma: dgamma, beta: dbeta };
      },
    });
  },
);
