/**
 * torch.distributions.transforms: invertible maps with a log |det Jacobian|, for
 * TransformedDistribution. `t.call(x)` is PyTorch's `t(x)`, `t.inv` the inverse transform,
 * `t.logAbsDetJacobian(x, y)` PyTorch's log_abs_det_jacobian. The transforms here are elementwise
 * (PyTorch's event_dim 0; AffineTransform also takes eventDim).
 *
 * ```ts
 * const t = new ComposeTransform([new AffineTransform(0, 2), new ExpTransform()]);
 * t.call(x); t.inv.call(y); t.logAbsDetJacobian(x, t.call(x));
 * ```
 */
import { Tensor, zerosLike, zeros, where, arange, pad, diagEmbed, tensor, eye } from "../core.js";
import { describe } from "../tensor/check.js";
import * as constraints from "./constraints.js";
import { finfo, softplus } from "./utils.js";

export abstract class Transform {
  /** The inverse transform (PyTorch's .inv). */
  get inv(): Transform {
    return new InverseTransform(this);
  }
  abstract get domain(): constraints.Constraint;
  abstract get codomain(): constraints.Constraint;
  /** +1 or -1 (or a tensor of them): whether the map increases (PyTorch's sign). */
  get sign(): number | Tensor {
    throw new Error(`${this.constructor.name}.sign: not implemented (as PyTorch 1.13)`);
  }
  get bijective(): boolean {
    return true;
  }
  /** y = t(x) (PyTorch's t(x)). */
  call(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new Error(`${this.constructor.name}.call: x must be a Tensor, got ${describe(x)}`);
    return this.forward(x);
  }
  protected abstract forward(x: Tensor): Tensor;
  /** x = t^-1(y). */
  abstract inverse(y: Tensor): Tensor;
  abstract logAbsDetJacobian(x: Tensor, y: Tensor): Tensor;
  forwardShape(shape: readonly number[]): number[] {
    return [...shape];
  }
  inverseShape(shape: readonly number[]): number[] {
    return [...shape];
  }
  /** PyTorch's __eq__: same kind (and same parameters). */
  equals(other: Transform): boolean {
    return other.constructor === this.constructor;
  }
}

class InverseTransform extends Transform {
  constructor(private readonly base: Transform) {
    super();
  }
  override get inv(): Transform {
    return this.base;
  }
  override get domain(): constraints.Constraint {
    return this.base.codomain;
  }
  override get codomain(): constraints.Constraint {
    return this.base.domain;
  }
  override get sign(): number | Tensor {
    return this.base.sign;
  }
  protected override forward(x: Tensor): Tensor {
    return this.base.inverse(x);
  }
  override inverse(y: Tensor): Tensor {
    return this.base.call(y);
  }
  override logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    return this.base.logAbsDetJacobian(y, x).neg();
  }
  override forwardShape(shape: readonly number[]): number[] {
    return this.base.inverseShape(shape);
  }
  override inverseShape(shape: readonly number[]): number[] {
    return this.base.forwardShape(shape);
  }
  override equals(other: Transform): boolean {
    return other instanceof InverseTransform && other.base.equals(this.base);
  }
}

/** y = exp(x). */
export class ExpTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.real;
  }
  override get codomain(): constraints.Constraint {
    return constraints.positive;
  }
  override get sign(): number {
    return 1;
  }
  protected override forward(x: Tensor): Tensor {
    return x.exp();
  }
  override inverse(y: Tensor): Tensor {
    return y.log();
  }
  override logAbsDetJacobian(x: Tensor): Tensor {
    return x;
  }
}

/** y = |x| (not bijective: the inverse is the identity; HalfNormal and HalfCauchy use it). */
export class AbsTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.real;
  }
  override get codomain(): constraints.Constraint {
    return constraints.positive;
  }
  override get bijective(): boolean {
    return false;
  }
  protected override forward(x: Tensor): Tensor {
    return x.abs();
  }
  override inverse(y: Tensor): Tensor {
    return y;
  }
  override logAbsDetJacobian(x: Tensor): Tensor {
    return this.missing(x);
  }
  private missing(_x: Tensor): never {
    throw new Error("AbsTransform.logAbsDetJacobian: not implemented (as PyTorch 1.13: |x| is not bijective)");
  }
}

