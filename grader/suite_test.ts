import { join } from "node:path";
import { assertEquals } from "../lib/assert.ts";
import { COURSE_ROOT, createWorkspace, removeWorkspace } from "./sandbox.ts";
import { courseAssignments, loadSuite } from "./suite.ts";

const OPTIONS = { backends: ["wasm"], timeoutMs: 60_000, memoryMb: 2048 };

Deno.test("each assignment's published tests are worth 100 points", async () => {
  const workspace = await createWorkspace();
  try {
    for (const assignment of await courseAssignments()) {
      const suite = await loadSuite(workspace, assignment, OPTIONS);
      const points = [...suite.testFiles.values()].flatMap((f) => f.tests).reduce(
        (n, t) => n + t.points,
        0,
      );
      assertEquals(points, 100, `${assignment}'s tests add up to ${points} points`);
      for (const [file, { tests }] of suite.testFiles) {
        assertEquals(tests.length > 0, true, `${assignment}/${file} declares no graded test`);
      }
    }
  } finally {
    await removeWorkspace(workspace);
  }
});

Deno.test("hidden tests join the suite with their labels", async () => {
  const workspace = await createWorkspace();
  try {
    const suite = await loadSuite(workspace, "01-backprop", {
      ...OPTIONS,
      hidden: join(COURSE_ROOT, "grader/testdata/hidden"),
    });
    const hidden = suite.testFiles.get("gates_hidden_test.ts")!;
    assertEquals(hidden.hidden, true);
    assertEquals(hidden.tests, [
      { task: 1, points: 4, name: "Task 1: add gate on rank-3 inputs [4 pts]" },
      {
        task: 1,
        points: 6,
        visibility: "hidden",
        name: "Task 1: sigmoid neuron at random points [6 pts]",
      },
    ]);
    assertEquals(suite.testFiles.get("gates_test.ts")!.hidden, false);
  } finally {
    await removeWorkspace(workspace);
  }
});
