/**
 * The terminal summary of a grading: each test's status and score, the first
 * line of why it failed, and each assignment's total.
 *
 * @example
 * ```ts
 * import { formatTable } from "./table.ts";
 * console.log(formatTable(grade)); // grade from grade.ts
 * ```
 * @module
 */
import type { Grade } from "./grade.ts";

/** The grading as a table for a terminal (plain text, at most ~110 columns). */
export function formatTable(grade: Grade): string {
  const lines: string[] = [];
  const assignments = [...new Set(grade.tests.map((t) => t.assignment))];
  for (const assignment of assignments) {
    const tests = grade.tests.filter((t) => t.assignment === assignment);
    lines.push("", assignment);
    for (const t of tests) {
      const score = `${t.score}/${t.points}`.padStart(6);
      lines.push(`  ${t.status.padEnd(15)} ${score}  ${t.hidden ? "(hidden) " : ""}${t.name}`);
      const why = t.output.split("\n").find((l) => l.trim() !== "");
      if (t.status !== "passed" && why) lines.push(`${" ".repeat(26)}${clip(why.trim(), 84)}`);
    }
    const score = tests.reduce((n, t) => n + t.score, 0);
    const points = tests.reduce((n, t) => n + t.points, 0);
    lines.push(`  ${"total".padEnd(15)} ${`${score}/${points}`.padStart(6)}`);
  }
  for (const m of grade.metrics) {
    lines.push(
      `leaderboard: ${m.name} = ${m.value} (${m.order === "asc" ? "lower" : "higher"} is better)`,
    );
  }
  for (const note of grade.notes) lines.push(`note: ${note}`);
  const reruns = grade.runs.filter((r) => r.test !== undefined).length;
  const longest = grade.runs.reduce((a, b) => (b.seconds > a.seconds ? b : a), grade.runs[0]);
  const largest = grade.runs.reduce((a, b) => (b.peakMb > a.peakMb ? b : a), grade.runs[0]);
  if (longest && largest) {
    lines.push(
      `runs: ${grade.runs.length} (${reruns} re-run${reruns === 1 ? "" : "s"}); longest ` +
        `${longest.assignment}/${longest.file} ${longest.seconds} s; most memory ` +
        `${largest.assignment}/${largest.file} ${largest.peakMb} MiB`,
    );
  }
  lines.push(
    `(${grade.tests.length} tests on ${grade.backends.join(" and ")} in ${
      grade.seconds.toFixed(1)
    } s)`,
  );
  return lines.join("\n");
}

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}
