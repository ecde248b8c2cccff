/**
 * Charts as SVG text — line charts, histograms, scatter plots and decision
 * regions — that a script writes to a file and a notebook shows under a cell
 * (`show` in `lib/notebook.ts`).
 *
 * Drawn by Observable Plot (npm `@observablehq/plot`) on linkedom's headless
 * DOM (npm `linkedom`); the raster of a decision-region chart is a PNG
 * (npm `fast-png`) inside the SVG. Every chart is one standalone SVG document
 * with its title (and subtitle) drawn in it, a legend when it has more than
 * one named series, axes with round tick values — on a log axis too: 1, 0.5,
 * 0.2 or 1e-4, 1e-3, never 0.631 — and a white background.
 *
 * @example
 * ```ts
 * import { lineChart } from "./plot.ts";
 * const svg = lineChart({
 *   title: "Training loss", xLabel: "iteration", yLabel: "loss",
 *   series: [{ name: "train", y: [2.3, 1.1, 0.6, 0.4] }],
 *   logY: true,
 * });
 * await Deno.writeTextFile("loss.svg", svg);
 * ```
 * @module
 */
import * as Plot from "@observablehq/plot";
import { encode } from "fast-png";
import { parseHTML } from "linkedom";

/** One line: y values (x defaults to 0, 1, 2, …) or explicit x values. */
export interface Series {
  name: string;
  y: readonly number[];
  x?: readonly number[];
  /** a CSS colour; default the next colour of the palette */
  color?: string;
  /** list it in the legend; default true (false for guides such as contour lines) */
  legend?: boolean;
}

/** What {@linkcode lineChart} draws. */
export interface Chart {
  title: string;
  /** a second line under the title, e.g. the final accuracy */
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** Plot y on a log₁₀ scale; points with y ≤ 0 are left out (a gap in the line). */
  logY?: boolean;
  /** Plot x on a log₁₀ scale; points with x ≤ 0 are left out. */
  logX?: boolean;
  /** The y range shown, lines clipped to it; default all the points. */
  yDomain?: [number, number];
}

/** The palette, in order of use (Matplotlib's first colours). */
export const COLORS: readonly string[] = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
];

/** Width of every chart, in pixels. */
const WIDTH = 640;

/**
 * Draws lines — loss and accuracy curves, optimiser paths — as a standalone
 * SVG document. A point whose x or y is not finite (or not positive on a log
 * axis) is left out, leaving a gap.
 *
 * @throws Error if no series has a point to draw
 */
export function lineChart(chart: Chart): string {
  const series = withColors(chart.series);
  const lines = series.map((s) =>
    Array.from(s.y, (y, i) => {
      const x = s.x ? s.x[i] : i;
      return onAxis(x, chart.logX) && onAxis(y, chart.logY) ? { x, y } : { x: NaN, y: NaN };
    })
  );
  const drawn = lines.flat().filter((p) => !Number.isNaN(p.x));
  if (drawn.length === 0) throw new Error(`lineChart "${chart.title}": no finite points to draw.`);
  return figure({
    title: chart.title,
    subtitle: chart.subtitle,
    legend: series.filter((s) => s.legend !== false),
    panels: [render({
      width: WIDTH,
      height: 360,
      marginLeft: 64,
      x: axis(chart.xLabel, chart.logX, drawn.map((p) => p.x)),
      y: {
        ...axis(chart.yLabel, chart.logY, chart.yDomain ?? drawn.map((p) => p.y)),
        ...(chart.yDomain && { domain: chart.yDomain }),
        grid: true,
      },
      marks: lines.map((line, k) =>
        Plot.line(line, {
          x: "x",
          y: "y",
          stroke: series[k].color,
          strokeWidth: 1.5,
          clip: chart.yDomain !== undefined,
        })
      ),
    })],
  });
}

/** One panel of a {@linkcode histogramChart}: the values it counts. */
export interface HistogramPanel {
  name: string;
  values: ArrayLike<number>;
  /** a CSS colour; default the first colour of the palette */
  color?: string;
}

/** What {@linkcode histogramChart} draws. */
export interface Histograms {
  title: string;
  subtitle?: string;
  xLabel: string;
  /** one histogram each, side by side */
  panels: readonly HistogramPanel[];
  /** bins per panel; default 40 */
  bins?: number;
  /** panels per row; default min(panels, 5) */
  columns?: number;
  /**
   * The range binned, the same for every panel so they compare; default from
   * the smallest to the largest value of all panels. Values outside are not counted.
   */
  domain?: [number, number];
}

