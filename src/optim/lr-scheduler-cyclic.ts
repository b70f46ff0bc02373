/** Periodic schedules: cosine annealing (with warm restarts), the 1cycle policy and cyclical learning rates. */
import type { ParamGroup } from "./optimizer.js";
import { LRScheduler, type AnyOptimizer, checkedLastEpoch, groupsOf, perGroup, pyMod } from "./lr-scheduler-base.js";
import { optionKeys } from "../tensor/check.js";

/** Each scheduler's option keys: anything else is a misspelling (checkedLastEpoch). */
const COSINEANNEALINGLR_KEYS = optionKeys<CosineAnnealingLROptions>()({ tMax: true, etaMin: true, lastEpoch: true });
const COSINEANNEALINGWARMRESTARTS_KEYS = optionKeys<CosineAnnealingWarmRestartsOptions>()({ t0: true, tMult: true, etaMin: true, lastEpoch: true });
const CYCLICLR_KEYS = optionKeys<CyclicLROptions>()({
  baseLr: true, maxLr: true, stepSizeUp: true, stepSizeDown: true, mode: true, gamma: true, scaleFn: true, scaleMode: true,
  cycleMomentum: true, baseMomentum: true, maxMomentum: true, lastEpoch: true,
});
const ONECYCLELR_KEYS = optionKeys<OneCycleLROptions>()({
  maxLr: true, totalSteps: true, epochs: true, stepsPerEpoch: true, pctStart: true, annealStrategy: true, cycleMomentum: true,
  baseMomentum: true, maxMomentum: true, divFactor: true, finalDivFactor: true, threePhase: true, lastEpoch: true,
});

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
    super("CosineAnnealingLR", optimizer, checkedLastEpoch("CosineAnnealingLR", options, COSINEANNEALINGLR_KEYS, "{ tMax: 100 }"));
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
  checkedLastEpoch(k, o, ONECYCLELR_KEYS);
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
/** Options of CosineAnnealingWarmRestarts, e.g. `{ t0: 10, tMult: 2 }`. */
export interface CosineAnnealingWarmRestartsOptions {
  /** Epochs until the first restart (PyTorch's T_0; a positive integer, required). */
  t0: number;
  /** Each period is this many times longer than the one before (PyTorch's T_mult; integer >= 1, default 1). */
  tMult?: number;
  /** The lowest lr (default 0). */
  etaMin?: number;
  /** Resume at this epoch (the optimizer's groups must then hold `initialLr`); default -1: start fresh. */
  lastEpoch?: number;
}

