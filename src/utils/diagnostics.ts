/**
 * Training diagnostics for the failures that make a network stop learning without an error:
 * dead ReLUs, vanishing or exploding gradients, weights collapsing under too much L2, probabilities
 * fed to a loss that expects logits, and initialisations that shrink or blow up the signal.
 *
 * Every report is plain data (per-layer numbers a test or a dashboard can read) plus `ok`, the
 * names of the flagged layers and a `message` that says what is wrong and what to change.
 *
 * ```ts
 * const r = deadReluReport(model, batch.image);
 * if (!r.ok) console.log(r.message);
 * ```
 */
import { checkKeys } from "../tensor/check.js";
import { Generator, Tensor, noGrad, randn } from "../core.js";
import * as nn from "../nn/index.js";
import { histogram, type HistogramData } from "./report.js";
import { fmtNum, sparkline } from "./plot.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const DEEP_STACK_KEYS = ["depth", "width", "activation", "init", "generator"] as const;
const INIT_REPORT_KEYS = ["shrinkRatio", "perLayerShrink", "generator"] as const;
const CHECKED_CROSS_ENTROPY_KEYS = ["labelSmoothing", "weight", "ignoreIndex", "reduction", "warn", "always"] as const;
const CHECK_PROBABILITIES_FOR_LOG_KEYS = ["dim"] as const;
const CHECK_LOGITS_FOR_CROSS_ENTROPY_KEYS = ["dim"] as const;
const WEIGHT_STATS_REPORT_KEYS = ["nearZeroFactor", "collapseFraction", "bins"] as const;
const GRADIENT_FLOW_REPORT_KEYS = ["vanishRatio", "explodeNorm"] as const;

/** What every diagnostic returns besides its numbers. */
export interface Diagnosis {
  /** False when at least one layer is flagged. */
  ok: boolean;
  /** Names of the flagged layers or parameters. */
  flagged: string[];
  /** What is wrong and what to do about it (or a one-line all-clear). */
  message: string;
}

const pct = (f: number): string => `${(100 * f).toFixed(f > 0 && f < 0.01 ? 1 : 0)}%`;

function leafNames(model: nn.AnyModule): Map<nn.AnyModule, string> {
  const names = new Map<nn.AnyModule, string>();
  for (const [name, m] of model.namedModules()) if ([...m.children()].length === 0) names.set(m, name || m.constructor.name);
  return names;
}

/** Runs `fn` with the model in eval mode (dropout off) and without gradients, restoring the mode. */
function evalRun<T>(model: nn.AnyModule, fn: () => T): T {
  const was = model.training;
  model.eval();
  try {
    return noGrad(fn);
  } finally {
    model.train(was);
  }
}

/** [N, units, positions] view of an activation: features of [N,F], channels of [N,C,...]. */
function unitsView(t: Tensor): { n: number; units: number; positions: number; data: ArrayLike<number> } {
  const shape = t.ndim === 0 ? [1, 1] : t.ndim === 1 ? [1, t.shape[0]] : t.shape;
  const positions = shape.slice(2).reduce((a, b) => a * b, 1);
  return { n: shape[0], units: shape[1], positions, data: t.contiguous().data() };
}

// ------------------------------------------------------------------------------------ dead ReLU

/** One ReLU layer in a `deadReluReport`. */
export interface DeadReluLayer {
  /** The ReLU module's dotted name (`3`, `encoder.relu1`). */
  name: string;
  /** The layer whose output the ReLU received (the last leaf module that ran before it), or null. */
  feedingLayer: string | null;
  /** Features ([N,F] inputs) or channels ([N,C,...] inputs). */
  units: number;
  /** Units whose output was 0 for every sample (and position) of the batch: they pass no gradient. */
  deadUnits: number;
  deadFraction: number;
  /** Fraction of all outputs that were positive. */
  activeFraction: number;
  /** Largest pre-activation of any dead unit (how far below 0 they sit), or null when none is dead. */
  deadMaxPreActivation: number | null;
  flagged: boolean;
}

export interface DeadReluReport extends Diagnosis {
  layers: DeadReluLayer[];
  samples: number;
}

export interface DeadReluOptions {
  /** Flag a layer when more than this fraction of its units are dead (default 0.5). */
  threshold?: number;
  /** How to run the model on `batch` (default `model.call(batch)`), e.g. `(m, b) => m.call(b.image)`. */
  forward?: (model: nn.AnyModule, batch: unknown) => unknown;
}

/**
 * `deadReluReport(model, x)`: runs one batch through the model (eval mode, no gradients) with forward
 * hooks on every `nn.ReLU` and reports, per ReLU, the fraction of units that never fired. A unit that
 * outputs 0 for every input has zero gradient, so its incoming weights never change again (the
 * exam's "Dead ReLU", 3.8 and 4.6). ReLUs applied as functions inside `forward` are not seen: use the
 * `nn.ReLU` module for layers you want checked.
 *
 * @example deadReluReport(model, xTrain).message
 */
