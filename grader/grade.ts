/**
 * `deno task grade`: runs the graded tests of one or all assignments against a
 * submission and scores them.
 *
 *     deno task grade                          # the working tree's assignments/
 *     deno task grade hw1.zip                  # a folder, .zip, .tar.gz, .tgz or .tar
 *     deno task grade sub/ --assignment 01-backprop --hidden ../hidden --out /autograder/results
 *
 * | flag | meaning | default |
 * | --- | --- | --- |
 * | `--assignment A,B` | grade only these assignments | every `assignments/NN-*` |
 * | `--hidden DIR` | add the tests in `DIR/NN-name/*_test.ts` | none |
 * | `--out DIR` | where results.json and junit.xml go | `out/grade` |
 * | `--tests F,G` | run only these test files (`gates_test.ts`, …) | all |
 * | `--isolate F,G` | run each test of these files in a process of its own | none |
 * | `--timeout S` | wall-clock seconds for one test file's run | 900 |
 * | `--deadline S` | wall-clock seconds for the whole grading; then it stops and reports | none |
 * | `--memory MB` | memory cap of one run (resident memory; V8's heap gets half) | fits the machine |
 * | `--jobs N` | runs at once | fits the machine |
 *
 * The defaults of `--memory` and `--jobs` fit the CPUs and memory of the
 * machine or container (resources.ts): one run at a time in Gradescope's
 * default 0.5 CPU and 768 MB.
 *
 * The tests run on the backends in `GRADLAB_TEST_BACKENDS`, or else on wasm,
 * plus webgpu where this machine has an adapter.
 *
 * How it works: the list of tests and their points comes from the grader's
 * own test files, listed against the pristine starter (grader/list.ts). Each
 * test file then runs in its own sandboxed process (sandbox.ts) on the
 * student's code, and only results for listed tests count; a test reported
 * twice fails. A test missing from its file's run — because the process
 * timed out, ran out of memory, crashed, or an uncaught error cancelled
 * the file — is run again on its own, so one bad function costs only its own
 * tests. Anything else a run printed is ignored.
 *
 * @module
 */
import { join } from "node:path";
import { missingData } from "../datasets/fetch_all.ts";
import type { Visibility } from "../lib/testing.ts";
import { parseArgs } from "../lib/cli.ts";
import { runScript } from "../lib/script.ts";
import { toJunit } from "./junit.ts";
import { emptyResults, toGradescope } from "./results.ts";
import {
  createWorkspace,
  removeWorkspace,
  type RunOutcome,
  runSandboxed,
  stopAllRuns,
  type Workspace,
} from "./sandbox.ts";
import { loadSubmission, SubmissionError } from "./submission.ts";
import {
  courseAssignments,
  courseStarters,
  loadSuite,
  studentFileNames,
  type Suite,
} from "./suite.ts";
import { gradingDefaults, hostLimits, threadsPerRun } from "./resources.ts";
import { formatTable } from "./table.ts";
import {
  describeExit,
  type ExpectedTest,
  failedToLoad,
  type Metric,
  readRun,
  type RunContext,
  type Status,
  type Verdict,
} from "./verdict.ts";

/** What to grade, and how. */
export interface GradeOptions {
  /** A folder or archive holding the student's files. */
  submission: string;
  /** Assignment folder names; default: all of the course's. */
  assignments?: readonly string[];
  /** A folder of hidden tests, laid out as `NN-name/*_test.ts`. */
  hidden?: string;
  /** Run only these test files (`gates_test.ts`, …); default: all. The hostile corpus uses it. */
  only?: readonly string[];
  backends: readonly string[];
  timeoutMs: number;
  memoryMb: number;
  jobs: number;
  /** The wasm threads each run may start (GRADLAB_THREADS); default 1. */
  threads?: number;
  /**
   * Wall-clock milliseconds for the whole grading. Each run's time limit is cut
   * to what is left, runs that no longer fit are not started, and the grading
   * ends with its report in time (Gradescope kills an autograder at its limit
   * and keeps nothing).
   */
  deadlineMs?: number;
  /**
   * Test files whose tests each run in a process of their own from the start
   * (`targets_test.ts`): where memory is tight, tests that each load a data
   * set fit one at a time, and a whole-file run would only go out of memory
   * first and cost its time.
   */
  isolate?: readonly string[];
  /**
   * Suites listed by an earlier grading with the same options, by assignment:
   * a batch lists each assignment's tests once, not once per student.
   */
  suites?: Map<string, Promise<Suite>>;
}

