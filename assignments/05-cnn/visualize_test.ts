/** Tests for Task 6: visualize.ts. */
import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals } from "../../lib/assert.ts";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
import { conv2d, toArray4, toVector } from "../../lib/float64.ts";
import { encodePng, pngSize } from "../../lib/image.ts";
import { randint, randn, Rng } from "../../lib/random.ts";
import { test } from "../../lib/testing.ts";
import { initThreeLayerConvNet, threeLayerConvNetForward } from "./three_layer_convnet.ts";
import {
  activationImage,
  activationMaps,
  filterImage,
  saliencyImage,
  saliencyMaps,
} from "./visualize.ts";

/** A net with batchnorm for 3-channel 8×6 images, its running statistics away from 0 and 1. */
function makeNet(seed: number) {
  const rng = new Rng(seed);
  const { params, state } = initThreeLayerConvNet(rng.fork(), {
    inputShape: [8, 6, 3],
    filters: 5,
    filterSize: 3,
    hidden: 7,
    batchnorm: true,
  });
  params.beta1 = randn(rng, [5], 0.5);
  params.gamma1 = tf.add(randn(rng, [5], 0.3), 1);
  state.runningMean1 = randn(rng, [5], 0.5);
  state.runningVar1 = tf.add(tf.square(randn(rng, [5])), 0.5);
  const x = randn(rng, [4, 8, 6, 3]) as tf.Tensor4D;
  const y = randint(rng, [4], 10) as tf.Tensor1D;
  return { params, state, x, y };
}

test(
  "saliencyMaps is max over channels of |∂ score of the correct class / ∂ pixel| (test mode)",
  { task: 6, points: 3 },
  async () => {
    const { params, state, x, y } = makeNet(0);
    const saliency = saliencyMaps(params, state, x, y);
    assertShape(saliency, [4, 8, 6], "the saliency maps (one [H, W] map per image)");
    // tfjs's autodiff of the test-mode scores of the correct classes: an independent gradient.
    const correct = (images: tf.Tensor) =>
      tf.sum(tf.mul(
        threeLayerConvNetForward(params, images as tf.Tensor4D, state, "test").scores,
        tf.oneHot(y, 10),
      ));
    const expected = tf.max(tf.abs(tf.grad(correct)(x)), 3);
    await assertAllClose(saliency, expected, { rtol: 1e-3, atol: 1e-6 }, "saliency maps");
    const values = await toVector(saliency);
    assert(Math.min(...values) < Math.max(...values), "the saliency map is not constant");
  },
);

test(
  "activationMaps is ReLU(batchnorm(conv(x))) in test mode, from the formulas (float64)",
  { task: 6, points: 2 },
  async () => {
    const { params, state, x } = makeNet(1);
    const maps = activationMaps(params, state, x);
    const a = conv2d(await toArray4(x), await toArray4(params.W1), await toVector(params.b1), 1, 1);
    const [gamma, beta] = [await toVector(params.gamma1), await toVector(params.beta1)];
    const [mean, variance] = [
      await toVector(state.runningMean1),
      await toVector(state.runningVar1),
    ];
    const expected = Array.from(a.data, (v, i) => {
      const c = i % 5;
      return Math.max(0, gamma[c] * (v - mean[c]) / Math.sqrt(variance[c] + 1e-5) + beta[c]);
    });
    await assertAllClose(
      maps,
      tf.tensor(expected, a.shape),
      { rtol: 1e-4, atol: 1e-5 },
      "activation maps [N, H, W, F]",
    );
  },
);

test(
  "the pictures: filters, activation maps and saliency maps as PNG files of the right size",
  { task: 6, points: 2 },
  async () => {
    const { params, state, x, y } = makeNet(2);
    const filters = pngSize(encodePng(await filterImage(params.W1 as tf.Tensor4D, 8)));
    // 5 filters of 3×3 at 8 pixels a weight: 3 a row, 2 rows, 1-pixel borders.
    assertEquals(filters, { width: 3 * 24 + 4, height: 2 * 24 + 3 }, "the filter grid's size");
    const maps = activationMaps(params, state, x.slice(0, 1)).reshape([8, 6, 5]) as tf.Tensor3D;
    const activations = pngSize(encodePng(await activationImage(maps, 3)));
    assertEquals(
      activations,
      { width: 3 * 18 + 4, height: 2 * 24 + 3 },
      "the activation grid's size",
    );
    const saliency = saliencyMaps(params, state, x, y);
    const figure = pngSize(encodePng(await saliencyImage(x, saliency, 4)));
    // 4 images of 8×6 at 4 pixels a pixel in a row, above their 4 maps.
    assertEquals(
      figure,
      { width: 4 * 24 + 5, height: 2 * (32 + 2) },
      "the saliency figure's size",
    );
  },
);
