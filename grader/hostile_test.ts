/**
 * The hostile-submission corpus (grader/testdata/hostile/): each case grades to
 * exactly what honest failures would give — the same score, the same failing
 * tests with the status that says why — and grading always finishes.
 *
 * Each case is the reference solution with `gates.ts` replaced (see the
 * corpus's README). To keep CI short, each is graded on two test files only —
 * gates_test.ts (12 points), which the case attacks from inside, and
 * layers_test.ts (28 points), whose process must not be affected — and on
 * wasm alone: what the cases attack does not depend on the backend.
 */
import { join } from "node:path";
import { assertEquals } from "../lib/assert.ts";
import { grade, type TestResult } from "./grade.ts";
import { COURSE_ROOT } from "./sandbox.ts";
import type { Status } from "./verdict.ts";

const HOSTILE = join(COURSE_ROOT, "grader/testdata/hostile");
const SOLUTION = join(COURSE_ROOT, "solutions/01-backprop");

/** The tests of gates_test.ts, by the function they are about. */
const GATES = {
  add: "Task 1: add gate: forward adds, backward routes dout to both inputs [2 pts]",
  multiply: "Task 1: multiply gate: backward swaps the inputs [2 pts]",
  max: "Task 1: max gate: backward routes dout to the larger input [2 pts]",
  gradientCheck: "Task 1: gates pass the gradient check [2 pts]",
  neuron: "Task 1: sigmoid neuron: the known values [2 pts]",
  neuronGradientCheck: "Task 1: sigmoid neuron passes the gradient check [2 pts]",
};
const HIDDEN = {
  add: "Task 1: add gate on rank-3 inputs [4 pts]",
  neuron: "Task 1: sigmoid neuron at random points [6 pts]",
};
const allGates = (status: Status) =>
  Object.fromEntries(Object.values(GATES).map((name) => [name, status]));

/** Rewrites the file at `path`, replacing the one match of `pattern`; throws if there is none. */
async function edit(path: string, pattern: RegExp, replacement: string): Promise<void> {
  const text = await Deno.readTextFile(path);
  if (!pattern.test(text)) throw new Error(`${path}: ${pattern} matches nothing`);
  await Deno.writeTextFile(path, text.replace(pattern, replacement));
}

/** Grades case `name` and checks the score and that exactly `failing` fail, as given. */
async function expectHonest(
  name: string,
  score: number,
  failing: Record<string, Status>,
  options: { timeoutMs?: number; hidden?: boolean } = {},
): Promise<TestResult[]> {
  const submission = await Deno.makeTempDir({ prefix: `gradlab-hostile-${name}-` });
  try {
    const folder = join(submission, "01-backprop");
    await Deno.mkdir(folder);
    for await (const entry of Deno.readDir(SOLUTION)) {
      await Deno.copyFile(join(SOLUTION, entry.name), join(folder, entry.name));
    }
    await Deno.copyFile(join(SOLUTION, "gates.ts"), join(folder, "honest_gates.ts"));
    await Deno.copyFile(join(HOSTILE, "wrong_gates.ts"), join(folder, "wrong_gates.ts"));
    for await (const entry of Deno.readDir(join(HOSTILE, name))) {
      await Deno.copyFile(join(HOSTILE, name, entry.name), join(folder, entry.name));
    }
    const result = await grade({
      submission,
      assignments: ["01-backprop"],
      hidden: options.hidden ? join(COURSE_ROOT, "grader/testdata/hidden") : undefined,
      only: ["gates_test.ts", "layers_test.ts", "gates_hidden_test.ts"],
      backends: ["wasm"],
      timeoutMs: options.timeoutMs ?? 60_000,
      memoryMb: 1024,
      jobs: navigator.hardwareConcurrency,
    });
    const failed = Object.fromEntries(
      result.tests.filter((t) => t.status !== "passed").map((t) => [t.name, t.status]),
    );
    const why = result.tests.filter((t) => t.status !== "passed")
      .map((t) => `${t.name}: ${t.status}\n${t.output}`).join("\n\n");
    assertEquals(failed, failing, `${name}: the tests that fail, and how. The failures:\n${why}\n`);
    assertEquals(result.tests.reduce((n, t) => n + t.score, 0), score, `${name}: the score`);
    return result.tests;
  } finally {
    await Deno.remove(submission, { recursive: true });
  }
}

Deno.test("hostile: throwing at import fails that test file's tests, and only those", async () => {
  const tests = await expectHonest("throws-at-import", 28, allGates("not run"));
  const output = tests.find((t) => t.name === GATES.add)!.output;
  assertEquals(output.includes("this submission throws while its module loads"), true, output);
});

Deno.test("hostile: an endless loop times out its own tests; the rest still pass", async () => {
  await expectHonest(
    "loops-forever",
    36,
    { [GATES.add]: "timed out", [GATES.gradientCheck]: "timed out" },
    { timeoutMs: 8_000 },
  );
});

Deno.test("hostile: exhausting memory (heap or buffers) fails only the tests that do it", async () => {
  await expectHonest("exhausts-memory", 34, {
    [GATES.multiply]: "out of memory",
    [GATES.max]: "out of memory",
    [GATES.gradientCheck]: "out of memory",
  });
});

Deno.test("hostile: NaN, a wrong shape, a wrong dtype and a non-tensor fail", async () => {
  await expectHonest("wrong-values", 28, allGates("failed"));
});

