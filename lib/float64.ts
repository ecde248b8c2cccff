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
import type * as tf from "@tensorflow/tfjs";

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
