/**
 * MultivariateNormal(loc, { covarianceMatrix | precisionMatrix | scaleTril }) and Independent, as
 * torch.distributions. MVN works through the lower Cholesky factor L of the covariance (given, or
 * linalg.cholesky of it, or from the precision by PyTorch's flip trick): rsample is loc + L eps,
 * logProb uses a triangular solve, entropy the log of L's diagonal.
 *
 * ```ts
 * const d = new MultivariateNormal(zeros([3]), { covarianceMatrix: eye(3) });
 * new Independent(new Normal(mu, sigma), 1);   // a diagonal Gaussian: eventShape [n]
 * ```
 */
import { Tensor, type Generator, eye, linalg, flip, randn } from "../core.js";
import { describe } from "../tensor/check.js";
import { Distribution, broadcastShapesOrNull, readOptions, sumRightmost, type DistributionOptions } from "./distribution.js";
import * as constraints from "./constraints.js";

/** The options of MultivariateNormal: exactly one of the three matrices. */
export interface MultivariateNormalOptions extends DistributionOptions {
  covarianceMatrix?: Tensor | null;
  precisionMatrix?: Tensor | null;
  scaleTril?: Tensor | null;
}

/** PyTorch's _precision_to_scale_tril: L with L L^T = P^-1, from the Cholesky factor of P flipped. */
function precisionToScaleTril(p: Tensor): Tensor {
  const lf = linalg.cholesky(flip(p, [-2, -1]));
  const lInv = flip(lf, [-2, -1]).transpose(-2, -1);
  return linalg.solveTriangular(lInv, eye(p.shape.at(-1)!, { dtype: p.dtype }), { upper: false });
}

/** x^T (L L^T)^-1 x over the last dim, L broadcast against x's batch (PyTorch's _batch_mahalanobis). */
export function batchMahalanobis(l: Tensor, x: Tensor): Tensor {
  const n = x.shape.at(-1)!;
  const batch = broadcastShapesOrNull(l.shape.slice(0, -2), x.shape.slice(0, -1))!;
  const sol = linalg.solveTriangular(l.expand([...batch, n, n]), x.expand([...batch, n]).unsqueeze(-1), { upper: false });
  return sol.squeeze(-1).pow(2).sum(-1);
}

let wrappingL: Tensor | null = null;

export class MultivariateNormal extends Distribution {
  readonly loc: Tensor;
  /** L of the covariance, not broadcast to batchShape (PyTorch's _unbroadcasted_scale_tril). */
  readonly unbroadcastedScaleTril: Tensor;
  /** The matrix given, kept as PyTorch keeps it (its property returns it, so gradients flow to it directly). */
  private givenMatrix: { which: string; matrix: Tensor } | null = null;

