/**
 * Trains your two-layer net on the spiral data and draws what it learned.
 *
 *     deno task spiral             # your code, in assignments/01-backprop/
 *
 * Needs no download: the spiral is generated from a seed. Writes
 * `out/spiral_loss.svg` (the loss curve) and `out/spiral_regions.svg` (the
 * plane coloured by predicted class, with the training points on top).
 * Accepts `--backend=wasm|webgpu|cpu|auto` and `--epochs=N`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { describeBackend, setupBackend } from "../../lib/backend.ts";
import { parseArgs } from "../../lib/cli.ts";
import { runScript } from "../../lib/script.ts";
import { lineChart } from "../../lib/plot.ts";
import { Rng } from "../../lib/random.ts";
import { spiral } from "../../datasets/spiral.ts";
import { accuracy, trainTwoLayerNet } from "./train.ts";
import { initTwoLayerNet, predict, type TwoLayerNetParams } from "./two_layer_net.ts";

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"];

/** The plane coloured by predicted class (a grid of cells), with the points on top, as SVG. */
async function decisionRegions(
  params: TwoLayerNetParams,
  x: Float32Array,
  y: Int32Array,
): Promise<string> {
  const cells = 100, size = 4, extent = 1.1;
  const grid = new Float32Array(cells * cells * 2);
  for (let i = 0; i < cells; i++) {
    for (let j = 0; j < cells; j++) {
      grid[2 * (i * cells + j)] = -extent + (2 * extent * (j + 0.5)) / cells;
      grid[2 * (i * cells + j) + 1] = extent - (2 * extent * (i + 0.5)) / cells;
    }
  }
  const classes = await predict(params, tf.tensor2d(grid, [cells * cells, 2])).data();
  const px = (v: number) => ((v + extent) / (2 * extent)) * cells * size;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${cells * size}" height="${cells * size}">`,
  ];
  classes.forEach((c, k) => {
    const [i, j] = [Math.floor(k / cells), k % cells];
    parts.push(
      `<rect x="${j * size}" y="${i * size}" width="${size}" height="${size}" fill="${
        COLORS[c]
      }" opacity="0.3"/>`,
    );
  });
  y.forEach((c, k) => {
    parts.push(
      `<circle cx="${px(x[2 * k])}" cy="${cells * size - px(x[2 * k + 1])}" r="3" fill="${
        COLORS[c]
      }" stroke="black" stroke-width="0.5"/>`,
    );
  });
  parts.push("</svg>\n");
  return parts.join("\n");
}

const USAGE = `usage: deno task spiral [--epochs N] [--backend auto|wasm|webgpu|cpu]

Trains your two-layer net on the spiral (Tasks 1–5 must be written) and writes
out/spiral_loss.svg and out/spiral_regions.svg.`;

if (import.meta.main) {
  await runScript(USAGE, async (args) => {
    const flags = parseArgs(args, {
      string: ["backend", "epochs"],
      default: { epochs: "1000" },
    });
    console.log(`backend: ${describeBackend(await setupBackend())}`);
    const data = spiral({ pointsPerClass: 100, classes: 3, seed: 0 });
    const xTrain = tf.tensor2d(data.x, [data.count, 2]);
    const yTrain = tf.tensor1d(data.y, "int32");
    const { params, lossHistory } = await trainTwoLayerNet(
      initTwoLayerNet(new Rng(0), 2, 100, 3),
      { xTrain, yTrain },
      {
        learningRate: 1,
        learningRateDecay: 1,
        reg: 1e-3,
        epochs: Number(flags.epochs),
        batchSize: data.count,
        seed: 0,
        progress: true,
      },
    );
    const trainAccuracy = await accuracy(params, xTrain, yTrain);
    await Deno.mkdir("out", { recursive: true });
    await Deno.writeTextFile(
      "out/spiral_loss.svg",
      lineChart({
        title: "Two-layer net on the spiral",
        xLabel: "iteration",
        yLabel: "loss",
        series: [{ name: "training loss", y: lossHistory }],
        logY: true,
      }),
    );
    await Deno.writeTextFile(
      "out/spiral_regions.svg",
      await decisionRegions(params, data.x, data.y),
    );
    console.log(
      `final loss ${lossHistory.at(-1)!.toFixed(4)}, training accuracy ${
        (100 * trainAccuracy).toFixed(1)
      }%`,
    );
    console.log("wrote out/spiral_loss.svg and out/spiral_regions.svg");
  });
}
