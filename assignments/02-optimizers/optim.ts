/**
 * Tasks 1–4 — Update rules: from plain gradient descent to Adam.
 *
 * Every rule has the shape of CS231n's `optim.py` (see `lib/optimizer.ts`):
 *
 *     const [nextW, nextConfig] = rule(w, dw, config);
 *
 * `config` carries the hyper-parameters and, after the first step, this
 * parameter's state (a velocity, a cache, Adam's moments). On the first step
 * the state is absent: start it from zeros (`tf.zerosLike(w)`) or, for a
 * step count, from 0. Return a **new** config object — `{ ...config, velocity }`
 * — and leave the one you were given as it was; create new tensors and
 * dispose none (the caller owns the old and the new).
 *
 * Write each rule with element-wise tfjs ops on whole tensors: no loops over
 * elements, and no reads of tensor values. The first line of each rule checks
 * its arguments (`checkUpdate`); the rest is yours.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { checkConfig, checkUpdate, type OptimConfig } from "../../lib/optimizer.ts";
import { NotImplementedError } from "../../lib/errors.ts";

/** Plain SGD has one hyper-parameter and no state. */
export interface SgdConfig extends OptimConfig {
  learningRate: number;
}

const SGD_KEYS = { hyperParameters: { learningRate: "> 0" }, state: [] } as const;

/**
 * Task 1 — Stochastic gradient descent: step against the gradient.
 *
 *     w ← w − learningRate · dw
 *
 * @param w a parameter, any shape
 * @param dw its gradient, the shape of w
 * @param config `{ learningRate }`
 * @returns [nextW (the shape of w), config (unchanged: SGD keeps no state)]
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { sgd } from "./optim.ts";
 * const [w] = sgd(tf.tensor([1, 2]), tf.tensor([10, -10]), { learningRate: 0.1 });
 * console.log(await w.array()); // [0, 3]
 * ```
 */
export function sgd(w: tf.Tensor, dw: tf.Tensor, config: SgdConfig): [tf.Tensor, SgdConfig] {
  checkUpdate("sgd", w, dw, config, SGD_KEYS);
  // TODO: Implement for Task 1.
  throw new NotImplementedError("sgd", 1);
}

/** Momentum's hyper-parameters, and its state: a velocity the shape of the parameter. */
export interface MomentumConfig extends OptimConfig {
  learningRate: number;
  /** μ in [0, 1): how much velocity survives each step (0.9 is usual; 0 is plain SGD) */
  momentum: number;
  /** v, the shape of w; absent on the first step, when it starts at zero */
  velocity?: tf.Tensor;
}

const MOMENTUM_KEYS = {
  hyperParameters: { learningRate: "> 0", momentum: "[0, 1)" },
  state: ["velocity"],
} as const;

/**
 * Task 1 — SGD with momentum: the gradient changes a velocity, and the
 * velocity moves the parameter. Along a direction where the gradient keeps
 * its sign, the velocity builds up to lr/(1 − μ) times it; where the sign
 * flips from step to step, it cancels out.
 *
 *     v ← μ·v − learningRate·dw
 *     w ← w + v
 *
 * @param w a parameter, any shape
 * @param dw its gradient, the shape of w
 * @param config `{ learningRate, momentum, velocity? }`
 * @returns [nextW, config with the new velocity], both the shape of w
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { sgdMomentum } from "./optim.ts";
 * const hyper = { learningRate: 0.1, momentum: 0.9 };
 * const [w1, c1] = sgdMomentum(tf.tensor([1]), tf.tensor([1]), hyper); // v = −0.1, w = 0.9
 * const [w2] = sgdMomentum(w1, tf.tensor([1]), c1);                    // v = −0.19, w = 0.71
 * console.log(await w2.array()); // ≈ [0.71]
 * ```
 */
export function sgdMomentum(
  w: tf.Tensor,
  dw: tf.Tensor,
  config: MomentumConfig,
): [tf.Tensor, MomentumConfig] {
  checkUpdate("sgdMomentum", w, dw, config, MOMENTUM_KEYS);
  // TODO: Implement for Task 1.
  throw new NotImplementedError("sgdMomentum", 1);
}

