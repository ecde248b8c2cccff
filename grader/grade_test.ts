/**
 * `deno task grade` end to end, on the course's real assignments: the starter
 * scores 0 with every test not implemented, the reference solutions score full
 * marks (hidden tests included), and the outputs are valid whatever happens.
 */
import { join } from "node:path";
import { assertEquals } from "../lib/assert.ts";
import { backendsHere, grade, runFiles } from "./grade.ts";
import { parseJunit } from "../lib/junit.ts";
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
  // The leaderboard is public at once: the targets' numbers, never a hidden test's.
  assertEquals(results.leaderboard?.map((e) => `${e.name} (${e.order})`).sort(), [
    "CIFAR-10 test accuracy (two-layer net) (desc)",
    "CIFAR-10 test accuracy (your convnet) (desc)",
    "Fashion-MNIST test accuracy (2-conv net) (desc)",
    "Fashion-MNIST test accuracy (6-layer batchnorm net) (desc)",
    "Fashion-MNIST test accuracy (dropout net) (desc)",
    "Fashion-MNIST test accuracy (searched 5-layer net) (desc)",
    "Fashion-MNIST test accuracy (two-layer net) (desc)",
    "Tiny Shakespeare validation perplexity (LSTM) (asc)",
  ], "the leaderboard's entries (each names its data set and model: no two alike)");
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

Deno.test("an upload that is not a valid archive scores 0 with a message that says so, and exit 0", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "hw1.zip"), "PK this is not a zip");
    const { code, results } = await gradeCli([join(dir, "hw1.zip")]);
    assertEquals(code, 0, "the grader worked: exit 0");
    assertEquals(results.score, 0, "score");
    assertEquals(
      results.output.startsWith("Your upload hw1.zip is not a valid zip archive"),
      true,
      results.output,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a run takes the student files and helpers from the submission, the rest from the course", () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  const starter = new Map([["layers.ts", bytes("// TODO")], ["train.ts", bytes("course")]]);
  const { files, ignored } = runFiles(
    starter,
    ["layers.ts"],
    ["layers_test.ts"],
    new Map([
      ["layers.ts", bytes("mine")],
      ["train.ts", bytes("forged")],
      ["helpers/math.ts", bytes("my helper")],
      ["layers_test.ts/x.ts", bytes("in the way")],
      ["notes_test.ts", bytes("a test of my own")],
      ["latin1.ts", new Uint8Array([0x63, 0x61, 0x66, 0xe9])],
    ]),
  );
  const text = (name: string) => new TextDecoder().decode(files.get(name));
  assertEquals(text("layers.ts"), "mine", "the student's file");
  assertEquals(text("train.ts"), "course", "the course's provided file");
  assertEquals(text("helpers/math.ts"), "my helper", "a helper the student added");
  assertEquals([...files.keys()].sort(), ["helpers/math.ts", "layers.ts", "train.ts"], "files");
  assertEquals(ignored, [
    "layers_test.ts/x.ts was left out: it would stand where a course file or test is.",
    "notes_test.ts was left out: it would stand where a course file or test is.",
    "latin1.ts is not UTF-8 text, so it was left out: save it as UTF-8 and upload it again.",
    "your train.ts differs from the course's and was not used: the course provides it, and " +
    "only the files with TODOs (layers.ts) are graded from your upload.",
  ], "what was left out, and why");
});

Deno.test("stopping the grader stops every test process it started", async () => {
  const submission = await Deno.makeTempDir({ prefix: "gradlab-stop-" });
  try {
    const folder = join(submission, "01-backprop");
    await Deno.mkdir(folder);
    const solution = join(COURSE_ROOT, "solutions/01-backprop");
    for await (const entry of Deno.readDir(solution)) {
      await Deno.copyFile(join(solution, entry.name), join(folder, entry.name));
    }
    await Deno.copyFile(join(solution, "gates.ts"), join(folder, "honest_gates.ts"));
    const hostile = join(COURSE_ROOT, "grader/testdata/hostile/loops-forever/gates.ts");
    await Deno.copyFile(hostile, join(folder, "gates.ts"));
    const grader = new Deno.Command("deno", {
      args: ["run", "--allow-all", "grader/grade.ts", submission, "--assignment", "01-backprop"],
      cwd: COURSE_ROOT,
      env: { GRADLAB_TEST_BACKENDS: "wasm" },
      stdout: "null",
      stderr: "null",
    }).spawn();
    // Wait for a test process of the grader's, then stop the grader.
    let children: number[] = [];
    for (let i = 0; i < 600 && children.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      children = await childrenOf(grader.pid);
    }
    assertEquals(children.length > 0, true, "the grader started a test process");
    grader.kill("SIGTERM");
    await grader.status;
    await new Promise((r) => setTimeout(r, 500));
    assertEquals(await stillRunning(children), [], "test processes left running");
  } finally {
    await Deno.remove(submission, { recursive: true });
  }
});

/** The pids of `parent`'s child processes, from /proc. */
async function childrenOf(parent: number): Promise<number[]> {
  const pids: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const status = await Deno.readTextFile(`/proc/${entry.name}/status`).catch(() => "");
    if (status.match(/^PPid:\s+(\d+)$/m)?.[1] === String(parent)) pids.push(Number(entry.name));
  }
  return pids;
}

/** Those of `pids` that are still running (not gone, not zombies). */
async function stillRunning(pids: number[]): Promise<number[]> {
  const running: number[] = [];
  for (const pid of pids) {
    const status = await Deno.readTextFile(`/proc/${pid}/status`).catch(() => "");
    if (status && !/^State:\s+Z/m.test(status)) running.push(pid);
  }
  return running;
}