/**
 * Histograms side by side — e.g. one per layer, to watch activations shrink or
 * saturate with depth. Every panel bins the same range (so a narrowing
 * distribution shows) and has its own count axis (so a tall spike does not
 * flatten the others).
 *
 * @throws Error if there is no panel, or no finite value at all
 */
export function histogramChart(histograms: Histograms): string {
  const { panels, bins = 40 } = histograms;
  if (panels.length === 0) throw new Error(`histogramChart "${histograms.title}": no panels.`);
  const domain = histograms.domain ?? extentOf(panels.map((p) => p.values));
  if (!domain) throw new Error(`histogramChart "${histograms.title}": no finite values.`);
  const [lo, hi] = domain[0] < domain[1] ? domain : [domain[0] - 1, domain[1] + 1];
  const columns = histograms.columns ?? Math.min(panels.length, 5);
  const size = Math.floor(WIDTH / columns);
  return figure({
    title: histograms.title,
    subtitle: histograms.subtitle,
    columns,
    xLabel: histograms.xLabel,
    panels: panels.map((panel) => {
      const counts = new Array<number>(bins).fill(0);
      for (let i = 0; i < panel.values.length; i++) {
        const v = panel.values[i];
        if (v >= lo && v <= hi) {
          counts[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]++;
        }
      }
      const rows = counts.map((count, k) => ({
        x1: lo + ((hi - lo) * k) / bins,
        x2: lo + ((hi - lo) * (k + 1)) / bins,
        count,
      }));
      return render({
        width: size,
        height: Math.round(size * 0.75),
        marginLeft: 40,
        marginRight: 14,
        marginTop: 22,
        marginBottom: 24,
        x: { domain: [lo, hi], label: null, ticks: 3, tickFormat: "~g" },
        y: { label: null, ticks: 3, tickFormat: shortCount },
        marks: [
          Plot.rectY(rows, { x1: "x1", x2: "x2", y: "count", fill: panel.color ?? COLORS[0] }),
          Plot.ruleY([0]),
          Plot.text([panel.name], { frameAnchor: "top", dy: -16, fontSize: 11 }),
        ],
      });
    }),
  });
}

/** 1500 → "1.5k", 2000000 → "2M": counts on a narrow axis. */
function shortCount(count: number): string {
  for (const [size, unit] of [[1e6, "M"], [1e3, "k"]] as const) {
    if (Math.abs(count) >= size) return `${+(count / size).toPrecision(3)}${unit}`;
  }
  return String(count);
}

/** Points of one colour in a {@linkcode scatterChart}. */
export interface ScatterSeries {
  name: string;
  x: readonly number[];
  y: readonly number[];
  /** a text next to each point, e.g. its score */
  labels?: readonly string[];
  color?: string;
}

/** What {@linkcode scatterChart} draws. */
export interface Scatter {
  title: string;
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: readonly ScatterSeries[];
  logX?: boolean;
  logY?: boolean;
}

/**
 * Points, optionally labelled — e.g. a hyper-parameter search: each trial's
 * learning rate and regularisation strength, labelled with its accuracy.
 *
 * @throws Error if no point can be drawn
 */
export function scatterChart(scatter: Scatter): string {
  const series = withColors(scatter.series);
  const rows = series.flatMap((s) =>
    s.x.map((x, i) => ({ x, y: s.y[i], label: s.labels?.[i] ?? "", color: s.color }))
      .filter((p) => onAxis(p.x, scatter.logX) && onAxis(p.y, scatter.logY))
  );
  if (rows.length === 0) throw new Error(`scatterChart "${scatter.title}": no points to draw.`);
  return figure({
    title: scatter.title,
    subtitle: scatter.subtitle,
    legend: series,
    swatch: "dot",
    panels: [render({
      width: WIDTH,
      height: 400,
      marginLeft: 64,
      marginRight: 40,
      inset: 12,
      x: axis(scatter.xLabel, scatter.logX, rows.map((r) => r.x)),
      y: { ...axis(scatter.yLabel, scatter.logY, rows.map((r) => r.y)), grid: true },
      marks: [
        Plot.dot(rows, { x: "x", y: "y", fill: (r) => r.color, r: 4, stroke: "white" }),
        Plot.text(rows, { x: "x", y: "y", text: "label", dx: 7, textAnchor: "start" }),
      ],
    })],
  });
}

