/**
 * Negative log-likelihood losses of distributions, PyTorch 1.13's: `poissonNllLoss` and
 * `gaussianNllLoss`, as functions and as modules. Compositions of Tensor ops (autograd does the rest).
 */
import { checkTensor, describe, checkKeys } from "../tensor/check.js";
import { Tensor, where, isFloating, noGrad } from "../core.js";
import { Module, fmtShape } from "./module.js";
import { type Reduction, type LossOptions, reduce, sameShapeOrThrow, promotePair, readLossOptions, Loss } from "./losses.js";
import { checkBroadcast } from "./losses-margin.js";
import { viaFloat32 } from "../ops/half-compute.js";

/** The option keys of each class here: anything else is a misspelling. */
const POISSON_NLLLOSS_KEYS = ["logInput", "full", "eps", "reduction"] as const;
const GAUSSIAN_NLLLOSS_KEYS = ["full", "eps", "reduction"] as const;

function checkFloat(op: string, arg: string, x: Tensor): void {
  checkTensor(op, arg, x);
  if (!isFloating(x.dtype)) throw new Error(`${op}: ${arg} must be floating point, got ${x.dtype} (convert it with .float())`);
}

function checkFlag(op: string, name: string, v: unknown): boolean {
  if (typeof v !== "boolean") throw new Error(`${op}: ${name} must be true or false, got ${describe(v)}`);
  return v;
}

function checkEps(op: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new Error(`${op}: eps must be a finite number >= 0, got ${describe(v)}`);
  return v;
}

/** Options of `poissonNllLoss`/`PoissonNLLLoss`, e.g. `{ logInput: false, full: true }`. */
export interface PoissonNllLossOptions extends LossOptions {
  /** The input is the log of the rate (default true): loss e^x − y·x; else the rate: x − y·log(x + eps). */
  logInput?: boolean;
  /** Add Stirling's approximation of log(y!) for targets > 1 (default false). */
  full?: boolean;
  /** Keeps log(x + eps) finite at a rate of 0 when logInput is false (default 1e-8). */
  eps?: number;
}

/**
 * `poissonNllLoss(logRate, counts)`: the negative log-likelihood of Poisson-distributed targets,
 * e^x − y·x for log-rates (or x − y·log(x + eps) for rates), plus with `full` Stirling's term
 * y·log y − y + ½·log(2πy) where y > 1. Shape: input and target the same shape.
 */
export function poissonNllLoss(input: Tensor, target: Tensor, opts?: PoissonNllLossOptions): Tensor {
  const op = "poissonNllLoss";
  const { reduction = "mean", logInput = true, full = false, eps = 1e-8 } = readLossOptions(op, opts, ["logInput", "full", "eps"]);
  sameShapeOrThrow(input, target, op);
  checkFloat(op, "input", input);
  checkFlag(op, "logInput", logInput);
  checkFlag(op, "full", full);
  checkEps(op, eps);
  const [x, y] = promotePair(input, target);
  let loss = logInput ? x.exp().sub(y.mul(x)) : x.sub(y.mul(x.add(eps).log()));
  if (full) {
    const stirling = y.mul(y.log()).sub(y).add(y.mul(2 * Math.PI).log().mul(0.5));
    loss = loss.add(where(y.le(1), 0, stirling));
  }
  return reduce(loss, reduction, op);
}

/** Options of `gaussianNllLoss`/`GaussianNLLLoss`, e.g. `{ full: true, eps: 1e-6 }`. */
export interface GaussianNllLossOptions extends LossOptions {
  /** Add the constant ½·log(2π) (default false). */
  full?: boolean;
  /** The variance is clamped to at least this for the value, not for the gradient (default 1e-6). */
  eps?: number;
}

