/**
 * The rest of PyTorch's pointwise math: inverse and hyperbolic trig, log2/log10/exp2, special
 * functions (erfc, erfinv, lgamma, digamma), rounding (trunc, frac, round with decimals), division
 * variants (fmod, floorDivide, div with roundingMode), and the composites PyTorch users reach for
 * (lerp, logaddexp, hypot, xlogy, copysign, heaviside, nanToNum, sinc, deg2rad, isinf, signbit,
 * isclose/allclose/equal). Kernels go through the backend contract; backward rules are Tensor ops.
 */
import { declareOptionalArgs, declareOptions, describe, optionKeys } from "../tensor/check.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { isFloating } from "../tensor/dtype.js";
import { fmt, normalizeDim, sameShape } from "../tensor/shape.js";
import { zerosLike } from "../tensor/creation.js";
import { asTensor, checkOperand, installMethods, resultType } from "./op.js";
import { clone, narrow, to } from "./shape.js";
import { cat } from "./join.js";
import { viaFloat32 } from "./half-compute.js";
import {
  unaryOp, binaryOp, trunc, abs, add, sub, mul, div, neg, exp, log, sqrt, square, sin, where, eq, lt, le, gt,
  logicalAnd, logicalOr, logicalNot, logicalXor, isnan, isfinite,
} from "./elementwise.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    tan(): Tensor; asin(): Tensor; acos(): Tensor; atan(): Tensor; sinh(): Tensor; cosh(): Tensor;
    asinh(): Tensor; acosh(): Tensor; atanh(): Tensor; log2(): Tensor; log10(): Tensor; exp2(): Tensor;
    frac(): Tensor; erfc(): Tensor; erfinv(): Tensor; lgamma(): Tensor; digamma(): Tensor;
    sinc(): Tensor; deg2rad(): Tensor; rad2deg(): Tensor;
    isinf(): Tensor; isposinf(): Tensor; isneginf(): Tensor; signbit(): Tensor;
    fmod(other: TensorLike): Tensor; floorDivide(other: TensorLike): Tensor; trunc(): Tensor;
    hypot(other: TensorLike): Tensor; logaddexp(other: TensorLike): Tensor; xlogy(other: TensorLike): Tensor;
    copysign(other: TensorLike): Tensor; heaviside(values: TensorLike): Tensor;
    /** `x.diff()`, `x.diff(2, 0)`, `x.diff({ dim: 0, prepend: p })`: the n-th forward difference along dim (torch.diff). */
    diff(n?: number, dim?: number, prepend?: Tensor | null, append?: Tensor | null): Tensor;
    diff(opts: DiffOptions): Tensor;
    diff(n: number | undefined, opts: Omit<DiffOptions, "n">): Tensor;
    diff(n: number | undefined, dim: number | undefined, opts: Pick<DiffOptions, "prepend" | "append">): Tensor;
    diff(n: number | undefined, dim: number | undefined, prepend: Tensor | null | undefined, opts: Pick<DiffOptions, "append">): Tensor;
    lerp(end: TensorLike, weight: TensorLike): Tensor;
    /** `x.nanToNum()`, `x.nanToNum(0.5)`, `x.nanToNum(0, 1e4, -1e4)` (PyTorch's positional form), `x.nanToNum({ posinf: 1e4 })`. */
    nanToNum(nan?: number | null, posinf?: number | null, neginf?: number | null): Tensor;
    nanToNum(opts: NanToNumOptions): Tensor;
    nanToNum(nan: number | null | undefined, opts: Omit<NanToNumOptions, "nan">): Tensor;
    nanToNum(nan: number | null | undefined, posinf: number | null | undefined, opts: Pick<NanToNumOptions, "neginf">): Tensor;
    isclose(other: TensorLike, opts?: CloseOptions): Tensor;
    allclose(other: TensorLike, opts?: CloseOptions): boolean;
    equal(other: Tensor): boolean;
  }
}

const LN2 = Math.LN2, LN10 = Math.LN10;

