/**
 * Reading the files out of a tar archive (enough for CIFAR-10's `.tar.gz`).
 *
 * A tar archive is a sequence of 512-byte blocks. Each file is one header
 * block followed by its data, padded to a whole block; two zero blocks end
 * the archive. The header fields used here (POSIX ustar):
 *
 * | offset | length | field                                            |
 * | ------ | ------ | ------------------------------------------------ |
 * | 0      | 100    | name (NUL-terminated)                            |
 * | 124    | 12     | size in bytes, octal ASCII                       |
 * | 148    | 8      | checksum: sum of the header's bytes, this field counted as spaces |
 * | 156    | 1      | type: `0` (or NUL) regular file, `5` folder, …   |
 * | 345    | 155    | name prefix (ustar), joined to the name with `/` |
 *
 * Only regular files are returned; folders, links and extended headers (pax,
 * GNU long names) are skipped.
 *
 * @example
 * ```ts
 * import { gunzip } from "./gzip.ts";
 * import { tarEntries } from "./tar.ts";
 * const tar = await gunzip(await Deno.readFile("cifar-10-binary.tar.gz"));
 * for (const { name, data } of tarEntries(tar, "cifar-10-binary.tar.gz")) {
 *   console.log(name, data.length); // "cifar-10-batches-bin/data_batch_1.bin" 30730000, …
 * }
 * ```
 * @module
 */

const BLOCK = 512;

/** One regular file in a tar archive. */
export interface TarEntry {
  /** its path inside the archive, e.g. `cifar-10-batches-bin/test_batch.bin` */
  name: string;
  /** its bytes: a view into the archive, not a copy */
  data: Uint8Array;
}

/**
 * The regular files of an uncompressed tar archive, in archive order.
 *
 * @param tar the archive's bytes.
 * @param source names the archive in error messages (a path or URL).
 * @throws Error naming `source` if a header fails its checksum (the data is
 *   not tar, or is corrupt) or a file runs past the end (it is truncated).
 */
export function* tarEntries(tar: Uint8Array, source: string): Generator<TarEntry> {
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return; // end-of-archive marker
    if (headerChecksum(header) !== readOctal(header, 148, 8)) {
      throw new Error(
        `${source} is not a valid tar archive: the header at byte ${offset} fails its checksum. ` +
          `The file is corrupt or not a tar file; delete it and fetch it again.`,
      );
    }
    const size = readOctal(header, 124, 12);
    const dataStart = offset + BLOCK;
    if (dataStart + size > tar.length) {
      throw new Error(
        `${source} is truncated: a file of ${size} bytes at byte ${dataStart} runs past ` +
          `the end of the archive (${tar.length} bytes). Delete it and fetch it again.`,
      );
    }
    const type = String.fromCharCode(header[156]);
    if (type === "0" || type === "\0") {
      const name = readString(header, 0, 100);
      const prefix = readString(header, 345, 155);
      yield {
        name: prefix ? `${prefix}/${name}` : name,
        data: tar.subarray(dataStart, dataStart + size),
      };
    }
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
}

/** The sum of a header's bytes, with its checksum field (bytes 148–155) counted as spaces. */
function headerChecksum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  return sum;
}

function readOctal(header: Uint8Array, start: number, length: number): number {
  return parseInt(readString(header, start, length).trim() || "0", 8);
}

function readString(header: Uint8Array, start: number, length: number): string {
  const field = header.subarray(start, start + length);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end === -1 ? field : field.subarray(0, end));
}
