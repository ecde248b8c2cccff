import * as tf from "@tensorflow/tfjs";
import {
  assert,
  assertEquals,
  assertGreater,
  assertLess,
  assertRejects,
  assertStringIncludes,
} from "./assert.ts";
import { useBackend } from "./backend.ts";
import {
  assertGradientsMatch,
  chainScalar,
  checkGradients,
  formatReport,
  normwiseError,
} from "./gradcheck.ts";
import { randn, Rng } from "./random.ts";

await useBackend("wasm");

/** tanh(x·w) with its correct gradients, times `scale` to plant a bug. */
function tanhLayer(seed: number, scale = 1) {
  const rng = new Rng(seed);
  const x = randn(rng, [6, 4]), w = randn(rng, [4, 3]);
  return {
    name: "tanhLayer",
    f: ({ x, w }: Record<string, tf.Tensor>) => tf.tanh(tf.matMul(x, w)),
    inputs: { x, w },
    backward: (dout: tf.Tensor) => {
      const dz = tf.mul(dout, tf.sub(1, tf.square(tf.tanh(tf.matMul(x, w)))));
      return { x: tf.matMul(dz, w.transpose()).mul(scale), w: tf.matMul(x.transpose(), dz) };
    },
  };
}

Deno.test("a correct gradient passes, with a small error and autodiff agreeing", async () => {
  const report = await checkGradients(tanhLayer(0));
  assert(report.passed);
  for (const r of report.inputs) {
    assertLess(r.relativeError, 1e-4);
    assertLess(r.autodiffError!, 1e-6);
    assertEquals(r.checked, r.shape.reduce((a, b) => a * b));
  }
});

Deno.test("a gradient 2% off fails, and the message names the input and its worst coordinates", async () => {
  const error = await assertRejects(() => assertGradientsMatch(tanhLayer(1, 1.02)), Error);
  assertStringIncludes(error.message, "Gradient check of tanhLayer FAILED");
  assertStringIncludes(error.message, "dx [6,4]: error 2.0e-2");
  assertStringIncludes(error.message, "worst coordinates (analytic vs numeric)");
  assertStringIncludes(error.message, "x[");
  assertStringIncludes(error.message, "dw [4,3]");
  assert(!error.message.includes("w["), "the correct dw should not list coordinates");
});

Deno.test("a gradient off by less than the numeric tolerance is caught by the autodiff cross-check", async () => {
  const report = await checkGradients(tanhLayer(2, 1.001));
  const dx = report.inputs.find((r) => r.input === "x")!;
  assertLess(dx.relativeError, 2e-3);
  assertGreater(dx.autodiffError!, 1e-4);
  assert(!report.passed);
});

Deno.test("a wrongly shaped gradient is an error that names both shapes", async () => {
  const check = tanhLayer(3);
  await assertRejects(
    () =>
      checkGradients({
        ...check,
        backward: (d) => ({ ...check.backward(d), w: tf.zeros([3, 4]) }),
      }),
    Error,
    "the gradient for 'w' has shape [3,4], but 'w' has shape [4,3]",
  );
  await assertRejects(
    () => checkGradients({ ...check, backward: () => ({ v: tf.zeros([1]) }) }),
    Error,
    "backward returned a gradient for 'v'",
  );
});

Deno.test("coordinates whose ±h step crosses a ReLU kink are re-measured or left out, not failed", async () => {
  // Inputs within h = 1e-2 of ReLU's kink at 0: a plain centred difference is wrong there.
  const x = tf.tensor([[-0.004, 0.003, 0.5], [1.2, -0.0005, -0.7]]);
  const check = {
    name: "relu",
    f: ({ x }: Record<string, tf.Tensor>) => tf.relu(x),
    inputs: { x },
    backward: (dout: tf.Tensor) => ({ x: tf.mul(dout, tf.step(x)) }),
  };
  const naive = tf.sub(tf.relu(tf.add(x, 0.01)), tf.relu(tf.sub(x, 0.01))).div(0.02);
  const analytic = tf.step(x);
  assertGreater(normwiseError(await analytic.data(), await naive.data()), 0.1); // the kink is real
  const report = await checkGradients(check);
  assert(report.passed, "a correct ReLU gradient must pass next to its kink");
  const kinks = report.inputs[0].atKinks;
  assertGreater(kinks, 0, "the coordinate at −0.0005 lies within even h/16 of the kink");
  assertLess(kinks, 3, "coordinates at ±0.003–0.004 are re-measured with a smaller step");
});

Deno.test("smooth curvature is not mistaken for a kink", async () => {
  const report = await checkGradients({
    name: "cube",
    f: ({ x }) => tf.pow(x, 3),
    inputs: { x: tf.tensor([-2, -0.5, 0.7, 3]) },
    backward: (dout) => ({ x: tf.mul(dout, tf.mul(3, tf.square(tf.tensor([-2, -0.5, 0.7, 3])))) }),
  });
  assert(report.passed);
  assertEquals(report.inputs[0].atKinks, 0);
});

Deno.test("the step is the one float32 actually takes, not the one asked for", async () => {
  // At x = 3000, fround(x ± 0.01) moves x by 0.009766, not 0.01: dividing by 2h would
  // make the exact gradient of −x look 2.3% wrong.
  const x = tf.tensor([3000, -4000.5]);
  const report = await checkGradients({
    name: "negate",
    f: ({ x }) => tf.neg(x),
    inputs: { x },
    backward: (dout) => ({ x: tf.neg(dout) }),
  });
  assertLess(report.inputs[0].relativeError, 1e-7);
});

Deno.test("maxCoordinates samples a seeded subset", async () => {
  const check = { ...tanhLayer(4), maxCoordinates: 5 };
  const [a, b] = [await checkGradients(check), await checkGradients(check)];
  assertEquals(a.inputs.map((r) => r.checked), [5, 5]);
  assertEquals(a.inputs[0].worst, b.inputs[0].worst);
});

Deno.test("when tfjs cannot differentiate the forward pass, the cross-check is skipped and says why", async () => {
  const x = tf.tensor([-1.5, 0.5, 2]);
  const report = await checkGradients({
    name: "whereRelu",
    f: ({ x }) => tf.where(tf.greater(x, 0), x, tf.zerosLike(x)), // Greater has no gradient in tfjs
    inputs: { x },
    backward: (dout) => ({ x: tf.mul(dout, tf.step(x)) }),
  });
  assert(report.passed);
  assertEquals(report.inputs[0].autodiffError, undefined);
  assertStringIncludes(report.autodiffSkipped!, "Greater");
});

Deno.test("checkGradients frees every tensor it makes", async () => {
  const check = tanhLayer(6);
  await checkGradients(check); // warm-up: tfjs keeps a few tensors for itself on first use
  const before = tf.memory().numTensors;
  await checkGradients(check);
  assertEquals(tf.memory().numTensors, before);
});

Deno.test("a scalar output gets a random upstream gradient: a backward pass that ignores it fails", async () => {
  const w = randn(new Rng(9), [5]);
  const f = ({ w }: Record<string, tf.Tensor>) => tf.sum(tf.square(w));
  const ignoring = await checkGradients({
    name: "l2",
    f,
    inputs: { w },
    backward: () => ({ w: w.mul(2) }),
  });
  assert(!ignoring.passed, "a gradient that drops dout must fail");
  const chained = await checkGradients({
    name: "l2",
    f,
    inputs: { w },
    backward: (dout) => chainScalar(dout, { w: w.mul(2) }),
  });
  assert(chained.passed, formatReport(chained));
});
