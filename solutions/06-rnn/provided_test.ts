/**
 * Tests of the code assignment 6 provides around the students' work: the
 * argument checks, the text layout, the training loop, the schedule, the
 * gradient-flow experiment and the n-gram baselines. Instructor-side: run by
 * `deno task test:lib`, against the reference.
 */
import * as tf from "@tensorflow/tfjs";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreater,
  assertLess,
  assertRejects,
  assertThrows,
} from "../../lib/assert.ts";
import { assertAllClose } from "../../lib/assert_tensor.ts";
import { useBackend } from "../../lib/backend.ts";
import { randint, Rng } from "../../lib/random.ts";
import { adam, ADAM_DEFAULTS } from "../02-optimizers/optim.ts";
import {
  asLanguageModel,
  charModelForward,
  checkConfig,
  initCharModel,
  lastStep,
} from "./char_model.ts";
import { clipGradients } from "./clip.ts";
import { gradientNorms } from "./gradient_flow.ts";
import { ngramPerplexity } from "./ngram.ts";
import { perplexity } from "./perplexity.ts";
import { previousStates } from "./rnn.ts";
import { sample } from "./sample.ts";
import { temporalSoftmaxLoss } from "./temporal.ts";
import { textBatch, textLayout } from "./text_batches.ts";
import { cosineDecay, trainCharModel } from "./train.ts";

await useBackend("wasm");

const LSTM = { cell: "lstm", vocabSize: 11, embedSize: 5, hiddenSize: 8 } as const;

Deno.test("textLayout: rows of ⌊(L − 1) / N⌋, and a clear error for a text too short", () => {
  assertEquals(textLayout(1_003_854, 32, 64), { rowLength: 31_370, batchesPerEpoch: 490 });
  assertThrows(() => textLayout(64, 2, 32), Error, "too short for 2 rows of chunks of 32");
  assertThrows(() => textLayout(100, 0, 5), Error, "batchSize must be a positive integer");
  assertThrows(
    () => textBatch(new Int32Array(103), 4, 5, 5),
    Error,
    "step must be an integer in 0…4",
  );
});

Deno.test("cosineDecay falls from the initial rate to final × it", () => {
  const schedule = cosineDecay(1000, 0.1);
  assertAlmostEquals(schedule(3e-3, 0), 3e-3, 1e-15);
  assertAlmostEquals(schedule(3e-3, 500), 1.65e-3, 1e-15);
  assertAlmostEquals(schedule(3e-3, 1000), 3e-4, 1e-15);
});

Deno.test("ngramPerplexity: add-k counts, the first n − 1 characters as context only", () => {
  const train = Int32Array.from([0, 1, 0, 1, 0, 1]), val = Int32Array.from([0, 1, 0]);
  // After 0 comes 1 (3 of 3 times), after 1 comes 0 (2 of 2).
  const expected = Math.exp(-(Math.log(3.1 / 3.2) + Math.log(2.1 / 2.2)) / 2);
  assertAlmostEquals(ngramPerplexity(train, val, 2, 2), expected, 1e-12);
  // A unigram model of a text using 4 characters equally: perplexity 4 with k = 0.
  assertAlmostEquals(ngramPerplexity(Int32Array.from([0, 1, 2, 3]), val, 1, 4, 0), 4, 1e-12);
  assertThrows(() => ngramPerplexity(train, val, 0, 2), Error, "n must be an integer");
});

Deno.test("the argument checks name what is wrong", async () => {
  const x = tf.zeros([2, 3, 4]) as tf.Tensor3D;
  assertThrows(
    () => temporalSoftmaxLoss(x, tf.zeros([3, 2], "int32") as tf.Tensor2D),
    Error,
    "y must have shape [N, T] = [2, 3]",
  );
  assertThrows(
    () => temporalSoftmaxLoss(x, tf.zeros([2, 3], "int32") as tf.Tensor2D, tf.ones([2, 4])),
    Error,
    "mask must have shape [N, T] = [2, 3]",
  );
  assertThrows(
    () => clipGradients({ w: tf.ones([2]) }, 0),
    Error,
    "maxNorm must be a positive number",
  );
  const model = asLanguageModel(initCharModel(new Rng(0), LSTM), LSTM);
  const rng = new Rng(0);
  await assertRejects(() => sample(model, [], 5, { temperature: 1, rng }), Error, "at least one");
  await assertRejects(
    () => sample(model, [11], 5, { temperature: 1, rng }),
    Error,
    "prompt[0] = 11",
  );
  await assertRejects(
    () => sample(model, [1], 5, { temperature: 0, rng }),
    Error,
    "temperature must be",
  );
  await assertRejects(
    () => perplexity(model, Int32Array.from([1, 2, 3]), { rows: 3, chunkLength: 2 }),
    Error,
    "fewer than the 3 rows",
  );
  assertThrows(
    () => checkConfig({ ...LSTM, cell: "gru" as never }),
    Error,
    'cell must be "rnn" or "lstm"',
  );
  assertThrows(
    () => checkConfig({ ...LSTM, hiddenSize: 0 }),
    Error,
    "hiddenSize must be a positive",
  );
  const params = initCharModel(new Rng(0), LSTM);
  const ids = tf.zeros([2, 3], "int32") as tf.Tensor2D;
  assertThrows(
    () =>
      charModelForward(params, LSTM, ids, {
        h: tf.zeros([3, 8]) as tf.Tensor2D,
        c: tf.zeros([3, 8]) as tf.Tensor2D,
      }),
    Error,
    "state.h must have shape [N, H] = [2,8]",
  );
  assertThrows(
    () => charModelForward(params, LSTM, ids, { h: tf.zeros([2, 8]) as tf.Tensor2D }),
    Error,
    "needs c, the cell state",
  );
});

