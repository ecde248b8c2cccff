/**
 * The trusted suite of an assignment: the grader's own pristine test files
 * (plus hidden ones) and the list of graded tests with their points, backends
 * and visibility.
 *
 * The list comes from importing the pristine test files beside the pristine
 * starter (grader/list.ts, in a sandbox) — never from a run of student code —
 * so a submission can neither add tests nor change what they are worth.
 *
 * @example
 * ```ts
 * import { loadSuite } from "./suite.ts";
 * import { createWorkspace } from "./sandbox.ts";
 * const suite = await loadSuite(await createWorkspace(), "01-backprop", {
 *   backends: ["wasm"], timeoutMs: 60_000, memoryMb: 2048,
 * });
 * console.log(suite.testFiles.get("gates_test.ts")!.tests.map((t) => t.points)); // [2, 2, …]
 * ```
 * @module
 */
import { join } from "node:path";
import { COURSE_ROOT, runSandboxed, type Workspace } from "./sandbox.ts";
import type { ExpectedTest } from "./verdict.ts";

/** One test file of a suite. */
export interface SuiteFile {
  bytes: Uint8Array;
  /** Whether it came from the hidden-tests folder. */
  hidden: boolean;
  tests: ExpectedTest[];
}

/** An assignment's pristine test files and graded tests. */
export interface Suite {
  assignment: string;
  /** Test file name → its content and tests, public files first. */
  testFiles: Map<string, SuiteFile>;
}

/** How to list: where hidden tests are, and the limits of the listing process. */
export interface SuiteOptions {
  hidden?: string;
  backends: readonly string[];
  timeoutMs: number;
  memoryMb: number;
}

/** The course's assignment folders (`01-backprop`, …), sorted. */
export async function courseAssignments(): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(join(COURSE_ROOT, "assignments"))) {
    if (entry.isDirectory && /^\d\d-/.test(entry.name)) names.push(entry.name);
  }
  return names.sort();
}

/** The starter files (everything but tests) of every assignment: assignment → file name → content. */
export async function courseStarters(): Promise<Map<string, Map<string, Uint8Array>>> {
  const starters = new Map<string, Map<string, Uint8Array>>();
  for (const assignment of await courseAssignments()) {
    const dir = join(COURSE_ROOT, "assignments", assignment);
    const files = new Map<string, Uint8Array>();
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && !entry.name.endsWith("_test.ts")) {
        files.set(entry.name, await Deno.readFile(join(dir, entry.name)));
      }
    }
    starters.set(assignment, files);
  }
  return starters;
}

/**
 * The line the starter puts where a student writes code (instructor/starter.ts
 * writes it; instructor/starter_test.ts checks the two agree).
 */
export const TODO_LINE = /^\s*\/\/ TODO: Implement for Task \d+\.$/m;

/**
 * The student files of a starter: those with a TODO. Every other file is
 * provided by the course, and the grader always takes the course's.
 */
export function studentFileNames(starter: ReadonlyMap<string, Uint8Array>): string[] {
  return [...starter].filter(([name, bytes]) =>
    name.endsWith(".ts") && TODO_LINE.test(new TextDecoder().decode(bytes))
  ).map(([name]) => name).sort();
}

/** Reads `assignment`'s pristine test files (and hidden ones) and lists its graded tests. */
export async function loadSuite(
  workspace: Workspace,
  assignment: string,
  options: SuiteOptions,
): Promise<Suite> {
  const dir = join(COURSE_ROOT, "assignments", assignment);
  const tests = new Map<string, Uint8Array>();
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith("_test.ts")) {
        tests.set(entry.name, await Deno.readFile(join(dir, entry.name)));
      }
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      const known = (await courseAssignments()).join(", ");
      throw new Error(`There is no assignment ${assignment}; the course has ${known}.`);
    }
    throw e;
  }
  const hidden = options.hidden ? await readHidden(options.hidden, assignment, tests) : new Map();
  const listing = await listTests(
    workspace,
    assignment,
    await courseStarters(),
    new Map([...tests, ...hidden]),
    options,
  );
  const testFiles = new Map<string, SuiteFile>();
  for (const [name, bytes] of [...tests, ...hidden]) {
    testFiles.set(name, { bytes, hidden: hidden.has(name), tests: listing.get(name) ?? [] });
  }
  return { assignment, testFiles };
}

/** The hidden test files of `assignment`: `root/<assignment>/*_test.ts`. */
async function readHidden(
  root: string,
  assignment: string,
  tests: ReadonlyMap<string, Uint8Array>,
): Promise<Map<string, Uint8Array>> {
  const dir = join(root, assignment);
  const hidden = new Map<string, Uint8Array>();
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return hidden;
    throw e;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isFile || !entry.name.endsWith("_test.ts")) {
      throw new Error(
        `${join(dir, entry.name)}: a hidden-tests folder holds only *_test.ts files.`,
      );
    }
    if (tests.has(entry.name)) {
      throw new Error(
        `${join(dir, entry.name)}: assignments/${assignment} has a test file of that name; ` +
          `rename the hidden one.`,
      );
    }
    hidden.set(entry.name, await Deno.readFile(join(dir, entry.name)));
  }
  return hidden;
}

/** The graded tests of each test file, from the pristine tests imported beside the pristine starter. */
async function listTests(
  workspace: Workspace,
  assignment: string,
  starters: ReadonlyMap<string, ReadonlyMap<string, Uint8Array>>,
  testFiles: ReadonlyMap<string, Uint8Array>,
  options: SuiteOptions,
): Promise<Map<string, ExpectedTest[]>> {
  const outcome = await runSandboxed(workspace, {
    assignment,
    studentFiles: starters,
    testFiles,
    mode: "list",
    backends: options.backends,
    timeoutMs: options.timeoutMs,
    memoryMb: options.memoryMb,
  });
  let listed: { file: string; tests: ExpectedTest[] }[];
  try {
    if (outcome.code !== 0) throw new Error();
    listed = JSON.parse(outcome.stdout);
  } catch {
    throw new Error(
      `Could not list the tests of ${assignment} (its test files beside the starter):\n${outcome.stderr}`,
    );
  }
  const byFile = new Map<string, ExpectedTest[]>();
  const seen = new Set<string>();
  for (const { file, tests } of listed) {
    for (const test of tests) {
      if (seen.has(test.name)) {
        throw new Error(`${assignment}: two tests are named "${test.name}".`);
      }
      seen.add(test.name);
    }
    byFile.set(decodeURIComponent(file.slice(file.lastIndexOf("/") + 1)), tests);
  }
  return byFile;
}
