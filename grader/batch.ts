/**
 * `deno task grade:batch`: grades a whole class's submissions into a gradebook.
 *
 *     deno task grade:batch submissions/ --assignment 01-backprop
 *     deno task grade:batch submissions/ --assignment 01-backprop --hidden ../hidden --jobs 2 --out out/batch
 *
 * `submissions/` holds one entry per student, named by student id: a folder
 * (`alice/`) or an archive (`bob.zip`, `carol.tar.gz`). Each is graded as
 * `deno task grade` grades one submission — its own sandbox, its own limits —
 * up to `--jobs` students at once (each one run at a time), and the batch
 * writes:
 *
 * - `OUT/gradebook.csv`: one row per student and assignment — student,
 *   assignment, score, max_score, the points of each task (`task 1`, …),
 *   status, seconds, the submission's sha256;
 * - `OUT/students/<id>/results.json` (Gradescope's format, as `deno task grade`
 *   writes) and `OUT/students/<id>/grading.json` (the row, and what was graded).
 *
 * It is resumable: a student whose grading.json names the same grader version
 * (a hash of the grader, the course's code and tests — not its documentation —,
 * the hidden tests and the options) and the same submission hash is not graded again; re-running a
 * finished batch grades nothing. Stopping it (Ctrl-C) loses only the gradings
 * in progress.
 *
 * Bad input gets a clear status, and the batch goes on: a folder with no
 * submissions, two entries for one student id (neither is graded), an entry
 * that is neither a folder nor an archive, an upload that cannot be read
 * (graded 0, as Gradescope would), a submission without the graded
 * assignment's files, a grading the grader itself could not finish. The exit
 * code is 0 when every submission was graded, 1 when any could not be.
 *
 * Flags: `--out DIR` (default `out/batch`), and those of `deno task grade`
 * (`--assignment`, `--hidden`, `--tests`, `--isolate`, `--timeout`,
 * `--deadline`, `--memory`, `--jobs`); `--jobs` counts students graded at once.
 *
 * @module
 */
import { basename, join } from "node:path";
import { parseArgs } from "../lib/cli.ts";
import { stringify } from "../lib/csv.ts";
import { ProgressBar } from "../lib/progress.ts";
import { runScript } from "../lib/script.ts";
import { ARCHIVE_ENDINGS, isArchiveName, SUBMISSION_LIMITS } from "./archive.ts";
import { grade, GRADE_FLAGS, type GradeOptions, gradeOptions, stopRunsOnSignals } from "./grade.ts";
import { emptyResults, toGradescope } from "./results.ts";
import { COURSE_ROOT } from "./sandbox.ts";
import { SubmissionError } from "./submission.ts";
import { courseAssignments, type Suite } from "./suite.ts";

/** One row of the gradebook. */
export interface GradebookRow {
  student: string;
  assignment: string;
  score: number;
  maxScore: number;
  /** Task number → points earned (published and hidden tests). */
  tasks: Record<number, number>;
  status: string;
  seconds: number;
  submissionSha256: string;
}

/** What a student's grading.json records, to skip the grading next time. */
interface GradingRecord {
  graderVersion: string;
  submissionSha256: string;
  rows: GradebookRow[];
}

/** A student's entry in the submissions folder. */
export interface Entry {
  student: string;
  /** The folder or archive, or undefined when the entry cannot be graded. */
  path?: string;
  /** Why it cannot be graded (duplicate id, not a submission). */
  problem?: string;
}

/** Statuses of a grading that went through (anything else is a problem, exit code 1). */
const GRADED = "graded";
const UNCHANGED = "unchanged since the last run (kept)";

/**
 * The students of the submissions folder `dir`: one entry per id, from a
 * folder or an archive. Hidden files (`.DS_Store`) are ignored; two entries
 * of one id, and entries that are neither, get a problem.
 */
