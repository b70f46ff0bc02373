/**
 * Categorical and OneHotCategorical over the last dimension of probs (non-negative weights,
 * normalized here) or logits (unnormalized log-probabilities), as torch.distributions.
 *
 * ```ts
 * const c = new Categorical({ logits: scores });   // scores [batch, K]
 * c.sample();                                      // int64 [batch]
 * c.logProb(labels);                               // [batch]
 * ```
 */
import { Tensor, type Generator, arange, fullLike, full, multinomial, where, oneHot } from "../core.js";
import { Distribution, broadcastAll, broadcastShapesOrNull, type SampleOptions } from "./distribution.js";
import * as constraints from "./constraints.js";
import { probsOrLogits, type ProbsOptions } from "./probs-logits.js";
import { finfo, logitsToProbs, probsToLogits, lazy } from "./utils.js";

export class Categorical extends Distribution {
  private probsGiven: Tensor | null = null;
  private logitsGiven: Tensor | null = null;
  private probsCache: Tensor | null = null;
  private logitsCache: Tensor | null = null;

  /** `new Categorical(probs)` or `new Categorical({ logits })`: at least 1-D, the categories along the last dim. */
  constructor(probs?: Tensor | null | ProbsOptions, logits?: Tensor | null | ProbsOptions, opts?: ProbsOptions) {
    const a = probsOrLogits("Categorical", [probs, logits, opts]);
    const which = a.probs !== undefined ? "probs" : "logits";
    const p = (a.probs ?? a.logits) as Tensor;
    const [t] = broadcastAll("Categorical", [[which, p]]);
    if (t.ndim < 1) throw new Error(`Categorical: ${which} must be at least one-dimensional (the categories along the last dim), got a 0-d tensor; write tensor([...])`);
    super("Categorical", t.shape.slice(0, -1), [], a.validateArgs);
    if (which === "probs") {
      this.probsGiven = t.div(t.sum(-1, { keepdim: true }));
      // Checked after normalizing, as PyTorch: unnormalized weights are fine, negative ones are not.
      this.checkParams([["probs", this.probsGiven, constraints.simplex, "pass non-negative weights along the last dim (at least one positive), or give { logits }"]]);
    } else {
      this.logitsGiven = t.sub(t.logsumexp(-1, { keepdim: true }));
      this.checkParams([["logits", this.logitsGiven, constraints.independent(constraints.real, 1), "logits must not be NaN"]]);
    }
  }

  get probs(): Tensor {
    return this.probsGiven ?? (this.probsCache ??= lazy(() => logitsToProbs(this.logitsGiven!, false)));
  }
  /** Normalized log-probabilities. */
  get logits(): Tensor {
    return this.logitsGiven ?? (this.logitsCache ??= lazy(() => probsToLogits(this.probsGiven!, false)));
  }
  /** The number of categories (PyTorch's _num_events). */
  get numEvents(): number {
    return (this.probsGiven ?? this.logitsGiven!).shape.at(-1)!;
  }
  get paramShape(): number[] {
    return [...(this.probsGiven ?? this.logitsGiven!).shape];
  }
  override get support(): constraints.Constraint {
    return constraints.integerInterval(0, this.numEvents - 1);
  }
  override get hasEnumerateSupport(): boolean {
    return true;
  }
  override get mean(): Tensor {
    return full(this.extendedShape(), NaN, { dtype: this.probs.dtype });
  }
  override get mode(): Tensor {
    return this.probs.argmax(-1);
  }
  override get variance(): Tensor {
    return full(this.extendedShape(), NaN, { dtype: this.probs.dtype });
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const k = this.numEvents;
    const n = shape.slice(0, shape.length - this.batchShape.length).reduce((x, y) => x * y, 1);
    const p2 = this.probs.detach().reshape([-1, k]);
    if (n === 0 || p2.shape[0] === 0) return full(shape, 0, { dtype: "int64" });
    const s = multinomial(p2, n, true, { generator }).t();
    return s.contiguous().reshape(shape);
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    const v = value.to("int64").unsqueeze(-1);
    const shape = broadcastShapesOrNull(v.shape, this.logits.shape);
    if (!shape) throw new Error(`Categorical.logProb: value of shape [${value.shape.join(", ")}] does not broadcast with batchShape [${this.batchShape.join(", ")}]`);
    const logPmf = this.logits.expand(shape);
    const idx = v.expand([...shape.slice(0, -1), 1]);
    return logPmf.gather(-1, idx).squeeze(-1);
  }

