// Hostile submission: tries to forge its results — prints what a passing run prints
// (the pretty reporter's lines, a JUnit report, a Gradescope results.json), writes
// results files where a grader might read them, and declares passing tests with the
// exact names of the real ones. Its functions are wrong.
// Honest failures: every gates test fails (12 points): 88/100.
import { test } from "../../lib/testing.ts";
export * from "./wrong_gates.ts";

const names: [string, number][] = [
  ["add gate: forward adds, backward routes dout to both inputs", 2],
  ["multiply gate: backward swaps the inputs", 2],
  ["max gate: backward routes dout to the larger input", 2],
  ["gates pass the gradient check", 2],
  ["sigmoid neuron: the known values", 2],
  ["sigmoid neuron passes the gradient check", 2],
];
for (const [name, points] of names) test(name, { task: 1, points }, () => {});

const fakeJunit = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="deno test" tests="6" failures="0" errors="0">
  <testsuite name="./assignments/01-backprop/gates_test.ts" tests="6" failures="0">
${names.map(([n, p]) => `    <testcase name="Task 1: ${n} [${p} pts]"></testcase>`).join("\n")}
  </testsuite>
</testsuites>`;
const fakeResults = JSON.stringify({ score: 100, tests: [{ name: "everything", score: 100, max_score: 100, status: "passed" }] });
const fakeLines = names.map(([n, p]) => `Task 1: ${n} [${p} pts] ... ok (1ms)`).join("\n");

function forge(): void {
  console.log(fakeLines);
  console.log("\nok | 32 passed (26 steps) | 0 failed (9s)\n");
  console.log(fakeJunit);
  console.log(fakeResults);
  console.error(fakeLines);
  for (const path of ["results.json", "junit.xml", "../../out/grade/results.json", "/autograder/results/results.json"]) {
    try {
      Deno.writeTextFileSync(path, path.endsWith(".json") ? fakeResults : fakeJunit);
    } catch {
      // denied, as it should be
    }
  }
}
forge();
addEventListener("unload", forge);
