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
 * @example
 * ```ts
 * import { test, BOTH_BACKENDS } from "../../lib/testing.ts";
 * test("reluBackward passes the gradient check", { task: 2, points: 3, backends: BOTH_BACKENDS }, async () => {
 *   // ... assertGradientsMatch(...)
 * });
 * ```
 * @module
 */
import { type Backend, BACKENDS, isAvailable, setupBackend, useBackend } from "./backend.ts";
import { readEnv } from "./env.ts";
import { scopeAsync } from "./memory.ts";

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
}

/** The test name for a graded test: `Task 2: name [5 pts]`. */
export function gradedName(name: string, { task, points }: Graded): string {
  return `Task ${task}: ${name} [${points} pt${points === 1 ? "" : "s"}]`;
}

/** Declares a graded test. `fn` gets the backend it runs on. */
export function test(
  name: string,
  graded: Graded,
  fn: (backend: Backend) => void | Promise<void>,
): void {
  if (!(graded.points > 0)) throw new Error(`"${name}": points must be positive.`);
  Deno.test(gradedName(name, graded), async (t) => {
    if (!graded.backends) {
      const { backend } = await setupBackend();
      await scopeAsync(async () => await fn(backend));
      return;
    }
    let ran = 0;
    for (const backend of graded.backends) {
      const skip = await skipReason(backend);
      if (skip === undefined) ran++;
      await t.step({
        name: backend,
        ignore: skip !== undefined,
        fn: async () => {
          await useBackend(backend);
          await scopeAsync(async () => await fn(backend));
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
