/**
 * Command-line flags, with the call shape of Deno's `@std/cli` `parseArgs`.
 *
 * `@std/cli` lives on JSR, which this project's machines cannot reach; this
 * module implements the part gradlab uses with `node:util`'s `parseArgs`.
 * Unlike `@std/cli`, an unknown flag is an error, not silently accepted.
 * To switch back, re-export `parseArgs` from `jsr:@std/cli@1`.
 *
 * @example
 * ```ts
 * import { parseArgs } from "./cli.ts";
 * const flags = parseArgs(["--epochs", "5", "--plot"], {
 *   string: ["epochs"], boolean: ["plot"], default: { epochs: "10" },
 * });
 * // flags.epochs === "5", flags.plot === true, flags._ = []
 * ```
 * @module
 */
import { parseArgs as nodeParseArgs } from "node:util";

/** A flag the command does not know, or one without its value. */
export class FlagError extends Error {
  override name = "FlagError";
}

/** Which flags exist, their kinds and their defaults. */
export interface ParseOptions<S extends string, B extends string> {
  string?: readonly S[];
  boolean?: readonly B[];
  default?: Partial<Record<NoInfer<S>, string> & Record<NoInfer<B>, boolean>>;
  /** Short names: `{ h: "help" }` makes `-h` mean `--help`. */
  alias?: Record<string, S | B>;
}

/** The parsed flags, plus the positional arguments in `_`. */
export type Args<S extends string, B extends string> =
  & { [K in S]?: string }
  & { [K in B]: boolean }
  & { _: string[] };

/**
 * Parses `args` (usually `Deno.args`). Throws an Error that names the flag when a
 * flag is unknown or lacks its value.
 */
export function parseArgs<S extends string = never, B extends string = never>(
  args: readonly string[],
  options: ParseOptions<S, B> = {},
): Args<S, B> {
  const spec: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const name of options.string ?? []) spec[name] = { type: "string" };
  for (const name of options.boolean ?? []) spec[name] = { type: "boolean" };
  for (const [short, long] of Object.entries(options.alias ?? {})) {
    if (spec[long]) spec[long].short = short;
  }
  let parsed;
  try {
    parsed = nodeParseArgs({
      args: [...args],
      options: spec,
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    const known = Object.keys(spec).map((k) => `--${k}`).join(", ") || "none";
    throw new FlagError(`${(e as Error).message}. Known flags: ${known}.`);
  }
  const out: Record<string, unknown> = { _: parsed.positionals };
  for (const name of options.boolean ?? []) out[name] = false;
  Object.assign(out, options.default ?? {}, parsed.values);
  return out as Args<S, B>;
}