export async function listEntries(dir: string): Promise<Entry[]> {
  const byId = new Map<string, string[]>();
  const entries: Entry[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    const isFolder = entry.isDirectory ||
      (entry.isSymlink && await Deno.stat(path).then((s) => s.isDirectory, () => false));
    if (isFolder || (entry.isFile && isArchiveName(entry.name))) {
      const id = isFolder ? entry.name : stripEnding(entry.name);
      byId.set(id, [...(byId.get(id) ?? []), entry.name]);
    } else {
      entries.push({
        student: entry.name,
        problem: `not a submission: ${entry.name} is neither a folder nor an archive ` +
          `(${ARCHIVE_ENDINGS.join(", ")}); name each student's folder or archive by their id.`,
      });
    }
  }
  for (const [student, names] of byId) {
    if (names.length === 1) entries.push({ student, path: join(dir, names[0]) });
    else {
      entries.push({
        student,
        problem: `duplicate: ${names.sort().join(" and ")} are both student ${student}; ` +
          `keep one and run again (neither was graded).`,
      });
    }
  }
  return entries.sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0));
}

function stripEnding(name: string): string {
  const ending = ARCHIVE_ENDINGS.find((e) => name.toLowerCase().endsWith(e))!;
  return name.slice(0, -ending.length);
}

/**
 * The sha256 of a submission: of an archive's bytes, or of a folder's files
 * (their paths and contents, in order; links are not followed).
 */
export async function submissionSha256(path: string): Promise<string> {
  if ((await Deno.stat(path)).isFile) return sha256(await Deno.readFile(path));
  const parts: Uint8Array[] = [];
  let bytes = 0;
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = await Array.fromAsync(Deno.readDir(dir));
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (bytes > SUBMISSION_LIMITS.maxBytes) return; // too big to grade; the grading says so
      const name = `${rel}${entry.name}`;
      if (entry.isDirectory) await walk(join(dir, entry.name), `${name}/`);
      else if (entry.isFile) {
        const content = await Deno.readFile(join(dir, entry.name));
        bytes += content.length;
        parts.push(new TextEncoder().encode(`${name}\0${content.length}\0`), content);
      }
    }
  };
  await walk(path, "");
  return sha256(concat(parts));
}

/**
 * The grader's version for these options: a hash of everything a grading
 * depends on — the grader, lib/, datasets/, the assignments (starters and
 * tests), the hidden tests, deno.json and deno.lock — and the options that
 * change a score. A change to any of them grades everyone again.
 */
export async function graderVersion(options: Omit<GradeOptions, "submission">): Promise<string> {
  const parts: Uint8Array[] = [];
  const add = async (root: string, rel: string) => {
    const full = join(root, rel);
    const stat = await Deno.stat(full).catch(() => undefined);
    if (stat?.isFile) {
      parts.push(new TextEncoder().encode(`${rel}\0`), await Deno.readFile(full));
    } else if (stat?.isDirectory) {
      const entries = await Array.fromAsync(Deno.readDir(full));
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        // Documentation (handouts, READMEs) changes no score; the grader's test data is not used.
        if (entry.name === "testdata" || entry.name.startsWith(".")) continue;
        if (entry.name.endsWith(".md")) continue;
        await add(root, `${rel}/${entry.name}`);
      }
    }
  };
  for (const path of ["grader", "lib", "datasets", "assignments", "deno.json", "deno.lock"]) {
    await add(COURSE_ROOT, path);
  }
  if (options.hidden) await add(options.hidden, ".");
  const { assignments, only, isolate, backends, timeoutMs, deadlineMs, memoryMb } = options;
  parts.push(new TextEncoder().encode(JSON.stringify({
    assignments,
    only,
    isolate,
    backends,
    timeoutMs,
    deadlineMs,
    memoryMb,
  })));
  return sha256(concat(parts));
}

