/**
 * Verdicts: what the JUnit report of one sandboxed run says about each test
 * the trusted listing expects from it.
 *
 * - A test reported exactly once is judged on its report: it passes only if it
 *   passed and so did each of its steps on the backends being tested (a step
 *   that was skipped, or is missing, fails it). Its own `metric` steps are read
 *   for the leaderboard, if it passed.
 * - A test reported more than once fails: the submission declared a test of
 *   that name to pass in its place.
 * - A test not reported, or cancelled by an uncaught error, is not settled by
 *   this run: the grader runs it again on its own. A run about it alone that
 *   still does not settle it fails it, saying what happened to the process.
 *
 * Anything else in the report — tests of other names — is ignored.
 *
 * @module
 */
import type { Visibility } from "../lib/testing.ts";
import { type JunitCase, parseJunit } from "../lib/junit.ts";
import type { RunOutcome } from "./sandbox.ts";

/** How a test ended. */
export type Status =
  | "passed"
  | "failed"
  | "not implemented"
  | "timed out"
  | "out of memory"
  | "crashed"
  | "not run";

/** A test as the trusted listing declares it. */
export interface ExpectedTest {
  name: string;
  task: number;
  points: number;
  backends?: string[];
  visibility?: Visibility;
}

/** A number a test reported for the leaderboard. */
export interface Metric {
  name: string;
  value: number;
  order: "asc" | "desc";
  /** The test that reported it. */
  test: string;
}

/** What a run settled about one test. */
export interface Verdict {
  status: Status;
  /** Why it did not pass, for the student (empty when it passed). */
  output: string;
  metrics: Metric[];
}

/** What the verdicts depend on besides the report. */
export interface RunContext {
  /** The backends being tested: a test's steps on these must pass. */
  backends: readonly string[];
  timeoutMs: number;
  memoryMb: number;
  /** The workspace folder, whose paths are cut from messages. */
  sandboxDir: string;
}

/**
 * What a run says about each expected test. Without `final`, a test the run
 * did not settle (missing, or cancelled by an uncaught error) maps to
 * `undefined`, to be run again on its own; with `final`, it fails with what
 * went wrong with the run.
 */
export function readRun(
  tests: readonly ExpectedTest[],
  outcome: RunOutcome,
  context: RunContext,
  final: boolean,
): Map<string, Verdict | undefined> {
  const cases = outcome.junit && !outcome.timedOut && !outcome.memoryExceeded
    ? parseJunit(outcome.junit)
    : [];
  const clean = (text: string) => cleanOutput(text, context.sandboxDir);
  const verdicts = new Map<string, Verdict | undefined>();
  for (const test of tests) {
    const own = cases.filter((c) => c.name === test.name);
    const settled = own.length === 1 && own[0].outcome !== "cancelled";
    if (own.length > 1) {
      verdicts.set(test.name, {
        status: "failed",
        output: `Reported ${own.length} times: the submission declared a test of this name.`,
        metrics: [],
      });
    } else if (settled) {
      verdicts.set(test.name, judge(test, own[0], cases, context.backends, clean));
    } else if (final) {
      verdicts.set(test.name, runFailure(outcome, context, clean));
    } else {
      verdicts.set(test.name, undefined);
    }
  }
  return verdicts;
}

/** Whether a run ended normally having reported no test at all: its test file did not load. */
export function failedToLoad(outcome: RunOutcome): boolean {
  return outcome.code === 1 && !outcome.timedOut && !outcome.memoryExceeded &&
    (outcome.junit === undefined || parseJunit(outcome.junit).length === 0);
}

