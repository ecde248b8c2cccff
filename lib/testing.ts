/**
 * Graded tests: `Deno.test` with a task number, points, and the backends to run on.
 *
 * Each assignment's tests are declared with {@linkcode test}. The name Deno
 * prints carries the task and the points, e.g.
 * `Task 2: affineBackward passes the gradient check [5 pts]`, so a student can
 * run one task with `deno task test --filter "Task 2:"` and the grader can
 * total the points.
 *
 * A test that lists `backends` runs once per backend, as steps of one test:
 * it earns its points only if it passes on all of them. Which backends are
 * tested can be narrowed with `GRADLAB_TEST_BACKENDS=wasm` (comma-separated).
 * Where WebGPU has no adapter, its steps are skipped with a warning, unless
 * `GRADLAB_TEST_BACKENDS` names it, in which case they fail: CI names it.
 *
 * Every test body runs inside {@linkcode scopeAsync}: the tensors it makes
 * are freed when it ends, whether it passes or not.
 *
 * A test body also gets `reportMetric`, for tests whose number goes on the
 * Gradescope leaderboard (test accuracy, perplexity). Only the test body
 * receives it, so the student's code cannot report for it. A metric must be
 * a finite number: reporting NaN fails the test.
 *
 * @example
 * ```ts
 * import { assertGreater } from "../../lib/assert.ts";
 * import { test, BOTH_BACKENDS } from "../../lib/testing.ts";
 * test("reluBackward passes the gradient check", { task: 2, points: 3, backends: BOTH_BACKENDS }, async () => {
 *   // ... assertGradientsMatch(...)
 * });
 * test("the classifier's test accuracy", { task: 7, points: 10 }, async (_backend, reportMetric) => {
 *   const accuracy = 0.91; // ... evaluate the student's model on the test set
 *   await reportMetric("test accuracy", accuracy);
 *   assertGreater(accuracy, 0.85);
 * });
 * ```
 * @module
 */
import { type Backend, BACKENDS, isAvailable, setupBackend, useBackend } from "./backend.ts";
import { readEnv } from "./env.ts";
import { scopeAsync } from "./memory.ts";

/**
 * `Deno.test`, as it was when this module loaded. The grader loads this module
 * before any student code and then withdraws `Deno.test`, so graded tests are
 * declared only through {@linkcode test}.
 */
const registerTest = Deno.test;

/** The backends every gradient test runs on. */
export const BOTH_BACKENDS: readonly Backend[] = ["wasm", "webgpu"];

/** A graded test's label. */
export interface Graded {
  /** The task of the assignment this test belongs to (the `TODO: Implement for Task N` it checks). */
  task: number;
  /** What passing it is worth. An assignment's points add up to 100. */
  points: number;
  /** Run once on each of these; omit to run once on the backend `setupBackend()` picks. */
  backends?: readonly Backend[];
  /**
   * Who sees the result on Gradescope. Omit it: tests in `assignments/` are
   * `visible`, and the grader's hidden tests `after_published`.
   */
  visibility?: Visibility;
}

/** Gradescope's visibility of a test's result to students. */
export type Visibility = "visible" | "hidden" | "after_due_date" | "after_published";

/** A declared graded test: its full name and its label. */
export interface DeclaredTest extends Graded {
  name: string;
}

/**
 * Reports a number for the leaderboard from inside a test: `order` says
 * whether higher (`"desc"`, the default) or lower (`"asc"`) is better.
 * Throws, failing the test, unless `value` is a finite number.
 */
export type ReportMetric = (name: string, value: number, order?: "asc" | "desc") => Promise<void>;

/** The test name for a graded test: `Task 2: name [5 pts]`. */
export function gradedName(name: string, { task, points }: Graded): string {
  return `Task ${task}: ${name} [${points} pt${points === 1 ? "" : "s"}]`;
}

/** The task, points and plain name of a graded test's full name, or `undefined` if it is not one. */
export function parseGradedName(
  fullName: string,
): { task: number; points: number; name: string } | undefined {
  const match = fullName.match(/^Task (\d+): (.*) \[(\d+(?:\.\d+)?) pts?\]$/s);
  return match ? { task: Number(match[1]), name: match[2], points: Number(match[3]) } : undefined;
}

