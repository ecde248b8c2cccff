/**
 * PadV2 (`tf.pad` with a constant) for tfjs-wasm: fill, then one block copy.
 *
 * tfjs-wasm 4.22 pads through XNNPACK, which splits the work among its
 * threads even for small tensors; on a busy machine each call then waits for
 * a thread the OS is not running (see binary_simd.ts). Here the output is
 * filled with the constant and the input copied in as one strided block
 * (lib/kernels/copy_block.ts), on the calling thread. Values are copied bit
 * for bit: results equal the stock kernel's. Non-float32 tensors go to the
 * stock kernel.
 *
 *     x: [d₀, …], paddings: [[b₀, a₀], …] → [b₀ + d₀ + a₀, …]
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { overrideKernel } from "./registry.ts";
 * import { padCopy } from "./pad_copy.ts";
 * await tf.setBackend("wasm");
 * overrideKernel(padCopy);
 * tf.pad(tf.ones([1, 2]), [[1, 0], [0, 1]]); // [[0, 0, 0], [1, 1, 0]]
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { copyBlock, denseStrides } from "./copy_block.ts";
import { stockKernel } from "./registry.ts";
import { offsetOf, simdFor } from "./simd.ts";

/** The wasm PadV2 kernel config. */
export const padCopy: tf.KernelConfig = {
  kernelName: "PadV2",
  backendName: "wasm",
  kernelFunc: (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { paddings, constantValue } = args.attrs as unknown as tf.PadV2Attrs;
    if (x.dtype !== "float32") return stockKernel("PadV2", "wasm")!.kernelFunc(args);
    const backend = args.backend as BackendWasm;
    const shape = x.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
    const out = backend.makeOutput(shape, "float32");
    backend.dataIdMap.get(x.dataId); // moves x in from another backend first (that allocates)
    (backend.typedArrayFromHeap(out) as Float32Array).fill(constantValue);
    const strides = denseStrides(shape);
    const first = paddings.reduce((sum, [before], i) => sum + before * strides[i], 0);
    copyBlock(
      simdFor(backend),
      x.shape,
      { at: offsetOf(backend, x), strides: denseStrides(x.shape) },
      { at: offsetOf(backend, out) + 4 * first, strides },
    );
    return out;
  },
};
