/** Schedulers that drive other schedulers (SequentialLR, ChainedScheduler) or follow a metric (ReduceLROnPlateau). */
import type { Tensor } from "../core.js";
import type { ParamGroup } from "./optimizer.js";
import { LRScheduler, type AnyOptimizer, checkedLastEpoch, groupsOf, perGroup, schedulerState, loadSchedulerState } from "./lr-scheduler-base.js";
import { optionKeys } from "../tensor/check.js";

const SEQUENTIAL_KEYS = optionKeys<SequentialLROptions>()({ schedulers: true, milestones: true, lastEpoch: true });
const PLATEAU_KEYS = optionKeys<ReduceLROnPlateauOptions>()({
  mode: true, factor: true, patience: true, threshold: true, thresholdMode: true, cooldown: true, minLr: true, eps: true,
});

function checkSameOptimizer(kind: string, optimizer: AnyOptimizer, schedulers: readonly LRScheduler[]): void {
  if (!Array.isArray(schedulers) || schedulers.length === 0) throw new Error(`${kind}: schedulers must be a non-empty list of schedulers`);
  schedulers.forEach((s, i) => {
    if (!(s instanceof LRScheduler)) throw new Error(`${kind}: entry ${i} is not an epoch-based scheduler (ReduceLROnPlateau cannot be combined)`);
    if (s.optimizer !== optimizer) throw new Error(`${kind}: scheduler ${i} drives a different optimizer; build every scheduler on the same optimizer`);
  });
}

/** Options of SequentialLR, e.g. `{ schedulers: [warmup, cosine], milestones: [5] }`. */
export interface SequentialLROptions {
  /** The schedulers, each built on the same optimizer, in the order they take over. */
  schedulers: readonly LRScheduler[];
  /** Epochs at which the next scheduler takes over (one fewer than the schedulers). */
  milestones: readonly number[];
  /** Resume at this epoch; default -1: start fresh. */
  lastEpoch?: number;
}

/**
 * Runs schedulers one after another, switching at the milestones (the new one restarts from its
 * epoch 0). The usual warm-up then decay:
 *
 * ```ts
 * const sched = new SequentialLR(opt, { schedulers: [new LinearLR(opt, { startFactor: 0.1 }), new CosineAnnealingLR(opt, { tMax: 95 })], milestones: [5] });
 * ```
 */
export class SequentialLR {
  readonly optimizer: AnyOptimizer;
  readonly schedulers: LRScheduler[];
  milestones: number[];
  lastEpoch: number;
  lastLr: number[];

  constructor(optimizer: AnyOptimizer, options: SequentialLROptions) {
    const k = "SequentialLR";
    checkedLastEpoch(k, options, SEQUENTIAL_KEYS);
    groupsOf(optimizer, k);
    checkSameOptimizer(k, optimizer, options?.schedulers);
    if (!Array.isArray(options.milestones) || options.milestones.length !== options.schedulers.length - 1) {
      throw new Error(`${k}: expected ${options.schedulers.length - 1} milestone(s) for ${options.schedulers.length} schedulers, got ${JSON.stringify(options.milestones)}`);
    }
    this.optimizer = optimizer;
    this.schedulers = [...options.schedulers];
    this.milestones = [...options.milestones];
    this.lastEpoch = (options.lastEpoch ?? -1) + 1;
    // Each scheduler's constructor already stepped the lr: undo that, then start the first one.
    for (const g of optimizer.paramGroups as ParamGroup[]) g.lr = g.initialLr as number;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    const first = this.schedulers[0];
    first.stepCount = 0;
    first.step();
    this.lastLr = first.getLastLr();
  }

  /**
   * Advances one epoch, handing over to the next scheduler at a milestone.
   *
   * ```ts
   * opt.step(); sched.step();
   * ```
   */
  step(): void {
    this.lastEpoch++;
    const idx = this.milestones.filter((m) => m <= this.lastEpoch).length;
    const s = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s.step(0);
    else s.step();
    this.lastLr = s.getLastLr();
  }

