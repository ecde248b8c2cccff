/**
 * Concat and Pack (`tf.concat`, `tf.stack`) for tfjs-wasm, by block copies in place.
 *
 * tfjs-wasm 4.22 concatenates in JavaScript, one float at a time, and stacks
 * by concatenating: stacking the nine shifted views of an im2col (9 tensors
 * [64, 32, 32, 3] along axis 3) took tens of milliseconds. Here each input is
 * one strided block of the output (lib/kernels/copy_block.ts), copied by
 * simd.wat in runs. Values are copied bit for bit, so results equal the stock
 * kernels'. Non-float32 tensors go to the stock kernels.
 *
 *     Concat: x₁ [..., a₁, ...], x₂ [..., a₂, ...], … along `axis` → [..., a₁ + a₂ + …, ...]
 *     Pack:   n tensors [d…] → [..., n (axis), ...]
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { overrideKernel } from "./registry.ts";
 * import { packInPlace } from "./concat_in_place.ts";
 * await tf.setBackend("wasm");
 * overrideKernel(packInPlace);
 * tf.stack([tf.ones([2, 3]), tf.zeros([2, 3])], 2); // [2, 3, 2]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { copyBlock, denseStrides } from "./copy_block.ts";
import { stockKernel } from "./registry.ts";
import { offsetOf, simdFor } from "./simd.ts";

type Info = tf.TensorInfo;

/** The wasm Concat kernel config. */
export const concatInPlace: tf.KernelConfig = {
  kernelName: "Concat",
  backendName: "wasm",
  kernelFunc: (args) => {
    const inputs = args.inputs as unknown as Info[];
    if (inputs.some((t) => t.dtype !== "float32")) {
      return stockKernel("Concat", "wasm")!.kernelFunc(args);
    }
    const axis =
      tf.util.parseAxisParam((args.attrs as unknown as tf.ConcatAttrs).axis, inputs[0].shape)[0];
    const shape = tf.backend_util.computeOutShape(inputs.map((t) => t.shape), axis);
    const backend = args.backend as BackendWasm;
    const out = backend.makeOutput(shape, "float32");
    let along = 0;
    for (const input of inputs) {
      place(backend, input, input.shape, out, along, axis);
      along += input.shape[axis];
    }
    return out;
  },
};

/** The wasm Pack kernel config. */
export const packInPlace: tf.KernelConfig = {
  kernelName: "Pack",
  backendName: "wasm",
  kernelFunc: (args) => {
    const inputs = args.inputs as unknown as Info[];
    if (inputs.some((t) => t.dtype !== "float32")) {
      return stockKernel("Pack", "wasm")!.kernelFunc(args);
    }
    const rank = inputs[0].shape.length + 1;
    const axis = ((args.attrs as unknown as tf.PackAttrs).axis + rank) % rank;
    const withAxis = (
      n: number,
    ) => [...inputs[0].shape.slice(0, axis), n, ...inputs[0].shape.slice(axis)];
    const backend = args.backend as BackendWasm;
    const out = backend.makeOutput(withAxis(inputs.length), "float32");
    inputs.forEach((input, i) => place(backend, input, withAxis(1), out, i, axis));
    return out;
  },
};

/** Copies `input` (viewed as `shape`) into `out` at index `along` of `axis`. */
function place(
  backend: BackendWasm,
  input: Info,
  shape: number[],
  out: Info,
  along: number,
  axis: number,
) {
  const strides = denseStrides(out.shape);
  copyBlock(
    simdFor(backend),
    shape,
    { at: offsetOf(backend, input), strides: denseStrides(shape) },
    { at: offsetOf(backend, out) + 4 * along * strides[axis], strides },
  );
}
