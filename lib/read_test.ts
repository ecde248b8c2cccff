import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertRejects } from "./assert.ts";
import { useBackend } from "./backend.ts";
import { readAll, readScalar } from "./read.ts";

await useBackend("wasm");

Deno.test("readScalar reads a one-element tensor and refuses bigger ones", async () => {
  assertEquals(await readScalar(tf.scalar(2.5)), 2.5);
  assertEquals(await readScalar(tf.tensor([[7]])), 7);
  await assertRejects(() => readScalar(tf.ones([2, 3])), Error, "got shape [2,3] (6 values)");
});

Deno.test("readAll reads several tensors of any dtype in one go, without disposing them", async () => {
  const a = tf.tensor([[1, 2], [3, 4]]),
    b = tf.tensor([5, 6, 7], undefined, "int32"),
    c = tf.tensor([true, false]);
  const [va, vb, vc] = await readAll([a, b, c]);
  assertEquals([Array.from(va), Array.from(vb), Array.from(vc)], [[1, 2, 3, 4], [5, 6, 7], [1, 0]]);
  assertEquals(a.isDisposed, false);
  assertEquals(await readAll([]), []);
});
