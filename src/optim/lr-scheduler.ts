/**
 * Learning-rate schedulers: each `step()` rewrites `lr` in the optimizer's param groups, following
 * PyTorch 1.13's formulas (the recursive "chainable" forms for `step()`, the closed forms when an
 * explicit epoch is given), so the lr sequences match PyTorch's value for value.
 *
 * Call `scheduler.step()` after `optimizer.step()`, once per epoch (or per batch for OneCycleLR).
 */
import type { Tensor } from "../core.js";
import { argError } from "../tensor/check.js";
import { Optimizer, type BaseOptions, type ParamGroup, toCamel, toSnake } from "./optimizer.js";

/** Field names whose PyTorch spelling is not plain snake_case. */
const PYTORCH_NAMES: Record<string, string> = { stepCount: "_step_count", lastLr: "_last_lr", tMax: "T_max" };
const FROM_PYTORCH: Record<string, string> = Object.fromEntries(Object.entries(PYTORCH_NAMES).map(([a, b]) => [b, a]));

function copyPlain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyPlain);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, copyPlain(x)]));
  return v;
}

/** A scheduler's state: its own fields (everything but the optimizer) with PyTorch's names. */
function schedulerState(self: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(self)) {
    if (key === "optimizer" || typeof value === "function") continue;
    out[PYTORCH_NAMES[key] ?? toSnake(key)] = copyPlain(value);
  }
  return out;
}

const NOT_STATE = new Set(["optimizer", "kind", "lrLambdas", "schedulers"]);

function loadSchedulerState(self: object, kind: string, state: Record<string, unknown>): void {
  if (state === null || typeof state !== "object") throw new Error(`${kind}.loadStateDict: expected an object as returned by stateDict(), got ${String(state)}`);
  const target = self as Record<string, unknown>;
  for (const [key, value] of Object.entries(state)) {
    const name = FROM_PYTORCH[key] ?? toCamel(key);
    // Unknown keys (PyTorch's verbose, _get_lr_called_within_step, ...) have nothing to restore;
    // the optimizer and the lr functions are the caller's, never state.
    if (NOT_STATE.has(name) || !Object.prototype.hasOwnProperty.call(target, name)) continue;
    target[name] = copyPlain(value);
  }
}

type AnyOptimizer = Optimizer<BaseOptions>;

function groupsOf(optimizer: AnyOptimizer, kind: string): ParamGroup[] {
  if (!(optimizer instanceof Optimizer)) throw new Error(`${kind}: the first argument must be an optimizer (e.g. new SGD(...)), got ${String(optimizer)}`);
  return optimizer.paramGroups as ParamGroup[];
}

/** Python's modulo (the result takes the divisor's sign), which PyTorch's formulas rely on. */
function pyMod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** A scalar, or one value per param group, as a list with one value per group. */
function perGroup(name: string, kind: string, value: number | readonly number[], groups: number): number[] {
  if (Array.isArray(value)) {
    if (value.length !== groups) throw new Error(`${kind}: expected ${groups} values for ${name} (one per param group), got ${value.length}`);
    return [...value];
  }
  return new Array<number>(groups).fill(value as number);
}

/**
 * Base class of the epoch-based schedulers. Subclasses give the recursive rule (`computeLr`, from
 * the current group lrs) and, when PyTorch has one, the closed form used by `step(epoch)`.
 *
 * ```ts
 * const sched = new StepLR(opt, { stepSize: 30 }); for (...) { train(); sched.step(); }
 * ```
 */
