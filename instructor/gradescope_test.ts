/**
 * The Gradescope autograder, simulated: the zip is built, unpacked into a fake
 * `/autograder` tree in a temporary folder, `setup.sh` runs (offline: it skips
 * what this machine has), and `run_autograder` grades several uploads, each
 * results.json checked against Gradescope's documented format.
 *
 * To stay cheap (the targets train in grade_test.ts, once), the runs here are
 * narrowed to gates_test.ts and the hidden gates_hidden_test.ts of
 * 01-backprop (12 + 10 points); `deno task measure:gradescope` runs whole
 * autograders in a container of Gradescope's size.
 */
import { join } from "node:path";
import { assertEquals } from "../lib/assert.ts";
import { writeZip } from "../grader/archive.ts";
import { gradescopeProblems, type GradescopeResults } from "../grader/results.ts";
import { COURSE_ROOT } from "../grader/sandbox.ts";
import { folderFiles, layOut, runAutograder, runSetup } from "./autograder_sim.ts";
import { solutionLines } from "./bundle.ts";
import {
  autograderReadme,
  checkAutograder,
  DENO,
  graderFlags,
  GRADESCOPE_DEFAULT,
  importedAssignments,
  planAutograder,
} from "./gradescope.ts";

const ASSIGNMENT = "01-backprop";
const HIDDEN = join(COURSE_ROOT, "grader/testdata/hidden");
const NARROW = ["--tests=gates_test.ts,gates_hidden_test.ts"];

Deno.test("the autograder pins the Deno that CI and this machine run", async () => {
  assertEquals(DENO.version, Deno.version.deno, "this Deno");
  const ci = await Deno.readTextFile(join(COURSE_ROOT, ".ci/run"));
  assertEquals(ci.match(/^DENO_VERSION=(\S+)$/m)?.[1], DENO.version, ".ci/run's DENO_VERSION");
  assertEquals(DENO.tarball.includes(`-${DENO.version}.tgz`), true, "the tarball's version");
});

Deno.test("the grader's flags fit the setting: a deadline 30 s short, runs sized to the container", () => {
  assertEquals(graderFlags({ setting: GRADESCOPE_DEFAULT }), [
    "--jobs=1",
    "--memory=668",
    "--timeout=300",
    "--deadline=570",
  ]);
  const measured = {
    seconds: 900,
    cpuSeconds: 1800, // all of the 2 CPUs: no scaling
    containerPeakMb: 1500,
    runPeakMb: 1300,
    longestRunSeconds: 400,
    score: 100,
    maxScore: 100,
    date: "2026-11-30",
    load: "1.0",
  };
  assertEquals(
    graderFlags({ setting: { cpus: 2, memoryMb: 3072, timeoutMinutes: 20 }, measured }),
    ["--jobs=1", "--memory=2048", "--timeout=600", "--deadline=1170"],
    "a larger setting, and a test process measured at 400 s",
  );
  assertEquals(
    graderFlags({
      setting: GRADESCOPE_DEFAULT,
      measured: { ...measured, seconds: 420, cpuSeconds: 126, longestRunSeconds: 350 },
    })[2],
    "--timeout=315",
    "measured on a loaded machine: the container got 0.3 of its 0.5 CPU, so runs took 5/3 as long",
  );
  assertEquals(
    graderFlags({ setting: GRADESCOPE_DEFAULT, isolate: ["targets_test.ts"] }).at(-1),
    "--isolate=targets_test.ts",
    "a file whose tests fit only one at a time",
  );
});

Deno.test("an assignment that imports earlier ones tells students to upload them too", async () => {
  assertEquals(await importedAssignments("01-backprop"), [], "01 imports no assignment");
  assertEquals(await importedAssignments("02-optimizers"), ["01-backprop"], "02 imports 01");
  const readme = autograderReadme("02-optimizers", { setting: GRADESCOPE_DEFAULT }, [
    "01-backprop",
  ]);
  assertEquals(
    readme.includes("02-optimizers imports 01-backprop: students upload their whole"),
    true,
  );
  assertEquals(readme.includes("Not measured yet"), true, "an unmeasured setting says so");
});