/**
 * Task 2 — Nesterov momentum as the course notes first write it: since
 * momentum is about to carry x to x + μv anyway, take the gradient there —
 * at the look-ahead point — rather than at x.
 *
 *     v ← μ·v − learningRate·∇f(x + μ·v)
 *     x ← x + v
 *
 * It needs the gradient *function*, to evaluate it away from x, so it is not
 * an update rule: a network's backward pass gives the gradient at the
 * current parameters only. {@linkcode nesterov} rewrites it into one.
 *
 * @param x the point, any shape
 * @param gradient ∇f: a point (the shape of x) → the gradient there (the shape of x)
 * @param config `{ learningRate, momentum, velocity? }`
 * @returns [nextX, config with the new velocity], both the shape of x
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { nesterovLookahead } from "./optim.ts";
 * const gradient = (x: tf.Tensor) => tf.mul(2, x); // f(x) = x²
 * const [x] = nesterovLookahead(tf.tensor([1]), gradient, { learningRate: 0.1, momentum: 0.9 });
 * console.log(await x.array()); // ≈ [0.8]
 * ```
 */
export function nesterovLookahead(
  x: tf.Tensor,
  gradient: (at: tf.Tensor) => tf.Tensor,
  config: MomentumConfig,
): [tf.Tensor, MomentumConfig] {
  checkConfig("nesterovLookahead", config, MOMENTUM_KEYS);
  // TODO: Implement for Task 2.
  throw new NotImplementedError("nesterovLookahead", 2);
}

/**
 * Task 2 — Nesterov momentum, rewritten as an update rule. Store the
 * look-ahead point w = x + μv instead of x; then the gradient the network
 * gives at w *is* ∇f(x + μv), and the update becomes
 *
 *     v_prev = v
 *     v ← μ·v − learningRate·dw
 *     w ← w − μ·v_prev + (1 + μ)·v
 *
 * (from x_new + μ·v_new = x + v_new + μ·v_new and x = w − μ·v_prev). The
 * two forms visit the same points: `nesterov`'s w is always
 * `nesterovLookahead`'s x + μv.
 *
 * @param w the look-ahead parameter, any shape
 * @param dw the gradient at w, the shape of w
 * @param config `{ learningRate, momentum, velocity? }`
 * @returns [nextW, config with the new velocity], both the shape of w
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { nesterov } from "./optim.ts";
 * const [w] = nesterov(tf.tensor([1]), tf.tensor([2]), { learningRate: 0.1, momentum: 0.9 });
 * console.log(await w.array()); // ≈ [0.62]: v = −0.2, w = 1 − 0.9·0 + 1.9·(−0.2)
 * ```
 */
export function nesterov(
  w: tf.Tensor,
  dw: tf.Tensor,
  config: MomentumConfig,
): [tf.Tensor, MomentumConfig] {
  checkUpdate("nesterov", w, dw, config, MOMENTUM_KEYS);
  // TODO: Implement for Task 2.
  throw new NotImplementedError("nesterov", 2);
}

/** AdaGrad's hyper-parameters, and its state: the sum of squared gradients so far. */
export interface AdagradConfig extends OptimConfig {
  learningRate: number;
  /** ε > 0, keeps the division finite where the cache is 0 (1e-8 is usual) */
  epsilon: number;
  /** Σ dw², the shape of w; absent on the first step, when it starts at zero */
  cache?: tf.Tensor;
}

const ADAGRAD_KEYS = {
  hyperParameters: { learningRate: "> 0", epsilon: "> 0" },
  state: ["cache"],
} as const;

/**
 * Task 3 — AdaGrad: each coordinate gets its own step size, the learning
 * rate divided by the root of the sum of that coordinate's squared
 * gradients so far. Steep coordinates take small steps, flat ones large
 * steps; and since the sum only grows, every step size only shrinks.
 *
 *     cache ← cache + dw²
 *     w ← w − learningRate · dw / (√cache + ε)
 *
 * @param w a parameter, any shape
 * @param dw its gradient, the shape of w
 * @param config `{ learningRate, epsilon, cache? }`
 * @returns [nextW, config with the new cache], both the shape of w
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { adagrad } from "./optim.ts";
 * // The first step moves every coordinate by learningRate, whatever its gradient's size.
 * const [w] = adagrad(tf.tensor([0, 0]), tf.tensor([100, -0.01]), { learningRate: 0.5, epsilon: 1e-8 });
 * console.log(await w.array()); // ≈ [-0.5, 0.5]
 * ```
 */
export function adagrad(
  w: tf.Tensor,
  dw: tf.Tensor,
  config: AdagradConfig,
): [tf.Tensor, AdagradConfig] {
  checkUpdate("adagrad", w, dw, config, ADAGRAD_KEYS);
  // TODO: Implement for Task 3.
  throw new NotImplementedError("adagrad", 3);
}

