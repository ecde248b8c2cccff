import { assertEquals } from "../lib/assert.ts";
import { emptyResults, gradescopeProblems, toGradescope } from "./results.ts";
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

Deno.test("the results.json check accepts Gradescope's example and names what breaks the format", () => {
  assertEquals(gradescopeProblems(toGradescope(GRADE)), [], "the grader's own results");
  assertEquals(gradescopeProblems(emptyResults("did not finish")), [], "an empty grading");
  // The specification's example, abridged.
  const example = {
    score: 44.0,
    execution_time: 136,
    output: "Text relevant to the entire submission",
    output_format: "simple_format",
    test_output_format: "text",
    test_name_format: "text",
    visibility: "after_due_date",
    stdout_visibility: "visible",
    extra_data: {},
    tests: [{
      score: 2.0,
      max_score: 2.0,
      status: "passed",
      name: "Your name here",
      name_format: "text",
      number: "1.1",
      output: "Giant multiline string that will be placed in a <pre> tag and collapsed by default",
      output_format: "text",
      tags: ["tag1"],
      visibility: "visible",
      extra_data: {},
    }],
    leaderboard: [
      { name: "Accuracy", value: .926 },
      { name: "Time", value: 15.1, order: "asc" },
      { name: "Stars", value: "*****" },
    ],
  };
  assertEquals(gradescopeProblems(example), [], "the specification's example");
  assertEquals(
    gradescopeProblems({
      score: "44",
      grade: 1,
      tests: [{ name: 3, score: 5, max_score: 2, status: "ok", visibility: "public" }],
      leaderboard: [{ name: "x", value: null, order: "up" }],
    }),
    [
      'unknown field "grade".',
      "score is not a number.",
      "tests[0] scores more than its max_score.",
      "tests[0].name is not text.",
      'tests[0].status is "ok", not one of passed, failed.',
      'tests[0].visibility is "public", not one of hidden, after_due_date, after_published, visible.',
      "leaderboard[0].value is neither a number nor text.",
      'leaderboard[0].order is "up", not one of asc, desc.',
    ],
    "each problem, named",
  );
  assertEquals(gradescopeProblems([]), ["results.json is not a JSON object."]);
  assertEquals(gradescopeProblems({ tests: [] }), [
    "there is no score: neither at the top nor on any test.",
  ]);
});
