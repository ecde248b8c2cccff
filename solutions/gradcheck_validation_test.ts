/**
 * The gradient checker, itself tested against the reference solutions.
 *
 * - No false fails: every correct reference layer passes on 100 of 100 seeds,
 *   on both WASM and WebGPU.
 * - No false passes: each planted bug — a gradient scaled by 1.02, transposed,
 *   of the wrong sign, missing its bias or regularisation term, a normalisation
 *   with the wrong mean, dropout without its rescale, an index off by one —
 *   fails on every seed tried.
 *
 * On WebGPU each op costs ~0.3 ms on Mesa's software driver, so there every
 * check samples 16 coordinates per input (seeded) instead of taking them all.
 *
 * Instructor-side: it needs `solutions/`. Later assignments add their layers here.
 */
import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "../lib/assert.ts";
import { type Backend, isAvailable, useBackend } from "../lib/backend.ts";
import {
  chainScalar,
  checkGradients,
  formatReport,
  type GradientCheck,
  type Tensors,
} from "../lib/gradcheck.ts";
import { scopeAsync } from "../lib/memory.ts";
import { randint, randn, Rng } from "../lib/random.ts";
import * as layers from "./01-backprop/layers.ts";
import * as losses from "./01-backprop/losses.ts";
import {
  initTwoLayerNet,
  twoLayerNetLoss,
  type TwoLayerNetParams,
  twoLayerNetScores,
} from "./01-backprop/two_layer_net.ts";

type T2 = tf.Tensor2D;
type T1 = tf.Tensor1D;
/** A gradient check at a random point drawn from `seed`; `bug` plants a mistake in the backward pass. */
type Case = (seed: number, bug: boolean) => GradientCheck;

/** An element-wise layer checked at x of shape [6, 8]. */
function elementwise(
  name: string,
  forward: (x: tf.Tensor) => [tf.Tensor, unknown],
  backward: (dout: tf.Tensor, cache: never) => { dx: tf.Tensor },
  plant: (dx: tf.Tensor) => tf.Tensor,
): Case {
  return (seed, bug) => {
    const x = randn(new Rng(seed), [6, 8]);
    return {
      name,
      f: ({ x }) => forward(x)[0],
      inputs: { x },
      backward: (dout) => {
        const { dx } = backward(dout, forward(x)[1] as never);
        return { x: bug ? plant(dx) : dx };
      },
    };
  };
}

/** Affine with a square w, so a transposed dx keeps its shape; the bug drops db. */
function affine(transpose: boolean): Case {
  return (seed, bug) => {
    const rng = new Rng(seed);
    const inputs = { x: randn(rng, [8, 5]), w: randn(rng, [5, 5]), b: randn(rng, [5]) };
    const forward = ({ x, w, b }: Tensors) => layers.affineForward(x, w as T2, b as T1);
    return {
      name: "affineBackward",
      f: (p) => forward(p)[0],
      inputs,
      backward: (dout) => {
        const { dx, dw, db } = layers.affineBackward(dout as T2, forward(inputs)[1]);
        if (!bug) return { x: dx, w: dw, b: db };
        return transpose
          ? { x: tf.matMul(dout, inputs.w), w: dw, b: db } // dout·w instead of dout·wᵀ
          : { x: dx, w: dw, b: tf.zerosLike(db) }; // the bias term forgotten
      },
    };
  };
}

/** A loss of scores [8, 5]; the bug puts the −1 of the correct class one column over. */
function loss(name: string, fn: typeof losses.softmaxLoss): Case {
  return (seed, bug) => {
    const rng = new Rng(seed);
    const scores = randn(rng, [8, 5]) as T2, y = randint(rng, [8], 5) as T1;
    return {
      name,
      f: ({ scores }) => fn(scores as T2, y)[0],
      inputs: { scores },
      backward: (dout) => {
        if (!bug) return chainScalar(dout, { scores: fn(scores, y)[1] });
        const shifted = tf.mod(tf.add(y, 1), 5).toInt() as T1;
        const wrong = tf.sub(
          fn(scores, y)[1],
          tf.sub(tf.oneHot(shifted, 5), tf.oneHot(y, 5)).div(8),
        );
        return chainScalar(dout, { scores: wrong });
      },
    };
  };
}

/** The two-layer net's loss with reg 0.1, forward only (twoLayerNetLoss also runs the backward pass). */
function forwardLoss(p: TwoLayerNetParams, x: T2, y: T1): tf.Scalar {
  const dataLoss = losses.softmaxLoss(twoLayerNetScores(p, x), y)[0];
  return tf.addN([
    dataLoss,
    losses.l2Regularization(p.W1, 0.1)[0],
    losses.l2Regularization(p.W2, 0.1)[0],
  ]);
}

