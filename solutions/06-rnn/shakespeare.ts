/**
 * Trains your char model on Tiny Shakespeare and lets it write.
 *
 *     deno task shakespeare                          # the target's LSTM, 1,500 steps (a few minutes)
 *     deno task shakespeare --steps=8000 --hidden=256 --save=out/lstm.safetensors   # a longer run
 *     deno task shakespeare --load=out/lstm.safetensors --steps=0                    # only sample
 *     deno task shakespeare --cell=rnn               # the vanilla RNN instead
 *
 * Provided: it calls your char model (Task 9), `perplexity` (Task 8) and
 * `sample` (Task 7), and assignment 2's `adam`. It shows a progress bar
 * whose status carries the validation perplexity as it improves, prints the
 * final perplexity and samples at temperatures 0.5, 1 and 1.5, and draws
 * `out/shakespeare_perplexity.svg`: the training and validation perplexity
 * against the step. `--help` lists the flags.
 *
 * @module
 */
import { describeBackend, setupBackend } from "../../lib/backend.ts";
import { readCheckpoint, writeCheckpoint } from "../../lib/checkpoint.ts";
import { parseArgs } from "../../lib/cli.ts";
import { lineChart } from "../../lib/plot.ts";
import { Rng } from "../../lib/random.ts";
import { runScript } from "../../lib/script.ts";
import { loadTinyShakespeare } from "../../datasets/shakespeare.ts";
import { adam, ADAM_DEFAULTS } from "../02-optimizers/optim.ts";
import {
  asLanguageModel,
  type Cell,
  type CharModelConfig,
  type CharModelParams,
  checkConfig,
  initCharModel,
} from "./char_model.ts";
import { perplexity } from "./perplexity.ts";
import { sample } from "./sample.ts";
import { cosineDecay, trainCharModel } from "./train.ts";

const USAGE = `usage: deno task shakespeare [flags]

  --cell=lstm|rnn     the recurrent layer (default lstm)
  --hidden=128        H, hidden units (default 128)
  --embed=32          D, the embedding size (default 32)
  --batch=32          N, rows of text read side by side (default 32)
  --seq=64            T, characters per chunk: how far back gradients flow (default 64)
  --steps=1500        updates (default 1500, as the target test); 0 to only sample a loaded model
  --lr=3e-3           Adam's initial learning rate, decayed to a tenth along a cosine (default 3e-3)
  --clip=1            the largest global gradient norm (default 1)
  --eval-every=250    steps between validation perplexities (default 250)
  --seed=0            seeds the initialisation and the samples (default 0)
  --save=PATH         write the trained parameters to PATH (.safetensors)
  --load=PATH         start from parameters saved with --save (the sizes come from the file)
  --prompt=TEXT       what the samples start from (default "JULIET:")
  --length=300        characters per sample (default 300)
  --backend=NAME      wasm, webgpu, cpu or auto (default auto)
  --help              this text`;

/** The checkpoint format of saved char models. */
const FORMAT = { name: "gradlab-char-model", version: 1 };

/** A flag's value as a number, checked. */
function numberFlag(flags: Record<string, unknown>, name: string, integer = true): number {
  const value = Number(flags[name]);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new Error(
      `--${name} must be a non-negative ${integer ? "integer" : "number"}, got ${flags[name]}.`,
    );
  }
  return value;
}

