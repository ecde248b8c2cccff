/**
 * Every assertion in an assignment's tests says what it checked: a student
 * reading "expected NaN to be close to 6667.03" cannot tell which number of
 * which test is wrong. This scans each `assignments/NN-name/*_test.ts` for
 * calls of the assertion helpers and fails on one whose message argument is
 * missing, naming file and line.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertEquals } from "../lib/assert.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The argument position (1-based) of each helper's message. */
const MESSAGE_ARGUMENT: Record<string, number> = {
  assert: 2,
  assertEquals: 3,
  assertNotEquals: 3,
  assertStrictEquals: 3,
  assertAlmostEquals: 4,
  assertGreater: 3,
  assertGreaterOrEqual: 3,
  assertLess: 3,
  assertLessOrEqual: 3,
  assertAllClose: 4,
  assertShape: 3,
};

/** How many top-level arguments the call whose "(" is at `open` has, and where it ends. */
function countArguments(source: string, open: number): number {
  let depth = 0, count = 0, empty = true;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === "'" || c === "`") {
      for (i++; source[i] !== c; i++) if (source[i] === "\\") i++;
      empty = false;
    } else if (c === "/" && source[i + 1] === "/") {
      i = source.indexOf("\n", i);
    } else if ("([{".includes(c)) {
      if (depth === 1) empty = false;
      depth++;
    } else if (")]}".includes(c)) {
      depth--;
      if (depth === 0) return count + (empty ? 0 : 1);
    } else if (c === "," && depth === 1) {
      if (!empty) count++;
      empty = true;
    } else if (depth === 1 && !/\s/.test(c)) {
      empty = false;
    }
  }
  throw new Error("unbalanced call");
}

/** `file:line: name(…)` for each assertion call in `source` that has no message. */
export function unlabeledAssertions(source: string, file: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/\b(assert\w*)\(/g)) {
    const position = MESSAGE_ARGUMENT[match[1]];
    if (position === undefined) continue;
    const open = match.index! + match[1].length;
    if (countArguments(source, open) < position) {
      const line = source.slice(0, match.index).split("\n").length;
      found.push(`${file}:${line}: ${match[1]}(…) has no message saying what it checked`);
    }
  }
  return found;
}

Deno.test("the scan finds an assertion without a message, and accepts one with", () => {
  const source = `assertEquals(a, 1);\nassertEquals(f(a, b), [1, 2], "f of a and b");\n` +
    `assertAlmostEquals(x, 0.5, 1e-6); // a comment, with, commas\n`;
  assertEquals(unlabeledAssertions(source, "t.ts"), [
    "t.ts:1: assertEquals(…) has no message saying what it checked",
    "t.ts:3: assertAlmostEquals(…) has no message saying what it checked",
  ], "the two unlabeled calls");
});

Deno.test("every assertion in the assignments' tests says what it checked", async () => {
  const found: string[] = [];
  for await (const folder of Deno.readDir(join(ROOT, "assignments"))) {
    if (!folder.isDirectory) continue;
    for await (const entry of Deno.readDir(join(ROOT, "assignments", folder.name))) {
      if (!entry.name.endsWith("_test.ts")) continue;
      const path = `assignments/${folder.name}/${entry.name}`;
      found.push(...unlabeledAssertions(await Deno.readTextFile(join(ROOT, path)), path));
    }
  }
  assertEquals(found, [], "assertions without a message");
});
