/**
 * Solver tests, on a tiny model (softmax regression, tfjs autodiff) and
 * seeded synthetic data, with small update rules written here.
 */
import * as tf from "@tensorflow/tfjs";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertLess,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "./assert.ts";
import { useBackend } from "./backend.ts";
import { liveTensors } from "./memory.ts";
import type { OptimConfig, UpdateRule } from "./optimizer.ts";
import { parse } from "./csv.ts";
import { randint, randn, Rng } from "./random.ts";
import { type Model, type Params, Solver, type SolverData, type SolverOptions } from "./solver.ts";

await useBackend("wasm");

const CLASSES = 3;

/** Softmax regression: scores = x·W + b. */
const model: Model = {
  scores: (p, x) => tf.add(tf.matMul(x, p.W), p.b),
  loss: (p, x, y) => {
    const f = (W: tf.Tensor, b: tf.Tensor) =>
      tf.losses.softmaxCrossEntropy(
        tf.oneHot(y as tf.Tensor1D, CLASSES),
        tf.add(tf.matMul(x, W), b),
      );
    const { value, grads } = tf.valueAndGrads(f)([p.W, p.b]);
    return { loss: value as tf.Scalar, grads: { W: grads[0], b: grads[1] } };
  },
};

/** Three Gaussian blobs in 4-D, slightly overlapping: learnable, not perfectly. */
function blobs(seed: number, trainCount = 300, valCount = 60): SolverData {
  const rng = new Rng(seed);
  const centers = randn(rng, [CLASSES, 4], 1.2);
  const make = (n: number) => {
    const y = randint(rng, [n], CLASSES);
    return [tf.add(tf.gather(centers, y), randn(rng, [n, 4])), y];
  };
  const [xTrain, yTrain] = make(trainCount);
  const [xVal, yVal] = make(valCount);
  return { xTrain, yTrain, xVal, yVal };
}

function initParams(seed: number): Params {
  return { W: randn(new Rng(seed), [4, CLASSES], 0.01), b: tf.zeros([CLASSES]) };
}

/** Gradient descent. */
const sgd: UpdateRule = (w, dw, config) => [tf.sub(w, tf.mul(config.learningRate, dw)), config];

interface AveragedConfig extends OptimConfig {
  decay: number;
  average?: tf.Tensor;
}

/**
 * Steps along a running average of the gradients: a rule with state, so that
 * checkpoints must carry it. (Not one of assignment 2's rules.)
 */
const averagedGradient: UpdateRule<AveragedConfig> = (w, dw, config) => {
  const previous = config.average ?? dw;
  const average = tf.add(tf.mul(config.decay, previous), tf.mul(1 - config.decay, dw));
  return [tf.sub(w, tf.mul(config.learningRate, average)), { ...config, average }];
};

const OPTIONS: SolverOptions<AveragedConfig> = {
  update: averagedGradient,
  config: { learningRate: 0.05, decay: 0.9 },
  batchSize: 32,
  trainSamples: 100,
};

Deno.test("Solver trains: the loss falls, one loss per step, one record per epoch", async () => {
  const data = blobs(0);
  const solver = new Solver(model, initParams(0), data, { ...OPTIONS, epochs: 3 });
  await solver.train();
  assertEquals(solver.lossHistory.length, 3 * Math.ceil(300 / 32));
  assertEquals(solver.epochHistory.map((r) => r.epoch), [1, 2, 3]);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b) / xs.length;
  assertLess(mean(solver.lossHistory.slice(-10)), 0.6 * solver.lossHistory[0]);
  const last = solver.epochHistory[2];
  assert(last.valAccuracy > 0.7, `validation accuracy ${last.valAccuracy}`);
  assert(last.trainAccuracy > 0.7, `training accuracy ${last.trainAccuracy}`);
  assertEquals(Object.keys(last.updateRatio), ["W", "b"]);
  solver.dispose();
});

Deno.test("the update rule gets the schedule's rate in each epoch", async () => {
  const rates: number[] = [];
  const spy: UpdateRule = (w, dw, config) => {
    rates.push(config.learningRate);
    return sgd(w, dw, config);
  };
  const solver = new Solver(model, initParams(0), blobs(0, 40, 10), {
    update: spy,
    config: { learningRate: 0.8 },
    schedule: (initial, epoch) => initial / 2 ** epoch,
    batchSize: 20,
    epochs: 3,
  });
  await solver.train();
  // two parameters × two steps per epoch
  assertEquals(rates, [0.8, 0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.2]);
  assertEquals(solver.epochHistory.map((r) => r.learningRate), [0.8, 0.4, 0.2]);
  solver.dispose();
});

