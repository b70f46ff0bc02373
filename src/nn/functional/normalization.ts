/**
 * Normalisation and distance functions of `nn.functional`: `normalize`, `cosineSimilarity`,
 * `pairwiseDistance`, `pdist`, `instanceNorm`, `localResponseNorm`. Compositions of Tensor ops, arranged as
 * PyTorch 1.13 computes them (so values and gradients agree, including at the eps clamps).
 *
 * ```ts
 * import { nn } from "deeptype";
 * const unit = nn.functional.normalize(x, 2, 1); // rows of unit length
 * ```
 */
import { Tensor, noGrad, norm, clampMin, broadcastTo, zeros, cat, indexSelect, isFloating, linalg, tensor } from "../../core.js";
import { describe, tensorArgError, checkKeys, declareOptionalArgs } from "../../tensor/check.js";
import { broadcastShapes } from "../../tensor/shape.js";
import { fmtShape } from "../module.js";
import { checkNumber } from "./activations.js";
import { viaFloat32 } from "../../ops/half-compute.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const INSTANCE_NORM_KEYS = ["runningMean", "runningVar", "weight", "bias", "useInputStats", "momentum", "eps"] as const;
const PAIRWISE_DISTANCE_KEYS = ["p", "eps", "keepdim"] as const;

function checkTensor(x: unknown, fn: string, name = "input"): Tensor {
  if (!(x instanceof Tensor)) throw tensorArgError(fn, name, x);
  return x;
}

function checkDim(dim: unknown, ndim: number, fn: string, shape: readonly number[]): number {
  const n = Math.max(ndim, 1);
  if (typeof dim !== "number" || !Number.isInteger(dim) || dim < -n || dim >= n) throw new Error(`${fn}: dim ${describe(dim)} is out of range for input ${fmtShape(shape)}`);
  return dim < 0 ? dim + n : dim;
}

/**
 * `normalize(x, 2, 1)`: x / max(‖x‖ₚ, eps) along `dim` (default p = 2, dim = 1, eps = 1e-12).
 * Shape: any -> the same.
 */
export function normalize(x: Tensor, p = 2, dim = 1, eps = 1e-12): Tensor {
  checkTensor(x, "normalize");
  checkNumber(p, "normalize", "p");
  checkNumber(eps, "normalize", "eps");
  if (x.ndim === 0) {
    if (dim !== 0 && dim !== -1) throw new Error(`normalize: dim ${describe(dim)} is out of range for a 0-d input`);
    return x.div(clampMin(x.abs(), eps));
  }
  const d = checkDim(dim, x.ndim, "normalize", x.shape);
  return viaFloat32((xx: Tensor) => xx.div(clampMin(norm(xx, p, d, true), eps)), x);
}

/**
 * The norm along `dim` with its values floored at eps, but the gradient of the plain norm: PyTorch
 * clamps it in place under no-grad, so the clamp is invisible to its backward.
 */
function flooredNorm(x: Tensor, dim: number, eps: number): Tensor {
  const n = norm(x, 2, dim, true);
  const lift = noGrad(() => clampMin(n, eps).sub(n));
  return n.add(lift);
}

/**
 * `cosineSimilarity(a, b, 1)`: ⟨a, b⟩ / (max(‖a‖, eps)·max(‖b‖, eps)) along `dim` (default 1,
 * eps 1e-8); a and b broadcast. Shape: broadcast shape with `dim` removed.
 */
export function cosineSimilarity(x1: Tensor, x2: Tensor, dim = 1, eps = 1e-8): Tensor {
  const fn = "cosineSimilarity";
  checkTensor(x1, fn, "x1");
  checkTensor(x2, fn, "x2");
  checkNumber(eps, fn, "eps");
  const shape = broadcastShapes(x1.shape, x2.shape, fn);
  if (shape.length === 0) {
    // 0-d inputs are one-element vectors along dim 0 (or -1), as PyTorch's.
    checkDim(dim, 0, fn, shape);
    return cosineSimilarity(x1.reshape([1]), x2.reshape([1]), 0, eps).reshape([]);
  }
  const a = broadcastTo(x1, shape), b = broadcastTo(x2, shape);
  const d = checkDim(dim, a.ndim, fn, shape);
  // PyTorch 1.13 normalises each side first (keeps the result in [-1, 1] and the gradient stable).
  return viaFloat32((aa: Tensor, bb: Tensor) => aa.div(flooredNorm(aa, d, eps)).mul(bb.div(flooredNorm(bb, d, eps))).sum(d), a, b);
}

