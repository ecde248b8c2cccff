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

const VISIBILITIES = ["hidden", "after_due_date", "after_published", "visible"];
const FORMATS = ["text", "html", "simple_format", "md", "ansi"];
const TOP_LEVEL = [
  "score",
  "execution_time",
  "output",
  "output_format",
  "test_output_format",
  "test_name_format",
  "visibility",
  "stdout_visibility",
  "extra_data",
  "tests",
  "leaderboard",
];
const TEST_FIELDS = [
  "score",
  "max_score",
  "status",
  "name",
  "name_format",
  "number",
  "output",
  "output_format",
  "tags",
  "visibility",
  "extra_data",
];

/**
 * What in `value` breaks Gradescope's documented results.json format (the
 * specification linked above): empty when nothing does. It checks each field's
 * type and allowed values, that a score is given (at the top or on every
 * test), and that no field is unknown.
 */
export function gradescopeProblems(value: unknown): string[] {
  const problems: string[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  const number = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
  if (!isObject(value)) return ["results.json is not a JSON object."];
  const oneOf = (where: string, v: unknown, allowed: readonly string[]) => {
    if (v !== undefined && !allowed.includes(v as string)) {
      problems.push(`${where} is ${JSON.stringify(v)}, not one of ${allowed.join(", ")}.`);
    }
  };
  for (const key of Object.keys(value)) {
    if (!TOP_LEVEL.includes(key)) problems.push(`unknown field "${key}".`);
  }
  if (value.score !== undefined && !number(value.score)) problems.push("score is not a number.");
  if (value.execution_time !== undefined && !number(value.execution_time)) {
    problems.push("execution_time is not a number of seconds.");
  }
  if (value.output !== undefined && typeof value.output !== "string") {
    problems.push("output is not text.");
  }
  for (const key of ["output_format", "test_output_format", "test_name_format"]) {
    oneOf(key, value[key], FORMATS);
  }
  oneOf("visibility", value.visibility, VISIBILITIES);
  oneOf("stdout_visibility", value.stdout_visibility, VISIBILITIES);
  if (value.extra_data !== undefined && !isObject(value.extra_data)) {
    problems.push("extra_data is not an object.");
  }
  const tests = value.tests ?? [];
  if (!Array.isArray(tests)) problems.push("tests is not a list.");
  else {
    tests.forEach((test: unknown, i) => {
      const where = `tests[${i}]`;
      if (!isObject(test)) return problems.push(`${where} is not an object.`);
      for (const key of Object.keys(test)) {
        if (!TEST_FIELDS.includes(key)) problems.push(`${where} has an unknown field "${key}".`);
      }
      for (const key of ["score", "max_score"]) {
        if (test[key] !== undefined && !number(test[key])) {
          problems.push(`${where}.${key} is not a number.`);
        }
      }
      if (number(test.score) && number(test.max_score) && test.score > test.max_score) {
        problems.push(`${where} scores more than its max_score.`);
      }
      if (test.score === undefined && value.score === undefined) {
        problems.push(`${where} has no score, and there is no score at the top.`);
      }
      for (const key of ["name", "output", "number"]) {
        if (test[key] !== undefined && typeof test[key] !== "string") {
          problems.push(`${where}.${key} is not text.`);
        }
      }
      oneOf(`${where}.status`, test.status, ["passed", "failed"]);
      oneOf(`${where}.visibility`, test.visibility, VISIBILITIES);
      oneOf(`${where}.output_format`, test.output_format, FORMATS);
      oneOf(`${where}.name_format`, test.name_format, FORMATS);
    });
  }
  if (value.score === undefined && (!Array.isArray(tests) || tests.length === 0)) {
    problems.push("there is no score: neither at the top nor on any test.");
  }
  if (value.leaderboard !== undefined) {
    if (!Array.isArray(value.leaderboard)) problems.push("leaderboard is not a list.");
    else {
      value.leaderboard.forEach((entry: unknown, i) => {
        const where = `leaderboard[${i}]`;
        if (!isObject(entry)) return problems.push(`${where} is not an object.`);
        if (typeof entry.name !== "string") problems.push(`${where}.name is not text.`);
        if (!number(entry.value) && typeof entry.value !== "string") {
          problems.push(`${where}.value is neither a number nor text.`);
        }
        oneOf(`${where}.order`, entry.order, ["asc", "desc"]);
      });
    }
  }
  return problems;
}
