/**
 * Task 5 — Learning-rate schedules: start large, end small.
 *
 * Early in training a large learning rate covers ground fast; later it makes
 * the loss bounce around the bottom of a valley instead of settling into it.
 * A schedule lowers the rate as the epochs go by. Each function here builds
 * a {@linkcode Schedule} (`lib/optimizer.ts`): a function that, given the
 * rate of epoch 0 and an epoch number (0, 1, 2, …), returns that epoch's rate.
 * The Solver asks it once at the start of every epoch.
 *
 * @module
 */
import type { Schedule } from "../../lib/optimizer.ts";
import { rejectUnknownKeys } from "../../lib/options.ts";
import { NotImplementedError } from "../../lib/errors.ts";

/**
 * Task 5 — Step decay: multiply the rate by `factor` every `every` epochs.
 *
 *     rate(epoch) = initialRate · factor^⌊epoch / every⌋
 *
 * @param options `every`: epochs between drops, an integer ≥ 1; `factor`: in (0, 1], e.g. 0.5
 * @returns the schedule: (initialRate, epoch) → rate, a number > 0
 * @example
 * ```ts
 * import { stepDecay } from "./schedules.ts";
 * const schedule = stepDecay({ every: 2, factor: 0.5 });
 * console.log([0, 1, 2, 3, 4].map((epoch) => schedule(0.1, epoch))); // [0.1, 0.1, 0.05, 0.05, 0.025]
 * ```
 */
export function stepDecay(options: { every: number; factor: number }): Schedule {
  rejectUnknownKeys("stepDecay", options, ["every", "factor"]);
  const { every, factor } = options;
  if (!(Number.isInteger(every) && every >= 1)) {
    throw new Error(`stepDecay: every must be a whole number of epochs ≥ 1, got ${every}.`);
  }
  if (!(factor > 0 && factor <= 1)) {
    throw new Error(`stepDecay: factor must be in (0, 1], got ${factor}.`);
  }
  // TODO: Implement for Task 5.
  throw new NotImplementedError("stepDecay", 5);
}

/**
 * Task 5 — Exponential decay: the rate shrinks by the same factor e^(−k) every epoch.
 *
 *     rate(epoch) = initialRate · e^(−k · epoch)
 *
 * @param options `k` ≥ 0, the decay per epoch (k = 0 keeps the rate constant)
 * @returns the schedule: (initialRate, epoch) → rate, a number > 0
 * @example
 * ```ts
 * import { exponentialDecay } from "./schedules.ts";
 * const schedule = exponentialDecay({ k: Math.LN2 }); // halves every epoch
 * console.log(schedule(0.1, 3)); // ≈ 0.0125
 * ```
 */
export function exponentialDecay(options: { k: number }): Schedule {
  rejectUnknownKeys("exponentialDecay", options, ["k"]);
  checkDecay("exponentialDecay", options.k);
  // TODO: Implement for Task 5.
  throw new NotImplementedError("exponentialDecay", 5);
}

/**
 * Task 5 — 1/t decay: the rate falls like 1/epoch, slower than any exponential.
 *
 *     rate(epoch) = initialRate / (1 + k · epoch)
 *
 * @param options `k` ≥ 0: the rate is halved at epoch 1/k
 * @returns the schedule: (initialRate, epoch) → rate, a number > 0
 * @example
 * ```ts
 * import { inverseTimeDecay } from "./schedules.ts";
 * const schedule = inverseTimeDecay({ k: 0.5 });
 * console.log([0, 2, 6].map((epoch) => schedule(0.1, epoch))); // [0.1, 0.05, 0.025]
 * ```
 */
export function inverseTimeDecay(options: { k: number }): Schedule {
  rejectUnknownKeys("inverseTimeDecay", options, ["k"]);
  checkDecay("inverseTimeDecay", options.k);
  // TODO: Implement for Task 5.
  throw new NotImplementedError("inverseTimeDecay", 5);
}

function checkDecay(schedule: string, k: number): void {
  if (!(k >= 0 && k < Infinity)) {
    throw new Error(`${schedule}: k must be a number ≥ 0 (0 keeps the rate constant), got ${k}.`);
  }
}
