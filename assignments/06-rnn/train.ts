/**
 * Training the char model on a text: consecutive chunks, the state carried
 * from batch to batch, clipped gradients, an update rule of assignment 2.
 * Provided: it calls your `textBatch`, `charModelLoss` and `clipGradients`.
 *
 * Each step reads batch k of the epoch (`textBatch`): row n continues where
 * row n of batch k − 1 stopped, so the model starts from the state it ended
 * that batch with. Gradients stop at the batch's first character (truncated
 * BPTT); the state does not. At the start of each epoch the rows start
 * again from their beginning, so the state is reset to zeros.
 *
 * @example Two hundred steps of a small LSTM with Adam
 * ```ts
 * import { loadTinyShakespeare } from "../../datasets/shakespeare.ts";
 * import { Rng } from "../../lib/random.ts";
 * import { adam, ADAM_DEFAULTS } from "../02-optimizers/optim.ts";
 * import { initCharModel } from "./char_model.ts";
 * import { trainCharModel } from "./train.ts";
 * const { train } = await loadTinyShakespeare();
 * const config = { cell: "lstm", vocabSize: 65, embedSize: 32, hiddenSize: 128 } as const;
 * const result = await trainCharModel(initCharModel(new Rng(0), config), config, train, {
 *   update: adam, hyperParameters: { ...ADAM_DEFAULTS, learningRate: 3e-3 },
 *   batchSize: 32, seqLength: 64, steps: 200, clipNorm: 5,
 * });
 * console.log(result.lossHistory.at(-1)); // ≈ 2.0: the mean −log p per character
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type OptimConfig, type UpdateRule } from "../../lib/optimizer.ts";
import { rejectUnknownKeys } from "../../lib/options.ts";
import { ProgressBar } from "../../lib/progress.ts";
import { readAll } from "../../lib/read.ts";
import {
  type CharModelConfig,
  charModelLoss,
  type CharModelParams,
  type CharModelState,
} from "./char_model.ts";
import { clipGradients } from "./clip.ts";
import { textBatch, textLayout } from "./text_batches.ts";

/** How to train. */
export interface TrainOptions<C extends OptimConfig> {
  /** the update rule, e.g. assignment 2's `adam` */
  update: UpdateRule<C>;
  /** its hyper-parameters (no state), e.g. `{ ...ADAM_DEFAULTS, learningRate: 3e-3 }` */
  hyperParameters: C;
  /** the learning rate of step s (0, 1, …) from `hyperParameters.learningRate`; default constant */
  schedule?: (initialRate: number, step: number) => number;
  /** N, the number of rows of the text read side by side */
  batchSize: number;
  /** T, the chunk length: how many steps gradients flow back through */
  seqLength: number;
  /** how many updates to make */
  steps: number;
  /** the largest global norm of the gradients (`clipGradients`) */
  clipNorm: number;
  /** call `evaluate` after every this many steps, and after the last; default: never */
  evaluateEvery?: number;
  /**
   * scores the parameters: the validation perplexity, say (the progress bar shows it as
   * `val`, lower being better); it must not keep or free them
   */
  evaluate?: (params: CharModelParams, step: number) => Promise<number>;
  /** show a progress bar on standard error; default false */
  progress?: boolean;
}

const OPTION_KEYS = [
  "update",
  "hyperParameters",
  "schedule",
  "batchSize",
  "seqLength",
  "steps",
  "clipNorm",
  "evaluateEvery",
  "evaluate",
  "progress",
];

/** What training produced. */
export interface TrainResult {
  /** the parameters after the last step */
  params: CharModelParams;
  /** the loss of every step: the mean −log p of the batch's targets */
  lossHistory: number[];
  /** the global norm of the gradients at every step, before clipping */
  gradNormHistory: number[];
  /** what `evaluate` returned, and after which step (1-based) */
  evaluations: { step: number; value: number }[];
}

/**
 * Trains the char model on `ids` (see the module doc).
 *
 * @param params the initial parameters; they are disposed as training replaces them
 * @param config the model's sizes
 * @param ids the training text, as character ids
 * @param options how to train
 * @returns the trained parameters and the histories
 */
