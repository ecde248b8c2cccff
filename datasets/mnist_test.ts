// These tests read the real files: set GRADLAB_DATA_DIR to shared/datasets (MNIST)
// and install Debian's dataset-fashion-mnist. Without them each test fails with
// the "not found" message that says where it looked.
import { assertEquals } from "../lib/assert.ts";
import type { ImageDataset } from "./image_dataset.ts";
import { classCounts } from "./image_dataset.ts";
import { loadFashionMnist, loadMnist } from "./mnist.ts";

let mnistLoaded: Promise<ImageDataset> | undefined;
let fashionLoaded: Promise<ImageDataset> | undefined;
const mnist = () => mnistLoaded ??= loadMnist();
const fashion = () => fashionLoaded ??= loadFashionMnist();

/** Pixels of row 14 (the middle) of image `i`. */
function middleRow(images: Uint8Array, i: number): number[] {
  return Array.from(images.subarray(i * 784 + 14 * 28, i * 784 + 15 * 28));
}

function sumOfImage(images: Uint8Array, i: number): number {
  return images.subarray(i * 784, (i + 1) * 784).reduce((a, b) => a + b, 0);
}

for (const [name, load] of [["MNIST", mnist], ["Fashion-MNIST", fashion]] as const) {
  Deno.test(`${name}: 60,000 + 10,000 images of 28×28×1 bytes`, async () => {
    const data = await load();
    assertEquals(data.imageShape, [28, 28, 1]);
    assertEquals(data.classNames.length, 10);
    for (const [split, count] of [[data.train, 60_000], [data.test, 10_000]] as const) {
      assertEquals(split.count, count);
      assertEquals(split.images.constructor, Uint8Array);
      assertEquals(split.labels.constructor, Uint8Array);
      assertEquals(split.images.length, count * 28 * 28);
      assertEquals(split.labels.length, count);
    }
  });
}

Deno.test("MNIST: label counts and first records match the published facts", async () => {
  const { train, test } = await mnist();
  assertEquals(classCounts(train.labels, 10), [
    5923,
    6742,
    5958,
    6131,
    5842,
    5421,
    5918,
    6265,
    5851,
    5949,
  ]);
  assertEquals(classCounts(test.labels, 10), [
    980,
    1135,
    1032,
    1010,
    982,
    892,
    958,
    1028,
    974,
    1009,
  ]);
  assertEquals(Array.from(train.labels.subarray(0, 10)), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  assertEquals(Array.from(test.labels.subarray(0, 10)), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  assertEquals(sumOfImage(train.images, 0), 27525);
  assertEquals(middleRow(train.images, 0).slice(13, 19), [81, 240, 253, 253, 119, 25]);
  assertEquals(sumOfImage(test.images, 0), 18454);
});

Deno.test("Fashion-MNIST: 6,000 and 1,000 of each class, first records, class names", async () => {
  const { train, test, classNames } = await fashion();
  assertEquals(classCounts(train.labels, 10), new Array(10).fill(6000));
  assertEquals(classCounts(test.labels, 10), new Array(10).fill(1000));
  assertEquals(Array.from(train.labels.subarray(0, 10)), [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
  assertEquals(Array.from(test.labels.subarray(0, 10)), [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
  assertEquals(classNames[test.labels[0]], "Ankle boot");
  assertEquals(sumOfImage(train.images, 0), 76247);
  assertEquals(sumOfImage(test.images, 0), 33456);
  assertEquals(middleRow(test.images, 0).slice(12, 16), [98, 136, 110, 109]);
});
