/**
 * The Solver: the training loop of every assignment from here on.
 *
 * It generalises assignment 1's `train.ts` from one network and plain SGD to
 * any model and any update rule, and adds what a real run needs:
 *
 * - **Minibatch training** with an update rule and a learning-rate schedule
 *   (`lib/optimizer.ts`): each epoch visits every training example once, in
 *   a seeded random order; the rate of each epoch comes from the schedule.
 * - **Histories:** the loss of every step; after every epoch, the accuracy on
 *   the validation set and on a fixed, seeded sample of the training set
 *   (the whole training set would cost a full pass; the sample costs what a
 *   validation pass costs, and a fixed one gives a smooth curve).
 * - **The update-to-weight ratio** of every parameter, each epoch:
 *   ‖ΔW‖ / ‖W‖ over the epoch's last step. The course notes' health check:
 *   it should be around 1e-3. Far above, the learning rate is probably too
 *   high; far below, too low.
 * - **The best parameters:** a copy of the parameters at the epoch with the
 *   best validation accuracy; {@linkcode Solver.restoreBest} puts them back.
 * - **Early stopping:** with `patience`, training stops once the validation
 *   accuracy has not improved for that many epochs.
 * - **Checkpoints:** with `checkpoint`, everything needed to continue is
 *   saved after every epoch — parameters, model state, optimiser state, the
 *   random generators, histories — and {@linkcode Solver.resume} continues the
 *   run exactly: on the same backend, its loss history is bitwise the same as
 *   if it had never stopped.
 * - **Model state:** a model may carry tensors that are not learned, such as
 *   batchnorm's running statistics. Give their initial values as the `state`
 *   option; the model's loss receives the current state and returns the next
 *   one, its scores receive the current state. The update rule never sees
 *   them; the best-parameter copy, {@linkcode Solver.restoreBest} and the
 *   checkpoints carry them with the parameters. A model without state
 *   ignores the argument and returns none.
 * - **Model randomness:** a model that draws random numbers while training
 *   (dropout's masks) draws them from the `rng` its loss receives: a
 *   generator of the Solver's own, seeded by `seed` and saved in the
 *   checkpoints, so a run with dropout is reproducible and resumes exactly
 *   too. A model without randomness ignores it.
 * - **Outputs:** a progress bar, and {@linkcode Solver.writeReport} writes the
 *   histories as CSV and the loss, accuracy and update-ratio curves as SVG
 *   ({@linkcode Solver.charts}, which a notebook shows, redrawn after every
 *   epoch with `onEpoch`).
 *
 * **Who owns the tensors:** the Solver takes the initial parameters and the
 * optimiser state; it disposes each when a step replaces it. The data stay
 * yours. Call {@linkcode Solver.dispose} when done with the Solver.
 *
 * @example Softmax regression on random data, with plain SGD written inline
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { type Model, Solver } from "./solver.ts";
 * import { randint, randn, Rng } from "./random.ts";
 *
 * const rng = new Rng(0);
 * const data = {
 *   xTrain: randn(rng, [500, 4]), yTrain: randint(rng, [500], 3),
 *   xVal: randn(rng, [100, 4]), yVal: randint(rng, [100], 3),
 * };
 * const model: Model = {
 *   scores: (p, x) => tf.add(tf.matMul(x, p.W), p.b),
 *   loss: (p, x, y) => {
 *     const f = (W: tf.Tensor, b: tf.Tensor) =>
 *       tf.losses.softmaxCrossEntropy(tf.oneHot(y as tf.Tensor1D, 3), tf.add(tf.matMul(x, W), b));
 *     const { value, grads } = tf.valueAndGrads(f)([p.W, p.b]);
 *     return { loss: value as tf.Scalar, grads: { W: grads[0], b: grads[1] } };
 *   },
 * };
 * const solver = new Solver(model, { W: randn(rng, [4, 3], 0.01), b: tf.zeros([3]) }, data, {
 *   update: (w, dw, config) => [tf.sub(w, tf.mul(config.learningRate, dw)), config],
 *   config: { learningRate: 0.5 },
 *   batchSize: 50,
 *   epochs: 3,
 * });
 * await solver.train();
 * console.log(solver.lossHistory.length, solver.epochHistory[2].valAccuracy); // 30 steps, ≈ 1/3 (random labels)
 * solver.restoreBest(); // the parameters of the epoch with the best validation accuracy
 * solver.dispose();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { batches } from "./batches.ts";
import { readCheckpoint, writeCheckpoint } from "./checkpoint.ts";
import { stringify } from "./csv.ts";
import { scope } from "./memory.ts";
import { constantRate, type OptimConfig, type Schedule, type UpdateRule } from "./optimizer.ts";
import { rejectUnknownKeys } from "./options.ts";
import { lineChart } from "./plot.ts";
import { ProgressBar } from "./progress.ts";
import { readAll, readScalar } from "./read.ts";
import { Rng, type RngState } from "./random.ts";

/** A model's learnable parameters, by name. */
export type Params = Record<string, tf.Tensor>;