/**
 * SGDR (Loshchilov & Hutter): cosine annealing from the base lr to `etaMin` over a period of `tI`
 * epochs, then a restart at the base lr with the period multiplied by `tMult`:
 * `lr = etaMin + (baseLr - etaMin)(1 + cos(π·tCur/tI))/2`. `step(epoch)` takes fractional epochs,
 * so it can be stepped per batch with `epoch + i/itersPerEpoch`.
 *
 * ```ts
 * const sched = new CosineAnnealingWarmRestarts(opt, { t0: 10, tMult: 2, etaMin: 1e-5 });
 * ```
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  t0: number;
  /** Length of the current period. */
  tI: number;
  tMult: number;
  etaMin: number;
  /** Epochs since the last restart (fractional when stepped with fractional epochs). */
  tCur: number;

  constructor(optimizer: AnyOptimizer, options: CosineAnnealingWarmRestartsOptions) {
    const k = "CosineAnnealingWarmRestarts";
    super(k, optimizer, checkedLastEpoch("CosineAnnealingWarmRestarts", options, COSINEANNEALINGWARMRESTARTS_KEYS, "{ t0: 10 }"));
    if (!Number.isInteger(options.t0) || options.t0 <= 0) throw new Error(`${k}: t0 (epochs until the first restart) must be a positive integer, got ${String(options.t0)}`);
    const tMult = options.tMult ?? 1;
    if (!Number.isInteger(tMult) || tMult < 1) throw new Error(`${k}: tMult must be an integer >= 1 (1 keeps every period t0 long), got ${String(tMult)}`);
    this.t0 = options.t0;
    this.tI = options.t0;
    this.tMult = tMult;
    this.etaMin = options.etaMin ?? 0;
    this.tCur = this.lastEpoch;
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2);
  }

  /**
   * Advances one epoch, or jumps to `epoch` (fractional allowed: `sched.step(epoch + i / iters)`).
   * As in PyTorch, this scheduler's step does not count toward `stepCount`.
   *
   * ```ts
   * sched.step(3.5);
   * ```
   */
  override step(epoch?: number): void {
    const k = "CosineAnnealingWarmRestarts.step";
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.tCur = this.tCur + 1;
      if (this.tCur >= this.tI) {
        this.tCur = this.tCur - this.tI;
        this.tI = this.tI * this.tMult;
      }
    } else {
      if (typeof epoch !== "number" || !Number.isFinite(epoch) || epoch < 0) throw new Error(`${k}: epoch must be a finite number >= 0, got ${String(epoch)}`);
      if (epoch >= this.t0) {
        if (this.tMult === 1) this.tCur = pyMod(epoch, this.t0);
        else {
          // Which period `epoch` falls in: t0·(tMult^n - 1)/(tMult - 1) epochs precede period n.
          const n = Math.trunc(Math.log((epoch / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
          this.tCur = epoch - (this.t0 * (Math.pow(this.tMult, n) - 1)) / (this.tMult - 1);
          this.tI = this.t0 * Math.pow(this.tMult, n);
        }
      } else {
        this.tI = this.t0;
        this.tCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    const values = this.computeLr();
    this.groups.forEach((g, i) => (g.lr = values[i]));
    this.lastLr = this.groups.map((g) => g.lr);
  }
}

/** Options of CyclicLR, e.g. `{ baseLr: 1e-3, maxLr: 0.1, stepSizeUp: 2000 }`. */
export interface CyclicLROptions {
  /** The lower bound of the cycle (one per param group, or one for all; required). */
  baseLr: number | readonly number[];
  /** The upper bound of the cycle (one per param group, or one for all; required). */
  maxLr: number | readonly number[];
  /** Steps from baseLr up to maxLr (default 2000). */
  stepSizeUp?: number;
  /** Steps back down (default stepSizeUp). */
  stepSizeDown?: number;
  /** "triangular" (default), "triangular2" (amplitude halves every cycle) or "exp_range" (amplitude · gamma^step). */
  mode?: "triangular" | "triangular2" | "exp_range";
  /** exp_range's decay per step (default 1). */
  gamma?: number;
  /** A custom amplitude scale of the cycle number or step (replaces `mode`). */
  scaleFn?: (x: number) => number;
  /** What `scaleFn` reads: "cycle" (default) or "iterations". */
  scaleMode?: "cycle" | "iterations";
  /** Cycle SGD's/RMSprop's `momentum` inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak (default 0.8). */
  baseMomentum?: number | readonly number[];
  /** Momentum at the lr's trough (default 0.9). */
  maxMomentum?: number | readonly number[];
  /** Resume at this step (the optimizer's groups must then hold `initialLr`); default -1: start fresh. */
  lastEpoch?: number;
}

function prepareCyclic(optimizer: AnyOptimizer, o: CyclicLROptions): { optimizer: AnyOptimizer; baseLrs: number[] } {
  const k = "CyclicLR";
  const groups = groupsOf(optimizer, k);
  if (!o || o.baseLr === undefined || o.maxLr === undefined) {
    throw new Error(`${k}: baseLr and maxLr (the bounds of the cycle) are required, e.g. new CyclicLR(opt, {baseLr: 1e-3, maxLr: 0.1})`);
  }
  const baseLrs = perGroup("baseLr", k, o.baseLr, groups.length);
  if ((o.lastEpoch ?? -1) === -1) groups.forEach((g, i) => (g.lr = baseLrs[i]));
  if (o.cycleMomentum ?? true) {
    // PyTorch 1.13 cycles `momentum` only (not Adam's betas).
    if (!("momentum" in (optimizer.defaults as unknown as Record<string, unknown>))) {
      throw new Error(`${k}: cycleMomentum needs an optimizer with a momentum option (SGD, RMSprop), as in PyTorch 1.13; pass cycleMomentum: false`);
    }
    const baseM = perGroup("baseMomentum", k, o.baseMomentum ?? 0.8, groups.length);
    if ((o.lastEpoch ?? -1) === -1) groups.forEach((g, i) => (g.momentum = baseM[i]));
  }
  return { optimizer, baseLrs };
}

const SCALE_FNS = {
  triangular: () => 1,
  triangular2: (x: number) => 1 / Math.pow(2, x - 1),
} as const;

/**
 * Cyclical learning rates (Smith): the lr moves linearly between `baseLr` and `maxLr` and back,
 * `stepSizeUp` steps up and `stepSizeDown` down, with the amplitude scaled per `mode`; momentum moves
 * the opposite way between `maxMomentum` and `baseMomentum`. Step it after every batch.
 *
 * ```ts
 * const sched = new CyclicLR(opt, { baseLr: 1e-3, maxLr: 0.1, stepSizeUp: 500, mode: "triangular2" });
 * ```
 */
export class CyclicLR extends LRScheduler {
  maxLrs: number[];
  totalSize: number;
  stepRatio: number;
  mode: "triangular" | "triangular2" | "exp_range";
  gamma: number;
  scaleMode: "cycle" | "iterations";
  cycleMomentum: boolean;
  baseMomentums: number[] = [];
  maxMomentums: number[] = [];
  private readonly scaleFn: (x: number) => number;

  constructor(optimizer: AnyOptimizer, options: CyclicLROptions) {
    const k = "CyclicLR";
    checkedLastEpoch(k, options, CYCLICLR_KEYS);
    const prepared = prepareCyclic(optimizer, options);
    super(k, prepared.optimizer, options.lastEpoch);
    const groups = this.groups;
    this.maxLrs = perGroup("maxLr", k, options.maxLr, groups.length);
    const up = options.stepSizeUp ?? 2000;
    const down = options.stepSizeDown ?? up;
    if (!(typeof up === "number" && up > 0)) throw new Error(`${k}: stepSizeUp must be a number > 0 (steps from baseLr to maxLr), got ${String(up)}`);
    if (!(typeof down === "number" && down > 0)) throw new Error(`${k}: stepSizeDown must be a number > 0 (steps from maxLr back to baseLr), got ${String(down)}`);
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    const mode = options.mode ?? "triangular";
    if (options.scaleFn === undefined && !["triangular", "triangular2", "exp_range"].includes(mode)) {
      throw new Error(`${k}: mode must be "triangular", "triangular2" or "exp_range" (or give a scaleFn), got ${String(mode)}`);
    }
    this.mode = mode;
    this.gamma = options.gamma ?? 1;
    if (options.scaleFn !== undefined) {
      if (typeof options.scaleFn !== "function") throw new Error(`${k}: scaleFn must be a function of the cycle number or step, got ${typeof options.scaleFn}`);
      const scaleMode = options.scaleMode ?? "cycle";
      if (scaleMode !== "cycle" && scaleMode !== "iterations") throw new Error(`${k}: scaleMode must be "cycle" or "iterations", got ${String(scaleMode)}`);
      this.scaleFn = options.scaleFn;
      this.scaleMode = scaleMode;
    } else if (mode === "exp_range") {
      this.scaleFn = (x) => Math.pow(this.gamma, x);
      this.scaleMode = "iterations";
    } else {
      this.scaleFn = SCALE_FNS[mode];
      this.scaleMode = "cycle";
    }
    this.cycleMomentum = options.cycleMomentum ?? true;
    if (this.cycleMomentum) {
      this.baseMomentums = groups.map((g) => g.momentum as number);
      this.maxMomentums = perGroup("maxMomentum", k, options.maxMomentum ?? 0.9, groups.length);
    }
    this.baseLrs = prepared.baseLrs;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const e = this.lastEpoch;
    const cycle = Math.floor(1 + e / this.totalSize);
    const x = 1 + e / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scaleFn(this.scaleMode === "cycle" ? cycle : e);
    const lrs = this.baseLrs.map((b, i) => b + (this.maxLrs[i] - b) * scaleFactor * scale);
    if (this.cycleMomentum) {
      this.groups.forEach((g, i) => {
        const baseHeight = (this.maxMomentums[i] - this.baseMomentums[i]) * scaleFactor;
        g.momentum = this.maxMomentums[i] - baseHeight * scale;
      });
    }
    return lrs;
  }
}