/** y = x^exponent, on positive x. */
export class PowerTransform extends Transform {
  constructor(readonly exponent: Tensor | number) {
    super();
    if (!(exponent instanceof Tensor) && typeof exponent !== "number") throw new Error(`PowerTransform: exponent must be a Tensor or a number, got ${describe(exponent)}`);
  }
  override get domain(): constraints.Constraint {
    return constraints.positive;
  }
  override get codomain(): constraints.Constraint {
    return constraints.positive;
  }
  override get sign(): number | Tensor {
    return this.exponent instanceof Tensor ? this.exponent.sign() : Math.sign(this.exponent);
  }
  protected override forward(x: Tensor): Tensor {
    return x.pow(this.exponent);
  }
  override inverse(y: Tensor): Tensor {
    return y.pow(this.exponent instanceof Tensor ? this.exponent.reciprocal() : 1 / this.exponent);
  }
  override logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    return y.mul(this.exponent).div(x).abs().log();
  }
  override equals(other: Transform): boolean {
    return other instanceof PowerTransform && sameParam(this.exponent, other.exponent);
  }
}

/** y = sigmoid(x), clipped to [tiny, 1 - eps] as PyTorch's _clipped_sigmoid. */
export class SigmoidTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.real;
  }
  override get codomain(): constraints.Constraint {
    return constraints.unitInterval;
  }
  override get sign(): number {
    return 1;
  }
  protected override forward(x: Tensor): Tensor {
    const f = finfo(x.dtype);
    return x.sigmoid().clamp(f.tiny, 1 - f.eps);
  }
  override inverse(y: Tensor): Tensor {
    const f = finfo(y.dtype);
    const c = y.clamp(f.tiny, 1 - f.eps);
    return c.log().sub(c.neg().log1p());
  }
  override logAbsDetJacobian(x: Tensor): Tensor {
    return softplus(x.neg()).neg().sub(softplus(x));
  }
}

/** y = tanh(x). */
export class TanhTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.real;
  }
  override get codomain(): constraints.Constraint {
    return constraints.interval(-1, 1);
  }
  override get sign(): number {
    return 1;
  }
  protected override forward(x: Tensor): Tensor {
    return x.tanh();
  }
  override inverse(y: Tensor): Tensor {
    return y.atanh();
  }
  override logAbsDetJacobian(x: Tensor): Tensor {
    // PyTorch's stable form of log(1 - tanh(x)^2).
    return softplus(x.mul(-2)).add(x).neg().add(Math.log(2)).mul(2);
  }
}

/** y = softplus(x) = log(1 + exp(x)) (linear above 20, as F.softplus). */
export class SoftplusTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.real;
  }
  override get codomain(): constraints.Constraint {
    return constraints.positive;
  }
  override get sign(): number {
    return 1;
  }
  protected override forward(x: Tensor): Tensor {
    return thresholdSoftplus(x);
  }
  override inverse(y: Tensor): Tensor {
    return y.neg().expm1().neg().log().add(y);
  }
  override logAbsDetJacobian(x: Tensor): Tensor {
    return thresholdSoftplus(x.neg()).neg();
  }
}

/** F.softplus with its threshold 20: x itself above it (the other branch sees a clamped x, so no inf reaches the gradient). */
function thresholdSoftplus(x: Tensor): Tensor {
  return where(x.gt(20), x, x.clampMax(20).exp().log1p());
}

/** y = softmax(x) over the last dim (not bijective: the inverse is log y). */
export class SoftmaxTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.realVector;
  }
  override get codomain(): constraints.Constraint {
    return constraints.simplex;
  }
  override get bijective(): boolean {
    return false;
  }
  protected override forward(x: Tensor): Tensor {
    const p = x.sub(x.amax(-1, true)).exp();
    return p.div(p.sum(-1, { keepdim: true }));
  }
  override inverse(y: Tensor): Tensor {
    return y.log();
  }
  override logAbsDetJacobian(): Tensor {
    throw new Error("SoftmaxTransform.logAbsDetJacobian: not implemented (as PyTorch 1.13: softmax is not bijective)");
  }
}

