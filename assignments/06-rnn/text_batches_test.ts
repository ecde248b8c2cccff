/** Tests for Task 9: text_batches.ts. The text is 0, 1, 2, …, so each id says where it came from. */
import { assertEquals } from "../../lib/assert.ts";
import { test } from "../../lib/testing.ts";
import { textBatch, textLayout } from "./text_batches.ts";

test("textBatch: batch k is chunk k of every row, the targets one character later", {
  task: 9,
  points: 3,
}, async () => {
  // 103 characters, 4 rows: rows of R = ⌊102 / 4⌋ = 25 inputs, 5 batches of 5 per epoch.
  const ids = Int32Array.from({ length: 103 }, (_, i) => i);
  assertEquals(textLayout(103, 4, 5), { rowLength: 25, batchesPerEpoch: 5 }, "the layout");
  for (const k of [0, 1, 4]) {
    const { inputs, targets } = textBatch(ids, 4, 5, k);
    const expected = [0, 1, 2, 3].map((n) => [0, 1, 2, 3, 4].map((j) => n * 25 + k * 5 + j));
    assertEquals(inputs.dtype, "int32", "inputs' dtype");
    assertEquals(
      await inputs.array(),
      expected,
      `inputs of batch ${k}: row n continues batch ${k - 1}'s row n`,
    );
    assertEquals(
      await targets.array(),
      expected.map((row) => row.map((id) => id + 1)),
      `targets of batch ${k}: the inputs shifted by one character`,
    );
  }
});
