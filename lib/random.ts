/**
 * The one source of randomness in gradlab: a small seeded generator.
 *
 * Everything random — weight initialisation, shuffles, data splits, dropout
 * masks, sampling — draws from an {@linkcode Rng}. Numbers are produced in
 * JavaScript, so the same seed gives the same values on every backend, and a
 * run can be repeated bit for bit. Nothing in gradlab calls `Math.random` or
 * tfjs's unseeded random ops (a test in `lib/random_test.ts` checks).
 *
 * The generator is sfc32 (Chris Doty-Humphrey's "small fast counting" PRNG,
 * the one PractRand recommends among 32-bit generators), seeded through
 * splitmix32.
 *
 * @example
 * ```ts
 * import { Rng, randn } from "./random.ts";
 * const rng = new Rng(231);
 * const w = randn(rng, [784, 100], 0.01); // Tensor2D of N(0, 0.01²) draws
 * const order = rng.permutation(60000);     // Int32Array, a shuffle of 0..59999
 * const saved = rng.state();                 // plain JSON: write it into a checkpoint…
 * const again = Rng.fromState(saved);        // …and continue the same sequence later
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Where an {@linkcode Rng} is in its sequence: plain JSON, for checkpoints.
 * {@linkcode Rng.fromState} continues from it exactly.
 */
export interface RngState {
  /** the seed the generator was made with */
  seed: number;
  /** sfc32's four 32-bit words, each an integer in [0, 2³²) */
  words: [number, number, number, number];
  /** the second value of the last normal pair, not yet returned (null if none) */
  spareNormal: number | null;
}

/** A seeded pseudo-random number generator. Same seed, same sequence, on every machine. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  #spareNormal: number | undefined;

  /** @param seed any integer; two generators with equal seeds produce equal sequences. */
  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new Error(`Rng seed must be an integer, got ${seed}.`);
    }
    let s = (seed ^ Math.floor(seed / 2 ** 32)) >>> 0;
    const splitmix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = splitmix();
    this.#b = splitmix();
    this.#c = splitmix();
    this.#d = splitmix();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /**
   * Restores a generator saved with {@linkcode Rng.state}: it continues the
   * saved sequence exactly, as if it had never stopped.
   *
   * @throws Error saying which field is wrong, for anything that is not such a state.
   */
  static fromState(state: RngState): Rng {
    const { seed, words, spareNormal } = state;
    const isWord = (w: number) => Number.isInteger(w) && w >= 0 && w < 2 ** 32;
    if (!Array.isArray(words) || words.length !== 4 || !words.every(isWord)) {
      throw new Error(
        `Not an Rng state: words must be four integers in [0, 2³²), got ${JSON.stringify(words)}.`,
      );
    }
    if (spareNormal !== null && !Number.isFinite(spareNormal)) {
      throw new Error(
        `Not an Rng state: spareNormal must be a number or null, got ${spareNormal}.`,
      );
    }
    const rng = new Rng(seed);
    [rng.#a, rng.#b, rng.#c, rng.#d] = words;
    rng.#spareNormal = spareNormal ?? undefined;
    return rng;
  }

  /** Where this generator is in its sequence (a copy: later draws do not change it). */
  state(): RngState {
    return {
      seed: this.seed,
      words: [this.#a >>> 0, this.#b >>> 0, this.#c >>> 0, this.#d >>> 0],
      spareNormal: this.#spareNormal ?? null,
    };
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** A uniform draw from [low, high); [0, 1) by default. */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * (this.nextUint32() / 2 ** 32);
  }

  /** A normal draw with the given mean and standard deviation (Marsaglia's polar method). */
  normal(mean = 0, std = 1): number {
    if (this.#spareNormal !== undefined) {
      const z = this.#spareNormal;
      this.#spareNormal = undefined;
      return mean + std * z;
    }
    let u: number, v: number, s: number;
    do {
      u = this.uniform(-1, 1);
      v = this.uniform(-1, 1);
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const scale = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spareNormal = v * scale;
    return mean + std * u * scale;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) {
      throw new Error(`Rng.int(n) needs an integer 1 ≤ n ≤ 2³², got ${n}.`);
    }
    // Rejection sampling keeps every value equally likely.
    const limit = 2 ** 32 - (2 ** 32 % n);
    let x: number;
    do x = this.nextUint32(); while (x >= limit);
    return x % n;
  }

  /** A random permutation of 0, 1, …, n−1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    this.shuffle(order);
    return order;
  }

  /** Shuffles `items` in place and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /**
   * A new generator whose stream is independent of this one's, derived from
   * the next draw. Give each consumer (initialisation, shuffling, dropout…)
   * its own fork so that adding draws in one does not shift the others.
   */
  fork(): Rng {
    return new Rng(this.nextUint32() * 2 ** 21 + (this.nextUint32() >>> 11));
  }
}

/** A float32 tensor of shape `shape` with entries drawn from N(mean, std²). */
export function randn(rng: Rng, shape: number[], std = 1, mean = 0): tf.Tensor {
  const values = new Float32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = rng.normal(mean, std);
  return tf.tensor(values, shape, "float32");
}

/** A float32 tensor of shape `shape` with entries drawn uniformly from [low, high). */
export function randu(rng: Rng, shape: number[], low = 0, high = 1): tf.Tensor {
  const values = new Float32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = rng.uniform(low, high);
  return tf.tensor(values, shape, "float32");
}

/** An int32 tensor of shape `shape` with entries drawn uniformly from 0, 1, …, n−1 (class labels). */
export function randint(rng: Rng, shape: number[], n: number): tf.Tensor {
  const values = new Int32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = rng.int(n);
  return tf.tensor(values, shape, "int32");
}

function sizeOf(shape: number[]): number {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`A shape must be a list of non-negative integers, got [${shape}].`);
  }
  return shape.reduce((a, b) => a * b, 1);
}
