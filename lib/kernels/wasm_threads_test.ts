// The threads shim, tested where it must hold: in a fresh process with a graded run's
// permissions (lib/kernels/run_like_grader.ts). If a tfjs or Deno upgrade breaks it, these fail.
import * as tfWasm from "@tensorflow/tfjs-backend-wasm";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { runLikeGrader } from "./run_like_grader.ts";
import { PINNED } from "./wasm_threads.ts";

const backend = new URL("../backend.ts", import.meta.url).href;
const random = new URL("../random.ts", import.meta.url).href;

/** A module that starts wasm, multiplies two matrices, and prints what it ran and the result. */
const PROBE = `
import * as tf from "@tensorflow/tfjs";
import * as tfWasm from "@tensorflow/tfjs-backend-wasm";
import { describeBackend, setupBackend } from "${backend}";
import { randn, Rng } from "${random}";
const info = await setupBackend("wasm");
const a = randn(new Rng(1), [300, 200]);
const sum = (await tf.sum(tf.matMul(a, a, false, true)).data())[0];
console.log(JSON.stringify({
  threads: tfWasm.getThreadsCount(), info: info.threads, line: describeBackend(info), sum,
}));
`;

async function probe(env: Record<string, string>, readable?: string[]) {
  const run = await runLikeGrader(PROBE, env, { readable, timeoutMs: 60_000 });
  assert(!run.timedOut, `the process did not end by itself within 60 s:\n${run.stderr}`);
  assertEquals(run.code, 0, `the process failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!);
}

Deno.test("threaded wasm runs 2 threads with a graded run's permissions, and the process exits", async () => {
  const out = await probe({ GRADLAB_THREADS: "2" });
  assertEquals(out.threads, 2, "tfjs-wasm's thread count");
  assertEquals(out.info, { threads: 2, reason: "GRADLAB_THREADS=2" });
  assertStringIncludes(
    out.line,
    "kernels: portable (no FFI permission); wasm threads: 2 (GRADLAB_THREADS=2)",
  );
});

Deno.test("GRADLAB_THREADS=1 runs tfjs's one-thread build, with the same result", async () => {
  const [one, two] = [await probe({ GRADLAB_THREADS: "1" }), await probe({ GRADLAB_THREADS: "2" })];
  assertEquals(one.threads, 1, "tfjs-wasm's thread count");
  assertEquals(two.sum, one.sum, "a 300×200·200×300 product summed, 2 threads vs 1");
});

Deno.test("where the thread's worker cannot start, one thread runs and says why", async () => {
  // Without read access to lib/, the worker's script cannot be loaded (the modules still can).
  const nodeModules = await Deno.realPath(new URL("../../node_modules", import.meta.url));
  const out = await probe({ GRADLAB_THREADS: "2" }, [nodeModules]);
  assertEquals(out.threads, 1, "tfjs-wasm's thread count");
  assertStringIncludes(out.info.reason, "threads could not start: Requires read access");
});

Deno.test("the shim is pinned to the tfjs-backend-wasm and Deno versions installed", () => {
  const advice = "re-run lib/kernels/wasm_threads_test.ts against the new version, check " +
    "lib/kernels/wasm_threads.ts's notes against its source, then update PINNED";
  assertEquals(tfWasm.version_wasm, PINNED.tfjsBackendWasm, advice);
  assert(Deno.version.deno.startsWith(PINNED.deno), `Deno ${Deno.version.deno}: ${advice}`);
});
