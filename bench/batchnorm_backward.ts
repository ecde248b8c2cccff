/**
 * The batchnorm-backward row of `deno task bench`: assignment 3's two
 * backward passes — through the staged graph, and in closed form — timed
 * on the same train-mode cache, and their time ratio (graph / closed form).
 *
 * Both passes compute the same gradients (the assignment's tests check
 * that); the closed form does it in fewer ops. On tfjs-wasm, where each op
 * costs a dispatch on top of its arithmetic, the op count is most of the
 * difference at these sizes. The handout of assignment 3 reports the ratio.
 *
 * @example
 * ```ts
 * import { measureBatchnormBackward, batchnormBackwardLine } from "./batchnorm_backward.ts";
 * const timing = await measureBatchnormBackward({ runs: 3, targetMs: 100 });
 * console.log(batchnormBackwardLine(timing)); // | batchnorm backward 128x256 | 0.21 | 0.12 | 1.75 |
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { scopeAsync } from "../lib/memory.ts";
import { randn, Rng } from "../lib/random.ts";
import {
  batchnormBackward,
  batchnormBackwardClosedForm,
  batchnormForward,
  initBatchnormState,
  type NormGrads,
} from "../solutions/03-normalization/batchnorm.ts";
import { measure, type MeasureOptions, type Timing } from "./timing.ts";

/** The shape timed: a batch of 128 examples of 256 features (the MLP step's hidden layer). */
export const BATCHNORM_SHAPE = [128, 256] as const;

/** The two backward passes' timings, in ms per call, and graph / closed form. */
export interface BatchnormBackwardTiming {
  graph: Timing;
  closedForm: Timing;
  /** fastest graph run ÷ fastest closed-form run: how many times slower the graph is */
  ratio: number;
}

/** Times both backward passes on one seeded cache, on the current backend and kernels. */
export function measureBatchnormBackward(
  options: MeasureOptions,
): Promise<BatchnormBackwardTiming> {
  return scopeAsync(async () => {
    const rng = new Rng(0);
    const [n, d] = BATCHNORM_SHAPE;
    const x = randn(rng, [n, d]) as tf.Tensor2D;
    const gamma = randn(rng, [d]) as tf.Tensor1D, beta = randn(rng, [d]) as tf.Tensor1D;
    const dout = randn(rng, [n, d]) as tf.Tensor2D;
    const [, cache] = batchnormForward(x, gamma, beta, "train", initBatchnormState(d));
    const sum = ({ dx, dgamma, dbeta }: NormGrads) =>
      tf.addN([tf.sum(dx), tf.sum(dgamma), tf.sum(dbeta)]);
    const graph = await measure(() => sum(batchnormBackward(dout, cache)), options);
    const closedForm = await measure(() => sum(batchnormBackwardClosedForm(dout, cache)), options);
    return { graph, closedForm, ratio: graph.minMs / closedForm.minMs };
  });
}

/** The row as the bench report prints it: a small markdown table. */
export function batchnormBackwardLine({ graph, closedForm, ratio }: BatchnormBackwardTiming) {
  return [
    "| batchnorm backward (assignment 3) | graph (ms) | closed form (ms) | graph / closed form |",
    "| --- | ---: | ---: | ---: |",
    `| ${BATCHNORM_SHAPE.join("x")}, fastest run | ${graph.minMs.toFixed(3)} | ${
      closedForm.minMs.toFixed(3)
    } | ${ratio.toFixed(2)} |`,
  ].join("\n");
}
