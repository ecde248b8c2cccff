/**
 * A submission: the student's files for each assignment, found in a folder or
 * an archive, whatever its layout.
 *
 * The files of assignment `01-backprop` are those of the shallowest folder
 * named `01-backprop` (`assignments/01-backprop/`, `01-backprop/`,
 * `my-repo/assignments/01-backprop/`, …). When one assignment is graded and
 * no folder has its name, a folder holding its files by name will do: the
 * flat upload Gradescope makes of `layers.ts`, `losses.ts`, ….
 *
 * Only regular files are read (no links), test files (`*_test.ts`) are left
 * out because the grader brings its own, and the whole submission must fit
 * {@linkcode SUBMISSION_LIMITS}.
 *
 * @example
 * ```ts
 * import { loadSubmission } from "./submission.ts";
 * const submission = await loadSubmission("hw1.zip", { "01-backprop": ["gates.ts", "layers.ts"] });
 * console.log([...submission.folders.get("01-backprop")!.files.keys()]); // ["gates.ts", "layers.ts"]
 * ```
 * @module
 */
import { basename, join, relative } from "node:path";
import {
  type ArchiveEntry,
  beyondLimits,
  isArchiveName,
  readArchive,
  SUBMISSION_LIMITS,
} from "./archive.ts";

/**
 * A problem with the upload itself — not an archive, damaged, too big — as
 * opposed to the grader's own: it is graded 0 with this message for the
 * student, and the grader still exits 0 (it did its job).
 */
export class SubmissionError extends Error {
  override name = "SubmissionError";
}

/** One assignment's files in a submission. */
export interface StudentFolder {
  /** Where they were found, relative to the submission (`""` for its top). */
  from: string;
  /** File path within the assignment folder → content. */
  files: Map<string, Uint8Array>;
}

/** What was found for each assignment, and what is worth telling about the rest. */
export interface Submission {
  /** Assignment name → its files; an assignment absent from the submission is absent here. */
  folders: Map<string, StudentFolder>;
  /** Entries that were left out, and student files that are missing, in words. */
  notes: string[];
}

/** Entries left out that are named one by one; the rest are counted. */
const MAX_NOTED = 20;

/** The files of an uploaded archive; any problem with it is a {@linkcode SubmissionError}. */
async function readUpload(path: string) {
  const name = basename(path);
  if (!isArchiveName(name)) {
    throw new SubmissionError(
      `Your upload ${name} is not an archive the grader reads: upload a .zip, .tar.gz, .tgz ` +
        `or .tar of your assignment folder, or the files themselves.`,
    );
  }
  const bytes = await Deno.readFile(path);
  const kind = name.toLowerCase().endsWith(".zip") ? "zip" : "tar";
  if (bytes.length === 0) throw new SubmissionError(`Your upload ${name} is empty (0 bytes).`);
  try {
    return await readArchive(bytes, name);
  } catch (e) {
    throw new SubmissionError(
      `Your upload ${name} is not a valid ${kind} archive: ${(e as Error).message} ` +
        `Make the archive again and upload it.`,
    );
  }
}

/** Folders never taken from a submission. */
const IGNORED_FOLDERS = new Set(["node_modules", ".git", ".cache", "out"]);

/**
 * Finds each assignment's files in the folder or archive at `path`.
 *
 * @param expected assignment name → the names of its student files (from the starter)
 * @param graded the assignments being graded (default: all of `expected`). Only these
 *   get notes about what is missing, and a flat upload counts only when one is graded;
 *   the others are looked for so that a graded assignment can import them.
 */
