/** Tests for Task 6: init_study.ts. */
import { assertAlmostEquals, assertEquals, assertLess } from "../../lib/assert.ts";
import { test } from "../../lib/testing.ts";
import { activationStds, initStd } from "./init_study.ts";

test("initStd: 0.01, √(1/fan_in) and √(2/fan_in)", { task: 6, points: 2 }, () => {
  assertEquals(initStd("small", 500), 0.01, "initStd(small)");
  assertAlmostEquals(initStd("xavier", 500), Math.sqrt(1 / 500), 1e-12, "initStd(xavier, 500)");
  assertAlmostEquals(initStd("he", 500), Math.sqrt(2 / 500), 1e-12, "initStd(he, 500)");
});

test("with std 0.01, tanh activations collapse towards zero", { task: 6, points: 2 }, async () => {
  const stds = await activationStds({ init: "small", activation: "tanh" });
  assertEquals(stds.length, 10, "one std per layer");
  for (let l = 1; l < stds.length; l++) {
    assertLess(stds[l], stds[l - 1], `layer ${l + 1}'s std should be below layer ${l}'s`);
  }
  assertLess(stds[9], 1e-3 * stds[0], "after 10 layers the std should have shrunk over 1000×");
});

test("He initialisation keeps ReLU activations within 2× of the first layer", {
  task: 6,
  points: 3,
}, async () => {
  const stds = await activationStds({ init: "he", activation: "relu" });
  assertEquals(stds.length, 10, "one std per layer");
  for (const [l, s] of stds.entries()) {
    assertLess(
      Math.abs(Math.log2(s / stds[0])),
      1,
      `layer ${l + 1}: std ${s} vs first layer's ${stds[0]}`,
    );
  }
});

test("Xavier suits tanh but lets ReLU activations fade", { task: 6, points: 2 }, async () => {
  const tanh = await activationStds({ init: "xavier", activation: "tanh" });
  const relu = await activationStds({ init: "xavier", activation: "relu" });
  assertLess(
    tanh[0] / 4,
    tanh[9],
    "Xavier + tanh: the last layer keeps over 1/4 of the first's std",
  );
  assertLess(
    relu[9],
    relu[0] / 10,
    "Xavier + ReLU: halving the variance per layer fades it over 10×",
  );
});
