/**
 * torch.distributions.Distribution, the base of every family: batchShape and eventShape, sample
 * (no gradient) and rsample (reparameterized: gradients reach the parameters), logProb, cdf, icdf,
 * entropy, the moments as properties (mean, mode, variance, stddev), expand, and the argument
 * validation PyTorch does by default (`validateArgs`): parameters against their constraints at
 * construction, values against the support in logProb and cdf.
 *
 * Samples come from deeptype's Generator (docs/deviations.md): the same seed gives other values than
 * torch.manual_seed, with the same distribution; every family takes `{ generator }` in sample/rsample.
 *
 * ```ts
 * const d = new distributions.Normal(mu, sigma);
 * const z = d.rsample();                       // gradients flow to mu and sigma
 * const lp = d.logProb(z).sum();
 * d.sample([10], { generator: g });            // [10, ...batchShape], no gradient
 * ```
 */
import { Tensor, noGrad, tensor, isFloating, type DType, type Generator } from "../core.js";
import { describe } from "../tensor/check.js";
import type { Constraint } from "./constraints.js";

/** The options every family's constructor takes. */
export interface DistributionOptions {
  /** Check parameters and values (PyTorch's validate_args); default `Distribution.setDefaultValidateArgs`, initially true. */
  validateArgs?: boolean;
}

/** The options of sample / rsample: PyTorch's sample_shape (also positional, first) and a generator. */
export interface SampleOptions {
  sampleShape?: readonly number[] | number;
  generator?: Generator;
}

const fmt = (s: readonly number[]): string => `[${s.join(", ")}]`;

/** The shape of broadcasting shapes together, or null when they do not broadcast. */
export function broadcastShapesOrNull(...shapes: (readonly number[])[]): number[] | null {
  const n = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(n).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = n - s.length + i, d = s[i];
      if (out[j] === 1) out[j] = d;
      else if (d !== 1 && d !== out[j]) return null;
    }
  }
  return out;
}

/**
 * PyTorch's broadcast_all: numbers become tensors (of the tensors' dtype, float32 when all are
 * numbers), then everything is expanded to one shape. `dist` names the family in errors.
 */
export function broadcastAll(dist: string, named: readonly [string, Tensor | number][]): Tensor[] {
  let dtype: DType | null = null;
  for (const [name, v] of named) {
    if (v instanceof Tensor) {
      if (!isFloating(v.dtype)) throw new Error(`${dist}: ${name} must be a floating point tensor, got ${v.dtype}; use ${name}.float()`);
      dtype ??= v.dtype;
    } else if (typeof v !== "number") {
      throw new Error(`${dist}: ${name} must be a Tensor or a number, got ${describe(v)}`);
    }
  }
  const ts = named.map(([, v]) => (v instanceof Tensor ? v : tensor(v, { dtype: dtype ?? "float32" })));
  const shape = broadcastShapesOrNull(...ts.map((t) => t.shape));
  if (!shape) throw new Error(`${dist}: the parameters do not broadcast together: ${named.map(([n], i) => `${n} ${fmt(ts[i].shape)}`).join(", ")}`);
  return ts.map((t) => (t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]) ? t : t.expand(shape)));
}

/** Reads the options bag of a constructor: only the given keys. */
export function readOptions<T extends object>(dist: string, opts: unknown, keys: readonly string[]): T {
  if (opts === undefined) return {} as T;
  if (opts === null || typeof opts !== "object" || Array.isArray(opts) || opts instanceof Tensor) {
    throw new Error(`${dist}: the options must be an object { ${keys.join(", ")} }, got ${describe(opts)}`);
  }
  for (const k of Object.keys(opts)) {
    if (!keys.includes(k) && (opts as Record<string, unknown>)[k] !== undefined) {
      const snake = k.includes("_") ? `; deeptype spells it '${k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())}'` : "";
      throw new Error(`${dist}: unknown option '${k}'${snake} (it takes ${keys.join(", ")})`);
    }
  }
  const v = (opts as DistributionOptions).validateArgs;
  if (v !== undefined && typeof v !== "boolean") throw new Error(`${dist}: validateArgs must be a boolean, got ${describe(v)}`);
  return opts as T;
}