export function deadReluReport(model: nn.AnyModule, batch: unknown, opts: DeadReluOptions = {}): DeadReluReport {
  const threshold = opts.threshold ?? 0.5;
  if (!(threshold >= 0 && threshold <= 1)) throw new Error(`deadReluReport: threshold must be a fraction in [0, 1], got ${threshold}`);
  const names = leafNames(model);
  const stats = new Map<nn.AnyModule, { feeding: string | null; active: Uint8Array; maxPre: Float64Array; positive: number; total: number; n: number }>();
  let previous: nn.AnyModule | null = null;
  const handles = [...names.keys()].map((m) =>
    m.registerForwardHook((mod, args, output) => {
      if (mod instanceof nn.ReLU && output instanceof Tensor && args[0] instanceof Tensor) {
        const pre = unitsView(args[0] as Tensor);
        const out = unitsView(output);
        let s = stats.get(mod);
        if (!s) {
          s = { feeding: previous ? names.get(previous)! : null, active: new Uint8Array(out.units), maxPre: new Float64Array(out.units).fill(-Infinity), positive: 0, total: 0, n: 0 };
          stats.set(mod, s);
        }
        if (s.active.length !== out.units) throw new Error(`deadReluReport: ReLU "${names.get(mod)}" was called with ${out.units} and ${s.active.length} units; it must see one layer's output`);
        for (let i = 0; i < out.n; i++) {
          for (let u = 0; u < out.units; u++) {
            const base = (i * out.units + u) * out.positions;
            for (let p = 0; p < out.positions; p++) {
              if (out.data[base + p] > 0) { s.active[u] = 1; s.positive++; }
              if (pre.data[base + p] > s.maxPre[u]) s.maxPre[u] = pre.data[base + p];
            }
          }
        }
        s.total += out.n * out.units * out.positions;
        s.n += out.n;
      }
      previous = mod;
    }),
  );
  let samples = 0;
  try {
    evalRun(model, () => (opts.forward ? opts.forward(model, batch) : (model.call as (x: unknown) => unknown)(batch)));
  } finally {
    handles.forEach((h) => h.remove());
  }
  const layers: DeadReluLayer[] = [];
  for (const [m, s] of stats) {
    samples = Math.max(samples, s.n);
    let dead = 0;
    let deadMax = -Infinity;
    s.active.forEach((a, u) => { if (!a) { dead++; deadMax = Math.max(deadMax, s.maxPre[u]); } });
    const deadFraction = dead / s.active.length;
    layers.push({
      name: names.get(m)!, feedingLayer: s.feeding, units: s.active.length, deadUnits: dead, deadFraction,
      activeFraction: s.total ? s.positive / s.total : 0, deadMaxPreActivation: dead ? deadMax : null, flagged: deadFraction > threshold,
    });
  }
  const flagged = layers.filter((l) => l.flagged).map((l) => l.name);
  let message: string;
  if (layers.length === 0) {
    message = "deadReluReport: the model ran no nn.ReLU module on this batch, so there is nothing to check (ReLUs applied as functions are not seen; use nn.ReLU layers).";
  } else {
    const lines = layers.map((l) =>
      `  ${l.flagged ? "✗" : "✓"} ReLU ${l.name}${l.feedingLayer ? ` (after ${l.feedingLayer})` : ""}: ${l.deadUnits}/${l.units} units dead (${pct(l.deadFraction)}), ${pct(l.activeFraction)} of outputs active` +
      (l.deadMaxPreActivation !== null ? `; dead units' largest pre-activation ${fmtNum(l.deadMaxPreActivation)}` : ""),
    );
    message = flagged.length
      ? [
          `Dead ReLUs: ${flagged.length} layer(s) have more than ${pct(threshold)} of their units never active on ${samples} samples.`,
          ...lines,
          "A dead unit outputs 0 for every input, so its gradient is 0 and its incoming weights and bias never change again:",
          "training cannot revive it. Fixes: use nn.LeakyReLU(0.01) (or ELU/GELU), which passes a gradient for negative inputs;",
          "lower the learning rate (one large step can push the pre-activations below 0 for all inputs); initialise with",
          "Kaiming (nn.init.kaimingNormal_) and small non-negative biases; normalise the inputs (or add BatchNorm before the ReLU).",
        ].join("\n")
      : [`No dead ReLU layer (none above ${pct(threshold)} dead units on ${samples} samples).`, ...lines].join("\n");
  }
  return { ok: flagged.length === 0, flagged, layers, samples, message };
}

// ------------------------------------------------------------------------------------ gradient flow

/** One parameter in a `gradientFlowReport`, in registration order (first layer first). */
export interface GradientFlowEntry {
  name: string;
  shape: number[];
  /** L2 norm of `.grad` (NaN when the gradient has NaN/Infinity). */
  gradNorm: number;
  /** L2 norm of the parameter itself. */
  weightNorm: number;
  /** gradNorm / weightNorm: the relative size of an lr = 1 step. */
  ratio: number;
}

export interface GradientFlowReport extends Diagnosis {
  entries: GradientFlowEntry[];
  /** Trainable parameters that have no `.grad` (unused in the forward, or backward not called). */
  missing: string[];
  /** Gradient norm of the first weight over that of the last weight (1 = balanced). */
  firstToLast: number;
  vanishing: boolean;
  exploding: boolean;
}

export interface GradientFlowOptions {
  /** Vanishing when the first weight's gradient norm is below this fraction of the last's (default 1e-2: two orders of magnitude). */
  vanishRatio?: number;
  /** Exploding when the first/last ratio exceeds 1/vanishRatio, or any gradient norm exceeds this (default 1e3). */
  explodeNorm?: number;
}

