/**
 * The error a starter function throws until the student writes it.
 *
 * Every `TODO` in `assignments/` ends with
 * `throw new NotImplementedError("affineForward")`, so a test of unwritten
 * code fails with one clear line instead of a crash deep inside tfjs.
 *
 * @example
 * ```ts
 * import { NotImplementedError } from "./errors.ts";
 * export function affineForward(): never {
 *   // TODO: Implement for Task 2.
 *   throw new NotImplementedError("affineForward");
 * }
 * ```
 * @module
 */

/** Thrown by starter code that has not been written yet. */
export class NotImplementedError extends Error {
  constructor(readonly functionName: string) {
    super(`${functionName} is not implemented yet: write it where its TODO is.`);
    this.name = "NotImplementedError";
  }
}

/**
 * Runs a script's `main`. If it throws a {@linkcode NotImplementedError} —
 * the script needs a function the student has not written yet — the script
 * ends with that error's one line on standard error and exit code 1, not a
 * stack trace. Any other error propagates as usual.
 *
 * @example
 * ```ts
 * import { runScript } from "./errors.ts";
 * if (import.meta.main) await runScript(async () => { /* … *\/ });
 * ```
 */
export async function runScript(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (e) {
    if (!(e instanceof NotImplementedError)) throw e;
    console.error(`error: ${e.message}`);
    Deno.exit(1);
  }
}
