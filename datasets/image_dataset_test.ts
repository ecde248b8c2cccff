import { assertEquals, assertThrows } from "../lib/assert.ts";
import { classCounts } from "./image_dataset.ts";

Deno.test("classCounts counts each class", () => {
  assertEquals(classCounts(new Uint8Array([2, 0, 2, 1, 2]), 4), [1, 1, 3, 0]);
});

Deno.test("classCounts rejects a label outside 0…classes−1, naming it", () => {
  assertThrows(() => classCounts([0, 1, 3], 3), Error, "label 3 at index 2 is not in 0…2");
});
