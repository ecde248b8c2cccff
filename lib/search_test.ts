import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreaterOrEqual,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "./assert.ts";
import { parse } from "./csv.ts";
import {
  bestTrial,
  edgeWarnings,
  gridOf,
  gridSearch,
  randomSearch,
  refineSpace,
  type SearchSpace,
  type Trial,
  trialsCsv,
} from "./search.ts";

const SPACE: SearchSpace = {
  learningRate: { min: 1e-5, max: 1e-1, scale: "log" },
  momentum: { min: 0.5, max: 0.99, scale: "linear" },
};

/** Scores that depend only on how far log₁₀(learningRate) is from −2.7. */
const evaluate = (params: Record<string, number>) =>
  Promise.resolve(-((Math.log10(params.learningRate) + 2.7) ** 2));

Deno.test("randomSearch draws seeded configurations, uniformly in log space for log ranges", async () => {
  const seen: Record<string, number>[] = [];
  const trials = await randomSearch({
    space: SPACE,
    trials: 4000,
    seed: 3,
    stage: "coarse",
    evaluate: (params) => {
      seen.push(params);
      return evaluate(params);
    },
  });
  assertEquals(trials.length, 4000);
  assertEquals(trials.map((t) => t.params), seen);
  assertEquals([trials[0].stage, trials[0].trial, trials[3999].trial], ["coarse", 1, 4000]);
  assertEquals(trials[0].score, await evaluate(trials[0].params));
  for (const { params: { learningRate, momentum } } of trials) {
    assert(learningRate >= 1e-5 && learningRate < 1e-1, `learningRate ${learningRate}`);
    assert(momentum >= 0.5 && momentum < 0.99, `momentum ${momentum}`);
  }
  // Each of the four decades gets a quarter of the draws.
  for (let decade = -5; decade < -1; decade++) {
    const share = trials.filter((t) => Math.floor(Math.log10(t.params.learningRate)) === decade)
      .length / 4000;
    assertAlmostEquals(share, 0.25, 0.03, `share of draws in [1e${decade}, 1e${decade + 1})`);
  }
  const again = await randomSearch({ space: SPACE, trials: 5, seed: 3, evaluate });
  assertEquals(again.map((t) => t.params), trials.slice(0, 5).map((t) => t.params));
  assertEquals(again[0].stage, "random");
});

Deno.test("gridOf spaces values evenly in each range's scale; gridSearch tries every combination", async () => {
  const grid = gridOf(SPACE, 3);
  assertEquals(grid.learningRate.map((v) => +v.toPrecision(12)), [1e-5, 1e-3, 1e-1]);
  assertEquals(grid.momentum, [0.5, 0.745, 0.99]);
  const trials = await gridSearch({ grid, evaluate });
  assertEquals(trials.length, 9);
  assertEquals(trials.slice(0, 3).map((t) => t.params), [
    { learningRate: grid.learningRate[0], momentum: 0.5 },
    { learningRate: grid.learningRate[0], momentum: 0.745 },
    { learningRate: grid.learningRate[0], momentum: 0.99 },
  ]);
  assertEquals([trials[8].stage, trials[8].trial], ["grid", 9]);
});

Deno.test("with the same budget, random search beats grid search when one hyper-parameter matters", async () => {
  // 16 trials: the grid tries 4 learning rates, random search 16.
  const grid = bestTrial(await gridSearch({ grid: gridOf(SPACE, 4), evaluate }));
  let wins = 0;
  for (let seed = 0; seed < 10; seed++) {
    const random = bestTrial(await randomSearch({ space: SPACE, trials: 16, seed, evaluate }));
    if (random.score > grid.score) wins++;
  }
  assertGreaterOrEqual(wins, 8, "random search should win on at least 8 of 10 seeds");
});

