import { assertEquals, assertThrows } from "./assert.ts";
import { gradedName, test } from "./testing.ts";

Deno.test("a graded test's name carries its task and points", () => {
  assertEquals(
    gradedName("affineBackward passes the gradient check", { task: 2, points: 5 }),
    "Task 2: affineBackward passes the gradient check [5 pts]",
  );
  assertEquals(gradedName("x", { task: 1, points: 1 }), "Task 1: x [1 pt]");
});

Deno.test("a graded test must be worth something", () => {
  assertThrows(
    () => test("free", { task: 1, points: 0 }, () => {}),
    Error,
    "points must be positive",
  );
});
