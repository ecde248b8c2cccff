/** A small graded run, for the tests of the terminal table and of results.json. */
import type { Grade, TestResult } from "./grade.ts";

const result = (name: string, points: number, rest: Partial<TestResult> = {}): TestResult => ({
  assignment: "01-backprop",
  file: "a_test.ts",
  name,
  task: 1,
  points,
  score: points,
  status: "passed",
  output: "",
  visibility: "visible",
  hidden: false,
  ...rest,
});

export const SAMPLE_GRADE: Grade = {
  tests: [
    result("Task 1: a [2 pts]", 2),
    result("Task 1: b [3 pts]", 3, {
      score: 0,
      status: "timed out",
      output: "Timed out: still running after 60 s.",
    }),
    result("Task 1: c [5 pts]", 5, { hidden: true, visibility: "after_published" }),
  ],
  metrics: [{ name: "test accuracy", value: 0.91, order: "desc", test: "Task 1: c [5 pts]" }],
  notes: ["01-backprop: layers.ts is missing from the submission."],
  backends: ["wasm", "webgpu"],
  seconds: 12.4,
  found: { "01-backprop": ["gates.ts"] },
  runs: [
    { assignment: "01-backprop", file: "a_test.ts", seconds: 11.9, peakMb: 310, ended: "ok" },
    {
      assignment: "01-backprop",
      file: "a_test.ts",
      test: "Task 1: b [3 pts]",
      seconds: 60,
      peakMb: 290,
      ended: "timed out",
    },
  ],
};
