import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "../assert.ts";
import { isAvailable, useBackend } from "../backend.ts";
import { readAll } from "../read.ts";

Deno.test({
  name: "tf.addN on webgpu sums every input, past the stock shader's 7",
  ignore: !(await isAvailable("webgpu")),
  fn: async () => {
    await useBackend("webgpu");
    const counts = [1, 7, 8, 13, 14, 20];
    const sums = counts.map((n) =>
      tf.addN(Array.from({ length: n }, (_, i) => tf.fill([2, 3], i + 1)))
    );
    const values = await readAll(sums);
    tf.dispose(sums);
    assertEquals(
      values.map((v) => v[5]),
      counts.map((n) => (n * (n + 1)) / 2),
      "the sum of 1 … n for each count of inputs",
    );
  },
});
