/**
 * GitHub Classroom's autograding result: a grading in the format that
 * Classroom's reporter action (`classroom-resources/autograding-grading-reporter`)
 * reads from a step's `result` output — base64 of JSON with `version`,
 * `status` (`pass`, `fail` or `error`), `max_score` and `tests[]` (`name`,
 * `status`, `score`, `message`, …). The reporter posts the sum of the tests'
 * `score` out of the `max_score` to Classroom.
 *
 *     deno run --allow-read grader/classroom.ts out/grade/results.json   # prints the base64 result
 *
 * @module
 */
import type { GradescopeResults } from "./results.ts";

/** One test in Classroom's format. */
export interface ClassroomTest {
  name: string;
  status: "pass" | "fail" | "error";
  score: number;
  message: string;
  test_code: string;
  filename: string;
  line_no: number;
  execution_time: string;
}

/** A runner's result in Classroom's format. */
export interface ClassroomResult {
  version: 1;
  status: "pass" | "fail" | "error";
  max_score: number;
  tests: ClassroomTest[];
}

/**
 * Gradescope's results.json as Classroom's result. A grading that produced no
 * tests (the upload or the grader failed) is an `error` carrying the message.
 */
export function toClassroom(results: GradescopeResults): ClassroomResult {
  const tests: ClassroomTest[] = results.tests.map((t) => ({
    name: t.name,
    status: t.status === "passed" ? "pass" : "fail",
    score: t.score,
    message: t.output,
    test_code: "",
    filename: "",
    line_no: 0,
    execution_time: "",
  }));
  if (tests.length === 0) {
    tests.push({
      name: "grading",
      status: "error",
      score: 0,
      message: results.output,
      test_code: "",
      filename: "",
      line_no: 0,
      execution_time: "",
    });
  }
  return {
    version: 1,
    status: tests.every((t) => t.status === "pass")
      ? "pass"
      : tests.some((t) => t.status === "error")
      ? "error"
      : "fail",
    max_score: results.tests.reduce((n, t) => n + t.max_score, 0),
    tests,
  };
}

/** The result as the reporter reads it: base64 of its JSON (UTF-8). */
export function encodeResult(result: ClassroomResult): string {
  const bytes = new TextEncoder().encode(JSON.stringify(result));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

if (import.meta.main) {
  const [path] = Deno.args;
  if (!path) {
    console.error("usage: deno run --allow-read grader/classroom.ts RESULTS_JSON");
    Deno.exit(1);
  }
  console.log(encodeResult(toClassroom(JSON.parse(await Deno.readTextFile(path)))));
}
