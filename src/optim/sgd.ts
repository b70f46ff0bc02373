/** Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay. */
import { optionKeys } from "../tensor/check.js";
import { Tensor, backend } from "../core.js";
import { peekGrad } from "../tensor/leaf-grad.js";
import { Optimizer, type BaseOptions, type ParamGroup, type Params, bufferLike, checkLrAndNonNegative, checkOption, flatData, fusable } from "./optimizer.js";

/** SGD's options; PyTorch's defaults except `lr`, which has none, e.g. `{ lr: 0.1, momentum: 0.9 }`. */
export interface SGDOptions extends BaseOptions {
  /** Learning rate (required). */
  lr: number;
  /** Momentum factor (default 0: plain SGD). */
  momentum: number;
  /** Dampening for momentum: the new gradient enters the buffer scaled by 1 - dampening (default 0). */
  dampening: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** L2 penalty: weightDecay * param is added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

const SGD_DEFAULTS: Omit<SGDOptions, "lr"> = { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };

/** Every option SGD takes: anything else is a misspelling (checked in Optimizer). */
const SGD_KEYS = optionKeys<SGDOptions>()({ lr: true, momentum: true, dampening: true, nesterov: true, weightDecay: true, maximize: true });

/**
 * Stochastic gradient descent, PyTorch's update order:
 * `d = g + weightDecay·p; buf = momentum·buf + (1 - dampening)·d` (buf = d on the first step);
 * `d = nesterov ? d + momentum·buf : buf; p -= lr·d`.
 *
 * ```ts
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9, weightDecay: 5e-4 });
 * ```
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Iterable<Tensor>, options: Partial<SGDOptions> & { lr: number });
  constructor(params: Params<SGDOptions>, options?: Partial<SGDOptions>);
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> = {}) {
    const defaults = { ...SGD_DEFAULTS, ...options } as SGDOptions;
    // lr has no default: check it here when given, and per group (addParamGroup) when not.
    if (options.lr !== undefined) checkSgd(defaults);
    super("SGD", params, defaults, SGD_KEYS);
  }

  protected checkGroup(group: ParamGroup<SGDOptions>): void {
    checkSgd(group);
  }

  protected updateGroup(group: ParamGroup<SGDOptions>): void {
    const { lr, momentum, dampening, nesterov, weightDecay, maximize } = group;
    for (const p of group.params) {
      // peekGrad: reading .grad here does not make it seen (zeroGrad may recycle it); nothing here keeps it.
      const pg = peekGrad(p);
      if (!pg) continue;
      const g = maximize ? pg.neg() : pg;
      const state = this.stateOf(p);
      let buf = (state.momentumBuffer as Tensor | null | undefined) ?? null;
      if (fusable(p, g) && (!buf || fusable(p, buf))) {
        const firstStep = momentum !== 0 && buf === null;
        if (firstStep) buf = bufferLike(p);
        backend().sgdUpdate(flatData(p), flatData(g), momentum !== 0 ? flatData(buf!) : null, { lr, momentum, dampening, nesterov, weightDecay, firstStep });
        p.storage.version++;
      } else {
        // Same arithmetic with tensor ops, for strided parameters or gradients.
        // PyTorch 1.13's single-tensor SGD op for op (add with alpha rounds once), so 16-bit
        // parameters round where PyTorch's do.
        let d: Tensor = weightDecay !== 0 ? g.add(p, { alpha: weightDecay }) : g;
        if (momentum !== 0) {
          if (buf === null) buf = d.clone();
          else buf.mul_(momentum).add_(d, { alpha: 1 - dampening });
          d = nesterov ? d.add(buf, { alpha: momentum }) : buf;
        }
        p.add_(d, { alpha: -lr });
      }
      state.momentumBuffer = buf;
    }
  }
}

function checkSgd(o: SGDOptions): void {
  const k = "SGD";
  checkLrAndNonNegative(k, o, ["momentum", "weightDecay"]);
  checkOption(k, !o.nesterov || (o.momentum > 0 && o.dampening === 0), `nesterov momentum requires momentum > 0 and dampening 0 (got momentum ${o.momentum}, dampening ${o.dampening}); set momentum, e.g. {momentum: 0.9, nesterov: true}`);
}
