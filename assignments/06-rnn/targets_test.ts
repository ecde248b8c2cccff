/**
 * Task 9 target: your LSTM char model, trained on Tiny Shakespeare, scored
 * by its perplexity on the held-out last 10% of the text.
 *
 * This trains for real, so it is the slow tier of the suite (see the
 * handout's budget table). It needs Tiny Shakespeare (`deno task data`).
 *
 * The perplexity is computed here, by the test, from your model's scores
 * (`charModelForward`): not by your `perplexity` of Task 8.
 */
import * as tf from "@tensorflow/tfjs";
import { assertLessOrEqual } from "../../lib/assert.ts";
import { Rng } from "../../lib/random.ts";
import { test } from "../../lib/testing.ts";
import { loadTinyShakespeare } from "../../datasets/shakespeare.ts";
import { adam, ADAM_DEFAULTS } from "../02-optimizers/optim.ts";
import {
  type CharModelConfig,
  charModelForward,
  type CharModelParams,
  type CharModelState,
  initCharModel,
} from "./char_model.ts";
import { cosineDecay, trainCharModel } from "./train.ts";

/** The target's model and training: fixed here, only your code varies. */
const MODEL: CharModelConfig = { cell: "lstm", vocabSize: 65, embedSize: 32, hiddenSize: 128 };
const STEPS = 1500;

/** The validation text is read as this many rows side by side, this many characters at a time. */
const ROWS = 64, CHUNK = 256;

/**
 * exp(mean −log p) of each next character of `ids`: row r holds predictions
 * r·R … r·R + R − 1 (R = ⌊(L − 1) / ROWS⌋), read CHUNK at a time, the state
 * carried from chunk to chunk.
 */
async function validationPerplexity(params: CharModelParams, ids: Int32Array): Promise<number> {
  const perRow = Math.floor((ids.length - 1) / ROWS);
  let nll = 0;
  let state: CharModelState | undefined;
  for (let offset = 0; offset < perRow; offset += CHUNK) {
    const width = Math.min(CHUNK, perRow - offset);
    // Row r of the chunk: characters r·R + offset + j (inputs) and the ones after them (targets).
    const at = (row: number, j: number) => row * perRow + offset + j;
    const inputIds = Int32Array.from(
      { length: ROWS * width },
      (_, k) => ids[at(Math.floor(k / width), k % width)],
    );
    const targetIds = Int32Array.from(
      { length: ROWS * width },
      (_, k) => ids[at(Math.floor(k / width), k % width) + 1],
    );
    const out = tf.tidy(() => {
      const { scores, state: next } = charModelForward(
        params,
        MODEL,
        tf.tensor2d(inputIds, [ROWS, width], "int32"),
        state,
      );
      const logProbs = tf.logSoftmax(scores.reshape([ROWS * width, MODEL.vocabSize]));
      const onehot = tf.oneHot(tf.tensor1d(targetIds, "int32"), MODEL.vocabSize);
      return { picked: tf.sum(tf.mul(logProbs, onehot), 1), state: next };
    });
    for (const logP of await out.picked.data()) nll -= logP;
    tf.dispose([out.picked, state]);
    state = out.state;
  }
  tf.dispose(state);
  return Math.exp(nll / (ROWS * perRow));
}

test("LSTM char model: validation perplexity ≤ 6.5 on Tiny Shakespeare (a 4-gram model: 5.95)", {
  task: 9,
  points: 10,
}, async (_backend, reportMetric) => {
  const { train, val } = await loadTinyShakespeare();
  const { params } = await trainCharModel(initCharModel(new Rng(0), MODEL), MODEL, train, {
    update: adam,
    hyperParameters: { ...ADAM_DEFAULTS, learningRate: 3e-3 },
    schedule: cosineDecay(STEPS, 0.1),
    batchSize: 32,
    seqLength: 64,
    steps: STEPS,
    clipNorm: 1,
  });
  const perplexity = await validationPerplexity(params, val);
  await reportMetric("Tiny Shakespeare validation perplexity (LSTM)", perplexity, "asc");
  assertLessOrEqual(
    perplexity,
    6.5,
    `validation perplexity after ${STEPS} steps of 32 rows × 64 characters`,
  );
});
