import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertThrows } from "../lib/assert.ts";
import { useBackend } from "../lib/backend.ts";
import { measure, median } from "./timing.ts";

Deno.test("median of odd and even lists", () => {
  assertEquals(median([3, 1, 2]), 2);
  assertEquals(median([4, 1, 3, 2]), 2.5);
  assertThrows(() => median([]), Error, "empty");
});

Deno.test("measure times every run, frees every iteration's tensors and rejects bad options", async () => {
  await useBackend("wasm");
  const a = tf.ones([64, 64]);
  const before = tf.memory().numTensors;
  let calls = 0;
  const t = await measure(() => (calls++, tf.matMul(a, a)), { runs: 3, targetMs: 5 });
  assertEquals(t.ms.length, 3);
  assertEquals(calls, 1 + 2 + 1 + 3 * t.iterations); // first, warm-up, calibration, runs
  assert(t.minMs <= t.medianMs && t.minMs > 0);
  assertEquals(tf.memory().numTensors, before);
  await assertRejects(() => measure(() => a, { runs: 0, targetMs: 5 }));
  a.dispose();
});

async function assertRejects(f: () => Promise<unknown>) {
  let threw = false;
  try {
    await f();
  } catch {
    threw = true;
  }
  assert(threw, "expected a rejection");
}