async function main(args: string[]): Promise<void> {
  const flags = parseArgs(args, {
    string: [
      "cell",
      "hidden",
      "embed",
      "batch",
      "seq",
      "steps",
      "lr",
      "clip",
      "eval-every",
      "seed",
      "save",
      "load",
      "prompt",
      "length",
      "backend",
    ],
    default: {
      cell: "lstm",
      hidden: "128",
      embed: "32",
      batch: "32",
      seq: "64",
      steps: "1500",
      lr: "3e-3",
      clip: "1",
      "eval-every": "250",
      seed: "0",
      prompt: "JULIET:",
      length: "300",
    },
  });
  console.log(`backend: ${describeBackend(await setupBackend())}`);
  const { train, val, vocab } = await loadTinyShakespeare();
  const seed = numberFlag(flags, "seed");
  let config: CharModelConfig = {
    cell: flags.cell as Cell,
    vocabSize: vocab.size,
    embedSize: numberFlag(flags, "embed"),
    hiddenSize: numberFlag(flags, "hidden"),
  };
  let params: CharModelParams;
  if (flags.load) {
    const saved = await readCheckpoint(flags.load, FORMAT);
    config = saved.meta.config as CharModelConfig;
    params = saved.tensors as CharModelParams;
    console.log(`loaded ${flags.load}: ${JSON.stringify(config)}`);
  } else {
    checkConfig(config);
    params = initCharModel(new Rng(seed), config);
  }
  const evaluate = (p: CharModelParams) =>
    perplexity(asLanguageModel(p, config), val, { rows: 64, chunkLength: 256 });

  const steps = numberFlag(flags, "steps");
  if (steps > 0) {
    const started = performance.now();
    const result = await trainCharModel(params, config, train, {
      update: adam,
      hyperParameters: { ...ADAM_DEFAULTS, learningRate: numberFlag(flags, "lr", false) },
      schedule: cosineDecay(steps, 0.1),
      batchSize: numberFlag(flags, "batch"),
      seqLength: numberFlag(flags, "seq"),
      steps,
      clipNorm: numberFlag(flags, "clip", false),
      evaluateEvery: numberFlag(flags, "eval-every"),
      evaluate,
      progress: true,
    });
    params = result.params;
    const minutes = (performance.now() - started) / 60_000;
    console.log(
      `${config.cell.toUpperCase()} H=${config.hiddenSize}, ${steps} steps in ${
        minutes.toFixed(1)
      } min; ` +
        `validation perplexity at each evaluation: ` +
        result.evaluations.map((e) => `${e.value.toFixed(2)} (step ${e.step})`).join(", "),
    );
    await Deno.mkdir("out", { recursive: true });
    await Deno.writeTextFile("out/shakespeare_perplexity.svg", perplexityChart(result, config));
    console.log("wrote out/shakespeare_perplexity.svg");
    if (flags.save) {
      await writeCheckpoint(flags.save, { format: FORMAT, meta: { config }, tensors: params });
      console.log(`saved the parameters to ${flags.save}`);
    }
  }
  console.log(`validation perplexity: ${(await evaluate(params)).toFixed(3)}`);

  const prompt = vocab.encode(flags.prompt!);
  for (const temperature of [0.5, 1, 1.5]) {
    const ids = await sample(asLanguageModel(params, config), prompt, numberFlag(flags, "length"), {
      temperature,
      rng: new Rng(seed),
    });
    console.log(`\n--- temperature ${temperature} ---\n${flags.prompt}${vocab.decode(ids)}`);
  }
}

/**
 * The training perplexity (exp of the mean loss over each window of steps)
 * and the validation perplexity, against the step.
 */
export function perplexityChart(
  result: { lossHistory: number[]; evaluations: { step: number; value: number }[] },
  config: CharModelConfig,
): string {
  const window = Math.max(1, Math.round(result.lossHistory.length / 50));
  const trainX: number[] = [], trainY: number[] = [];
  for (let end = window; end <= result.lossHistory.length; end += window) {
    const losses = result.lossHistory.slice(end - window, end);
    trainX.push(end);
    trainY.push(Math.exp(losses.reduce((a, b) => a + b, 0) / losses.length));
  }
  return lineChart({
    title: `${config.cell.toUpperCase()} (H = ${config.hiddenSize}) on Tiny Shakespeare`,
    xLabel: "step",
    yLabel: "perplexity",
    series: [
      { name: `training (mean of ${window} steps)`, x: trainX, y: trainY },
      {
        name: "validation",
        x: result.evaluations.map((e) => e.step),
        y: result.evaluations.map((e) => e.value),
      },
      { name: "4-gram counts model (5.95)", x: [0, result.lossHistory.length], y: [5.95, 5.95] },
    ],
    logY: true,
  });
}

if (import.meta.main) await runScript(USAGE, main);