export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer;
  /** The lr each group started from (its `initialLr`). */
  baseLrs: number[];
  /** The epoch counter: -1 before the constructor's initial step, then incremented by each `step()`. */
  lastEpoch: number;
  /** How many times `step` ran (the constructor's own step included). */
  stepCount = 0;
  /** The lrs set by the latest `step`. */
  lastLr: number[] = [];
  protected readonly kind: string;

  protected constructor(kind: string, optimizer: AnyOptimizer, lastEpoch = -1) {
    // A subclass written in JavaScript calls super(name, optimizer): check the shape of that call.
    if (typeof kind !== "string") throw argError("LRScheduler", "the subclass name (first argument of super)", 'a string like "MyScheduler"', kind);
    const groups = groupsOf(optimizer, kind);
    this.kind = kind;
    this.optimizer = optimizer;
    if (!Number.isInteger(lastEpoch) || lastEpoch < -1) throw new Error(`${kind}: lastEpoch must be an integer >= -1, got ${lastEpoch}`);
    if (lastEpoch === -1) {
      for (const g of groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined) {
          throw new Error(`${kind}: param group ${i} has no initialLr, needed to resume at lastEpoch ${lastEpoch}; load the optimizer's stateDict first or start with lastEpoch -1`);
        }
      });
    }
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** The constructor's first step; subclasses call it once their own fields are set. */
  protected initialStep(): void {
    this.step();
  }

  /** The lrs for `lastEpoch`, from the current group lrs (PyTorch's get_lr). */
  protected abstract computeLr(): number[];

  /** The lrs for `lastEpoch` straight from `baseLrs`, where PyTorch has such a formula. */
  protected closedFormLr(): number[] | null {
    return null;
  }

  protected get groups(): ParamGroup[] {
    return this.optimizer.paramGroups as ParamGroup[];
  }

  /**
   * Advances one epoch and writes the new lrs into the optimizer. `epoch` jumps to that epoch
   * (deprecated in PyTorch; uses the closed form where there is one).
   *
   * ```ts
   * opt.step(); sched.step();
   * ```
   */
  step(epoch?: number): void {
    this.stepCount++;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch++;
      values = this.computeLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr() ?? this.computeLr();
    }
    this.groups.forEach((g, i) => (g.lr = values[i]));
    this.lastLr = this.groups.map((g) => g.lr);
  }

  /**
   * The lrs (one per param group) set by the latest `step`.
   *
   * ```ts
   * console.log(sched.getLastLr()[0]);
   * ```
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The scheduler's fields (all but the optimizer) under PyTorch's names; plain JSON.
   *
   * ```ts
   * const saved = sched.stateDict(); sched2.loadStateDict(saved);
   * ```
   */
  stateDict(): Record<string, unknown> {
    const s = schedulerState(this);
    delete s.kind;
    return s;
  }

  /**
   * Restores fields saved by `stateDict` (PyTorch's names accepted); the optimizer is not touched.
   *
   * ```ts
   * sched.loadStateDict(saved);
   * ```
   */
  loadStateDict(state: Record<string, unknown>): void {
    loadSchedulerState(this, this.kind, state);
  }
}

/** Options of StepLR, e.g. `{ stepSize: 30, gamma: 0.1 }`. */
export interface StepLROptions {
  /** Epochs between decays (required). */
  stepSize: number;
  /** Decay factor (default 0.1). */
  gamma?: number;
  /** Resume at this epoch (the optimizer's groups must then hold `initialLr`); default -1: start fresh. */
  lastEpoch?: number;
}

/**
 * Multiplies the lr by `gamma` every `stepSize` epochs: `lr = baseLr · gamma^⌊epoch / stepSize⌋`.
 *
 * ```ts
 * const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * ```
 */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: AnyOptimizer, options: StepLROptions) {
    super("StepLR", optimizer, options?.lastEpoch);
    if (!Number.isInteger(options.stepSize) || options.stepSize < 1) throw new Error(`StepLR: stepSize must be a positive integer, got ${options.stepSize}`);
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  protected computeLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * Math.pow(this.gamma, Math.floor(this.lastEpoch / this.stepSize)));
  }
}

/** Options of MultiStepLR, e.g. `{ milestones: [30, 80] }`. */
export interface MultiStepLROptions {
  /** Epochs at which to decay (a milestone listed twice decays twice). */
  milestones: readonly number[];
  /** Decay factor (default 0.1). */
  gamma?: number;
  /** Resume at this epoch (the optimizer's groups must then hold `initialLr`); default -1: start fresh. */
  lastEpoch?: number;
}

/**
 * Multiplies the lr by `gamma` at each milestone epoch: `lr = baseLr · gamma^(milestones ≤ epoch)`.
 *
 * ```ts
 * const sched = new MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 * ```
 */
export class MultiStepLR extends LRScheduler {
  /** Sorted milestones, repeats kept. */
  milestones: number[];
  gamma: number;

