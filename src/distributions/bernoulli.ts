/**
 * Bernoulli and Geometric, parameterized by probs or logits (log-odds), as torch.distributions. The
 * other parameter is derived when first read (probs = sigmoid(logits), logits = log(p) - log1p(-p)
 * with p clamped to [eps, 1 - eps]), so gradients flow to whichever one was given. Neither has rsample.
 *
 * ```ts
 * new Bernoulli(tensor([0.3, 0.9])).sample([5]);        // [5, 2] of 0/1
 * new Bernoulli({ logits: decoderOut }).logProb(x);     // = -BCEWithLogits(decoderOut, x)
 * ```
 */
import { Tensor, type Generator, arange, where, zerosLike, bernoulli, rand } from "../core.js";
import { Distribution, broadcastAll } from "./distribution.js";
import * as constraints from "./constraints.js";
import { ExponentialFamily } from "./exp-family.js";
import { probsOrLogits, type ProbsOptions } from "./probs-logits.js";
import { bceWithLogits, finfo, logitsToProbs, probsToLogits, lazy } from "./utils.js";

/** Shared by the binary families: the given parameter and the derived one, computed once. */
abstract class BinaryBase extends Distribution {
  protected probsGiven: Tensor | null = null;
  protected logitsGiven: Tensor | null = null;
  private probsCache: Tensor | null = null;
  private logitsCache: Tensor | null = null;

  protected init(probs: Tensor | number | undefined, logits: Tensor | number | undefined): void {
    const fix = "pass probabilities in [0, 1], e.g. x.sigmoid(), or give { logits } instead";
    if (probs !== undefined) {
      this.probsGiven = broadcastAll(this.family, [["probs", probs]])[0];
      this.checkParams([["probs", this.probsGiven, constraints.unitInterval, fix]]);
    } else {
      this.logitsGiven = broadcastAll(this.family, [["logits", logits!]])[0];
      this.checkParams([["logits", this.logitsGiven, constraints.real, "logits must not be NaN"]]);
    }
  }

  get probs(): Tensor {
    return this.probsGiven ?? (this.probsCache ??= lazy(() => logitsToProbs(this.logitsGiven!, true)));
  }
  get logits(): Tensor {
    return this.logitsGiven ?? (this.logitsCache ??= lazy(() => probsToLogits(this.probsGiven!, true)));
  }
  /** The parameter given (probs or logits). */
  protected get param(): Tensor {
    return this.probsGiven ?? this.logitsGiven!;
  }
  protected paramShape(p: Tensor | number | undefined, l: Tensor | number | undefined): readonly number[] {
    const v = p ?? l;
    return typeof v === "number" ? [] : (v as Tensor).shape;
  }
  protected expandedParams(batchShape: number[]): ProbsOptions {
    return this.probsGiven ? { probs: this.probsGiven.expand(batchShape), validateArgs: false } : { logits: this.logitsGiven!.expand(batchShape), validateArgs: false };
  }
}

export class Bernoulli extends BinaryBase {
  /** `new Bernoulli(probs)`, `new Bernoulli(null, logits)` or `new Bernoulli({ logits })`. */
  constructor(probs?: Tensor | number | null | ProbsOptions, logits?: Tensor | number | null | ProbsOptions, opts?: ProbsOptions) {
    const a = probsOrLogits("Bernoulli", [probs, logits, opts]);
    super("Bernoulli", [], [], a.validateArgs);
    this.batchShape.push(...this.paramShape(a.probs, a.logits));
    this.init(a.probs, a.logits);
  }

  override get support(): constraints.Constraint {
    return constraints.boolean;
  }
  override get hasEnumerateSupport(): boolean {
    return true;
  }
  override get mean(): Tensor {
    return this.probs;
  }
  /** 1 where probs > 0.5, 0 below, NaN at 0.5 (PyTorch's). */
  override get mode(): Tensor {
    const p = this.probs;
    return where(p.eq(0.5), NaN, p.ge(0.5).to(p.dtype));
  }
  override get variance(): Tensor {
    return this.probs.mul(this.probs.neg().add(1));
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    return bernoulli(this.probs.detach().expand(shape).contiguous(), null, { generator });
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const [l, v] = broadcastAll("Bernoulli.logProb", [["logits", this.logits], ["value", value]]);
    return bceWithLogits(l, v).neg();
  }

  override entropy(): Tensor {
    return bceWithLogits(this.logits, this.probs);
  }

  override enumerateSupport(expand = true): Tensor {
    const v = arange(2, { dtype: this.param.dtype }).reshape([-1, ...this.batchShape.map(() => 1)]);
    return expand ? v.expand([2, ...this.batchShape]) : v;
  }

  /** θ = log(probs / (1 - probs)), as PyTorch's _natural_params (Bernoulli is an ExponentialFamily). */
  get naturalParams(): Tensor[] {
    return [this.probs.div(this.probs.neg().add(1)).log()];
  }
  logNormalizer(x: Tensor): Tensor {
    return x.exp().add(1).log();
  }
  get meanCarrierMeasure(): number {
    return 0;
  }

  protected override expandTo(batchShape: number[]): Bernoulli {
    return new Bernoulli(this.expandedParams(batchShape));
  }
}

/**
 * Geometric(probs | logits): the number of failures before the first success (0, 1, 2, ...), as
 * torch.distributions.Geometric; probs in (0, 1].
 */
export class Geometric extends BinaryBase {
  constructor(probs?: Tensor | number | null | ProbsOptions, logits?: Tensor | number | null | ProbsOptions, opts?: ProbsOptions) {
    const a = probsOrLogits("Geometric", [probs, logits, opts]);
    super("Geometric", [], [], a.validateArgs);
    this.batchShape.push(...this.paramShape(a.probs, a.logits));
    this.init(a.probs, a.logits);
    if (this.probsGiven) this.checkParams([["probs", this.probsGiven, constraints.positive, "Geometric needs probs > 0 (a success must be possible)"]]);
  }

  override get support(): constraints.Constraint {
    return constraints.nonnegativeInteger;
  }
  override get mean(): Tensor {
    return this.probs.reciprocal().sub(1);
  }
  override get mode(): Tensor {
    return zerosLike(this.probs.detach());
  }
  override get variance(): Tensor {
    return this.probs.reciprocal().sub(1).div(this.probs);
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const p = this.probs.detach();
    const u = rand(shape, { dtype: p.dtype, generator }).clampMin(finfo(p.dtype).tiny);
    return u.log().div(p.neg().log1p()).floor();
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const [v, p] = broadcastAll("Geometric.logProb", [["value", value], ["probs", this.probs]]);
    // probs == 1 and value == 0: log(1) weighted by 0, not 0 * -inf.
    const q = where(p.eq(1).logicalAnd(v.eq(0)), zerosLike(p), p);
    return v.mul(q.neg().log1p()).add(this.probs.log());
  }

  override entropy(): Tensor {
    return bceWithLogits(this.logits, this.probs).div(this.probs);
  }

  protected override expandTo(batchShape: number[]): Geometric {
    return new Geometric(this.expandedParams(batchShape));
  }
}

ExponentialFamily.registerMember(Bernoulli);
