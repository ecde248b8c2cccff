/**
 * Reading and writing tfjs-wasm tensors in place, as Float32Array views of the WASM heap.
 *
 * Two traps make this a module of its own:
 * - growing the heap (any allocation may) detaches every view taken before;
 * - a tensor made on another backend moves into the heap only when first
 *   looked up, and that move allocates.
 * So: make every output first, then call {@linkcode heapViews} once for all
 * the tensors a kernel touches, and allocate nothing while the views are used.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
 * import { heapViews } from "./wasm_heap.ts";
 * await tf.setBackend("wasm");
 * const backend = tf.backend() as BackendWasm;
 * const x = tf.ones([2, 3]);
 * const out = backend.makeOutput([2, 3], "float32");
 * const [xs, outs] = heapViews(backend, x, out); // two Float32Array(6) on the heap
 * for (let i = 0; i < 6; i++) outs[i] = 2 * xs[i];
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

/** Float32Array views of `tensors` (float32, all on `backend`), valid until the next allocation. */
export function heapViews(backend: BackendWasm, ...tensors: tf.TensorInfo[]): Float32Array[] {
  for (const t of tensors) {
    if (t.dtype !== "float32") throw new Error(`heapViews takes float32 tensors, got ${t.dtype}.`);
    backend.dataIdMap.get(t.dataId); // moves the data in from another backend now, if it must
  }
  return tensors.map((t) => backend.typedArrayFromHeap(t) as Float32Array);
}
