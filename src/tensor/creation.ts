/** Creating tensors: from data, filled, ranges, and random (seeded through a Generator). */
import { Tensor, type NestedArray } from "./tensor.js";
import { type DType, type StorageArray, type TypedArray, ArrayFor, allocate, castScalar, checkFits, dtypeOfArray, fillStorage, isFloating, setElement, toInt64 } from "./dtype.js";
import { checkShape, fmt } from "./shape.js";
import { checkDType, checkInt, declareOptionalArgs, declareOptions, describe, optionKeys } from "./check.js";
import { type Generator, defaultGenerator } from "./generator.js";
import { decodeHalf, encodeHalf, float32ToHalf, isHalf } from "./half.js";

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

type ShapeArg = readonly number[] | number;

// The entry layer (tensor/guard.ts) rejects any other key of these functions' options objects.
const CREATE_KEYS = optionKeys<CreateOptions>()({ dtype: true, requiresGrad: true });
const RANDOM_KEYS = optionKeys<RandomOptions>()({ dtype: true, requiresGrad: true, generator: true });
declareOptions({
  tensor: CREATE_KEYS, full: CREATE_KEYS, zeros: CREATE_KEYS, ones: CREATE_KEYS, zerosLike: CREATE_KEYS, onesLike: CREATE_KEYS,
  fullLike: CREATE_KEYS, arange: CREATE_KEYS, linspace: CREATE_KEYS,
  rand: RANDOM_KEYS, randn: RANDOM_KEYS, randint: RANDOM_KEYS, randperm: RANDOM_KEYS,
});
// eye's m is optional (torch.eye(n, m=None, *, dtype)), so it may come in the options object beside
// dtype: `eye(3, { dtype: "int32" })` read the object as m and threw. The type gives core.ts the forms.
// logspace's base is positional in PyTorch too (torch.logspace(0, 3, 4, 2)), and taken in the options object.
const OPTIONAL_ARGS = declareOptionalArgs({
  eye: { first: 1, names: ["m"], bag: ["dtype", "requiresGrad"] },
  logspace: { first: 3, names: ["base"], bag: ["dtype", "requiresGrad"] },
});
export type CreationOptionalArgs = typeof OPTIONAL_ARGS;

function shapeOf(s: ShapeArg, op: string): number[] {
  return checkShape(typeof s === "number" ? [s] : s, op);
}

/** The options object of a creation function, checked (JS callers have no compiler). */
function checkCreate(op: string, opts: CreateOptions): void {
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) throw new Error(`${op}: options must be an object like { dtype: "float32" }, got ${describe(opts)}`);
  checkDType(op, opts.dtype);
  if (opts.requiresGrad !== undefined && typeof opts.requiresGrad !== "boolean") throw new Error(`${op}: requiresGrad must be a boolean, got ${describe(opts.requiresGrad)}`);
}

function checkFill(op: string, value: unknown): void {
  if (typeof value !== "number" && typeof value !== "boolean") throw new Error(`${op}: the fill value must be a number or boolean, got ${describe(value)}`);
}

/** An array to write `dtype`'s values into as numbers: float32 for the 16-bit floats (see `stored`). */
function writable(dtype: DType, n: number): TypedArray {
  if (dtype === "int64") return new Float64Array(n);
  return isHalf(dtype) ? new Float32Array(n) : allocate(dtype, n);
}

/**
 * What `writable` gave, as `dtype`'s storage: 16-bit floats rounded from float32 (as PyTorch fills
 * them), int64 converted from the doubles (truncated, exact for every integer a double holds).
 */
function stored(values: TypedArray, dtype: DType): StorageArray {
  if (dtype === "int64") return BigInt64Array.from(values as Float64Array, toInt64);
  return isHalf(dtype) ? float32ToHalf(values as Float32Array, dtype) : values;
}

function numelOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function finish(t: Tensor, opts: CreateOptions): Tensor {
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}

