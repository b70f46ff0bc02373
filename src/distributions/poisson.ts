/**
 * Poisson(rate) and Binomial(totalCount, probs | logits), as torch.distributions (no rsample).
 *
 * ```ts
 * new Poisson(tensor([0.5, 20])).sample([4]);          // [4, 2] counts
 * new Binomial(10, tensor([0.2, 0.7])).logProb(k);     // log C(10, k) p^k (1-p)^(10-k)
 * ```
 */
import { ExponentialFamily } from "./exp-family.js";
import { Tensor, type Generator, arange, poisson, tensor, defaultGenerator } from "../core.js";
import { describe } from "../tensor/check.js";
import { Distribution, broadcastAll, readOptions, type DistributionOptions } from "./distribution.js";
import * as constraints from "./constraints.js";
import { probsOrLogits, type ProbsOptions } from "./probs-logits.js";
import { logitsToProbs, probsToLogits, lazy } from "./utils.js";

export class Poisson extends ExponentialFamily {
  readonly rate: Tensor;

  /** `new Poisson(rate)`: rate >= 0. */
  constructor(rate: Tensor | number, opts?: DistributionOptions) {
    const o = readOptions<DistributionOptions>("Poisson", opts, ["validateArgs"]);
    const [r] = broadcastAll("Poisson", [["rate", rate]]);
    super("Poisson", typeof rate === "number" ? [] : r.shape, [], o.validateArgs);
    this.rate = r;
    this.checkParams([["rate", r, constraints.nonnegative, "pass a non-negative rate, e.g. logRate.exp()"]]);
  }

  override get support(): constraints.Constraint {
    return constraints.nonnegativeInteger;
  }
  override get mean(): Tensor {
    return this.rate;
  }
  override get mode(): Tensor {
    return this.rate.floor();
  }
  override get variance(): Tensor {
    return this.rate;
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    return poisson(this.rate.detach().expand(shape).contiguous(), { generator });
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const [r, v] = broadcastAll("Poisson.logProb", [["rate", this.rate], ["value", value.to(this.rate.dtype)]]);
    return v.xlogy(r).sub(r).sub(v.add(1).lgamma());
  }

  /** θ = log rate, as PyTorch's _natural_params. */
  override get naturalParams(): Tensor[] {
    return [this.rate.log()];
  }
  override logNormalizer(x: Tensor): Tensor {
    return x.exp();
  }

  protected override expandTo(batchShape: number[]): Poisson {
    return new Poisson(this.rate.expand(batchShape), { validateArgs: false });
  }
}

/** One Binomial(n, p) draw: inversion from the smaller tail, in chunks of trials whose q^n stays representable. */
function binomialDraw(n: number, p: number, g: { random(): number }): number {
  if (p > 0.5) return n - binomialDraw(n, 1 - p, g);
  if (p <= 0 || n === 0) return 0;
  const q = 1 - p, chunk = Math.max(1, Math.floor(500 / -Math.log(q)));
  let total = 0;
  for (let left = n; left > 0; left -= chunk) {
    const m = Math.min(chunk, left);
    let f = q ** m, k = 0, u = g.random();
    while (u > f && k < m) {
      u -= f;
      f *= ((m - k) / (k + 1)) * (p / q);
      k++;
    }
    total += k;
  }
  return total;
}

export class Binomial extends Distribution {
  readonly totalCount: Tensor;
  private probsGiven: Tensor | null = null;
  private logitsGiven: Tensor | null = null;
  private probsCache: Tensor | null = null;
  private logitsCache: Tensor | null = null;