const declared: DeclaredTest[] = [];

/** The graded tests declared so far in this process, in order. The grader lists a suite with it. */
export function declaredTests(): readonly DeclaredTest[] {
  return declared;
}

/** Declares a graded test. `fn` gets the backend it runs on, and {@linkcode ReportMetric}. */
export function test(
  name: string,
  graded: Graded,
  fn: (backend: Backend, reportMetric: ReportMetric) => void | Promise<void>,
): void {
  if (!(graded.points > 0)) throw new Error(`"${name}": points must be positive.`);
  const fullName = gradedName(name, graded);
  declared.push({ ...graded, name: fullName });
  registerTest(fullName, async (t) => {
    if (!graded.backends) {
      const { backend } = await setupBackend();
      await scopeAsync(async () => await fn(backend, metricReporter(t)));
      return;
    }
    let ran = 0;
    for (const backend of graded.backends) {
      const skip = await skipReason(backend);
      if (skip === undefined) ran++;
      await t.step({
        name: backend,
        ignore: skip !== undefined,
        fn: async (step) => {
          await useBackend(backend);
          await scopeAsync(async () => await fn(backend, metricReporter(step)));
        },
      });
    }
    if (ran === 0) {
      throw new Error(
        `None of this test's backends (${graded.backends.join(", ")}) can run here, ` +
          `so it cannot pass: check GRADLAB_TEST_BACKENDS and the WebGPU driver.`,
      );
    }
  });
}

/** The step name that carries a metric: `metric "test accuracy" = 0.91 (higher is better)`. */
export function metricStepName(name: string, value: number, order: "asc" | "desc"): string {
  return `metric ${JSON.stringify(name)} = ${value} (${
    order === "asc" ? "lower" : "higher"
  } is better)`;
}

/** A metric is reported as an empty step of the running test, which the grader reads back. */
function metricReporter(t: Deno.TestContext): ReportMetric {
  return async (name, value, order = "desc") => {
    if (typeof name !== "string" || name === "") {
      throw new Error(`reportMetric: the metric needs a name, got ${JSON.stringify(name)}.`);
    }
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new Error(
        `reportMetric("${name}"): the value must be a finite number, got ${value}. ` +
          `A NaN or infinite metric usually means training diverged.`,
      );
    }
    if (order !== "asc" && order !== "desc") {
      throw new Error(`reportMetric("${name}"): order must be "asc" or "desc", got ${order}.`);
    }
    await t.step(metricStepName(name, value, order), () => {});
  };
}

/** The backends GRADLAB_TEST_BACKENDS names, or `undefined` if it is unset. Throws on an unknown name. */
function testBackends(): Backend[] | undefined {
  const value = readEnv("GRADLAB_TEST_BACKENDS");
  if (value === undefined) return undefined;
  const names = value.split(",").map((s) => s.trim());
  const unknown = names.filter((n) => !(BACKENDS as readonly string[]).includes(n));
  if (unknown.length || names.length === 0) {
    throw new Error(
      `GRADLAB_TEST_BACKENDS="${value}" names no backend or an unknown one (${
        unknown.join(", ")
      }): ` +
        `use a comma-separated list of ${BACKENDS.join(", ")}.`,
    );
  }
  return names as Backend[];
}

const warned = new Set<Backend>();

/** Why `backend`'s steps are skipped here, or `undefined` to run them. */
async function skipReason(backend: Backend): Promise<string | undefined> {
  const wanted = testBackends();
  if (wanted && !wanted.includes(backend)) return "not in GRADLAB_TEST_BACKENDS";
  if (await isAvailable(backend)) return undefined;
  if (wanted) {
    throw new Error(
      `GRADLAB_TEST_BACKENDS asks for ${backend}, but it is not available here ` +
        `(no WebGPU adapter: install mesa-vulkan-drivers).`,
    );
  }
  if (!warned.has(backend)) {
    warned.add(backend);
    console.warn(
      `warning: no WebGPU adapter, so the webgpu steps are skipped. ` +
        `Install mesa-vulkan-drivers (Linux) to run them as the grader will.`,
    );
  }
  return "unavailable";
}