/** Where `ok` (a bool tensor) is first false, as a multi-index string, or null when it is all true. */
function firstFalse(ok: Tensor): { at: number[]; flat: number } | null {
  const d = ok.contiguous().numbers();
  for (let i = 0; i < d.length; i++) {
    if (!d[i]) {
      const at: number[] = [];
      let r = i;
      for (let k = ok.shape.length - 1; k >= 0; k--) {
        at.unshift(r % ok.shape[k]);
        r = Math.floor(r / ok.shape[k]);
      }
      return { at, flat: i };
    }
  }
  return null;
}

/** The offending value (an element, or the event at `at` when the constraint is on events), as text. */
function valueAt(v: Tensor, at: number[], eventDim: number): string {
  let t = v.detach();
  const lead = t.ndim - eventDim;
  const idx = at.slice(at.length - lead);
  for (const i of idx) t = t.select(0, i);
  const vals = Array.from(t.contiguous().numbers(), Number);
  const shown = vals.length === 1 ? String(vals[0]) : `[${vals.slice(0, 8).join(", ")}${vals.length > 8 ? ", ..." : ""}]`;
  return shown;
}

let defaultValidateArgs = true;

/** The current default of validateArgs (Distribution.setDefaultValidateArgs). */
export function getDefaultValidateArgs(): boolean {
  return defaultValidateArgs;
}

export abstract class Distribution {
  /** PyTorch's Distribution.set_default_validate_args: the default of every later constructor's validateArgs. */
  static setDefaultValidateArgs(value: boolean): void {
    if (typeof value !== "boolean") throw new Error(`Distribution.setDefaultValidateArgs: value must be a boolean, got ${describe(value)}`);
    defaultValidateArgs = value;
  }

  readonly batchShape: number[];
  readonly eventShape: number[];
  /** Whether parameters and values are checked (PyTorch's _validate_args). */
  validateArgs: boolean;

  protected constructor(
    /** The family's name, for messages ("Normal"); a subclass built on another family renames it. */
    protected family: string,
    batchShape: readonly number[],
    eventShape: readonly number[],
    validateArgs?: boolean,
  ) {
    this.batchShape = [...batchShape];
    this.eventShape = [...eventShape];
    this.validateArgs = validateArgs ?? defaultValidateArgs;
  }

  /** Whether rsample is implemented (PyTorch's has_rsample). */
  get hasRsample(): boolean {
    return false;
  }

  /** Whether enumerateSupport is implemented (PyTorch's has_enumerate_support). */
  get hasEnumerateSupport(): boolean {
    return false;
  }

  /** The set of values a sample takes, as a constraint (PyTorch's support). */
  abstract get support(): Constraint;

  get mean(): Tensor {
    return this.missing("mean");
  }
  get mode(): Tensor {
    return this.missing("mode");
  }
  get variance(): Tensor {
    return this.missing("variance");
  }
  get stddev(): Tensor {
    return this.variance.sqrt();
  }

  /** `d.sample()`, `d.sample([n])`, `d.sample([n], { generator })`: a draw of shape [...sampleShape, ...batchShape, ...eventShape], without gradient. */
  sample(sampleShape?: readonly number[] | number | SampleOptions, opts?: SampleOptions): Tensor {
    const args = this.sampleArgs("sample", sampleShape, opts);
    return noGrad(() => this.draw(args.shape, args.generator, false));
  }