export async function loadSubmission(
  path: string,
  expected: Record<string, readonly string[]>,
  graded: readonly string[] = Object.keys(expected),
): Promise<Submission> {
  let stat;
  try {
    stat = await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`${path}: no such file or folder to grade.`);
    }
    throw e;
  }
  let { files, skipped } = stat.isDirectory ? await readFolder(path) : await readUpload(path);
  const notes = skipped.slice(0, MAX_NOTED).map((s) => `left out ${s}`);
  if (skipped.length > MAX_NOTED) notes.push(`left out ${skipped.length - MAX_NOTED} more entries`);
  const ignored = files.filter((f) => f.path.split("/").some((part) => IGNORED_FOLDERS.has(part)));
  for (
    const folder of new Set(
      ignored.map((f) => f.path.split("/").find((p) => IGNORED_FOLDERS.has(p))),
    )
  ) {
    notes.push(`left out every ${folder}/ folder`);
  }
  files = files.filter((f) => !ignored.includes(f));
  const folders = new Map<string, StudentFolder>();
  const names = Object.keys(expected);
  for (const assignment of names) {
    const isGraded = graded.includes(assignment);
    const from = assignmentFolder(
      files,
      assignment,
      isGraded && graded.length === 1 ? expected[assignment] : [],
    );
    if (from === undefined) {
      if (isGraded) notes.push(`${assignment}: no folder of that name in the submission.`);
      continue;
    }
    const prefix = from === "" ? "" : `${from}/`;
    const mine = new Map<string, Uint8Array>();
    for (const { path: p, bytes } of files) {
      if (p.startsWith(prefix) && !p.endsWith("_test.ts")) mine.set(p.slice(prefix.length), bytes);
    }
    for (const name of expected[assignment]) {
      if (isGraded && !mine.has(name)) {
        notes.push(`${assignment}: ${name} is missing from the submission.`);
      }
    }
    folders.set(assignment, { from, files: mine });
  }
  return { folders, notes };
}

/**
 * The folder holding `assignment`: the shallowest one of that name, preferring
 * `…/assignments/<name>`; else, if `byName` is given, the shallowest folder
 * that directly holds one of those files.
 */
function assignmentFolder(
  files: readonly ArchiveEntry[],
  assignment: string,
  byName: readonly string[],
): string | undefined {
  const folders = new Set<string>();
  for (const { path } of files) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
  }
  const depth = (f: string) => (f === "" ? 0 : f.split("/").length);
  const shallowest = (candidates: string[]) =>
    candidates.sort((a, b) =>
      depth(a) - depth(b) || Number(!a.endsWith(`assignments/${assignment}`)) -
        Number(!b.endsWith(`assignments/${assignment}`)) ||
      (a < b ? -1 : 1)
    )[0];
  const named = [...folders].filter((f) => basename(f) === assignment);
  if (named.length) return shallowest(named);
  const holding = ["", ...folders].filter((folder) =>
    byName.some((name) => files.some((f) => f.path === (folder ? `${folder}/${name}` : name)))
  );
  return holding.length ? shallowest(holding) : undefined;
}

/** The regular files under `root`, within the submission limits (applied before reading). */
async function readFolder(root: string): Promise<{ files: ArchiveEntry[]; skipped: string[] }> {
  const files: ArchiveEntry[] = [];
  const skipped: string[] = [];
  let bytes = 0;
  let entriesSeen = 0;
  const walk = async (dir: string): Promise<void> => {
    const entries = [];
    for await (const entry of Deno.readDir(dir)) {
      if (++entriesSeen > SUBMISSION_LIMITS.maxEntries) {
        throw new SubmissionError(
          `${root}: more than ${SUBMISSION_LIMITS.maxEntries} entries; ` +
            `submit your assignment folder, not a whole disk.`,
        );
      }
      entries.push(entry);
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      const rel = relative(root, path).replaceAll("\\", "/");
      const tooFar = beyondLimits(entry.isDirectory ? `${rel}/` : rel, SUBMISSION_LIMITS);
      if (tooFar) {
        skipped.push(tooFar);
      } else if (entry.isDirectory) {
        if (!IGNORED_FOLDERS.has(entry.name)) await walk(path);
      } else if (!entry.isFile) {
        skipped.push(`${rel} (not a regular file)`);
      } else {
        bytes += (await Deno.lstat(path)).size;
        if (bytes > SUBMISSION_LIMITS.maxBytes || files.length >= SUBMISSION_LIMITS.maxEntries) {
          throw new SubmissionError(
            `${root}: more than ${SUBMISSION_LIMITS.maxBytes / 2 ** 20} MiB or ` +
              `${SUBMISSION_LIMITS.maxEntries} files; grade the assignments folder, not a whole disk.`,
          );
        }
        files.push({ path: rel, bytes: await Deno.readFile(path) });
      }
    }
  };
  await walk(root);
  return { files, skipped };
}
