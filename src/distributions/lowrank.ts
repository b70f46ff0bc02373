/**
 * LowRankMultivariateNormal(loc, covFactor, covDiag): covariance W W^T + diag(D), as
 * torch.distributions; logProb and entropy through the m x m capacitance I + W^T D^-1 W (Woodbury),
 * so n x n matrices are never factored.
 *
 * ```ts
 * const d = new LowRankMultivariateNormal(zeros([100]), W, D);   // W [100, 5], D [100]
 * ```
 */
import { Tensor, type Generator, eye, linalg, diagEmbed, randn } from "../core.js";
import { describe } from "../tensor/check.js";
import { Distribution, broadcastShapesOrNull, readOptions, type DistributionOptions } from "./distribution.js";
import * as constraints from "./constraints.js";
import { batchMahalanobis } from "./mvn.js";

const mv = (m: Tensor, v: Tensor): Tensor => m.matmul(v.unsqueeze(-1)).squeeze(-1);

/** cholesky(I + W^T D^-1 W) (PyTorch's _batch_capacitance_tril). */
export function capacitanceTril(w: Tensor, d: Tensor): Tensor {
  const m = w.shape.at(-1)!;
  const k = w.mT.div(d.unsqueeze(-2)).matmul(w);
  return linalg.cholesky(k.add(eye(m, { dtype: k.dtype })));
}

/** log det(W W^T + D) by the matrix determinant lemma. */
export function lowrankLogdet(d: Tensor, capTril: Tensor): Tensor {
  return capTril.diagonal(0, -2, -1).log().sum(-1).mul(2).add(d.log().sum(-1));
}

/** x^T (W W^T + D)^-1 x by Woodbury. */
export function lowrankMahalanobis(w: Tensor, d: Tensor, x: Tensor, capTril: Tensor): Tensor {
  const wtDinv = w.mT.div(d.unsqueeze(-2));
  const t1 = x.pow(2).div(d).sum(-1);
  return t1.sub(batchMahalanobis(capTril, mv(wtDinv, x)));
}

let wrapping: LowRankMultivariateNormal | null = null;

export class LowRankMultivariateNormal extends Distribution {
  readonly loc: Tensor;
  readonly covFactor: Tensor;
  readonly covDiag: Tensor;
  readonly unbroadcastedCovFactor: Tensor;
  readonly unbroadcastedCovDiag: Tensor;
  readonly capacitanceTril: Tensor;

  /** `new LowRankMultivariateNormal(loc, covFactor, covDiag)`: loc [..., n], covFactor [..., n, m], covDiag [..., n] > 0. */
  constructor(loc: Tensor, covFactor: Tensor, covDiag: Tensor, opts?: DistributionOptions) {
    const name = "LowRankMultivariateNormal";
    const o = readOptions<DistributionOptions>(name, opts, ["validateArgs"]);
    const src = wrapping;
    for (const [n, v] of [["loc", loc], ["covFactor", covFactor], ["covDiag", covDiag]] as const) {
      if (!(v instanceof Tensor)) throw new Error(`${name}: ${n} must be a Tensor, got ${describe(v)}`);
    }
    if (loc.ndim < 1) throw new Error(`${name}: loc must be at least one-dimensional, got a 0-d tensor`);
    const n = loc.shape.at(-1)!;
    if (covFactor.ndim < 2 || covFactor.shape.at(-2) !== n) throw new Error(`${name}: covFactor must be [..., ${n}, m] to match loc [${loc.shape.join(", ")}], got [${covFactor.shape.join(", ")}]`);
    if (covDiag.ndim < 1 || covDiag.shape.at(-1) !== n) throw new Error(`${name}: covDiag must be [..., ${n}] to match loc [${loc.shape.join(", ")}], got [${covDiag.shape.join(", ")}]`);
    const m = covFactor.shape.at(-1)!;
    const full = broadcastShapesOrNull([...loc.shape, 1], covFactor.shape, [...covDiag.shape, 1]);
    if (!full) throw new Error(`${name}: incompatible batch shapes: loc [${loc.shape.join(", ")}], covFactor [${covFactor.shape.join(", ")}], covDiag [${covDiag.shape.join(", ")}]`);
    const batch = full.slice(0, -2);
    super(name, batch, [n], src ? false : o.validateArgs);
    this.loc = loc.expand([...batch, n]);
    this.covDiag = covDiag.expand([...batch, n]);
    this.covFactor = covFactor.expand([...batch, n, m]);
    this.unbroadcastedCovFactor = src ? src.unbroadcastedCovFactor : covFactor;
    this.unbroadcastedCovDiag = src ? src.unbroadcastedCovDiag : covDiag;
    if (!src) {
      this.checkParams([
        ["loc", this.loc, constraints.realVector, "loc must not be NaN"],
        ["covFactor", covFactor, constraints.independent(constraints.real, 2), "covFactor must not be NaN"],
        ["covDiag", covDiag, constraints.independent(constraints.positive, 1), "pass a positive covDiag, e.g. raw.exp()"],
      ]);
    }
    this.capacitanceTril = src ? src.capacitanceTril : capacitanceTril(covFactor, covDiag);
  }

