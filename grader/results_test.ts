import { assertEquals } from "../lib/assert.ts";
import { emptyResults, toGradescope } from "./results.ts";
import { SAMPLE_GRADE as GRADE } from "./sample_grade.ts";

Deno.test("results.json has Gradescope's fields: score, tests, visibility, leaderboard", () => {
  assertEquals(toGradescope(GRADE), {
    score: 7,
    execution_time: 12,
    output: "01-backprop: 2 / 5 on the published tests, more from hidden tests.\n" +
      "Tested on wasm and webgpu.\n01-backprop: layers.ts is missing from the submission.",
    tests: [
      {
        name: "Task 1: a [2 pts]",
        score: 2,
        max_score: 2,
        status: "passed",
        output: "",
        visibility: "visible",
      },
      {
        name: "Task 1: b [3 pts]",
        score: 0,
        max_score: 3,
        status: "failed",
        output: "Timed out.\nTimed out: still running after 60 s.",
        visibility: "visible",
      },
      {
        name: "Task 1: c [5 pts]",
        score: 5,
        max_score: 5,
        status: "passed",
        output: "",
        visibility: "after_published",
      },
    ],
    leaderboard: [{ name: "test accuracy", value: 0.91, order: "desc" }],
    extra_data: { runs: GRADE.runs },
  });
  assertEquals(emptyResults("Grading did not finish."), {
    score: 0,
    execution_time: 0,
    output: "Grading did not finish.",
    tests: [],
  });
});