/**
 * `pairwiseDistance(a, b)`: ‖a − b + eps‖ₚ along the last dim (p = 2, eps = 1e-6, as PyTorch's).
 * Shape: [N, D], [N, D] -> [N] (or [N, 1] with keepdim).
 */
export function pairwiseDistance(x1: Tensor, x2: Tensor, opts: { p?: number; eps?: number; keepdim?: boolean } = {}): Tensor {
  checkKeys("pairwiseDistance", opts, PAIRWISE_DISTANCE_KEYS);
  const fn = "pairwiseDistance";
  checkTensor(x1, fn, "x1");
  checkTensor(x2, fn, "x2");
  const p = checkNumber(opts.p ?? 2, fn, "p"), eps = checkNumber(opts.eps ?? 1e-6, fn, "eps");
  const diff = x1.sub(x2).add(eps);
  // Two 0-d inputs give a 0-d distance, with keepdim too (PyTorch 1.13's shape).
  if (diff.ndim === 0) return norm(diff.reshape([1]), p, 0).reshape([]);
  return norm(diff, p, -1, opts.keepdim ?? false);
}

/** Options of `instanceNorm` (PyTorch's keywords after input). */
export interface InstanceNormOptions {
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Normalise with each instance's own statistics (default true); false uses the running ones. */
  useInputStats?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * `instanceNorm(x)`: normalises each (sample, channel) over its positions (biased variance), then
 * scales and shifts per channel. With running statistics and useInputStats, they are updated in
 * place with the mean over the batch of the instances' statistics (unbiased variance), as PyTorch.
 * Shape: [N, C, *] -> the same.
 */
export function instanceNorm(x: Tensor, opts: InstanceNormOptions = {}): Tensor {
  checkKeys("instanceNorm", opts, INSTANCE_NORM_KEYS);
  checkTensor(x, "instanceNorm");
  // 16-bit inputs: in float32, rounded once (PyTorch's instance_norm is its batch_norm kernel).
  return viaFloat32((xx: Tensor, w: Tensor | null, b: Tensor | null) => instanceNormImpl(xx, { ...opts, weight: w, bias: b }), x, opts.weight ?? null, opts.bias ?? null);
}

function instanceNormImpl(x: Tensor, opts: InstanceNormOptions): Tensor {
  const fn = "instanceNorm";
  checkTensor(x, fn);
  if (x.ndim < 3) throw new Error(`${fn}: expected input [N, C, ...] with at least one spatial dim, got ${fmtShape(x.shape)}`);
  const [N, C] = x.shape;
  const { runningMean = null, runningVar = null, weight = null, bias = null } = opts;
  const useInputStats = opts.useInputStats ?? true, momentum = opts.momentum ?? 0.1, eps = opts.eps ?? 1e-5;
  for (const [name, t] of [["runningMean", runningMean], ["runningVar", runningVar], ["weight", weight], ["bias", bias]] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== C)) throw new Error(`${fn}: ${name} has shape ${fmtShape(t.shape)}, but the input ${fmtShape(x.shape)} has ${C} channels; expected [${C}]`);
  }
  if (!useInputStats && (!runningMean || !runningVar)) throw new Error(`${fn}: useInputStats false needs runningMean and runningVar`);
  const dims = x.shape.slice(2).map((_, i) => i + 2);
  const n = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const cs = x.shape.map((s, i) => (i === 1 ? s : 1));
  let y: Tensor;
  if (useInputStats) {
    if (n <= 1) throw new Error(`${fn}: expected more than 1 spatial element per channel when using input statistics, got input ${fmtShape(x.shape)}`);
    const mean = x.mean(dims, true);
    const c = x.sub(mean);
    const v = c.square().mean(dims, true);
    y = c.div(v.add(eps).sqrt());
    if (runningMean && runningVar) {
      noGrad(() => {
        runningMean.mul_(1 - momentum).add_(mean.detach().reshape([N, C]).mean(0).mul(momentum).to(runningMean.dtype));
        runningVar.mul_(1 - momentum).add_(v.detach().reshape([N, C]).mean(0).mul((momentum * n) / (n - 1)).to(runningVar.dtype));
      });
    }
  } else {
    y = x.sub(runningMean!.reshape(cs)).div(runningVar!.reshape(cs).add(eps).sqrt());
  }
  if (weight) y = y.mul(weight.reshape(cs));
  if (bias) y = y.add(bias.reshape(cs));
  return y;
}

