/**
 * MNIST (handwritten digits) and Fashion-MNIST (clothing): 28×28 grey images in 10 classes.
 *
 * Both come as four IDX files (see `idx.ts`) with the same names and layout:
 * 60,000 training and 10,000 test images, 0 = background, 255 = ink. Zalando
 * made Fashion-MNIST as a drop-in replacement for MNIST that is harder to
 * get right, so the same code loads either.
 *
 * Where the files are looked for is described in `data_file.ts`; Fashion-MNIST
 * is also found where Debian's `dataset-fashion-mnist` package installs it,
 * `/usr/share/datasets/fashion-mnist/`.
 *
 * @example
 * ```ts
 * import { loadFashionMnist, loadMnist } from "./mnist.ts";
 * const mnist = await loadMnist();
 * // mnist.train.images: Uint8Array, 60000×28×28×1; mnist.train.labels: Uint8Array of 60000 digits 0–9
 * const fashion = await loadFashionMnist();
 * fashion.classNames[fashion.test.labels[0]]; // "Ankle boot"
 * ```
 * @module
 */
import { SHA256 } from "./checksums.ts";
import { type DataFile, readDataFile } from "./data_file.ts";
import type { ImageDataset, ImageSplit } from "./image_dataset.ts";
import { parseIdx } from "./idx.ts";

/** MNIST's class names: the digits, so that `classNames[label]` reads naturally. */
export const MNIST_CLASS_NAMES: readonly string[] = [
  "0",
  "1",
  "2",
  "3",
  "4",
  "5",
  "6",
  "7",
  "8",
  "9",
];

/** Fashion-MNIST's class names, indexed by label (from Zalando's README). */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

/** The four IDX files of an MNIST-like data set, by role. */
export interface IdxFiles {
  trainImages: DataFile;
  trainLabels: DataFile;
  testImages: DataFile;
  testLabels: DataFile;
}

/** MNIST's files. They download from the mirror PyTorch uses: LeCun's site no longer serves them. */
export const MNIST_FILES: IdxFiles = idxFiles(
  "MNIST",
  "mnist",
  "https://ossci-datasets.s3.amazonaws.com/mnist/",
);

/** Fashion-MNIST's files, downloaded from Zalando's own server. */
export const FASHION_MNIST_FILES: IdxFiles = idxFiles(
  "Fashion-MNIST",
  "fashion-mnist",
  "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
);

/**
 * Loads MNIST: 60,000 training and 10,000 test digits, 28×28×1, labels 0–9.
 *
 * @param options.dir a folder holding the four IDX files (plain, `.gz` or
 *   parts), searched instead of the usual places.
 * @throws DataNotFoundError or CorruptDataError (see `data_file.ts`).
 */
export function loadMnist(options: { dir?: string } = {}): Promise<ImageDataset> {
  return loadIdxDataset("MNIST", MNIST_CLASS_NAMES, MNIST_FILES, options);
}

/**
 * Loads Fashion-MNIST: 60,000 training and 10,000 test images, 28×28×1,
 * labels 0–9 naming {@linkcode FASHION_MNIST_CLASS_NAMES}.
 *
 * @param options.dir a folder holding the four IDX files (plain, `.gz` or
 *   parts), searched instead of the usual places.
 * @throws DataNotFoundError or CorruptDataError (see `data_file.ts`).
 */
export function loadFashionMnist(options: { dir?: string } = {}): Promise<ImageDataset> {
  return loadIdxDataset("Fashion-MNIST", FASHION_MNIST_CLASS_NAMES, FASHION_MNIST_FILES, options);
}

function idxFiles(dataset: string, folder: "mnist" | "fashion-mnist", baseUrl: string): IdxFiles {
  const file = (name: keyof typeof SHA256.mnist): DataFile => ({
    dataset,
    folder,
    name,
    sha256: SHA256[folder][name],
    url: `${baseUrl}${name}.gz`,
  });
  return {
    trainImages: file("train-images-idx3-ubyte"),
    trainLabels: file("train-labels-idx1-ubyte"),
    testImages: file("t10k-images-idx3-ubyte"),
    testLabels: file("t10k-labels-idx1-ubyte"),
  };
}

async function loadIdxDataset(
  name: string,
  classNames: readonly string[],
  files: IdxFiles,
  options: { dir?: string },
): Promise<ImageDataset> {
  const split = async (images: DataFile, labels: DataFile): Promise<ImageSplit> => {
    const pixels = parseIdx(await readDataFile(images, options), images.name);
    return {
      images: pixels.values,
      labels: parseIdx(await readDataFile(labels, options), labels.name).values,
      count: pixels.shape[0],
    };
  };
  return {
    name,
    classNames,
    imageShape: [28, 28, 1],
    train: await split(files.trainImages, files.trainLabels),
    test: await split(files.testImages, files.testLabels),
  };
}