/** The rectangle of the plane a {@linkcode regionsChart} shows: x from x[0] to x[1], y likewise. */
export interface Domain {
  x: [number, number];
  y: [number, number];
}

/**
 * The centres of a grid of `width` × `height` cells covering `domain`, in
 * the order a {@linkcode regionsChart} reads its classes: rows from the top
 * (largest y) down, left to right in a row.
 *
 * @returns the points as a row-major [width·height, 2] array of (x, y), ready for `tf.tensor2d(…, [n, 2])`
 * @example
 * ```ts
 * import { regionGrid } from "./plot.ts";
 * regionGrid({ x: [0, 2], y: [0, 2] }, 2, 2); // (0.5, 1.5), (1.5, 1.5), (0.5, 0.5), (1.5, 0.5)
 * ```
 */
export function regionGrid(domain: Domain, width: number, height: number): Float32Array {
  const grid = new Float32Array(width * height * 2);
  const [[x0, x1], [y0, y1]] = [domain.x, domain.y];
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) {
      grid[2 * (i * width + j)] = x0 + ((x1 - x0) * (j + 0.5)) / width;
      grid[2 * (i * width + j) + 1] = y1 - ((y1 - y0) * (i + 0.5)) / height;
    }
  }
  return grid;
}

/** What {@linkcode regionsChart} draws. */
export interface Regions {
  title: string;
  /** e.g. the training accuracy */
  subtitle?: string;
  xLabel?: string;
  yLabel?: string;
  domain: Domain;
  /** the class predicted at each cell of a {@linkcode regionGrid} of `width` × `height` */
  grid: { width: number; height: number; classes: ArrayLike<number> };
  /** points drawn on top: (x, y) pairs, row-major [N, 2], and each one's class [N] */
  points: { xy: ArrayLike<number>; classes: ArrayLike<number> };
  /** a name per class, for a legend; default no legend */
  classNames?: readonly string[];
}

/**
 * A classifier's decision regions: the plane coloured by predicted class (a
 * PNG image inside the SVG: smooth edges at any size, a few KB), the points
 * on top in their true class's colour, with axes. x and y are drawn at the
 * same scale. A grid of 400 × 400 cells (for a square domain) matches the
 * image's pixels one to one.
 *
 * @example
 * ```ts
 * import { regionGrid, regionsChart } from "./plot.ts";
 * const domain = { x: [-1, 1], y: [-1, 1] } as { x: [number, number]; y: [number, number] };
 * const cells = regionGrid(domain, 100, 100);
 * const classes = Array.from({ length: 100 * 100 }, (_, k) => (cells[2 * k] > 0 ? 1 : 0));
 * const svg = regionsChart({
 *   title: "x > 0", subtitle: "training accuracy 100%", domain,
 *   grid: { width: 100, height: 100, classes },
 *   points: { xy: [0.5, 0.5, -0.5, 0.2], classes: [1, 0] },
 * });
 * ```
 */
export function regionsChart(regions: Regions): string {
  const { domain, grid, points } = regions;
  if (grid.classes.length !== grid.width * grid.height) {
    throw new Error(
      `regionsChart: grid.classes has ${grid.classes.length} values, expected ` +
        `width·height = ${grid.width * grid.height}.`,
    );
  }
  const side = 400;
  const [dx, dy] = [domain.x[1] - domain.x[0], domain.y[1] - domain.y[0]];
  const [w, h] = dx >= dy
    ? [side, Math.round((side * dy) / dx)]
    : [Math.round((side * dx) / dy), side];
  const margin = { left: 56, right: 16, top: 8, bottom: 44 };
  const dots = Array.from(points.classes, (c, k) => ({
    x: points.xy[2 * k],
    y: points.xy[2 * k + 1],
    color: COLORS[c % COLORS.length],
  }));
  return figure({
    title: regions.title,
    subtitle: regions.subtitle,
    legend: regions.classNames?.map((name, c) => ({ name, color: COLORS[c % COLORS.length] })),
    swatch: "dot",
    panels: [render({
      width: w + margin.left + margin.right,
      height: h + margin.top + margin.bottom,
      marginLeft: margin.left,
      marginRight: margin.right,
      marginTop: margin.top,
      marginBottom: margin.bottom,
      x: {
        domain: domain.x,
        label: regions.xLabel ?? "x",
        labelAnchor: "center",
        labelArrow: "none",
      },
      y: {
        domain: domain.y,
        label: regions.yLabel ?? "y",
        labelAnchor: "center",
        labelArrow: "none",
      },
      marks: [
        Plot.image([null], {
          x: (domain.x[0] + domain.x[1]) / 2,
          y: (domain.y[0] + domain.y[1]) / 2,
          width: w,
          height: h,
          preserveAspectRatio: "none",
          src: `data:image/png;base64,${tintedImage(grid).toBase64()}`,
        }),
        Plot.dot(dots, {
          x: "x",
          y: "y",
          fill: (d) => d.color,
          stroke: "black",
          strokeWidth: 0.5,
          r: 3,
          clip: true,
        }),
        Plot.frame(),
      ],
    })],
  });
}

