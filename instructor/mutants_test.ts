import { assertEquals, assertThrows } from "../lib/assert.ts";
import { applyMutant, type Mutant, testFileOf } from "./mutants.ts";

const SOURCE = `export function f(x: number): number {
  // BEGIN SOLUTION (Task 1)
  return 2 * x + 1;
  // END SOLUTION
}
export const provided = 2 * x + 1;
`;

const mutant = (from: string, to: string): Mutant => ({
  id: "m",
  file: "f.ts",
  mistake: "a slip",
  from,
  to,
});

Deno.test("a mutant replaces its text inside a solution region", () => {
  const text = applyMutant(SOURCE, mutant("return 2 * x + 1;", "return 2 * x;"), "f.ts");
  assertEquals(text.includes("return 2 * x;"), true, "the edit is applied");
  assertEquals(text.includes("return 2 * x + 1;"), false, "the original is gone");
});

Deno.test("a mutant whose text is missing, repeated, outside a region or unchanged is refused", () => {
  assertThrows(() => applyMutant(SOURCE, mutant("3 * x", "x"), "f.ts"), Error, "not in the file");
  assertThrows(
    () => applyMutant(SOURCE, mutant("2 * x + 1", "x"), "f.ts"),
    Error,
    "more than once",
  );
  assertThrows(
    () => applyMutant(SOURCE, mutant("export const provided", "export let provided"), "f.ts"),
    Error,
    "outside every solution region",
  );
  assertThrows(
    () => applyMutant(SOURCE, mutant("return 2 * x + 1;", "return 2 * x + 1;"), "f.ts"),
    Error,
    "the same",
  );
});

Deno.test("a student file's unit tests are its _test.ts", () => {
  assertEquals(testFileOf("layers.ts"), "layers_test.ts", "layers.ts → layers_test.ts");
});