/** Stores one user-given value at `i` of a fresh array of `dtype`, after checking that it fits. */
function put(out: StorageArray, i: number, v: number | boolean | bigint, dtype: DType): void {
  checkFits(v, dtype, "tensor");
  if (typeof v === "bigint" && out instanceof BigInt64Array) out[i] = v;
  // A bigint that reaches another dtype fits it (checked) or becomes a float: its number is exact or rounds once.
  else setElement(out, i, castScalar(typeof v === "bigint" ? Number(v) : v, dtype));
}

/**
 * `tensor([[1, 2], [3, 4]])`: a tensor from nested arrays, a typed array or a number. Numbers give
 * float32, booleans bool, bigints int64 (`tensor([2n ** 60n])`, exact beyond 2^53), and a typed array
 * its own dtype (a BigInt64Array int64), unless `dtype` says otherwise.
 */
export function tensor(data: NestedArray | StorageArray | bigint, opts: CreateOptions = {}): Tensor {
  checkCreate("tensor", opts);
  if (data === undefined || data === null || (typeof data === "object" && !Array.isArray(data) && !ArrayBuffer.isView(data)) || typeof data === "string") {
    throw new Error(`tensor: data must be a number, a boolean, a (nested) array of them or a typed array, got ${describe(data)}`);
  }
  if (ArrayBuffer.isView(data)) {
    const src = data as StorageArray;
    const dtype = opts.dtype ?? dtypeOfArray(src);
    // A Uint16Array given with a 16-bit float dtype holds its bit patterns (as Tensor.fromArray takes them).
    if (isHalf(dtype) && src instanceof Uint16Array) return finish(Tensor.fromArray(Uint16Array.from(src), [src.length], dtype), opts);
    const out = allocate(dtype, src.length);
    // Same array type: an exact copy; but a bool tensor's bytes must be 0 or 1 (a Uint8Array of 0, 2, 255
    // given as bool converts element by element, as torch.tensor(..., dtype=torch.bool) does).
    if (src.constructor === ArrayFor[dtype] && dtype !== "bool") (out as Float64Array).set(src as Float64Array);
    else for (let i = 0; i < src.length; i++) put(out, i, src[i], dtype);
    return finish(Tensor.fromArray(out, [src.length], dtype), opts);
  }
  const shape: number[] = [];
  let probe: NestedArray = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  const flat: (number | boolean | bigint)[] = [];
  const walk = (v: NestedArray, d: number, path: string): void => {
    if (d === shape.length) {
      if (Array.isArray(v)) throw new Error(`tensor: ragged nested array: element ${path} has more dimensions than element [0...] (expected shape ${fmt(shape)})`);
      if (typeof v !== "number" && typeof v !== "boolean" && typeof v !== "bigint") throw new Error(`tensor: element ${path} is ${typeof v}, expected a number, bigint or boolean`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[d]) {
      throw new Error(`tensor: ragged nested array: element ${path} has length ${Array.isArray(v) ? v.length : "(scalar)"}, expected ${shape[d]} (shape ${fmt(shape)})`);
    }
    v.forEach((x, i) => walk(x, d + 1, `${path}[${i}]`));
  };
  walk(data, 0, "");
  const dtype = opts.dtype ?? inferDtype(flat);
  const out = allocate(dtype, flat.length);
  flat.forEach((v, i) => put(out, i, v, dtype));
  return finish(Tensor.fromArray(out, shape, dtype), opts);
}

/**
 * JavaScript cannot tell 1 from 1.0, so numbers default to float32 (what a network wants); pass
 * {dtype: "int64"} (or bigints, or an Int32Array) for integer tensors such as class labels. Values
 * that are all bigints (or bigints and booleans) give int64, as Python ints give torch.int64.
 */
function inferDtype(values: (number | boolean | bigint)[]): DType {
  if (values.length === 0) return "float32";
  if (values.every((v) => typeof v === "boolean")) return "bool";
  return values.every((v) => typeof v !== "number") ? "int64" : "float32";
}

/**
 * `full([2, 3], 7)`: a tensor filled with one value. The parameters are named as PyTorch's keywords
 * (size is `shape` here, as in zeros), so `full([2], { fillValue: 7 })` gets the entry layer's message
 * that writes the positional call.
 */
export function full(shape: ShapeArg, fillValue: number | boolean, opts: CreateOptions = {}): Tensor {
  return filled("full", shape, fillValue, opts);
}

function filled(op: string, shape: ShapeArg, value: number | boolean, opts: CreateOptions): Tensor {
  checkCreate(op, opts);
  checkFill(op, value);
  const dtype = opts.dtype ?? (typeof value === "boolean" ? "bool" : "float32");
  checkFits(value, dtype, op);
  const t = Tensor.empty(shapeOf(shape, op), dtype);
  const v = castScalar(value, dtype);
  // The storage starts zeroed; -0 is not +0 (torch.full((2,), -0.0) keeps the sign), so only +0 skips the fill.
  if (!Object.is(v, 0)) fillStorage(t.storage.data, v);
  return finish(t, opts);
}

/** `zeros([2, 3])` */
export function zeros(shape: ShapeArg, opts: CreateOptions = {}): Tensor {
  return filled("zeros", shape, 0, opts);
}

/** `ones([2, 3])` */
export function ones(shape: ShapeArg, opts: CreateOptions = {}): Tensor {
  return filled("ones", shape, 1, opts);
}

/** `zerosLike(x)`: zeros with x's shape and dtype. */
export function zerosLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  return full(t.shape, 0, { dtype: t.dtype, ...opts });
}

