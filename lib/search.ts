/**
 * Hyper-parameter search: random search in log space, coarse then fine, and
 * grid search to compare it with.
 *
 * The course notes' advice, as code:
 *
 * - **Search in log space** for scale-like hyper-parameters: a learning rate
 *   of 1e-4 and one of 1e-3 differ as much as 1e-3 and 1e-2 do. A dimension
 *   with `scale: "log"` is sampled uniformly in log₁₀.
 * - **Prefer random search to grid search.** With n trials a grid tries only
 *   ⁿ√n values of each hyper-parameter; random search tries n different
 *   values of every one. When one hyper-parameter matters much more than the
 *   others — the usual case — random search finds a better value of it
 *   (Bergstra & Bengio, 2012).
 * - **Coarse to fine.** Search wide ranges with short runs, then narrow the
 *   ranges to where the best results were ({@linkcode refineSpace}) and
 *   search again with longer runs.
 * - **Beware of the best value on a border** of its range: the optimum may
 *   lie outside it ({@linkcode edgeWarnings}).
 *
 * Every trial is recorded with its stage, its values and its score, and
 * {@linkcode trialsCsv} turns the lot into a results table.
 *
 * @example A random search of a made-up score, then a finer one
 * ```ts
 * import { bestTrial, randomSearch, refineSpace, type SearchSpace } from "./search.ts";
 * const space: SearchSpace = {
 *   learningRate: { min: 1e-5, max: 1e-1, scale: "log" },
 *   reg: { min: 1e-6, max: 1e-1, scale: "log" },
 * };
 * // Stands in for "train briefly, return the validation accuracy".
 * const evaluate = async ({ learningRate, reg }: Record<string, number>) =>
 *   1 - Math.abs(Math.log10(learningRate) + 3) / 10 - reg;
 * const coarse = await randomSearch({ space, trials: 20, seed: 0, stage: "coarse", evaluate });
 * const fine = await randomSearch({
 *   space: refineSpace(space, coarse, 5), trials: 10, seed: 1, stage: "fine", evaluate,
 * });
 * console.log(bestTrial([...coarse, ...fine]).params); // learningRate ≈ 1e-3, reg small
 * ```
 * @module
 */
import { stringify } from "./csv.ts";
import { rejectUnknownKeys } from "./options.ts";
import { Rng } from "./random.ts";

/** Where one hyper-parameter is searched: [min, max], uniformly in value or in log₁₀(value). */
export interface Range {
  min: number;
  max: number;
  scale: "linear" | "log";
}

/** The ranges of the hyper-parameters searched, by name. */
export type SearchSpace = Record<string, Range>;

/** One configuration tried, and how it did. */
export interface Trial {
  /** which search it belongs to, e.g. "coarse" */
  stage: string;
  /** 1, 2, … within its stage */
  trial: number;
  /** a value for each hyper-parameter */
  params: Record<string, number>;
  /** what `evaluate` returned (higher is better), e.g. a validation accuracy */
  score: number;
}

/** Scores a configuration: higher is better. NaN (a diverged run) ranks below everything. */
export type Evaluate = (params: Record<string, number>) => Promise<number>;

/**
 * Random search: `trials` configurations drawn independently from `space`
 * (seeded), each scored by `evaluate`, one after another.
 *
 * @param options.space the ranges to draw from
 * @param options.trials how many configurations, an integer ≥ 1
 * @param options.seed seeds the draws: the same seed draws the same configurations
 * @param options.stage the name recorded with each trial; default "random"
 * @param options.evaluate scores one configuration
 * @returns the trials in the order they ran
 */
export async function randomSearch(options: {
  space: SearchSpace;
  trials: number;
  seed: number;
  stage?: string;
  evaluate: Evaluate;
}): Promise<Trial[]> {
  rejectUnknownKeys("randomSearch", options, ["space", "trials", "seed", "stage", "evaluate"]);
  const { space, trials, seed, stage = "random", evaluate } = options;
  checkSpace(space);
  if (!(Number.isInteger(trials) && trials >= 1)) {
    throw new Error(`randomSearch: trials must be an integer ≥ 1, got ${trials}.`);
  }
  const rng = new Rng(seed);
  const results: Trial[] = [];
  for (let trial = 1; trial <= trials; trial++) {
    const params = Object.fromEntries(
      Object.entries(space).map(([name, range]) => [name, sample(range, rng)]),
    );
    results.push({ stage, trial, params, score: await evaluate(params) });
  }
  return results;
}

/**
 * Grid search: every combination of the given values, scored by `evaluate`.
 * The number of trials is the product of the numbers of values.
 *
 * @param options.grid the values to try for each hyper-parameter, e.g. from {@linkcode gridOf}
 * @param options.stage the name recorded with each trial; default "grid"
 * @param options.evaluate scores one configuration
 * @returns the trials, the last hyper-parameter varying fastest
 */
export async function gridSearch(options: {
  grid: Record<string, readonly number[]>;
  stage?: string;
  evaluate: Evaluate;
}): Promise<Trial[]> {
  rejectUnknownKeys("gridSearch", options, ["grid", "stage", "evaluate"]);
  const { grid, stage = "grid", evaluate } = options;
  let combinations: Record<string, number>[] = [{}];
  for (const [name, values] of Object.entries(grid)) {
    if (values.length === 0) throw new Error(`gridSearch: grid.${name} has no values.`);
    combinations = combinations.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  }
  const results: Trial[] = [];
  for (const [i, params] of combinations.entries()) {
    results.push({ stage, trial: i + 1, params, score: await evaluate(params) });
  }
  return results;
}

