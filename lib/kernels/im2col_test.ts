import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { Rng } from "../random.ts";
import { col2im, colsShape, im2col } from "./im2col.ts";
import { simdOn } from "./simd.ts";

type ConvInfo = tf.backend_util.Conv2DInfo;

/** A memory holding x at byte 0 and room for cols after it; the SIMD kernels on it. */
function heapWith(x: Float32Array, info: ConvInfo) {
  const [rows, width] = colsShape(info);
  const floats = x.length + rows * width;
  const memory = new WebAssembly.Memory({ initial: Math.ceil((4 * floats) / 65536) + 1 });
  const heap = new Float32Array(memory.buffer);
  heap.set(x);
  const colsAt = 4 * x.length;
  return { simd: simdOn(memory), heap, colsAt, cols: () => heap.subarray(x.length, floats) };
}

/** im2col as plain loops, output pixel by output pixel: the reference. */
function im2colLoops(x: Float32Array, info: ConvInfo): Float32Array {
  const { inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow } = info;
  const cols = new Float32Array(colsShape(info)[0] * colsShape(info)[1]);
  let dst = 0;
  for (let n = 0; n < info.batchSize; n++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        for (let i = 0; i < info.filterHeight; i++) {
          for (let j = 0; j < info.filterWidth; j++, dst += ci) {
            const y = r * info.strideHeight - info.padInfo.top + i * info.dilationHeight;
            const xx = q * info.strideWidth - info.padInfo.left + j * info.dilationWidth;
            if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
            for (let c = 0; c < ci; c++) cols[dst + c] = x[((n * h + y) * w + xx) * ci + c];
          }
        }
      }
    }
  }
  return cols;
}

Deno.test("im2col copies each 2×2 patch of a 3×3 image into a row", () => {
  const info = tf.backend_util.computeConv2DInfo([1, 3, 3, 1], [2, 2, 1, 1], 1, 1, "valid");
  const { simd, colsAt, cols } = heapWith(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), info);
  im2col(simd, 0, info, colsAt);
  assertEquals(Array.from(cols()), [1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9], "the patches");
});

Deno.test("im2col reads padding as zeros", () => {
  const info = tf.backend_util.computeConv2DInfo([1, 2, 2, 1], [3, 3, 1, 1], 1, 1, "same");
  const { simd, colsAt, cols } = heapWith(Float32Array.from([1, 2, 3, 4]), info);
  cols().fill(7); // whatever was there before
  im2col(simd, 0, info, colsAt);
  assertEquals(Array.from(cols().subarray(0, 9)), [0, 0, 0, 0, 1, 2, 0, 3, 4], "the first patch");
});

const GEOMETRIES = [
  ["stride 2, 'same'", [2, 7, 6, 3], [3, 2, 3, 4], 2, 1, "same"],
  ["dilation 2, 'valid'", [2, 7, 6, 3], [3, 2, 3, 4], 1, 2, "valid"],
  ["one channel, 3×3 'same'", [3, 5, 4, 1], [3, 3, 1, 2], 1, 1, "same"],
  ["5 channels, stride 3, explicit padding", [1, 8, 9, 5], [2, 3, 5, 1], 3, 1, [[0, 0], [1, 2], [
    2,
    0,
  ], [0, 0]]],
] as const;

for (const [name, xShape, filterShape, stride, dilation, pad] of GEOMETRIES) {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as unknown as [number, number, number, number],
    filterShape as unknown as [number, number, number, number],
    stride,
    dilation,
    pad as tf.backend_util.ExplicitPadding,
  );
  const rng = new Rng(0);
  const x = Float32Array.from(
    { length: tf.util.sizeFromShape(xShape as unknown as number[]) },
    () => rng.normal(),
  );

  Deno.test(`im2col equals plain loops (${name})`, () => {
    const { simd, colsAt, cols } = heapWith(x, info);
    im2col(simd, 0, info, colsAt);
    assertEquals(cols(), im2colLoops(x, info), "every entry of cols");
  });

  // col2im is im2col's adjoint: <im2col(x), c> = <x, col2im(c)> for every x and c.
  Deno.test(`col2im is the adjoint of im2col (${name})`, () => {
    const [rows, width] = colsShape(info);
    const c = Float32Array.from({ length: rows * width }, () => rng.normal());
    const { simd, heap, colsAt, cols } = heapWith(new Float32Array(x.length).fill(3), info);
    cols().set(c);
    col2im(simd, colsAt, info, 0);
    const back = heap.slice(0, x.length);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);
    assertAlmostEquals(
      dot(im2colLoops(x, info), c),
      dot(x, back),
      1e-3,
      "<im2col(x), c> = <x, col2im(c)>",
    );
  });
}

Deno.test("im2col refuses channels-first data", () => {
  const nchw = tf.backend_util.computeConv2DInfo(
    [1, 1, 3, 3],
    [2, 2, 1, 1],
    1,
    1,
    "valid",
    undefined,
    false,
    "channelsFirst",
  );
  const { simd, colsAt } = heapWith(new Float32Array(9), nchw);
  assertThrows(() => im2col(simd, 0, nchw, colsAt), Error, "NHWC");
});
