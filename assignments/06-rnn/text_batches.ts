/**
 * Task 9 — Batches of consecutive chunks of a text, for truncated BPTT.
 *
 * A language model learns from runs of consecutive characters, and an RNN
 * can carry what it read in one chunk over to the next: its state after
 * chunk k is where chunk k + 1 starts. So the batches are not shuffled.
 * The text is cut into N rows (streams) of equal length, and batch k holds
 * the k-th chunk of T characters of every row: row n of batch k + 1
 * continues exactly where row n of batch k stopped.
 *
 *     text:    [ row 0 ......... | row 1 ......... | … | row N−1 ....... ]
 *     batch k: chunk k of each row, [N, T]
 *
 * The targets are the inputs shifted by one character: the model reads
 * ids[p] and must predict ids[p + 1].
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { NotImplementedError } from "../../lib/errors.ts";

/**
 * How the text is laid out: each row holds R = ⌊(L − 1) / N⌋ input
 * characters (the last input of a row needs one more character as its
 * target), so an epoch has ⌊R / T⌋ batches. Row n's inputs start at
 * ids[n·R].
 *
 * @param length L, the number of characters in the text
 * @param batchSize N, the number of rows
 * @param seqLength T, the chunk length
 * @returns the row length R and the number of batches per epoch ⌊R / T⌋
 * @throws Error if the text is too short for even one batch
 */
export function textLayout(
  length: number,
  batchSize: number,
  seqLength: number,
): { rowLength: number; batchesPerEpoch: number } {
  for (const [name, value] of [["batchSize", batchSize], ["seqLength", seqLength]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`textLayout: ${name} must be a positive integer, got ${value}.`);
    }
  }
  const rowLength = Math.floor((length - 1) / batchSize);
  const batchesPerEpoch = Math.floor(rowLength / seqLength);
  if (batchesPerEpoch < 1) {
    throw new Error(
      `textLayout: a text of ${length} characters is too short for ${batchSize} rows of ` +
        `chunks of ${seqLength} (it needs at least ${batchSize * seqLength + 1}).`,
    );
  }
  return { rowLength, batchesPerEpoch };
}

/**
 * Task 9 — Batch number `step` of an epoch: the step-th chunk of T characters
 * of each of the N rows (the layout of {@linkcode textLayout}), and the
 * characters that follow them.
 *
 *     inputs[n, j]  = ids[n·R + step·T + j]
 *     targets[n, j] = ids[n·R + step·T + j + 1]
 *
 * @param ids the text, as character ids
 * @param batchSize N, the number of rows
 * @param seqLength T, the chunk length
 * @param step which batch of the epoch, 0 … batchesPerEpoch − 1
 * @returns inputs and targets, int32, each of shape [N, T]
 */
export function textBatch(
  ids: Int32Array,
  batchSize: number,
  seqLength: number,
  step: number,
): { inputs: tf.Tensor2D; targets: tf.Tensor2D } {
  const { rowLength, batchesPerEpoch } = textLayout(ids.length, batchSize, seqLength);
  if (!Number.isInteger(step) || step < 0 || step >= batchesPerEpoch) {
    throw new Error(
      `textBatch: step must be an integer in 0…${batchesPerEpoch - 1} (an epoch has ` +
        `${batchesPerEpoch} batches), got ${step}.`,
    );
  }
  // TODO: Implement for Task 9.
  throw new NotImplementedError("textBatch", 9);
}
