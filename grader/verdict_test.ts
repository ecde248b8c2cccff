import { assertEquals } from "../lib/assert.ts";
import { escapeXml } from "../lib/junit.ts";
import type { RunOutcome } from "./sandbox.ts";
import { type ExpectedTest, failedToLoad, readRun, type RunContext } from "./verdict.ts";

const CONTEXT: RunContext = {
  backends: ["wasm", "webgpu"],
  timeoutMs: 30_000,
  memoryMb: 2048,
  sandboxDir: "/tmp/gradlab-grade-abc",
};
const A: ExpectedTest = { name: "Task 1: a [2 pts]", task: 1, points: 2 };
const B: ExpectedTest = {
  name: "Task 2: b [3 pts]",
  task: 2,
  points: 3,
  backends: ["wasm", "webgpu"],
};

const testcase = (name: string, inner = "") =>
  `<testcase name="${escapeXml(name)}" classname="./x_test.ts">${inner}</testcase>`;
const passed = (name: string) => testcase(name);
const failed = (name: string, text: string) =>
  testcase(name, `<failure message="${escapeXml(text)}">${escapeXml(text)}</failure>`);
const cancelled = (name: string) => testcase(name, `<error message="Cancelled"/>`);
const skipped = (name: string) => testcase(name, "<skipped/>");

function outcome(cases: string[] | undefined, rest: Partial<RunOutcome> = {}): RunOutcome {
  return {
    junit: cases &&
      `<?xml version="1.0"?><testsuites><testsuite>${cases.join("")}</testsuite></testsuites>`,
    stdout: "",
    stderr: "",
    code: 0,
    signal: null,
    timedOut: false,
    memoryExceeded: false,
    wallMs: 1,
    ...rest,
  };
}

const statusOf = (run: RunOutcome, tests = [A, B], final = false) =>
  Object.fromEntries([...readRun(tests, run, CONTEXT, final)].map(([k, v]) => [k, v?.status]));

Deno.test("a test passes only if it and each of its steps on the tested backends passed", () => {
  const steps = [`${B.name} > wasm`, `${B.name} > webgpu`];
  assertEquals(statusOf(outcome([passed(A.name), passed(B.name), ...steps.map(passed)])), {
    [A.name]: "passed",
    [B.name]: "passed",
  });
  const noWebgpu = readRun([B], outcome([passed(B.name), passed(steps[0])]), CONTEXT, false);
  assertEquals(noWebgpu.get(B.name)!.status, "failed");
  assertEquals(noWebgpu.get(B.name)!.output, "Its webgpu step was reported 0 times.");
  const skippedStep = readRun(
    [B],
    outcome([passed(B.name), passed(steps[0]), skipped(steps[1])]),
    CONTEXT,
    false,
  );
  assertEquals(skippedStep.get(B.name)!.output, "Its webgpu step was skipped.");
  const wasmOnly = readRun([B], outcome([passed(B.name), passed(steps[0])]), {
    ...CONTEXT,
    backends: ["wasm"],
  }, false);
  assertEquals(wasmOnly.get(B.name)!.status, "passed");
});

Deno.test("a failure says why, on which backend, without sandbox paths; unwritten code is 'not implemented'", () => {
  const message =
    "NotImplementedError: affineForward is not implemented yet: write it where its TODO is.\n" +
    "    at affineForward (file:///tmp/gradlab-grade-abc/run-7/assignments/01-backprop/layers.ts:5:9)\n" +
    "    at innerWrapped (ext:cli/40_test.js:300:11)";
  const run = outcome([
    failed(A.name, message),
    failed(B.name, "1 test step failed."),
    failed(`${B.name} > wasm`, "AssertionError: out[0] is 1, expected 2"),
    passed(`${B.name} > webgpu`),
  ]);
  const verdicts = readRun([A, B], run, CONTEXT, false);
  assertEquals(verdicts.get(A.name), {
    status: "not implemented",
    output:
      "NotImplementedError: affineForward is not implemented yet: write it where its TODO is.\n" +
      "    at affineForward (./assignments/01-backprop/layers.ts:5:9)",
    metrics: [],
  });
  assertEquals(verdicts.get(B.name)!.status, "failed");
  assertEquals(verdicts.get(B.name)!.output, "On wasm: AssertionError: out[0] is 1, expected 2");
});

