/**
 * Float64 arithmetic on plain arrays, for tests that compute the expected
 * values of a layer or a loss independently of tfjs.
 *
 * A gradient check compares a backward pass with the same code's forward
 * pass, so a forward pass that is wrong the same way in both passes it. The
 * value tests that catch that compute the right answer here, in JavaScript
 * numbers (float64), straight from the formula — never by calling the code
 * under test — and compare it with {@linkcode assertAllClose}.
 *
 * Matrices are arrays of rows. Nothing here is clever: each function is the
 * formula, written out in loops, so a reader can check it by eye.
 *
 * @example The expected output of an affine layer
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { addRow, matMul, toMatrix } from "./float64.ts";
 * const x = tf.tensor2d([[1, 2], [3, 4]]), w = tf.tensor2d([[1, 0, -1], [2, 1, 0]]);
 * const expected = addRow(matMul(await toMatrix(x), await toMatrix(w)), [0.5, 0, 0]);
 * // [[5.5, 2, -1], [11.5, 4, -3]]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** A matrix: an array of rows of equal length. */
export type Matrix = number[][];

/** A rank-2 tensor's values as a float64 matrix (read asynchronously). */
export async function toMatrix(t: tf.Tensor): Promise<Matrix> {
  if (t.rank !== 2) throw new Error(`toMatrix: expected a rank-2 tensor, got shape [${t.shape}].`);
  return await t.array() as Matrix;
}

/** A tensor's values as a flat float64 array (read asynchronously). */
export async function toVector(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data(), Number);
}

/** a·b for a [n, k] and b [k, m]. */
export function matMul(a: Matrix, b: Matrix): Matrix {
  const k = b.length;
  if (a.some((row) => row.length !== k)) {
    throw new Error(`matMul: a has rows of ${a[0]?.length}, b has ${k} rows.`);
  }
  return a.map((row) =>
    Array.from({ length: b[0]?.length ?? 0 }, (_, j) => {
      let sum = 0;
      for (let i = 0; i < k; i++) sum += row[i] * b[i][j];
      return sum;
    })
  );
}

/** The transpose of `a`. */
export function transpose(a: Matrix): Matrix {
  return Array.from({ length: a[0]?.length ?? 0 }, (_, j) => a.map((row) => row[j]));
}

/** `a` with the vector `v` added to every row. */
export function addRow(a: Matrix, v: readonly number[]): Matrix {
  return a.map((row) => row.map((x, j) => x + v[j]));
}

/** a + b, element by element (matrices of one shape). */
export function add(a: Matrix, b: Matrix): Matrix {
  checkSameShape("add", a, b);
  return a.map((row, i) => row.map((x, j) => x + b[i][j]));
}

/** a ⊙ b, the element-wise product (matrices of one shape). */
export function multiply(a: Matrix, b: Matrix): Matrix {
  checkSameShape("multiply", a, b);
  return a.map((row, i) => row.map((x, j) => x * b[i][j]));
}

function checkSameShape(name: string, a: Matrix, b: Matrix): void {
  if (a.length !== b.length || a.some((row, i) => row.length !== b[i].length)) {
    throw new Error(`${name}: the matrices differ in shape.`);
  }
}

/** `f` applied to every element. */
export function map(a: Matrix, f: (x: number, i: number, j: number) => number): Matrix {
  return a.map((row, i) => row.map((x, j) => f(x, i, j)));
}

/** The mean of each column (over the rows): length = number of columns. */
export function columnMeans(a: Matrix): number[] {
  return transpose(a).map(mean);
}

/** The population variance (divided by n, not n − 1) of each column. */
export function columnVariances(a: Matrix): number[] {
  return transpose(a).map(variance);
}

/** The sum of a list. */
export function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** The mean of a list. */
export function mean(values: readonly number[]): number {
  return sum(values) / values.length;
}

/** The population variance of a list (divided by n). */
export function variance(values: readonly number[]): number {
  const m = mean(values);
  return mean(values.map((v) => (v - m) ** 2));
}

/** Σ of the squares of every element of matrices or vectors: ‖·‖² summed. */
export function sumOfSquares(...arrays: (Matrix | readonly number[])[]): number {
  return sum(arrays.map((a) => sum((a.flat() as number[]).map((v) => v * v))));
}

/** Each row's softmax, computed stably. */
export function softmaxRows(a: Matrix): Matrix {
  return a.map((row) => {
    const top = Math.max(...row);
    const e = row.map((v) => Math.exp(v - top));
    const total = sum(e);
    return e.map((v) => v / total);
  });
}

/** The mean softmax cross-entropy of score rows against integer labels. */
export function softmaxCrossEntropy(scores: Matrix, labels: readonly number[]): number {
  const p = softmaxRows(scores);
  return mean(labels.map((y, i) => -Math.log(p[i][y])));
}

