/**
 * What a benchmarked model is: one training step on a fixed batch.
 *
 * @example
 * ```ts
 * import type { TrainingStep } from "./training_step.ts";
 * import { makeMlpStep } from "./mlp.ts";
 * const step: TrainingStep = makeMlpStep();
 * const loss = step.step(); // one SGD step; the loss before it, a scalar
 * step.dispose();
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/** A model, its data and its optimiser, ready to take SGD steps. */
export interface TrainingStep {
  /** Forward, backward and update on the batch; returns the loss (a scalar) before the update. */
  step: () => tf.Scalar;
  /** Examples in the batch: the benchmark reports examples per second. */
  examples: number;
  /** Frees the parameters and data. */
  dispose: () => void;
}
