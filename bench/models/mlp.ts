/**
 * The MLP step: the reference two-layer net of assignment 01 (784-256-10,
 * softmax loss, L2 1e-4), batch 128, with its hand-written backward pass and
 * plain SGD. Same math as `mlp_step` in bench/torch_bench.py.
 *
 * @example
 * ```ts
 * import { makeMlpStep } from "./mlp.ts";
 * const mlp = makeMlpStep();
 * const loss = mlp.step(); // scalar, ≈ ln 10 at first
 * mlp.dispose();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { randint, randn, Rng } from "../../lib/random.ts";
import { initTwoLayerNet, twoLayerNetLoss } from "../../solutions/01-backprop/two_layer_net.ts";
import type { TrainingStep } from "./training_step.ts";

/** The MLP training step, batch `batch` (default 128), seeded. */
export function makeMlpStep(batch = 128, seed = 0): TrainingStep {
  const rng = new Rng(seed);
  const X = randn(rng, [batch, 784]) as tf.Tensor2D;
  const y = randint(rng, [batch], 10) as tf.Tensor1D;
  const init = initTwoLayerNet(rng, 784, 256, 10);
  const params = {
    W1: tf.variable(init.W1) as tf.Variable<tf.Rank.R2>,
    b1: tf.variable(init.b1) as tf.Variable<tf.Rank.R1>,
    W2: tf.variable(init.W2) as tf.Variable<tf.Rank.R2>,
    b2: tf.variable(init.b2) as tf.Variable<tf.Rank.R1>,
  };
  tf.dispose(Object.values(init));
  return {
    examples: batch,
    step: () =>
      tf.tidy(() => {
        const { loss, grads } = twoLayerNetLoss(params, X, y, 1e-4);
        for (const k of ["W1", "b1", "W2", "b2"] as const) {
          params[k].assign(tf.sub(params[k], tf.mul(grads[k], 1e-3)));
        }
        return loss;
      }),
    dispose: () => tf.dispose([X, y, ...Object.values(params)]),
  };
}
