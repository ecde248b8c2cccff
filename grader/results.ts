/**
 * Gradescope's `results.json`: the score, one entry per test, and the leaderboard.
 *
 * Format: https://gradescope-autograders.readthedocs.io/en/latest/specs/ —
 * `score`, `execution_time`, `output`, and `tests[]` with `name`, `score`,
 * `max_score`, `status`, `output` and `visibility`; `leaderboard[]` with
 * `name`, `value` and `order`; `extra_data` (stored, never shown to students)
 * holds each test process's time and peak memory, for sizing the container.
 *
 * @example
 * ```ts
 * import { emptyResults } from "./results.ts";
 * await Deno.writeTextFile("results.json", JSON.stringify(emptyResults("Grading did not finish.")));
 * ```
 * @module
 */
import type { Grade } from "./grade.ts";

/** One test in Gradescope's format. */
export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  visibility: string;
}

/** Gradescope's results file. */
export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  tests: GradescopeTest[];
  leaderboard?: { name: string; value: number; order: "asc" | "desc" }[];
  extra_data?: { runs: Grade["runs"] };
}

/** Results that give no points and say why: written before grading, and if the grader fails. */
export function emptyResults(output: string): GradescopeResults {
  return { score: 0, execution_time: 0, output, tests: [] };
}

/** A grading in Gradescope's format. */
export function toGradescope(grade: Grade): GradescopeResults {
  const assignments = [...new Set(grade.tests.map((t) => t.assignment))];
  const tests = grade.tests.map((t) => ({
    name: assignments.length > 1 ? `${t.assignment}: ${t.name}` : t.name,
    score: t.score,
    max_score: t.points,
    status: t.status === "passed" ? "passed" as const : "failed" as const,
    output: t.status === "passed" ? "" : `${capitalize(t.status)}.\n${t.output}`,
    visibility: t.visibility,
  }));
  const lines = assignments.map((a) => {
    const mine = grade.tests.filter((t) => t.assignment === a);
    const visible = mine.filter((t) => !t.hidden);
    const total = (ts: typeof mine, key: "score" | "points") => ts.reduce((n, t) => n + t[key], 0);
    return `${a}: ${total(visible, "score")} / ${total(visible, "points")} on the published tests` +
      (visible.length < mine.length ? ", more from hidden tests" : "") + ".";
  });
  lines.push(`Tested on ${grade.backends.join(" and ")}.`, ...grade.notes);
  return {
    score: grade.tests.reduce((n, t) => n + t.score, 0),
    execution_time: Math.round(grade.seconds),
    output: lines.join("\n"),
    tests,
    ...(grade.metrics.length
      ? {
        leaderboard: grade.metrics.map(({ name, value, order }) => ({ name, value, order })),
      }
      : {}),
    ...(grade.runs.length ? { extra_data: { runs: grade.runs } } : {}),
  };
}

function capitalize(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}
