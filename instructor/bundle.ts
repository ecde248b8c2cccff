/**
 * `deno task bundle`: the release archives, built and then checked.
 *
 *     deno task bundle                 # every assignment
 *     deno task bundle --assignment 01-backprop,02-cnn
 *
 * writes to `out/release/`:
 *
 * - `gradlab-student.tar.gz` — what students get: `assignments/` (starter,
 *   tests, handouts), `lib/`, `datasets/`, `deno.lock`, a LICENSE if there is
 *   one, and a `deno.json` keeping only the tasks that work without the
 *   instructor's folders, and a README for students (instructor/student_readme.ts:
 *   install, the two commands, where to work, what to submit). No `solutions/`,
 *   `instructor/`, `grader/` (whose test data holds solution code and hidden
 *   tests), `bench/` or `.ci/`; and not the repository's README, which is
 *   written for instructors too (it names their tasks).
 * - `gradlab-solutions.tar.gz` — the reference solutions, to publish after
 *   the deadline: `solutions/` and a README saying how to run them.
 * - `SHA256SUMS` — the two archives' checksums (`sha256sum -c SHA256SUMS`).
 * - `gradescope/NN-name/autograder.zip` and its README — each assignment's
 *   Gradescope autograder (instructor/gradescope.ts), with the hidden tests of
 *   `--hidden DIR`; `classroom/NN-name/` — its GitHub Classroom template
 *   repository (instructor/classroom.ts).
 *
 * Both archives unpack into `gradlab/`, so the solutions unpack into a
 * student's copy. Each carries a manifest of its files' sha256
 * (`gradlab/MANIFEST`, `gradlab/solutions/MANIFEST`; `sha256sum -c MANIFEST`
 * in that folder). The archives are deterministic: the same files give the
 * same bytes.
 *
 * After writing them it reads them back and checks (exit 1 on a problem):
 * each manifest matches its archive; the student archive holds nothing from
 * the instructor's folders, no line of a solution region, and no
 * `deno task NAME` (in a task or a file) that its deno.json lacks; and the
 * student archive type-checks on its own.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "../lib/cli.ts";
import { runScript } from "../lib/script.ts";
import { type ArchiveEntry, readArchive, writeTarGz } from "../grader/archive.ts";
import { assignmentFolders } from "./release.ts";
import { writeClassroomTemplates } from "./classroom.ts";
import { writeAutograders } from "./gradescope.ts";
import { notebookLines } from "./notebooks.ts";
import { findRegions } from "./starter.ts";
import { studentReadme } from "./student_readme.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const TOP = "gradlab";

/** Top-level entries of the repository that students get (when they exist). */
const STUDENT_ROOTS = ["assignments", "lib", "datasets", "deno.json", "deno.lock", ".gitignore"];
/** Folders that never go to students. */
export const INSTRUCTOR_ONLY = ["solutions", "instructor", "grader", "bench", ".ci"];
/** Folders left out of both archives wherever they are. */
const NEVER = new Set(["node_modules", ".cache", "out", ".git"]);
/** Solution lines shorter than this (`}`, `return sum;`) also occur in honest code. */
const SHORTEST_CHECKED_LINE = 16;

/** The two archives and what went into them. */
export interface Bundles {
  student: ArchiveEntry[];
  solutions: ArchiveEntry[];
  /** Tasks of deno.json left out of the student's, each with why. */
  droppedTasks: string[];
}

/** The files of both archives (under `gradlab/`, manifests included), for `assignments`. */
export async function planBundles(assignments: readonly string[]): Promise<Bundles> {
  const student: ArchiveEntry[] = [];
  for (const root of STUDENT_ROOTS) {
    for (const path of await filesUnder(root)) {
      const parts = path.split("/");
      if (parts[0] === "assignments" && !assignments.includes(parts[1])) continue;
      student.push({ path, bytes: await Deno.readFile(join(ROOT, path)) });
    }
  }
  for (const path of await filesUnder(".")) {
    if (!path.includes("/") && /^LICENSE/i.test(path)) {
      student.push({ path, bytes: await Deno.readFile(join(ROOT, path)) });
    }
  }
  student.push({
    path: "README.md",
    bytes: new TextEncoder().encode(await studentReadme(assignments)),
  });
  const config = student.find((e) => e.path === "deno.json")!;
  const { text, dropped } = studentConfig(new TextDecoder().decode(config.bytes));
  config.bytes = new TextEncoder().encode(text);

  const solutions: ArchiveEntry[] = [];
  for (const path of await filesUnder("solutions")) {
    const folder = path.split("/")[1];
    if (/^\d\d-/.test(folder) && !assignments.includes(folder)) continue;
    if (path.endsWith("/mutants.ts")) continue; // the mutant corpus stays with the instructors
    solutions.push({
      path: path.slice("solutions/".length),
      bytes: await Deno.readFile(join(ROOT, path)),
    });
  }
  solutions.push({ path: "README.md", bytes: new TextEncoder().encode(SOLUTIONS_README) });
  return {
    student: await withManifest(student, TOP),
    solutions: await withManifest(solutions, `${TOP}/solutions`),
    droppedTasks: dropped,
  };
}

