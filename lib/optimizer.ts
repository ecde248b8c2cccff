/**
 * What an optimiser is, as the Solver and assignment 2 share it: an update
 * rule, its config, and a learning-rate schedule.
 *
 * **An update rule** moves one parameter against its gradient, as in
 * CS231n's `optim.py`:
 *
 *     const [nextW, nextConfig] = rule(w, dw, config);
 *
 * `config` holds the rule's hyper-parameters (`learningRate`, `momentum`, …)
 * and its **state for this one parameter**: a velocity, a cache of squared
 * gradients, Adam's moments and step count. Each parameter of a network has
 * its own config, since each has its own velocity. A rule's first call gets
 * a config with hyper-parameters only; it starts its state from zeros, and
 * returns the config to pass next time. The rule returns a new config object
 * and leaves the one it was given as it was.
 *
 * **Who disposes what:** an update rule disposes nothing. It returns new
 * tensors (the next parameter, the next state), and the caller owns the old
 * and the new. The Solver runs each step inside `scope` (so the rule's
 * intermediates are freed), then disposes the previous parameter and state
 * tensors that the new config no longer holds.
 *
 * **A schedule** gives the learning rate of each epoch from the starting one:
 * `schedule(initialRate, epoch)`, epochs counted from 0.
 *
 * @example An update rule and a schedule, written out
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { checkUpdate, type OptimConfig, type Schedule, type UpdateRule } from "./optimizer.ts";
 *
 * // Gradient descent with a fixed step size: no state.
 * const sgd: UpdateRule = (w, dw, config) => {
 *   checkUpdate("sgd", w, dw, config, { hyperParameters: { learningRate: "> 0" }, state: [] });
 *   return [tf.sub(w, tf.mul(config.learningRate, dw)), config];
 * };
 * const halveEveryEpoch: Schedule = (initialRate, epoch) => initialRate * 0.5 ** epoch;
 *
 * const config: OptimConfig = { learningRate: halveEveryEpoch(0.1, 1) }; // 0.05
 * const [w] = sgd(tf.tensor([1, 2]), tf.tensor([1, -1]), config); // [0.95, 2.05]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { rejectUnknownKeys } from "./options.ts";

/**
 * An update rule's hyper-parameters and its state for one parameter. Every
 * rule has a `learningRate`; the rest depends on the rule. State tensors
 * have the shape of the parameter.
 */
export interface OptimConfig {
  learningRate: number;
  [key: string]: number | tf.Tensor | undefined;
}

/**
 * One step of an optimiser for one parameter.
 *
 * @param w the parameter, any shape
 * @param dw the gradient of the loss with respect to w, the shape of w
 * @param config hyper-parameters and this parameter's state from the last step
 * @returns [nextW, nextConfig]: the parameter after the step (shape of w) and
 *   the config to pass with it next time. Nothing is disposed (see the module doc).
 */
export type UpdateRule<C extends OptimConfig = OptimConfig> = (
  w: tf.Tensor,
  dw: tf.Tensor,
  config: C,
) => [tf.Tensor, C];

/**
 * A learning-rate schedule: the rate to train epoch `epoch` with (0, 1, 2, …),
 * given the rate of epoch 0.
 */
export type Schedule = (initialRate: number, epoch: number) => number;

/** The schedule that keeps the learning rate constant. */
export const constantRate: Schedule = (initialRate) => initialRate;

/** Where a hyper-parameter must lie: a positive number, or a fraction in [0, 1). */
export type Range = "> 0" | "[0, 1)";

/** The config keys an update rule accepts. */
export interface ConfigKeys {
  /** each hyper-parameter, with where its value must lie; all are required */
  hyperParameters: Record<string, Range>;
  /** the names of the rule's state entries, absent on the first step */
  state: readonly string[];
}

/**
 * Checks an update rule's arguments before it steps: `dw` has the shape of
 * `w`, and the config passes {@linkcode checkConfig}.
 *
 * @param rule the rule's name, for messages
 * @param w the parameter, any shape
 * @param dw its gradient, which must have the shape of w
 * @param config the rule's config
 * @param keys the hyper-parameters (with ranges) and state entries the rule accepts
 * @throws Error saying which argument is wrong and what it should be
 */
export function checkUpdate(
  rule: string,
  w: tf.Tensor,
  dw: tf.Tensor,
  config: OptimConfig,
  keys: ConfigKeys,
): void {
  if (!(w instanceof tf.Tensor) || !(dw instanceof tf.Tensor)) {
    throw new Error(`${rule}: w and dw must be tensors (wrap arrays with tf.tensor).`);
  }
  if (!tf.util.arraysEqual(w.shape, dw.shape)) {
    throw new Error(
      `${rule}: dw must have the shape of w, [${w.shape}], but has shape [${dw.shape}]: ` +
        `pass each parameter with its own gradient.`,
    );
  }
  checkConfig(rule, config, keys);
}

/**
 * Checks an update rule's config: every hyper-parameter is present and in
 * range, and there is no key the rule does not know (a misspelt
 * `learning_rate` is an error, not a silently ignored setting).
 *
 * @param rule the rule's name, for messages
 * @param config the rule's config
 * @param keys the hyper-parameters (with ranges) and state entries the rule accepts
 * @throws Error naming the key that is wrong and what it should be
 */
export function checkConfig(rule: string, config: OptimConfig, keys: ConfigKeys): void {
  const names = Object.keys(keys.hyperParameters);
  rejectUnknownKeys(`${rule} config`, config, [...names, ...keys.state]);
  for (const [name, range] of Object.entries(keys.hyperParameters)) {
    const value = config[name];
    const ok = typeof value === "number" &&
      (range === "> 0" ? value > 0 && value < Infinity : value >= 0 && value < 1);
    if (!ok) {
      throw new Error(
        `${rule}: config.${name} must be a number ${range === "> 0" ? "> 0" : "in [0, 1)"}, got ${
          value instanceof tf.Tensor ? "a tensor" : value
        }. A ${rule} config needs ${names.join(", ")}.`,
      );
    }
  }
}
