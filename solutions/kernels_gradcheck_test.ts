// The assignment-01 reference layers still pass lib/gradcheck.ts with gradlab's
// wasm kernels installed (portable, and native where --allow-ffi and a BLAS exist).
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../lib/backend.ts";
import { assertGradientsMatch, chainScalar } from "../lib/gradcheck.ts";
import { randint, randn, Rng } from "../lib/random.ts";
import {
  affineBackward,
  affineForward,
  affineReluBackward,
  affineReluForward,
} from "./01-backprop/layers.ts";
import { twoLayerNetLoss } from "./01-backprop/two_layer_net.ts";
import { loadBlas } from "../lib/kernels/blas.ts";
import { installKernels, type KernelChoice } from "../lib/kernels/kernel_sets.ts";

const SETS: KernelChoice[] = loadBlas() ? ["portable", "native"] : ["portable"];
const SEEDS = Array.from({ length: 21 }, (_, i) => i);

for (const kernels of SETS) {
  Deno.test(`A1 layers pass the gradient check on wasm (${kernels}), seeds 0–20`, async () => {
    await useBackend("wasm");
    installKernels("wasm", kernels);
    for (const seed of SEEDS) {
      const rng = new Rng(seed);
      const x = randn(rng, [4, 3, 5]), w = randn(rng, [15, 6]) as tf.Tensor2D;
      const b = randn(rng, [6]) as tf.Tensor1D;
      const layers = [
        ["affine", affineForward, affineBackward],
        ["affineRelu", affineReluForward, affineReluBackward],
      ] as const;
      for (const [name, forward, backward] of layers) {
        await assertGradientsMatch({
          name: `${name}Backward (seed ${seed})`,
          seed,
          f: (t) => forward(t.x, t.w as tf.Tensor2D, t.b as tf.Tensor1D)[0],
          inputs: { x, w, b },
          backward: (dout) => {
            // deno-lint-ignore no-explicit-any
            const g = backward(dout as tf.Tensor2D, forward(x, w, b)[1] as any);
            return { x: g.dx, w: g.dw, b: g.db };
          },
        });
      }
      const params = {
        W1: randn(rng, [5, 7], 0.5) as tf.Tensor2D,
        b1: randn(rng, [7], 0.1) as tf.Tensor1D,
        W2: randn(rng, [7, 3], 0.5) as tf.Tensor2D,
        b2: randn(rng, [3], 0.1) as tf.Tensor1D,
      };
      const X = randn(rng, [6, 5]) as tf.Tensor2D, y = randint(rng, [6], 3) as tf.Tensor1D;
      await assertGradientsMatch({
        name: `twoLayerNetLoss (seed ${seed})`,
        seed,
        f: (p) => twoLayerNetLoss(p as typeof params, X, y, 0.1).loss,
        inputs: params,
        backward: (dout) => chainScalar(dout, twoLayerNetLoss(params, X, y, 0.1).grads),
      });
      tf.dispose([x, w, b, X, y, ...Object.values(params)]);
    }
  });
}
