/**
 * Sampling ops beyond the creation functions (rand, randn, randint, randperm, bernoulli live in
 * src/tensor/creation.ts): `normal(mean, std)` with tensor or number parameters, `multinomial` and
 * `poisson`, as torch.normal, torch.multinomial and torch.poisson.
 *
 * The draws come from deeptype's Generator (xoshiro128**, src/tensor/generator.ts), not PyTorch's
 * mt19937, so a seed gives other samples than torch.manual_seed with the same number: the
 * distributions, shapes, dtypes, gradients and errors are PyTorch's, the values are not. Every draw is
 * made here in JavaScript, never in a kernel, so a seed gives the same samples on every backend and
 * thread count. The algorithms are PyTorch's CPU ones: Box-Muller normals scaled and shifted,
 * multinomial by inverse CDF (with replacement) or by the exponential race p / Exp(1) and topk
 * (without, as at::multinomial), Poisson by multiplication below rate 10 and by Hörmann's transformed
 * rejection (PTRS) from 10 up (as at::native's sample_poisson).
 *
 * ```ts
 * const x = normal(0, 1, [2, 3]);                       // float32 N(0, 1), like randn
 * const y = normal(means, 0.1, { generator: g });       // each element N(means[i], 0.1²)
 * const picks = multinomial(probs, 2);                  // int64 category indices, without replacement
 * const counts = poisson(rates);                        // counts, in rates' dtype
 * ```
 */
import { declareOptionalArgs, declareOptions, describe, optionKeys, checkDType } from "../tensor/check.js";
import { Tensor } from "../tensor/tensor.js";
import { type DType, isFloating, promoteTypes } from "../tensor/dtype.js";
import { broadcastShapes, checkShape, fmt } from "../tensor/shape.js";
import type { Generator } from "../tensor/generator.js";
import { bernoulliDraw, generatorOf, zeros } from "../tensor/creation.js";
import { apply, defineOp, installMethods } from "./op.js";
import { expand, to } from "./shape.js";
import { div } from "./binary.js";
import { inplace } from "./elementwise.js";
import { topk } from "./sort.js";

/** Options of `normal`: PyTorch's size (also positional, third) and its keywords. */
export interface NormalOptions {
  /** The output's shape, for the number-mean, number-std form (torch.normal(0, 1, size=(2, 3))). */
  size?: readonly number[] | number;
  generator?: Generator;
  /** The number-number form's dtype (default float32); the tensor forms take their inputs' dtype. */
  dtype?: DType;
  /** The number-number form's requiresGrad (PyTorch's requires_grad keyword). */
  requiresGrad?: boolean;
}

/** Options of `multinomial` (replacement may also come positionally, third). */
export interface MultinomialOptions { replacement?: boolean; generator?: Generator }

const NORMAL_KEYS = optionKeys<NormalOptions>()({ size: true, generator: true, dtype: true, requiresGrad: true });
const MULTINOMIAL_KEYS = optionKeys<MultinomialOptions>()({ replacement: true, generator: true });
declareOptions({ normal: NORMAL_KEYS, multinomial: MULTINOMIAL_KEYS, poisson: ["generator"] });

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `probs.multinomial(2)`, `probs.multinomial(5, true)`: torch.Tensor.multinomial. */
    multinomial(numSamples: number, replacement?: boolean | MultinomialOptions, opts?: MultinomialOptions): Tensor;
  }
}

function optionsObject<T>(op: string, v: unknown, takes: string): T {
  if (v === undefined) return {} as T;
  if (v === null || typeof v !== "object" || Array.isArray(v) || v instanceof Tensor) throw new Error(`${op}: the options must be an object ${takes}, got ${describe(v)}`);
  return v as T;
}

/**
 * A sample drawn outside autograd, given the graph PyTorch records for it: the output requires grad
 * when a parameter does, and its gradient is zero for each (torch.normal's and torch.poisson's
 * derivatives are zeros: the sample is not reparameterised).
 */
const sampledOp = defineOp<{ name: string; value: Tensor }>({
  name: "sample",
  saves: [],
  forward: (_inputs, { value }) => value,
  backward: (g, { inputShapes, inputDtypes }) => inputShapes.map((s, i) => zeros([...s], { dtype: inputDtypes[i] })),
});

