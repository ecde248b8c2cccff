import { assertEquals } from "./assert.ts";
import { parseJunit } from "./junit.ts";

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

const A = "./a_test.ts";

Deno.test("Deno's report reads as one case per test and per step, with its file", () => {
  assertEquals(parseJunit(DENO_REPORT), [
    { name: "t1", file: A, outcome: "passed" },
    { name: "t2", file: A, outcome: "failed", message: "1 test step failed." },
    { name: "t3", file: A, outcome: "cancelled", message: "Cancelled" },
    { name: "t2 > wasm", file: A, outcome: "passed" },
    {
      name: "t2 > webgpu",
      file: A,
      outcome: "failed",
      message: 'Error: boom <x> & "q"\n    at file:///tmp/exp1/a_test.ts:8:101',
    },
    { name: "t2 > cpu", file: A, outcome: "skipped" },
  ]);
});
