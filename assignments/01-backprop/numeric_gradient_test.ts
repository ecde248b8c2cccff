/** Tests for Task 4: numeric_gradient.ts. */
import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals, assertLess } from "../../lib/assert.ts";
import { normwiseError } from "../../lib/gradcheck.ts";
import { randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import { numericGradient } from "./numeric_gradient.ts";

test(
  "numericGradient agrees with tfjs autodiff",
  { task: 4, points: 3, backends: BOTH_BACKENDS },
  async () => {
    const rng = new Rng(0);
    const w = randn(rng, [4, 3]);
    const x = randn(rng, [5, 4]);
    const f = (x: tf.Tensor) => tf.tanh(tf.matMul(x, w));
    const dout = randn(rng, [5, 3]);
    const numeric = await numericGradient(f, x, dout);
    assertEquals(numeric.length, x.size, "one gradient value per coordinate of x");
    const exact = await tf.grad((x: tf.Tensor) => tf.sum(tf.mul(f(x), dout)))(x).data();
    const error = normwiseError(numeric, exact);
    assertLess(error, 1e-3, `norm-wise relative error ${error.toExponential(2)} vs autodiff`);
  },
);

test("numericGradient uses centred differences", { task: 4, points: 3 }, async () => {
  // For f(x) = x³ at x = 1 with h = 1e-2, the centred difference is 3 + h² = 3.0001,
  // the forward difference 3 + 3h + h² = 3.0301 and the backward one 2.9701.
  const [g] = await numericGradient((x) => tf.pow(x, 3), tf.tensor([1]), tf.tensor([1]), 1e-2);
  assertAlmostEquals(g, 3.0001, 5e-5, `got ${g}: a one-sided difference, or the wrong step?`);
});