/** Unconstrained vectors of K - 1 to the K-simplex by stick breaking (bijective; LogisticNormal's transform). */
export class StickBreakingTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.realVector;
  }
  override get codomain(): constraints.Constraint {
    return constraints.simplex;
  }
  /** log of PyTorch's offset K, K - 1, ..., 1 for the K free coordinates. */
  private offsetLog(k: number, dtype: Tensor["dtype"]): Tensor {
    return arange(k, { dtype }).neg().add(k).log();
  }
  protected override forward(x: Tensor): Tensor {
    const k = x.shape.at(-1)!;
    const f = finfo(x.dtype);
    const z = x.sub(this.offsetLog(k, x.dtype)).sigmoid().clamp(f.tiny, 1 - f.eps);
    const zc = z.neg().add(1).cumprod(-1);
    return pad(z, [0, 1], "constant", 1).mul(pad(zc, [1, 0], "constant", 1));
  }
  override inverse(y: Tensor): Tensor {
    const k = y.shape.at(-1)! - 1;
    const crop = y.narrow(-1, 0, k);
    const sf = crop.cumsum(-1).neg().add(1).clampMin(finfo(y.dtype).tiny);
    return crop.log().sub(sf.log()).add(this.offsetLog(k, y.dtype));
  }
  override logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    const k = x.shape.at(-1)!;
    const xs = x.sub(this.offsetLog(k, x.dtype));
    return xs.neg().add(thresholdSoftplus(xs.neg()).neg()).add(y.narrow(-1, 0, k).log()).sum(-1);
  }
  override forwardShape(shape: readonly number[]): number[] {
    if (shape.length < 1) throw new Error("StickBreakingTransform: needs at least one dimension");
    return [...shape.slice(0, -1), shape[shape.length - 1] + 1];
  }
  override inverseShape(shape: readonly number[]): number[] {
    if (shape.length < 1) throw new Error("StickBreakingTransform: needs at least one dimension");
    return [...shape.slice(0, -1), shape[shape.length - 1] - 1];
  }
}

/** The base transform applied with its n rightmost batch dims reinterpreted as event dims (log-Jacobian summed over them). */
export class IndependentTransform extends Transform {
  constructor(readonly baseTransform: Transform, readonly reinterpretedBatchNdims: number) {
    super();
    if (!(baseTransform instanceof Transform)) throw new Error(`IndependentTransform: baseTransform must be a Transform, got ${describe(baseTransform)}`);
    if (!Number.isInteger(reinterpretedBatchNdims) || reinterpretedBatchNdims < 0) throw new Error(`IndependentTransform: reinterpretedBatchNdims must be a non-negative integer, got ${describe(reinterpretedBatchNdims)}`);
  }
  override get domain(): constraints.Constraint {
    return constraints.independent(this.baseTransform.domain, this.reinterpretedBatchNdims);
  }
  override get codomain(): constraints.Constraint {
    return constraints.independent(this.baseTransform.codomain, this.reinterpretedBatchNdims);
  }
  override get bijective(): boolean {
    return this.baseTransform.bijective;
  }
  override get sign(): number | Tensor {
    return this.baseTransform.sign;
  }
  protected override forward(x: Tensor): Tensor {
    return this.baseTransform.call(x);
  }
  override inverse(y: Tensor): Tensor {
    return this.baseTransform.inverse(y);
  }
  override logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    let r = this.baseTransform.logAbsDetJacobian(x, y);
    for (let i = 0; i < this.reinterpretedBatchNdims; i++) r = r.sum(-1);
    return r;
  }
  override forwardShape(shape: readonly number[]): number[] {
    return this.baseTransform.forwardShape(shape);
  }
  override inverseShape(shape: readonly number[]): number[] {
    return this.baseTransform.inverseShape(shape);
  }
  override equals(other: Transform): boolean {
    return other instanceof IndependentTransform && other.reinterpretedBatchNdims === this.reinterpretedBatchNdims && other.baseTransform.equals(this.baseTransform);
  }
}

/** Unconstrained square matrices to lower-triangular ones with a positive diagonal (tril(x, -1) + diag(exp(diag x))). */
export class LowerCholeskyTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.independent(constraints.real, 2);
  }
  override get codomain(): constraints.Constraint {
    return constraints.lowerCholesky;
  }
  override get bijective(): boolean {
    return false;
  }
  protected override forward(x: Tensor): Tensor {
    return x.tril(-1).add(diagEmbed(x.diagonal(0, -2, -1).exp()));
  }
  override inverse(y: Tensor): Tensor {
    return y.tril(-1).add(diagEmbed(y.diagonal(0, -2, -1).log()));
  }
  override logAbsDetJacobian(): Tensor {
    throw new Error("LowerCholeskyTransform.logAbsDetJacobian: not implemented (as PyTorch 1.13)");
  }
}

