/** Adagrad: per-element learning rates shrinking with the accumulated squared gradients. */
import { optionKeys } from "../tensor/check.js";
import type { Tensor } from "../core.js";
import { Optimizer, type BaseOptions, type ParamGroup, type Params, bufferLike, checkLrAndNonNegative } from "./optimizer.js";

/** Adagrad's options (PyTorch's defaults), e.g. `{ lr: 0.1, lrDecay: 1e-4 }`. */
export interface AdagradOptions extends BaseOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Learning-rate decay: step t uses lr / (1 + (t-1)·lrDecay) (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the squared-gradient sum (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator for numerical stability (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

const ADAGRAD_DEFAULTS: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };

/** Every option Adagrad takes: anything else is a misspelling (checked in Optimizer). */
const ADAGRAD_KEYS = optionKeys<AdagradOptions>()({ lr: true, lrDecay: true, weightDecay: true, initialAccumulatorValue: true, eps: true, maximize: true });

/**
 * Adagrad, PyTorch's update: `g += weightDecay·p; clr = lr / (1 + (t-1)·lrDecay); s += g²;
 * p -= clr · g / (√s + eps)`.
 *
 * ```ts
 * const opt = new Adagrad(model.parameters(), { lr: 0.1 });
 * ```
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    const defaults = { ...ADAGRAD_DEFAULTS, ...options };
    checkAdagrad(defaults);
    super("Adagrad", params, defaults, ADAGRAD_KEYS);
    // PyTorch creates the accumulators up front, so they appear in stateDict before the first step.
    for (const g of this.paramGroups) for (const p of g.params) this.initState(p, g.initialAccumulatorValue);
  }

  private initState(p: Tensor, initial: number): void {
    const s = this.stateOf(p);
    if (s.step === undefined) {
      s.step = 0;
      s.sum = bufferLike(p, initial);
    }
  }

  protected checkGroup(group: ParamGroup<AdagradOptions>): void {
    checkAdagrad(group);
  }

  protected updateGroup(group: ParamGroup<AdagradOptions>): void {
    const { lr, lrDecay, weightDecay, eps, maximize } = group;
    for (const p of group.params) {
      if (!p.grad) continue;
      this.initState(p, group.initialAccumulatorValue);
      const state = this.stateOf(p);
      const step = (state.step as number) + 1;
      state.step = step;
      let g: Tensor = maximize ? p.grad.neg() : p.grad;
      // PyTorch 1.13's single-tensor Adagrad op for op (so 16-bit parameters round where PyTorch's do).
      if (weightDecay !== 0) g = g.add(p, { alpha: weightDecay });
      const clr = lr / (1 + (step - 1) * lrDecay);
      const sum = (state.sum as Tensor).addcmul_(g, g, 1);
      p.addcdiv_(g, sum.sqrt().add(eps), -clr);
    }
  }
}

function checkAdagrad(o: AdagradOptions): void {
  const k = "Adagrad";
  checkLrAndNonNegative(k, o, ["lrDecay", "weightDecay", "initialAccumulatorValue", "eps"]);
}