function sampled(name: string, value: Tensor, params: Tensor[]): Tensor {
  if (!params.some((p) => p.requiresGrad)) return value;
  return apply({ ...sampledOp, name }, params, { name, value });
}

/** The values of `t` broadcast to `shape`, as doubles in row-major order. */
function valuesAt(t: Tensor, shape: readonly number[]): ArrayLike<number> {
  return expand(t, shape).contiguous().numbers();
}

/**
 * `normal(mean, std)`: samples of N(mean, std²), as torch.normal. mean and std are tensors (broadcast
 * together) or numbers; with two numbers the shape is `size` (third, or `{ size }`), with float32 by
 * default or `{ dtype }`. std must be >= 0 everywhere. The result requires grad when mean or std does,
 * with a zero gradient (PyTorch's).
 *
 * ```ts
 * normal(0, 1, [2, 3]);                      // [2, 3] float32
 * normal(tensor([0, 10]), tensor([1, 0.1]));   // [2]: N(0, 1) and N(10, 0.01)
 * normal(zeros([4]), 2, { generator: g });   // std 2 for each
 * ```
 */
export function normal(mean: Tensor, opts?: NormalOptions): Tensor;
export function normal(mean: Tensor | number, std: Tensor | number, size?: readonly number[] | number | NormalOptions, opts?: NormalOptions): Tensor;
export function normal(mean: Tensor | number, stdArg: Tensor | number | NormalOptions = 1, size?: readonly number[] | number | NormalOptions, optsArg?: NormalOptions): Tensor {
  const op = "normal";
  // torch.normal(mean_tensor, generator=g): std keeps its default 1 and the options come second.
  let std: Tensor | number = 1;
  if (stdArg !== null && typeof stdArg === "object" && !(stdArg instanceof Tensor) && !Array.isArray(stdArg)) {
    if (!(mean instanceof Tensor)) throw new Error(`${op}: with a number mean, std is required: normal(${String(mean)}, 1, [2, 3])`);
    if (size !== undefined) throw new Error(`${op}: the options object must come last, got ${describe(size)} after it`);
    size = stdArg;
  } else std = stdArg as Tensor | number;
  let opts: NormalOptions;
  let shapeArg: readonly number[] | number | undefined;
  if (Array.isArray(size) || typeof size === "number") {
    shapeArg = size as readonly number[] | number;
    opts = optionsObject<NormalOptions>(op, optsArg, "{ generator, dtype, requiresGrad }");
    if (opts.size !== undefined) throw new Error(`${op}: size was given both positionally and in the options; give it once`);
  } else {
    if (optsArg !== undefined) throw new Error(`${op}: the third argument is the size (an array of integers), got ${describe(size)}; write normal(mean, std, [2, 3], { generator })`);
    opts = optionsObject<NormalOptions>(op, size, "{ size, generator, dtype, requiresGrad }");
    shapeArg = opts.size;
  }
  const g = generatorOf(op, opts.generator, true);
  const isT = (v: unknown): v is Tensor => v instanceof Tensor;
  for (const [name, v] of [["mean", mean], ["std", std]] as const) {
    if (!isT(v) && typeof v !== "number") throw new Error(`${op}: ${name} must be a Tensor or a number, got ${describe(v)}`);
    if (isT(v) && !isFloating(v.dtype)) throw new Error(`${op}: ${name} must be a floating point tensor, got ${v.dtype} (use .float()); PyTorch has no normal for integers`);
  }
  if (!isT(mean) && !isT(std)) {
    if (shapeArg === undefined) throw new Error(`${op}: with a number mean and a number std, give the output's size: normal(${mean}, ${std}, [2, 3]), or pass mean or std as a tensor`);
    checkDType(op, opts.dtype);
    const dtype = opts.dtype ?? "float32";
    if (!isFloating(dtype)) throw new Error(`${op}: dtype must be floating (float32, float64, float16 or bfloat16), got ${dtype}`);
    if (!(std >= 0)) throw new Error(`${op}: std must be >= 0, got ${std}`);
    const shape = checkShape(typeof shapeArg === "number" ? [shapeArg] : [...shapeArg], op);
    const d = new Float64Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < d.length; i++) d[i] = mean + std * g.normal();
    const t = Tensor.fromArray(d, shape, "float64");
    const r = dtype === "float64" ? t : to(t, dtype);
    if (opts.requiresGrad) r.requiresGrad = true;
    return r;
  }
  if (shapeArg !== undefined) throw new Error(`${op}: size is taken only with a number mean and a number std (the output has the tensors' shape), got size ${describe(shapeArg)}`);
  if (opts.dtype !== undefined || opts.requiresGrad !== undefined) throw new Error(`${op}: dtype and requiresGrad are taken only with a number mean and a number std; the result has the dtype of mean and std`);
  const mt = isT(mean) ? mean : null, st = isT(std) ? std : null;
  const dtype = mt && st ? promoteTypes(mt.dtype, st.dtype) : (mt ?? st)!.dtype;
  const shape = mt && st ? broadcastShapes(mt.shape, st.shape, op) : [...(mt ?? st)!.shape];
  const n = shape.reduce((a, b) => a * b, 1);
  const sd = st ? valuesAt(st, shape) : null;
  if (sd) {
    for (let i = 0; i < sd.length; i++) if (!(sd[i] >= 0)) throw new Error(`${op}: std must be >= 0 everywhere, got ${sd[i]} at flat index ${i} of std broadcast to ${fmt(shape)}`);
  } else if (!((std as number) >= 0)) throw new Error(`${op}: std must be >= 0, got ${std as number}`);
  const md = mt ? valuesAt(mt, shape) : null;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = (md ? md[i] : (mean as number)) + (sd ? sd[i] : (std as number)) * g.normal();
  const t = Tensor.fromArray(d, shape, "float64");
  return sampled(op, dtype === "float64" ? t : to(t, dtype), [mt, st].filter((v): v is Tensor => v !== null));
}

