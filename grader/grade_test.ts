/**
 * `deno task grade` end to end, on the course's real assignments: the starter
 * scores 0 with every test not implemented, the reference solutions score full
 * marks (hidden tests included), and the outputs are valid whatever happens.
 */
import { join } from "node:path";
import { assertEquals } from "../lib/assert.ts";
import { backendsHere, grade } from "./grade.ts";
import { parseJunit } from "./junit.ts";
import type { GradescopeResults } from "./results.ts";
import { COURSE_ROOT } from "./sandbox.ts";
import { courseAssignments } from "./suite.ts";

/** Runs `deno task grade`'s script with `args`; returns its exit code and its results.json. */
async function gradeCli(
  args: string[],
): Promise<{ code: number; results: GradescopeResults; junit?: string }> {
  const out = await Deno.makeTempDir();
  try {
    const { code } = await new Deno.Command("deno", {
      args: ["run", "--allow-all", "grader/grade.ts", ...args, "--out", out],
      cwd: COURSE_ROOT,
      stdout: "null",
      stderr: "null",
    }).output();
    const results = JSON.parse(await Deno.readTextFile(join(out, "results.json")));
    const junit = await Deno.readTextFile(join(out, "junit.xml")).catch(() => undefined);
    return { code, results, junit };
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

Deno.test("the generated starter scores 0, every test failing as not implemented", async () => {
  const result = await grade({
    submission: join(COURSE_ROOT, "assignments"),
    backends: await backendsHere(),
    timeoutMs: 300_000,
    memoryMb: 2048,
    jobs: navigator.hardwareConcurrency,
  });
  assertEquals(result.tests.length > 0, true);
  for (const test of result.tests) {
    assertEquals(test.status, "not implemented", `${test.name}:\n${test.output}`);
    assertEquals(test.score, 0);
  }
  assertEquals(result.notes, []);
});

Deno.test("the reference solutions score full marks, hidden tests and leaderboard included", async () => {
  const { code, results, junit } = await gradeCli([
    "solutions",
    "--hidden",
    "grader/testdata/hidden",
  ]);
  assertEquals(code, 0);
  const failing = results.tests.filter((t) => t.status !== "passed");
  assertEquals(failing, [], "every test passes");
  const assignments = await courseAssignments();
  const published = results.tests.filter((t) => t.visibility === "visible");
  for (const assignment of assignments) {
    const mine = published.filter((t) => t.name.startsWith(`${assignment}: `));
    assertEquals(
      mine.reduce((n, t) => n + t.max_score, 0),
      100,
      `${assignment}'s published points`,
    );
  }
  assertEquals(results.score, 100 * assignments.length + 10);
  assertEquals(
    results.tests.filter((t) => t.visibility !== "visible").map((t) => [t.name, t.visibility]),
    [
      ["01-backprop: Task 1: add gate on rank-3 inputs [4 pts]", "after_published"],
      ["01-backprop: Task 1: sigmoid neuron at random points [6 pts]", "hidden"],
    ],
  );
  assertEquals(results.leaderboard?.map((e) => [e.name, e.order]), [
    ["sigmoid neuron max error", "asc"],
  ]);
  const cases = parseJunit(junit!);
  assertEquals(cases.length, results.tests.length);
  assertEquals(cases.every((c) => c.outcome === "passed"), true);
});

Deno.test("a submission that cannot be read still leaves a valid results.json", async () => {
  const { code, results } = await gradeCli(["/no/such/submission.zip"]);
  assertEquals(code, 1);
  assertEquals(results.score, 0);
  assertEquals(results.tests, []);
  assertEquals(results.output.includes("no such file or folder"), true, results.output);
});
