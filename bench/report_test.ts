import { assertEquals } from "../lib/assert.ts";
import { markdownTable } from "./report.ts";

Deno.test("markdownTable shows ms for ops, ex/s for steps, and speed ratios to torch", () => {
  const md = markdownTable(
    [
      { name: "op: matmul", times: { a: 2, b: 1 }, torch: 1 },
      { name: "step: MLP", examples: 128, times: { a: 4 }, torch: 2 },
    ],
    ["a", "b"],
    ["a"],
  );
  assertEquals(md.split("\n"), [
    "| benchmark | a | b | PyTorch CPU | a / torch |",
    "| --- | ---: | ---: | ---: | ---: |",
    "| op: matmul (ms) | 2.000 | 1.000 | 1.000 | 0.50 |",
    "| step: MLP (ex/s) | 32,000 | — | 64,000 | 0.50 |",
  ]);
});

Deno.test("markdownTable leaves out the torch columns when torch was not measured", () => {
  const md = markdownTable([{ name: "op: x", times: { a: 12.34 } }], ["a"]);
  assertEquals(md.split("\n")[2], "| op: x (ms) | 12.3 |");
});
