/**
 * The spiral data set: K interleaved arms of points in the plane.
 *
 * CS231n's case study for a first neural network: no line separates the
 * arms, so a linear classifier stalls near 1/K·(a little more) accuracy while
 * a two-layer net fits them. Generated from a seed, so it needs no download.
 *
 *     for class k, point i of N:  r = i/(N−1),  θ = 4k + 4·i/(N−1) + 0.2·ε,  x = (r sin θ, r cos θ)
 *
 * @example
 * ```ts
 * import { spiral } from "./spiral.ts";
 * const { x, y } = spiral({ pointsPerClass: 100, classes: 3, seed: 0 });
 * // x: Float32Array of 300×2 coordinates (row-major), y: Int32Array of 300 labels 0..2
 * ```
 * @module
 */
import { Rng } from "../lib/random.ts";

/** Points as rows of x (N·K rows of 2 numbers, row-major) and their class labels. */
export interface PlanarData {
  /** coordinates, N·K rows × 2, row-major */
  x: Float32Array;
  /** class of each row, 0…K−1 */
  y: Int32Array;
  /** number of rows */
  count: number;
  /** number of classes K */
  classes: number;
}

/**
 * Generates the spiral.
 *
 * @param options.pointsPerClass N, default 100
 * @param options.classes K, default 3
 * @param options.noise standard deviation of the angle noise, default 0.2
 * @param options.seed default 0
 */
export function spiral(
  { pointsPerClass = 100, classes = 3, noise = 0.2, seed = 0 } = {},
): PlanarData {
  if (!(Number.isInteger(pointsPerClass) && pointsPerClass >= 2)) {
    throw new Error(`spiral: pointsPerClass must be an integer ≥ 2, got ${pointsPerClass}.`);
  }
  if (!(Number.isInteger(classes) && classes >= 2)) {
    throw new Error(`spiral: classes must be an integer ≥ 2, got ${classes}.`);
  }
  const rng = new Rng(seed);
  const count = pointsPerClass * classes;
  const x = new Float32Array(count * 2);
  const y = new Int32Array(count);
  for (let k = 0; k < classes; k++) {
    for (let i = 0; i < pointsPerClass; i++) {
      const row = k * pointsPerClass + i;
      const r = i / (pointsPerClass - 1);
      const theta = 4 * k + (4 * i) / (pointsPerClass - 1) + rng.normal(0, noise);
      x[2 * row] = r * Math.sin(theta);
      x[2 * row + 1] = r * Math.cos(theta);
      y[row] = k;
    }
  }
  return { x, y, count, classes };
}
