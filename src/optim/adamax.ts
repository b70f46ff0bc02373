/** Adamax: Adam with the infinity norm of past gradients in place of their root mean square. */
import { optionKeys } from "../tensor/check.js";
import { type Tensor, maximum } from "../core.js";
import { Optimizer, type BaseOptions, type ParamGroup, type Params, bufferLike, checkBetas, checkLrAndNonNegative } from "./optimizer.js";

/** Adamax's options (PyTorch's defaults), e.g. `{ lr: 2e-3, betas: [0.9, 0.999] }`. */
export interface AdamaxOptions extends BaseOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** Decay rates of the first moment and of the infinity norm (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to |g| before the running maximum, for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

const ADAMAX_DEFAULTS: AdamaxOptions = { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false };

/** Every option Adamax takes: anything else is a misspelling (checked in Optimizer). */
const ADAMAX_KEYS = optionKeys<AdamaxOptions>()({ lr: true, betas: true, eps: true, weightDecay: true, maximize: true });

/**
 * Adamax (Kingma & Ba, section 7), PyTorch's update: `g += weightDecay·p; m = β1·m + (1-β1)·g;
 * u = max(β2·u, |g| + eps); p -= lr/(1-β1^t) · m/u`.
 *
 * ```ts
 * const opt = new Adamax(model.parameters(), { lr: 2e-3 });
 * ```
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: Params<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    const defaults = { ...ADAMAX_DEFAULTS, ...options };
    checkAdamax(defaults);
    super("Adamax", params, defaults, ADAMAX_KEYS);
  }

  protected checkGroup(group: ParamGroup<AdamaxOptions>): void {
    checkAdamax(group);
  }

  protected updateGroup(group: ParamGroup<AdamaxOptions>): void {
    const { lr, betas: [beta1, beta2], eps, weightDecay, maximize } = group;
    for (const p of group.params) {
      if (!p.grad) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.expAvg = bufferLike(p);
        state.expInf = bufferLike(p);
      }
      const step = (state.step as number) + 1;
      state.step = step;
      let g: Tensor = maximize ? p.grad.neg() : p.grad;
      // PyTorch 1.13's single-tensor Adamax op for op (so 16-bit parameters round where PyTorch's do).
      if (weightDecay !== 0) g = g.add(p, { alpha: weightDecay });
      const expAvg = (state.expAvg as Tensor).mul_(beta1).add_(g, { alpha: 1 - beta1 });
      const expInf = state.expInf as Tensor;
      expInf.copy_(maximum(expInf.mul(beta2), g.abs().add(eps)));
      const clr = lr / (1 - Math.pow(beta1, step));
      p.addcdiv_(expAvg, expInf, -clr);
    }
  }
}

function checkAdamax(o: AdamaxOptions): void {
  checkLrAndNonNegative("Adamax", o, ["eps", "weightDecay"]);
  checkBetas("Adamax", o.betas);
}
