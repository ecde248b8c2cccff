import {
  assert,
  assertAlmostEquals,
  assertEquals,
  AssertionError,
  assertLess,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "./assert.ts";

Deno.test("assertEquals compares deeply and shows both values when they differ", () => {
  assertEquals({ a: [1, 2], b: "x" }, { b: "x", a: [1, 2] });
  const e = assertThrows(() => assertEquals([1, 2], [1, 3], "rows"), AssertionError);
  assertStringIncludes(e.message, "rows: values are not equal");
  assertStringIncludes(e.message, "expected: [ 1, 3 ]");
});

Deno.test("assertAlmostEquals and the comparisons say what failed", () => {
  assertAlmostEquals(0.1 + 0.2, 0.3, 1e-12);
  assertThrows(
    () => assertAlmostEquals(1, 1.1, 0.01, "loss"),
    AssertionError,
    "loss: expected 1 to be close to 1.1",
  );
  assertThrows(() => assertLess(3, 2), AssertionError, "Expected 3 < 2.");
  assertThrows(() => assert(false, "nope"), AssertionError, "nope");
});

Deno.test("assertThrows and assertRejects check the class and the message", async () => {
  assertThrows(() => assertThrows(() => {}), AssertionError, "Expected function to throw.");
  assertThrows(
    () =>
      assertThrows(() => {
        throw new TypeError("x");
      }, RangeError),
    AssertionError,
    "RangeError",
  );
  assertThrows(
    () =>
      assertThrows(
        () => {
          throw new Error("abc");
        },
        Error,
        "xyz",
      ),
    AssertionError,
    '"xyz"',
  );
  await assertRejects(() => assertRejects(() => Promise.resolve()), AssertionError, "reject");
});
