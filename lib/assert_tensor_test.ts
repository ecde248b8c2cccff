import * as tf from "@tensorflow/tfjs";
import { AssertionError, assertRejects, assertThrows } from "./assert.ts";
import { assertAllClose, assertShape } from "./assert_tensor.ts";
import { useBackend } from "./backend.ts";

await useBackend("wasm");

Deno.test("assertShape names what has the wrong shape", () => {
  assertShape(tf.zeros([2, 3]), [2, 3]);
  assertThrows(
    () => assertShape(tf.zeros([3, 2]), [2, 3], "dw"),
    AssertionError,
    "Expected dw to have shape [2,3], got [3,2].",
  );
  assertThrows(
    () => assertShape([1, 2] as never, [2], "dx"),
    AssertionError,
    "Expected dx to be a tensor, got an array",
  );
});

Deno.test("assertAllClose passes within tolerance and names the first bad element", async () => {
  await assertAllClose(tf.tensor([[1, 2], [3, 4.000001]]), [[1, 2], [3, 4]]);
  await assertRejects(
    () => assertAllClose(tf.tensor([[1, 2], [3, 4.1]]), [[1, 2], [3, 4]], {}, "out"),
    AssertionError,
    "out[1,1] is 4.099999904632568, expected 4",
  );
  await assertRejects(() => assertAllClose(tf.tensor([NaN]), [NaN]), AssertionError, "is NaN");
  await assertRejects(
    () => assertAllClose(tf.tensor([1, 2]), [1, 2, 3]),
    AssertionError,
    "shape [3]",
  );
});
