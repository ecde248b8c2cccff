/**
 * Assertions for tests, with the names and signatures of Deno's `@std/assert`.
 *
 * `@std/assert` lives on JSR, which this project's machines cannot reach, so
 * this module provides the subset gradlab uses on top of `node:assert/strict`.
 * To switch back, replace this file's body with
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
import { AssertionError } from "node:assert/strict";
import { inspect, isDeepStrictEqual } from "node:util";

export { AssertionError };

/** A class of errors, as `assertThrows` takes it. */
// deno-lint-ignore no-explicit-any
export type ErrorClass<E extends Error> = new (...args: any[]) => E;

/** Throws unless `expr` is truthy. */
export function assert(expr: unknown, msg = "Expected a truthy value"): asserts expr {
  if (!expr) throw new AssertionError({ message: msg });
}

/** Throws unless `actual` and `expected` are deeply equal (same structure, same values). */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new AssertionError({
      message: msg ??
        `Values are not equal:\n  actual:   ${inspect(actual)}\n  expected: ${inspect(expected)}`,
    });
  }
}

/** Throws if `actual` and `expected` are deeply equal. */
export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void {
  if (isDeepStrictEqual(actual, expected)) {
    throw new AssertionError({
      message: msg ?? `Expected actual to differ from ${inspect(expected)}.`,
    });
  }
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
  if (!(delta <= tolerance)) {
    throw new AssertionError({
      message: msg ?? `Expected actual: "${actual}" to be close to "${expected}": ` +
          `delta "${delta.toExponential(2)}" is greater than "${tolerance.toExponential(2)}"`,
    });
  }
}

/** Throws unless `actual > expected`. */
export function assertGreater(actual: number, expected: number, msg?: string): void {
  if (!(actual > expected)) {
    throw new AssertionError({ message: msg ?? `Expected ${actual} > ${expected}` });
  }
}

/** Throws unless `actual < expected`. */
export function assertLess(actual: number, expected: number, msg?: string): void {
  if (!(actual < expected)) {
    throw new AssertionError({ message: msg ?? `Expected ${actual} < ${expected}` });
  }
}

/** Throws unless `actual ≥ expected`. */
export function assertGreaterOrEqual(actual: number, expected: number, msg?: string): void {
  if (!(actual >= expected)) {
    throw new AssertionError({ message: msg ?? `Expected ${actual} >= ${expected}` });
  }
}

/** Throws unless `actual ≤ expected`. */
export function assertLessOrEqual(actual: number, expected: number, msg?: string): void {
  if (!(actual <= expected)) {
    throw new AssertionError({ message: msg ?? `Expected ${actual} <= ${expected}` });
  }
}

/** Throws unless `actual` contains `expected`. */
export function assertStringIncludes(actual: string, expected: string, msg?: string): void {
  if (!actual.includes(expected)) {
    throw new AssertionError({
      message: msg ?? `Expected actual: "${actual}" to contain: "${expected}".`,
    });
  }
}

/** Throws unless `actual` is an instance of `expectedType`. */
export function assertInstanceOf<T>(
  actual: unknown,
  expectedType: new (...args: never[]) => T,
  msg?: string,
): asserts actual is T {
  if (!(actual instanceof expectedType)) {
    throw new AssertionError({
      message: msg ?? `Expected object to be an instance of "${expectedType.name}".`,
    });
  }
}

/**
 * Throws unless `fn` throws an error of class `ErrorClass` whose message includes
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
    checkError(e, errorClass, msgIncludes);
    return e as E;
  }
  throw new AssertionError({ message: "Expected function to throw." });
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
    checkError(e, errorClass, msgIncludes);
    return e as E;
  }
  throw new AssertionError({ message: "Expected function to reject." });
}

function checkError(e: unknown, errorClass: ErrorClass<Error>, msgIncludes: string): void {
  if (!(e instanceof errorClass)) {
    throw new AssertionError({
      message: `Expected error to be instance of "${errorClass.name}", but was "${
        e instanceof Error ? e.constructor.name : typeof e
      }": ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  if (!e.message.includes(msgIncludes)) {
    throw new AssertionError({
      message: `Expected error message to include "${msgIncludes}", but got "${e.message}".`,
    });
  }
}

/** Throws an AssertionError with `msg`. */
export function fail(msg?: string): never {
  throw new AssertionError({ message: `Failed assertion${msg ? `: ${msg}` : "."}` });
}
