/**
 * Reading submission archives (`.zip`, `.tar.gz`, `.tgz`, `.tar`) and writing
 * release bundles (`.tar.gz`), in memory and without external tools.
 *
 * Reading keeps regular files only. A submission is untrusted, so an entry
 * that is a link or a device, or whose path is absolute or climbs out with
 * `..`, is skipped and named in `skipped`; an archive larger than the limits
 * (counted while inflating, not from the sizes it declares) is an error.
 *
 * Writing is deterministic — entries sorted, mtime 0, owner 0, mode 0644 — so
 * the same files give the same bytes and the same checksum.
 *
 * @example
 * ```ts
 * import { readArchive, writeTarGz } from "./archive.ts";
 * const bytes = await writeTarGz([{ path: "a/b.ts", bytes: new TextEncoder().encode("x") }]);
 * const { files } = await readArchive(bytes, "bundle.tar.gz");
 * console.log(files[0].path); // "a/b.ts"
 * ```
 * @module
 */

/** A regular file in an archive: its relative path (`/`-separated) and content. */
export interface ArchiveEntry {
  path: string;
  bytes: Uint8Array;
}

/** What {@linkcode readArchive} found: the regular files, and why anything else was left out. */
export interface ArchiveContents {
  files: ArchiveEntry[];
  skipped: string[];
}

/** How much an archive may unpack to. Each limit applies as entries are read, before any other work. */
export interface ArchiveLimits {
  /** Total bytes of all files, after decompression. */
  maxBytes: number;
  /** Number of entries of any kind. */
  maxEntries: number;
  /** Folders a file may be nested in; deeper files are left out. */
  maxDepth: number;
  /** Characters of a file's path; longer paths are left out. */
  maxPathLength: number;
}

/** Room for a course's worth of code and small outputs, not for data sets. */
export const SUBMISSION_LIMITS: ArchiveLimits = {
  maxBytes: 20 * 2 ** 20,
  maxEntries: 2000,
  maxDepth: 16,
  maxPathLength: 512,
};

/**
 * Why a file at `path` is left out by the depth and length limits, or
 * `undefined` if it is kept. Cheap whatever the path's size.
 */
export function beyondLimits(path: string, limits: ArchiveLimits): string | undefined {
  if (path.length > limits.maxPathLength) {
    return `${clip(path)} (a path longer than ${limits.maxPathLength} characters)`;
  }
  let depth = 0;
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) {
    if (++depth > limits.maxDepth) {
      return `${clip(path)} (nested more than ${limits.maxDepth} folders deep)`;
    }
  }
  return undefined;
}

/** A path cut short enough to quote in a message. */
function clip(path: string): string {
  return path.length > 80 ? `${path.slice(0, 40)}…${path.slice(-30)}` : path;
}

/** The archive kinds {@linkcode readArchive} knows, by file-name ending. */
export const ARCHIVE_ENDINGS = [".zip", ".tar.gz", ".tgz", ".tar"] as const;

/** Whether `name` ends like an archive {@linkcode readArchive} can read. */
export function isArchiveName(name: string): boolean {
  return ARCHIVE_ENDINGS.some((ending) => name.toLowerCase().endsWith(ending));
}

/** Reads the regular files of a `.zip`, `.tar.gz`, `.tgz` or `.tar` archive named `name`. */
export async function readArchive(
  bytes: Uint8Array,
  name: string,
  limits: ArchiveLimits = SUBMISSION_LIMITS,
): Promise<ArchiveContents> {
  const lower = name.toLowerCase();
  if (lower.endsWith(".zip")) return await readZip(bytes, name, limits);
  if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) {
    return readTar(await inflate(bytes, "gzip", limits.maxBytes + 1024 * 1024, name), name, limits);
  }
  if (lower.endsWith(".tar")) return readTar(bytes, name, limits);
  throw new Error(
    `${name}: not an archive the grader reads; give a folder or a ${
      ARCHIVE_ENDINGS.join(", ")
    } file.`,
  );
}

