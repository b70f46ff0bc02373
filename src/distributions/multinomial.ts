/**
 * Multinomial(totalCount, probs | logits), NegativeBinomial(totalCount, probs | logits) and
 * MixtureSameFamily(mixture, components), as torch.distributions 1.13.
 *
 * ```ts
 * new Multinomial(10, tensor([0.2, 0.3, 0.5])).sample();            // counts summing to 10
 * const gmm = new MixtureSameFamily(new Categorical(w), new Normal(mu, sigma));   // a mixture of K Normals
 * ```
 */
import { Tensor, type Generator, where, oneHot, poisson, zerosLike, zeros } from "../core.js";
import { describe } from "../tensor/check.js";
import { Distribution, broadcastAll, readOptions, type DistributionOptions, type SampleOptions } from "./distribution.js";
import * as constraints from "./constraints.js";
import { probsOrLogits, type ProbsOptions } from "./probs-logits.js";
import { Categorical } from "./categorical.js";
import { Binomial } from "./poisson.js";
import { Gamma } from "./gamma.js";
import { logitsToProbs, probsToLogits, softplus, lazy } from "./utils.js";

let wrapping: Categorical | null = null;

export class Multinomial extends Distribution {
  readonly totalCount: number;
  /** The Categorical of one trial (PyTorch's _categorical). */
  readonly categorical: Categorical;

  /** `new Multinomial(totalCount, probs)` or `new Multinomial(totalCount, { logits })`; totalCount one integer. */
  constructor(totalCount = 1, probs?: Tensor | null | ProbsOptions, logits?: Tensor | null | ProbsOptions, opts?: ProbsOptions) {
    const name = "Multinomial";
    if (!Number.isInteger(totalCount) || totalCount < 0) {
      throw new Error(`${name}: totalCount must be one non-negative integer (a tensor of counts is not supported, as PyTorch 1.13), got ${describe(totalCount)}`);
    }
    const a = wrapping ? null : probsOrLogits(name, [probs, logits, opts]);
    const c = wrapping ?? new Categorical(a!.probs !== undefined ? { probs: a!.probs as Tensor, validateArgs: a!.validateArgs } : { logits: a!.logits as Tensor, validateArgs: a!.validateArgs });
    super(name, c.batchShape, c.paramShape.slice(-1), wrapping ? false : a!.validateArgs);
    this.totalCount = totalCount;
    this.categorical = c;
  }

  get probs(): Tensor {
    return this.categorical.probs;
  }
  get logits(): Tensor {
    return this.categorical.logits;
  }
  override get support(): constraints.Constraint {
    return constraints.multinomial(this.totalCount);
  }
  override get mean(): Tensor {
    return this.probs.mul(this.totalCount);
  }
  override get variance(): Tensor {
    return this.probs.mul(this.totalCount).mul(this.probs.neg().add(1));
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const k = this.eventShape[0];
    if (this.totalCount === 0) return zeros(shape, { dtype: this.probs.dtype });
    const s = shape.slice(0, shape.length - this.batchShape.length - 1);
    const trials = this.categorical.sample([this.totalCount, ...s], { generator });
    return oneHot(trials, k).sum(0).to(this.probs.dtype);
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const [l, v] = broadcastAll("Multinomial.logProb", [["logits", this.logits], ["value", value.to(this.logits.dtype)]]);
    const lfn = v.sum(-1).add(1).lgamma();
    const lfx = v.add(1).lgamma().sum(-1);
    const lz = where(v.eq(0).logicalAnd(l.eq(-Infinity)), zerosLike(l), l);
    return lfn.sub(lfx).add(lz.mul(v).sum(-1));
  }

  override entropy(): Tensor {
    const n = this.totalCount;
    // PyTorch takes lgamma of an int64 tensor: a float32 value, whatever the probs' dtype.
    const term1 = this.categorical.entropy().mul(n).sub(Math.fround(lgammaOf(n + 1)));
    const bin = new Binomial(n, { probs: this.probs, validateArgs: false });
    const support = bin.enumerateSupport(false).narrow(0, 1, n);
    const bp = bin.logProb(support).exp();
    const term2 = bp.mul(support.add(1).lgamma()).sum(0).sum(-1);
    return term1.add(term2);
  }

  protected override expandTo(batchShape: number[]): Multinomial {
    wrapping = this.categorical.expand(batchShape);
    try {
      return new Multinomial(this.totalCount);
    } finally {
      wrapping = null;
    }
  }
}

