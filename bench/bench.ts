/**
 * `deno task bench`: per-op and per-training-step speed of tfjs on every
 * backend and kernel set here, side by side with PyTorch on the same CPU.
 *
 *     deno task bench            # full: 5 rounds, every configuration (~10 min)
 *     deno task bench --quick    # CI: 3 short rounds, wasm kernel sets only (~2 min)
 *     deno task bench --wasm-only --rounds=7   # wasm's kernel sets and PyTorch only
 *     deno task bench --quick --rounds=5 --filter=step
 *     GRADLAB_THREADS=1 deno task bench --quick   # tfjs-wasm on one thread
 *     deno task bench --filter="naive vs fast"   # assignment 5's convolutions only
 *
 * Prints a markdown table of the median run of each benchmark (ratios =
 * speed / PyTorch's speed) and writes every run's time to bench/results.json.
 * WASM runs as many threads as lib/backend.ts gives it (one per core, or
 * `GRADLAB_THREADS`); the table's header says how many.
 *
 * Benchmarks: single ops (bench/ops.ts), the hand-written layer passes of
 * assignments 3, 5 and 6 (bench/layers.ts), and training steps
 * (bench/models/).
 *
 * Configurations: wasm with the `stock`, `portable` and (with FFI and
 * OpenBLAS) `native` kernel sets; webgpu when an adapter exists, its first
 * call (shader compilation included) reported apart; and cpu (matmuls and the
 * MLP only: it needs minutes for the rest).
 *
 * PyTorch runs as a subprocess (bench/torch_bench.py --serve) when
 * `/usr/bin/python3 -c "import torch"` works. Its runs are interleaved with
 * the wasm runs, benchmark by benchmark and round by round, so that on a
 * shared machine both see the same load and the ratios hold up even when the
 * absolute times do not. Its BLAS and the OPENBLAS_CORETYPE it ran under are
 * recorded, since they change its numbers 2–50×.
 *
 * @example
 * ```ts
 * // deno task bench --quick --filter=step
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { dirname } from "node:path";
import {
  type Backend,
  describeBackend,
  isAvailable,
  setupBackend,
  useBackend,
} from "../lib/backend.ts";
import { parseArgs } from "../lib/cli.ts";
import { installKernels, type KernelChoice } from "../lib/kernels/kernel_sets.ts";
import { benchConvNaiveVsFast, type ConvRow, convTable } from "./conv_naive_vs_fast.ts";
import { makeCharRnnStep } from "./models/char_rnn.ts";
import { makeCnnStep } from "./models/cnn.ts";
import { makeMlpStep } from "./models/mlp.ts";
import type { TrainingStep } from "./models/training_step.ts";
import { makeLayers } from "./layers.ts";
import { makeOps } from "./ops.ts";
import {
  batchnormBackwardLine,
  type BatchnormBackwardTiming,
  measureBatchnormBackward,
} from "./batchnorm_backward.ts";
import { markdownTable, type Row } from "./report.ts";
import { measure, summarize, timeRun, type Timing, warmUp } from "./timing.ts";

const STEPS: Record<string, { make: () => TrainingStep; examples: number }> = {
  "step: MLP 784-256-10, batch 128": { make: makeMlpStep, examples: 128 },
  "step: CNN 28x28, batch 128": { make: makeCnnStep, examples: 128 },
  "step: char-RNN h256 seq64, batch 32": { make: makeCharRnnStep, examples: 32 },
};

interface Config {
  name: string;
  backend: Backend;
  kernels: KernelChoice;
}

type Result = Timing | { error: string };

if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
  console.log(
    "usage: deno task bench [--quick] [--rounds N] [--wasm-only] [--filter TEXT] [--out FILE]\n\n" +
      "Times tfjs's ops and training steps on every backend and kernel set here,\n" +
      "interleaved with PyTorch on the same CPU; writes bench/results.json\n" +
      "(a --filter run writes out/bench_filtered.json: the committed results stay whole).",
  );
  Deno.exit(0);
}
const flags = parseArgs(Deno.args, {
  boolean: ["quick", "wasm-only"],
  string: ["filter", "out", "rounds"],
});
flags.out ??= flags.filter ? "out/bench_filtered.json" : "bench/results.json";
await Deno.mkdir(dirname(flags.out), { recursive: true });
const rounds = flags.rounds ? Number(flags.rounds) : flags.quick ? 3 : 5;
if (!(Number.isInteger(rounds) && rounds >= 1)) {
  throw new Error(`--rounds must be a whole number, 1 or more; it is '${flags.rounds}'.`);
}
const targetMs = flags.quick ? 100 : 300;
const wanted = (name: string) => !flags.filter || name.includes(flags.filter);

const results: Record<string, Record<string, Result>> = {};
const torchResults: Record<string, Timing> = {};
const kernelLines: Record<string, string> = {};
const torch = await startTorch();

// Phase 1: wasm kernel sets and PyTorch, interleaved.
const wasm = describeBackend(await setupBackend("wasm"));
const wasmConfigs = await wasmKernelSets();
for (const c of wasmConfigs) kernelLines[c.name] = installKernels("wasm", c.kernels);
const wasmOps = makeOps(), wasmLayers = makeLayers();
for (const [name, op] of Object.entries(wasmOps.ops)) {
  if (wanted(`op: ${name}`)) await interleaved(`op: ${name}`, op);
}
for (const [name, pass] of Object.entries(wasmLayers.layers)) {
  if (wanted(`layer: ${name}`)) await interleaved(`layer: ${name}`, pass);
}
wasmOps.dispose();
wasmLayers.dispose();
for (const [name, { make }] of Object.entries(STEPS)) {
  if (!wanted(name)) continue;
  const model = make();
  await interleaved(name, model.step);
  model.dispose();
}
torch?.close();
const batchnorm = wanted("batchnorm backward") ? await batchnormBackward() : undefined;
const convRows = await assignment5Conv();

// Phase 2: the other backends, on their own (they are 10–1000× slower; no ratios).
const others = await otherConfigs();
for (const config of others) {
  await useBackend(config.backend);
  kernelLines[config.name] = installKernels(config.backend, config.kernels);
  console.error(`# ${config.name}: kernels ${kernelLines[config.name]}`);
  const { ops, dispose } = makeOps();
  for (const [name, op] of Object.entries(ops)) {
    if (wanted(`op: ${name}`) && !tooSlow(config, name)) await alone(`op: ${name}`, config, op);
  }
  dispose();
  const { layers, dispose: disposeLayers } = makeLayers();
  for (const [name, pass] of Object.entries(layers)) {
    if (wanted(`layer: ${name}`) && !tooSlow(config, name)) {
      await alone(`layer: ${name}`, config, pass);
    }
  }
  disposeLayers();
  for (const [name, { make }] of Object.entries(STEPS)) {
    if (!wanted(name) || tooSlow(config, name)) continue;
    const model = make();
    await alone(name, config, model.step);
    model.dispose();
  }
}

// Report.
const configs = [...wasmConfigs, ...others];
const names = Object.keys(results);
const rows: Row[] = names.map((name) => ({
  name,
  examples: STEPS[name]?.examples,
  times: Object.fromEntries(configs.map((c) => [c.name, medianOf(results[name][c.name])])),
  torch: torchResults[name]?.medianMs,
}));
const machine =
  `${torch?.meta.cpu ?? "CPU model unknown"}, ${navigator.hardwareConcurrency} cores, ` +
  `${Deno.build.os}, Deno ${Deno.version.deno}, tfjs ${tf.version_core}`;
console.log(`Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`);
console.log(`Kernels: ${configs.map((c) => `${c.name} = ${kernelLines[c.name]}`).join("; ")}.`);
console.log(`WASM: ${wasm}.`);
if (torch) {
  const m = torch.meta;
  console.log(
    `PyTorch ${m.torch}, ${m.threads} intra-op thread(s), BLAS ${m.torchBlas} → ${m.openblas} ` +
      `(${m.openblasThreads} threads), OPENBLAS_CORETYPE=${m.OPENBLAS_CORETYPE}, ` +
      `OPENBLAS_L2_SIZE=${m.OPENBLAS_L2_SIZE}.`,
  );
} else console.log("PyTorch: not measured (/usr/bin/python3 with torch not found).");
console.log(
  `${rounds} rounds after warm-up, wasm and PyTorch interleaved; the median run of each ` +
    `(fastest and every run in ${flags.out}).\n`,
);
console.log(markdownTable(rows, configs.map((c) => c.name), wasmConfigs.map((c) => c.name)));
if (batchnorm) console.log(`\n${batchnormBackwardLine(batchnorm)}`);
if (convRows.length) console.log(`\n${convTable(convRows)}`);
const gpu = others.find((c) => c.backend === "webgpu");
if (gpu) {
  console.log("\nWebGPU first call (shader compilation included) vs. a warm call, ms:\n");
  console.log("| benchmark | first call | warm call |\n| --- | ---: | ---: |");
  for (const name of names) {
    const t = results[name][gpu.name];
    if (t && "minMs" in t) {
      console.log(`| ${name} | ${t.firstMs.toFixed(1)} | ${t.minMs.toFixed(1)} |`);
    }
  }
}
await Deno.writeTextFile(
  flags.out!,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine,
      wasm,
      kernels: kernelLines,
      torch: torch?.meta,
      results,
      torchResults,
      batchnormBackward: batchnorm,
      convNaiveVsFast: convRows,
    },
    null,
    2, // as deno fmt lays it out: the committed results pass deno fmt --check
  ) + "\n",
);
console.error(`# wrote ${flags.out}`);

/** Rounds of one run per wasm kernel set, then one PyTorch run, for benchmark `name`. */
async function interleaved(name: string, iteration: () => tf.Tensor): Promise<void> {
  console.error(`# ${name}`);
  const ready: Record<string, { firstMs: number; iterations: number; ms: number[] }> = {};
  const failed: Record<string, string> = {};
  const torchMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const c of wasmConfigs) {
      if (failed[c.name]) continue;
      installKernels("wasm", c.kernels);
      try {
        ready[c.name] ??= { ...(await warmUp(iteration, targetMs)), ms: [] };
        ready[c.name].ms.push(await timeRun(iteration, ready[c.name].iterations));
      } catch (e) {
        failed[c.name] = (e as Error).message.split("\n")[0];
        console.error(`#   ${c.name}: ${failed[c.name]}`);
      }
    }
    if (torch) torchMs.push(await torch.run(name));
  }
  results[name] = {};
  for (const c of wasmConfigs) {
    const r = ready[c.name];
    results[name][c.name] = failed[c.name]
      ? { error: failed[c.name] }
      : summarize(r.ms, r.iterations, r.firstMs);
  }
  if (torch) torchResults[name] = summarize(torchMs, torch.iterations[name], torch.firstMs[name]);
}

