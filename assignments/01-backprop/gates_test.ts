/** Tests for Task 1: gates.ts. */
import * as tf from "@tensorflow/tfjs";
import { assertAllClose } from "../../lib/assert_tensor.ts";
import { assertGradientsMatch } from "../../lib/gradcheck.ts";
import { randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import {
  addBackward,
  addForward,
  maxBackward,
  maxForward,
  multiplyBackward,
  multiplyForward,
  sigmoidNeuronBackward,
  sigmoidNeuronForward,
} from "./gates.ts";

const x = () => tf.tensor([[1, -2], [3, 0.5]]);
const y = () => tf.tensor([[4, 5], [-1, 0.25]]);
const dout = () => tf.tensor([[0.5, -1], [2, 3]]);

test(
  "add gate: forward adds, backward routes dout to both inputs",
  { task: 1, points: 2 },
  async () => {
    const [out, cache] = addForward(x(), y());
    await assertAllClose(out, [[5, 3], [2, 0.75]], {}, "out");
    const { dx, dy } = addBackward(dout(), cache);
    await assertAllClose(dx, dout(), {}, "dx");
    await assertAllClose(dy, dout(), {}, "dy");
  },
);

test("multiply gate: backward swaps the inputs", { task: 1, points: 2 }, async () => {
  const [out, cache] = multiplyForward(x(), y());
  await assertAllClose(out, [[4, -10], [-3, 0.125]], {}, "out");
  const { dx, dy } = multiplyBackward(dout(), cache);
  await assertAllClose(dx, [[2, -5], [-2, 0.75]], {}, "dx = dout·y");
  await assertAllClose(dy, [[0.5, 2], [6, 1.5]], {}, "dy = dout·x");
});

test("max gate: backward routes dout to the larger input", { task: 1, points: 2 }, async () => {
  const [out, cache] = maxForward(x(), y());
  await assertAllClose(out, [[4, 5], [3, 0.5]], {}, "out");
  const { dx, dy } = maxBackward(dout(), cache);
  await assertAllClose(dx, [[0, 0], [2, 3]], {}, "dx");
  await assertAllClose(dy, [[0.5, -1], [0, 0]], {}, "dy");
  // On a tie the gradient goes to x, as the handout says.
  const [, tie] = maxForward(tf.tensor([2, -1, 0]), tf.tensor([2, -1, 1]));
  const split = maxBackward(tf.tensor([3, -4, 5]), tie);
  await assertAllClose(split.dx, [3, -4, 0], {}, "dx where x and y tie (x takes dout)");
  await assertAllClose(split.dy, [0, 0, 5], {}, "dy where x and y tie (y gets nothing)");
});

test("gates pass the gradient check", { task: 1, points: 2, backends: BOTH_BACKENDS }, async () => {
  const rng = new Rng(1);
  const inputs = { x: randn(rng, [3, 4]), y: randn(rng, [3, 4]) };
  const gates = [
    ["addBackward", addForward, addBackward],
    ["multiplyBackward", multiplyForward, multiplyBackward],
    ["maxBackward", maxForward, maxBackward],
  ] as const;
  for (const [name, forward, backward] of gates) {
    await assertGradientsMatch({
      name,
      f: ({ x, y }) => forward(x, y)[0],
      inputs,
      backward: (d) => {
        const { dx, dy } = backward(d, forward(inputs.x, inputs.y)[1]);
        return { x: dx, y: dy };
      },
    });
  }
});

test("sigmoid neuron: the known values", { task: 1, points: 2 }, async () => {
  const w = tf.tensor1d([2, -3, -3]), x = tf.tensor1d([-1, -2]);
  const [f, cache] = sigmoidNeuronForward(w, x);
  await assertAllClose(f, 0.7311, { atol: 1e-4 }, "f");
  // CS231n's example has dout = 1; with dout = −2 every gradient doubles and flips.
  const { dw, dx } = sigmoidNeuronBackward(tf.scalar(-2), cache);
  await assertAllClose(dx, [-0.7864, 1.1796], { atol: 2e-4 }, "dx for dout = −2");
  await assertAllClose(dw, [0.3932, 0.7864, -0.3932], { atol: 2e-4 }, "dw for dout = −2");
});

test(
  "sigmoid neuron passes the gradient check",
  { task: 1, points: 2, backends: BOTH_BACKENDS },
  async () => {
    const rng = new Rng(2);
    const inputs = { w: randn(rng, [4]) as tf.Tensor1D, x: randn(rng, [3]) as tf.Tensor1D };
    await assertGradientsMatch({
      name: "sigmoidNeuronBackward",
      f: ({ w, x }) => sigmoidNeuronForward(w as tf.Tensor1D, x as tf.Tensor1D)[0],
      inputs,
      backward: (d) => {
        const { dw, dx } = sigmoidNeuronBackward(
          d as tf.Scalar,
          sigmoidNeuronForward(inputs.w, inputs.x)[1],
        );
        return { w: dw, x: dx };
      },
    });
  },
);
