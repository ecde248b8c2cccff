/**
 * The GitHub Classroom template: its workflow is valid YAML with every action
 * pinned to a commit, and the grading step's command — run here as the
 * workflow would run it — gives the starter 0 and the solutions full marks, in
 * the format Classroom's reporter reads. (The workflow itself cannot run here;
 * everything it calls does.) Narrowed to gates_test.ts to stay cheap.
 */
import { join } from "node:path";
import { assertEquals } from "../lib/assert.ts";
import type { ClassroomResult } from "../grader/classroom.ts";
import { COURSE_ROOT } from "../grader/sandbox.ts";
import { planBundles } from "./bundle.ts";
import { ACTIONS, gradeCommand, RUNNER, workflow, writeClassroomTemplates } from "./classroom.ts";
import { assignmentFolders } from "./release.ts";

const ASSIGNMENT = "01-backprop";

Deno.test("the workflow is valid YAML, pins every action to a commit, and feeds the reporter", async () => {
  // PyYAML (python3-yaml), an independent YAML parser.
  const child = new Deno.Command("/usr/bin/python3", {
    args: ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(workflow(ASSIGNMENT)));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  assertEquals(code, 0, `PyYAML parses the workflow: ${new TextDecoder().decode(stderr)}`);
  const parsed = JSON.parse(new TextDecoder().decode(stdout));
  // YAML 1.1 reads the key `on` as true.
  assertEquals(Object.keys(parsed["true"] ?? parsed.on), ["push", "workflow_dispatch"], "triggers");
  const steps: Record<string, unknown>[] = parsed.jobs["run-autograding-tests"].steps;
  const uses = steps.map((s) => s.uses).filter(Boolean) as string[];
  assertEquals(uses.length, Object.keys(ACTIONS).length, "the actions used");
  for (const action of uses) {
    assertEquals(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/.test(action), true, `${action} is pinned`);
  }
  const grading = steps.find((s) => s.id === RUNNER)!;
  assertEquals(grading.run, `${gradeCommand(ASSIGNMENT)}\n`, "the grading step's command");
  const reporter = steps.at(-1)!;
  assertEquals(reporter.with, { runners: RUNNER }, "the reporter's runners");
  assertEquals(
    reporter.env,
    { [`${RUNNER.toUpperCase()}_RESULTS`]: `\${{ steps.${RUNNER}.outputs.result }}` },
    "the reporter reads the grading step's result",
  );
  assertEquals(/^[a-zA-Z0-9]+$/.test(RUNNER), true, "a runner name the reporter accepts");
});

Deno.test("the template's grading command gives the starter 0 and the solutions full marks", async () => {
  const out = await Deno.makeTempDir({ prefix: "gradlab-classroom-" });
  try {
    const { student } = await planBundles(await assignmentFolders());
    await writeClassroomTemplates([ASSIGNMENT], student, out);
    const repo = join(out, ASSIGNMENT);
    // What `deno install` and `deno task data` would put there: the packages and the caches.
    await Deno.symlink(join(COURSE_ROOT, "node_modules"), join(repo, "node_modules"));
    await Deno.mkdir(join(COURSE_ROOT, ".cache"), { recursive: true }); // absent on a fresh clone
    await Deno.symlink(join(COURSE_ROOT, ".cache"), join(repo, ".cache"));
    const runStep = async () => {
      const output = join(out, "github_output");
      await Deno.writeTextFile(output, "");
      const { code, stderr } = await new Deno.Command("bash", {
        args: ["-e", "-c", gradeCommand(ASSIGNMENT)],
        cwd: repo,
        env: {
          GITHUB_OUTPUT: output,
          GRADLAB_GRADE_FLAGS: "--tests=gates_test.ts",
          GRADLAB_TEST_BACKENDS: "wasm",
          NO_COLOR: "1",
        },
        stdout: "null",
      }).output();
      assertEquals(code, 0, `the step's exit code:\n${new TextDecoder().decode(stderr)}`);
      const line = (await Deno.readTextFile(output)).trim();
      assertEquals(line.startsWith("result="), true, "the step's output");
      const json = new TextDecoder().decode(
        Uint8Array.from(atob(line.slice("result=".length)), (c) => c.charCodeAt(0)),
      );
      return JSON.parse(json) as ClassroomResult;
    };
    const points = (r: ClassroomResult) => r.tests.reduce((n, t) => n + t.score, 0);

    const starter = await runStep();
    assertEquals([starter.status, points(starter), starter.max_score], ["fail", 0, 12], "starter");
    assertEquals(starter.version, 1, "the format's version");

    const solution = join(COURSE_ROOT, "solutions", ASSIGNMENT);
    for await (const entry of Deno.readDir(solution)) {
      if (entry.name.endsWith(".ts") && entry.name !== "mutants.ts") {
        await Deno.copyFile(
          join(solution, entry.name),
          join(repo, "assignments", ASSIGNMENT, entry.name),
        );
      }
    }
    const solved = await runStep();
    assertEquals([solved.status, points(solved), solved.max_score], ["pass", 12, 12], "solutions");
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
