/**
 * Tests for Task 9: char_model.ts.
 *
 * The model's scores are computed here in float64 (embedding, RNN or LSTM,
 * affine) from non-zero states, and its loss from the definition. Sizes are
 * all different: V = 7, D = 3, H = 4 (4H = 16), N = 2, T = 5.
 */
import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals, assertLessOrEqual } from "../../lib/assert.ts";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
import {
  add,
  addRow,
  map,
  matMul,
  type Matrix,
  multiply,
  softmaxRows,
  toMatrix,
  toVector,
} from "../../lib/float64.ts";
import { assertGradientsMatch, chainScalar, type Tensors } from "../../lib/gradcheck.ts";
import { readScalar } from "../../lib/read.ts";
import { randint, randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import {
  type Cell,
  type CharModelConfig,
  charModelForward,
  charModelLoss,
  type CharModelParams,
  initCharModel,
} from "./char_model.ts";

const V = 7, D = 3, H = 4, N = 2, T = 5;
const config = (cell: Cell): CharModelConfig => ({
  cell,
  vocabSize: V,
  embedSize: D,
  hiddenSize: H,
});

/** Parameters of unit-ish scale (not the initialisation: biases are non-zero), ids and a state. */
function problem(cell: Cell, seed: number) {
  const rng = new Rng(seed);
  const g = cell === "lstm" ? 4 * H : H;
  const params: CharModelParams = {
    embed: randn(rng, [V, D]) as tf.Tensor2D,
    wx: randn(rng, [D, g], 0.5) as tf.Tensor2D,
    wh: randn(rng, [H, g], 0.5) as tf.Tensor2D,
    b: randn(rng, [g], 0.3) as tf.Tensor1D,
    wy: randn(rng, [H, V]) as tf.Tensor2D,
    by: randn(rng, [V], 0.3) as tf.Tensor1D,
  };
  return {
    params,
    ids: randint(rng, [N, T], V) as tf.Tensor2D,
    targets: randint(rng, [N, T], V) as tf.Tensor2D,
    state: {
      h: randn(rng, [N, H], 0.5) as tf.Tensor2D,
      c: cell === "lstm" ? randn(rng, [N, H], 0.5) as tf.Tensor2D : undefined,
    },
  };
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const block = (a: Matrix, k: number) => a.map((row) => row.slice(k * H, (k + 1) * H));

/** The model in float64: scores [N][T][V] and the final h and c. */
async function model64(cell: Cell, p: ReturnType<typeof problem>) {
  const [embed, wx, wh, wy] = await Promise.all(
    [p.params.embed, p.params.wx, p.params.wh, p.params.wy].map(toMatrix),
  );
  const [b, by] = [await toVector(p.params.b), await toVector(p.params.by)];
  const ids = await p.ids.array();
  let h = await toMatrix(p.state.h);
  let c = p.state.c ? await toMatrix(p.state.c) : h;
  const scores: number[][][] = ids.map(() => []);
  for (let t = 0; t < T; t++) {
    const a = addRow(add(matMul(ids.map((row) => embed[row[t]]), wx), matMul(h, wh)), b);
    if (cell === "rnn") {
      h = map(a, Math.tanh);
    } else {
      const [i, f, o] = [0, 1, 2].map((k) => map(block(a, k), sigmoid));
      c = add(multiply(f, c), multiply(i, map(block(a, 3), Math.tanh)));
      h = multiply(o, map(c, Math.tanh));
    }
    addRow(matMul(h, wy), by).forEach((row, n) => scores[n].push(row));
  }
  return { scores, h, c };
}

/** The mean −log p of the targets, in float64, from scores read back. */
async function meanNll64(scores: tf.Tensor3D, targets: tf.Tensor2D): Promise<number> {
  const [s, y] = [await scores.array(), await targets.array()];
  let total = 0, count = 0;
  s.forEach((row, n) =>
    row.forEach((v, t) => {
      total -= Math.log(softmaxRows([v])[0][y[n][t]]);
      count++;
    })
  );
  return total / count;
}

test(
  "initCharModel: shapes, zero biases, the LSTM's forget-gate bias at 1, Xavier scales",
  {
    task: 9,
    points: 2,
  },
  async () => {
    const sizes = { vocabSize: 65, embedSize: 40, hiddenSize: 100 };
    for (const cell of ["rnn", "lstm"] as const) {
      const p = initCharModel(new Rng(0), { cell, ...sizes });
      const g = cell === "lstm" ? 400 : 100;
      const shapes = {
        embed: [65, 40],
        wx: [40, g],
        wh: [100, g],
        b: [g],
        wy: [100, 65],
        by: [65],
      };
      assertEquals(Object.keys(p).sort(), Object.keys(shapes).sort(), "parameter names");
      for (const [name, shape] of Object.entries(shapes)) {
        assertShape(p[name as keyof CharModelParams], shape, `${cell} ${name}`);
      }
      const b = await toVector(p.b);
      const expectedB = b.map((_, k) => (cell === "lstm" && k >= 100 && k < 200 ? 1 : 0));
      assertEquals(
        b,
        expectedB,
        `${cell} b: zeros${cell === "lstm" ? ", 1 on the forget block" : ""}`,
      );
      assertEquals(await toVector(p.by), new Array(65).fill(0), `${cell} by`);
      const scales = { embed: 1, wx: 1 / Math.sqrt(40), wh: 0.1, wy: 0.1 };
      for (const [name, std] of Object.entries(scales) as [keyof typeof scales, number][]) {
        const values = await toVector(p[name]);
        const rms = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
        assertAlmostEquals(rms, std, 0.1 * std, `${cell} ${name}: std of the draws`);
      }
    }
  },
);

test("charModelForward matches the model computed in float64, and returns the last state", {
  task: 9,
  points: 3,
}, async () => {
  for (const cell of ["rnn", "lstm"] as const) {
    const p = problem(cell, 1);
    const out = charModelForward(p.params, config(cell), p.ids, p.state as never);
    assertShape(out.scores, [N, T, V], "scores");
    const expected = await model64(cell, p);
    await assertAllClose(out.scores, expected.scores, { atol: 1e-4 }, `${cell}: scores`);
    await assertAllClose(
      out.state.h,
      expected.h,
      { atol: 1e-5 },
      `${cell}: the state's h after the chunk`,
    );
    if (cell === "lstm") {
      await assertAllClose(
        out.state.c!,
        expected.c,
        { atol: 1e-5 },
        "lstm: the state's c after the chunk",
      );
    }
  }
});

test("charModelLoss passes the gradient check, RNN and LSTM", {
  task: 9,
  points: 4,
  backends: BOTH_BACKENDS,
}, async () => {
  for (const cell of ["rnn", "lstm"] as const) {
    const p = problem(cell, 2);
    const loss = (params: Tensors) =>
      charModelLoss(params as CharModelParams, config(cell), p.ids, p.targets, p.state as never);
    assertAlmostEquals(
      await readScalar(loss(p.params).loss),
      await meanNll64(
        charModelForward(p.params, config(cell), p.ids, p.state as never).scores,
        p.targets,
      ),
      1e-5,
      `${cell}: the loss is the mean −log p of the targets`,
    );
    await assertGradientsMatch({
      name: `charModelLoss (${cell})`,
      f: (params) => loss(params).loss,
      inputs: p.params,
      backward: (dout) => chainScalar(dout, loss(p.params).grads),
    });
  }
});

test("an untrained LSTM model's perplexity is within 10% of 65, the vocabulary's size", {
  task: 9,
  points: 2,
}, async () => {
  const ids = randint(new Rng(3), [8, 33], 65) as tf.Tensor2D;
  const cfg = { cell: "lstm", vocabSize: 65, embedSize: 32, hiddenSize: 128 } as const;
  const { scores } = charModelForward(
    initCharModel(new Rng(4), cfg),
    cfg,
    ids.slice([0, 0], [8, 32]),
  );
  const ppl = Math.exp(await meanNll64(scores, ids.slice([0, 1], [8, 32])));
  assertLessOrEqual(Math.abs(ppl - 65), 6.5, `perplexity ${ppl.toFixed(2)} at initialisation`);
});