/** The rows of one student's grading (one per graded assignment), and its results.json. */
async function gradeStudent(
  entry: Entry,
  options: Omit<GradeOptions, "submission">,
  assignments: readonly string[],
  sha: string,
): Promise<{ rows: GradebookRow[]; results: unknown }> {
  const row = (assignment: string, rest: Partial<GradebookRow>): GradebookRow => ({
    student: entry.student,
    assignment,
    score: 0,
    maxScore: 0,
    tasks: {},
    status: GRADED,
    seconds: 0,
    submissionSha256: sha,
    ...rest,
  });
  try {
    const result = await grade({ ...options, submission: entry.path!, jobs: 1 });
    const rows = assignments.map((assignment) => {
      const tests = result.tests.filter((t) => t.assignment === assignment);
      const tasks: Record<number, number> = {};
      for (const t of tests) tasks[t.task] = (tasks[t.task] ?? 0) + t.score;
      const found = result.found[assignment] ?? [];
      return row(assignment, {
        score: tests.reduce((n, t) => n + t.score, 0),
        maxScore: tests.reduce((n, t) => n + t.points, 0),
        tasks,
        status: found.length ? GRADED : `wrong assignment: none of ${assignment}'s files ` +
          `were in the submission, so it was graded as the starter (0)`,
        seconds: Math.round(result.seconds),
      });
    });
    return { rows, results: toGradescope(result) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const status = e instanceof SubmissionError
      ? `bad upload: ${message}`
      : `grader error: ${message.split("\n")[0]}`;
    return {
      rows: assignments.map((a) => row(a, { status })),
      results: emptyResults(
        e instanceof SubmissionError ? message : `The grader failed: ${message}`,
      ),
    };
  }
}

/** Runs the batch; returns the rows of the gradebook (written to `out`), in student order. */
export async function gradeBatch(
  dir: string,
  out: string,
  options: Omit<GradeOptions, "submission">,
  progress = true,
): Promise<GradebookRow[]> {
  const assignments = options.assignments ?? await courseAssignments();
  const entries = await listEntries(dir);
  const version = await graderVersion(options);
  const shared = { ...options, suites: new Map<string, Promise<Suite>>() };
  const rows = new Map<string, GradebookRow[]>();
  const pending: { entry: Entry; sha: string; folder: string }[] = [];
  for (const entry of entries) {
    const problem = (status: string) =>
      assignments.map((assignment) => ({
        student: entry.student,
        assignment,
        score: 0,
        maxScore: 0,
        tasks: {},
        status,
        seconds: 0,
        submissionSha256: "",
      }));
    if (entry.problem) {
      rows.set(entry.student, problem(entry.problem));
      continue;
    }
    const folder = join(out, "students", entry.student);
    let sha: string;
    try {
      sha = await submissionSha256(entry.path!);
    } catch (e) {
      rows.set(entry.student, problem(`unreadable: ${(e as Error).message}`));
      continue;
    }
    const kept = await readRecord(folder);
    if (kept?.graderVersion === version && kept.submissionSha256 === sha) {
      rows.set(
        entry.student,
        kept.rows.map((r) => r.status === GRADED ? { ...r, status: UNCHANGED } : r),
      );
    } else {
      pending.push({ entry, sha, folder });
    }
  }
  const bar = progress && pending.length
    ? new ProgressBar({ total: pending.length, label: "grading" })
    : undefined;
  const started = performance.now();
  let done = 0;
  bar?.update(0, `${entries.length - pending.length} unchanged, ${pending.length} to grade`);
  await pool(pending, options.jobs, async ({ entry, sha, folder }) => {
    const { rows: graded, results } = await gradeStudent(entry, shared, assignments, sha);
    await Deno.mkdir(folder, { recursive: true });
    await writeAtomically(join(folder, "results.json"), JSON.stringify(results, null, 2) + "\n");
    const record: GradingRecord = { graderVersion: version, submissionSha256: sha, rows: graded };
    await writeAtomically(join(folder, "grading.json"), JSON.stringify(record, null, 2) + "\n");
    rows.set(entry.student, graded);
    done++;
    // Seconds per student so far, `jobs` at a time: the time left at the same pace.
    const perStudent = (performance.now() - started) / 1000 / done;
    const eta = Math.round(perStudent * (pending.length - done));
    bar?.update(
      done,
      `${entry.student}: ${graded.map((r) => r.score).join(", ")}; ETA ${clock(eta)}`,
    );
  });
  bar?.finish();
  const all = entries.flatMap((e) => rows.get(e.student)!);
  await Deno.mkdir(out, { recursive: true });
  await writeAtomically(join(out, "gradebook.csv"), gradebookCsv(all));
  return all;
}

/** The gradebook as CSV: a column per task of any graded assignment. */
export function gradebookCsv(rows: readonly GradebookRow[]): string {
  const tasks = [...new Set(rows.flatMap((r) => Object.keys(r.tasks).map(Number)))].sort((a, b) =>
    a - b
  );
  const columns = [
    "student",
    "assignment",
    "score",
    "max_score",
    ...tasks.map((t) => `task ${t}`),
    "status",
    "seconds",
    "submission_sha256",
  ];
  return stringify(
    rows.map((r) => ({
      student: r.student,
      assignment: r.assignment,
      score: r.score,
      max_score: r.maxScore,
      ...Object.fromEntries(tasks.map((t) => [`task ${t}`, r.tasks[t] ?? ""])),
      status: r.status,
      seconds: r.seconds,
      submission_sha256: r.submissionSha256,
    })),
    { columns },
  );
}

/** Whether a row's status counts as graded (exit code 0). */
export function isGraded(row: GradebookRow): boolean {
  return row.status === GRADED || row.status === UNCHANGED;
}

async function readRecord(folder: string): Promise<GradingRecord | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(join(folder, "grading.json")));
  } catch {
    return undefined;
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await Deno.writeTextFile(`${path}.partial`, text);
  await Deno.rename(`${path}.partial`, path);
}

