/** Tests for Task 2: im2col.ts. */
import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals } from "../../lib/assert.ts";
import { assertAllClose, assertShape } from "../../lib/assert_tensor.ts";
import {
  type Array4,
  fromArray4,
  get4,
  index4,
  type Matrix,
  toArray4,
  toMatrix,
} from "../../lib/float64.ts";
import { randn, Rng } from "../../lib/random.ts";
import { BOTH_BACKENDS, test } from "../../lib/testing.ts";
import { addWindows, col2im, im2col, windows } from "./im2col.ts";

/** The settings every test runs, on non-square images: strides 1, 2, 3, with and without padding. */
const SETTINGS = [
  { kh: 3, kw: 2, conv: { stride: 2, pad: 1 } },
  { kh: 3, kw: 3, conv: { stride: 1, pad: 1 } },
  { kh: 2, kw: 3, conv: { stride: 1, pad: 0 } },
  { kh: 3, kw: 2, conv: { stride: 3, pad: 1 } },
];

/** x [2, 7, 6, 3]: 2 images of 7×6 pixels, 3 channels. */
function image(seed: number): tf.Tensor4D {
  return randn(new Rng(seed), [2, 7, 6, 3]) as tf.Tensor4D;
}

function outSize(size: number, k: number, { stride, pad }: { stride: number; pad: number }) {
  return (size + 2 * pad - k) / stride + 1;
}

/** im2col from its definition: row (n·OH + r)·OW + q, column (i·KW + j)·C + c = xp[n, r·S + i, q·S + j, c]. */
function im2col64(x: Array4, kh: number, kw: number, stride: number, pad: number): Matrix {
  const { shape: [n, h, w, c] } = x;
  const [oh, ow] = [outSize(h, kh, { stride, pad }), outSize(w, kw, { stride, pad })];
  const rows: Matrix = [];
  for (let e = 0; e < n; e++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        const row: number[] = [];
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            for (let ch = 0; ch < c; ch++) {
              row.push(get4(x, e, r * stride - pad + i, q * stride - pad + j, ch));
            }
          }
        }
        rows.push(row);
      }
    }
  }
  return rows;
}

/** col2im from its definition: each number added to the pixel im2col copied it from, padding dropped. */
function col2im64(
  cols: Matrix,
  shape: Array4["shape"],
  kh: number,
  kw: number,
  stride: number,
  pad: number,
): Array4 {
  const [n, h, w, c] = shape;
  const [oh, ow] = [outSize(h, kh, { stride, pad }), outSize(w, kw, { stride, pad })];
  const out: Array4 = { shape, data: new Float64Array(n * h * w * c) };
  for (let e = 0; e < n; e++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        const row = cols[(e * oh + r) * ow + q];
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const [y, z] = [r * stride - pad + i, q * stride - pad + j];
            if (y < 0 || y >= h || z < 0 || z >= w) continue;
            for (let ch = 0; ch < c; ch++) {
              out.data[index4(shape, e, y, z, ch)] += row[(i * kw + j) * c + ch];
            }
          }
        }
      }
    }
  }
  return out;
}

test(
  "windows: tap (i, j) sees xp[n, r·S + i, q·S + j, c], in row-major tap order",
  { task: 2, points: 2 },
  async () => {
    const x = image(0);
    const x64 = await toArray4(x);
    for (const { kh, kw, conv } of SETTINGS) {
      const taps = windows(x, kh, kw, conv);
      const expected = im2col64(x64, kh, kw, conv.stride, conv.pad);
      const [oh, ow] = [outSize(7, kh, conv), outSize(6, kw, conv)];
      const where = `${kh}×${kw} window, stride ${conv.stride}, pad ${conv.pad}`;
      if (taps.length !== kh * kw) {
        throw new Error(
          `windows returned ${taps.length} tensors for a ${where}, expected ${kh * kw}.`,
        );
      }
      for (let t = 0; t < kh * kw; t++) {
        const column = expected.map((row) => row.slice(t * 3, t * 3 + 3));
        await assertAllClose(
          taps[t],
          tf.tensor(column.flat(), [2, oh, ow, 3]),
          {},
          `window of tap (${Math.floor(t / kw)}, ${t % kw}) for a ${where}`,
        );
      }
    }
  },
);

test(
  "im2col matches its definition (float64), with strides and padding",
  { task: 2, points: 3 },
  async () => {
    const x = image(1);
    const x64 = await toArray4(x);
    for (const { kh, kw, conv } of SETTINGS) {
      const columns = im2col(x, kh, kw, conv);
      const expected = im2col64(x64, kh, kw, conv.stride, conv.pad);
      const where = `${kh}×${kw} window, stride ${conv.stride}, pad ${conv.pad}`;
      assertShape(columns, [expected.length, kh * kw * 3], `cols for a ${where}`);
      await assertAllClose(columns, expected, {}, `cols for a ${where}`);
    }
  },
);

test(
  "col2im matches its definition (float64) and is im2col's adjoint",
  { task: 2, points: 3, backends: BOTH_BACKENDS },
  async () => {
    const x = image(2);
    const x64 = await toArray4(x);
    for (const [k, { kh, kw, conv }] of SETTINGS.entries()) {
      const rows = im2col64(x64, kh, kw, conv.stride, conv.pad).length;
      const g = randn(new Rng(20 + k), [rows, kh * kw * 3]) as tf.Tensor2D;
      const back = col2im(g, x.shape, kh, kw, conv);
      const expected = col2im64(await toMatrix(g), x.shape, kh, kw, conv.stride, conv.pad);
      const where = `${kh}×${kw} window, stride ${conv.stride}, pad ${conv.pad}`;
      await assertAllClose(
        back,
        fromArray4(expected),
        { rtol: 1e-5, atol: 1e-5 },
        `col2im for a ${where}`,
      );
      // ⟨im2col(x), g⟩ = ⟨x, col2im(g)⟩: col2im is the gradient of im2col.
      const left = (await tf.sum(tf.mul(im2col(x, kh, kw, conv), g)).data())[0];
      const right = (await tf.sum(tf.mul(x, back)).data())[0];
      assertAlmostEquals(left, right, 1e-3, `Σ im2col(x)·g against Σ x·col2im(g) for a ${where}`);
    }
  },
);

test(
  "addWindows adds every piece back where its tap read, overlaps summed",
  { task: 2, points: 1 },
  async () => {
    const x = image(3);
    for (const [k, { kh, kw, conv }] of SETTINGS.entries()) {
      const taps = windows(x, kh, kw, conv);
      const pieces = taps.map((t, p) => randn(new Rng(100 * k + p), t.shape) as tf.Tensor4D);
      const cols = tf.concat(pieces.map((p) => p.reshape([-1, 3])), 1);
      // The same numbers laid out as im2col would: column block t holds piece t.
      const rows = await toMatrix(cols);
      const expected = col2im64(rows, x.shape, kh, kw, conv.stride, conv.pad);
      await assertAllClose(
        addWindows(pieces, x.shape, kh, kw, conv),
        fromArray4(expected),
        { rtol: 1e-5, atol: 1e-5 },
        `addWindows for a ${kh}×${kw} window, stride ${conv.stride}, pad ${conv.pad}`,
      );
    }
  },
);
