/**
 * Task 3 — Word (here: character) embeddings.
 *
 * Each of V characters gets a learned vector of D numbers, a row of the
 * matrix W [V, D]. The forward pass looks rows up; it is the same as
 * multiplying a one-hot vector by W, without building the one-hot vector.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { NotImplementedError } from "../../lib/errors.ts";

/** What embeddingBackward needs from the forward pass. */
export interface EmbeddingCache {
  ids: tf.Tensor2D;
  /** V, the number of rows of W */
  vocabSize: number;
}

/**
 * Task 3 — Embedding, forward: out[n, t, :] = W[ids[n, t], :].
 *
 * @param ids character ids, int32, shape [N, T], each in 0…V−1
 * @param w the embedding matrix, shape [V, D]
 * @returns [out, cache]: out has shape [N, T, D]
 */
export function embeddingForward(ids: tf.Tensor2D, w: tf.Tensor2D): [tf.Tensor3D, EmbeddingCache] {
  // TODO: Implement for Task 3.
  throw new NotImplementedError("embeddingForward", 3);
}

/**
 * Task 3 — Embedding, backward: row v of dW is the sum of dout[n, t, :] over
 * every position where ids[n, t] = v. A character that occurs twice gets
 * both gradients added (a scatter-add), and a character that does not occur
 * gets zeros.
 *
 * tfjs's own gradient of `tf.gather` (the kernel UnsortedSegmentSum) does
 * not exist on the WASM backend, so build it from ops that do: the sum above
 * is a product with the one-hot matrix of the ids.
 *
 * @param dout upstream gradient, shape [N, T, D]
 * @param cache from embeddingForward
 * @returns dw, shape [V, D]
 */
export function embeddingBackward(dout: tf.Tensor3D, cache: EmbeddingCache): { dw: tf.Tensor2D } {
  // TODO: Implement for Task 3.
  throw new NotImplementedError("embeddingBackward", 3);
}
