/** Tests for Task 2: conv_fast.ts. */
import * as tf from "@tensorflow/tfjs";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
import { conv2d, conv2dGradients, fromArray4, toArray4, toVector } from "../../lib/float64.ts";
import { assertGradientsMatch, type Tensors } from "../../lib/gradcheck.ts";
import { randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import { convBackwardFast, convForwardFast } from "./conv_fast.ts";
import { convBackwardNaive, convForwardNaive } from "./conv_naive.ts";

/** Non-square images, C = 3 ≠ F = 4, and every stride and padding the tests use. */
const SETTINGS = [
  { x: [2, 7, 5, 3], w: [3, 3, 3, 4], conv: { stride: 2, pad: 1 } },
  { x: [2, 6, 5, 3], w: [3, 2, 3, 4], conv: { stride: 1, pad: 2 } },
  { x: [3, 5, 8, 2], w: [1, 3, 2, 5], conv: { stride: 1, pad: 0 } },
  { x: [2, 10, 7, 3], w: [3, 3, 3, 2], conv: { stride: 3, pad: 1 } },
];

function inputs(seed: number, setting: (typeof SETTINGS)[number]) {
  const rng = new Rng(seed);
  return {
    x: randn(rng, setting.x) as tf.Tensor4D,
    w: randn(rng, setting.w) as tf.Tensor4D,
    b: randn(rng, [setting.w[3]]) as tf.Tensor1D,
  };
}

const describe = ({ x, w, conv }: (typeof SETTINGS)[number]) =>
  `x [${x}], w [${w}], stride ${conv.stride}, pad ${conv.pad}`;

test(
  "convForwardFast matches the definition (float64) and tf.conv2d",
  { task: 2, points: 4 },
  async () => {
    for (const [k, setting] of SETTINGS.entries()) {
      const { x, w, b } = inputs(k, setting);
      const { stride, pad } = setting.conv;
      const [out] = convForwardFast(x, w, b, setting.conv);
      const expected = conv2d(await toArray4(x), await toArray4(w), await toVector(b), stride, pad);
      const tolerance = { rtol: 1e-5, atol: 1e-5 };
      await assertAllClose(
        out,
        fromArray4(expected),
        tolerance,
        `out for ${describe(setting)}`,
      );
      const padding: tf.backend_util.ExplicitPadding = [[0, 0], [pad, pad], [pad, pad], [0, 0]];
      await assertAllClose(
        out,
        tf.add(tf.conv2d(x, w, stride, padding), b),
        tolerance,
        `out against tf.conv2d for ${describe(setting)}`,
      );
    }
  },
);

test(
  "convBackwardFast passes the gradient check",
  { task: 2, points: 5, backends: BOTH_BACKENDS },
  async () => {
    for (const [k, setting] of SETTINGS.slice(0, 2).entries()) {
      const inputsK = inputs(10 + k, setting) as unknown as Tensors;
      const forward = ({ x, w, b }: Tensors) =>
        convForwardFast(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D, setting.conv);
      await assertGradientsMatch({
        name: `convBackwardFast (${describe(setting)})`,
        f: (p) => forward(p)[0],
        inputs: inputsK,
        maxCoordinates: 60,
        backward: (dout) => {
          const { dx, dw, db } = convBackwardFast(dout as tf.Tensor4D, forward(inputsK)[1]);
          assertShape(dx, setting.x, "dx");
          return { x: dx, w: dw, b: db };
        },
      });
    }
  },
);

test(
  "convBackwardFast matches the definition's gradients (float64)",
  { task: 2, points: 2 },
  async () => {
    for (const [k, setting] of SETTINGS.entries()) {
      const { x, w, b } = inputs(20 + k, setting);
      const [out, cache] = convForwardFast(x, w, b, setting.conv);
      const dout = randn(new Rng(30 + k), out.shape) as tf.Tensor4D;
      const { dx, dw, db } = convBackwardFast(dout, cache);
      const { stride, pad } = setting.conv;
      const expected = conv2dGradients(
        await toArray4(x),
        await toArray4(w),
        await toArray4(dout),
        stride,
        pad,
      );
      const tolerance = { rtol: 1e-5, atol: 1e-5 };
      const where = describe(setting);
      await assertAllClose(dx, fromArray4(expected.dx), tolerance, `dx for ${where}`);
      await assertAllClose(dw, fromArray4(expected.dw), tolerance, `dw for ${where}`);
      await assertAllClose(db, expected.db, tolerance, `db for ${where}`);
    }
  },
);

test(
  "naive and fast convolutions agree: the output and every gradient",
  { task: 2, points: 2 },
  async () => {
    for (const [k, setting] of SETTINGS.entries()) {
      const { x, w, b } = inputs(40 + k, setting);
      const [fast, fastCache] = convForwardFast(x, w, b, setting.conv);
      const [naive, naiveCache] = await convForwardNaive(x, w, b, setting.conv);
      const where = describe(setting);
      const tolerance = { rtol: 1e-4, atol: 1e-5 };
      await assertAllClose(fast, naive, tolerance, `fast against naive output for ${where}`);
      const dout = randn(new Rng(50 + k), fast.shape) as tf.Tensor4D;
      const f = convBackwardFast(dout, fastCache);
      const n = await convBackwardNaive(dout, naiveCache);
      await assertAllClose(f.dx, n.dx, tolerance, `fast against naive dx for ${where}`);
      await assertAllClose(f.dw, n.dw, tolerance, `fast against naive dw for ${where}`);
      await assertAllClose(f.db, n.db, tolerance, `fast against naive db for ${where}`);
    }
  },
);