  constructor(optimizer: AnyOptimizer, options: MultiStepLROptions) {
    super("MultiStepLR", optimizer, options?.lastEpoch);
    if (!Array.isArray(options.milestones) || options.milestones.some((m) => !Number.isInteger(m))) {
      throw new Error(`MultiStepLR: milestones must be a list of integer epochs, e.g. [30, 80], got ${JSON.stringify(options.milestones)}`);
    }
    this.milestones = [...options.milestones].sort((a, b) => a - b);
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (hits === 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * Math.pow(this.gamma, hits));
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((b) => b * Math.pow(this.gamma, passed));
  }
}

/** Options of ExponentialLR, e.g. `{ gamma: 0.95 }`. */
export interface ExponentialLROptions {
  /** Decay factor per epoch (required). */
  gamma: number;
  /** Resume at this epoch (the optimizer's groups must then hold `initialLr`); default -1: start fresh. */
  lastEpoch?: number;
}

/**
 * Multiplies the lr by `gamma` every epoch: `lr = baseLr · gamma^epoch`.
 *
 * ```ts
 * const sched = new ExponentialLR(opt, { gamma: 0.95 });
 * ```
 */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: AnyOptimizer, options: ExponentialLROptions) {
    super("ExponentialLR", optimizer, options?.lastEpoch);
    if (typeof options.gamma !== "number") throw new Error(`ExponentialLR: gamma (the decay per epoch) is required, e.g. {gamma: 0.95}`);
    this.gamma = options.gamma;
    this.initialStep();
  }

  protected computeLr(): number[] {
    if (this.lastEpoch === 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * Math.pow(this.gamma, this.lastEpoch));
  }
}

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

/** Options of LinearLR, e.g. `{ startFactor: 0.1, totalIters: 5 }`. */
export interface LinearLROptions {
  /** Factor on the base lr at epoch 0 (default 1/3; in (0, 1]). */
  startFactor?: number;
  /** Factor reached at `totalIters` (default 1; in [0, 1]). */
  endFactor?: number;
  /** Epochs of the ramp (default 5). */
  totalIters?: number;
  /** Resume at this epoch (the optimizer's groups must then hold `initialLr`); default -1: start fresh. */
  lastEpoch?: number;
}

/**
 * Linear warm-up (or decay): the factor on the base lr moves linearly from `startFactor` to
 * `endFactor` over `totalIters` epochs, then stays:
 * `lr = baseLr · (start + (end - start)·min(epoch, totalIters)/totalIters)`.
 *
 * ```ts
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * ```
 */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: AnyOptimizer, options: LinearLROptions = {}) {
    super("LinearLR", optimizer, options.lastEpoch);
    const start = options.startFactor ?? 1 / 3;
    const end = options.endFactor ?? 1;
    if (!(start > 0 && start <= 1)) throw new Error(`LinearLR: startFactor must be in (0, 1], got ${start}`);
    if (!(end >= 0 && end <= 1)) throw new Error(`LinearLR: endFactor must be in [0, 1], got ${end}`);
    const total = options.totalIters ?? 5;
    if (!Number.isInteger(total) || total < 1) throw new Error(`LinearLR: totalIters must be a positive integer, got ${total}`);
    this.startFactor = start;
    this.endFactor = end;
    this.totalIters = total;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { startFactor: s, endFactor: f, totalIters: n, lastEpoch: e } = this;
    if (e === 0) return this.groups.map((g) => g.lr * s);
    if (e > n) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * (1 + (f - s) / (n * s + (e - 1) * (f - s))));
  }

  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: f, totalIters: n } = this;
    return this.baseLrs.map((b) => b * (s + ((f - s) * Math.min(n, this.lastEpoch)) / n));
  }
}

/** A function of the epoch giving a factor, e.g. `(epoch) => 0.95 ** epoch`. */
export type LrLambda = (epoch: number) => number;

function lambdasFor(kind: string, optimizer: AnyOptimizer, lrLambda: LrLambda | readonly LrLambda[]): LrLambda[] {
  const n = groupsOf(optimizer, kind).length;
  const list = typeof lrLambda === "function" ? new Array<LrLambda>(n).fill(lrLambda) : [...(lrLambda ?? [])];
  if (list.length !== n) throw new Error(`${kind}: expected ${n} lr lambdas (one per param group), got ${list.length}`);
  list.forEach((f, i) => {
    if (typeof f !== "function") throw new Error(`${kind}: lr lambda ${i} is not a function; pass (epoch) => factor`);
  });
  return list;
}

