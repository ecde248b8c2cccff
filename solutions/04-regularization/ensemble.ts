/**
 * Task 4 — Model ensembles: average what several models believe.
 *
 * Train several models independently (different seeds, say), and at test
 * time average their **class probabilities** — each model's softmax of its
 * scores — and predict the class with the highest average. The members make
 * partly different mistakes, and averaging cancels some of them out: the
 * course notes report a gain of about 2 % over the typical member. The price
 * is paid at test time, once per member. A cheap variant averages
 * checkpoints of a single run.
 *
 * Average probabilities, not scores: a model's scores have no common scale
 * (adding a constant to a row changes nothing; one member's scores may be
 * ten times another's), while probabilities are on the same footing for every
 * member.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Task 4 — The ensemble's class probabilities: the softmax of each member's
 * scores, row by row, averaged over the members.
 *
 *     probsₘ[n, c] = exp(scoresₘ[n, c]) / Σ_c' exp(scoresₘ[n, c'])
 *     out[n, c] = (1/M) Σₘ probsₘ[n, c]
 *
 * Subtract each row's largest score before `exp` (it changes nothing in
 * exact arithmetic, and keeps scores like 1000 from overflowing to ∞).
 *
 * @param scores one [N, C] tensor of class scores per member (M ≥ 1), for the same N examples
 * @returns the average probabilities, shape [N, C]: each row sums to 1
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { ensembleProbabilities } from "./ensemble.ts";
 * const a = tf.tensor2d([[0, 0]]), b = tf.tensor2d([[1000, 0]]);
 * console.log(await ensembleProbabilities([a, b]).array()); // [[0.75, 0.25]]
 * ```
 */
export function ensembleProbabilities(scores: readonly tf.Tensor2D[]): tf.Tensor2D {
  checkScores(scores);
  // BEGIN SOLUTION (Task 4)
  const probabilities = scores.map((s) => {
    const shifted = tf.sub(s, tf.max(s, 1, true));
    const e = tf.exp(shifted);
    return tf.div(e, tf.sum(e, 1, true));
  });
  return tf.div(tf.addN(probabilities), scores.length) as tf.Tensor2D;
  // END SOLUTION
}

/**
 * The ensemble's prediction: the class of highest average probability.
 *
 * @param scores one [N, C] tensor of class scores per member
 * @returns the predicted classes, int32, shape [N]
 */
export function ensemblePredict(scores: readonly tf.Tensor2D[]): tf.Tensor1D {
  return tf.argMax(ensembleProbabilities(scores), 1);
}

function checkScores(scores: readonly tf.Tensor2D[]): void {
  if (!Array.isArray(scores) || scores.length === 0) {
    throw new Error(
      "ensembleProbabilities: scores must be a non-empty list, one [N, C] per member.",
    );
  }
  const [first] = scores;
  for (const [m, s] of scores.entries()) {
    if (!(s instanceof tf.Tensor) || s.rank !== 2 || !tf.util.arraysEqual(s.shape, first.shape)) {
      throw new Error(
        `ensembleProbabilities: every member's scores must have shape [N, C] = [${first.shape}], ` +
          `member ${m} has ${s instanceof tf.Tensor ? `shape [${s.shape}]` : s}.`,
      );
    }
  }
}