/** lgamma of a number, as a 0-d float64 tensor op would give it. */
function lgammaOf(x: number): number {
  let s = 0;
  for (let i = 2; i < x; i++) s += Math.log(i);
  return s;
}

/**
 * NegativeBinomial(totalCount, probs | logits): the number of successes before totalCount failures,
 * each trial a success with probability probs, as torch.distributions.NegativeBinomial.
 */
export class NegativeBinomial extends Distribution {
  readonly totalCount: Tensor;
  private probsGiven: Tensor | null = null;
  private logitsGiven: Tensor | null = null;
  private probsCache: Tensor | null = null;
  private logitsCache: Tensor | null = null;

  constructor(totalCount: Tensor | number, probs?: Tensor | number | null | ProbsOptions, logits?: Tensor | number | null | ProbsOptions, opts?: ProbsOptions) {
    const name = "NegativeBinomial";
    const a = probsOrLogits(name, [probs, logits, opts]);
    const which = a.probs !== undefined ? "probs" : "logits";
    const [n, p] = broadcastAll(name, [["totalCount", totalCount instanceof Tensor && !totalCount.dtype.startsWith("float") ? totalCount.to("float32") : totalCount], [which, (a.probs ?? a.logits)!]]);
    super(name, p.shape, [], a.validateArgs);
    this.totalCount = n.to(p.dtype);
    if (which === "probs") this.probsGiven = p;
    else this.logitsGiven = p;
    this.checkParams([
      ["totalCount", this.totalCount, constraints.greaterThanEq(0), "totalCount is the number of failures (>= 0)"],
      which === "probs" ? ["probs", p, constraints.halfOpenInterval(0, 1), "pass probabilities in [0, 1), or give { logits }"] : ["logits", p, constraints.real, "logits must not be NaN"],
    ]);
  }

  get probs(): Tensor {
    return this.probsGiven ?? (this.probsCache ??= lazy(() => logitsToProbs(this.logitsGiven!, true)));
  }
  get logits(): Tensor {
    return this.logitsGiven ?? (this.logitsCache ??= lazy(() => probsToLogits(this.probsGiven!, true)));
  }
  override get support(): constraints.Constraint {
    return constraints.nonnegativeInteger;
  }
  override get mean(): Tensor {
    return this.totalCount.mul(this.logits.exp());
  }
  override get mode(): Tensor {
    return this.totalCount.sub(1).mul(this.logits.exp()).floor().clampMin(0);
  }
  override get variance(): Tensor {
    return this.mean.div(this.logits.neg().sigmoid());
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const g = new Gamma(this.totalCount.detach(), this.logits.detach().neg().exp(), { validateArgs: false });
    const rate = g.sample(shape.slice(0, shape.length - this.batchShape.length), { generator });
    return poisson(rate, { generator });
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const n = this.totalCount, l = this.logits;
    // F.logsigmoid(x) = -softplus(-x).
    const unnorm = n.mul(softplus(l).neg()).add(value.mul(softplus(l.neg()).neg()));
    const norm = n.add(value).lgamma().neg().add(value.add(1).lgamma()).add(n.lgamma());
    const normZ = where(n.add(value).eq(0), zerosLike(norm), norm);
    return unnorm.sub(normZ);
  }

  protected override expandTo(batchShape: number[]): NegativeBinomial {
    const n = this.totalCount.expand(batchShape);
    return new NegativeBinomial(n, this.probsGiven ? { probs: this.probsGiven.expand(batchShape), validateArgs: false } : { logits: this.logitsGiven!.expand(batchShape), validateArgs: false });
  }
}

/**
 * MixtureSameFamily(mixture, components): a Categorical over K components of one family, the components
 * along the rightmost batch dim of `components` (a Gaussian mixture: Categorical(w) over Normal(mu, sigma)
 * with mu [..., K]). No rsample (as PyTorch).
 */
export class MixtureSameFamily extends Distribution {
  readonly mixtureDistribution: Categorical;
  readonly componentDistribution: Distribution;
  private readonly eventNdims: number;

