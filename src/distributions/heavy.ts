/**
 * Cauchy, HalfCauchy, HalfNormal, StudentT, Gumbel, Pareto and Weibull, as torch.distributions 1.13.
 * As in PyTorch, HalfNormal and HalfCauchy are a Normal / Cauchy through |x|, Gumbel a Uniform through
 * -log(-log u), Pareto and Weibull an Exponential through exp / a power and a scale: they are
 * TransformedDistributions, with PyTorch's closed forms where PyTorch overrides (logProb, moments).
 *
 * ```ts
 * new StudentT(3, 0, 2).rsample([10]);     // gradients reach df (implicitly, through its Chi2), loc and scale
 * new Gumbel(0, 1).sample([5]);
 * ```
 */
import { Tensor, type Generator, full, fullLike, where, zerosLike, onesLike, zeros, randn } from "../core.js";
import { Distribution, broadcastAll, readOptions, getDefaultValidateArgs, type DistributionOptions } from "./distribution.js";
import * as constraints from "./constraints.js";
import { Normal } from "./normal.js";
import { Uniform } from "./uniform.js";
import { Exponential } from "./exponential.js";
import { Chi2, Gamma } from "./gamma.js";
import { TransformedDistribution } from "./transformed.js";
import { AbsTransform, AffineTransform, ExpTransform, PowerTransform } from "./transforms.js";
import { finfo } from "./utils.js";

const KEYS = ["validateArgs"];
const EULER = 0.57721566490153286060;
const SCALE_FIX = "pass a positive scale, e.g. logScale.exp()";

export class Cauchy extends Distribution {
  readonly loc: Tensor;
  readonly scale: Tensor;

  /** `new Cauchy(loc, scale)`: scale > 0. */
  constructor(loc: Tensor | number, scale: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("Cauchy", opts, KEYS);
    const [l, s] = broadcastAll("Cauchy", [["loc", loc], ["scale", scale]]);
    super("Cauchy", typeof loc === "number" && typeof scale === "number" ? [] : l.shape, [], o.validateArgs);
    this.loc = l;
    this.scale = s;
    this.checkParams([["loc", l, constraints.real, "loc must not be NaN"], ["scale", s, constraints.positive, SCALE_FIX]]);
  }
  override get support(): constraints.Constraint {
    return constraints.real;
  }
  override get hasRsample(): boolean {
    return true;
  }
  /** NaN: the Cauchy has no mean (PyTorch's). */
  override get mean(): Tensor {
    return full(this.extendedShape(), NaN, { dtype: this.loc.dtype });
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get variance(): Tensor {
    return full(this.extendedShape(), Infinity, { dtype: this.loc.dtype });
  }
  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const eps = zeros(shape, { dtype: this.loc.dtype }).cauchy_(0, 1, { generator });
    return this.loc.add(eps.mul(this.scale));
  }
  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    return this.scale.log().neg().sub(Math.log(Math.PI)).sub(value.sub(this.loc).div(this.scale).pow(2).add(1).log());
  }
  override cdf(value: Tensor): Tensor {
    this.checkValue("cdf", value);
    return value.sub(this.loc).div(this.scale).atan().div(Math.PI).add(0.5);
  }
  override icdf(value: Tensor): Tensor {
    this.checkTensor("icdf", value);
    return value.sub(0.5).mul(Math.PI).tan().mul(this.scale).add(this.loc);
  }
  override entropy(): Tensor {
    return this.scale.log().add(Math.log(4 * Math.PI));
  }
  protected override expandTo(batchShape: number[]): Cauchy {
    return new Cauchy(this.loc.expand(batchShape), this.scale.expand(batchShape), { validateArgs: false });
  }
}

/** A TransformedDistribution under a family's own name, validated with that name. */
abstract class Named extends TransformedDistribution {
  protected rename(name: string, validateArgs: boolean | undefined): void {
    this.family = name;
    this.validateArgs = validateArgs ?? getDefaultValidateArgs();
  }
}

/**
 * |X| for X symmetric about 0 with a scale (HalfNormal, HalfCauchy): PyTorch writes the two classes
 * out in full; their density, cdf, icdf and entropy are the base's folded at 0, so they live here once.
 */
