/**
 * PyTorch 1.13's KL pairs involving Gamma, Beta, Dirichlet, MultivariateNormal and Independent
 * (torch/distributions/kl.py), as PyTorch writes them.
 */
import type { Tensor } from "../core.js";
import type { Distribution } from "./distribution.js";
import { sumRightmost } from "./distribution.js";
import { registerKl, klDivergence } from "./kl.js";
import { Normal } from "./normal.js";
import { Uniform, infWhere } from "./uniform.js";
import { Exponential, Laplace } from "./exponential.js";
import { Gamma, Beta, Dirichlet } from "./gamma.js";
import { MultivariateNormal, Independent, batchMahalanobis } from "./mvn.js";
import { TransformedDistribution } from "./transformed.js";
import { LowRankMultivariateNormal, klLowRankLowRank, klMvnLowRank, klLowRankMvn } from "./lowrank.js";
import { broadcastShapesOrNull } from "./distribution.js";
import { infiniteLike } from "./utils.js";
import { linalg } from "../core.js";
import { EULER_GAMMA, xLogX } from "./kl-pairs.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ctor = abstract new (...args: any[]) => Distribution;
const sq = (t: Tensor): Tensor => t.pow(2);

registerKl(Gamma, Gamma, (p, q) => {
  const t1 = q.concentration.mul(p.rate.div(q.rate).log());
  const t2 = q.concentration.lgamma().sub(p.concentration.lgamma());
  const t3 = p.concentration.sub(q.concentration).mul(p.concentration.digamma());
  const t4 = q.rate.sub(p.rate).mul(p.concentration.div(p.rate));
  return t1.add(t2).add(t3).add(t4);
});
registerKl(Gamma, Exponential, (p, q) => p.entropy().neg().sub(q.rate.log()).add(q.rate.mul(p.concentration).div(p.rate)));
registerKl(Gamma, Normal, (p, q) => {
  const varN = sq(q.scale), beta2 = sq(p.rate), c = p.concentration;
  const t1 = beta2.mul(varN).mul(2 * Math.PI).log().mul(0.5).sub(c).sub(c.lgamma());
  const t2 = sq(c).add(c).mul(0.5).div(beta2);
  const t3 = q.loc.mul(c).div(p.rate);
  const t4 = sq(q.loc).mul(0.5);
  return t1.add(c.sub(1).mul(c.digamma())).add(t2.sub(t3).add(t4).div(varN));
});
for (const Q of [Beta, Uniform] as Ctor[]) registerKl(Gamma, Q, (p: Gamma) => infiniteLike(p.concentration));

registerKl(Exponential, Gamma, (p, q) => {
  const ratio = q.rate.div(p.rate);
  const t1 = q.concentration.neg().mul(ratio.log());
  return t1.add(ratio).add(q.concentration.lgamma()).add(q.concentration.mul(EULER_GAMMA)).sub(1 + EULER_GAMMA);
});
registerKl(Exponential, Beta, (p) => infiniteLike(p.rate));
registerKl(Uniform, Gamma, (p, q) => {
  const common = p.high.sub(p.low);
  const t1 = common.log();
  const t2 = q.concentration.lgamma().sub(q.concentration.mul(q.rate.log()));
  const t3 = q.concentration.neg().add(1).mul(xLogX(p.high).sub(xLogX(p.low)).sub(common)).div(common);
  const t4 = q.rate.mul(p.high.add(p.low)).div(2);
  return infWhere(p.low.lt(0), t1.neg().add(t2).add(t3).add(t4));
});
registerKl(Uniform, Beta, (p, q) => {
  const common = p.high.sub(p.low);
  const t1 = common.log();
  const t2 = q.concentration1.sub(1).mul(xLogX(p.high).sub(xLogX(p.low)).sub(common)).div(common);
  const t3 = q.concentration0.sub(1).mul(xLogX(p.high.neg().add(1)).sub(xLogX(p.low.neg().add(1))).add(common)).div(common);
  const t4 = q.concentration1.lgamma().add(q.concentration0.lgamma()).sub(q.concentration1.add(q.concentration0).lgamma());
  return infWhere(p.high.gt(1).logicalOr(p.low.lt(0)), t3.add(t4).sub(t1).sub(t2));
});
for (const Q of [Gamma, Beta] as Ctor[]) {
  registerKl(Normal, Q, (p: Normal) => infiniteLike(p.loc));
  registerKl(Laplace, Q, (p: Laplace) => infiniteLike(p.loc));
}

