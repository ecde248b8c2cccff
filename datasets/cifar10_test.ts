// These tests read the real files: set GRADLAB_DATA_DIR to shared/datasets, which
// holds CIFAR-10's test batch and data_batch_1. Without them each test fails
// with the "not found" message that says where it looked.
import { basename, join } from "node:path";
import { assertEquals, assertRejects, assertStringIncludes, assertThrows } from "../lib/assert.ts";
import {
  CIFAR10_TEST_FILE,
  CIFAR10_TRAIN_FILES,
  type Cifar10Dataset,
  decodeRecords,
  loadCifar10,
  RECORD_BYTES,
} from "./cifar10.ts";
import { DataNotFoundError, locateDataFile } from "./data_file.ts";
import { classCounts, type ImageSplit } from "./image_dataset.ts";

let loaded: Promise<Cifar10Dataset> | undefined;
const cifar = () => loaded ??= loadCifar10({ trainBatches: [1] });

/** The first `n` red values of image `i`: every third byte, HWC. */
function firstReds(images: Uint8Array, i: number, n: number): number[] {
  return Array.from({ length: n }, (_, p) => images[i * 3072 + p * 3]);
}

Deno.test("CIFAR-10: the test set is 10,000 images of 32×32×3 bytes, 1,000 per class", async () => {
  const { test, imageShape, classNames } = await cifar();
  assertEquals(imageShape, [32, 32, 3]);
  assertEquals(test.count, 10_000);
  assertEquals(test.images.constructor, Uint8Array);
  assertEquals(test.images.length, 10_000 * 32 * 32 * 3);
  assertEquals(classCounts(test.labels, 10), new Array(10).fill(1000));
  assertEquals(Array.from(test.labels.subarray(0, 10)), [3, 8, 8, 0, 6, 6, 1, 6, 3, 1]);
  assertEquals(classNames[test.labels[0]], "cat");
});

Deno.test("CIFAR-10: images are HWC — the red plane's first values land on every third byte", async () => {
  const { train, test } = await cifar();
  assertEquals(firstReds(test.images, 0, 10), [158, 159, 165, 166, 160, 156, 162, 159, 158, 159]);
  assertEquals(firstReds(train.images, 0, 10), [59, 43, 50, 68, 98, 119, 139, 145, 149, 149]);
});

Deno.test("CIFAR-10: data_batch_1 has the published labels and class counts", async () => {
  const { train, missing } = await cifar();
  assertEquals(train.count, 10_000);
  assertEquals(missing, []);
  assertEquals(Array.from(train.labels.subarray(0, 10)), [6, 9, 9, 4, 1, 1, 2, 7, 8, 3]);
  assertEquals(classCounts(train.labels, 10), [
    1005,
    974,
    1032,
    1016,
    999,
    937,
    1030,
    1001,
    1025,
    981,
  ]);
});

/** Runs `fn` on a folder holding links to the real files of the given training batches (and the test batch). */
async function withBatches(
  batches: number[],
  withTest: boolean,
  fn: (dir: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  try {
    const files = [
      ...batches.map((k) => CIFAR10_TRAIN_FILES[k - 1]),
      ...(withTest ? [CIFAR10_TEST_FILE] : []),
    ];
    for (const file of files) {
      for (const path of (await locateDataFile(file)).paths) {
        await Deno.symlink(path, join(dir, basename(path)));
      }
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("CIFAR-10: with batches missing, train holds those present and `missing` names the rest", async () => {
  await withBatches([1], true, async (dir) => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    let data;
    try {
      data = await loadCifar10({ dir });
    } finally {
      console.warn = warn;
    }
    assertEquals(data.missing, [
      "data_batch_2.bin",
      "data_batch_3.bin",
      "data_batch_4.bin",
      "data_batch_5.bin",
    ]);
    assertEquals(data.train.count, 10_000);
    assertEquals(data.train.images.length, 10_000 * 3072);
    assertEquals(warnings.length, 1);
    assertStringIncludes(
      warnings[0],
      "data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin not found",
    );
  });
});

Deno.test("CIFAR-10: with none of the training batches asked for, a not-found error", async () => {
  await withBatches([], true, async (dir) => {
    const error = await assertRejects(
      () => loadCifar10({ dir, trainBatches: [2, 3] }),
      DataNotFoundError,
    );
    assertStringIncludes(error.message, "CIFAR-10: data_batch_2.bin was not found");
  });
});

Deno.test("CIFAR-10: without the test batch, a not-found error", async () => {
  await withBatches([1], false, async (dir) => {
    await assertRejects(
      () => loadCifar10({ dir }),
      DataNotFoundError,
      "test_batch.bin was not found",
    );
  });
});

Deno.test("loadCifar10 rejects batch numbers other than 1–5, repeats and an empty list", async () => {
  for (const trainBatches of [[0], [6], [1.5], [1, 1], []]) {
    await assertRejects(
      () => loadCifar10({ trainBatches }),
      Error,
      "trainBatches must list some of the batch numbers 1–5",
    );
  }
});

Deno.test("decodeRecords moves each record's label and its R, G, B planes into HWC", () => {
  const records = new Uint8Array(2 * RECORD_BYTES);
  for (let r = 0; r < 2; r++) {
    records[r * RECORD_BYTES] = 7 + r; // label
    for (let ch = 0; ch < 3; ch++) {
      for (let p = 0; p < 1024; p++) {
        records[r * RECORD_BYTES + 1 + ch * 1024 + p] = (p + 100 * ch + r) % 256;
      }
    }
  }
  const split: ImageSplit = {
    images: new Uint8Array(3 * 3072),
    labels: new Uint8Array(3),
    count: 3,
  };
  decodeRecords(records, split, 1);
  assertEquals(Array.from(split.labels), [0, 7, 8]);
  // image 1 (record 0): pixel p has (R, G, B) = (p, p + 100, p + 200) mod 256
  assertEquals(Array.from(split.images.subarray(3072, 3072 + 6)), [0, 100, 200, 1, 101, 201]);
  // image 2 (record 1), pixel 33 = row 1, column 1
  assertEquals(Array.from(split.images.subarray(2 * 3072 + 33 * 3, 2 * 3072 + 34 * 3)), [
    34,
    134,
    234,
  ]);
});

Deno.test("decodeRecords rejects a partial record or a split too small", () => {
  const split: ImageSplit = { images: new Uint8Array(3072), labels: new Uint8Array(1), count: 1 };
  assertThrows(
    () => decodeRecords(new Uint8Array(RECORD_BYTES + 5), split, 0),
    Error,
    "not a whole number",
  );
  assertThrows(
    () => decodeRecords(new Uint8Array(2 * RECORD_BYTES), split, 0),
    Error,
    "fits in a split of 1",
  );
});
