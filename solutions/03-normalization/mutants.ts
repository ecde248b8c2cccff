/**
 * Realistic wrong answers to assignment 3, for `deno task mutants`: each must
 * fail at least one test of its file. See instructor/mutants.ts.
 */
import type { Mutant } from "../../instructor/mutants.ts";

export const MUTANTS: Mutant[] = [
  // batchnorm.ts, forward (Task 1)
  {
    id: "bn-variance-n-minus-1",
    file: "batchnorm.ts",
    mistake: "batch variance divided by N − 1 (the unbiased estimate) instead of N",
    from: 'const variance = mode === "train" ? tf.mean(tf.square(centred), 0) : runningVar;',
    to:
      'const variance = mode === "train"\n    ? tf.div(tf.sum(tf.square(centred), 0), x.shape[0] - 1)\n    : runningVar;',
  },
  {
    id: "bn-eps-outside-sqrt",
    file: "batchnorm.ts",
    mistake: "ε added after the square root: √σ² + ε",
    from: "const std = tf.sqrt(tf.add(variance, eps)) as tf.Tensor1D;",
    to: "const std = tf.add(tf.sqrt(variance), eps) as tf.Tensor1D;",
  },
  {
    id: "bn-statistics-per-example",
    file: "batchnorm.ts",
    mistake: "statistics over the features of each example (axis 1) instead of over the batch",
    from: 'const mean = mode === "train" ? tf.mean(x, 0) : runningMean;',
    to: 'const mean = mode === "train" ? tf.mean(x, 1, true) : runningMean;',
  },
  {
    id: "bn-variance-per-example",
    file: "batchnorm.ts",
    mistake: "the variance over axis 1 (a square input would hide it)",
    from: "tf.mean(tf.square(centred), 0) : runningVar",
    to: "tf.mean(tf.square(centred), 1, true) : runningVar",
  },
  {
    id: "bn-train-normalises-with-running-statistics",
    file: "batchnorm.ts",
    mistake: "training normalises with the running statistics (updated from the batch's)",
    from: "  const centred = tf.sub(x, mean) as tf.Tensor2D;\n" +
      '  const variance = mode === "train" ? tf.mean(tf.square(centred), 0) : runningVar;\n' +
      "  const std = tf.sqrt(tf.add(variance, eps)) as tf.Tensor1D;",
    to: "  const centred = tf.sub(x, runningMean) as tf.Tensor2D;\n" +
      '  const variance = mode === "train" ? tf.mean(tf.square(tf.sub(x, mean)), 0) : runningVar;\n' +
      "  const std = tf.sqrt(tf.add(runningVar, eps)) as tf.Tensor1D;",
  },
  {
    id: "bn-mode-ignored",
    file: "batchnorm.ts",
    mistake: "test mode normalises with the batch's statistics too",
    from: '  const mean = mode === "train" ? tf.mean(x, 0) : runningMean;\n' +
      "  const centred = tf.sub(x, mean) as tf.Tensor2D;\n" +
      '  const variance = mode === "train" ? tf.mean(tf.square(centred), 0) : runningVar;',
    to: "  const mean = tf.mean(x, 0);\n" +
      "  const centred = tf.sub(x, mean) as tf.Tensor2D;\n" +
      "  const variance = tf.mean(tf.square(centred), 0);",
  },
  {
    id: "bn-test-mode-updates-running-statistics",
    file: "batchnorm.ts",
    mistake: "test mode still moves the running mean towards the batch's",
    from: 'if (mode === "test") return [out, cache, state];',
    to: 'if (mode === "test") {\n' +
      "    const moved = tf.add(tf.mul(momentum, runningMean), tf.mul(1 - momentum, tf.mean(x, 0)));\n" +
      "    return [out, cache, { runningMean: moved as tf.Tensor1D, runningVar }];\n" +
      "  }",
  },
  {
    id: "bn-running-statistics-not-returned",
    file: "batchnorm.ts",
    mistake: "train mode computes the new running statistics but returns the old state",
    from: "return [out, cache, nextState];",
    to: "return [out, cache, state];",
  },
  {
    id: "bn-momentum-swapped",
    file: "batchnorm.ts",
    mistake: "momentum weights the batch, 1 − momentum the running statistic",
    from: "tf.add(tf.mul(momentum, runningMean), tf.mul(1 - momentum, mean))",
    to: "tf.add(tf.mul(1 - momentum, runningMean), tf.mul(momentum, mean))",
  },
  {
    id: "bn-running-var-unbiased",
    file: "batchnorm.ts",
    mistake: "the running variance from the unbiased (N − 1) batch variance, as PyTorch keeps it",
    from: "tf.mul(1 - momentum, variance)",
    to: "tf.mul(((1 - momentum) * x.shape[0]) / (x.shape[0] - 1), variance)",
  },
  {
    id: "bn-running-std",
    file: "batchnorm.ts",
    mistake: "the running statistic kept is the std, not the variance",
    from: "tf.mul(1 - momentum, variance)",
    to: "tf.mul(1 - momentum, std)",
  },
  {
    id: "bn-forgets-beta",
    file: "batchnorm.ts",
    mistake: "out = γ·x̂, without + β",
    from: "  const out = tf.add(tf.mul(gamma, xhat), beta) as tf.Tensor2D;\n  const cache = {",
    to: "  const out = tf.mul(gamma, xhat) as tf.Tensor2D;\n  const cache = {",
  },
  // batchnorm.ts, backward through the graph (Task 2)
  {
    id: "bn-graph-drops-variance-path",
    file: "batchnorm.ts",
    mistake: "the graph's backward forgets the path from centred through σ²",
    from: "const dcentred = tf.add(dcentredDirect, dcentredViaVariance);",
    to: "const dcentred = dcentredDirect;",
  },
  {
    id: "bn-graph-drops-mean-path",
    file: "batchnorm.ts",
    mistake: "the graph's backward forgets the path from x through μ",
    from: "const dx = tf.add(dcentred, tf.div(dmean, n)) as tf.Tensor2D;",
    to: "const dx = dcentred as tf.Tensor2D;",
  },
  {
    id: "bn-graph-drops-both-statistics",
    file: "batchnorm.ts",
    mistake: "the graph's backward treats μ and σ² as constants: dx = dx̂ / std",
    from: "const dx = tf.add(dcentred, tf.div(dmean, n)) as tf.Tensor2D;",
    to: "const dx = dcentredDirect as tf.Tensor2D;",
  },
  {
    id: "bn-graph-inverse-sign",
    file: "batchnorm.ts",
    mistake: "d(1/s)/ds taken as +1/s²",
    from: "const dstd = tf.div(tf.neg(dinvStd), tf.square(std));",
    to: "const dstd = tf.div(dinvStd, tf.square(std));",
  },
  {
    id: "bn-graph-sqrt-derivative",
    file: "batchnorm.ts",
    mistake: "d√v/dv taken as 1/√v, without the ½",
    from: "const dvariance = tf.div(dstd, tf.mul(2, std));",
    to: "const dvariance = tf.div(dstd, std);",
  },
  {
    id: "bn-graph-mean-gate-averages",
    file: "batchnorm.ts",
    mistake: "dμ as the mean of d(centred) over the batch, then divided by N again",
    from: "const dmean = tf.neg(tf.sum(dcentred, 0));",
    to: "const dmean = tf.neg(tf.mean(dcentred, 0));",
  },
  {
    id: "bn-graph-dinvstd-not-summed",
    file: "batchnorm.ts",
    mistake: "d(invStd) left per example instead of summed over the batch",
    from: "const dinvStd = tf.sum(tf.mul(dxhat, centred), 0);",
    to: "const dinvStd = tf.mean(tf.mul(dxhat, centred), 0);",
  },
  {
    id: "bn-graph-forgets-gamma",
    file: "batchnorm.ts",
    mistake: "dx̂ = dout, forgetting the scale γ",
    from: "const dxhat = tf.mul(dout, gamma);\n  const dcentredDirect",
    to: "const dxhat = dout;\n  const dcentredDirect",
  },
  {
    id: "bn-graph-dgamma-without-xhat",
    file: "batchnorm.ts",
    mistake: "dγ = Σ dout, as if γ were a bias",
    from: "  const n = centred.shape[0];\n  const dbeta = tf.sum(dout, 0) as tf.Tensor1D;\n" +
      "  const dgamma = tf.sum(tf.mul(dout, xhat), 0) as tf.Tensor1D;",
    to: "  const n = centred.shape[0];\n  const dbeta = tf.sum(dout, 0) as tf.Tensor1D;\n" +
      "  const dgamma = tf.sum(dout, 0) as tf.Tensor1D;",
  },
  // batchnorm.ts, backward in closed form (Task 2)
  {
    id: "bn-closed-drops-statistics-terms",
    file: "batchnorm.ts",
    mistake: "the closed form without the terms through μ and σ²: dx = γ·dout/std",
    from: "const dx = tf.mul(tf.div(invStd, n), inner) as tf.Tensor2D;",
    to: "const dx = tf.mul(invStd, dxhat) as tf.Tensor2D;",
  },
  {
    id: "bn-closed-forgets-xhat-factor",
    file: "batchnorm.ts",
    mistake: "the last term Σ(dx̂·x̂) without its factor x̂",
    from: "    tf.mul(xhat, tf.sum(tf.mul(dxhat, xhat), 0)),",
    to: "    tf.sum(tf.mul(dxhat, xhat), 0),",
  },
  {
    id: "bn-closed-forgets-one-over-n",
    file: "batchnorm.ts",
    mistake: "invStd/N written invStd",
    from: "const dx = tf.mul(tf.div(invStd, n), inner) as tf.Tensor2D;",
    to: "const dx = tf.mul(invStd, inner) as tf.Tensor2D;",
  },
  {
    id: "bn-closed-forgets-gamma",
    file: "batchnorm.ts",
    mistake: "dx̂ = dout in the closed form, forgetting γ",
    from:
      "const dxhat = tf.mul(dout, gamma);\n  const inner = tf.sub(\n    tf.sub(tf.mul(n, dxhat)",
    to: "const dxhat = dout;\n  const inner = tf.sub(\n    tf.sub(tf.mul(n, dxhat)",
  },
  {
    id: "bn-closed-sum-over-features",
    file: "batchnorm.ts",
    mistake: "Σ dx̂ over the features (axis 1) instead of the batch",
    from: "tf.sub(tf.mul(n, dxhat), tf.sum(dxhat, 0)),",
    to: "tf.sub(tf.mul(n, dxhat), tf.sum(dxhat, 1, true)),",
  },
  // layernorm.ts (Task 3)
  {
    id: "ln-statistics-over-batch",
    file: "layernorm.ts",
    mistake: "layernorm with batchnorm's axis: statistics over the batch",
    from: "  const mean = tf.mean(x, 1, true);\n  const centred = tf.sub(x, mean);\n" +
      "  const variance = tf.mean(tf.square(centred), 1, true);",
    to: "  const mean = tf.mean(x, 0, true);\n  const centred = tf.sub(x, mean);\n" +
      "  const variance = tf.mean(tf.square(centred), 0, true);",
  },
  {
    id: "ln-variance-d-minus-1",
    file: "layernorm.ts",
    mistake: "each example's variance divided by D − 1",
    from: "const variance = tf.mean(tf.square(centred), 1, true);",
    to: "const variance = tf.div(tf.sum(tf.square(centred), 1, true), x.shape[1] - 1);",
  },
  {
    id: "ln-eps-outside-sqrt",
    file: "layernorm.ts",
    mistake: "ε added after the square root",
    from: "const invStd = tf.rsqrt(tf.add(variance, eps)) as tf.Tensor2D;",
    to: "const invStd = tf.div(1, tf.add(tf.sqrt(variance), eps)) as tf.Tensor2D;",
  },
  {
    id: "ln-forgets-gamma",
    file: "layernorm.ts",
    mistake: "out = x̂ + β, forgetting γ",
    from: "const out = tf.add(tf.mul(gamma, xhat), beta) as tf.Tensor2D;",
    to: "const out = tf.add(xhat, beta) as tf.Tensor2D;",
  },
  {
    id: "ln-backward-sums-over-batch",
    file: "layernorm.ts",
    mistake: "dx's sums over the batch (batchnorm's axis) instead of the features",
    from: "tf.sub(tf.mul(d, dxhat), tf.sum(dxhat, 1, true)),\n" +
      "    tf.mul(xhat, tf.sum(tf.mul(dxhat, xhat), 1, true)),",
    to: "tf.sub(tf.mul(d, dxhat), tf.sum(dxhat, 0)),\n" +
      "    tf.mul(xhat, tf.sum(tf.mul(dxhat, xhat), 0)),",
  },
  {
    id: "ln-backward-divides-by-n",
    file: "layernorm.ts",
    mistake: "copied from batchnorm: D taken as the number of examples",
    from: "const d = xhat.shape[1];",
    to: "const d = xhat.shape[0];",
  },
  {
    id: "ln-backward-drops-statistics-terms",
    file: "layernorm.ts",
    mistake: "dx = γ·dout/std, ignoring the example's mean and variance",
    from: "const dx = tf.mul(tf.div(invStd, d), inner) as tf.Tensor2D;",
    to: "const dx = tf.mul(invStd, dxhat) as tf.Tensor2D;",
  },
  {
    id: "ln-backward-dgamma-without-xhat",
    file: "layernorm.ts",
    mistake: "dγ = Σ dout, as if γ were a bias",
    from: "const dgamma = tf.sum(tf.mul(dout, xhat), 0) as tf.Tensor1D;",
    to: "const dgamma = tf.sum(dout, 0) as tf.Tensor1D;",
  },
  // fc_net.ts (Task 4)
  {
    id: "net-running-statistics-dropped",
    file: "fc_net.ts",
    mistake: "the net never keeps the state batchnormForward returns",
    from: "      nextState[`runningMean${l}`] = next.runningMean;\n" +
      "      nextState[`runningVar${l}`] = next.runningVar;\n",
    to: "",
  },
  {
    id: "net-always-train-mode",
    file: "fc_net.ts",
    mistake: "the net calls batchnorm in train mode whatever its mode",
    from: "batchnormForward(a, gamma, beta, mode, running, { eps, momentum })",
    to: 'batchnormForward(a, gamma, beta, "train", running, { eps, momentum })',
  },
  {
    id: "net-batchnorm-default-options",
    file: "fc_net.ts",
    mistake: "the net passes neither ε nor the momentum on to batchnorm",
    from: "batchnormForward(a, gamma, beta, mode, running, { eps, momentum })",
    to: "batchnormForward(a, gamma, beta, mode, running)",
  },
  {
    id: "net-layernorm-default-eps",
    file: "fc_net.ts",
    mistake: "the net does not pass ε on to layernorm",
    from: "layernormForward(a, gamma, beta, { eps })",
    to: "layernormForward(a, gamma, beta)",
  },
  {
    id: "net-mutates-state",
    file: "fc_net.ts",
    mistake: "the new running statistics are written into the state given",
    from: "const nextState: FcNetState = { ...state };",
    to: "const nextState: FcNetState = state;",
  },
  {
    id: "net-norm-after-relu",
    file: "fc_net.ts",
    mistake: "affine → ReLU → norm instead of affine → norm → ReLU",
    from: "const [normed, norm] = normForward(l, a);\n    const [out, relu] = reluForward(normed);",
    to: "const [activated, relu] = reluForward(a);\n" +
      "    const [out, norm] = normForward(l, activated as tf.Tensor2D);",
  },
  {
    id: "net-no-gamma-beta-gradients",
    file: "fc_net.ts",
    mistake: "the backward pass leaves out γ's and β's gradients",
    from: "      grads[`gamma${l}`] = dgamma;\n      grads[`beta${l}`] = dbeta;\n",
    to: "",
  },
  {
    id: "net-backward-skips-norm",
    file: "fc_net.ts",
    mistake: "the backward pass goes from the ReLU straight to the affine layer",
    from: "      da = dx;\n",
    to: "",
  },
  {
    id: "net-backward-skips-relu",
    file: "fc_net.ts",
    mistake: "the backward pass forgets the ReLU",
    from: "let da = reluBackward(dh, relu).dx as tf.Tensor2D;",
    to: "let da = dh;",
  },
  // fold.ts (Task 5)
  {
    id: "fold-eps-outside-sqrt",
    file: "fold.ts",
    mistake: "σ = √runningVar + ε",
    from: "tf.sqrt(tf.add(state.runningVar, eps))",
    to: "tf.add(tf.sqrt(state.runningVar), eps)",
  },
  {
    id: "fold-variance-not-std",
    file: "fold.ts",
    mistake: "divides by the variance, not the std",
    from: "tf.sqrt(tf.add(state.runningVar, eps))",
    to: "tf.add(state.runningVar, eps)",
  },
  {
    id: "fold-bias-forgets-mean",
    file: "fold.ts",
    mistake: "b′ = b·γ/σ + β, forgetting − runningMean",
    from: "tf.mul(tf.sub(affine.b, state.runningMean), scale)",
    to: "tf.mul(affine.b, scale)",
  },
  {
    id: "fold-bias-forgets-beta",
    file: "fold.ts",
    mistake: "b′ without + β",
    from: "tf.add(tf.mul(tf.sub(affine.b, state.runningMean), scale), beta)",
    to: "tf.mul(tf.sub(affine.b, state.runningMean), scale)",
  },
  {
    id: "fold-bias-unscaled",
    file: "fold.ts",
    mistake: "b′ = b − runningMean + β, the bias not scaled by γ/σ",
    from: "tf.add(tf.mul(tf.sub(affine.b, state.runningMean), scale), beta)",
    to: "tf.add(tf.sub(affine.b, state.runningMean), beta)",
  },
];
