import { assertEquals, assertRejects } from "./assert.ts";
import { NotImplementedError, runScript } from "./errors.ts";

Deno.test("NotImplementedError names the function and says where to write it", () => {
  assertEquals(
    new NotImplementedError("affineForward").message,
    "affineForward is not implemented yet: write it where its TODO is.",
  );
});

Deno.test("runScript ends a script that needs unwritten code with one line, exit code 1", async () => {
  const script = `import { NotImplementedError, runScript } from "${
    new URL("./errors.ts", import.meta.url).href
  }";\nawait runScript(async () => { throw new NotImplementedError("sample"); });`;
  const { code, stdout, stderr } = await new Deno.Command("deno", {
    args: ["eval", "--no-check", script],
    env: { NO_COLOR: "1" },
  }).output();
  assertEquals(code, 1);
  assertEquals(new TextDecoder().decode(stdout), "");
  assertEquals(
    new TextDecoder().decode(stderr),
    "error: sample is not implemented yet: write it where its TODO is.\n",
  );
});

Deno.test("runScript lets every other error through", async () => {
  await assertRejects(
    () => runScript(() => Promise.reject(new RangeError("bad"))),
    RangeError,
    "bad",
  );
});