/**
 * `localResponseNorm(x, 5)`: x / (k + α/size · Σ x²)^β, the sum over `size` neighbouring channels
 * (zero-padded, size//2 before and (size−1)//2 after); α = 1e-4, β = 0.75, k = 1 by default.
 * Shape: [N, C, *] -> the same.
 */
export function localResponseNorm(x: Tensor, size: number, alpha = 1e-4, beta = 0.75, k = 1): Tensor {
  const fn = "localResponseNorm";
  checkTensor(x, fn);
  if (typeof size !== "number" || !Number.isInteger(size) || size < 1) throw new Error(`${fn}: size must be a positive integer, got ${describe(size)}`);
  checkNumber(alpha, fn, "alpha");
  checkNumber(beta, fn, "beta");
  checkNumber(k, fn, "k");
  if (x.ndim < 3) throw new Error(`${fn}: expected input [N, C, *] with 3 or more dims, got ${fmtShape(x.shape)}`);
  if (x.numel() === 0) return x;
  const C = x.shape[1];
  const sq = x.mul(x);
  const before = Math.floor(size / 2), after = Math.floor((size - 1) / 2);
  const padShape = (m: number): number[] => x.shape.map((s, i) => (i === 1 ? m : s));
  const parts = [sq];
  if (before) parts.unshift(zeros(padShape(before), { dtype: sq.dtype }));
  if (after) parts.push(zeros(padShape(after), { dtype: sq.dtype }));
  const padded = parts.length > 1 ? cat(parts, 1) : sq;
  // Window sums in PyTorch's order (avg_pool adds the window's elements first to last), then / size.
  let sum = padded.narrow(1, 0, C);
  for (let j = 1; j < size; j++) sum = sum.add(padded.narrow(1, j, C));
  const div = sum.div(size).mul(alpha).add(k).pow(beta);
  return x.div(div);
}

/**
 * `pdist(x, p = 2)`: the p-norm distance between every pair of rows i < j of x [N, M], in the order
 * (0, 1), (0, 2), ..., (N − 2, N − 1): [N·(N − 1)/2], as torch.nn.functional.pdist. For p = ∞ every
 * coordinate reaching the maximum gets the full gradient, as PyTorch's pdist backward gives it.
 */
export function pdist(input: Tensor, p = 2): Tensor {
  const fn = "pdist";
  checkTensor(input, fn);
  if (input.ndim !== 2) throw new Error(`${fn}: expected input [N, M], got ${fmtShape(input.shape)}`);
  if (!isFloating(input.dtype)) throw new Error(`${fn}: input must be a floating tensor, got ${input.dtype}`);
  if (typeof p !== "number" || !(p >= 0)) throw new Error(`${fn}: p must be a number >= 0, got ${describe(p)}`);
  const n = input.shape[0], pairs = n < 2 ? 0 : (n * (n - 1)) / 2;
  const I = new Int32Array(pairs), J = new Int32Array(pairs);
  for (let i = 0, k = 0; i < n; i++) for (let j = i + 1; j < n; j++, k++) { I[k] = i; J[k] = j; }
  const diff = indexSelect(input, 0, tensor(I)).sub(indexSelect(input, 0, tensor(J)));
  if (p !== Infinity) return linalg.vectorNorm(diff, p, 1);
  const abs = diff.abs(), value = abs.detach().amax(1);
  if (!input.requiresGrad || pairs === 0 || input.shape[1] === 0) return value;
  // 0 in value; its derivative is sign(diff) at every coordinate equal to the maximum.
  const hits = abs.mul(abs.detach().eq(value.unsqueeze(1))).sum(1);
  return value.add(hits.sub(hits.detach()));
}

// Optional parameters PyTorch code passes positionally, also taken as one trailing options object
// (API.md rule 3); the entry layer (src/tensor/guard.ts) spreads it into the arguments.
const OPTIONAL_ARGS = declareOptionalArgs({
  normalize: { first: 1, names: ["p", "dim", "eps"] },
  cosineSimilarity: { first: 2, names: ["dim", "eps"] },
  localResponseNorm: { first: 2, names: ["alpha", "beta", "k"] },
  pdist: { first: 1, names: ["p"] },
});
export type NormalizationOptionalArgs = typeof OPTIONAL_ARGS;
