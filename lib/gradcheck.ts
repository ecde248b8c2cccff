/**
 * Gradient checking: compares a hand-written backward pass with centred
 * finite differences of the forward pass, honestly, in float32.
 *
 * For a function `out = f(inputs)` and a random upstream gradient `dout`
 * (shape of `out`), the analytic gradient of input `p` is what your backward
 * pass returns for `dout`. The numeric one is
 *
 *     ∂/∂p_i Σ_j out_j·dout_j  ≈  Σ_j (out_j(p_i + h) − out_j(p_i − h))·dout_j / (2h)
 *
 * tfjs has no float64, so the checker is careful where precision is lost:
 * - the outputs are differenced element by element and summed on the host in
 *   float64, never reduced to a float32 scalar first;
 * - the step actually taken is `fround(p_i + h) − fround(p_i − h)`, not `2h`;
 * - the error is norm-wise, ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖),
 *   so one tiny coordinate's rounding noise cannot fail a correct gradient;
 * - coordinates whose ±h interval crosses a kink (ReLU at 0, a max, a hinge)
 *   are detected from the one-sided slopes, re-measured with a step ten times
 *   smaller, and left out (and counted) if the kink is closer still.
 *
 * `dout` is random even when `out` is a scalar (a loss): never exactly 1, so
 * a backward pass that ignores its upstream gradient fails. A function that
 * returns a loss's gradients itself, with no `dout` argument, is checked with
 * {@linkcode chainScalar}, which applies the chain rule for it.
 *
 * Where the backend has the kernels, the analytic gradient is also compared
 * with tfjs's own autodiff of `f`: a second, exact opinion.
 *
 * All perturbed evaluations are queued first and read back in a few batches,
 * since each read from WebGPU costs ~12 ms in Deno.
 *
 * @example Check affine_backward, CS231n-style
 * ```ts
 * import { assertGradientsMatch } from "./gradcheck.ts";
 * await assertGradientsMatch({
 *   name: "affineBackward",
 *   f: ({ x, w, b }) => affineForward(x, w, b)[0],
 *   inputs: { x, w, b },
 *   backward: (dout) => {
 *     const { dx, dw, db } = affineBackward(dout, affineForward(x, w, b)[1]);
 *     return { x: dx, w: dw, b: db };
 *   },
 * });
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { scopeAsync } from "./memory.ts";
import { readAll } from "./read.ts";
import { randn, Rng } from "./random.ts";

/** Named input tensors of the function being checked. */
export type Tensors = Record<string, tf.Tensor>;

/** What to check: a forward function, the point to check it at, and the backward pass. */
export interface GradientCheck {
  /** Shown in messages, e.g. the backward function's name. */
  name: string;
  /** The forward computation: named inputs → one output tensor of any shape. */
  f: (inputs: Tensors) => tf.Tensor;
  /** The point at which to check. Keys name the inputs in reports. */
  inputs: Tensors;
  /**
   * The analytic gradient: given `dout` (the shape of `f`'s output), the gradients of
   * Σ f(inputs)·dout with respect to some or all inputs, keyed by input name, each the
   * shape of its input. Inputs left out (labels, say) are not checked.
   */
  backward: (dout: tf.Tensor) => Tensors;
  /** Seeds `dout` and the coordinate sample. Default 0. */
  seed?: number;
  /** Check at most this many coordinates of each input, sampled with the seed. Default 400. */
  maxCoordinates?: number;
  /** Finite-difference step. Default 1e-2 (measured best for float32 at unit scale). */
  h?: number;
  /** Largest norm-wise relative error that passes. Default 2e-3. */
  tolerance?: number;
}

/** One input's verdict. */
export interface InputReport {
  input: string;
  shape: number[];
  /** ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖) over the coordinates kept. */
  relativeError: number;
  /** Same, against tfjs autodiff over all coordinates; `undefined` if autodiff could not run. */
  autodiffError?: number;
  checked: number;
  /** Coordinates left out because a kink lay within even the smaller step. */
  atKinks: number;
  /** The coordinates with the largest |analytic − numeric|, worst first. */
  worst: { index: number[]; analytic: number; numeric: number }[];
  passed: boolean;
}