/** One graded test's result. */
export interface TestResult {
  assignment: string;
  /** The test file, e.g. `gates_test.ts`. */
  file: string;
  name: string;
  task: number;
  points: number;
  score: number;
  status: Status;
  /** Why it did not pass (empty when it passed). */
  output: string;
  visibility: Visibility;
  hidden: boolean;
}

/** One process the grading ran: what it ran, how long, how much memory, how it ended. */
export interface RunRecord {
  assignment: string;
  file: string;
  /** The one test it ran again, for a re-run. */
  test?: string;
  seconds: number;
  peakMb: number;
  /** `ok`, `timed out`, `out of memory`, `killed by the system`, `exit code N`, `signal S`. */
  ended: string;
}

/** A whole grading. */
export interface Grade {
  tests: TestResult[];
  metrics: Metric[];
  /** Things about the submission or the runs worth knowing, in words. */
  notes: string[];
  backends: readonly string[];
  seconds: number;
  /** Each graded assignment's student files that the submission had (the rest came from the starter). */
  found: Record<string, string[]>;
  runs: RunRecord[];
}

/** A test file to run on the student's files, and the tests expected from it. */
interface Plan {
  assignment: string;
  file: string;
  hidden: boolean;
  tests: ExpectedTest[];
  studentFiles: ReadonlyMap<string, ReadonlyMap<string, Uint8Array>>;
  testBytes: Uint8Array;
  /** Run only this test of the file (a file whose tests each get a process). */
  only?: string;
}

/** Time kept at the end of a grading with a deadline, to write its report. */
const REPORT_RESERVE_MS = 5_000;
/** A run is not started with less time than this left before the deadline. */
const SHORTEST_RUN_MS = 10_000;

