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
import { Tensor, noGrad } from "../core.js";
import * as nn from "../nn/index.js";
import { fmtNum } from "./plot.js";
import { type Diagnosis, leafNames, pct } from "./diagnostics-common.js";

// The reports by subject: weights (diagnostics-weights.ts), class scores (diagnostics-scores.ts),
// initialisation (diagnostics-init.ts); dead ReLUs and gradient flow are here.
export type { Diagnosis } from "./diagnostics-common.js";
export * from "./diagnostics-weights.js";
export * from "./diagnostics-scores.js";
export * from "./diagnostics-init.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const GRADIENT_FLOW_REPORT_KEYS = ["vanishRatio", "explodeNorm"] as const;

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