async function pool<T>(items: readonly T[], jobs: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
}

function clock(seconds: number): string {
  return seconds >= 60
    ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`
    : `${seconds}s`;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) (out.set(chunk, at), at += chunk.length);
  return out;
}

async function main(args: string[]): Promise<number> {
  const flags = parseArgs(args, { string: [...GRADE_FLAGS, "out"], default: { out: "out/batch" } });
  if (flags._.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const dir = String(flags._[0]);
  const options = await gradeOptions(flags);
  const entries = await listEntries(dir).catch((e) => {
    throw new Error(`${dir}: cannot read the submissions folder (${(e as Error).message}).`);
  });
  if (entries.length === 0) {
    console.error(
      `${dir} holds no submissions: put one folder or archive per student in it, named by ` +
        `student id (alice/, bob.zip, …).`,
    );
    await Deno.mkdir(flags.out!, { recursive: true });
    await Deno.writeTextFile(join(flags.out!, "gradebook.csv"), gradebookCsv([]));
    return 1;
  }
  console.log(
    `Grading ${entries.length} submissions in ${basename(dir)}/ on ${
      options.backends.join(" and ")
    }, ` +
      `${options.jobs} at a time, ${options.memoryMb} MiB per test process…`,
  );
  const rows = await gradeBatch(dir, flags.out!, options);
  const problems = rows.filter((r) => !isGraded(r));
  for (const r of problems) console.log(`${r.student} (${r.assignment}): ${r.status}`);
  const kept = rows.filter((r) => r.status === UNCHANGED).length;
  console.log(
    `Wrote ${
      join(flags.out!, "gradebook.csv")
    }: ${rows.length} rows, ${kept} unchanged since the ` +
      `last run, ${problems.length} that could not be graded.`,
  );
  return problems.length ? 1 : 0;
}

const USAGE = `usage: deno task grade:batch SUBMISSIONS_DIR [--assignment A,B] [--out DIR]
                             [--hidden DIR] [--tests F,G] [--isolate F,G] [--timeout SECONDS]
                             [--deadline SECONDS] [--memory MB] [--jobs N]

Grades every student's folder or archive in SUBMISSIONS_DIR (named by student id)
into DIR/gradebook.csv (default out/batch) and DIR/students/<id>/results.json;
a second run grades only what changed. See grader/README.md.`;

if (import.meta.main) {
  stopRunsOnSignals();
  await runScript(USAGE, main);
}
