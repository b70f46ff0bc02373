/**
 * torch.distributions.ExponentialFamily: the base of the families whose density is
 * exp(<t(x), θ> - F(θ) + k(x)). A family gives its natural parameters θ (`naturalParams`), its log
 * normalizer F (`logNormalizer(...θ)`) and, where PyTorch has it, the expected carrier measure E[k(x)]
 * (`meanCarrierMeasure`); the base then has PyTorch's generic entropy (the Bregman divergence of F,
 * through autograd) and the KL divergence of two members of the same family (PyTorch's
 * _kl_expfamily_expfamily, the fallback of klDivergence when no closed form is registered, as for
 * Wishart–Wishart).
 *
 * As in PyTorch, Normal, Exponential, Gamma (and Chi2), Beta, Dirichlet, Poisson, Wishart, Bernoulli
 * and ContinuousBernoulli are exponential families. Bernoulli and ContinuousBernoulli share their
 * probs/logits code with Geometric and LogitRelaxedBernoulli, so they are ExponentialFamily by
 * `instanceof` (Symbol.hasInstance below) rather than by prototype; klDivergence ranks them as PyTorch's MRO.
 *
 * ```ts
 * new Normal(0, 1) instanceof ExponentialFamily;                   // true
 * ExponentialFamily.prototype.entropy.call(new Exponential(2));   // the Bregman entropy
 * ```
 */
import { Tensor, grad } from "../core.js";
import { Distribution, sumRightmost } from "./distribution.js";
import { registerKl } from "./kl.js";

/** What an exponential family gives (the base class's abstract members). */
export interface ExpFamilyParts {
  readonly naturalParams: Tensor[];
  logNormalizer(...naturalParams: Tensor[]): Tensor;
  readonly meanCarrierMeasure: Tensor | number;
}

/** Families that are exponential families by instanceof only (set by bernoulli.ts and relaxed.ts). */
const virtualMembers = new Set<abstract new (...args: never[]) => Distribution>();

export abstract class ExponentialFamily extends Distribution implements ExpFamilyParts {
  /** Marks a class outside this prototype chain as an ExponentialFamily (instanceof and klDivergence). */
  static registerMember(c: abstract new (...args: never[]) => Distribution): void {
    virtualMembers.add(c);
  }
  static override [Symbol.hasInstance](obj: unknown): boolean {
    if (this !== ExponentialFamily) return Function.prototype[Symbol.hasInstance].call(this, obj);
    if (Function.prototype[Symbol.hasInstance].call(ExponentialFamily, obj)) return true;
    for (const c of virtualMembers) if (obj instanceof c) return true;
    return false;
  }

  /** θ, as PyTorch's _natural_params (computed from the parameters, so gradients reach them). */
  get naturalParams(): Tensor[] {
    return this.missing("naturalParams");
  }
  /** F(θ), PyTorch's _log_normalizer, batch-shaped. */
  logNormalizer(..._naturalParams: Tensor[]): Tensor {
    return this.missing("logNormalizer");
  }
  /** E[k(x)], PyTorch's _mean_carrier_measure (0 for Bernoulli, ContinuousBernoulli and Exponential; not given elsewhere, as PyTorch). */
  get meanCarrierMeasure(): Tensor | number {
    return this.missing("meanCarrierMeasure");
  }
  /** PyTorch's ExponentialFamily.entropy; the families override it with closed forms, as PyTorch's do. */
  override entropy(): Tensor {
    // Without E[k(x)] (Beta, Dirichlet, Poisson) PyTorch's entropy raises NotImplementedError: say it as entropy.
    try {
      void this.meanCarrierMeasure;
    } catch {
      this.missing("entropy");
    }
    return expFamilyEntropy(this as unknown as Distribution & ExpFamilyParts);
  }
}

/**
 * -E[k(x)] + F(θ) - <θ, ∇F(θ)>, with ∇F by autograd on detached θ (PyTorch's create_graph), so as in
 * PyTorch no gradient reaches the parameters through θ.
 */
export function expFamilyEntropy(d: Distribution & ExpFamilyParts): Tensor {
  const m = d.meanCarrierMeasure;
  const nparams = d.naturalParams.map((p) => p.detach().requiresGrad_(true));
  const lg = d.logNormalizer(...nparams);
  const gs = grad(lg.sum(), nparams, { createGraph: true });
  let result = lg.sub(m);
  nparams.forEach((np, i) => (result = result.sub(np.mul(gs[i]!).reshape([...d.batchShape, -1]).sum(-1))));
  return result;
}

/** PyTorch's _kl_expfamily_expfamily: F(θq) - F(θp) - <θq - θp, ∇F(θp)>, for p and q of one family. */
export function klExpFamily(p: Distribution & ExpFamilyParts, q: Distribution & ExpFamilyParts): Tensor {
  if (p.constructor !== q.constructor) {
    throw new Error(`klDivergence: the cross KL-divergence between different exponential families (${p.constructor.name} and ${q.constructor.name}) cannot be computed using Bregman divergences (as PyTorch 1.13); register one with distributions.registerKl`);
  }
  const pn = p.naturalParams.map((t) => t.detach().requiresGrad_(true));
  const qn = q.naturalParams;
  const lg = p.logNormalizer(...pn);
  const gs = grad(lg.sum(), pn, { createGraph: true });
  let result = q.logNormalizer(...qn).sub(lg);
  pn.forEach((t, i) => (result = result.sub(sumRightmost(qn[i].sub(t).mul(gs[i]!), q.eventShape.length))));
  return result;
}

// Its constructor is Distribution's protected one, hence the cast to a constructor type registerKl takes.
const EF = ExponentialFamily as unknown as abstract new () => ExponentialFamily;
registerKl(EF, EF, (p, q) => klExpFamily(p, q));
