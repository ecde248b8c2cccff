import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "../assert.ts";
import { randn, Rng } from "../random.ts";
import { onStockAndOwn } from "./cpu_reference.ts";
import { tile, tileCopy } from "./tile_copy.ts";

const x = (shape: number[]) => randn(new Rng(3), shape);
const CASES: [string, () => tf.Tensor][] = [
  ["a batch-norm row [1, 256] to [128, 256]", () => tf.tile(x([1, 256]), [128, 1])],
  ["broadcastTo [1, 256] → [128, 256]", () => tf.broadcastTo(x([1, 256]), [128, 256])],
  ["broadcastTo [3, 1, 5] → [2, 3, 4, 5]", () => tf.broadcastTo(x([3, 1, 5]), [2, 3, 4, 5])],
  ["every axis of [2, 3, 4] by [2, 1, 3]", () => tf.tile(x([2, 3, 4]), [2, 1, 3])],
  ["rank 1, odd length", () => tf.tile(x([5]), [7])],
  ["a middle axis of [3, 1, 2] by [1, 4, 1]", () => tf.tile(x([3, 1, 2]), [1, 4, 1])],
  ["reps of 1 (a copy)", () => tf.tile(x([3, 5]), [1, 1])],
  ["an empty axis", () => tf.tile(x([2, 0, 3]), [2, 3, 1])],
  ["int32", () => tf.tile(tf.range(0, 6, 1, "int32").reshape([2, 3]), [3, 2]).toFloat()],
  ["bool", () => tf.tile(tf.tensor2d([[1, 0, 1]]).cast("bool"), [2, 3]).toFloat()],
];

for (const [name, f] of CASES) {
  Deno.test(`Tile equals the stock kernel bit for bit: ${name}`, async () => {
    const [stock, own] = await onStockAndOwn(tileCopy, f);
    assertEquals(own, stock, `tiled values of ${name}`);
  });
}

Deno.test("tile repeats a [1, 2] row into [2, 4], row by row", () => {
  const out = new Float32Array(8);
  tile(Float32Array.of(1, 2), [1, 2], [2, 2], out);
  assertEquals(Array.from(out), [1, 2, 1, 2, 1, 2, 1, 2], "[[1, 2, 1, 2], [1, 2, 1, 2]]");
});

Deno.test("tile keeps each axis's blocks in order: [2, 1] by [1, 3]", () => {
  const out = new Int32Array(6);
  tile(Int32Array.of(7, 8), [2, 1], [1, 3], out);
  assertEquals(Array.from(out), [7, 7, 7, 8, 8, 8], "[[7, 7, 7], [8, 8, 8]]");
});
