/**
 * `deno task notebooks`: checks every assignment's notebook,
 * `assignments/NN-name/NN-name.ipynb`, the way CI needs them checked.
 *
 *     deno task notebooks                          # every notebook, every check
 *     deno task notebooks --assignment 01-backprop # one
 *     deno task notebooks --static                 # the checks that need no Jupyter
 *     deno task notebooks --strip                  # first remove outputs from the committed files
 *
 * A notebook holds no solution code: it imports the assignment's `.ts` files
 * (where students write) and runs experiments on them. So the same notebook
 * runs on the starter and on the reference solutions, depending only on the
 * folder its kernel starts in — its relative imports (`./layers.ts`,
 * `../../lib/plot.ts`) resolve from there. For each notebook:
 *
 * 1. **committed clean**: no outputs, no execution counts (diffs stay
 *    reviewable), formatted as `deno fmt` formats it, Deno's kernel, a first
 *    code cell that sets up the backend and prints `describeBackend(…)`;
 * 2. **types**: its code cells, concatenated into one module, pass
 *    `deno check` and `deno lint` (the kernel itself checks no types); an
 *    error is reported by cell and line;
 * 3. **on the solutions** (kernel in `solutions/NN-name/`): every cell runs
 *    without error within the time limits, through `run_notebook.py`, a runner
 *    that does not lose late outputs; the executed notebook is written to
 *    `out/notebooks/NN-name.solutions.ipynb` to look at;
 * 4. **on the starter** (kernel in `assignments/NN-name/`): the run stops at
 *    the first open TODO with the one-line not-implemented error, not a
 *    crash with a stack trace (`out/notebooks/NN-name.starter.ipynb`).
 *
 * Steps 3 and 4 need Deno's kernel and Jupyter's client libraries from
 * Debian (`sudo apt-get install python3-jupyter-client python3-nbformat`);
 * notebooks run one at a time. See instructor/NOTEBOOKS.md for how to add a
 * notebook.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "../lib/cli.ts";
import { runScript } from "../lib/script.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const RUNNER = fileURLToPath(new URL("run_notebook.py", import.meta.url));
/**
 * Limits of a run. Wall-clock limits stop a hung or runaway notebook (generous: a busy machine
 * is slower); the CPU limit is the budget, measured on the kernel process: no cell over a minute
 * of CPU, so none takes much over a minute on an idle 2-core machine.
 */
export const NOTEBOOK_TIMEOUT_S = 300;
export const CELL_TIMEOUT_S = 150;
export const CELL_CPU_BUDGET_S = 60;

/** The parts of an nbformat-4 notebook these checks read. */
export interface Notebook {
  nbformat: number;
  metadata: { kernelspec?: { name?: string } } & Record<string, unknown>;
  cells: Cell[];
}

/** One cell; `source` is a string or a list of lines, as nbformat allows. */
export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
  metadata?: Record<string, unknown>;
}

/** What run_notebook.py reports for one code cell it ran. */
export interface CellRun {
  /** the code cell's index, from 0 */
  index: number;
  /** wall-clock seconds */
  seconds: number;
  /** the kernel's CPU seconds (user + system) */
  cpu: number;
  /** the kinds of its outputs: `stream:stdout`, `image/svg+xml`, `error`, … */
  kinds: string[];
  error?: { ename: string; evalue: string; traceback: string[] };
}

/** What run_notebook.py reports for a run. */
export interface RunSummary {
  cells: CellRun[];
  seconds: number;
  timed_out: boolean;
}

/** The notebooks of `assignments` (default all): `assignments/NN-name/NN-name.ipynb` that exist. */
export async function notebookPaths(assignments?: readonly string[]): Promise<string[]> {
  const paths: string[] = [];
  for await (const entry of Deno.readDir(join(ROOT, "assignments"))) {
    if (!entry.isDirectory || !/^\d\d-/.test(entry.name)) continue;
    if (assignments && !assignments.includes(entry.name)) continue;
    const path = `assignments/${entry.name}/${entry.name}.ipynb`;
    if (await Deno.stat(join(ROOT, path)).then(() => true, () => false)) paths.push(path);
  }
  return paths.sort();
}

