/**
 * The relaxed (Concrete / Gumbel-softmax) families and ContinuousBernoulli, as torch.distributions
 * 1.13: LogitRelaxedBernoulli and RelaxedBernoulli (its sigmoid), ExpRelaxedCategorical and
 * RelaxedOneHotCategorical (its exp); all reparameterized, so a discrete choice can be trained by
 * gradient. ContinuousBernoulli is the normalized Bernoulli density on [0, 1] (Loaiza-Ganem and
 * Cunningham 2019), with PyTorch's Taylor expansions around probs = 0.5.
 *
 * ```ts
 * const y = new RelaxedOneHotCategorical(tensor(0.5), { logits }).rsample();   // soft one-hot, differentiable in logits
 * ```
 */
import { Tensor, type Generator, where, onesLike, zerosLike, tensor, isFloating, rand } from "../core.js";
import { describe } from "../tensor/check.js";
import { Distribution, broadcastAll, getDefaultValidateArgs } from "./distribution.js";
import * as constraints from "./constraints.js";
import { ExponentialFamily } from "./exp-family.js";
import { probsOrLogits, type ProbsOptions } from "./probs-logits.js";
import { Categorical } from "./categorical.js";
import { TransformedDistribution } from "./transformed.js";
import { ExpTransform, SigmoidTransform } from "./transforms.js";
import { bceWithLogits, clampProbs, logitsToProbs, probsToLogits, lazy } from "./utils.js";

function temperatureOf(name: string, t: unknown, like: Tensor): Tensor {
  if (t instanceof Tensor) {
    if (!isFloating(t.dtype)) throw new Error(`${name}: temperature must be a floating point tensor, got ${t.dtype}`);
    return t;
  }
  if (typeof t !== "number") throw new Error(`${name}: temperature must be a Tensor or a number, got ${describe(t)}`);
  return tensor(t, { dtype: like.dtype });
}

/** Shared probs/logits handling of the binary families here. */
abstract class BinaryParam extends Distribution {
  protected probsGiven: Tensor | null = null;
  protected logitsGiven: Tensor | null = null;
  private probsCache: Tensor | null = null;
  private logitsCache: Tensor | null = null;
  protected setParam(a: { probs?: Tensor | number; logits?: Tensor | number }): Tensor {
    if (a.probs !== undefined) return (this.probsGiven = broadcastAll(this.family, [["probs", a.probs]])[0]);
    return (this.logitsGiven = broadcastAll(this.family, [["logits", a.logits!]])[0]);
  }
  get probs(): Tensor {
    return this.probsGiven ?? (this.probsCache ??= lazy(() => this.derivedProbs(this.logitsGiven!)));
  }
  get logits(): Tensor {
    return this.logitsGiven ?? (this.logitsCache ??= lazy(() => probsToLogits(this.probsGiven!, true)));
  }
  protected derivedProbs(l: Tensor): Tensor {
    return logitsToProbs(l, true);
  }
  protected paramFor(batchShape: number[]): ProbsOptions {
    return this.probsGiven ? { probs: this.probsGiven.expand(batchShape), validateArgs: false } : { logits: this.logitsGiven!.expand(batchShape), validateArgs: false };
  }
  protected checkBinary(): void {
    if (this.probsGiven) this.checkParams([["probs", this.probsGiven, constraints.unitInterval, "pass probabilities in [0, 1], or give { logits }"]]);
    else this.checkParams([["logits", this.logitsGiven!, constraints.real, "logits must not be NaN"]]);
  }
}

const shapeOfArg = (a: { probs?: Tensor | number; logits?: Tensor | number }): readonly number[] => {
  const v = a.probs ?? a.logits;
  return typeof v === "number" ? [] : (v as Tensor).shape;
};

