/**
 * CIFAR-10: 60,000 colour photos, 32×32, of 10 classes (airplane … truck).
 *
 * The official *binary version* is six files of 10,000 records each:
 * `data_batch_1.bin` … `data_batch_5.bin` (training) and `test_batch.bin`.
 * A record is 3,073 bytes: one label byte, then the red, green and blue
 * planes of the image, each 32×32 row-major (CHW). The loader converts every
 * image to HWC, the layout of all gradlab images (see `image_dataset.ts`):
 *
 *     record[1 + ch·1024 + y·32 + x]  →  images[i·3072 + (y·32 + x)·3 + ch]
 *
 * Any subset of the training batches can be loaded. Batches that are asked
 * for but not found are left out, named in `missing` and in a warning: CI,
 * for one, keeps only `data_batch_1` and the test set. The test set itself
 * must be there. A download fetches the official `cifar-10-binary.tar.gz`
 * (163 MB) into the cache and unpacks it there.
 *
 * @example
 * ```ts
 * import { loadCifar10 } from "./cifar10.ts";
 * const cifar = await loadCifar10({ trainBatches: [1] });
 * // cifar.train.images: Uint8Array, 10000×32×32×3 (HWC); cifar.test.count === 10000
 * cifar.classNames[cifar.test.labels[0]]; // "cat"
 * ```
 * @module
 */
import { SHA256 } from "./checksums.ts";
import {
  type DataFile,
  DataNotFoundError,
  type Located,
  locateDataFile,
  readDataFile,
  readVerified,
} from "./data_file.ts";
import type { ImageDataset, ImageSplit } from "./image_dataset.ts";

/** CIFAR-10's class names, indexed by label (the official `batches.meta.txt`). */
export const CIFAR10_CLASS_NAMES: readonly string[] = [
  "airplane",
  "automobile",
  "bird",
  "cat",
  "deer",
  "dog",
  "frog",
  "horse",
  "ship",
  "truck",
];

/** Bytes in one record: a label, then 32×32 red, green and blue values. */
export const RECORD_BYTES = 1 + 32 * 32 * 3;
const RECORDS_PER_BATCH = 10_000;

/** CIFAR-10 as loaded, with the training batches that were asked for but not found. */
export interface Cifar10Dataset extends ImageDataset {
  /** file names of the missing training batches, e.g. `["data_batch_2.bin"]`; empty when all are there */
  missing: string[];
}

/** CIFAR-10's five training batches, `data_batch_1.bin` … `data_batch_5.bin`. */
export const CIFAR10_TRAIN_FILES: readonly DataFile[] = ([
  "data_batch_1.bin",
  "data_batch_2.bin",
  "data_batch_3.bin",
  "data_batch_4.bin",
  "data_batch_5.bin",
] as const).map(cifarFile);

/** CIFAR-10's test batch, `test_batch.bin`. */
export const CIFAR10_TEST_FILE: DataFile = cifarFile("test_batch.bin");

/**
 * Loads CIFAR-10's test set and the training batches asked for.
 *
 * @param options.trainBatches which of batches 1–5 to load, default all;
 *   the training split holds their images in this order.
 * @param options.dir a folder holding the batch files (plain, `.gz` or parts),
 *   searched instead of the usual places.
 * @returns images as Uint8Array N×32×32×3 (HWC), labels 0–9; `missing` names
 *   the batches not found (a warning is printed too).
 * @throws DataNotFoundError if the test set or every asked-for training batch
 *   is missing; CorruptDataError if a file fails its checksum.
 */
export async function loadCifar10(
  options: { trainBatches?: number[]; dir?: string } = {},
): Promise<Cifar10Dataset> {
  const { trainBatches = [1, 2, 3, 4, 5], dir } = options;
  const valid = trainBatches.length > 0 && new Set(trainBatches).size === trainBatches.length &&
    trainBatches.every((k) => Number.isInteger(k) && k >= 1 && k <= 5);
  if (!valid) {
    throw new Error(
      `loadCifar10: trainBatches must list some of the batch numbers 1–5, each once; got [${trainBatches}].`,
    );
  }
  const test = emptySplit(RECORDS_PER_BATCH);
  decodeRecords(await readDataFile(CIFAR10_TEST_FILE, { dir }), test, 0);

  // Find every batch first, so the training split is allocated once, at its final size.
  const found: [DataFile, Located][] = [];
  const missing: string[] = [];
  let notFound: DataNotFoundError | undefined;
  for (const k of trainBatches) {
    const file = CIFAR10_TRAIN_FILES[k - 1];
    try {
      found.push([file, await locateDataFile(file, { dir })]);
    } catch (e) {
      if (!(e instanceof DataNotFoundError)) throw e;
      missing.push(file.name);
      notFound ??= e;
    }
  }
  if (found.length === 0) throw notFound;
  if (missing.length > 0) {
    console.warn(
      `warning: CIFAR-10 ${missing.join(", ")} not found; the training split holds the other ` +
        `${found.length} batch(es), ${found.length * RECORDS_PER_BATCH} images. ` +
        `Run \`deno task data\` to fetch all of them.`,
    );
  }
  const train = emptySplit(found.length * RECORDS_PER_BATCH);
  for (const [i, [file, located]] of found.entries()) {
    decodeRecords(await readVerified(file, located), train, i * RECORDS_PER_BATCH);
  }
  return {
    name: "CIFAR-10",
    classNames: CIFAR10_CLASS_NAMES,
    imageShape: [32, 32, 3],
    train,
    test,
    missing,
  };
}

/**
 * Decodes CIFAR-10 binary records into `split`, converting each image from CHW to HWC.
 *
 * @param records whole records, 3,073 bytes each: label, then R, G, B planes of 32×32.
 * @param split where to write: its `images` (HWC) and `labels` get the records' data.
 * @param start the index in `split` of the first record's image.
 * @throws Error if `records` is not a whole number of records or does not fit in `split`.
 */
export function decodeRecords(records: Uint8Array, split: ImageSplit, start: number): void {
  const n = records.length / RECORD_BYTES;
  if (!Number.isInteger(n) || start + n > split.count) {
    throw new Error(
      `decodeRecords: ${records.length} bytes is not a whole number of ${RECORD_BYTES}-byte ` +
        `records that fits in a split of ${split.count} from index ${start}.`,
    );
  }
  for (let r = 0; r < n; r++) {
    const record = r * RECORD_BYTES;
    const image = (start + r) * (RECORD_BYTES - 1);
    split.labels[start + r] = records[record];
    for (let pixel = 0; pixel < 1024; pixel++) {
      for (let ch = 0; ch < 3; ch++) {
        split.images[image + pixel * 3 + ch] = records[record + 1 + ch * 1024 + pixel];
      }
    }
  }
}

/** Every CIFAR-10 file comes from the one official archive. */
function cifarFile(name: keyof typeof SHA256.cifar10): DataFile {
  return {
    dataset: "CIFAR-10",
    folder: "cifar10",
    name,
    sha256: SHA256.cifar10[name],
    url: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
  };
}

function emptySplit(count: number): ImageSplit {
  return {
    images: new Uint8Array(count * (RECORD_BYTES - 1)),
    labels: new Uint8Array(count),
    count,
  };
}