/** A cell's source as one string. */
export function sourceOf(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** The code cells of a notebook, in order. */
export function codeCells(notebook: Notebook): Cell[] {
  return notebook.cells.filter((c) => c.cell_type === "code");
}

/**
 * A notebook's cells as numbered lines, for checks that read text (the
 * student archive's leak check): each line of each cell's source, Markdown
 * included, with where it is, e.g. `cell 3, line 2` (cells counted from the
 * top, all kinds). Not a notebook (bad JSON): its raw lines.
 */
export function notebookLines(text: string): { line: string; where: string }[] {
  let notebook: Notebook;
  try {
    notebook = JSON.parse(text);
  } catch {
    return text.split("\n").map((line, i) => ({ line, where: `line ${i + 1}` }));
  }
  return (notebook.cells ?? []).flatMap((cell, c) =>
    sourceOf(cell).split("\n").map((line, i) => ({ line, where: `cell ${c + 1}, line ${i + 1}` }))
  );
}

/** What is wrong with a committed notebook's text: empty when nothing is. */
export function committedProblems(text: string): string[] {
  let notebook: Notebook;
  try {
    notebook = JSON.parse(text);
  } catch (e) {
    return [`it is not JSON: ${(e as Error).message}`];
  }
  const problems: string[] = [];
  if (notebook.nbformat !== 4) problems.push(`nbformat is ${notebook.nbformat}, not 4.`);
  if (notebook.metadata?.kernelspec?.name !== "deno") {
    problems.push('its kernel is not Deno\'s (metadata.kernelspec.name must be "deno").');
  }
  const cells = codeCells(notebook);
  cells.forEach((cell, i) => {
    if ((cell.outputs ?? []).length > 0 || cell.execution_count != null) {
      problems.push(
        `code cell ${i + 1} carries outputs or an execution count: ` +
          "run `deno task notebooks --strip` before committing.",
      );
    }
  });
  const first = cells[0] ? sourceOf(cells[0]) : "";
  if (!/setupBackend\(/.test(first) || !/describeBackend\(/.test(first)) {
    problems.push("its first code cell must set up the backend and show describeBackend(…).");
  }
  return problems;
}

/** The notebook without outputs and execution counts (as committed), in nbformat's JSON layout. */
export function stripped(text: string): string {
  const notebook: Notebook = JSON.parse(text);
  for (const cell of codeCells(notebook)) {
    cell.outputs = [];
    cell.execution_count = null;
  }
  return JSON.stringify(notebook, null, 1) + "\n";
}

/**
 * The code cells as one TypeScript module, for `deno check` and `deno lint`:
 * relative imports are made absolute (against `folder`, the notebook's
 * folder), so the module can live anywhere.
 *
 * @returns the code, and the line (from 1) at which each code cell starts
 */
export function extractCode(notebook: Notebook, folder: URL): { code: string; starts: number[] } {
  const lines: string[] = [];
  const starts: number[] = [];
  for (const [i, cell] of codeCells(notebook).entries()) {
    lines.push(`// code cell ${i + 1}`);
    starts.push(lines.length + 1);
    const source = sourceOf(cell).replace(
      /((?:from|import)\s*\(?\s*)(["'])(\.\.?\/[^"']*)\2/g,
      (_, before, quote, path) => `${before}${quote}${new URL(path, folder).href}${quote}`,
    );
    lines.push(...source.split("\n"), "");
  }
  return { code: lines.join("\n"), starts };
}

/** Where line `line` of the extracted module comes from: `code cell N, line M` (both from 1). */
export function cellOfLine(line: number, starts: readonly number[]): string {
  const cell = starts.findLastIndex((start) => start <= line);
  return cell < 0 ? `line ${line}` : `code cell ${cell + 1}, line ${line - starts[cell] + 1}`;
}

/** What is wrong with a run on the solutions: empty when every cell ran without error in time. */
export function solutionRunProblems(summary: RunSummary, cellCount: number): string[] {
  const problems: string[] = [];
  const failed = summary.cells.find((c) => c.error);
  if (failed) {
    problems.push(
      `code cell ${failed.index + 1} failed on the solutions:\n${
        failed.error!.traceback.join("\n")
      }`,
    );
  }
  if (summary.timed_out) {
    const last = summary.cells.at(-1);
    problems.push(
      `the run passed its time limit (${NOTEBOOK_TIMEOUT_S} s, ${CELL_TIMEOUT_S} s a cell)` +
        (last ? ` in code cell ${last.index + 1}.` : "."),
    );
  }
  if (!failed && !summary.timed_out && summary.cells.length !== cellCount) {
    problems.push(`only ${summary.cells.length} of ${cellCount} code cells ran.`);
  }
  for (const cell of summary.cells.filter((c) => c.cpu > CELL_CPU_BUDGET_S)) {
    problems.push(
      `code cell ${cell.index + 1} used ${cell.cpu.toFixed(0)} s of CPU, over the ` +
        `${CELL_CPU_BUDGET_S} s a cell may take: make its experiment smaller by default.`,
    );
  }
  return problems;
}

/**
 * What is wrong with a run on the starter: empty when it stopped at a cell
 * whose one-line error is a NotImplementedError, every cell before it ran
 * cleanly, and no cell ran past its time.
 */
export function starterRunProblems(summary: RunSummary): string[] {
  const last = summary.cells.at(-1);
  if (summary.timed_out) return ["the run on the starter passed its time limit."];
  if (!last?.error) {
    return ["the run on the starter did not stop at a TODO: no cell calls the student's code."];
  }
  const { ename, evalue, traceback } = last.error;
  if (ename !== "NotImplementedError") {
    return [
      `on the starter, code cell ${last.index + 1} crashed instead of stopping at a TODO:\n${
        traceback.join("\n")
      }`,
    ];
  }
  if (traceback.length !== 1) {
    return [
      `on the starter, code cell ${last.index + 1} shows a stack trace, not one line ` +
      `(${evalue}):\n${traceback.join("\n")}`,
    ];
  }
  return [];
}

/** Where the starter run stopped, for the report: `code cell 3: addForward is not implemented…`. */
function stoppedAt(summary: RunSummary): string {
  const last = summary.cells.at(-1)!;
  return `code cell ${last.index + 1}: ${last.error?.evalue}`;
}

/**
 * Type-checks and lints the code cells of the notebooks at `paths`, each as
 * one module, all in one `deno check` and one `deno lint` (the type
 * definitions load once). Problems name the notebook, cell and line.
 */
async function checkTypes(paths: readonly string[]): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "gradlab-notebooks-" });
  try {
    const modules: { file: string; path: string; starts: number[] }[] = [];
    for (const path of paths) {
      const notebook: Notebook = JSON.parse(await Deno.readTextFile(join(ROOT, path)));
      const { code, starts } = extractCode(notebook, pathToFileURL(join(ROOT, path, "../")));
      const file = join(dir, `${path.split("/")[1]}.ts`);
      await Deno.writeTextFile(file, code);
      modules.push({ file, path, starts });
    }
    const problems: string[] = [];
    for (const command of ["check", "lint"]) {
      const { code: status, stdout, stderr } = await new Deno.Command("deno", {
        args: [command, `--config=${join(ROOT, "deno.json")}`, ...modules.map((m) => m.file)],
        cwd: ROOT,
        env: { NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      if (status === 0) continue;
      let output = (new TextDecoder().decode(stderr) + new TextDecoder().decode(stdout))
        .split("\n").filter((line) => !/^(Check |Stack backtrace:|\s+0: <unknown>)/.test(line))
        .join("\n");
      for (const { file, path, starts } of modules) {
        output = output.replaceAll(
          new RegExp(
            `(?:file://)?${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+):(\\d+)`,
            "g",
          ),
          (_, line, column) => `${path}, ${cellOfLine(Number(line), starts)}:${column}`,
        );
      }
      problems.push(`deno ${command} of the notebooks' code cells failed:\n${output.trim()}`);
    }
    return problems;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The Python with Jupyter's client libraries: Debian's if there is one. */
async function python(): Promise<string> {
  const candidates = ["/usr/bin/python3", "python3"];
  for (const candidate of candidates) {
    const ok = await new Deno.Command(candidate, {
      args: ["-c", "import jupyter_client, nbformat"],
      stdout: "null",
      stderr: "null",
    }).output().then((o) => o.success, () => false);
    if (ok) return candidate;
  }
  throw new Error(
    "running notebooks needs Jupyter's client libraries: " +
      "sudo apt-get install python3-jupyter-client python3-nbformat",
  );
}

/** Runs a notebook with its kernel in `cwd`; writes the executed notebook to `out`. */
async function runNotebook(
  pythonPath: string,
  path: string,
  cwd: string,
  out: string,
): Promise<RunSummary> {
  const { code, stdout, stderr } = await new Deno.Command(pythonPath, {
    args: [
      RUNNER,
      join(ROOT, path),
      `--cwd=${join(ROOT, cwd)}`,
      `--out=${out}`,
      `--timeout=${NOTEBOOK_TIMEOUT_S}`,
      `--cell-timeout=${CELL_TIMEOUT_S}`,
    ],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(`run_notebook.py failed on ${path}:\n${new TextDecoder().decode(stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(stdout));
}

/** A run's times for the report: wall clock and the kernel's CPU, in all and for the costliest cell. */
function times(summary: RunSummary): string {
  if (summary.cells.length === 0) return `${summary.seconds.toFixed(1)} s (no cell ran)`;
  const cpu = summary.cells.reduce((sum, c) => sum + c.cpu, 0);
  const costliest = summary.cells.reduce((a, b) => (b.cpu > a.cpu ? b : a));
  return `${summary.seconds.toFixed(1)} s (kernel CPU ${cpu.toFixed(1)} s; costliest: code cell ${
    costliest.index + 1
  }, ${costliest.cpu.toFixed(1)} s CPU, ${costliest.seconds.toFixed(1)} s)`;
}

const USAGE = `usage: deno task notebooks [--assignment 01-backprop,…] [--static] [--strip]

Checks each assignment's notebook (assignments/NN-name/NN-name.ipynb):
committed without outputs, its code cells type-check, it runs on the solutions
without error, and on the starter it stops at the first TODO with one line.
  --static   only the checks that need no Jupyter (outputs, types)
  --strip    first remove outputs and execution counts from the notebooks`;

if (import.meta.main) {
  await runScript(USAGE, async (args) => {
    const flags = parseArgs(args, {
      string: ["assignment"],
      boolean: ["static", "strip"],
    });
    const paths = await notebookPaths(flags.assignment?.split(",").map((s) => s.trim()));
    if (paths.length === 0) {
      console.log("notebooks: none found (assignments/NN-name/NN-name.ipynb).");
      return;
    }
    const pythonPath = flags.static ? "" : await python();
    const problems: string[] = [];
    const started = performance.now();
    for (const path of paths) {
      const text = await Deno.readTextFile(join(ROOT, path));
      const clean = await formatted(stripped(text));
      if (flags.strip && clean !== text) {
        await Deno.writeTextFile(join(ROOT, path), clean);
        console.log(`${path}: outputs stripped, formatted.`);
      }
      const committed = await Deno.readTextFile(join(ROOT, path));
      const mine = committedProblems(committed);
      if (await formatted(committed) !== committed) {
        mine.push("it is not formatted: run `deno task notebooks --strip`.");
      }
      problems.push(...mine.map((p) => `${path}: ${p}`));
    }
    problems.push(...await checkTypes(paths));
    console.log(`notebooks: ${paths.join(", ")}: committed clean, types ${seconds(started)}`);
    for (const path of flags.static ? [] : paths) {
      const assignment = path.split("/")[1];
      const cells = codeCells(JSON.parse(await Deno.readTextFile(join(ROOT, path)))).length;
      await Deno.mkdir(join(ROOT, "out", "notebooks"), { recursive: true });
      const solved = await runNotebook(
        pythonPath,
        path,
        `solutions/${assignment}`,
        join(ROOT, "out", "notebooks", `${assignment}.solutions.ipynb`),
      );
      const starter = await runNotebook(
        pythonPath,
        path,
        `assignments/${assignment}`,
        join(ROOT, "out", "notebooks", `${assignment}.starter.ipynb`),
      );
      const mine = [...solutionRunProblems(solved, cells), ...starterRunProblems(starter)];
      console.log(
        `${path}: ${cells} code cells; on the solutions ${times(solved)}; on the starter ` +
          `${times(starter)}` +
          (starterRunProblems(starter).length ? "" : `, stops at ${stoppedAt(starter)}`),
      );
      problems.push(...mine.map((p) => `${path}: ${p}`));
    }
    console.log(`notebooks: ${paths.length} checked in ${seconds(started)}.`);
    if (problems.length) {
      for (const problem of problems) console.error(`problem: ${problem}`);
      return 1;
    }
  });
}

/**
 * A notebook's text as `deno fmt` formats it (its JSON and its code cells).
 * Notebooks are left out of `deno fmt --check` (deno.json): in Deno 2.9.6 it
 * reports a formatted notebook as unformatted, with an empty diff, until
 * `deno fmt` has rewritten it once on that machine; formatting through stdin
 * gives the true answer.
 */
async function formatted(text: string): Promise<string> {
  const child = new Deno.Command("deno", {
    args: ["fmt", "--ext=ipynb", "-"],
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
    throw new Error(`deno fmt failed on a notebook:\n${new TextDecoder().decode(stderr)}`);
  }
  return new TextDecoder().decode(stdout);
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
