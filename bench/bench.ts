/**
 * `deno task bench`: per-op and per-training-step speed of tfjs on every
 * backend and kernel set here, side by side with PyTorch on the same CPU.
 *
 *     deno task bench            # full: ~5 runs each, every configuration (~10 min)
 *     deno task bench --quick    # CI: 2 short runs, wasm kernel sets only (~2 min)
 *     deno task bench --filter=MLP
 *
 * Prints a markdown table of the fastest run of each benchmark (ratios =
 * speed / PyTorch's speed) and writes every
 * run's time to bench/results.json. Configurations: wasm with the `stock`,
 * `portable` and (with --allow-ffi and OpenBLAS) `native` kernel sets, webgpu
 * (when an adapter exists; its first-call time, shader compilation included,
 * is reported apart), and cpu. PyTorch runs as a subprocess
 * (bench/torch_bench.py) when `/usr/bin/python3 -c "import torch"` works; its
 * BLAS and the OPENBLAS_CORETYPE it ran under are recorded, since they change
 * its numbers 2–50×.
 *
 * @example
 * ```ts
 * // deno task bench --quick --filter=step
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type Backend, isAvailable, useBackend } from "../lib/backend.ts";
import { parseArgs } from "../lib/cli.ts";
import { installKernels, type KernelChoice } from "../lib/kernels/kernel_sets.ts";
import { makeCharRnnStep } from "./models/char_rnn.ts";
import { makeCnnStep } from "./models/cnn.ts";
import { makeMlpStep } from "./models/mlp.ts";
import type { TrainingStep } from "./models/training_step.ts";
import { makeOps } from "./ops.ts";
import { markdownTable, type Row } from "./report.ts";
import { measure, type Timing } from "./timing.ts";

const STEPS: Record<string, () => TrainingStep> = {
  "step: MLP 784-256-10, batch 128": makeMlpStep,
  "step: CNN 28x28, batch 128": makeCnnStep,
  "step: char-RNN h256 seq64, batch 32": makeCharRnnStep,
};

interface Config {
  name: string;
  backend: Backend;
  kernels: KernelChoice;
}

const flags = parseArgs(Deno.args, {
  boolean: ["quick"],
  string: ["filter", "out"],
  default: { out: "bench/results.json" },
});
const quick = flags.quick;
const runs = quick ? 2 : 5;
const targetMs = quick ? 100 : 300;
const wanted = (name: string) => !flags.filter || name.includes(flags.filter);

const configs = await availableConfigs();
const results: Record<string, Record<string, Timing | { error: string }>> = {};
const kernelLines: Record<string, string> = {};
for (const config of configs) {
  await useBackend(config.backend);
  kernelLines[config.name] = installKernels(config.backend, config.kernels);
  console.error(`# ${config.name}: kernels ${kernelLines[config.name]}`);
  const { ops, dispose } = makeOps();
  for (const [name, op] of Object.entries(ops)) {
    if (wanted(`op: ${name}`) && !tooSlow(config, name)) {
      await record(`op: ${name}`, config, () => measure(op, options(config)));
    }
  }
  dispose();
  for (const [name, make] of Object.entries(STEPS)) {
    if (!wanted(name) || tooSlow(config, name)) continue;
    const model = make();
    await record(name, config, () => measure(model.step, options(config)));
    model.dispose();
  }
}

const names = Object.keys(results);
const torch = await runTorch(names);
const rows: Row[] = names.map((name) => ({
  name,
  examples: name.startsWith("step:") ? make(name).examples : undefined,
  times: Object.fromEntries(
    configs.map((c) => [c.name, (results[name][c.name] as Timing | undefined)?.minMs]),
  ),
  torch: torch?.results[name] ? Math.min(...torch.results[name].ms) : undefined,
}));
const cpuConfigs = configs.filter((c) => c.backend !== "webgpu").map((c) => c.name);
const machine = describeMachine(torch);
console.log(`Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`);
console.log(`Kernels: ${configs.map((c) => `${c.name} = ${kernelLines[c.name]}`).join("; ")}.`);
if (torch) {
  const m = torch.meta;
  console.log(
    `PyTorch ${m.torch}, ${m.threads} thread(s), BLAS ${m.torchBlas} → ${m.openblas ?? "?"} ` +
      `(${m.openblasThreads} threads), OPENBLAS_CORETYPE=${m.OPENBLAS_CORETYPE}, ` +
      `OPENBLAS_L2_SIZE=${m.OPENBLAS_L2_SIZE}.`,
  );
} else console.log("PyTorch: not measured (/usr/bin/python3 with torch not found).");
console.log(`${runs} runs each after warm-up; the fastest run of each (medians in the JSON).\n`);
console.log(markdownTable(rows, configs.map((c) => c.name), cpuConfigs));
const firsts = configs.filter((c) => c.backend === "webgpu");
if (firsts.length) {
  console.log("\nWebGPU first call (shader compilation included) vs. a warm call, ms:\n");
  console.log("| benchmark | first call | warm call |\n| --- | ---: | ---: |");
  for (const name of names) {
    const t = results[name][firsts[0].name] as Timing | undefined;
    if (t?.minMs !== undefined) {
      console.log(`| ${name} | ${t.firstMs.toFixed(1)} | ${t.minMs.toFixed(1)} |`);
    }
  }
}
await Deno.writeTextFile(
  flags.out!,
  JSON.stringify(
    { date: new Date().toISOString(), machine, kernels: kernelLines, results, torch },
    null,
    1,
  ),
);
console.error(`# wrote ${flags.out}`);

function make(name: string): TrainingStep {
  const model = STEPS[name]();
  model.dispose();
  return model;
}

function options(config: Config) {
  // Software WebGPU and the plain-JS cpu backend take seconds per step: one short run each.
  return config.backend === "wasm" ? { runs, targetMs } : { runs: 2, targetMs: 1, warmup: 1 };
}

/** The plain-JS cpu backend needs minutes for convolutions and the RNN: only matmuls and the MLP run. */
function tooSlow(config: Config, name: string): boolean {
  return config.backend === "cpu" && !name.includes("MLP") && !name.startsWith("matmul");
}

