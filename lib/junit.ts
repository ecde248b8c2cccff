/**
 * Reading the JUnit XML report Deno's test runner writes (`--junit-path`).
 *
 * Deno writes one `<testcase>` per test and one per step, the step named
 * `parent > step`, with a `<failure>`, an `<error>` (a test cancelled by an
 * uncaught error) or `<skipped/>` inside when it did not pass; its
 * `classname` is the test file. Every text in it is escaped, so a test's
 * error message cannot add elements.
 *
 * @example
 * ```ts
 * import { parseJunit } from "./junit.ts";
 * const cases = parseJunit('<testsuites><testsuite name="./a_test.ts">' +
 *   '<testcase name="t" classname="./a_test.ts"><failure message="boom">Error: boom</failure>' +
 *   "</testcase></testsuite></testsuites>");
 * // [{ name: "t", file: "./a_test.ts", outcome: "failed", message: "Error: boom" }]
 * ```
 * @module
 */

/** One `<testcase>` of a Deno report. */
export interface JunitCase {
  name: string;
  /** The test file, as Deno names it (`./assignments/01-backprop/gates_test.ts`). */
  file?: string;
  outcome: "passed" | "failed" | "cancelled" | "skipped";
  /** The failure's text (message and stack), for a test that failed. */
  message?: string;
}

/** The test cases of a JUnit report written by `deno test --junit-path`. */
export function parseJunit(xml: string): JunitCase[] {
  const cases: JunitCase[] = [];
  const pattern = /<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const [, attributes, , body = ""] of xml.matchAll(pattern)) {
    const name = attribute(attributes, "name");
    if (name === undefined) continue;
    const file = attribute(attributes, "classname");
    const failure = body.match(/<failure\b([^>]*?)(?:\/>|>([\s\S]*?)<\/failure>)/);
    if (failure) {
      const text = failure[2] !== undefined ? unescapeXml(failure[2]) : undefined;
      cases.push({
        name,
        file,
        outcome: "failed",
        message: text ?? attribute(failure[1], "message"),
      });
    } else if (/<error\b/.test(body)) {
      const error = body.match(/<error\b([^>]*?)\/?>/);
      cases.push({
        name,
        file,
        outcome: "cancelled",
        message: attribute(error?.[1] ?? "", "message"),
      });
    } else if (/<skipped\b/.test(body)) {
      cases.push({ name, file, outcome: "skipped" });
    } else {
      cases.push({ name, file, outcome: "passed" });
    }
  }
  return cases;
}

function attribute(attributes: string, name: string): string | undefined {
  const match = attributes.match(new RegExp(`\\b${name}="([^"]*)"`));
  return match ? unescapeXml(match[1]) : undefined;
}

/** Escapes text for XML, dropping the control characters XML 1.0 cannot hold. */
export function escapeXml(text: string): string {
  return text
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-fA-F]+|#\d+);/g, (_, entity: string) => {
    switch (entity) {
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "quot":
        return '"';
      case "apos":
        return "'";
      case "amp":
        return "&";
      default:
        return String.fromCodePoint(
          entity.startsWith("#x") ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10),
        );
    }
  });
}
