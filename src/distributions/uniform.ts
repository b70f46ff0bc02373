/**
 * Uniform(low, high) on [low, high), as torch.distributions.Uniform; rsample is
 * low + u (high - low) with u ~ U[0, 1), so gradients reach low and high.
 *
 * ```ts
 * new Uniform(0, tensor([1, 2])).sample([3]);   // [3, 2]
 * ```
 */
import { type Tensor, type Generator, where, fullLike, rand } from "../core.js";
import { Distribution, broadcastAll, readOptions, type DistributionOptions } from "./distribution.js";
import * as constraints from "./constraints.js";

export class Uniform extends Distribution {
  readonly low: Tensor;
  readonly high: Tensor;

  /** `new Uniform(low, high)`: low < high everywhere (checked when validateArgs). */
  constructor(low: Tensor | number, high: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("Uniform", opts, ["validateArgs"]);
    const [l, h] = broadcastAll("Uniform", [["low", low], ["high", high]]);
    super("Uniform", typeof low === "number" && typeof high === "number" ? [] : l.shape, [], o.validateArgs);
    this.low = l;
    this.high = h;
    if (this.validateArgs) {
      const ok = l.detach().lt(h.detach());
      const d = ok.contiguous().numbers();
      const i = d.findIndex((v) => !v);
      if (i >= 0) {
        const lv = l.detach().contiguous().numbers()[i], hv = h.detach().contiguous().numbers()[i];
        throw new Error(`Uniform: low must be less than high everywhere, got low ${lv} and high ${hv}${l.ndim ? ` at flat index ${i} (shape [${l.shape.join(", ")}])` : ""}; swap them or widen the interval`);
      }
    }
  }

  override get support(): constraints.Constraint {
    return constraints.interval(this.low, this.high);
  }
  override get hasRsample(): boolean {
    return true;
  }
  override get mean(): Tensor {
    return this.high.add(this.low).div(2);
  }
  /** NaN: every point of the interval is a mode (PyTorch's). */
  override get mode(): Tensor {
    return fullLike(this.high.detach(), NaN).mul(this.high);
  }
  override get stddev(): Tensor {
    return this.high.sub(this.low).div(12 ** 0.5);
  }
  override get variance(): Tensor {
    return this.high.sub(this.low).pow(2).div(12);
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const u = rand(shape, { dtype: this.low.dtype, generator });
    return this.low.add(u.mul(this.high.sub(this.low)));
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const lb = this.low.le(value).to(this.low.dtype);
    const ub = this.high.gt(value).to(this.low.dtype);
    return lb.mul(ub).log().sub(this.high.sub(this.low).log());
  }

  override cdf(value: Tensor): Tensor {
    this.checkValue("cdf", value);
    return value.sub(this.low).div(this.high.sub(this.low)).clamp(0, 1);
  }

  override icdf(value: Tensor): Tensor {
    this.checkTensor("icdf", value);
    return value.mul(this.high.sub(this.low)).add(this.low);
  }

  override entropy(): Tensor {
    return this.high.sub(this.low).log();
  }

  protected override expandTo(batchShape: number[]): Uniform {
    return new Uniform(this.low.expand(batchShape), this.high.expand(batchShape), { validateArgs: false });
  }
}

/** For the KL pairs: where(cond, inf, x) (PyTorch's x[cond] = inf). */
export function infWhere(cond: Tensor, x: Tensor): Tensor {
  return where(cond, Infinity, x);
}
