/** PyTorch 1.13's KL pairs involving Cauchy, HalfNormal, Gumbel and Pareto (torch/distributions/kl.py). */
import type { Distribution } from "./distribution.js";
import { registerKl, klDivergence } from "./kl.js";
import { Normal } from "./normal.js";
import { Uniform, infWhere } from "./uniform.js";
import { Exponential, Laplace } from "./exponential.js";
import { Gamma, Beta } from "./gamma.js";
import { Cauchy, HalfNormal, Gumbel, Pareto } from "./heavy.js";
import { infiniteLike } from "./utils.js";
import { EULER_GAMMA, xLogX } from "./kl-pairs.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ctor = abstract new (...args: any[]) => Distribution;

registerKl(Cauchy, Cauchy, (p, q) => p.scale.add(q.scale).pow(2).add(p.loc.sub(q.loc).pow(2)).log().sub(p.scale.mul(q.scale).mul(4).log()));
registerKl(HalfNormal, HalfNormal, (p, q) => klDivergence(p.baseDist, q.baseDist));

registerKl(Gumbel, Gumbel, (p, q) => {
  const ct1 = p.scale.div(q.scale), ct2 = q.loc.div(q.scale), ct3 = p.loc.div(q.scale);
  const t1 = ct1.log().neg().sub(ct2).add(ct3);
  const t2 = ct1.mul(EULER_GAMMA);
  const t3 = ct2.add(ct1.add(1).lgamma()).sub(ct3).exp();
  return t1.add(t2).add(t3).sub(1 + EULER_GAMMA);
});
registerKl(Gumbel, Normal, (p, q) => {
  const r = p.scale.div(q.scale);
  const t1 = r.div(Math.sqrt(2 * Math.PI)).log();
  const t2 = r.mul(Math.PI * 0.5).pow(2).div(3);
  const t3 = p.loc.add(p.scale.mul(EULER_GAMMA)).sub(q.loc).div(q.scale).pow(2).mul(0.5);
  return t1.neg().add(t2).add(t3).sub(EULER_GAMMA + 1);
});
for (const Q of [Beta, Exponential, Gamma, Pareto, Uniform] as Ctor[]) registerKl(Gumbel, Q, (p: Gumbel) => infiniteLike(p.loc));
registerKl(Normal, Gumbel, (p, q) => {
  const msr = p.loc.div(q.scale), vr = p.scale.div(q.scale).pow(2), lsr = q.loc.div(q.scale);
  const t1 = vr.log().mul(0.5), t2 = msr.sub(lsr);
  const t3 = msr.neg().add(vr.mul(0.5)).add(lsr).exp();
  return t1.neg().add(t2).add(t3).sub(0.5 * (1 + Math.log(2 * Math.PI)));
});
registerKl(Exponential, Gumbel, (p, q) => {
  const srp = p.rate.mul(q.scale), lsr = q.loc.div(q.scale);
  const t1 = srp.log().sub(1);
  const t2 = lsr.exp().mul(srp).div(srp.add(1));
  return t1.sub(lsr).add(t2).add(srp.reciprocal());
});
registerKl(Gamma, Gumbel, (p, q) => {
  const bsp = p.rate.mul(q.scale), lsr = q.loc.div(q.scale), c = p.concentration;
  const t1 = c.sub(1).mul(c.digamma()).sub(c.lgamma()).sub(c);
  const t2 = bsp.log().add(c.div(bsp));
  const t3 = lsr.exp().mul(bsp.reciprocal().add(1).pow(c.neg())).sub(lsr);
  return t1.add(t2).add(t3);
});
registerKl(Uniform, Gumbel, (p, q) => {
  const common = q.scale.div(p.high.sub(p.low));
  const hd = p.high.sub(q.loc).div(q.scale), ld = p.low.sub(q.loc).div(q.scale);
  const t1 = common.log().add(hd.add(ld).mul(0.5));
  const t2 = common.mul(hd.neg().exp().sub(ld.neg().exp()));
  return t1.sub(t2);
});

registerKl(Pareto, Pareto, (p, q) => {
  const sr = p.scale.div(q.scale), ar = q.alpha.div(p.alpha);
  const r = q.alpha.mul(sr.log()).sub(ar.log()).add(ar).sub(1);
  return infWhere(p.scale.lt(q.scale), r);
});
for (const Q of [Beta, Uniform] as Ctor[]) registerKl(Pareto, Q, (p: Pareto) => infiniteLike(p.scale));
registerKl(Pareto, Exponential, (p, q) => {
  const srp = p.scale.mul(q.rate);
  const r = p.alpha.div(srp).log().sub(p.alpha.reciprocal()).add(p.alpha.mul(srp).div(p.alpha.sub(1))).sub(1);
  return infWhere(p.alpha.le(1), r);
});
registerKl(Pareto, Gamma, (p, q) => {
  const common = p.scale.log().add(p.alpha.reciprocal());
  const t1 = p.alpha.log().sub(common);
  const t2 = q.concentration.lgamma().sub(q.concentration.mul(q.rate.log()));
  const t3 = q.concentration.neg().add(1).mul(common);
  const t4 = q.rate.mul(p.alpha).mul(p.scale).div(p.alpha.sub(1));
  return infWhere(p.alpha.le(1), t1.add(t2).add(t3).add(t4).sub(1));
});
registerKl(Pareto, Normal, (p, q) => {
  const varN = q.scale.pow(2).mul(2);
  const common = p.scale.div(p.alpha.sub(1));
  const t1 = q.scale.mul(Math.sqrt(2 * Math.PI)).mul(p.alpha).div(p.scale).log();
  const t2 = p.alpha.reciprocal();
  const t3 = p.alpha.mul(common.pow(2)).div(p.alpha.sub(2));
  const t4 = p.alpha.mul(common).sub(q.loc).pow(2);
  return infWhere(p.alpha.le(2), t1.sub(t2).add(t3.add(t4).div(varN)).sub(1));
});
registerKl(Normal, Pareto, (p) => infiniteLike(p.loc));
registerKl(Laplace, Pareto, (p) => infiniteLike(p.loc));
registerKl(Exponential, Pareto, (p) => infiniteLike(p.rate));
registerKl(Gamma, Pareto, (p) => infiniteLike(p.concentration));
registerKl(Beta, Pareto, (p) => infiniteLike(p.concentration1));
registerKl(Uniform, Pareto, (p, q) => {
  const w = p.high.sub(p.low);
  const t1 = q.alpha.mul(q.scale.pow(q.alpha)).mul(w).log();
  const t2 = xLogX(p.high).sub(xLogX(p.low)).sub(w).div(w);
  return infWhere(p.low.lt(q.scale), t2.mul(q.alpha.add(1)).sub(t1));
});