Deno.test("the update-to-weight ratio is ‖ΔW‖/‖W‖ of the epoch's last step", async () => {
  let lastStep: tf.Tensor[] = []; // W before and after the latest step
  const spy: UpdateRule = (w, dw, config) => {
    const [next, nextConfig] = sgd(w, dw, config);
    if (w.rank === 2) {
      tf.dispose(lastStep);
      lastStep = [tf.keep(w.clone()), tf.keep(next.clone())];
    }
    return [next, nextConfig];
  };
  const solver = new Solver(model, initParams(1), blobs(1, 50, 10), {
    update: spy,
    config: { learningRate: 0.1 },
    batchSize: 20, // three steps
    epochs: 1,
  });
  await solver.train();
  const [before, after] = lastStep;
  const expected = (await tf.norm(tf.sub(after, before)).data())[0] /
    (await tf.norm(before).data())[0];
  assertAlmostEquals(solver.epochHistory[0].updateRatio.W, expected, 1e-5 * expected);
  solver.dispose();
});

Deno.test("restoreBest gives back the parameters of the best validation accuracy", async () => {
  const data = blobs(2, 300, 25);
  const solver = new Solver(model, initParams(2), data, {
    ...OPTIONS,
    config: { learningRate: 2, decay: 0.9 }, // large steps: validation accuracy wanders
    epochs: 8,
  });
  await solver.train();
  const last = solver.epochHistory.at(-1)!.valAccuracy;
  assertLess(solver.bestEpoch, 8, "precondition: the best epoch is not the last");
  assertNotEquals(last, solver.bestValAccuracy, "precondition: the last epoch is worse");
  assertEquals(await solver.accuracy(data.xVal, data.yVal), last);
  solver.restoreBest();
  assertEquals(await solver.accuracy(data.xVal, data.yVal), solver.bestValAccuracy);
  assertEquals(
    solver.bestValAccuracy,
    Math.max(...solver.epochHistory.map((r) => r.valAccuracy)),
  );
  solver.dispose();
});

Deno.test("a resumed run continues the same loss history, bit for bit", async () => {
  const path = `${await Deno.makeTempDir()}/run.safetensors`;
  const data = blobs(3);
  const straight = new Solver(model, initParams(3), data, { ...OPTIONS, epochs: 4 });
  await straight.train();

  const first = new Solver(model, initParams(3), data, {
    ...OPTIONS,
    epochs: 2,
    checkpoint: path,
  });
  await first.train();
  first.dispose();
  const resumed = new Solver(model, initParams(99), data, { ...OPTIONS, epochs: 4 });
  await resumed.resume(path);
  assertEquals(resumed.epochsDone, 2);
  await resumed.train();

  assertEquals(resumed.lossHistory, straight.lossHistory);
  assertEquals(resumed.epochHistory, straight.epochHistory);
  assertEquals(await resumed.params.W.data(), await straight.params.W.data());
  assertEquals([resumed.bestEpoch, resumed.bestValAccuracy], [
    straight.bestEpoch,
    straight.bestValAccuracy,
  ]);
  straight.dispose();
  resumed.dispose();
});

Deno.test("resume refuses a checkpoint of another run and lists the differences", async () => {
  const path = `${await Deno.makeTempDir()}/run.safetensors`;
  const data = blobs(4, 60, 20);
  const solver = new Solver(model, initParams(4), data, { ...OPTIONS, epochs: 1 });
  await solver.train();
  await solver.saveCheckpoint(path);
  solver.dispose();
  const other = new Solver(model, initParams(4), data, {
    ...OPTIONS,
    config: { learningRate: 0.01, decay: 0.9 },
    batchSize: 16,
    schedule: (initial) => initial / 2,
  });
  const error = await assertRejects(() => other.resume(path), Error, "of a different run");
  assertStringIncludes(error.message, "batchSize: 32 in the checkpoint, 16 now");
  assertStringIncludes(error.message, '"learningRate":0.05');
  assertStringIncludes(
    error.message,
    "schedule: epoch 1 trained with learning rate 0.05, the schedule now gives 0.005",
  );
  const wider = new Solver(
    model,
    { W: tf.zeros([4, CLASSES + 1]), b: tf.zeros([CLASSES + 1]) },
    data,
    OPTIONS,
  );
  await assertRejects(
    () => wider.resume(path),
    Error,
    'shapes: {"W":[4,3],"b":[3]} in the checkpoint',
  );
  other.dispose();
  wider.dispose();
});

