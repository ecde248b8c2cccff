/**
 * Task 9 — A character-level language model, built from your layers:
 *
 *     ids [N, T] → embedding [N, T, D] → RNN or LSTM [N, T, H] → temporal affine [N, T, V] → softmax
 *
 * Trained to predict each next character: the targets are the inputs shifted
 * by one character. The state (h, and c for the LSTM) after a chunk is
 * where the next chunk starts, so the model reads a long text chunk by chunk
 * and remembers across chunk boundaries, while gradients stop at the chunk's
 * start (truncated backpropagation through time).
 *
 * @example A small LSTM and its loss on one batch
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { Rng } from "../../lib/random.ts";
 * import { charModelLoss, initCharModel } from "./char_model.ts";
 * const config = { cell: "lstm", vocabSize: 65, embedSize: 16, hiddenSize: 32 } as const;
 * const params = initCharModel(new Rng(0), config);
 * const ids = tf.tensor2d([[1, 2, 3, 4], [5, 6, 7, 8]], [2, 4], "int32");
 * const next = tf.tensor2d([[2, 3, 4, 5], [6, 7, 8, 9]], [2, 4], "int32");
 * const { loss, grads, state } = charModelLoss(params, config, ids, next); // loss ≈ ln 65
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { randn, type Rng } from "../../lib/random.ts";
import { embeddingBackward, type EmbeddingCache, embeddingForward } from "./embedding.ts";
import type { LanguageModel } from "./language_model.ts";
import { lstmBackward, type LstmCache, lstmForward } from "./lstm.ts";
import { rnnBackward, type RnnCache, rnnForward } from "./rnn.ts";
import {
  temporalAffineBackward,
  type TemporalAffineCache,
  temporalAffineForward,
  temporalSoftmaxLoss,
} from "./temporal.ts";
import { NotImplementedError } from "../../lib/errors.ts";

/** The recurrent layer: a vanilla RNN (Tasks 1–2) or an LSTM (Task 6). */
export type Cell = "rnn" | "lstm";

/** The model's sizes. */
export interface CharModelConfig {
  cell: Cell;
  /** V, the number of distinct characters */
  vocabSize: number;
  /** D, the length of each character's embedding vector */
  embedSize: number;
  /** H, the number of hidden units */
  hiddenSize: number;
}

/**
 * The parameters, with G = H for the RNN and G = 4H for the LSTM (its four
 * gates i, f, o, g side by side).
 */
export type CharModelParams = {
  /** the embedding, [V, D] */
  embed: tf.Tensor2D;
  /** input-to-hidden weights, [D, G] */
  wx: tf.Tensor2D;
  /** hidden-to-hidden weights, [H, G] */
  wh: tf.Tensor2D;
  /** recurrent biases, [G] */
  b: tf.Tensor1D;
  /** hidden-to-scores weights, [H, V] */
  wy: tf.Tensor2D;
  /** score biases, [V] */
  by: tf.Tensor1D;
};

/** Where each of N rows of text stopped: the hidden state, and the LSTM's cell state. */
export type CharModelState = {
  /** [N, H] */
  h: tf.Tensor2D;
  /** [N, H], the LSTM's cell; absent for the RNN */
  c?: tf.Tensor2D;
};

/** What charModelBackward needs from the forward pass. */
export interface CharModelCache {
  cell: Cell;
  embedding: EmbeddingCache;
  recurrent: RnnCache | LstmCache;
  affine: TemporalAffineCache;
}

/**
 * Task 9 — Initial parameters. Draw, in this order, from `rng`:
 *
 * - embed from N(0, 1);
 * - wx from N(0, 1/D), wh from N(0, 1/H), wy from N(0, 1/H): Xavier, so each
 *   unit's input starts at about unit scale.
 *
 * The biases start at zero, except the LSTM's forget-gate block b[H…2H),
 * which starts at 1: f = σ(1) ≈ 0.73, so at first the cell keeps most of
 * what it holds, and gradients flow back through many steps from the start.
 *
 * @param rng the random source
 * @param config the sizes
 * @returns the parameters; shapes in {@linkcode CharModelParams}
 */
export function initCharModel(rng: Rng, config: CharModelConfig): CharModelParams {
  checkConfig(config);
  // TODO: Implement for Task 9.
  throw new NotImplementedError("initCharModel", 9);
}