/** Row-major flat indices of the entries below diagonal `diag` of an n x n matrix (PyTorch's tril mask order). */
function trilIndices(n: number, diag: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (j < i + diag + 1) out.push(i * n + j);
  return out;
}

/** PyTorch's tril_matrix_to_vec: the entries below `diag`, row by row. */
export function trilMatrixToVec(mat: Tensor, diag = 0): Tensor {
  const n = mat.shape.at(-1)!;
  const idx = tensor(trilIndices(n, diag), { dtype: "int64" });
  return mat.reshape([...mat.shape.slice(0, -2), n * n]).indexSelect(-1, idx);
}

/** PyTorch's vec_to_tril_matrix for diag -1: a vector of n (n - 1) / 2 entries below the diagonal of an n x n matrix. */
function vecToStrictTril(vec: Tensor, n: number): Tensor {
  const idx = trilIndices(n, -1);
  // A selection matrix keeps it one differentiable matmul: vec [.., N] x S [N, n * n].
  const sel = new Float64Array(idx.length * n * n);
  idx.forEach((f, k) => (sel[k * n * n + f] = 1));
  const s = tensor(Array.from(sel), { dtype: "float64" }).reshape([idx.length, n * n]).to(vec.dtype);
  return vec.matmul(s).reshape([...vec.shape.slice(0, -1), n, n]);
}

/** Unconstrained vectors of n (n - 1) / 2 to Cholesky factors of n x n correlation matrices (tanh, then signed stick breaking per row). */
export class CorrCholeskyTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.realVector;
  }
  override get codomain(): constraints.Constraint {
    return constraints.corrCholesky;
  }
  private static sizeOf(m: number): number {
    const d = Math.round(Math.sqrt(0.25 + 2 * m) + 0.5);
    if ((d * (d - 1)) / 2 !== m) throw new Error(`CorrCholeskyTransform: the last dim (${m}) is not n (n - 1) / 2 for any n`);
    return d;
  }
  protected override forward(xIn: Tensor): Tensor {
    const eps = finfo(xIn.dtype).eps;
    const x = xIn.tanh().clamp(-1 + eps, 1 - eps);
    const n = CorrCholeskyTransform.sizeOf(x.shape.at(-1)!);
    let r = vecToStrictTril(x, n);
    const z1m = r.square().neg().add(1).sqrt().cumprod(-1);
    r = r.add(eye(n, { dtype: r.dtype }));
    return r.mul(pad(z1m.narrow(-1, 0, n - 1), [1, 0], "constant", 1));
  }
  override inverse(y: Tensor): Tensor {
    const n = y.shape.at(-1)!;
    const cs = y.mul(y).cumsum(-1).neg().add(1);
    const shifted = pad(cs.narrow(-1, 0, n - 1), [1, 0], "constant", 1);
    const t = trilMatrixToVec(y, -1).div(trilMatrixToVec(shifted, -1).sqrt());
    return t.add(1).div(t.neg().add(1)).log().div(2);
  }
  override logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    const y1m = y.mul(y).cumsum(-1).neg().add(1);
    const sb = trilMatrixToVec(y1m, -2).log().sum(-1).mul(0.5);
    const tanh = x.add(thresholdSoftplus(x.mul(-2))).sub(Math.log(2)).sum(-1).mul(-2);
    return sb.add(tanh);
  }
  override forwardShape(shape: readonly number[]): number[] {
    if (shape.length < 1) throw new Error("CorrCholeskyTransform: needs at least one dimension");
    const d = CorrCholeskyTransform.sizeOf(shape[shape.length - 1]);
    return [...shape.slice(0, -1), d, d];
  }
  override inverseShape(shape: readonly number[]): number[] {
    if (shape.length < 2 || shape[shape.length - 1] !== shape[shape.length - 2]) throw new Error("CorrCholeskyTransform: needs square matrices");
    const d = shape[shape.length - 1];
    return [...shape.slice(0, -2), (d * (d - 1)) / 2];
  }
}