const SOLUTIONS_README = `# gradlab reference solutions

Unpack this archive where you unpacked gradlab-student.tar.gz: it adds
\`gradlab/solutions/\`. Then, in \`gradlab/\`, run the tests against the
reference code instead of yours:

    deno test --allow-read --allow-env --import-map=solutions/import_map.json

Check the files with \`sha256sum -c MANIFEST\` in this folder.
`;

/**
 * The student's deno.json: tasks that name an instructor-only folder, or run
 * such a task, are left out; so are `exclude` entries under those folders.
 */
export function studentConfig(json: string): { text: string; dropped: string[] } {
  const config = JSON.parse(json);
  const tasks: Record<string, string> = { ...config.tasks };
  const dropped: string[] = [];
  const mentionsInstructorFolder = (command: string) =>
    INSTRUCTOR_ONLY.find((folder) => new RegExp(`(^|[\\s=,'"])${folder}/`).test(command));
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, command] of Object.entries(tasks)) {
      const folder = mentionsInstructorFolder(command);
      const task = [...command.matchAll(/deno task ([\w:-]+)/g)].map((m) => m[1])
        .find((t) => !(t in tasks));
      if (folder || task) {
        dropped.push(`${name} (${folder ? `uses ${folder}/` : `runs ${task}`})`);
        delete tasks[name];
        changed = true;
      }
    }
  }
  config.tasks = tasks;
  if (Array.isArray(config.exclude)) {
    config.exclude = config.exclude.filter((p: string) => !mentionsInstructorFolder(` ${p}`));
    if (config.exclude.length === 0) delete config.exclude;
  }
  return { text: JSON.stringify(config, null, 2) + "\n", dropped };
}

/**
 * The lines of the solution regions in `solutions/`, trimmed, long enough to be telling.
 * A line that provided code also has (outside every region, e.g. a loop header that
 * assignment 2's net and assignment 3's share), or that lib/ or datasets/ has (e.g. a
 * loop over a convolution's output rows), is already in students' hands: not telling.
 */
export async function solutionLines(): Promise<Map<string, string>> {
  const lines = new Map<string, string>();
  const provided = new Set<string>();
  for (const path of await filesUnder("solutions")) {
    if (!path.endsWith(".ts")) continue;
    const source = await Deno.readTextFile(join(ROOT, path));
    const all = source.split("\n");
    const inRegion = new Set<number>();
    for (const { start, end } of findRegions(source, path)) {
      for (let i = start; i <= end; i++) inRegion.add(i);
      all.slice(start + 1, end).forEach((line, i) => {
        if (line.trim().length >= SHORTEST_CHECKED_LINE) {
          lines.set(line.trim(), `${path}:${start + i + 2}`);
        }
      });
    }
    all.forEach((line, i) => inRegion.has(i) || provided.add(line.trim()));
  }
  for (const path of [...await filesUnder("lib"), ...await filesUnder("datasets")]) {
    if (!path.endsWith(".ts")) continue;
    for (const line of (await Deno.readTextFile(join(ROOT, path))).split("\n")) {
      provided.add(line.trim());
    }
  }
  for (const line of provided) lines.delete(line);
  return lines;
}

