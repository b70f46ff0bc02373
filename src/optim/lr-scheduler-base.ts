/**
 * The scheduler base class and the helpers every scheduler family shares: PyTorch-named state
 * dicts, per-group values, Python's modulo. Each `step()` rewrites `lr` in the optimizer's param
 * groups, following PyTorch 1.13's formulas (the recursive "chainable" forms for `step()`, the
 * closed forms when an explicit epoch is given), so the lr sequences match PyTorch's value for value.
 *
 * Call `scheduler.step()` after `optimizer.step()`, once per epoch (or per batch for OneCycleLR/CyclicLR).
 */
import { argError, checkKeys, isTensor } from "../tensor/check.js";
import { Optimizer, type BaseOptions, type ParamGroup, toCamel, toSnake } from "./optimizer.js";

/** Field names whose PyTorch spelling is not plain snake_case. */
const PYTORCH_NAMES: Record<string, string> = {
  stepCount: "_step_count", lastLr: "_last_lr", tMax: "T_max", t0: "T_0", tI: "T_i", tMult: "T_mult", tCur: "T_cur",
};
const FROM_PYTORCH: Record<string, string> = Object.fromEntries(Object.entries(PYTORCH_NAMES).map(([a, b]) => [b, a]));

export function copyPlain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyPlain);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, copyPlain(x)]));
  return v;
}

/** A scheduler's state: its own fields (everything but the optimizer) with PyTorch's names. */
export function schedulerState(self: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(self)) {
    if (key === "optimizer" || typeof value === "function") continue;
    out[PYTORCH_NAMES[key] ?? toSnake(key)] = copyPlain(value);
  }
  return out;
}

const NOT_STATE = new Set(["optimizer", "kind", "lrLambdas", "schedulers"]);

export function loadSchedulerState(self: object, kind: string, state: Record<string, unknown>): void {
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

export type AnyOptimizer = Optimizer<BaseOptions>;

export function groupsOf(optimizer: AnyOptimizer, kind: string): ParamGroup[] {
  if (!(optimizer instanceof Optimizer)) throw new Error(`${kind}: the first argument must be an optimizer (e.g. new SGD(...)), got ${String(optimizer)}`);
  return optimizer.paramGroups as ParamGroup[];
}

/** Python's modulo (the result takes the divisor's sign), which PyTorch's formulas rely on. */
export function pyMod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** A scalar, or one value per param group, as a list with one value per group. */
export function perGroup(name: string, kind: string, value: number | readonly number[], groups: number): number[] {
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

/**
 * A scheduler's options object checked for misspelt keys (`{ step_size: 10 }`, `{ tmax: 5 }`) before
 * anything else, with the `lastEpoch` it gives for the base constructor: written in the `super(...)`
 * call so nothing (not even the optimizer's initial lrs) is touched by a call that then fails.
 *
 * Options that are not an object (null, a number, a Tensor) are an error; left out, they are an
 * error only when `required` (an example of them) is given.
 *
 * @example super("StepLR", optimizer, checkedLastEpoch("StepLR", options, STEP_LR_KEYS, "{ stepSize: 30 }"));
 */
export function checkedLastEpoch(kind: string, options: object | undefined, keys: readonly string[], required?: string): number | undefined {
  // `required`: an example of the options, for schedulers that cannot run without them (StepLR's
  // stepSize); the constructors read their options directly, so leaving them out must stop here.
  if (options === undefined) {
    if (required !== undefined) throw new Error(`${kind}: options are required, e.g. new ${kind}(optimizer, ${required})`);
    return undefined;
  }
  if (options === null || typeof options !== "object" || isTensor(options)) {
    throw argError(kind, "options", `an object like ${required ?? `{ ${keys[0]}: ... }`}`, options);
  }
  checkKeys(kind, options, keys);
  return (options as { lastEpoch?: number }).lastEpoch;
}
