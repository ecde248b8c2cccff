import { assertEquals, assertStringIncludes, assertThrows } from "./assert.ts";
import { lineChart } from "./plot.ts";

Deno.test("lineChart draws one path per series with a legend", () => {
  const svg = lineChart({
    title: "Loss & accuracy",
    xLabel: "epoch",
    yLabel: "value",
    series: [{ name: "train", y: [3, 2, 1] }, { name: "val", y: [3.5, 2.5, 2], x: [0, 1, 2] }],
  });
  assertStringIncludes(svg, "<svg");
  assertStringIncludes(svg, "Loss &amp; accuracy");
  assertStringIncludes(svg, ">train</text>");
  assertStringIncludes(svg, ">val</text>");
  assertStringIncludes(svg, "M70.0,");
});

Deno.test("a log scale skips non-positive values, and nothing to draw is an error", () => {
  assertStringIncludes(
    lineChart({
      title: "t",
      xLabel: "x",
      yLabel: "y",
      series: [{ name: "s", y: [0, 1, 10] }],
      logY: true,
    }),
    "<path",
  );
  assertThrows(
    () =>
      lineChart({ title: "empty", xLabel: "x", yLabel: "y", series: [{ name: "s", y: [NaN] }] }),
    Error,
    "no finite points",
  );
});

Deno.test("a series may set its colour and stay out of the legend", () => {
  const svg = lineChart({
    title: "t",
    xLabel: "x",
    yLabel: "y",
    series: [
      { name: "guide", y: [0, 1], color: "#cccccc", legend: false },
      { name: "data", y: [1, 0] },
    ],
  });
  assertStringIncludes(svg, 'stroke="#cccccc"');
  assertEquals(svg.includes(">guide</text>"), false);
  // the first legend entry, and the first palette colour, go to "data"
  assertStringIncludes(svg, `fill="#1f77b4"/>\n<text x="488" y="58">data</text>`);
});
