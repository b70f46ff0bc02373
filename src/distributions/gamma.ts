/**
 * Gamma(concentration, rate), Dirichlet(concentration) and Beta(concentration1, concentration0), as
 * torch.distributions, with PyTorch's implicit reparameterization gradients in rsample
 * (gamma-grad.ts): the sample is drawn here, its derivative in the concentration is PyTorch's
 * approximation of -(d cdf / d alpha) / pdf at that sample.
 *
 * ```ts
 * const b = new Beta(a, c);            // a, c require grad
 * b.rsample([8]).mean().backward();    // gradients reach a and c
 * ```
 */
import { ExponentialFamily } from "./exp-family.js";
import { Tensor, type Generator, stack, where, oneHot } from "../core.js";
import { Distribution, broadcastAll, readOptions, getDefaultValidateArgs, type DistributionOptions } from "./distribution.js";
import * as constraints from "./constraints.js";
import { finfo } from "./utils.js";
import { sampleDirichlet, standardGamma } from "./gamma-grad.js";

const KEYS = ["validateArgs"];
const POS_FIX = "pass positive values, e.g. raw.exp() or nn.functional.softplus(raw)";

export class Gamma extends ExponentialFamily {
  readonly concentration: Tensor;
  readonly rate: Tensor;

  /** `new Gamma(concentration, rate)`: both > 0. */
  constructor(concentration: Tensor | number, rate: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("Gamma", opts, KEYS);
    const [c, r] = broadcastAll("Gamma", [["concentration", concentration], ["rate", rate]]);
    super("Gamma", typeof concentration === "number" && typeof rate === "number" ? [] : c.shape, [], o.validateArgs);
    this.concentration = c;
    this.rate = r;
    this.checkParams([["concentration", c, constraints.positive, POS_FIX], ["rate", r, constraints.positive, POS_FIX]]);
  }

  override get support(): constraints.Constraint {
    return constraints.nonnegative;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override get mean(): Tensor {
    return this.concentration.div(this.rate);
  }
  override get mode(): Tensor {
    return this.concentration.sub(1).div(this.rate).clampMin(0);
  }
  override get variance(): Tensor {
    return this.concentration.div(this.rate.pow(2));
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const c = this.concentration.expand(shape), r = this.rate.expand(shape);
    return standardGamma(c, generator).div(r).clampMin(finfo(c.dtype).tiny);
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const c = this.concentration;
    return c.xlogy(this.rate).add(c.sub(1).xlogy(value)).sub(this.rate.mul(value)).sub(c.lgamma());
  }

  /** θ = (concentration - 1, -rate), as PyTorch's _natural_params. */
  override get naturalParams(): Tensor[] {
    return [this.concentration.sub(1), this.rate.neg()];
  }
  override logNormalizer(x: Tensor, y: Tensor): Tensor {
    return x.add(1).lgamma().add(x.add(1).mul(y.reciprocal().neg().log()));
  }
  /** 0, as PyTorch's _mean_carrier_measure. */
  override get meanCarrierMeasure(): number {
    return 0;
  }
  override entropy(): Tensor {
    const c = this.concentration;
    return c.sub(this.rate.log()).add(c.lgamma()).add(c.neg().add(1).mul(c.digamma()));
  }

  protected override expandTo(batchShape: number[]): Gamma {
    return new Gamma(this.concentration.expand(batchShape), this.rate.expand(batchShape), { validateArgs: false });
  }
}

/** Chi2(df) = Gamma(df / 2, 1 / 2), as torch.distributions.Chi2. */
export class Chi2 extends Gamma {
  /** `new Chi2(df)`: df > 0. */
  constructor(df: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("Chi2", opts, KEYS);
    const [d] = broadcastAll("Chi2", [["df", df]]);
    super(typeof df === "number" ? df * 0.5 : d.mul(0.5), 0.5, { validateArgs: false });
    this.family = "Chi2";
    this.validateArgs = o.validateArgs ?? getDefaultValidateArgs();
    this.checkParams([["df", d, constraints.positive, "pass positive degrees of freedom"]]);
  }

  get df(): Tensor {
    return this.concentration.mul(2);
  }

  protected override expandTo(batchShape: number[]): Chi2 {
    return new Chi2(this.df.expand(batchShape), { validateArgs: false });
  }
}

export class Dirichlet extends ExponentialFamily {
  readonly concentration: Tensor;

  /** `new Dirichlet(concentration)`: at least 1-D, positive; the categories along the last dim. */
  constructor(concentration: Tensor, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("Dirichlet", opts, KEYS);
    const [c] = broadcastAll("Dirichlet", [["concentration", concentration]]);
    if (c.ndim < 1) throw new Error("Dirichlet: concentration must be at least one-dimensional (the categories along the last dim), got a 0-d tensor; write tensor([...])");
    super("Dirichlet", c.shape.slice(0, -1), c.shape.slice(-1), o.validateArgs);
    this.concentration = c;
    this.checkParams([["concentration", c, constraints.independent(constraints.positive, 1), POS_FIX]]);
  }

