/**
 * The baselines: n-gram counts models of Tiny Shakespeare.
 *
 *     deno task ngram          # unigram to 5-gram: validation perplexity of each
 *
 * Provided: no code of yours runs here. An n-gram model predicts each
 * character from the n − 1 characters before it, by counting, on the
 * training text, how often each character followed that context:
 *
 *     p(c | context) = (count(context, c) + k) / (count(context) + k·V)
 *
 * k = 0.1 ("add-k smoothing") keeps every character possible, even after a
 * context never seen in training. It is the char model's yardstick: a model
 * with a memory of exactly n − 1 characters and no generalisation at all.
 * On the same split as the char model (first 90% train, last 10% validation),
 * the unigram scores 28.4, the bigram 12.0 and the 4-gram 5.95; longer
 * contexts are seen too rarely for counting to help much more.
 *
 * @example
 * ```ts
 * import { ngramPerplexity } from "./ngram.ts";
 * const train = Int32Array.from([0, 1, 0, 1, 0, 1]), val = Int32Array.from([0, 1, 0]);
 * ngramPerplexity(train, val, 2, 2); // ≈ 1.04: after 0 comes 1, after 1 comes 0
 * ```
 * @module
 */
import { parseArgs } from "../../lib/cli.ts";
import { runScript } from "../../lib/script.ts";
import { loadTinyShakespeare } from "../../datasets/shakespeare.ts";

/**
 * The validation perplexity of an add-k smoothed n-gram model.
 *
 * @param train the training text, ids in 0…V−1
 * @param val the text to score; its first n − 1 characters are context only
 * @param n the order: 1 (unigram: no context), 2 (bigram: one character), …
 * @param vocabSize V
 * @param k the smoothing count, default 0.1
 * @returns exp(mean −log p) over val's characters from the n-th on
 */
export function ngramPerplexity(
  train: Int32Array,
  val: Int32Array,
  n: number,
  vocabSize: number,
  k = 0.1,
): number {
  if (!Number.isInteger(n) || n < 1 || vocabSize ** n > Number.MAX_SAFE_INTEGER) {
    throw new Error(`ngramPerplexity: n must be an integer from 1 to a few, got ${n}.`);
  }
  // A context is the number whose base-V digits are its characters.
  const code = (text: Int32Array, end: number) => {
    let c = 0;
    for (let i = end - n + 1; i < end; i++) c = c * vocabSize + text[i];
    return c;
  };
  const pairs = new Map<number, number>(), contexts = new Map<number, number>();
  for (let i = n - 1; i < train.length; i++) {
    const context = code(train, i);
    const pair = context * vocabSize + train[i];
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
    contexts.set(context, (contexts.get(context) ?? 0) + 1);
  }
  let nll = 0;
  for (let i = n - 1; i < val.length; i++) {
    const context = code(val, i);
    const count = pairs.get(context * vocabSize + val[i]) ?? 0;
    nll -= Math.log((count + k) / ((contexts.get(context) ?? 0) + k * vocabSize));
  }
  return Math.exp(nll / (val.length - n + 1));
}

const USAGE = `usage: deno task ngram

Prints the validation perplexity of add-0.1 n-gram models of Tiny Shakespeare, n = 1…5.`;

if (import.meta.main) {
  await runScript(USAGE, async (args) => {
    parseArgs(args); // no flags: an unknown one is an error, not ignored
    const { train, val, vocab } = await loadTinyShakespeare();
    const names = ["unigram", "bigram", "trigram", "4-gram", "5-gram"];
    for (let n = 1; n <= 5; n++) {
      const value = ngramPerplexity(train, val, n, vocab.size);
      console.log(`${names[n - 1].padEnd(8)} validation perplexity ${value.toFixed(2)}`);
    }
  });
}
