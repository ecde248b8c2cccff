// Hostile submission: tries to act outside the sandbox — open the network, start a
// subprocess, load a native library, read system information, write or delete files
// outside its scratch folder. Its functions are right only if one of those works.
// Honest failures: every gates test fails (12 points): 88/100.
import * as honest from "./honest_gates.ts";
import * as wrong from "./wrong_gates.ts";

const here = new URL(".", import.meta.url);
const attempts: [string, () => unknown][] = [
  ["fetch", () => fetch("http://127.0.0.1:9/")],
  ["connect", () => Deno.connect({ hostname: "127.0.0.1", port: 9 })],
  ["listen", () => Deno.listen({ port: 0 }).close()],
  ["resolve a name", () => Deno.resolveDns("example.com", "A")],
  ["run a subprocess", () => new Deno.Command("sh", { args: ["-c", "true"] }).output()],
  ["spawn via node", async () => (await import("node:child_process")).execSync("true")],
  ["load libc", () => Deno.dlopen("libc.so.6", {})],
  ["read the OS release", () => Deno.osRelease()],
  ["overwrite lib/", () => Deno.writeTextFile(new URL("../../lib/assert.ts", here), "export {};")],
  ["delete the test file", () => Deno.remove(new URL("gates_test.ts", here))],
  ["write beside the code", () => Deno.writeTextFile(new URL("planted.ts", here), "")],
  ["write /tmp", () => Deno.writeTextFile("/tmp/gradlab-hostile-was-here", "x")],
  ["change directory", () => Deno.chdir("/")],
];
const escapes: string[] = [];
for (const [what, attempt] of attempts) {
  try {
    await attempt();
    escapes.push(what);
  } catch {
    // denied, as it should be
  }
}
const escaped = escapes.length > 0;

export const {
  addForward,
  addBackward,
  multiplyForward,
  multiplyBackward,
  maxForward,
  maxBackward,
  sigmoidNeuronForward,
  sigmoidNeuronBackward,
} = escaped ? honest : wrong;
