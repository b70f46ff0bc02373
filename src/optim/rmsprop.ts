/** RMSprop: divide the gradient by a running root-mean-square of recent gradients. */
import { optionKeys } from "../tensor/check.js";
import type { Tensor } from "../core.js";
import { Optimizer, type BaseOptions, type ParamGroup, type Params, bufferLike, checkLrAndNonNegative, checkOption } from "./optimizer.js";

/** RMSprop's options (PyTorch's defaults), e.g. `{ lr: 1e-3, alpha: 0.9 }`. */
export interface RMSpropOptions extends BaseOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalize by an estimate of the gradient's variance instead of its raw second moment (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

const RMSPROP_DEFAULTS: RMSpropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };

/** Every option RMSprop takes: anything else is a misspelling (checked in Optimizer). */
const RMSPROP_KEYS = optionKeys<RMSpropOptions>()({ lr: true, alpha: true, eps: true, weightDecay: true, momentum: true, centered: true, maximize: true });

/**
 * RMSprop, PyTorch's update: `g += weightDecay·p; s = α·s + (1-α)·g²`; centered: `a = α·a + (1-α)·g`,
 * `d = √(s - a²) + eps`, else `d = √s + eps`; with momentum `buf = momentum·buf + g/d, p -= lr·buf`,
 * else `p -= lr·g/d`.
 *
 * ```ts
 * const opt = new RMSprop(model.parameters(), { lr: 1e-3, centered: true });
 * ```
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    const defaults = { ...RMSPROP_DEFAULTS, ...options };
    checkRmsprop(defaults);
    super("RMSprop", params, defaults, RMSPROP_KEYS);
  }

  protected checkGroup(group: ParamGroup<RMSpropOptions>): void {
    checkRmsprop(group);
  }

  protected updateGroup(group: ParamGroup<RMSpropOptions>): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    for (const p of group.params) {
      if (!p.grad) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.squareAvg = bufferLike(p);
      }
      // The momentum and centering buffers start as zeros when their option is on, on the first step
      // or later (options may change between steps: schedulers, addParamGroup).
      if (momentum > 0 && !state.momentumBuffer) state.momentumBuffer = bufferLike(p);
      if (centered && !state.gradAvg) state.gradAvg = bufferLike(p);
      state.step = (state.step as number) + 1;
      let g: Tensor = maximize ? p.grad.neg() : p.grad;
      // PyTorch 1.13's single-tensor RMSprop op for op (add with alpha, addcmul, addcdiv round once),
      // so 16-bit parameters round where PyTorch's do.
      if (weightDecay !== 0) g = g.add(p, { alpha: weightDecay });
      const squareAvg = (state.squareAvg as Tensor).mul_(alpha).addcmul_(g, g, 1 - alpha);
      let avg: Tensor;
      if (centered) {
        const gradAvg = (state.gradAvg as Tensor).mul_(alpha).add_(g, { alpha: 1 - alpha });
        avg = squareAvg.clone().addcmul_(gradAvg, gradAvg, -1).sqrt();
      } else avg = squareAvg.sqrt();
      avg = avg.add(eps);
      if (momentum > 0) {
        const buf = (state.momentumBuffer as Tensor).mul_(momentum).addcdiv_(g, avg);
        p.add_(buf, { alpha: -lr });
      } else p.addcdiv_(g, avg, -lr);
    }
  }
}

function checkRmsprop(o: RMSpropOptions): void {
  const k = "RMSprop";
  checkLrAndNonNegative(k, o, ["eps", "momentum", "weightDecay"]);
  checkOption(k, o.alpha >= 0, `invalid alpha ${o.alpha}: it must be >= 0 (typically 0.9-0.99)`);
}
