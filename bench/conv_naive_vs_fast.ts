/**
 * Assignment 5's benchmark: the naive convolution (loops in TypeScript)
 * against the fast one (im2col + one matrix product), both the reference
 * solutions, on a batch of CIFAR-10-sized images on WASM.
 *
 *     x [N, 32, 32, 3] → 32 filters of 3×3, stride 1, pad 1 → [N, 32, 32, 32]
 *
 * Forward alone, and forward + backward (dx, dw, db). The naive pass takes
 * seconds, so it runs twice and the faster run counts; the fast pass runs
 * until 300 ms have passed, five times, and its fastest run counts. The
 * handout of assignment 5 quotes the ratio.
 *
 *     deno task bench --filter=conv     # these rows only
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { randn, Rng } from "../lib/random.ts";
import { convBackwardFast, convForwardFast } from "../solutions/05-cnn/conv_fast.ts";
import { convBackwardNaive, convForwardNaive } from "../solutions/05-cnn/conv_naive.ts";
import { measure } from "./timing.ts";

/** One row: a pass, its naive and fast times (ms, the whole batch) and their ratio. */
export interface ConvRow {
  name: string;
  naiveMs: number;
  fastMs: number;
  speedup: number;
}

/**
 * Times the naive and fast convolutions of assignment 5 on the current backend.
 *
 * @param batch N, the images in the batch; default 8
 * @returns a row for the forward pass and one for forward + backward
 */
export async function benchConvNaiveVsFast(batch = 8): Promise<ConvRow[]> {
  const rng = new Rng(0);
  const x = randn(rng, [batch, 32, 32, 3]) as tf.Tensor4D;
  const w = randn(rng, [3, 3, 3, 32], 0.1) as tf.Tensor4D;
  const b = randn(rng, [32]) as tf.Tensor1D;
  const dout = randn(rng, [batch, 32, 32, 32]) as tf.Tensor4D;
  const conv = { stride: 1, pad: 1 };

  const naive = async (backward: boolean) => {
    let best = Infinity;
    for (let run = 0; run < 2; run++) {
      const started = performance.now();
      const [out, cache] = await convForwardNaive(x, w, b, conv);
      const grads = backward ? await convBackwardNaive(dout, cache) : undefined;
      best = Math.min(best, performance.now() - started);
      tf.dispose([out, ...Object.values(grads ?? {})]);
    }
    return best;
  };
  const fast = async (backward: boolean) => {
    const pass = () =>
      tf.tidy(() => {
        const [out, cache] = convForwardFast(x, w, b, conv);
        return backward ? convBackwardFast(dout, cache).dw : out;
      });
    return (await measure(pass, { runs: 5, targetMs: 300, warmup: 2 })).minMs;
  };

  const rows: ConvRow[] = [];
  for (const backward of [false, true]) {
    const [naiveMs, fastMs] = [await naive(backward), await fast(backward)];
    rows.push({
      name: `conv ${batch}×32×32×3 → 32 3×3, ${backward ? "forward + backward" : "forward"}`,
      naiveMs,
      fastMs,
      speedup: naiveMs / fastMs,
    });
  }
  tf.dispose([x, w, b, dout]);
  return rows;
}

/** The rows as a markdown table. */
export function convTable(rows: readonly ConvRow[]): string {
  return [
    "| assignment 5, naive vs fast (reference solutions) | naive, ms | fast, ms | speed-up |",
    "| --- | ---: | ---: | ---: |",
    ...rows.map((r) =>
      `| ${r.name} | ${r.naiveMs.toFixed(0)} | ${r.fastMs.toFixed(2)} | ${r.speedup.toFixed(0)}× |`
    ),
  ].join("\n");
}