Deno.test("refineSpace spans the best trials with a margin, inside the old range", () => {
  const trial = (i: number, learningRate: number, momentum: number, score: number): Trial => ({
    stage: "coarse",
    trial: i,
    params: { learningRate, momentum },
    score,
  });
  const trials = [
    trial(1, 1e-3, 0.9, 0.8),
    trial(2, 1e-5, 0.6, 0.1),
    trial(3, 1e-2, 0.95, 0.7),
    trial(4, 1e-1, 0.5, NaN),
  ];
  const fine = refineSpace(SPACE, trials, 2);
  // log₁₀ span [−3, −2], widened by a tenth of 4 decades: [−3.4, −1.6]
  assertAlmostEquals(Math.log10(fine.learningRate.min), -3.4, 1e-9);
  assertAlmostEquals(Math.log10(fine.learningRate.max), -1.6, 1e-9);
  // span [0.9, 0.95], widened by 0.049 on each side, then cut at 0.99
  assertAlmostEquals(fine.momentum.min, 0.851, 1e-9);
  assertEquals(fine.momentum.max, 0.99);
  assertEquals([fine.learningRate.scale, fine.momentum.scale], ["log", "linear"]);
  assertThrows(() => refineSpace(SPACE, trials, 5), Error, "keep must be an integer from 1 to 4");
});

Deno.test("bestTrial ranks diverged (NaN) runs last; edgeWarnings flags a best value near a border", () => {
  const trials: Trial[] = [
    { stage: "s", trial: 1, params: { learningRate: 0.09, momentum: 0.7 }, score: NaN },
    { stage: "s", trial: 2, params: { learningRate: 0.08, momentum: 0.7 }, score: 0.5 },
    { stage: "s", trial: 3, params: { learningRate: 1e-3, momentum: 0.7 }, score: 0.4 },
  ];
  const best = bestTrial(trials);
  assertEquals(best.trial, 2);
  const warnings = edgeWarnings(SPACE, best);
  assertEquals(warnings.length, 1);
  assertStringIncludes(warnings[0], "learningRate = 0.0800 is near the high end of its range");
  assertEquals(edgeWarnings(SPACE, trials[2]), []);
  assertThrows(() => bestTrial([trials[0]]), Error, "no trial has a score");
  assertThrows(() => bestTrial([]), Error, "no trial has a score");
});

Deno.test("trialsCsv writes one row per trial: stage, trial, each hyper-parameter, score", async () => {
  const trials = await randomSearch({ space: SPACE, trials: 3, seed: 0, stage: "fine", evaluate });
  const rows = parse(trialsCsv(trials), { skipFirstRow: true });
  assertEquals(rows.length, 3);
  assertEquals(Object.keys(rows[0]), ["stage", "trial", "learningRate", "momentum", "score"]);
  assertEquals(rows[2].stage, "fine");
  assertEquals(Number(rows[2].learningRate), trials[2].params.learningRate);
  assertEquals(Number(rows[2].score), trials[2].score);
});

Deno.test("bad options and ranges are errors that say what is wrong", async () => {
  await assertRejects(
    () => randomSearch({ space: SPACE, trials: 2, seed: 0, evaluate, stages: "x" } as never),
    Error,
    "randomSearch: unknown option 'stages' (did you mean 'stage'?)",
  );
  await assertRejects(
    () => randomSearch({ space: SPACE, trials: 0, seed: 0, evaluate }),
    Error,
    "trials must be an integer ≥ 1, got 0",
  );
  const bad = (range: unknown) => () =>
    randomSearch({ space: { lr: range } as never, trials: 1, seed: 0, evaluate });
  await assertRejects(bad({ min: 0, max: 1, scale: "log" }), Error, "a log scale needs min > 0");
  await assertRejects(bad({ min: 1, max: 1, scale: "linear" }), Error, "need finite min < max");
  await assertRejects(
    bad({ min: 1, max: 2, scale: "ln" }),
    Error,
    'scale must be "linear" or "log"',
  );
  await assertRejects(
    bad({ min: 1, max: 2, scale: "log", step: 1 }),
    Error,
    "unknown option 'step'",
  );
  await assertRejects(
    () => gridSearch({ grid: { lr: [] }, evaluate }),
    Error,
    "gridSearch: grid.lr has no values",
  );
});