/** Exp(1) draws (PyTorch's exponential_) from uniforms in (0, 1]. */
function exponential(g: Generator): number {
  return -Math.log(1 - g.random());
}

/**
 * `multinomial(probs, numSamples)`: category indices (int64) drawn from each row of probs (1-D or
 * 2-D, non-negative weights, not necessarily normalised), as torch.multinomial. Without replacement
 * (the default) each row's samples are distinct, so numSamples is at most the number of categories;
 * `{ replacement: true }` (or `true` third) draws independently.
 *
 * ```ts
 * multinomial(tensor([0.1, 0.6, 0.3]), 2);                  // e.g. [1, 2]
 * multinomial(tensor([[1, 1], [0, 1]]), 4, true);           // [2, 4]
 * ```
 */
export function multinomial(input: Tensor, numSamples: number, replacementArg?: boolean | MultinomialOptions, optsArg?: MultinomialOptions): Tensor {
  const op = "multinomial";
  let opts: MultinomialOptions;
  let replacement: boolean;
  if (typeof replacementArg === "boolean") {
    opts = optionsObject<MultinomialOptions>(op, optsArg, "{ generator }");
    if (opts.replacement !== undefined) throw new Error(`${op}: replacement was given both positionally and in the options; give it once`);
    replacement = replacementArg;
  } else {
    if (optsArg !== undefined) throw new Error(`${op}: replacement must be a boolean, got ${describe(replacementArg)}`);
    opts = optionsObject<MultinomialOptions>(op, replacementArg, "{ replacement, generator }");
    replacement = opts.replacement ?? false;
    if (typeof replacement !== "boolean") throw new Error(`${op}: replacement must be a boolean, got ${describe(replacement)}`);
  }
  const g = generatorOf(op, opts.generator, true);
  if (!isFloating(input.dtype)) throw new Error(`${op}: input must be a floating point tensor of probabilities (weights), got ${input.dtype} (use .float())`);
  if (input.ndim !== 1 && input.ndim !== 2) throw new Error(`${op}: input must be 1-D [categories] or 2-D [rows, categories], got shape ${fmt(input.shape)}`);
  if (!Number.isInteger(numSamples) || numSamples <= 0) throw new Error(`${op}: numSamples must be a positive integer, got ${describe(numSamples)}`);
  const k = input.shape[input.ndim - 1];
  const rows = input.ndim === 2 ? input.shape[0] : 1;
  if (k > 2 ** 24) throw new Error(`${op}: the number of categories cannot exceed 2^24 (as PyTorch), got ${k}`);
  if (!replacement && numSamples > k) {
    throw new Error(`${op}: cannot draw ${numSamples} samples without replacement from ${k} categories; pass { replacement: true } or numSamples <= ${k}`);
  }
  const outShape = input.ndim === 2 ? [rows, numSamples] : [numSamples];
  const p = input.contiguous().numbers();
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const v = p[r * k + j];
      if (Number.isNaN(v) || v === Infinity) throw new Error(`${op}: probabilities must be finite, got ${v} at ${rowAt(input, r, j)}`);
      if (v < 0) throw new Error(`${op}: probabilities must be >= 0, got ${v} at ${rowAt(input, r, j)}`);
      sum += v;
    }
    if (!(sum > 0)) throw new Error(`${op}: the probabilities of ${input.ndim === 2 ? `row ${r}` : "the input"} sum to 0; each row needs a positive weight`);
  }
  if (!replacement) {
    // at::multinomial without replacement: the k largest p / q with q ~ Exp(1) (the Gumbel-top-k trick).
    const q = new Float64Array(rows * k);
    for (let i = 0; i < q.length; i++) q[i] = exponential(g);
    const race = div(input, Tensor.fromArray(q, [...input.shape], "float64").to(input.dtype));
    return topk(race, numSamples, -1).indices.to("int64");
  }
  const out = new Float64Array(rows * numSamples);
  const cdf = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    let acc = 0;
    for (let j = 0; j < k; j++) cdf[j] = acc += p[r * k + j];
    for (let j = 0; j < k; j++) cdf[j] /= acc;
    cdf[k - 1] = 1;
    for (let s = 0; s < numSamples; s++) {
      // The first category whose cumulative probability reaches u; u > 0 skips leading zero weights.
      let u = 0;
      while (u === 0) u = g.random();
      let lo = 0, hi = k;
      while (hi > lo) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      out[r * numSamples + s] = lo;
    }
  }
  return Tensor.fromArray(out, outShape, "float64").to("int64");
}

