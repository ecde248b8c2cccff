/**
 * Swapping tfjs kernels at run time, and putting the originals back.
 *
 * tfjs looks kernels up by name and backend on every op, so replacing one
 * (`unregisterKernel` + `registerKernel`) changes what every later op runs,
 * gradients included. {@linkcode overrideKernel} remembers the kernel it
 * replaced the first time a name is overridden, so {@linkcode stockKernel}
 * can still call it and {@linkcode restoreStockKernels} can put it back.
 *
 * "Stock" means what was registered before gradlab's first override: the
 * kernel tfjs 4.22 ships, or lib/backend.ts's stub that throws
 * MissingKernelError where tfjs ships none.
 *
 * @example
 * ```ts
 * import { overrideKernel, restoreStockKernels, stockKernel } from "./registry.ts";
 * overrideKernel({ kernelName: "Relu", backendName: "wasm", kernelFunc: (args) => {
 *   console.log("relu!");
 *   return stockKernel("Relu", "wasm")!.kernelFunc(args);
 * } });
 * restoreStockKernels("wasm"); // Relu is tfjs's again
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** The stock kernel of each overridden `backend/name`, or `null` if there was none. */
const stock = new Map<string, tf.KernelConfig | null>();

/** Registers `config` in place of whatever `config.kernelName` runs on `config.backendName` now. */
export function overrideKernel(config: tf.KernelConfig): void {
  const { kernelName, backendName } = config;
  const key = `${backendName}/${kernelName}`;
  const current = tf.getKernel(kernelName, backendName);
  if (!stock.has(key)) stock.set(key, current ?? null);
  if (current) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel(config);
}

/** The kernel `name` ran on `backend` before gradlab overrode it (or now, if it never did). */
export function stockKernel(name: string, backend: string): tf.KernelConfig | undefined {
  const key = `${backend}/${name}`;
  return stock.has(key) ? stock.get(key) ?? undefined : tf.getKernel(name, backend);
}

/** Re-registers every stock kernel that {@linkcode overrideKernel} replaced on `backend`. */
export function restoreStockKernels(backend: string): void {
  for (const [key, config] of stock) {
    const [backendName, kernelName] = key.split("/");
    if (backendName !== backend) continue;
    if (tf.getKernel(kernelName, backendName)) tf.unregisterKernel(kernelName, backendName);
    if (config) tf.registerKernel(config);
  }
}