/**
 * `gaussianNllLoss(mean, y, variance)`: ½·(log(var) + (x − y)²/var) (+ ½·log(2π) with `full`), the
 * negative log-likelihood of y under N(x, var). `var` has the input's shape, or that shape without
 * its last dim, or with a last dim of 1 (one variance per sample: homoscedastic); it must be >= 0.
 * As in PyTorch, var is clamped to `eps` without a gradient: the clamp's gradient is the identity.
 * Shape: input [N, *], target [N, *] (or broadcastable to it), var [N, *] / [N, *-1] / [N, *-1, 1].
 */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, opts?: GaussianNllLossOptions): Tensor {
  const op = "gaussianNllLoss";
  const { reduction = "mean", full = false, eps = 1e-6 } = readLossOptions(op, opts, ["full", "eps"]);
  checkFloat(op, "input", input);
  checkTensor(op, "target", target);
  // As PyTorch, the target broadcasts against the input (the loss takes the broadcast shape).
  checkBroadcast(op, input, "target", target);
  checkFloat(op, "var", variance);
  checkFlag(op, "full", full);
  checkEps(op, eps);
  let v = variance;
  const inShape = input.shape.join();
  if (v.shape.join() !== inShape) {
    const lead = input.shape.slice(0, -1).join();
    if (input.ndim >= 1 && v.ndim === input.ndim - 1 && v.shape.join() === lead) v = v.unsqueeze(-1);
    else if (!(input.ndim >= 1 && v.ndim === input.ndim && v.shape.slice(0, -1).join() === lead && v.shape[v.ndim - 1] === 1)) {
      throw new Error(`${op}: var ${fmtShape(variance.shape)} does not fit input ${fmtShape(input.shape)}: give var the input's shape, the input's shape without its last dim, or that with a last dim of 1`);
    }
  }
  if (noGrad(() => v.lt(0).any().item()) !== 0) throw new Error(`${op}: var has negative entries; variances must be >= 0 (e.g. pass var.exp() or softplus(var))`);
  // The clamp runs without recording, so the gradient flows to var as if unclamped (PyTorch's behaviour).
  v = v.clone();
  noGrad(() => v.clamp_(eps));
  // 16-bit inputs: in float32, rounded once (PyTorch nearer the exact result otherwise).
  const loss = viaFloat32((x: Tensor, t: Tensor, vv: Tensor): Tensor => {
    const l = vv.log().add(x.sub(t).square().div(vv)).mul(0.5);
    return full ? l.add(0.5 * Math.log(2 * Math.PI)) : l;
  }, ...promotePair(input, target), v);
  return reduce(loss, reduction, op);
}

/**
 * Poisson negative log-likelihood. `new nn.PoissonNLLLoss({ logInput: true }).call(logRate, counts)`
 *
 * Shape: input [*], target [*] (same shape).
 */
export class PoissonNLLLoss extends Loss {
  readonly logInput: boolean;
  readonly full: boolean;
  readonly eps: number;
  constructor(opts: PoissonNllLossOptions = {}) {
    super(readLossOptions("PoissonNLLLoss", opts, ["logInput", "full", "eps"]).reduction);
    checkKeys("PoissonNLLLoss", opts, POISSON_NLLLOSS_KEYS);
    this.logInput = opts.logInput ?? true;
    this.full = opts.full ?? false;
    this.eps = opts.eps ?? 1e-8;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return poissonNllLoss(input, target, { reduction: this.reduction, logInput: this.logInput, full: this.full, eps: this.eps });
  }
}

/**
 * Gaussian negative log-likelihood with a predicted variance. `new nn.GaussianNLLLoss().call(mean, y, variance)`
 *
 * Shape: input [N, *], target [N, *], var [N, *] (or one per sample: [N, *-1] / [N, *-1, 1]).
 */
export class GaussianNLLLoss extends Module<[Tensor, Tensor, Tensor], Tensor> {
  readonly reduction: Reduction;
  readonly full: boolean;
  readonly eps: number;
  constructor(opts: GaussianNllLossOptions = {}) {
    super();
    checkKeys("GaussianNLLLoss", opts, GAUSSIAN_NLLLOSS_KEYS);
    this.reduction = readLossOptions("GaussianNLLLoss", opts, ["full", "eps"]).reduction ?? "mean";
    this.full = opts.full ?? false;
    this.eps = opts.eps ?? 1e-6;
  }
  forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    return gaussianNllLoss(input, target, variance, { reduction: this.reduction, full: this.full, eps: this.eps });
  }
}