function rowAt(input: Tensor, r: number, j: number): string {
  return input.ndim === 2 ? `[${r}, ${j}]` : `[${j}]`;
}

/** log(k!) for the PTRS acceptance test (exact sums below 10, Stirling's series above, as PyTorch's lgamma). */
function logFactorial(k: number): number {
  if (k < 10) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3) + 1 / (1260 * x ** 5);
}

/** One Poisson(rate) draw: PyTorch's sample_poisson (numpy's algorithm). */
function poissonDraw(rate: number, g: Generator): number {
  if (rate >= 10) {
    // Hörmann (1993), "The transformed rejection method for generating Poisson random variables" (PTRS).
    const slam = Math.sqrt(rate), loglam = Math.log(rate);
    const b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = g.random() - 0.5, V = g.random();
      const us = 0.5 - Math.abs(U);
      const k = Math.floor((2 * a / us + b) * U + rate + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -rate + k * loglam - logFactorial(k)) return k;
    }
  }
  if (rate === 0) return 0;
  // Multiplication: count uniforms until their product drops to exp(-rate).
  const enlam = Math.exp(-rate);
  let x = 0, prod = 1;
  for (;;) {
    prod *= g.random();
    if (prod > enlam) x += 1;
    else return x;
  }
}

/**
 * `poisson(rates)`: one Poisson(rate) count per element, in rates' dtype and shape, as torch.poisson.
 * Rates must be finite and >= 0. The result requires grad when rates does, with a zero gradient (PyTorch's).
 *
 * ```ts
 * poisson(tensor([0.5, 4, 100]));   // e.g. [0, 3, 104]
 * ```
 */
export function poisson(input: Tensor, opts: { generator?: Generator } = {}): Tensor {
  const op = "poisson";
  const o = optionsObject<{ generator?: Generator }>(op, opts, "{ generator }");
  const g = generatorOf(op, o.generator, true);
  if (!isFloating(input.dtype)) throw new Error(`${op}: rates must be a floating point tensor, got ${input.dtype} (use .float()); PyTorch has no poisson for integers`);
  const rates = input.contiguous().numbers();
  const d = new Float64Array(rates.length);
  for (let i = 0; i < rates.length; i++) {
    const r = rates[i];
    // PyTorch refuses negative and NaN rates, and returns -2^63 for an infinite one: refused here.
    if (!(r >= 0) || r === Infinity) throw new Error(`${op}: rates must be finite and >= 0, got ${r} at flat index ${i}`);
    d[i] = poissonDraw(r, g);
  }
  const t = Tensor.fromArray(d, [...input.shape], "float64");
  return sampled(op, input.dtype === "float64" ? t : to(t, input.dtype), [input]);
}

