import { assertEquals, assertStringIncludes, assertThrows } from "../lib/assert.ts";
import { studentFileNames } from "../grader/suite.ts";
import { findRegions, makeStarter } from "./starter.ts";

const SOLUTION = `import * as tf from "@tensorflow/tfjs";

/** Doubles x. */
export function double(x: tf.Tensor): tf.Tensor {
  // Hint: one op.
  // BEGIN SOLUTION (Task 2)
  return tf.mul(x, 2);
  // END SOLUTION
}

export class Net {
  async loss(
    x: tf.Tensor,
  ): Promise<number> {
    const y = x.square();
    // BEGIN SOLUTION (Task 5)
    return (await y.sum().data())[0];
    // END SOLUTION
  }
}
`;

Deno.test("makeStarter replaces each region with a TODO and a NotImplementedError naming its function", () => {
  const starter = makeStarter(SOLUTION, "x.ts", "../../lib");
  assertEquals(
    starter,
    `import * as tf from "@tensorflow/tfjs";
import { NotImplementedError } from "../../lib/errors.ts";

/** Doubles x. */
export function double(x: tf.Tensor): tf.Tensor {
  // Hint: one op.
  // TODO: Implement for Task 2.
  throw new NotImplementedError("double", 2);
}

export class Net {
  async loss(
    x: tf.Tensor,
  ): Promise<number> {
    const y = x.square();
    // TODO: Implement for Task 5.
    throw new NotImplementedError("loss", 5);
  }
}
`,
  );
});

Deno.test("a file without regions is copied unchanged", () => {
  const text = "export const answer = 42;\n";
  assertEquals(makeStarter(text, "x.ts", "../../lib"), text);
});

Deno.test("findRegions reports each region's task, function and lines", () => {
  assertEquals(findRegions(SOLUTION, "x.ts"), [
    { start: 5, end: 7, task: 2, functionName: "double" },
    { start: 15, end: 17, task: 5, functionName: "loss" },
  ]);
});

Deno.test("broken markers are errors that name the file and line", () => {
  const open = "function f() {\n  // BEGIN SOLUTION (Task 1)\n  return 1;\n}\n";
  assertThrows(() => findRegions(open, "a.ts"), Error, "a.ts:2: BEGIN SOLUTION is never closed");
  assertThrows(
    () => findRegions("function f() {\n  // END SOLUTION\n}\n", "b.ts"),
    Error,
    "b.ts:2: END SOLUTION without",
  );
  const nested = "function f() {\n  // BEGIN SOLUTION (Task 1)\n  // BEGIN SOLUTION (Task 1)\n";
  assertThrows(
    () => findRegions(nested, "c.ts"),
    Error,
    "c.ts:3: BEGIN SOLUTION inside the region opened at line 2",
  );
  assertThrows(
    () => findRegions("function f() {\n  // BEGIN SOLUTION\n", "d.ts"),
    Error,
    "d.ts:2: malformed marker",
  );
  assertThrows(
    () => findRegions("// BEGIN SOLUTION (Task 1)\n// END SOLUTION\n", "e.ts"),
    Error,
    "inside a function",
  );
});

Deno.test("a call statement above a region is not taken for a method", () => {
  const text =
    "export function outer() {\n  helper(1);\n  // BEGIN SOLUTION (Task 3)\n  return 2;\n  // END SOLUTION\n}\n";
  assertStringIncludes(
    makeStarter(text, "f.ts", "../../lib"),
    'throw new NotImplementedError("outer", 3);',
  );
});

Deno.test("a call taking an object literal above a region is not taken for a method", () => {
  const text = [
    "export function sgd(w: number, config: Config): number {",
    "  checkUpdate(w, config, {",
    "    learningRate: 1e-2,",
    "  });",
    "  if (w > 0) {",
    "    // BEGIN SOLUTION (Task 1)",
    "    return w;",
    "    // END SOLUTION",
    "  }",
    "  return 0;",
    "}",
    "",
  ].join("\n");
  assertStringIncludes(
    makeStarter(text, "g.ts", "../../lib"),
    'throw new NotImplementedError("sgd", 1);',
  );
});

Deno.test("the grader recognises the starter's TODO line, so it knows which files students write", () => {
  const starter = makeStarter(SOLUTION, "x.ts", "../../lib");
  const files = new Map([
    ["x.ts", new TextEncoder().encode(starter)],
    ["provided.ts", new TextEncoder().encode(SOLUTION.replaceAll(/.*SOLUTION.*\n/g, ""))],
  ]);
  assertEquals(studentFileNames(files), ["x.ts"], "only the file with TODOs is the student's");
});