/**
 * What the Solver needs of a model: its loss with gradients, and its class
 * scores. `S` is the model's state (tensors carried from step to step but not
 * learned, e.g. batchnorm's running statistics); a model without state has
 * none, `{}`, and may ignore the argument.
 */
export interface Model<P extends Params = Params, S extends Params = Params> {
  /**
   * The loss on a batch (training behaviour), and its gradient with respect
   * to every parameter.
   * @param params the parameters
   * @param x inputs, shape [N, …]
   * @param y classes, int32, shape [N]
   * @param state the model's current state (the Solver always passes it)
   * @param rng the generator to draw the model's own random numbers from,
   *   e.g. dropout masks (the Solver always passes it; the same one every
   *   step, so each step draws new numbers)
   * @returns the scalar loss, grads with the keys and shapes of params, and,
   *   for a model with state, the next state (new tensors where it changed;
   *   the Solver disposes the old ones no longer held)
   */
  loss(
    params: P,
    x: tf.Tensor,
    y: tf.Tensor,
    state?: S,
    rng?: Rng,
  ): { loss: tf.Scalar; grads: P; state?: S };
  /**
   * The class scores (evaluation behaviour).
   * @param params the parameters
   * @param x inputs, shape [N, …]
   * @param state the model's current state, not changed (the Solver always passes it)
   * @returns scores, shape [N, C]
   */
  scores(params: P, x: tf.Tensor, state?: S): tf.Tensor;
}

/** Training and validation data: inputs [N, …] and int32 classes [N]. Extra keys are ignored. */
export interface SolverData {
  xTrain: tf.Tensor;
  yTrain: tf.Tensor;
  xVal: tf.Tensor;
  yVal: tf.Tensor;
}

/** How to train. Only `update` and `config` are required; any other key is an error. */
export interface SolverOptions<C extends OptimConfig, S extends Params = Params> {
  /** the update rule, e.g. `adam` */
  update: UpdateRule<C>;
  /** the rule's hyper-parameters (no state): e.g. `{ learningRate: 1e-3, beta1: 0.9, … }` */
  config: C;
  /** the learning rate of each epoch from `config.learningRate`; default constant */
  schedule?: Schedule;
  /** examples per step; default 100 */
  batchSize?: number;
  /** epochs to train in all (a resumed run counts the ones already done); default 10 */
  epochs?: number;
  /** seeds the order of the examples, the training-accuracy sample and the model's `rng`; default 0 */
  seed?: number;
  /** how many training examples the training accuracy is measured on; default 1000 */
  trainSamples?: number;
  /**
   * examples per chunk when measuring accuracy; default 1000. The wasm heap
   * keeps its largest size, so a net whose forward pass makes large
   * temporaries (a convnet's im2col: ~1.3 MB an image) wants fewer.
   */
  evalBatchSize?: number;
  /** stop after this many epochs without a better validation accuracy; default: never */
  patience?: number;
  /** a file to save a checkpoint to after every epoch; default: none */
  checkpoint?: string;
  /** show a progress bar and a line per epoch on standard error; default false */
  progress?: boolean;
  /**
   * called (and awaited) after every epoch with its record, e.g. to redraw
   * live curves in a notebook; default none
   */
  onEpoch?: (record: EpochRecord) => void | Promise<void>;
  /**
   * The model's initial state (see {@linkcode Model}), e.g. batchnorm's running
   * statistics; the Solver owns it from now on. Default: none, `{}`.
   */
  state?: S;
}