// ---------------------------------------------------------------- in-place samplers (torch.Tensor's)

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `x.exponential_(lambd = 1)`: fills x with Exp(lambd) draws (lambd >= 0; 0 gives Infinity). */
    exponential_(lambd?: number, opts?: { generator?: Generator }): this;
    /** `x.cauchy_(median = 0, sigma = 1)`: fills x with Cauchy(median, sigma) draws. */
    cauchy_(median?: number, sigma?: number, opts?: { generator?: Generator }): this;
    /** `x.logNormal_(mean = 1, std = 2)`: fills x with exp(N(mean, std²)) draws (PyTorch's log_normal_; std > 0). */
    logNormal_(mean?: number, std?: number, opts?: { generator?: Generator }): this;
    /** `x.geometric_(p)`: fills x with the number of Bernoulli(p) trials up to the first success (1, 2, ...; p in (0, 1)). */
    geometric_(p: number, opts?: { generator?: Generator }): this;
    /** `x.bernoulli_(p = 0.5)`: fills x with 0/1 draws, p a number in [0, 1] or a tensor of them broadcast to x. */
    bernoulli_(p?: number | Tensor, opts?: { generator?: Generator }): this;
    /**
     * `probs.bernoulli()`: 0/1 draws with probabilities probs (torch.bernoulli); `x.bernoulli(0.3)` or
     * `x.bernoulli({ p: 0.3, generator })`: draws with probability p in x's shape and dtype.
     */
    bernoulli(p?: number | null, opts?: { generator?: Generator }): Tensor;
    bernoulli(opts: { p?: number | null; generator?: Generator }): Tensor;
    /**
     * `x.random_()`, `x.random_(to)`, `x.random_(from, to)` (or `{ from, to, generator }`): fills x with
     * integers uniform in [from, to) (from 0 by default); without `to`, up to x's dtype's largest value
     * (2^mantissa digits for floating dtypes: 2^24 for float32), inclusive, as torch.Tensor.random_.
     */
    random_(opts?: { from?: number; to?: number | null; generator?: Generator }): this;
    random_(to: number, opts?: { generator?: Generator }): this;
    random_(from: number, to: number | null, opts?: { generator?: Generator }): this;
  }
}
declareOptions({
  exponential_: ["generator"], cauchy_: ["generator"], logNormal_: ["generator"], geometric_: ["generator"], bernoulli_: ["generator"],
  random_: ["from", "to", "generator"],
  // torch.bernoulli takes only a generator: the result has its input's dtype.
  bernoulli: ["generator"],
});
const OPTIONAL_ARGS = declareOptionalArgs({ bernoulli: { first: 1, names: ["p"], bag: ["generator"] } });
export type RandomOptionalArgs = typeof OPTIONAL_ARGS;

/** A new tensor of x's shape and dtype holding draw(i) at flat index i (computed in double, rounded once). */
function filled(x: Tensor, draw: (i: number) => number): Tensor {
  const d = new Float64Array(x.numel());
  for (let i = 0; i < d.length; i++) d[i] = draw(i);
  const t = Tensor.fromArray(d, [...x.shape], "float64");
  return x.dtype === "float64" ? t : to(t, x.dtype);
}

/** A uniform draw in (0, 1): the samplers below take logs and tangents of it. */
function open01(g: Generator): number {
  let u = 0;
  while (u === 0) u = g.random();
  return u;
}

function floatOnly(op: string, x: Tensor): void {
  if (!isFloating(x.dtype)) throw new Error(`${op}: not implemented for ${x.dtype} tensors (as PyTorch); use a floating point tensor`);
}

function finiteArg(op: string, name: string, v: unknown): number {
  if (typeof v !== "number" || Number.isNaN(v)) throw new Error(`${op}: ${name} must be a number, got ${describe(v)}`);
  return v;
}

