/**
 * The commands the handouts and READMEs give work as written, from the
 * repository root: every `deno task NAME` exists (for a handout, in the
 * students' deno.json), every path exists, a handout's `deno task test` stays
 * inside its own assignment, and a `--filter` selects at least one test of the
 * files it runs. And every script task answers `--help` with its usage.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertEquals } from "../lib/assert.ts";
import { studentConfig } from "./bundle.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
const studentTasks = Object.keys(JSON.parse(studentConfig(JSON.stringify(config)).text).tasks);

/** Splits a command line as a shell would (quotes, a trailing comment, leading VAR=value). */
export function words(line: string): string[] {
  const out: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(#.*$)|(\S+)/g)) {
    if (match[3] !== undefined) break;
    out.push(match[1] ?? match[2] ?? match[4]);
  }
  while (out.length && /^[A-Z_]+=/.test(out[0])) out.shift();
  return out;
}

/** The `deno task …` command lines in the code blocks of a Markdown file. */
function commandsIn(markdown: string): string[] {
  const commands: string[] = [];
  for (const [, block] of markdown.matchAll(/```(?:sh|bash)?\n([\s\S]*?)```/g)) {
    for (const line of block.split("\n")) {
      if (/^(\w+=\S+\s+)*deno task /.test(line.trim())) commands.push(line.trim());
    }
  }
  return commands;
}

/** The graded test names of `files`, listed as the grader lists them. */
async function testNames(files: string[]): Promise<string[]> {
  const { code, stdout, stderr } = await new Deno.Command("deno", {
    args: [
      "run",
      "--allow-read",
      "--allow-env",
      "grader/list.ts",
      ...files.map((f) => `file://${join(ROOT, f)}`),
    ],
    cwd: ROOT,
  }).output();
  if (code !== 0) throw new Error(new TextDecoder().decode(stderr));
  const listed: { tests: { name: string }[] }[] = JSON.parse(new TextDecoder().decode(stdout));
  return listed.flatMap((f) => f.tests.map((t) => t.name));
}

/** The test files a `deno task test` path selects. */
async function testFiles(path: string): Promise<string[]> {
  if (path.endsWith(".ts")) return [path];
  const files: string[] = [];
  for await (const entry of Deno.readDir(join(ROOT, path))) {
    if (entry.isFile && entry.name.endsWith("_test.ts")) files.push(join(path, entry.name));
  }
  return files;
}

/** What is wrong with one `deno task test …` command of `assignment`'s handout. */
async function checkTestCommand(args: string[], assignment: string): Promise<string[]> {
  const problems: string[] = [];
  const paths = args.filter((a) => !a.startsWith("--"));
  const filterAt = args.indexOf("--filter");
  const filter = filterAt >= 0 ? args[filterAt + 1] : undefined;
  const positional = paths.filter((p) => p !== filter);
  if (positional.length === 0) problems.push("runs every assignment: give the assignment's path");
  for (const path of positional) {
    if (!path.startsWith(`assignments/${assignment}/`)) problems.push(`${path} is outside it`);
    if (!(await Deno.stat(join(ROOT, path)).then(() => true, () => false))) {
      problems.push(`${path} does not exist`);
    }
  }
  for (const ignored of args.filter((a) => a.startsWith("--ignore="))) {
    const path = ignored.slice("--ignore=".length);
    if (!(await Deno.stat(join(ROOT, path)).then(() => true, () => false))) {
      problems.push(`${path} does not exist`);
    }
  }
  if (filter !== undefined && problems.length === 0) {
    const files = (await Promise.all(positional.map(testFiles))).flat();
    if (!(await testNames(files)).some((name) => name.includes(filter))) {
      problems.push(`--filter "${filter}" selects no test`);
    }
  }
  return problems;
}

Deno.test("the handouts' commands exist, and `deno task test` selects only its assignment", async () => {
  const problems: string[] = [];
  for await (const folder of Deno.readDir(join(ROOT, "assignments"))) {
    if (!folder.isDirectory) continue;
    for (const readme of ["README.md", "README.zh.md"]) {
      const path = `assignments/${folder.name}/${readme}`;
      const text = await Deno.readTextFile(join(ROOT, path)).catch(() => "");
      for (const command of commandsIn(text)) {
        const [, , task, ...args] = words(command);
        if (!studentTasks.includes(task)) {
          problems.push(`${path}: \`${command}\`: students have no task ${task}`);
        } else if (task === "test") {
          for (const p of await checkTestCommand(args, folder.name)) {
            problems.push(`${path}: \`${command}\`: ${p}`);
          }
        }
      }
    }
  }
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  for (const command of commandsIn(readme)) {
    const task = words(command)[2];
    if (!(task in config.tasks)) problems.push(`README.md: \`${command}\`: no task ${task}`);
  }
  assertEquals(problems, [], "commands that do not work as written");
});

Deno.test("the command check sees a task students lack, a path outside, and a filter that selects nothing", async () => {
  assertEquals(words(`GRADLAB_X=1 deno task test a/ --filter "Task 2:" # note`), [
    "deno",
    "task",
    "test",
    "a/",
    "--filter",
    "Task 2:",
  ], "words of a command line");
  assertEquals(
    await checkTestCommand(["--filter", "Task 2:"], "01-backprop"),
    ["runs every assignment: give the assignment's path"],
    "a filter without a path",
  );
  assertEquals(
    await checkTestCommand(["assignments/02-optimizers/"], "01-backprop"),
    ["assignments/02-optimizers/ is outside it"],
    "another assignment's path",
  );
  assertEquals(
    await checkTestCommand(["assignments/01-backprop/", "--filter", "Task 99:"], "01-backprop"),
    ['--filter "Task 99:" selects no test'],
    "a filter that matches nothing",
  );
});

Deno.test("every script task prints its usage on --help", async () => {
  const scripts = Object.entries(config.tasks as Record<string, string>)
    .filter(([, command]) => command.startsWith("deno run")).map(([name]) => name);
  const silent: string[] = [];
  for (const name of scripts) {
    const { code, stdout } = await new Deno.Command("deno", {
      args: ["task", "--quiet", name, "--help"],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stderr: "null",
    }).output();
    if (code !== 0 || !new TextDecoder().decode(stdout).startsWith("usage: ")) silent.push(name);
  }
  assertEquals(silent, [], "tasks whose --help does not print a usage");
});
