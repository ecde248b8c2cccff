/**
 * Task 2 — im2col and col2im: turning a convolution into one matrix product.
 *
 * A KH×KW filter has KH·KW **taps**, one per weight position (i, j). Tap
 * (i, j) multiplies, at every output position (r, q), the input pixel
 * (r·S + i, q·S + j) of the padded input. Gather those pixels for every
 * output position and you get the tap's **window**, a tensor [N, OH, OW, C]:
 *
 *     window_ij[n, r, q, c] = xp[n, r·S + i, q·S + j, c]      (xp: x padded with P zeros)
 *
 * Put the KH·KW windows side by side along the channel axis and every output
 * pixel gets a row holding its whole receptive field, KH·KW·C numbers: that is
 * **im2col**, a matrix `cols` of shape [N·OH·OW, KH·KW·C]. Its column
 * (i·KW + j)·C + c is x's channel c seen through tap (i, j) — the order in
 * which `w.reshape([KH·KW·C, F])` lists the weights, so the convolution is
 * `cols · w` (`conv_fast.ts`).
 *
 * **col2im** goes back: it takes a matrix of that shape and adds each of its
 * numbers to the input pixel it was copied from. A pixel that sat in several
 * windows (overlapping patches) receives the sum; padding is dropped. That is
 * exactly what the backward pass of a copy needs (the copy gate sends back the
 * sum of its outputs' gradients), so col2im is im2col's *adjoint*: for any
 * x and any matrix g, Σ im2col(x)·g = Σ x·col2im(g).
 *
 * Everything here is tfjs ops on whole tensors — reshape, pad, slice,
 * stack, transpose, unstack, add — with no loops over pixels and no reads
 * of values. Which op does the copying matters on WASM, where tfjs copies a
 * slice or a concatenation one run of its last axis at a time: a run of C = 1
 * or 3 numbers costs as much as a run of a thousand.
 *
 * **Slicing a window.** With stride 1 a window is a block of xp: rows
 * i…i+OH−1, columns j…j+OW−1. In NHWC a row's OW pixels are OW·C consecutive
 * numbers, so slice xp viewed as [N, Hp, Wp·C] (runs of OW·C, not of C).
 * With stride S a window takes every S-th row and column. Pad x at the
 * bottom and right up to a multiple of S, then view it as [N, Hs/S, S·Ws·C]:
 * block a holds padded rows S·a … S·a + S − 1. The rows of tap (i, j),
 * i + S·r for r = 0…OH − 1, are row i mod S of blocks ⌊i/S⌋ + r: slice
 * those OH blocks, view each as [S, Ws/S, S·C] (column S·u + v sits at
 * (u, v·C…v·C + C)), and slice row i mod S, columns (⌊j/S⌋ + q, (j mod S)·C).
 * Two plain slices. (`tf.stridedSlice` does it in one call, at about a
 * hundred times the cost on WASM; one slice of a rank-5 view would do too,
 * but its gradient, a rank-5 pad, comes out wrong on WebGPU.) The adjoint of
 * a slice is a `tf.pad` of the piece back to the shape it was cut from.
 *
 * **Assembling cols.** Concatenating the windows along the channel axis
 * interleaves them C numbers at a time. Stacking them instead, [KH·KW, rows, C],
 * copies each window whole; one transpose to [rows, KH·KW, C] then does the
 * interleaving in a single pass. col2im undoes it the same way.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { checkConvParam, type ConvParam, outputSize } from "./geometry.ts";

/**
 * The window of every tap of a KH×KW filter, in row-major tap order.
 *
 * @param x input, [N, H, W, C]
 * @param kh, kw the filter's height and width
 * @param conv stride S and zero padding P
 * @returns KH·KW tensors [N, OH, OW, C]; entry i·KW + j is tap (i, j)'s window,
 *   window[n, r, q, c] = xp[n, r·S + i, q·S + j, c]
 */
