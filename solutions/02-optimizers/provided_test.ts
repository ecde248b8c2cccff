/**
 * Tests of the code assignment 2 provides around the students' work: the
 * argument checks at the top of each rule and schedule, and the bowl's
 * helpers. Instructor-side: run by `deno task test:lib`, against the reference.
 */
import * as tf from "@tensorflow/tfjs";
import {
  assertAlmostEquals,
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../../lib/assert.ts";
import { assertAllClose } from "../../lib/assert_tensor.ts";
import { useBackend } from "../../lib/backend.ts";
import {
  bowl,
  BOWL_RUNS,
  bowlGradient,
  compareOnBowl,
  descend,
  distanceChart,
  pathsChart,
  SGD_RATES,
  stepsToMinimum,
} from "./bowl.ts";
import {
  adagrad,
  adam,
  ADAM_DEFAULTS,
  nesterovLookahead,
  rmsprop,
  sgd,
  sgdMomentum,
} from "./optim.ts";
import { exponentialDecay, inverseTimeDecay, stepDecay } from "./schedules.ts";

await useBackend("wasm");

Deno.test("every rule rejects a misspelt key, a missing hyper-parameter and a gradient of the wrong shape", () => {
  const [w, dw] = [tf.zeros([2, 3]), tf.ones([2, 3])];
  assertThrows(
    () => sgd(w, dw, { learning_rate: 0.1 } as never),
    Error,
    "'learning_rate' (did you mean 'learningRate'?)",
  );
  assertThrows(
    () => sgdMomentum(w, dw, { learningRate: 0.1 } as never),
    Error,
    "config.momentum must be a number in [0, 1)",
  );
  assertThrows(
    () => adagrad(w, dw, { learningRate: 0.1, epsilon: 0 }),
    Error,
    "config.epsilon must be a number > 0",
  );
  assertThrows(
    () => rmsprop(w, dw, { learningRate: 0.1, decayRate: 1, epsilon: 1e-8 }),
    Error,
    "decayRate must be a number in [0, 1), got 1",
  );
  assertThrows(
    () => adam(w, dw, { ...ADAM_DEFAULTS, lr: 1 } as never),
    Error,
    "adam config: unknown option 'lr'",
  );
  assertThrows(
    () => adam(w, tf.ones([3, 2]), ADAM_DEFAULTS),
    Error,
    "adam: dw must have the shape of w, [2,3], but has shape [3,2]",
  );
  assertThrows(
    () => nesterovLookahead(w, (x) => x, { learningRate: 0.1, mu: 0.9 } as never),
    Error,
    "nesterovLookahead config: unknown option 'mu'",
  );
});

Deno.test("schedules reject unknown options and out-of-range values", () => {
  assertThrows(
    () => stepDecay({ every: 2, factor: 0.5, epochs: 3 } as never),
    Error,
    "stepDecay: unknown option 'epochs'",
  );
  assertThrows(
    () => stepDecay({ every: 0.5, factor: 0.5 }),
    Error,
    "every must be a whole number of epochs ≥ 1, got 0.5",
  );
  assertThrows(() => stepDecay({ every: 2, factor: 2 }), Error, "factor must be in (0, 1], got 2");
  assertThrows(
    () => exponentialDecay({ k: -1 }),
    Error,
    "exponentialDecay: k must be a number ≥ 0",
  );
  assertThrows(
    () => inverseTimeDecay({ rate: 1 } as never),
    Error,
    "inverseTimeDecay: unknown option 'rate'",
  );
});

Deno.test("bowl and bowlGradient agree with tfjs autodiff", async () => {
  const p = tf.tensor1d([-7, 2]);
  assertAlmostEquals((await bowl(p).data())[0], 49 / 20 + 4, 1e-5);
  await assertAllClose(bowlGradient(p), tf.grad((q: tf.Tensor) => bowl(q))(p));
});

Deno.test("stepsToMinimum counts the steps after which a path stays within the tolerance", () => {
  assertEquals(stepsToMinimum([[1, 1], [0.5, 0], [0.001, 0], [0, 0.002]], 0.01), 2);
  assertEquals(
    stepsToMinimum([[1, 1], [0.001, 0], [0.5, 0], [0, 0.002]], 0.01),
    3,
    "left and came back",
  );
  assertEquals(stepsToMinimum([[0, 0], [0.001, 0]], 0.01), 0, "started there");
  assertEquals(stepsToMinimum([[1, 1], [0, 0], [1, 0]], 0.01), Infinity, "ended outside");
  assertEquals(stepsToMinimum([[1, 1], [NaN, NaN]], 0.01), Infinity, "diverged");
});

Deno.test("descend returns the path from the start; pathsChart draws a line per method over the contours", async () => {
  const path = await descend(sgd, { learningRate: 0.5 }, 3);
  assertEquals(path.length, 4);
  assertEquals(path[0], [-7, 2]);
  assertAlmostEquals(path[1][0], -7 + 0.5 * 0.7, 1e-6);
  assertAlmostEquals(path[1][1], 0, 1e-6);
  const svg = pathsChart([{ name: "SGD", path }, { name: "other", path }]);
  assertStringIncludes(svg, ">SGD</text>");
  assertStringIncludes(svg, ">other</text>");
  assertEquals(svg.includes("f = 0.5</text>"), false, "contour lines stay out of the legend");
  assertEquals(svg.split('aria-label="line"').length - 1, 4 + 2, "4 contour lines and 2 paths");
});

Deno.test("compareOnBowl: gradient descent at its best rate first, then each method; distanceChart", async () => {
  const results = await compareOnBowl();
  assertEquals(results.map((r) => r.name).slice(1), BOWL_RUNS.map((r) => r.name));
  const sgdSteps = await Promise.all(
    SGD_RATES.map(async (learningRate) => stepsToMinimum(await descend(sgd, { learningRate }))),
  );
  assertEquals(results[0].steps, Math.min(...sgdSteps), "SGD at its best stable rate");
  assertEquals(results[0].name, `SGD (lr ${results[0].config.learningRate})`);
  for (const r of results) assertEquals(r.steps, stepsToMinimum(r.path), `${r.name}: its steps`);
  const svg = distanceChart(results);
  assertEquals(
    svg.split('aria-label="line"').length - 1,
    results.length + 1,
    "a line each, and the tolerance",
  );
  assertStringIncludes(svg, ">Adam</text>", "legend");
});