registerKl(Beta, Beta, (p, q) => {
  const sp = p.concentration1.add(p.concentration0), sq_ = q.concentration1.add(q.concentration0);
  const t1 = q.concentration1.lgamma().add(q.concentration0.lgamma()).add(sp.lgamma());
  const t2 = p.concentration1.lgamma().add(p.concentration0.lgamma()).add(sq_.lgamma());
  const t3 = p.concentration1.sub(q.concentration1).mul(p.concentration1.digamma());
  const t4 = p.concentration0.sub(q.concentration0).mul(p.concentration0.digamma());
  const t5 = sq_.sub(sp).mul(sp.digamma());
  return t1.sub(t2).add(t3).add(t4).add(t5);
});
registerKl(Beta, Exponential, (p, q) => p.entropy().neg().sub(q.rate.log()).add(q.rate.mul(p.concentration1.div(p.concentration1.add(p.concentration0)))));
registerKl(Beta, Gamma, (p, q) => {
  const t1 = p.entropy().neg();
  const t2 = q.concentration.lgamma().sub(q.concentration.mul(q.rate.log()));
  const t3 = q.concentration.sub(1).mul(p.concentration1.digamma().sub(p.concentration1.add(p.concentration0).digamma()));
  const t4 = q.rate.mul(p.concentration1).div(p.concentration1.add(p.concentration0));
  return t1.add(t2).sub(t3).add(t4);
});
registerKl(Beta, Normal, (p, q) => {
  const total = p.concentration1.add(p.concentration0);
  const e = p.concentration1.div(total);
  const varN = sq(q.scale);
  const t1 = p.entropy().neg();
  const t2 = varN.mul(2 * Math.PI).log().mul(0.5);
  const t3 = e.mul(e.neg().add(1)).div(total.add(1)).add(sq(e)).mul(0.5);
  const t4 = q.loc.mul(e), t5 = sq(q.loc).mul(0.5);
  return t1.add(t2).add(t3.sub(t4).add(t5).div(varN));
});
registerKl(Beta, Uniform, (p, q) => infWhere(q.low.gt(0).logicalOr(q.high.lt(1)), p.entropy().neg().add(q.high.sub(q.low).log())));

registerKl(Dirichlet, Dirichlet, (p, q) => {
  const sp = p.concentration.sum(-1), sqc = q.concentration.sum(-1);
  const t1 = sp.lgamma().sub(sqc.lgamma());
  const t2 = p.concentration.lgamma().sub(q.concentration.lgamma()).sum(-1);
  const t3 = p.concentration.sub(q.concentration);
  const t4 = p.concentration.digamma().sub(sp.digamma().unsqueeze(-1));
  return t1.sub(t2).add(t3.mul(t4).sum(-1));
});

registerKl(MultivariateNormal, MultivariateNormal, (p, q) => {
  if (p.eventShape[0] !== q.eventShape[0]) throw new Error(`klDivergence: the MultivariateNormals have different event shapes [${p.eventShape}] and [${q.eventShape}]`);
  const lp = p.unbroadcastedScaleTril, lq = q.unbroadcastedScaleTril, n = p.eventShape[0];
  const half1 = lq.diagonal(0, -2, -1).log().sum(-1).sub(lp.diagonal(0, -2, -1).log().sum(-1));
  const batch = broadcastShapesOrNull(lq.shape.slice(0, -2), lp.shape.slice(0, -2))!;
  const x = linalg.solveTriangular(lq.expand([...batch, n, n]), lp.expand([...batch, n, n]), { upper: false });
  const term2 = x.pow(2).sum(-1).sum(-1);
  const term3 = batchMahalanobis(lq, q.loc.sub(p.loc));
  return half1.add(term2.add(term3).sub(n).mul(0.5));
});

registerKl(TransformedDistribution, TransformedDistribution, (p, q) => {
  if (p.transforms.length !== q.transforms.length || !p.transforms.every((t, i) => t.equals(q.transforms[i]))) {
    throw new Error("klDivergence: not implemented for TransformedDistributions with different transforms (as PyTorch 1.13)");
  }
  if (p.eventShape.join() !== q.eventShape.join()) throw new Error("klDivergence: not implemented for TransformedDistributions with different event shapes (as PyTorch 1.13)");
  return klDivergence(p.baseDist, q.baseDist);
});

registerKl(LowRankMultivariateNormal, LowRankMultivariateNormal, klLowRankLowRank);
registerKl(MultivariateNormal, LowRankMultivariateNormal, (p, q) => {
  if (p.eventShape[0] !== q.eventShape[0]) throw new Error("klDivergence: the (Low Rank) Multivariate Normals have different event shapes");
  return klMvnLowRank(p.unbroadcastedScaleTril, p.loc, q);
});
registerKl(LowRankMultivariateNormal, MultivariateNormal, (p, q) => {
  if (p.eventShape[0] !== q.eventShape[0]) throw new Error("klDivergence: the (Low Rank) Multivariate Normals have different event shapes");
  return klLowRankMvn(p, q.unbroadcastedScaleTril, q.loc);
});

registerKl(Independent, Independent, (p, q) => {
  if (p.reinterpretedBatchNdims !== q.reinterpretedBatchNdims) {
    throw new Error(`klDivergence: Independent distributions with different reinterpretedBatchNdims (${p.reinterpretedBatchNdims} and ${q.reinterpretedBatchNdims}) are not implemented (as PyTorch 1.13)`);
  }
  return sumRightmost(klDivergence(p.baseDist, q.baseDist), p.reinterpretedBatchNdims);
});
