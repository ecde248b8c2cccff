import { decode } from "fast-png";
import {
  assert,
  assertEquals,
  assertGreater,
  assertLess,
  assertStringIncludes,
  assertThrows,
} from "./assert.ts";
import {
  COLORS,
  histogramChart,
  lineChart,
  logTicks,
  regionGrid,
  regionsChart,
  scatterChart,
} from "./plot.ts";

/** The texts of the tick labels of an axis ("x" or "y"), in the order drawn. */
function tickLabels(svg: string, axis: "x" | "y"): string[] {
  const group = svg.match(new RegExp(`aria-label="${axis}-axis tick label"[^>]*>(.*?)</g>`))?.[1];
  return [...(group ?? "").matchAll(/>([^<]*)<\/text>/g)].map((m) => m[1]);
}

/** How many marks of a kind (`line`, `dot`, `rect`, `image`) a chart draws. */
function marks(svg: string, kind: string): number {
  return svg.split(`aria-label="${kind}"`).length - 1;
}

/** Is `label` a round number: 1, 2, 3 or 5 times a power of ten? */
function isRound(label: string): boolean {
  const value = Number(label);
  const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
  return [1, 2, 3, 5].some((m) => Math.abs(mantissa - m) < 1e-9);
}

Deno.test("lineChart: a standalone SVG document with its title, a line per series and a legend", () => {
  const svg = lineChart({
    title: "Loss & accuracy",
    subtitle: "final loss 0.24",
    xLabel: "epoch",
    yLabel: "value",
    series: [{ name: "train", y: [3, 2, 1] }, { name: "val", y: [3.5, 2.5, 2], x: [0, 1, 2] }],
  });
  assert(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), "an SVG document of its own");
  assertStringIncludes(svg, ">Loss &amp; accuracy</text>", "the title, escaped");
  assertStringIncludes(svg, ">final loss 0.24</text>", "the subtitle");
  assertEquals(marks(svg, "line"), 2, "one line per series");
  assertStringIncludes(svg, ">train</text>", "legend entry");
  assertStringIncludes(svg, ">val</text>", "legend entry");
  assertStringIncludes(svg, ">epoch</text>", "x label");
  assertStringIncludes(svg, ">value</text>", "y label");
  assertEquals(tickLabels(svg, "x"), ["0", "1", "2"], "whole epochs tick as whole numbers");
  assertEquals(svg.includes("<style"), false, "no stylesheet to resize the nested chart");
});

Deno.test("lineChart: a log axis ticks round numbers — 1, 0.5, 0.3, never 0.631", () => {
  const loss = Array.from({ length: 1000 }, (_, i) => 0.24 + 2.06 * Math.exp(-i / 150));
  const labels = tickLabels(
    lineChart({
      title: "t",
      xLabel: "x",
      yLabel: "loss",
      series: [{ name: "l", y: loss }],
      logY: true,
    }),
    "y",
  );
  assertEquals(labels, ["0.3", "0.5", "1", "2"], "the spiral loss's range, 0.24–2.3");
  const ratios = tickLabels(
    lineChart({
      title: "t",
      xLabel: "x",
      yLabel: "ratio",
      series: [{ name: "W", y: [3e-2, 1e-3, 2e-5] }],
      logY: true,
    }),
    "y",
  );
  assertEquals(ratios, ["1e-4", "0.001", "0.01"], "update ratios, 2e-5–3e-2");
});

Deno.test("logTicks: round values within the range, fewer per decade as the range grows", () => {
  for (const [lo, hi] of [[0.24, 2.3], [0.02, 2.3], [2e-5, 3e-2], [1e-7, 0.3], [1e-40, 10]]) {
    const ticks = logTicks(lo, hi);
    assertGreater(ticks.length, 1, `[${lo}, ${hi}]: at least two ticks`);
    assertLess(ticks.length, 10, `[${lo}, ${hi}]: not crowded`);
    for (const t of ticks) {
      assert(t >= lo && t <= hi, `[${lo}, ${hi}]: tick ${t} is inside`);
      assert(isRound(String(t)), `[${lo}, ${hi}]: tick ${t} is 1, 2, 3 or 5 × 10^k`);
    }
  }
  assertEquals(logTicks(0.02, 2.3), [0.02, 0.05, 0.1, 0.2, 0.5, 1, 2], "1, 2, 5 over 2 decades");
});