/** Reshapes the rightmost dims from inShape to outShape (same number of elements); log |det J| is 0. */
export class ReshapeTransform extends Transform {
  readonly inShape: number[];
  readonly outShape: number[];
  constructor(inShape: readonly number[], outShape: readonly number[]) {
    super();
    const n = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
    for (const [name, v] of [["inShape", inShape], ["outShape", outShape]] as const) {
      if (!Array.isArray(v) || !v.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`ReshapeTransform: ${name} must be an array of non-negative integers, got ${describe(v)}`);
    }
    if (n(inShape) !== n(outShape)) throw new Error(`ReshapeTransform: inShape [${inShape.join(", ")}] and outShape [${outShape.join(", ")}] have different numbers of elements`);
    this.inShape = [...inShape];
    this.outShape = [...outShape];
  }
  override get domain(): constraints.Constraint {
    return constraints.independent(constraints.real, this.inShape.length);
  }
  override get codomain(): constraints.Constraint {
    return constraints.independent(constraints.real, this.outShape.length);
  }
  protected override forward(x: Tensor): Tensor {
    return x.reshape([...x.shape.slice(0, x.ndim - this.inShape.length), ...this.outShape]);
  }
  override inverse(y: Tensor): Tensor {
    return y.reshape([...y.shape.slice(0, y.ndim - this.outShape.length), ...this.inShape]);
  }
  override logAbsDetJacobian(x: Tensor, _y?: Tensor): Tensor {
    return zeros(x.shape.slice(0, x.ndim - this.inShape.length), { dtype: x.dtype });
  }
  override forwardShape(shape: readonly number[]): number[] {
    return [...shape.slice(0, shape.length - this.inShape.length), ...this.outShape];
  }
  override inverseShape(shape: readonly number[]): number[] {
    return [...shape.slice(0, shape.length - this.outShape.length), ...this.inShape];
  }
  override equals(other: Transform): boolean {
    return other instanceof ReshapeTransform && other.inShape.join() === this.inShape.join() && other.outShape.join() === this.outShape.join();
  }
}

/** A distribution's cdf as a transform onto [0, 1] (inverse: its icdf; log |det J|: its logProb). */
export class CumulativeDistributionTransform extends Transform {
  constructor(readonly distribution: { cdf(x: Tensor): Tensor; icdf(y: Tensor): Tensor; logProb(x: Tensor): Tensor; support: constraints.Constraint; eventShape: number[] }) {
    super();
    if (distribution === null || typeof distribution !== "object" || typeof distribution.cdf !== "function") {
      throw new Error(`CumulativeDistributionTransform: distribution must be a Distribution, got ${describe(distribution)}`);
    }
  }
  override get domain(): constraints.Constraint {
    return this.distribution.support;
  }
  override get codomain(): constraints.Constraint {
    const n = this.distribution.eventShape.length;
    return n ? constraints.independent(constraints.unitInterval, n) : constraints.unitInterval;
  }
  override get sign(): number {
    return 1;
  }
  protected override forward(x: Tensor): Tensor {
    return this.distribution.cdf(x);
  }
  override inverse(y: Tensor): Tensor {
    return this.distribution.icdf(y);
  }
  override logAbsDetJacobian(x: Tensor, _y?: Tensor): Tensor {
    return this.distribution.logProb(x);
  }
}

