/**
 * The KL pairs PyTorch 1.13 registers among deeptype's families (torch/distributions/kl.py), each
 * written as PyTorch writes it so values and gradients agree. A pair PyTorch registers as infinite
 * (the support of p is not inside q's) returns +Infinity of p's batch shape.
 */
import { Tensor } from "../core.js";
import type { Distribution } from "./distribution.js";
import { registerKl, klDivergence } from "./kl.js";
import { Normal, LogNormal } from "./normal.js";
import { Uniform, infWhere } from "./uniform.js";
import { Exponential, Laplace } from "./exponential.js";
import { Bernoulli, Geometric } from "./bernoulli.js";
import { Categorical, OneHotCategorical, fillWhere } from "./categorical.js";
import { Poisson, Binomial } from "./poisson.js";
import { infiniteLike, softplus } from "./utils.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ctor = abstract new (...args: any[]) => Distribution;
const EULER_GAMMA = 0.57721566490153286060;
const sq = (t: Tensor): Tensor => t.pow(2);

/** x log x with 0 log 0 = 0 (PyTorch's _x_log_x). */
export function xLogX(t: Tensor): Tensor {
  return t.mul(t.log());
}

registerKl(Normal, Normal, (p, q) => {
  const varRatio = sq(p.scale.div(q.scale));
  const t1 = sq(p.loc.sub(q.loc).div(q.scale));
  return varRatio.add(t1).sub(1).sub(varRatio.log()).mul(0.5);
});
registerKl(LogNormal, LogNormal, (p, q) => klDivergence(p.baseDist, q.baseDist));

registerKl(Bernoulli, Bernoulli, (p, q) => {
  let t1 = p.probs.mul(softplus(q.logits.neg()).sub(softplus(p.logits.neg())));
  t1 = fillWhere(p.probs.eq(0), 0, infWhere(q.probs.eq(0), t1));
  const pc = p.probs.neg().add(1);
  let t2 = pc.mul(softplus(q.logits).sub(softplus(p.logits)));
  t2 = fillWhere(p.probs.eq(1), 0, infWhere(q.probs.eq(1), t2));
  return t1.add(t2);
});

registerKl(Categorical, Categorical, (p, q) => {
  let t = p.probs.mul(p.logits.sub(q.logits));
  t = fillWhere(p.probs.eq(0).expand(t.shape), 0, infWhere(q.probs.eq(0).expand(t.shape), t));
  return t.sum(-1);
});
registerKl(OneHotCategorical, OneHotCategorical, (p, q) => klDivergence(p.categorical, q.categorical));

registerKl(Uniform, Uniform, (p, q) => {
  const r = q.high.sub(q.low).div(p.high.sub(p.low)).log();
  return infWhere(q.low.gt(p.low).logicalOr(q.high.lt(p.high)), r);
});
registerKl(Uniform, Normal, (p, q) => {
  const common = p.high.sub(p.low);
  const t1 = q.scale.mul(Math.sqrt(Math.PI * 2)).div(common).log();
  const t2 = sq(common).div(12);
  const t3 = sq(p.high.add(p.low).sub(q.loc.mul(2)).div(2));
  return t1.add(t2.add(t3).mul(0.5).div(sq(q.scale)));
});
registerKl(Uniform, Exponential, (p, q) => {
  const r = q.rate.mul(p.high.add(p.low)).div(2).sub(p.high.sub(p.low).mul(q.rate).log());
  return infWhere(p.low.lt(0), r);
});

registerKl(Exponential, Exponential, (p, q) => {
  const ratio = q.rate.div(p.rate);
  return ratio.log().neg().add(ratio).sub(1);
});
registerKl(Exponential, Normal, (p, q) => {
  const varN = sq(q.scale), rate2 = sq(p.rate);
  const t1 = rate2.mul(varN).mul(2 * Math.PI).log().mul(0.5);
  const t2 = rate2.reciprocal(), t3 = q.loc.div(p.rate), t4 = sq(q.loc).mul(0.5);
  return t1.sub(1).add(t2.sub(t3).add(t4).div(varN));
});
registerKl(Exponential, Uniform, (p) => infiniteLike(p.rate));

registerKl(Laplace, Laplace, (p, q) => {
  const ratio = p.scale.div(q.scale), diff = p.loc.sub(q.loc).abs();
  return ratio.log().neg().add(diff.div(q.scale)).add(ratio.mul(diff.neg().div(p.scale).exp())).sub(1);
});
registerKl(Laplace, Normal, (p, q) => {
  const varN = sq(q.scale), r = sq(p.scale).div(varN);
  const t1 = r.mul(2).div(Math.PI).log().mul(0.5);
  const t2 = sq(p.loc).mul(0.5), t3 = p.loc.mul(q.loc), t4 = sq(q.loc).mul(0.5);
  return t1.neg().add(r).add(t2.sub(t3).add(t4).div(varN)).sub(1);
});
for (const Q of [Exponential, Uniform] as Ctor[]) registerKl(Laplace, Q, (p) => infiniteLike(p.loc));

registerKl(Normal, Laplace, (p, q) => {
  const diff = p.loc.sub(q.loc), ratio = p.scale.div(q.scale), dr = diff.div(p.scale);
  const t1 = ratio.log();
  const t2 = p.scale.mul(Math.sqrt(2 / Math.PI)).mul(sq(dr).mul(-0.5).exp());
  const t3 = diff.mul(dr.mul(Math.sqrt(0.5)).erf());
  return t1.neg().add(t2.add(t3).div(q.scale)).sub(0.5 * (1 + Math.log(0.5 * Math.PI)));
});
for (const Q of [Exponential, Uniform] as Ctor[]) registerKl(Normal, Q, (p) => infiniteLike(p.loc));

registerKl(Poisson, Poisson, (p, q) => p.rate.mul(p.rate.log().sub(q.rate.log())).sub(p.rate.sub(q.rate)));
registerKl(Bernoulli, Poisson, (p, q) => p.entropy().neg().sub(p.probs.mul(q.rate.log()).sub(q.rate)));
for (const Q of [Bernoulli, Binomial] as Ctor[]) registerKl(Poisson, Q, (p) => infiniteLike(p.rate));

registerKl(Geometric, Geometric, (p, q) => p.entropy().neg().sub(q.probs.neg().log1p().div(p.probs)).sub(q.logits));

registerKl(Binomial, Binomial, (p, q) => {
  if (p.totalCount.lt(q.totalCount).any().item()) {
    throw new Error("klDivergence: KL between Binomials where q.totalCount > p.totalCount is not implemented (as PyTorch 1.13)");
  }
  const kl = p.totalCount.mul(p.probs.mul(p.logits.sub(q.logits)).add(p.probs.neg().log1p()).sub(q.probs.neg().log1p()));
  return infWhere(p.totalCount.gt(q.totalCount), kl);
});

export { EULER_GAMMA };