export function windows(
  x: tf.Tensor4D,
  kh: number,
  kw: number,
  conv: ConvParam,
): tf.Tensor4D[] {
  const g = windowGeometry(x.shape, kh, kw, conv, "windows");
  // BEGIN SOLUTION (Task 2)
  const { n, c, oh, ow, stride: s, pad } = g;
  const padded = tf.pad(x, [[0, 0], [pad, pad + g.extraH], [pad, pad + g.extraW], [0, 0]]);
  // Stride 1: a window is a block of OH rows, each OW pixels = OW·C consecutive numbers.
  const rows = padded.reshape([n, g.hs, g.ws * c]);
  // Any stride: block a holds padded rows S·a … S·a + S − 1, S·Ws·C numbers.
  const blocks = padded.reshape([n, g.hs / s, s * g.ws * c]);
  const taps: tf.Tensor4D[] = [];
  for (let i = 0; i < kh; i++) {
    const [a, b] = [Math.floor(i / s), i % s];
    // Blocks a … a + OH − 1, each viewed as [S, Ws/S, S·C]: row b, column S·u + v at (u, v·C).
    const rowBlocks = s === 1 ? rows : blocks.slice([0, a, 0], [n, oh, s * g.ws * c])
      .reshape([n * oh, s, g.ws / s, s * c]);
    for (let j = 0; j < kw; j++) {
      const [u, v] = [Math.floor(j / s), j % s];
      const window = s === 1
        ? rows.slice([0, i, j * c], [n, oh, ow * c])
        : rowBlocks.slice([0, b, u, v * c], [n * oh, 1, ow, c]);
      taps.push(window.reshape([n, oh, ow, c]));
    }
  }
  return taps;
  // END SOLUTION
}

/**
 * The adjoint of {@linkcode windows}: every piece added back onto the input
 * pixels its tap read, the padding dropped.
 *
 * @param pieces KH·KW tensors [N, OH, OW, C], in the order windows returns them
 * @param xShape the input's shape, [N, H, W, C]
 * @param kh, kw the filter's height and width
 * @param conv stride S and zero padding P
 * @returns [N, H, W, C]: out[n, y, z, c] = Σ of pieces[i·KW + j][n, r, q, c] over the
 *   taps and positions with r·S + i = y + P and q·S + j = z + P
 */
export function addWindows(
  pieces: tf.Tensor4D[],
  xShape: readonly number[],
  kh: number,
  kw: number,
  conv: ConvParam,
): tf.Tensor4D {
  const g = windowGeometry(xShape, kh, kw, conv, "addWindows");
  checkPieces(pieces, [g.n, g.oh, g.ow, g.c], kh * kw);
  // BEGIN SOLUTION (Task 2)
  const { n, h, w, c, oh, ow, stride: s, pad } = g;
  const placed = pieces.map((piece, t) => {
    const [i, j] = [Math.floor(t / kw), t % kw];
    if (s === 1) {
      const rows = piece.reshape([n, oh, ow * c]);
      return tf.pad(rows, [[0, 0], [i, g.hs - i - oh], [j * c, (g.ws - j - ow) * c]]);
    }
    const [a, b, u, v] = [Math.floor(i / s), i % s, Math.floor(j / s), j % s];
    // The view's axes 2–4 first, with the N·OH row blocks side by side …
    const blocks = tf.pad(piece.reshape([n * oh, 1, ow, c]), [
      [0, 0],
      [b, s - 1 - b],
      [u, g.ws / s - u - ow],
      [v * c, (s - 1 - v) * c],
    ]);
    // … then axis 1: each block is S padded rows, S·Ws·C numbers. (Two pads of
    // rank ≤ 4 rather than one of rank 5, which WebGPU gets wrong.)
    const rows = tf.pad(blocks.reshape([n, oh, s * g.ws * c]), [
      [0, 0],
      [a, g.hs / s - a - oh],
      [0, 0],
    ]);
    return rows.reshape([n, g.hs, g.ws * c]);
  });
  // Drop the padding: rows P…P+H−1, and of each row the W·C numbers from P·C on.
  // tf.add, not tf.addN: WebGPU's addN silently drops inputs beyond the 7th.
  const rows = placed.reduce((sum, piece) => tf.add(sum, piece));
  return rows.slice([0, pad, pad * c], [n, h, w * c]).reshape([n, h, w, c]) as tf.Tensor4D;
  // END SOLUTION
}

/**
 * im2col: every output position's receptive field as a row.
 *
 * @param x input, [N, H, W, C]
 * @param kh, kw the filter's height and width
 * @param conv stride S and zero padding P
 * @returns cols, [N·OH·OW, KH·KW·C]: row (n·OH + r)·OW + q, column (i·KW + j)·C + c holds
 *   xp[n, r·S + i, q·S + j, c]
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { im2col } from "./im2col.ts";
 * const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
 * const cols = im2col(x, 2, 2, { stride: 1, pad: 0 });
 * console.log(await cols.array()); // [[1, 2, 4, 5], [2, 3, 5, 6], [4, 5, 7, 8], [5, 6, 8, 9]]
 * ```
 */
