/**
 * Tensor memory: scopes that free every tensor a computation makes.
 *
 * tfjs tensors live outside JavaScript's garbage collector (in WASM memory or
 * on the GPU) and must be disposed. {@linkcode scope} wraps `tf.tidy` for
 * synchronous code, and {@linkcode scopeAsync} does the same for code that
 * awaits (tf.tidy silently mishandles async functions: it frees the tensors
 * made before the first `await` and leaks the rest).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { scope, scopeAsync } from "./memory.ts";
 * const y = scope(() => tf.ones([3]).mul(2).add(1)); // intermediates freed, y kept
 * const total = await scopeAsync(async () => (await tf.ones([3]).sum().data())[0]);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Runs synchronous `fn`, then disposes every tensor it created except those it returns.
 * Throws if `fn` returns a Promise: use {@linkcode scopeAsync} for async code.
 */
export function scope<T extends tf.TensorContainer>(fn: () => T): T {
  return tf.tidy(() => {
    const result = fn();
    if (result instanceof Promise) {
      throw new Error("scope() got an async function; use scopeAsync() for code that awaits.");
    }
    return result;
  });
}

/**
 * Runs async `fn`, then disposes every tensor it created except those found in its result
 * (a tensor, or arrays/objects of tensors). Do not run two scopeAsync calls concurrently.
 */
export async function scopeAsync<T>(fn: () => Promise<T>): Promise<T> {
  const engine = tf.engine();
  engine.startScope();
  let result: T | undefined;
  try {
    result = await fn();
    return result;
  } finally {
    engine.endScope(result as tf.TensorContainer);
  }
}

/** How many tensors are alive now (on the current backend's engine). */
export function liveTensors(): number {
  return tf.memory().numTensors;
}
