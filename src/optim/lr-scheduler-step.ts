/** Schedulers that scale the lr by a rule of the epoch: step, multi-step, exponential, linear, polynomial, constant, lambda. */
import { LRScheduler, type AnyOptimizer, checkedLastEpoch, groupsOf } from "./lr-scheduler-base.js";
import { optionKeys } from "../tensor/check.js";

/** Each scheduler's option keys: anything else is a misspelling (checkedLastEpoch). */
const STEPLR_KEYS = optionKeys<StepLROptions>()({ stepSize: true, gamma: true, lastEpoch: true });
const MULTISTEPLR_KEYS = optionKeys<MultiStepLROptions>()({ milestones: true, gamma: true, lastEpoch: true });
const EXPONENTIALLR_KEYS = optionKeys<ExponentialLROptions>()({ gamma: true, lastEpoch: true });
const LINEARLR_KEYS = optionKeys<LinearLROptions>()({ startFactor: true, endFactor: true, totalIters: true, lastEpoch: true });
const LAMBDALR_KEYS = optionKeys<LambdaLROptions>()({ lrLambda: true, lastEpoch: true });
const MULTIPLICATIVELR_KEYS = LAMBDALR_KEYS;
const CONSTANTLR_KEYS = optionKeys<ConstantLROptions>()({ factor: true, totalIters: true, lastEpoch: true });
const POLYNOMIALLR_KEYS = optionKeys<PolynomialLROptions>()({ totalIters: true, power: true, lastEpoch: true });

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
    super("StepLR", optimizer, checkedLastEpoch("StepLR", options, STEPLR_KEYS, "{ stepSize: 30 }"));
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
    super("MultiStepLR", optimizer, checkedLastEpoch("MultiStepLR", options, MULTISTEPLR_KEYS, "{ milestones: [30, 80] }"));
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
    super("ExponentialLR", optimizer, checkedLastEpoch("ExponentialLR", options, EXPONENTIALLR_KEYS, "{ gamma: 0.9 }"));
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
    super("LinearLR", optimizer, checkedLastEpoch("LinearLR", options, LINEARLR_KEYS));
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
  // Checked here: spreading a number would throw a bare TypeError that names neither the scheduler nor the option.
  if (typeof lrLambda !== "function" && !Array.isArray(lrLambda) && lrLambda !== undefined) {
    throw new Error(`${kind}: lrLambda must be a function (epoch) => factor, or one per param group, got ${typeof lrLambda}`);
  }
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
    super("LambdaLR", optimizer, checkedLastEpoch("LambdaLR", options, LAMBDALR_KEYS, "{ lrLambda: (epoch) => 0.95 ** epoch }"));
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
    super("MultiplicativeLR", optimizer, checkedLastEpoch("MultiplicativeLR", options, MULTIPLICATIVELR_KEYS, "{ lrLambda: () => 0.95 }"));
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
    super("ConstantLR", optimizer, checkedLastEpoch("ConstantLR", options, CONSTANTLR_KEYS));
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
/** Options of PolynomialLR, e.g. `{ totalIters: 100, power: 2 }`. */
export interface PolynomialLROptions {
  /** Epochs over which the lr decays to 0 (default 5). */
  totalIters?: number;
  /** Power of the polynomial (default 1: linear decay). */
  power?: number;
  /** Resume at this epoch (the optimizer's groups must then hold `initialLr`); default -1: start fresh. */
  lastEpoch?: number;
}

/**
 * Polynomial decay to 0 over `totalIters` epochs: `lr = baseLr · (1 - min(epoch, totalIters)/totalIters)^power`,
 * then held at 0 (`step()` uses PyTorch's recursive form, `step(epoch)` this closed form).
 *
 * ```ts
 * const sched = new PolynomialLR(opt, { totalIters: 100, power: 2 });
 * ```
 */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;

  constructor(optimizer: AnyOptimizer, options: PolynomialLROptions = {}) {
    super("PolynomialLR", optimizer, checkedLastEpoch("PolynomialLR", options, POLYNOMIALLR_KEYS));
    const total = options.totalIters ?? 5;
    if (!Number.isInteger(total) || total < 1) throw new Error(`PolynomialLR: totalIters must be an integer >= 1 (epochs until the lr reaches 0), got ${total}`);
    const power = options.power ?? 1;
    if (typeof power !== "number" || !Number.isFinite(power)) throw new Error(`PolynomialLR: power must be a finite number (1 is linear decay), got ${String(power)}`);
    this.totalIters = total;
    this.power = power;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { lastEpoch: e, totalIters: T } = this;
    if (e === 0 || e > T) return this.groups.map((g) => g.lr);
    const factor = Math.pow((1 - e / T) / (1 - (e - 1) / T), this.power);
    return this.groups.map((g) => g.lr * factor);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * Math.pow(1 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters, this.power));
  }
}
