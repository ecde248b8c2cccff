/**
 * `deno task test`: runs the graded tests and says where you stand — points
 * per task and per assignment, why each failing test failed, and what is not
 * written yet — in the order you work.
 *
 *     deno task test                                        # every assignment
 *     deno task test assignments/01-backprop/                # one assignment
 *     deno task test assignments/01-backprop/ --filter "Task 2:"   # one task
 *     deno task test assignments/01-backprop/ --verbose      # and Deno's own output
 *     deno task test assignments/01-backprop/ --ignore=assignments/01-backprop/targets_test.ts
 *
 * The tests run as the grader runs them: without type-checking
 * (`--no-check`), so a type error in one file cannot stop the tests of the
 * others. Type errors are still checked first and listed as warnings with
 * their file and line — fix them, they are usually real bugs. The verdicts are
 * the grader's: a test passes only if it passes on every backend it runs on,
 * and a test of a function whose TODO is still there is "not implemented".
 *
 * @module
 */
import { join, relative } from "node:path";
import { parseArgs } from "./cli.ts";
import { type JunitCase, parseJunit } from "./junit.ts";
import { parseGradedName } from "./testing.ts";

const USAGE = `usage: deno task test [PATH…] [--filter TEXT] [--ignore PATHS] [--verbose]

  PATH        test files or folders (default: assignments/)
  --filter    run only the tests whose name contains TEXT, e.g. "Task 2:"
  --ignore    leave out these files (comma-separated), e.g. the slow targets_test.ts
  --verbose   also print Deno's own test output`;

/** One graded test's result, as the grader would judge it. */
export interface TestVerdict {
  /** The assignment folder, e.g. `01-backprop`. */
  assignment: string;
  task: number;
  points: number;
  name: string;
  status: "passed" | "failed" | "not implemented";
  /** Why it did not pass: the first lines of the failure, or the function not written yet. */
  why: string;
}

const NOT_IMPLEMENTED = /NotImplementedError: (\S+) is not implemented yet/;

/** The graded tests of `assignment` in a Deno JUnit report, judged as the grader judges them. */
export function verdicts(cases: readonly JunitCase[], assignment: string): TestVerdict[] {
  const out: TestVerdict[] = [];
  for (const c of cases) {
    const graded = parseGradedName(c.name);
    if (!graded || c.name.includes(" > ")) continue;
    // A test with backends fails through its steps; their messages say why.
    const steps = cases.filter((s) => s.name.startsWith(`${c.name} > `) && s.outcome === "failed");
    const text = steps.length
      ? steps.map((s) => `On ${s.name.slice(c.name.length + 3)}: ${s.message ?? "failed"}`)
        .join("\n")
      : c.message ?? c.outcome;
    const missing = text.match(NOT_IMPLEMENTED);
    out.push({
      assignment,
      ...graded,
      status: c.outcome === "passed" ? "passed" : missing ? "not implemented" : "failed",
      why: c.outcome === "passed" ? "" : missing ? missing[1] : firstLines(text, 3),
    });
  }
  return out.sort((a, b) => a.task - b.task);
}

/**
 * The paths to test, by assignment folder (`01-backprop`): an assignment folder
 * or a file in one stands for itself, a folder of assignments for each of them.
 * (Deno's report names lib/testing.ts, not the test file, as every test's
 * place, so each assignment runs on its own to be told apart.)
 */
async function byAssignment(paths: readonly string[]): Promise<Map<string, string[]>> {
  const groups = new Map<string, string[]>();
  const add = (assignment: string, path: string) =>
    groups.set(assignment, [...(groups.get(assignment) ?? []), path]);
  for (const path of paths) {
    const own = path.replace(/\/+$/, "").match(/(?:^|\/)(\d\d-[^/]+)(?:\/[^/]+)?$/)?.[1];
    if (own) {
      add(own, path);
      continue;
    }
    const inside = [];
    for await (const entry of Deno.readDir(path)) {
      if (entry.isDirectory && /^\d\d-/.test(entry.name)) inside.push(entry.name);
    }
    for (const name of inside.sort()) add(name, join(path, name));
  }
  return groups;
}

/** The first `n` lines of a failure that are not stack frames. */
function firstLines(text: string, n: number): string {
  return text.split("\n").filter((l) => l.trim() && !/^\s+at /.test(l)).slice(0, n).join("\n");
}

