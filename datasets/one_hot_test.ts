import { useBackend } from "../lib/backend.ts";
import { assertEquals, assertThrows } from "../lib/assert.ts";
import { oneHot } from "./one_hot.ts";

await useBackend("cpu");

Deno.test("oneHot puts a 1 at each label's column, as float32", async () => {
  const y = oneHot(new Uint8Array([2, 0, 1]), 3);
  assertEquals(y.shape, [3, 3]);
  assertEquals(y.dtype, "float32");
  assertEquals(await y.array(), [[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
  y.dispose();
});

Deno.test("oneHot rejects a label outside 0…classes−1 instead of a silent row of zeros", () => {
  assertThrows(() => oneHot([0, 3], 3), Error, "label 3 at index 1 is not an integer in 0…2");
  assertThrows(() => oneHot([-1], 3), Error, "label -1 at index 0");
  assertThrows(() => oneHot([0.5], 3), Error, "label 0.5 at index 0");
});

Deno.test("oneHot rejects a class count that is not a positive integer", () => {
  assertThrows(() => oneHot([0], 0), Error, "classes must be a positive integer, got 0");
});