Deno.test("early stopping ends training once validation accuracy stops improving", async () => {
  const solver = new Solver(model, initParams(5), blobs(5, 60, 20), {
    update: sgd,
    config: { learningRate: 1e-9 }, // nothing changes: a plateau from the first epoch
    batchSize: 30,
    epochs: 10,
    patience: 2,
  });
  await solver.train();
  assertEquals(solver.bestEpoch, 1);
  assertEquals(solver.epochsDone, 3);
  assert(solver.stoppedEarly);
  solver.dispose();
});

Deno.test("writeReport writes the histories as CSV and the curves as SVG", async () => {
  const dir = `${await Deno.makeTempDir()}/report`;
  const solver = new Solver(model, initParams(6), blobs(6, 60, 20), {
    ...OPTIONS,
    batchSize: 20,
    epochs: 2,
  });
  await solver.train();
  const paths = await solver.writeReport(dir);
  assertEquals(paths.map((p) => p.slice(dir.length + 1)), [
    "loss.csv",
    "epochs.csv",
    "loss.svg",
    "accuracy.svg",
    "update_ratio.svg",
  ]);
  const losses = parse(await Deno.readTextFile(`${dir}/loss.csv`), { skipFirstRow: true });
  assertEquals(losses.length, 6);
  assertEquals(losses[3], { iteration: "4", epoch: "2", loss: String(solver.lossHistory[3]) });
  const epochs = parse(await Deno.readTextFile(`${dir}/epochs.csv`), { skipFirstRow: true });
  assertEquals(Object.keys(epochs[0]), [
    "epoch",
    "learning_rate",
    "train_accuracy",
    "val_accuracy",
    "update_ratio_W",
    "update_ratio_b",
  ]);
  assertEquals(Number(epochs[1].val_accuracy), solver.epochHistory[1].valAccuracy);
  for (const chart of ["loss", "accuracy", "update_ratio"]) {
    assertStringIncludes(await Deno.readTextFile(`${dir}/${chart}.svg`), "<path");
  }
  const ratios = await Deno.readTextFile(`${dir}/update_ratio.svg`);
  assertStringIncludes(ratios, ">W</text>");
  assertEquals(ratios.includes(">b</text>"), false, "biases are left out of the ratio chart");
  solver.dispose();
});

Deno.test("onEpoch is awaited after every epoch with its record; charts() draws the curves so far", async () => {
  const seen: string[] = [];
  const solver: Solver<Params, AveragedConfig> = new Solver(
    model,
    initParams(8),
    blobs(8, 60, 20),
    {
      ...OPTIONS,
      batchSize: 20,
      epochs: 3,
      onEpoch: async (record) => {
        await Promise.resolve();
        const { loss, accuracy, updateRatio } = solver.charts();
        seen.push(
          `${record.epoch}:${solver.epochsDone}:${loss.includes("<svg")}` +
            `:${accuracy.includes("<svg")}:${updateRatio.includes(">W</text>")}`,
        );
      },
    },
  );
  await solver.train();
  assertEquals(seen, ["1:1:true:true:true", "2:2:true:true:true", "3:3:true:true:true"]);
  solver.dispose();
});

Deno.test("training leaks no tensors: dispose() frees everything the Solver holds", async () => {
  const data = blobs(7, 60, 20);
  const before = liveTensors();
  const solver = new Solver(model, initParams(7), data, { ...OPTIONS, epochs: 2 });
  await solver.train();
  solver.restoreBest();
  solver.dispose();
  assertEquals(liveTensors(), before);
});

Deno.test("unknown or invalid options, and missing data, are errors that say what to fix", () => {
  const data = blobs(8, 20, 10);
  const make = (options: Record<string, unknown>, d: Partial<SolverData> = data) => () =>
    new Solver(model, initParams(8), d as SolverData, { update: sgd, ...options } as never);
  assertThrows(
    make({ config: { learningRate: 0.1 }, epoch: 3 }),
    Error,
    "Solver: unknown option 'epoch' (did you mean 'epochs'?)",
  );
  assertThrows(make({ config: {} }), Error, "with a learningRate > 0");
  assertThrows(
    make({ config: { learningRate: 0.1, velocity: tf.zeros([1]) } }),
    Error,
    "options.config.velocity is not a number: give hyper-parameters only",
  );
  assertThrows(
    make({ config: { learningRate: 0.1 }, batchSize: 0 }),
    Error,
    "options.batchSize must be an integer ≥ 1, got 0",
  );
  assertThrows(
    make({ config: { learningRate: 0.1 }, evalBatchSize: 2.5 }),
    Error,
    "options.evalBatchSize must be an integer ≥ 1, got 2.5",
  );
  assertThrows(
    make({ config: { learningRate: 0.1 } }, { xTrain: data.xTrain, yTrain: data.yTrain }),
    Error,
    "data.xVal is missing",
  );
  assertThrows(
    make({ config: { learningRate: 0.1 } }, { ...data, yVal: data.yTrain }),
    Error,
    "data.xVal has 10 rows but data.yVal has 20",
  );
});