Deno.test("lineChart: log scales leave out non-positive values; nothing to draw is an error", () => {
  const svg = lineChart({
    title: "t",
    xLabel: "x",
    yLabel: "y",
    series: [{ name: "s", y: [0, 1, 10, -1, 5] }],
    logY: true,
  });
  assertEquals(marks(svg, "line"), 1, "the line is drawn");
  assertEquals(svg.includes("NaN"), false, "no point at log(0)");
  assertThrows(
    () =>
      lineChart({ title: "empty", xLabel: "x", yLabel: "y", series: [{ name: "s", y: [NaN] }] }),
    Error,
    "no finite points",
  );
});

Deno.test("lineChart: a series may set its colour and stay out of the legend; yDomain clips", () => {
  const svg = lineChart({
    title: "t",
    xLabel: "x",
    yLabel: "y",
    series: [
      { name: "guide", y: [0, 1], color: "#cccccc", legend: false },
      { name: "data", y: [1, 0] },
      { name: "more", y: [0.5, 0.5] },
    ],
    yDomain: [0, 0.8],
  });
  assertStringIncludes(svg, 'stroke="#cccccc"', "the guide's own colour");
  assertEquals(svg.includes(">guide</text>"), false, "the guide stays out of the legend");
  assertStringIncludes(svg, `stroke="${COLORS[0]}"`, "the first palette colour goes to data");
  assertStringIncludes(svg, ">data</text>", "legend entry");
  assertStringIncludes(svg, "clip-path", "lines are clipped to the y domain");
  assertEquals(tickLabels(svg, "y").at(-1), "0.8", "the y axis ends at the domain's top");
});

Deno.test("a single series has no legend: its name would repeat the title", () => {
  const svg = lineChart({
    title: "t",
    xLabel: "x",
    yLabel: "y",
    series: [{ name: "alone", y: [1, 2] }],
  });
  assertEquals(svg.includes(">alone</text>"), false, "no legend entry");
});

Deno.test("histogramChart: one panel per set of values over a shared range, counts per bin", () => {
  const svg = histogramChart({
    title: "Activations",
    xLabel: "activation",
    panels: [
      { name: "layer 1", values: [0, 0, 0, 1] },
      { name: "layer 2", values: new Float32Array([0.5, 0.5, NaN]) },
    ],
    bins: 2,
  });
  assertStringIncludes(svg, ">layer 1</text>", "panel name");
  assertStringIncludes(svg, ">layer 2</text>", "panel name");
  assertStringIncludes(svg, ">activation</text>", "the shared x label");
  assertEquals(marks(svg, "rect"), 2, "a bar mark per panel");
  const bars = svg.match(/aria-label="rect">(.*?)<\/g>/)![1];
  const heights = [...bars.matchAll(/height="([\d.]+)"/g)].map((m) => Number(m[1]));
  assertEquals(heights.length, 2, "layer 1: a bar per bin");
  assertLess(
    Math.abs(heights[0] / heights[1] - 3),
    1e-9,
    "layer 1: 3 values in the first bin, 1 in the last",
  );
  assertEquals(
    tickLabels(svg, "x")[0],
    "0",
    "the range starts at the smallest value of all panels",
  );
  assertThrows(
    () => histogramChart({ title: "none", xLabel: "v", panels: [{ name: "p", values: [NaN] }] }),
    Error,
    "no finite values",
  );
  assertThrows(
    () => histogramChart({ title: "none", xLabel: "v", panels: [] }),
    Error,
    "no panels",
  );
});

