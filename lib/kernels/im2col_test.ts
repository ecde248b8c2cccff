import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { Rng } from "../random.ts";
import { col2im, colsShape, im2col } from "./im2col.ts";

Deno.test("im2col copies each 2×2 patch of a 3×3 image into a row", () => {
  const info = tf.backend_util.computeConv2DInfo([1, 3, 3, 1], [2, 2, 1, 1], 1, 1, "valid");
  const cols = new Float32Array(16);
  im2col(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), info, cols);
  assertEquals(Array.from(cols), [1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9]);
});

Deno.test("im2col reads padding as zeros", () => {
  const info = tf.backend_util.computeConv2DInfo([1, 2, 2, 1], [3, 3, 1, 1], 1, 1, "same");
  const cols = new Float32Array(colsShape(info)[0] * colsShape(info)[1]);
  im2col(Float32Array.from([1, 2, 3, 4]), info, cols);
  assertEquals(Array.from(cols.subarray(0, 9)), [0, 0, 0, 0, 1, 2, 0, 3, 4]);
});

// col2im is im2col's adjoint: <im2col(x), c> = <x, col2im(c)> for every x and c.
for (
  const [name, stride, dilation, pad] of [["stride 2", 2, 1, "same"], [
    "dilation 2",
    1,
    2,
    "valid",
  ]] as const
) {
  Deno.test(`col2im is the adjoint of im2col (${name})`, () => {
    const info = tf.backend_util.computeConv2DInfo(
      [2, 7, 6, 3],
      [3, 2, 3, 4],
      stride,
      dilation,
      pad,
    );
    const rng = new Rng(0);
    const x = Float32Array.from({ length: 2 * 7 * 6 * 3 }, () => rng.normal());
    const [rows, width] = colsShape(info);
    const c = Float32Array.from({ length: rows * width }, () => rng.normal());
    const cols = new Float32Array(rows * width), back = new Float32Array(x.length);
    im2col(x, info, cols);
    col2im(c, info, back);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);
    assertAlmostEquals(dot(cols, c), dot(x, back), 1e-3);
  });
}

Deno.test("im2col refuses channels-first data and a wrongly sized matrix", () => {
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
  assertThrows(() => im2col(new Float32Array(9), nchw, new Float32Array(16)), Error, "NHWC");
  const info = tf.backend_util.computeConv2DInfo([1, 3, 3, 1], [2, 2, 1, 1], 1, 1, "valid");
  assertThrows(() => im2col(new Float32Array(9), info, new Float32Array(15)), Error, "4×4");
});