abstract class Folded<B extends Normal | Cauchy> extends Named {
  constructor(name: string, base: B, validateArgs: boolean | undefined) {
    super(base, [new AbsTransform()], { validateArgs: false });
    this.rename(name, validateArgs);
    this.checkParams([["scale", this.scale, constraints.positive, SCALE_FIX]]);
  }
  get scale(): Tensor {
    return (this.baseDist as B).scale;
  }
  override get support(): constraints.Constraint {
    return constraints.nonnegative;
  }
  override get mode(): Tensor {
    return zerosLike(this.scale.detach());
  }
  /** The value logProb reads (HalfCauchy's is cast to the scale's dtype first, as PyTorch's). */
  protected logProbValue(value: Tensor): Tensor {
    return value;
  }
  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const v = this.logProbValue(value);
    const lp = this.baseDist.logProb(v).add(Math.log(2));
    return where(v.ge(0), lp, -Infinity);
  }
  override cdf(value: Tensor): Tensor {
    this.checkValue("cdf", value);
    return this.baseDist.cdf(value).mul(2).sub(1);
  }
  override icdf(value: Tensor): Tensor {
    this.checkTensor("icdf", value);
    return this.baseDist.icdf(value.add(1).div(2));
  }
  override entropy(): Tensor {
    return this.baseDist.entropy().sub(Math.log(2));
  }
}

/** |X| for X ~ Normal(0, scale). */
export class HalfNormal extends Folded<Normal> {
  constructor(scale: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("HalfNormal", opts, KEYS);
    super("HalfNormal", new Normal(0, scale, { validateArgs: false }), o.validateArgs);
  }
  override get mean(): Tensor {
    return this.scale.mul(Math.sqrt(2 / Math.PI));
  }
  override get variance(): Tensor {
    return this.scale.pow(2).mul(1 - 2 / Math.PI);
  }
  protected override expandTo(batchShape: number[]): HalfNormal {
    return new HalfNormal(this.scale.expand(batchShape), { validateArgs: false });
  }
}

/** |X| for X ~ Cauchy(0, scale). */
export class HalfCauchy extends Folded<Cauchy> {
  constructor(scale: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("HalfCauchy", opts, KEYS);
    super("HalfCauchy", new Cauchy(0, scale, { validateArgs: false }), o.validateArgs);
  }
  override get mean(): Tensor {
    return full(this.extendedShape(), Infinity, { dtype: this.scale.dtype });
  }
  override get variance(): Tensor {
    return this.baseDist.variance;
  }
  protected override logProbValue(value: Tensor): Tensor {
    return value.to(this.scale.dtype);
  }
  protected override expandTo(batchShape: number[]): HalfCauchy {
    return new HalfCauchy(this.scale.expand(batchShape), { validateArgs: false });
  }
}

/** Gumbel(loc, scale): loc - scale log(-log U), U ~ Uniform(tiny, 1 - eps). */
export class Gumbel extends Named {
  readonly loc: Tensor;
  readonly scale: Tensor;
  constructor(loc: Tensor | number, scale: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("Gumbel", opts, KEYS);
    const [l, s] = broadcastAll("Gumbel", [["loc", loc], ["scale", scale]]);
    const f = finfo(l.dtype);
    const numbers = typeof loc === "number" && typeof scale === "number";
    const base = numbers ? new Uniform(f.tiny, 1 - f.eps) : new Uniform(fullLike(l.detach(), f.tiny), fullLike(l.detach(), 1 - f.eps));
    const ts = [new ExpTransform().inv, new AffineTransform(0, onesLike(s.detach()).neg()), new ExpTransform().inv, new AffineTransform(loc, s.neg())];
    super(base, ts, { validateArgs: false });
    this.rename("Gumbel", o.validateArgs);
    this.loc = l;
    this.scale = s;
    this.checkParams([["loc", l, constraints.real, "loc must not be NaN"], ["scale", s, constraints.positive, SCALE_FIX]]);
  }
  override get support(): constraints.Constraint {
    return constraints.real;
  }
  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const y = this.loc.sub(value).div(this.scale);
    return y.sub(y.exp()).sub(this.scale.log());
  }
  override get mean(): Tensor {
    return this.loc.add(this.scale.mul(EULER));
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get stddev(): Tensor {
    return this.scale.mul(Math.PI / Math.sqrt(6));
  }
  override get variance(): Tensor {
    return this.stddev.pow(2);
  }
  override entropy(): Tensor {
    return this.scale.log().add(1 + EULER);
  }
  protected override expandTo(batchShape: number[]): Gumbel {
    return new Gumbel(this.loc.expand(batchShape), this.scale.expand(batchShape), { validateArgs: false });
  }
}

