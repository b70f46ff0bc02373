/** Adadelta: step sizes from running averages of squared gradients and squared updates (no lr tuning). */
import { optionKeys } from "../tensor/check.js";
import type { Tensor } from "../core.js";
import { Optimizer, type BaseOptions, type ParamGroup, type Params, bufferLike, checkLrAndNonNegative, checkOption } from "./optimizer.js";

/** Adadelta's options (PyTorch's defaults), e.g. `{ lr: 1.0, rho: 0.9 }`. */
export interface AdadeltaOptions extends BaseOptions {
  /** Scale applied to the computed update (default 1.0). */
  lr: number;
  /** Decay rate of the running averages, in [0, 1] (default 0.9). */
  rho: number;
  /** Added inside both square roots for numerical stability (default 1e-6). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

const ADADELTA_DEFAULTS: AdadeltaOptions = { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false };

/** Every option Adadelta takes: anything else is a misspelling (checked in Optimizer). */
const ADADELTA_KEYS = optionKeys<AdadeltaOptions>()({ lr: true, rho: true, eps: true, weightDecay: true, maximize: true });

/**
 * Adadelta (Zeiler), PyTorch's update: `g += weightDecay·p; s = ρ·s + (1-ρ)·g²;
 * Δ = √(u + eps) / √(s + eps) · g; u = ρ·u + (1-ρ)·Δ²; p -= lr·Δ`.
 *
 * ```ts
 * const opt = new Adadelta(model.parameters(), { lr: 1.0 });
 * ```
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: Params<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    const defaults = { ...ADADELTA_DEFAULTS, ...options };
    checkAdadelta(defaults);
    super("Adadelta", params, defaults, ADADELTA_KEYS);
  }

  protected checkGroup(group: ParamGroup<AdadeltaOptions>): void {
    checkAdadelta(group);
  }

  protected updateGroup(group: ParamGroup<AdadeltaOptions>): void {
    const { lr, rho, eps, weightDecay, maximize } = group;
    for (const p of group.params) {
      if (!p.grad) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        // PyTorch 1.13 counts Adadelta's steps with a plain int (the others use a 0-d tensor).
        state.step = 0;
        state.squareAvg = bufferLike(p);
        state.accDelta = bufferLike(p);
      }
      state.step = (state.step as number) + 1;
      let g: Tensor = maximize ? p.grad.neg() : p.grad;
      // PyTorch 1.13's single-tensor Adadelta op for op (so 16-bit parameters round where PyTorch's do).
      if (weightDecay !== 0) g = g.add(p, { alpha: weightDecay });
      const squareAvg = (state.squareAvg as Tensor).mul_(rho).addcmul_(g, g, 1 - rho);
      const accDelta = state.accDelta as Tensor;
      const std = squareAvg.add(eps).sqrt();
      const delta = accDelta.add(eps).sqrt().div(std).mul(g);
      accDelta.mul_(rho).addcmul_(delta, delta, 1 - rho);
      p.add_(delta, { alpha: -lr });
    }
  }
}

function checkAdadelta(o: AdadeltaOptions): void {
  const k = "Adadelta";
  checkLrAndNonNegative(k, o, ["eps", "weightDecay"]);
  checkOption(k, typeof o.rho === "number" && o.rho >= 0 && o.rho <= 1, `invalid rho ${o.rho}: it must lie in [0, 1] (typically 0.9)`);
}
