/** PyTorch 1.13's KL pairs involving ContinuousBernoulli (torch/distributions/kl.py), as PyTorch writes them. */
import { where, onesLike, type Tensor } from "../core.js";
import type { Distribution } from "./distribution.js";
import { registerKl } from "./kl.js";
import { Normal } from "./normal.js";
import { Uniform } from "./uniform.js";
import { Exponential, Laplace } from "./exponential.js";
import { Gamma, Beta } from "./gamma.js";
import { Gumbel, Pareto } from "./heavy.js";
import { ContinuousBernoulli } from "./relaxed.js";
import { infiniteLike } from "./utils.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ctor = abstract new (...args: any[]) => Distribution;
const infIf = (cond: Tensor, r: Tensor): Tensor => where(cond, onesLike(r.detach()).mul(Infinity), r);

registerKl(ContinuousBernoulli, ContinuousBernoulli, (p, q) => {
  const t1 = p.mean.mul(p.logits.sub(q.logits));
  const t2 = p.contBernLogNorm().add(p.probs.neg().log1p());
  const t3 = q.contBernLogNorm().neg().sub(q.probs.neg().log1p());
  return t1.add(t2).add(t3);
});
registerKl(Beta, ContinuousBernoulli, (p, q) => p.entropy().neg().sub(p.mean.mul(q.logits)).sub(q.probs.neg().log1p()).sub(q.contBernLogNorm()));
registerKl(ContinuousBernoulli, Exponential, (p, q) => p.entropy().neg().sub(q.rate.log()).add(q.rate.mul(p.mean)));
registerKl(ContinuousBernoulli, Normal, (p, q) => {
  const t1 = p.entropy().neg();
  const t2 = q.loc.div(q.scale).square().add(Math.log(2 * Math.PI)).mul(0.5).add(q.scale.log());
  const t3 = p.variance.add(p.mean.square()).sub(q.loc.mul(2).mul(p.mean)).div(q.scale.square().mul(2));
  return t1.add(t2).add(t3);
});
// As PyTorch 1.13 writes it: infinite where q.low >= 0 or q.high <= 1.
registerKl(ContinuousBernoulli, Uniform, (p, q) => infIf(q.low.ge(0).logicalOr(q.high.le(1)), p.entropy().neg().add(q.high.sub(q.low).log())));
registerKl(ContinuousBernoulli, Pareto, (p) => infiniteLike(p.probs));
registerKl(Uniform, ContinuousBernoulli, (p, q) => {
  const r = p.entropy().neg().sub(p.mean.mul(q.logits)).sub(q.probs.neg().log1p()).sub(q.contBernLogNorm());
  return infIf(p.high.ge(1).logicalOr(p.low.le(0)), r);
});
registerKl(Exponential, ContinuousBernoulli, (p) => infiniteLike(p.rate));
registerKl(Gamma, ContinuousBernoulli, (p) => infiniteLike(p.concentration));
for (const P of [Gumbel, Laplace, Normal] as Ctor[]) registerKl(P, ContinuousBernoulli, (p: Distribution) => infiniteLike((p as Normal).loc));
registerKl(Pareto, ContinuousBernoulli, (p) => infiniteLike(p.scale));
