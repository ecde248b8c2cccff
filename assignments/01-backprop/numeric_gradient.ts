/**
 * Task 4 — A numeric gradient by centred differences, written once by hand.
 *
 * The gradient checker in `lib/gradcheck.ts` does this with more care (kinks,
 * batching, autodiff); writing the plain version shows what it measures.
 *
 * For f with output `out = f(x)` and an upstream gradient `dout` (the shape of
 * out), the gradient of Σ out·dout with respect to coordinate i of x is
 *
 *     ( Σ f(x + h·eᵢ)·dout − Σ f(x − h·eᵢ)·dout ) / 2h
 *
 * Its error shrinks like h² (the one-sided difference's shrinks only like h).
 * tfjs computes in float32, so read both outputs back and do the subtraction
 * and the sum in JavaScript numbers (float64); with float32's 7 digits,
 * h = 1e-2 is about the best step for values near 1.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { NotImplementedError } from "../../lib/errors.ts";

/**
 * The numeric gradient of Σ f(x)·dout with respect to x.
 *
 * @param f any function of one tensor made of tfjs ops
 * @param x the point, any shape (float32)
 * @param dout upstream gradient, the shape of f(x)
 * @param h the step, default 1e-2
 * @returns the gradient as a Float64Array of x.size values, in x's row-major order
 */
export async function numericGradient(
  f: (x: tf.Tensor) => tf.Tensor,
  x: tf.Tensor,
  dout: tf.Tensor,
  h = 1e-2,
): Promise<Float64Array> {
  // TODO: Implement for Task 4.
  throw new NotImplementedError("numericGradient", 4);
}