/**
 * `gradientFlowReport(model)` after `loss.backward()`: the gradient norm of every parameter from the
 * first layer to the last. Flags vanishing gradients (the earliest weights' gradients orders of
 * magnitude below the last's: deep sigmoid/tanh stacks, exam 4.5), exploding ones (growing towards
 * the input, huge, or NaN) and parameters that got no gradient at all.
 *
 * @example loss.backward(); console.log(gradientFlowReport(model).message);
 */
export function gradientFlowReport(model: nn.AnyModule, opts: GradientFlowOptions = {}): GradientFlowReport {
  checkKeys("gradientFlowReport", opts, GRADIENT_FLOW_REPORT_KEYS);
  const vanishRatio = opts.vanishRatio ?? 1e-2;
  const explodeNorm = opts.explodeNorm ?? 1e3;
  const entries: GradientFlowEntry[] = [];
  const missing: string[] = [];
  noGrad(() => {
    for (const [name, p] of model.namedParameters()) {
      if (!p.requiresGrad) continue;
      if (!p.grad) { missing.push(name); continue; }
      const g = p.grad.norm().item();
      const w = p.norm().item();
      entries.push({ name, shape: [...p.shape], gradNorm: Number.isFinite(g) ? g : NaN, weightNorm: w, ratio: w > 0 ? g / w : Infinity });
    }
  });
  if (entries.length === 0) {
    const message = `gradientFlowReport: no parameter has a gradient${missing.length ? ` (${missing.length} trainable parameters without .grad)` : ""}; call loss.backward() before the report, and check that optimizer.zeroGrad() is not called in between.`;
    return { ok: false, flagged: missing, entries, missing, firstToLast: NaN, vanishing: false, exploding: false, message };
  }
  // Biases are small and often zero-initialised, so the flow is judged on weights (2+ dims).
  const weights = entries.filter((e) => e.shape.length >= 2);
  const ref = weights.length >= 2 ? weights : entries;
  const first = ref[0];
  const last = ref[ref.length - 1];
  const firstToLast = last.gradNorm > 0 ? first.gradNorm / last.gradNorm : first.gradNorm > 0 ? Infinity : NaN;
  const nonFinite = entries.filter((e) => Number.isNaN(e.gradNorm)).map((e) => e.name);
  const huge = entries.filter((e) => e.gradNorm > explodeNorm).map((e) => e.name);
  const zero = entries.filter((e) => e.gradNorm === 0).map((e) => e.name);
  const vanishing = ref.length >= 2 && firstToLast < vanishRatio;
  const exploding = nonFinite.length > 0 || huge.length > 0 || (ref.length >= 2 && firstToLast > 1 / vanishRatio);
  const flagged = new Set<string>([...nonFinite, ...huge, ...missing]);
  if (vanishing) for (const e of ref) if (e.gradNorm < vanishRatio * last.gradNorm) flagged.add(e.name);
  if (exploding && firstToLast > 1 / vanishRatio) flagged.add(first.name);
  const table = entries.map((e) => `  ${e.name.padEnd(Math.max(...entries.map((x) => x.name.length)))}  grad ${fmtNum(e.gradNorm).padStart(8)}  |grad|/|w| ${e.weightNorm > 0 ? fmtNum(e.ratio) : "- (w = 0)"}`);
  const lines: string[] = [];
  if (vanishing) {
    lines.push(
      `Vanishing gradients: the first layer's gradient (${first.name}, ${fmtNum(first.gradNorm)}) is ${fmtNum(1 / firstToLast)}x smaller than the last's (${last.name}, ${fmtNum(last.gradNorm)}).`,
      "Each layer multiplies the backward signal by its weights and its activation's derivative; sigmoid' ≤ 0.25 and tanh' ≤ 1",
      "(≈0 when saturated) shrink it layer after layer, so the early layers barely learn. Fixes: ReLU/LeakyReLU with Kaiming init,",
      "BatchNorm/LayerNorm, residual (skip) connections, fewer layers; for recurrent nets, LSTM/GRU.",
    );
  }
  if (exploding) {
    lines.push(
      nonFinite.length
        ? `Exploding gradients: ${nonFinite.join(", ")} ha${nonFinite.length > 1 ? "ve" : "s"} NaN/Infinity in its gradient.`
        : huge.length
          ? `Exploding gradients: gradient norms above ${fmtNum(explodeNorm)} in ${huge.join(", ")}.`
          : `Exploding gradients: the first layer's gradient is ${fmtNum(firstToLast)}x the last's; the backward signal grows layer by layer.`,
      "Fixes: lower the learning rate, clip gradients (optim.clipGradNorm_(model.parameters(), 1)), use Kaiming/Xavier init",
      "instead of large weights, normalise the inputs, add BatchNorm/LayerNorm.",
    );
  }
  if (missing.length) lines.push(`No gradient for ${missing.join(", ")}: not used in the forward pass, detached, or backward() not called on a loss that depends on it.`);
  if (zero.length) lines.push(`Exactly zero gradient for ${zero.join(", ")}: dead ReLUs upstream, or the loss does not depend on it (see deadReluReport).`);
  for (const z of zero) flagged.add(z);
  const message = (lines.length ? lines : [`Gradient flow looks healthy: first/last weight gradient ratio ${fmtNum(firstToLast)}.`]).concat(table).join("\n");
  return { ok: flagged.size === 0, flagged: [...flagged], entries, missing, firstToLast, vanishing, exploding, message };
}