export function im2col(
  x: tf.Tensor4D,
  kh: number,
  kw: number,
  conv: ConvParam,
): tf.Tensor2D {
  const g = windowGeometry(x.shape, kh, kw, conv, "im2col");
  // BEGIN SOLUTION (Task 2)
  const rows = g.n * g.oh * g.ow;
  // [KH·KW, rows, C] (each window copied whole), then interleaved to [rows, KH·KW, C].
  const tapMajor = tf.stack(windows(x, kh, kw, conv).map((t) => t.reshape([rows, g.c])));
  return tf.transpose(tapMajor, [1, 0, 2]).reshape([rows, kh * kw * g.c]);
  // END SOLUTION
}

/**
 * col2im: the adjoint of {@linkcode im2col}. Each number of `cols` is added to
 * the input pixel im2col copied it from; pixels of the padding are dropped.
 *
 * @param cols [N·OH·OW, KH·KW·C], laid out as im2col's output
 * @param xShape the input's shape, [N, H, W, C]
 * @param kh, kw the filter's height and width
 * @param conv stride S and zero padding P
 * @returns [N, H, W, C]
 */
export function col2im(
  cols: tf.Tensor2D,
  xShape: readonly number[],
  kh: number,
  kw: number,
  conv: ConvParam,
): tf.Tensor4D {
  const g = windowGeometry(xShape, kh, kw, conv, "col2im");
  const expected = [g.n * g.oh * g.ow, kh * kw * g.c];
  if (!tf.util.arraysEqual(cols.shape, expected)) {
    throw new Error(`col2im: cols has shape [${cols.shape}], expected [${expected}].`);
  }
  // BEGIN SOLUTION (Task 2)
  const { n, oh, ow, c } = g;
  // Back to tap-major, [KH·KW, rows, C], then one window per tap.
  const tapMajor = tf.transpose(cols.reshape([n * oh * ow, kh * kw, c]), [1, 0, 2]);
  const pieces = tf.unstack(tapMajor.reshape([kh * kw, -1]))
    .map((t) => t.reshape([n, oh, ow, c]) as tf.Tensor4D);
  return addWindows(pieces, xShape, kh, kw, conv);
  // END SOLUTION
}

/** Sizes for sliding a KH×KW window over an input of `xShape` (see the module doc). */
export interface WindowGeometry {
  n: number;
  h: number;
  w: number;
  c: number;
  oh: number;
  ow: number;
  stride: number;
  pad: number;
  /** the padded height and width rounded up to a multiple of the stride */
  hs: number;
  ws: number;
  /** rows and columns of zeros added at the bottom and right to get there (beyond P) */
  extraH: number;
  extraW: number;
}

/**
 * Checks the arguments of a window function and works out its sizes.
 *
 * @throws Error naming `fn` and the argument that is wrong
 */
export function windowGeometry(
  xShape: readonly number[],
  kh: number,
  kw: number,
  conv: ConvParam,
  fn: string,
): WindowGeometry {
  if (xShape.length !== 4) {
    throw new Error(`${fn}: x must be [N, H, W, C] (NHWC), got shape [${xShape}].`);
  }
  for (const [name, k] of [["kh", kh], ["kw", kw]] as const) {
    if (!(Number.isInteger(k) && k >= 1)) {
      throw new Error(`${fn}: ${name} must be an integer ≥ 1, got ${k}.`);
    }
  }
  checkConvParam(conv, fn);
  const [n, h, w, c] = xShape;
  const { stride, pad } = conv;
  const oh = outputSize(h, kh, stride, pad, "height", fn);
  const ow = outputSize(w, kw, stride, pad, "width", fn);
  const hs = Math.ceil((h + 2 * pad) / stride) * stride;
  const ws = Math.ceil((w + 2 * pad) / stride) * stride;
  return {
    n,
    h,
    w,
    c,
    oh,
    ow,
    stride,
    pad,
    hs,
    ws,
    extraH: hs - h - 2 * pad,
    extraW: ws - w - 2 * pad,
  };
}

function checkPieces(pieces: tf.Tensor[], shape: number[], count: number): void {
  if (!Array.isArray(pieces) || pieces.length !== count) {
    throw new Error(`addWindows: expected ${count} pieces (one per tap), got ${pieces?.length}.`);
  }
  pieces.forEach((p, t) => {
    if (!tf.util.arraysEqual(p.shape, shape)) {
      throw new Error(`addWindows: pieces[${t}] has shape [${p.shape}], expected [${shape}].`);
    }
  });
}
