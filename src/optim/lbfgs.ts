/** L-BFGS: a quasi-Newton method that re-evaluates the model through a closure, with optional strong-Wolfe line search. */
import { Tensor, enableGrad, noGrad } from "../core.js";
import { describe, optionKeys } from "../tensor/check.js";
import { Optimizer, type BaseOptions, type ParamGroup, type ParamGroupInput, type Params, type StateValue, checkOption } from "./optimizer.js";
import { absMax, dot, pyMin, strongWolfe } from "./line-search.js";

/** LBFGS's options (PyTorch's defaults), e.g. `{ lr: 1, historySize: 10, lineSearchFn: "strong_wolfe" }`. */
export interface LBFGSOptions extends BaseOptions {
  /** Step length, or the first trial step of the line search (default 1). */
  lr: number;
  /** Most iterations per `step` call (default 20). */
  maxIter: number;
  /** Most closure evaluations per `step` call (default floor(maxIter·5/4)). */
  maxEval: number;
  /** Stop when every gradient element is at most this in absolute value (default 1e-7). */
  toleranceGrad: number;
  /** Stop when the loss or the parameters change by less than this (default 1e-9). */
  toleranceChange: number;
  /** How many past (step, gradient change) pairs approximate the inverse Hessian (default 100). */
  historySize: number;
  /** `"strong_wolfe"` for PyTorch's line search, or null for fixed steps of `lr` (default null). */
  lineSearchFn: "strong_wolfe" | null;
}

/** The closure LBFGS re-evaluates: zero the gradients, compute the loss, call backward, return the loss. */
export type LBFGSClosure<L extends Tensor | number = Tensor | number> = () => L;

const LBFGS_DEFAULTS: Omit<LBFGSOptions, "maxEval"> = { lr: 1, maxIter: 20, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null };

/** Every option LBFGS takes: anything else is a misspelling (checked in Optimizer). */
const LBFGS_KEYS = optionKeys<LBFGSOptions>()({ lr: true, maxIter: true, maxEval: true, toleranceGrad: true, toleranceChange: true, historySize: true, lineSearchFn: true });

/**
 * L-BFGS, PyTorch's algorithm (after minFunc): each `step(closure)` runs up to `maxIter` iterations
 * of two-loop-recursion quasi-Newton directions, with fixed steps of `lr` (the first scaled by
 * min(1, 1/|g|₁)) or a strong-Wolfe line search. Like PyTorch it takes one param group only, and its
 * state (the history, in float64) is kept under the first parameter with PyTorch's keys
 * (`func_evals`, `n_iter`, `d`, `t`, `old_dirs`, `old_stps`, `ro`, `H_diag`, `prev_flat_grad`, `prev_loss`, `al`).
 *
 * ```ts
 * const opt = new LBFGS(model.parameters(), { lineSearchFn: "strong_wolfe" });
 * opt.step(() => { opt.zeroGrad(); const loss = lossFn(model.call(x), y); loss.backward(); return loss; });
 * ```
 */
export class LBFGS extends Optimizer<LBFGSOptions> {
  constructor(params: Params<LBFGSOptions>, options: Partial<LBFGSOptions> = {}) {
    const merged = { ...LBFGS_DEFAULTS, ...options };
    const defaults: LBFGSOptions = { ...merged, maxEval: options.maxEval ?? Math.floor((merged.maxIter * 5) / 4) };
    checkLbfgs(defaults);
    super("LBFGS", params, defaults, LBFGS_KEYS);
  }

  /** LBFGS keeps one flat history over all parameters, so it takes a single group (as PyTorch). */
  override addParamGroup(group: ParamGroupInput<LBFGSOptions>): void {
    if (this.paramGroups.length > 0) {
      throw new Error("LBFGS: per-parameter options (param groups) are not supported, as in PyTorch; pass one list of parameters, e.g. new LBFGS(model.parameters(), {lr: 1})");
    }
    super.addParamGroup(group);
  }

  protected checkGroup(group: ParamGroup<LBFGSOptions>): void {
    checkLbfgs(group);
  }

  protected updateGroup(): void {
    throw new Error("LBFGS: updateGroup is not used; step(closure) runs the whole iteration");
  }

  /** LBFGS's history is flat over all parameters: restore tensors as float64 vectors, 0-d tensors as numbers. */
  protected override restoreStateValue(key: string, value: StateValue): StateValue {
    if (Array.isArray(value)) return value.map((v) => this.restoreStateValue(key, v));
    if (value instanceof Tensor) {
      if (value.ndim === 0) return value.item();
      return noGrad(() => value.detach().to("float64").reshape([-1]).contiguous().clone());
    }
    return value;
  }

