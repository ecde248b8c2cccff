import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "../assert.ts";
import { useBackend } from "../backend.ts";
import { overrideKernel, restoreStockKernels, stockKernel } from "./registry.ts";

Deno.test("overrideKernel replaces a kernel; stockKernel still reaches tfjs's; restore puts it back", async () => {
  await useBackend("cpu");
  const calls: string[] = [];
  overrideKernel({
    kernelName: "Neg",
    backendName: "cpu",
    kernelFunc: (args) => {
      calls.push("mine");
      return stockKernel("Neg", "cpu")!.kernelFunc(args);
    },
  });
  assertEquals(Array.from(await tf.neg(tf.tensor([1, -2])).data()), [-1, 2]);
  assertEquals(calls, ["mine"]);
  restoreStockKernels("cpu");
  await tf.neg(tf.tensor([1])).data();
  assertEquals(calls, ["mine"]);
  assertEquals(tf.getKernel("Neg", "cpu"), stockKernel("Neg", "cpu"));
});
