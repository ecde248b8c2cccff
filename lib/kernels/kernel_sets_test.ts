import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals } from "../assert.ts";
import { useBackend } from "../backend.ts";
import { loadBlas } from "./blas.ts";
import { installKernels } from "./kernel_sets.ts";
import { stockKernel } from "./registry.ts";

Deno.test("installKernels says which set runs, and 'stock' puts tfjs's kernels back", async () => {
  await useBackend("wasm");
  assertEquals(installKernels("wasm", "portable"), "portable");
  assert(tf.getKernel("BatchMatMul", "wasm") !== stockKernel("BatchMatMul", "wasm"));
  assertEquals(installKernels("wasm", "stock"), "stock");
  assertEquals(tf.getKernel("BatchMatMul", "wasm"), stockKernel("BatchMatMul", "wasm"));
  assertEquals(installKernels("cpu", "native"), "stock"); // other backends keep theirs
});

Deno.test("installKernels 'auto' picks native exactly when a BLAS loads", async () => {
  await useBackend("wasm");
  const line = installKernels("wasm", "auto");
  assertEquals(line.startsWith("native ("), loadBlas() !== undefined, line);
});

Deno.test("the stock set keeps gradlab's clear error for a kernel wasm lacks", async () => {
  await useBackend("wasm");
  installKernels("wasm", "stock");
  let message = "";
  try {
    tf.grad((w) => tf.conv2d(tf.ones([1, 3, 3, 1]) as tf.Tensor4D, w as tf.Tensor4D, 1, "same"))(
      tf.ones([2, 2, 1, 1]),
    );
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("Conv2DBackpropFilter"), message);
  installKernels("wasm", "portable");
});
