import { assertEquals, assertThrows } from "./assert.ts";
import { parseArgs } from "./cli.ts";

Deno.test("parseArgs reads strings, booleans, defaults, aliases and positionals", () => {
  const flags = parseArgs(["-v", "--epochs=5", "data.csv"], {
    string: ["epochs", "lr"],
    boolean: ["verbose", "plot"],
    default: { lr: "0.1" },
    alias: { v: "verbose" },
  });
  assertEquals(flags, { _: ["data.csv"], epochs: "5", lr: "0.1", verbose: true, plot: false });
});

Deno.test("an unknown flag is an error that lists the known ones", () => {
  assertThrows(
    () => parseArgs(["--epoch=5"], { string: ["epochs"] }),
    Error,
    "Known flags: --epochs.",
  );
});