// ---------------------------------------------------------------- unary kernels

export const tan = unaryOp("tan", (g, _x, y) => mul(g, add(square(y()), 1)), true);
export const asin = unaryOp("asin", (g, x) => div(g, sqrt(sub(1, square(x())))), true);
export const acos = unaryOp("acos", (g, x) => neg(div(g, sqrt(sub(1, square(x()))))), true);
export const atan = unaryOp("atan", (g, x) => div(g, add(square(x()), 1)), true);
export const sinh = unaryOp("sinh", (g, x) => mul(g, cosh(x())), true);
export const cosh = unaryOp("cosh", (g, x) => mul(g, sinh(x())), true);
export const asinh = unaryOp("asinh", (g, x) => div(g, sqrt(add(square(x()), 1))), true);
// sqrt((x-1)(x+1)), not sqrt(x²-1): no cancellation near 1 (PyTorch's form).
export const acosh = unaryOp("acosh", (g, x) => div(g, sqrt(mul(sub(x(), 1), add(x(), 1)))), true);
export const atanh = unaryOp("atanh", (g, x) => div(g, sub(1, square(x()))), true);
export const log2 = unaryOp("log2", (g, x) => div(g, mul(x(), LN2)), true);
export const log10 = unaryOp("log10", (g, x) => div(g, mul(x(), LN10)), true);
export const exp2 = unaryOp("exp2", (g, _x, y) => mul(g, mul(y(), LN2)), true);
export const erfc = unaryOp("erfc", (g, x) => mul(g, mul(exp(neg(square(x()))), -2 / Math.sqrt(Math.PI))), true);
export const erfinv = unaryOp("erfinv", (g, _x, y) => mul(g, mul(exp(square(y())), Math.sqrt(Math.PI) / 2)), true);
export const digamma = unaryOp("digamma", (g, x) => mul(g, trigamma(x())), true);
export const lgamma = unaryOp("lgamma", (g, x) => mul(g, digamma(x())), true);
/**
 * ψ'; only a gradient helper. Its own gradient (a third derivative of lgamma, polygamma(2, x)) is
 * not implemented: differentiating through it throws rather than silently giving zero.
 */
const trigamma = unaryOp("trigamma", () => {
  throw new Error("digamma: the gradient of its gradient (polygamma(2, x), a third derivative of lgamma) is not implemented; differentiate digamma once only, or lgamma at most twice");
}, true);

/** `x.frac()`: x - trunc(x) (keeps the sign of x). */
export function frac(x: Tensor): Tensor {
  return sub(x, trunc(x));
}

/** `x.sinc()`: sin(πx)/(πx), 1 at 0 (the gradient there is 0). */
export function sinc(x: Tensor): Tensor {
  // 16-bit inputs: in float32, rounded once (PyTorch's sinc kernel).
  return viaFloat32(sincImpl, x);
}

function sincImpl(x: Tensor): Tensor {
  const xf = isFloating(x.dtype) ? x : to(x, "float32");
  const zero = eq(xf, 0);
  const px = mul(where(zero, 1, xf), Math.PI); // a safe denominator keeps NaN out of the gradient at 0
  return where(zero, 1, div(sin(px), px));
}

/** `x.deg2rad()`: x·π/180. */
export function deg2rad(x: Tensor): Tensor {
  return mul(isFloating(x.dtype) ? x : to(x, "float32"), Math.PI / 180);
}

/** `x.rad2deg()`: x·180/π. */
export function rad2deg(x: Tensor): Tensor {
  return mul(isFloating(x.dtype) ? x : to(x, "float32"), 180 / Math.PI);
}

/** True where x is ±Infinity. */
export function isinf(x: Tensor): Tensor {
  return eq(abs(x), Infinity);
}

/** True where x is +Infinity. */
export function isposinf(x: Tensor): Tensor {
  return eq(x, Infinity);
}

/** True where x is -Infinity. */
export function isneginf(x: Tensor): Tensor {
  return eq(x, -Infinity);
}

