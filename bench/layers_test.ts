import * as tf from "@tensorflow/tfjs";
import { assert } from "../lib/assert.ts";
import { useBackend } from "../lib/backend.ts";
import { relativeDifference } from "../lib/kernels/cpu_reference.ts";
import { randn, Rng } from "../lib/random.ts";
import { batchNormLayer, im2colConvLayer, lstmLayer, makeLayers } from "./layers.ts";

// Each hand-written backward pass equals tfjs's autodiff of the same forward pass.
async function assertClose(mine: tf.Tensor, autodiff: tf.Tensor, what: string) {
  const d = relativeDifference(
    Float32Array.from(await mine.data()),
    Float32Array.from(await autodiff.data()),
  );
  assert(d < 1e-5, `${what}: the hand-written gradient differs from autodiff by ${d}`);
}

Deno.test("batchNormLayer's dx is the gradient of batch norm's output", async () => {
  await useBackend("wasm");
  const rng = new Rng(1);
  const [x, gamma, beta, dout] = [
    randn(rng, [6, 5]),
    randn(rng, [5]),
    randn(rng, [5]),
    randn(rng, [6, 5]),
  ];
  const forward = (x: tf.Tensor) => {
    const { mean, variance } = tf.moments(x, 0);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma), beta);
  };
  await assertClose(batchNormLayer(x, gamma, beta, dout), tf.grad(forward)(x, dout), "BN dx");
});

Deno.test("im2colConvLayer's dx is the gradient of a 3×3 'same' convolution", async () => {
  await useBackend("wasm");
  const rng = new Rng(2);
  const [x, w, b, dout] = [
    randn(rng, [2, 5, 4, 3]),
    randn(rng, [3, 3, 3, 4]),
    randn(rng, [4]),
    randn(rng, [2, 5, 4, 4]),
  ];
  const forward = (x: tf.Tensor) =>
    tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same"), b);
  const dx = im2colConvLayer(x as tf.Tensor4D, w as tf.Tensor4D, b, dout);
  await assertClose(dx, tf.grad(forward)(x, dout), "conv dx");
});

Deno.test("lstmLayer's dx is the gradient of the LSTM's hidden states", async () => {
  await useBackend("wasm");
  const rng = new Rng(3);
  const [n, t, d, h] = [2, 3, 4, 5];
  const [x, h0, wx, wh, b, dh] = [
    randn(rng, [n, t, d]),
    randn(rng, [n, h]),
    randn(rng, [d, 4 * h]),
    randn(rng, [h, 4 * h]),
    randn(rng, [4 * h]),
    randn(rng, [n, t, h]),
  ];
  const forward = (x: tf.Tensor) => {
    let [hPrev, c] = [h0, tf.zeros([n, h])];
    const hs = tf.unstack(x, 1).map((xt) => {
      const [i, f, o, g] = tf.split(
        tf.add(tf.add(tf.matMul(xt, wx), tf.matMul(hPrev, wh)), b),
        4,
        1,
      );
      c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
      hPrev = tf.mul(tf.sigmoid(o), tf.tanh(c));
      return hPrev;
    });
    return tf.stack(hs, 1);
  };
  const dx = lstmLayer(x as tf.Tensor3D, h0 as tf.Tensor2D, wx, wh, b, dh);
  await assertClose(dx, tf.grad(forward)(x, dh), "LSTM dx");
});

Deno.test("makeLayers' passes run at the benchmark's sizes and free what they make", async () => {
  await useBackend("wasm");
  const { layers, dispose } = makeLayers();
  for (const [name, pass] of Object.entries(layers)) {
    const before = tf.memory().numTensors;
    const dx = tf.tidy(pass);
    assert(dx.shape.length >= 2, `${name} returns its input gradient`);
    dx.dispose();
    assert(tf.memory().numTensors === before, `${name} leaves no tensor behind`);
  }
  dispose();
});
