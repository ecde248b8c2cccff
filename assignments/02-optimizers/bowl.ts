/**
 * The anisotropic bowl f(x, y) = x²/20 + y²: where plain gradient descent
 * struggles, and what momentum and per-coordinate step sizes do about it.
 *
 *     deno task bowl    # your update rules, in assignments/02-optimizers/
 *
 * The bowl is 20 times steeper along y than along x (its Hessian is
 * diag(0.1, 2)). Gradient descent must keep its learning rate below 1 or it
 * diverges along y — and at such a rate it crawls along x, shrinking x by at
 * most 10% a step. Momentum builds up speed along x; AdaGrad, RMSProp and
 * Adam give each coordinate its own step size.
 *
 * Every method starts at (−7, 2) and runs 150 steps; we count the steps it
 * needs to get within 1e-2 of the minimum (0, 0) and stay there. The script
 * prints that count for each method and writes `out/bowl_paths.svg`, the
 * paths drawn over the bowl's contour lines, and `out/bowl_distance.svg`,
 * each method's distance to the minimum step by step. The assignment's
 * notebook draws the same charts with the functions exported here.
 *
 * @module
 */
import { parseArgs } from "../../lib/cli.ts";
import { runScript } from "../../lib/script.ts";
import * as tf from "@tensorflow/tfjs";
import { describeBackend, setupBackend } from "../../lib/backend.ts";
import type { OptimConfig, UpdateRule } from "../../lib/optimizer.ts";
import { lineChart } from "../../lib/plot.ts";
import { readAll } from "../../lib/read.ts";
import { adagrad, adam, nesterov, rmsprop, sgd, sgdMomentum } from "./optim.ts";

/** Where every method starts. */
export const START: readonly [number, number] = [-7, 2];
/** How close to the minimum (0, 0) counts as there. */
export const TOLERANCE = 1e-2;
/** How many steps every method runs. */
export const STEPS = 150;

/**
 * The bowl: f(p) = p₀²/20 + p₁².
 *
 * @param p the point, shape [2]
 * @returns f(p), a scalar
 */
export function bowl(p: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(tf.square(p), [1 / 20, 1]));
}

/**
 * The bowl's gradient: ∇f(p) = (p₀/10, 2·p₁).
 *
 * @param p the point, shape [2]
 * @returns ∇f(p), shape [2]
 */
export function bowlGradient(p: tf.Tensor): tf.Tensor {
  return tf.mul(p, [1 / 10, 2]);
}

/**
 * Runs an update rule on the bowl from {@linkcode START}.
 *
 * @param rule the update rule
 * @param config its hyper-parameters
 * @param steps how many steps, default {@linkcode STEPS}
 * @returns the path: steps + 1 points [x, y], the start first
 * @example
 * ```ts
 * import { setupBackend } from "../../lib/backend.ts";
 * import { descend, stepsToMinimum } from "./bowl.ts";
 * import { sgd } from "./optim.ts";
 * await setupBackend();
 * const path = await descend(sgd, { learningRate: 0.9 });
 * console.log(path.length, stepsToMinimum(path)); // 151 70
 * ```
 */