/** The logit of a relaxed Bernoulli sample: (logit(u) + logit(p)) / temperature. */
export class LogitRelaxedBernoulli extends BinaryParam {
  readonly temperature: Tensor;
  constructor(temperature: Tensor | number, probs?: Tensor | number | null | ProbsOptions, logits?: Tensor | number | null | ProbsOptions, opts?: ProbsOptions) {
    const a = probsOrLogits("LogitRelaxedBernoulli", [probs, logits, opts]);
    super("LogitRelaxedBernoulli", shapeOfArg(a), [], a.validateArgs);
    const p = this.setParam(a);
    this.temperature = temperatureOf(this.family, temperature, p);
    this.checkBinary();
  }
  override get support(): constraints.Constraint {
    return constraints.real;
  }
  override get hasRsample(): boolean {
    return true;
  }
  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const p = clampProbs(this.probs.expand(shape));
    const u = clampProbs(rand(shape, { dtype: p.dtype, generator }));
    return u.log().sub(u.neg().log1p()).add(p.log()).sub(p.neg().log1p()).div(this.temperature);
  }
  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const [l, v] = broadcastAll("LogitRelaxedBernoulli.logProb", [["logits", this.logits], ["value", value]]);
    const diff = l.sub(v.mul(this.temperature));
    return this.temperature.log().add(diff).sub(diff.exp().log1p().mul(2));
  }
  protected override expandTo(batchShape: number[]): LogitRelaxedBernoulli {
    return new LogitRelaxedBernoulli(this.temperature, this.paramFor(batchShape));
  }
}

/** RelaxedBernoulli(temperature, probs | logits): sigmoid of a LogitRelaxedBernoulli, in (0, 1). */
export class RelaxedBernoulli extends TransformedDistribution {
  constructor(temperature: Tensor | number, probs?: Tensor | number | null | ProbsOptions, logits?: Tensor | number | null | ProbsOptions, opts?: ProbsOptions) {
    const a = probsOrLogits("RelaxedBernoulli", [probs, logits, opts]);
    const base = new LogitRelaxedBernoulli(temperature, { probs: a.probs, logits: a.logits, validateArgs: a.validateArgs });
    super(base, [new SigmoidTransform()], { validateArgs: false });
    this.family = "RelaxedBernoulli";
    this.validateArgs = a.validateArgs ?? getDefaultValidateArgs();
  }
  get temperature(): Tensor {
    return (this.baseDist as LogitRelaxedBernoulli).temperature;
  }
  get probs(): Tensor {
    return (this.baseDist as LogitRelaxedBernoulli).probs;
  }
  get logits(): Tensor {
    return (this.baseDist as LogitRelaxedBernoulli).logits;
  }
  override get support(): constraints.Constraint {
    return constraints.unitInterval;
  }
  protected override expandTo(batchShape: number[]): RelaxedBernoulli {
    const b = this.baseDist.expand(batchShape) as LogitRelaxedBernoulli;
    return new RelaxedBernoulli(b.temperature, { logits: b.logits, validateArgs: false });
  }
}

/** The log of a relaxed one-hot sample: log-softmax((logits + Gumbel noise) / temperature). */
export class ExpRelaxedCategorical extends Distribution {
  readonly temperature: Tensor;
  readonly categorical: Categorical;
  constructor(temperature: Tensor | number, probs?: Tensor | null | ProbsOptions, logits?: Tensor | null | ProbsOptions, opts?: ProbsOptions) {
    const a = probsOrLogits("ExpRelaxedCategorical", [probs, logits, opts]);
    const c = new Categorical(a.probs !== undefined ? { probs: a.probs as Tensor, validateArgs: a.validateArgs } : { logits: a.logits as Tensor, validateArgs: a.validateArgs });
    super("ExpRelaxedCategorical", c.batchShape, c.paramShape.slice(-1), a.validateArgs);
    this.categorical = c;
    this.temperature = temperatureOf(this.family, temperature, c.logits);
  }
  get probs(): Tensor {
    return this.categorical.probs;
  }
  get logits(): Tensor {
    return this.categorical.logits;
  }
  override get support(): constraints.Constraint {
    return constraints.realVector;
  }
  override get hasRsample(): boolean {
    return true;
  }
  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const u = clampProbs(rand(shape, { dtype: this.logits.dtype, generator }));
    const gumbels = u.log().neg().log().neg();
    const scores = this.logits.add(gumbels).div(this.temperature);
    return scores.sub(scores.logsumexp(-1, { keepdim: true }));
  }
  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const k = this.eventShape[0];
    const [l, v] = broadcastAll("ExpRelaxedCategorical.logProb", [["logits", this.logits], ["value", value]]);
    const logScale = onesLike(this.temperature.detach()).mul(k).lgamma().sub(this.temperature.log().mul(-(k - 1)));
    let score = l.sub(v.mul(this.temperature));
    score = score.sub(score.logsumexp(-1, { keepdim: true })).sum(-1);
    return score.add(logScale);
  }
  protected override expandTo(batchShape: number[]): ExpRelaxedCategorical {
    const c = this.categorical.expand(batchShape);
    return new ExpRelaxedCategorical(this.temperature, { logits: c.logits, validateArgs: false });
  }
}

