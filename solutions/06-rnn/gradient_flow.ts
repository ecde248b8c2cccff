/**
 * How far back gradients reach: the vanilla RNN against the LSTM.
 *
 *     deno task gradient-flow        # your rnn.ts and lstm.ts; writes out/gradient_flow.svg
 *
 * Provided: it calls your rnnForward/rnnBackward and lstmForward/lstmBackward.
 * A batch of random sequences goes through a freshly initialised layer (the
 * char model's initialisation: Xavier weights, inputs of unit scale), and
 * only the last step's output gets a gradient. The norm of the gradient that
 * arrives at each step's input, ‖dx_t‖, shows how much the first steps can
 * still learn from a loss 50 steps later.
 *
 * @example
 * ```ts
 * import { gradientNorms } from "./gradient_flow.ts";
 * const norms = await gradientNorms("lstm", { steps: 50 }); // 50 numbers, ‖dx_t‖
 * console.log(norms[0] / norms[49]); // ≈ 1e-4 (the RNN: ≈ 1e-10)
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { describeBackend, setupBackend } from "../../lib/backend.ts";
import { parseArgs } from "../../lib/cli.ts";
import { scopeAsync } from "../../lib/memory.ts";
import { lineChart } from "../../lib/plot.ts";
import { runScript } from "../../lib/script.ts";
import { randn, Rng } from "../../lib/random.ts";
import { lstmBackward, lstmForward } from "./lstm.ts";
import { rnnBackward, rnnForward } from "./rnn.ts";

/** The experiment's sizes; each has a default. */
export interface FlowOptions {
  /** T, the sequence length */
  steps: number;
  /** N, sequences in the batch; default 16 */
  batch?: number;
  /** D, default 32 */
  inputSize?: number;
  /** H, default 128 */
  hiddenSize?: number;
  /** the LSTM's forget-gate bias; default 1, as the char model's */
  forgetBias?: number;
  /** seeds the inputs, weights and gradient; default 0 */
  seed?: number;
}

/**
 * The gradient norm reaching each step when only the last step's output has
 * a loss.
 *
 * @param cell which recurrent layer
 * @param options the sizes
 * @returns ‖dx_t‖ for t = 0 … T − 1 (over the batch and the features)
 */
export function gradientNorms(cell: "rnn" | "lstm", options: FlowOptions): Promise<number[]> {
  const { steps: t, batch: n = 16, inputSize: d = 32, hiddenSize: h = 128 } = options;
  const { forgetBias = 1, seed = 0 } = options;
  return scopeAsync(async () => {
    const rng = new Rng(seed);
    const width = cell === "lstm" ? 4 * h : h; // the gates side by side
    const x = randn(rng, [n, t, d]) as tf.Tensor3D;
    const wx = randn(rng, [d, width], 1 / Math.sqrt(d)) as tf.Tensor2D;
    const wh = randn(rng, [h, width], 1 / Math.sqrt(h)) as tf.Tensor2D;
    const bias = Array.from({ length: width }, (_, k) => (k >= h && k < 2 * h ? forgetBias : 0));
    const b = tf.tensor1d(cell === "lstm" ? bias : new Array(width).fill(0));
    const zeros = tf.zeros([n, h]) as tf.Tensor2D;
    // The loss sees only the last step: dh is zero everywhere else.
    const dh = tf.concat([tf.zeros([n, t - 1, h]), randn(rng, [n, 1, h])], 1) as tf.Tensor3D;
    const dx = cell === "lstm"
      ? lstmBackward(dh, lstmForward(x, zeros, zeros, wx, wh, b)[2]).dx
      : rnnBackward(dh, rnnForward(x, zeros, wx, wh, b)[1]).dx;
    return Array.from(await tf.sqrt(tf.sum(tf.square(dx), [0, 2])).data());
  });
}

const USAGE = `usage: deno task gradient-flow [--steps=50] [--backend=wasm|webgpu|cpu|auto]

Sends a gradient back from the last of --steps steps through a freshly initialised vanilla RNN and
LSTM (your rnn.ts and lstm.ts), and draws the norm reaching each step to out/gradient_flow.svg.`;

/** One curve of the experiment: a layer's name and ‖dx_t‖ for each step t. */
export interface FlowCurve {
  name: string;
  norms: number[];
}

/**
 * The experiment's three curves: the vanilla RNN, and the LSTM with forget-gate biases 0 and 1.
 *
 * @param steps T, the sequence length
 */
export async function flowCurves(steps: number): Promise<FlowCurve[]> {
  return [
    { name: "vanilla RNN", norms: await gradientNorms("rnn", { steps }) },
    { name: "LSTM, forget bias 0", norms: await gradientNorms("lstm", { steps, forgetBias: 0 }) },
    { name: "LSTM, forget bias 1", norms: await gradientNorms("lstm", { steps, forgetBias: 1 }) },
  ];
}

/** The curves as a chart: each norm over the last step's, on a log scale. */
export function flowChart(curves: readonly FlowCurve[]): string {
  const steps = curves[0].norms.length;
  return lineChart({
    title: `Gradient reaching each step from a loss at step ${steps}`,
    xLabel: "time step",
    yLabel: "‖dx_t‖ / ‖dx at the last step‖",
    series: curves.map(({ name, norms }) => ({
      name,
      x: norms.map((_, t) => t + 1),
      y: norms.map((v) => v / norms[steps - 1]),
    })),
    logY: true,
  });
}

/** Draws the three curves to out/gradient_flow.svg and prints the ratios. */
async function main(args: string[]): Promise<void> {
  const flags = parseArgs(args, { string: ["backend", "steps"], default: { steps: "50" } });
  const steps = Number(flags.steps);
  if (!Number.isInteger(steps) || steps < 2) {
    throw new Error(`--steps must be an integer ≥ 2, got ${flags.steps}.`);
  }
  console.log(`backend: ${describeBackend(await setupBackend())}`);
  const curves = await flowCurves(steps);
  for (const { name, norms } of curves) {
    const ratio = norms[0] / norms[steps - 1];
    console.log(
      `${name.padEnd(20)} ‖dx at step 1‖ / ‖dx at step ${steps}‖ = ${ratio.toExponential(1)}`,
    );
  }
  await Deno.mkdir("out", { recursive: true });
  await Deno.writeTextFile("out/gradient_flow.svg", flowChart(curves));
  console.log("wrote out/gradient_flow.svg");
}

if (import.meta.main) await runScript(USAGE, main);
