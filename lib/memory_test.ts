import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertRejects, assertThrows } from "./assert.ts";
import { useBackend } from "./backend.ts";
import { liveTensors, scope, scopeAsync } from "./memory.ts";

await useBackend("wasm");

Deno.test("scope frees intermediates and keeps the result", async () => {
  const before = liveTensors();
  const y = scope(() => tf.ones([3]).mul(2).add(1));
  assertEquals(liveTensors(), before + 1);
  assertEquals(Array.from(await y.data()), [3, 3, 3]);
  y.dispose();
});

Deno.test("scope refuses an async function", () => {
  // deno-lint-ignore require-await
  assertThrows(() => scope((async () => tf.ones([1])) as never), Error, "use scopeAsync()");
});

Deno.test("scopeAsync frees tensors made after an await, keeps the result", async () => {
  const before = liveTensors();
  const result = await scopeAsync(async () => {
    const a = tf.ones([4]);
    await a.data();
    const b = a.mul(3); // made after the await: tf.tidy would leak it
    return { b, total: (await b.sum().data())[0] };
  });
  assertEquals(result.total, 12);
  assertEquals(liveTensors(), before + 1); // only b
  result.b.dispose();
});

Deno.test("scopeAsync frees everything when the function throws", async () => {
  const before = liveTensors();
  await assertRejects(
    () =>
      scopeAsync(async () => {
        tf.ones([2]).add(1);
        await Promise.resolve();
        throw new Error("boom");
      }),
    Error,
    "boom",
  );
  assertEquals(liveTensors(), before);
});