/** True where the sign bit is set: x < 0, and -0 (1/-0 is -Infinity). */
export function signbit(x: Tensor): Tensor {
  if (!isFloating(x.dtype)) return lt(x, 0);
  return logicalOr(lt(x, 0), logicalAnd(eq(x, 0), lt(div(1, x), 0)));
}

// ---------------------------------------------------------------- binary

/** `fmod(a, b)`: C's fmod, the remainder with the dividend's sign (remainder() takes the divisor's). */
const fmodOp = binaryOp("fmod", "arith", [(g) => g, (g, a, b) => mul(neg(g), trunc(div(a(), b())))]);
export function fmod(a: TensorLike, b: TensorLike): Tensor {
  const dtype = resultType(a, b);
  if (!isFloating(dtype) && asTensor(b, dtype).numbers().some((v) => v === 0)) throw new RangeError("fmod: integer division by zero");
  return fmodOp(a, b);
}
/** `hypot(a, b)`: sqrt(a² + b²) without overflow. */
export const hypot = binaryOp("hypot", "float", [(g, a, _b, y) => div(mul(g, a()), y()), (g, _a, b, y) => div(mul(g, b()), y())]);
/** `logaddexp(a, b)`: log(exp(a) + exp(b)) without overflow. */
// From the inputs, as PyTorch's formula grad / (1 + exp(other - self)): the output of a 16-bit op is
// rounded, and exp(a - y) would carry that rounding into the gradient.
export const logaddexp = binaryOp("logaddexp", "float", [(g, a, b) => div(g, add(exp(sub(b(), a())), 1)), (g, a, b) => div(g, add(exp(sub(a(), b())), 1))]);

/** `xlogy(x, y)`: x·log(y), 0 where x = 0 (unless y is NaN), as PyTorch's xlogy. */
export function xlogy(x: TensorLike, y: TensorLike): Tensor {
  const dtype = isFloating(resultType(x, y)) ? resultType(x, y) : "float32";
  const xt = to(asTensor(x, dtype), dtype), yt = to(asTensor(y, dtype), dtype);
  const zero = logicalAnd(eq(xt, 0), logicalNot(isnan(yt)));
  // A safe log argument where x = 0 keeps NaN/inf out of the gradient there.
  return where(zero, 0, mul(xt, log(where(zero, 1, yt))));
}

/** `copysign(a, b)`: |a| with the sign of b (including -0). */
export function copysign(a: TensorLike, b: TensorLike): Tensor {
  const dtype = isFloating(resultType(a, b)) ? resultType(a, b) : "float32";
  const at = to(asTensor(a, dtype), dtype), bt = to(asTensor(b, dtype), dtype);
  const m = abs(at);
  return where(signbit(bt), neg(m), m);
}

/** `heaviside(x, values)`: 0 for x < 0, values for x = 0, 1 for x > 0 (and 0 for NaN, as PyTorch). */
export function heaviside(x: Tensor, values: TensorLike): Tensor {
  if (values instanceof Tensor && values.dtype !== x.dtype) {
    throw new Error(`heaviside: values is ${values.dtype} but the input is ${x.dtype}; they must match`);
  }
  return to(where(eq(x, 0), values, where(gt(x, 0), 1, 0)), x.dtype);
}

/**
 * `lerp(start, end, weight)`: start + weight·(end − start), evaluated from the nearer end as PyTorch
 * does (start + w·d for |w| < 0.5, end − (1−w)·d otherwise) so that w = 1 gives exactly `end`.
 */
export function lerp(start: Tensor, end: TensorLike, weight: TensorLike): Tensor {
  // Named here: the sub and mul inside would call them input and other.
  checkOperand("lerp", "end", end);
  checkOperand("lerp", "weight", weight);
  // 16-bit inputs: computed in float32 and rounded once, as PyTorch's lerp kernel.
  return viaFloat32(lerpImpl, start, end, weight);
}

