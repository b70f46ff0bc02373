/** NAdam: Adam with Nesterov momentum and a warming-up momentum schedule. */
import { optionKeys } from "../tensor/check.js";
import type { Tensor } from "../core.js";
import { Optimizer, type BaseOptions, type ParamGroup, type Params, bufferLike, checkBetas, checkLrAndNonNegative } from "./optimizer.js";

/** NAdam's options (PyTorch 1.13's defaults; it has no `maximize`), e.g. `{ lr: 2e-3, momentumDecay: 4e-3 }`. */
export interface NAdamOptions extends BaseOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** ψ of the momentum schedule μ_t = β1·(1 - ½·0.96^(t·ψ)) (default 4e-3). */
  momentumDecay: number;
}

const NADAM_DEFAULTS: NAdamOptions = { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3 };

/** Every option NAdam takes: anything else is a misspelling (checked in Optimizer). */
const NADAM_KEYS = optionKeys<NAdamOptions>()({ lr: true, betas: true, eps: true, weightDecay: true, momentumDecay: true });

const SCALAR_KEYS: ReadonlySet<string> = new Set(["step", "muProduct"]);

/**
 * NAdam (Dozat), PyTorch's update: `g += weightDecay·p`, `μ_t = β1·(1 - ½·0.96^(t·ψ))`,
 * `Π_t = Π_{t-1}·μ_t`, `m = β1·m + (1-β1)·g`, `v = β2·v + (1-β2)·g²`, `d = √(v/(1-β2^t)) + eps`,
 * `p -= lr·(1-μ_t)/(1-Π_t) · g/d + lr·μ_{t+1}/(1-Π_t·μ_t·μ_{t+1}) · m/d` (PyTorch 1.13's form).
 * The running product Π is the state key `mu_product`.
 *
 * ```ts
 * const opt = new NAdam(model.parameters(), { lr: 2e-3 });
 * ```
 */
export class NAdam extends Optimizer<NAdamOptions> {
  constructor(params: Params<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    const defaults = { ...NADAM_DEFAULTS, ...options };
    checkNAdam(defaults);
    super("NAdam", params, defaults, NADAM_KEYS);
  }

  protected override scalarStateKeys(): ReadonlySet<string> {
    return SCALAR_KEYS;
  }

  protected checkGroup(group: ParamGroup<NAdamOptions>): void {
    checkNAdam(group);
  }

  protected updateGroup(group: ParamGroup<NAdamOptions>): void {
    const { lr, betas: [beta1, beta2], eps, weightDecay, momentumDecay } = group;
    for (const p of group.params) {
      if (!p.grad) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.muProduct = 1;
        state.expAvg = bufferLike(p);
        state.expAvgSq = bufferLike(p);
      }
      const step = (state.step as number) + 1;
      state.step = step;
      let g: Tensor = p.grad;
      // PyTorch 1.13's single-tensor NAdam op for op (so 16-bit parameters round where PyTorch's do).
      if (weightDecay !== 0) g = g.add(p, { alpha: weightDecay });
      const mu = beta1 * (1 - 0.5 * Math.pow(0.96, step * momentumDecay));
      const muNext = beta1 * (1 - 0.5 * Math.pow(0.96, (step + 1) * momentumDecay));
      const muProduct = (state.muProduct as number) * mu;
      state.muProduct = muProduct;
      // PyTorch 1.13 multiplies μ_t in twice here (Π_t·μ_t·μ_{t+1}); deeptype follows 1.13, whose
      // fixtures it is tested against (PyTorch 2.0 changed this to Π_t·μ_{t+1}).
      const muProductNext = muProduct * mu * muNext;
      const expAvg = (state.expAvg as Tensor).mul_(beta1).add_(g, { alpha: 1 - beta1 });
      const expAvgSq = (state.expAvgSq as Tensor).mul_(beta2).addcmul_(g, g, 1 - beta2);
      const denom = expAvgSq.div(1 - Math.pow(beta2, step)).sqrt().add(eps);
      p.addcdiv_(g, denom, (-lr * (1 - mu)) / (1 - muProduct));
      p.addcdiv_(expAvg, denom, (-lr * muNext) / (1 - muProductNext));
    }
  }
}

function checkNAdam(o: NAdamOptions): void {
  checkLrAndNonNegative("NAdam", o, ["eps", "weightDecay", "momentumDecay"]);
  checkBetas("NAdam", o.betas);
}
