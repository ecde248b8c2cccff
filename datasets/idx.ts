/**
 * The IDX file format of MNIST and Fashion-MNIST.
 *
 * An IDX file is a big-endian header, then the values:
 *
 * | bytes | meaning                                                    |
 * | ----- | ---------------------------------------------------------- |
 * | 0–1   | zero                                                       |
 * | 2     | value type: 0x08 = unsigned byte (the only one MNIST uses) |
 * | 3     | number of dimensions d                                     |
 * | 4…    | d sizes, each a 32-bit big-endian integer                  |
 * | then  | the values, row-major                                      |
 *
 * Images are `[count, 28, 28]` (magic 0x00000803), labels `[count]` (0x00000801).
 *
 * @example
 * ```ts
 * import { parseIdx } from "./idx.ts";
 * const { shape, values } = parseIdx(bytes, "t10k-images-idx3-ubyte");
 * // shape [10000, 28, 28]; values: Uint8Array of 7,840,000 pixels (a view into bytes)
 * ```
 * @module
 */

/** An IDX file's dimensions and its unsigned-byte values. */
export interface Idx {
  /** the sizes from the header, e.g. [10000, 28, 28] */
  shape: number[];
  /** the values, row-major: a view into the file's bytes, not a copy */
  values: Uint8Array;
}

/**
 * Parses an IDX file of unsigned bytes.
 *
 * @param bytes the whole (uncompressed) file.
 * @param source names the file in error messages.
 * @throws Error naming `source` if the header is not an unsigned-byte IDX
 *   header, or the file's length does not match the sizes it declares.
 */
export function parseIdx(bytes: Uint8Array, source: string): Idx {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08) {
    throw new Error(
      `${source} is not an unsigned-byte IDX file: it should start with 00 00 08, ` +
        `but starts with ${Array.from(bytes.subarray(0, 3), hex).join(" ")}.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rank = bytes[3];
  const start = 4 + 4 * rank;
  if (bytes.length < start) {
    throw new Error(
      `${source}: its header declares ${rank} sizes, but the file ends at byte ${bytes.length}.`,
    );
  }
  const shape = Array.from({ length: rank }, (_, d) => view.getUint32(4 + 4 * d));
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== start + size) {
    throw new Error(
      `${source}: its header declares shape [${shape}] (${start + size} bytes in all), ` +
        `but the file has ${bytes.length} bytes.`,
    );
  }
  return { shape, values: bytes.subarray(start) };
}

function hex(b: number): string {
  return b.toString(16).padStart(2, "0");
}
