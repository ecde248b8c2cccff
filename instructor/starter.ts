/**
 * Student starter code, generated from the reference solutions.
 *
 * `solutions/` is the single source of truth. In a solution file, each piece
 * a student writes is a marked region:
 *
 *     export function reluForward(x: tf.Tensor): [tf.Tensor, tf.Tensor] {
 *       // BEGIN SOLUTION (Task 2)
 *       return [tf.relu(x), x];
 *       // END SOLUTION
 *     }
 *
 * The starter replaces each region with a TODO and an error that names the
 * function, so the starter type-checks and each unwritten function fails its
 * tests with one clear line:
 *
 *     export function reluForward(x: tf.Tensor): [tf.Tensor, tf.Tensor] {
 *       // TODO: Implement for Task 2.
 *       throw new NotImplementedError("reluForward", 2);
 *     }
 *
 * Everything outside the regions — doc comments, signatures, hints — is
 * copied as it is, so write hints for students outside the regions.
 *
 * @module
 */

const BEGIN = /^(\s*)\/\/ BEGIN SOLUTION \(Task (\d+)\)\s*$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;
const FUNCTION = /^\s*(?:export\s+)?(?:async\s+)?function\*?\s+([A-Za-z_$][\w$]*)/;
const METHOD =
  /^\s*(?:(?:public|private|protected|static|async|override)\s+)*([A-Za-z_$][\w$]*)\s*\(/;
const KEYWORDS = ["if", "for", "while", "switch", "catch", "return", "await", "new", "function"];
const NOT_IMPLEMENTED_IMPORT = (libPath: string) =>
  `import { NotImplementedError } from "${libPath}/errors.ts";`;

/** A region of a solution file: where it is, its task, and the function it belongs to. */
export interface Region {
  task: number;
  functionName: string;
  /** first and last line (0-based) of the region, markers included */
  start: number;
  end: number;
}

/**
 * Finds the solution regions of a file. Throws, naming the file and line, for a
 * BEGIN without END, an END without BEGIN, nested regions, or a region outside any function.
 */
export function findRegions(source: string, file: string): Region[] {
  const lines = source.split("\n");
  const regions: Region[] = [];
  let open: { start: number; task: number } | undefined;
  lines.forEach((line, i) => {
    const begin = line.match(BEGIN);
    if (begin) {
      if (open) {
        throw new Error(
          `${file}:${i + 1}: BEGIN SOLUTION inside the region opened at line ${open.start + 1}.`,
        );
      }
      open = { start: i, task: Number(begin[2]) };
    } else if (END.test(line)) {
      if (!open) throw new Error(`${file}:${i + 1}: END SOLUTION without a BEGIN SOLUTION.`);
      regions.push({ ...open, end: i, functionName: enclosingFunction(lines, open.start, file) });
      open = undefined;
    } else if (/BEGIN SOLUTION|END SOLUTION/.test(line)) {
      throw new Error(
        `${file}:${
          i + 1
        }: malformed marker; write "// BEGIN SOLUTION (Task N)" or "// END SOLUTION" alone on a line.`,
      );
    }
  });
  if (open) {
    throw new Error(`${file}:${open.start + 1}: BEGIN SOLUTION is never closed by END SOLUTION.`);
  }
  return regions;
}

/**
 * The name of the function or method whose body holds line `at`. Walks back,
 * matching braces, to each block that encloses the line; the first whose header
 * declares a function or method names it (blocks of if, for, … are passed through).
 */
function enclosingFunction(lines: string[], at: number, file: string): string {
  let depth = 0;
  for (let i = at - 1; i >= 0; i--) {
    const code = lines[i].replace(/\/\/.*$/, "");
    for (let c = code.length - 1; c >= 0; c--) {
      if (code[c] === "}") depth++;
      else if (code[c] === "{" && depth > 0) depth--;
      else if (code[c] === "{") {
        const name = declaredName(blockHeader(lines, i));
        if (name) return name;
      }
    }
  }
  throw new Error(`${file}:${at + 1}: a solution region must lie inside a function or method.`);
}

/** The text before the block that opens on line `i`: that line and any it continues. */
function blockHeader(lines: string[], i: number): string {
  let start = i;
  while (start > 0 && !/[;{}]\s*$|^\s*$|^\s*(\/\/|\*|\/\*)/.test(lines[start - 1])) start--;
  return lines.slice(start, i + 1).join(" ");
}

/** The function or method a block header declares, if it declares one (not a call or a control statement). */
function declaredName(header: string): string | undefined {
  const fn = header.match(FUNCTION)?.[1];
  if (fn) return fn;
  const method = header.match(METHOD)?.[1];
  // A method's parameter list closes before its body opens: "name(…): T {", not "call(a, {".
  if (!method || KEYWORDS.includes(method) || !/\)[^()]*\{\s*$/.test(header)) return undefined;
  return method;
}

/**
 * The starter version of a solution file: each region replaced by a TODO and a
 * `NotImplementedError`, and that error's import added after the last import.
 *
 * @param source the solution file's text
 * @param file its path, for error messages
 * @param libPath the relative path from the file to `lib/`, e.g. `../../lib`
 */
export function makeStarter(source: string, file: string, libPath: string): string {
  const regions = findRegions(source, file);
  if (regions.length === 0) return source;
  const lines = source.split("\n");
  for (const region of [...regions].reverse()) {
    const indent = lines[region.start].match(BEGIN)![1];
    lines.splice(
      region.start,
      region.end - region.start + 1,
      `${indent}// TODO: Implement for Task ${region.task}.`,
      `${indent}throw new NotImplementedError("${region.functionName}", ${region.task});`,
    );
  }
  const importLine = NOT_IMPLEMENTED_IMPORT(libPath);
  if (!lines.includes(importLine)) {
    const lastImport = lines.findLastIndex((l) => /^import\b/.test(l) || /^} from /.test(l));
    lines.splice(lastImport + 1, 0, importLine);
  }
  return lines.join("\n");
}
