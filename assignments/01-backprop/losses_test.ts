/** Tests for Task 3: losses.ts. */
import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals } from "../../lib/assert.ts";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
import { assertGradientsMatch, chainScalar } from "../../lib/gradcheck.ts";
import { readScalar } from "../../lib/read.ts";
import { randint, randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import { l1Regularization, l2Regularization, softmaxLoss, svmLoss } from "./losses.ts";

const N = 50, C = 10;

/** Scores and labels of a batch of n; small scores give near-uniform predictions. */
function batch(seed: number, std: number, n = N) {
  const rng = new Rng(seed);
  return { scores: randn(rng, [n, C], std) as tf.Tensor2D, y: randint(rng, [n], C) as tf.Tensor1D };
}

/** Softmax cross-entropy computed in float64 by this test, from the definition. */
async function softmaxLoss64(scores: tf.Tensor2D, y: tf.Tensor1D): Promise<number> {
  const [s, labels] = [await scores.array(), await y.array()];
  let total = 0;
  s.forEach((row, i) => {
    const logSum = Math.log(row.reduce((acc, v) => acc + Math.exp(v), 0));
    total += logSum - row[labels[i]];
  });
  return total / s.length;
}

/** The hinge loss computed in float64 by this test, from the definition. */
async function svmLoss64(scores: tf.Tensor2D, y: tf.Tensor1D, delta: number): Promise<number> {
  const [s, labels] = [await scores.array(), await y.array()];
  let total = 0;
  s.forEach((row, i) => {
    row.forEach((v, j) => {
      if (j !== labels[i]) total += Math.max(0, v - row[labels[i]] + delta);
    });
  });
  return total / s.length;
}

test("softmaxLoss: the value, and ≈ ln(C) for small scores", { task: 3, points: 3 }, async () => {
  const { scores, y } = batch(0, 1);
  const [loss, dscores] = softmaxLoss(scores, y);
  assertShape(loss, [], "loss");
  assertShape(dscores, [N, C], "dscores");
  assertAlmostEquals(
    await readScalar(loss),
    await softmaxLoss64(scores, y),
    1e-5,
    "softmaxLoss against the formula",
  );
  const small = batch(1, 0.001);
  assertAlmostEquals(
    await readScalar(softmaxLoss(small.scores, small.y)[0]),
    Math.log(C),
    1e-2,
    "softmaxLoss of near-zero scores",
  );
});

test("softmaxLoss is stable for scores of ±1e4", { task: 3, points: 3 }, async () => {
  const scores = tf.tensor2d([[1e4, -1e4, 0], [1e4, -1e4, 0], [-1e4, -1e4, -1e4]]);
  const [loss, dscores] = softmaxLoss(scores, tf.tensor1d([0, 1, 2], "int32"));
  // Row 1 is right with certainty (loss 0), row 2 wrong by 2e4, row 3 uniform (ln 3).
  assertAlmostEquals(
    await readScalar(loss),
    (0 + 2e4 + Math.log(3)) / 3,
    1e-2,
    "softmaxLoss of scores ±1e4",
  );
  await assertAllClose(dscores, [[0, 0, 0], [1 / 3, -1 / 3, 0], [1 / 9, 1 / 9, -2 / 9]], {
    atol: 1e-6,
  }, "dscores");
});

test(
  "softmaxLoss passes the gradient check",
  { task: 3, points: 4, backends: BOTH_BACKENDS },
  async () => {
    const { scores, y } = batch(2, 1, 16);
    await assertGradientsMatch({
      name: "softmaxLoss",
      f: ({ scores }) => softmaxLoss(scores as tf.Tensor2D, y)[0],
      inputs: { scores },
      backward: (dout) => chainScalar(dout, { scores: softmaxLoss(scores, y)[1] }),
    });
  },
);

test("svmLoss: known values, and ≈ C − 1 for small scores", { task: 3, points: 3 }, async () => {
  const scores = tf.tensor2d([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]);
  const y = tf.tensor1d([0, 1, 2], "int32");
  // CS231n's example: the three images' losses are 2.9, 0 and 12.9.
  assertAlmostEquals(
    await readScalar(svmLoss(scores, y)[0]),
    (2.9 + 0 + 12.9) / 3,
    1e-5,
    "svmLoss of CS231n's example",
  );
  const small = batch(3, 0.001);
  assertAlmostEquals(
    await readScalar(svmLoss(small.scores, small.y)[0]),
    C - 1,
    1e-2,
    "svmLoss of near-zero scores",
  );
  const wide = batch(6, 1);
  assertAlmostEquals(
    await readScalar(svmLoss(wide.scores, wide.y, 2.5)[0]),
    await svmLoss64(wide.scores, wide.y, 2.5),
    1e-4,
    "svmLoss with delta = 2.5",
  );
});

test(
  "svmLoss passes the gradient check",
  { task: 3, points: 3, backends: BOTH_BACKENDS },
  async () => {
    const { scores, y } = batch(4, 1, 16);
    await assertGradientsMatch({
      name: "svmLoss",
      f: ({ scores }) => svmLoss(scores as tf.Tensor2D, y)[0],
      inputs: { scores },
      backward: (dout) => chainScalar(dout, { scores: svmLoss(scores, y)[1] }),
    });
  },
);

test("L2 and L1 regularisation: values and gradients", {
  task: 3,
  points: 2,
  backends: BOTH_BACKENDS,
}, async () => {
  const w = tf.tensor2d([[1, -2], [0, 3]]);
  const [l2, dl2] = l2Regularization(w, 0.1);
  assertAlmostEquals(await readScalar(l2), 0.5 * 0.1 * (1 + 4 + 0 + 9), 1e-6, "L2 = ½·reg·Σw²");
  await assertAllClose(dl2, [[0.1, -0.2], [0, 0.3]], {}, "dw of L2 = reg·w");
  const [l1, dl1] = l1Regularization(w, 0.1);
  assertAlmostEquals(await readScalar(l1), 0.1 * 6, 1e-6, "L1 = reg·Σ|w|");
  await assertAllClose(dl1, [[0.1, -0.1], [0, 0.1]], {}, "dw of L1 = reg·sign(w), 0 at w = 0");
  const inputs = { w: randn(new Rng(5), [4, 3]) };
  for (
    const [name, reg] of [["l2Regularization", l2Regularization], [
      "l1Regularization",
      l1Regularization,
    ]] as const
  ) {
    await assertGradientsMatch({
      name,
      f: ({ w }) => reg(w, 0.3)[0],
      inputs,
      backward: (dout) => chainScalar(dout, { w: reg(inputs.w, 0.3)[1] }),
    });
  }
});