  override entropy(): Tensor {
    const l = this.logits.clampMin(finfo(this.logits.dtype).min);
    return l.mul(this.probs).sum(-1).neg();
  }

  override enumerateSupport(expand = true): Tensor {
    const v = arange(this.numEvents, { dtype: "int64" }).reshape([-1, ...this.batchShape.map(() => 1)]);
    return expand ? v.expand([this.numEvents, ...this.batchShape]) : v;
  }

  protected override expandTo(batchShape: number[]): Categorical {
    const s = [...batchShape, this.numEvents];
    return new Categorical(this.probsGiven ? { probs: this.probsGiven.expand(s), validateArgs: false } : { logits: this.logitsGiven!.expand(s), validateArgs: false });
  }
}

/** Set while expand builds a OneHotCategorical around an expanded Categorical (PyTorch's new._categorical = ...). */
let wrapping: Categorical | null = null;

/** OneHotCategorical: a Categorical whose samples are one-hot vectors (eventShape [K]). */
export class OneHotCategorical extends Distribution {
  /** The Categorical it wraps (PyTorch's _categorical). */
  readonly categorical: Categorical;

  constructor(probs?: Tensor | null | ProbsOptions, logits?: Tensor | null | ProbsOptions, opts?: ProbsOptions) {
    const a = wrapping ? {} as ReturnType<typeof probsOrLogits> : probsOrLogits("OneHotCategorical", [probs, logits, opts]);
    const c = wrapping ?? new Categorical(a.probs !== undefined ? { probs: a.probs as Tensor, validateArgs: a.validateArgs } : { logits: a.logits as Tensor, validateArgs: a.validateArgs });
    super("OneHotCategorical", c.batchShape, [c.numEvents], wrapping ? false : a.validateArgs);
    this.categorical = c;
  }

  get probs(): Tensor {
    return this.categorical.probs;
  }
  get logits(): Tensor {
    return this.categorical.logits;
  }
  override get support(): constraints.Constraint {
    return constraints.oneHot;
  }
  override get hasEnumerateSupport(): boolean {
    return true;
  }
  override get mean(): Tensor {
    return this.probs;
  }
  override get mode(): Tensor {
    const p = this.probs;
    return oneHot(p.argmax(-1), p.shape.at(-1)!).to(p.dtype);
  }
  override get variance(): Tensor {
    return this.probs.mul(this.probs.neg().add(1));
  }

  protected override draw(shape: number[], generator: Generator | undefined): Tensor {
    const k = this.categorical.numEvents;
    const idx = this.categorical.sample(shape.slice(0, shape.length - 1 - this.batchShape.length), { generator });
    return oneHot(idx, k).to(this.probs.dtype);
  }

  override logProb(value: Tensor): Tensor {
    this.checkValue("logProb", value);
    return this.categorical.logProb(value.max(-1).indices);
  }

  override entropy(): Tensor {
    return this.categorical.entropy();
  }

  override enumerateSupport(expand = true): Tensor {
    const n = this.eventShape[0];
    const v = oneHot(arange(n, { dtype: "int64" }), n).to(this.probs.dtype).reshape([n, ...this.batchShape.map(() => 1), n]);
    return expand ? v.expand([n, ...this.batchShape, n]) : v;
  }

  protected override expandTo(batchShape: number[]): OneHotCategorical {
    wrapping = this.categorical.expand(batchShape);
    try {
      return new OneHotCategorical();
    } finally {
      wrapping = null;
    }
  }
}

/** For the KL pairs: where(cond, v, x). */
export function fillWhere(cond: Tensor, v: number, x: Tensor): Tensor {
  return where(cond, fullLike(x.detach(), v), x);
}

/**
 * OneHotCategoricalStraightThrough: OneHotCategorical with PyTorch's straight-through rsample,
 * sample + (probs - probs.detach()): the one-hot value forward, the gradient of probs backward.
 */
export class OneHotCategoricalStraightThrough extends OneHotCategorical {
  constructor(probs?: Tensor | null | ProbsOptions, logits?: Tensor | null | ProbsOptions, opts?: ProbsOptions) {
    super(probs, logits, opts);
    this.family = "OneHotCategoricalStraightThrough";
  }
  override get hasRsample(): boolean {
    return true;
  }
  override rsample(sampleShape?: readonly number[] | number | SampleOptions, opts?: SampleOptions): Tensor {
    const samples = this.sample(sampleShape, opts);
    const p = this.probs;
    return samples.add(p.sub(p.detach()));
  }
}
