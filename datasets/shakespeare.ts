/**
 * Tiny Shakespeare: 1,115,394 characters of Shakespeare's plays, for character-level language models.
 *
 * The corpus of karpathy's char-rnn: plain ASCII, 40,000 lines, 65 distinct
 * characters. The text is encoded with its own {@linkcode CharVocab} and
 * split into a training part (the first 90%) and a validation part (the last
 * 10%), as nanoGPT does. The split is contiguous, not shuffled, and needs no
 * seed: a language model learns from runs of consecutive characters, so
 * scattering single validation characters through the text would leave each
 * one's neighbours — most of its context — in the training set.
 *
 * @example
 * ```ts
 * import { loadTinyShakespeare } from "./shakespeare.ts";
 * const { text, vocab, train, val } = await loadTinyShakespeare();
 * vocab.size;                       // 65
 * vocab.decode(train.subarray(0, 14)); // "First Citizen:"
 * train.length + val.length === text.length; // true
 * ```
 * @module
 */
import { SHA256 } from "./checksums.ts";
import { type CharVocab, charVocab } from "./char_vocab.ts";
import { type DataFile, readDataFile } from "./data_file.ts";

/** The text file, from char-rnn's repository. */
export const TINY_SHAKESPEARE_FILE: DataFile = {
  dataset: "Tiny Shakespeare",
  folder: "tinyshakespeare",
  name: "input.txt",
  sha256: SHA256.tinyshakespeare["input.txt"],
  url: "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",
};

/** The fraction of the text, from its start, that forms the training part. */
const TRAIN_FRACTION = 0.9;

/** Tiny Shakespeare, encoded and split. */
export interface TextDataset {
  /** the whole text */
  text: string;
  /** its characters and their ids */
  vocab: CharVocab;
  /** ids of the first 90% of the text: Int32Array of 1,003,854 ids */
  train: Int32Array;
  /** ids of the last 10%: Int32Array of 111,540 ids, following on from `train` */
  val: Int32Array;
}

/**
 * Loads Tiny Shakespeare and encodes it.
 *
 * @param options.dir a folder holding `input.txt` (or `.gz`, or parts), searched instead of the usual places.
 * @throws DataNotFoundError or CorruptDataError (see `data_file.ts`).
 */
export async function loadTinyShakespeare(options: { dir?: string } = {}): Promise<TextDataset> {
  const bytes = await readDataFile(TINY_SHAKESPEARE_FILE, options);
  const text = new TextDecoder().decode(bytes);
  const vocab = charVocab(text);
  const ids = vocab.encode(text);
  const cut = Math.floor(TRAIN_FRACTION * ids.length);
  return { text, vocab, train: ids.subarray(0, cut), val: ids.subarray(cut) };
}
