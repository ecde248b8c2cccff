/**
 * Test helpers: run the same tfjs computation on the cpu backend (the
 * reference) and on wasm with a kernel set installed, or on wasm with tfjs's
 * stock kernels and with one of gradlab's over them, and return both results.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { onCpuAndWasm } from "./cpu_reference.ts";
 * const [cpu, wasm] = await onCpuAndWasm("portable", () => tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]), true));
 * // two Float32Array(9), equal within float32 rounding
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../backend.ts";
import { installKernels, type KernelChoice } from "./kernel_sets.ts";
import { overrideKernel } from "./registry.ts";

/** `f()`'s values on cpu, then on wasm with kernel set `kernels`: [cpu, wasm], each flattened. */
export async function onCpuAndWasm(
  kernels: KernelChoice,
  f: () => tf.Tensor,
): Promise<[Float32Array, Float32Array]> {
  await useBackend("cpu");
  const cpu = await values(f);
  await useBackend("wasm");
  installKernels("wasm", kernels);
  return [cpu, await values(f)];
}

/**
 * `f()`'s values on wasm with tfjs's stock kernels, then with `config` replacing
 * its kernel: [stock, own], each flattened. Leaves the portable set installed.
 */
export async function onStockAndOwn(
  config: tf.KernelConfig,
  f: () => tf.Tensor,
): Promise<[Float32Array, Float32Array]> {
  await useBackend("wasm");
  installKernels("wasm", "stock");
  const stock = await values(f);
  overrideKernel(config);
  const own = await values(f);
  installKernels("wasm", "portable");
  return [stock, own];
}

async function values(f: () => tf.Tensor): Promise<Float32Array> {
  const t = tf.tidy(f);
  const v = Float32Array.from(await t.data());
  t.dispose();
  return v;
}

/** max |a − b| / max(1, max |b|): float32 products of K terms stay below ~K·6e-8. */
export function relativeDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}.`);
  let diff = 0, scale = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return Number.isNaN(diff) ? Infinity : diff / scale;
}
