/**
 * Lists the graded tests of test files, with their labels, as JSON on stdout.
 *
 *     deno run grader/list.ts file:///…/01-backprop/gates_test.ts …
 *     → [{ "file": "file:///…/gates_test.ts", "tests": [{ "name": …, "task": 1, "points": 2 }] }]
 *
 * The grader runs it in a sandbox that holds the pristine tests and the
 * pristine starter, never a submission: what it prints is the trusted list of
 * tests and points that results are checked against. Under `deno run`,
 * `Deno.test` registers nothing, so importing a test file only declares its
 * tests (see `declaredTests` in lib/testing.ts).
 *
 * @module
 */
import { declaredTests } from "../lib/testing.ts";

const listed = [];
for (const file of Deno.args) {
  const before = declaredTests().length;
  await import(file);
  listed.push({ file, tests: declaredTests().slice(before) });
}
console.log(JSON.stringify(listed));