/** Pareto(scale, alpha): scale exp(E), E ~ Exponential(alpha); support [scale, inf). */
export class Pareto extends Named {
  readonly scale: Tensor;
  readonly alpha: Tensor;
  constructor(scale: Tensor | number, alpha: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("Pareto", opts, KEYS);
    const [s, a] = broadcastAll("Pareto", [["scale", scale], ["alpha", alpha]]);
    super(new Exponential(a, { validateArgs: false }), [new ExpTransform(), new AffineTransform(0, s)], { validateArgs: false });
    this.rename("Pareto", o.validateArgs);
    this.scale = s;
    this.alpha = a;
    this.checkParams([["scale", s, constraints.positive, SCALE_FIX], ["alpha", a, constraints.positive, "pass a positive alpha"]]);
  }
  override get support(): constraints.Constraint {
    const s = this.scale.detach();
    return new constraints.Constraint("at least scale", (v) => v.ge(s));
  }
  override get mean(): Tensor {
    const a = this.alpha.clampMin(1);
    return a.mul(this.scale).div(a.sub(1));
  }
  override get mode(): Tensor {
    return this.scale;
  }
  override get variance(): Tensor {
    const a = this.alpha.clampMin(2);
    return this.scale.pow(2).mul(a).div(a.sub(1).pow(2).mul(a.sub(2)));
  }
  override entropy(): Tensor {
    return this.scale.div(this.alpha).log().add(this.alpha.reciprocal().add(1));
  }
  protected override expandTo(batchShape: number[]): Pareto {
    return new Pareto(this.scale.expand(batchShape), this.alpha.expand(batchShape), { validateArgs: false });
  }
}

/** Weibull(scale, concentration): scale E^(1/concentration), E ~ Exponential(1). */
export class Weibull extends Named {
  readonly scale: Tensor;
  readonly concentration: Tensor;
  readonly concentrationReciprocal: Tensor;
  constructor(scale: Tensor | number, concentration: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("Weibull", opts, KEYS);
    const [s, c] = broadcastAll("Weibull", [["scale", scale], ["concentration", concentration]]);
    const cr = c.reciprocal();
    super(new Exponential(onesLike(s.detach()), { validateArgs: false }), [new PowerTransform(cr), new AffineTransform(0, s)], { validateArgs: false });
    this.rename("Weibull", o.validateArgs);
    this.scale = s;
    this.concentration = c;
    this.concentrationReciprocal = cr;
    this.checkParams([["scale", s, constraints.positive, SCALE_FIX], ["concentration", c, constraints.positive, "pass a positive concentration"]]);
  }
  override get support(): constraints.Constraint {
    return constraints.positive;
  }
  override get mean(): Tensor {
    return this.scale.mul(this.concentrationReciprocal.add(1).lgamma().exp());
  }
  override get mode(): Tensor {
    const c = this.concentration;
    return this.scale.mul(c.sub(1).div(c).pow(c.reciprocal()));
  }
  override get variance(): Tensor {
    const r = this.concentrationReciprocal;
    return this.scale.pow(2).mul(r.mul(2).add(1).lgamma().exp().sub(r.add(1).lgamma().mul(2).exp()));
  }
  override entropy(): Tensor {
    const r = this.concentrationReciprocal;
    return r.neg().add(1).mul(EULER).add(this.scale.mul(r).log()).add(1);
  }
  protected override expandTo(batchShape: number[]): Weibull {
    return new Weibull(this.scale.expand(batchShape), this.concentration.expand(batchShape), { validateArgs: false });
  }
}

/** E[X^n] of a Kumaraswamy (PyTorch's _moments). */
function kumaraswamyMoment(a: Tensor, b: Tensor, n: number): Tensor {
  const arg1 = a.reciprocal().mul(n).add(1);
  return b.mul(arg1.lgamma().add(b.lgamma()).sub(arg1.add(b).lgamma()).exp());
}

