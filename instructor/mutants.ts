/**
 * `deno task mutants`: do the tests catch the mistakes students really make?
 *
 * Each assignment keeps a corpus of realistic wrong answers in
 * `solutions/NN-name/mutants.ts`: small edits of the reference solution, each
 * the kind of slip a student makes (a forgotten ½, a mean over the wrong axis,
 * a gradient that ignores `dout`). This runs the assignment's tests on every
 * mutant and reports those that pass every test — the false passes. The bar
 * is zero.
 *
 *     deno task mutants                          # every assignment's corpus
 *     deno task mutants --assignment 01-backprop  # one
 *
 * A mutant edits a student file (one with solution regions), inside a region,
 * and is run against that file's own unit tests (`layers.ts` → `layers_test.ts`)
 * on WASM: a mistake in a function must be caught by the tests of that
 * function's file, not only by a slow target or by another file's tests. A
 * mutant that the tests catch is "killed"; one that stops the test file from
 * loading is rejected as a typo in the corpus, not counted as caught.
 *
 * Each mutant runs in its own `deno test` process over a copy of the course
 * tree in `out/mutants/`, the solutions standing in for the student's files.
 *
 * @example A corpus
 * ```ts
 * import type { Mutant } from "./mutants.ts";
 * export const MUTANTS: Mutant[] = [{
 *   id: "l2-without-half",
 *   file: "losses.ts",
 *   mistake: "L2 penalty reg·Σw² instead of ½·reg·Σw²",
 *   from: "tf.mul(0.5 * reg, tf.sum(tf.square(w)))",
 *   to: "tf.mul(reg, tf.sum(tf.square(w)))",
 * }];
 * ```
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "../lib/cli.ts";
import { runScript } from "../lib/script.ts";
import { parseJunit } from "../lib/junit.ts";
import { assignmentFolders } from "./release.ts";
import { findRegions } from "./starter.ts";
import { threadsPerRun } from "../grader/resources.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** One realistic wrong answer: an exact edit of a reference solution file. */
export interface Mutant {
  /** Short and unique within the assignment, e.g. `bn-variance-n-minus-1`. */
  id: string;
  /** The student file it edits, in `solutions/NN-name/` (e.g. `layers.ts`). */
  file: string;
  /** The mistake, in a student's terms. */
  mistake: string;
  /** Text of the reference solution, found exactly once and inside a solution region. */
  from: string;
  /** What the student wrote instead. */
  to: string;
}

/** What became of one mutant. */
export interface MutantResult {
  assignment: string;
  mutant: Mutant;
  /** `killed`: a test failed; `survived`: every test passed (a false pass); `broken`: the test file did not load. */
  outcome: "killed" | "survived" | "broken";
  /** The first test that failed, or why the run was broken. */
  detail: string;
  seconds: number;
}

/** The mutant corpus of `assignment`, or `[]` if it has none. */
export async function loadMutants(assignment: string): Promise<Mutant[]> {
  const path = join(ROOT, "solutions", assignment, "mutants.ts");
  try {
    await Deno.stat(path);
  } catch {
    return [];
  }
  const { MUTANTS } = await import(new URL(`file://${path}`).href);
  if (!Array.isArray(MUTANTS)) throw new Error(`${path} must export MUTANTS: Mutant[].`);
  return MUTANTS;
}

/**
 * The mutated source of `mutant`'s file. Throws, naming the mutant, unless
 * `from` occurs exactly once and inside a solution region, and `to` differs.
 */
export function applyMutant(source: string, mutant: Mutant, path: string): string {
  const where = `${path}: mutant "${mutant.id}"`;
  const at = source.indexOf(mutant.from);
  if (mutant.from === "" || at < 0) {
    throw new Error(`${where}: its "from" text is not in the file (was the solution edited?).`);
  }
  if (source.indexOf(mutant.from, at + 1) >= 0) {
    throw new Error(`${where}: its "from" text occurs more than once; quote more of the line.`);
  }
  if (mutant.from === mutant.to) throw new Error(`${where}: "from" and "to" are the same.`);
  const line = source.slice(0, at).split("\n").length - 1;
  const lastLine = line + mutant.from.split("\n").length - 1;
  const inRegion = findRegions(source, path).some((r) => r.start < line && lastLine < r.end);
  if (!inRegion) {
    throw new Error(
      `${where}: its "from" text is outside every solution region; students do not write it.`,
    );
  }
  return source.slice(0, at) + mutant.to + source.slice(at + mutant.from.length);
}

