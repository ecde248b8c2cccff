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

/**
 * exp(mean −log p) of each next character of `ids`, read as 64 rows side by
 * side, 256 characters at a time, the state carried from chunk to chunk.
 */
async function validationPerplexity(params: CharModelParams, ids: Int32Array): Promise<number> {
  const rows = 64, chunk = 256;
  const rowLength = Math.floor((ids.length - 1) / rows);
  let nll = 0;
  let state: CharModelState | undefined;
  for (let start = 0; start < rowLength; start += chunk) {
    const length = Math.min(chunk, rowLength - start);
    const inputs = new Int32Array(rows * length), targets = new Int32Array(rows * length);
    for (let n = 0; n < rows; n++) {
      inputs.set(ids.subarray(n * rowLength + start, n * rowLength + start + length), n * length);
      targets.set(
        ids.subarray(n * rowLength + start + 1, n * rowLength + start + length + 1),
        n * length,
      );
    }
    const out = tf.tidy(() => {
      const { scores, state: next } = charModelForward(
        params,
        MODEL,
        tf.tensor2d(inputs, [rows, length], "int32"),
        state,
      );
      const logProbs = tf.logSoftmax(scores.reshape([rows * length, MODEL.vocabSize]));
      const picked = tf.sum(
        tf.mul(logProbs, tf.oneHot(tf.tensor1d(targets, "int32"), MODEL.vocabSize)),
        1,
      );
      return { picked, state: next };
    });
    for (const logP of await out.picked.data()) nll -= logP;
    tf.dispose([out.picked, state]);
    state = out.state;
  }
  tf.dispose(state);
  return Math.exp(nll / (rows * rowLength));
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
  await reportMetric("validation perplexity", perplexity, "asc");
  assertLessOrEqual(
    perplexity,
    6.5,
    `validation perplexity after ${STEPS} steps of 32 rows × 64 characters`,
  );
});