// ------------------------------------------------------------------------------------ weights

/** Statistics of one weight tensor (2+ dims: Linear and conv weights). */
export interface WeightStats {
  name: string;
  numel: number;
  mean: number;
  std: number;
  absMax: number;
  /** |w| below this counts as "near zero": `nearZeroFactor`/√fanIn, a tenth of the default init's scale. */
  nearZeroThreshold: number;
  fractionNearZero: number;
  histogram: HistogramData;
  flagged: boolean;
}

export interface WeightStatsReport extends Diagnosis {
  layers: WeightStats[];
}

export interface WeightStatsOptions {
  /** Near zero means |w| < nearZeroFactor/√fanIn (default 0.1). */
  nearZeroFactor?: number;
  /** Flag a layer when more than this fraction of its weights are near zero (default 0.5). */
  collapseFraction?: number;
  /** Histogram bins (default 30). */
  bins?: number;
}

function weightStats(name: string, p: Tensor, opts: WeightStatsOptions): WeightStats {
  const fanIn = nn.init.calculateFanInAndFanOut(p)[0];
  const thr = (opts.nearZeroFactor ?? 0.1) / Math.sqrt(Math.max(1, fanIn));
  const d = p.detach().contiguous().data();
  let s = 0, s2 = 0, mx = 0, near = 0;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    s += v; s2 += v * v;
    if (Math.abs(v) > mx) mx = Math.abs(v);
    if (Math.abs(v) < thr) near++;
  }
  const mean = s / d.length;
  const fractionNearZero = near / d.length;
  return {
    name, numel: d.length, mean, std: Math.sqrt(Math.max(0, s2 / d.length - mean * mean)), absMax: mx, nearZeroThreshold: thr,
    fractionNearZero, histogram: histogram(d, opts.bins ?? 30), flagged: fractionNearZero > (opts.collapseFraction ?? 0.5),
  };
}

const COLLAPSE_ADVICE = [
  "Weights collapsing towards 0 after training are the signature of too much L2 regularisation (weight decay): the",
  "penalty (λ/2)·Σθ² (weightDecay λ) pulls every weight towards 0 by lr·λ·θ per step and outweighs the data's gradient (exam 4.3).",
  "Lower λ (weightDecay 1e-4..1e-2 is typical), or use AdamW's decoupled decay. Vanishing gradients or dead ReLUs do",
  "not do this: they freeze weights where they are rather than shrink them.",
].join("\n");

/**
 * `weightStatsReport(model)`: mean, std, largest |w|, the fraction near zero and a histogram of every
 * weight matrix and kernel; flags layers whose weights have mostly collapsed to ~0 (exam 4.3: λ too
 * large in L2). To see the trend over epochs, use `WeightTracker`.
 *
 * @example console.log(weightStatsReport(model).message)
 */
export function weightStatsReport(model: nn.AnyModule, opts: WeightStatsOptions = {}): WeightStatsReport {
  checkKeys("weightStatsReport", opts, WEIGHT_STATS_REPORT_KEYS);
  const layers = [...model.namedParameters()].filter(([, p]) => p.ndim >= 2).map(([n, p]) => weightStats(n, p, opts));
  const flagged = layers.filter((l) => l.flagged).map((l) => l.name);
  const table = layers.map((l) => `  ${l.flagged ? "✗" : "✓"} ${l.name}: std ${fmtNum(l.std)}, max |w| ${fmtNum(l.absMax)}, ${pct(l.fractionNearZero)} within ±${fmtNum(l.nearZeroThreshold)} of 0`);
  const message = flagged.length
    ? [`Weights collapsed towards 0 in ${flagged.join(", ")}.`, ...table, COLLAPSE_ADVICE].join("\n")
    : ["Weight distributions look normal (no layer mostly near 0).", ...table].join("\n");
  return { ok: flagged.length === 0, flagged, layers, message };
}

/** One layer in `WeightTracker.report()`. */
export interface WeightTrend {
  name: string;
  /** std at the first and last recorded epoch, and last/first. */
  firstStd: number;
  lastStd: number;
  shrink: number;
  lastFractionNearZero: number;
  flagged: boolean;
}

export interface WeightTrendReport extends Diagnosis {
  layers: WeightTrend[];
}

/**
 * Records weight statistics over training, to see weights drift or collapse (the exam 4.3
 * "histograms of weight values over time").
 *
 * ```ts
 * const tracker = new WeightTracker(model);
 * tracker.record(0);                 // the initialisation
 * for (...) { train(); tracker.record(epoch); }
 * console.log(tracker.report().message, tracker.draw("0.weight"));
 * ```
 */
export class WeightTracker {
  readonly history: { epoch: number; layers: WeightStats[]; values: Map<string, Float32Array> }[] = [];

  constructor(readonly model: nn.AnyModule, readonly opts: WeightStatsOptions & { shrinkRatio?: number } = {}) {}

  /** Snapshots every weight's statistics (and values, for drawing) at this epoch. */
  record(epoch: number): WeightStats[] {
    const values = new Map<string, Float32Array>();
    const layers: WeightStats[] = [];
    for (const [n, p] of this.model.namedParameters()) {
      if (p.ndim < 2) continue;
      layers.push(weightStats(n, p, this.opts));
      values.set(n, Float32Array.from(p.detach().contiguous().data()));
    }
    this.history.push({ epoch, layers, values });
    return layers;
  }

