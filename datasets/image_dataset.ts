/**
 * The shape every image data set comes in: raw bytes, as the files hold them.
 *
 * Images stay `Uint8Array` (0–255) so that even CIFAR-10's 50,000 training
 * images take 150 MB, not 600 MB; `prepare.ts` turns the part you use into
 * float32 tensors. Images are stored one after another, each row-major with
 * its channels last (HWC): the value of channel `ch` at row `y`, column `x`
 * of image `i` is
 *
 *     images[((i * h + y) * w + x) * c + ch]
 *
 * @example
 * ```ts
 * import { loadMnist } from "./mnist.ts";
 * import { classCounts } from "./image_dataset.ts";
 * const mnist = await loadMnist();
 * mnist.imageShape;                     // [28, 28, 1]
 * mnist.test.images.length;             // 10000 * 28 * 28
 * classCounts(mnist.test.labels, 10);   // [980, 1135, 1032, …]
 * ```
 * @module
 */

/** One split (train or test) of an image data set. */
export interface ImageSplit {
  /** pixel values 0–255, `count` images of h×w×c, row-major, channels last (HWC) */
  images: Uint8Array;
  /** the class of each image, 0…classNames.length−1; `count` values */
  labels: Uint8Array;
  /** number of images */
  count: number;
}

/** An image classification data set, as loaded: bytes, not tensors. */
export interface ImageDataset {
  /** e.g. `"CIFAR-10"` */
  name: string;
  /** the name of each class, indexed by label */
  classNames: readonly string[];
  /** [h, w, c] of one image: [28, 28, 1] for MNIST, [32, 32, 3] for CIFAR-10 */
  imageShape: [number, number, number];
  train: ImageSplit;
  test: ImageSplit;
}

/**
 * How many labels of each class there are: a quick check that a split is balanced.
 *
 * @param labels class labels, each 0…classes−1.
 * @param classes number of classes.
 * @returns an array of `classes` counts.
 * @throws Error naming the first label outside 0…classes−1.
 */
export function classCounts(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) {
    if (!(labels[i] >= 0 && labels[i] < classes)) {
      throw new Error(`classCounts: label ${labels[i]} at index ${i} is not in 0…${classes - 1}.`);
    }
    counts[labels[i]]++;
  }
  return counts;
}