const OPTION_KEYS = [
  "update",
  "config",
  "schedule",
  "batchSize",
  "epochs",
  "seed",
  "trainSamples",
  "evalBatchSize",
  "patience",
  "checkpoint",
  "progress",
  "onEpoch",
  "state",
];

/** What the Solver records after each epoch. */
export interface EpochRecord {
  /** 1 for the first epoch */
  epoch: number;
  /** the learning rate this epoch trained with */
  learningRate: number;
  /** accuracy on the seeded sample of the training set */
  trainAccuracy: number;
  /** accuracy on the validation set */
  valAccuracy: number;
  /** per parameter, ‖ΔW‖ / ‖W‖ over the epoch's last step */
  updateRatio: Record<string, number>;
}

/** The checkpoint format this Solver writes and reads. */
const CHECKPOINT_FORMAT = { name: "gradlab-solver", version: 1 };

/** Trains a model's parameters with an update rule; see the module doc. */
export class Solver<P extends Params, C extends OptimConfig, S extends Params = Params> {
  readonly #model: Model<P, S>;
  readonly #data: SolverData;
  readonly #options:
    & Required<
      Omit<SolverOptions<C, S>, "patience" | "checkpoint" | "onEpoch" | "state">
    >
    & {
      patience?: number;
      checkpoint?: string;
      onEpoch?: (record: EpochRecord) => void | Promise<void>;
    };
  readonly #names: string[];
  readonly #stateNames: string[];
  #params: P;
  #state: S;
  #configs: Record<string, C>;
  #best: { params: P; state: S } | undefined;
  #lossHistory: number[] = [];
  #epochHistory: EpochRecord[] = [];
  #bestValAccuracy = -Infinity;
  #bestEpoch = 0;
  #shuffle: Rng;
  #noise: Rng;
  readonly #sample: { x: tf.Tensor; y: tf.Tensor };