/** Each cell of the grid in its class's tint: a PNG, one pixel per cell, the top row first. */
function tintedImage(grid: Regions["grid"]): Uint8Array {
  const data = new Uint8Array(grid.width * grid.height * 3);
  for (let k = 0; k < grid.classes.length; k++) {
    data.set(TINTS[grid.classes[k] % TINTS.length], 3 * k);
  }
  return encode({ width: grid.width, height: grid.height, data, channels: 3 });
}

/** The palette mixed 70% with white, as RGB: the background of each class's region. */
const TINTS = COLORS.map((color) =>
  [1, 3, 5].map((i) => Math.round(255 - 0.3 * (255 - parseInt(color.slice(i, i + 2), 16))))
);

// ---------------------------------------------------------------------------
// Drawing: Plot on linkedom, and the frame every chart shares.

const { document } = parseHTML("<html><body></body></html>") as unknown as Required<
  Plot.PlotOptions
>;
/**
 * Plot's SVG for `options` (never a `<figure>`: titles and legends are drawn by
 * {@linkcode figure}), without Plot's stylesheet: its `height: auto` is meant
 * for an `<svg>` in a web page, and would resize one nested in our figure.
 */
function render(options: Plot.PlotOptions): Panel {
  const svg = Plot.plot({ document, ...options });
  if (svg.tagName.toLowerCase() !== "svg") {
    throw new Error("lib/plot.ts: Plot returned a <figure>; draw titles and legends in figure().");
  }
  svg.querySelector("style")?.remove();
  svg.removeAttribute("class");
  return {
    width: Number(svg.getAttribute("width")),
    height: Number(svg.getAttribute("height")),
    svg: svg.outerHTML,
  };
}

interface Panel {
  width: number;
  height: number;
  svg: string;
}

interface LegendEntry {
  name: string;
  color: string;
}

/**
 * A standalone SVG document: the title, the subtitle, a legend (when it has
 * more than one entry: a line or a dot of each colour, and the name), the
 * panels in rows of `columns`, centred, and under them the panels' shared x
 * label if given.
 */
function figure(parts: {
  title: string;
  subtitle?: string;
  legend?: readonly LegendEntry[];
  swatch?: "line" | "dot";
  panels: readonly Panel[];
  columns?: number;
  xLabel?: string;
}): string {
  const { panels, columns = 1 } = parts;
  const rows = rowsOf(panels, columns);
  const rowWidth = (row: Panel[]) => row.reduce((w, p) => w + p.width, 0);
  const width = Math.max(WIDTH, ...rows.map(rowWidth));
  const body: string[] = [
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16">${
      escape(parts.title)
    }</text>`,
  ];
  let top = 34;
  if (parts.subtitle) {
    body.push(
      `<text x="${width / 2}" y="${top + 12}" text-anchor="middle" fill="#555">${
        escape(parts.subtitle)
      }</text>`,
    );
    top += 20;
  }
  const legend = parts.legend ?? [];
  if (legend.length > 1) {
    let x = 64;
    top += 4;
    for (const { name, color } of legend) {
      const advance = 38 + 7 * [...name].length;
      if (x + advance > width - 8 && x > 64) [x, top] = [64, top + 18];
      body.push(
        parts.swatch === "dot"
          ? `<circle cx="${x + 10}" cy="${top + 6}" r="4" fill="${color}"/>`
          : `<line x1="${x}" x2="${x + 20}" y1="${top + 6}" y2="${
            top + 6
          }" stroke="${color}" stroke-width="3"/>`,
        `<text x="${x + 26}" y="${top + 10}">${escape(name)}</text>`,
      );
      x += advance;
    }
    top += 22;
  }
  for (const row of rows) {
    let x = Math.round((width - rowWidth(row)) / 2);
    for (const panel of row) {
      body.push(`<g transform="translate(${x},${top})">${panel.svg}</g>`);
      x += panel.width;
    }
    top += Math.max(...row.map((p) => p.height));
  }
  if (parts.xLabel) {
    body.push(
      `<text x="${width / 2}" y="${top + 8}" text-anchor="middle">${escape(parts.xLabel)}</text>`,
    );
    top += 16;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
    `width="${width}" height="${top}" viewBox="0 0 ${width} ${top}" ` +
    `font-family="system-ui, sans-serif" font-size="12">`,
    ...body,
    "</svg>\n",
  ].join("\n");
}