  /**
   * Compares the last snapshot with the first: a layer is flagged when its std shrank below
   * `shrinkRatio` (default 0.25) of where it started, or most of its weights are near 0.
   */
  report(): WeightTrendReport {
    if (this.history.length === 0) throw new Error("WeightTracker.report: nothing recorded yet; call tracker.record(epoch) at least once (e.g. before training)");
    const shrinkRatio = this.opts.shrinkRatio ?? 0.25;
    const first = this.history[0];
    const last = this.history[this.history.length - 1];
    const layers = last.layers.map((l): WeightTrend => {
      const f = first.layers.find((x) => x.name === l.name) ?? l;
      const shrink = f.std > 0 ? l.std / f.std : 1;
      return { name: l.name, firstStd: f.std, lastStd: l.std, shrink, lastFractionNearZero: l.fractionNearZero, flagged: shrink < shrinkRatio || l.flagged };
    });
    const flagged = layers.filter((l) => l.flagged).map((l) => l.name);
    const span = `epoch ${first.epoch} → ${last.epoch}`;
    const table = layers.map((l) => `  ${l.flagged ? "✗" : "✓"} ${l.name}: std ${fmtNum(l.firstStd)} → ${fmtNum(l.lastStd)} (x${fmtNum(l.shrink)}), ${pct(l.lastFractionNearZero)} near 0`);
    const message = flagged.length
      ? [`Weights shrinking towards 0 (${span}) in ${flagged.join(", ")}.`, ...table, COLLAPSE_ADVICE].join("\n")
      : [`Weights keep their scale (${span}).`, ...table].join("\n");
    return { ok: flagged.length === 0, flagged, layers, message };
  }

  /**
   * One sparkline histogram per recorded epoch over a shared range, so a distribution narrowing to
   * a spike at 0 is visible at a glance (the exam's ridge plot, in text).
   */
  draw(name: string, opts: { bins?: number } = {}): string {
    const rows = this.history.filter((h) => h.values.has(name));
    if (rows.length === 0) {
      const known = this.history[0] ? [...this.history[0].values.keys()].join(", ") : "none recorded";
      throw new Error(`WeightTracker.draw: no weight named "${name}" (known: ${known})`);
    }
    let m = 0;
    for (const r of rows) for (const v of r.values.get(name)!) if (Math.abs(v) > m) m = Math.abs(v);
    m = m || 1;
    const bins = opts.bins ?? 41;
    const ew = Math.max(...rows.map((r) => String(r.epoch).length));
    const lines = [`${name}: weight histograms per epoch over [${fmtNum(-m)}, ${fmtNum(m)}] (centre = 0)`];
    for (const r of rows) {
      const h = histogram(r.values.get(name)!, bins, [-m, m]);
      const std = r.layers.find((l) => l.name === name)!.std;
      lines.push(`  epoch ${String(r.epoch).padStart(ew)} │${sparkline(h.bins.map((c) => Math.sqrt(c)), { width: bins })}│ std ${fmtNum(std)}`);
    }
    return lines.join("\n");
  }
}

// ------------------------------------------------------------------------------------ logits vs probabilities

/** What a tensor of class scores looks like along its class dim. */
export type ScoreKind = "logits" | "probabilities" | "log-probabilities";

export interface ScoreCheck extends Diagnosis {
  kind: ScoreKind;
  min: number;
  max: number;
  /** Smallest and largest sum over the class dim (of exp(x) for log-probabilities). */
  rowSumMin: number;
  rowSumMax: number;
}

function inspectScores(input: Tensor, dim: number, op: string): Omit<ScoreCheck, "ok" | "flagged" | "message"> {
  if (!(input instanceof Tensor)) throw new Error(`${op}: expected a Tensor of class scores`);
  if (input.ndim === 0) throw new Error(`${op}: expected class scores [N,C] (or [C]), got a scalar`);
  const d = input.ndim === 1 ? 0 : dim < 0 ? dim + input.ndim : dim;
  if (d < 0 || d >= input.ndim) throw new Error(`${op}: dim ${dim} is out of range for shape [${input.shape.join(",")}]`);
  return noGrad(() => {
    const x = input.detach().float();
    const min = x.min().item();
    const max = x.max().item();
    const sums = x.sum(d);
    const lse = x.logsumexp(d);
    const rowSumMin = sums.min().item();
    const rowSumMax = sums.max().item();
    const c = input.shape[d];
    const tol = 1e-3;
    if (c > 1 && min >= -1e-6 && max <= 1 + 1e-6 && Math.abs(rowSumMin - 1) < tol && Math.abs(rowSumMax - 1) < tol) {
      return { kind: "probabilities" as const, min, max, rowSumMin, rowSumMax };
    }
    if (c > 1 && max <= 1e-6 && Math.abs(lse.min().item()) < tol && Math.abs(lse.max().item()) < tol) {
      return { kind: "log-probabilities" as const, min, max, rowSumMin: Math.exp(lse.min().item()), rowSumMax: Math.exp(lse.max().item()) };
    }
    return { kind: "logits" as const, min, max, rowSumMin, rowSumMax };
  });
}

/**
 * `checkLogitsForCrossEntropy(scores)`: `crossEntropy`/`CrossEntropyLoss` apply logSoftmax
 * themselves, so they want raw scores (logits). Feeding them softmax outputs (every row in [0,1],
 * summing to 1) applies softmax twice: the loss can never get near 0 and gradients shrink, so
 * training stalls. Flags probabilities and log-probabilities and says to drop the softmax (exam 2.2).
 *
 * @example checkLogitsForCrossEntropy(model.call(x)).ok
 */
