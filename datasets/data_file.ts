/**
 * Data-set files: where they are looked for, how they are fetched, and how they are checked.
 *
 * A {@linkcode DataFile} is one original file of a data set (CIFAR-10's
 * `test_batch.bin`, say) with the sha256 of its content. To read it,
 * {@linkcode readDataFile} looks in these folders, in order, and uses the
 * first one that has it:
 *
 * 1. the `dir` option, if given — and then only there;
 * 2. `$GRADLAB_DATA_DIR/<folder>` (CI points this at `shared/datasets`);
 * 3. the cache, `$GRADLAB_CACHE_DIR/<folder>`, by default `<repo>/.cache/datasets/<folder>`;
 * 4. `/usr/share/datasets/<folder>`, where Debian's `dataset-*` packages install;
 * 5. and if none has it, it downloads the file's URL into the cache — only
 *    when the program may reach that host (`--allow-net`), so tests and
 *    graded runs never touch the network.
 *
 * In each folder the file may be plain (`test_batch.bin`), gzipped
 * (`test_batch.bin.gz`), or gzipped in parts that join into it
 * (`test_batch.00.bin.gz`, `test_batch.01.bin.gz`, …, as `shared/datasets`
 * keeps it). Whatever the form, the content is checked against the sha256
 * before it is returned: a truncated, corrupt or wrong file is an error that
 * names it, never a silently wrong data set.
 *
 * @example
 * ```ts
 * import { readDataFile } from "./data_file.ts";
 * import { SHA256 } from "./checksums.ts";
 * const text = new TextDecoder().decode(await readDataFile({
 *   dataset: "Tiny Shakespeare", folder: "tinyshakespeare", name: "input.txt",
 *   sha256: SHA256.tinyshakespeare["input.txt"],
 *   url: "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",
 * }));
 * ```
 * @module
 */
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readEnv } from "../lib/env.ts";
import { sha256Hex } from "./checksums.ts";
import { download } from "./download.ts";
import { gunzip } from "./gzip.ts";
import { tarEntries } from "./tar.ts";

/** One original file of a data set, and where it can be downloaded. */
export interface DataFile {
  /** the data set's name, for messages: `"CIFAR-10"` */
  dataset: string;
  /** its folder in a data directory: `"cifar10"` */
  folder: string;
  /** the original file's name: `"test_batch.bin"` */
  name: string;
  /** sha256 of the original, uncompressed file, 64 hex digits */
  sha256: string;
  /** where to download it: the file, a `.gz` of it, or a `.tar.gz` that holds it */
  url: string;
}

/** Where a data file was found: one file, or gzip parts that join into it. */
export interface Located {
  /** one path (plain or `.gz`), or the parts in order */
  paths: string[];
  /** whether the paths hold gzip data */
  gzip: boolean;
}

/** Where the files of a data set are looked for, and why there. */
interface Place {
  /** the folder, or undefined when its environment variable is not set */
  folder?: string;
  /** why this place is searched, for messages */
  why: string;
}

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const SYSTEM_DIR = "/usr/share/datasets";

/** The cache folder: `$GRADLAB_CACHE_DIR`, or `<repo>/.cache/datasets`. */
function cacheDir(): string {
  return readEnv("GRADLAB_CACHE_DIR") ?? join(REPO_ROOT, ".cache", "datasets");
}

/** Thrown when a data file is in none of the places searched and could not be downloaded. */
export class DataNotFoundError extends Error {
  constructor(file: DataFile, searched: Place[], download: string | undefined) {
    const lines = searched.map((p) => `  - ${p.folder ? `${p.folder} (${p.why})` : p.why}`);
    if (download) lines.push(`  - ${download}`);
    super(
      `${file.dataset}: ${file.name} was not found; run \`deno task data\` to fetch it, or set ` +
        `GRADLAB_DATA_DIR to a folder that holds it.\nSearched, in order:\n${lines.join("\n")}\n` +
        `Each folder may hold ${file.name}, ${file.name}.gz, or its gzip parts ` +
        `${partName(file.name, 0)}, ${partName(file.name, 1)}, …\n` +
        `To fetch it, run with a network connection:  deno task data\n` +
        `or set GRADLAB_DATA_DIR to a folder that holds ${file.folder}/${file.name}.`,
    );
    this.name = "DataNotFoundError";
  }
}

/** Thrown when a data file's content is not what its checksum says. */
export class CorruptDataError extends Error {
  constructor(file: DataFile, paths: string[], problem: string) {
    super(
      `${file.dataset}: ${paths.join(", ")} ${problem}, so it is not the original ` +
        `${file.name} (expected sha256 ${file.sha256}). It is truncated, corrupt, or a ` +
        `different file. Delete it (or replace it with a good copy); \`deno task data\` ` +
        `fetches it again.`,
    );
    this.name = "CorruptDataError";
  }
}

/**
 * Finds `file` (see the module doc for the order), downloading it into the cache if allowed.
 *
 * @param options.dir a folder to use instead of all the others (no download then).
 * @returns where the file is; it has not been checked yet (see {@linkcode readVerified}).
 * @throws DataNotFoundError listing the places searched and the command to fetch it.
 */