/** Grades `options.submission`. Throws only for the grader's own problems, never for the submission's. */
export async function grade(options: GradeOptions): Promise<Grade> {
  const started = performance.now();
  const deadline = started + (options.deadlineMs ?? Infinity) - REPORT_RESERVE_MS;
  const course = await courseAssignments();
  const graded = options.assignments ?? course;
  const unknown = graded.filter((name) => !course.includes(name));
  if (unknown.length) {
    throw new Error(
      `There is no assignment ${unknown.join(", ")}; the course has ${course.join(", ")}.`,
    );
  }
  // The data the graded tests read, found (or fetched) now: missing data is the
  // grading machine's problem, to be fixed before any test runs, not a failed test.
  const missing = await missingData();
  if (missing.length) {
    throw new Error(
      `The graded tests need ${missing.join(", ")}, which this machine does not have: run ` +
        `\`deno task data\` (it fetches and checks them), or set GRADLAB_DATA_DIR to a folder ` +
        `that holds them.`,
    );
  }
  // Every assignment's files, graded or not: a later assignment imports earlier ones'
  // layers. One the submission lacks is the starter's, whose functions throw.
  // The submission is read first: an upload that is not one fails before any work.
  const starters = await courseStarters();
  const expected: Record<string, string[]> = {};
  for (const [name, starter] of starters) expected[name] = studentFileNames(starter);
  const submission = await loadSubmission(options.submission, expected, graded);
  const workspace = await createWorkspace();
  try {
    const suites: Suite[] = [];
    for (const name of graded) {
      const listed = options.suites?.get(name) ?? loadSuite(workspace, name, options);
      options.suites?.set(name, listed);
      suites.push(await listed);
    }
    const notes = [...submission.notes];
    const files = suites.flatMap((suite) => [...suite.testFiles.keys()]);
    for (const file of options.only?.filter((f) => !files.includes(f)) ?? []) {
      notes.push(`There is no test file ${file} to run; the test files are ${files.join(", ")}.`);
    }
    const studentFiles = new Map<string, ReadonlyMap<string, Uint8Array>>();
    for (const [name, starter] of starters) {
      const { files, ignored } = runFiles(
        starter,
        expected[name],
        suites.find((s) => s.assignment === name)?.testFiles.keys() ?? [],
        submission.folders.get(name)?.files ?? new Map(),
      );
      studentFiles.set(name, files);
      if (graded.includes(name)) notes.push(...ignored.map((why) => `${name}: ${why}`));
    }
    const plans: Plan[] = suites.flatMap((suite) =>
      [...suite.testFiles].filter(([file]) => !options.only || options.only.includes(file))
        .flatMap(([file, { bytes, hidden, tests }]) => {
          const plan = {
            assignment: suite.assignment,
            file,
            hidden,
            tests,
            studentFiles,
            testBytes: bytes,
          };
          // Tests that each hold a data set fit one at a time where together they would not.
          return options.isolate?.includes(file)
            ? tests.map((test) => ({ ...plan, tests: [test], only: test.name }))
            : [plan];
        })
    );
    const verdicts = new Map<Plan, Map<string, Verdict | undefined>>();
    const runs: RunRecord[] = [];
    /** Runs `plan` (or its test `only`) within the time left; `undefined` if none is left. */
    const timed = async (plan: Plan, only?: string) => {
      const left = deadline - performance.now();
      if (left < SHORTEST_RUN_MS) return undefined;
      const timeoutMs = Math.min(options.timeoutMs, left);
      const outcome = await runPlan(workspace, plan, { ...options, timeoutMs }, only);
      runs.push({
        assignment: plan.assignment,
        file: plan.file,
        ...(only === undefined ? {} : { test: only }),
        seconds: Math.round(outcome.wallMs / 100) / 10,
        peakMb: outcome.peakMb,
        ended: howItEnded(outcome),
      });
      const context: RunContext = {
        ...options,
        timeoutMs,
        sandboxDir: workspace.dir,
        ...(timeoutMs < options.timeoutMs ? { deadlineSeconds: options.deadlineMs! / 1000 } : {}),
      };
      return { outcome, context };
    };
    await pool(plans, options.jobs, async (plan) => {
      const run = await timed(plan, plan.only);
      if (!run) {
        verdicts.set(plan, new Map(plan.tests.map((t) => [t.name, outOfTime(options)])));
        return;
      }
      const { outcome, context } = run;
      // Running again alone is pointless for a file of one test, or one that failed to load.
      const final = plan.tests.length === 1 || failedToLoad(outcome) ||
        (outcome.timedOut && context.deadlineSeconds !== undefined);
      verdicts.set(plan, readRun(plan.tests, outcome, context, final));
      if (outcome.junit && !outcome.timedOut && !outcome.memoryExceeded && outcome.code > 1) {
        notes.push(
          `${plan.assignment}/${plan.file}: the test process ended abnormally (${
            describeExit(outcome)
          }) after writing its report; its results are kept.`,
        );
      }
    });
    const retries = plans.flatMap((plan) =>
      plan.tests.filter((t) => verdicts.get(plan)!.get(t.name) === undefined)
        .map((test) => ({ plan, test }))
    );
    await pool(retries, options.jobs, async ({ plan, test }) => {
      const run = await timed(plan, test.name);
      verdicts.get(plan)!.set(
        test.name,
        run ? readRun([test], run.outcome, run.context, true).get(test.name)! : outOfTime(options),
      );
    });
    const tests: TestResult[] = [];
    const metrics: Metric[] = [];
    for (const plan of plans) {
      for (const test of plan.tests) {
        const verdict = verdicts.get(plan)!.get(test.name)!;
        const visibility = test.visibility ?? (plan.hidden ? "after_published" : "visible");
        // The leaderboard is public at once: only a visible test's numbers go there.
        if (verdict.status === "passed" && visibility === "visible") {
          for (const metric of verdict.metrics) {
            if (!metrics.some((m) => m.name === metric.name)) metrics.push(metric);
          }
        }
        tests.push({
          assignment: plan.assignment,
          file: plan.file,
          name: test.name,
          task: test.task,
          points: test.points,
          score: verdict.status === "passed" ? test.points : 0,
          status: verdict.status,
          output: verdict.output,
          visibility,
          hidden: plan.hidden,
        });
      }
    }
    const found: Record<string, string[]> = {};
    for (const name of graded) {
      const files = submission.folders.get(name)?.files;
      found[name] = expected[name].filter((file) => files?.has(file));
    }
    return {
      tests: tests.sort(byAssignmentTaskName),
      metrics,
      notes,
      backends: options.backends,
      seconds: (performance.now() - started) / 1000,
      found,
      runs,
    };
  } finally {
    await removeWorkspace(workspace);
  }
}

/**
 * The files of one assignment in a run folder: the course's, with the student's
 * files from the submission where it has them. A submitted copy of a file the
 * course provides is never used (a `train.ts` whose `accuracy()` says 1 would
 * pass the targets), nor anything named like a test file or that would stand
 * where a course file is; files the student added beside theirs (helpers their
 * code imports) are kept. A `.ts` file that is not UTF-8 text is left out.
 *
 * @returns the files, and why each submitted file left out was, in words
 */