/** The verdict on a test that its run reported exactly once. */
function judge(
  test: ExpectedTest,
  own: JunitCase,
  cases: readonly JunitCase[],
  backends: readonly string[],
  clean: (text: string) => string,
): Verdict {
  const metrics: Metric[] = [];
  for (const c of cases) {
    const metric = c.outcome === "passed" ? parseMetric(test.name, c.name, backends) : undefined;
    if (metric) metrics.push(metric);
  }
  const problems: string[] = [];
  for (const backend of test.backends ?? []) {
    if (!backends.includes(backend)) continue;
    const steps = cases.filter((c) => c.name === `${test.name} > ${backend}`);
    if (steps.length !== 1) {
      problems.push(`Its ${backend} step was reported ${steps.length} times.`);
    } else if (steps[0].outcome === "failed") {
      problems.push(`On ${backend}: ${clean(steps[0].message ?? "failed")}`);
    } else if (steps[0].outcome !== "passed") {
      problems.push(`Its ${backend} step was ${steps[0].outcome}.`);
    }
  }
  if (own.outcome === "passed" && problems.length === 0) {
    return { status: "passed", output: "", metrics };
  }
  if (own.outcome === "skipped") problems.push("The test was skipped.");
  if (own.outcome === "failed" && problems.length === 0) {
    problems.push(clean(own.message ?? "failed"));
  }
  const output = problems.join("\n\n");
  const status = /NotImplementedError: \S+ is not implemented yet/.test(output)
    ? "not implemented"
    : "failed";
  return { status, output, metrics: [] };
}

/**
 * A metric step of `testName` itself: exactly `name > metric "x" = 1 (…)`, or
 * `name > wasm > metric …` for a step of a backend. A step of some other test
 * whose name merely starts with `name > ` is not one.
 */
function parseMetric(
  testName: string,
  caseName: string,
  backends: readonly string[],
): Metric | undefined {
  if (!caseName.startsWith(`${testName} > `)) return undefined;
  const rest = caseName.slice(testName.length + 3);
  const backend = backends.find((b) => rest.startsWith(`${b} > `));
  const last = backend ? rest.slice(backend.length + 3) : rest;
  const match = last.match(/^metric (".*") = (\S+) \((higher|lower) is better\)$/);
  if (!match) return undefined;
  const value = Number(match[2]);
  if (!Number.isFinite(value)) return undefined;
  return {
    name: JSON.parse(match[1]),
    value,
    order: match[3] === "lower" ? "asc" : "desc",
    test: testName,
  };
}

/** Why a test got no result from a run that was about it alone. */
function runFailure(
  outcome: RunOutcome,
  options: RunContext,
  clean: (text: string) => string,
): Verdict {
  if (outcome.timedOut) {
    return {
      status: "timed out",
      output: `Timed out: still running after ${options.timeoutMs / 1000} s, so it was stopped.`,
      metrics: [],
    };
  }
  if (outcome.memoryExceeded) {
    return {
      status: "out of memory",
      output: `Out of memory: it used more than ${options.memoryMb} MiB, so it was stopped.`,
      metrics: [],
    };
  }
  const errors = errorLines(clean(`${outcome.stdout}\n${outcome.stderr}`));
  if (outcome.code > 1 || outcome.signal) {
    return {
      status: "crashed",
      output: `The test process ended (${describeExit(outcome)}) before reporting this test.` +
        (errors ? `\n${errors}` : ""),
      metrics: [],
    };
  }
  return {
    status: "not run",
    output: `This test did not run: its test file failed to load, or an uncaught error ` +
      `(from a timer or a promise nobody awaited) stopped it.` + (errors ? `\n${errors}` : ""),
    metrics: [],
  };
}

export function describeExit(outcome: RunOutcome): string {
  return outcome.signal ? `signal ${outcome.signal}` : `exit code ${outcome.code}`;
}

/**
 * The `error: …` paragraphs of a run's output, which say why a file did not load.
 * (The process could print anything there; this is shown, never trusted.)
 */
function errorLines(output: string): string {
  const lines = output.split("\n");
  const kept: string[] = [];
  lines.forEach((line, i) => {
    if (!/^error: /.test(line) || line === "error: Test failed") return;
    const end = lines.findIndex((l, j) => j > i && l.trim() === "");
    kept.push(...lines.slice(i, Math.min(i + 4, end < 0 ? lines.length : end)));
  });
  return kept.slice(0, 20).join("\n").trim();
}

/** A failure's text without sandbox paths or test-runner frames, and not too long. */
function cleanOutput(text: string, sandboxDir: string): string {
  const root = new RegExp(`(file://)?${escapeRegExp(sandboxDir)}/run-\\d+/`, "g");
  const lines = text.replace(root, "./").split("\n")
    .filter((line) => !/^\s+at .*(ext:|\.\/grader\/harden\.ts|\.\/lib\/testing\.ts)/.test(line));
  const joined = lines.slice(0, 40).join("\n");
  return joined.length > 4000 ? `${joined.slice(0, 4000)}…` : joined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
