/**
 * The error a starter function throws until the student writes it.
 *
 * Every `TODO` in `assignments/` ends with
 * `throw new NotImplementedError("affineForward", 2)`, so a test of unwritten
 * code fails with one clear line instead of a crash deep inside tfjs.
 *
 * @example
 * ```ts
 * import { NotImplementedError } from "./errors.ts";
 * export function affineForward(): never {
 *   // TODO: Implement for Task 2.
 *   throw new NotImplementedError("affineForward", 2);
 * }
 * ```
 * @module
 */

/** Thrown by starter code that has not been written yet. */
export class NotImplementedError extends Error {
  constructor(readonly functionName: string, readonly task?: number) {
    super(
      `${functionName} is not implemented yet${
        task === undefined ? "" : ` (Task ${task})`
      }: write it where its TODO is.`,
    );
    this.name = "NotImplementedError";
    // One line wherever it shows — a test's failure, a script's exit, a notebook cell: the
    // message names the function to write, and a stack trace would only point at its TODO.
    this.stack = `${this.name}: ${this.message}`;
  }
}
