import { assertAlmostEquals, assertEquals, assertThrows } from "../lib/assert.ts";
import { spiral } from "./spiral.ts";

Deno.test("spiral gives K·N points, radius growing from 0 to 1 along each arm", () => {
  const data = spiral({ pointsPerClass: 100, classes: 3, seed: 0 });
  assertEquals([data.count, data.classes, data.x.length], [300, 3, 600]);
  assertEquals(Array.from(data.y.subarray(99, 101)), [0, 1]);
  const radius = (row: number) => Math.hypot(data.x[2 * row], data.x[2 * row + 1]);
  assertAlmostEquals(radius(100), 0, 1e-7); // first point of class 1
  assertAlmostEquals(radius(199), 1, 1e-6); // last point of class 1
});

Deno.test("spiral with the same seed is the same", () => {
  assertEquals(spiral({ seed: 5 }), spiral({ seed: 5 }));
});

Deno.test("spiral rejects bad sizes", () => {
  assertThrows(() => spiral({ pointsPerClass: 1 }), Error, "pointsPerClass must be an integer ≥ 2");
  assertThrows(() => spiral({ classes: 1 }), Error, "classes must be an integer ≥ 2");
});
