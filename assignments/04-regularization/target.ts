import { NotImplementedError } from "../../lib/errors.ts";
/**
 * Task 5 — Your regularisation for the target net.
 *
 * The target: a net of two hidden layers of 512 units with batchnorm,
 * trained by the course code on all 55,000 training images for a fixed
 * budget (`TARGET` in `experiments.ts`: the architecture, the optimiser,
 * the epochs), must reach the test accuracy the handout states — higher
 * than assignment 2's unregularised target. You choose how to regularise
 * it: dropout, L2, L1, max-norm, or a combination.
 *
 * Try your choices with `deno task regularization target` (it prints the
 * validation accuracy of every epoch), and compare them by their
 * **validation** accuracy; look at the test accuracy once, at the end.
 *
 * @module
 */

/** The regularisation of the target net. Any other key is an error. */
export interface RegularizationChoice {
  /** dropout's keep probability after each hidden ReLU, in (0, 1]; leave it out for no dropout */
  keepProbability?: number;
  /** L2 strength on the weights, ≥ 0 */
  reg?: number;
  /** L1 strength on the weights, ≥ 0 */
  l1?: number;
  /** max-norm: the largest norm of each unit's incoming weights, > 0; leave it out for none */
  maxNorm?: number;
}

/**
 * Task 5 — Choose the target net's regularisation. The course notes' default
 * is a good start: dropout with p = 0.5 and an L2 strength found by
 * validation; with batchnorm and a short budget, milder dropout often does
 * better.
 *
 * @returns your choice, e.g. `{ keepProbability: 0.5, reg: 1e-4 }`
 */
export function targetRegularization(): RegularizationChoice {
  // TODO: Implement for Task 5.
  throw new NotImplementedError("targetRegularization", 5);
}
