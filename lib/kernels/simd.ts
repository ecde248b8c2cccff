/**
 * gradlab's SIMD kernels (lib/kernels/simd.wat), run on tfjs-wasm's own memory.
 *
 * The module imports the memory of the running tfjs-wasm instance, so a kernel
 * passes it the byte offsets of tfjs's tensors ({@linkcode offsetOf}) and
 * nothing is copied. tfjs's one-thread build owns an ordinary memory and its
 * threaded build a shared one; the matching binary is chosen. One instance per
 * memory, made on first use.
 *
 * @example Inside a wasm kernel
 * ```ts
 * import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
 * import { offsetOf, simdFor } from "./simd.ts";
 * // backend: BackendWasm, x: a float32 TensorInfo
 * const out = backend.makeOutput(x.shape, "float32");
 * simdFor(backend).tanh(offsetOf(backend, x), offsetOf(backend, out), tf.util.sizeFromShape(x.shape));
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { SIMD_WASM, SIMD_WASM_SHARED } from "./simd_binary.ts";

/** The exports of simd.wat. Every `x`, `y`, `out` is a byte offset in tfjs's memory. */
export interface Simd {
  /** y[i] = tanh(x[i]) for i < n (within 6 float32 ulps, 3.6e-7). */
  tanh(x: number, y: number, n: number): void;
  /** y[i] = exp(x[i]) for i < n (within 1 float32 ulp). */
  exp(x: number, y: number, n: number): void;
  /** y[i] = 1 / (1 + exp(−x[i])) for i < n. */
  sigmoid(x: number, y: number, n: number): void;
  /** y[i] = max(x[i], 0) for i < n. */
  relu(x: number, y: number, n: number): void;
  /** y[i] = −x[i] for i < n (the sign bit flipped). */
  neg(x: number, y: number, n: number): void;
  /** y[i] = |x[i]| for i < n (the sign bit cleared). */
  abs(x: number, y: number, n: number): void;
  /**
   * out[r, j] = a[r, j] + b[r, j] on a [rows, cols] result, where row r of a starts at float
   * r·aRow and of b at r·bRow, and `kind` says which operands vary along a row: 0 both, 1 only
   * a (b is one float per row), 2 only b. binary_simd.ts's `planBroadcast` gives these.
   */
  add: BinaryOp;
  /** The same, a − b. */
  sub: BinaryOp;
  /** The same, a · b. */
  mul: BinaryOp;
  /** The same, a / b. */
  div: BinaryOp;
  /** out[j, i] = x[i, j]: the [cols, rows] transpose of the [rows, cols] matrix at x. */
  transpose(x: number, out: number, rows: number, cols: number): void;
  /** Copies `rows` runs of `floats` floats, the r-th from src + r·srcStep to dst + r·dstStep (bytes). */
  copy_rows(
    src: number,
    srcStep: number,
    dst: number,
    dstStep: number,
    rows: number,
    floats: number,
  ): void;
  /** Like {@linkcode Simd.copy_rows}, but adds each run into the one at dst. */
  add_rows(
    src: number,
    srcStep: number,
    dst: number,
    dstStep: number,
    rows: number,
    floats: number,
  ): void;
  /** Sets `rows` runs of `floats` floats to 0, the r-th at dst + r·dstStep (bytes). */
  zero_rows(dst: number, dstStep: number, rows: number, floats: number): void;
  /**
   * One max-pool window's gradient, all c channels: dy (c floats) added in dx (`toDx` bytes
   * after x's layout) at each channel's first maximum of the rows × cols taps starting at x.
   */
  max_pool_grad(
    x: number,
    toDx: number,
    dy: number,
    rowStep: number,
    colStep: number,
    rows: number,
    cols: number,
    c: number,
  ): void;
  /** out[j] = Σᵢ x[i·cols + j]: column sums of a [rows, cols] matrix, rows added in order. */
  sum_columns(x: number, out: number, rows: number, cols: number): void;
  /** out[i] = Σⱼ x[i·cols + j]: row sums of a [rows, cols] matrix. */
  sum_rows(x: number, out: number, rows: number, cols: number): void;
}

/** One of simd.wat's binary functions (see {@linkcode Simd.add}). */
export type BinaryOp = (
  a: number,
  aRow: number,
  b: number,
  bRow: number,
  out: number,
  rows: number,
  cols: number,
  kind: number,
) => void;

const instances = new WeakMap<WebAssembly.Memory, Simd>();

/** The SIMD kernels working on `backend`'s memory. */
export function simdFor(backend: BackendWasm): Simd {
  const module = backend.wasm as unknown as {
    asm: { memory?: WebAssembly.Memory };
    wasmMemory?: WebAssembly.Memory;
  };
  // The one-thread build exports its memory; the threaded one imports it (Emscripten's names).
  const memory = module.asm.memory ?? module.wasmMemory;
  if (!memory) throw new Error("tfjs-wasm's memory was not found: has tfjs changed?");
  return simdOn(memory);
}

/** The SIMD kernels working on `memory` (tfjs's, or a test's own). */
export function simdOn(memory: WebAssembly.Memory): Simd {
  let simd = instances.get(memory);
  if (!simd) {
    const shared = memory.buffer instanceof SharedArrayBuffer;
    const base64 = shared ? SIMD_WASM_SHARED : SIMD_WASM;
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    simd = instance.exports as unknown as Simd;
    instances.set(memory, simd);
  }
  return simd;
}

/** Where tensor `t`'s values start in `backend`'s memory, in bytes (moving them in first, if need be). */
export function offsetOf(backend: BackendWasm, t: tf.TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset;
}