async function record(name: string, config: Config, run: () => Promise<Timing>) {
  results[name] ??= {};
  try {
    results[name][config.name] = await run();
  } catch (e) {
    results[name][config.name] = { error: (e as Error).message.split("\n")[0] };
    console.error(`# ${config.name}, ${name}: ${(e as Error).message.split("\n")[0]}`);
  }
}

async function availableConfigs(): Promise<Config[]> {
  const list: Config[] = [
    { name: "wasm stock", backend: "wasm", kernels: "stock" },
    { name: "wasm portable", backend: "wasm", kernels: "portable" },
  ];
  await useBackend("wasm");
  if (installKernels("wasm", "auto").startsWith("native")) {
    list.push({ name: "wasm native", backend: "wasm", kernels: "native" });
  }
  if (quick) return list.filter((c) => c.kernels !== "stock");
  if (await isAvailable("webgpu")) {
    list.push({ name: "webgpu", backend: "webgpu", kernels: "stock" });
  }
  list.push({ name: "cpu", backend: "cpu", kernels: "stock" });
  return list;
}

interface TorchResults {
  meta: Record<string, string | number>;
  results: Record<string, { ms: number[] }>;
}

/** PyTorch's timings of the benchmarks `names`, or `undefined` where torch is not installed. */
async function runTorch(names: string[]): Promise<TorchResults | undefined> {
  const python = "/usr/bin/python3";
  try {
    const probe = await new Deno.Command(python, { args: ["-c", "import torch"], stderr: "null" })
      .output();
    if (!probe.success) return undefined;
  } catch {
    return undefined;
  }
  const only = JSON.stringify(names);
  const script = new URL("./torch_bench.py", import.meta.url).pathname;
  const out = await new Deno.Command(python, {
    args: [script, "--runs", String(runs), "--target-ms", String(targetMs), "--only", only],
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error("bench/torch_bench.py failed (see above).");
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** CPU (as PyTorch's side read it from /proc/cpuinfo: Deno needs -A for /proc), cores, OS, versions. */
function describeMachine(torch: TorchResults | undefined): string {
  const cpu = torch?.meta.cpu ?? "CPU model unknown";
  return `${cpu}, ${navigator.hardwareConcurrency} cores, ${Deno.build.os}, ` +
    `Deno ${Deno.version.deno}, tfjs ${tf.version_core}`;
}
