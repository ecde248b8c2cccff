/**
 * Task 8 — Perplexity: how surprised a language model is by a text.
 *
 *     perplexity = exp( −(1/P) Σₚ log p(ids[p + 1] | ids[0…p]) )
 *
 * the exponential of the mean negative log-likelihood per character. A model
 * with perplexity k is, on average, as unsure as if it were choosing
 * uniformly among k characters: a model that knows nothing scores the
 * vocabulary's size (65 for Tiny Shakespeare), a perfect one scores 1.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { LanguageModel } from "./language_model.ts";

/** How the text is read: in `rows` parallel streams, `chunkLength` characters at a time. */
export interface PerplexityOptions {
  /** N, the number of rows the text is cut into (reading them side by side is faster) */
  rows: number;
  /** T, how many characters of each row the model reads at once */
  chunkLength: number;
}

/**
 * Task 8 — The perplexity of `model` on the text `ids`.
 *
 * Read the text as {@linkcode textLayout} lays it out for training, but with
 * every character used: there are P = L − 1 predictions (each character but
 * the first is predicted from those before it), and each of the N rows holds
 * R = ⌊P / N⌋ of them; the last P − N·R characters are left out. Row n
 * predicts ids[n·R + j + 1] from ids[n·R + j] (and what came before it in
 * the row), for j = 0 … R − 1.
 *
 * Feed each row to the model in chunks of T characters (the last chunk may
 * be shorter), passing the state from one chunk to the next, so every
 * prediction sees the whole row before it: the result must not depend on T.
 * Sum the negative log-likelihoods in JavaScript numbers (float64), reading
 * one number per chunk, and free each chunk's tensors before the next.
 *
 * @param model the language model
 * @param ids the text, as character ids in 0…V−1
 * @param options the number of rows N and the chunk length T
 * @returns exp(mean negative log-likelihood per prediction), a number ≥ 1
 */
export async function perplexity<S extends tf.TensorContainer>(
  model: LanguageModel<S>,
  ids: Int32Array,
  options: PerplexityOptions,
): Promise<number> {
  const { rows, chunkLength } = options;
  checkOptions(ids.length, rows, chunkLength);
  // BEGIN SOLUTION (Task 8)
  const rowLength = Math.floor((ids.length - 1) / rows);
  let total = 0;
  let state: S | undefined;
  for (let start = 0; start < rowLength; start += chunkLength) {
    const length = Math.min(chunkLength, rowLength - start);
    const inputs = new Int32Array(rows * length), targets = new Int32Array(rows * length);
    for (let n = 0; n < rows; n++) {
      const from = n * rowLength + start;
      inputs.set(ids.subarray(from, from + length), n * length);
      targets.set(ids.subarray(from + 1, from + length + 1), n * length);
    }
    const scored = tf.tidy(() => {
      const out = model.scores(tf.tensor2d(inputs, [rows, length], "int32"), state);
      const logProbs = tf.logSoftmax(out.scores.reshape([rows * length, model.vocabSize]));
      const picked = tf.mul(logProbs, tf.oneHot(tf.tensor1d(targets, "int32"), model.vocabSize));
      return { nll: tf.neg(tf.sum(picked)), state: out.state };
    });
    total += (await scored.nll.data())[0];
    tf.dispose([scored.nll, state as tf.TensorContainer]);
    state = scored.state;
  }
  tf.dispose(state as tf.TensorContainer);
  return Math.exp(total / (rows * rowLength));
  // END SOLUTION
}

/** Throws, saying what is wrong, unless the text has at least one prediction per row. */
function checkOptions(length: number, rows: number, chunkLength: number): void {
  for (const [name, value] of [["rows", rows], ["chunkLength", chunkLength]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`perplexity: ${name} must be a positive integer, got ${value}.`);
    }
  }
  if (length - 1 < rows) {
    throw new Error(
      `perplexity: a text of ${length} characters has ${length - 1} predictions, fewer than ` +
        `the ${rows} rows asked for.`,
    );
  }
}