/** RMSProp's hyper-parameters, and its state: a moving average of squared gradients. */
export interface RmspropConfig extends OptimConfig {
  learningRate: number;
  /** ρ in [0, 1): how much of the average survives each step (0.99 is usual) */
  decayRate: number;
  /** ε > 0 (1e-8 is usual) */
  epsilon: number;
  /** the moving average of dw², the shape of w; absent on the first step, when it starts at zero */
  cache?: tf.Tensor;
}

const RMSPROP_KEYS = {
  hyperParameters: { learningRate: "> 0", decayRate: "[0, 1)", epsilon: "> 0" },
  state: ["cache"],
} as const;

/**
 * Task 3 — RMSProp: AdaGrad with a leaky cache. A moving average of squared
 * gradients replaces the ever-growing sum, so the step sizes adapt to recent
 * gradients instead of shrinking for good.
 *
 *     cache ← ρ·cache + (1 − ρ)·dw²
 *     w ← w − learningRate · dw / (√cache + ε)
 *
 * @param w a parameter, any shape
 * @param dw its gradient, the shape of w
 * @param config `{ learningRate, decayRate, epsilon, cache? }`
 * @returns [nextW, config with the new cache], both the shape of w
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { rmsprop } from "./optim.ts";
 * const config = { learningRate: 0.01, decayRate: 0.99, epsilon: 1e-8 };
 * const [w] = rmsprop(tf.tensor([0]), tf.tensor([2]), config); // cache = 0.01·4 = 0.04
 * console.log(await w.array()); // ≈ [-0.1]: 0.01·2 / 0.2
 * ```
 */
export function rmsprop(
  w: tf.Tensor,
  dw: tf.Tensor,
  config: RmspropConfig,
): [tf.Tensor, RmspropConfig] {
  checkUpdate("rmsprop", w, dw, config, RMSPROP_KEYS);
  // TODO: Implement for Task 3.
  throw new NotImplementedError("rmsprop", 3);
}

/** Adam's hyper-parameters, and its state: two moment estimates and a step count. */
export interface AdamConfig extends OptimConfig {
  learningRate: number;
  /** β₁ in [0, 1): decay of the first moment, the momentum-like average of dw (0.9) */
  beta1: number;
  /** β₂ in [0, 1): decay of the second moment, the RMSProp-like average of dw² (0.999) */
  beta2: number;
  /** ε > 0 (1e-8) */
  epsilon: number;
  /** the first moment, the shape of w; absent on the first step */
  m?: tf.Tensor;
  /** the second moment, the shape of w; absent on the first step */
  v?: tf.Tensor;
  /** how many steps have been taken: 1 after the first; absent before it */
  t?: number;
}

const ADAM_KEYS = {
  hyperParameters: { learningRate: "> 0", beta1: "[0, 1)", beta2: "[0, 1)", epsilon: "> 0" },
  state: ["m", "v", "t"],
} as const;

/**
 * Task 4 — Adam: momentum's smoothed gradient (m) divided by RMSProp's root
 * mean square (√v), with both averages corrected for starting at zero.
 * Early on, m and v are too small — after one step m = (1 − β₁)·dw — and
 * dividing by 1 − βᵗ undoes exactly that. The step count t counts from 1:
 * it is 1 in the first step.
 *
 *     t ← t + 1
 *     m ← β₁·m + (1 − β₁)·dw
 *     v ← β₂·v + (1 − β₂)·dw²
 *     m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
 *     w ← w − learningRate · m̂ / (√v̂ + ε)
 *
 * @param w a parameter, any shape
 * @param dw its gradient, the shape of w
 * @param config `{ learningRate, beta1, beta2, epsilon, m?, v?, t? }`
 * @returns [nextW, config with the new m, v (the shape of w) and t]
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { adam, ADAM_DEFAULTS } from "./optim.ts";
 * // The first step moves every coordinate by about learningRate.
 * const [w, config] = adam(tf.tensor([0, 0]), tf.tensor([100, -0.01]), ADAM_DEFAULTS);
 * console.log(await w.array(), config.t); // ≈ [-0.001, 0.001] 1
 * ```
 */
export function adam(w: tf.Tensor, dw: tf.Tensor, config: AdamConfig): [tf.Tensor, AdamConfig] {
  checkUpdate("adam", w, dw, config, ADAM_KEYS);
  // TODO: Implement for Task 4.
  throw new NotImplementedError("adam", 4);
}

/** The settings the course notes recommend for Adam. */
export const ADAM_DEFAULTS: Readonly<AdamConfig> = Object.freeze({
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
});