/**
 * Evenly spaced values across each range of `space` (in its scale), ends
 * included: the grid a grid search of the same space would use.
 *
 * @param space the ranges
 * @param points values per hyper-parameter, an integer ≥ 2
 * @returns `points` values for each hyper-parameter
 */
export function gridOf(space: SearchSpace, points: number): Record<string, number[]> {
  checkSpace(space);
  if (!(Number.isInteger(points) && points >= 2)) {
    throw new Error(`gridOf: points must be an integer ≥ 2, got ${points}.`);
  }
  return Object.fromEntries(
    Object.entries(space).map(([name, range]) => {
      const [lo, hi] = bounds(range);
      return [
        name,
        Array.from(
          { length: points },
          (_, i) => fromScale(range, lo + (hi - lo) * i / (points - 1)),
        ),
      ];
    }),
  );
}

/**
 * Coarse to fine: the ranges narrowed to where the best trials were. For
 * each hyper-parameter, the new range spans the values of the `keep` best
 * trials, widened on each side by a tenth of the old range's width (in its
 * scale) and kept inside the old range.
 *
 * @param space the ranges searched
 * @param trials the trials of that search
 * @param keep how many of the best trials to span, an integer ≥ 1
 * @returns the narrower ranges, same names and scales
 */
export function refineSpace(
  space: SearchSpace,
  trials: readonly Trial[],
  keep: number,
): SearchSpace {
  checkSpace(space);
  if (!(Number.isInteger(keep) && keep >= 1 && keep <= trials.length)) {
    throw new Error(
      `refineSpace: keep must be an integer from 1 to ${trials.length}, got ${keep}.`,
    );
  }
  const best = ranked(trials).slice(0, keep);
  return Object.fromEntries(
    Object.entries(space).map(([name, range]) => {
      const [lo, hi] = bounds(range);
      const margin = (hi - lo) / 10;
      const values = best.map((t) => toScale(range, t.params[name]));
      const min = fromScale(range, Math.max(lo, Math.min(...values) - margin));
      const max = fromScale(range, Math.min(hi, Math.max(...values) + margin));
      return [name, { min, max, scale: range.scale }];
    }),
  );
}

/**
 * The trial with the highest score.
 *
 * @throws Error if there are no trials, or none has a score that is a number
 */
export function bestTrial(trials: readonly Trial[]): Trial {
  const [best] = ranked(trials);
  if (!best || Number.isNaN(best.score)) {
    throw new Error("bestTrial: no trial has a score (every run diverged, or none ran).");
  }
  return best;
}

/**
 * Warnings for each hyper-parameter whose value in `trial` lies in the
 * outer tenth of its range: the best value may lie beyond it.
 *
 * @returns one sentence per such hyper-parameter; empty if none
 */
export function edgeWarnings(space: SearchSpace, trial: Trial): string[] {
  return Object.entries(space).flatMap(([name, range]) => {
    const [lo, hi] = bounds(range);
    const v = toScale(range, trial.params[name]);
    const side = v < lo + (hi - lo) / 10 ? "low" : v > hi - (hi - lo) / 10 ? "high" : undefined;
    return side
      ? [
        `${name} = ${trial.params[name].toPrecision(3)} is near the ${side} end of its range ` +
        `[${range.min}, ${range.max}]: the best value may lie beyond it; widen the range and search again.`,
      ]
      : [];
  });
}

/**
 * The results table: one row per trial, columns stage, trial, each
 * hyper-parameter, score.
 *
 * @returns CSV text with a header row
 */
export function trialsCsv(trials: readonly Trial[]): string {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  return stringify(
    trials.map((t) => [t.stage, t.trial, ...names.map((n) => t.params[n]), t.score]),
    { columns: ["stage", "trial", ...names, "score"] },
  );
}

/** Trials best first; NaN scores last. */
function ranked(trials: readonly Trial[]): Trial[] {
  const key = (t: Trial) => (Number.isNaN(t.score) ? -Infinity : t.score);
  return [...trials].sort((a, b) => key(b) - key(a));
}

function sample(range: Range, rng: Rng): number {
  const [lo, hi] = bounds(range);
  return fromScale(range, rng.uniform(lo, hi));
}

/** [min, max] in the range's scale. */
function bounds(range: Range): [number, number] {
  return [toScale(range, range.min), toScale(range, range.max)];
}

/** A value in the range's scale: log₁₀(value) for "log", the value itself for "linear". */
function toScale(range: Range, value: number): number {
  return range.scale === "log" ? Math.log10(value) : value;
}

function fromScale(range: Range, v: number): number {
  return range.scale === "log" ? 10 ** v : v;
}

function checkSpace(space: SearchSpace): void {
  for (const [name, range] of Object.entries(space)) {
    rejectUnknownKeys(`search space '${name}'`, range, ["min", "max", "scale"]);
    const { min, max, scale } = range;
    if (scale !== "linear" && scale !== "log") {
      throw new Error(`search space '${name}': scale must be "linear" or "log", got ${scale}.`);
    }
    if (!(Number.isFinite(min) && Number.isFinite(max) && min < max)) {
      throw new Error(`search space '${name}': need finite min < max, got [${min}, ${max}].`);
    }
    if (scale === "log" && !(min > 0)) {
      throw new Error(`search space '${name}': a log scale needs min > 0, got ${min}.`);
    }
  }
}
