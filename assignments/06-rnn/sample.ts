/**
 * Task 7 — Sampling: letting a language model write.
 *
 * Feed the model a prompt; it scores every possible next character. Turn the
 * scores s into probabilities with a temperature τ,
 *
 *     p = softmax(s / τ)
 *
 * draw a character from p, feed it back in, and repeat. τ = 1 samples from
 * the model's own distribution; τ < 1 sharpens it towards the most likely
 * characters (safer, more repetitive text; τ → 0 always takes the arg-max);
 * τ > 1 flattens it (more surprising text, more spelling mistakes).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../../lib/random.ts";
import type { LanguageModel } from "./language_model.ts";
import { NotImplementedError } from "../../lib/errors.ts";

/** How to sample. */
export interface SampleOptions {
  /** τ > 0: below 1 sharper, above 1 flatter than the model's distribution */
  temperature: number;
  /** the random source: one `rng.uniform()` per character drawn */
  rng: Rng;
}

/**
 * Task 7 — Generates `length` characters that continue `prompt`.
 *
 * Read the whole prompt in one call to the model (one row, shape [1, P]);
 * the scores at its last position give the first character's distribution.
 * Then feed each drawn character back in alone ([1, 1]), with the state the
 * previous call returned.
 *
 * Draw each character with exactly one `rng.uniform()`, u: the character is
 * the first id whose cumulative probability p₀ + … + p_id exceeds u (if
 * rounding leaves the total below u, the last id). So the same seed gives the
 * same text, and a test can check your draws.
 *
 * @param model the language model
 * @param prompt the ids to start from, at least one
 * @param length how many characters to generate
 * @param options the temperature and the random source
 * @returns the `length` generated ids (the prompt not included)
 */
export async function sample<S extends tf.TensorContainer>(
  model: LanguageModel<S>,
  prompt: ArrayLike<number>,
  length: number,
  options: SampleOptions,
): Promise<Int32Array> {
  checkArguments(model, prompt, length, options);
  // TODO: Implement for Task 7.
  throw new NotImplementedError("sample", 7);
}

/** Throws, saying which argument is wrong. */
function checkArguments(
  model: { vocabSize: number },
  prompt: ArrayLike<number>,
  length: number,
  options: SampleOptions,
): void {
  if (prompt.length < 1) throw new Error("sample: the prompt needs at least one character.");
  for (let i = 0; i < prompt.length; i++) {
    if (!Number.isInteger(prompt[i]) || prompt[i] < 0 || prompt[i] >= model.vocabSize) {
      throw new Error(
        `sample: prompt[${i}] = ${prompt[i]} is not a character id in 0…${model.vocabSize - 1}.`,
      );
    }
  }
  if (!Number.isInteger(length) || length < 0) {
    throw new Error(`sample: length must be a non-negative integer, got ${length}.`);
  }
  if (!(options.temperature > 0 && options.temperature < Infinity)) {
    throw new Error(
      `sample: temperature must be a positive number, got ${options.temperature} ` +
        `(use a small one, such as 0.01, for the most likely characters).`,
    );
  }
}
