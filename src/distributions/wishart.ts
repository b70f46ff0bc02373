/**
 * Wishart(df, { covarianceMatrix | precisionMatrix | scaleTril }) over positive-definite p x p
 * matrices, as torch.distributions.Wishart (1.13): rsample by the Bartlett decomposition (a Chi2 per
 * diagonal entry, with implicit gradients in df, and normals below it), logProb and entropy with the
 * multivariate lgamma / digamma. PyTorch 1.13 also redraws samples it takes for singular (its check
 * is inverted, so it redraws valid ones); deeptype draws once, from the same distribution.
 */
import { ExponentialFamily } from "./exp-family.js";
import { Tensor, type Generator, eye, linalg, diagEmbed, tensor, arange, flip, where, apply, defineOp, noGrad, randn } from "../core.js";
import { describe } from "../tensor/check.js";
import { Distribution, broadcastShapesOrNull, readOptions, type DistributionOptions } from "./distribution.js";
import * as constraints from "./constraints.js";
import { Chi2 } from "./gamma.js";
import { finfo } from "./utils.js";
import type { MultivariateNormalOptions } from "./mvn.js";

/** log of the multivariate gamma function (torch.mvlgamma). */
export function mvlgamma(x: Tensor, p: number): Tensor {
  let r = x.lgamma();
  for (let i = 1; i < p; i++) r = r.add(x.sub(i / 2).lgamma());
  return r.add((p * (p - 1) / 4) * Math.log(Math.PI));
}

function mvdigamma(x: Tensor, p: number): Tensor {
  let r = x.digamma();
  for (let i = 1; i < p; i++) r = r.add(x.sub(i / 2).digamma());
  return r;
}

function precisionToScaleTril(p: Tensor): Tensor {
  const lf = linalg.cholesky(flip(p, [-2, -1]));
  const lInv = flip(lf, [-2, -1]).transpose(-2, -1);
  return linalg.solveTriangular(lInv, eye(p.shape.at(-1)!, { dtype: p.dtype }), { upper: false });
}

/** (L L^T)^-1 B by two triangular solves, L and B already broadcast. */
function cholSolveRaw(b: Tensor, l: Tensor): Tensor {
  const y = linalg.solveTriangular(l, b, { upper: false });
  return linalg.solveTriangular(l.mT, y, { upper: true });
}

/**
 * torch.cholesky_solve(B, L) with PyTorch's backward: grad_B = cholesky_solve(g, L) and
 * grad_L = -(G X^T + X G^T) L over the whole matrix, upper triangle included (PyTorch does not mask it),
 * so a Wishart given by scaleTril gets PyTorch's gradients.
 */
const cholSolveOp = defineOp<undefined>({
  name: "choleskySolve",
  forward: ([b, l]) => noGrad(() => cholSolveRaw(b, l)),
  backward: (g, { inputs, output }) => {
    const [, l] = inputs as Tensor[];
    const gs = cholSolveRaw(g, l);
    const common = gs.matmul(output.mT);
    return [gs, common.add(common.mT).matmul(l).neg()];
  },
});

function cholSolve(b: Tensor, l: Tensor): Tensor {
  const batch = broadcastShapesOrNull(l.shape.slice(0, -2), b.shape.slice(0, -2))!;
  const n = l.shape.at(-1)!, m = b.shape.at(-1)!;
  const le = l.expand([...batch, n, n]), be = b.expand([...batch, n, m]);
  return le.requiresGrad || be.requiresGrad ? apply(cholSolveOp, [be.contiguous(), le.contiguous()], undefined) : cholSolveRaw(be, le);
}

export class Wishart extends ExponentialFamily {
  readonly df: Tensor;
  readonly unbroadcastedScaleTril: Tensor;
  private readonly chi2: Chi2;
  /** The matrix given (PyTorch keeps it as that attribute, so its gradients flow directly, not through L). */
  private given: { which: string; matrix: Tensor };