const isOptions = (v: unknown): v is CreateOptions => typeof v === "object" && v !== null && !Array.isArray(v);

/** `onesLike(x)` */
export function onesLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  return full(t.shape, 1, { dtype: t.dtype, ...opts });
}

/** `fullLike(x, 3)`. `input` and `fillValue` are torch.full_like's keyword names (see full). */
export function fullLike(input: Tensor, fillValue: number | boolean, opts: CreateOptions = {}): Tensor {
  return full(input.shape, fillValue, { dtype: input.dtype, ...opts });
}

/**
 * `arange(5)` = [0..4]; `arange(1, 2, 0.25)`. Integers give int64, as in PyTorch. The options
 * may follow any of the numbers, as PyTorch's keywords do: `arange(10, { dtype: "float64" })`.
 */
export function arange(start: number, end?: number | CreateOptions, step?: number | CreateOptions, opts?: CreateOptions): Tensor;
export function arange(start: number, endArg?: number | CreateOptions, stepArg: number | CreateOptions = 1, optsArg: CreateOptions = {}): Tensor {
  let end = endArg, step = stepArg, opts = optsArg;
  if (isOptions(end)) [opts, end, step] = [end, undefined, 1];
  else if (isOptions(step)) [opts, step] = [step, 1];
  checkCreate("arange", opts);
  for (const [name, v] of [["start", start], ["end", end], ["step", step]] as const) {
    if (v !== undefined && (typeof v !== "number" || Number.isNaN(v))) throw new Error(`arange: ${name} must be a number, got ${describe(v)}`);
  }
  if (end === undefined) [start, end] = [0, start];
  if (step === 0 || !Number.isFinite(step)) throw new Error(`arange: step must be a non-zero finite number, got ${step}`);
  if ((end - start) * step < 0) {
    throw new Error(`arange: the step ${step} goes away from the end (start ${start}, end ${end}); use a ${step > 0 ? "negative" : "positive"} step or swap start and end`);
  }
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dtype = opts.dtype ?? ([start, end, step].every(Number.isInteger) ? "int64" : "float32");
  const out = writable(dtype, n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return finish(Tensor.fromArray(stored(out, dtype), [n], dtype), opts);
}

/** `linspace(0, 1, 5)` = [0, 0.25, 0.5, 0.75, 1]. */
export function linspace(start: number, end: number, steps: number, opts: CreateOptions = {}): Tensor {
  checkCreate("linspace", opts);
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`linspace: steps must be a non-negative integer, got ${steps}`);
  const dtype = opts.dtype ?? "float32";
  const out = writable(dtype, steps);
  const h = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Fill from both ends so the last element is exactly `end`, as PyTorch does.
  for (let i = 0; i < steps; i++) out[i] = i < steps / 2 ? start + i * h : end - (steps - 1 - i) * h;
  return finish(Tensor.fromArray(stored(out, dtype), [steps], dtype), opts);
}

