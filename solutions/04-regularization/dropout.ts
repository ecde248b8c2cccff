/**
 * Task 1 — Inverted dropout.
 *
 * While training, dropout keeps each unit with probability **p** and sets the
 * others to zero, a fresh random choice for every unit of every example at
 * every step. **p is the probability of keeping a unit** (CS231n's
 * `dropout_keep_ratio`), everywhere in gradlab: p = 0.5 keeps half the units,
 * p = 1 keeps them all.
 *
 * *Inverted* dropout divides the kept units by p while training, so that each
 * unit's expected output is what it would be with nothing dropped:
 *
 *     train:  mask = (u < p) / p,  u uniform in [0, 1)    out = x · mask
 *     test:   out = x                                     (nothing to change)
 *
 * E[out] = p · (x / p) + (1 − p) · 0 = x. The net is trained to expect
 * exactly the activations it will see at test time, and the test-time code
 * stays untouched: no rescaling to forget when the model is deployed.
 *
 * The mask is random, but never `Math.random`: it is drawn from the seeded
 * `Rng` passed in (`lib/random.ts`), so the same seed gives the same mask and
 * a run can be repeated bit for bit. The backward pass must use exactly the
 * forward pass's mask: the cache carries it.
 *
 *     const [out, cache] = dropoutForward(x, 0.5, "train", rng);
 *     const { dx } = dropoutBackward(dout, cache);
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { randu, type Rng } from "../../lib/random.ts";
import {
  checkDropoutMode,
  checkKeepProbability,
  checkMaskRng,
  type DropoutMode,
} from "./checks.ts";

export { type DropoutMode } from "./checks.ts";

/** What {@linkcode dropoutBackward} needs from the forward pass. */
export interface DropoutCache {
  /**
   * The train-mode mask, already divided by p: 1/p where the unit was kept,
   * 0 where it was dropped; the shape of x. `null` in test mode.
   */
  mask: tf.Tensor | null;
}

/**
 * Task 1 — Dropout, forward.
 *
 * In train mode, draw the mask exactly this way — the tests rebuild it from
 * the same seed and compare:
 *
 * 1. `u = randu(rng, x.shape)`: one uniform number in [0, 1) per entry of x;
 * 2. keep entry i where uᵢ < p (`tf.less`), and give kept entries 1/p,
 *    dropped ones 0: that is the mask;
 * 3. out = x · mask.
 *
 * In test mode return x itself (the identity) and a `null` mask; draw
 * nothing.
 *
 * @param x any shape, e.g. a layer's activations [N, H]
 * @param p the probability of **keeping** each unit, in (0, 1]
 * @param mode `"train"` (drop and rescale) or `"test"` (identity)
 * @param rng the seeded generator the mask is drawn from; needed in train mode
 * @returns [out, cache]: out has the shape of x
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { Rng } from "../../lib/random.ts";
 * import { dropoutForward } from "./dropout.ts";
 * const [out] = dropoutForward(tf.ones([2, 4]), 0.5, "train", new Rng(0));
 * console.log(await out.array()); // each entry 0 or 2 (= 1/0.5), about half of each
 * ```
 */
export function dropoutForward(
  x: tf.Tensor,
  p: number,
  mode: DropoutMode,
  rng?: Rng,
): [tf.Tensor, DropoutCache] {
  checkKeepProbability("dropoutForward", p);
  checkDropoutMode("dropoutForward", mode);
  checkMaskRng("dropoutForward", mode, rng);
  // BEGIN SOLUTION (Task 1)
  if (mode === "test") return [x, { mask: null }];
  const u = randu(rng!, x.shape);
  const mask = tf.div(tf.cast(tf.less(u, p), "float32"), p);
  return [tf.mul(x, mask), { mask }];
  // END SOLUTION
}

/**
 * Task 1 — Dropout, backward: out = x · mask, so dx = dout · mask, with the
 * forward pass's own mask (from the cache; never a new one). In test mode
 * the layer was the identity, so dx = dout.
 *
 * @param dout upstream gradient, the shape of x
 * @param cache from {@linkcode dropoutForward}
 * @returns dx, the shape of x
 */
export function dropoutBackward(dout: tf.Tensor, cache: DropoutCache): { dx: tf.Tensor } {
  checkDropoutBackward(dout, cache);
  // BEGIN SOLUTION (Task 1)
  return { dx: cache.mask === null ? dout : tf.mul(dout, cache.mask) };
  // END SOLUTION
}

function checkDropoutBackward(dout: tf.Tensor, cache: DropoutCache): void {
  if (typeof cache !== "object" || cache === null || !("mask" in cache)) {
    throw new Error("dropoutBackward: cache must be the cache dropoutForward returned.");
  }
  if (cache.mask !== null && !tf.util.arraysEqual(dout.shape, cache.mask.shape)) {
    throw new Error(
      `dropoutBackward: dout must have the shape of the forward pass's x, [${cache.mask.shape}], ` +
        `got [${dout.shape}].`,
    );
  }
}