/** What is wrong with the student archive `files` (paths under `gradlab/`): empty when nothing is. */
export function checkStudentArchive(
  files: readonly ArchiveEntry[],
  solution: ReadonlyMap<string, string>,
): string[] {
  const problems: string[] = [];
  const config = files.find((f) => f.path === `${TOP}/deno.json`);
  const tasks = config
    ? Object.keys(JSON.parse(new TextDecoder().decode(config.bytes)).tasks ?? {})
    : [];
  if (!config) problems.push(`${TOP}/deno.json is missing.`);
  for (const { path, bytes } of files) {
    const inside = path.slice(TOP.length + 1);
    const folder = INSTRUCTOR_ONLY.find((f) => inside.startsWith(`${f}/`));
    if (folder) problems.push(`${path}: ${folder}/ is not for students.`);
    if (/(^|\/)hidden(\/|$)/i.test(inside)) problems.push(`${path}: looks like hidden tests.`);
    // A notebook is checked cell by cell: its JSON quotes each line of code.
    const lines = path.endsWith(".ipynb")
      ? notebookLines(new TextDecoder().decode(bytes)).map(({ line, where }) => ({
        line,
        where: `${path} (${where})`,
      }))
      : new TextDecoder().decode(bytes).split("\n").map((line, i) => ({
        line,
        where: `${path}:${i + 1}`,
      }));
    if (path.endsWith(".md") || path.endsWith(".ipynb")) {
      const folder = path.slice(0, path.lastIndexOf("/") + 1);
      for (const { line } of lines) {
        for (const [, target] of line.matchAll(/\]\(([^)#:\s]+)\)/g)) {
          if (!files.some((f) => f.path === normalize(folder + target))) {
            problems.push(`${path} links to ${target}, which is not in the archive.`);
          }
        }
      }
    }
    for (const { line, where } of lines) {
      const from = solution.get(line.trim());
      if (from) problems.push(`${where} has a line of a solution region (${from}).`);
      for (const [, task] of line.matchAll(/deno task ([\w:-]+)/g)) {
        if (!tasks.includes(task)) {
          problems.push(`${where} mentions \`deno task ${task}\`, which students do not have.`);
        }
      }
    }
  }
  return problems;
}

/** `a/b/../c` → `a/c`. */
function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  return parts.join("/");
}

/** What is wrong with an archive's manifest (`MANIFEST` in folder `top`): empty when nothing is. */
export async function checkManifest(
  files: readonly ArchiveEntry[],
  top: string,
): Promise<string[]> {
  const manifest = files.find((f) => f.path === `${top}/MANIFEST`);
  if (!manifest) return [`${top}/MANIFEST is missing.`];
  const problems: string[] = [];
  const listed = new Map<string, string>();
  for (const line of new TextDecoder().decode(manifest.bytes).split("\n").filter(Boolean)) {
    const [sum, path] = [line.slice(0, 64), line.slice(66)];
    listed.set(`${top}/${path}`, sum);
  }
  for (const { path, bytes } of files) {
    if (path === manifest.path) continue;
    const sum = listed.get(path);
    if (sum === undefined) problems.push(`${path} is not in the manifest.`);
    else if (sum !== await sha256(bytes)) problems.push(`${path} does not match its checksum.`);
    listed.delete(path);
  }
  for (const path of listed.keys()) {
    problems.push(`${path} is in the manifest but not the archive.`);
  }
  return problems;
}

/** `entries` under `top/`, with a `top/MANIFEST` of their sha256 (sha256sum's format). */
async function withManifest(entries: ArchiveEntry[], top: string): Promise<ArchiveEntry[]> {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : 1));
  const lines = await Promise.all(sorted.map(async (e) => `${await sha256(e.bytes)}  ${e.path}\n`));
  return [
    ...sorted.map((e) => ({ path: `${top}/${e.path}`, bytes: e.bytes })),
    { path: `${top}/MANIFEST`, bytes: new TextEncoder().encode(lines.join("")) },
  ];
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Regular files under `path` (a file or folder of the repository), repository-relative, sorted. */
async function filesUnder(path: string): Promise<string[]> {
  const full = join(ROOT, path);
  const stat = await Deno.lstat(full).catch(() => undefined);
  if (!stat) return [];
  if (stat.isFile) return [path];
  if (!stat.isDirectory) return [];
  const out: string[] = [];
  for await (const entry of Deno.readDir(full)) {
    if (NEVER.has(entry.name) || (path === "." && entry.isDirectory)) continue;
    const child = path === "." ? entry.name : `${path}/${entry.name}`;
    out.push(...await filesUnder(child));
  }
  return out.sort();
}