export function runFiles(
  starter: ReadonlyMap<string, Uint8Array>,
  studentNames: readonly string[],
  testNames: Iterable<string>,
  submitted: ReadonlyMap<string, Uint8Array>,
): { files: Map<string, Uint8Array>; ignored: string[] } {
  const files = new Map(starter);
  const ignored: string[] = [];
  const courseNames = new Set([...starter.keys(), ...testNames]);
  const provided: string[] = [];
  for (const [path, bytes] of submitted) {
    const top = path.split("/")[0];
    if (path.endsWith(".ts") && !isUtf8(bytes)) {
      ignored.push(
        `${path} is not UTF-8 text, so it was left out${
          studentNames.includes(path) ? " (graded as missing)" : ""
        }: save it as UTF-8 and upload it again.`,
      );
    } else if (studentNames.includes(path)) {
      files.set(path, bytes);
    } else if (starter.has(path)) {
      if (!equalBytes(bytes, starter.get(path)!)) provided.push(path);
    } else if (courseNames.has(top) || path.endsWith("_test.ts")) {
      ignored.push(`${path} was left out: it would stand where a course file or test is.`);
    } else {
      files.set(path, bytes);
    }
  }
  if (provided.length) {
    ignored.push(
      `your ${provided.join(", ")} ${provided.length === 1 ? "differs" : "differ"} from the ` +
        `course's and ${provided.length === 1 ? "was" : "were"} not used: the course provides ` +
        `${provided.length === 1 ? "it" : "them"}, and only the files with TODOs ` +
        `(${studentNames.join(", ")}) are graded from your upload.`,
    );
  }
  return { files, ignored };
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The verdict on a test that the grading had no time left to run. */
function outOfTime(options: GradeOptions): Verdict {
  return {
    status: "not run",
    output: `Not run: the grading's time limit (${options.deadlineMs! / 1000} s in all) came ` +
      `before its turn.`,
    metrics: [],
  };
}

/** How a run ended, in a word or two, for the record of runs. */
function howItEnded(outcome: RunOutcome): string {
  if (outcome.timedOut) return "timed out";
  if (outcome.memoryExceeded) return "out of memory";
  if (outcome.killedBySystem) return "killed by the system";
  if (outcome.code <= 1 && !outcome.signal) return "ok";
  return describeExit(outcome);
}

/** Tests in the order a student works: by assignment, then task, then as the test files list them. */
function byAssignmentTaskName(a: TestResult, b: TestResult): number {
  return a.assignment.localeCompare(b.assignment) || a.task - b.task;
}

/** Runs `plan`'s test file; a run that cannot even be set up ends as a crash of its tests, never of the grader. */
async function runPlan(
  workspace: Workspace,
  plan: Plan,
  options: GradeOptions,
  onlyTest?: string,
): Promise<RunOutcome> {
  try {
    return await runOnce(workspace, plan, options, onlyTest);
  } catch (e) {
    return {
      stdout: "",
      stderr: `error: the grader could not set up this run: ${(e as Error).message}`,
      code: 2,
      signal: null,
      timedOut: false,
      memoryExceeded: false,
      killedBySystem: false,
      wallMs: 0,
      peakMb: 0,
    };
  }
}

function runOnce(
  workspace: Workspace,
  plan: Plan,
  options: GradeOptions,
  onlyTest?: string,
): Promise<RunOutcome> {
  return runSandboxed(workspace, {
    assignment: plan.assignment,
    studentFiles: plan.studentFiles,
    testFiles: new Map([[plan.file, plan.testBytes]]),
    mode: "test",
    testFile: plan.file,
    onlyTest,
    backends: options.backends,
    timeoutMs: options.timeoutMs,
    memoryMb: options.memoryMb,
    threads: options.threads,
  });
}

/** Runs `work` on each item, at most `jobs` at once. */
async function pool<T>(items: readonly T[], jobs: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
}

/** The backends to test on: `GRADLAB_TEST_BACKENDS`, or wasm plus webgpu where there is an adapter. */
export async function backendsHere(): Promise<string[]> {
  const named = Deno.env.get("GRADLAB_TEST_BACKENDS");
  if (named) return named.split(",").map((s) => s.trim()).filter(Boolean);
  const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
  return adapter ? ["wasm", "webgpu"] : ["wasm"];
}

/** Writes `text` to `path` through a temporary file, so a reader never sees half of it. */
async function writeAtomically(path: string, text: string): Promise<void> {
  await Deno.writeTextFile(`${path}.partial`, text);
  await Deno.rename(`${path}.partial`, path);
}

async function main(args: string[]): Promise<number> {
  const flags = parseArgs(args, {
    string: [...GRADE_FLAGS, "out"],
    default: { out: "out/grade", timeout: "900" },
  });
  const out = flags.out!;
  await Deno.mkdir(out, { recursive: true });
  const resultsPath = join(out, "results.json");
  await writeAtomically(
    resultsPath,
    JSON.stringify(emptyResults("Grading started but did not finish."), null, 2) + "\n",
  );
  try {
    if (flags._.length > 1) {
      throw new Error(`Grade one submission at a time; got ${flags._.join(", ")}.`);
    }
    const options: GradeOptions = {
      submission: flags._[0] ?? "assignments",
      ...await gradeOptions(flags),
    };
    console.log(
      `Grading ${options.submission} on ${options.backends.join(" and ")}, ` +
        `${options.jobs} run${options.jobs === 1 ? "" : "s"} at a time, ` +
        `${options.memoryMb} MiB each…`,
    );
    const result = await grade(options);
    await writeAtomically(resultsPath, JSON.stringify(toGradescope(result), null, 2) + "\n");
    await writeAtomically(join(out, "junit.xml"), toJunit(toReportCases(result)));
    console.log(formatTable(result));
    console.log(`Wrote ${resultsPath} and ${join(out, "junit.xml")}.`);
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof SubmissionError) {
      // The upload's problem, not the grader's: a score of 0 that says why.
      await writeAtomically(resultsPath, JSON.stringify(emptyResults(message), null, 2) + "\n");
      console.log(message);
      return 0;
    }
    await writeAtomically(
      resultsPath,
      JSON.stringify(emptyResults(`The grader failed: ${message}`), null, 2) + "\n",
    );
    console.error(`error: ${message}`);
    return 1;
  }
}

