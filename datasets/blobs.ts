/**
 * Gaussian blobs: K round clouds of points in the plane, one per class.
 *
 * The easy counterpart of the spiral (`spiral.ts`): the centres sit evenly
 * on the unit circle, so for a small `std` a linear classifier separates the
 * classes, and as `std` grows the clouds overlap and no classifier can.
 * Generated from a seed, so it needs no download.
 *
 *     for class k, point i:  x = (cos 2πk/K, sin 2πk/K) + std·(ε₁, ε₂),  ε ~ N(0, 1)
 *
 * @example
 * ```ts
 * import { blobs } from "./blobs.ts";
 * const { x, y } = blobs({ centers: 3, pointsPerClass: 100, std: 0.3, seed: 0 });
 * // x: Float32Array of 300×2 coordinates (row-major), y: Int32Array of 300 labels 0..2
 * ```
 * @module
 */
import { Rng } from "../lib/random.ts";
import type { PlanarData } from "./spiral.ts";

/**
 * Generates the blobs, class by class (rows 0…N−1 are class 0, and so on).
 *
 * @param options.centers K, the number of classes, default 3
 * @param options.pointsPerClass N, default 100
 * @param options.std standard deviation of each cloud, default 0.3
 * @param options.seed default 0
 */
export function blobs(
  { centers = 3, pointsPerClass = 100, std = 0.3, seed = 0 } = {},
): PlanarData {
  if (!(Number.isInteger(centers) && centers >= 2)) {
    throw new Error(`blobs: centers must be an integer ≥ 2, got ${centers}.`);
  }
  if (!(Number.isInteger(pointsPerClass) && pointsPerClass >= 1)) {
    throw new Error(`blobs: pointsPerClass must be an integer ≥ 1, got ${pointsPerClass}.`);
  }
  if (!(std >= 0)) throw new Error(`blobs: std must be ≥ 0, got ${std}.`);
  const rng = new Rng(seed);
  const count = centers * pointsPerClass;
  const x = new Float32Array(count * 2);
  const y = new Int32Array(count);
  for (let k = 0; k < centers; k++) {
    const angle = (2 * Math.PI * k) / centers;
    for (let i = 0; i < pointsPerClass; i++) {
      const row = k * pointsPerClass + i;
      x[2 * row] = Math.cos(angle) + rng.normal(0, std);
      x[2 * row + 1] = Math.sin(angle) + rng.normal(0, std);
      y[row] = k;
    }
  }
  return { x, y, count, classes: centers };
}
