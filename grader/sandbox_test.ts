/**
 * The course tree every run folder is built from holds no solution and no
 * link out of it: an escape the other defences missed would find nothing.
 */
import { join } from "node:path";
import { assertEquals } from "../lib/assert.ts";
import { solutionLines } from "../instructor/bundle.ts";
import { createWorkspace, removeWorkspace } from "./sandbox.ts";

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