  /**
   * Runs up to `maxIter` L-BFGS iterations. The closure must clear the gradients, compute the loss,
   * call `backward()` and return the loss; it runs with gradients on and may run several times.
   * Returns the loss of the first evaluation (as PyTorch).
   *
   * ```ts
   * const loss = opt.step(() => { opt.zeroGrad(); const l = model.call(x).sub(y).square().mean(); l.backward(); return l; });
   * ```
   */
  override step(): undefined;
  override step<L>(closure: () => L): L;
  override step<L>(closure?: () => L): L | undefined {
    if (typeof closure !== "function") {
      throw new Error(`LBFGS.step: LBFGS needs a closure that re-evaluates the model, got ${describe(closure)}; call opt.step(() => { opt.zeroGrad(); const loss = ...; loss.backward(); return loss; })`);
    }
    return noGrad(() => this.run(closure));
  }

  private run<L>(closure: () => L): L {
    const group = this.paramGroups[0];
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    const params = group.params;
    const evaluate = (): [L, number] => {
      const out = enableGrad(closure);
      return [out, lossValue(out)];
    };
    const state = this.stateOf(params[0]);
    state.funcEvals ??= 0;
    state.nIter ??= 0;

    const [origLoss, firstLoss] = evaluate();
    let loss = firstLoss;
    let currentEvals = 1;
    state.funcEvals = (state.funcEvals as number) + 1;
    let flatGrad = gatherFlatGrad(params);
    let optCond = absMax(flatGrad) <= toleranceGrad;
    if (optCond) return origLoss;

    const read = readHistory(state);
    let { d, t, H: hDiag, prevFlatGrad, prevLoss } = read;
    let { oldDirs, oldStps, ro, al } = read;

    let nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      state.nIter = (state.nIter as number) + 1;

      // The descent direction: -g on the first iteration, else the two-loop recursion.
      if (state.nIter === 1) {
        d = negate(flatGrad);
        oldDirs = [];
        oldStps = [];
        ro = [];
        hDiag = 1;
      } else {
        const y = new Float64Array(flatGrad.length);
        const s = new Float64Array(flatGrad.length);
        for (let i = 0; i < y.length; i++) {
          y[i] = flatGrad[i] - prevFlatGrad![i];
          s[i] = d![i] * t!;
        }
        const ys = dot(y, s);
        // Only pairs with positive curvature keep the approximation positive definite.
        if (ys > 1e-10) {
          if (oldDirs.length === historySize) {
            oldDirs.shift();
            oldStps.shift();
            ro.shift();
          }
          oldDirs.push(y);
          oldStps.push(s);
          ro.push(1 / ys);
          hDiag = ys / dot(y, y);
        }
        const numOld = oldDirs.length;
        if (al === null) al = new Array<number | null>(historySize).fill(null);
        const q = negate(flatGrad);
        for (let i = numOld - 1; i >= 0; i--) {
          const a = dot(oldStps[i], q) * ro[i];
          al[i] = a;
          axpy(q, -a, oldDirs[i]);
        }
        const r = q;
        for (let i = 0; i < r.length; i++) r[i] *= hDiag!;
        for (let i = 0; i < numOld; i++) {
          const be = dot(oldDirs[i], r) * ro[i];
          axpy(r, (al[i] as number) - be, oldStps[i]);
        }
        d = r;
      }
      prevFlatGrad = Float64Array.from(flatGrad);
      prevLoss = loss;

      // The step length: the first iteration scales lr by min(1, 1/|g|₁).
      t = state.nIter === 1 ? pyMin(1, 1 / sumAbs(flatGrad)) * lr : lr;
      const gtd = dot(flatGrad, d!);
      // Not a descent direction (to tolerance): stop.
      if (gtd > -toleranceChange) break;

      let lsEvals = 0;
      if (lineSearchFn !== null) {
        const x = params.map((p) => p.data());
        const obj = (step: number, dir: Float64Array): [number, Float64Array] => {
          addScaled(params, step, dir);
          const [, value] = evaluate();
          const g = gatherFlatGrad(params);
          params.forEach((p, i) => p.copy_(Tensor.fromArray(x[i], p.shape, p.dtype)));
          return [value, g];
        };
        const found = strongWolfe(obj, t, d!, loss, flatGrad, gtd);
        loss = found.loss;
        flatGrad = found.grad;
        t = found.t;
        lsEvals = found.evals;
        addScaled(params, t, d!);
        optCond = absMax(flatGrad) <= toleranceGrad;
      } else {
        addScaled(params, t, d!);
        // The last iteration does not re-evaluate: in a stochastic setting the value would go unused.
        if (nIter !== maxIter) {
          loss = evaluate()[1];
          flatGrad = gatherFlatGrad(params);
          optCond = absMax(flatGrad) <= toleranceGrad;
          lsEvals = 1;
        }
      }
      currentEvals += lsEvals;
      state.funcEvals = (state.funcEvals as number) + lsEvals;

      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      // Lack of progress: the step or the loss change is below tolerance.
      if (scaledAbsMax(d!, t) <= toleranceChange) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }

