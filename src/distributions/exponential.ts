/**
 * Exponential(rate) and Laplace(loc, scale), as torch.distributions; both have rsample
 * (Exp(1) / rate, and loc - scale sign(u) log1p(-|u|) with u ~ U(-1, 1)).
 */
import { ExponentialFamily } from "./exp-family.js";
import { type Tensor, type Generator, rand, zerosLike } from "../core.js";
import { Distribution, broadcastAll, readOptions, type DistributionOptions } from "./distribution.js";
import * as constraints from "./constraints.js";
import { finfo, standardExponential } from "./utils.js";

const KEYS = ["validateArgs"];

export class Exponential extends ExponentialFamily {
  readonly rate: Tensor;

  /** `new Exponential(rate)`: rate > 0. */
  constructor(rate: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("Exponential", opts, KEYS);
    const [r] = broadcastAll("Exponential", [["rate", rate]]);
    super("Exponential", typeof rate === "number" ? [] : r.shape, [], o.validateArgs);
    this.rate = r;
    this.checkParams([["rate", r, constraints.positive, "pass a positive rate, e.g. logRate.exp()"]]);
  }

  override get support(): constraints.Constraint {
    return constraints.nonnegative;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override get mean(): Tensor {
    return this.rate.reciprocal();
  }
  override get mode(): Tensor {
    return zerosLike(this.rate.detach());
  }
  override get stddev(): Tensor {
    return this.rate.reciprocal();
  }
  override get variance(): Tensor {
    return this.rate.pow(-2);
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    return standardExponential(shape, this.rate.dtype, generator).div(this.rate);
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    return this.rate.log().sub(this.rate.mul(value));
  }

  override cdf(value: Tensor): Tensor {
    this.checkValue("cdf", value);
    return this.rate.neg().mul(value).exp().neg().add(1);
  }

  override icdf(value: Tensor): Tensor {
    this.checkTensor("icdf", value);
    return value.neg().log1p().neg().div(this.rate);
  }

  /** θ = -rate, as PyTorch's _natural_params. */
  override get naturalParams(): Tensor[] {
    return [this.rate.neg()];
  }
  override logNormalizer(x: Tensor): Tensor {
    return x.neg().log().neg();
  }
  override get meanCarrierMeasure(): number {
    return 0;
  }
  override entropy(): Tensor {
    return this.rate.log().neg().add(1);
  }

  protected override expandTo(batchShape: number[]): Exponential {
    return new Exponential(this.rate.expand(batchShape), { validateArgs: false });
  }
}

export class Laplace extends Distribution {
  readonly loc: Tensor;
  readonly scale: Tensor;

  /** `new Laplace(loc, scale)`: scale > 0. */
  constructor(loc: Tensor | number, scale: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("Laplace", opts, KEYS);
    const [l, s] = broadcastAll("Laplace", [["loc", loc], ["scale", scale]]);
    super("Laplace", typeof loc === "number" && typeof scale === "number" ? [] : l.shape, [], o.validateArgs);
    this.loc = l;
    this.scale = s;
    this.checkParams([["loc", l, constraints.real, "loc must not be NaN"], ["scale", s, constraints.positive, "pass a positive scale, e.g. logScale.exp()"]]);
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
  override get variance(): Tensor {
    return this.scale.pow(2).mul(2);
  }
  override get stddev(): Tensor {
    return this.scale.mul(2 ** 0.5);
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    // PyTorch's uniform_(eps - 1, 1): u in (-1, 1), so log1p(-|u|) stays finite.
    const eps = finfo(this.loc.dtype).eps;
    const u = rand(shape, { dtype: this.loc.dtype, generator }).mul(2 - eps).add(eps - 1);
    return this.loc.sub(this.scale.mul(u.sign()).mul(u.abs().neg().log1p()));
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    return this.scale.mul(2).log().neg().sub(value.sub(this.loc).abs().div(this.scale));
  }

  override cdf(value: Tensor): Tensor {
    this.checkValue("cdf", value);
    const d = value.sub(this.loc);
    return d.sign().mul(d.abs().neg().div(this.scale).expm1()).mul(-0.5).add(0.5);
  }

  override icdf(value: Tensor): Tensor {
    this.checkTensor("icdf", value);
    const term = value.sub(0.5);
    return this.loc.sub(this.scale.mul(term.sign()).mul(term.abs().mul(-2).log1p()));
  }

  override entropy(): Tensor {
    return this.scale.mul(2).log().add(1);
  }

  protected override expandTo(batchShape: number[]): Laplace {
    return new Laplace(this.loc.expand(batchShape), this.scale.expand(batchShape), { validateArgs: false });
  }
}