/** The two-layer net's loss with reg 0.1; the bug forgets the regularisation gradient of W1. */
const twoLayerNet: Case = (seed, bug) => {
  const rng = new Rng(seed);
  const point = { ...initTwoLayerNet(rng, 6, 7, 4), b1: randn(rng, [7], 0.1) as T1 };
  const x = randn(rng, [5, 6]) as T2, y = randint(rng, [5], 4) as T1;
  return {
    name: "twoLayerNetLoss",
    f: (p) => forwardLoss(p as TwoLayerNetParams, x, y),
    inputs: point,
    backward: (dout) => {
      const { grads } = twoLayerNetLoss(point, x, y, 0.1);
      return chainScalar(
        dout,
        bug ? { ...grads, W1: tf.sub(grads.W1, tf.mul(point.W1, 0.1)) } : grads,
      );
    },
  };
};

/**
 * Batch normalisation without scale and shift, x of shape [N, D]:
 * x̂ = (x − μ)/√(σ² + ε) per feature. The bug takes the mean over features instead of examples.
 */
const normalisation: Case = (seed, bug) => {
  const x = randn(new Rng(seed), [8, 5], 2, 1);
  const forward = (x: tf.Tensor) => {
    const { mean, variance } = tf.moments(x, 0);
    const invStd = tf.rsqrt(tf.add(variance, 1e-5));
    return { out: tf.mul(tf.sub(x, mean), invStd), invStd };
  };
  return {
    name: "normalisationBackward",
    f: ({ x }) => forward(x).out,
    inputs: { x },
    backward: (dout) => {
      const { out, invStd } = forward(x);
      const axis = bug ? 1 : 0;
      const dx = tf.mul(
        invStd,
        tf.sub(tf.sub(dout, tf.mean(dout, axis, true)), tf.mul(out, tf.mean(tf.mul(dout, out), 0))),
      );
      return { x: dx };
    },
  };
};

/** Inverted dropout with keep probability 0.6 and a fixed mask; the bug forgets the 1/p rescale. */
const dropout: Case = (seed, bug) => {
  const rng = new Rng(seed);
  const x = randn(rng, [6, 8]);
  const mask = tf.tensor(Float32Array.from({ length: 48 }, () => (rng.uniform() < 0.6 ? 1 : 0)), [
    6,
    8,
  ]);
  return {
    name: "dropoutBackward",
    f: ({ x }) => tf.mul(x, mask).div(0.6),
    inputs: { x },
    backward: (dout) => ({ x: bug ? tf.mul(dout, mask) : tf.mul(dout, mask).div(0.6) }),
  };
};

/** Each reference layer, with the mistake its planted-bug variant makes. */
const CASES: Record<string, Case> = {
  "affine (bias gradient missing)": affine(false),
  "affine (dx transposed)": affine(true),
  "ReLU (wrong sign)": elementwise("reluBackward", layers.reluForward, layers.reluBackward, tf.neg),
  "leaky ReLU (scaled by 1.02)": elementwise(
    "leakyReluBackward",
    layers.leakyReluForward,
    layers.leakyReluBackward,
    (dx) => dx.mul(1.02),
  ),
  "sigmoid (scaled by 1.02)": elementwise(
    "sigmoidBackward",
    layers.sigmoidForward,
    layers.sigmoidBackward,
    (dx) => dx.mul(1.02),
  ),
  "tanh (scaled by 1.02)": elementwise(
    "tanhBackward",
    layers.tanhForward,
    layers.tanhBackward,
    (dx) => dx.mul(1.02),
  ),
  "softmax-CE (index off by one)": loss("softmaxLoss", losses.softmaxLoss),
  "hinge loss (index off by one)": loss("svmLoss", losses.svmLoss),
  "two-layer net (regularisation gradient missing)": twoLayerNet,
  "normalisation (wrong mean)": normalisation,
  "dropout (no rescale)": dropout,
};

const SEEDS = 100;
/** Coordinates checked per input: all on WASM, a seeded sample on WebGPU. */
const COORDINATES: Record<Backend, number> = { wasm: Infinity, webgpu: 16, cpu: Infinity };

for (const backend of ["wasm", "webgpu"] as Backend[]) {
  Deno.test({
    name: `gradcheck: correct reference layers pass on ${SEEDS} of ${SEEDS} seeds on ${backend}`,
    ignore: !(await isAvailable(backend)),
    fn: async () => {
      await useBackend(backend);
      const failures: string[] = [];
      for (const [label, make] of Object.entries(CASES)) {
        for (let seed = 0; seed < SEEDS; seed++) {
          const check = { ...make(seed, false), seed, maxCoordinates: COORDINATES[backend] };
          const report = await scopeAsync(() => checkGradients(check));
          if (!report.passed) failures.push(`${label}, seed ${seed}:\n${formatReport(report)}`);
        }
      }
      assertEquals(failures, [], "false fails");
    },
  });
  Deno.test({
    name: `gradcheck: every planted bug fails on ${backend}`,
    ignore: !(await isAvailable(backend)),
    fn: async () => {
      await useBackend(backend);
      const passes: string[] = [];
      for (const [label, make] of Object.entries(CASES)) {
        for (let seed = 0; seed < 5; seed++) {
          const check = { ...make(seed, true), seed, maxCoordinates: COORDINATES[backend] };
          const report = await scopeAsync(() => checkGradients(check));
          if (report.passed) passes.push(`${label}, seed ${seed}`);
        }
      }
      assertEquals(passes, [], "false passes");
    },
  });
}