export async function trainCharModel<C extends OptimConfig>(
  params: CharModelParams,
  config: CharModelConfig,
  ids: Int32Array,
  options: TrainOptions<C>,
): Promise<TrainResult> {
  rejectUnknownKeys("trainCharModel", options, OPTION_KEYS);
  const { batchSize, seqLength, steps, clipNorm, update, hyperParameters } = options;
  const { batchesPerEpoch } = textLayout(ids.length, batchSize, seqLength);
  const schedule = options.schedule ?? ((rate: number) => rate);
  const names = Object.keys(params) as (keyof CharModelParams)[];
  let configs = Object.fromEntries(names.map((k) => [k, { ...hyperParameters }])) as Record<
    string,
    C
  >;
  let state: CharModelState | undefined;
  const lossHistory: number[] = [], gradNormHistory: number[] = [];
  const evaluations: TrainResult["evaluations"] = [];
  const bar = options.progress ? new ProgressBar({ total: steps, label: "training" }) : undefined;
  for (let step = 0; step < steps; step++) {
    const k = step % batchesPerEpoch;
    if (k === 0 && state) {
      tf.dispose(state);
      state = undefined; // a new epoch: every row starts again from its beginning
    }
    const learningRate = schedule(hyperParameters.learningRate, step);
    const result = tf.tidy(() => {
      const { inputs, targets } = textBatch(ids, batchSize, seqLength, k);
      const out = charModelLoss(params, config, inputs, targets, state);
      const { grads, norm } = clipGradients(out.grads, clipNorm);
      const nextParams = {} as Record<string, tf.Tensor>;
      const nextConfigs: Record<string, C> = {};
      for (const name of names) {
        [nextParams[name], nextConfigs[name]] = update(params[name], grads[name], {
          ...configs[name],
          learningRate,
        });
      }
      return { loss: out.loss, norm, state: out.state, params: nextParams, configs: nextConfigs };
    });
    disposeReplaced([params, state, ...Object.values(configs)], [
      result.params,
      result.state,
      ...Object.values(result.configs),
    ]);
    params = result.params as CharModelParams;
    configs = result.configs;
    state = result.state;
    const [loss, norm] = await readAll([result.loss, result.norm]);
    tf.dispose([result.loss, result.norm]);
    lossHistory.push(loss[0]);
    gradNormHistory.push(norm[0]);
    const evaluateNow = options.evaluateEvery !== undefined &&
      ((step + 1) % options.evaluateEvery === 0 || step + 1 === steps);
    if (options.evaluate && evaluateNow) {
      evaluations.push({ step: step + 1, value: await options.evaluate(params, step + 1) });
    }
    bar?.update(step + 1, status(loss[0], evaluations));
  }
  bar?.finish();
  tf.dispose(state);
  for (const c of Object.values(configs)) tf.dispose(tensorsOf(c));
  return { params, lossHistory, gradNormHistory, evaluations };
}

/** The progress bar's status: the loss, and the last evaluation and the best so far. */
function status(loss: number, evaluations: TrainResult["evaluations"]): string {
  const last = evaluations.at(-1);
  if (!last) return `loss ${loss.toFixed(3)}`;
  const best = Math.min(...evaluations.map((e) => e.value));
  return `loss ${loss.toFixed(3)}, val ${last.value.toFixed(3)}` +
    (last.value === best ? " (best so far)" : ` (best ${best.toFixed(3)})`);
}

/**
 * A cosine learning-rate schedule over a run of `steps` steps: the rate falls
 * smoothly from the initial one to `final` times it, fastest in the middle.
 *
 *     rate(s) = initial · (final + (1 − final) · ½(1 + cos(π·s / steps)))
 *
 * @param steps the run's length
 * @param final the last step's rate, as a fraction of the first's (0.1: a tenth)
 * @example
 * ```ts
 * import { cosineDecay } from "./train.ts";
 * const schedule = cosineDecay(1000, 0.1);
 * [schedule(3e-3, 0), schedule(3e-3, 500), schedule(3e-3, 1000)]; // [3e-3, 1.65e-3, 3e-4]
 * ```
 */
export function cosineDecay(
  steps: number,
  final: number,
): (initialRate: number, step: number) => number {
  return (initialRate, step) =>
    initialRate * (final + (1 - final) * 0.5 * (1 + Math.cos((Math.PI * step) / steps)));
}

/** Disposes the tensors of `old` that `next` no longer holds. */
function disposeReplaced(old: unknown[], next: unknown[]): void {
  const kept = new Set(next.flatMap(tensorsOf));
  tf.dispose(old.flatMap(tensorsOf).filter((t) => !kept.has(t)));
}

/** The tensors among an object's values (or the value itself). */
function tensorsOf(value: unknown): tf.Tensor[] {
  if (value instanceof tf.Tensor) return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(tensorsOf);
  return [];
}