/** The summary: per assignment and task, points earned of points possible, and why tests failed. */
export function formatSummary(results: readonly TestVerdict[], paths: readonly string[]): string {
  const lines: string[] = [];
  const sum = (ts: readonly TestVerdict[], passedOnly: boolean) =>
    ts.reduce((n, t) => n + (passedOnly && t.status !== "passed" ? 0 : t.points), 0);
  for (const assignment of new Set(results.map((r) => r.assignment))) {
    const mine = results.filter((r) => r.assignment === assignment);
    lines.push("", `${assignment}: ${sum(mine, true)} / ${sum(mine, false)} points`);
    for (const task of new Set(mine.map((r) => r.task))) {
      const tests = mine.filter((r) => r.task === task);
      const head = `  Task ${task}: ${sum(tests, true)} / ${sum(tests, false)}`;
      if (tests.every((t) => t.status === "not implemented")) {
        const functions = [...new Set(tests.map((t) => t.why))].join(", ");
        lines.push(`${head} — not implemented yet (${functions})`);
        continue;
      }
      lines.push(head);
      for (const t of tests) {
        const mark = t.status === "passed" ? "✓" : t.status === "failed" ? "✗" : "·";
        const tail = t.status === "not implemented" ? ` — not implemented yet: ${t.why}` : "";
        lines.push(`    ${mark} ${t.name} [${t.points} pt${t.points === 1 ? "" : "s"}]${tail}`);
        if (t.status === "failed") {
          for (const line of t.why.split("\n")) lines.push(`        ${line}`);
        }
      }
    }
  }
  const open = results.filter((r) => r.status === "not implemented");
  const failed = results.filter((r) => r.status === "failed");
  lines.push("");
  if (results.length === 0) {
    lines.push("No graded test ran: check the path and the --filter.");
  } else if (open.length + failed.length === 0) {
    lines.push(`All ${results.length} tests pass.`);
  } else {
    lines.push(
      `${results.length - open.length - failed.length} passed, ${failed.length} failed, ` +
        `${open.length} not implemented yet.`,
    );
    const next = results.find((r) => r.status !== "passed")!;
    const folder = paths.length === 1 && paths[0].includes(next.assignment)
      ? paths[0]
      : `assignments/${next.assignment}/`;
    lines.push(`Next: deno task test ${folder} --filter "Task ${next.task}:"`);
  }
  return lines.join("\n");
}

/** Type errors of the files under `paths`, one line each: `file:line: TSxxxx message`. */
async function typeErrors(paths: readonly string[]): Promise<string[]> {
  const { stderr } = await new Deno.Command("deno", {
    args: ["check", "--quiet", ...paths],
    env: { NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stderr);
  const errors: string[] = [];
  for (const block of text.split(/\n(?=TS\d+ \[ERROR\])/)) {
    const code = block.match(/^(TS\d+) \[ERROR\]: (.*)/);
    const at = block.match(/at file:\/\/(\S+):(\d+):\d+/);
    if (code && at) errors.push(`${relative(Deno.cwd(), at[1])}:${at[2]}: ${code[1]} ${code[2]}`);
  }
  return errors;
}

async function main(args: string[]): Promise<number> {
  const flags = parseArgs(args, { string: ["filter", "ignore"], boolean: ["verbose", "help"] });
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const paths = flags._.length ? flags._ : ["assignments/"];
  for (const path of paths) {
    try {
      await Deno.stat(path);
    } catch {
      console.error(`error: ${path} does not exist (run from the folder that holds assignments/).`);
      return 2;
    }
  }
  const errors = await typeErrors(paths);
  for (const error of errors.slice(0, 10)) console.warn(`warning: type error at ${error}`);
  if (errors.length > 10) console.warn(`warning: … and ${errors.length - 10} more type errors`);
  if (errors.length) {
    console.warn(
      "(The tests run anyway, as the grader runs them, without type-checking; fix these.)",
    );
  }

  const dir = await Deno.makeTempDir({ prefix: "gradlab-test-" });
  try {
    const results: TestVerdict[] = [];
    let ok = true;
    for (const [assignment, mine] of await byAssignment(paths)) {
      const junit = join(dir, `${assignment}.xml`);
      const child = await new Deno.Command("deno", {
        args: [
          "test",
          "--no-check",
          "--allow-read",
          "--allow-env",
          `--junit-path=${junit}`,
          ...(flags.filter === undefined ? [] : [`--filter=${flags.filter}`]),
          ...(flags.ignore === undefined ? [] : [`--ignore=${flags.ignore}`]),
          ...mine,
        ],
        env: { XDG_RUNTIME_DIR: Deno.env.get("XDG_RUNTIME_DIR") ?? dir },
        stdout: flags.verbose ? "inherit" : "piped",
        stderr: flags.verbose ? "inherit" : "piped",
      }).output();
      const report = await Deno.readTextFile(junit).catch(() => undefined);
      if (report === undefined) {
        // No report at all: a test file did not load. Deno's error says which and why.
        const output = new TextDecoder().decode(child.stderr ?? new Uint8Array());
        const error = output.split("\n").filter((l) => /^error|^\s+at /.test(l)).slice(0, 6);
        console.error(
          `\n${assignment}: its tests did not run.\n` +
            (error.join("\n") || `deno test failed (exit code ${child.code}).`),
        );
        ok = false;
        continue;
      }
      results.push(...verdicts(parseJunit(report), assignment));
      ok &&= child.code === 0;
    }
    console.log(formatSummary(results, paths));
    return ok && results.every((r) => r.status === "passed") ? 0 : 1;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