/** The whole check's verdict. */
export interface GradientReport {
  name: string;
  inputs: InputReport[];
  /** Why the autodiff cross-check was skipped, if it was (e.g. a kernel missing on this backend). */
  autodiffSkipped?: string;
  tolerance: number;
  passed: boolean;
}

/** The autodiff cross-check's tolerance: both sides are exact up to float32 rounding. */
const AUTODIFF_TOLERANCE = 1e-4;
/** Float32 rounding in a computed output, in units in the last place, allowed for as noise. */
const ROUNDING_ULPS = 2;
/**
 * How much more rounding WebGPU's shaders may add
 * (WGSL allows `exp` 3 + 2·|x| ulps and `log` 3 ulps): a jump within 3·looseness times
 * the noise is smooth. Measured on 100 seeds: at 1, a softmax loss's smooth coordinates
 * were taken for kinks on 2; raising the noise estimate itself instead made narrow steps
 * too noisy for a two-layer net's small gradients on 3.
 */
function shaderLooseness(): number {
  return tf.getBackend() === "webgpu" ? 2 : 1;
}
/**
 * A coordinate is suspected of a kink when its one-sided slopes differ by more than this
 * fraction of the input's RMS gradient: the most a kink left unnoticed can add to its error is half that.
 */
const KINK_RATIO = 1e-3;

/**
 * Runs the check and returns a report; never throws for a wrong gradient
 * (see {@linkcode assertGradientsMatch}), only for unusable arguments.
 */
export function checkGradients(check: GradientCheck): Promise<GradientReport> {
  return scopeAsync(() => runCheck(check));
}

/** Runs the check and throws an Error naming the input, the worst coordinates and the error if it fails. */
export async function assertGradientsMatch(check: GradientCheck): Promise<GradientReport> {
  const report = await checkGradients(check);
  if (!report.passed) throw new Error(formatReport(report));
  return report;
}

