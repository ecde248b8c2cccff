/**
 * `deno task release`: regenerates the student starter from `solutions/`.
 *
 * For every assignment folder `solutions/NN-name/`, each non-test `.ts` file
 * becomes `assignments/NN-name/` + the same name, with its solution regions
 * replaced by TODOs (see `starter.ts`). It also writes
 * `solutions/import_map.json`, which points the tests in `assignments/` at
 * the reference code for `deno task test:solutions`.
 *
 *     deno task release          # write the starter and the import map
 *     deno task release --check  # change nothing; exit 1 if either is out of date
 *
 * @module
 */
import { parseArgs } from "../lib/cli.ts";
import { runScript } from "../lib/script.ts";
import { makeStarter } from "./starter.ts";

const ROOT = new URL("../", import.meta.url);
/** Files of a solution folder that are for instructors only (the mutant corpus quotes solutions). */
const INSTRUCTOR_FILES = ["mutants.ts"];
const SOLUTIONS = new URL("solutions/", ROOT);
const ASSIGNMENTS = new URL("assignments/", ROOT);

/** A file the release writes, and what it should contain. */
export interface Output {
  /** path from the repository root */
  path: string;
  text: string;
}

/** Everything the release would write: each starter file, then the import map. */
export async function plannedOutputs(): Promise<Output[]> {
  const outputs: Output[] = [];
  const imports: Record<string, string> = {
    ...(await readJson(new URL("deno.json", ROOT))).imports,
  };
  for (const assignment of await assignmentFolders()) {
    for (const file of await solutionFiles(assignment)) {
      const source = await Deno.readTextFile(new URL(`${assignment}/${file}`, SOLUTIONS));
      const starter = makeStarter(source, `solutions/${assignment}/${file}`, "../../lib");
      outputs.push({ path: `assignments/${assignment}/${file}`, text: await format(starter) });
      imports[`../assignments/${assignment}/${file}`] = `./${assignment}/${file}`;
    }
  }
  outputs.push({
    path: "solutions/import_map.json",
    text: await format(JSON.stringify({ imports }, null, 2) + "\n", "json"),
  });
  return outputs;
}

/** The assignment folders of `solutions/` (`01-backprop`, …), sorted. */
export async function assignmentFolders(): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(SOLUTIONS)) {
    if (entry.isDirectory && /^\d\d-/.test(entry.name)) names.push(entry.name);
  }
  return names.sort();
}

async function solutionFiles(assignment: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(new URL(`${assignment}/`, SOLUTIONS))) {
    if (
      entry.isFile && entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts") &&
      !INSTRUCTOR_FILES.includes(entry.name)
    ) {
      names.push(entry.name);
    }
  }
  return names.sort();
}

/** Starter files in `assignments/` whose solution no longer exists. */
async function staleStarters(outputs: Output[]): Promise<string[]> {
  const planned = new Set(outputs.map((o) => o.path));
  const stale: string[] = [];
  for await (const dir of Deno.readDir(ASSIGNMENTS)) {
    if (!dir.isDirectory) continue;
    for await (const entry of Deno.readDir(new URL(`${dir.name}/`, ASSIGNMENTS))) {
      const path = `assignments/${dir.name}/${entry.name}`;
      if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts") && !planned.has(path)) {
        stale.push(path);
      }
    }
  }
  return stale;
}

/** Formats text as `deno fmt` would, so generated files pass `deno fmt --check`. */
async function format(text: string, ext = "ts"): Promise<string> {
  const child = new Deno.Command("deno", {
    args: ["fmt", `--ext=${ext}`, "-"],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) {
    throw new Error(`deno fmt failed on generated code:\n${new TextDecoder().decode(stderr)}`);
  }
  return new TextDecoder().decode(stdout);
}

async function readJson(url: URL) {
  return JSON.parse(await Deno.readTextFile(url));
}

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(new URL(path, ROOT));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "";
    throw e;
  }
}

const USAGE = `usage: deno task release [--check]

Regenerates the starter in assignments/ and solutions/import_map.json from
solutions/; with --check, changes nothing and exits 1 if either is out of date.`;

if (import.meta.main) {
  await runScript(USAGE, async (args) => {
    const flags = parseArgs(args, { boolean: ["check"] });
    const outputs = await plannedOutputs();
    const changed: string[] = [];
    for (const { path, text } of outputs) {
      if ((await readOrEmpty(path)) === text) continue;
      changed.push(path);
      if (!flags.check) await Deno.writeTextFile(new URL(path, ROOT), text);
    }
    const stale = await staleStarters(outputs);
    if (flags.check) {
      if (changed.length || stale.length) {
        for (const path of changed) console.error(`out of date: ${path}`);
        for (const path of stale) console.error(`stale (no solution file): ${path}`);
        console.error("The starter is out of sync with solutions/: run `deno task release`.");
        return 1;
      }
      console.log(`release --check: ${outputs.length} generated files are up to date.`);
    } else {
      for (const path of stale) {
        console.warn(`warning: ${path} has no solution file; delete it if it is obsolete.`);
      }
      console.log(`release: wrote ${changed.length} of ${outputs.length} files.`);
    }
  });
}