/** Assignment 3's batchnorm backward passes, graph against closed form, on wasm with the portable kernels. */
async function batchnormBackward(): Promise<BatchnormBackwardTiming> {
  console.error("# batchnorm backward: graph / closed form");
  await useBackend("wasm");
  installKernels("wasm", "portable");
  return await measureBatchnormBackward({ runs: rounds, targetMs });
}

/**
 * Assignment 5's rows: its naive and fast convolutions (reference solutions) on
 * wasm with the portable kernels, the graded configuration. Not interleaved:
 * the naive pass alone takes seconds.
 */
async function assignment5Conv(): Promise<ConvRow[]> {
  if (!wanted("conv naive vs fast")) return [];
  console.error("# conv naive vs fast (assignment 5)");
  await useBackend("wasm");
  installKernels("wasm", "portable");
  return await benchConvNaiveVsFast(8);
}

/** Times `iteration` on a non-wasm configuration: two short runs. */
async function alone(name: string, config: Config, iteration: () => tf.Tensor): Promise<void> {
  results[name] ??= {};
  try {
    results[name][config.name] = await measure(iteration, { runs: 2, targetMs: 1, warmup: 1 });
  } catch (e) {
    results[name][config.name] = { error: (e as Error).message.split("\n")[0] };
  }
}

