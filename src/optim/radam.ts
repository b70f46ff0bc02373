/** RAdam: Adam whose adaptive step is switched on only once the variance of its estimate is bounded. */
import { optionKeys } from "../tensor/check.js";
import type { Tensor } from "../core.js";
import { Optimizer, type BaseOptions, type ParamGroup, type Params, bufferLike, checkBetas, checkLrAndNonNegative } from "./optimizer.js";

/** RAdam's options (PyTorch 1.13's defaults; it has no `maximize`), e.g. `{ lr: 1e-3 }`. */
export interface RAdamOptions extends BaseOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
}

const RADAM_DEFAULTS: RAdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 };

/** Every option RAdam takes: anything else is a misspelling (checked in Optimizer). */
const RADAM_KEYS = optionKeys<RAdamOptions>()({ lr: true, betas: true, eps: true, weightDecay: true });

/**
 * RAdam (Liu et al.), PyTorch's update: `g += weightDecay·p`, Adam's moments, `m̂ = m/(1-β1^t)`,
 * `ρ∞ = 2/(1-β2) - 1`, `ρ_t = ρ∞ - 2t·β2^t/(1-β2^t)`; if `ρ_t > 5`:
 * `r = √((ρ_t-4)(ρ_t-2)ρ∞ / ((ρ∞-4)(ρ∞-2)ρ_t))`, `p -= lr·m̂·r·√(1-β2^t)/(√v + eps)`; else `p -= lr·m̂`.
 *
 * ```ts
 * const opt = new RAdam(model.parameters(), { lr: 1e-3 });
 * ```
 */
export class RAdam extends Optimizer<RAdamOptions> {
  constructor(params: Params<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    const defaults = { ...RADAM_DEFAULTS, ...options };
    checkRAdam(defaults);
    super("RAdam", params, defaults, RADAM_KEYS);
  }

  protected checkGroup(group: ParamGroup<RAdamOptions>): void {
    checkRAdam(group);
  }

  protected updateGroup(group: ParamGroup<RAdamOptions>): void {
    const { lr, betas: [beta1, beta2], eps, weightDecay } = group;
    for (const p of group.params) {
      if (!p.grad) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.expAvg = bufferLike(p);
        state.expAvgSq = bufferLike(p);
      }
      const step = (state.step as number) + 1;
      state.step = step;
      let g: Tensor = p.grad;
      // PyTorch 1.13's single-tensor RAdam op for op (so 16-bit parameters round where PyTorch's do).
      if (weightDecay !== 0) g = g.add(p, { alpha: weightDecay });
      const bc1 = 1 - Math.pow(beta1, step);
      const bc2 = 1 - Math.pow(beta2, step);
      const expAvg = (state.expAvg as Tensor).mul_(beta1).add_(g, { alpha: 1 - beta1 });
      const expAvgSq = (state.expAvgSq as Tensor).mul_(beta2).addcmul_(g, g, 1 - beta2);
      const corrected = expAvg.div(bc1);
      const rhoInf = 2 / (1 - beta2) - 1;
      const rhoT = rhoInf - (2 * step * Math.pow(beta2, step)) / bc2;
      if (rhoT > 5) {
        // The variance of the adaptive learning rate is tractable: rectify it.
        const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
        // math.sqrt(bc2) / tensor in PyTorch is tensor.reciprocal() * math.sqrt(bc2) (Tensor.__rtruediv__).
        const adaptive = expAvgSq.sqrt().add(eps).reciprocal().mul(Math.sqrt(bc2));
        p.add_(corrected.mul(lr).mul(adaptive).mul(rect), { alpha: -1 });
      } else p.add_(corrected.mul(lr), { alpha: -1 });
    }
  }
}

function checkRAdam(o: RAdamOptions): void {
  checkLrAndNonNegative("RAdam", o, ["eps", "weightDecay"]);
  checkBetas("RAdam", o.betas);
}
