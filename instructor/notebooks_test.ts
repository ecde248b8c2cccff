/**
 * The notebook checks of `deno task notebooks` that need no Jupyter: every
 * committed notebook is clean, and the pieces — the committed-file check,
 * stripping, cell extraction, judging a run — do what they say. (CI runs the
 * notebooks themselves with `deno task notebooks`.)
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertStringIncludes } from "../lib/assert.ts";
import {
  type Cell,
  cellOfLine,
  committedProblems,
  extractCode,
  type Notebook,
  notebookPaths,
  type RunSummary,
  solutionRunProblems,
  starterRunProblems,
  stripped,
} from "./notebooks.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

const code = (source: string | string[], extra: Partial<Cell> = {}): Cell => ({
  cell_type: "code",
  source,
  outputs: [],
  execution_count: null,
  metadata: {},
  ...extra,
});

const FIRST = 'import { describeBackend, setupBackend } from "../../lib/backend.ts";\n' +
  "console.log(describeBackend(await setupBackend()));";

function notebook(cells: Cell[], kernel = "deno"): Notebook {
  return { nbformat: 4, metadata: { kernelspec: { name: kernel } }, cells };
}

Deno.test("every assignment's committed notebook is clean: no outputs, Deno's kernel, the backend first", async () => {
  const paths = await notebookPaths();
  assert(paths.includes("assignments/01-backprop/01-backprop.ipynb"), "assignment 1 has one");
  for (const path of paths) {
    assertEquals(committedProblems(await Deno.readTextFile(join(ROOT, path))), [], path);
  }
});

Deno.test("committedProblems: outputs, execution counts, another kernel, no backend cell", () => {
  const clean = notebook([code(FIRST), code("1 + 1")]);
  assertEquals(committedProblems(JSON.stringify(clean)), [], "a clean notebook");
  const executed = notebook([code(FIRST), code("1 + 1", { execution_count: 2 })]);
  assertStringIncludes(
    committedProblems(JSON.stringify(executed)).join(),
    "code cell 2 carries outputs or an execution count",
    "an execution count",
  );
  const withOutput = notebook([code(FIRST, { outputs: [{ output_type: "stream" }] })]);
  assertStringIncludes(
    committedProblems(JSON.stringify(withOutput)).join(),
    "code cell 1",
    "an output",
  );
  assertStringIncludes(
    committedProblems(JSON.stringify(notebook([code(FIRST)], "python3"))).join(),
    "not Deno's",
    "another kernel",
  );
  assertStringIncludes(
    committedProblems(JSON.stringify(notebook([code("1 + 1")]))).join(),
    "first code cell must set up the backend",
    "no backend cell first",
  );
  assertStringIncludes(committedProblems("{").join(), "not JSON", "not a notebook at all");
});

Deno.test("stripped removes outputs and counts, and keeps the rest", () => {
  const executed = notebook([
    { cell_type: "markdown", source: "# Title", metadata: {} },
    code(FIRST, { outputs: [{ output_type: "stream" }], execution_count: 1 }),
  ]);
  const text = stripped(JSON.stringify(executed));
  assertEquals(committedProblems(text), [], "clean afterwards");
  assertEquals(JSON.parse(text).cells[0].source, "# Title", "markdown kept");
  assertEquals(stripped(text), text, "stripping twice changes nothing");
});

Deno.test("extractCode: code cells in order, relative imports made absolute, lines traced to cells", () => {
  const folder = new URL("file:///course/assignments/01-backprop/");
  const { code: module, starts } = extractCode(
    notebook([
      code('import { a } from "./layers.ts";\nconst x = a();'),
      { cell_type: "markdown", source: "text", metadata: {} },
      code(['import * as tf from "@tensorflow/tfjs";\n', 'import { b } from "../../lib/b.ts";']),
    ]),
    folder,
  );
  const lines = module.split("\n");
  assertEquals(
    lines[starts[0] - 1],
    'import { a } from "file:///course/assignments/01-backprop/layers.ts";',
  );
  assertEquals(lines[starts[1] - 1], 'import * as tf from "@tensorflow/tfjs";', "bare names stay");
  assertEquals(lines[starts[1]], 'import { b } from "file:///course/lib/b.ts";');
  assertEquals(module.includes("text"), false, "markdown is left out");
  assertEquals(cellOfLine(starts[0] + 1, starts), "code cell 1, line 2");
  assertEquals(cellOfLine(starts[1], starts), "code cell 2, line 1");
});

const run = (cells: Partial<RunSummary["cells"][number]>[], timedOut = false): RunSummary => ({
  cells: cells.map((c, index) => ({ index, seconds: 1, cpu: 1, kinds: [], ...c })),
  seconds: cells.length,
  timed_out: timedOut,
});
const notImplemented = {
  ename: "NotImplementedError",
  evalue: "addForward is not implemented yet (Task 1): write it where its TODO is.",
  traceback: [
    "NotImplementedError: addForward is not implemented yet (Task 1): write it where its TODO is.",
  ],
};

Deno.test("solutionRunProblems: every cell ran, none failed, none over its time", () => {
  assertEquals(solutionRunProblems(run([{}, {}]), 2), [], "a clean run");
  assertStringIncludes(
    solutionRunProblems(run([{}, { error: notImplemented }]), 2).join(),
    "code cell 2 failed on the solutions",
  );
  assertStringIncludes(solutionRunProblems(run([{}], true), 2).join(), "time limit");
  assertStringIncludes(solutionRunProblems(run([{}]), 2).join(), "only 1 of 2 code cells ran");
  assertStringIncludes(
    solutionRunProblems(run([{}, { cpu: 75 }]), 2).join(),
    "code cell 2 used 75 s of CPU",
  );
});

Deno.test("starterRunProblems: the run stops at a TODO with one line — not a crash, not a stack", () => {
  assertEquals(starterRunProblems(run([{}, { error: notImplemented }])), [], "stops at Task 1");
  assertStringIncludes(starterRunProblems(run([{}, {}])).join(), "did not stop at a TODO");
  assertStringIncludes(
    starterRunProblems(run([{
      error: {
        ename: "TypeError",
        evalue: "x is undefined",
        traceback: ["TypeError: x is undefined"],
      },
    }])).join(),
    "crashed instead of stopping at a TODO",
  );
  assertStringIncludes(
    starterRunProblems(run([{
      error: {
        ...notImplemented,
        traceback: [...notImplemented.traceback, "    at f (<anonymous>:2:9)"],
      },
    }])).join(),
    "shows a stack trace",
  );
  assertStringIncludes(starterRunProblems(run([{}], true)).join(), "time limit");
});
