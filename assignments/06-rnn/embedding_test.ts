/** Tests for Task 3: embedding.ts. */
import * as tf from "@tensorflow/tfjs";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
import { assertGradientsMatch } from "../../lib/gradcheck.ts";
import { randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import { embeddingBackward, embeddingForward } from "./embedding.ts";

/** V = 6 characters, D = 3; ids [2, 4] with repeats (1 three times, 4 twice) and 0, 5 absent. */
const V = 6, D = 3;
const IDS = [[1, 3, 1, 4], [4, 2, 1, 3]];

test("embeddingForward looks up the row of each id", { task: 3, points: 2 }, async () => {
  const w = randn(new Rng(0), [V, D]) as tf.Tensor2D;
  const [out] = embeddingForward(tf.tensor2d(IDS, undefined, "int32"), w);
  assertShape(out, [2, 4, D], "out");
  const rows = await w.array();
  await assertAllClose(
    out,
    IDS.map((row) => row.map((id) => rows[id])),
    {},
    "out[n, t] = W[ids[n, t]]",
  );
});

test("embeddingBackward adds up the gradients of repeated ids (a scatter-add)", {
  task: 3,
  points: 2,
}, async () => {
  const ids = tf.tensor2d(IDS, undefined, "int32");
  const dout = randn(new Rng(1), [2, 4, D]) as tf.Tensor3D;
  const [, cache] = embeddingForward(ids, randn(new Rng(2), [V, D]) as tf.Tensor2D);
  const { dw } = embeddingBackward(dout, cache);
  const d = await dout.array();
  const expected = Array.from({ length: V }, () => new Array(D).fill(0));
  IDS.forEach((row, n) =>
    row.forEach((id, t) => d[n][t].forEach((g, k) => (expected[id][k] += g)))
  );
  await assertAllClose(
    dw,
    expected,
    { atol: 1e-6 },
    "dW[v] = Σ of dout where ids = v (0 for absent ids)",
  );
});

test("embeddingBackward passes the gradient check, repeated ids included", {
  task: 3,
  points: 2,
  backends: BOTH_BACKENDS,
}, async () => {
  const ids = tf.tensor2d(IDS, undefined, "int32");
  const inputs = { w: randn(new Rng(3), [V, D]) };
  await assertGradientsMatch({
    name: "embeddingBackward",
    f: ({ w }) => embeddingForward(ids, w as tf.Tensor2D)[0],
    inputs,
    backward: (dout) => ({
      w: embeddingBackward(dout as tf.Tensor3D, embeddingForward(ids, inputs.w as tf.Tensor2D)[1])
        .dw,
    }),
  });
});
