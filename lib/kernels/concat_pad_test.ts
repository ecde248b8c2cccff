import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "../assert.ts";
import { randn, Rng } from "../random.ts";
import { concatInPlace, packInPlace } from "./concat_in_place.ts";
import { copyBlock, denseStrides } from "./copy_block.ts";
import { onStockAndOwn } from "./cpu_reference.ts";
import { padCopy } from "./pad_copy.ts";

const x = (shape: number[], seed = 4) => randn(new Rng(seed), shape);
const CASES: [string, tf.KernelConfig, () => tf.Tensor][] = [
  [
    "Concat along the last axis (runs of 3)",
    concatInPlace,
    () => tf.concat([x([5, 2, 3]), x([5, 2, 4], 5)], 2),
  ],
  [
    "Concat along axis 0",
    concatInPlace,
    () => tf.concat([x([2, 3]), x([1, 3], 5), x([4, 3], 6)], 0),
  ],
  [
    "Concat along a middle axis, with an empty input",
    concatInPlace,
    () => tf.concat([x([3, 1, 5]), x([3, 0, 5], 5), x([3, 2, 5], 6)], 1),
  ],
  ["Concat of rank 1", concatInPlace, () => tf.concat([x([7]), x([1], 5)])],
  [
    "Pack of im2col's shifted views, along axis 3",
    packInPlace,
    () => tf.stack(Array.from({ length: 9 }, (_, k) => x([2, 5, 4, 3], k)), 3),
  ],
  ["Pack along axis 0", packInPlace, () => tf.stack([x([2, 3]), x([2, 3], 5)])],
  [
    "Pack along the last axis",
    packInPlace,
    () => tf.stack([x([3, 2]), x([3, 2], 5), x([3, 2], 6)], 2),
  ],
  ["Pack of scalars", packInPlace, () => tf.stack([tf.scalar(1), tf.scalar(2)])],
  [
    "PadV2 of an image batch by 1",
    padCopy,
    () => tf.pad(x([2, 5, 4, 3]), [[0, 0], [1, 1], [1, 1], [0, 0]]),
  ],
  ["PadV2, uneven, with a constant", padCopy, () => tf.pad(x([3, 2]), [[2, 0], [1, 3]], -1.5)],
  ["PadV2 of rank 1, nothing added", padCopy, () => tf.pad(x([5]), [[0, 0]])],
  [
    "int32 (stock kernels)",
    concatInPlace,
    () => tf.concat([tf.range(0, 4, 1, "int32"), tf.range(0, 2, 1, "int32")]).toFloat(),
  ],
];

for (const [name, config, f] of CASES) {
  Deno.test(`${config.kernelName} equals the stock kernel bit for bit: ${name}`, async () => {
    const [stock, own] = await onStockAndOwn(config, f);
    assertEquals(own, stock, name);
  });
}

Deno.test("copyBlock moves a strided block with a plain loop's result", () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const heap = new Float32Array(memory.buffer);
  heap.set(Float32Array.from({ length: 24 }, (_, i) => i)); // a [2, 3, 4] array at byte 0
  const copies: number[][] = [];
  const simd = {
    copy_rows(
      src: number,
      srcStep: number,
      dst: number,
      dstStep: number,
      rows: number,
      floats: number,
    ) {
      copies.push([src, srcStep, dst, dstStep, rows, floats]);
      for (let r = 0; r < rows; r++) {
        heap.copyWithin(
          (dst + r * dstStep) / 4,
          (src + r * srcStep) / 4,
          (src + r * srcStep) / 4 + floats,
        );
      }
    },
  } as unknown as Parameters<typeof copyBlock>[0];
  // x[:, 1:3, 1:3] of the [2, 3, 4] array into a dense [2, 2, 2] at float 100.
  copyBlock(simd, [2, 2, 2], { at: 4 * 5, strides: denseStrides([2, 3, 4]) }, {
    at: 400,
    strides: denseStrides([2, 2, 2]),
  });
  assertEquals(
    Array.from(heap.subarray(100, 108)),
    [5, 6, 9, 10, 17, 18, 21, 22],
    "the block's values",
  );
  assertEquals(copies.length, 2, "one copy_rows call per index of the outer axis");
});