  /** `new MultivariateNormal(loc, { covarianceMatrix })` (or precisionMatrix, or scaleTril; also positional in that order). */
  constructor(loc: Tensor, covarianceMatrix?: Tensor | null | MultivariateNormalOptions, precisionMatrix?: Tensor | null, scaleTril?: Tensor | null, opts?: MultivariateNormalOptions) {
    const name = "MultivariateNormal";
    const pos: unknown[] = [covarianceMatrix, precisionMatrix, scaleTril, opts];
    while (pos.length && pos[pos.length - 1] === undefined) pos.pop();
    const last = pos[pos.length - 1];
    const isBag = last !== null && typeof last === "object" && !(last instanceof Tensor) && !Array.isArray(last);
    const o = isBag ? readOptions<MultivariateNormalOptions>(name, pos.pop(), ["covarianceMatrix", "precisionMatrix", "scaleTril", "validateArgs"]) : {};
    const [pc, pp, ps] = pos as (Tensor | null | undefined)[];
    const cov = pc ?? o.covarianceMatrix ?? null, prec = pp ?? o.precisionMatrix ?? null, tril = ps ?? o.scaleTril ?? null;
    if (!(loc instanceof Tensor)) throw new Error(`${name}: loc must be a Tensor, got ${describe(loc)}`);
    if (loc.ndim < 1) throw new Error(`${name}: loc must be at least one-dimensional, got a 0-d tensor`);
    const given = [["covarianceMatrix", cov], ["precisionMatrix", prec], ["scaleTril", tril]].filter(([, v]) => v !== null) as [string, Tensor][];
    if (!wrappingL && given.length !== 1) {
      throw new Error(`${name}: give exactly one of covarianceMatrix, precisionMatrix or scaleTril, got ${given.length ? given.map(([n]) => n).join(" and ") : "none"}: new MultivariateNormal(loc, { covarianceMatrix })`);
    }
    const n = loc.shape.at(-1)!;
    let matrix: Tensor | null = null, which = "scaleTril";
    if (!wrappingL) {
      [which, matrix] = given[0];
      if (!(matrix instanceof Tensor)) throw new Error(`${name}: ${which} must be a Tensor, got ${describe(matrix)}`);
      if (matrix.ndim < 2 || matrix.shape.at(-1) !== n || matrix.shape.at(-2) !== n) {
        throw new Error(`${name}: ${which} must be [..., ${n}, ${n}] to match loc [${loc.shape.join(", ")}], got [${matrix.shape.join(", ")}]`);
      }
    }
    const lShape = (wrappingL ?? matrix!).shape;
    const batch = broadcastShapesOrNull(lShape.slice(0, -2), loc.shape.slice(0, -1));
    if (!batch) throw new Error(`${name}: the batch shapes of loc [${loc.shape.join(", ")}] and ${which} [${lShape.join(", ")}] do not broadcast`);
    super(name, batch, [n], wrappingL ? false : o.validateArgs);
    this.loc = loc.expand([...batch, n]);
    if (wrappingL) {
      this.unbroadcastedScaleTril = wrappingL;
      return;
    }
    const fix = which === "scaleTril" ? "pass a lower-triangular matrix with a positive diagonal (linalg.cholesky of a covariance)" : "pass a symmetric positive-definite matrix";
    this.checkParams([["loc", this.loc, constraints.realVector, "loc must not be NaN"], [which, matrix!, which === "scaleTril" ? constraints.lowerCholesky : constraints.positiveDefinite, fix]]);
    this.givenMatrix = { which, matrix: matrix! };
    this.unbroadcastedScaleTril = which === "scaleTril" ? matrix! : which === "covarianceMatrix" ? linalg.cholesky(matrix!) : precisionToScaleTril(matrix!);
  }

