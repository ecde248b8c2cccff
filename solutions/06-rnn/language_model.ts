/**
 * What a character-level language model is, as sampling (Task 7) and
 * perplexity (Task 8) see it: something that reads a chunk of characters and
 * scores every possible next character after each of them, carrying a state
 * from one chunk to the next. Provided: read it.
 *
 * Your char model (Task 9) is one, through {@linkcode asLanguageModel} in
 * `char_model.ts`; the tests also use simpler ones, such as a model that
 * gives every character the same score.
 *
 * @example A model that knows nothing: every character equally likely
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import type { LanguageModel } from "./language_model.ts";
 * const uniform: LanguageModel<null> = {
 *   vocabSize: 65,
 *   scores: (ids) => ({ scores: tf.zeros([...ids.shape, 65]) as tf.Tensor3D, state: null }),
 * };
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/**
 * A language model over a vocabulary of `vocabSize` characters, with a state
 * of type `S` (an RNN's hidden state, say) carried between chunks.
 */
export interface LanguageModel<S extends tf.TensorContainer = tf.TensorContainer> {
  /** V: the characters are the ids 0…V−1 */
  vocabSize: number;
  /**
   * Reads a chunk of N rows of T characters each.
   *
   * @param ids int32, shape [N, T]
   * @param state where each row stopped in the previous chunk; `undefined` at
   *   the start of the text (a fresh state)
   * @returns scores [N, T, V]: at [n, t], the unnormalised log-probability of
   *   each character coming next after ids[n, 0…t] (and what came before the
   *   chunk); and the state after the chunk's last character, to pass with
   *   the next chunk
   */
  scores(ids: tf.Tensor2D, state?: S): { scores: tf.Tensor3D; state: S };
}