export function checkLogitsForCrossEntropy(input: Tensor, opts: { dim?: number } = {}): ScoreCheck {
  checkKeys("checkLogitsForCrossEntropy", opts, CHECK_LOGITS_FOR_CROSS_ENTROPY_KEYS);
  const s = inspectScores(input, opts.dim ?? 1, "checkLogitsForCrossEntropy");
  const range = `values in [${fmtNum(s.min)}, ${fmtNum(s.max)}], class sums in [${fmtNum(s.rowSumMin)}, ${fmtNum(s.rowSumMax)}]`;
  let message: string;
  if (s.kind === "probabilities") {
    message = [
      `crossEntropy got probabilities, not logits (${range}): every row lies in [0,1] and sums to 1, i.e. softmax was already applied.`,
      "crossEntropy applies logSoftmax itself, so this is softmax twice: the loss can no longer approach 0 and its",
      "gradients are squashed, so training crawls. Drop the final nn.Softmax / .softmax() and pass the raw scores; take",
      "softmax only where you need probabilities (reporting, sampling).",
    ].join("\n");
  } else if (s.kind === "log-probabilities") {
    message = [
      `crossEntropy got log-probabilities (${range}): exp of each row sums to 1, i.e. logSoftmax was already applied.`,
      "That happens to give the same loss (logSoftmax is idempotent), but it is wasted work and confusing: either drop the",
      "LogSoftmax and keep crossEntropy, or keep it and use nllLoss (PyTorch's LogSoftmax + NLLLoss pairing).",
    ].join("\n");
  } else {
    message = `Input looks like logits (${range}); fine for crossEntropy.`;
  }
  return { ...s, ok: s.kind === "logits", flagged: s.kind === "logits" ? [] : ["input"], message };
}

/**
 * `checkProbabilitiesForLog(scores)`: the other half of exam 2.2. A hand-written cross-entropy
 * −Σ y·log(ŷ) (or BCELoss / nllLoss after a log) needs probabilities; raw network outputs can be
 * negative, and log(−1) is NaN. Flags anything that is not a probability distribution along `dim`.
 *
 * @example checkProbabilitiesForLog(tensor([[-1.0, -1.3, -1.3]])).message
 */
export function checkProbabilitiesForLog(input: Tensor, opts: { dim?: number } = {}): ScoreCheck {
  checkKeys("checkProbabilitiesForLog", opts, CHECK_PROBABILITIES_FOR_LOG_KEYS);
  const s = inspectScores(input, opts.dim ?? 1, "checkProbabilitiesForLog");
  const ok = s.kind === "probabilities";
  const range = `values in [${fmtNum(s.min)}, ${fmtNum(s.max)}], class sums in [${fmtNum(s.rowSumMin)}, ${fmtNum(s.rowSumMax)}]`;
  const message = ok
    ? `Input is a probability distribution (${range}); log is defined.`
    : [
        `Expected probabilities but got ${s.kind} (${range}).`,
        s.min < 0 ? `log of the negative values is NaN (log(${fmtNum(s.min)}) is undefined), and a loss of NaN stops training.` : "Rows do not sum to 1, so this is not a distribution over the classes and the loss is meaningless.",
        "Apply softmax over the classes first (sigmoid for independent binary outputs), or better, pass the logits to",
        "nn.functional.crossEntropy / binaryCrossEntropyWithLogits, which fuse the two in a numerically stable way.",
      ].join("\n");
  return { ...s, ok, flagged: ok ? [] : ["input"], message };
}

let warnedCheckedCrossEntropy = false;

/**
 * `checkedCrossEntropy(logits, labels)`: `nn.functional.crossEntropy` that warns once (through
 * `opts.warn`, default console.warn) when the input looks like probabilities or log-probabilities.
 * Use it while developing a model; the check reads the whole input, so drop it once fixed.
 *
 * @example const loss = checkedCrossEntropy(model.call(x), y);
 */
export function checkedCrossEntropy(
  input: Tensor,
  target: Tensor,
  opts: nn.CrossEntropyOptions & { warn?: (message: string) => void; always?: boolean } = {},
): Tensor {
  checkKeys("checkedCrossEntropy", opts, CHECKED_CROSS_ENTROPY_KEYS);
  const { warn, always, ...ce } = opts;
  if (always || !warnedCheckedCrossEntropy) {
    const c = checkLogitsForCrossEntropy(input);
    if (!c.ok) {
      warnedCheckedCrossEntropy = true;
      (warn ?? console.warn)(c.message);
    }
  }
  return nn.functional.crossEntropy(input, target, ce);
}

// ------------------------------------------------------------------------------------ initialisation

/** One Linear/Conv layer in an `initReport`. */
export interface InitLayer {
  /** The weight layer's name. */
  name: string;
  /** The activation that follows it (`Sigmoid`), or null. */
  activation: string | null;
  /** std of the layer's output (pre-activation) and of the activation's output, over the batch. */
  preStd: number;
  postStd: number;
  postMean: number;
  /** std of the loss gradient with respect to the layer's output. */
  gradStd: number;
  /**
   * This layer's gradStd over the next layer's: how much of the gradient's scale survives one step
   * back through the next weight layer and this layer's activation (NaN for the last layer). Reported
   * for every layer, also when nothing is flagged; 1 = the scale is kept.
   */
  gradFactor: number;
}