async function runCheck(check: GradientCheck): Promise<GradientReport> {
  const { name, f, inputs } = check;
  const h = check.h ?? 1e-2;
  const tolerance = check.tolerance ?? 2e-3;
  // A fork, so that dout is independent of inputs drawn from the same seed.
  const rng = new Rng(check.seed ?? 0).fork();

  const out0 = f(inputs);
  const dout = out0.size === 1 ? scalarUpstream(rng, out0.shape) : randn(rng, out0.shape);
  const analytic = check.backward(dout);
  validateGradients(name, inputs, analytic);
  const names = Object.keys(analytic);

  const [autodiff, autodiffSkipped] = tryAutodiff(f, inputs, names, dout);
  const [doutValues, out0Values, ...rest] = await readAll([
    dout,
    out0,
    ...names.map((k) => inputs[k]),
    ...names.map((k) => analytic[k]),
    ...(autodiff ?? []),
  ]);
  const probes: Probe[] = names.map((input, k) => ({
    input,
    values: rest[k],
    coords: chooseCoordinates(rest[k].length, check.maxCoordinates ?? 400, rng),
  }));
  // Every stage measures all inputs at once: one device read per stage, not per input.
  const measure = (jobs: Job[], step: number) =>
    differences(f, inputs, jobs, step, doutValues, out0Values);

  // Stage 1: centred differences with step h, and the one-sided slopes' jump.
  const wide = await measure(probes.map((p) => ({ probe: p, coords: p.coords })), h);
  const scales = wide.map((ds) => rms(ds.map((d) => d.centred)));
  const looseness = shaderLooseness();
  const smooth = (d: Difference, k: number) =>
    Math.abs(d.jump) <= KINK_RATIO * scales[k] + 3 * looseness * d.noise;
  const numeric = probes.map(() => new Map<number, number>());
  const suspects = probes.map((p, k) => {
    const list: { i: number; wide: Difference }[] = [];
    p.coords.forEach((i, j) => {
      if (smooth(wide[k][j], k)) numeric[k].set(i, wide[k][j].centred);
      else list.push({ i, wide: wide[k][j] });
    });
    return list;
  });

  // Stage 2: a jump comes from curvature or from a kink within reach. Doubling the
  // step moves both one-sided slopes apart by half the jump where it is curvature;
  // a kink moves only one side's. (Doubling, not halving: float32 noise grows as
  // the step shrinks.) A kink moves the centred estimate by at most half the jump,
  // so a jump within twice the tolerance (relative to the input's RMS gradient) is
  // kept either way: at worst it moves that one coordinate by the tolerance. Past
  // that, keep the widest smaller step, h/4 or h/16, whose interval holds no kink.
  const doubled = await measure(
    probes.map((p, k) => ({ probe: p, coords: suspects[k].map((s) => s.i) })),
    2 * h,
  );
  let unresolved = suspects.map((list, k) =>
    list.filter(({ i, wide }, j) => {
      const harmless = Math.abs(wide.jump) <= 2 * tolerance * scales[k];
      if (!harmless && !isCurvature(wide, doubled[k][j])) return true;
      numeric[k].set(i, wide.centred);
      return false;
    }).map(({ i }) => i)
  );
  for (const step of [h / 4, h / 16]) {
    const narrow = await measure(probes.map((p, k) => ({ probe: p, coords: unresolved[k] })), step);
    unresolved = unresolved.map((list, k) =>
      list.filter((i, j) => {
        const d = narrow[k][j];
        if (!smooth(d, k) || d.noise > (tolerance / 4) * scales[k]) return true;
        numeric[k].set(i, d.centred);
        return false;
      })
    );
  }

  const reports = probes.map(({ input, coords }, k): InputReport => {
    const a = rest[names.length + k];
    const kept = [...numeric[k].keys()].sort((p, q) => p - q);
    const relativeError = normwiseError(kept.map((i) => a[i]), kept.map((i) => numeric[k].get(i)!));
    const autodiffError = autodiff
      ? normwiseError(Array.from(a), Array.from(rest[2 * names.length + k]))
      : undefined;
    const worst = kept
      .map((i) => ({ i, diff: Math.abs(a[i] - numeric[k].get(i)!) }))
      .sort((p, q) => q.diff - p.diff)
      .slice(0, 5)
      .map(({ i }) => ({
        index: unravel(i, inputs[input].shape),
        analytic: a[i],
        numeric: numeric[k].get(i)!,
      }));
    const enoughKept = kept.length >= Math.ceil(coords.length / 2);
    return {
      input,
      shape: inputs[input].shape,
      relativeError,
      autodiffError,
      checked: kept.length,
      atKinks: unresolved[k].length,
      worst,
      passed: enoughKept && relativeError <= tolerance &&
        (autodiffError === undefined || autodiffError <= AUTODIFF_TOLERANCE),
    };
  });
  return {
    name,
    inputs: reports,
    autodiffSkipped,
    tolerance,
    passed: reports.every((r) => r.passed),
  };
}

/**
 * The upstream gradient of a scalar output: far from 0 and from ±1, so that a
 * backward pass that drops it (or only its sign) is off by at least a third.
 */
function scalarUpstream(rng: Rng, shape: number[]): tf.Tensor {
  const magnitude = 1.5 + 1.5 * rng.uniform();
  return tf.fill(shape, rng.uniform() < 0.5 ? -magnitude : magnitude);
}

/**
 * The chain rule for a scalar loss whose function returns its own gradients
 * (∂loss/∂p, no `dout` argument): the gradients of loss·dout are each times `dout`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertGradientsMatch, chainScalar } from "./gradcheck.ts";
 * const w = tf.tensor([1, -2, 3]);
 * const l2 = (w: tf.Tensor) => [tf.sum(tf.square(w)), tf.mul(w, 2)] as const;
 * await assertGradientsMatch({
 *   name: "l2",
 *   f: ({ w }) => l2(w)[0],
 *   inputs: { w },
 *   backward: (dout) => chainScalar(dout, { w: l2(w)[1] }),
 * });
 * ```
 */
export function chainScalar(dout: tf.Tensor, grads: Tensors): Tensors {
  if (dout.size !== 1) {
    throw new Error(`chainScalar: dout has shape [${dout.shape}]; it is for scalar outputs only.`);
  }
  const scale = dout.reshape([]);
  return Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, scale)]));
}

