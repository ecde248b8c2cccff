/**
 * Task 3 — Penalties on the weights, and the max-norm constraint.
 *
 * **L2** adds ½·reg·Σw² to the loss; its gradient reg·w pulls each weight
 * towards 0 in proportion to its size. Big weights shrink fast, small ones
 * slowly, and hardly any reaches 0: L2 prefers many small weights — a net
 * that uses all of its inputs a little ("diffuse" weights).
 *
 * **L1** adds l1·Σ|w|; its gradient l1·sign(w) pulls every weight towards 0
 * by the same amount, however small it already is. A weight whose data
 * gradient is weaker than that pull is driven to 0 and stays there,
 * jittering by a step's size: L1 makes the weights **sparse**, and the net
 * ignores the inputs it can do without.
 *
 * Both penalise the **weights** Wₗ only. Biases, batchnorm's γ and β do not
 * multiply the data, do not make the net's function more complicated, and are
 * not penalised.
 *
 * **Max-norm** does not add a penalty; it is a constraint, enforced after
 * every update: the vector of incoming weights of each unit (a column of W,
 * shape [fan_in, fan_out]) is scaled back to norm c whenever it grows past
 * c. However large the learning rate, the weights cannot explode — the
 * reason it pairs well with dropout's noisy, large steps.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { OptimConfig, UpdateRule } from "../../lib/optimizer.ts";
import { rejectUnknownKeys } from "../../lib/options.ts";
import type { Params } from "../../lib/solver.ts";
import { checkMaxNorm, checkStrength, checkWeightMatrix } from "./checks.ts";
import { NotImplementedError } from "../../lib/errors.ts";

/** The strengths of the two penalties. Any other key is an error. */
export interface PenaltyOptions {
  /** L2 strength, ≥ 0: the penalty ½·reg·Σw²; default 0 */
  reg?: number;
  /** L1 strength, ≥ 0: the penalty l1·Σ|w|; default 0 */
  l1?: number;
}

/** Whether a parameter's name is a weight matrix's, `W1`, `W2`, …: what the penalties apply to. */
export function isWeight(name: string): boolean {
  return /^W\d+$/.test(name);
}

/**
 * Task 3 — The L2 and L1 penalties of a net's weights, and their gradients.
 *
 *     penalty = Σ over the weights W (isWeight) of  ½·reg·Σ W² + l1·Σ |W|
 *     ∂penalty/∂W = reg·W + l1·sign(W)      (sign(0) = 0: tf.sign)
 *
 * Leave every other parameter (b, γ, β) out: no penalty, no gradient entry.
 *
 * @param params the net's parameters (W1, b1, …); only the weights are read
 * @param options `{ reg?, l1? }`, each ≥ 0
 * @returns `{ penalty, grads }`: a scalar, and one gradient per weight
 *   matrix, under its name and of its shape
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { weightPenalty } from "./regularizers.ts";
 * const params = { W1: tf.tensor2d([[1, -2]]), b1: tf.tensor1d([5, 5]) };
 * const { penalty, grads } = weightPenalty(params, { reg: 0.1, l1: 0.01 });
 * console.log(await penalty.data()); // [0.28]: ½·0.1·(1 + 4) + 0.01·(1 + 2)
 * console.log(Object.keys(grads));   // ["W1"]: b1 is not penalised
 * ```
 */
export function weightPenalty(
  params: Params,
  options: PenaltyOptions,
): { penalty: tf.Scalar; grads: Params } {
  rejectUnknownKeys("weightPenalty", options, ["reg", "l1"]);
  const { reg = 0, l1 = 0 } = options;
  checkStrength("weightPenalty", "options.reg", reg);
  checkStrength("weightPenalty", "options.l1", l1);
  // TODO: Implement for Task 3.
  throw new NotImplementedError("weightPenalty", 3);
}

/**
 * Task 3 — The max-norm constraint on one weight matrix: every column (a
 * unit's incoming weights) whose Euclidean norm exceeds c is scaled down to
 * norm c; every other column is left exactly as it is.
 *
 *     normⱼ = √(Σᵢ wᵢⱼ²)        w'ᵢⱼ = wᵢⱼ · min(1, c / normⱼ)
 *
 * @param w a weight matrix, shape [fan_in, fan_out]
 * @param c the largest norm a column may have, > 0
 * @returns the constrained matrix, shape [fan_in, fan_out]
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { maxNorm } from "./regularizers.ts";
 * const w = tf.tensor2d([[3, 0.3], [4, 0.4]]); // column norms 5 and 0.5
 * console.log(await maxNorm(w, 1).array());    // [[0.6, 0.3], [0.8, 0.4]]
 * ```
 */
export function maxNorm(w: tf.Tensor2D, c: number): tf.Tensor2D {
  checkWeightMatrix("maxNorm", w);
  checkMaxNorm("maxNorm", c);
  // TODO: Implement for Task 3.
  throw new NotImplementedError("maxNorm", 3);
}

/**
 * An update rule that enforces max-norm: `update`'s step, then
 * {@linkcode maxNorm} on every weight matrix (rank 2); other parameters
 * (biases, γ, β) as `update` left them. Give it to the Solver in place of
 * `update`: `{ update: withMaxNorm(adam, 3), config: … }`.
 *
 * @param update any update rule, e.g. assignment 2's `adam`
 * @param c the largest norm of each unit's incoming weights, > 0
 * @returns the constrained rule, named after both (checkpoints record it)
 */
export function withMaxNorm<C extends OptimConfig>(
  update: UpdateRule<C>,
  c: number,
): UpdateRule<C> {
  checkMaxNorm("withMaxNorm", c);
  const rule: UpdateRule<C> = (w, dw, config) => {
    const [next, nextConfig] = update(w, dw, config);
    return [next.rank === 2 ? maxNorm(next as tf.Tensor2D, c) : next, nextConfig];
  };
  Object.defineProperty(rule, "name", { value: `${update.name}+maxNorm(${c})` });
  return rule;
}
