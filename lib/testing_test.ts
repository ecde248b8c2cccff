import { assertEquals, assertRejects, assertThrows } from "./assert.ts";
import { declaredTests, gradedName, metricStepName, test } from "./testing.ts";

Deno.test("a graded test's name carries its task and points", () => {
  assertEquals(
    gradedName("affineBackward passes the gradient check", { task: 2, points: 5 }),
    "Task 2: affineBackward passes the gradient check [5 pts]",
  );
  assertEquals(gradedName("x", { task: 1, points: 1 }), "Task 1: x [1 pt]");
});

Deno.test("a graded test must be worth something", () => {
  assertThrows(
    () => test("free", { task: 1, points: 0 }, () => {}),
    Error,
    "points must be positive",
  );
});

test("reportMetric refuses NaN and reports a finite value", {
  task: 1,
  points: 1,
  visibility: "hidden",
}, async (_backend, reportMetric) => {
  await assertRejects(() => reportMetric("loss", NaN), Error, "must be a finite number");
  await assertRejects(() => reportMetric("", 1), Error, "needs a name");
  await reportMetric("loss", 0.5, "asc");
});

Deno.test("declaredTests lists each graded test with its full name and label", () => {
  assertEquals(declaredTests().at(-1), {
    task: 1,
    points: 1,
    visibility: "hidden",
    name: "Task 1: reportMetric refuses NaN and reports a finite value [1 pt]",
  });
});

Deno.test("a metric's step name carries its name, value and direction", () => {
  assertEquals(
    metricStepName("test accuracy", 0.9125, "desc"),
    'metric "test accuracy" = 0.9125 (higher is better)',
  );
  assertEquals(
    metricStepName("perplexity", 4.5, "asc"),
    'metric "perplexity" = 4.5 (lower is better)',
  );
});
