/**
 * Power-average pooling, `lpPool1d` and `lpPool2d`, as torch.nn.functional.lp_pool1d/2d: each window's
 * (Σ xᵖ)^(1/p), computed as PyTorch does, from the average pool of xᵖ times the window size, with the
 * sign of that average kept and the average clamped at 0 through relu (so with ceilMode a window that
 * runs past the input, whose average PyTorch takes over its part inside, is scaled by the full size
 * as in PyTorch). Composites of differentiable ops: gradients and every backend come with them.
 *
 * ```ts
 * nn.functional.lpPool2d(x, 2, 2);          // L2 pooling over 2x2 windows: [N, C, H, W] -> [N, C, H/2, W/2]
 * nn.functional.lpPool1d(x, 3, 4, 2);       // p = 3, windows of 4 with stride 2 along L
 * ```
 */
import { Tensor, avgPool2d, relu } from "../../core.js";
import { declareOptionalArgs, describe, tensorArgError } from "../../tensor/check.js";
import { avgPool1d } from "./pooling.js";

type Pair = number | readonly [number, number];

/** A p PyTorch's formula can use: a non-zero number (its 1/p is the last power). */
export function checkNormType(fn: string, p: unknown): number {
  if (typeof p !== "number" || Number.isNaN(p) || p === 0) throw new Error(`${fn}: normType must be a non-zero number (2 for L2 pooling), got ${describe(p)}`);
  return p;
}

function checkCeil(fn: string, v: unknown): boolean {
  if (typeof v !== "boolean") throw new Error(`${fn}: ceilMode must be true or false, got ${describe(v)}`);
  return v;
}

/** PyTorch's tail of lp_pool: (sign(out)·relu(|out|))·size, to the power 1/p. */
function finish(out: Tensor, size: number, p: number): Tensor {
  return out.sign().mul(relu(out.abs())).mul(size).pow(1 / p);
}

/**
 * `lpPool1d(x, normType, kernelSize, stride?, ceilMode?)`: the p-norm of each window along L.
 * Shape: [N, C, L] or [C, L] -> [.., Lout] as avgPool1d with no padding.
 */
export function lpPool1d(input: Tensor, normType: number, kernelSize: number, stride: number | null = null, ceilMode = false): Tensor {
  const fn = "lpPool1d";
  if (!(input instanceof Tensor)) throw tensorArgError(fn, "input", input);
  const p = checkNormType(fn, normType);
  const k = Array.isArray(kernelSize) && kernelSize.length === 1 ? (kernelSize[0] as number) : kernelSize;
  if (typeof k !== "number" || !Number.isInteger(k) || k < 1) throw new Error(`${fn}: kernelSize must be an integer >= 1, got ${describe(kernelSize)}`);
  const out = avgPool1d(input.pow(p), k, { stride, padding: 0, ceilMode: checkCeil(fn, ceilMode) });
  return finish(out, k, p);
}

/**
 * `lpPool2d(x, normType, kernelSize, stride?, ceilMode?)`: the p-norm of each kH x kW window.
 * Shape: [N, C, H, W] or [C, H, W] -> [.., Hout, Wout] as avgPool2d with no padding.
 */
export function lpPool2d(input: Tensor, normType: number, kernelSize: Pair, stride: Pair | null = null, ceilMode = false): Tensor {
  const fn = "lpPool2d";
  if (!(input instanceof Tensor)) throw tensorArgError(fn, "input", input);
  const p = checkNormType(fn, normType);
  if (input.ndim !== 3 && input.ndim !== 4) throw new Error(`${fn}: expected input [N, C, H, W] or [C, H, W], got shape [${input.shape.join(", ")}]`);
  const ks = typeof kernelSize === "number" ? [kernelSize, kernelSize] : kernelSize;
  if (!Array.isArray(ks) || ks.length !== 2 || !ks.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new Error(`${fn}: kernelSize must be an integer >= 1 or a pair of them, got ${describe(kernelSize)}`);
  }
  const out = avgPool2d(input.pow(p), ks as [number, number], { ...(stride === null ? {} : { stride }), padding: 0, ceilMode: checkCeil(fn, ceilMode) });
  return finish(out, ks[0] * ks[1], p);
}

// PyTorch code passes stride and ceil_mode positionally (F.lp_pool2d(x, 2, 3, 2)); also in one options object.
const OPTIONAL_ARGS = declareOptionalArgs({
  lpPool1d: { first: 3, names: ["stride", "ceilMode"] },
  lpPool2d: { first: 3, names: ["stride", "ceilMode"] },
});
export type LpPoolOptionalArgs = typeof OPTIONAL_ARGS;