  override get support(): constraints.Constraint {
    return constraints.simplex;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override get mean(): Tensor {
    return this.concentration.div(this.concentration.sum(-1, { keepdim: true }));
  }
  /** (c - 1)+ normalized; where every concentration is below 1, a vertex (PyTorch's). */
  override get mode(): Tensor {
    const c = this.concentration;
    const m1 = c.sub(1).clampMin(0);
    const mode = m1.div(m1.sum(-1, { keepdim: true }));
    const allBelow = c.lt(1).all(-1, true);
    const vertex = oneHot(mode.detach().argmax(-1), c.shape.at(-1)!).to(c.dtype);
    return where(allBelow.expand(mode.shape), vertex, mode);
  }
  override get variance(): Tensor {
    const c = this.concentration, c0 = c.sum(-1, { keepdim: true });
    return c.mul(c0.sub(c)).div(c0.pow(2).mul(c0.add(1)));
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const f = finfo(this.concentration.dtype);
    return sampleDirichlet(this.concentration.expand(shape), generator, f.tiny, f.eps);
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const c = this.concentration;
    return c.sub(1).xlogy(value).sum(-1).add(c.sum(-1).lgamma()).sub(c.lgamma().sum(-1));
  }

  /** θ = concentration, as PyTorch's _natural_params. */
  override get naturalParams(): Tensor[] {
    return [this.concentration];
  }
  override logNormalizer(x: Tensor): Tensor {
    return x.lgamma().sum(-1).sub(x.sum(-1).lgamma());
  }
  override entropy(): Tensor {
    const c = this.concentration, k = c.shape.at(-1)!, a0 = c.sum(-1);
    return c.lgamma().sum(-1).sub(a0.lgamma()).sub(a0.neg().add(k).mul(a0.digamma())).sub(c.sub(1).mul(c.digamma()).sum(-1));
  }

  protected override expandTo(batchShape: number[]): Dirichlet {
    return new Dirichlet(this.concentration.expand([...batchShape, ...this.eventShape]), { validateArgs: false });
  }
}

/** Set while expand builds a Beta around an expanded Dirichlet. */
let wrapping: Dirichlet | null = null;

export class Beta extends ExponentialFamily {
  /** The Dirichlet over (x, 1 - x) it wraps (PyTorch's _dirichlet). */
  readonly dirichlet: Dirichlet;

  /** `new Beta(concentration1, concentration0)`: both > 0 (alpha and beta). */
  constructor(concentration1?: Tensor | number, concentration0?: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("Beta", opts, KEYS);
    let d = wrapping;
    if (!d) {
      const [c1, c0] = broadcastAll("Beta", [["concentration1", concentration1!], ["concentration0", concentration0!]]);
      d = new Dirichlet(stack([c1, c0], -1), { validateArgs: false });
    }
    super("Beta", d.batchShape, [], wrapping ? false : o.validateArgs);
    this.dirichlet = d;
    if (!wrapping) this.checkParams([["concentration1", this.concentration1, constraints.positive, POS_FIX], ["concentration0", this.concentration0, constraints.positive, POS_FIX]]);
  }

  get concentration1(): Tensor {
    return this.dirichlet.concentration.select(-1, 0);
  }
  get concentration0(): Tensor {
    return this.dirichlet.concentration.select(-1, 1);
  }
  override get support(): constraints.Constraint {
    return constraints.unitInterval;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override get mean(): Tensor {
    return this.concentration1.div(this.concentration1.add(this.concentration0));
  }
  override get mode(): Tensor {
    return this.dirichlet.mode.select(-1, 0);
  }
  override get variance(): Tensor {
    const total = this.concentration1.add(this.concentration0);
    return this.concentration1.mul(this.concentration0).div(total.pow(2).mul(total.add(1)));
  }

  protected override draw(shape: number[], generator: Generator | undefined, reparameterized: boolean): Tensor {
    const s = shape.slice(0, shape.length - this.batchShape.length);
    return (reparameterized ? this.dirichlet.rsample(s, { generator }) : this.dirichlet.sample(s, { generator })).select(-1, 0);
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    return this.dirichlet.logProb(stack([value, value.neg().add(1)], -1));
  }

  /** θ = (concentration1, concentration0), as PyTorch's _natural_params. */
  override get naturalParams(): Tensor[] {
    return [this.concentration1, this.concentration0];
  }
  override logNormalizer(x: Tensor, y: Tensor): Tensor {
    return x.lgamma().add(y.lgamma()).sub(x.add(y).lgamma());
  }
  override entropy(): Tensor {
    return this.dirichlet.entropy();
  }

  protected override expandTo(batchShape: number[]): Beta {
    wrapping = this.dirichlet.expand(batchShape);
    try {
      return new Beta();
    } finally {
      wrapping = null;
    }
  }
}
