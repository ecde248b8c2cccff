/**
 * Tests for Task 6: lstm.ts.
 *
 * The expected values are computed here, in float64, from the LSTM's
 * equations (gate blocks in the order i, f, o, g), never by the code under
 * test. Shapes are all different (N = 3, D = 4, H = 5, 4H = 20), and the
 * initial states are not zero.
 */
import * as tf from "@tensorflow/tfjs";
import { assertGreater } from "../../lib/assert.ts";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
import { add, addRow, map, matMul, type Matrix, multiply, toMatrix } from "../../lib/float64.ts";
import { assertGradientsMatch, type Tensors } from "../../lib/gradcheck.ts";
import { randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import { gradientNorms } from "./gradient_flow.ts";
import { lstmBackward, lstmForward, lstmStepBackward, lstmStepForward } from "./lstm.ts";

const GRADIENTS = { backends: BOTH_BACKENDS };
const N = 3, D = 4, H = 5;

/** Weights, non-zero initial states, and inputs of T steps (T = 0: one step's [N, D]). */
function problem(seed: number, t: number) {
  const rng = new Rng(seed);
  return {
    x: randn(rng, t ? [N, t, D] : [N, D]),
    h0: randn(rng, [N, H], 0.5) as tf.Tensor2D,
    c0: randn(rng, [N, H], 0.8) as tf.Tensor2D,
    wx: randn(rng, [D, 4 * H], 0.5) as tf.Tensor2D,
    wh: randn(rng, [H, 4 * H], 0.4) as tf.Tensor2D,
    b: randn(rng, [4 * H], 0.5) as tf.Tensor1D,
  };
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
/** Columns [k·H, (k + 1)·H) of a: gate block k. */
const block = (a: Matrix, k: number) => a.map((row) => row.slice(k * H, (k + 1) * H));

/** One LSTM step in float64: [nextH, nextC]. */
function step64(x: Matrix, h: Matrix, c: Matrix, wx: Matrix, wh: Matrix, b: number[]) {
  const a = addRow(add(matMul(x, wx), matMul(h, wh)), b);
  const [i, f, o] = [0, 1, 2].map((k) => map(block(a, k), sigmoid));
  const g = map(block(a, 3), Math.tanh);
  const nextC = add(multiply(f, c), multiply(i, g));
  return [multiply(o, map(nextC, Math.tanh)), nextC];
}

/** The problem's weights and states as float64 matrices. */
async function weights64(p: ReturnType<typeof problem>) {
  return {
    wx: await toMatrix(p.wx),
    wh: await toMatrix(p.wh),
    b: await p.b.array(),
    h0: await toMatrix(p.h0),
    c0: await toMatrix(p.c0),
  };
}

test("lstmStepForward matches the LSTM's equations", { task: 6, points: 2 }, async () => {
  const p = problem(0, 0);
  const [nextH, nextC] = lstmStepForward(p.x as tf.Tensor2D, p.h0, p.c0, p.wx, p.wh, p.b);
  assertShape(nextH, [N, H], "nextH");
  assertShape(nextC, [N, H], "nextC");
  const w = await weights64(p);
  const [h, c] = step64(await toMatrix(p.x), w.h0, w.c0, w.wx, w.wh, w.b);
  await assertAllClose(nextC, c, { atol: 1e-5 }, "nextC = f⊙prevC + i⊙g");
  await assertAllClose(nextH, h, { atol: 1e-5 }, "nextH = o⊙tanh(nextC)");
});

test("lstmStepBackward passes the gradient check (through both outputs)", {
  task: 6,
  points: 5,
  ...GRADIENTS,
}, async () => {
  const inputs = problem(1, 0);
  const forward = (p: Tensors) =>
    lstmStepForward(
      p.x as tf.Tensor2D,
      p.h0 as tf.Tensor2D,
      p.c0 as tf.Tensor2D,
      p.wx as tf.Tensor2D,
      p.wh as tf.Tensor2D,
      p.b as tf.Tensor1D,
    );
  // Both outputs side by side, [N, 2H], so one upstream gradient reaches each.
  await assertGradientsMatch({
    name: "lstmStepBackward",
    f: (p) => tf.concat(forward(p).slice(0, 2) as tf.Tensor2D[], 1),
    inputs,
    backward: (dout) => {
      const [dnextH, dnextC] = tf.split(dout, 2, 1) as tf.Tensor2D[];
      const g = lstmStepBackward(dnextH, dnextC, forward(inputs)[2]);
      return { x: g.dx, h0: g.dprevH, c0: g.dprevC, wx: g.dwx, wh: g.dwh, b: g.db };
    },
  });
});

test("lstmForward matches the equations at every step, from non-zero h0 and c0", {
  task: 6,
  points: 3,
}, async () => {
  const p = problem(2, 5);
  const [h, cT] = lstmForward(p.x as tf.Tensor3D, p.h0, p.c0, p.wx, p.wh, p.b);
  assertShape(h, [N, 5, H], "h");
  assertShape(cT, [N, H], "cT");
  const w = await weights64(p);
  const x = await p.x.array() as number[][][];
  let [hs, cs] = [w.h0, w.c0];
  const expected: number[][][] = x.map(() => []);
  for (let t = 0; t < 5; t++) {
    [hs, cs] = step64(x.map((row) => row[t]), hs, cs, w.wx, w.wh, w.b);
    hs.forEach((row, n) => expected[n].push(row));
  }
  await assertAllClose(h, expected, { atol: 1e-5 }, "h[n, t] (t-th hidden state)");
  await assertAllClose(cT, cs, { atol: 1e-5 }, "cT, the cell after the last step");
});

test("lstmBackward passes the gradient check through 10 steps (BPTT), dh0 and dc0 included", {
  task: 6,
  points: 5,
  ...GRADIENTS,
}, async () => {
  const inputs = problem(3, 10);
  const forward = (p: Tensors) =>
    lstmForward(
      p.x as tf.Tensor3D,
      p.h0 as tf.Tensor2D,
      p.c0 as tf.Tensor2D,
      p.wx as tf.Tensor2D,
      p.wh as tf.Tensor2D,
      p.b as tf.Tensor1D,
    );
  await assertGradientsMatch({
    name: "lstmBackward",
    f: (p) => forward(p)[0],
    inputs,
    backward: (dout) => {
      const g = lstmBackward(dout as tf.Tensor3D, forward(inputs)[2]);
      assertShape(g.dx, [N, 10, D], "dx");
      return { x: g.dx, h0: g.dh0, c0: g.dc0, wx: g.dwx, wh: g.dwh, b: g.db };
    },
  });
});

test("truncated BPTT: two chunks, both states carried, give one pass's hidden states", {
  task: 6,
  points: 2,
}, async () => {
  const p = problem(4, 9);
  const x = p.x as tf.Tensor3D;
  const [whole, wholeC] = lstmForward(x, p.h0, p.c0, p.wx, p.wh, p.b);
  const [first, firstC] = lstmForward(x.slice([0, 0, 0], [N, 4, D]), p.h0, p.c0, p.wx, p.wh, p.b);
  const lastH = first.slice([0, 3, 0], [N, 1, H]).reshape([N, H]) as tf.Tensor2D;
  const [second, secondC] = lstmForward(
    x.slice([0, 4, 0], [N, 5, D]),
    lastH,
    firstC,
    p.wx,
    p.wh,
    p.b,
  );
  await assertAllClose(
    tf.concat([first, second], 1),
    whole,
    { atol: 1e-6 },
    "chunks of 4 and 5 steps, the second from the first's last h and c, against 9 steps at once",
  );
  await assertAllClose(secondC, wholeC, { atol: 1e-6 }, "the cell after both chunks");
});

test(
  "over 50 steps, the gradient reaching step 1 (relative to step 50's) is larger for the LSTM than for the RNN",
  {
    task: 6,
    points: 2,
  },
  async () => {
    const rnn = await gradientNorms("rnn", { steps: 50 });
    const lstm = await gradientNorms("lstm", { steps: 50 });
    const ratio = (norms: number[]) => norms[0] / norms[49];
    assertGreater(
      ratio(lstm),
      100 * ratio(rnn),
      `‖dx at step 1‖ / ‖dx at step 50‖: LSTM ${ratio(lstm).toExponential(1)}, RNN ${
        ratio(rnn).toExponential(1)
      } (the LSTM's must be over 100 times the RNN's)`,
    );
  },
);
