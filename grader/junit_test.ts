import { assertEquals } from "../lib/assert.ts";
import { parseJunit } from "../lib/junit.ts";
import { toJunit } from "./junit.ts";

Deno.test("the grader's report escapes what students wrote, and reads back", () => {
  const xml = toJunit([
    {
      suite: "01-backprop/a_test.ts",
      name: "Task 1: ok [1 pt]",
      passed: true,
      output: "score 1 / 1",
    },
    {
      suite: "01-backprop/a_test.ts",
      name: 'Task 1: <b>&"bad" [2 pts]',
      passed: false,
      message: 'failed: </failure><testcase name="forged">\u0007',
    },
  ]);
  assertEquals(parseJunit(xml), [
    { name: "Task 1: ok [1 pt]", file: "01-backprop/a_test.ts", outcome: "passed" },
    {
      name: 'Task 1: <b>&"bad" [2 pts]',
      file: "01-backprop/a_test.ts",
      outcome: "failed",
      message: 'failed: </failure><testcase name="forged">',
    },
  ]);
  assertEquals(xml.includes('tests="2" failures="1"'), true);
});