/** RelaxedOneHotCategorical(temperature, probs | logits): exp of an ExpRelaxedCategorical, on the simplex. */
export class RelaxedOneHotCategorical extends TransformedDistribution {
  constructor(temperature: Tensor | number, probs?: Tensor | null | ProbsOptions, logits?: Tensor | null | ProbsOptions, opts?: ProbsOptions) {
    const a = probsOrLogits("RelaxedOneHotCategorical", [probs, logits, opts]);
    const base = new ExpRelaxedCategorical(temperature, { probs: a.probs as Tensor | undefined, logits: a.logits as Tensor | undefined, validateArgs: a.validateArgs });
    super(base, [new ExpTransform()], { validateArgs: false });
    this.family = "RelaxedOneHotCategorical";
    this.validateArgs = a.validateArgs ?? getDefaultValidateArgs();
  }
  get temperature(): Tensor {
    return (this.baseDist as ExpRelaxedCategorical).temperature;
  }
  get probs(): Tensor {
    return (this.baseDist as ExpRelaxedCategorical).probs;
  }
  get logits(): Tensor {
    return (this.baseDist as ExpRelaxedCategorical).logits;
  }
  override get support(): constraints.Constraint {
    return constraints.simplex;
  }
  protected override expandTo(batchShape: number[]): RelaxedOneHotCategorical {
    const b = this.baseDist.expand(batchShape) as ExpRelaxedCategorical;
    return new RelaxedOneHotCategorical(b.temperature, { logits: b.logits, validateArgs: false });
  }
}