  /** The lrs set by the latest `step`: `sched.getLastLr()[0]`. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Own fields plus each scheduler's state under `_schedulers`: `const saved = sched.stateDict()`. */
  stateDict(): Record<string, unknown> {
    return {
      _milestones: [...this.milestones],
      last_epoch: this.lastEpoch,
      _last_lr: [...this.lastLr],
      _schedulers: this.schedulers.map((s) => s.stateDict()),
    };
  }

  /** Restores what `stateDict` saved, into this scheduler and the ones it wraps: `sched.loadStateDict(saved)`. */
  loadStateDict(state: Record<string, unknown>): void {
    loadNested(this, "SequentialLR", state);
    if (Array.isArray(state._milestones)) this.milestones = [...(state._milestones as number[])];
  }
}

function loadNested(self: { schedulers: LRScheduler[]; lastEpoch?: number; lastLr: number[] }, kind: string, state: Record<string, unknown>): void {
  if (state === null || typeof state !== "object") throw new Error(`${kind}.loadStateDict: expected an object as returned by stateDict(), got ${String(state)}`);
  const inner = state._schedulers;
  if (!Array.isArray(inner) || inner.length !== self.schedulers.length) {
    throw new Error(`${kind}.loadStateDict: the saved state wraps ${Array.isArray(inner) ? inner.length : "no"} schedulers but this one wraps ${self.schedulers.length}`);
  }
  if (typeof state.last_epoch === "number") self.lastEpoch = state.last_epoch;
  if (Array.isArray(state._last_lr)) self.lastLr = [...(state._last_lr as number[])];
  inner.forEach((s, i) => self.schedulers[i].loadStateDict(s as Record<string, unknown>));
}

/**
 * Steps several schedulers together, so their factors multiply (e.g. a warm-up on top of a decay).
 *
 * ```ts
 * const sched = new ChainedScheduler([new ConstantLR(opt, { factor: 0.1, totalIters: 2 }), new ExponentialLR(opt, { gamma: 0.9 })]);
 * ```
 */
export class ChainedScheduler {
  readonly optimizer: AnyOptimizer;
  readonly schedulers: LRScheduler[];
  lastLr: number[];