Deno.test("hostile: solutions, hidden tests, test files and the environment stay unreadable", async () => {
  // A module outside the sandbox at a path the case names literally.
  await Deno.mkdir("/tmp/gradlab-hostile-secret", { recursive: true });
  await Deno.writeTextFile("/tmp/gradlab-hostile-secret/solution.ts", "export const secret = 1;\n");
  try {
    await expectHonest("reads-secrets", 28, {
      ...allGates("failed"),
      [HIDDEN.add]: "failed",
      [HIDDEN.neuron]: "failed",
    }, { hidden: true });
  } finally {
    await Deno.remove("/tmp/gradlab-hostile-secret", { recursive: true });
  }
});

Deno.test("hostile: no module outside the sandbox loads through a package's sub-path", async () => {
  await Deno.mkdir("/tmp/gradlab-hostile-secret", { recursive: true });
  await Deno.writeTextFile("/tmp/gradlab-hostile-secret/solution.ts", "export const secret = 1;\n");
  try {
    await expectHonest("escapes-through-packages", 28, allGates("failed"));
  } finally {
    await Deno.remove("/tmp/gradlab-hostile-secret", { recursive: true });
  }
});

Deno.test("hostile: a forged provided file is not used, and the note says so", async () => {
  const submission = await Deno.makeTempDir({ prefix: "gradlab-hostile-provided-" });
  try {
    const folder = join(submission, "01-backprop");
    await Deno.mkdir(folder);
    for await (const entry of Deno.readDir(SOLUTION)) {
      await Deno.copyFile(join(SOLUTION, entry.name), join(folder, entry.name));
    }
    // A net that learns nothing (sgdStep returns its input), and a provided train.ts
    // forged to say every prediction is right, both edited from the reference.
    await edit(
      join(folder, "two_layer_net.ts"),
      /(export function sgdStep[^{]*\{)/,
      "$1\n  return params;",
    );
    await edit(
      join(folder, "train.ts"),
      /(export async function accuracy[^{]*\{)/,
      "$1\n  return Promise.resolve(1);",
    );
    const result = await grade({
      submission,
      assignments: ["01-backprop"],
      only: ["two_layer_net_test.ts"],
      backends: ["wasm"],
      timeoutMs: 120_000,
      memoryMb: 1024,
      jobs: navigator.hardwareConcurrency,
    });
    const failed = result.tests.filter((t) => t.status !== "passed").map((t) => t.name).sort();
    assertEquals(failed, [
      "Task 5: overfits 50 examples to 100% training accuracy [3 pts]",
      "Task 5: sgdStep updates every parameter into a new tensor; predict [2 pts]",
    ], "the tests that need learning fail: the course's accuracy() was used");
    assertEquals(result.tests.reduce((n, t) => n + t.score, 0), 12, "the score");
    assertEquals(
      result.notes.some((n) => n.includes("your train.ts differs from the course's")),
      true,
      `a note says train.ts was not used: ${result.notes}`,
    );
  } finally {
    await Deno.remove(submission, { recursive: true });
  }
});

Deno.test("hostile: a folder named like a test file is left out, and grading goes on", async () => {
  const submission = await Deno.makeTempDir({ prefix: "gradlab-hostile-folder-" });
  try {
    const folder = join(submission, "01-backprop");
    await Deno.mkdir(join(folder, "gates_test.ts"), { recursive: true });
    await Deno.writeTextFile(join(folder, "gates_test.ts", "x.ts"), "export {};\n");
    for await (const entry of Deno.readDir(SOLUTION)) {
      await Deno.copyFile(join(SOLUTION, entry.name), join(folder, entry.name));
    }
    const result = await grade({
      submission,
      assignments: ["01-backprop"],
      only: ["gates_test.ts"],
      backends: ["wasm"],
      timeoutMs: 60_000,
      memoryMb: 1024,
      jobs: navigator.hardwareConcurrency,
    });
    assertEquals(result.tests.reduce((n, t) => n + t.score, 0), 12, "the gates tests all pass");
    assertEquals(
      result.notes.some((n) => n.includes("gates_test.ts/x.ts was left out")),
      true,
      `a note says the folder was left out: ${result.notes}`,
    );
  } finally {
    await Deno.remove(submission, { recursive: true });
  }
});

Deno.test("hostile: no network, subprocess, FFI, or writing outside scratch", async () => {
  await expectHonest("acts-outside", 28, allGates("failed"));
  const planted = await Deno.stat("/tmp/gradlab-hostile-was-here").then(() => true, () => false);
  assertEquals(planted, false, "a file the submission tried to write in /tmp exists");
});

Deno.test("hostile: fake reporter output, results files and same-named tests count for nothing", async () => {
  const tests = await expectHonest("forges-results", 28, allGates("failed"));
  const output = tests.find((t) => t.name === GATES.max)!.output;
  assertEquals(output.startsWith("Reported 2 times"), true, output);
});

Deno.test("hostile: replacing Deno.test, built-ins, assertion helpers or tfjs changes nothing", async () => {
  await expectHonest("tampers-in-process", 28, allGates("failed"));
});

Deno.test("hostile: exiting early fails only the tests that exit", async () => {
  await expectHonest("exits-early", 30, {
    [GATES.multiply]: "failed",
    [GATES.max]: "failed",
    [GATES.gradientCheck]: "failed",
    [GATES.neuron]: "failed",
    [GATES.neuronGradientCheck]: "failed",
  });
});

Deno.test("hostile: an uncaught error from a timer fails only the tests that set it", async () => {
  await expectHonest("leaves-a-bomb", 36, {
    [GATES.add]: "not run",
    [GATES.gradientCheck]: "not run",
  });
});