export function exponential_(x: Tensor, lambd = 1, opts: { generator?: Generator } = {}): Tensor {
  const op = "exponential_";
  const l = finiteArg(op, "lambd", lambd);
  if (!(l >= 0)) throw new Error(`${op}: lambd must be >= 0, got ${l}`);
  floatOnly(op, x);
  const g = generatorOf(op, optionsObject<{ generator?: Generator }>(op, opts, "{ generator }").generator, true);
  return inplace(x, op, () => filled(x, () => -Math.log(open01(g)) / l));
}

export function cauchy_(x: Tensor, median = 0, sigma = 1, opts: { generator?: Generator } = {}): Tensor {
  const op = "cauchy_";
  const m = finiteArg(op, "median", median), s = finiteArg(op, "sigma", sigma);
  floatOnly(op, x);
  const g = generatorOf(op, optionsObject<{ generator?: Generator }>(op, opts, "{ generator }").generator, true);
  return inplace(x, op, () => filled(x, () => m + s * Math.tan(Math.PI * (open01(g) - 0.5))));
}

export function logNormal_(x: Tensor, mean = 1, std = 2, opts: { generator?: Generator } = {}): Tensor {
  const op = "logNormal_";
  const m = finiteArg(op, "mean", mean), s = finiteArg(op, "std", std);
  if (!(s > 0)) throw new Error(`${op}: std must be > 0, got ${s}`);
  floatOnly(op, x);
  const g = generatorOf(op, optionsObject<{ generator?: Generator }>(op, opts, "{ generator }").generator, true);
  return inplace(x, op, () => filled(x, () => Math.exp(m + s * g.normal())));
}

export function geometric_(x: Tensor, p: number, opts: { generator?: Generator } = {}): Tensor {
  const op = "geometric_";
  const q = finiteArg(op, "p", p);
  if (!(q > 0 && q < 1)) throw new Error(`${op}: p must be in (0, 1), got ${q}`);
  if (x.dtype === "bool") throw new Error(`${op}: not implemented for bool tensors (as PyTorch)`);
  const g = generatorOf(op, optionsObject<{ generator?: Generator }>(op, opts, "{ generator }").generator, true);
  // Inversion, as PyTorch: ceil(log(u) / log(1 − p)) is 1, 2, ... with P(k) = (1 − p)^(k−1) p.
  const l = Math.log1p(-q);
  return inplace(x, op, () => filled(x, () => Math.max(1, Math.ceil(Math.log(open01(g)) / l))));
}

export function bernoulli_(x: Tensor, p: number | Tensor = 0.5, opts: { generator?: Generator } = {}): Tensor {
  const op = "bernoulli_";
  if (x.dtype === "bool") throw new Error(`${op}: not implemented for bool tensors; use a float or integer tensor`);
  let probs: ArrayLike<number> | null = null;
  let pv = 0.5;
  if (p instanceof Tensor) {
    probs = valuesAt(p, x.shape);
    for (let i = 0; i < probs.length; i++) if (!(probs[i] >= 0 && probs[i] <= 1)) throw new Error(`${op}: p must be in [0, 1] everywhere, got ${probs[i]} at flat index ${i} of p broadcast to ${fmt(x.shape)}`);
  } else {
    pv = finiteArg(op, "p", p);
    if (!(pv >= 0 && pv <= 1)) throw new Error(`${op}: p must be in [0, 1], got ${pv}`);
  }
  const g = generatorOf(op, optionsObject<{ generator?: Generator }>(op, opts, "{ generator }").generator, true);
  return inplace(x, op, () => filled(x, (i) => (g.random() < (probs ? probs[i] : pv) ? 1 : 0)));
}

/** The largest value random_ draws for a dtype without `to`: PyTorch's 2^digits for floating dtypes, the maximum for integers. */
const RANDOM_TOP: Record<DType, number> = {
  float32: 2 ** 24, float64: 2 ** 53, float16: 2 ** 11, bfloat16: 2 ** 8,
  int64: 2 ** 63 - 1, int32: 2 ** 31 - 1, int16: 2 ** 15 - 1, int8: 127, uint8: 255, bool: 1,
};
const INT_LOW: Partial<Record<DType, number>> = { int64: -(2 ** 63), int32: -(2 ** 31), int16: -(2 ** 15), int8: -128, uint8: 0, bool: 0 };

