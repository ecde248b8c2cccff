/**
 * Tests for Tasks 1 and 2: rnn.ts.
 *
 * The expected values are computed here, in float64, from the formula
 * h_t = tanh(x_t·Wx + h_{t−1}·Wh + b), never by the code under test. Shapes
 * are all different (N = 3, T up to 10, D = 4, H = 5), so a wrong axis or a
 * missing transpose shows.
 */
import * as tf from "@tensorflow/tfjs";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
import { add, addRow, map, matMul, type Matrix, toMatrix } from "../../lib/float64.ts";
import { assertGradientsMatch, type Tensors } from "../../lib/gradcheck.ts";
import { randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import { rnnBackward, rnnForward, rnnStepBackward, rnnStepForward } from "./rnn.ts";

const GRADIENTS = { backends: BOTH_BACKENDS };
const N = 3, D = 4, H = 5;

/** Weights and a non-zero initial state; inputs of T steps (T = 0: one step's [N, D]). */
function problem(seed: number, t: number) {
  const rng = new Rng(seed);
  return {
    x: randn(rng, t ? [N, t, D] : [N, D]),
    h0: randn(rng, [N, H], 0.5) as tf.Tensor2D,
    wx: randn(rng, [D, H], 0.5) as tf.Tensor2D,
    wh: randn(rng, [H, H], 0.4) as tf.Tensor2D,
    b: randn(rng, [H], 0.3) as tf.Tensor1D,
  };
}

/** One step in float64: tanh(x·Wx + prevH·Wh + b). */
function step64(x: Matrix, prevH: Matrix, wx: Matrix, wh: Matrix, b: number[]): Matrix {
  return map(addRow(add(matMul(x, wx), matMul(prevH, wh)), b), Math.tanh);
}

/** Every step's hidden state in float64, [N][T][H]. */
async function sequence64(p: ReturnType<typeof problem>): Promise<number[][][]> {
  const x = await p.x.array() as number[][][];
  const [wx, wh, b] = [await toMatrix(p.wx), await toMatrix(p.wh), await p.b.array()];
  let h = await toMatrix(p.h0);
  const out: number[][][] = x.map(() => []);
  for (let t = 0; t < x[0].length; t++) {
    h = step64(x.map((row) => row[t]), h, wx, wh, b);
    h.forEach((row, n) => out[n].push(row));
  }
  return out;
}

test("rnnStepForward matches the formula", { task: 1, points: 3 }, async () => {
  const p = problem(0, 0);
  const [nextH] = rnnStepForward(p.x as tf.Tensor2D, p.h0, p.wx, p.wh, p.b);
  assertShape(nextH, [N, H], "nextH");
  const expected = step64(
    await toMatrix(p.x),
    await toMatrix(p.h0),
    await toMatrix(p.wx),
    await toMatrix(p.wh),
    await p.b.array(),
  );
  await assertAllClose(nextH, expected, { atol: 1e-6 }, "nextH = tanh(x·Wx + prevH·Wh + b)");
});

test(
  "rnnStepBackward passes the gradient check",
  { task: 1, points: 5, ...GRADIENTS },
  async () => {
    const inputs = problem(1, 0);
    const forward = (p: Tensors) =>
      rnnStepForward(
        p.x as tf.Tensor2D,
        p.h0 as tf.Tensor2D,
        p.wx as tf.Tensor2D,
        p.wh as tf.Tensor2D,
        p.b as tf.Tensor1D,
      );
    await assertGradientsMatch({
      name: "rnnStepBackward",
      f: (p) => forward(p)[0],
      inputs,
      backward: (dout) => {
        const g = rnnStepBackward(dout as tf.Tensor2D, forward(inputs)[1]);
        return { x: g.dx, h0: g.dprevH, wx: g.dwx, wh: g.dwh, b: g.db };
      },
    });
  },
);

test("rnnForward matches the formula at every step, from a non-zero h0", {
  task: 2,
  points: 3,
}, async () => {
  const p = problem(2, 6);
  const [h] = rnnForward(p.x as tf.Tensor3D, p.h0, p.wx, p.wh, p.b);
  assertShape(h, [N, 6, H], "h");
  await assertAllClose(h, await sequence64(p), { atol: 1e-5 }, "h[n, t] (t-th hidden state)");
});

test("rnnBackward passes the gradient check through 10 steps (BPTT), dh0 included", {
  task: 2,
  points: 5,
  ...GRADIENTS,
}, async () => {
  const inputs = problem(3, 10);
  const forward = (p: Tensors) =>
    rnnForward(
      p.x as tf.Tensor3D,
      p.h0 as tf.Tensor2D,
      p.wx as tf.Tensor2D,
      p.wh as tf.Tensor2D,
      p.b as tf.Tensor1D,
    );
  await assertGradientsMatch({
    name: "rnnBackward",
    f: (p) => forward(p)[0],
    inputs,
    backward: (dout) => {
      const g = rnnBackward(dout as tf.Tensor3D, forward(inputs)[1]);
      assertShape(g.dx, [N, 10, D], "dx");
      return { x: g.dx, h0: g.dh0, wx: g.dwx, wh: g.dwh, b: g.db };
    },
  });
});

test("truncated BPTT: two chunks, the state carried, give one pass's hidden states", {
  task: 2,
  points: 3,
}, async () => {
  const p = problem(4, 9);
  const x = p.x as tf.Tensor3D;
  const [whole] = rnnForward(x, p.h0, p.wx, p.wh, p.b);
  const [first] = rnnForward(x.slice([0, 0, 0], [N, 4, D]), p.h0, p.wx, p.wh, p.b);
  const carried = first.slice([0, 3, 0], [N, 1, H]).reshape([N, H]) as tf.Tensor2D;
  const [second] = rnnForward(x.slice([0, 4, 0], [N, 5, D]), carried, p.wx, p.wh, p.b);
  await assertAllClose(
    tf.concat([first, second], 1),
    whole,
    { atol: 1e-6 },
    "chunks of 4 and 5 steps, the second from the first's last state, against 9 steps at once",
  );
});
