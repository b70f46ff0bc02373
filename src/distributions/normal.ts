/**
 * Normal(loc, scale) and LogNormal(loc, scale) (exp of a Normal), as torch.distributions. Both have
 * rsample: loc + scale * eps with eps ~ N(0, 1), so gradients reach loc and scale.
 *
 * ```ts
 * const q = new Normal(mu, logvar.mul(0.5).exp());   // a VAE's posterior
 * const z = q.rsample();
 * const kl = klDivergence(q, new Normal(0, 1)).sum(-1);
 * ```
 */
import { ExponentialFamily } from "./exp-family.js";
import { type Tensor, type Generator, randn } from "../core.js";
import { Distribution, broadcastAll, readOptions, type DistributionOptions } from "./distribution.js";
import * as constraints from "./constraints.js";

const KEYS = ["validateArgs"];
const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));
const SCALE_FIX = "pass a positive scale, e.g. logScale.exp() or nn.functional.softplus(rawScale)";
const LOC_FIX = "loc must not be NaN";

export class Normal extends ExponentialFamily {
  readonly loc: Tensor;
  readonly scale: Tensor;

  /** `new Normal(loc, scale)`: tensors (broadcast together) or numbers; scale > 0. */
  constructor(loc: Tensor | number, scale: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("Normal", opts, KEYS);
    const [l, s] = broadcastAll("Normal", [["loc", loc], ["scale", scale]]);
    super("Normal", typeof loc === "number" && typeof scale === "number" ? [] : l.shape, [], o.validateArgs);
    this.loc = l;
    this.scale = s;
    this.checkParams([["loc", l, constraints.real, LOC_FIX], ["scale", s, constraints.positive, SCALE_FIX]]);
  }

  override get support(): constraints.Constraint {
    return constraints.real;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override get mean(): Tensor {
    return this.loc;
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get stddev(): Tensor {
    return this.scale;
  }
  override get variance(): Tensor {
    return this.scale.pow(2);
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const eps = randn(shape, { dtype: this.loc.dtype, generator });
    return this.loc.add(eps.mul(this.scale));
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const v = this.scale.pow(2);
    return value.sub(this.loc).pow(2).neg().div(v.mul(2)).sub(this.scale.log()).sub(LOG_SQRT_2PI);
  }

  override cdf(value: Tensor): Tensor {
    this.checkValue("cdf", value);
    return value.sub(this.loc).mul(this.scale.reciprocal()).div(Math.SQRT2).erf().add(1).mul(0.5);
  }

  override icdf(value: Tensor): Tensor {
    this.checkTensor("icdf", value);
    return this.loc.add(this.scale.mul(value.mul(2).sub(1).erfinv()).mul(Math.SQRT2));
  }

  /** θ = (loc / scale², -1 / (2 scale²)), as PyTorch's _natural_params. */
  override get naturalParams(): Tensor[] {
    return [this.loc.div(this.scale.pow(2)), this.scale.pow(2).reciprocal().mul(-0.5)];
  }
  override logNormalizer(x: Tensor, y: Tensor): Tensor {
    return x.pow(2).mul(-0.25).div(y).add(y.reciprocal().mul(-Math.PI).log().mul(0.5));
  }
  /** 0, as PyTorch's _mean_carrier_measure. */
  override get meanCarrierMeasure(): number {
    return 0;
  }
  override entropy(): Tensor {
    return this.scale.log().add(0.5 + 0.5 * Math.log(2 * Math.PI));
  }

  protected override expandTo(batchShape: number[]): Normal {
    return new Normal(this.loc.expand(batchShape), this.scale.expand(batchShape), { validateArgs: false });
  }
}

/**
 * LogNormal(loc, scale): exp(X) for X ~ Normal(loc, scale) (PyTorch's TransformedDistribution of a
 * Normal by exp); `baseDist` is that Normal.
 */
export class LogNormal extends Distribution {
  readonly baseDist: Normal;

  constructor(loc: Tensor | number, scale: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("LogNormal", opts, KEYS);
    const base = new Normal(loc, scale, { validateArgs: false });
    super("LogNormal", base.batchShape, [], o.validateArgs);
    this.baseDist = base;
    this.checkParams([["loc", base.loc, constraints.real, LOC_FIX], ["scale", base.scale, constraints.positive, SCALE_FIX]]);
  }

  get loc(): Tensor {
    return this.baseDist.loc;
  }
  get scale(): Tensor {
    return this.baseDist.scale;
  }
  override get support(): constraints.Constraint {
    return constraints.positive;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override get mean(): Tensor {
    return this.loc.add(this.scale.pow(2).div(2)).exp();
  }
  override get mode(): Tensor {
    return this.loc.sub(this.scale.square()).exp();
  }
  override get variance(): Tensor {
    const s2 = this.scale.pow(2);
    return s2.expm1().mul(this.loc.mul(2).add(s2).exp());
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    return randn(shape, { dtype: this.loc.dtype, generator }).mul(this.scale).add(this.loc).exp();
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const x = value.log();
    return this.baseDist.logProb(x).sub(x);
  }

  override cdf(value: Tensor): Tensor {
    // PyTorch validates log(value) against the base's support, so 0 (log -inf) passes.
    this.checkValue("cdf", value, constraints.nonnegative);
    return this.baseDist.cdf(value.log());
  }

  override icdf(value: Tensor): Tensor {
    this.checkTensor("icdf", value);
    return this.baseDist.icdf(value).exp();
  }

  override entropy(): Tensor {
    return this.baseDist.entropy().add(this.loc);
  }

  protected override expandTo(batchShape: number[]): LogNormal {
    return new LogNormal(this.loc.expand(batchShape), this.scale.expand(batchShape), { validateArgs: false });
  }
}
