/**
 * Line charts as SVG files a student can open in any browser.
 *
 * Enough for loss and accuracy curves and optimiser paths: several series,
 * axes with ticks, a legend, and a log scale for losses.
 *
 * @example
 * ```ts
 * import { lineChart } from "./plot.ts";
 * const svg = lineChart({
 *   title: "Training loss", xLabel: "iteration", yLabel: "loss",
 *   series: [{ name: "train", y: [2.3, 1.1, 0.6, 0.4] }],
 * });
 * await Deno.writeTextFile("loss.svg", svg);
 * ```
 * @module
 */

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

/** What to draw. */
export interface Chart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** Plot y on a log₁₀ scale (all y must be positive). */
  logY?: boolean;
}

const COLORS = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
];
const W = 640, H = 400, M = { left: 70, right: 20, top: 40, bottom: 50 };

/** Renders `chart` as a standalone SVG document. */
export function lineChart(chart: Chart): string {
  const fy = chart.logY ? Math.log10 : (v: number) => v;
  const points = chart.series.map((s) =>
    s.y.map((y, i) => [s.x?.[i] ?? i, fy(y)] as const).filter(([x, y]) =>
      isFinite(x) && isFinite(y)
    )
  );
  const all = points.flat();
  if (all.length === 0) throw new Error(`lineChart "${chart.title}": no finite points to draw.`);
  const [x0, x1] = extent(all.map((p) => p[0]));
  const [y0, y1] = extent(all.map((p) => p[1]));
  const sx = (x: number) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right);
  const sy = (y: number) => H - M.bottom - ((y - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const label = (v: number) => formatTick(chart.logY ? 10 ** v : v);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${escape(chart.title)}</text>`,
    `<text x="${W / 2}" y="${H - 10}" text-anchor="middle">${escape(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${H / 2}) rotate(-90)" text-anchor="middle">${
      escape(chart.yLabel)
    }</text>`,
    `<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${
      H - M.top - M.bottom
    }" fill="none" stroke="#333"/>`,
  ];
  for (const x of niceTicks(x0, x1)) {
    parts.push(
      `<text x="${sx(x)}" y="${H - M.bottom + 16}" text-anchor="middle">${formatTick(x)}</text>`,
    );
  }
  for (const y of niceTicks(y0, y1)) {
    parts.push(
      `<text x="${M.left - 6}" y="${sy(y) + 4}" text-anchor="end">${label(y)}</text>`,
      `<line x1="${M.left}" x2="${W - M.right}" y1="${sy(y)}" y2="${sy(y)}" stroke="#eee"/>`,
    );
  }
  let palette = 0, entries = 0;
  points.forEach((line, k) => {
    const series = chart.series[k];
    const color = series.color ?? COLORS[palette++ % COLORS.length];
    const d = line.map(([x, y], i) => `${i ? "L" : "M"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`)
      .join("");
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    if (series.legend === false) return;
    parts.push(
      `<rect x="${W - M.right - 150}" y="${
        M.top + 8 + 18 * entries
      }" width="12" height="12" fill="${color}"/>`,
      `<text x="${W - M.right - 132}" y="${M.top + 18 + 18 * entries}">${
        escape(series.name)
      }</text>`,
    );
    entries++;
  });
  parts.push("</svg>\n");
  return parts.join("\n");
}

function extent(values: number[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  return [lo, hi];
}

/** About five round-numbered ticks (steps of 1, 2 or 5 × 10ᵏ) within [lo, hi]. */
function niceTicks(lo: number, hi: number): number[] {
  const rough = (hi - lo) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push(+t.toPrecision(12));
  }
  return ticks;
}

function formatTick(v: number): string {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0)
    ? v.toExponential(1)
    : String(+v.toPrecision(3));
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