/** Rounds to a floating dtype's precision (16-bit ones through float32, as c10 converts). */
function rounder(dtype: DType): (v: number) => number {
  if (dtype === "float32") return Math.fround;
  if (isHalf(dtype)) return (v) => decodeHalf(encodeHalf(v, dtype), dtype);
  return (v) => v;
}

/**
 * `logspace(0, 3, 4)` = [1, 10, 100, 1000], `logspace(0, 3, 4, 2)`, `logspace(0, 3, 4, { base: 2 })`:
 * base ** linspace(start, end, steps) (torch.logspace).
 * Computed as PyTorch 1.13's CPU kernel does, so float32 results are bit-identical: start and end
 * rounded to the dtype, the step in double from their difference in the dtype, the exponent in
 * double (filled from both ends), the power in double, rounded once to the dtype (float64 can differ
 * from torch in the last bit where V8's Math.pow and glibc's pow differ). Integer dtypes take start
 * and end as integers and truncate each power, as PyTorch; past the dtype's range PyTorch's cast is
 * undefined (C++), here the values wrap as every integer store does. bool is refused as PyTorch
 * refuses it; float16, which PyTorch 1.13's CPU kernel lacks, is computed as its bfloat16 path is
 * (as deeptype computes the other Half ops PyTorch's CPU lacks).
 */
export function logspace(start: number, end: number, steps: number, base = 10, opts: CreateOptions = {}): Tensor {
  checkCreate("logspace", opts);
  for (const [name, v] of [["start", start], ["end", end]] as const) {
    if (typeof v !== "number" || Number.isNaN(v)) throw new Error(`logspace: ${name} must be a number, got ${describe(v)}`);
  }
  checkInt("logspace", "steps", steps, 0);
  if (typeof base !== "number") throw new Error(`logspace: base must be a number, got ${describe(base)}`);
  const dtype = opts.dtype ?? "float32";
  if (dtype === "bool") throw new Error(`logspace: dtype bool is not supported (as PyTorch); make float32 and convert with .to("bool")`);
  const out = writable(dtype, steps);
  if (steps === 1) {
    // PyTorch fills base ** start in double (start not rounded to the dtype), checked as fill_ checks it.
    const v = Math.pow(base, start);
    checkFits(isFloating(dtype) ? v : Math.trunc(v), dtype, "logspace");
    out[0] = isFloating(dtype) ? v : Math.trunc(v);
  } else if (steps > 1) {
    const half = Math.floor(steps / 2);
    if (isFloating(dtype)) {
      const r = rounder(dtype);
      const lo = r(start), hi = r(end);
      const step = r(hi - lo) / (steps - 1);
      for (let i = 0; i < steps; i++) out[i] = Math.pow(base, i < half ? lo + step * i : hi - step * (steps - i - 1));
    } else {
      const lo = castScalar(Math.trunc(start), dtype), hi = castScalar(Math.trunc(end), dtype);
      const step = (hi - lo) / (steps - 1);
      const b = Math.fround(base); // PyTorch's integer path takes the base as a float
      for (let i = 0; i < steps; i++) out[i] = Math.trunc(Math.pow(b, i < half ? lo + step * i : hi - step * (steps - i - 1)));
    }
  }
  return finish(Tensor.fromArray(stored(out, dtype), [steps], dtype), opts);
}

/** `eye(3)`: the identity matrix (n x m). */
export function eye(n: number, m = n, opts: CreateOptions = {}): Tensor {
  checkInt("eye", "n", n, 0);
  checkInt("eye", "m", m, 0);
  const t = zeros([n, m], opts);
  const one = castScalar(1, t.dtype);
  for (let i = 0; i < Math.min(n, m); i++) setElement(t.storage.data, i * m + i, one);
  return t;
}

/**
 * The generator a sampler named `op` draws from: `g`, or the default one when `g` is undefined (or
 * null, where the caller's options allow it); anything else is an error naming op. @internal
 */
export function generatorOf(op: string, g: unknown, allowNull = false): Generator {
  if (g === undefined || (allowNull && g === null)) return defaultGenerator;
  if (typeof (g as { random?: unknown } | null)?.random !== "function") throw new Error(`${op}: generator must be a Generator (new Generator(seed)), got ${describe(g)}`);
  return g as Generator;
}

