/**
 * VonMises(loc, concentration), the circular normal on [-pi, pi), and LogisticNormal(loc, scale), a
 * Normal through StickBreakingTransform onto the simplex, as torch.distributions 1.13. VonMises uses
 * PyTorch's polynomial approximations of log I0 and log I1 (Abramowitz and Stegun 9.8.1-9.8.4) and
 * its rejection sampler (Best and Fisher 1979); it has no rsample, as in PyTorch.
 */
import { Tensor, type Generator, where, defaultGenerator, tensor } from "../core.js";
import { Distribution, broadcastAll, readOptions, getDefaultValidateArgs, type DistributionOptions } from "./distribution.js";
import * as constraints from "./constraints.js";
import { Normal } from "./normal.js";
import { TransformedDistribution } from "./transformed.js";
import { StickBreakingTransform } from "./transforms.js";

const I0_SMALL = [1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.360768e-1, 0.45813e-2];
const I0_LARGE = [0.39894228, 0.1328592e-1, 0.225319e-2, -0.157565e-2, 0.916281e-2, -0.2057706e-1, 0.2635537e-1, -0.1647633e-1, 0.392377e-2];
const I1_SMALL = [0.5, 0.87890594, 0.51498869, 0.15084934, 0.2658733e-1, 0.301532e-2, 0.32411e-3];
const I1_LARGE = [0.39894228, -0.3988024e-1, -0.362018e-2, 0.163801e-2, -0.1031555e-1, 0.2282967e-1, -0.2895312e-1, 0.1787654e-1, -0.420059e-2];

function evalPoly(y: Tensor, coef: number[]): Tensor {
  let r: Tensor = y.mul(0).add(coef[coef.length - 1]);
  for (let i = coef.length - 2; i >= 0; i--) r = y.mul(r).add(coef[i]);
  return r;
}

/** log I_order(x) for order 0 or 1 (PyTorch's _log_modified_bessel_fn). */
export function logModifiedBessel(x: Tensor, order: 0 | 1): Tensor {
  const ys = x.div(3.75).square();
  let small = evalPoly(ys, order === 0 ? I0_SMALL : I1_SMALL);
  if (order === 1) small = x.abs().mul(small);
  small = small.log();
  const yl = x.reciprocal().mul(3.75);
  const large = x.sub(x.log().mul(0.5)).add(evalPoly(yl, order === 0 ? I0_LARGE : I1_LARGE).log());
  return where(x.lt(3.75), small, large);
}

export class VonMises extends Distribution {
  readonly loc: Tensor;
  readonly concentration: Tensor;
  private readonly proposalR: Tensor;

  /** `new VonMises(loc, concentration)`: concentration > 0. */
  constructor(loc: Tensor | number, concentration: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("VonMises", opts, ["validateArgs"]);
    const [l, c] = broadcastAll("VonMises", [["loc", loc], ["concentration", concentration]]);
    super("VonMises", l.shape, [], o.validateArgs);
    this.loc = l;
    this.concentration = c;
    const tau = c.square().mul(4).add(1).sqrt().add(1);
    const rho = tau.sub(tau.mul(2).sqrt()).div(c.mul(2));
    this.proposalR = rho.square().add(1).div(rho.mul(2));
    this.checkParams([["loc", l, constraints.real, "loc must not be NaN"], ["concentration", c, constraints.positive, "pass a positive concentration"]]);
  }
  override get support(): constraints.Constraint {
    return constraints.real;
  }
  override get mean(): Tensor {
    return this.loc;
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get variance(): Tensor {
    return logModifiedBessel(this.concentration, 1).sub(logModifiedBessel(this.concentration, 0)).exp().neg().add(1);
  }
  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    return this.concentration.mul(value.sub(this.loc).cos()).sub(Math.log(2 * Math.PI)).sub(logModifiedBessel(this.concentration, 0));
  }
  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const g = generator ?? defaultGenerator;
    const loc = this.loc.detach().expand(shape).contiguous().numbers();
    const k = this.concentration.detach().expand(shape).contiguous().numbers();
    const r = this.proposalR.detach().expand(shape).contiguous().numbers();
    const out = new Float64Array(loc.length);
    for (let i = 0; i < out.length; i++) {
      let x = 0;
      for (;;) {
        const u1 = g.random(), u2 = g.random(), u3 = g.random();
        const z = Math.cos(Math.PI * u1);
        const f = (1 + r[i] * z) / (r[i] + z);
        const c = k[i] * (r[i] - f);
        if (c * (2 - c) - u2 > 0 || Math.log(c / u2) + 1 - c >= 0) {
          x = Math.sign(u3 - 0.5) * Math.acos(f);
          break;
        }
      }
      const y = x + Math.PI + loc[i];
      out[i] = y - 2 * Math.PI * Math.floor(y / (2 * Math.PI)) - Math.PI;
    }
    return tensor(Array.from(out), { dtype: "float64" }).reshape(shape).to(this.loc.dtype);
  }
  protected override expandTo(batchShape: number[]): VonMises {
    return new VonMises(this.loc.expand(batchShape), this.concentration.expand(batchShape), { validateArgs: false });
  }
}

/** LogisticNormal(loc, scale): StickBreakingTransform of Normal(loc, scale) reinterpreted as a vector; samples on the simplex. */
export class LogisticNormal extends TransformedDistribution {
  constructor(loc: Tensor | number, scale: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("LogisticNormal", opts, ["validateArgs"]);
    let base: Distribution = new Normal(loc, scale, { validateArgs: o.validateArgs });
    if (base.batchShape.length === 0) base = base.expand([1]);
    super(base, [new StickBreakingTransform()], { validateArgs: false });
    this.family = "LogisticNormal";
    this.validateArgs = o.validateArgs ?? getDefaultValidateArgs();
  }
  private get normal(): Normal {
    return (this.baseDist as unknown as { baseDist: Normal }).baseDist;
  }
  get loc(): Tensor {
    return this.normal.loc;
  }
  get scale(): Tensor {
    return this.normal.scale;
  }
  override get support(): constraints.Constraint {
    return constraints.simplex;
  }
  protected override expandTo(batchShape: number[]): LogisticNormal {
    const k = this.eventShape[0] - 1;
    return new LogisticNormal(this.loc.expand([...batchShape, k]), this.scale.expand([...batchShape, k]), { validateArgs: false });
  }
}