function lerpImpl(start: Tensor, end: TensorLike, weight: TensorLike): Tensor {
  const d = sub(end, start);
  const w = weight;
  const small = lt(abs(asTensor(w, start.dtype)), 0.5);
  return where(small, add(start, mul(w, d)), sub(end, mul(sub(1, w), d)));
}

export interface NanToNumOptions {
  /** Replacement for NaN (default 0). */
  nan?: number | null;
  /** Replacement for +Infinity (default: the dtype's largest finite value). */
  posinf?: number | null;
  /** Replacement for -Infinity (default: the dtype's lowest finite value). */
  neginf?: number | null;
}

/** The largest finite value of each floating dtype but float64 (torch.finfo(dtype).max): ±Infinity's default replacements. */
const LARGEST_FINITE: Partial<Record<Tensor["dtype"], number>> = { float16: 65504, bfloat16: 3.3895313892515355e38, float32: 3.4028234663852886e38 };

const replacement = (v: unknown, name: string): number | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number") throw new Error(`nanToNum: ${name} must be a number (or null for the default), got ${describe(v)}`);
  return v;
};

/**
 * `nanToNum(x, nan?, posinf?, neginf?)`: NaN -> nan (0), ±Infinity -> posinf/neginf (the dtype's
 * largest/lowest finite value), positionally as PyTorch's `nan_to_num(x, 0.5, 9.0)` or as one options
 * object (`{ posinf: 9 }`, the entry layer spreads it). The positional form was silently ignored.
 */
export function nanToNum(x: Tensor, nanArg?: number | null, posinfArg?: number | null, neginfArg?: number | null): Tensor {
  const nan = replacement(nanArg, "nan"), posinf = replacement(posinfArg, "posinf"), neginf = replacement(neginfArg, "neginf");
  if (!isFloating(x.dtype)) return x.clone();
  const big = LARGEST_FINITE[x.dtype] ?? Number.MAX_VALUE;
  let r = where(isnan(x), nan ?? 0, x);
  r = where(eq(x, Infinity), posinf ?? big, r);
  return where(eq(x, -Infinity), neginf ?? -big, r);
}

export interface CloseOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** Whether NaN equals NaN (default false). */
  equalNan?: boolean;
}

/** `isclose(a, b)`: |a − b| ≤ atol + rtol·|b| elementwise (equal infinities are close), bool. */
export function isclose(a: Tensor, b: TensorLike, opts: CloseOptions = {}): Tensor {
  const rtol = opts.rtol ?? 1e-5, atol = opts.atol ?? 1e-8;
  if (!(rtol >= 0) || !(atol >= 0)) throw new Error(`isclose: rtol and atol must be non-negative, got rtol ${rtol}, atol ${atol}`);
  const bt = asTensor(b, a.dtype);
  if (bt.dtype !== a.dtype) throw new Error(`isclose: the inputs must have the same dtype, got ${a.dtype} and ${bt.dtype}`);
  if (a.dtype === "bool") return eq(a, bt);
  const same = eq(a, bt);
  const within = logicalAnd(isfinite(a), logicalAnd(isfinite(bt), le(abs(sub(a, bt)), add(mul(abs(bt), rtol), atol))));
  const close = logicalOr(same, within);
  return opts.equalNan ? logicalOr(close, logicalAnd(isnan(a), isnan(bt))) : close;
}

/** `allclose(a, b)`: every element isclose (a JavaScript boolean). */
export function allclose(a: Tensor, b: TensorLike, opts: CloseOptions = {}): boolean {
  return isclose(a, b, opts).numbers().every((v) => v !== 0);
}

/** `equal(a, b)`: same shape and every element equal (a JavaScript boolean), as torch.equal. */
export function equal(a: Tensor, b: Tensor): boolean {
  if (!sameShape(a.shape, b.shape)) return false;
  return eq(a, b).numbers().every((v) => v !== 0);
}

