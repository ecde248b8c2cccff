/**
 * Realistic wrong answers to assignment 4, for `deno task mutants`: each must
 * fail at least one test of its file. See instructor/mutants.ts.
 */
import type { Mutant } from "../../instructor/mutants.ts";

const MASK = 'const mask = tf.div(tf.cast(tf.less(u, p), "float32"), p);';

export const MUTANTS: Mutant[] = [
  // dropout.ts, forward (Task 1)
  {
    id: "dropout-p-drops",
    file: "dropout.ts",
    mistake: "p used as the probability of dropping a unit, not of keeping it",
    from: MASK,
    to: 'const mask = tf.div(tf.cast(tf.less(u, 1 - p), "float32"), 1 - p);',
  },
  {
    id: "dropout-keeps-above-p",
    file: "dropout.ts",
    mistake: "keeps a unit where u > p (so with probability 1 − p), rescaled by 1/p",
    from: MASK,
    to: 'const mask = tf.div(tf.cast(tf.greater(u, p), "float32"), p);',
  },
  {
    id: "dropout-no-rescale",
    file: "dropout.ts",
    mistake: "forgets the inverted scaling: kept units are not divided by p",
    from: MASK,
    to: 'const mask = tf.cast(tf.less(u, p), "float32");',
  },
  {
    id: "dropout-rescale-by-p",
    file: "dropout.ts",
    mistake: "multiplies the kept units by p instead of dividing",
    from: MASK,
    to: 'const mask = tf.mul(tf.cast(tf.less(u, p), "float32"), p);',
  },
  {
    id: "dropout-test-time-scaling-too",
    file: "dropout.ts",
    mistake:
      "scales by p at test time as well (vanilla dropout's test rule, on top of the inverted one)",
    from: 'if (mode === "test") return [x, { mask: null }];',
    to: 'if (mode === "test") return [tf.mul(x, p), { mask: null }];',
  },
  {
    id: "dropout-mode-ignored",
    file: "dropout.ts",
    mistake: "drops units in test mode too",
    from: '  if (mode === "test") return [x, { mask: null }];\n',
    to: "",
  },
  {
    id: "dropout-mask-per-feature",
    file: "dropout.ts",
    mistake: "one mask row shared by every example of the batch",
    from: "const u = randu(rng!, x.shape);",
    to: "const u = randu(rng!, [x.shape[x.rank - 1]]);",
  },
  {
    id: "dropout-mask-redrawn-for-backward",
    file: "dropout.ts",
    mistake: "the cache gets a second, freshly drawn mask, not the one the forward pass used",
    from: "return [tf.mul(x, mask), { mask }];",
    to: "return [\n" +
      "    tf.mul(x, mask),\n" +
      '    { mask: tf.div(tf.cast(tf.less(randu(rng!, x.shape), p), "float32"), p) },\n' +
      "  ];",
  },
  {
    id: "dropout-test-mode-draws",
    file: "dropout.ts",
    mistake: "draws the mask before looking at the mode, so test mode consumes random numbers",
    from: '  if (mode === "test") return [x, { mask: null }];\n  const u = randu(rng!, x.shape);',
    to: "  const u = randu(rng!, x.shape);\n" +
      '  if (mode === "test") return [x, { mask: null }];',
  },
  // dropout.ts, backward (Task 1)
  {
    id: "dropout-backward-ignores-mask",
    file: "dropout.ts",
    mistake: "backward passes dout through unchanged in train mode",
    from: "return { dx: cache.mask === null ? dout : tf.mul(dout, cache.mask) };",
    to: "return { dx: dout };",
  },
  {
    id: "dropout-backward-forgets-rescale",
    file: "dropout.ts",
    mistake: "backward multiplies by the 0/1 pattern, forgetting the 1/p",
    from: "return { dx: cache.mask === null ? dout : tf.mul(dout, cache.mask) };",
    to: "return { dx: cache.mask === null ? dout : tf.mul(dout, tf.sign(cache.mask)) };",
  },
  // fc_net.ts (Task 2)
  {
    id: "net-dropout-always-train",
    file: "fc_net.ts",
    mistake: "the net's dropout layers always run in train mode",
    from: "dropoutForward(activated, keepProbability, mode, rng);",
    to: 'dropoutForward(activated, keepProbability, "train", rng);',
  },
  {
    id: "net-dropout-output-unused",
    file: "fc_net.ts",
    mistake: "the dropout layer's output is computed but the next layer reads the ReLU's",
    from: "    h = dropped;\n",
    to: "    h = activated;\n",
  },
  {
    id: "net-dropout-before-normalisation",
    file: "fc_net.ts",
    mistake: "dropout on the affine layer's output, before the normalisation",
    from: "    const [normed, norm] = normForward(l, a);\n" +
      "    const [activated, relu] = reluForward(normed);\n" +
      "    if (keepProbability === undefined) {\n" +
      "      hidden.push({ affine, norm, relu });\n" +
      "      h = activated;\n" +
      "      continue;\n" +
      "    }\n" +
      "    const [dropped, dropout] = dropoutForward(activated, keepProbability, mode, rng);\n" +
      "    hidden.push({ affine, norm, relu, dropout });\n" +
      "    h = dropped;",
    to: "    const [dropped, dropout] = keepProbability === undefined\n" +
      "      ? [a, undefined]\n" +
      "      : dropoutForward(a, keepProbability, mode, rng);\n" +
      "    const [normed, norm] = normForward(l, dropped as tf.Tensor2D);\n" +
      "    const [activated, relu] = reluForward(normed);\n" +
      "    hidden.push({ affine, norm, relu, dropout });\n" +
      "    h = activated;",
  },
  {
    id: "net-dropout-backward-skipped",
    file: "fc_net.ts",
    mistake: "the backward pass forgets the dropout layers",
    from: "    if (dropout) dh = dropoutBackward(dh, dropout).dx as tf.Tensor2D;\n",
    to: "",
  },
  {
    id: "net-batchnorm-always-train",
    file: "fc_net.ts",
    mistake: "batchnorm is always run in train mode (the mode is only given to dropout)",
    from: "batchnormForward(a, gamma, beta, mode, running, { eps, momentum });",
    to: 'batchnormForward(a, gamma, beta, "train", running, { eps, momentum });',
  },
  // regularizers.ts (Task 3)
  {
    id: "l2-without-half",
    file: "regularizers.ts",
    mistake: "L2 penalty reg·Σw² with the gradient of ½·reg·Σw²",
    from: "tf.mul(0.5 * reg, tf.sum(tf.square(w)))",
    to: "tf.mul(reg, tf.sum(tf.square(w)))",
  },
  {
    id: "l2-without-half-consistent",
    file: "regularizers.ts",
    mistake: "L2 penalty reg·Σw², its gradient 2·reg·w: consistent, but not the stated formula",
    from:
      "    terms.push(tf.add(tf.mul(0.5 * reg, tf.sum(tf.square(w))), tf.mul(l1, tf.sum(tf.abs(w)))));\n" +
      "    grads[name] = tf.add(tf.mul(reg, w), tf.mul(l1, tf.sign(w)));",
    to:
      "    terms.push(tf.add(tf.mul(reg, tf.sum(tf.square(w))), tf.mul(l1, tf.sum(tf.abs(w)))));\n" +
      "    grads[name] = tf.add(tf.mul(2 * reg, w), tf.mul(l1, tf.sign(w)));",
  },
  {
    id: "l1-gradient-without-sign",
    file: "regularizers.ts",
    mistake: "the L1 gradient as l1 everywhere, forgetting sign(w)",
    from: "tf.mul(l1, tf.sign(w))",
    to: "tf.fill(w.shape, l1)",
  },
  {
    id: "l1-gradient-as-w-over-abs",
    file: "regularizers.ts",
    mistake: "sign(w) written as w/|w|, NaN at w = 0",
    from: "tf.mul(l1, tf.sign(w))",
    to: "tf.mul(l1, tf.div(w, tf.abs(w)))",
  },
  {
    id: "l1-gradient-like-l2",
    file: "regularizers.ts",
    mistake: "the L1 gradient as l1·w",
    from: "tf.mul(l1, tf.sign(w))",
    to: "tf.mul(l1, w)",
  },
  {
    id: "penalty-on-every-parameter",
    file: "regularizers.ts",
    mistake: "penalises biases, γ and β too",
    from: "    if (!isWeight(name)) continue;\n",
    to: "",
  },
  {
    id: "penalty-first-layer-only",
    file: "regularizers.ts",
    mistake: "stops after the first weight matrix",
    from: "    grads[name] = tf.add(tf.mul(reg, w), tf.mul(l1, tf.sign(w)));\n",
    to: "    grads[name] = tf.add(tf.mul(reg, w), tf.mul(l1, tf.sign(w)));\n    break;\n",
  },
  {
    id: "penalty-strengths-swapped",
    file: "regularizers.ts",
    mistake: "reg and l1 swapped in the gradient",
    from: "grads[name] = tf.add(tf.mul(reg, w), tf.mul(l1, tf.sign(w)));",
    to: "grads[name] = tf.add(tf.mul(l1, w), tf.mul(reg, tf.sign(w)));",
  },
  {
    id: "max-norm-over-rows",
    file: "regularizers.ts",
    mistake: "the norm of each row (a unit's outgoing weights) instead of each column",
    from: "const norms = tf.sqrt(tf.sum(tf.square(w), 0));",
    to: "const norms = tf.sqrt(tf.sum(tf.square(w), 1, true));",
  },
  {
    id: "max-norm-rescales-every-unit",
    file: "regularizers.ts",
    mistake: "scales every column to norm c, including those already under it",
    from: "tf.minimum(1, tf.div(c, norms))",
    to: "tf.div(c, norms)",
  },
  {
    id: "max-norm-maximum",
    file: "regularizers.ts",
    mistake: "max instead of min: stretches the small columns, leaves the large ones",
    from: "tf.minimum(1, tf.div(c, norms))",
    to: "tf.maximum(1, tf.div(c, norms))",
  },
  {
    id: "max-norm-squared",
    file: "regularizers.ts",
    mistake: "compares the squared norm with c",
    from: "const norms = tf.sqrt(tf.sum(tf.square(w), 0));",
    to: "const norms = tf.sum(tf.square(w), 0);",
  },
  {
    id: "max-norm-clips-entries",
    file: "regularizers.ts",
    mistake: "clips each weight to [−c, c] instead of each unit's norm",
    from: "  const norms = tf.sqrt(tf.sum(tf.square(w), 0));\n" +
      "  return tf.mul(w, tf.minimum(1, tf.div(c, norms))) as tf.Tensor2D;",
    to: "  return tf.clipByValue(w, -c, c) as tf.Tensor2D;",
  },
  // ensemble.ts (Task 4)
  {
    id: "ensemble-averages-scores",
    file: "ensemble.ts",
    mistake: "averages the members' scores, then takes one softmax",
    from: "  const probabilities = scores.map((s) => {\n" +
      "    const shifted = tf.sub(s, tf.max(s, 1, true));\n" +
      "    const e = tf.exp(shifted);\n" +
      "    return tf.div(e, tf.sum(e, 1, true));\n" +
      "  });\n" +
      "  return tf.div(tf.addN(probabilities), scores.length) as tf.Tensor2D;",
    to: "  const s = tf.div(tf.addN([...scores]), scores.length);\n" +
      "  const e = tf.exp(tf.sub(s, tf.max(s, 1, true)));\n" +
      "  return tf.div(e, tf.sum(e, 1, true)) as tf.Tensor2D;",
  },
  {
    id: "ensemble-softmax-over-examples",
    file: "ensemble.ts",
    mistake: "the softmax normalises over the examples (axis 0)",
    from: "return tf.div(e, tf.sum(e, 1, true));",
    to: "return tf.div(e, tf.sum(e, 0, true));",
  },
  {
    id: "ensemble-no-max-subtracted",
    file: "ensemble.ts",
    mistake: "exp of the raw scores: large scores overflow",
    from: "const shifted = tf.sub(s, tf.max(s, 1, true));",
    to: "const shifted = s;",
  },
  {
    id: "ensemble-sum-not-mean",
    file: "ensemble.ts",
    mistake: "sums the members' probabilities without dividing by their number",
    from: "return tf.div(tf.addN(probabilities), scores.length) as tf.Tensor2D;",
    to: "return tf.addN(probabilities) as tf.Tensor2D;",
  },
  {
    id: "ensemble-geometric-mean",
    file: "ensemble.ts",
    mistake: "averages the log-probabilities (a geometric mean, not normalised)",
    from: "return tf.div(tf.addN(probabilities), scores.length) as tf.Tensor2D;",
    to:
      "return tf.exp(tf.div(tf.addN(probabilities.map((q) => tf.log(q))), scores.length)) as tf.Tensor2D;",
  },
  {
    id: "ensemble-majority-vote",
    file: "ensemble.ts",
    mistake: "averages one-hot votes instead of probabilities",
    from: "    return tf.div(e, tf.sum(e, 1, true));",
    to: "    return tf.oneHot(tf.argMax(e, 1), s.shape[1]).toFloat();",
  },
];
