/** Training diagnostics: weights collapsing under too much L2, per report and as a trend over epochs. */
import { checkKeys } from "../tensor/check.js";
import type { Tensor } from "../core.js";
import * as nn from "../nn/index.js";
import { histogram, type HistogramData } from "./report.js";
import { fmtNum, sparkline } from "./plot.js";
import { type Diagnosis, pct } from "./diagnostics-common.js";

/** The option keys of weightStatsReport: anything else is a misspelling (checkKeys). */
const WEIGHT_STATS_REPORT_KEYS = ["nearZeroFactor", "collapseFraction", "bins"] as const;


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
