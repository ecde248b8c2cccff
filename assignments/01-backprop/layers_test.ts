/** Tests for Task 2: layers.ts. */
import * as tf from "@tensorflow/tfjs";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
import { assertGradientsMatch, type Tensors } from "../../lib/gradcheck.ts";
import { randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import {
  affineBackward,
  affineForward,
  affineReluBackward,
  affineReluForward,
  leakyReluBackward,
  leakyReluForward,
  reluBackward,
  reluForward,
  sigmoidBackward,
  sigmoidForward,
  tanhBackward,
  tanhForward,
} from "./layers.ts";

const GRADIENTS = { backends: BOTH_BACKENDS };

/** An element-wise layer's gradient check at a random x of shape [4, 5]. */
function checkElementwise(
  name: string,
  forward: (x: tf.Tensor) => [tf.Tensor, unknown],
  backward: (dout: tf.Tensor, cache: never) => { dx: tf.Tensor },
  seed: number,
) {
  const x = randn(new Rng(seed), [4, 5]);
  return assertGradientsMatch({
    name,
    f: ({ x }) => forward(x)[0],
    inputs: { x },
    backward: (dout) => ({ x: backward(dout, forward(x)[1] as never).dx }),
  });
}

test("affineForward matches CS231n's known values", { task: 2, points: 3 }, async () => {
  const x = tf.linspace(-0.1, 0.5, 240).reshape([2, 4, 5, 6]);
  const w = tf.linspace(-0.2, 0.3, 360).reshape([120, 3]) as tf.Tensor2D;
  const b = tf.linspace(-0.3, 0.1, 3) as tf.Tensor1D;
  const [out] = affineForward(x, w, b);
  await assertAllClose(
    out,
    [[1.49834967, 1.70660132, 1.91485297], [3.25553199, 3.5141327, 3.77273342]],
    { rtol: 1e-5 },
    "out",
  );
});

test("affineBackward passes the gradient check", { task: 2, points: 5, ...GRADIENTS }, async () => {
  for (const seed of [0, 1]) {
    const rng = new Rng(seed);
    const inputs = { x: randn(rng, [10, 2, 3]), w: randn(rng, [6, 5]), b: randn(rng, [5]) };
    const forward = ({ x, w, b }: Tensors) => affineForward(x, w as tf.Tensor2D, b as tf.Tensor1D);
    await assertGradientsMatch({
      name: "affineBackward",
      f: (p) => forward(p)[0],
      inputs,
      backward: (dout) => {
        const { dx, dw, db } = affineBackward(dout as tf.Tensor2D, forward(inputs)[1]);
        assertShape(dx, [10, 2, 3], "dx");
        return { x: dx, w: dw, b: db };
      },
    });
  }
});

test("reluForward matches known values", { task: 2, points: 2 }, async () => {
  const [out] = reluForward(tf.linspace(-0.5, 0.5, 12).reshape([3, 4]));
  await assertAllClose(
    out,
    [
      [0, 0, 0, 0],
      [0, 0, 0.04545455, 0.13636364],
      [0.22727273, 0.31818182, 0.40909091, 0.5],
    ],
    {},
    "out",
  );
});

test("reluBackward passes the gradient check", { task: 2, points: 3, ...GRADIENTS }, async () => {
  await checkElementwise("reluBackward", reluForward, reluBackward, 3);
});

test(
  "leakyRelu: known values and gradient check",
  { task: 2, points: 3, ...GRADIENTS },
  async () => {
    const [out] = leakyReluForward(tf.tensor([-2, -0.5, 0.5, 3]), 0.1);
    await assertAllClose(out, [-0.2, -0.05, 0.5, 3], {}, "out");
    await checkElementwise(
      "leakyReluBackward",
      (x) => leakyReluForward(x, 0.1),
      leakyReluBackward,
      4,
    );
  },
);

test("sigmoid: known values and gradient check", { task: 2, points: 3, ...GRADIENTS }, async () => {
  const [out] = sigmoidForward(tf.tensor([-1, 0, 2]));
  await assertAllClose(out, [1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2))], {}, "out");
  await checkElementwise("sigmoidBackward", sigmoidForward, sigmoidBackward, 5);
});

test("tanh: known values and gradient check", { task: 2, points: 3, ...GRADIENTS }, async () => {
  const [out] = tanhForward(tf.tensor([-1, 0, 2]));
  await assertAllClose(out, [Math.tanh(-1), 0, Math.tanh(2)], {}, "out");
  await checkElementwise("tanhBackward", tanhForward, tanhBackward, 6);
});

test("affineReluForward is affine then ReLU", { task: 2, points: 2 }, async () => {
  const rng = new Rng(7);
  const x = randn(rng, [4, 3]),
    w = randn(rng, [3, 5]) as tf.Tensor2D,
    b = randn(rng, [5]) as tf.Tensor1D;
  const [out] = affineReluForward(x, w, b);
  await assertAllClose(out, tf.relu(tf.add(tf.matMul(x, w), b)), {}, "out");
});

test(
  "affineReluBackward passes the gradient check",
  { task: 2, points: 4, ...GRADIENTS },
  async () => {
    const rng = new Rng(8);
    const inputs = { x: randn(rng, [6, 4]), w: randn(rng, [4, 5]), b: randn(rng, [5]) };
    const forward = ({ x, w, b }: Tensors) =>
      affineReluForward(x, w as tf.Tensor2D, b as tf.Tensor1D);
    await assertGradientsMatch({
      name: "affineReluBackward",
      f: (p) => forward(p)[0],
      inputs,
      backward: (dout) => {
        const { dx, dw, db } = affineReluBackward(dout as tf.Tensor2D, forward(inputs)[1]);
        return { x: dx, w: dw, b: db };
      },
    });
  },
);