function randomFill(shape: ShapeArg, op: string, opts: RandomOptions, draw: (g: Generator) => number, integral = false): Tensor {
  checkCreate(op, opts);
  const g = generatorOf(op, opts.generator);
  const dtype = opts.dtype ?? "float32";
  if (!integral && !isFloating(dtype)) throw new Error(`${op}: dtype must be floating (float32 or float64), got ${dtype}; use randint for integers`);
  const size = shapeOf(shape, op);
  const d = writable(dtype, numelOf(size));
  for (let i = 0; i < d.length; i++) d[i] = draw(g);
  return finish(Tensor.fromArray(stored(d, dtype), size, dtype), opts);
}

/** `rand([2, 3])`: uniform on [0, 1). */
export function rand(shape: ShapeArg, opts: RandomOptions = {}): Tensor {
  return randomFill(shape, "rand", opts, (g) => g.random());
}

/** `randn([2, 3])`: standard normal. */
export function randn(shape: ShapeArg, opts: RandomOptions = {}): Tensor {
  return randomFill(shape, "randn", opts, (g) => g.normal());
}

/** `randint(0, 10, [5])`: integers uniform on [low, high), int64 as in PyTorch (or `{ dtype }`). */
export function randint(low: number, high: number, shape: ShapeArg, opts: RandomOptions = {}): Tensor {
  if (!(high > low)) throw new Error(`randint: high (${high}) must be greater than low (${low})`);
  return randomFill(shape, "randint", { dtype: "int64", ...opts }, (g) => g.randint(low, high), true);
}

/**
 * `randperm(5)`: a random permutation of 0..n-1 (Fisher-Yates), int64 as in PyTorch (or `{ dtype }`).
 * As PyTorch's: bool is refused, n - 1 must fit an integer dtype (uint8 holds a permutation of 256),
 * and `requiresGrad` needs a floating dtype.
 */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new Error(`randperm: n must be a non-negative integer, got ${typeof n === "number" ? n : describe(n)}`);
  checkCreate("randperm", opts);
  const g = generatorOf("randperm", opts.generator);
  const dtype = opts.dtype ?? "int64";
  if (dtype === "bool") throw new Error('randperm: dtype bool is not supported (as in PyTorch); use an integer or floating dtype such as "int64"');
  if (n > 0) checkFits(n - 1, dtype, "randperm");
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = g.randint(0, i + 1);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return finish(Tensor.fromArray(out, [n], "int32").to(dtype), opts);
}

/**
 * The draws of `bernoulli` (src/ops/random.ts, which adds PyTorch's zero-gradient graph): 1 with
 * probability probs[i], else 0 (probs' dtype); with `p`, input's shape and dtype (integer and bool too),
 * each element 1 with probability p.
 */
export function bernoulliDraw(input: Tensor, p?: number | null, opts: { generator?: Generator } = {}, op = "bernoulli"): Tensor {
  const g = generatorOf(op, opts.generator);
  if (p !== undefined && p !== null) {
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
      throw new Error(`bernoulli: p must be a number in [0, 1], got ${describe(p)}${(p as unknown) instanceof Tensor ? " (for per-element probabilities call bernoulli(probs) on a tensor of them)" : ""}`);
    }
    const out = writable(input.dtype, input.numel());
    for (let i = 0; i < out.length; i++) out[i] = g.random() < p ? 1 : 0;
    return Tensor.fromArray(stored(out, input.dtype), [...input.shape], input.dtype);
  }
  if (!isFloating(input.dtype)) throw new Error(`bernoulli: probabilities must be a floating tensor, got ${input.dtype}`);
  const probs = input.data();
  const out = writable(input.dtype, probs.length);
  for (let i = 0; i < probs.length; i++) {
    if (!(probs[i] >= 0 && probs[i] <= 1)) throw new Error(`bernoulli: probability ${probs[i]} at index ${i} is outside [0, 1]`);
    out[i] = g.random() < probs[i] ? 1 : 0;
  }
  return Tensor.fromArray(stored(out, input.dtype), input.shape, input.dtype);
}

