/**
 * A character vocabulary: every distinct character of a text gets an integer id.
 *
 * Ids follow the characters' code-point order (`"\n"` < `" "` < `"!"` < … <
 * `"z"`), as in karpathy's char-rnn and nanoGPT, so the same text always
 * gives the same ids.
 *
 * @example
 * ```ts
 * import { charVocab } from "./char_vocab.ts";
 * const vocab = charVocab("hello");
 * vocab.chars;                 // ["e", "h", "l", "o"]
 * vocab.encode("hole");        // Int32Array [1, 3, 2, 0]
 * vocab.decode([1, 0, 2, 2, 3]); // "hello"
 * ```
 * @module
 */

/** The characters of a text and the two-way mapping between them and ids 0…size−1. */
export interface CharVocab {
  /** the distinct characters, in code-point order; `chars[id]` is the character with that id */
  chars: readonly string[];
  /** number of distinct characters */
  size: number;
  /** the id of each character of `text`; throws on a character not in the vocabulary */
  encode(text: string): Int32Array;
  /** the text the ids spell; throws on an id outside 0…size−1 */
  decode(ids: ArrayLike<number>): string;
}

/** Builds the vocabulary of `text` (which must not be empty). */
export function charVocab(text: string): CharVocab {
  const chars = [...new Set(text)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  if (chars.length === 0) {
    throw new Error("charVocab: the text is empty, so there is no vocabulary.");
  }
  const ids = new Map(chars.map((ch, id) => [ch, id]));
  return {
    chars,
    size: chars.length,
    encode(s: string): Int32Array {
      const out = new Int32Array([...s].length);
      let i = 0;
      for (const ch of s) {
        const id = ids.get(ch);
        if (id === undefined) {
          throw new Error(
            `encode: character ${JSON.stringify(ch)} at position ${i} is not in the vocabulary ` +
              `(${chars.length} characters: ${JSON.stringify(chars.join(""))}).`,
          );
        }
        out[i++] = id;
      }
      return out;
    },
    decode(idList: ArrayLike<number>): string {
      let s = "";
      for (let i = 0; i < idList.length; i++) {
        const ch = chars[idList[i]];
        if (ch === undefined) {
          throw new Error(
            `decode: id ${idList[i]} at position ${i} is not in 0…${chars.length - 1}.`,
          );
        }
        s += ch;
      }
      return s;
    },
  };
}
