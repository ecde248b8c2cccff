/**
 * Realistic wrong answers to assignment 2, for `deno task mutants`: each must
 * fail at least one test of its file. See instructor/mutants.ts.
 */
import type { Mutant } from "../../instructor/mutants.ts";

export const MUTANTS: Mutant[] = [
  // optim.ts
  {
    id: "sgd-ascends",
    file: "optim.ts",
    mistake: "SGD adds the gradient",
    from: "return [tf.sub(w, tf.mul(config.learningRate, dw)), config];",
    to: "return [tf.add(w, tf.mul(config.learningRate, dw)), config];",
  },
  {
    id: "momentum-velocity-not-kept",
    file: "optim.ts",
    mistake: "momentum returns the old config, so the velocity never builds up",
    from: `  const v = tf.sub(tf.mul(momentum, velocity), tf.mul(learningRate, dw));
  return [tf.add(w, v), { ...config, velocity: v }];`,
    to: `  const v = tf.sub(tf.mul(momentum, velocity), tf.mul(learningRate, dw));
  return [tf.add(w, v), config];`,
  },
  {
    id: "momentum-adds-gradient-to-velocity",
    file: "optim.ts",
    mistake: "v = μv + lr·dw (sign flipped inside the velocity), then w − v",
    from: `  const v = tf.sub(tf.mul(momentum, velocity), tf.mul(learningRate, dw));
  return [tf.add(w, v), { ...config, velocity: v }];`,
    to: `  const v = tf.add(tf.mul(momentum, velocity), tf.mul(learningRate, dw));
  return [tf.sub(w, v), { ...config, velocity: tf.neg(v) }];`,
  },
  {
    id: "momentum-dampened",
    file: "optim.ts",
    mistake: "momentum as an average: v = μv − (1 − μ)·lr·dw",
    from: "const v = tf.sub(tf.mul(momentum, velocity), tf.mul(learningRate, dw));\n  return",
    to:
      "const v = tf.sub(tf.mul(momentum, velocity), tf.mul((1 - momentum) * learningRate, dw));\n  return",
  },
  {
    id: "lookahead-gradient-at-x",
    file: "optim.ts",
    mistake: "Nesterov's look-ahead form evaluates the gradient at x, not at x + μv",
    from: "tf.mul(learningRate, gradient(lookahead))",
    to: "tf.mul(learningRate, gradient(x))",
  },
  {
    id: "nesterov-forgets-correction",
    file: "optim.ts",
    mistake: "Nesterov's rewritten form as plain momentum: w + v",
    from: "const next = tf.add(tf.sub(w, tf.mul(momentum, previous)), tf.mul(1 + momentum, v));",
    to: "const next = tf.add(w, v);",
  },
  {
    id: "nesterov-sign-of-correction",
    file: "optim.ts",
    mistake: "Nesterov's rewritten form: w + μ·v_prev + (1 + μ)·v",
    from: "const next = tf.add(tf.sub(w, tf.mul(momentum, previous)), tf.mul(1 + momentum, v));",
    to: "const next = tf.add(tf.add(w, tf.mul(momentum, previous)), tf.mul(1 + momentum, v));",
  },
  {
    id: "adagrad-eps-inside-sqrt",
    file: "optim.ts",
    mistake: "AdaGrad with ε inside the square root",
    from:
      "const cache = tf.add(previous, tf.square(dw));\n  const step = tf.div(tf.mul(learningRate, dw), tf.add(tf.sqrt(cache), epsilon));",
    to:
      "const cache = tf.add(previous, tf.square(dw));\n  const step = tf.div(tf.mul(learningRate, dw), tf.sqrt(tf.add(cache, epsilon)));",
  },
  {
    id: "adagrad-cache-not-accumulated",
    file: "optim.ts",
    mistake: "AdaGrad's cache is this step's dw² only, never accumulated",
    from: "const cache = tf.add(previous, tf.square(dw));",
    to: "const cache = tf.square(dw);",
  },
  {
    id: "adagrad-cache-of-abs",
    file: "optim.ts",
    mistake: "AdaGrad accumulates |dw| instead of dw²",
    from: "const cache = tf.add(previous, tf.square(dw));",
    to: "const cache = tf.add(previous, tf.abs(dw));",
  },
  {
    id: "rmsprop-decay-swapped",
    file: "optim.ts",
    mistake: "RMSProp weights the new dw² by the decay rate and the old cache by 1 − decay",
    from:
      "const cache = tf.add(tf.mul(decayRate, previous), tf.mul(1 - decayRate, tf.square(dw)));",
    to: "const cache = tf.add(tf.mul(1 - decayRate, previous), tf.mul(decayRate, tf.square(dw)));",
  },
  {
    id: "rmsprop-no-sqrt",
    file: "optim.ts",
    mistake: "RMSProp divides by the cache, not its square root",
    from:
      `  const cache = tf.add(tf.mul(decayRate, previous), tf.mul(1 - decayRate, tf.square(dw)));
  const step = tf.div(tf.mul(learningRate, dw), tf.add(tf.sqrt(cache), epsilon));`,
    to: `  const cache = tf.add(tf.mul(decayRate, previous), tf.mul(1 - decayRate, tf.square(dw)));
  const step = tf.div(tf.mul(learningRate, dw), tf.add(cache, epsilon));`,
  },
  {
    id: "adam-no-bias-correction",
    file: "optim.ts",
    mistake: "Adam without bias correction",
    from: "const mHat = tf.div(m, 1 - beta1 ** t);\n  const vHat = tf.div(v, 1 - beta2 ** t);",
    to: "const mHat = m;\n  const vHat = v;",
  },
  {
    id: "adam-t-from-zero",
    file: "optim.ts",
    mistake: "Adam corrects with t before incrementing it (t = 0 on the first step)",
    from: "const t = (config.t ?? 0) + 1;",
    to: "const t = (config.t ?? 1);",
  },
  {
    id: "adam-t-not-saved",
    file: "optim.ts",
    mistake: "Adam increments t but does not keep it, so every step corrects as the first",
    from: "return [tf.sub(w, step), { ...config, m, v, t }];",
    to: "return [tf.sub(w, step), { ...config, m, v }];",
  },
  {
    id: "adam-v-of-dw-not-squared",
    file: "optim.ts",
    mistake: "Adam's second moment averages dw, not dw²",
    from: "tf.mul(1 - beta2, tf.square(dw))",
    to: "tf.mul(1 - beta2, tf.abs(dw))",
  },
  {
    id: "adam-eps-inside-sqrt",
    file: "optim.ts",
    mistake: "Adam with ε inside the square root",
    from: "tf.add(tf.sqrt(vHat), epsilon)",
    to: "tf.sqrt(tf.add(vHat, epsilon))",
  },
  {
    id: "adam-beta-swapped",
    file: "optim.ts",
    mistake: "Adam corrects m with β2 and v with β1",
    from: "const mHat = tf.div(m, 1 - beta1 ** t);\n  const vHat = tf.div(v, 1 - beta2 ** t);",
    to: "const mHat = tf.div(m, 1 - beta2 ** t);\n  const vHat = tf.div(v, 1 - beta1 ** t);",
  },
  {
    id: "rmsprop-cache-not-kept",
    file: "optim.ts",
    mistake: "RMSProp does not return its cache, so it restarts from zero each step",
    from:
      `  const cache = tf.add(tf.mul(decayRate, previous), tf.mul(1 - decayRate, tf.square(dw)));
  const step = tf.div(tf.mul(learningRate, dw), tf.add(tf.sqrt(cache), epsilon));
  return [tf.sub(w, step), { ...config, cache }];`,
    to: `  const cache = tf.add(tf.mul(decayRate, previous), tf.mul(1 - decayRate, tf.square(dw)));
  const step = tf.div(tf.mul(learningRate, dw), tf.add(tf.sqrt(cache), epsilon));
  return [tf.sub(w, step), config];`,
  },
  {
    id: "nesterov-keeps-old-velocity",
    file: "optim.ts",
    mistake: "Nesterov's rewritten form stores the previous velocity, not the new one",
    from: "return [next, { ...config, velocity: v }];",
    to: "return [next, { ...config, velocity: previous }];",
  },
  {
    id: "lookahead-returns-lookahead",
    file: "optim.ts",
    mistake: "Nesterov's look-ahead form steps from the look-ahead point",
    from: "  return [tf.add(x, v), { ...config, velocity: v }];",
    to: "  return [tf.add(lookahead, v), { ...config, velocity: v }];",
  },
  // schedules.ts
  {
    id: "step-decay-every-epoch",
    file: "schedules.ts",
    mistake: "step decay applies the factor every epoch, ignoring `every`",
    from: "initialRate * factor ** Math.floor(epoch / every)",
    to: "initialRate * factor ** epoch",
  },
  {
    id: "step-decay-round",
    file: "schedules.ts",
    mistake: "step decay rounds epoch / every instead of flooring it",
    from: "initialRate * factor ** Math.floor(epoch / every)",
    to: "initialRate * factor ** Math.round(epoch / every)",
  },
  {
    id: "exp-decay-sign",
    file: "schedules.ts",
    mistake: "exponential decay e^(k·epoch): the rate grows",
    from: "initialRate * Math.exp(-k * epoch)",
    to: "initialRate * Math.exp(k * epoch)",
  },
  {
    id: "inverse-time-no-one",
    file: "schedules.ts",
    mistake: "inverse-time decay initialRate / (k·epoch), forgetting the 1 +",
    from: "initialRate / (1 + k * epoch)",
    to: "initialRate / Math.max(1, k * epoch)",
  },
];
