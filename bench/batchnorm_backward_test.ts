import * as tf from "@tensorflow/tfjs";
import { assert, assertStringIncludes } from "../lib/assert.ts";
import { useBackend } from "../lib/backend.ts";
import { batchnormBackwardLine, measureBatchnormBackward } from "./batchnorm_backward.ts";

Deno.test("the batchnorm backward row times both passes, frees its tensors and prints a ratio", async () => {
  await useBackend("wasm");
  const before = tf.memory().numTensors;
  const timing = await measureBatchnormBackward({ runs: 1, targetMs: 1, warmup: 0 });
  assert(timing.graph.minMs > 0 && timing.closedForm.minMs > 0, "both passes were timed");
  assert(Math.abs(timing.ratio - timing.graph.minMs / timing.closedForm.minMs) < 1e-12);
  assert(tf.memory().numTensors === before, "no tensor is left behind");
  assertStringIncludes(batchnormBackwardLine(timing), `| ${timing.ratio.toFixed(2)} |`);
});