/** The unit-test file of a student file: `layers.ts` → `layers_test.ts`. */
export function testFileOf(file: string): string {
  return file.replace(/\.ts$/, "_test.ts");
}

/**
 * A course tree under `dir` where the solutions stand in for the student's
 * files: `lib/` and `datasets/` link to the course's, every assignment is its
 * solution folder, and `assignment`'s folder is a copy holding its test files
 * and, if given, one mutated file.
 */
async function buildTree(
  dir: string,
  assignment: string,
  mutated?: { file: string; text: string },
): Promise<void> {
  for (const folder of ["lib", "datasets"]) {
    await Deno.symlink(join(ROOT, folder), join(dir, folder));
  }
  await Deno.mkdir(join(dir, "assignments"));
  for (const name of await assignmentFolders()) {
    const target = join(dir, "assignments", name);
    if (name !== assignment) {
      await Deno.symlink(join(ROOT, "solutions", name), target);
      continue;
    }
    await Deno.mkdir(target);
    for await (const entry of Deno.readDir(join(ROOT, "solutions", name))) {
      if (entry.isFile && entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
        await Deno.copyFile(join(ROOT, "solutions", name, entry.name), join(target, entry.name));
      }
    }
    for await (const entry of Deno.readDir(join(ROOT, "assignments", name))) {
      if (entry.isFile && entry.name.endsWith("_test.ts")) {
        await Deno.copyFile(join(ROOT, "assignments", name, entry.name), join(target, entry.name));
      }
    }
    if (mutated) await Deno.writeTextFile(join(target, mutated.file), mutated.text);
  }
}

/**
 * Runs `testFile` of `assignment` in a tree under `dir`, its wasm backend on
 * `threads` threads; its outcome and the first failure.
 */