/**
 * A 4-D array of float64, row-major: an image batch [N, H, W, C] or a bank
 * of filters [KH, KW, C, F]. Element (i, j, k, l) is `data[((i·d₁ + j)·d₂ + k)·d₃ + l]`.
 */
export interface Array4 {
  shape: [number, number, number, number];
  data: Float64Array;
}

/** A rank-4 tensor's values as an {@linkcode Array4} (read asynchronously). */
export async function toArray4(t: tf.Tensor): Promise<Array4> {
  if (t.rank !== 4) throw new Error(`toArray4: expected a rank-4 tensor, got shape [${t.shape}].`);
  return { shape: t.shape as Array4["shape"], data: Float64Array.from(await t.data(), Number) };
}

/** An {@linkcode Array4} as a float32 tensor (to compare a result with it). */
export function fromArray4(a: Array4): tf.Tensor4D {
  return tf.tensor4d(Array.from(a.data), a.shape);
}

/** A new Array4 of zeros. */
export function zeros4(shape: Array4["shape"]): Array4 {
  return { shape, data: new Float64Array(shape[0] * shape[1] * shape[2] * shape[3]) };
}

/** The flat index of element (i, j, k, l) of an array of `shape`. */
export function index4(shape: Array4["shape"], i: number, j: number, k: number, l: number): number {
  return ((i * shape[1] + j) * shape[2] + k) * shape[3] + l;
}

/** Element (i, j, k, l), or 0 when (j, k) is outside the array: zero padding for convolutions. */
export function get4(a: Array4, i: number, j: number, k: number, l: number): number {
  if (j < 0 || j >= a.shape[1] || k < 0 || k >= a.shape[2]) return 0;
  return a.data[index4(a.shape, i, j, k, l)];
}

/**
 * A 2-D convolution from its definition, NHWC:
 *
 *     out[n, r, q, f] = b[f] + Σ_{i, j, c} x[n, r·S − P + i, q·S − P + j, c] · w[i, j, c, f]
 *
 * with x zero outside the image.
 *
 * @param x [N, H, W, C]
 * @param w [KH, KW, C, F]
 * @param b F biases
 * @param stride S
 * @param pad P
 * @returns [N, OH, OW, F], OH = ⌊(H + 2P − KH)/S⌋ + 1
 */
export function conv2d(
  x: Array4,
  w: Array4,
  b: readonly number[],
  stride: number,
  pad: number,
): Array4 {
  const [n, h, wd, c] = x.shape;
  const [kh, kw, , f] = w.shape;
  const oh = Math.floor((h + 2 * pad - kh) / stride) + 1;
  const ow = Math.floor((wd + 2 * pad - kw) / stride) + 1;
  const out = zeros4([n, oh, ow, f]);
  for (let e = 0; e < n; e++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        for (let k = 0; k < f; k++) {
          let sum = b[k];
          for (let i = 0; i < kh; i++) {
            for (let j = 0; j < kw; j++) {
              for (let ch = 0; ch < c; ch++) {
                sum += get4(x, e, r * stride - pad + i, q * stride - pad + j, ch) *
                  w.data[index4(w.shape, i, j, ch, k)];
              }
            }
          }
          out.data[index4(out.shape, e, r, q, k)] = sum;
        }
      }
    }
  }
  return out;
}

/**
 * The gradients of Σ conv2d(x, w, b)·dout with respect to x, w and b, from
 * the definition: each term x·w of an output sends dout·w to that x and
 * dout·x to that w; b[f] was added to every output of filter f.
 *
 * @param x [N, H, W, C]
 * @param w [KH, KW, C, F]
 * @param dout [N, OH, OW, F]
 * @returns dx [N, H, W, C], dw [KH, KW, C, F], db (F numbers)
 */
export function conv2dGradients(
  x: Array4,
  w: Array4,
  dout: Array4,
  stride: number,
  pad: number,
): { dx: Array4; dw: Array4; db: number[] } {
  const [n, h, wd, c] = x.shape;
  const [kh, kw, , f] = w.shape;
  const [, oh, ow] = dout.shape;
  const dx = zeros4(x.shape), dw = zeros4(w.shape);
  const db = new Array<number>(f).fill(0);
  for (let e = 0; e < n; e++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        for (let k = 0; k < f; k++) {
          const d = dout.data[index4(dout.shape, e, r, q, k)];
          db[k] += d;
          for (let i = 0; i < kh; i++) {
            for (let j = 0; j < kw; j++) {
              const [y, z] = [r * stride - pad + i, q * stride - pad + j];
              if (y < 0 || y >= h || z < 0 || z >= wd) continue;
              for (let ch = 0; ch < c; ch++) {
                dx.data[index4(x.shape, e, y, z, ch)] += d * w.data[index4(w.shape, i, j, ch, k)];
                dw.data[index4(w.shape, i, j, ch, k)] += d * get4(x, e, y, z, ch);
              }
            }
          }
        }
      }
    }
  }
  return { dx, dw, db };
}
