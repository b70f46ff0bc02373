// ExponentialFamily (session 14, helper dist2): each member's natural parameters and log normalizer
// (values and the gradients of weighted sums in the parameters), PyTorch's generic Bregman entropy
// (ExponentialFamily.entropy) and its generic same-family KL (_kl_expfamily_expfamily, klDivergence's
// fallback, as for Wishart–Wishart), and which families are ExponentialFamily, against torch 1.13
// (scripts/fixtures/dist2_s14d.py -> test/fixtures/dist2_s14d.json), in float32 and float64.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { distributions as D, tensor, Tensor, grad, type DType } from "../src/index.js";
import { klExpFamily, type ExpFamilyParts } from "../src/distributions/exp-family.js";

type Enc = { t: (number | string)[]; shape: number[]; dtype: string };
interface Row {
  family: string; p: Enc[]; q: Enc[]; np: Enc[]; w: Enc[]; npGrads: (Enc | null)[]; ln: Enc; wl: Enc; lnGrads: (Enc | null)[];
  entropy: Enc | { error: string }; kl: Enc; wk: Enc; klQGrads: (Enc | null)[]; klPGrads: (Enc | null)[]; klDispatch: Enc;
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/dist2_s14d.json", import.meta.url), "utf8")) as { expfamily: Row[]; isExpFamily: Record<string, boolean> };

const num = (v: number | string): number => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number));
const decode = (e: Enc): Tensor => tensor(e.t.map(num), { dtype: e.dtype as DType }).reshape(e.shape);

/** float64 to 1e-9 (lgamma / digamma / slogdet paths), float32 to 2e-5 relative. */
function close(got: Tensor, want: Enc, what: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  const tol = want.dtype === "float64" ? 1e-9 : 2e-5;
  const g = Array.from(got.detach().contiguous().numbers(), Number);
  want.t.map(num).forEach((e, i) => assert.ok(Math.abs(g[i] - e) <= tol * (1 + Math.abs(e)), `${what}[${i}]: ${g[i]} vs PyTorch ${e}`));
}
function grads(y: Tensor, ps: Tensor[], want: (Enc | null)[], what: string): void {
  const gs = grad(y, ps, { allowUnused: true, retainGraph: true });
  want.forEach((w, i) => {
    if (w === null) return assert.ok(gs[i] === null || gs[i]!.abs().sum().item() === 0, `${what}: grad ${i} should be none, as PyTorch's`);
    assert.ok(gs[i], `${what}: grad ${i} missing`);
    close(gs[i]!, w, `${what} grad ${i}`);
  });
}

type EF = D.Distribution & ExpFamilyParts;
function make(fam: string, ps: Tensor[]): EF {
  const d = (() => {
    switch (fam) {
      case "Normal": return new D.Normal(ps[0], ps[1]);
      case "Exponential": return new D.Exponential(ps[0]);
      case "Gamma": return new D.Gamma(ps[0], ps[1]);
      case "Chi2": return new D.Chi2(ps[0]);
      case "Beta": return new D.Beta(ps[0], ps[1]);
      case "Dirichlet": return new D.Dirichlet(ps[0]);
      case "Poisson": return new D.Poisson(ps[0]);
      case "Bernoulli": return new D.Bernoulli(ps[0]);
      case "BernoulliLogits": return new D.Bernoulli({ logits: ps[0] });
      case "ContinuousBernoulli": return new D.ContinuousBernoulli(ps[0]);
      case "ContinuousBernoulliLogits": case "ContinuousBernoulliTaylor": return new D.ContinuousBernoulli({ logits: ps[0] });
      case "Wishart": return new D.Wishart(ps[0], { covarianceMatrix: ps[1] });
    }
    throw new Error(`no family ${fam}`);
  })();
  assert.ok(d instanceof D.ExponentialFamily, `${fam} instanceof ExponentialFamily`);
  return d as unknown as EF;
}
const leaves = (es: Enc[]): Tensor[] => es.map((e) => decode(e).requiresGrad_(true));

test("ExponentialFamily: natural parameters and log normalizers match torch 1.13, values and gradients", () => {
  assert.equal(fx.expfamily.length, 26);
  for (const r of fx.expfamily) {
    const what = `${r.family} ${r.ln.dtype}`, ps = leaves(r.p), d = make(r.family, ps);
    const nps = d.naturalParams;
    assert.equal(nps.length, r.np.length, `${what}: natural parameter count`);
    nps.forEach((t, i) => close(t, r.np[i], `${what} naturalParams[${i}]`));
    grads(nps.map((t, i) => t.mul(decode(r.w[i])).sum()).reduce((a, b) => a.add(b)), ps, r.npGrads, `${what} naturalParams`);
    const ln = d.logNormalizer(...nps);
    close(ln, r.ln, `${what} logNormalizer`);
    grads(ln.mul(decode(r.wl)).sum(), ps, r.lnGrads, `${what} logNormalizer`);
  }
});