export async function locateDataFile(
  file: DataFile,
  options: { dir?: string } = {},
): Promise<Located> {
  const searched = places(file, options.dir);
  for (const { folder } of searched) {
    if (folder === undefined) continue;
    const found = await findIn(folder, file.name);
    if (found) return found;
  }
  if (options.dir !== undefined) throw new DataNotFoundError(file, searched, undefined);
  const problem = await downloadIntoCache(file);
  if (problem !== undefined) throw new DataNotFoundError(file, searched, problem);
  const found = await findIn(join(cacheDir(), file.folder), file.name);
  if (!found) throw new DataNotFoundError(file, searched, `${file.url} does not hold ${file.name}`);
  return found;
}

/**
 * Reads a located file — joining and decompressing gzip parts — and checks its sha256.
 *
 * @returns the original file's bytes.
 * @throws CorruptDataError naming the path(s) and the expected sha256 if a
 *   part cannot be decompressed or the content does not match.
 */
export async function readVerified(
  file: DataFile,
  located: Located,
): Promise<Uint8Array<ArrayBuffer>> {
  const pieces: Uint8Array<ArrayBuffer>[] = [];
  for (const path of located.paths) {
    const bytes = await Deno.readFile(path);
    if (!located.gzip) {
      pieces.push(bytes);
      continue;
    }
    try {
      pieces.push(await gunzip(bytes));
    } catch (e) {
      throw new CorruptDataError(file, [path], `cannot be decompressed (${(e as Error).message})`);
    }
  }
  const content = pieces.length === 1 ? pieces[0] : concat(pieces);
  const actual = await sha256Hex(content);
  if (actual !== file.sha256) {
    throw new CorruptDataError(file, located.paths, `holds data with sha256 ${actual}`);
  }
  return content;
}

/**
 * Finds, reads and checks `file`: {@linkcode locateDataFile} then {@linkcode readVerified}.
 *
 * @param options.dir a folder to use instead of all the others (no download then).
 * @returns the original file's bytes, verified.
 */
export async function readDataFile(
  file: DataFile,
  options: { dir?: string } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  return await readVerified(file, await locateDataFile(file, options));
}

function places(file: DataFile, dir: string | undefined): Place[] {
  if (dir !== undefined) return [{ folder: dir, why: "given as dir" }];
  return [
    dataDirPlace(file),
    { folder: join(cacheDir(), file.folder), why: "the cache; GRADLAB_CACHE_DIR moves it" },
    { folder: join(SYSTEM_DIR, file.folder), why: "system install" },
  ];
}

/** `$GRADLAB_DATA_DIR/<folder>`, or why there is none. */
function dataDirPlace(file: DataFile): Place {
  const dataDir = readEnv("GRADLAB_DATA_DIR");
  if (dataDir) return { folder: join(dataDir, file.folder), why: "GRADLAB_DATA_DIR" };
  const { state } = Deno.permissions.querySync({ name: "env", variable: "GRADLAB_DATA_DIR" });
  return {
    why: state === "granted"
      ? "GRADLAB_DATA_DIR is not set"
      : "GRADLAB_DATA_DIR was not read (it needs --allow-env)",
  };
}

/** The file `name` in `folder`: plain, gzipped, or as gzip parts numbered from 00. */
async function findIn(folder: string, name: string): Promise<Located | undefined> {
  const plain = join(folder, name);
  if (await isFile(plain)) return { paths: [plain], gzip: false };
  if (await isFile(`${plain}.gz`)) return { paths: [`${plain}.gz`], gzip: true };
  const parts: string[] = [];
  for (let i = 0; i < 100 && await isFile(join(folder, partName(name, i))); i++) {
    parts.push(join(folder, partName(name, i)));
  }
  return parts.length > 0 ? { paths: parts, gzip: true } : undefined;
}

/** Part `i` of a file split into gzip parts: `test_batch.bin` → `test_batch.03.bin.gz`. */
function partName(name: string, i: number): string {
  const dot = name.lastIndexOf(".");
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  return `${stem}.${String(i).padStart(2, "0")}${extension}.gz`;
}

/**
 * Downloads `file.url` into the cache (unpacking a `.tar.gz` there).
 * @returns undefined on success, or why nothing was downloaded.
 */
async function downloadIntoCache(file: DataFile): Promise<string | undefined> {
  const url = new URL(file.url);
  if (Deno.permissions.querySync({ name: "net", host: url.host }).state !== "granted") {
    return `not downloaded from ${file.url}: this program may not reach ${url.host} ` +
      `(it needs --allow-net)`;
  }
  const folder = join(cacheDir(), file.folder);
  const dest = join(folder, basename(url.pathname));
  try {
    await download(file.url, dest);
    if (dest.endsWith(".tar.gz")) await unpackTarGz(dest, folder);
  } catch (e) {
    return `fetching ${file.url} failed: ${(e as Error).message}`;
  }
  return undefined;
}

/** Writes every regular file of the archive into `folder` (by its base name), then deletes the archive. */
async function unpackTarGz(archive: string, folder: string): Promise<void> {
  let tar;
  try {
    tar = await gunzip(await Deno.readFile(archive));
  } catch (e) {
    await Deno.remove(archive);
    throw new Error(`${archive} could not be decompressed (${(e as Error).message}); deleted it.`);
  }
  for (const { name, data } of tarEntries(tar, archive)) {
    const dest = join(folder, basename(name));
    await Deno.writeFile(`${dest}.part`, data);
    await Deno.rename(`${dest}.part`, dest);
  }
  await Deno.remove(archive);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

function concat(pieces: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}