/** Kumaraswamy(concentration1, concentration0) on (0, 1): (1 - (1 - U)^(1/c0))^(1/c1), U ~ Uniform(0, 1). */
export class Kumaraswamy extends Named {
  readonly concentration1: Tensor;
  readonly concentration0: Tensor;
  constructor(concentration1: Tensor | number, concentration0: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("Kumaraswamy", opts, KEYS);
    const [c1, c0] = broadcastAll("Kumaraswamy", [["concentration1", concentration1], ["concentration0", concentration0]]);
    const base = new Uniform(fullLike(c0.detach(), 0), fullLike(c0.detach(), 1), { validateArgs: false });
    super(base, [new PowerTransform(c0.reciprocal()), new AffineTransform(1, -1), new PowerTransform(c1.reciprocal())], { validateArgs: false });
    this.rename("Kumaraswamy", o.validateArgs);
    this.concentration1 = c1;
    this.concentration0 = c0;
    this.checkParams([["concentration1", c1, constraints.positive, "pass a positive concentration1"], ["concentration0", c0, constraints.positive, "pass a positive concentration0"]]);
  }
  override get support(): constraints.Constraint {
    return constraints.unitInterval;
  }
  override get mean(): Tensor {
    return kumaraswamyMoment(this.concentration1, this.concentration0, 1);
  }
  /** NaN where either concentration is below 1 (PyTorch's). */
  override get mode(): Tensor {
    const c0 = this.concentration0, c1 = this.concentration1;
    const logMode = c0.reciprocal().mul(c0.neg().log1p()).sub(c0.neg().mul(c1).log1p());
    return where(c0.lt(1).logicalOr(c1.lt(1)), NaN, logMode).exp();
  }
  override get variance(): Tensor {
    return kumaraswamyMoment(this.concentration1, this.concentration0, 2).sub(this.mean.pow(2));
  }
  override entropy(): Tensor {
    const t1 = this.concentration1.reciprocal().neg().add(1), t0 = this.concentration0.reciprocal().neg().add(1);
    const h0 = this.concentration0.add(1).digamma().add(EULER);
    return t0.add(t1.mul(h0)).sub(this.concentration1.log()).sub(this.concentration0.log());
  }
  protected override expandTo(batchShape: number[]): Kumaraswamy {
    return new Kumaraswamy(this.concentration1.expand(batchShape), this.concentration0.expand(batchShape), { validateArgs: false });
  }
}

/** FisherSnedecor(df1, df2): (X1 / df1) / (X2 / df2) for Chi2 draws, as a ratio of Gammas (rsample implicit). */
export class FisherSnedecor extends Distribution {
  readonly df1: Tensor;
  readonly df2: Tensor;
  private readonly gamma1: Gamma;
  private readonly gamma2: Gamma;
  constructor(df1: Tensor | number, df2: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("FisherSnedecor", opts, KEYS);
    const [a, b] = broadcastAll("FisherSnedecor", [["df1", df1], ["df2", df2]]);
    super("FisherSnedecor", typeof df1 === "number" && typeof df2 === "number" ? [] : a.shape, [], o.validateArgs);
    this.df1 = a;
    this.df2 = b;
    this.gamma1 = new Gamma(a.mul(0.5), a, { validateArgs: false });
    this.gamma2 = new Gamma(b.mul(0.5), b, { validateArgs: false });
    this.checkParams([["df1", a, constraints.positive, "pass positive degrees of freedom"], ["df2", b, constraints.positive, "pass positive degrees of freedom"]]);
  }
  override get support(): constraints.Constraint {
    return constraints.positive;
  }
  override get hasRsample(): boolean {
    return true;
  }
  /** NaN where df2 <= 2 (PyTorch's). */
  override get mean(): Tensor {
    const d2 = where(this.df2.le(2), NaN, this.df2);
    return d2.div(d2.sub(2));
  }
  override get mode(): Tensor {
    const m = this.df1.sub(2).div(this.df1).mul(this.df2).div(this.df2.add(2));
    return where(this.df1.le(2), NaN, m);
  }
  override get variance(): Tensor {
    const d2 = where(this.df2.le(4), NaN, this.df2);
    return d2.pow(2).mul(2).mul(this.df1.add(d2).sub(2)).div(this.df1.mul(d2.sub(2).pow(2)).mul(d2.sub(4)));
  }
  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const s = shape.slice(0, shape.length - this.batchShape.length);
    const tiny = finfo(this.df1.dtype).tiny;
    const x1 = this.gamma1.rsample(s, { generator }).reshape(shape);
    const x2 = this.gamma2.rsample(s, { generator }).reshape(shape).clampMin(tiny);
    return x1.div(x2).clampMin(tiny);
  }
  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const ct1 = this.df1.mul(0.5), ct2 = this.df2.mul(0.5), ct3 = this.df1.div(this.df2);
    const t1 = ct1.add(ct2).lgamma().sub(ct1.lgamma()).sub(ct2.lgamma());
    const t2 = ct1.mul(ct3.log()).add(ct1.sub(1).mul(value.log()));
    const t3 = ct1.add(ct2).mul(ct3.mul(value).log1p());
    return t1.add(t2).sub(t3);
  }
  protected override expandTo(batchShape: number[]): FisherSnedecor {
    return new FisherSnedecor(this.df1.expand(batchShape), this.df2.expand(batchShape), { validateArgs: false });
  }
}

