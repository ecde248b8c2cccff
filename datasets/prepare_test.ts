import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../lib/backend.ts";
import { scopeAsync } from "../lib/memory.ts";
import { assertAlmostEquals, assertEquals, assertThrows } from "../lib/assert.ts";
import type { ImageDataset } from "./image_dataset.ts";
import { loadMnist } from "./mnist.ts";
import { filledTensor, type Normalization, normalizeImages, prepareImages } from "./prepare.ts";

await useBackend("cpu");

/** A test whose tensors are all disposed when it ends. */
function tensorTest(name: string, fn: () => Promise<void> | void): void {
  Deno.test(name, () => scopeAsync(async () => await fn()));
}

/**
 * 10 training images of 1×1×2 whose pixels are (i, 2i) for image i, labelled i,
 * and 3 test images that are all 255. A label tells which image a row came from.
 */
function tinyDataset(): ImageDataset {
  return {
    name: "tiny",
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    imageShape: [1, 1, 2],
    train: {
      images: Uint8Array.from({ length: 20 }, (_, f) => (f % 2 === 0 ? f / 2 : f - 1)),
      labels: Uint8Array.from({ length: 10 }, (_, i) => i),
      count: 10,
    },
    test: { images: new Uint8Array(6).fill(255), labels: new Uint8Array(3), count: 3 },
  };
}

const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

tensorTest("prepareImages computes the mean image from the training rows only", async () => {
  const data = prepareImages(tinyDataset(), { valCount: 4, seed: 1, normalize: "mean" });
  const trainIds = Array.from(await data.yTrain.data());
  // Image i is (i, 2i)/255, so the mean of the training rows is (m, 2m)/255 with m their mean id.
  // Validation and test images (all 255) must not count.
  const m = average(trainIds);
  assertEquals(data.stats.count, 6);
  assertAlmostEquals(data.stats.mean[0], m / 255, 1e-6);
  assertAlmostEquals(data.stats.mean[1], (2 * m) / 255, 1e-6);
  assertEquals(Array.from(data.stats.std), [1, 1]);
  // …and the same statistics are applied to validation and test rows.
  const valIds = Array.from(await data.yVal.data());
  const xVal = await data.xVal.data();
  valIds.forEach((i, row) => assertAlmostEquals(xVal[2 * row], (i - m) / 255, 1e-6));
  assertEquals(Array.from(await data.xTest.data()).map((v) => v.toFixed(5)), [
    ...[0, 1, 2].flatMap(() => [(1 - m / 255).toFixed(5), (1 - (2 * m) / 255).toFixed(5)]),
  ]);
});

tensorTest("prepareImages standardises per channel with training statistics", async () => {
  const data = prepareImages(tinyDataset(), { valCount: 3, seed: 5, normalize: "standardize" });
  const ids = Array.from(await data.yTrain.data());
  for (const ch of [0, 1]) {
    const values = ids.map((i) => ((ch + 1) * i) / 255);
    const mu = average(values);
    const sigma = Math.sqrt(average(values.map((v) => (v - mu) ** 2)));
    assertAlmostEquals(data.stats.mean[ch], mu, 1e-6);
    assertAlmostEquals(data.stats.std[ch], sigma, 1e-6);
  }
  const x = await data.xTrain.data();
  for (const ch of [0, 1]) {
    const column = ids.map((_, row) => x[2 * row + ch]);
    assertAlmostEquals(average(column), 0, 1e-5);
    assertAlmostEquals(average(column.map((v) => v * v)), 1, 1e-5);
  }
});

tensorTest("prepareImages: 'none' only scales to 0–1", async () => {
  const data = prepareImages(tinyDataset(), { valCount: 0, seed: 0, normalize: "none" });
  assertEquals(Array.from(await data.xTest.data()), [1, 1, 1, 1, 1, 1]);
});

tensorTest(
  "prepareImages splits without overlap, flattens, and gives float32 x and int32 y",
  async () => {
    const data = prepareImages(tinyDataset(), {
      valCount: 3,
      trainCount: 5,
      testCount: 2,
      seed: 9,
      normalize: "none",
    });
    assertEquals([data.xTrain.shape, data.xVal.shape, data.xTest.shape], [[5, 2], [3, 2], [2, 2]]);
    assertEquals([data.xTrain.dtype, data.yTrain.dtype, data.yVal.dtype], [
      "float32",
      "int32",
      "int32",
    ]);
    const train = Array.from(await data.yTrain.data()), val = Array.from(await data.yVal.data());
    assertEquals(new Set([...train, ...val]).size, 8, "no image may be in both train and val");
    // each row is its image, scaled: image i is (i, 2i)
    const x = await data.xTrain.data();
    train.forEach((i, row) =>
      assertEquals([x[2 * row], x[2 * row + 1]], [i / 255, (2 * i) / 255].map(Math.fround))
    );
  },
);

