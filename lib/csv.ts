/**
 * CSV reading and writing, with the call shapes of Deno's `@std/csv`.
 *
 * `@std/csv` lives on JSR, which this project's machines cannot reach; this
 * module wraps the npm packages `csv-parse` and `csv-stringify` (RFC 4180:
 * quoted fields, embedded commas, quotes and newlines). To switch back,
 * re-export `parse` and `stringify` from `jsr:@std/csv@1`.
 *
 * @example
 * ```ts
 * import { parse, stringify } from "./csv.ts";
 * const rows = parse("a,b\n1,2\n", { skipFirstRow: true }); // [{ a: "1", b: "2" }]
 * const text = stringify(rows, { columns: ["a", "b"] });   // "a,b\r\n1,2\r\n"
 * ```
 * @module
 */
import { parse as csvParse } from "csv-parse/sync";
import { stringify as csvStringify } from "csv-stringify/sync";

/** Parses CSV text into rows of strings. */
export function parse(text: string): string[][];
/** Parses CSV text whose first row names the columns into one record per later row. */
export function parse(text: string, options: { skipFirstRow: true }): Record<string, string>[];
export function parse(
  text: string,
  options?: { skipFirstRow?: boolean },
): string[][] | Record<string, string>[] {
  try {
    return csvParse(text, { columns: options?.skipFirstRow === true, skip_empty_lines: true });
  } catch (e) {
    throw new Error(`Malformed CSV: ${(e as Error).message}`);
  }
}

/**
 * Writes records (or rows) as CSV text with a header row. `columns` fixes the
 * columns and their order.
 */
export function stringify(
  data: readonly (Record<string, unknown> | unknown[])[],
  options: { columns: readonly string[] },
): string {
  return csvStringify(data as unknown[], {
    header: true,
    columns: [...options.columns],
    record_delimiter: "windows",
  });
}
