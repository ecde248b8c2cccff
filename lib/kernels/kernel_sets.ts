/**
 * Which kernels tfjs runs: stock, portable (pure WASM, the default) or native (OpenBLAS via FFI).
 *
 * | set        | on wasm it replaces                                            | needs       |
 * | ---------- | -------------------------------------------------------------- | ----------- |
 * | `stock`    | nothing: tfjs 4.22 as shipped                                  |             |
 * | `portable` | BatchMatMul (transpose first); Transpose of the last two axes  | nothing     |
 * |            | (SIMD); Conv2DBackpropFilter and                               |             |
 * |            | Conv2DBackpropInput (im2col); MaxPoolGrad (TypeScript);        |             |
 * |            | Slice, Unpack, SplitV, Concat, Pack, PadV2, Tile (block        |             |
 * |            | copies); Identity (shared memory); Sum and Mean over leading   |             |
 * |            | or trailing axes, Tanh, Exp, Sigmoid, Relu, Neg, Abs, Square,  |             |
 * |            | Add, Sub, Multiply and RealDiv with the common broadcasts      |             |
 * |            | (SIMD on the calling thread, lib/kernels/simd.wat)             |             |
 * | `native`   | the portable set, with BatchMatMul and Conv2D by native sgemm  | FFI,        |
 * |            |                                                                | OpenBLAS    |
 *
 * `auto` picks `native` when a BLAS library loads, which needs Deno's FFI
 * permission (`deno task test` and the training scripts grant it on the
 * library's path; see blas.ts), and `portable` otherwise: graded runs, which
 * have no FFI permission, always get `portable`. The webgpu and cpu backends
 * keep their stock kernels in every set (webgpu with one fix: add_n_webgpu.ts).
 * All sets agree within float32 rounding; each is deterministic (same inputs,
 * same bits), with any number of wasm threads (lib/kernels/wasm_threads.ts).
 *
 * @example
 * ```ts
 * import { installKernels } from "./kernel_sets.ts";
 * const line = installKernels("wasm", "auto");
 * console.log(line); // "portable (no FFI permission)" or "native (OpenBLAS 0.3.21 … Cooperlake …)"
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { installAddN } from "./add_n_webgpu.ts";
import { addSimd, divSimd, mulSimd, subSimd } from "./binary_simd.ts";
import { blasAllowed, loadBlas } from "./blas.ts";
import { concatInPlace, packInPlace } from "./concat_in_place.ts";
import { conv2dFilterGrad, conv2dForward, conv2dInputGrad } from "./conv2d_as_matmul.ts";
import { blasMatMul } from "./matmul_blas.ts";
import { transposeFirstMatMul } from "./matmul_transpose_first.ts";
import { identityShared } from "./identity_shared.ts";
import { maxPoolGrad } from "./max_pool_grad.ts";
import { sliceInPlace, splitInPlace, unpackInPlace } from "./slice_in_place.ts";
import { meanSimd, sumSimd } from "./sum_mean.ts";
import { tileCopy } from "./tile_copy.ts";
import { transposeSimd } from "./transpose_simd.ts";
import {
  absSimd,
  expSimd,
  negSimd,
  reluSimd,
  sigmoidSimd,
  squareSimd,
  tanhSimd,
} from "./unary_simd.ts";
import { padCopy } from "./pad_copy.ts";
import { overrideKernel, restoreStockKernels } from "./registry.ts";

/** A kernel set, or `auto` to choose by permission. */
export type KernelChoice = "auto" | "stock" | "portable" | "native";

/** The choices, for validating `GRADLAB_KERNELS`. */
export const KERNEL_CHOICES: readonly KernelChoice[] = ["auto", "stock", "portable", "native"];

const PORTABLE: tf.KernelConfig[] = [
  transposeFirstMatMul,
  conv2dFilterGrad,
  conv2dInputGrad,
  maxPoolGrad,
  sliceInPlace,
  unpackInPlace,
  splitInPlace,
  concatInPlace,
  packInPlace,
  padCopy,
  identityShared,
  sumSimd,
  meanSimd,
  tileCopy,
  transposeSimd,
  tanhSimd,
  expSimd,
  sigmoidSimd,
  reluSimd,
  negSimd,
  absSimd,
  squareSimd,
  addSimd,
  subSimd,
  mulSimd,
  divSimd,
];

/**
 * Installs kernel set `choice` for `backend` (replacing whichever set was installed)
 * and returns one line saying what runs now.
 *
 * @throws Error when `native` is asked for by name and no BLAS can be loaded.
 */
export function installKernels(backend: string, choice: KernelChoice): string {
  restoreStockKernels(backend);
  if (backend === "webgpu") installAddN(); // a fix, in every set: stock drops inputs past the 7th
  if (backend !== "wasm" || choice === "stock") return "stock";
  const blas = choice === "portable" ? undefined : loadBlas();
  if (choice === "native" && !blas) {
    throw new Error(
      "Native kernels need Deno's FFI permission (deno task test grants it) and a BLAS " +
        "library (Linux: apt install libopenblas0; macOS: Accelerate, built in). " +
        "Use GRADLAB_KERNELS=portable to run without them.",
    );
  }
  for (const config of PORTABLE) overrideKernel(config);
  if (!blas) {
    if (choice === "portable") return "portable";
    return `portable (${blasAllowed() ? "no BLAS library found" : "no FFI permission"})`;
  }
  overrideKernel(blasMatMul(blas));
  overrideKernel(conv2dForward);
  return `native (${blas.description})`;
}