  /** `new Binomial(totalCount, probs)` or `new Binomial(totalCount, { logits })` (totalCount default 1). */
  constructor(totalCount: Tensor | number = 1, probs?: Tensor | number | null | ProbsOptions, logits?: Tensor | number | null | ProbsOptions, opts?: ProbsOptions) {
    const a = probsOrLogits("Binomial", [probs, logits, opts]);
    const which = a.probs !== undefined ? "probs" : "logits";
    if (!(totalCount instanceof Tensor) && typeof totalCount !== "number") throw new Error(`Binomial: totalCount must be a Tensor or a number, got ${describe(totalCount)}`);
    const pv = (a.probs ?? a.logits)!;
    const tc = totalCount instanceof Tensor && !totalCount.dtype.startsWith("float") && totalCount.dtype !== "bfloat16" ? totalCount.to(pv instanceof Tensor ? pv.dtype : "float32") : totalCount;
    const [n, p] = broadcastAll("Binomial", [["totalCount", tc], [which, pv]]);
    super("Binomial", p.shape, [], a.validateArgs);
    this.totalCount = n.to(p.dtype);
    if (which === "probs") this.probsGiven = p;
    else this.logitsGiven = p;
    this.checkParams([
      ["totalCount", this.totalCount, constraints.nonnegativeInteger, "totalCount is the number of trials"],
      which === "probs" ? ["probs", p, constraints.unitInterval, "pass probabilities in [0, 1], e.g. x.sigmoid(), or give { logits }"] : ["logits", p, constraints.real, "logits must not be NaN"],
    ]);
  }

  get probs(): Tensor {
    return this.probsGiven ?? (this.probsCache ??= lazy(() => logitsToProbs(this.logitsGiven!, true)));
  }
  get logits(): Tensor {
    return this.logitsGiven ?? (this.logitsCache ??= lazy(() => probsToLogits(this.probsGiven!, true)));
  }
  override get support(): constraints.Constraint {
    return constraints.integerInterval(0, this.totalCount);
  }
  override get hasEnumerateSupport(): boolean {
    return true;
  }
  override get mean(): Tensor {
    return this.totalCount.mul(this.probs);
  }
  override get mode(): Tensor {
    return this.totalCount.add(1).mul(this.probs).floor().clampMax(this.totalCount);
  }
  override get variance(): Tensor {
    return this.totalCount.mul(this.probs).mul(this.probs.neg().add(1));
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const n = this.totalCount.detach().expand(shape).contiguous().numbers();
    const p = this.probs.detach().expand(shape).contiguous().numbers();
    const g = generator ?? defaultGenerator;
    const out = new Float64Array(n.length);
    for (let i = 0; i < out.length; i++) out[i] = binomialDraw(n[i], p[i], g);
    return tensor(Array.from(out), { dtype: "float64" }).reshape(shape).to(this.probs.dtype);
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const n = this.totalCount, l = this.logits;
    const lfn = n.add(1).lgamma(), lfk = value.add(1).lgamma(), lfnk = n.sub(value).add(1).lgamma();
    // PyTorch's _clamp_by_zero(l) = (l.clamp(min=0) + l - l.clamp(max=0)) / 2 keeps the gradient 1/2 at 0.
    const cbz = l.clampMin(0).add(l).sub(l.clampMax(0)).div(2);
    const norm = n.mul(cbz).add(n.mul(l.abs().neg().exp().log1p())).sub(lfn);
    return value.mul(l).sub(lfk).sub(lfnk).sub(norm);
  }

  override entropy(): Tensor {
    const v = this.supportValues(false, "entropy");
    const lp = this.logProb(v);
    return lp.exp().mul(lp).sum(0).neg();
  }

  override enumerateSupport(expand = true): Tensor {
    return this.supportValues(expand, "enumerateSupport");
  }

  private supportValues(expand: boolean, op: string): Tensor {
    const d = this.totalCount.detach().contiguous().numbers();
    const hi = Math.max(...d), lo = Math.min(...d);
    if (hi !== lo) throw new Error(`Binomial.${op}: not implemented for a batch with several totalCounts (as PyTorch 1.13), got totalCounts from ${lo} to ${hi}; split the batch by totalCount`);
    const v = arange(hi + 1, { dtype: this.probs.dtype }).reshape([-1, ...this.batchShape.map(() => 1)]);
    return expand ? v.expand([hi + 1, ...this.batchShape]) : v;
  }

  protected override expandTo(batchShape: number[]): Binomial {
    const n = this.totalCount.expand(batchShape);
    return new Binomial(n, this.probsGiven ? { probs: this.probsGiven.expand(batchShape), validateArgs: false } : { logits: this.logitsGiven!.expand(batchShape), validateArgs: false });
  }
}
