import { assertEquals } from "../lib/assert.ts";
import { formatTable } from "./table.ts";
import { SAMPLE_GRADE as GRADE } from "./sample_grade.ts";

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
      "runs: 2 (1 re-run); longest 01-backprop/a_test.ts 60 s; most memory 01-backprop/a_test.ts 310 MiB",
      "(3 tests on wasm and webgpu in 12.4 s)",
    ].join("\n"),
  );
});