export interface InitReport extends Diagnosis {
  layers: InitLayer[];
  /** postStd of the last layer over that of the first (1 = the signal keeps its scale). */
  forwardRatio: number;
  /** gradStd of the first layer over that of the last (1 = gradients keep their scale). */
  backwardRatio: number;
}

const ACTIVATIONS = [nn.ReLU, nn.LeakyReLU, nn.Sigmoid, nn.Tanh, nn.GELU, nn.ELU, nn.SiLU];
const isActivation = (m: nn.AnyModule): boolean => ACTIVATIONS.some((A) => m instanceof A);
const isWeightLayer = (m: nn.AnyModule): boolean => m instanceof nn.Linear || m instanceof nn.Conv2d || m instanceof nn.Conv1d;

function stdOf(t: Tensor): { std: number; mean: number } {
  const d = t.detach().contiguous().data();
  let s = 0, s2 = 0;
  for (let i = 0; i < d.length; i++) { s += d[i]; s2 += d[i] * d[i]; }
  const mean = s / d.length;
  return { std: Math.sqrt(Math.max(0, s2 / d.length - mean * mean)), mean };
}

/**
 * `initReport(model, x)`: how the scale of the signal travels through a stack at initialisation.
 * Runs one forward pass recording the std of every Linear/Conv output and of the activation after
 * it, then a backward pass from a unit-Gaussian gradient at the output recording the gradient's std
 * at each layer. Kaiming init keeps ReLU stacks at a constant scale both ways; the same init under
 * sigmoid, or tiny weights under anything, shrinks the signal or its gradient layer after layer
 * (exam 4.4). Parameter `.grad`s are restored afterwards.
 *
 * @example console.log(initReport(deepStack({ activation: "sigmoid", init: "kaiming" }), randn([256, 128])).message)
 */
