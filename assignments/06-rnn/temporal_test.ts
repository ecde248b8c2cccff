/**
 * Tests for Task 4: temporal.ts.
 *
 * Expected values come from the formulas, computed here in float64, with a
 * mask that drops some positions, non-square shapes (N = 3, T = 4, D = 5,
 * M = V = 6) and scores of both signs.
 */
import * as tf from "@tensorflow/tfjs";
import { assert, assertAlmostEquals } from "../../lib/assert.ts";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
import { addRow, matMul, softmaxRows, toMatrix } from "../../lib/float64.ts";
import { assertGradientsMatch, chainScalar } from "../../lib/gradcheck.ts";
import { readScalar } from "../../lib/read.ts";
import { randint, randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import { temporalAffineBackward, temporalAffineForward, temporalSoftmaxLoss } from "./temporal.ts";

const N = 3, T = 4, D = 5, V = 6;
/** Which positions count: row 0 all, row 1 the first two, row 2 the last three. */
const MASK = [[1, 1, 1, 1], [1, 1, 0, 0], [0, 1, 1, 1]];

/** Scores [N, T, V] of spread `std`, labels [N, T] and the mask. */
function problem(seed: number, std = 2) {
  const rng = new Rng(seed);
  return {
    x: randn(rng, [N, T, V], std) as tf.Tensor3D,
    y: randint(rng, [N, T], V) as tf.Tensor2D,
    mask: tf.tensor2d(MASK),
  };
}

/** The masked mean of −log softmax(x)[y], and its gradient, in float64. */
async function softmaxLoss64(x: tf.Tensor3D, y: tf.Tensor2D, mask: number[][]) {
  const scores = await x.array(), labels = await y.array();
  const kept = mask.flat().reduce((a, b) => a + b, 0);
  let loss = 0;
  const grad = scores.map((row, n) =>
    row.map((s, t) => {
      const top = Math.max(...s);
      const logSum = top + Math.log(s.reduce((acc, v) => acc + Math.exp(v - top), 0));
      loss -= mask[n][t] * (s[labels[n][t]] - logSum);
      const p = softmaxRows([s])[0];
      return p.map((pv, v) => (mask[n][t] * (pv - (v === labels[n][t] ? 1 : 0))) / kept);
    })
  );
  return { loss: loss / kept, grad };
}

test(
  "temporalAffineForward matches x·w + b at every position",
  { task: 4, points: 2 },
  async () => {
    const rng = new Rng(0);
    const x = randn(rng, [N, T, D]) as tf.Tensor3D;
    const w = randn(rng, [D, V]) as tf.Tensor2D, b = randn(rng, [V]) as tf.Tensor1D;
    const [out] = temporalAffineForward(x, w, b);
    assertShape(out, [N, T, V], "out");
    const [xs, ws, bs] = [await x.array(), await toMatrix(w), await b.array()];
    await assertAllClose(
      out,
      xs.map((row) => addRow(matMul(row, ws), bs)),
      { atol: 1e-5 },
      "out[n, t] = x[n, t]·w + b",
    );
  },
);

test("temporalAffineBackward passes the gradient check", {
  task: 4,
  points: 2,
  backends: BOTH_BACKENDS,
}, async () => {
  const rng = new Rng(1);
  const inputs = { x: randn(rng, [N, T, D]), w: randn(rng, [D, V]), b: randn(rng, [V]) };
  const forward = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
    temporalAffineForward(x as tf.Tensor3D, w as tf.Tensor2D, b as tf.Tensor1D);
  await assertGradientsMatch({
    name: "temporalAffineBackward",
    f: ({ x, w, b }) => forward(x, w, b)[0],
    inputs,
    backward: (dout) => {
      const g = temporalAffineBackward(
        dout as tf.Tensor3D,
        forward(inputs.x, inputs.w, inputs.b)[1],
      );
      assertShape(g.dx, [N, T, D], "dx");
      return { x: g.dx, w: g.dw, b: g.db };
    },
  });
});

test("temporalSoftmaxLoss: the masked mean and its gradient match the formula", {
  task: 4,
  points: 3,
}, async () => {
  const { x, y, mask } = problem(2);
  const [loss, dx] = temporalSoftmaxLoss(x, y, mask);
  assertShape(loss, [], "loss");
  assertShape(dx, [N, T, V], "dx");
  const expected = await softmaxLoss64(x, y, MASK);
  assertAlmostEquals(await readScalar(loss), expected.loss, 1e-5, "loss, with the mask on");
  await assertAllClose(dx, expected.grad, { atol: 1e-6 }, "dx, with the mask on");
  // Scores of ±1e4 must not overflow: each row's maximum comes off first.
  const extreme = tf.mul(tf.sign(x), 1e4) as tf.Tensor3D;
  const [extremeLoss] = temporalSoftmaxLoss(extreme, y, mask);
  assertAlmostEquals(
    await readScalar(extremeLoss),
    (await softmaxLoss64(extreme, y, MASK)).loss,
    1e-2,
    "loss of scores ±1e4",
  );
  const unmasked = await softmaxLoss64(x, y, MASK.map((row) => row.map(() => 1)));
  assertAlmostEquals(
    await readScalar(temporalSoftmaxLoss(x, y)[0]),
    unmasked.loss,
    1e-5,
    "loss without a mask: every position counts",
  );
});

test(
  "temporalSoftmaxLoss: masked positions add no loss and get no gradient; uniform scores give ln V",
  {
    task: 4,
    points: 2,
  },
  async () => {
    const { x, y, mask } = problem(3);
    const [loss, dx] = temporalSoftmaxLoss(x, y, mask);
    // Change the scores at the masked positions only: nothing may move.
    const keep = mask.reshape([N, T, 1]);
    const moved = tf.add(tf.mul(x, keep), tf.mul(tf.sub(1, keep), 50)) as tf.Tensor3D;
    const [loss2] = temporalSoftmaxLoss(moved, y, mask);
    assertAlmostEquals(
      await readScalar(loss2),
      await readScalar(loss),
      1e-6,
      "loss after changing masked scores",
    );
    const masked = await tf.mul(tf.abs(dx), tf.sub(1, keep)).max().data();
    assert(masked[0] === 0, `dx at masked positions must be exactly 0, got up to ${masked[0]}`);
    const [uniform] = temporalSoftmaxLoss(tf.fill([N, T, V], 0.7) as tf.Tensor3D, y, mask);
    assertAlmostEquals(
      await readScalar(uniform),
      Math.log(V),
      1e-6,
      "loss of uniform scores = ln V per kept position",
    );
  },
);

test("temporalSoftmaxLoss passes the gradient check, with the mask on", {
  task: 4,
  points: 2,
  backends: BOTH_BACKENDS,
}, async () => {
  const { x, y, mask } = problem(4, 1);
  await assertGradientsMatch({
    name: "temporalSoftmaxLoss",
    f: ({ x }) => temporalSoftmaxLoss(x as tf.Tensor3D, y, mask)[0],
    inputs: { x },
    backward: (dout) => chainScalar(dout, { x: temporalSoftmaxLoss(x, y, mask)[1] }),
  });
});