test("ExponentialFamily.entropy (Bregman) and the generic same-family KL match torch 1.13", () => {
  for (const r of fx.expfamily) {
    const what = `${r.family} ${r.ln.dtype}`, pp = leaves(r.p), qp = leaves(r.q), p = make(r.family, pp), q = make(r.family, qp);
    if ("error" in r.entropy) assert.throws(() => D.ExponentialFamily.prototype.entropy.call(p as unknown as D.ExponentialFamily), new RegExp(`${r.family.replace(/Logits|Taylor/, "")}.entropy: not implemented`), `${what} entropy`);
    else close(D.ExponentialFamily.prototype.entropy.call(p as unknown as D.ExponentialFamily), r.entropy, `${what} Bregman entropy`);
    const kl = klExpFamily(p, q);
    close(kl, r.kl, `${what} generic KL`);
    grads(kl.mul(decode(r.wk)).sum(), qp, r.klQGrads, `${what} generic KL, q`);
    grads(kl.mul(decode(r.wk)).sum(), pp, r.klPGrads, `${what} generic KL, p`);
    close(D.klDivergence(p, q), r.klDispatch, `${what} klDivergence`);
  }
});

test("ExponentialFamily: the same families are members as in torch 1.13, and a cross-family KL throws as PyTorch's", () => {
  const build: Record<string, () => D.Distribution> = {
    Bernoulli: () => new D.Bernoulli(0.3), Beta: () => new D.Beta(1, 2), Binomial: () => new D.Binomial(3, { probs: 0.5 }), Categorical: () => new D.Categorical(tensor([0.5, 0.5])),
    Cauchy: () => new D.Cauchy(0, 1), Chi2: () => new D.Chi2(2), ContinuousBernoulli: () => new D.ContinuousBernoulli(0.3), Dirichlet: () => new D.Dirichlet(tensor([1, 2])),
    Exponential: () => new D.Exponential(1), FisherSnedecor: () => new D.FisherSnedecor(2, 3), Gamma: () => new D.Gamma(1, 1), Geometric: () => new D.Geometric(0.3),
    Gumbel: () => new D.Gumbel(0, 1), HalfCauchy: () => new D.HalfCauchy(1), HalfNormal: () => new D.HalfNormal(1), Kumaraswamy: () => new D.Kumaraswamy(1, 2),
    Laplace: () => new D.Laplace(0, 1), LogNormal: () => new D.LogNormal(0, 1), Normal: () => new D.Normal(0, 1), Pareto: () => new D.Pareto(1, 2),
    Poisson: () => new D.Poisson(1), StudentT: () => new D.StudentT(3), Uniform: () => new D.Uniform(0, 1), VonMises: () => new D.VonMises(0, 1), Weibull: () => new D.Weibull(1, 2),
    Wishart: () => new D.Wishart(tensor(4), { covarianceMatrix: tensor([[1, 0], [0, 1]]) }), MultivariateNormal: () => new D.MultivariateNormal(tensor([0, 0]), { covarianceMatrix: tensor([[1, 0], [0, 1]]) }),
  };
  let n = 0;
  for (const [name, mk] of Object.entries(build)) {
    assert.equal(name in fx.isExpFamily, true, name);
    assert.equal(mk() instanceof D.ExponentialFamily, fx.isExpFamily[name], `${name} instanceof ExponentialFamily`);
    n++;
  }
  assert.ok(n >= 27);
  assert.ok(!((null as unknown as object) instanceof D.ExponentialFamily) && !({} instanceof D.ExponentialFamily));
  // No pair is registered for Bernoulli–Normal or Poisson–Gamma: PyTorch's expfamily fallback refuses them.
  assert.throws(() => D.klDivergence(new D.Bernoulli(0.3), new D.Normal(0, 1)), /klDivergence: the cross KL-divergence between different exponential families \(Bernoulli and Normal\)/);
  assert.throws(() => D.klDivergence(new D.Poisson(1), new D.Gamma(1, 1)), /klDivergence: the cross KL-divergence between different exponential families \(Poisson and Gamma\)/);
  // Families with no natural parameters say so, naming the family.
  assert.throws(() => D.ExponentialFamily.prototype.entropy.call(new D.Beta(1, 2) as unknown as D.ExponentialFamily), /Beta.entropy: not implemented for Beta/);
});