Deno.test("a test reported twice fails: the submission declared one of the same name", () => {
  const verdict = readRun(
    [A],
    outcome([passed(A.name), failed(A.name, "real failure")]),
    CONTEXT,
    false,
  );
  assertEquals(verdict.get(A.name)!.status, "failed");
  assertEquals(verdict.get(A.name)!.output.startsWith("Reported 2 times"), true);
});

Deno.test("unsettled tests are left for a run of their own, then fail with what happened", () => {
  const run = outcome([cancelled(A.name)]);
  assertEquals(statusOf(run), { [A.name]: undefined, [B.name]: undefined });
  assertEquals(statusOf(run, [A], true), { [A.name]: "not run" });
  assertEquals(statusOf(outcome(undefined, { timedOut: true, code: 137 }), [A], true), {
    [A.name]: "timed out",
  });
  assertEquals(statusOf(outcome(undefined, { memoryExceeded: true }), [A], true), {
    [A.name]: "out of memory",
  });
  const crash = readRun([A], outcome(undefined, { code: 134, signal: "SIGABRT" }), CONTEXT, true);
  assertEquals(crash.get(A.name)!.status, "crashed");
  assertEquals(
    crash.get(A.name)!.output,
    "The test process ended (signal SIGABRT) before reporting this test.",
  );
});

Deno.test("a whole report is kept even when the process then aborted (Mesa's exit-time heap abort)", () => {
  const run = outcome([passed(A.name)], { code: 134, signal: "SIGABRT" });
  assertEquals(statusOf(run, [A]), { [A.name]: "passed" });
});

Deno.test("a file that did not load says why, from the runner's error paragraph", () => {
  const run = outcome([], {
    code: 1,
    stdout:
      "./x_test.ts (uncaught error)\nerror: Error: boom at import\n    at file:///tmp/gradlab-grade-abc/run-2/assignments/01-backprop/gates.ts:5:7\n",
    stderr: "error: Test failed\n",
  });
  assertEquals(failedToLoad(run), true);
  assertEquals(failedToLoad(outcome([passed(A.name)], { code: 1 })), false);
  const verdict = readRun([A], run, CONTEXT, true).get(A.name)!;
  assertEquals(verdict.status, "not run");
  assertEquals(
    verdict.output.endsWith(
      "error: Error: boom at import\n    at ./assignments/01-backprop/gates.ts:5:7",
    ),
    true,
    verdict.output,
  );
});

Deno.test("metrics come from the test's own passed metric steps", () => {
  const run = outcome([
    passed(A.name),
    passed(`${A.name} > metric "test accuracy" = 0.91 (higher is better)`),
    failed(`${A.name} > metric "loss" = 1 (lower is better)`, "x"),
    passed(`Task 9: other [1 pt] > metric "test accuracy" = 1 (higher is better)`),
  ]);
  assertEquals(readRun([A], run, CONTEXT, false).get(A.name)!.metrics, [
    { name: "test accuracy", value: 0.91, order: "desc", test: A.name },
  ]);
});

Deno.test("a metric counts only from the test itself, on a backend, and only if it passed", () => {
  const forged = `${A.name} > x [1 pt] > metric "test accuracy" = 1 (higher is better)`;
  const run = outcome([
    passed(A.name),
    passed(`${A.name} > wasm > metric "loss" = 0.5 (lower is better)`),
    passed(`${A.name} > x [1 pt]`),
    passed(forged),
  ]);
  assertEquals(readRun([A], run, CONTEXT, false).get(A.name)!.metrics, [
    { name: "loss", value: 0.5, order: "asc", test: A.name },
  ], "only the metric of A's own wasm step; not one of a test named like a step of A");
  const failing = outcome([
    failed(A.name, "boom"),
    passed(`${A.name} > metric "test accuracy" = 0.91 (higher is better)`),
  ]);
  assertEquals(
    readRun([A], failing, CONTEXT, false).get(A.name)!.metrics,
    [],
    "a failing test reports no metric",
  );
});