  /** `new Wishart(df, { covarianceMatrix })` (or precisionMatrix or scaleTril; also positional in that order); df > p - 1. */
  constructor(df: Tensor | number, covarianceMatrix?: Tensor | null | MultivariateNormalOptions, precisionMatrix?: Tensor | null, scaleTril?: Tensor | null, opts?: MultivariateNormalOptions) {
    const name = "Wishart";
    const pos: unknown[] = [covarianceMatrix, precisionMatrix, scaleTril, opts];
    while (pos.length && pos[pos.length - 1] === undefined) pos.pop();
    const last = pos[pos.length - 1];
    const isBag = last !== null && typeof last === "object" && !(last instanceof Tensor) && !Array.isArray(last);
    const o = isBag ? readOptions<MultivariateNormalOptions>(name, pos.pop(), ["covarianceMatrix", "precisionMatrix", "scaleTril", "validateArgs"]) : {};
    const [pc, pp, ps] = pos as (Tensor | null | undefined)[];
    const given = ([["covarianceMatrix", pc ?? o.covarianceMatrix ?? null], ["precisionMatrix", pp ?? o.precisionMatrix ?? null], ["scaleTril", ps ?? o.scaleTril ?? null]] as [string, Tensor | null][]).filter(([, v]) => v !== null) as [string, Tensor][];
    if (given.length !== 1) throw new Error(`${name}: give exactly one of covarianceMatrix, precisionMatrix or scaleTril, got ${given.length ? given.map(([k]) => k).join(" and ") : "none"}: new Wishart(df, { covarianceMatrix })`);
    const [which, param] = given[0];
    if (!(param instanceof Tensor)) throw new Error(`${name}: ${which} must be a Tensor, got ${describe(param)}`);
    if (param.ndim < 2 || param.shape.at(-1) !== param.shape.at(-2)) throw new Error(`${name}: ${which} must be [..., p, p], got [${param.shape.join(", ")}]`);
    const p = param.shape.at(-1)!;
    let d: Tensor;
    let batch: number[];
    if (typeof df === "number") {
      batch = param.shape.slice(0, -2);
      d = tensor(df, { dtype: param.dtype });
    } else if (df instanceof Tensor) {
      const b = broadcastShapesOrNull(param.shape.slice(0, -2), df.shape);
      if (!b) throw new Error(`${name}: df [${df.shape.join(", ")}] does not broadcast with the batch of ${which} [${param.shape.join(", ")}]`);
      batch = b;
      d = df.expand(b);
    } else throw new Error(`${name}: df must be a Tensor or a number, got ${describe(df)}`);
    const dv = Array.from(d.detach().contiguous().numbers());
    if (dv.some((v) => !(v > p - 1))) throw new Error(`${name}: df must be greater than p - 1 = ${p - 1} (the matrices are ${p} x ${p}), got ${Math.min(...dv)}`);
    super(name, batch, [p, p], o.validateArgs);
    this.df = d;
    this.given = { which, matrix: param };
    const fix = which === "scaleTril" ? "pass a lower-triangular matrix with a positive diagonal" : "pass a symmetric positive-definite matrix";
    this.checkParams([[which, param, which === "scaleTril" ? constraints.lowerCholesky : constraints.positiveDefinite, fix]]);
    this.unbroadcastedScaleTril = which === "scaleTril" ? param : which === "covarianceMatrix" ? linalg.cholesky(param) : precisionToScaleTril(param);
    this.chi2 = new Chi2(d.unsqueeze(-1).sub(arange(p, { dtype: param.dtype }).expand([...batch, p])), { validateArgs: false });
  }