  /**
   * @param model the loss and scores functions
   * @param params the initial parameters; the Solver owns them from now on
   * @param data training and validation sets (not disposed by the Solver)
   * @param options the update rule, its hyper-parameters, and the settings above
   * @throws Error naming the option or data that is wrong; an unknown option is an error
   */
  constructor(model: Model<P, S>, params: P, data: SolverData, options: SolverOptions<C, S>) {
    rejectUnknownKeys("Solver", options, OPTION_KEYS);
    const { state = {} as S, ...settings } = options;
    this.#options = {
      schedule: constantRate,
      batchSize: 100,
      epochs: 10,
      seed: 0,
      trainSamples: 1000,
      evalBatchSize: 1000,
      progress: false,
      ...settings,
    };
    checkOptions(this.#options);
    checkData(data);
    checkState(state, params);
    this.#model = model;
    this.#data = data;
    this.#names = Object.keys(params);
    this.#stateNames = Object.keys(state);
    this.#params = params;
    this.#state = state;
    this.#configs = Object.fromEntries(this.#names.map((name) => [name, { ...options.config }]));
    const rng = new Rng(this.#options.seed);
    this.#shuffle = rng.fork();
    const n = data.xTrain.shape[0];
    const rows = rng.fork().permutation(n).subarray(0, Math.min(n, this.#options.trainSamples));
    this.#noise = rng.fork();
    this.#sample = scope(() => {
      const indices = tf.tensor1d(rows, "int32");
      return { x: tf.gather(data.xTrain, indices), y: tf.gather(data.yTrain, indices) };
    });
  }

  /** The current parameters (owned by the Solver: clone them to keep them past the next step). */
  get params(): P {
    return this.#params;
  }

  /** The model's current state, `{}` if it has none (owned by the Solver, like the parameters). */
  get state(): S {
    return this.#state;
  }

  /** The loss of every step so far, in order. */
  get lossHistory(): readonly number[] {
    return this.#lossHistory;
  }

  /** One record per epoch trained so far. */
  get epochHistory(): readonly EpochRecord[] {
    return this.#epochHistory;
  }

  /** The best validation accuracy so far (−Infinity before the first epoch). */
  get bestValAccuracy(): number {
    return this.#bestValAccuracy;
  }

  /** The epoch (from 1) that reached it; 0 before the first epoch. */
  get bestEpoch(): number {
    return this.#bestEpoch;
  }

  /** How many epochs have been trained. */
  get epochsDone(): number {
    return this.epochHistory.length;
  }

  /** Whether early stopping has ended training: no better validation accuracy for `patience` epochs. */
  get stoppedEarly(): boolean {
    const { patience } = this.#options;
    return patience !== undefined && this.epochsDone - this.bestEpoch >= patience;
  }

  /**
   * Trains until `epochs` epochs are done (counting those of a resumed run)
   * or early stopping ends it, saving a checkpoint after each epoch if asked.
   */
  async train(): Promise<void> {
    while (this.epochsDone < this.#options.epochs && !this.stoppedEarly) {
      await this.#trainEpoch();
      if (this.#options.checkpoint) await this.saveCheckpoint(this.#options.checkpoint);
    }
    if (this.#options.progress && this.stoppedEarly) {
      console.error(
        `early stop: no better validation accuracy for ${this.#options.patience} epochs ` +
          `(best ${this.bestValAccuracy.toFixed(4)} at epoch ${this.bestEpoch})`,
      );
    }
  }

  /**
   * The fraction of examples whose highest score is their class, computed in
   * chunks of `evalBatchSize` (default 1000) so a large set fits in memory.
   *
   * @param x inputs, shape [N, …]
   * @param y classes, int32, shape [N]
   * @param params the parameters to use; default the current ones
   * @param state the model state to use; default the current one
   * @returns a number in [0, 1]
   */
  async accuracy(
    x: tf.Tensor,
    y: tf.Tensor,
    params: P = this.#params,
    state: S = this.#state,
  ): Promise<number> {
    const n = x.shape[0];
    const chunk = this.#options.evalBatchSize;
    let correct = 0;
    for (let start = 0; start < n; start += chunk) {
      const size = Math.min(chunk, n - start);
      const hits = scope(() => {
        const scores = this.#model.scores(params, sliceRows(x, start, size), state);
        const predicted = tf.argMax(scores, 1);
        return tf.sum(tf.equal(predicted, sliceRows(y, start, size).toInt()));
      });
      correct += await readScalar(hits);
      hits.dispose();
    }
    return correct / n;
  }

  /**
   * Puts the best epoch's parameters and model state (by validation accuracy)
   * in place of the current ones. The optimiser state stays that of the last
   * step, so call it when training is over.
   *
   * @throws Error if no epoch has been trained yet
   */
  restoreBest(): void {
    if (!this.#best) throw new Error("Solver.restoreBest: train at least one epoch first.");
    tf.dispose([...Object.values(this.#params), ...Object.values(this.#state)]);
    this.#params = cloneAll(this.#best.params);
    this.#state = cloneAll(this.#best.state);
  }

  /**
   * Saves everything needed to continue this run exactly: parameters, model
   * state, optimiser state, best parameters and model state, the random
   * generators (batch order and the model's), the histories.
   *
   * @param path the file to write (safetensors; its folder is created if need be)
   */
  async saveCheckpoint(path: string): Promise<void> {
    const tensors: Record<string, tf.Tensor> = {};
    const configs: Record<string, Record<string, number>> = {};
    for (const name of this.#stateNames) {
      tensors[`model/${name}`] = this.#state[name];
      if (this.#best) tensors[`bestModel/${name}`] = this.#best.state[name];
    }
    for (const name of this.#names) {
      tensors[`params/${name}`] = this.#params[name];
      if (this.#best) tensors[`best/${name}`] = this.#best.params[name];
      configs[name] = {};
      for (const [key, value] of Object.entries(this.#configs[name])) {
        if (value instanceof tf.Tensor) tensors[`state/${name}/${key}`] = value;
        else if (value !== undefined) configs[name][key] = value;
      }
    }
    const state: SavedState = {
      run: this.#fingerprint(),
      shuffle: this.#shuffle.state(),
      noise: this.#noise.state(),
      configs,
      lossHistory: this.#lossHistory,
      epochHistory: this.#epochHistory,
      bestValAccuracy: this.#best ? this.bestValAccuracy : null,
      bestEpoch: this.bestEpoch,
    };
    await writeCheckpoint(path, {
      format: CHECKPOINT_FORMAT,
      meta: state as unknown as Record<string, unknown>,
      tensors,
    });
  }

  /**
   * Continues a run from a checkpoint written by {@linkcode saveCheckpoint}:
   * after it, {@linkcode train} trains the remaining epochs as the original
   * run would have.
   *
   * @param path the checkpoint file
   * @throws Error if the checkpoint was written by a run with other settings
   *   (update rule, hyper-parameters, batch size, seed, data sizes, schedule)
   *   or for parameters of other names or shapes, listing each difference
   */
  async resume(path: string): Promise<void> {
    const { meta, tensors } = await readCheckpoint(path, CHECKPOINT_FORMAT);
    const saved = meta as unknown as SavedState;
    try {
      this.#checkSameRun(saved, tensors);
    } catch (e) {
      tf.dispose(Object.values(tensors));
      throw new Error(`Solver.resume(${path}): ${(e as Error).message}`);
    }
    this.#disposeModel();
    const take = <T>(prefix: string, names: string[]) =>
      Object.fromEntries(names.map((name) => [name, tensors[`${prefix}/${name}`]])) as T;
    this.#params = take("params", this.#names);
    this.#state = take("model", this.#stateNames);
    this.#best = saved.bestValAccuracy === null ? undefined : {
      params: take("best", this.#names),
      state: take("bestModel", this.#stateNames),
    };
    this.#configs = Object.fromEntries(this.#names.map((name) => {
      const state = Object.entries(tensors).filter(([key]) => key.startsWith(`state/${name}/`))
        .map(([key, t]) => [key.slice(`state/${name}/`.length), t]);
      return [name, { ...saved.configs[name], ...Object.fromEntries(state) } as C];
    }));
    this.#shuffle = Rng.fromState(saved.shuffle);
    // Checkpoints written before models had an rng lack it: their models drew nothing.
    if (saved.noise) this.#noise = Rng.fromState(saved.noise);
    this.#lossHistory = saved.lossHistory;
    this.#epochHistory = saved.epochHistory;
    this.#bestValAccuracy = saved.bestValAccuracy ?? -Infinity;
    this.#bestEpoch = saved.bestEpoch;
  }

  /**
   * The curves so far, as SVG charts (lib/plot.ts): the loss of every step
   * (log scale), the training (sample) and validation accuracy of every
   * epoch, and the update-to-weight ratio of every weight (parameters of
   * rank ≥ 2) with the 1e-3 guide. {@linkcode writeReport} writes them; a
   * notebook shows them.
   */
  charts(): { loss: string; accuracy: string; updateRatio: string } {
    const epochs = this.epochHistory.map((r) => r.epoch);
    return {
      loss: lineChart({
        title: "Training loss",
        xLabel: "iteration",
        yLabel: "loss",
        series: [{ name: "loss", y: this.lossHistory }],
        logY: true,
      }),
      accuracy: lineChart({
        title: "Accuracy",
        xLabel: "epoch",
        yLabel: "accuracy",
        series: [
          { name: "train (sample)", x: epochs, y: this.epochHistory.map((r) => r.trainAccuracy) },
          { name: "validation", x: epochs, y: this.epochHistory.map((r) => r.valAccuracy) },
        ],
      }),
      updateRatio: lineChart({
        title: "Update-to-weight ratio ‖ΔW‖/‖W‖ of the weights (aim for about 1e-3)",
        xLabel: "epoch",
        yLabel: "ratio",
        series: [
          ...this.#names.filter((name) => this.#params[name].rank >= 2).map((name) => ({
            name,
            x: epochs,
            y: this.epochHistory.map((r) => r.updateRatio[name]),
          })),
          { name: "1e-3", x: epochs, y: epochs.map(() => 1e-3), color: "#999999" },
        ],
        logY: true,
      }),
    };
  }

  /**
   * Writes the histories and their charts to `dir` (created if need be):
   * `loss.csv` (iteration, epoch, loss), `epochs.csv` (one row per epoch,
   * every parameter's update ratio included), and {@linkcode charts} as
   * `loss.svg`, `accuracy.svg` and `update_ratio.svg`.
   *
   * @param dir the folder; default `out/solver`
   * @returns the paths written
   */
  async writeReport(dir = "out/solver"): Promise<string[]> {
    await Deno.mkdir(dir, { recursive: true });
    const perEpoch = Math.ceil(this.#data.xTrain.shape[0] / this.#options.batchSize);
    const charts = this.charts();
    const files: Record<string, string> = {
      "loss.csv": stringify(
        this.lossHistory.map((loss, i) => [i + 1, Math.floor(i / perEpoch) + 1, loss]),
        { columns: ["iteration", "epoch", "loss"] },
      ),
      "epochs.csv": stringify(
        this.epochHistory.map((r) => [
          r.epoch,
          r.learningRate,
          r.trainAccuracy,
          r.valAccuracy,
          ...this.#names.map((name) => r.updateRatio[name]),
        ]),
        {
          columns: [
            "epoch",
            "learning_rate",
            "train_accuracy",
            "val_accuracy",
            ...this.#names.map((name) => `update_ratio_${name}`),
          ],
        },
      ),
      "loss.svg": charts.loss,
      "accuracy.svg": charts.accuracy,
      "update_ratio.svg": charts.updateRatio,
    };
    const paths: string[] = [];
    for (const [name, text] of Object.entries(files)) {
      paths.push(`${dir}/${name}`);
      await Deno.writeTextFile(`${dir}/${name}`, text);
    }
    return paths;
  }

  /**
   * Frees every tensor the Solver holds: parameters, model state, their best
   * copies, optimiser state, the sample.
   */
  dispose(): void {
    this.#disposeModel();
    tf.dispose([this.#sample.x, this.#sample.y]);
  }

  /** Frees the parameters, the model state, their best copies and the optimiser state. */
  #disposeModel(): void {
    tf.dispose([
      ...Object.values(this.#params),
      ...Object.values(this.#state),
      ...Object.values(this.#best?.params ?? {}),
      ...Object.values(this.#best?.state ?? {}),
      ...this.#names.flatMap((name) => stateTensors(this.#configs[name])),
    ]);
  }

  /** One epoch: every batch once, then the accuracies, the best parameters and the record. */
  async #trainEpoch(): Promise<void> {
    const { schedule, config, batchSize, epochs, progress } = this.#options;
    const epoch = this.epochsDone + 1;
    const learningRate = schedule(config.learningRate, epoch - 1);
    const steps = Math.ceil(this.#data.xTrain.shape[0] / batchSize);
    const bar = progress
      ? new ProgressBar({ total: steps, label: `epoch ${epoch}/${epochs}` })
      : undefined;
    let updateRatio: Record<string, number> = {};
    let step = 0;
    for (
      const { x, y } of batches(this.#data.xTrain, this.#data.yTrain, batchSize, this.#shuffle)
    ) {
      step += 1;
      const last = step === steps;
      const { loss, ratios } = await this.#step(x, y, learningRate, last);
      this.#lossHistory.push(loss);
      if (last) updateRatio = ratios;
      bar?.update(step, `loss ${loss.toFixed(4)}`);
    }
    bar?.finish();
    const record: EpochRecord = {
      epoch,
      learningRate,
      trainAccuracy: await this.accuracy(this.#sample.x, this.#sample.y),
      valAccuracy: await this.accuracy(this.#data.xVal, this.#data.yVal),
      updateRatio,
    };
    this.#epochHistory.push(record);
    if (record.valAccuracy > this.bestValAccuracy) {
      tf.dispose([
        ...Object.values(this.#best?.params ?? {}),
        ...Object.values(this.#best?.state ?? {}),
      ]);
      this.#best = { params: cloneAll(this.#params), state: cloneAll(this.#state) };
      this.#bestValAccuracy = record.valAccuracy;
      this.#bestEpoch = epoch;
    }
    if (progress) {
      const ratios = this.#names.map((name) => `${name} ${updateRatio[name].toExponential(1)}`);
      console.error(
        `epoch ${epoch}/${epochs}: lr ${learningRate.toExponential(2)}, ` +
          `train acc ${record.trainAccuracy.toFixed(4)}, val acc ${
            record.valAccuracy.toFixed(4)
          }, ` +
          `update/weight ${ratios.join(" ")}`,
      );
    }
    await this.#options.onEpoch?.(record);
  }

  /**
   * One step: the loss, gradients and next model state on a batch, then the
   * update rule on every parameter (never on the model state). Returns the
   * loss and, if asked, each parameter's ‖ΔW‖/‖W‖.
   */
  async #step(
    x: tf.Tensor,
    y: tf.Tensor,
    learningRate: number,
    measureRatio: boolean,
  ): Promise<{ loss: number; ratios: Record<string, number> }> {
    const before = this.#params;
    const stateBefore = this.#state;
    const oldConfigs = this.#configs;
    const result = scope(() => {
      const { loss, grads, state = stateBefore } = this.#model.loss(
        before,
        x,
        y,
        stateBefore,
        this.#noise,
      );
      checkState(state, before, "the state the model's loss returned");
      const params: Params = {};
      const configs: Record<string, C> = {};
      const ratios: tf.Tensor[] = [];
      for (const name of this.#names) {
        const config = { ...oldConfigs[name], learningRate };
        [params[name], configs[name]] = this.#options.update(before[name], grads[name], config);
        if (measureRatio) {
          ratios.push(tf.div(tf.norm(tf.sub(params[name], before[name])), tf.norm(before[name])));
        }
      }
      return { loss, params: params as P, state, configs, ratios };
    });
    this.#params = result.params;
    this.#state = result.state;
    this.#configs = result.configs;
    const kept = new Set([
      ...Object.values(result.params),
      ...Object.values(result.state),
      ...this.#names.flatMap((name) => stateTensors(result.configs[name])),
    ]);
    const replaced = [
      ...Object.values(before),
      ...Object.values(stateBefore),
      ...this.#names.flatMap((name) => stateTensors(oldConfigs[name])),
    ];
    tf.dispose(replaced.filter((t) => !kept.has(t)));
    const [loss, ...ratios] = await readAll([result.loss, ...result.ratios]);
    tf.dispose([result.loss, ...result.ratios]);
    return {
      loss: loss[0],
      ratios: Object.fromEntries(ratios.map((r, i) => [this.#names[i], r[0]])),
    };
  }

  /** The settings that must match for a checkpoint to continue this run. */
  #fingerprint(): RunFingerprint {
    const { update, config, batchSize, seed, trainSamples } = this.#options;
    return {
      update: update.name,
      config: config as Record<string, number>,
      batchSize,
      seed,
      trainSamples,
      trainCount: this.#data.xTrain.shape[0],
      valCount: this.#data.xVal.shape[0],
      shapes: Object.fromEntries(this.#names.map((name) => [name, this.#params[name].shape])),
      // Only a model with state records it, so checkpoints of stateless runs stay as they were.
      ...(this.#stateNames.length > 0 && {
        stateShapes: Object.fromEntries(
          this.#stateNames.map((name) => [name, this.#state[name].shape]),
        ),
      }),
    };
  }

  /** Throws, listing every difference, unless `saved` continues this run. */
  #checkSameRun(saved: SavedState, tensors: Record<string, tf.Tensor>): void {
    const now = this.#fingerprint();
    const keys = new Set([...Object.keys(saved.run), ...Object.keys(now)]);
    const differences = ([...keys] as (keyof RunFingerprint)[])
      .filter((key) => JSON.stringify(saved.run[key]) !== JSON.stringify(now[key]))
      .map((key) =>
        `${key}: ${JSON.stringify(saved.run[key])} in the checkpoint, ${
          JSON.stringify(now[key])
        } now`
      );
    for (const record of saved.epochHistory) {
      const rate = this.#options.schedule(this.#options.config.learningRate, record.epoch - 1);
      if (rate !== record.learningRate) {
        differences.push(
          `schedule: epoch ${record.epoch} trained with learning rate ${record.learningRate}, ` +
            `the schedule now gives ${rate}`,
        );
      }
    }
    for (const name of this.#names) {
      if (!tensors[`params/${name}`]) differences.push(`parameter ${name} is missing`);
    }
    for (const name of this.#stateNames) {
      if (!tensors[`model/${name}`]) differences.push(`model state ${name} is missing`);
    }
    if (differences.length > 0) {
      throw new Error(
        `the checkpoint is of a different run:\n  ${differences.join("\n  ")}\n` +
          `Resume with the options it was written with, or start a new run.`,
      );
    }
  }
}

/** The settings that identify a run, as a checkpoint records them. */
interface RunFingerprint {
  update: string;
  config: Record<string, number>;
  batchSize: number;
  seed: number;
  trainSamples: number;
  trainCount: number;
  valCount: number;
  shapes: Record<string, number[]>;
  /** the model state's shapes; absent for a model without state */
  stateShapes?: Record<string, number[]>;
}

/** A checkpoint's meta: everything but the tensors. */
interface SavedState {
  run: RunFingerprint;
  shuffle: RngState;
  /** the model's generator (absent in checkpoints written before there was one) */
  noise?: RngState;
  /** the numbers of each parameter's config (hyper-parameters, step counts) */
  configs: Record<string, Record<string, number>>;
  lossHistory: number[];
  epochHistory: EpochRecord[];
  bestValAccuracy: number | null;
  bestEpoch: number;
}

function stateTensors(config: OptimConfig): tf.Tensor[] {
  return Object.values(config).filter((v): v is tf.Tensor => v instanceof tf.Tensor);
}

function cloneAll<P extends Params>(params: P): P {
  return Object.fromEntries(Object.entries(params).map(([k, t]) => [k, tf.clone(t)])) as P;
}

function sliceRows(t: tf.Tensor, start: number, size: number): tf.Tensor {
  return t.slice([start, ...t.shape.slice(1).map(() => 0)], [size, ...t.shape.slice(1)]);
}

function checkOptions<C extends OptimConfig>(options: SolverOptions<C>): void {
  const { update, config, schedule, batchSize, epochs, seed, trainSamples, patience } = options;
  const { evalBatchSize } = options;
  const fail = (why: string): never => {
    throw new Error(`Solver: ${why}`);
  };
  if (typeof update !== "function") fail("options.update must be an update rule, e.g. adam.");
  if (typeof config !== "object" || config === null || !(config.learningRate > 0)) {
    fail("options.config must hold the rule's hyper-parameters, with a learningRate > 0.");
  }
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== "number") {
      fail(`options.config.${key} is not a number: give hyper-parameters only, no state.`);
    }
  }
  if (typeof schedule !== "function") {
    fail("options.schedule must be a schedule, e.g. stepDecay(…).");
  }
  const positive = { batchSize, epochs, trainSamples, evalBatchSize, patience };
  for (const [key, value] of Object.entries(positive)) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      fail(`options.${key} must be an integer ≥ 1, got ${value}.`);
    }
  }
  if (!Number.isSafeInteger(seed)) fail(`options.seed must be an integer, got ${seed}.`);
}

/**
 * Throws unless `state` is an object of tensors whose names are not also
 * parameters' (the update rule must never see it).
 */
function checkState(state: Params, params: Params, what = "options.state"): void {
  if (typeof state !== "object" || state === null || Array.isArray(state)) {
    throw new Error(`Solver: ${what} must be an object of named tensors, got ${state}.`);
  }
  for (const [name, t] of Object.entries(state)) {
    if (!(t instanceof tf.Tensor)) {
      throw new Error(`Solver: ${what}.${name} is not a tensor: model state is tensors only.`);
    }
    if (name in params) {
      throw new Error(
        `Solver: ${what}.${name} has the name of a parameter; state (not learned) and ` +
          `parameters (learned) need different names.`,
      );
    }
  }
}

function checkData(data: SolverData): void {
  for (const key of ["xTrain", "yTrain", "xVal", "yVal"] as const) {
    if (!(data[key] instanceof tf.Tensor)) {
      throw new Error(
        `Solver: data.${key} is missing: the Solver needs training data and a validation set ` +
          `(to measure each epoch and keep the best parameters).`,
      );
    }
  }
  for (const split of ["Train", "Val"] as const) {
    const [n, m] = [data[`x${split}`].shape[0], data[`y${split}`].shape[0]];
    if (n !== m) {
      throw new Error(`Solver: data.x${split} has ${n} rows but data.y${split} has ${m}.`);
    }
  }
}