  private get matShape(): number[] {
    return [...this.batchShape, ...this.eventShape, ...this.eventShape];
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
    return this.unbroadcastedCovFactor.pow(2).sum(-1).add(this.unbroadcastedCovDiag).expand([...this.batchShape, ...this.eventShape]);
  }
  get scaleTril(): Tensor {
    const n = this.eventShape[0];
    const dsq = this.unbroadcastedCovDiag.sqrt().unsqueeze(-1);
    const dw = this.unbroadcastedCovFactor.div(dsq);
    const k = dw.matmul(dw.mT).add(eye(n, { dtype: dw.dtype }));
    return dsq.mul(linalg.cholesky(k)).expand(this.matShape);
  }
  get covarianceMatrix(): Tensor {
    const w = this.unbroadcastedCovFactor;
    return w.matmul(w.mT).add(diagEmbed(this.unbroadcastedCovDiag)).expand(this.matShape);
  }
  get precisionMatrix(): Tensor {
    const wtDinv = this.unbroadcastedCovFactor.mT.div(this.unbroadcastedCovDiag.unsqueeze(-2));
    const a = linalg.solveTriangular(this.capacitanceTril, wtDinv, { upper: false });
    return diagEmbed(this.unbroadcastedCovDiag.reciprocal()).sub(a.mT.matmul(a)).expand(this.matShape);
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const epsW = randn([...shape.slice(0, -1), this.covFactor.shape.at(-1)!], { dtype: this.loc.dtype, generator });
    const epsD = randn(shape, { dtype: this.loc.dtype, generator });
    return this.loc.add(mv(this.unbroadcastedCovFactor, epsW)).add(this.unbroadcastedCovDiag.sqrt().mul(epsD));
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const diff = value.sub(this.loc);
    const m = lowrankMahalanobis(this.unbroadcastedCovFactor, this.unbroadcastedCovDiag, diff, this.capacitanceTril);
    const logDet = lowrankLogdet(this.unbroadcastedCovDiag, this.capacitanceTril);
    return logDet.add(m).add(this.eventShape[0] * Math.log(2 * Math.PI)).mul(-0.5);
  }

  override entropy(): Tensor {
    const logDet = lowrankLogdet(this.unbroadcastedCovDiag, this.capacitanceTril);
    const h = logDet.add(this.eventShape[0] * (1 + Math.log(2 * Math.PI))).mul(0.5);
    return this.batchShape.length === 0 ? h : h.expand(this.batchShape);
  }

