/** Tests for Task 1: conv_naive.ts. */
import * as tf from "@tensorflow/tfjs";
import { assertAllClose } from "../../lib/assert_tensor.ts";
import { conv2d, conv2dGradients, fromArray4, toArray4, toVector } from "../../lib/float64.ts";
import { randn, Rng } from "../../lib/random.ts";
import { test } from "../../lib/testing.ts";
import { convBackwardNaive, convForwardNaive } from "./conv_naive.ts";

/** Random x [2, 7, 5, 3], w [3, 3, 3, 4], b [4]: non-square images, C ≠ F. */
function inputs(seed: number) {
  const rng = new Rng(seed);
  return {
    x: randn(rng, [2, 7, 5, 3]) as tf.Tensor4D,
    w: randn(rng, [3, 3, 3, 4]) as tf.Tensor4D,
    b: randn(rng, [4]) as tf.Tensor1D,
  };
}

/** The settings every test runs: stride 2 with padding 1, stride 1 with padding 2, stride 1 without. */
const SETTINGS = [{ stride: 2, pad: 1 }, { stride: 1, pad: 2 }, { stride: 1, pad: 0 }];

test(
  "convForwardNaive matches the definition (float64), with stride and padding",
  { task: 1, points: 5 },
  async () => {
    const { x, w, b } = inputs(0);
    const [x64, w64, b64] = [await toArray4(x), await toArray4(w), await toVector(b)];
    for (const conv of SETTINGS) {
      const [out] = await convForwardNaive(x, w, b, conv);
      const expected = conv2d(x64, w64, b64, conv.stride, conv.pad);
      await assertAllClose(
        out,
        fromArray4(expected),
        { rtol: 1e-5, atol: 1e-5 },
        `out with stride ${conv.stride}, pad ${conv.pad}`,
      );
    }
  },
);

test(
  "convBackwardNaive's dx, dw and db match the definition (float64)",
  { task: 1, points: 7 },
  async () => {
    const { x, w, b } = inputs(1);
    const [x64, w64] = [await toArray4(x), await toArray4(w)];
    for (const [k, conv] of SETTINGS.entries()) {
      const [out, cache] = await convForwardNaive(x, w, b, conv);
      const dout = randn(new Rng(10 + k), out.shape) as tf.Tensor4D;
      const { dx, dw, db } = await convBackwardNaive(dout, cache);
      const expected = conv2dGradients(x64, w64, await toArray4(dout), conv.stride, conv.pad);
      const where = `with stride ${conv.stride}, pad ${conv.pad}`;
      const tolerance = { rtol: 1e-5, atol: 1e-5 };
      await assertAllClose(dx, fromArray4(expected.dx), tolerance, `dx ${where}`);
      await assertAllClose(dw, fromArray4(expected.dw), tolerance, `dw ${where}`);
      await assertAllClose(db, expected.db, tolerance, `db ${where}`);
    }
  },
);
