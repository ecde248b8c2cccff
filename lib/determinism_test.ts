/**
 * Same seed + same backend ⇒ the same loss history, bit for bit.
 *
 * A short training run (a small MLP, minibatch SGD, shuffled batches — every
 * random choice drawn from one seeded Rng) is run twice on each backend.
 */
import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertNotEquals } from "./assert.ts";
import { type Backend, isAvailable, useBackend } from "./backend.ts";
import { readScalar } from "./read.ts";
import { randint, randn, Rng } from "./random.ts";

/** Losses of 20 SGD steps of a 4-16-3 MLP on seeded random data. */
async function lossHistory(seed: number): Promise<number[]> {
  const rng = new Rng(seed);
  const x = randn(rng, [64, 4]), y = tf.oneHot(randint(rng, [64], 3) as tf.Tensor1D, 3);
  let params = [randn(rng, [4, 16], 0.5), tf.zeros([16]), randn(rng, [16, 3], 0.5), tf.zeros([3])];
  const loss = (p: tf.Tensor[], xb: tf.Tensor, yb: tf.Tensor) =>
    tf.losses.softmaxCrossEntropy(yb, tf.relu(xb.matMul(p[0]).add(p[1])).matMul(p[2]).add(p[3]));
  const history: number[] = [];
  for (let step = 0; step < 20; step++) {
    const batch = tf.tensor1d(rng.permutation(64).subarray(0, 16), "int32");
    const [xb, yb] = [tf.gather(x, batch), tf.gather(y, batch)];
    const { value, grads } = tf.valueAndGrads((...p: tf.Tensor[]) => loss(p, xb, yb))(params);
    params = params.map((p, i) => p.sub(grads[i].mul(0.5)));
    history.push(await readScalar(value));
  }
  return history;
}

for (const backend of ["wasm", "webgpu", "cpu"] as Backend[]) {
  Deno.test({
    name: `determinism: two runs with one seed give bitwise-identical losses on ${backend}`,
    ignore: !(await isAvailable(backend)),
    fn: async () => {
      await useBackend(backend);
      const [first, second] = [await lossHistory(7), await lossHistory(7)];
      assertEquals(new Float32Array(second), new Float32Array(first));
      assertNotEquals(first[0], first[19], "the run must actually train");
      assertNotEquals(await lossHistory(8), first, "another seed must give another run");
      tf.disposeVariables();
    },
  });
}
