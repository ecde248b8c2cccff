/**
 * Tests of the provided fc_net.ts (instructor-side: run by `deno task test:lib`,
 * against the reference assignment-1 layers).
 */
import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals, assertThrows } from "../../lib/assert.ts";
import { assertAllClose } from "../../lib/assert_tensor.ts";
import { type Backend, isAvailable, useBackend } from "../../lib/backend.ts";
import { assertGradientsMatch, chainScalar } from "../../lib/gradcheck.ts";
import { scopeAsync } from "../../lib/memory.ts";
import { readScalar } from "../../lib/read.ts";
import { randint, randn, Rng } from "../../lib/random.ts";
import { initTwoLayerNet, twoLayerNetLoss } from "../01-backprop/two_layer_net.ts";
import { fcNetLoss, fcNetModel, fcNetScores, initFcNet } from "./fc_net.ts";

for (const backend of ["wasm", "webgpu"] as Backend[]) {
  Deno.test({
    name: `fcNetLoss of a 4-layer net passes the gradient check on ${backend}`,
    ignore: !(await isAvailable(backend)),
    fn: async () => {
      await useBackend(backend);
      await scopeAsync(async () => {
        const rng = new Rng(0);
        const params = initFcNet(rng, [6, 7, 5, 4, 3]);
        for (const l of [1, 2, 3]) params[`b${l}`] = randn(rng, [params[`b${l}`].size], 0.1);
        const x = randn(rng, [5, 6]), y = randint(rng, [5], 3);
        await assertGradientsMatch({
          name: "fcNetLoss",
          f: (p) => fcNetLoss(p, x, y, 0.05).loss,
          inputs: params,
          backward: (dout) => chainScalar(dout, fcNetLoss(params, x, y, 0.05).grads),
        });
      });
    },
  });
}

Deno.test("with one hidden layer, fcNet is assignment 1's two-layer net", async () => {
  await useBackend("wasm");
  const rng = new Rng(1);
  const net = initTwoLayerNet(rng, 8, 6, 4);
  const params = { W1: net.W1, b1: randn(rng, [6], 0.1), W2: net.W2, b2: randn(rng, [4], 0.1) };
  const x = randn(rng, [10, 8]) as tf.Tensor2D, y = randint(rng, [10], 4) as tf.Tensor1D;
  const ours = fcNetLoss(params, x, y, 0.1);
  const theirs = twoLayerNetLoss(params as never, x, y, 0.1);
  assertAlmostEquals(await readScalar(ours.loss), await readScalar(theirs.loss), 1e-6);
  for (const key of ["W1", "b1", "W2", "b2"] as const) {
    await assertAllClose(ours.grads[key], theirs.grads[key], {}, key);
  }
  await assertAllClose(fcNetModel(0.1).scores(params, x), fcNetScores(params, x));
});

Deno.test("initFcNet: shapes from dims, He scale, zero biases; bad dims and params are errors", async () => {
  await useBackend("wasm");
  const params = initFcNet(new Rng(2), [400, 300, 200, 10]);
  assertEquals(Object.fromEntries(Object.entries(params).map(([k, t]) => [k, t.shape])), {
    W1: [400, 300],
    b1: [300],
    W2: [300, 200],
    b2: [200],
    W3: [200, 10],
    b3: [10],
  });
  const std = await readScalar(tf.moments(params.W2).variance.sqrt());
  assertAlmostEquals(std, Math.sqrt(2 / 300), 0.03 * Math.sqrt(2 / 300));
  assertEquals(await readScalar(tf.sum(tf.abs(params.b1))), 0);
  assertThrows(
    () => initFcNet(new Rng(0), [784]),
    Error,
    "dims must be [inputs, hidden…, classes]",
  );
  assertThrows(() => initFcNet(new Rng(0), [784, 0, 10]), Error, "got [784,0,10]");
  assertThrows(
    () => fcNetScores({ W1: params.W1, b1: params.b1, W3: params.W3 }, tf.zeros([1, 400])),
    Error,
    "params must be W1, b1, …, WL, bL (from initFcNet), got W1, b1, W3",
  );
  assertThrows(() => fcNetModel(-1), Error, "reg must be a number ≥ 0");
});
