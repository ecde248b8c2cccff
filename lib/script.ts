/**
 * Running a course script (`deno task spiral`, `bowl`, `search`, `data`, …)
 * the same way everywhere:
 *
 * - `--help` (or `-h`) prints the script's usage and exits 0;
 * - a flag it does not know ends it with the message and the usage;
 * - a function it needs whose TODO is still there ends it with one line naming
 *   the function and its task — not a stack trace.
 *
 * Any other error is a real one and propagates as usual.
 *
 * @example
 * ```ts
 * import { runScript } from "./script.ts";
 * import { parseArgs } from "./cli.ts";
 * const USAGE = "usage: deno task spiral [--epochs N]";
 * await runScript(USAGE, async (args) => {
 *   const flags = parseArgs(args, { string: ["epochs"] });
 *   console.log(`training for ${flags.epochs ?? 1000} epochs`);
 * });
 * ```
 * @module
 */
import { FlagError } from "./cli.ts";
import { NotImplementedError } from "./errors.ts";

/**
 * Runs `main` on the command line's arguments as described above; exits with
 * the number `main` returns (0 when it returns nothing).
 */
export async function runScript(
  usage: string,
  main: (args: string[]) => Promise<number | void>,
  args: readonly string[] = Deno.args,
): Promise<void> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage);
    Deno.exit(0);
  }
  try {
    Deno.exit((await main([...args])) ?? 0);
  } catch (e) {
    if (e instanceof NotImplementedError) {
      console.error(`error: ${e.message}`);
      Deno.exit(1);
    }
    if (e instanceof FlagError) {
      console.error(`error: ${e.message}\n${usage}`);
      Deno.exit(2);
    }
    throw e;
  }
}