/**
 * A model with state: softmax regression on inputs centred by a running
 * mean, which each training step moves towards the batch's mean (batchnorm's
 * running statistics in miniature). Its scores record the state they saw.
 */
function statefulModel(seen?: tf.Tensor[]): Model<Params, { mu: tf.Tensor }> {
  const scores = (p: Params, x: tf.Tensor, mu: tf.Tensor) =>
    tf.add(tf.matMul(tf.sub(x, mu), p.W), p.b);
  return {
    scores: (p, x, state) => {
      seen?.push(tf.keep(tf.clone(state!.mu)));
      return scores(p, x, state!.mu);
    },
    loss: (p, x, y, state) => {
      const mu = state!.mu;
      const f = (W: tf.Tensor, b: tf.Tensor) =>
        tf.losses.softmaxCrossEntropy(
          tf.oneHot(y as tf.Tensor1D, CLASSES),
          scores({ W, b }, x, mu),
        );
      const { value, grads } = tf.valueAndGrads(f)([p.W, p.b]);
      const next = tf.add(tf.mul(0.5, mu), tf.mul(0.5, tf.mean(x, 0)));
      return { loss: value as tf.Scalar, grads: { W: grads[0], b: grads[1] }, state: { mu: next } };
    },
  };
}

/** Blobs shifted far from the origin, so the running mean has somewhere to go. */
function shiftedBlobs(seed: number): SolverData {
  const data = blobs(seed, 200, 30);
  return { ...data, xTrain: tf.add(data.xTrain, 5), xVal: tf.add(data.xVal, 5) };
}

Deno.test("model state: the loss moves it, scores read it, the update rule never sees it", async () => {
  const names: string[] = [];
  const spy: UpdateRule<AveragedConfig> = (w, dw, config) => {
    names.push(w.shape.join("x"));
    return averagedGradient(w, dw, config);
  };
  const seen: tf.Tensor[] = [];
  const solver = new Solver(statefulModel(seen), initParams(9), shiftedBlobs(9), {
    ...OPTIONS,
    update: spy,
    epochs: 2,
    state: { mu: tf.zeros([4]) },
  });
  await solver.train();
  assertEquals(new Set(names), new Set(["4x3", "3"]), "the rule saw W and b only");
  const mu = await solver.state.mu.data();
  for (const v of mu) assertAlmostEquals(v, 5, 1, "the running mean moved to the data's");
  assertEquals(await seen.at(-1)!.data(), mu, "scores read the current state");
  solver.dispose();
  tf.dispose(seen);
});

Deno.test("model state: restoreBest puts back the best epoch's state with its parameters", async () => {
  const seen: tf.Tensor[] = [];
  const data = shiftedBlobs(10);
  const solver = new Solver(statefulModel(seen), initParams(10), data, {
    ...OPTIONS,
    config: { learningRate: 2, decay: 0.9 }, // large steps: validation accuracy wanders
    epochs: 6,
    state: { mu: tf.zeros([4]) },
  });
  await solver.train();
  assertLess(solver.bestEpoch, 6, "precondition: the best epoch is not the last");
  // Each epoch's scores saw the state twice: the training sample, then the validation set.
  const atBest = seen[2 * solver.bestEpoch - 1];
  solver.restoreBest();
  assertEquals(await solver.state.mu.data(), await atBest.data(), "the state of the best epoch");
  assertEquals(await solver.accuracy(data.xVal, data.yVal), solver.bestValAccuracy);
  solver.dispose();
  tf.dispose(seen);
});

Deno.test("model state: checkpoints carry it; a resumed run continues bit for bit", async () => {
  const path = `${await Deno.makeTempDir()}/run.safetensors`;
  const data = shiftedBlobs(11);
  const options = { ...OPTIONS, epochs: 4 };
  const straight = new Solver(statefulModel(), initParams(11), data, {
    ...options,
    state: { mu: tf.zeros([4]) },
  });
  await straight.train();
  const first = new Solver(statefulModel(), initParams(11), data, {
    ...options,
    epochs: 2,
    checkpoint: path,
    state: { mu: tf.zeros([4]) },
  });
  await first.train();
  first.dispose();
  const resumed = new Solver(statefulModel(), initParams(12), data, {
    ...options,
    state: { mu: tf.ones([4]) },
  });
  await resumed.resume(path);
  await resumed.train();
  assertEquals(resumed.lossHistory, straight.lossHistory);
  assertEquals(await resumed.state.mu.data(), await straight.state.mu.data());
  resumed.restoreBest();
  straight.restoreBest();
  assertEquals(await resumed.state.mu.data(), await straight.state.mu.data(), "best state");
  // A run without state cannot continue one with state, nor the other way round.
  const stateless = new Solver(model, initParams(11), data, options);
  await assertRejects(() => stateless.resume(path), Error, 'stateShapes: {"mu":[4]}');
  straight.dispose();
  resumed.dispose();
  stateless.dispose();
});