export async function descend<C extends OptimConfig>(
  rule: UpdateRule<C>,
  config: C,
  steps = STEPS,
): Promise<[number, number][]> {
  let p: tf.Tensor = tf.tensor1d(START as [number, number]);
  const points = [p];
  for (let i = 0; i < steps; i++) {
    [p, config] = tf.tidy(() => rule(p, bowlGradient(p), config));
    points.push(p);
  }
  const [flat] = await readAll([tf.stack(points)]);
  tf.dispose([...points, ...Object.values(config).filter((v) => v instanceof tf.Tensor)]);
  return Array.from({ length: steps + 1 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);
}

/**
 * The number of steps after which a path stays within `tolerance` of the
 * minimum (0, 0) to its end; Infinity if its last point is not within it.
 *
 * @param path points [x, y], the start first
 * @param tolerance the distance that counts as there, default {@linkcode TOLERANCE}
 * @returns a step count, from 0 (the path starts there) to path.length − 1, or Infinity
 */
export function stepsToMinimum(path: readonly [number, number][], tolerance = TOLERANCE): number {
  const outside = path.findLastIndex(([x, y]) => !(Math.hypot(x, y) <= tolerance));
  return outside === path.length - 1 ? Infinity : outside + 1;
}

/** One method on the bowl: its name, its hyper-parameters, and a run of it. */
export interface BowlRun {
  name: string;
  config: OptimConfig;
  /** {@linkcode descend} with this method's rule and config */
  descend(): Promise<[number, number][]>;
}

function bowlRun<C extends OptimConfig>(name: string, rule: UpdateRule<C>, config: C): BowlRun {
  return { name, config, descend: () => descend(rule, config) };
}

/**
 * The methods the script compares, with hyper-parameters chosen for this
 * bowl. The usual momentum of 0.9 (and Adam's β₁ = 0.9) is too much here:
 * on a bowl this small it overshoots and circles the minimum for a hundred
 * steps. The best momentum for a quadratic with curvatures 0.1 and 2 is
 * ((√20 − 1)/(√20 + 1))² ≈ 0.4.
 */
export const BOWL_RUNS: readonly BowlRun[] = [
  bowlRun("momentum", sgdMomentum, { learningRate: 1, momentum: 0.5 }),
  bowlRun("Nesterov", nesterov, { learningRate: 0.5, momentum: 0.7 }),
  bowlRun("AdaGrad", adagrad, { learningRate: 4, epsilon: 1e-8 }),
  bowlRun("RMSProp", rmsprop, { learningRate: 0.15, decayRate: 0.99, epsilon: 1e-8 }),
  bowlRun("Adam", adam, { learningRate: 0.8, beta1: 0.6, beta2: 0.999, epsilon: 1e-8 }),
];

/** The stable learning rates of gradient descent on the bowl, tried to find its best: 0.05, 0.10, …, 0.95. */
export const SGD_RATES: readonly number[] = Array.from({ length: 19 }, (_, i) => (i + 1) / 20);

/** One method's run in the comparison: its name, hyper-parameters, path and step count. */
export interface BowlResult {
  name: string;
  config: OptimConfig;
  path: [number, number][];
  /** {@linkcode stepsToMinimum} of the path */
  steps: number;
}

/**
 * The comparison the script prints and draws: gradient descent at its best
 * stable rate (the one of {@linkcode SGD_RATES} that reaches the minimum in
 * the fewest steps), then every method of {@linkcode BOWL_RUNS}.
 */
export async function compareOnBowl(): Promise<BowlResult[]> {
  let best: BowlResult | undefined;
  for (const learningRate of SGD_RATES) {
    const path = await descend(sgd, { learningRate });
    const steps = stepsToMinimum(path);
    if (!best || steps < best.steps) {
      best = { name: `SGD (lr ${learningRate})`, config: { learningRate }, path, steps };
    }
  }
  const results = [best!];
  for (const { name, config, descend } of BOWL_RUNS) {
    const path = await descend();
    results.push({ name, config, path, steps: stepsToMinimum(path) });
  }
  return results;
}

/**
 * The paths over the bowl's contour lines, as an SVG document.
 *
 * @param paths each method's name and path (points [x, y])
 * @returns the SVG text
 */
export function pathsChart(paths: readonly { name: string; path: [number, number][] }[]): string {
  const levels = [0.1, 0.5, 1.5, 3];
  const angles = Array.from({ length: 121 }, (_, i) => (2 * Math.PI * i) / 120);
  const contours = levels.map((level) => ({
    name: `f = ${level}`,
    x: angles.map((a) => Math.sqrt(20 * level) * Math.cos(a)),
    y: angles.map((a) => Math.sqrt(level) * Math.sin(a)),
    color: "#dddddd",
    legend: false,
  }));
  return lineChart({
    title: "Paths on f(x, y) = x²/20 + y², from (−7, 2)",
    xLabel: "x",
    yLabel: "y",
    series: [
      ...contours,
      ...paths.map(({ name, path }) => ({
        name,
        x: path.map((p) => p[0]),
        y: path.map((p) => p[1]),
      })),
    ],
  });
}

/**
 * Each method's distance to the minimum, step by step (log scale, down to a
 * hundredth of {@linkcode TOLERANCE}, drawn as a grey line), as an SVG
 * document: where the paths chart shows the route, this shows the pace.
 *
 * @param paths each method's name and path (points [x, y])
 * @returns the SVG text
 */
export function distanceChart(
  paths: readonly { name: string; path: [number, number][] }[],
): string {
  return lineChart({
    title: "Distance to the minimum (0, 0)",
    subtitle: `within ${TOLERANCE} (the grey line) counts as there`,
    xLabel: "step",
    yLabel: "distance",
    series: [
      ...paths.map(({ name, path }) => ({ name, y: path.map(([x, y]) => Math.hypot(x, y)) })),
      {
        name: "tolerance",
        y: [TOLERANCE, TOLERANCE],
        x: [0, STEPS],
        color: "#999999",
        legend: false,
      },
    ],
    logY: true,
    yDomain: [TOLERANCE / 100, 10],
  });
}

const USAGE = `usage: deno task bowl

Runs your update rules (Tasks 1–4) on the anisotropic bowl and writes
out/bowl_paths.svg and out/bowl_distance.svg.`;

if (import.meta.main) {
  await runScript(USAGE, async (args) => {
    parseArgs(args); // no flags: an unknown one is an error, not ignored
    console.log(`backend: ${describeBackend(await setupBackend())}`);
    const results = await compareOnBowl();
    for (const { name, config, steps } of results) {
      console.log(`${name} ${JSON.stringify(config)}: ${steps} steps`);
    }
    await Deno.mkdir("out", { recursive: true });
    await Deno.writeTextFile("out/bowl_paths.svg", pathsChart(results));
    await Deno.writeTextFile("out/bowl_distance.svg", distanceChart(results));
    console.log("wrote out/bowl_paths.svg and out/bowl_distance.svg");
  });
}