function validateGradients(name: string, inputs: Tensors, grads: Tensors): void {
  if (Object.keys(grads).length === 0) {
    throw new Error(`${name}: backward returned no gradients to check.`);
  }
  for (const [k, g] of Object.entries(grads)) {
    const x = inputs[k];
    if (!x) {
      throw new Error(
        `${name}: backward returned a gradient for '${k}', but the inputs are ` +
          `${Object.keys(inputs).join(", ")}.`,
      );
    }
    if (!(g instanceof tf.Tensor)) {
      throw new Error(`${name}: the gradient for '${k}' is not a tensor (got ${typeof g}).`);
    }
    if (x.dtype !== "float32") {
      throw new Error(`${name}: input '${k}' is ${x.dtype}; only float32 inputs have gradients.`);
    }
    if (!tf.util.arraysEqual(g.shape, x.shape)) {
      throw new Error(
        `${name}: the gradient for '${k}' has shape [${g.shape}], but '${k}' has shape ` +
          `[${x.shape}]. A gradient always has the shape of what it differentiates.`,
      );
    }
  }
}

/** tfjs autodiff of Σ f·dout for the checked inputs, or why it could not run. */
function tryAutodiff(
  f: (inputs: Tensors) => tf.Tensor,
  inputs: Tensors,
  names: string[],
  dout: tf.Tensor,
): [tf.Tensor[] | undefined, string | undefined] {
  try {
    const grads = tf.grads((...xs: tf.Tensor[]) => {
      const varied = { ...inputs };
      names.forEach((k, i) => (varied[k] = xs[i]));
      return f(varied);
    })(names.map((k) => inputs[k]), dout);
    return [grads, undefined];
  } catch (e) {
    return [undefined, e instanceof Error ? e.message : String(e)];
  }
}

interface Difference {
  /** Centred estimate of ∂(Σ out·dout)/∂x_i. */
  centred: number;
  /** One-sided slopes over [x, x + h] and [x − h, x]. */
  right: number;
  left: number;
  /** Right-hand slope minus left-hand slope: ≈ h·f'' where smooth, O(1) across a kink. */
  jump: number;
  /** The float32 rounding noise expected in `jump`. */
  noise: number;
}

/** An input being checked: its name, its values, and the coordinates chosen. */
interface Probe {
  input: string;
  values: Float32Array;
  coords: number[];
}

/** Coordinates of one input to measure at some step. */
interface Job {
  probe: Probe;
  coords: number[];
}

/**
 * For each job and each of its coordinates i, evaluates Σ out·dout at x_i ± step. All
 * evaluations are queued on the device, then read back in batches of ~2M values.
 *
 * @returns one Difference per coordinate, grouped as the jobs are
 */
async function differences(
  f: (inputs: Tensors) => tf.Tensor,
  inputs: Tensors,
  jobs: Job[],
  step: number,
  dout: Float32Array,
  base: Float32Array,
): Promise<Difference[][]> {
  const result: Difference[][] = jobs.map(() => []);
  const todo = jobs.flatMap((job, k) => job.coords.map((i) => ({ k, probe: job.probe, i })));
  const batch = Math.max(1, Math.floor(2_000_000 / (2 * dout.length)));
  for (let start = 0; start < todo.length; start += batch) {
    const chunk = todo.slice(start, start + batch);
    const outs = chunk.flatMap(({ probe, i }) => [
      evaluateAt(f, inputs, probe, i, +step),
      evaluateAt(f, inputs, probe, i, -step),
    ]);
    const values = await readAll(outs);
    tf.dispose(outs);
    chunk.forEach(({ k, probe, i }, j) => {
      const x = probe.values[i];
      const plus = values[2 * j], minus = values[2 * j + 1];
      const stepUp = Math.fround(x + step) - x, stepDown = x - Math.fround(x - step);
      // Differences element by element, against the unperturbed output: outputs
      // that did not move cancel exactly and add no rounding noise.
      let up = 0, down = 0, moved = 0;
      for (let m = 0; m < dout.length; m++) {
        up += (plus[m] - base[m]) * dout[m];
        down += (base[m] - minus[m]) * dout[m];
        if (plus[m] !== base[m] || minus[m] !== base[m]) moved += (base[m] * dout[m]) ** 2;
      }
      result[k].push({
        centred: (up + down) / (stepUp + stepDown),
        right: up / stepUp,
        left: down / stepDown,
        jump: up / stepUp - down / stepDown,
        noise: ROUNDING_ULPS * 2 ** -24 * Math.sqrt(moved) * (1 / stepUp + 1 / stepDown),
      });
    });
  }
  return result;
}

