/**
 * Checkpoint files: named tensors and a JSON description in one file, in the
 * safetensors format (the one Hugging Face uses for model weights).
 *
 *     8 bytes   N: the header's length, an unsigned 64-bit little-endian integer
 *     N bytes   the header, JSON in UTF-8, padded with spaces to a multiple of 8:
 *               { "W1": { "dtype": "F32", "shape": [784, 100], "data_offsets": [0, 313600] },
 *                 …,
 *                 "__metadata__": { "gradlab": "<JSON text: format, version, meta>" } }
 *     the rest  every tensor's values, little-endian, at its offsets from here
 *
 * **Safe to read:** the file is parsed as JSON and raw numbers, never run as
 * code (unlike Python's pickle), and every shape and offset is checked
 * against the file's length before a value is read.
 *
 * **Versioned:** the writer names a format and a version (the Solver writes
 * `"gradlab-solver"`, version 1); the reader says which it expects and
 * refuses anything else with a message saying what the file is.
 *
 * Values are stored exactly (float32 as float32), so a checkpoint restores
 * tensors bit for bit.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { readCheckpoint, writeCheckpoint } from "./checkpoint.ts";
 * const path = await Deno.makeTempFile({ suffix: ".safetensors" });
 * const format = { name: "example", version: 1 };
 * await writeCheckpoint(path, { format, meta: { epoch: 3 }, tensors: { w: tf.ones([2, 2]) } });
 * const { meta, tensors } = await readCheckpoint(path, format);
 * console.log(meta.epoch, tensors.w.shape); // 3 [2, 2]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { dirname } from "node:path";
import { readAll } from "./read.ts";

/** Which kind of checkpoint a file holds: the reader must expect the same name and version. */
export interface CheckpointFormat {
  name: string;
  version: number;
}

/** What a checkpoint holds. */
export interface Checkpoint {
  /** anything JSON can hold: numbers (exactly, as JSON keeps doubles), strings, arrays, objects */
  meta: Record<string, unknown>;
  /** named float32 tensors of any shapes */
  tensors: Record<string, tf.Tensor>;
}

const HEADER_LIMIT = 100 * 2 ** 20;

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new Error("lib/checkpoint.ts reads and writes little-endian files: this machine is not.");
}

/**
 * Writes `checkpoint` to `path` (replacing it), in the safetensors format,
 * creating its folder if need be. The file appears complete or not at all:
 * it is written beside `path`, then renamed, so a crash mid-write leaves the
 * previous checkpoint intact.
 *
 * @param path the file to write, e.g. `out/run/checkpoint.safetensors`
 * @param checkpoint format, JSON meta, and float32 tensors of any shapes (none is disposed)
 */
export async function writeCheckpoint(
  path: string,
  checkpoint: Checkpoint & { format: CheckpointFormat },
): Promise<void> {
  const { format, meta, tensors } = checkpoint;
  const names = Object.keys(tensors);
  for (const name of names) {
    if (tensors[name].dtype !== "float32") {
      throw new Error(
        `writeCheckpoint: tensor '${name}' is ${
          tensors[name].dtype
        }; only float32 tensors can be saved.`,
      );
    }
  }
  const values = await readAll(names.map((name) => tensors[name]));
  const header: Record<string, unknown> = {};
  let offset = 0;
  names.forEach((name, i) => {
    const t = tensors[name];
    header[name] = {
      dtype: "F32",
      shape: t.shape,
      data_offsets: [offset, offset + values[i].byteLength],
    };
    offset += values[i].byteLength;
  });
  header.__metadata__ = {
    gradlab: JSON.stringify({ format: format.name, version: format.version, meta }),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const padding = (8 - (headerBytes.length % 8)) % 8;
  const file = new Uint8Array(8 + headerBytes.length + padding + offset);
  new DataView(file.buffer).setBigUint64(0, BigInt(headerBytes.length + padding), true);
  file.set(headerBytes, 8);
  file.fill(0x20, 8 + headerBytes.length, 8 + headerBytes.length + padding);
  let at = 8 + headerBytes.length + padding;
  for (const v of values) {
    file.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), at);
    at += v.byteLength;
  }
  await Deno.mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  await Deno.writeFile(partial, file);
  await Deno.rename(partial, path);
}

/**
 * Reads a checkpoint written by {@linkcode writeCheckpoint}.
 *
 * @param path the file
 * @param expected the format name and version the caller understands
 * @returns the meta and the tensors, shapes and values exactly as written (the caller owns the tensors)
 * @throws Error naming the file and what is wrong with it: not a checkpoint,
 *   another format or version, or truncated or corrupt
 */
export async function readCheckpoint(
  path: string,
  expected: CheckpointFormat,
): Promise<Checkpoint> {
  const bytes = await Deno.readFile(path);
  const fail = (why: string): never => {
    throw new Error(`${path} is not a usable checkpoint: ${why}`);
  };
  if (bytes.length < 8) fail(`it is ${bytes.length} bytes long, too short for a header.`);
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  if (headerLength > HEADER_LIMIT || 8 + headerLength > bytes.length) {
    fail(`its header claims ${headerLength} bytes, but the file has ${bytes.length}.`);
  }
  let header: Record<string, unknown>;
  let description: { format?: unknown; version?: unknown; meta?: unknown };
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(
      bytes.subarray(8, 8 + headerLength),
    ));
    const metadata = header.__metadata__ as { gradlab?: string } | undefined;
    description = JSON.parse(metadata?.gradlab ?? "{}");
  } catch (e) {
    return fail(`its header is not valid JSON (${(e as Error).message}).`);
  }
  if (description.format !== expected.name || description.version !== expected.version) {
    const found = description.format === undefined
      ? "a file without gradlab metadata"
      : `format '${description.format}' version ${description.version}`;
    fail(
      `it holds ${found}, and this code reads format '${expected.name}' version ${expected.version}. ` +
        `Resume with the code that wrote it, or start a new run.`,
    );
  }
  const data = bytes.subarray(8 + headerLength);
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    if (typeof entry !== "object" || entry === null) fail(`tensor '${name}' has no description.`);
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (dtype !== "F32") fail(`tensor '${name}' has dtype ${dtype}; gradlab reads F32 only.`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      fail(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}.`);
    }
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    const [begin, end] = Array.isArray(offsets) ? offsets : [];
    if (
      !Number.isInteger(begin) || begin < 0 || end !== begin + 4 * size || end > data.length
    ) {
      fail(
        `tensor '${name}' [${shape}] should occupy ${4 * size} bytes at offsets ` +
          `${
            JSON.stringify(offsets)
          }, but the data section is ${data.length} bytes: the file is truncated or corrupt.`,
      );
    }
    tensors[name] = tf.tensor(
      new Float32Array(data.slice(begin, end).buffer),
      shape as number[],
      "float32",
    );
  }
  return { meta: (description.meta ?? {}) as Record<string, unknown>, tensors };
}
