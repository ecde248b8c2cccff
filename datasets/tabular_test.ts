import { assertEquals, assertThrows } from "../lib/assert.ts";
import { parseCsvTable } from "./tabular.ts";

Deno.test("parseCsvTable reads numeric features and turns labels into sorted class ids", () => {
  const data = parseCsvTable("a,kind,b\n1,y,2.5\n-3,x,4e1\n", "kind", "t.csv");
  assertEquals(data.featureNames, ["a", "b"]);
  assertEquals(data.classNames, ["x", "y"]);
  assertEquals(data.x, new Float32Array([1, 2.5, -3, 40]));
  assertEquals(data.y, new Int32Array([1, 0]));
  assertEquals(data.count, 2);
});

Deno.test("parseCsvTable rejects a value that is not a number, naming file, line and column", () => {
  assertThrows(
    () => parseCsvTable("a,kind\n1,x\nNaN?,y\n", "kind", "t.csv"),
    Error,
    `t.csv, line 3, column 'a': "NaN?" is not a number`,
  );
  assertThrows(
    () => parseCsvTable("a,kind\n,x\n", "kind", "t.csv"),
    Error,
    `line 2, column 'a': "" is not a number`,
  );
});

Deno.test("parseCsvTable rejects a missing label column, listing the columns", () => {
  assertThrows(
    () => parseCsvTable("a,b\n1,2\n", "kind", "t.csv"),
    Error,
    "t.csv: no label column 'kind'; the columns are a, b",
  );
});

Deno.test("parseCsvTable rejects a header with no rows, and ragged rows, naming the file", () => {
  assertThrows(() => parseCsvTable("a,kind\n", "kind", "t.csv"), Error, "t.csv: no data rows");
  assertThrows(
    () => parseCsvTable("a,kind\n1,x,9\n", "kind", "t.csv"),
    Error,
    "t.csv: Malformed CSV",
  );
});
