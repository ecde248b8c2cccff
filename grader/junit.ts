/**
 * The grader's own JUnit report, for CI: one suite per test file, a failure
 * for each test that did not pass, the score in `<system-out>`. (Reading
 * Deno's reports is `lib/junit.ts`.)
 *
 * @module
 */
import { escapeXml } from "../lib/junit.ts";

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

function firstLine(text: string): string {
  return text.split("\n", 1)[0];
}