/** Options of `random_`: the bounds (also positional: `random_(to)`, `random_(from, to)`) and a generator. */
export interface RandomFillOptions { from?: number; to?: number | null; generator?: Generator }
type RandomArgs = RandomFillOptions;

export function random_(x: Tensor, from?: number | null | RandomFillOptions, to?: number | null | RandomFillOptions, opts?: RandomFillOptions): Tensor {
  const op = "random_";
  const args: unknown[] = [from, to, opts];
  while (args.length && args.at(-1) === undefined) args.pop();
  const last = args.at(-1);
  const hasOpts = last !== null && typeof last === "object" && !(last instanceof Tensor) && !Array.isArray(last);
  const o = (hasOpts ? last : {}) as RandomArgs;
  const pos = hasOpts ? args.slice(0, -1) : args;
  if (pos.length > 2) throw new Error(`${op}: takes at most from and to positionally, got ${pos.length} arguments`);
  if (hasOpts && pos.length > 0 && (o.from !== undefined || o.to !== undefined)) throw new Error(`${op}: give from and to positionally or in the options object, not both`);
  // PyTorch's overloads: random_(), random_(to), random_(from, to) with to possibly None.
  let lo = 0, hi: number | null = null;
  if (pos.length === 1) hi = pos[0] as number;
  else if (pos.length === 2) [lo, hi] = [pos[0] as number, pos[1] as number | null];
  else [lo, hi] = [o.from ?? 0, o.to ?? null];
  return randomFill(x, op, lo, hi, o.generator);
}

function randomFill(x: Tensor, op: string, from: number, to: number | null, generator: unknown): Tensor {
  for (const [name, v] of [["from", from], ["to", to]] as const) {
    if (v !== null && (typeof v !== "number" || !Number.isInteger(v))) throw new Error(`${op}: ${name} must be an integer, got ${describe(v)}`);
  }
  const top = RANDOM_TOP[x.dtype];
  const low = INT_LOW[x.dtype];
  if (to !== null && !(from < to)) throw new Error(`${op}: expects 'from' to be less than 'to', got from=${from} >= to=${to}`);
  if (to === null && from > top) throw new Error(`${op}: from (${from}) is above ${top}, the largest value it draws for ${x.dtype} without 'to'`);
  // Integer dtypes refuse bounds they cannot hold, as PyTorch; floating ones only lose precision (PyTorch warns).
  if (low !== undefined && from < low) throw new Error(`${op}: from (${from}) is out of bounds for ${x.dtype} [${low}, ${top}]`);
  if (low !== undefined && to !== null && to - 1 > top) throw new Error(`${op}: to - 1 (${to - 1}) is out of bounds for ${x.dtype} [${low}, ${top}]`);
  const g = generatorOf(op, generator, true);
  const span = (to ?? top + 1) - from;
  if (x.dtype === "int64" && span > 2 ** 53) {
    // Beyond a double's integers: 64 random bits reduced to the span, in bigints (the default [0, 2^63 − 1] included).
    const bigSpan = BigInt(to ?? 2 ** 63) - BigInt(from);
    return inplace(x, op, () => {
      const out = new BigInt64Array(x.numel());
      for (let i = 0; i < out.length; i++) out[i] = BigInt(from) + (((BigInt(g.nextUint32()) << 32n) | BigInt(g.nextUint32())) % bigSpan);
      return Tensor.fromArray(out, [...x.shape], "int64");
    });
  }
  return inplace(x, op, () => filled(x, () => from + Math.floor(g.random() * span)));
}

/**
 * `bernoulli(probs)`: 0/1 draws with probabilities probs (probs' dtype); `bernoulli(x, p)` (or `{ p }`):
 * x's shape and dtype, each 1 with probability p (torch.bernoulli(input, p)); also the method
 * `x.bernoulli(p?, { generator })`. As PyTorch, draws from probabilities that require grad require grad
 * with a zero gradient; the fixed-p form records nothing.
 */
export function bernoulli(input: Tensor, p?: number | null, opts?: { generator?: Generator }): Tensor {
  if (p !== undefined && p !== null) return bernoulliDraw(input, p, opts);
  return sampled("bernoulli", bernoulliDraw(input.requiresGrad ? input.detach() : input, p, opts), [input]);
}

installMethods({ multinomial, exponential_, cauchy_, logNormal_, geometric_, bernoulli_, random_, bernoulli });
