/** Tests for Task 5: schedules.ts. Expected rates come from the formulas, computed here. */
import { assertAlmostEquals } from "../../lib/assert.ts";
import type { Schedule } from "../../lib/optimizer.ts";
import { test } from "../../lib/testing.ts";
import { exponentialDecay, inverseTimeDecay, stepDecay } from "./schedules.ts";

/** Checks `schedule` against `expected` for epochs 0–20 and two initial rates. */
function matches(schedule: Schedule, expected: (initialRate: number, epoch: number) => number) {
  for (const initialRate of [0.1, 3e-4]) {
    for (let epoch = 0; epoch <= 20; epoch++) {
      const want = expected(initialRate, epoch);
      assertAlmostEquals(
        schedule(initialRate, epoch),
        want,
        1e-12 * want,
        `rate of epoch ${epoch} from ${initialRate}`,
      );
    }
  }
}

test("stepDecay: initialRate · factor^⌊epoch / every⌋", { task: 5, points: 4 }, () => {
  matches(stepDecay({ every: 3, factor: 0.5 }), (r, e) => r * 0.5 ** Math.floor(e / 3));
  matches(stepDecay({ every: 1, factor: 0.9 }), (r, e) => r * 0.9 ** e);
  matches(stepDecay({ every: 5, factor: 1 }), (r) => r);
});

test("exponentialDecay: initialRate · e^(−k·epoch)", { task: 5, points: 4 }, () => {
  matches(exponentialDecay({ k: 0.2 }), (r, e) => r * Math.exp(-0.2 * e));
  matches(exponentialDecay({ k: Math.LN2 }), (r, e) => r / 2 ** e);
  matches(exponentialDecay({ k: 0 }), (r) => r);
});

test("inverseTimeDecay: initialRate / (1 + k·epoch)", { task: 5, points: 4 }, () => {
  matches(inverseTimeDecay({ k: 0.5 }), (r, e) => r / (1 + 0.5 * e));
  matches(inverseTimeDecay({ k: 3 }), (r, e) => r / (1 + 3 * e));
  matches(inverseTimeDecay({ k: 0 }), (r) => r);
});
