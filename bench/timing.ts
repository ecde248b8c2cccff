/**
 * Timing one benchmark: warm-up excluded, several runs, the fastest and the median reported.
 *
 * `iteration` does one unit of work (one op, one training step) and returns a
 * tensor; the last tensor of each run is read back with `await data()`, so the
 * time includes finishing the work on the device (WebGPU queues it), and each
 * run pays for exactly one host round trip. The first call is timed on its
 * own (`firstMs`): on WebGPU it includes compiling the shaders.
 *
 * Tensors made by an iteration are freed after it, so memory stays flat.
 *
 * The fastest run is the headline figure: on a shared 2-core machine other
 * processes only ever add time, so the minimum is the most repeatable
 * estimate of what the code costs; the median shows how noisy it was.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { measure } from "./timing.ts";
 * const a = tf.ones([256, 256]);
 * const t = await measure(() => tf.matMul(a, a), { runs: 5, targetMs: 200 });
 * console.log(t.minMs, t.medianMs, t.firstMs); // ms per matMul: fastest run, median run, first call
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** How long to measure. */
export interface MeasureOptions {
  /** Timed runs; the median is reported. At least 1. */
  runs: number;
  /** Each run repeats the iteration about this long (from one timed iteration), 1 to 1000 times. */
  targetMs: number;
  /** Untimed iterations after the first call and before the runs. Default 2. */
  warmup?: number;
}

/** The times of one benchmark, in milliseconds per iteration. */
export interface Timing {
  /** Each run's time per iteration, in run order. */
  ms: number[];
  /** The fastest run's time per iteration. */
  minMs: number;
  /** The median of `ms`. */
  medianMs: number;
  /** Iterations per run. */
  iterations: number;
  /** The very first call, read back: includes one-time costs such as shader compilation. */
  firstMs: number;
}

/** Times `iteration` (see the module doc): first call, warm-up, then `runs` runs of n iterations. */
export async function measure(
  iteration: () => tf.Tensor,
  { runs, targetMs, warmup = 2 }: MeasureOptions,
): Promise<Timing> {
  if (!(runs >= 1)) throw new Error(`measure needs runs ≥ 1, got ${runs}.`);
  const { firstMs, iterations } = await warmUp(iteration, targetMs, warmup);
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) ms.push(await timeRun(iteration, iterations));
  return summarize(ms, iterations, firstMs);
}

/**
 * The first call (timed), `warmup` untimed calls, and one more timed call that sets how
 * many iterations make a run of about `targetMs` (1 to 1000).
 */
export async function warmUp(
  iteration: () => tf.Tensor,
  targetMs: number,
  warmup = 2,
): Promise<{ firstMs: number; iterations: number }> {
  if (!(targetMs > 0)) throw new Error(`targetMs must be positive, got ${targetMs}.`);
  const firstMs = await timeIterations(iteration, 1);
  for (let i = 0; i < warmup; i++) await timeIterations(iteration, 1);
  const one = Math.max(await timeIterations(iteration, 1), 1e-3);
  return { firstMs, iterations: Math.max(1, Math.min(1000, Math.round(targetMs / one))) };
}

/** One run: `iterations` calls, the last result read back; returns ms per iteration. */
export async function timeRun(iteration: () => tf.Tensor, iterations: number): Promise<number> {
  return (await timeIterations(iteration, iterations)) / iterations;
}

/** The {@linkcode Timing} of runs `ms` (ms per iteration each). */
export function summarize(ms: number[], iterations: number, firstMs: number): Timing {
  return { ms, minMs: Math.min(...ms), medianMs: median(ms), iterations, firstMs };
}

/** Runs `iteration` n times, reads the last result back, and returns the total ms. */
async function timeIterations(iteration: () => tf.Tensor, n: number): Promise<number> {
  const start = performance.now();
  let last: tf.Tensor | undefined;
  for (let i = 0; i < n; i++) {
    last?.dispose();
    last = tf.tidy(iteration);
  }
  await last!.data();
  const elapsed = performance.now() - start;
  last!.dispose();
  return elapsed;
}

/** The median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of an empty list.");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