  protected override expandTo(batchShape: number[]): LowRankMultivariateNormal {
    const n = this.eventShape[0], m = this.covFactor.shape.at(-1)!;
    wrapping = this;
    try {
      return new LowRankMultivariateNormal(this.loc.expand([...batchShape, n]), this.covFactor.expand([...batchShape, n, m]), this.covDiag.expand([...batchShape, n]));
    } finally {
      wrapping = null;
    }
  }
}

/** A^-1 B for lower-triangular A, the batch dims broadcast. */
function solveLower(a: Tensor, b: Tensor): Tensor {
  const batch = broadcastShapesOrNull(a.shape.slice(0, -2), b.shape.slice(0, -2))!;
  return linalg.solveTriangular(a.expand([...batch, ...a.shape.slice(-2)]), b.expand([...batch, ...b.shape.slice(-2)]), { upper: false });
}

/** The trace of X X^T over the last two dims (PyTorch's _batch_trace_XXT). */
export function traceXXT(x: Tensor): Tensor {
  return x.pow(2).sum(-1).sum(-1);
}

/** The pieces of PyTorch's low-rank KL pairs, kept beside the family they read. */
export function klLowRankLowRank(p: LowRankMultivariateNormal, q: LowRankMultivariateNormal): Tensor {
  if (p.eventShape[0] !== q.eventShape[0]) throw new Error("klDivergence: the Low Rank Multivariate Normals have different event shapes");
  const [pW, pD, qW, qD] = [p.unbroadcastedCovFactor, p.unbroadcastedCovDiag, q.unbroadcastedCovFactor, q.unbroadcastedCovDiag];
  const term1 = lowrankLogdet(qD, q.capacitanceTril).sub(lowrankLogdet(pD, p.capacitanceTril));
  const term3 = lowrankMahalanobis(qW, qD, q.loc.sub(p.loc), q.capacitanceTril);
  const a = solveLower(q.capacitanceTril, qW.mT.div(qD.unsqueeze(-2)));
  const t21 = pD.div(qD).sum(-1);
  const t22 = traceXXT(pW.mul(qD.rsqrt().unsqueeze(-1)));
  const t23 = traceXXT(a.mul(pD.sqrt().unsqueeze(-2)));
  const t24 = traceXXT(a.matmul(pW));
  return term1.add(t21.add(t22).sub(t23).sub(t24)).add(term3).sub(p.eventShape[0]).mul(0.5);
}

export function klMvnLowRank(pL: Tensor, pLoc: Tensor, q: LowRankMultivariateNormal): Tensor {
  const n = pLoc.shape.at(-1)!;
  const [qW, qD] = [q.unbroadcastedCovFactor, q.unbroadcastedCovDiag];
  const term1 = lowrankLogdet(qD, q.capacitanceTril).sub(pL.diagonal(0, -2, -1).log().sum(-1).mul(2));
  const term3 = lowrankMahalanobis(qW, qD, q.loc.sub(pLoc), q.capacitanceTril);
  const a = solveLower(q.capacitanceTril, qW.mT.div(qD.unsqueeze(-2)));
  const t21 = traceXXT(pL.mul(qD.rsqrt().unsqueeze(-1)));
  const t22 = traceXXT(a.matmul(pL));
  return term1.add(t21.sub(t22)).add(term3).sub(n).mul(0.5);
}

export function klLowRankMvn(p: LowRankMultivariateNormal, qL: Tensor, qLoc: Tensor): Tensor {
  const n = p.eventShape[0];
  const [pW, pD] = [p.unbroadcastedCovFactor, p.unbroadcastedCovDiag];
  const term1 = qL.diagonal(0, -2, -1).log().sum(-1).mul(2).sub(lowrankLogdet(pD, p.capacitanceTril));
  const term3 = batchMahalanobis(qL, qLoc.sub(p.loc));
  const t21 = traceXXT(solveLower(qL, pW));
  const t22 = traceXXT(solveLower(qL, diagEmbed(pD.sqrt())));
  return term1.add(t21).add(t22).add(term3).sub(n).mul(0.5);
}