/** ContinuousBernoulli(probs | logits, { lims }): density C(p) p^x (1-p)^(1-x) on [0, 1]; rsample by its icdf. */
export class ContinuousBernoulli extends BinaryParam {
  readonly lims: [number, number];
  constructor(probs?: Tensor | number | null | (ProbsOptions & { lims?: [number, number] }), logits?: Tensor | number | null | (ProbsOptions & { lims?: [number, number] }), opts?: ProbsOptions & { lims?: [number, number] }) {
    const name = "ContinuousBernoulli";
    // lims is this family's own option: read it, and pass the rest of the bag on (a copy, not the caller's object).
    const args: unknown[] = [probs, logits, opts];
    const at = args.findIndex((v) => v !== null && typeof v === "object" && !(v instanceof Tensor));
    let lims: unknown = [0.499, 0.501];
    if (at >= 0) {
      const { lims: l, ...rest } = args[at] as { lims?: unknown };
      if (l !== undefined) lims = l;
      args[at] = rest;
    }
    const a = probsOrLogits(name, args);
    if (!Array.isArray(lims) || lims.length !== 2 || !lims.every((v) => typeof v === "number")) throw new Error(`${name}: lims must be two numbers [low, high], got ${describe(lims)}`);
    super(name, shapeOfArg(a), [], a.validateArgs);
    this.lims = [(lims as number[])[0], (lims as number[])[1]];
    const p = this.setParam(a);
    this.checkBinary();
    // PyTorch keeps the clamped probs as the parameter.
    if (this.probsGiven) this.probsGiven = clampProbs(p);
  }
  protected override derivedProbs(l: Tensor): Tensor {
    return clampProbs(logitsToProbs(l, true));
  }
  override get support(): constraints.Constraint {
    return constraints.unitInterval;
  }
  override get hasRsample(): boolean {
    return true;
  }
  private outside(): Tensor {
    return this.probs.le(this.lims[0]).logicalOr(this.probs.gt(this.lims[1]));
  }
  private cutProbs(): Tensor {
    return where(this.outside(), this.probs, onesLike(this.probs.detach()).mul(this.lims[0]));
  }
  /** log C(p), the log normalizing constant (PyTorch's _cont_bern_log_norm). */
  contBernLogNorm(): Tensor {
    const cut = this.cutProbs();
    const below = where(cut.le(0.5), cut, zerosLike(cut.detach()));
    const above = where(cut.ge(0.5), cut, onesLike(cut.detach()));
    const logNorm = cut.neg().log1p().sub(cut.log()).abs().log().sub(where(cut.le(0.5), below.mul(-2).log1p(), above.mul(2).sub(1).log()));
    const x = this.probs.sub(0.5).pow(2);
    const taylor = x.mul(104 / 45).add(4 / 3).mul(x).add(Math.log(2));
    return where(this.outside(), logNorm, taylor);
  }
  override get mean(): Tensor {
    const cut = this.cutProbs();
    const mus = cut.div(cut.mul(2).sub(1)).add(cut.neg().log1p().sub(cut.log()).reciprocal());
    const x = this.probs.sub(0.5);
    const taylor = x.pow(2).mul(16 / 45).add(1 / 3).mul(x).add(0.5);
    return where(this.outside(), mus, taylor);
  }
  override get stddev(): Tensor {
    return this.variance.sqrt();
  }
  override get variance(): Tensor {
    const cut = this.cutProbs();
    const vars = cut.mul(cut.sub(1)).div(cut.mul(-2).add(1).pow(2)).add(cut.neg().log1p().sub(cut.log()).pow(2).reciprocal());
    const x = this.probs.sub(0.5).pow(2);
    const taylor = x.mul(-128 / 945).add(1 / 15).mul(x).neg().add(1 / 12);
    return where(this.outside(), vars, taylor);
  }
  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    return this.icdf(rand(shape, { dtype: this.probs.dtype, generator }));
  }
  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const [l, v] = broadcastAll("ContinuousBernoulli.logProb", [["logits", this.logits], ["value", value]]);
    return bceWithLogits(l, v).neg().add(this.contBernLogNorm());
  }
  override cdf(value: Tensor): Tensor {
    this.checkValue("cdf", value);
    const cut = this.cutProbs();
    const cdfs = cut.pow(value).mul(cut.neg().add(1).pow(value.neg().add(1))).add(cut).sub(1).div(cut.mul(2).sub(1));
    const unbounded = where(this.outside(), cdfs, value);
    return where(value.le(0), zerosLike(value), where(value.ge(1), onesLike(value), unbounded));
  }
  override icdf(value: Tensor): Tensor {
    this.checkTensor("icdf", value);
    const cut = this.cutProbs();
    const inv = cut.neg().add(value.mul(cut.mul(2).sub(1))).log1p().sub(cut.neg().log1p()).div(cut.log().sub(cut.neg().log1p()));
    return where(this.outside(), inv, value);
  }
  override entropy(): Tensor {
    const lp0 = this.probs.neg().log1p(), lp1 = this.probs.log();
    return this.mean.mul(lp0.sub(lp1)).sub(this.contBernLogNorm()).sub(lp0);
  }
  /** θ = logits, as PyTorch's _natural_params (ContinuousBernoulli is an ExponentialFamily). */
  get naturalParams(): Tensor[] {
    return [this.logits];
  }
  /** PyTorch's _log_normalizer: log|e^x - 1| - log|x|, and its Taylor series where x is within lims - 0.5 of 0. */
  logNormalizer(x: Tensor): Tensor {
    const out = x.le(this.lims[0] - 0.5).logicalOr(x.gt(this.lims[1] - 0.5));
    const cut = where(out, x, onesLike(x).mul(this.lims[0] - 0.5));
    const logNorm = cut.exp().sub(1).abs().log().sub(cut.abs().log());
    const taylor = x.mul(0.5).add(x.pow(2).div(24)).sub(x.pow(4).div(2880));
    return where(out, logNorm, taylor);
  }
  get meanCarrierMeasure(): number {
    return 0;
  }

  protected override expandTo(batchShape: number[]): ContinuousBernoulli {
    return new ContinuousBernoulli({ ...this.paramFor(batchShape), lims: this.lims });
  }
}

ExponentialFamily.registerMember(ContinuousBernoulli);