export function initReport(model: nn.AnyModule, batch: Tensor, opts: { shrinkRatio?: number; perLayerShrink?: number; generator?: Generator } = {}): InitReport {
  checkKeys("initReport", opts, INIT_REPORT_KEYS);
  const shrinkRatio = opts.shrinkRatio ?? 0.1;
  // Between two hidden layers a matched init keeps the gradient's scale (factor ≈ 1); losing half of it
  // per layer is what compounds into vanishing gradients in a deeper stack, so it is flagged even in a
  // shallow net whose end-to-end ratio is still above shrinkRatio² (the exam's 16-32-16-1 sigmoid net).
  const perLayerShrink = opts.perLayerShrink ?? 0.5;
  const names = leafNames(model);
  const rows: { name: string; out: Tensor; act: string | null; post: Tensor | null }[] = [];
  const handles = [...names.keys()].map((m) =>
    m.registerForwardHook((mod, _args, output) => {
      if (!(output instanceof Tensor)) return;
      if (isWeightLayer(mod)) {
        if (output.requiresGrad) output.retainGrad();
        rows.push({ name: names.get(mod)!, out: output, act: null, post: null });
      } else if (isActivation(mod) && rows.length && rows[rows.length - 1].post === null) {
        rows[rows.length - 1].act = mod.constructor.name;
        rows[rows.length - 1].post = output;
      }
    }),
  );
  const saved = model.parameters().map((p) => [p, p.grad] as const);
  const was = model.training;
  let out: Tensor;
  try {
    model.eval();
    out = model.call(batch) as Tensor;
    if (out.requiresGrad) out.backward(randn(out.shape, { generator: opts.generator ?? new Generator(0) }));
  } finally {
    handles.forEach((h) => h.remove());
    model.train(was);
    for (const [p, g] of saved) p.grad = g;
  }
  if (rows.length === 0) throw new Error("initReport: the model ran no nn.Linear/nn.Conv2d/nn.Conv1d module; nothing to measure");
  const layers: InitLayer[] = rows.map((r) => {
    const pre = stdOf(r.out);
    const post = r.post ? stdOf(r.post) : pre;
    return { name: r.name, activation: r.act, preStd: pre.std, postStd: post.std, postMean: post.mean, gradStd: r.out.grad ? stdOf(r.out.grad).std : NaN, gradFactor: NaN };
  });
  for (let i = 0; i + 1 < layers.length; i++) layers[i].gradFactor = layers[i + 1].gradStd > 0 ? layers[i].gradStd / layers[i + 1].gradStd : NaN;
  const f = layers[0];
  const l = layers[layers.length - 1];
  // The last layer is usually a linear read-out without an activation; compare activations, when there are any.
  const acts = layers.filter((x) => x.activation);
  const fa = acts[0] ?? f;
  const la = acts[acts.length - 1] ?? l;
  const forwardRatio = fa.postStd > 0 ? la.postStd / fa.postStd : NaN;
  const backwardRatio = l.gradStd > 0 ? f.gradStd / l.gradStd : NaN;
  const flagged: string[] = [];
  const lines: string[] = [];
  if (forwardRatio < shrinkRatio || !(forwardRatio > 0)) {
    flagged.push(la.name);
    lines.push(`The signal shrinks: activation std ${fmtNum(fa.postStd)} after ${fa.name} but ${fmtNum(la.postStd)} after ${la.name} (x${fmtNum(forwardRatio)}).`);
  } else if (forwardRatio > 1 / shrinkRatio) {
    flagged.push(la.name);
    lines.push(`The signal explodes: activation std ${fmtNum(fa.postStd)} after ${fa.name} but ${fmtNum(la.postStd)} after ${la.name} (x${fmtNum(forwardRatio)}).`);
  }
  // Hidden-to-hidden steps only: the read-out layer's factor depends on its fan-out (1 unit), not on the init.
  const shrinking = layers.filter((x, i) => x.activation && layers[i + 1]?.activation && x.gradFactor < perLayerShrink);
  if (shrinking.length && !flagged.includes(f.name) && !(backwardRatio < shrinkRatio * shrinkRatio)) {
    flagged.push(...shrinking.map((x) => x.name));
    lines.push(`Gradients shrink layer by layer: x${shrinking.map((x) => fmtNum(x.gradFactor)).join(", x")} per hidden layer (${shrinking.map((x) => x.name).join(", ")}; below x${perLayerShrink}). Each further layer like these multiplies the gradient by that again.`);
  }
  const sigm = acts.filter((x) => x.activation === "Sigmoid");
  if (sigm.length && sigm.every((x) => x.postStd < 0.05)) {
    lines.push(`Sigmoid outputs have collapsed to ≈${fmtNum(sigm[sigm.length - 1].postMean)} with std < 0.05: they carry almost no information.`);
  }
  if (backwardRatio < shrinkRatio * shrinkRatio || !(backwardRatio > 0)) {
    flagged.push(f.name);
    lines.push(`Gradients vanish: gradient std ${fmtNum(l.gradStd)} at ${l.name} but ${fmtNum(f.gradStd)} at ${f.name} (x${fmtNum(backwardRatio)}).`);
  } else if (backwardRatio > 1 / (shrinkRatio * shrinkRatio)) {
    flagged.push(f.name);
    lines.push(`Gradients explode: gradient std ${fmtNum(l.gradStd)} at ${l.name} but ${fmtNum(f.gradStd)} at ${f.name} (x${fmtNum(backwardRatio)}).`);
  }
  const table = layers.map((x) => `  ${x.name.padEnd(Math.max(...layers.map((y) => y.name.length)))}  ${(x.activation ?? "-").padEnd(9)} out std ${fmtNum(x.postStd).padStart(8)}  grad std ${fmtNum(x.gradStd).padStart(8)}${Number.isNaN(x.gradFactor) ? "" : `  x${fmtNum(x.gradFactor)} from the next layer`}`);
  if (lines.length) {
    lines.push(
      "Initialisation must match the activation so that Var(x_l) = Var(x_{l-1}) forwards and backwards: Kaiming",
      "(nn.init.kaimingNormal_, nonlinearity \"relu\") for ReLU, Xavier/Glorot (nn.init.xavierNormal_ with gain",
      "nn.init.calculateGain(\"tanh\")) for tanh. Deep sigmoid stacks lose gradient under either init (sigmoid' ≤ 1/4):",
      "use ReLU or tanh in hidden layers (sigmoid only at the output), or add BatchNorm or skip connections.",
    );
  }
  const message = (lines.length ? lines : [`Scale is preserved: activation std x${fmtNum(forwardRatio)} forwards, gradient std x${fmtNum(backwardRatio)} backwards.`]).concat(table).join("\n");
  return { ok: flagged.length === 0, flagged, layers, forwardRatio, backwardRatio, message };
}

/** Activations and initialisations `deepStack` can build. */
export type StackActivation = "relu" | "sigmoid" | "tanh";
export type StackInit = "kaiming" | "xavier" | "small" | "default";

/**
 * `deepStack({depth: 10, width: 128, activation: "sigmoid", init: "kaiming"})`: `depth` blocks of
 * Linear(width, width) + activation with the chosen weight init and zero biases, for `initReport`.
 * "kaiming" is N(0, 2/fanIn) (He, for ReLU), "xavier" N(0, gain²·2/(fanIn+fanOut)) with the
 * activation's gain (1 for sigmoid, 5/3 for tanh), "small" N(0, 0.01²), "default" PyTorch's Linear
 * init.
 */
export function deepStack(opts: { depth?: number; width?: number; activation?: StackActivation; init?: StackInit; generator?: Generator } = {}): nn.Sequential {
  checkKeys("deepStack", opts, DEEP_STACK_KEYS);
  const depth = opts.depth ?? 10;
  const width = opts.width ?? 128;
  const act = opts.activation ?? "relu";
  const init = opts.init ?? "kaiming";
  const g = opts.generator;
  const layers: nn.AnyModule[] = [];
  for (let i = 0; i < depth; i++) {
    const lin = new nn.Linear(width, width, { generator: g });
    if (init === "kaiming") nn.init.kaimingNormal_(lin.weight, { nonlinearity: "relu", generator: g });
    else if (init === "xavier") nn.init.xavierNormal_(lin.weight, { gain: nn.init.calculateGain(act), generator: g });
    else if (init === "small") nn.init.normal_(lin.weight, 0, 0.01, { generator: g });
    if (init !== "default") nn.init.zeros_(lin.bias!);
    layers.push(lin, act === "relu" ? new nn.ReLU() : act === "sigmoid" ? new nn.Sigmoid() : new nn.Tanh());
  }
  return new nn.Sequential(...layers);
}