  private get matShape(): number[] {
    return [...this.batchShape, ...this.eventShape];
  }
  get scaleTril(): Tensor {
    return this.unbroadcastedScaleTril.expand(this.matShape);
  }
  get covarianceMatrix(): Tensor {
    if (this.given.which === "covarianceMatrix") return this.given.matrix.expand(this.matShape);
    const l = this.unbroadcastedScaleTril;
    return l.matmul(l.mT).expand(this.matShape);
  }
  get precisionMatrix(): Tensor {
    if (this.given.which === "precisionMatrix") return this.given.matrix.expand(this.matShape);
    const l = this.unbroadcastedScaleTril;
    return cholSolve(eye(l.shape.at(-1)!, { dtype: l.dtype }), l).expand(this.matShape);
  }
  override get support(): constraints.Constraint {
    return constraints.positiveDefinite;
  }
  override get hasRsample(): boolean {
    return true;
  }
  private dfMat(t: Tensor): Tensor {
    return t.reshape([...this.batchShape, 1, 1]);
  }
  override get mean(): Tensor {
    return this.dfMat(this.df).mul(this.covarianceMatrix);
  }
  override get mode(): Tensor {
    // NaN where df <= p + 1 (PyTorch's).
    const f = this.df.sub(this.eventShape[0] + 1);
    return this.dfMat(where(f.le(0), NaN, f)).mul(this.covarianceMatrix);
  }
  override get variance(): Tensor {
    const v = this.covarianceMatrix;
    const dg = v.diagonal(0, -2, -1);
    return this.dfMat(this.df).mul(v.pow(2).add(dg.unsqueeze(-1).mul(dg.unsqueeze(-2))));
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const p = this.eventShape[0];
    const s = shape.slice(0, shape.length - this.batchShape.length - 2);
    const chi = this.chi2.rsample(s, { generator }).sqrt().clampMin(finfo(this.df.dtype).eps);
    const lower = randn([...s, ...this.batchShape, p, p], { dtype: this.df.dtype, generator }).tril(-1);
    const noise = diagEmbed(chi).add(lower);
    const chol = this.unbroadcastedScaleTril.matmul(noise);
    return chol.matmul(chol.mT);
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const nu = this.df, p = this.eventShape[0], l = this.unbroadcastedScaleTril;
    const t1 = nu.mul(l.diagonal(0, -2, -1).log().sum(-1).add((p * Math.log(2)) / 2));
    const { logabsdet } = linalg.slogdet(value);
    const tr = cholSolve(value, l).diagonal(0, -2, -1).sum(-1);
    return t1.neg().sub(mvlgamma(nu.div(2), p)).add(nu.sub(p + 1).div(2).mul(logabsdet)).sub(tr.div(2));
  }

  /** θ = (-precision / 2, (df - p - 1) / 2), as PyTorch's _natural_params. */
  override get naturalParams(): Tensor[] {
    const p = this.eventShape[this.eventShape.length - 1];
    return [this.precisionMatrix.div(-2), this.df.sub(p + 1).div(2)];
  }
  override logNormalizer(x: Tensor, y: Tensor): Tensor {
    const p = this.eventShape[this.eventShape.length - 1];
    const { logabsdet } = linalg.slogdet(x.mul(-2));
    return y.add((p + 1) / 2).mul(logabsdet.neg().add(Math.log(2) * p)).add(mvlgamma(y.add((p + 1) / 2), p));
  }
  /** 0, as PyTorch's _mean_carrier_measure. */
  override get meanCarrierMeasure(): number {
    return 0;
  }
  override entropy(): Tensor {
    const nu = this.df, p = this.eventShape[0], l = this.unbroadcastedScaleTril;
    const t1 = l.diagonal(0, -2, -1).log().sum(-1).add((p * Math.log(2)) / 2).mul(p + 1);
    return t1.add(mvlgamma(nu.div(2), p)).sub(nu.sub(p + 1).div(2).mul(mvdigamma(nu.div(2), p))).add(nu.mul(p / 2));
  }

  protected override expandTo(batchShape: number[]): Wishart {
    const p = this.eventShape[0];
    const out = new Wishart(this.df.expand(batchShape), { scaleTril: this.unbroadcastedScaleTril.expand([...batchShape, p, p]), validateArgs: false });
    out.given = this.given;
    return out;
  }
}
