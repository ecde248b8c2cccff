/**
 * The course tree every run folder is built from holds no solution and no
 * link out of it: an escape the other defences missed would find nothing.
 */
import { join } from "node:path";
import { assertEquals } from "../lib/assert.ts";
import { solutionLines } from "../instructor/bundle.ts";
import { createWorkspace, removeWorkspace, runSandboxed } from "./sandbox.ts";

Deno.test("the course tree of a grading holds no solution line, no solutions folder and no link", async () => {
  const workspace = await createWorkspace();
  try {
    const lines = await solutionLines();
    const found: string[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      for await (const entry of Deno.readDir(dir)) {
        const path = join(dir, entry.name), name = `${rel}${entry.name}`;
        if (entry.isSymlink) found.push(`${name} is a link`);
        else if (entry.isDirectory) {
          if (entry.name === "solutions") found.push(`${name}/ is a solutions folder`);
          await walk(path, `${name}/`);
        } else if (name.endsWith(".ts")) {
          for (const line of (await Deno.readTextFile(path)).split("\n")) {
            if (lines.has(line.trim())) found.push(`${name} holds "${line.trim()}"`);
          }
        }
      }
    };
    await walk(workspace.course, "");
    assertEquals(found, [], "what the course tree must not hold");
  } finally {
    await removeWorkspace(workspace);
  }
});

Deno.test("a graded run starts the wasm threads the grader gives it (GRADLAB_THREADS), one by default", async () => {
  const workspace = await createWorkspace();
  const probe = (threads: number) =>
    new TextEncoder().encode(`
      import { test } from "../../lib/testing.ts";
      import { wasmThreads } from "../../lib/kernels/wasm_threads.ts";
      test("threads", { task: 1, points: 1 }, () => {
        const { threads, reason } = wasmThreads();
        if (threads !== ${threads}) throw new Error(\`\${threads} threads: \${reason}\`);
      });`);
  try {
    for (const threads of [undefined, 2]) {
      const outcome = await runSandboxed(workspace, {
        assignment: "01-backprop",
        studentFiles: new Map(),
        testFiles: new Map([["threads_test.ts", probe(threads ?? 1)]]),
        mode: "test",
        testFile: "threads_test.ts",
        backends: ["wasm"],
        timeoutMs: 120_000,
        memoryMb: 1024,
        threads,
      });
      assertEquals(
        [outcome.code, /tests="1" failures="0"/.test(outcome.junit ?? "")],
        [0, true],
        `threads ${threads}: ${outcome.stderr.slice(-800)}`,
      );
    }
  } finally {
    await removeWorkspace(workspace);
  }
});
