import { assertStringIncludes, assertThrows } from "./assert.ts";
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