  constructor(mixtureDistribution: Categorical, componentDistribution: Distribution, opts?: DistributionOptions) {
    const name = "MixtureSameFamily";
    const o = readOptions<DistributionOptions>(name, opts, ["validateArgs"]);
    if (!(mixtureDistribution instanceof Categorical)) throw new Error(`${name}: mixtureDistribution must be a Categorical, got ${describe(mixtureDistribution)}`);
    if (!(componentDistribution instanceof Distribution)) throw new Error(`${name}: componentDistribution must be a Distribution, got ${describe(componentDistribution)}`);
    const mdbs = mixtureDistribution.batchShape, cdbsAll = componentDistribution.batchShape;
    if (cdbsAll.length < 1) throw new Error(`${name}: componentDistribution needs the components along its rightmost batch dim, got batchShape []`);
    const cdbs = cdbsAll.slice(0, -1);
    for (let i = 1; i <= Math.min(mdbs.length, cdbs.length); i++) {
      const a = mdbs[mdbs.length - i], b = cdbs[cdbs.length - i];
      if (a !== 1 && b !== 1 && a !== b) throw new Error(`${name}: mixtureDistribution.batchShape [${mdbs.join(", ")}] is not compatible with componentDistribution.batchShape [${cdbsAll.join(", ")}] (less its last dim)`);
    }
    const km = mixtureDistribution.numEvents, kc = cdbsAll[cdbsAll.length - 1];
    if (km !== kc) throw new Error(`${name}: the mixture has ${km} components but componentDistribution.batchShape ends in ${kc}; they must be equal`);
    super(name, cdbs, componentDistribution.eventShape, o.validateArgs);
    this.mixtureDistribution = mixtureDistribution;
    this.componentDistribution = componentDistribution;
    this.eventNdims = componentDistribution.eventShape.length;
  }

  override get support(): constraints.Constraint {
    return this.componentDistribution.support;
  }
  /** probs [..., K] with a 1 per event dim after K, to broadcast against the components' [..., K, ...event]. */
  private padMixture(x: Tensor): Tensor {
    return x.reshape([...x.shape, ...new Array<number>(this.eventNdims).fill(1)]);
  }
  private pad(x: Tensor): Tensor {
    return x.unsqueeze(-1 - this.eventNdims);
  }
  override get mean(): Tensor {
    return this.padMixture(this.mixtureDistribution.probs).mul(this.componentDistribution.mean).sum(-1 - this.eventNdims);
  }
  override get variance(): Tensor {
    const p = this.padMixture(this.mixtureDistribution.probs);
    const meanCondVar = p.mul(this.componentDistribution.variance).sum(-1 - this.eventNdims);
    const varCondMean = p.mul(this.componentDistribution.mean.sub(this.pad(this.mean)).pow(2)).sum(-1 - this.eventNdims);
    return meanCondVar.add(varCondMean);
  }
  override cdf(x: Tensor): Tensor {
    this.checkTensor("cdf", x);
    return this.componentDistribution.cdf(this.pad(x)).mul(this.mixtureDistribution.probs).sum(-1);
  }
  override logProb(x: Tensor): Tensor {
    this.checkValue("logProb", x);
    const lp = this.componentDistribution.logProb(this.pad(x));
    const lw = this.mixtureDistribution.logits.logSoftmax(-1);
    return lp.add(lw).logsumexp(-1);
  }
  override sample(sampleShape?: readonly number[] | number | SampleOptions, opts?: SampleOptions): Tensor {
    const isBag = sampleShape !== null && typeof sampleShape === "object" && !Array.isArray(sampleShape);
    const o = (isBag ? sampleShape : opts ?? {}) as SampleOptions;
    const s = (isBag ? o.sampleShape : sampleShape) ?? [];
    const shape = typeof s === "number" ? [s] : [...s];
    const generator = o.generator;
    const mix = this.mixtureDistribution.sample(shape, { generator });
    const comp = this.componentDistribution.sample(shape, { generator });
    const es = this.eventShape;
    const gatherDim = shape.length + this.batchShape.length;
    let idx = mix.reshape([...mix.shape, 1, ...es.map(() => 1)]);
    idx = idx.expand([...mix.shape, 1, ...es]);
    return comp.gather(gatherDim, idx).squeeze(gatherDim);
  }
  protected override expandTo(batchShape: number[]): MixtureSameFamily {
    const k = this.mixtureDistribution.numEvents;
    return new MixtureSameFamily(this.mixtureDistribution.expand(batchShape), this.componentDistribution.expand([...batchShape, k]), { validateArgs: false });
  }
}
