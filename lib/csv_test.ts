import { assertEquals, assertThrows } from "./assert.ts";
import { parse, stringify } from "./csv.ts";

Deno.test("CSV round trip keeps commas, quotes and newlines inside fields", () => {
  const rows = [{ name: 'a "quoted", name', value: "1.5" }, { name: "two\nlines", value: "-2" }];
  const text = stringify(rows, { columns: ["name", "value"] });
  assertEquals(parse(text, { skipFirstRow: true }), rows);
  assertEquals(parse("x,y\n1,2\n"), [["x", "y"], ["1", "2"]]);
});

Deno.test("malformed CSV is an error that says so", () => {
  assertThrows(() => parse('a,b\n"unclosed,1\n'), Error, "Malformed CSV");
});