/** Writes a deterministic `.tar.gz` of `entries`. */
export async function writeTarGz(entries: readonly ArchiveEntry[]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (const entry of [...entries].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    parts.push(tarHeader(entry.path, entry.bytes.length), entry.bytes);
    parts.push(new Uint8Array((512 - (entry.bytes.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  return await streamThrough(concat(parts), new CompressionStream("gzip"));
}

/** A path made safe, or `undefined` if it is absolute or leaves its folder. */
function safePath(raw: string): string | undefined {
  const path = raw.replaceAll("\\", "/").replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  if (path === "" || path.startsWith("/") || /^[A-Za-z]:/.test(path)) return undefined;
  const parts = path.split("/");
  if (parts.some((p) => p === ".." || p === "." || p === "")) return undefined;
  return path;
}

class Budget {
  bytes = 0;
  entries = 0;
  constructor(private limits: ArchiveLimits, private name: string) {}
  entry(): void {
    if (++this.entries > this.limits.maxEntries) {
      throw new Error(
        `${this.name}: more than ${this.limits.maxEntries} entries; is it the right archive?`,
      );
    }
  }
  take(size: number): void {
    this.bytes += size;
    if (this.bytes > this.limits.maxBytes) {
      throw new Error(
        `${this.name}: unpacks to more than ${this.limits.maxBytes / 2 ** 20} MiB; ` +
          `submit only your code (no data sets, no node_modules).`,
      );
    }
  }
}

function readTar(tar: Uint8Array, name: string, limits: ArchiveLimits): ArchiveContents {
  const budget = new Budget(limits, name);
  const files: ArchiveEntry[] = [];
  const skipped: string[] = [];
  let longName: string | undefined;
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(text(header, 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156] || 48);
    if (!Number.isFinite(size) || size < 0 || at + 512 + size > tar.length) {
      throw new Error(`${name}: a damaged tar header at byte ${at}.`);
    }
    const body = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = text(body, 0, body.length);
      continue;
    }
    if (type === "x") {
      longName = paxPath(body) ?? longName;
      continue;
    }
    if (type === "g") continue;
    budget.entry();
    const prefix = text(header, 345, 155);
    const raw = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    if (type === "5") continue;
    const tooFar = beyondLimits(raw, limits);
    const path = tooFar ? undefined : safePath(raw);
    if (tooFar) skipped.push(tooFar);
    else if (type !== "0" && type !== "7") skipped.push(`${raw} (not a regular file)`);
    else if (!path) skipped.push(`${raw} (its path leaves the archive's folder)`);
    else {
      budget.take(size);
      files.push({ path, bytes: body.slice() });
    }
  }
  return { files, skipped };
}

function paxPath(body: Uint8Array): string | undefined {
  const records = new TextDecoder().decode(body);
  for (const match of records.matchAll(/\d+ path=([^\n]*)\n/g)) return match[1];
  return undefined;
}

async function readZip(
  zip: Uint8Array,
  name: string,
  limits: ArchiveLimits,
): Promise<ArchiveContents> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${name}: not a zip archive (no end-of-directory record).`);
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  if (count === 0xffff || at === 0xffffffff) {
    throw new Error(`${name}: zip64 archives are not supported; zip your code without -fz.`);
  }
  const budget = new Budget(limits, name);
  const files: ArchiveEntry[] = [];
  const skipped: string[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || view.getUint32(at, true) !== 0x02014b50) {
      throw new Error(`${name}: a damaged zip directory entry.`);
    }
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const packed = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const unixMode = view.getUint32(at + 38, true) >>> 16;
    const local = view.getUint32(at + 42, true);
    const raw = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    budget.entry();
    if (raw.endsWith("/")) continue;
    const tooFar = beyondLimits(raw, limits);
    const path = tooFar ? undefined : safePath(raw);
    const kind = unixMode & 0o170000;
    if (tooFar) skipped.push(tooFar);
    else if (kind !== 0 && kind !== 0o100000) skipped.push(`${raw} (not a regular file)`);
    else if (!path) skipped.push(`${raw} (its path leaves the archive's folder)`);
    else if (flags & 1) skipped.push(`${raw} (encrypted)`);
    else if (method !== 0 && method !== 8) skipped.push(`${raw} (compression method ${method})`);
    else {
      if (local + 30 > zip.length || view.getUint32(local, true) !== 0x04034b50) {
        throw new Error(`${name}: a damaged zip entry for ${raw}.`);
      }
      const start = local + 30 + view.getUint16(local + 26, true) +
        view.getUint16(local + 28, true);
      const data = zip.subarray(start, start + packed);
      const room = limits.maxBytes - budget.bytes;
      const bytes = method === 0 ? data.slice() : await inflate(data, "deflate-raw", room, name);
      budget.take(bytes.length);
      files.push({ path, bytes });
    }
  }
  return { files, skipped };
}

/** Decompresses `data`, stopping with an error past `maxBytes` (a zip bomb stops there). */
async function inflate(
  data: Uint8Array,
  format: CompressionFormat,
  maxBytes: number,
  name: string,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream(format));
  try {
    for await (const chunk of stream) {
      total += chunk.length;
      if (total > maxBytes) {
        throw new Error(
          `${name}: unpacks to more than ${Math.floor(maxBytes / 2 ** 20)} MiB; ` +
            `submit only your code (no data sets, no node_modules).`,
        );
      }
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof Error && e.message.startsWith(name)) throw e;
    throw new Error(`${name}: damaged compressed data (${(e as Error).message}).`);
  }
  return concat(chunks);
}

function tarHeader(path: string, size: number): Uint8Array {
  const header = new Uint8Array(512);
  let [prefix, name] = ["", path];
  if (new TextEncoder().encode(path).length > 100) {
    const cut = path.lastIndexOf("/", 155);
    [prefix, name] = [path.slice(0, cut), path.slice(cut + 1)];
    if (cut < 0 || new TextEncoder().encode(name).length > 100) {
      throw new Error(`${path}: too long a path for a tar archive.`);
    }
  }
  const put = (value: string, at: number, length: number) =>
    header.set(new TextEncoder().encode(value).subarray(0, length), at);
  const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, "0");
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(0, 12), 136, 12);
  put("        ", 148, 8);
  put("0", 156, 1);
  put("ustar\u000000", 257, 8);
  put(prefix, 345, 155);
  const sum = header.reduce((a, b) => a + b, 0);
  put(`${octal(sum, 7)}\u0000`, 148, 8);
  return header;
}

function text(bytes: Uint8Array, at: number, length: number): string {
  const field = bytes.subarray(at, at + length);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}

async function streamThrough(
  data: Uint8Array,
  transform: CompressionStream,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of new Blob([data as BlobPart]).stream().pipeThrough(transform)) {
    chunks.push(chunk);
  }
  return concat(chunks);
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
