/**
 * The argument checks of the normalisation layers (provided: you do not
 * write argument checking).
 *
 * Each layer calls its check on its first line, so a wrong mode string, a γ
 * of the wrong shape, a momentum of 1 or an ε of 0 fails at once with an
 * error that names the argument and says what to give instead, rather than
 * as a shape error deep inside tfjs or as a net that silently never learns.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { rejectUnknownKeys } from "../../lib/options.ts";

/**
 * How a normalisation layer runs: `"train"` normalises with the statistics
 * of the batch (and updates the running statistics), `"test"` with the
 * running statistics only.
 */
export type NormMode = "train" | "test";

/** The modes, for checks and messages. */
export const NORM_MODES: readonly NormMode[] = ["train", "test"];

/** ε, added to the variance inside the square root, when none is given. */
export const DEFAULT_EPS = 1e-5;

/** The running statistics' momentum when none is given (CS231n's: keep 90% each step). */
export const DEFAULT_MOMENTUM = 0.9;

/** Throws unless `mode` is `"train"` or `"test"`. */
export function checkMode(what: string, mode: unknown): asserts mode is NormMode {
  if (!NORM_MODES.includes(mode as NormMode)) {
    throw new Error(
      `${what}: mode must be "train" or "test", got ${JSON.stringify(mode)}. ` +
        `Use "train" while training (batch statistics) and "test" to evaluate (running statistics).`,
    );
  }
}

/** Throws unless `eps` is a number > 0. */
export function checkEps(what: string, eps: unknown): void {
  if (typeof eps !== "number" || !(eps > 0) || !Number.isFinite(eps)) {
    throw new Error(
      `${what}: eps must be a number > 0 (it keeps 1/√(σ² + ε) finite where a feature is ` +
        `constant; 1e-5 is usual), got ${eps}.`,
    );
  }
}

/** Throws unless `momentum` is a number in [0, 1). */
export function checkMomentum(what: string, momentum: unknown): void {
  if (typeof momentum !== "number" || !(momentum >= 0 && momentum < 1)) {
    throw new Error(
      `${what}: momentum must be in [0, 1) (the fraction of the running statistics kept at ` +
        `each training step; 0.9 is usual), got ${momentum}.`,
    );
  }
}

/** Throws unless `options` holds only `known` keys, each valid. */
export function checkNormOptions(
  what: string,
  options: { eps?: unknown; momentum?: unknown },
  known: readonly ("eps" | "momentum")[],
): void {
  rejectUnknownKeys(what, options, known);
  if (options.eps !== undefined) checkEps(what, options.eps);
  if (options.momentum !== undefined) checkMomentum(what, options.momentum);
}

/**
 * Throws unless `x` is a batch of rows [N, D] and every vector in `perFeature`
 * (γ, β, the running statistics) has shape [D].
 *
 * @param what the function, for the message
 * @param x the layer's input
 * @param perFeature name → tensor, e.g. `{ gamma, beta }`
 * @param minRows the fewest rows x may have
 */
export function checkFeatureShapes(
  what: string,
  x: tf.Tensor,
  perFeature: Record<string, tf.Tensor>,
  minRows = 1,
): void {
  if (!(x instanceof tf.Tensor) || x.rank !== 2) {
    throw new Error(
      `${what}: x must be a batch of rows, shape [N, D], got ${describeShape(x)}. ` +
        `Flatten each example first (x.reshape([N, -1])).`,
    );
  }
  const [n, d] = x.shape;
  if (n < minRows) {
    throw new Error(
      `${what}: x has ${n} row${n === 1 ? "" : "s"}, but training-mode batch statistics need ` +
        `at least ${minRows} (the variance of one example is 0). Use batches of 2 or more.`,
    );
  }
  for (const [name, t] of Object.entries(perFeature)) {
    if (!(t instanceof tf.Tensor) || t.rank !== 1 || t.shape[0] !== d) {
      throw new Error(
        `${what}: ${name} must have shape [${d}] (one value per feature of x, which is [${n}, ${d}]), ` +
          `got ${describeShape(t)}.`,
      );
    }
  }
}

function describeShape(t: unknown): string {
  return t instanceof tf.Tensor ? `shape [${t.shape}]` : `${t === null ? "null" : typeof t}`;
}
