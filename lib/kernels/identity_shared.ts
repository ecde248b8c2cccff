/**
 * Identity for tfjs-wasm that shares the input's memory instead of copying it.
 *
 * Autodiff passes gradients through Identity often (29 times in one CNN
 * training step); tfjs-wasm copied the whole tensor each time (~11 ms per
 * step). tfjs tensors are immutable, so the output can share the input's
 * heap memory, counted by reference as tfjs's own Reshape and the cpu
 * backend's Identity do: the memory is freed when both are disposed.
 *
 *     x: any shape and dtype → the same tensor value, [shape of x]
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { overrideKernel } from "./registry.ts";
 * import { identityShared } from "./identity_shared.ts";
 * await tf.setBackend("wasm");
 * overrideKernel(identityShared);
 * const y = tf.ones([1024, 1024]).clone(); // no copy
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

/** The wasm Identity kernel config. */
export const identityShared: tf.KernelConfig = {
  kernelName: "Identity",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    (backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};