  /** `d.rsample([n])`: a reparameterized sample; gradients flow to the parameters (only where hasRsample). */
  rsample(sampleShape?: readonly number[] | number | SampleOptions, opts?: SampleOptions): Tensor {
    if (!this.hasRsample) {
      throw new Error(`${this.family}.rsample: ${this.family} has no reparameterized sampler (PyTorch's has_rsample is False); use sample(), and a score-function estimator (logProb(x) * reward) for gradients`);
    }
    const args = this.sampleArgs("rsample", sampleShape, opts);
    return this.draw(args.shape, args.generator, true);
  }

  /**
   * Draws a sample of `shape` (the extended shape). The families with rsample write it with
   * differentiable ops (sample calls it under noGrad); the others draw without gradient.
   */
  protected draw(_shape: number[], _generator: Generator | undefined, _reparameterized: boolean): Tensor {
    return this.missing("sample");
  }

  /** The log of the density (or mass) at `value`, broadcast against batchShape. */
  logProb(_value: Tensor): Tensor {
    return this.missing("logProb");
  }
  cdf(_value: Tensor): Tensor {
    return this.missing("cdf");
  }
  icdf(_value: Tensor): Tensor {
    return this.missing("icdf");
  }
  entropy(): Tensor {
    return this.missing("entropy");
  }
  /** exp(entropy()). */
  perplexity(): Tensor {
    return this.entropy().exp();
  }
  /** The support's values, for the discrete families that have few (Bernoulli, Categorical, ...). */
  enumerateSupport(_expand = true): Tensor {
    return this.missing("enumerateSupport");
  }

  /**
   * `d.expand([3, 2])`: the same distribution with its parameters broadcast to a larger batchShape
   * (views, no copies), as PyTorch's expand.
   */
  expand(batchShape: readonly number[]): this {
    const op = `${this.family}.expand`;
    if (!Array.isArray(batchShape) || !batchShape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new Error(`${op}: batchShape must be an array of non-negative integers, got ${describe(batchShape)}`);
    }
    const to = broadcastShapesOrNull(this.batchShape, batchShape);
    if (!to || to.length !== batchShape.length || to.some((d, i) => d !== batchShape[i])) {
      throw new Error(`${op}: cannot expand batch shape ${fmt(this.batchShape)} to ${fmt(batchShape)}; each dimension must be 1 or equal`);
    }
    const out = this.expandTo([...batchShape]);
    out.validateArgs = this.validateArgs;
    return out as this;
  }

  /** Builds the expanded copy (validation off: its parameters are views of checked ones). */
  protected abstract expandTo(batchShape: number[]): Distribution;

  /** [...sampleShape, ...batchShape, ...eventShape]. */
  extendedShape(sampleShape: readonly number[] = []): number[] {
    return [...sampleShape, ...this.batchShape, ...this.eventShape];
  }

  toString(): string {
    return `${this.family}(batchShape=${fmt(this.batchShape)}, eventShape=${fmt(this.eventShape)})`;
  }

  protected missing(what: string): never {
    throw new Error(`${this.family}.${what}: not implemented for ${this.family} (as in PyTorch 1.13)`);
  }