/** StudentT(df, loc = 0, scale = 1); rsample is loc + scale X / sqrt(Z / df), X ~ N(0, 1), Z ~ Chi2(df). */
export class StudentT extends Distribution {
  readonly df: Tensor;
  readonly loc: Tensor;
  readonly scale: Tensor;
  private readonly chi2: Chi2;

  constructor(df: Tensor | number, loc: Tensor | number | (DistributionOptions & { loc?: Tensor | number; scale?: Tensor | number }) = 0, scale: Tensor | number = 1, opts?: DistributionOptions) {
    let o: DistributionOptions & { loc?: Tensor | number; scale?: Tensor | number } = {};
    if (loc !== null && typeof loc === "object" && !(loc instanceof Tensor)) {
      o = readOptions("StudentT", loc, ["loc", "scale", "validateArgs"]);
      loc = o.loc ?? 0;
      scale = o.scale ?? 1;
    } else o = readOptions<DistributionOptions>("StudentT", opts, KEYS);
    const [d, l, s] = broadcastAll("StudentT", [["df", df], ["loc", loc], ["scale", scale]]);
    super("StudentT", d.shape, [], o.validateArgs);
    this.df = d;
    this.loc = l;
    this.scale = s;
    this.chi2 = new Chi2(d, { validateArgs: false });
    this.checkParams([["df", d, constraints.positive, "pass positive degrees of freedom"], ["loc", l, constraints.real, "loc must not be NaN"], ["scale", s, constraints.positive, SCALE_FIX]]);
  }
  override get support(): constraints.Constraint {
    return constraints.real;
  }
  override get hasRsample(): boolean {
    return true;
  }
  /** loc where df > 1, NaN elsewhere (PyTorch's). */
  override get mean(): Tensor {
    return where(this.df.le(1), NaN, this.loc);
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get variance(): Tensor {
    const d = this.df;
    const finite = this.scale.pow(2).mul(d).div(d.sub(2));
    return where(d.gt(2), finite, where(d.gt(1), Infinity, NaN)).to(d.dtype);
  }
  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const x = randn(shape, { dtype: this.df.dtype, generator });
    const z = this.chi2.rsample(shape.slice(0, shape.length - this.batchShape.length), { generator });
    return this.loc.add(this.scale.mul(x.mul(z.div(this.df).rsqrt())));
  }
  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const y = value.sub(this.loc).div(this.scale);
    const d = this.df;
    const z = this.scale.log().add(d.log().mul(0.5)).add(0.5 * Math.log(Math.PI)).add(d.mul(0.5).lgamma()).sub(d.add(1).mul(0.5).lgamma());
    return d.add(1).mul(-0.5).mul(y.pow(2).div(d).log1p()).sub(z);
  }
  override entropy(): Tensor {
    const d = this.df;
    const lbeta = d.mul(0.5).lgamma().add(0.5723649429247001).sub(d.add(1).mul(0.5).lgamma());
    return this.scale.log().add(d.add(1).mul(0.5).mul(d.add(1).mul(0.5).digamma().sub(d.mul(0.5).digamma()))).add(d.log().mul(0.5)).add(lbeta);
  }
  protected override expandTo(batchShape: number[]): StudentT {
    return new StudentT(this.df.expand(batchShape), this.loc.expand(batchShape), this.scale.expand(batchShape), { validateArgs: false });
  }
}
