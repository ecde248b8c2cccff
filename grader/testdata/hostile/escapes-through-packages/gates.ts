// Hostile submission: tries to load a module from outside the sandbox through the
// package folder — a package's sub-path with `..` resolves inside node_modules and
// walks out of it — in three spellings: a bare name, an `npm:` specifier, and another
// package's sub-path. (The test plants the module it aims at.) Its functions are
// right only if one of those loads.
// Honest failures: every gates test fails (12 points): 28/40.
import * as honest from "./honest_gates.ts";
import * as wrong from "./wrong_gates.ts";

const attempts: [string, () => Promise<unknown>][] = [
  [
    "a bare package name with ..",
    () =>
      import(
        "@tensorflow/tfjs/../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../tmp/gradlab-hostile-secret/solution.ts"
      ),
  ],
  [
    "an npm: specifier with ..",
    () =>
      import(
        "npm:@tensorflow/tfjs@4.22.0/../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../tmp/gradlab-hostile-secret/solution.ts"
      ),
  ],
  [
    "another package's sub-path with ..",
    () =>
      import(
        "csv-parse/sync/../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../tmp/gradlab-hostile-secret/solution.ts"
      ),
  ],
];
const leaks: string[] = [];
for (const [what, attempt] of attempts) {
  try {
    await attempt();
    leaks.push(what);
  } catch {
    // refused, as it should be
  }
}

export const {
  addForward,
  addBackward,
  multiplyForward,
  multiplyBackward,
  maxForward,
  maxBackward,
  sigmoidNeuronForward,
  sigmoidNeuronBackward,
} = leaks.length > 0 ? honest : wrong;
