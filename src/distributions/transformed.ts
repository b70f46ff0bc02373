/**
 * TransformedDistribution(base, transforms): the law of t_n(...t_1(x)) for x ~ base, as
 * torch.distributions.TransformedDistribution: logProb by the change of variables (the inverse
 * transforms and their log |det J|), rsample and sample through the transforms, cdf and icdf for
 * monotone transforms (PyTorch's _monotonize_cdf).
 *
 * ```ts
 * const logit = new TransformedDistribution(new Normal(0, 1), [new SigmoidTransform()]);   // logit-normal
 * ```
 */
import { Tensor, type Generator } from "../core.js";
import { describe } from "../tensor/check.js";
import { Distribution, readOptions, sumRightmost, type DistributionOptions, type SampleOptions } from "./distribution.js";
import * as constraints from "./constraints.js";
import { Independent } from "./mvn.js";
import { ComposeTransform, Transform, mulSign } from "./transforms.js";

/** The event dims a transform works on (0 for the elementwise ones; AffineTransform's eventDim). */
const eventDimOf = (t: Transform): number => t.domain.eventDim;

export class TransformedDistribution extends Distribution {
  readonly baseDist: Distribution;
  readonly transforms: Transform[];

  constructor(baseDistribution: Distribution, transforms: Transform | readonly Transform[], opts?: DistributionOptions) {
    const name = "TransformedDistribution";
    const o = readOptions<DistributionOptions>(name, opts, ["validateArgs"]);
    if (!(baseDistribution instanceof Distribution)) throw new Error(`${name}: baseDistribution must be a Distribution, got ${describe(baseDistribution)}`);
    const list = transforms instanceof Transform ? [transforms] : transforms;
    if (!Array.isArray(list) || !list.every((t) => t instanceof Transform)) {
      throw new Error(`${name}: transforms must be a Transform or an array of Transforms (new ExpTransform(), ...), got ${describe(transforms)}`);
    }
    const all = new ComposeTransform(list);
    const baseShape = [...baseDistribution.batchShape, ...baseDistribution.eventShape];
    const baseEventDim = baseDistribution.eventShape.length;
    const domainDim = list.length ? Math.max(...list.map(eventDimOf)) : 0;
    if (baseShape.length < domainDim) throw new Error(`${name}: the base distribution needs at least ${domainDim} dims for these transforms, got shape [${baseShape.join(", ")}]`);
    const forwardShape = all.forwardShape(baseShape);
    const expanded = all.inverseShape(forwardShape);
    let base = baseDistribution;
    if (expanded.length !== baseShape.length || expanded.some((d, i) => d !== baseShape[i])) base = base.expand(expanded.slice(0, expanded.length - baseEventDim));
    if (domainDim - baseEventDim > 0) base = new Independent(base, domainDim - baseEventDim);
    const eventDim = domainDim + Math.max(baseEventDim - domainDim, 0);
    const cut = forwardShape.length - eventDim;
    super(name, forwardShape.slice(0, cut), forwardShape.slice(cut), o.validateArgs);
    this.baseDist = base;
    this.transforms = [...list];
  }

  override get support(): constraints.Constraint {
    if (!this.transforms.length) return this.baseDist.support;
    const c = this.transforms[this.transforms.length - 1].codomain;
    return this.eventShape.length > c.eventDim ? constraints.independent(c, this.eventShape.length - c.eventDim) : c;
  }
  override get hasRsample(): boolean {
    return this.baseDist.hasRsample;
  }

  override sample(sampleShape?: readonly number[] | number | SampleOptions, opts?: SampleOptions): Tensor {
    const x = this.baseDist.sample(sampleShape, opts);
    return this.transforms.reduce((v, t) => t.call(v), x).detach();
  }
  override rsample(sampleShape?: readonly number[] | number | SampleOptions, opts?: SampleOptions): Tensor {
    if (!this.hasRsample) return super.rsample(sampleShape, opts);
    const x = this.baseDist.rsample(sampleShape, opts);
    return this.transforms.reduce((v, t) => t.call(v), x);
  }
  protected override draw(_shape: number[], _generator: Generator | undefined): Tensor {
    return this.missing("sample");
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    let eventDim = this.eventShape.length;
    let lp: Tensor | number = 0;
    let y = value;
    for (let i = this.transforms.length - 1; i >= 0; i--) {
      const t = this.transforms[i];
      const x = t.inverse(y);
      eventDim += t.domain.eventDim - t.codomain.eventDim;
      const term = sumRightmost(t.logAbsDetJacobian(x, y), eventDim - t.domain.eventDim);
      lp = typeof lp === "number" ? term.neg().add(lp) : lp.sub(term);
      y = x;
    }
    const b = sumRightmost(this.baseDist.logProb(y), eventDim - this.baseDist.eventShape.length);
    return typeof lp === "number" ? b.add(lp) : lp.add(b);
  }

  /** PyTorch's _monotonize_cdf: a decreasing composition flips the cdf. */
  private monotonize(value: Tensor): Tensor {
    let sign: number | Tensor = 1;
    for (const t of this.transforms) sign = mulSign(sign, t.sign);
    if (sign === 1) return value;
    return value.sub(0.5).mul(sign).add(0.5);
  }

  override cdf(value: Tensor): Tensor {
    this.checkTensor("cdf", value);
    let v = value;
    for (let i = this.transforms.length - 1; i >= 0; i--) v = this.transforms[i].inverse(v);
    return this.monotonize(this.baseDist.cdf(v));
  }

  override icdf(value: Tensor): Tensor {
    this.checkTensor("icdf", value);
    const v = this.baseDist.icdf(this.monotonize(value));
    return this.transforms.reduce((x, t) => t.call(x), v);
  }

  protected override expandTo(batchShape: number[]): TransformedDistribution {
    const shape = [...batchShape, ...this.eventShape];
    const baseShape = new ComposeTransform(this.transforms).inverseShape(shape);
    const base = this.baseDist.expand(baseShape.slice(0, baseShape.length - this.baseDist.eventShape.length));
    return new TransformedDistribution(base, this.transforms, { validateArgs: false });
  }
}