/**
 * Task 9 — The forward pass: character scores at every position.
 *
 * @param params the parameters
 * @param config the sizes (its `cell` says which recurrent layer to use)
 * @param ids input characters, int32, shape [N, T]
 * @param state where each row stopped in the previous chunk; default: zeros (the start of a text)
 * @returns scores [N, T, V] for the character after each input; the state
 *   after the last step (h [N, H], and c [N, H] for the LSTM); the cache
 */
export function charModelForward(
  params: CharModelParams,
  config: CharModelConfig,
  ids: tf.Tensor2D,
  state?: CharModelState,
): { scores: tf.Tensor3D; state: CharModelState; cache: CharModelCache } {
  const { h0, c0 } = initialState(config, ids.shape[0], state);
  // TODO: Implement for Task 9.
  throw new NotImplementedError("charModelForward", 9);
}

/**
 * Task 9 — The backward pass: from the gradient of the scores to the
 * gradient of every parameter, through the layers in reverse.
 *
 * @param dscores upstream gradient of the scores, shape [N, T, V]
 * @param cache from charModelForward
 * @returns the gradient of each parameter, with its name and shape
 */
export function charModelBackward(dscores: tf.Tensor3D, cache: CharModelCache): CharModelParams {
  // TODO: Implement for Task 9.
  throw new NotImplementedError("charModelBackward", 9);
}

/**
 * Task 9 — The loss of one batch and its gradients: the mean negative
 * log-likelihood of each target character (temporalSoftmaxLoss with no mask).
 *
 * @param params the parameters
 * @param config the sizes
 * @param inputs input characters, int32, shape [N, T]
 * @param targets the character after each input, int32, shape [N, T]
 * @param state where each row stopped in the previous batch; default: zeros
 * @returns the scalar loss; the gradients, as params; the state after the batch
 */
export function charModelLoss(
  params: CharModelParams,
  config: CharModelConfig,
  inputs: tf.Tensor2D,
  targets: tf.Tensor2D,
  state?: CharModelState,
): { loss: tf.Scalar; grads: CharModelParams; state: CharModelState } {
  // TODO: Implement for Task 9.
  throw new NotImplementedError("charModelLoss", 9);
}

/**
 * The char model seen as a {@linkcode LanguageModel}, for sampling and
 * perplexity: its scores and its state, without the cache.
 */
export function asLanguageModel(
  params: CharModelParams,
  config: CharModelConfig,
): LanguageModel<CharModelState> {
  return {
    vocabSize: config.vocabSize,
    scores: (ids, state) => {
      const { scores, state: next } = charModelForward(params, config, ids, state);
      return { scores, state: next };
    },
  };
}

/** The hidden states of the last time step: h[:, T − 1, :], shape [N, H]. */
export function lastStep(h: tf.Tensor3D): tf.Tensor2D {
  const [n, t, size] = h.shape;
  return h.slice([0, t - 1, 0], [n, 1, size]).reshape([n, size]);
}

/** The state to start from: the one given, or zeros; checked against the config. */
function initialState(
  config: CharModelConfig,
  rows: number,
  state?: CharModelState,
): { h0: tf.Tensor2D; c0: tf.Tensor2D } {
  const shape: [number, number] = [rows, config.hiddenSize];
  if (state === undefined) {
    const zeros = tf.zeros(shape) as tf.Tensor2D;
    return { h0: zeros, c0: zeros };
  }
  for (const [name, t] of Object.entries(state)) {
    if (t && !tf.util.arraysEqual(t.shape, shape)) {
      throw new Error(
        `charModelForward: state.${name} must have shape [N, H] = [${shape}], got [${t.shape}]: ` +
          `pass the state of the previous chunk of the same N rows, or none to start afresh.`,
      );
    }
  }
  if (config.cell === "lstm" && state.c === undefined) {
    throw new Error("charModelForward: an LSTM's state needs c, the cell state, as well as h.");
  }
  return { h0: state.h, c0: state.c ?? (tf.zeros(shape) as tf.Tensor2D) };
}

/** Throws, naming the field, unless the config is a cell and three positive integer sizes. */
export function checkConfig(config: CharModelConfig): void {
  if (config.cell !== "rnn" && config.cell !== "lstm") {
    throw new Error(
      `CharModelConfig: cell must be "rnn" or "lstm", got ${JSON.stringify(config.cell)}.`,
    );
  }
  for (const key of ["vocabSize", "embedSize", "hiddenSize"] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 1) {
      throw new Error(`CharModelConfig: ${key} must be a positive integer, got ${config[key]}.`);
    }
  }
}
