import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertEquals, assertStringIncludes } from "./assert.ts";
import { parseJunit } from "./junit.ts";
import { formatSummary, verdicts } from "./test_runner.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** A JUnit report as `deno test` writes it for graded tests (every test's place is lib/testing.ts). */
function report(cases: { name: string; failure?: string }[]): string {
  const body = cases.map(({ name, failure }) =>
    `<testcase name="${name}" classname="./lib/testing.ts">${
      failure ? `<failure message="x">${failure}</failure>` : ""
    }</testcase>`
  ).join("");
  return `<testsuites><testsuite name="./lib/testing.ts">${body}</testsuite></testsuites>`;
}

const NOT_WRITTEN = (f: string) =>
  `NotImplementedError: ${f} is not implemented yet: write it where its TODO is.\n    at x`;

Deno.test("verdicts: passed, failed through a backend step, not implemented, in task order", () => {
  const cases = parseJunit(report([
    { name: "Task 2: b [5 pts]", failure: "1 test step failed." },
    { name: "Task 2: b [5 pts] &gt; wasm" },
    { name: "Task 2: b [5 pts] &gt; webgpu", failure: "Error: dx is wrong\n    at y" },
    { name: "Task 1: a [2 pts]" },
    { name: "Task 3: c [1 pt]", failure: NOT_WRITTEN("softmaxLoss") },
    { name: "not a graded test" },
  ]));
  assertEquals(verdicts(cases, "01-backprop"), [
    { assignment: "01-backprop", task: 1, points: 2, name: "a", status: "passed", why: "" },
    {
      assignment: "01-backprop",
      task: 2,
      points: 5,
      name: "b",
      status: "failed",
      why: "On webgpu: Error: dx is wrong",
    },
    {
      assignment: "01-backprop",
      task: 3,
      points: 1,
      name: "c",
      status: "not implemented",
      why: "softmaxLoss",
    },
  ], "one verdict per graded test");
});

Deno.test("the summary gives points per task, one line for a task not started, and what to run next", () => {
  const results = verdicts(
    parseJunit(report([
      { name: "Task 1: a [2 pts]" },
      { name: "Task 1: b [3 pts]", failure: "AssertionError: out[0] is 1, expected 2" },
      { name: "Task 2: c [4 pts]", failure: NOT_WRITTEN("affineForward") },
      { name: "Task 2: d [1 pt]", failure: NOT_WRITTEN("affineBackward") },
    ])),
    "01-backprop",
  );
  const summary = formatSummary(results, ["assignments/01-backprop/"]);
  assertEquals(summary.split("\n").slice(1), [
    "01-backprop: 2 / 10 points",
    "  Task 1: 2 / 5",
    "    ✓ a [2 pts]",
    "    ✗ b [3 pts]",
    "        AssertionError: out[0] is 1, expected 2",
    "  Task 2: 0 / 5 — not implemented yet (affineForward, affineBackward)",
    "",
    "1 passed, 1 failed, 2 not implemented yet.",
    'Next: deno task test assignments/01-backprop/ --filter "Task 1:"',
  ], "the summary");
});

Deno.test("a type error in one file is a warning, and the other files' tests still run", async () => {
  const dir = await Deno.makeTempDir({ dir: join(ROOT, "out"), prefix: "runner-" });
  try {
    const folder = join(dir, "assignments", "99-demo");
    await Deno.mkdir(folder, { recursive: true });
    const lib = "../../../../lib";
    await Deno.writeTextFile(
      join(folder, "bad.ts"),
      `export function twice(x: number): number {\n  const y: number = "2";\n  return x * 2;\n}\n`,
    );
    await Deno.writeTextFile(
      join(folder, "good.ts"),
      `export function thrice(x: number): number {\n  return x * 3;\n}\n`,
    );
    for (const [name, fn, task] of [["bad", "twice", 1], ["good", "thrice", 2]] as const) {
      await Deno.writeTextFile(
        join(folder, `${name}_test.ts`),
        `import { test } from "${lib}/testing.ts";\nimport { ${fn} } from "./${name}.ts";\n` +
          `test("${fn}", { task: ${task}, points: 1 }, () => {\n` +
          `  if (${fn}(1) < 2) throw new Error("wrong");\n});\n`,
      );
    }
    const { code, stdout, stderr } = await new Deno.Command("deno", {
      args: ["run", "-A", "lib/test_runner.ts", folder],
      cwd: ROOT,
      env: { NO_COLOR: "1", GRADLAB_TEST_BACKENDS: "wasm" },
    }).output();
    const [out, err] = [stdout, stderr].map((b) => new TextDecoder().decode(b));
    assertStringIncludes(err, "bad.ts:2: TS2322", "the type error is named with its file and line");
    assertStringIncludes(out, "99-demo: 2 / 2 points", "both files' tests ran and passed");
    assertEquals(code, 0, "every test passed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