/**
 * Whether going from step h to 2h moves the one-sided slopes apart by half the jump
 * at h on each side, as curvature does (f ≈ a + bt + ct²/2 has slopes b ± ct/2 over
 * [0, ±t]); a kink moves one side only. Within 25% or the rounding noise, and only
 * where the move is well above that noise.
 */
function isCurvature(atH: Difference, at2h: Difference): boolean {
  const expected = atH.jump / 2;
  const noise = atH.noise + at2h.noise;
  const allowed = 0.25 * Math.abs(expected) + noise;
  return Math.abs(expected) > 2 * noise && // else noise could hide a one-sided move
    Math.abs(at2h.right - atH.right - expected) <= allowed &&
    Math.abs(atH.left - at2h.left - expected) <= allowed;
}

/** f's output, flattened, with coordinate `index` of `probe`'s input moved by `step` (in float32). */
function evaluateAt(
  f: (inputs: Tensors) => tf.Tensor,
  inputs: Tensors,
  probe: Probe,
  index: number,
  step: number,
): tf.Tensor {
  return tf.tidy(() => {
    const moved = probe.values.slice();
    moved[index] = probe.values[index] + step;
    const varied = {
      ...inputs,
      [probe.input]: tf.tensor(moved, inputs[probe.input].shape, "float32"),
    };
    return f(varied).reshape([-1]);
  });
}

function chooseCoordinates(size: number, max: number, rng: Rng): number[] {
  if (size <= max) return Array.from({ length: size }, (_, i) => i);
  return Array.from(rng.permutation(size).subarray(0, max)).sort((p, q) => p - q);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function rms(values: number[]): number {
  return values.length ? Math.sqrt(dot(values, values) / values.length) : 0;
}

/** ‖a − n‖ / max(‖a‖, ‖n‖), or 0 when both are (float32-)zero. */
export function normwiseError(a: ArrayLike<number>, n: ArrayLike<number>): number {
  let diff = 0, na = 0, nn = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i] - n[i]) ** 2;
    na += a[i] ** 2;
    nn += n[i] ** 2;
  }
  const denominator = Math.sqrt(Math.max(na, nn));
  return denominator < 1e-30 ? 0 : Math.sqrt(diff) / denominator;
}

function unravel(flat: number, shape: number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}

/** A report as text: the verdict per input, and the worst coordinates of each that failed. */
export function formatReport(report: GradientReport): string {
  const lines = [
    `Gradient check of ${report.name} ${report.passed ? "passed" : "FAILED"} ` +
    `(norm-wise relative error must be ≤ ${report.tolerance.toExponential(0)}):`,
  ];
  for (const r of report.inputs) {
    const kinks = r.atKinks ? `, ${r.atKinks} left out at kinks` : "";
    const autodiff = r.autodiffError === undefined
      ? ""
      : `, vs tfjs autodiff ${r.autodiffError.toExponential(1)}`;
    lines.push(
      `  d${r.input} [${r.shape}]: error ${r.relativeError.toExponential(1)} over ` +
        `${r.checked} coordinates${kinks}${autodiff} — ${r.passed ? "ok" : "WRONG"}`,
    );
    if (r.passed) continue;
    if (r.atKinks > r.checked) {
      lines.push(`    most coordinates sit on kinks: check at a point away from them.`);
    }
    if (r.autodiffError !== undefined && r.autodiffError > AUTODIFF_TOLERANCE) {
      lines.push(`    your d${r.input} differs from tfjs's autodiff of the same forward pass.`);
    }
    lines.push(`    worst coordinates (analytic vs numeric):`);
    for (const w of r.worst) {
      lines.push(`      ${r.input}[${w.index}]: ${fmt(w.analytic)} vs ${fmt(w.numeric)}`);
    }
  }
  if (report.autodiffSkipped) {
    lines.push(`  (tfjs autodiff cross-check skipped: ${report.autodiffSkipped})`);
  }
  return lines.join("\n");
}

function fmt(v: number): string {
  return v.toPrecision(6);
}