/** diff's parameters, PyTorch's positional n, dim, prepend, append, also taken as one options object. */
export interface DiffOptions {
  /** How many times to difference (default 1); 0 gives a copy of the input, as torch.diff. */
  n?: number;
  /** The dim to difference along (default -1). */
  dim?: number;
  /** Values put before the input along dim before differencing (same ndim; other sizes as the input's). */
  prepend?: Tensor | null;
  /** Values put after the input along dim. */
  append?: Tensor | null;
}

/**
 * `diff(x)`: x[1:] − x[:-1] along dim, n times (torch.diff); with prepend/append concatenated to x
 * first (cat promotes their dtypes). Bool tensors take logical_xor, as PyTorch (bool has no sub).
 * Each step is narrow and sub, so gradients come from those ops. A dim that runs out of elements
 * gives an empty dim (n = 7 on 5 elements: shape [0]). n < 0 is refused: torch 1.13 returned the
 * input (with prepend/append) there; later PyTorch and numpy refuse it.
 */
export function diff(input: Tensor, n = 1, dim = -1, prepend?: Tensor | null, append?: Tensor | null): Tensor {
  if (typeof n !== "number" || !Number.isInteger(n)) throw new Error(`diff: n must be an integer, got ${describe(n)}`);
  if (n < 0) throw new Error(`diff: n (the order) must be non-negative, got ${n}`);
  if (input.ndim === 0) throw new Error("diff: expects input to be at least one-dimensional, got a 0-d tensor");
  const axis = normalizeDim(dim, input.ndim, "diff");
  const parts: Tensor[] = [];
  for (const [name, t] of [["prepend", prepend], ["input", input], ["append", append]] as const) {
    if (t === undefined || t === null) continue;
    if (!(t instanceof Tensor)) throw new Error(`diff: ${name} must be a Tensor or null, got ${describe(t)}`);
    if (t.ndim !== input.ndim) throw new Error(`diff: ${name} ${fmt(t.shape)} must have the input's number of dims (${input.ndim}, shape ${fmt(input.shape)})`);
    if (t.shape.some((s, k) => k !== axis && s !== input.shape[k])) {
      throw new Error(`diff: ${name} ${fmt(t.shape)} must match the input ${fmt(input.shape)} except along dim ${axis}`);
    }
    parts.push(t);
  }
  // n = 0 gives a copy of the input without prepend/append, as torch.diff and numpy.diff do.
  if (n === 0) return clone(input);
  let x = parts.length > 1 ? cat(parts, axis) : input;
  for (let i = 0; i < n && x.shape[axis] > 0; i++) {
    const len = x.shape[axis] - 1;
    const hi = narrow(x, axis, 1, len), lo = narrow(x, axis, 0, len);
    x = x.dtype === "bool" ? logicalXor(hi, lo) : sub(hi, lo);
  }
  // An input empty along dim comes back as is: a copy, so the result never aliases the input.
  return x === input ? clone(input) : x;
}

// The keys each op's trailing options object takes: the entry layer (tensor/guard.ts) rejects any other.
const CLOSE_KEYS = optionKeys<CloseOptions>()({ rtol: true, atol: true, equalNan: true });
declareOptions({ isclose: CLOSE_KEYS, allclose: CLOSE_KEYS });
// nanToNum's parameters are PyTorch's positional nan, posinf, neginf, also taken as one options object.
const NAN_TO_NUM = ["nan", "posinf", "neginf"] as const satisfies readonly (keyof NanToNumOptions)[];
const DIFF = ["n", "dim", "prepend", "append"] as const satisfies readonly (keyof DiffOptions)[];
const OPTIONAL_ARGS = declareOptionalArgs({ nanToNum: { first: 1, names: NAN_TO_NUM }, diff: { first: 1, names: DIFF } });
export type MathOptionalArgs = typeof OPTIONAL_ARGS;

installMethods({
  tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, log2, log10, exp2, frac, erfc, erfinv, lgamma, digamma,
  sinc, deg2rad, rad2deg, isinf, isposinf, isneginf, signbit, fmod, hypot, logaddexp, xlogy, copysign, heaviside,
  lerp, nanToNum, isclose, allclose, equal, diff,
});