function medianOf(r: Result | undefined): number | undefined {
  return r && "medianMs" in r ? r.medianMs : undefined;
}

/** The plain-JS cpu backend needs minutes for convolutions and the RNN: only matmuls and the MLP run. */
function tooSlow(config: Config, name: string): boolean {
  return config.backend === "cpu" && !name.includes("MLP") && !name.startsWith("matmul");
}

async function wasmKernelSets(): Promise<Config[]> {
  const list: Config[] = [
    { name: "wasm stock", backend: "wasm", kernels: "stock" },
    { name: "wasm portable", backend: "wasm", kernels: "portable" },
  ];
  await useBackend("wasm");
  if (installKernels("wasm", "auto").startsWith("native")) {
    list.push({ name: "wasm native", backend: "wasm", kernels: "native" });
  }
  return flags.quick ? list.filter((c) => c.kernels !== "stock") : list;
}

async function otherConfigs(): Promise<Config[]> {
  if (flags.quick || flags["wasm-only"]) return [];
  const list: Config[] = [];
  if (await isAvailable("webgpu")) {
    list.push({ name: "webgpu", backend: "webgpu", kernels: "stock" });
  }
  list.push({ name: "cpu", backend: "cpu", kernels: "stock" });
  return list;
}

interface Torch {
  meta: Record<string, string | number>;
  /** One PyTorch run of benchmark `name`; ms per iteration. */
  run(name: string): Promise<number>;
  iterations: Record<string, number>;
  firstMs: Record<string, number>;
  close(): void;
}

/** bench/torch_bench.py in serve mode, or `undefined` where PyTorch is not installed. */
async function startTorch(): Promise<Torch | undefined> {
  const python = "/usr/bin/python3";
  try {
    const probe = await new Deno.Command(python, { args: ["-c", "import torch"], stderr: "null" })
      .output();
    if (!probe.success) return undefined;
  } catch {
    return undefined;
  }
  const script = new URL("./torch_bench.py", import.meta.url).pathname;
  const child = new Deno.Command(python, {
    args: [script, "--serve", "--target-ms", String(targetMs)],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = child.stdin.getWriter();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(splitLines())
    .getReader();
  const next = async () => {
    const { value, done } = await lines.read();
    if (done) throw new Error("bench/torch_bench.py stopped (see above).");
    return JSON.parse(value);
  };
  const { meta } = await next();
  const iterations: Record<string, number> = {}, firstMs: Record<string, number> = {};
  return {
    meta,
    iterations,
    firstMs,
    async run(name) {
      await writer.write(new TextEncoder().encode(name + "\n"));
      const answer = await next();
      if (answer.error) throw new Error(`torch_bench.py: ${answer.error}`);
      iterations[name] = answer.iterations;
      firstMs[name] = answer.firstMs;
      return answer.ms;
    },
    close() {
      writer.close();
    },
  };
}

/** A stream transform from text chunks to lines. */
function splitLines(): TransformStream<string, string> {
  let buffer = "";
  return new TransformStream({
    transform(chunk, controller) {
      buffer += chunk;
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      for (const line of parts) if (line) controller.enqueue(line);
    },
  });
}
