// Hostile submission: tries to read what a submission must not see — the reference
// solutions, the hidden tests, the test files, the environment, files elsewhere —
// by reading, fetching and importing them. Its functions are right only if one of
// those attempts works.
// Honest failures: every gates test fails (12 points), and so do the hidden gates
// tests: 88/100 (and 0 of the 10 hidden points).
import * as tf from "@tensorflow/tfjs";
import * as honest from "./honest_gates.ts";
import * as wrong from "./wrong_gates.ts";

/** The grader's checkout, found from where tfjs's files are (its stack traces say). */
function graderRoot(): string {
  try {
    tf.tensor(undefined as never);
  } catch (e) {
    const path = String((e as Error).stack).match(/file:\/\/(\/\S*?)\/node_modules\//)?.[1];
    if (path) return path;
  }
  return "/work/main";
}

const root = graderRoot();
const here = new URL(".", import.meta.url);
const attempts: [string, () => unknown][] = [
  // A literal specifier: Deno loads it with the module graph, without checking permissions.
  ["import a file outside the sandbox", () => import("/tmp/gradlab-hostile-secret/solution.ts")],
  ["read the solution", () => Deno.readTextFile(`${root}/solutions/01-backprop/gates.ts`)],
  ["import the solution", () => import(`file://${root}/solutions/01-backprop/gates.ts`)],
  ["fetch the solution", () => fetch(`file://${root}/solutions/01-backprop/gates.ts`).then((r) => r.text())],
  ["import the hidden tests", () => import(`file://${root}/grader/testdata/hidden/01-backprop/gates_hidden_test.ts`)],
  ["read the hidden tests", () => Deno.readTextFile(`${root}/grader/testdata/hidden/01-backprop/gates_hidden_test.ts`)],
  ["read this run's hidden test", () => Deno.readTextFile(new URL("gates_hidden_test.ts", here))],
  ["read this run's test", () => Deno.readTextFile(new URL("gates_test.ts", here))],
  ["list the sandbox", () => Array.fromAsync(Deno.readDir(new URL("../../", here)))],
  ["read /etc/passwd", () => Deno.readTextFile("/etc/passwd")],
  ["read HOME", () => Deno.env.get("HOME") ?? Promise.reject(new Error("unset"))],
  ["read the environment", () => Deno.env.toObject()],
  ["read the grader's deno.json", () => import(`file://${root}/deno.json`, { with: { type: "json" } })],
];
const leaks: string[] = [];
for (const [what, attempt] of attempts) {
  try {
    await attempt();
    leaks.push(what);
  } catch {
    // denied, as it should be
  }
}
const leaked = leaks.length > 0;

export const {
  addForward,
  addBackward,
  multiplyForward,
  multiplyBackward,
  maxForward,
  maxBackward,
  sigmoidNeuronForward,
  sigmoidNeuronBackward,
} = leaked ? honest : wrong;