Deno.test("lastStep and previousStates: the last column, and h shifted one step with h0 in front", async () => {
  const h = tf.tensor3d([[[1], [2], [3]], [[4], [5], [6]]]);
  await assertAllClose(lastStep(h), [[3], [6]]);
  await assertAllClose(previousStates(tf.tensor2d([[0], [-1]]), h), [[[0], [1], [2]], [[-1], [4], [
    5,
  ]]]);
});

Deno.test("trainCharModel: the loss falls, evaluations come when asked, nothing leaks", async () => {
  const rng = new Rng(1);
  // A text that repeats a 7-character pattern: easy to learn.
  const text = Int32Array.from({ length: 2000 }, (_, i) => [1, 4, 2, 8, 5, 7, 3][i % 7]);
  const before = tf.memory().numTensors;
  const seen: number[] = [];
  const result = await trainCharModel(initCharModel(rng, LSTM), LSTM, text, {
    update: adam,
    hyperParameters: { ...ADAM_DEFAULTS, learningRate: 1e-2 },
    schedule: cosineDecay(60, 0.1),
    batchSize: 4,
    seqLength: 16,
    steps: 60,
    clipNorm: 1,
    evaluateEvery: 25,
    evaluate: (params, step) => {
      seen.push(step);
      return perplexity(asLanguageModel(params, LSTM), text.subarray(0, 200), {
        rows: 2,
        chunkLength: 50,
      });
    },
  });
  assertEquals(seen, [25, 50, 60], "evaluated after steps 25, 50 and the last");
  assertEquals(result.lossHistory.length, 60);
  assertLess(
    result.lossHistory.at(-1)!,
    0.5 * result.lossHistory[0],
    "the loss halves on a repeating text",
  );
  const [first, , last] = result.evaluations.map((e) => e.value);
  assertLess(last, first, "the perplexity falls between the first and the last evaluation");
  assert(
    result.gradNormHistory.every((g) => g > 0 && Number.isFinite(g)),
    "gradient norms recorded",
  );
  tf.dispose(result.params);
  assertEquals(
    tf.memory().numTensors,
    before,
    "tensors left after training and disposing the result",
  );
  await assertRejects(
    () =>
      trainCharModel(initCharModel(rng, LSTM), LSTM, text, {
        update: adam,
        hyperParameters: ADAM_DEFAULTS,
        batchSize: 4,
        seqLength: 16,
        steps: 1,
        clipNorm: 1,
        epochs: 3,
      } as never),
    Error,
    "epochs",
  );
});

Deno.test("gradientNorms: one positive norm per step, the last step's the largest for the RNN", async () => {
  const norms = await gradientNorms("rnn", { steps: 12, hiddenSize: 16 });
  assertEquals(norms.length, 12);
  assert(norms.every((v) => v > 0), "every norm is positive");
  assertGreater(norms[11], norms[0], "the gradient shrinks going back");
});

Deno.test("sampling from the char model gives ids in the vocabulary, reproducibly", async () => {
  const params = initCharModel(new Rng(2), LSTM);
  const model = asLanguageModel(params, LSTM);
  const draw = () => sample(model, [1, 2, 3], 20, { temperature: 1, rng: new Rng(5) });
  const [a, b] = [await draw(), await draw()];
  assertEquals(Array.from(a), Array.from(b));
  assert(a.every((id) => id >= 0 && id < 11), `ids in 0…10: ${a}`);
  // The char model's scores do not depend on how the text is cut into chunks.
  const ids = randint(new Rng(3), [2, 10], 11) as tf.Tensor2D;
  const whole = charModelForward(params, LSTM, ids).scores;
  const first = charModelForward(params, LSTM, ids.slice([0, 0], [2, 4]));
  const second = charModelForward(params, LSTM, ids.slice([0, 4], [2, 6]), first.state).scores;
  await assertAllClose(tf.concat([first.scores, second], 1), whole, { atol: 1e-6 });
});
