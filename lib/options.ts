/**
 * Options objects: an unknown key is an error, not silently ignored.
 *
 * A misspelt option (`learning_rate` for `learningRate`, `epoch` for
 * `epochs`) would otherwise be dropped without a word and the default used
 * in its place: a run that silently trains with settings you did not ask
 * for. Every function in gradlab that takes an options object checks it with
 * {@linkcode rejectUnknownKeys} first.
 *
 * @example
 * ```ts
 * import { rejectUnknownKeys } from "./options.ts";
 * rejectUnknownKeys("train", { epochs: 5 }, ["epochs", "batchSize"]); // fine
 * try {
 *   rejectUnknownKeys("train", { epoch: 5 }, ["epochs", "batchSize"]);
 * } catch (e) {
 *   console.log((e as Error).message);
 *   // train: unknown option 'epoch' (did you mean 'epochs'?). Valid options: epochs, batchSize.
 * }
 * ```
 * @module
 */

/**
 * Throws if `options` has a key that is not in `known`, naming the key, the
 * closest valid name, and every valid name.
 *
 * @param what the function or object being configured, for the message
 * @param options the options object as given (its own enumerable keys are checked)
 * @param known every valid key
 */
export function rejectUnknownKeys(
  what: string,
  options: object,
  known: readonly string[],
): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new Error(`${what}: expected an options object, got ${describe(options)}.`);
  }
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  const [key] = unknown;
  const guess = closest(key, known);
  throw new Error(
    `${what}: unknown option${unknown.length > 1 ? "s" : ""} ${
      unknown.map((k) => `'${k}'`).join(", ")
    }${guess ? ` (did you mean '${guess}'?)` : ""}. Valid options: ${known.join(", ")}.`,
  );
}

/** The known name nearest `key` in edit distance (ignoring case and `_`), if it is near at all. */
function closest(key: string, known: readonly string[]): string | undefined {
  const simplify = (s: string) => s.toLowerCase().replaceAll("_", "");
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const name of known) {
    const d = editDistance(simplify(key), simplify(name));
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/** Levenshtein distance: the fewest one-character insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return "an array";
  return x === null ? "null" : typeof x;
}