/** y = loc + scale * x; eventDim > 0 sums the log-Jacobian over that many rightmost dims. */
export class AffineTransform extends Transform {
  readonly eventDim: number;
  constructor(readonly loc: Tensor | number, readonly scale: Tensor | number, opts: { eventDim?: number } = {}) {
    super();
    for (const [n, v] of [["loc", loc], ["scale", scale]] as const) {
      if (!(v instanceof Tensor) && typeof v !== "number") throw new Error(`AffineTransform: ${n} must be a Tensor or a number, got ${describe(v)}`);
    }
    const e = opts.eventDim ?? 0;
    if (!Number.isInteger(e) || e < 0) throw new Error(`AffineTransform: eventDim must be a non-negative integer, got ${describe(e)}`);
    this.eventDim = e;
  }
  override get domain(): constraints.Constraint {
    return this.eventDim === 0 ? constraints.real : constraints.independent(constraints.real, this.eventDim);
  }
  override get codomain(): constraints.Constraint {
    return this.domain;
  }
  override get sign(): number | Tensor {
    return this.scale instanceof Tensor ? this.scale.sign() : Math.sign(this.scale);
  }
  protected override forward(x: Tensor): Tensor {
    return x.mul(this.scale).add(this.loc);
  }
  override inverse(y: Tensor): Tensor {
    return y.sub(this.loc).div(this.scale);
  }
  override logAbsDetJacobian(x: Tensor): Tensor {
    // As PyTorch: log|scale| (a number fills x's shape), summed over the event dims, expanded to x's batch.
    const s = this.scale, e = this.eventDim;
    let r = s instanceof Tensor ? s.abs().log() : zerosLike(x.detach()).add(Math.log(Math.abs(s)));
    if (e) r = r.reshape([...r.shape.slice(0, r.ndim - e), -1]).sum(-1);
    return r.expand(x.shape.slice(0, x.ndim - e));
  }
  override forwardShape(shape: readonly number[]): number[] {
    return broadcast(broadcast(shape, shapeOf(this.loc)), shapeOf(this.scale));
  }
  override equals(other: Transform): boolean {
    return other instanceof AffineTransform && sameParam(this.loc, other.loc) && sameParam(this.scale, other.scale) && this.eventDim === other.eventDim;
  }
}

/** The transforms applied in order (PyTorch's ComposeTransform). */
export class ComposeTransform extends Transform {
  readonly parts: Transform[];
  constructor(parts: readonly Transform[]) {
    super();
    if (!Array.isArray(parts) || !parts.every((p) => p instanceof Transform)) throw new Error(`ComposeTransform: parts must be an array of Transforms, got ${describe(parts)}`);
    this.parts = [...parts];
  }
  override get domain(): constraints.Constraint {
    return this.parts.length ? this.parts[0].domain : constraints.real;
  }
  override get codomain(): constraints.Constraint {
    return this.parts.length ? this.parts[this.parts.length - 1].codomain : constraints.real;
  }
  override get sign(): number | Tensor {
    let s: number | Tensor = 1;
    for (const p of this.parts) s = mulSign(s, p.sign);
    return s;
  }
  protected override forward(x: Tensor): Tensor {
    return this.parts.reduce((v, p) => p.call(v), x);
  }
  override inverse(y: Tensor): Tensor {
    return this.parts.reduceRight((v, p) => p.inverse(v), y);
  }
  override logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    if (!this.parts.length) return zerosLike(x);
    let total: Tensor | null = null, v = x;
    for (let i = 0; i < this.parts.length; i++) {
      const next = i === this.parts.length - 1 ? y : this.parts[i].call(v);
      const term = this.parts[i].logAbsDetJacobian(v, next);
      total = total ? total.add(term) : term;
      v = next;
    }
    return total!;
  }
  override forwardShape(shape: readonly number[]): number[] {
    return this.parts.reduce((s, p) => p.forwardShape(s), [...shape]);
  }
  override inverseShape(shape: readonly number[]): number[] {
    return this.parts.reduceRight((s, p) => p.inverseShape(s), [...shape]);
  }
  override equals(other: Transform): boolean {
    return other instanceof ComposeTransform && other.parts.length === this.parts.length && this.parts.every((p, i) => p.equals(other.parts[i]));
  }
}

export function mulSign(a: number | Tensor, b: number | Tensor): number | Tensor {
  if (typeof a === "number" && typeof b === "number") return a * b;
  return a instanceof Tensor ? a.mul(b) : (b as Tensor).mul(a);
}

function sameParam(a: Tensor | number, b: Tensor | number): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b;
  if (typeof a === "number" || typeof b === "number") return false;
  return a === b || (broadcast(a.shape, b.shape).length >= 0 && Boolean(a.detach().eq(b.detach()).all().item()));
}

function shapeOf(v: Tensor | number): number[] {
  return v instanceof Tensor ? [...v.shape] : [];
}

function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length), out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1, y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`transforms: shapes [${a.join(", ")}] and [${b.join(", ")}] do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** The identity (PyTorch's identity_transform, an empty ComposeTransform). */
export const identityTransform = new ComposeTransform([]);
