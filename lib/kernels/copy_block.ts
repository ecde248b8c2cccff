/**
 * Moving a strided block of floats from one tfjs-wasm tensor to another, in
 * as few runs as the layout allows: the one primitive behind slicing,
 * unstacking, splitting, stacking, concatenating and padding.
 *
 * A block is `size` (a shape) read at byte offset `at` with per-axis `strides`
 * (in floats). Adjacent axes that are contiguous on both sides merge into one,
 * so a slice of whole rows is a single run; the rest is a loop over the outer
 * axes, each step one call of simd.wat's `copy_rows` for the innermost two.
 *
 * @example Rows 1–2 of a [4, 3] tensor x into a fresh [2, 3] tensor out
 * ```ts
 * import { copyBlock, denseStrides } from "./copy_block.ts";
 * // simd: simdFor(backend); x and out: byte offsets of the two tensors
 * copyBlock(simd, [2, 3], { at: x + 3 * 4, strides: [3, 1] }, { at: out, strides: denseStrides([2, 3]) });
 * ```
 * @module
 */
import type { Simd } from "./simd.ts";

/** Where a block lies: its first float's byte offset, and the float step along each axis. */
export interface Placement {
  at: number;
  strides: number[];
}

/** The strides of a dense row-major array of `shape`, in floats. */
export function denseStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  for (let i = shape.length - 1, step = 1; i >= 0; step *= shape[i], i--) strides[i] = step;
  return strides;
}

/** Copies the block `size` from `src` to `dst` (both with unit stride along the last axis). */
export function copyBlock(
  simd: Simd,
  size: readonly number[],
  src: Placement,
  dst: Placement,
): void {
  if (size.some((d) => d === 0)) return;
  // Drop axes of 1 (but the last), then merge each axis into the next where both sides are contiguous.
  const axes = size.map((d, i) => ({ d, s: src.strides[i], t: dst.strides[i] }))
    .filter((a, i) => a.d !== 1 || i === size.length - 1);
  const merged: { d: number; s: number; t: number }[] = [];
  for (const axis of axes) {
    const last = merged.at(-1);
    if (last && last.s === axis.d * axis.s && last.t === axis.d * axis.t) {
      merged[merged.length - 1] = { d: last.d * axis.d, s: axis.s, t: axis.t };
    } else merged.push({ ...axis });
  }
  if (merged.length === 0) merged.push({ d: 1, s: 1, t: 1 });
  const run = merged.at(-1)!;
  if (run.s !== 1 || run.t !== 1) throw new Error("copyBlock: the last axis must be contiguous.");
  const rows = merged.length > 1 ? merged.at(-2)! : { d: 1, s: 0, t: 0 };
  const outer = merged.slice(0, -2);
  const count = outer.reduce((n, a) => n * a.d, 1);
  for (let k = 0; k < count; k++) {
    let s = src.at, t = dst.at;
    for (let i = outer.length - 1, rest = k; i >= 0; i--) {
      const index = rest % outer[i].d;
      rest = (rest - index) / outer[i].d;
      s += 4 * index * outer[i].s;
      t += 4 * index * outer[i].t;
    }
    simd.copy_rows(s, 4 * rows.s, t, 4 * rows.t, rows.d, run.d);
  }
}
