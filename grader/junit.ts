/**
 * JUnit XML: reading the report Deno's test runner writes (`--junit-path`),
 * and writing the grader's own report for CI.
 *
 * Deno writes one `<testcase>` per test and one per step, the step named
 * `parent > step`, with a `<failure>`, an `<error>` (a test cancelled by an
 * uncaught error) or `<skipped/>` inside when it did not pass. Every text in
 * it is escaped, so a student's error message cannot add elements.
 *
 * @example
 * ```ts
 * import { parseJunit } from "./junit.ts";
 * const cases = parseJunit('<testsuites><testsuite name="./a_test.ts">' +
 *   '<testcase name="t" classname="./a_test.ts"><failure message="boom">Error: boom</failure>' +
 *   "</testcase></testsuite></testsuites>");
 * // [{ name: "t", outcome: "failed", message: "Error: boom" }]
 * ```
 * @module
 */

/** One `<testcase>` of a Deno report. */
export interface JunitCase {
  name: string;
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
    const failure = body.match(/<failure\b([^>]*?)(?:\/>|>([\s\S]*?)<\/failure>)/);
    if (failure) {
      const text = failure[2] !== undefined ? unescapeXml(failure[2]) : undefined;
      cases.push({ name, outcome: "failed", message: text ?? attribute(failure[1], "message") });
    } else if (/<error\b/.test(body)) {
      const error = body.match(/<error\b([^>]*?)\/?>/);
      cases.push({ name, outcome: "cancelled", message: attribute(error?.[1] ?? "", "message") });
    } else if (/<skipped\b/.test(body)) {
      cases.push({ name, outcome: "skipped" });
    } else {
      cases.push({ name, outcome: "passed" });
    }
  }
  return cases;
}

/** A test case of the grader's report. */
export interface ReportCase {
  /** The suite it belongs to, e.g. `01-backprop/gates_test.ts`. */
  suite: string;
  name: string;
  passed: boolean;
  /** For a test that did not pass: why, in words. */
  message?: string;
  /** Extra lines: score, notes. */
  output?: string;
  seconds?: number;
}

/** The grader's JUnit report: one suite per test file, a failure for each test that did not pass. */
export function toJunit(cases: readonly ReportCase[], name = "gradlab grade"): string {
  const suites = new Map<string, ReportCase[]>();
  for (const c of cases) suites.set(c.suite, [...(suites.get(c.suite) ?? []), c]);
  const failures = cases.filter((c) => !c.passed).length;
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${escapeXml(name)}" tests="${cases.length}" failures="${failures}">`,
  ];
  for (const [suite, members] of suites) {
    lines.push(
      `  <testsuite name="${escapeXml(suite)}" tests="${members.length}" failures="${
        members.filter((c) => !c.passed).length
      }">`,
    );
    for (const c of members) {
      const time = c.seconds === undefined ? "" : ` time="${c.seconds.toFixed(3)}"`;
      lines.push(
        `    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(suite)}"${time}>`,
      );
      if (!c.passed) {
        const message = c.message ?? "failed";
        lines.push(
          `      <failure message="${escapeXml(firstLine(message))}">${
            escapeXml(message)
          }</failure>`,
        );
      }
      if (c.output) lines.push(`      <system-out>${escapeXml(c.output)}</system-out>`);
      lines.push(`    </testcase>`);
    }
    lines.push(`  </testsuite>`);
  }
  lines.push(`</testsuites>`, "");
  return lines.join("\n");
}

function attribute(attributes: string, name: string): string | undefined {
  const match = attributes.match(new RegExp(`\\b${name}="([^"]*)"`));
  return match ? unescapeXml(match[1]) : undefined;
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0];
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
