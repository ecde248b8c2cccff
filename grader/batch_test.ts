/**
 * Batch grading of a class: a folder of folders and archives, bad input among
 * them, graded into a gradebook; a second run grades nothing; a changed
 * submission is graded again, alone. Narrowed to gates_test.ts (12 points)
 * to stay cheap.
 */
import { join } from "node:path";
import { assertEquals } from "../lib/assert.ts";
import { parse } from "../lib/csv.ts";
import { writeTarGz, writeZip } from "./archive.ts";
import { gradeBatch, type GradebookRow, listEntries } from "./batch.ts";
import { COURSE_ROOT } from "./sandbox.ts";

const SOLUTION = join(COURSE_ROOT, "solutions/01-backprop");
const STARTER = join(COURSE_ROOT, "assignments/01-backprop");
const HOSTILE = join(COURSE_ROOT, "grader/testdata/hostile");
const OPTIONS = {
  assignments: ["01-backprop"],
  only: ["gates_test.ts"],
  backends: ["wasm"],
  timeoutMs: 60_000,
  memoryMb: 1024,
  jobs: 2,
};

async function files(dir: string, prefix: string) {
  const out: { path: string; bytes: Uint8Array }[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile) {
      out.push({
        path: `${prefix}${entry.name}`,
        bytes: await Deno.readFile(join(dir, entry.name)),
      });
    }
  }
  return out;
}

async function writeFolder(dir: string, entries: { path: string; bytes: Uint8Array }[]) {
  for (const { path, bytes } of entries) {
    await Deno.mkdir(join(dir, path, ".."), { recursive: true });
    await Deno.writeFile(join(dir, path), bytes);
  }
}

/** The class: good, bad and hostile submissions, and entries that are not submissions. */
async function makeClass(dir: string): Promise<void> {
  const solution = await files(SOLUTION, "01-backprop/");
  await writeFolder(join(dir, "alice"), solution);
  await Deno.writeFile(join(dir, "bob.zip"), await writeZip(await files(STARTER, "01-backprop/")));
  const forger = solution.filter((f) => f.path !== "01-backprop/gates.ts");
  forger.push(
    {
      path: "01-backprop/gates.ts",
      bytes: await Deno.readFile(join(HOSTILE, "throws-at-import/gates.ts")),
    },
    {
      path: "01-backprop/wrong_gates.ts",
      bytes: await Deno.readFile(join(HOSTILE, "wrong_gates.ts")),
    },
  );
  await Deno.writeFile(join(dir, "carol.tar.gz"), await writeTarGz(forger));
  await writeFolder(join(dir, "dave"), solution);
  await Deno.writeFile(join(dir, "dave.zip"), await writeZip(solution));
  await Deno.writeTextFile(join(dir, "erin.zip"), "PK not a zip at all");
  await writeFolder(
    join(dir, "frank"),
    await files(join(COURSE_ROOT, "solutions/02-optimizers"), "02-optimizers/"),
  );
  await Deno.writeTextFile(join(dir, "notes.txt"), "grading notes");
  await Deno.writeTextFile(join(dir, ".DS_Store"), "");
}

const summary = (rows: GradebookRow[]) =>
  Object.fromEntries(
    rows.map((r) => [r.student, `${r.score}/${r.maxScore} ${r.status.split(":")[0]}`]),
  );

Deno.test("a class grades into a gradebook; bad input gets a status; a second run grades nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gradlab-batch-" });
  const out = await Deno.makeTempDir({ prefix: "gradlab-batch-out-" });
  try {
    await makeClass(dir);
    assertEquals((await listEntries(dir)).map((e) => e.student), [
      "alice",
      "bob",
      "carol",
      "dave",
      "erin",
      "frank",
      "notes.txt",
    ], "the students, by id");

    const first = await gradeBatch(dir, out, OPTIONS, false);
    assertEquals(summary(first), {
      alice: "12/12 graded",
      bob: "0/12 graded",
      carol: "0/12 graded",
      dave: "0/0 duplicate",
      erin: "0/0 bad upload",
      frank: "0/12 wrong assignment",
      "notes.txt": "0/0 not a submission",
    }, "each student's score and status");
    assertEquals(
      first.find((r) => r.student === "dave")!.status,
      "duplicate: dave and dave.zip are both student dave; keep one and run again (neither was graded).",
    );
    assertEquals(
      first.find((r) => r.student === "erin")!.status.includes("not a valid zip archive"),
      true,
      "the upload's problem, in words",
    );

    const csv = parse(await Deno.readTextFile(join(out, "gradebook.csv")), { skipFirstRow: true });
    assertEquals(Object.keys(csv[0]), [
      "student",
      "assignment",
      "score",
      "max_score",
      "task 1",
      "status",
      "seconds",
      "submission_sha256",
    ], "the gradebook's columns");
    assertEquals(
      csv.map((r) => [r.student, r.assignment, r.score, r["task 1"]]),
      [
        ["alice", "01-backprop", "12", "12"],
        ["bob", "01-backprop", "0", "0"],
        ["carol", "01-backprop", "0", "0"],
        ["dave", "01-backprop", "0", ""],
        ["erin", "01-backprop", "0", ""],
        ["frank", "01-backprop", "0", "0"],
        ["notes.txt", "01-backprop", "0", ""],
      ],
      "the gradebook's rows",
    );
    for (const student of ["alice", "bob", "carol", "erin", "frank"]) {
      const results = JSON.parse(
        await Deno.readTextFile(join(out, "students", student, "results.json")),
      );
      assertEquals(typeof results.score, "number", `${student}'s results.json`);
    }

    const second = await gradeBatch(dir, out, OPTIONS, false);
    assertEquals(
      second.filter((r) => r.status.startsWith("unchanged")).map((r) => r.student),
      ["alice", "bob", "carol"],
      "graded students kept from the first run",
    );
    assertEquals(summary(second).erin, "0/0 bad upload", "a kept problem stays one");
    assertEquals(
      second.every((r) => r.seconds === first.find((f) => f.student === r.student)!.seconds),
      true,
      "nothing graded again",
    );

    await Deno.copyFile(join(HOSTILE, "wrong_gates.ts"), join(dir, "alice/01-backprop/gates.ts"));
    const third = await gradeBatch(dir, out, OPTIONS, false);
    assertEquals(
      third.filter((r) => r.status === "graded").map((r) => `${r.student} ${r.score}`),
      ["alice 0"],
      "only the changed submission is graded again",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("an empty submissions folder is an error that says what to put there", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gradlab-batch-empty-" });
  try {
    const { code, stderr } = await new Deno.Command("deno", {
      args: ["run", "--allow-all", "grader/batch.ts", dir, "--out", join(dir, "out")],
      cwd: COURSE_ROOT,
      stdout: "null",
    }).output();
    assertEquals(code, 1, "exit code");
    assertEquals(
      new TextDecoder().decode(stderr).includes("holds no submissions"),
      true,
      "the message",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
