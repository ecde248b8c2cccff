/**
 * Images for looking at what a network learned: grids of tiles, a colour map,
 * and PNG files (encoded by the npm package `fast-png`, pinned in deno.json).
 *
 * An {@linkcode Image} is 8-bit RGB, row-major, the three values of a pixel
 * next to each other (as NHWC tensors lay out a pixel's channels). A
 * **tile** is a float array of `height·width·channels` numbers, 1 channel
 * (shown grey, or through a colour map) or 3 (shown as RGB); it is scaled
 * to 0–255 from its own minimum and maximum unless a range is given, since
 * the filters and gradients shown this way have arbitrary units.
 *
 * @example Four random 5×5 tiles in a 2×2 grid, each pixel drawn 8 times as large
 * ```ts
 * import { encodePng, imageGrid } from "./image.ts";
 * const tiles = Array.from({ length: 4 }, (_, k) => Float32Array.from({ length: 25 }, (_, i) => i * k));
 * const image = imageGrid(tiles, { height: 5, width: 5, channels: 1, columns: 2, scale: 8 });
 * console.log(image.width, image.height); // 2·5·8 + 3 = 83 wide (1-pixel borders), 83 high
 * const png = encodePng(image); // Uint8Array, starts with the PNG signature
 * ```
 * @module
 */
import { decode, encode } from "fast-png";

/** An 8-bit RGB image, row-major: pixel (y, x) is `data[3·(y·width + x) + 0…2]`. */
export interface Image {
  width: number;
  height: number;
  data: Uint8Array;
}

/** How {@linkcode imageGrid} lays out its tiles. */
export interface GridOptions {
  /** each tile's height and width, in values */
  height: number;
  width: number;
  /** values per pixel: 1 (grey, or `colormap`) or 3 (RGB) */
  channels: 1 | 3;
  /** tiles per row of the grid; default ⌈√count⌉ */
  columns?: number;
  /** each value drawn as a scale×scale block of pixels; default 1 */
  scale?: number;
  /** pixels of background between tiles and around the grid; default 1 */
  border?: number;
  /** the background's grey level, 0–255; default 255 (white) */
  background?: number;
  /**
   * The values drawn black and white (or at the ends of the colour map);
   * default each tile's own minimum and maximum.
   */
  range?: [number, number];
  /** for 1-channel tiles: a colour for each level in [0, 1]; default grey */
  colormap?: (level: number) => [number, number, number];
}

/**
 * Tiles laid out in a grid, each scaled to 0–255 (see the module doc).
 *
 * @param tiles each `height·width·channels` numbers, row-major, channels last
 * @param options the tiles' shape and the layout
 * @returns the grid as an RGB image
 * @throws Error if a tile has the wrong length or an option is out of range
 */
export function imageGrid(tiles: readonly ArrayLike<number>[], options: GridOptions): Image {
  const { height, width, channels, scale = 1, border = 1, background = 255 } = options;
  const columns = options.columns ?? Math.ceil(Math.sqrt(tiles.length));
  for (const [key, value] of Object.entries({ height, width, columns, scale })) {
    if (!(Number.isInteger(value) && value >= 1)) {
      throw new Error(`imageGrid: ${key} must be an integer ≥ 1, got ${value}.`);
    }
  }
  if (channels !== 1 && channels !== 3) {
    throw new Error(`imageGrid: channels must be 1 or 3, got ${channels}.`);
  }
  const size = height * width * channels;
  tiles.forEach((t, k) => {
    if (t.length !== size) {
      throw new Error(
        `imageGrid: tile ${k} has ${t.length} values, expected ${height}·${width}·${channels} = ${size}.`,
      );
    }
  });
  const rows = Math.max(1, Math.ceil(tiles.length / columns));
  const [tileW, tileH] = [width * scale, height * scale];
  const image = blank(
    columns * tileW + (columns + 1) * border,
    rows * tileH + (rows + 1) * border,
    background,
  );
  const colour = options.colormap ?? ((v: number) => [v * 255, v * 255, v * 255]);
  tiles.forEach((tile, k) => {
    const [low, high] = options.range ?? extent(tile);
    const span = high > low ? high - low : 1;
    const level = (v: number) => Math.min(1, Math.max(0, (v - low) / span));
    const left = border + (k % columns) * (tileW + border);
    const top = border + Math.floor(k / columns) * (tileH + border);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const at = (y * width + x) * channels;
        const rgb = channels === 3
          ? [0, 1, 2].map((c) => 255 * level(tile[at + c]))
          : colour(level(tile[at]));
        fill(image, left + x * scale, top + y * scale, scale, rgb);
      }
    }
  });
  return image;
}

/** Images one above the other, left edges aligned, with `gap` rows of white between them. */
export function aboveEachOther(images: readonly Image[], gap = 4): Image {
  const width = Math.max(...images.map((im) => im.width));
  const height = images.reduce((h, im) => h + im.height, 0) + gap * (images.length - 1);
  const out = blank(width, height, 255);
  let top = 0;
  for (const im of images) {
    for (let y = 0; y < im.height; y++) {
      out.data.set(
        im.data.subarray(3 * y * im.width, 3 * (y + 1) * im.width),
        3 * (top + y) * width,
      );
    }
    top += im.height + gap;
  }
  return out;
}

/**
 * A perceptually ordered colour map from dark purple (0) through teal to
 * yellow (1): viridis, interpolated between nine of its colours. For
 * heat maps such as saliency, where a grey ramp hides small differences.
 */
export function viridis(level: number): [number, number, number] {
  const stops = VIRIDIS;
  const t = Math.min(1, Math.max(0, level)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(t));
  const f = t - i;
  return [0, 1, 2].map((c) => stops[i][c] + f * (stops[i + 1][c] - stops[i][c])) as [
    number,
    number,
    number,
  ];
}

const VIRIDIS: [number, number, number][] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** The image as PNG file bytes. */
export function encodePng(image: Image): Uint8Array {
  return encode({ width: image.width, height: image.height, data: image.data, channels: 3 });
}

/** The width and height of a PNG file's image (read back by decoding it). */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const { width, height } = decode(png);
  return { width, height };
}

/** Writes the image to `path` as a PNG file, creating its folder if need be. */
export async function writePng(path: string, image: Image): Promise<void> {
  const folder = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
  if (folder) await Deno.mkdir(folder, { recursive: true });
  await Deno.writeFile(path, encodePng(image));
}

function blank(width: number, height: number, grey: number): Image {
  return { width, height, data: new Uint8Array(width * height * 3).fill(grey) };
}

function fill(image: Image, left: number, top: number, scale: number, rgb: number[]): void {
  const [r, g, b] = rgb.map(Math.round);
  for (let y = top; y < top + scale; y++) {
    for (let x = left; x < left + scale; x++) {
      const at = 3 * (y * image.width + x);
      image.data[at] = r;
      image.data[at + 1] = g;
      image.data[at + 2] = b;
    }
  }
}

function extent(values: ArrayLike<number>): [number, number] {
  let [low, high] = [Infinity, -Infinity];
  for (let i = 0; i < values.length; i++) {
    low = Math.min(low, values[i]);
    high = Math.max(high, values[i]);
  }
  return [low, high];
}