/** Options of LambdaLR and MultiplicativeLR, e.g. `{ lrLambda: (epoch) => 0.95 ** epoch }`. */
export interface LambdaLROptions {
  /** One function of the epoch for all groups, or one per group. */
  lrLambda: LrLambda | readonly LrLambda[];
  /** Resume at this epoch (the optimizer's groups must then hold `initialLr`); default -1: start fresh. */
  lastEpoch?: number;
}

/**
 * Sets each group's lr to its base lr times a function of the epoch: `lr = lr₀ · f(epoch)`. The
 * functions are not part of `stateDict` (as in PyTorch): pass them again when restoring.
 *
 * ```ts
 * const warmup = new LambdaLR(opt, { lrLambda: (e) => Math.min(1, (e + 1) / 10) });
 * ```
 */
export class LambdaLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: AnyOptimizer, options: LambdaLROptions) {
    super("LambdaLR", optimizer, options?.lastEpoch);
    this.lrLambdas = lambdasFor("LambdaLR", optimizer, options.lrLambda);
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.lrLambdas[i](this.lastEpoch));
  }

  override stateDict(): Record<string, unknown> {
    const s = super.stateDict();
    delete s.lr_lambdas;
    return s;
  }
}

/**
 * Multiplies each group's lr by a function of the epoch at every step after the first:
 * `lr_e = lr_{e-1} · f(e)`.
 *
 * ```ts
 * const sched = new MultiplicativeLR(opt, { lrLambda: () => 0.95 });
 * ```
 */
export class MultiplicativeLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: AnyOptimizer, options: LambdaLROptions) {
    super("MultiplicativeLR", optimizer, options?.lastEpoch);
    this.lrLambdas = lambdasFor("MultiplicativeLR", optimizer, options.lrLambda);
    this.initialStep();
  }

  protected computeLr(): number[] {
    if (this.lastEpoch > 0) return this.groups.map((g, i) => g.lr * this.lrLambdas[i](this.lastEpoch));
    return this.groups.map((g) => g.lr);
  }

  override stateDict(): Record<string, unknown> {
    const s = super.stateDict();
    delete s.lr_lambdas;
    return s;
  }
}

/** Options of ConstantLR, e.g. `{ factor: 0.5, totalIters: 4 }`. */
export interface ConstantLROptions {
  /** Factor on the base lr until `totalIters` (default 1/3; in [0, 1]). */
  factor?: number;
  /** Epochs at the reduced lr (default 5). */
  totalIters?: number;
  /** Resume at this epoch (the optimizer's groups must then hold `initialLr`); default -1: start fresh. */
  lastEpoch?: number;
}

/**
 * Holds the lr at `factor · lr₀` for the first `totalIters` epochs, then at `lr₀`.
 *
 * ```ts
 * const sched = new ConstantLR(opt, { factor: 0.1, totalIters: 3 });
 * ```
 */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  constructor(optimizer: AnyOptimizer, options: ConstantLROptions = {}) {
    super("ConstantLR", optimizer, options.lastEpoch);
    const factor = options.factor ?? 1 / 3;
    if (!(factor >= 0 && factor <= 1)) throw new Error(`ConstantLR: factor must be in [0, 1], got ${factor}`);
    const total = options.totalIters ?? 5;
    if (!Number.isInteger(total) || total < 0) throw new Error(`ConstantLR: totalIters must be an integer >= 0, got ${total}`);
    this.factor = factor;
    this.totalIters = total;
    this.initialStep();
  }

  protected computeLr(): number[] {
    if (this.lastEpoch === 0) return this.groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * (1 / this.factor));
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (this.factor + (this.lastEpoch >= this.totalIters ? 1 - this.factor : 0)));
  }
}

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
    this.modeWorse = this.mode === "min" ? Infinity : -Infinity;
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
    // A best lost to JSON (Infinity -> null) restarts the comparison.
    if (typeof this.best !== "number") this.best = this.modeWorse;
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
  }
}