  private get matShape(): number[] {
    return [...this.batchShape, ...this.eventShape, ...this.eventShape];
  }
  get scaleTril(): Tensor {
    return this.unbroadcastedScaleTril.expand(this.matShape);
  }
  get covarianceMatrix(): Tensor {
    if (this.givenMatrix?.which === "covarianceMatrix") return this.givenMatrix.matrix.expand(this.matShape);
    const l = this.unbroadcastedScaleTril;
    return l.matmul(l.mT).expand(this.matShape);
  }
  get precisionMatrix(): Tensor {
    if (this.givenMatrix?.which === "precisionMatrix") return this.givenMatrix.matrix.expand(this.matShape);
    const l = this.unbroadcastedScaleTril;
    const li = linalg.solveTriangular(l, eye(l.shape.at(-1)!, { dtype: l.dtype }), { upper: false });
    return li.mT.matmul(li).expand(this.matShape);
  }
  override get support(): constraints.Constraint {
    return constraints.realVector;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override get mean(): Tensor {
    return this.loc;
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get variance(): Tensor {
    return this.unbroadcastedScaleTril.pow(2).sum(-1).expand([...this.batchShape, ...this.eventShape]);
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const eps = randn(shape, { dtype: this.loc.dtype, generator });
    return this.loc.add(this.unbroadcastedScaleTril.matmul(eps.unsqueeze(-1)).squeeze(-1));
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const diff = value.sub(this.loc);
    const m = batchMahalanobis(this.unbroadcastedScaleTril, diff);
    const halfLogDet = this.unbroadcastedScaleTril.diagonal(0, -2, -1).log().sum(-1);
    return m.add(this.eventShape[0] * Math.log(2 * Math.PI)).mul(-0.5).sub(halfLogDet);
  }

  override entropy(): Tensor {
    const halfLogDet = this.unbroadcastedScaleTril.diagonal(0, -2, -1).log().sum(-1);
    const h = halfLogDet.add(0.5 * this.eventShape[0] * (1 + Math.log(2 * Math.PI)));
    return this.batchShape.length === 0 ? h : h.expand(this.batchShape);
  }

  protected override expandTo(batchShape: number[]): MultivariateNormal {
    wrappingL = this.unbroadcastedScaleTril;
    try {
      const out = new MultivariateNormal(this.loc.expand([...batchShape, ...this.eventShape]));
      out.givenMatrix = this.givenMatrix;
      return out;
    } finally {
      wrappingL = null;
    }
  }
}

/**
 * Independent(base, n): the n rightmost batch dims of base reinterpreted as event dims, so logProb
 * and entropy sum over them (a diagonal Gaussian from a Normal), as torch.distributions.Independent.
 */
export class Independent extends Distribution {
  readonly baseDist: Distribution;
  readonly reinterpretedBatchNdims: number;

  constructor(baseDistribution: Distribution, reinterpretedBatchNdims: number, opts?: DistributionOptions) {
    const name = "Independent";
    const o = readOptions<DistributionOptions>(name, opts, ["validateArgs"]);
    if (!(baseDistribution instanceof Distribution)) throw new Error(`${name}: baseDistribution must be a Distribution, got ${describe(baseDistribution)}`);
    const nb = baseDistribution.batchShape.length;
    if (!Number.isInteger(reinterpretedBatchNdims) || reinterpretedBatchNdims < 0 || reinterpretedBatchNdims > nb) {
      throw new Error(`${name}: reinterpretedBatchNdims must be an integer in [0, ${nb}] (the base's batch dims, batchShape [${baseDistribution.batchShape.join(", ")}]), got ${describe(reinterpretedBatchNdims)}`);
    }
    const shape = [...baseDistribution.batchShape, ...baseDistribution.eventShape];
    const eventDim = reinterpretedBatchNdims + baseDistribution.eventShape.length;
    super(name, shape.slice(0, shape.length - eventDim), shape.slice(shape.length - eventDim), o.validateArgs);
    this.baseDist = baseDistribution;
    this.reinterpretedBatchNdims = reinterpretedBatchNdims;
  }

  override get support(): constraints.Constraint {
    const s = this.baseDist.support;
    return this.reinterpretedBatchNdims ? constraints.independent(s, this.reinterpretedBatchNdims) : s;
  }
  override get hasRsample(): boolean {
    return this.baseDist.hasRsample;
  }
  override get hasEnumerateSupport(): boolean {
    return this.reinterpretedBatchNdims > 0 ? false : this.baseDist.hasEnumerateSupport;
  }
  override get mean(): Tensor {
    return this.baseDist.mean;
  }
  override get mode(): Tensor {
    return this.baseDist.mode;
  }
  override get variance(): Tensor {
    return this.baseDist.variance;
  }

  override sample(sampleShape?: readonly number[] | number | { sampleShape?: readonly number[] | number; generator?: Generator }, opts?: { generator?: Generator }): Tensor {
    return this.baseDist.sample(sampleShape, opts);
  }
  override rsample(sampleShape?: readonly number[] | number | { sampleShape?: readonly number[] | number; generator?: Generator }, opts?: { generator?: Generator }): Tensor {
    return this.baseDist.rsample(sampleShape, opts);
  }

  override logProb(value: Tensor): Tensor {
    return sumRightmost(this.baseDist.logProb(value), this.reinterpretedBatchNdims);
  }
  override entropy(): Tensor {
    return sumRightmost(this.baseDist.entropy(), this.reinterpretedBatchNdims);
  }
  override enumerateSupport(expand = true): Tensor {
    if (this.reinterpretedBatchNdims > 0) throw new Error("Independent.enumerateSupport: not implemented over a cartesian product of reinterpreted dims (as in PyTorch 1.13)");
    return this.baseDist.enumerateSupport(expand);
  }

  protected override expandTo(batchShape: number[]): Independent {
    const base = this.baseDist.expand([...batchShape, ...this.eventShape.slice(0, this.reinterpretedBatchNdims)]);
    return new Independent(base, this.reinterpretedBatchNdims, { validateArgs: false });
  }
}
