/**
 * Tile (and so `tf.broadcastTo`) for tfjs-wasm, by copying whole runs.
 *
 * tfjs-wasm 4.22 tiles one element at a time, computing each element's source
 * index: broadcasting a [1, 256] row to [128, 256] took ~1.4 ms (PyTorch:
 * 4 µs), and that is most of the time of tfjs's batch-norm gradient. This
 * kernel copies the innermost axis's run once per source row, then doubles
 * each copied block in place (`copyWithin`) until it is repeated enough: a
 * few memory copies per axis. Results are the stock kernel's, bit for bit.
 *
 *     x: [d₀, …, dₖ], reps: [r₀, …, rₖ] → [d₀·r₀, …, dₖ·rₖ] (any dtype but string)
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { overrideKernel } from "./registry.ts";
 * import { tileCopy } from "./tile_copy.ts";
 * await tf.setBackend("wasm");
 * overrideKernel(tileCopy);
 * tf.tile(tf.tensor2d([[1, 2]]), [2, 2]); // [[1, 2, 1, 2], [1, 2, 1, 2]]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { stockKernel } from "./registry.ts";

/** The wasm Tile kernel config. */
export const tileCopy: tf.KernelConfig = {
  kernelName: "Tile",
  backendName: "wasm",
  kernelFunc: (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { reps } = args.attrs as unknown as tf.TileAttrs;
    if (x.dtype === "string") return stockKernel("Tile", "wasm")!.kernelFunc(args);
    const backend = args.backend as BackendWasm;
    const out = backend.makeOutput(x.shape.map((d, i) => d * reps[i]), x.dtype);
    backend.dataIdMap.get(x.dataId); // moves x in from another backend first (that allocates)
    const from = backend.typedArrayFromHeap(x) as Float32Array;
    const to = backend.typedArrayFromHeap(out) as Float32Array;
    if (to.length > 0) tile(from, x.shape, reps, to);
    return out;
  },
};

/**
 * Writes `x` (shape `shape`) tiled `reps` times along each axis into `out`.
 *
 * Axis by axis from the outermost: each of the `shape[axis]` sub-blocks is
 * written (recursively) once, then the block they make is repeated `reps[axis]`
 * times by doubling copies.
 */
export function tile<T extends Float32Array | Int32Array | Uint8Array>(
  x: T,
  shape: readonly number[],
  reps: readonly number[],
  out: T,
): void {
  if (shape.length === 0) return out.set(x);
  const outShape = shape.map((d, i) => d * reps[i]);
  // Per axis: elements in one index step of x, and of out.
  const xStride = shape.map((_, i) => tf.util.sizeFromShape(shape.slice(i + 1)));
  const outStride = outShape.map((_, i) => tf.util.sizeFromShape(outShape.slice(i + 1)));
  const fill = (axis: number, xAt: number, outAt: number) => {
    if (axis === shape.length - 1) {
      out.set(x.subarray(xAt, xAt + shape[axis]), outAt);
    } else {
      for (let j = 0; j < shape[axis]; j++) {
        fill(axis + 1, xAt + j * xStride[axis], outAt + j * outStride[axis]);
      }
    }
    repeat(out, outAt, shape[axis] * outStride[axis], reps[axis]);
  };
  fill(0, 0, 0);
}

/** Repeats `out[at, at + block)` so that it occurs `times` times in a row, by doubling. */
function repeat(
  out: Float32Array | Int32Array | Uint8Array,
  at: number,
  block: number,
  times: number,
) {
  const total = block * times;
  for (let done = block; done < total; done *= 2) {
    out.copyWithin(at + done, at, at + Math.min(done, total - done));
  }
}