async function runTests(
  dir: string,
  assignment: string,
  testFile: string,
  timeoutMs: number,
  threads: number,
): Promise<{ outcome: MutantResult["outcome"]; detail: string }> {
  const junitPath = join(dir, "report.xml");
  const child = new Deno.Command("deno", {
    args: [
      "test",
      "--no-check",
      "--allow-read",
      "--allow-env",
      `--junit-path=${junitPath}`,
      join(dir, "assignments", assignment, testFile),
    ],
    cwd: ROOT,
    env: { GRADLAB_TEST_BACKENDS: "wasm", GRADLAB_THREADS: String(threads), NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const { code, signal, stderr } = await child.output();
  clearTimeout(timer);
  if (signal === "SIGKILL") {
    return { outcome: "killed", detail: `timed out after ${timeoutMs / 1000} s` };
  }
  const report = await Deno.readTextFile(junitPath).catch(() => "");
  const cases = parseJunit(report);
  if (cases.length === 0) {
    const error = new TextDecoder().decode(stderr).split("\n").find((l) => l.startsWith("error"));
    return { outcome: "broken", detail: error ?? `exit code ${code}, no test ran` };
  }
  const failed = cases.find((c) => c.outcome !== "passed" && !c.name.includes(" > "));
  if (failed) return { outcome: "killed", detail: failed.name };
  return code === 0
    ? { outcome: "survived", detail: `all ${cases.length} tests of ${testFile} passed` }
    : { outcome: "killed", detail: `exit code ${code}` };
}

/**
 * Runs `assignment`'s corpus, `jobs` mutants at once. Throws if a mutant is
 * malformed, or if the reference solution itself fails one of the test files.
 */
export async function runCorpus(
  assignment: string,
  options: { jobs: number; timeoutMs: number; onResult?: (r: MutantResult) => void },
): Promise<MutantResult[]> {
  const mutants = await loadMutants(assignment);
  const ids = new Set<string>();
  const edits = await Promise.all(mutants.map(async (mutant) => {
    if (ids.has(mutant.id)) throw new Error(`${assignment}: two mutants are named "${mutant.id}".`);
    ids.add(mutant.id);
    const path = `solutions/${assignment}/${mutant.file}`;
    const source = await Deno.readTextFile(join(ROOT, path)).catch(() => {
      throw new Error(`${path}: mutant "${mutant.id}" edits a file that does not exist.`);
    });
    const testFile = testFileOf(mutant.file);
    await Deno.stat(join(ROOT, "assignments", assignment, testFile)).catch(() => {
      throw new Error(`${path}: mutant "${mutant.id}": there is no ${testFile} to run it against.`);
    });
    return { mutant, testFile, text: applyMutant(source, mutant, path) };
  }));
  const scratch = join(ROOT, "out", "mutants");
  await Deno.mkdir(scratch, { recursive: true });
  const work = await Deno.makeTempDir({ dir: scratch, prefix: `${assignment}-` });
  try {
    // The reference must pass every test file the corpus uses, or "killed" means nothing.
    for (const testFile of new Set(edits.map((e) => e.testFile))) {
      const dir = join(work, `reference-${testFile}`);
      await Deno.mkdir(dir);
      await buildTree(dir, assignment);
      const cores = navigator.hardwareConcurrency;
      const { outcome, detail } = await runTests(
        dir,
        assignment,
        testFile,
        options.timeoutMs,
        cores,
      );
      if (outcome !== "survived") {
        throw new Error(`${assignment}: the reference solution fails ${testFile}: ${detail}`);
      }
    }
    const results: MutantResult[] = [];
    // Runs side by side share the cores: more threads than cores only cost start-up time.
    const threads = threadsPerRun(navigator.hardwareConcurrency, options.jobs);
    await pool(edits, options.jobs, async ({ mutant, testFile, text }) => {
      const started = performance.now();
      const dir = join(work, mutant.id);
      await Deno.mkdir(dir);
      await buildTree(dir, assignment, { file: mutant.file, text });
      const run = await runTests(dir, assignment, testFile, options.timeoutMs, threads);
      const result = { assignment, mutant, ...run, seconds: (performance.now() - started) / 1000 };
      results.push(result);
      options.onResult?.(result);
    });
    return results.sort((a, b) => mutants.indexOf(a.mutant) - mutants.indexOf(b.mutant));
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

/** Runs `work` on each item, at most `jobs` at once. */
async function pool<T>(items: readonly T[], jobs: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
}

async function main(args: string[]): Promise<number> {
  const flags = parseArgs(args, {
    string: ["assignment", "jobs", "timeout"],
    default: { timeout: "300" },
  });
  const assignments = flags.assignment?.split(",").map((s) => s.trim()) ??
    (await assignmentFolders());
  const jobs = Number(flags.jobs ?? navigator.hardwareConcurrency);
  const started = performance.now();
  const all: MutantResult[] = [];
  for (const assignment of assignments) {
    const results = await runCorpus(assignment, {
      jobs,
      timeoutMs: 1000 * Number(flags.timeout),
      onResult: (r) =>
        console.log(
          `${r.outcome === "killed" ? "killed  " : r.outcome.toUpperCase()} ${assignment} ` +
            `${r.mutant.id} (${r.mutant.mistake}): ${r.detail} [${r.seconds.toFixed(1)} s]`,
        ),
    });
    all.push(...results);
    const survived = results.filter((r) => r.outcome === "survived").length;
    console.log(
      `${assignment}: ${results.length} mutants, ${survived} false pass${
        survived === 1 ? "" : "es"
      }`,
    );
  }
  const survived = all.filter((r) => r.outcome === "survived");
  const broken = all.filter((r) => r.outcome === "broken");
  console.log(
    `\nmutants: ${all.length} run, ${all.length - survived.length - broken.length} killed, ` +
      `${survived.length} false passes, ${broken.length} broken ` +
      `(${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
  for (const r of [...survived, ...broken]) {
    console.log(`  ${r.outcome}: ${r.assignment}/${r.mutant.file} ${r.mutant.id} — ${r.detail}`);
  }
  return survived.length + broken.length === 0 ? 0 : 1;
}

const USAGE = `usage: deno task mutants [--assignment 01-backprop,…] [--jobs N] [--timeout SECONDS]

Runs each assignment's corpus of realistic wrong answers (solutions/NN-name/mutants.ts)
against the tests; exits 1 if any passes every test of its file.`;

if (import.meta.main) await runScript(USAGE, main);
