/**
 * Layer fusion inside nn.Sequential: Conv2d → ReLU (→ MaxPool2d) runs as the fused conv2dRelu op and
 * Linear → ReLU as linearRelu, so a PyTorch-style model gets one kernel and one backward for the
 * chain without code changes.
 *
 * A run is fused only when each module is exactly that class (a subclass may override forward) and
 * none has a forward hook or pre-hook: hooks see every layer's own output, so hooked layers (as
 * summary() and the diagnostics register) run one by one. The fused result equals the unfused one
 * (test/ops-fused.test.ts, test/ops-fused-dense.test.ts), in training and in eval alike (none of
 * these layers depends on the mode).
 */
import type { Tensor } from "../core.js";
import type { AnyModule } from "./module.js";
import { Conv2d } from "./layers/conv.js";
import { Linear } from "./layers/linear.js";
import { ReLU } from "./layers/activation.js";
import { MaxPool2d } from "./layers/pool.js";

function plain(m: AnyModule | undefined, cls: { readonly prototype: object }): boolean {
  return m !== undefined && Object.getPrototypeOf(m) === cls.prototype && !m.hasForwardHooks();
}

/**
 * If items[i], items[i+1] (and items[i+2]) are a fusable Conv2d → ReLU (→ MaxPool2d) or Linear → ReLU,
 * runs them on x as one op and returns [output, modules consumed]; otherwise null.
 */
export function runFused(items: readonly AnyModule[], i: number, x: Tensor): [Tensor, number] | null {
  const conv = items[i];
  if (plain(conv, Linear) && plain(items[i + 1], ReLU)) return [(conv as Linear).forwardRelu(x), 2];
  if (!plain(conv, Conv2d) || !plain(items[i + 1], ReLU)) return null;
  const next = items[i + 2];
  if (plain(next, MaxPool2d)) {
    const p = next as MaxPool2d;
    const pool = { kernelSize: p.kernelSize, stride: p.stride, padding: p.padding, dilation: p.dilation, ceilMode: p.ceilMode };
    return [(conv as Conv2d).forwardRelu(x, pool), 3];
  }
  return [(conv as Conv2d).forwardRelu(x), 2];
}