tensorTest("prepareImages: the same seed gives the same split, another seed another", async () => {
  const ids = async (seed: number) =>
    Array.from(
      await prepareImages(tinyDataset(), { valCount: 4, seed, normalize: "none" }).yVal.data(),
    );
  assertEquals(await ids(3), await ids(3));
  assertEquals((await ids(3)).length, 4);
  assertEquals((await ids(3)).join() === (await ids(4)).join(), false);
});

tensorTest(
  "prepareImages rejects counts out of range and unknown normalisations, naming the option",
  () => {
    const d = tinyDataset();
    const base = { valCount: 2, seed: 0, normalize: "none" } as const;
    assertThrows(
      () => prepareImages(d, { ...base, valCount: 10 }),
      Error,
      "valCount must be an integer from 0 to 9",
    );
    assertThrows(() => prepareImages(d, { ...base, valCount: -1 }), Error, "valCount");
    assertThrows(
      () => prepareImages(d, { ...base, trainCount: 9 }),
      Error,
      "trainCount must be an integer from 1 to 8",
    );
    assertThrows(
      () => prepareImages(d, { ...base, testCount: 4 }),
      Error,
      "testCount must be an integer from 0 to 3",
    );
    assertThrows(
      () => prepareImages(d, { ...base, normalize: "zscore" as unknown as Normalization }),
      Error,
      "normalize must be one of",
    );
  },
);

tensorTest("prepareImages will not standardise a channel that never changes", () => {
  const d = tinyDataset();
  d.train.images = d.train.images.map((v, f) => (f % 2 === 1 ? 7 : v));
  assertThrows(
    () => prepareImages(d, { valCount: 2, seed: 0, normalize: "standardize" }),
    Error,
    "channel 1",
  );
});

tensorTest("normalizeImages applies given statistics to other images", async () => {
  const { stats } = prepareImages(tinyDataset(), {
    valCount: 2,
    seed: 0,
    normalize: "standardize",
  });
  const x = normalizeImages(new Uint8Array([255, 0]), stats);
  assertEquals(x.shape, [1, 2]);
  const [a, b] = await x.data();
  assertAlmostEquals(a, (1 - stats.mean[0]) / stats.std[0], 1e-5);
  assertAlmostEquals(b, -stats.mean[1] / stats.std[1], 1e-5);
  assertThrows(
    () => normalizeImages(new Uint8Array(3), stats),
    Error,
    "not a whole number of images of 2 values",
  );
});

// Real data (GRADLAB_DATA_DIR=shared/datasets): the well-known MNIST constants come out.
tensorTest(
  "prepareImages on all of MNIST's training images gives mean 0.1307 and std 0.3081",
  async () => {
    const data = prepareImages(await loadMnist(), {
      valCount: 0,
      testCount: 0,
      seed: 0,
      normalize: "standardize",
    });
    assertEquals(data.xTrain.shape, [60_000, 784]);
    assertAlmostEquals(data.stats.mean[0], 0.1306604762738429, 1e-6);
    assertAlmostEquals(data.stats.std[0], 0.30810780385646264, 1e-6);
  },
);

Deno.test("on WASM the features are written in place, the same bits as on the CPU backend", async () => {
  // 300 images of 4×3×2 with every byte value, and their splits, on both backends.
  const images = Uint8Array.from({ length: 300 * 24 }, (_, i) => (i * 7919) % 256);
  const dataset: ImageDataset = {
    ...tinyDataset(),
    imageShape: [4, 3, 2],
    train: { images, labels: new Uint8Array(300), count: 300 },
    test: { images: images.slice(0, 50 * 24), labels: new Uint8Array(50), count: 50 },
  };
  const prepare = async () => {
    const data = prepareImages(dataset, { valCount: 30, seed: 2, normalize: "standardize" });
    const values = [await data.xTrain.data(), await data.xVal.data(), await data.xTest.data()];
    tf.dispose([data.xTrain, data.yTrain, data.xVal, data.yVal, data.xTest, data.yTest]);
    return values;
  };
  const onCpu = await prepare();
  await useBackend("wasm");
  try {
    const before = tf.memory().numTensors;
    const onWasm = await prepare();
    assertEquals(onWasm, onCpu, "the features, bit for bit");
    assertEquals(tf.memory().numTensors, before, "every tensor disposed, none left behind");
    const t = filledTensor([2, 3], (v) => v.set([1, 2, 3, 4, 5, 6]));
    assertEquals([t.shape, t.dtype, Array.from(await t.sum().data())], [[2, 3], "float32", [21]]);
    t.dispose();
  } finally {
    await useBackend("cpu");
  }
});
