/**
 * Assertions for tests, with the names and signatures of Deno's `@std/assert`.
 *
 * `@std/assert` lives on JSR, which this project's machines cannot reach, so
 * this module provides the subset gradlab uses, on `node:util`'s deep
 * equality. To switch back, replace this file's body with
 * `export * from "jsr:@std/assert@1";` — callers do not change.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals, assertEquals } from "./assert.ts";
 * assertEquals([1, 2], [1, 2]);
 * assertAlmostEquals(0.1 + 0.2, 0.3, 1e-12);
 * ```
 * @module
 */
import { inspect, isDeepStrictEqual } from "node:util";

/** The error every assertion throws, as in `@std/assert`. */
export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

/** A class of errors, as `assertThrows` takes it. */
// deno-lint-ignore no-explicit-any
export type ErrorClass<E extends Error> = new (...args: any[]) => E;

/** Throws unless `expr` is truthy. */
export function assert(expr: unknown, msg = "Expected a truthy value"): asserts expr {
  if (!expr) throw new AssertionError(msg);
}

/** Throws unless `actual` and `expected` are deeply equal (same structure, same values). */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  if (isDeepStrictEqual(actual, expected)) return;
  throw new AssertionError(
    `${msg ? `${msg}: ` : ""}values are not equal:\n` +
      `  actual:   ${inspect(actual)}\n  expected: ${inspect(expected)}`,
  );
}

/** Throws if `actual` and `expected` are deeply equal. */
export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void {
  if (!isDeepStrictEqual(actual, expected)) return;
  throw new AssertionError(msg ?? `Expected actual to differ from ${inspect(expected)}.`);
}

/** Throws unless `|actual − expected| ≤ tolerance` (default 1e-7). */
export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance = 1e-7,
  msg?: string,
): void {
  if (Object.is(actual, expected)) return;
  const delta = Math.abs(expected - actual);
  if (delta <= tolerance) return;
  throw new AssertionError(
    `${msg ? `${msg}: ` : ""}expected ${actual} to be close to ${expected}: ` +
      `the difference ${delta.toExponential(2)} exceeds ${tolerance.toExponential(2)}.`,
  );
}

/** Throws unless `actual > expected`. */
export function assertGreater(actual: number, expected: number, msg?: string): void {
  if (!(actual > expected)) {
    throw new AssertionError(withContext(msg, `expected ${actual} > ${expected}`));
  }
}

/** Throws unless `actual < expected`. */
export function assertLess(actual: number, expected: number, msg?: string): void {
  if (!(actual < expected)) {
    throw new AssertionError(withContext(msg, `expected ${actual} < ${expected}`));
  }
}

/** Throws unless `actual ≥ expected`. */
export function assertGreaterOrEqual(actual: number, expected: number, msg?: string): void {
  if (!(actual >= expected)) {
    throw new AssertionError(withContext(msg, `expected ${actual} >= ${expected}`));
  }
}

/** Throws unless `actual ≤ expected`. */
export function assertLessOrEqual(actual: number, expected: number, msg?: string): void {
  if (!(actual <= expected)) {
    throw new AssertionError(withContext(msg, `expected ${actual} <= ${expected}`));
  }
}

/** Throws unless `actual` contains `expected`. */
export function assertStringIncludes(actual: string, expected: string, msg?: string): void {
  if (actual.includes(expected)) return;
  throw new AssertionError(withContext(msg, `expected "${actual}" to contain "${expected}"`));
}

/** Throws unless `actual` is an instance of `expectedType`. */
export function assertInstanceOf<T extends Error>(
  actual: unknown,
  expectedType: ErrorClass<T>,
  msg?: string,
): asserts actual is T {
  if (actual instanceof expectedType) return;
  throw new AssertionError(withContext(msg, `expected an instance of ${expectedType.name}`));
}

/**
 * Throws unless `fn` throws an error of class `errorClass` whose message includes
 * `msgIncludes`. Returns the error.
 */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  errorClass: ErrorClass<E> = Error as unknown as ErrorClass<E>,
  msgIncludes = "",
): E {
  try {
    fn();
  } catch (e) {
    return checkError(e, errorClass, msgIncludes);
  }
  throw new AssertionError("Expected function to throw.");
}

/** Like {@linkcode assertThrows}, for a function returning a Promise. */
export async function assertRejects<E extends Error = Error>(
  fn: () => PromiseLike<unknown>,
  errorClass: ErrorClass<E> = Error as unknown as ErrorClass<E>,
  msgIncludes = "",
): Promise<E> {
  try {
    await fn();
  } catch (e) {
    return checkError(e, errorClass, msgIncludes);
  }
  throw new AssertionError("Expected function to reject.");
}

function checkError<E extends Error>(
  e: unknown,
  errorClass: ErrorClass<E>,
  msgIncludes: string,
): E {
  if (!(e instanceof errorClass)) {
    const got = e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
    throw new AssertionError(
      `Expected error to be an instance of ${errorClass.name}, but got ${got}`,
    );
  }
  if (!e.message.includes(msgIncludes)) {
    throw new AssertionError(
      `Expected error message to include "${msgIncludes}", but got "${e.message}".`,
    );
  }
  return e;
}

/** Throws an AssertionError with `msg`. */
export function fail(msg?: string): never {
  throw new AssertionError(`Failed assertion${msg ? `: ${msg}` : "."}`);
}

function withContext(msg: string | undefined, detail: string): string {
  return msg ? `${msg}: ${detail}` : `${detail[0].toUpperCase()}${detail.slice(1)}.`;
}
