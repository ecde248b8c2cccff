/**
 * Turning benchmark timings into the markdown table the README shows.
 *
 * Ops are shown in ms per call, training steps in examples per second; each
 * configuration measured on the CPU gets a ratio column against PyTorch:
 * its speed divided by PyTorch's (1.0 = as fast; ≥ 0.5 is the project's goal).
 *
 * @example
 * ```ts
 * import { markdownTable } from "./report.ts";
 * const md = markdownTable(
 *   [{ name: "step: MLP", examples: 128, times: { "wasm portable": 4 }, torch: 2 }],
 *   ["wasm portable"],
 * );
 * // | benchmark | wasm portable | PyTorch CPU | wasm portable / torch |
 * // | step: MLP (ex/s) | 32,000 | 64,000 | 0.50 |
 * ```
 * @module
 */

/** One benchmark's median-run times, in ms per iteration. */
export interface Row {
  /** "op: …" or "step: …". */
  name: string;
  /** Examples per iteration, for training steps; ops have none. */
  examples?: number;
  /** Configuration name → median-run ms (missing where it could not run). */
  times: Record<string, number | undefined>;
  /** PyTorch's median-run ms, if it was measured. */
  torch?: number;
}

/** The markdown table: one column per configuration, PyTorch, then ratios for `ratioOf`. */
export function markdownTable(
  rows: readonly Row[],
  configs: readonly string[],
  ratioOf: readonly string[] = configs,
): string {
  const hasTorch = rows.some((r) => r.torch !== undefined);
  const head = [
    "benchmark",
    ...configs,
    ...(hasTorch ? ["PyTorch CPU", ...ratioOf.map((c) => `${c} / torch`)] : []),
  ];
  const lines = [
    `| ${head.join(" | ")} |`,
    `|${head.map((_, i) => (i ? " ---: " : " --- ")).join("|")}|`,
  ];
  for (const row of rows) {
    const unit = row.examples ? "ex/s" : "ms";
    const cells = [`${row.name} (${unit})`, ...configs.map((c) => show(row, row.times[c]))];
    if (hasTorch) {
      cells.push(show(row, row.torch));
      for (const c of ratioOf) {
        const t = row.times[c];
        cells.push(t !== undefined && row.torch !== undefined ? (row.torch / t).toFixed(2) : "—");
      }
    }
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/** A time as the row shows it: ms for ops, examples per second for steps, "—" if missing. */
function show(row: Row, ms: number | undefined): string {
  if (ms === undefined) return "—";
  if (row.examples) return Math.round((row.examples * 1000) / ms).toLocaleString("en-US");
  return ms < 10 ? ms.toFixed(3) : ms.toFixed(1);
}
