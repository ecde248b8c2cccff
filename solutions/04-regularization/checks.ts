/**
 * The argument checks of assignment 4 (provided: you do not write argument
 * checking).
 *
 * Each function calls its check on its first line, so a keep probability of
 * 0, a drop probability given where the keep probability belongs, a mode
 * misspelt or a negative strength fails at once with an error that names the
 * argument and says what to give, rather than as a net that silently never
 * learns.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../lib/random.ts";

/**
 * How dropout runs: `"train"` drops units at random (and rescales the rest),
 * `"test"` passes its input through unchanged.
 */
export type DropoutMode = "train" | "test";

/** The modes, for checks and messages. */
export const DROPOUT_MODES: readonly DropoutMode[] = ["train", "test"];

/**
 * Throws unless `p`, the probability of **keeping** a unit, is a number in
 * (0, 1]. (p = 1 keeps every unit: no dropout. p = 0 would keep none, and
 * the rescaling 1/p would divide by zero.)
 */
export function checkKeepProbability(what: string, p: unknown, name = "p"): asserts p is number {
  if (typeof p !== "number" || !(p > 0 && p <= 1)) {
    throw new Error(
      `${what}: ${name} is the probability of keeping a unit and must be in (0, 1], got ${p}. ` +
        `(0.5 keeps half the units; 1 keeps all of them, i.e. no dropout. A drop ` +
        `probability q is a keep probability of 1 − q.)`,
    );
  }
}

/** Throws unless `mode` is `"train"` or `"test"`. */
export function checkDropoutMode(what: string, mode: unknown): asserts mode is DropoutMode {
  if (!DROPOUT_MODES.includes(mode as DropoutMode)) {
    throw new Error(
      `${what}: mode must be "train" or "test", got ${JSON.stringify(mode)}. ` +
        `Use "train" while training (units dropped) and "test" to evaluate (nothing dropped).`,
    );
  }
}

/** Throws unless the net's `mode` is `"train"` or `"test"`. */
export function checkNetMode(what: string, mode: unknown): asserts mode is DropoutMode {
  if (!DROPOUT_MODES.includes(mode as DropoutMode)) {
    throw new Error(
      `${what}: mode must be "train" or "test", got ${JSON.stringify(mode)}. Use "train" while ` +
        `training (batch statistics, units dropped) and "test" to evaluate (running ` +
        `statistics, nothing dropped).`,
    );
  }
}

/** Throws unless a train-mode pass that drops units has a seeded `Rng` to draw its mask from. */
export function checkMaskRng(what: string, mode: DropoutMode, rng: unknown): void {
  if (mode === "train" && !(rng instanceof Rng)) {
    throw new Error(
      `${what}: a train-mode pass draws its dropout mask from rng, the seeded Rng of ` +
        `lib/random.ts (e.g. new Rng(0)), got ${rng}. Test mode needs none.`,
    );
  }
}

/** Throws unless `value` is a number ≥ 0 (a penalty's strength). */
export function checkStrength(what: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) {
    throw new Error(`${what}: ${name} must be a number ≥ 0 (0 turns it off), got ${value}.`);
  }
}

/** Throws unless `c`, the largest norm a unit's incoming weights may have, is a number > 0. */
export function checkMaxNorm(what: string, c: unknown): asserts c is number {
  if (typeof c !== "number" || !(c > 0) || !Number.isFinite(c)) {
    throw new Error(
      `${what}: c is the largest norm a unit's incoming weight vector may have and must be a ` +
        `number > 0 (3 or 4 are usual), got ${c}.`,
    );
  }
}

/** Throws unless `w` is a weight matrix [fan_in, fan_out]: one column per unit. */
export function checkWeightMatrix(what: string, w: unknown): asserts w is tf.Tensor2D {
  if (!(w instanceof tf.Tensor) || w.rank !== 2) {
    throw new Error(
      `${what}: w must be a weight matrix of shape [fan_in, fan_out] (column j holds unit j's ` +
        `incoming weights), got ${w instanceof tf.Tensor ? `shape [${w.shape}]` : w}.`,
    );
  }
}