/** Type-checks the unpacked student archive on its own: its imports must not need what it lacks. */
async function typeChecks(files: readonly ArchiveEntry[]): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "gradlab-bundle-" });
  try {
    for (const { path, bytes } of files) {
      await Deno.mkdir(join(dir, path, ".."), { recursive: true });
      await Deno.writeFile(join(dir, path), bytes);
    }
    await Deno.symlink(join(ROOT, "node_modules"), join(dir, TOP, "node_modules"));
    const { code, stderr } = await new Deno.Command("deno", {
      args: ["check", "--quiet", "assignments/", "lib/", "datasets/"],
      cwd: join(dir, TOP),
      stdout: "null",
      stderr: "piped",
    }).output();
    return code === 0 ? [] : [
      `the student archive does not type-check on its own:\n${new TextDecoder().decode(stderr)}`,
    ];
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const USAGE = `usage: deno task bundle [--assignment 01-backprop,…] [--out DIR] [--hidden DIR]

Builds the student and solutions archives in --out (default out/release), each
assignment's Gradescope autograder (gradescope/NN-name/autograder.zip, with the
hidden tests of --hidden) and GitHub Classroom template (classroom/NN-name/), and
checks them; exits 1 on a problem.`;

/**
 * Running a course: each assignment's Gradescope autograder
 * (`OUT/gradescope/NN-name/autograder.zip` and its README) and GitHub
 * Classroom template (`OUT/classroom/NN-name/`). Returns the problems found.
 */
async function writeCourseOperations(
  assignments: readonly string[],
  student: readonly ArchiveEntry[],
  out: string,
  hidden?: string,
): Promise<string[]> {
  const problems = await writeAutograders(assignments, join(out, "gradescope"), hidden);
  await writeClassroomTemplates(assignments, student, join(out, "classroom"));
  console.log(
    `bundle: ${out}/gradescope/NN-name/autograder.zip${
      hidden ? ` (hidden tests from ${hidden})` : ""
    }` +
      ` and ${out}/classroom/NN-name/ for ${assignments.join(", ")}.`,
  );
  return problems;
}

if (import.meta.main) {
  await runScript(USAGE, async (args) => {
    const flags = parseArgs(args, {
      string: ["assignment", "out", "hidden"],
      default: { out: "out/release" },
    });
    const all = await assignmentFolders();
    const assignments = flags.assignment?.split(",").map((s) => s.trim()) ?? all;
    for (const a of assignments) {
      if (!all.includes(a)) {
        console.error(`error: there is no assignment ${a}; solutions/ has ${all.join(", ")}.`);
        return 1;
      }
    }
    const bundles = await planBundles(assignments);
    const out = flags.out!;
    await Deno.mkdir(out, { recursive: true });
    const sums: string[] = [];
    const problems: string[] = [];
    for (
      const [name, entries, top] of [
        ["gradlab-student.tar.gz", bundles.student, TOP],
        ["gradlab-solutions.tar.gz", bundles.solutions, `${TOP}/solutions`],
      ] as const
    ) {
      const bytes = await writeTarGz(entries);
      await Deno.writeFile(join(out, name), bytes);
      sums.push(`${await sha256(bytes)}  ${name}\n`);
      const { files } = await readArchive(bytes, name, {
        maxBytes: 2 ** 30,
        maxEntries: 100_000,
        maxDepth: 64,
        maxPathLength: 4096,
      });
      problems.push(...(await checkManifest(files, top)).map((p) => `${name}: ${p}`));
      if (top === TOP) {
        problems.push(
          ...checkStudentArchive(files, await solutionLines()).map((p) => `${name}: ${p}`),
        );
        problems.push(...(await typeChecks(files)).map((p) => `${name}: ${p}`));
      }
    }
    await Deno.writeTextFile(join(out, "SHA256SUMS"), sums.join(""));
    problems.push(...await writeCourseOperations(assignments, bundles.student, out, flags.hidden));
    console.log(
      `bundle: ${
        assignments.join(", ")
      } → ${out}/gradlab-student.tar.gz (${bundles.student.length} files), ` +
        `gradlab-solutions.tar.gz (${bundles.solutions.length} files), SHA256SUMS.`,
    );
    if (bundles.droppedTasks.length) {
      console.log(`Tasks students do not get: ${bundles.droppedTasks.join(", ")}.`);
    }
    if (problems.length) {
      for (const p of problems) console.error(`problem: ${p}`);
      return 1;
    }
    console.log("bundle: both archives, the autograders and the templates pass their checks.");
  });
}
