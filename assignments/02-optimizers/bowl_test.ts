/**
 * Tests for Tasks 1, 3 and 4 on the anisotropic bowl f(x, y) = x²/20 + y² (bowl.ts).
 *
 * The baseline, gradient descent at its best stable learning rate, is
 * computed here in float64: every rate 0.05, 0.10, …, 0.95 is tried from
 * the same start, and the fewest steps wins (66, at 0.95). Each method, with
 * the hyper-parameters bowl.ts documents, must reach the minimum in fewer.
 */
import { assertLess } from "../../lib/assert.ts";
import { test } from "../../lib/testing.ts";
import { BOWL_RUNS, SGD_RATES, START, STEPS, stepsToMinimum } from "./bowl.ts";

/** The fewest steps gradient descent needs over the stable rates, in float64. */
function bestGradientDescent(): number {
  let best = Infinity;
  for (const rate of SGD_RATES) {
    let [x, y] = START;
    const path: [number, number][] = [[x, y]];
    for (let i = 0; i < STEPS; i++) {
      [x, y] = [x - rate * (x / 10), y - rate * (2 * y)];
      path.push([x, y]);
    }
    best = Math.min(best, stepsToMinimum(path));
  }
  return best;
}

/** Asserts that `method` reaches the bowl's minimum in fewer steps than gradient descent. */
async function beatsGradientDescent(method: string): Promise<void> {
  const run = BOWL_RUNS.find((r) => r.name === method)!;
  const baseline = bestGradientDescent();
  assertLess(baseline, STEPS, "gradient descent reaches the minimum");
  const steps = stepsToMinimum(await run.descend());
  assertLess(
    steps,
    baseline,
    `${method} ${JSON.stringify(run.config)}: steps to within 1e-2 of the minimum, ` +
      `against gradient descent's ${baseline}`,
  );
}

test(
  "momentum reaches the bowl's minimum in fewer steps than gradient descent at its best rate",
  { task: 1, points: 3 },
  () => beatsGradientDescent("momentum"),
);

test(
  "AdaGrad reaches the bowl's minimum in fewer steps than gradient descent at its best rate",
  { task: 3, points: 3 },
  () => beatsGradientDescent("AdaGrad"),
);

test(
  "RMSProp reaches the bowl's minimum in fewer steps than gradient descent at its best rate",
  { task: 3, points: 3 },
  () => beatsGradientDescent("RMSProp"),
);

test(
  "Adam reaches the bowl's minimum in fewer steps than gradient descent at its best rate",
  { task: 4, points: 3 },
  () => beatsGradientDescent("Adam"),
);