function rowsOf<T>(items: readonly T[], columns: number): T[][] {
  return Array.from(
    { length: Math.ceil(items.length / columns) },
    (_, r) => items.slice(r * columns, (r + 1) * columns),
  );
}

/**
 * A linear or log axis with a label along it, for drawn `values`. A log axis
 * ticks round numbers ({@linkcode logTicks}); a linear axis of a few whole
 * numbers (epochs) ticks only those.
 */
function axis(
  label: string,
  log: boolean | undefined,
  values: readonly number[],
): Plot.ScaleOptions {
  const common = { label, labelAnchor: "center", labelArrow: "none" } as const;
  const [lo, hi] = extentOf([values]) ?? [1, 1];
  if (log) {
    const ticks = logTicks(lo, hi);
    return ticks.length >= 2
      ? { ...common, type: "log", ticks, tickFormat: formatLogTick }
      : { ...common, type: "log", tickFormat: "~g" };
  }
  if (values.every(Number.isInteger) && hi - lo <= 12) {
    return {
      ...common,
      ticks: Array.from({ length: hi - lo + 1 }, (_, i) => lo + i),
      tickFormat: "d",
    };
  }
  return common;
}

/**
 * Round ticks for a log axis from `lo` to `hi`: 1, 2, 3, 5 × 10ᵏ over a
 * decade or so, 1, 2, 5 × 10ᵏ over up to three, powers of ten beyond (every
 * other one, or sparser, past eight decades).
 *
 * @example
 * ```ts
 * logTicks(0.24, 2.3); // [0.3, 0.5, 1, 2]
 * logTicks(2e-5, 3e-2); // [0.0001, 0.001, 0.01]
 * ```
 */
export function logTicks(lo: number, hi: number): number[] {
  const decades = Math.log10(hi / lo);
  const mantissas = decades <= 1.5 ? [1, 2, 3, 5] : decades <= 3 ? [1, 2, 5] : [1];
  const every = Math.max(1, Math.ceil(decades / 8));
  const ticks: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) {
    if (k % every !== 0) continue;
    for (const m of mantissas) {
      const tick = +(m * 10 ** k).toPrecision(12);
      if (tick >= lo * (1 - 1e-9) && tick <= hi * (1 + 1e-9)) ticks.push(tick);
    }
  }
  return ticks;
}

/** 0.5, 2, 300 as they are; 1e-4 and 1e6 in exponent form. */
function formatLogTick(v: number): string {
  return v >= 1e-3 && v < 1e5
    ? String(+v.toPrecision(6))
    : v.toExponential().replace(/\.?0*e\+?/, "e");
}

function onAxis(v: number, log: boolean | undefined): boolean {
  return Number.isFinite(v) && (!log || v > 0);
}

/** The series with a colour each: their own, or the next of the palette. */
function withColors<S extends { color?: string }>(series: readonly S[]): (S & { color: string })[] {
  let next = 0;
  return series.map((s) => ({ ...s, color: s.color ?? COLORS[next++ % COLORS.length] }));
}

/** The smallest and largest finite value of all the arrays; undefined if there is none. */
function extentOf(arrays: readonly ArrayLike<number>[]): [number, number] | undefined {
  let [lo, hi] = [Infinity, -Infinity];
  for (const values of arrays) {
    for (let k = 0; k < values.length; k++) {
      if (Number.isFinite(values[k])) [lo, hi] = [Math.min(lo, values[k]), Math.max(hi, values[k])];
    }
  }
  return lo <= hi ? [lo, hi] : undefined;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
