import { assertEquals } from "../lib/assert.ts";
import { parseJunit, toJunit } from "./junit.ts";

// What `deno test --junit-path` wrote (Deno 2.9.6) for a test with a passing step, a
// failing one and an ignored one, a passing test, and one cancelled by an uncaught error.
const DENO_REPORT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="deno test" tests="5" failures="2" errors="1" time="0.011">
    <testsuite name="./a_test.ts" tests="5" disabled="1" errors="1" failures="2">
        <testcase name="t1" classname="./a_test.ts" time="0.000" line="7" col="6">
        </testcase>
        <testcase name="t2" classname="./a_test.ts" time="0.002" line="8" col="6">
            <failure message="1 test step failed">1 test step failed.</failure>
        </testcase>
        <testcase name="t3" classname="./a_test.ts" time="0.000" line="9" col="6">
            <error message="Cancelled"/>
        </testcase>
        <testcase name="t2 &gt; wasm" classname="./a_test.ts" time="0.000" line="8" col="40">
        </testcase>
        <testcase name="t2 &gt; webgpu" classname="./a_test.ts" time="0.000" line="8" col="72">
            <failure message="Uncaught Error: boom &lt;x&gt; &amp; &quot;q&quot;">Error: boom &lt;x&gt; &amp; &quot;q&quot;
    at file:///tmp/exp1/a_test.ts:8:101</failure>
        </testcase>
        <testcase name="t2 &gt; cpu" classname="./a_test.ts" time="0.000" line="8" col="144">
            <skipped/>
        </testcase>
    </testsuite>
</testsuites>`;

Deno.test("Deno's report reads as one case per test and per step", () => {
  assertEquals(parseJunit(DENO_REPORT), [
    { name: "t1", outcome: "passed" },
    { name: "t2", outcome: "failed", message: "1 test step failed." },
    { name: "t3", outcome: "cancelled", message: "Cancelled" },
    { name: "t2 > wasm", outcome: "passed" },
    {
      name: "t2 > webgpu",
      outcome: "failed",
      message: 'Error: boom <x> & "q"\n    at file:///tmp/exp1/a_test.ts:8:101',
    },
    { name: "t2 > cpu", outcome: "skipped" },
  ]);
});

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
    { name: "Task 1: ok [1 pt]", outcome: "passed" },
    {
      name: 'Task 1: <b>&"bad" [2 pts]',
      outcome: "failed",
      message: 'failed: </failure><testcase name="forged">',
    },
  ]);
  assertEquals(xml.includes('tests="2" failures="1"'), true);
});