Deno.test("model state: invalid state is an error; dispose() frees it", async () => {
  const data = blobs(12, 20, 10);
  const make = (state: unknown) => () =>
    new Solver(statefulModel(), initParams(12), data, { ...OPTIONS, state } as never);
  assertThrows(make({ mu: [0, 0, 0, 0] }), Error, "options.state.mu is not a tensor");
  assertThrows(make({ W: tf.zeros([4]) }), Error, "options.state.W has the name of a parameter");
  const before = liveTensors();
  const solver = make({ mu: tf.zeros([4]) })();
  await solver.train();
  solver.restoreBest();
  solver.dispose();
  assertEquals(liveTensors(), before, "dispose() frees the parameters and the state");
});

/**
 * Softmax regression with inverted dropout on its inputs (keep probability ½),
 * the mask drawn from the rng the Solver passes; it records every draw's first
 * value in `draws`.
 */
function noisyModel(draws: number[]): Model {
  return {
    scores: model.scores,
    loss: (p, x, y, _state, rng) => {
      const u = new Float32Array(x.size).map(() => rng!.uniform());
      draws.push(u[0]);
      const mask = tf.div(tf.less(tf.tensor(u, x.shape), 0.5), 0.5);
      return model.loss(p, tf.mul(x, mask), y);
    },
  };
}

Deno.test("model randomness: the loss draws from an rng seeded by the Solver's seed; checkpoints carry it", async () => {
  const path = `${await Deno.makeTempDir()}/run.safetensors`;
  const data = blobs(13);
  const run = async (seed: number, epochs: number, checkpoint?: string) => {
    const draws: number[] = [];
    const solver = new Solver(noisyModel(draws), initParams(13), data, {
      ...OPTIONS,
      epochs,
      seed,
      checkpoint,
    });
    await solver.train();
    return { solver, draws };
  };
  const straight = await run(0, 4);
  const again = await run(0, 4);
  const other = await run(1, 4);
  assertEquals(straight.draws.length, 40, "one draw per step: 10 steps × 4 epochs");
  assertEquals(again.draws, straight.draws, "same seed, same draws");
  assertEquals(again.solver.lossHistory, straight.solver.lossHistory, "same seed, same losses");
  assertNotEquals(other.draws, straight.draws, "another seed, other draws");
  assert(new Set(straight.draws).size === 40, "every step draws new numbers");

  const first = await run(0, 2, path);
  first.solver.dispose();
  const draws: number[] = [];
  const resumed = new Solver(noisyModel(draws), initParams(99), data, { ...OPTIONS, epochs: 4 });
  await resumed.resume(path);
  await resumed.train();
  assertEquals(draws, straight.draws.slice(20), "the resumed run draws what the straight one did");
  assertEquals(resumed.lossHistory, straight.solver.lossHistory, "and its losses are the same");
  for (const s of [straight.solver, again.solver, other.solver, resumed]) s.dispose();
});

Deno.test("accuracy scores chunks of evalBatchSize examples, and counts the same for any size", async () => {
  const data = blobs(8, 20, 10);
  const params = initParams(8);
  const counts = [];
  for (const evalBatchSize of [1000, 3, 1]) {
    const sizes: number[] = [];
    const recording: Model = {
      ...model,
      scores: (p, x, state) => (sizes.push(x.shape[0]), model.scores(p, x, state)),
    };
    const solver = new Solver(recording, params, data, {
      update: sgd,
      config: { learningRate: 0.1 },
      evalBatchSize,
    });
    counts.push(await solver.accuracy(data.xTrain, data.yTrain));
    const n = data.xTrain.shape[0];
    assertEquals(sizes.length, Math.ceil(n / evalBatchSize), `chunks of ${evalBatchSize}`);
    assertEquals(sizes.reduce((a, b) => a + b), n);
  }
  assertEquals(new Set(counts).size, 1, `accuracies ${counts}`);
  assert(counts[0] > 0 && counts[0] < 1, `a set neither all right nor all wrong: ${counts[0]}`);
});
