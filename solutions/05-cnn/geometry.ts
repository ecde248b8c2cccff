/**
 * The geometry of a convolution or a pooling window: how big the output is,
 * and the argument checks every layer of this assignment starts with
 * (provided: read it, you call it).
 *
 * Layout, everywhere in this assignment: **NHWC**, tfjs's own. An image batch
 * is `[N, H, W, C]`: N images of H rows, W columns and C channels, the
 * channels of one pixel next to each other in memory. A bank of F filters of
 * size KH×KW is `[KH, KW, C, F]` (tfjs's `conv2d` layout), its biases `[F]`.
 *
 * A window of KH×KW slid over an input of H×W with stride S, after P zeros of
 * padding on every side, fits
 *
 *     OH = (H − KH + 2P)/S + 1     OW = (W − KW + 2P)/S + 1
 *
 * times. When that is not a whole number the window does not tile the input
 * (the last step would hang over the edge): the checks below refuse it,
 * naming the sizes, rather than silently dropping a row.
 *
 * @example
 * ```ts
 * import { convOutputShape } from "./geometry.ts";
 * // 32×32 RGB images, 7×7 filters, stride 1, pad 3: the output keeps the size
 * convOutputShape([50, 32, 32, 3], [7, 7, 3, 32], { stride: 1, pad: 3 }, "example"); // [50, 32, 32, 32]
 * ```
 * @module
 */

/** How a filter slides: every `stride` pixels, over the input with `pad` zeros on each side. */
export interface ConvParam {
  /** S: pixels between one output position and the next, ≥ 1 */
  stride: number;
  /** P: rows and columns of zeros added on every side, ≥ 0 */
  pad: number;
}

/** A pooling window of `height`×`width`, moved by `stride` pixels (no padding). */
export interface PoolParam {
  height: number;
  width: number;
  stride: number;
}

/**
 * The output size along one axis, OH = (H − KH + 2P)/S + 1.
 *
 * @throws Error naming `fn`, the axis and the sizes when the window does not fit a
 *   whole number of times, or does not fit at all.
 */
export function outputSize(
  input: number,
  window: number,
  stride: number,
  pad: number,
  axis: "height" | "width",
  fn: string,
): number {
  const span = input - window + 2 * pad;
  const formula = `(${axis === "height" ? "H − KH" : "W − KW"} + 2P)/S + 1 = ` +
    `(${input} − ${window} + 2·${pad})/${stride} + 1`;
  if (span < 0) {
    throw new Error(
      `${fn}: the ${window}-pixel window is larger than the padded ${axis} ` +
        `(${input} + 2·${pad} = ${input + 2 * pad}): ${formula} < 1.`,
    );
  }
  if (span % stride !== 0) {
    throw new Error(
      `${fn}: the window does not tile the ${axis}: ${formula} = ${
        Math.round((span / stride + 1) * 100) / 100
      }, ` +
        `not a whole number. Choose a stride and padding with (${input} − ${window} + 2P) ` +
        `divisible by S.`,
    );
  }
  return span / stride + 1;
}

/**
 * Checks a convolution's arguments and returns its output shape.
 *
 * @param xShape input, [N, H, W, C]
 * @param wShape filters, [KH, KW, C, F]
 * @param conv stride and padding
 * @param fn the function checking, named in errors
 * @returns [N, OH, OW, F]
 * @throws Error naming the argument that is wrong: ranks, channel counts, stride, padding, sizes
 */
export function convOutputShape(
  xShape: readonly number[],
  wShape: readonly number[],
  conv: ConvParam,
  fn: string,
): [number, number, number, number] {
  if (xShape.length !== 4) {
    throw new Error(`${fn}: x must be [N, H, W, C] (NHWC), got shape [${xShape}].`);
  }
  if (wShape.length !== 4) {
    throw new Error(`${fn}: w must be [KH, KW, C, F], got shape [${wShape}].`);
  }
  const [n, h, w, c] = xShape;
  const [kh, kw, wc, f] = wShape;
  if (wc !== c) {
    throw new Error(
      `${fn}: x has ${c} channels but the filters w [${wShape}] expect ${wc} (w is [KH, KW, C, F]).`,
    );
  }
  checkConvParam(conv, fn);
  return [
    n,
    outputSize(h, kh, conv.stride, conv.pad, "height", fn),
    outputSize(w, kw, conv.stride, conv.pad, "width", fn),
    f,
  ];
}

/**
 * Checks a pooling layer's arguments and returns its output shape.
 *
 * @param xShape input, [N, H, W, C]
 * @param pool window and stride
 * @param fn the function checking, named in errors
 * @returns [N, OH, OW, C]
 */
export function poolOutputShape(
  xShape: readonly number[],
  pool: PoolParam,
  fn: string,
): [number, number, number, number] {
  if (xShape.length !== 4) {
    throw new Error(`${fn}: x must be [N, H, W, C] (NHWC), got shape [${xShape}].`);
  }
  if (typeof pool !== "object" || pool === null) {
    throw new Error(`${fn}: pool must be { height, width, stride }, got ${pool}.`);
  }
  for (const key of ["height", "width", "stride"] as const) {
    if (!(Number.isInteger(pool[key]) && pool[key] >= 1)) {
      throw new Error(`${fn}: pool.${key} must be an integer ≥ 1, got ${pool[key]}.`);
    }
  }
  const [n, h, w, c] = xShape;
  return [
    n,
    outputSize(h, pool.height, pool.stride, 0, "height", fn),
    outputSize(w, pool.width, pool.stride, 0, "width", fn),
    c,
  ];
}

/** Throws, naming `fn`, unless stride is an integer ≥ 1 and pad an integer ≥ 0. */
export function checkConvParam(conv: ConvParam, fn: string): void {
  if (typeof conv !== "object" || conv === null) {
    throw new Error(`${fn}: conv must be { stride, pad }, got ${conv}.`);
  }
  if (!(Number.isInteger(conv.stride) && conv.stride >= 1)) {
    throw new Error(`${fn}: conv.stride must be an integer ≥ 1, got ${conv.stride}.`);
  }
  if (!(Number.isInteger(conv.pad) && conv.pad >= 0)) {
    throw new Error(`${fn}: conv.pad must be an integer ≥ 0, got ${conv.pad}.`);
  }
}
