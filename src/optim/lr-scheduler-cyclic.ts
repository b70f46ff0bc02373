/** Periodic schedules: cosine annealing (with warm restarts), the 1cycle policy and cyclical learning rates. */
import type { ParamGroup } from "./optimizer.js";
import { LRScheduler, type AnyOptimizer, groupsOf, perGroup, pyMod } from "./lr-scheduler-base.js";

/** Options of CosineAnnealingLR, e.g. `{ tMax: 100 }`. */
export interface CosineAnnealingLROptions {
  /** Epochs of a half cosine period (required). */
  tMax: number;
  /** The lowest lr (default 0). */
  etaMin?: number;
  /** Resume at this epoch (the optimizer's groups must then hold `initialLr`); default -1: start fresh. */
  lastEpoch?: number;
}

/**
 * Cosine annealing from the base lr down to `etaMin` over `tMax` epochs:
 * `lr = etaMin + (baseLr - etaMin)(1 + cos(π·epoch/tMax))/2`. `step()` uses PyTorch's recursive
 * form, so past `tMax` the lr climbs back up as PyTorch's does.
 *
 * ```ts
 * const sched = new CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-5 });
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  tMax: number;
  etaMin: number;

  constructor(optimizer: AnyOptimizer, options: CosineAnnealingLROptions) {
    super("CosineAnnealingLR", optimizer, options?.lastEpoch);
    if (!(options.tMax > 0)) throw new Error(`CosineAnnealingLR: tMax (epochs of the half period) must be > 0, got ${options.tMax}`);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { lastEpoch: e, tMax: T, etaMin } = this;
    if (e === 0) return this.groups.map((g) => g.lr);
    if (this.stepCount === 1 && e > 0) return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    if (pyMod(e - 1 - T, 2 * T) === 0) {
      return this.groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return this.groups.map((g) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (g.lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2);
  }
}
/** Options of OneCycleLR, e.g. `{ maxLr: 0.1, totalSteps: 1000 }`. Give `totalSteps`, or `epochs` and `stepsPerEpoch`. */
export interface OneCycleLROptions {
  /** Peak lr (one per param group, or one for all). */
  maxLr: number | readonly number[];
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  /** "cos" (default) or "linear". */
  annealStrategy?: "cos" | "linear";
  /** Cycle momentum (SGD/RMSprop `momentum`, Adam `betas[0]`) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** Lowest momentum, reached at the lr peak (default 0.85). */
  baseMomentum?: number | readonly number[];
  /** Highest momentum, at the start and end (default 0.95). */
  maxMomentum?: number | readonly number[];
  /** initialLr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, back down to initialLr, then annihilate) instead of two (default false). */
  threePhase?: boolean;
  /** Resume at this epoch (the optimizer's groups must then hold `initialLr`); default -1: start fresh. */
  lastEpoch?: number;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

function prepareOneCycle(optimizer: AnyOptimizer, o: OneCycleLROptions): AnyOptimizer {
  const k = "OneCycleLR";
  const groups = groupsOf(optimizer, k);
  if (!o || o.maxLr === undefined) throw new Error(`${k}: maxLr (the peak learning rate) is required, e.g. {maxLr: 0.1, totalSteps: 1000}`);
  const maxLrs = perGroup("maxLr", k, o.maxLr, groups.length);
  if ((o.lastEpoch ?? -1) === -1) {
    const div = o.divFactor ?? 25;
    const finalDiv = o.finalDivFactor ?? 1e4;
    groups.forEach((g, i) => {
      g.initialLr = maxLrs[i] / div;
      g.maxLr = maxLrs[i];
      g.minLr = (g.initialLr as number) / finalDiv;
    });
  }
  if (o.cycleMomentum ?? true) {
    const defaults = optimizer.defaults as unknown as Record<string, unknown>;
    const useBeta1 = "betas" in defaults;
    if (!useBeta1 && !("momentum" in defaults)) {
      throw new Error(`${k}: cycleMomentum needs an optimizer with momentum or betas (SGD, RMSprop, Adam, AdamW); pass cycleMomentum: false`);
    }
    const maxM = perGroup("maxMomentum", k, o.maxMomentum ?? 0.95, groups.length);
    const baseM = perGroup("baseMomentum", k, o.baseMomentum ?? 0.85, groups.length);
    if ((o.lastEpoch ?? -1) === -1) {
      groups.forEach((g, i) => {
        setMomentum(g, useBeta1, maxM[i]);
        g.maxMomentum = maxM[i];
        g.baseMomentum = baseM[i];
      });
    }
  }
  return optimizer;
}

function setMomentum(g: ParamGroup, useBeta1: boolean, m: number): void {
  if (useBeta1) g.betas = [m, ...(g.betas as number[]).slice(1)];
  else g.momentum = m;
}

/**
 * The 1cycle policy (Smith & Topin): the lr rises from `maxLr/divFactor` to `maxLr` over the first
 * `pctStart` of the steps, then anneals to `initialLr/finalDivFactor`, while momentum moves the
 * opposite way between `maxMomentum` and `baseMomentum`. Step it after every batch.
 * Cosine annealing between a and b at fraction t: `b + (a - b)(1 + cos(πt))/2`.
 *
 * ```ts
 * const sched = new OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: loader.length });
 * ```
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  annealStrategy: "cos" | "linear";
  cycleMomentum: boolean;
  useBeta1: boolean;
  phases: Phase[];

  constructor(optimizer: AnyOptimizer, options: OneCycleLROptions) {
    super("OneCycleLR", prepareOneCycle(optimizer, options), options.lastEpoch);
    const k = "OneCycleLR";
    const positiveInt = (v: number | undefined): v is number => Number.isInteger(v) && (v as number) > 0;
    if (options.totalSteps !== undefined) {
      if (!positiveInt(options.totalSteps)) throw new Error(`${k}: totalSteps must be a positive integer, got ${options.totalSteps}`);
      this.totalSteps = options.totalSteps;
    } else if (options.epochs === undefined && options.stepsPerEpoch === undefined) {
      throw new Error(`${k}: give either totalSteps or both epochs and stepsPerEpoch`);
    } else {
      if (!positiveInt(options.epochs)) throw new Error(`${k}: epochs must be a positive integer, got ${options.epochs}`);
      if (!positiveInt(options.stepsPerEpoch)) throw new Error(`${k}: stepsPerEpoch must be a positive integer, got ${options.stepsPerEpoch}`);
      this.totalSteps = options.epochs * options.stepsPerEpoch;
    }
    const pct = options.pctStart ?? 0.3;
    if (!(pct >= 0 && pct <= 1)) throw new Error(`${k}: pctStart must be in [0, 1], got ${pct}`);
    const anneal = options.annealStrategy ?? "cos";
    if (anneal !== "cos" && anneal !== "linear") throw new Error(`${k}: annealStrategy must be "cos" or "linear", got ${String(anneal)}`);
    this.annealStrategy = anneal;
    this.cycleMomentum = options.cycleMomentum ?? true;
    this.useBeta1 = "betas" in (optimizer.defaults as unknown as Record<string, unknown>);
    const n = this.totalSteps;
    this.phases = options.threePhase
      ? [
          { endStep: pct * n - 1, startLr: "initialLr", endLr: "maxLr", startMomentum: "maxMomentum", endMomentum: "baseMomentum" },
          { endStep: 2 * pct * n - 2, startLr: "maxLr", endLr: "initialLr", startMomentum: "baseMomentum", endMomentum: "maxMomentum" },
          { endStep: n - 1, startLr: "initialLr", endLr: "minLr", startMomentum: "maxMomentum", endMomentum: "maxMomentum" },
        ]
      : [
          { endStep: pct * n - 1, startLr: "initialLr", endLr: "maxLr", startMomentum: "maxMomentum", endMomentum: "baseMomentum" },
          { endStep: n - 1, startLr: "maxLr", endLr: "minLr", startMomentum: "baseMomentum", endMomentum: "maxMomentum" },
        ];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === "linear") return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  protected computeLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new Error(`OneCycleLR: tried to step ${stepNum} times but totalSteps is ${this.totalSteps}; raise totalSteps (or epochs/stepsPerEpoch)`);
    }
    return this.groups.map((g) => {
      let startStep = 0;
      let lr = 0;
      let momentum = 0;
      for (const [i, phase] of this.phases.entries()) {
        if (stepNum <= phase.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (phase.endStep - startStep);
          lr = this.anneal(g[phase.startLr] as number, g[phase.endLr] as number, pct);
          if (this.cycleMomentum) momentum = this.anneal(g[phase.startMomentum] as number, g[phase.endMomentum] as number, pct);
          break;
        }
        startStep = phase.endStep;
      }
      if (this.cycleMomentum) setMomentum(g, this.useBeta1, momentum);
      return lr;
    });
  }
}