Deno.test("scatterChart: a dot per point, labelled, a dot legend for several series", () => {
  const svg = scatterChart({
    title: "Search",
    xLabel: "learning rate",
    yLabel: "reg",
    series: [
      { name: "coarse", x: [1e-4, 1e-2], y: [1e-5, 1e-3], labels: ["0.41", "0.85"] },
      { name: "fine", x: [2e-3, 0], y: [1e-4, 1e-4], labels: ["0.87", "dropped"] },
    ],
    logX: true,
    logY: true,
  });
  assertStringIncludes(svg, ">0.85</text>", "a point's label");
  assertEquals(svg.includes(">dropped</text>"), false, "x = 0 has no place on a log axis");
  assertStringIncludes(svg, ">fine</text>", "legend entry");
  assertEquals(svg.split("<circle").length - 1, 3 + 2, "3 points drawn, 2 legend swatches");
});

Deno.test("regionGrid: cell centres, rows from the top, left to right", () => {
  assertEquals(
    Array.from(regionGrid({ x: [0, 2], y: [0, 2] }, 2, 2)),
    [0.5, 1.5, 1.5, 1.5, 0.5, 0.5, 1.5, 0.5],
  );
});

Deno.test("regionsChart: the regions as a small PNG under the points, with axes, title and accuracy", () => {
  const domain = { x: [-1, 1], y: [-1, 1] } as { x: [number, number]; y: [number, number] };
  const cells = regionGrid(domain, 400, 400);
  // class 1 right of the diagonal x = y, class 0 left: edges a stair-stepped grid would show
  const classes = Int32Array.from(
    { length: 400 * 400 },
    (_, k) => cells[2 * k] > cells[2 * k + 1] ? 1 : 0,
  );
  const svg = regionsChart({
    title: "Two-layer net on the spiral",
    subtitle: "training accuracy 98.7%",
    domain,
    grid: { width: 400, height: 400, classes },
    points: { xy: [0.5, -0.5, -0.5, 0.5, 5, 5], classes: [1, 0, 1] },
  });
  assertStringIncludes(svg, ">Two-layer net on the spiral</text>", "title");
  assertStringIncludes(svg, ">training accuracy 98.7%</text>", "the accuracy");
  assertEquals(tickLabels(svg, "x").slice(0, 3), ["−1.0", "−0.5", "0.0"], "an x axis");
  assertGreater(tickLabels(svg, "y").length, 2, "a y axis");
  assertEquals(marks(svg, "dot"), 1, "the points, one mark");
  assertStringIncludes(svg, "clip-path", "points outside the plane are clipped");
  assertLess(svg.length, 60_000, "tens of KB, not 768 KB of rectangles");
  const png = decode(
    Uint8Array.from(atob(svg.match(/base64,([^"]+)"/)![1]), (c) => c.charCodeAt(0)),
  );
  assertEquals([png.width, png.height], [400, 400], "one pixel per cell");
  const pixel = (row: number, col: number) =>
    Array.from(png.data.subarray(3 * (row * 400 + col), 3 * (row * 400 + col) + 3));
  const tint = (color: string) =>
    [1, 3, 5].map((i) => Math.round(255 - 0.3 * (255 - parseInt(color.slice(i, i + 2), 16))));
  assertEquals(pixel(399, 399), tint(COLORS[1]), "bottom right (x > y): class 1's tint");
  assertEquals(pixel(200, 399), tint(COLORS[1]), "middle right: class 1's tint");
  assertEquals(pixel(0, 0), tint(COLORS[0]), "top left: class 0's tint");
  assertEquals(pixel(200, 0), tint(COLORS[0]), "middle left: class 0's tint");
  assertThrows(
    () =>
      regionsChart({
        ...{ title: "t", domain },
        grid: { width: 2, height: 2, classes: [0] },
        points: { xy: [], classes: [] },
      }),
    Error,
    "expected width·height = 4",
  );
});
