import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "../assert.ts";
import { useBackend } from "../backend.ts";
import { installKernels } from "./kernel_sets.ts";

Deno.test("Identity on wasm shares memory, which outlives the input and is freed with the last user", async () => {
  await useBackend("wasm");
  installKernels("wasm", "portable");
  const before = tf.memory().numDataBuffers;
  const x = tf.tensor([1, 2, 3]);
  const y = tf.clone(x); // the Identity kernel
  assertEquals(tf.memory().numDataBuffers, before + 1); // one buffer, not two
  x.dispose();
  assertEquals(Array.from(await y.data()), [1, 2, 3]);
  y.dispose();
  assertEquals(tf.memory().numDataBuffers, before);
});