Deno.test("the autograder's files hold no solution, and the check finds one planted", async () => {
  const files = await planAutograder(ASSIGNMENT, { setting: GRADESCOPE_DEFAULT }, HIDDEN);
  const lines = await solutionLines();
  assertEquals(checkAutograder(files, lines), [], "the real autograder");
  const paths = files.map((f) => f.path);
  for (const path of ["setup.sh", "run_autograder", "README.md", "grader/grade.ts", "deno.lock"]) {
    assertEquals(paths.includes(path), true, `${path} is in the zip`);
  }
  assertEquals(paths.includes("hidden/01-backprop/gates_hidden_test.ts"), true, "hidden tests");
  assertEquals(paths.some((p) => p.startsWith("grader/testdata/")), false, "no grader test data");
  const [line, from] = [...lines][0];
  const planted = [
    ...files.filter((f) => f.path !== "run_autograder"),
    { path: "lib/x.ts", bytes: new TextEncoder().encode(`  ${line}\n`) },
    { path: "solutions/01-backprop/gates.ts", bytes: new Uint8Array() },
  ];
  assertEquals(checkAutograder(planted, lines), [
    "run_autograder is missing from the zip's root.",
    `lib/x.ts:1 has a line of a solution region (${from}).`,
    "solutions/01-backprop/gates.ts: solutions are not for an autograder.",
  ]);
});

Deno.test("simulated Gradescope: setup, then solutions, starter, a flat upload and a forger graded", async () => {
  const files = await planAutograder(ASSIGNMENT, { setting: GRADESCOPE_DEFAULT }, HIDDEN);
  const root = await layOut(await writeZip(files));
  try {
    const setup = await runSetup(root, { GRADLAB_SETUP_OFFLINE: "1" });
    assertEquals(setup.code, 0, `setup.sh failed:\n${setup.output}`);
    assertEquals(setup.output.includes(`Deno ${DENO.version} is installed`), true, setup.output);

    const solution = join(COURSE_ROOT, "solutions", ASSIGNMENT);
    const grade = async (
      name: string,
      submission: Map<string, Uint8Array>,
      more: string[] = [],
    ) => {
      const { code, output, results } = await runAutograder(root, submission, {
        args: [...NARROW, ...more],
      });
      assertEquals(code, 0, `${name}: run_autograder's exit code\n${output}`);
      assertEquals(gradescopeProblems(results), [], `${name}: results.json's format`);
      return results as GradescopeResults;
    };

    // (a) the reference solutions, in a repository's layout: every test passes.
    const inRepository = await folderFiles(solution, `assignments/${ASSIGNMENT}/`);
    const solved = await grade("solutions", inRepository);
    assertEquals(solved.tests.filter((t) => t.status !== "passed"), [], "solutions: failing tests");
    assertEquals(solved.score, 22, "solutions: 12 published points and 10 hidden");
    assertEquals(
      solved.tests.filter((t) => t.visibility !== "visible").length,
      2,
      "the hidden tests are graded, and hidden from students",
    );

    // The same submission graded again, the hidden file's tests each in a process of its
    // own this time: the same results, test by test.
    const again = await grade("solutions again", inRepository, ["--isolate=gates_hidden_test.ts"]);
    const byTest = (r: GradescopeResults) => r.tests.map((t) => [t.name, t.score, t.status]);
    assertEquals(byTest(again), byTest(solved), "a second grading of the same submission");
    const runs = (r: GradescopeResults) => r.extra_data!.runs.map((run) => run.test ?? run.file);
    assertEquals(runs(solved).length, 2, "one process per test file");
    assertEquals(runs(again).length, 3, "the hidden file's two tests in a process each");

    // (b) the starter, as unpacked from the student archive: 0, every test not implemented.
    const starter = await folderFiles(
      join(COURSE_ROOT, "assignments", ASSIGNMENT),
      `gradlab/assignments/${ASSIGNMENT}/`,
    );
    const unsolved = await grade("starter", starter);
    assertEquals(unsolved.score, 0, "starter: the score");
    assertEquals(
      unsolved.tests.filter((t) => !t.output.startsWith("Not implemented.")).map((t) => t.name),
      [],
      "starter: tests that failed otherwise than as not implemented",
    );

    // (c) Gradescope's flat upload of the files themselves.
    const flat = await grade("flat upload", await folderFiles(solution));
    assertEquals(flat.score, 22, "flat upload: the score");

    // (d) a hostile gates.ts that forges reports and writes results files.
    const hostile = join(COURSE_ROOT, "grader/testdata/hostile");
    const forger = await folderFiles(solution);
    forger.set("gates.ts", await Deno.readFile(join(hostile, "forges-results/gates.ts")));
    forger.set("wrong_gates.ts", await Deno.readFile(join(hostile, "wrong_gates.ts")));
    const forged = await grade("forger", forger);
    assertEquals(forged.score, 0, "forger: the score");
    assertEquals(forged.tests.length, solved.tests.length, "forger: the real tests, no more");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