  private sampleArgs(op: string, a?: unknown, b?: unknown): { shape: number[]; generator?: Generator } {
    const name = `${this.family}.${op}`;
    const isBag = (v: unknown): boolean => v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Tensor);
    let shape: unknown = [];
    let o: SampleOptions = {};
    if (isBag(a)) {
      if (b !== undefined) throw new Error(`${name}: the options object must come last, got ${describe(b)} after it`);
      o = a as SampleOptions;
      shape = o.sampleShape ?? [];
    } else {
      if (a !== undefined) shape = a;
      if (b !== undefined) {
        if (!isBag(b)) throw new Error(`${name}: the second argument is the options { generator }, got ${describe(b)}`);
        o = b as SampleOptions;
        if (o.sampleShape !== undefined) throw new Error(`${name}: sampleShape was given both positionally and in the options; give it once`);
      }
    }
    for (const k of Object.keys(o)) {
      if (k !== "sampleShape" && k !== "generator" && (o as Record<string, unknown>)[k] !== undefined) {
        throw new Error(`${name}: unknown option '${k}'${k === "sample_shape" ? "; deeptype spells it 'sampleShape'" : ""} (it takes sampleShape, generator)`);
      }
    }
    const s = typeof shape === "number" ? [shape] : shape;
    if (!Array.isArray(s) || !s.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new Error(`${name}: sampleShape must be an array of non-negative integers like [10] or [], got ${describe(shape)}`);
    }
    if (o.generator !== undefined && typeof (o.generator as { random?: unknown } | null)?.random !== "function") {
      throw new Error(`${name}: generator must be a Generator (new Generator(seed)), got ${describe(o.generator)}`);
    }
    return { shape: this.extendedShape(s as number[]), generator: o.generator };
  }

  /** Checks each parameter against its constraint (when validateArgs): an Error naming the family, the parameter, the value and the fix. */
  protected checkParams(params: readonly [string, Tensor, Constraint, string][]): void {
    if (!this.validateArgs) return;
    for (const [name, value, c, fix] of params) {
      const bad = firstFalse(c.check(value));
      if (!bad) continue;
      const v = value.detach();
      const where = v.ndim === 0 ? "" : bad.at.length === 0 ? ` (a ${v.dtype} tensor of shape ${fmt(v.shape)})` : ` at ${fmt(bad.at)} of a ${v.dtype} tensor of shape ${fmt(v.shape)}`;
      const min = c.eventDim === 0 && v.numel() > 1 ? ` (min ${Number(v.min().item())})` : "";
      throw new Error(`${this.family}: ${name} must be ${c.description}, got ${valueAt(v, bad.at, c.eventDim)}${where}${min}; ${fix}`);
    }
  }

  /** That value is a Tensor (the methods PyTorch does not validate further: icdf). */
  protected checkTensor(op: string, value: unknown): asserts value is Tensor {
    if (!(value instanceof Tensor)) throw new Error(`${this.family}.${op}: value must be a Tensor, got ${describe(value)}; wrap numbers with tensor(...)`);
  }

  /**
   * PyTorch's _validate_sample (when validateArgs): value is a Tensor whose rightmost dims are
   * eventShape, broadcastable with batchShape + eventShape, and inside the support.
   */
  protected checkValue(op: string, value: unknown, support: Constraint = this.support): asserts value is Tensor {
    const name = `${this.family}.${op}`;
    if (!(value instanceof Tensor)) throw new Error(`${name}: value must be a Tensor, got ${describe(value)}; wrap numbers with tensor(...)`);
    if (!this.validateArgs) return;
    const e = this.eventShape.length;
    const tail = value.shape.slice(value.ndim - e);
    if (value.ndim < e || tail.some((d, i) => d !== this.eventShape[i])) {
      throw new Error(`${name}: the rightmost dimensions of value must be the event shape ${fmt(this.eventShape)}, got value of shape ${fmt(value.shape)}`);
    }
    if (!broadcastShapesOrNull(value.shape, [...this.batchShape, ...this.eventShape])) {
      throw new Error(`${name}: value of shape ${fmt(value.shape)} does not broadcast with batchShape + eventShape ${fmt([...this.batchShape, ...this.eventShape])}`);
    }
    const bad = firstFalse(support.check(value));
    if (bad) {
      const where = value.ndim === 0 ? "" : bad.at.length === 0 ? ` (value of shape ${fmt(value.shape)})` : ` at ${fmt(bad.at)} of value (shape ${fmt(value.shape)})`;
      throw new Error(`${name}: value must be within the support of ${this.family} (${support.description}), got ${valueAt(value, bad.at, support.eventDim)}${where}; pass values from the support or construct the distribution with { validateArgs: false }`);
    }
  }
}

/** Sum over the n rightmost dims (PyTorch's _sum_rightmost). */
export function sumRightmost(t: Tensor, n: number): Tensor {
  let r = t;
  for (let i = 0; i < n; i++) r = r.sum(-1);
  return r;
}
