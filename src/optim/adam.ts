/** Adam and AdamW: adaptive moment estimation, with L2 (Adam) or decoupled (AdamW) weight decay. */
import { optionKeys } from "../tensor/check.js";
import { Tensor, backend, maximum } from "../core.js";
import { peekGrad } from "../tensor/leaf-grad.js";
import { Optimizer, type BaseOptions, type ParamGroup, type Params, bufferLike, checkBetas, checkLrAndNonNegative, checkOption, flatData, fusable } from "./optimizer.js";

/** Options of Adam and AdamW, e.g. `{ lr: 1e-3, betas: [0.9, 0.999] }`. */
export interface AdamOptions extends BaseOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay rate (default 1e-2). */
  weightDecay: number;
  /** Use the running maximum of the second moment (AMSGrad, default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

const ADAM_DEFAULTS: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };

/** Every option Adam takes: anything else is a misspelling (checked in Optimizer). */
const ADAM_KEYS = optionKeys<AdamOptions>()({ lr: true, betas: true, eps: true, weightDecay: true, amsgrad: true, maximize: true });

/**
 * Adam (Kingma & Ba), PyTorch's update: with `g += weightDecay·p`, `m = β1·m + (1-β1)·g`,
 * `v = β2·v + (1-β2)·g²` (AMSGrad: `v̂ = max(v̂, v)`), step t:
 * `p -= lr/(1-β1^t) · m / (√v / √(1-β2^t) + eps)`.
 *
 * ```ts
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 * ```
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    const defaults = { ...ADAM_DEFAULTS, ...options };
    checkAdam("Adam", defaults);
    super("Adam", params, defaults, ADAM_KEYS);
  }

  protected checkGroup(group: ParamGroup<AdamOptions>): void {
    checkAdam("Adam", group);
  }

  protected updateGroup(group: ParamGroup<AdamOptions>): void {
    adamGroup(this, group, false);
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, `p *= 1 - lr·weightDecay` before
 * the Adam step instead of adding an L2 term to the gradient. weightDecay defaults to 1e-2.
 *
 * ```ts
 * const opt = new AdamW(model.parameters(), { lr: 3e-4, weightDecay: 0.05 });
 * ```
 */
export class AdamW extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    const defaults = { ...ADAM_DEFAULTS, weightDecay: 1e-2, ...options };
    checkAdam("AdamW", defaults);
    super("AdamW", params, defaults, ADAM_KEYS);
  }

  protected checkGroup(group: ParamGroup<AdamOptions>): void {
    checkAdam("AdamW", group);
  }

  protected updateGroup(group: ParamGroup<AdamOptions>): void {
    adamGroup(this, group, true);
  }
}

interface StateAccess {
  state: Map<Tensor, Record<string, unknown>>;
}

function adamGroup(opt: StateAccess, group: ParamGroup<AdamOptions>, decoupled: boolean): void {
  const { lr, betas: [beta1, beta2], eps, weightDecay, amsgrad, maximize } = group;
  for (const p of group.params) {
    // peekGrad: reading .grad here does not make it seen (zeroGrad may recycle it); nothing here keeps it.
    const pg = peekGrad(p);
    if (!pg) continue;
    const g = maximize ? pg.neg() : pg;
    let state = opt.state.get(p);
    if (!state || state.step === undefined) {
      state = { step: 0, expAvg: bufferLike(p), expAvgSq: bufferLike(p) };
      if (amsgrad) state.maxExpAvgSq = bufferLike(p);
      opt.state.set(p, state);
    }
    if (amsgrad && !state.maxExpAvgSq) state.maxExpAvgSq = bufferLike(p);
    const step = (state.step as number) + 1;
    state.step = step;
    const m = state.expAvg as Tensor;
    const v = state.expAvgSq as Tensor;
    const maxV = amsgrad ? (state.maxExpAvgSq as Tensor) : null;
    if (fusable(p, g) && fusable(p, m) && fusable(p, v) && (!maxV || fusable(p, maxV))) {
      backend().adamUpdate(flatData(p), flatData(g), flatData(m), flatData(v), maxV ? flatData(maxV) : null,
        { lr, beta1, beta2, eps, weightDecay, decoupled, step });
      p.storage.version++;
      continue;
    }
    // Same arithmetic with tensor ops, for strided parameters, gradients or loaded state.
    // PyTorch 1.13's single-tensor Adam op for op (add with alpha, addcmul_, addcdiv_ each round once),
    // so 16-bit parameters round where PyTorch's do.
    let grad: Tensor = g;
    if (decoupled) p.mul_(1 - lr * weightDecay);
    else if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
    m.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
    v.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
    const bc1 = 1 - Math.pow(beta1, step);
    const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    let second = v;
    if (maxV) second = maxV.copy_(maximum(maxV, v));
    const denom = second.sqrt().div(bc2Sqrt).add(eps);
    p.addcdiv_(m, denom, -(lr / bc1));
  }
}

function checkAdam(k: string, o: AdamOptions): void {
  checkLrAndNonNegative(k, o, ["eps"]);
  checkBetas(k, o.betas);
  checkOption(k, o.weightDecay >= 0, `invalid weightDecay ${o.weightDecay}: it must be >= 0`);
}
