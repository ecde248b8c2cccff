/**
 * Decompressing gzip data with the web-standard `DecompressionStream`.
 *
 * Deno's `DecompressionStream("gzip")` reads exactly **one** gzip member:
 * given several members concatenated (what `cat a.gz b.gz` makes, and what
 * GNU `gunzip` happily reads), it fails with "failed to write whole buffer".
 * So a file kept as parts (`name.00.gz`, `name.01.gz`, …) is decompressed part
 * by part and the results are joined; see {@linkcode gunzip}'s callers in
 * `data_file.ts`.
 *
 * @example
 * ```ts
 * import { gunzip } from "./gzip.ts";
 * const text = new TextDecoder().decode(await gunzip(await Deno.readFile("notes.txt.gz")));
 * ```
 * @module
 */

/**
 * Decompresses one gzip member.
 *
 * @param compressed the bytes of a `.gz` file (one member).
 * @returns the decompressed bytes, a Uint8Array of any length.
 * @throws TypeError (from `DecompressionStream`) when the data is not gzip,
 *   is truncated, fails its CRC-32, or holds more than one member.
 */
export async function gunzip(
  compressed: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([compressed]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
