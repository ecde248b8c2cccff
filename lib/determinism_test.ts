/**
 * Same seed + same backend ⇒ the same loss history, bit for bit.
 *
 * Short training runs (minibatch SGD, shuffled batches — every random choice
 * drawn from one seeded Rng) are run twice on each backend, and on wasm with
 * each kernel set. Threaded wasm must give one thread's bits too: that is
 * checked in two fresh processes, one thread and two.
 */
import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertNotEquals } from "./assert.ts";
import { type Backend, isAvailable, useBackend } from "./backend.ts";
import { loadBlas } from "./kernels/blas.ts";
import { installKernels, type KernelChoice } from "./kernels/kernel_sets.ts";
import { runLikeGrader } from "./kernels/run_like_grader.ts";
import { readScalar } from "./read.ts";
import { randint, randn, Rng } from "./random.ts";

/** Losses of 20 SGD steps of a 4-16-3 MLP on seeded random data: cheap on every backend. */
async function mlpLosses(seed: number): Promise<number[]> {
  const rng = new Rng(seed);
  const x = randn(rng, [64, 4]), y = tf.oneHot(randint(rng, [64], 3) as tf.Tensor1D, 3);
  const params = [
    randn(rng, [4, 16], 0.5),
    tf.zeros([16]),
    randn(rng, [16, 3], 0.5),
    tf.zeros([3]),
  ];
  return await train(
    rng,
    x,
    y,
    params,
    (p, xb) => tf.relu(xb.matMul(p[0]).add(p[1])).matMul(p[2]).add(p[3]),
    0.5,
  );
}

/**
 * Losses of 20 SGD steps of conv 3×3 (3 → 16 channels) – ReLU – affine 1024 → 10 on
 * seeded random 8×8 images: big enough for tfjs-wasm to split its work among threads.
 */
export async function convLosses(seed: number): Promise<number[]> {
  const rng = new Rng(seed);
  const x = randn(rng, [64, 8, 8, 3]), y = tf.oneHot(randint(rng, [64], 10) as tf.Tensor1D, 10);
  const params = [randn(rng, [3, 3, 3, 16], 0.3), tf.zeros([16]), randn(rng, [1024, 10], 0.05)];
  const scores = (p: tf.Tensor[], xb: tf.Tensor) =>
    tf.relu(tf.add(tf.conv2d(xb as tf.Tensor4D, p[0] as tf.Tensor4D, 1, "same"), p[1]))
      .reshape([-1, 1024]).matMul(p[2]);
  return await train(rng, x, y, params, scores, 0.1);
}

/** 20 steps of minibatch SGD (batches of 32 of the 64 examples) on softmax loss; the losses. */
async function train(
  rng: Rng,
  x: tf.Tensor,
  y: tf.Tensor,
  params: tf.Tensor[],
  scores: (p: tf.Tensor[], xb: tf.Tensor) => tf.Tensor,
  learningRate: number,
): Promise<number[]> {
  const history: number[] = [];
  for (let step = 0; step < 20; step++) {
    const batch = tf.tensor1d(rng.permutation(64).subarray(0, 32), "int32");
    const [xb, yb] = [tf.gather(x, batch), tf.gather(y, batch)];
    const { value, grads } = tf.valueAndGrads((...p: tf.Tensor[]) =>
      tf.losses.softmaxCrossEntropy(yb, scores(p, xb))
    )(params);
    params = params.map((p, i) => p.sub(grads[i].mul(learningRate)));
    history.push(await readScalar(value));
  }
  return history;
}

async function checkRepeats(losses: (seed: number) => Promise<number[]>): Promise<void> {
  const [first, second] = [await losses(7), await losses(7)];
  assertEquals(new Float32Array(second), new Float32Array(first), "two runs, seed 7");
  assertNotEquals(first[0], first[19], "the run must actually train");
  assertNotEquals(await losses(8), first, "another seed must give another run");
}

for (const backend of ["webgpu", "cpu"] as Backend[]) {
  Deno.test({
    name: `determinism: two runs with one seed give bitwise-identical losses on ${backend}`,
    ignore: !(await isAvailable(backend)),
    fn: async () => {
      await useBackend(backend);
      await checkRepeats(mlpLosses);
    },
  });
}

const SETS: KernelChoice[] = ["portable", ...(loadBlas() ? ["native" as const] : [])];
for (const kernels of SETS) {
  Deno.test(`determinism: two runs with one seed give bitwise-identical losses on wasm (${kernels})`, async () => {
    await useBackend("wasm");
    installKernels("wasm", kernels);
    await checkRepeats(mlpLosses);
    await checkRepeats(convLosses);
  });
}

Deno.test("determinism: threaded wasm (portable) gives one thread's losses, bit for bit", async () => {
  const source = `
    import { setupBackend } from "${new URL("./backend.ts", import.meta.url).href}";
    import { convLosses } from "${import.meta.url}";
    const info = await setupBackend("wasm");
    console.log(JSON.stringify({ threads: info.threads.threads, losses: await convLosses(7) }));
  `;
  const runs = [];
  for (const threads of ["1", "2"]) {
    const run = await runLikeGrader(source, {
      GRADLAB_THREADS: threads,
      GRADLAB_KERNELS: "portable",
    });
    assertEquals(run.code, 0, `the ${threads}-thread run failed:\n${run.stderr}`);
    runs.push(JSON.parse(run.stdout.trim().split("\n").at(-1)!));
  }
  assertEquals(runs.map((r) => r.threads), [1, 2], "threads of the two runs");
  assertEquals(runs[1].losses, runs[0].losses, "loss history, 2 threads vs 1");
});
