import { fileURLToPath } from "node:url";
import { assertEquals, assertStringIncludes } from "./assert.ts";
import { NotImplementedError } from "./errors.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Runs a tiny script built on runScript with `args`; its exit code and output. */
async function run(body: string, args: string[]) {
  const code = `import { runScript } from "${ROOT}lib/script.ts";\n` +
    `import { parseArgs } from "${ROOT}lib/cli.ts";\n` +
    `import { NotImplementedError } from "${ROOT}lib/errors.ts";\n` +
    `await runScript("usage: my-script [--n N]", async (args) => { ${body} });\n`;
  const { code: exit, stdout, stderr } = await new Deno.Command("deno", {
    args: ["eval", "--ext=ts", code, ...args],
    env: { NO_COLOR: "1" },
  }).output();
  return { exit, out: new TextDecoder().decode(stdout), err: new TextDecoder().decode(stderr) };
}

Deno.test("--help prints the usage and exits 0", async () => {
  const { exit, out } = await run(`throw new Error("main must not run");`, ["--help"]);
  assertEquals(exit, 0, "exit code");
  assertEquals(out, "usage: my-script [--n N]\n", "the usage");
});

Deno.test("a TODO not written yet ends the script with one line, not a stack", async () => {
  const { exit, err } = await run(`throw new NotImplementedError("affineForward", 2);`, []);
  assertEquals(exit, 1, "exit code");
  assertEquals(
    err.trim(),
    "error: affineForward is not implemented yet (Task 2): write it where its TODO is.",
    "the one line",
  );
});

Deno.test("a NotImplementedError is one line wherever it shows: its stack is its message", () => {
  const error = new NotImplementedError("addForward", 1);
  assertEquals(
    error.stack,
    "NotImplementedError: addForward is not implemented yet (Task 1): write it where its TODO is.",
    "what a test failure or a notebook cell shows",
  );
});

Deno.test("an unknown flag ends the script with the message and the usage", async () => {
  const { exit, err } = await run(`parseArgs(args, { string: ["n"] });`, ["--bogus"]);
  assertEquals(exit, 2, "exit code");
  assertStringIncludes(err, "Unknown option '--bogus'", "names the flag");
  assertStringIncludes(err, "usage: my-script", "then the usage");
});