    state.d = vec(d);
    state.t = t;
    state.oldDirs = oldDirs.map(vec) as Tensor[];
    state.oldStps = oldStps.map(vec) as Tensor[];
    state.ro = [...ro];
    state.HDiag = hDiag;
    state.prevFlatGrad = vec(prevFlatGrad);
    state.prevLoss = prevLoss;
    if (al !== null) state.al = [...al];
    return origLoss;
  }
}

/** The loss a closure returned, as a number (a one-element tensor or a number). */
function lossValue(v: unknown): number {
  if (v instanceof Tensor) {
    if (v.numel() !== 1) throw new Error(`LBFGS.step: the closure must return the loss (one number), got a tensor of shape [${v.shape.join(",")}]; reduce it, e.g. loss.mean()`);
    return v.item();
  }
  if (typeof v === "number") return v;
  throw new Error(`LBFGS.step: the closure must return the loss (a Tensor or a number), got ${describe(v)}; end the closure with 'return loss'`);
}

/** All parameters' gradients as one float64 vector (zeros for a parameter without a gradient). */
function gatherFlatGrad(params: readonly Tensor[]): Float64Array {
  const out = new Float64Array(params.reduce((n, p) => n + p.numel(), 0));
  let at = 0;
  for (const p of params) {
    if (p.grad) out.set(p.grad.data(), at);
    at += p.numel();
  }
  return out;
}

/** p += step·dir[slice of p], for every parameter, rounded once into the parameter's dtype. */
function addScaled(params: readonly Tensor[], step: number, dir: Float64Array): void {
  let at = 0;
  for (const p of params) {
    const values = p.data();
    for (let i = 0; i < values.length; i++) values[i] = values[i] + step * dir[at + i];
    p.copy_(Tensor.fromArray(values, p.shape, p.dtype));
    at += values.length;
  }
}

function negate(a: Float64Array): Float64Array {
  return a.map((v) => -v);
}

function axpy(y: Float64Array, a: number, x: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i];
}

function sumAbs(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]);
  return s;
}

/** max |d_i·t| (PyTorch's d.mul(t).abs().max()). */
function scaledAbsMax(d: Float64Array, t: number): number {
  let m = 0;
  for (let i = 0; i < d.length; i++) m = Math.max(m, Math.abs(d[i] * t));
  return m;
}

function vec(a: Float64Array | null): Tensor | null {
  return a === null ? null : Tensor.fromArray(Float64Array.from(a), [a.length], "float64");
}

function toVec(v: StateValue | undefined): Float64Array | null {
  if (v instanceof Tensor) return Float64Array.from(v.data());
  return null;
}

/** The history a previous step left in the state (as float64 vectors and numbers). */
function readHistory(state: Record<string, StateValue>) {
  const list = (v: StateValue | undefined): Float64Array[] => (Array.isArray(v) ? v.map((x) => toVec(x)!) : []);
  const num = (v: StateValue | undefined): number | null => (v instanceof Tensor ? v.item() : typeof v === "number" ? v : null);
  return {
    d: toVec(state.d),
    t: num(state.t),
    H: num(state.HDiag),
    prevFlatGrad: toVec(state.prevFlatGrad),
    prevLoss: num(state.prevLoss) ?? NaN,
    oldDirs: list(state.oldDirs),
    oldStps: list(state.oldStps),
    ro: Array.isArray(state.ro) ? state.ro.map((x) => num(x)!) : [],
    al: Array.isArray(state.al) ? state.al.map((x) => num(x)) : null,
  };
}

function checkLbfgs(o: LBFGSOptions): void {
  const k = "LBFGS";
  checkOption(k, typeof o.lr === "number" && o.lr >= 0, `invalid lr ${describe(o.lr)}: the learning rate must be a number >= 0 (default 1)`);
  checkOption(k, Number.isInteger(o.maxIter) && o.maxIter >= 1, `invalid maxIter ${describe(o.maxIter)}: it must be an integer >= 1 (default 20)`);
  checkOption(k, Number.isInteger(o.maxEval) && o.maxEval >= 1, `invalid maxEval ${describe(o.maxEval)}: it must be an integer >= 1 (default maxIter·5/4)`);
  checkOption(k, Number.isInteger(o.historySize) && o.historySize >= 1, `invalid historySize ${describe(o.historySize)}: it must be an integer >= 1 (default 100)`);
  checkOption(k, typeof o.toleranceGrad === "number" && o.toleranceGrad >= 0, `invalid toleranceGrad ${describe(o.toleranceGrad)}: it must be a number >= 0`);
  checkOption(k, typeof o.toleranceChange === "number" && o.toleranceChange >= 0, `invalid toleranceChange ${describe(o.toleranceChange)}: it must be a number >= 0`);
  checkOption(k, o.lineSearchFn === null || o.lineSearchFn === "strong_wolfe", `invalid lineSearchFn ${describe(o.lineSearchFn)}: only "strong_wolfe" or null are supported (as in PyTorch)`);
}
