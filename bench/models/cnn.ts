/**
 * The CNN step: conv3×3(32)-relu-pool2 → conv3×3(64)-relu-pool2 → fc128-relu → fc10,
 * softmax loss, on 28×28×1 images, batch 128, written in plain tfjs ops with
 * autodiff (`tf.variableGrads`) and plain SGD. Same math as `cnn_step` in
 * bench/torch_bench.py.
 *
 *     x: [N, 28, 28, 1] → [N, 14, 14, 32] → [N, 7, 7, 64] → [N, 3136] → [N, 128] → [N, 10]
 *
 * @example
 * ```ts
 * import { makeCnnStep } from "./cnn.ts";
 * const cnn = makeCnnStep(8);
 * const loss = cnn.step(); // scalar, ≈ ln 10 at first
 * cnn.dispose();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { randint, randn, Rng } from "../../lib/random.ts";
import type { TrainingStep } from "./training_step.ts";

/** The CNN training step, batch `batch` (default 128), seeded. */
export function makeCnnStep(batch = 128, seed = 0): TrainingStep {
  const rng = new Rng(seed);
  const x = randn(rng, [batch, 28, 28, 1]) as tf.Tensor4D;
  const labels = tf.oneHot(randint(rng, [batch], 10) as tf.Tensor1D, 10);
  const he = (shape: number[], fanIn: number) =>
    tf.variable(randn(rng, shape, Math.sqrt(2 / fanIn)));
  const p = {
    c1: he([3, 3, 1, 32], 9),
    bc1: tf.variable(tf.zeros([32])),
    c2: he([3, 3, 32, 64], 288),
    bc2: tf.variable(tf.zeros([64])),
    f1: he([3136, 128], 3136),
    bf1: tf.variable(tf.zeros([128])),
    f2: he([128, 10], 128),
    bf2: tf.variable(tf.zeros([10])),
  };
  const loss = () => {
    const block = (h: tf.Tensor4D, w: tf.Variable, b: tf.Variable) =>
      tf.maxPool(
        tf.relu(tf.add(tf.conv2d(h, w as tf.Tensor4D, 1, "same"), b)) as tf.Tensor4D,
        2,
        2,
        "valid",
      );
    const h2 = block(block(x, p.c1, p.bc1) as tf.Tensor4D, p.c2, p.bc2);
    const h3 = tf.relu(tf.add(tf.matMul(h2.reshape([batch, 3136]), p.f1), p.bf1));
    const scores = tf.add(tf.matMul(h3, p.f2), p.bf2);
    return tf.losses.softmaxCrossEntropy(labels, scores) as tf.Scalar;
  };
  return {
    examples: batch,
    step: () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(loss);
        for (const v of Object.values(p)) v.assign(tf.sub(v, tf.mul(grads[v.name], 1e-3)));
        return value;
      }),
    dispose: () => tf.dispose([x, labels, ...Object.values(p)]),
  };
}
