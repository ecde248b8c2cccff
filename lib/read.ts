/**
 * Reading tensors back to JavaScript, asynchronously.
 *
 * On the WebGPU backend every read is a round trip to the GPU (about 12 ms in
 * Deno, whatever the size), and synchronous reads crash. So reads are async,
 * and {@linkcode readAll} fetches several tensors in one round trip.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { readAll, readScalar } from "./read.ts";
 * const loss = await readScalar(tf.scalar(2.5));          // 2.5
 * const [a, b] = await readAll([tf.ones([2]), tf.zeros([3])]); // Float32Array [1,1], [0,0,0]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** The single value of a one-element tensor, as a number. Throws if `t` holds more than one value. */
export async function readScalar(t: tf.Tensor): Promise<number> {
  if (t.size !== 1) {
    throw new Error(
      `readScalar expects a tensor with one value, got shape [${t.shape}] (${t.size} values). ` +
        `Reduce it first (e.g. tf.mean) or read it with readAll.`,
    );
  }
  return (await t.data())[0];
}

/**
 * The values of several tensors, flattened row-major, fetched in one device
 * round trip. Each result is a Float32Array (int32 and bool tensors are cast).
 *
 * @param tensors tensors of any shapes; none is disposed.
 * @returns one Float32Array per tensor, of length `tensors[i].size`.
 */
export async function readAll(tensors: readonly tf.Tensor[]): Promise<Float32Array[]> {
  if (tensors.length === 0) return [];
  const flat = tf.tidy(() => tf.concat(tensors.map((t) => t.cast("float32").reshape([-1]))));
  const values = (await flat.data()) as Float32Array;
  flat.dispose();
  const out: Float32Array[] = [];
  let offset = 0;
  for (const t of tensors) {
    out.push(values.slice(offset, offset + t.size));
    offset += t.size;
  }
  return out;
}
