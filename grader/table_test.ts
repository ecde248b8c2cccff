import { assertEquals } from "../lib/assert.ts";
import type { Grade, TestResult } from "./grade.ts";
import { formatTable } from "./table.ts";

const test = (name: string, points: number, rest: Partial<TestResult> = {}): TestResult => ({
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

const GRADE: Grade = {
  tests: [
    test("Task 1: a [2 pts]", 2),
    test("Task 1: b [3 pts]", 3, {
      score: 0,
      status: "timed out",
      output: "Timed out: still running after 60 s.",
    }),
    test("Task 1: c [5 pts]", 5, { hidden: true, visibility: "after_published" }),
  ],
  metrics: [{ name: "test accuracy", value: 0.91, order: "desc", test: "Task 1: c [5 pts]" }],
  notes: ["01-backprop: layers.ts is missing from the submission."],
  backends: ["wasm", "webgpu"],
  seconds: 12.4,
};

Deno.test("the table shows each test, why it failed, the total and the leaderboard", () => {
  assertEquals(
    formatTable(GRADE),
    [
      "",
      "01-backprop",
      "  passed             2/2  Task 1: a [2 pts]",
      "  timed out          0/3  Task 1: b [3 pts]",
      "                          Timed out: still running after 60 s.",
      "  passed             5/5  (hidden) Task 1: c [5 pts]",
      "  total             7/10",
      "leaderboard: test accuracy = 0.91 (higher is better)",
      "note: 01-backprop: layers.ts is missing from the submission.",
      "(3 tests on wasm and webgpu in 12.4 s)",
    ].join("\n"),
  );
});