  constructor(schedulers: readonly LRScheduler[]) {
    if (!Array.isArray(schedulers) || schedulers.length === 0) throw new Error("ChainedScheduler: schedulers must be a non-empty list of schedulers");
    checkSameOptimizer("ChainedScheduler", schedulers[0].optimizer, schedulers);
    this.optimizer = schedulers[0].optimizer;
    this.schedulers = [...schedulers];
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps every wrapped scheduler once, in order: `opt.step(); sched.step()`. */
  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The lrs after the latest `step`: `sched.getLastLr()[0]`. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Each wrapped scheduler's state under `_schedulers`: `const saved = sched.stateDict()`. */
  stateDict(): Record<string, unknown> {
    return { _last_lr: [...this.lastLr], _schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** Restores what `stateDict` saved: `sched.loadStateDict(saved)`. */
  loadStateDict(state: Record<string, unknown>): void {
    loadNested(this, "ChainedScheduler", state);
  }
}
/** Options of ReduceLROnPlateau, e.g. `{ mode: "max", patience: 3 }`. */
export interface ReduceLROnPlateauOptions {
  /** "min": the metric should fall (a loss); "max": rise (an accuracy). Default "min". */
  mode?: "min" | "max";
  /** lr multiplier on a plateau (default 0.1; must be < 1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** "rel" (default): improvement relative to the best; "abs": absolute. */
  thresholdMode?: "rel" | "abs";
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown?: number;
  /** Lower bound on the lr (one per group, or one for all; default 0). */
  minLr?: number | readonly number[];
  /** Reductions smaller than eps are skipped (default 1e-8). */
  eps?: number;
}

/**
 * Reduces the lr by `factor` when a metric has stopped improving for `patience` epochs. Pass the
 * metric to `step` (a number or a one-element tensor).
 *
 * ```ts
 * const sched = new ReduceLROnPlateau(opt, { patience: 5 }); ... sched.step(valLoss);
 * ```
 */
export class ReduceLROnPlateau {
  readonly optimizer: AnyOptimizer;
  mode: "min" | "max";
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: "rel" | "abs";
  cooldown: number;
  cooldownCounter = 0;
  minLrs: number[];
  eps: number;
  /** Best metric seen so far. */
  best: number;
  numBadEpochs = 0;
  modeWorse: number;
  lastEpoch = 0;
  lastLr: number[];

  constructor(optimizer: AnyOptimizer, options: ReduceLROnPlateauOptions = {}) {
    const k = "ReduceLROnPlateau";
    checkedLastEpoch(k, options, PLATEAU_KEYS);
    const groups = groupsOf(optimizer, k);
    this.optimizer = optimizer;
    this.factor = options.factor ?? 0.1;
    if (!(this.factor < 1)) throw new Error(`${k}: factor must be < 1 (it multiplies the lr), got ${this.factor}`);
    this.mode = options.mode ?? "min";
    if (this.mode !== "min" && this.mode !== "max") throw new Error(`${k}: mode must be "min" or "max", got ${String(this.mode)}`);
    this.thresholdMode = options.thresholdMode ?? "rel";
    if (this.thresholdMode !== "rel" && this.thresholdMode !== "abs") throw new Error(`${k}: thresholdMode must be "rel" or "abs", got ${String(this.thresholdMode)}`);
    this.patience = options.patience ?? 10;
    this.threshold = options.threshold ?? 1e-4;
    this.cooldown = options.cooldown ?? 0;
    this.minLrs = perGroup("minLr", k, options.minLr ?? 0, groups.length);
    this.eps = options.eps ?? 1e-8;
    this.modeWorse = this.worst();
    this.best = this.modeWorse;
    this.lastLr = groups.map((g) => g.lr);
  }

  private isBetter(a: number, best: number): boolean {
    const t = this.threshold;
    if (this.mode === "min") return this.thresholdMode === "rel" ? a < best * (1 - t) : a < best - t;
    return this.thresholdMode === "rel" ? a > best * (1 + t) : a > best + t;
  }

  /**
   * Records this epoch's metric and reduces the lr after `patience` epochs without improvement.
   *
   * ```ts
   * sched.step(valLoss);
   * ```
   */
  step(metric: number | Tensor, epoch?: number): void {
    const current = typeof metric === "number" ? metric : metric.item();
    this.lastEpoch = epoch ?? this.lastEpoch + 1;
    // A best lost to JSON (Infinity -> null) restarts the comparison. From the mode, not from
    // modeWorse: plain JSON turns that into null as well.
    if (typeof this.best !== "number") this.best = this.worst();
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      (this.optimizer.paramGroups as ParamGroup[]).forEach((g, i) => {
        const newLr = Math.max(g.lr * this.factor, this.minLrs[i]);
        if (g.lr - newLr > this.eps) g.lr = newLr;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Whether the scheduler is waiting out `cooldown` after a reduction. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /**
   * The lrs (one per param group) after the latest `step`.
   *
   * ```ts
   * console.log(sched.getLastLr());
   * ```
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The scheduler's fields under PyTorch's names (best may be ±Infinity: use
   * `serializeOptimizerState` to keep it through JSON).
   *
   * ```ts
   * const saved = sched.stateDict();
   * ```
   */
  stateDict(): Record<string, unknown> {
    return schedulerState(this);
  }

  /**
   * Restores fields saved by `stateDict`.
   *
   * ```ts
   * sched.loadStateDict(saved);
   * ```
   */
  loadStateDict(state: Record<string, unknown>): void {
    loadSchedulerState(this, "ReduceLROnPlateau", state);
    // mode_worse is ±Infinity, which plain JSON saves as null; it follows from the mode anyway.
    this.modeWorse = this.worst();
  }

  /** The worst metric for the mode (PyTorch's mode_worse): +Infinity when lower is better, else -Infinity. */
  private worst(): number {
    return this.mode === "min" ? Infinity : -Infinity;
  }
}