/** The flags that say how to grade (all but the submission and `--out`), shared with batch.ts. */
export const GRADE_FLAGS = [
  "assignment",
  "hidden",
  "tests",
  "isolate",
  "timeout",
  "deadline",
  "memory",
  "jobs",
] as const;

/**
 * The grading options that `flags` give (see the module doc), with defaults
 * that fit this machine or container (resources.ts).
 */
export async function gradeOptions(
  flags: Partial<Record<(typeof GRADE_FLAGS)[number], string>>,
): Promise<Omit<GradeOptions, "submission">> {
  const limits = await hostLimits();
  const fit = gradingDefaults(limits);
  const list = (value?: string) => value?.split(",").map((s) => s.trim()).filter(Boolean);
  return {
    assignments: list(flags.assignment),
    hidden: flags.hidden,
    only: list(flags.tests),
    isolate: list(flags.isolate),
    backends: await backendsHere(),
    timeoutMs: 1000 * positive(flags.timeout ?? "900", "--timeout"),
    ...(flags.deadline ? { deadlineMs: 1000 * positive(flags.deadline, "--deadline") } : {}),
    memoryMb: flags.memory ? positive(flags.memory, "--memory") : fit.memoryMb,
    jobs: flags.jobs ? positive(flags.jobs, "--jobs") : fit.jobs,
    threads: flags.jobs ? threadsPerRun(limits.cpus, positive(flags.jobs, "--jobs")) : fit.threads,
  };
}

/** Stops every graded process when the grader is stopped, so none keeps running without it. */
export function stopRunsOnSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    Deno.addSignalListener(signal, () => {
      stopAllRuns();
      Deno.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
    });
  }
}

function toReportCases(result: Grade) {
  return result.tests.map((t) => ({
    suite: `${t.assignment}/${t.file}`,
    name: t.name,
    passed: t.status === "passed",
    message: t.status === "passed" ? undefined : `${t.status}: ${t.output}`,
    output: `score ${t.score} / ${t.points}`,
  }));
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new Error(`${flag} must be a positive number, got "${value}".`);
  return n;
}

const USAGE = `usage: deno task grade [SUBMISSION] [--assignment A,B] [--hidden DIR] [--out DIR]
                       [--tests F,G] [--isolate F,G] [--timeout SECONDS] [--deadline SECONDS]
                       [--memory MB] [--jobs N]

Grades a folder or a .zip/.tar.gz/.tgz/.tar archive (default: assignments/) in a
sandbox; writes results.json and junit.xml to --out (default out/grade).
See grader/README.md.`;

if (import.meta.main) {
  stopRunsOnSignals();
  await runScript(USAGE, main);
}
