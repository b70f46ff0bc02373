/**
 * The activation functions of `nn.functional` beyond relu/gelu/elu: softplus, relu6, hardswish,
 * hardsigmoid, hardtanh, selu, celu, mish, glu, prelu, rrelu, softmin, softsign, tanhshrink,
 * threshold, logsigmoid, softshrink, hardshrink.
 *
 * Each is a composition of Tensor ops, so autograd (higher orders too) and every backend come free.
 * Where PyTorch's derivative at a kink differs from what the plain composition would give, the
 * composition is arranged (which side of a `where` holds the boundary) to match PyTorch's backward
 * kernel exactly; the op table's `:kinks` entries check those points against PyTorch.
 *
 * ```ts
 * import { nn } from "deeptype";
 * const y = nn.functional.hardswish(x);
 * ```
 */
import {
  Tensor, isFloating, rand, where, exp, log1p, tanh, sigmoid, abs, minimum, isfinite, elu, leakyRelu, softmax,
  type DType, type Generator,
} from "../../core.js";
import { describe, tensorArgError, checkKeys, declareOptionalArgs } from "../../tensor/check.js";
import { fmtShape } from "../module.js";
import { viaFloat32 } from "../../ops/half-compute.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const SOFTMIN_KEYS = ["dtype"] as const;
const RRELU_KEYS = ["generator"] as const;

/** A finite number argument, or an Error naming the function and the fix. */
export function checkNumber(v: unknown, fn: string, name: string): number {
  if (typeof v !== "number" || Number.isNaN(v)) throw new Error(`${fn}: ${name} must be a number, got ${describe(v)}`);
  return v;
}

/** The activations compute in floating point only, as PyTorch's kernels (which reject integer input). */
export function checkFloat(x: unknown, fn: string): Tensor {
  if (!(x instanceof Tensor)) throw tensorArgError(fn, "input", x);
  if (!isFloating(x.dtype)) throw new Error(`${fn}: expected a floating-point input, got ${x.dtype} ${fmtShape(x.shape)}; convert it with x.float()`);
  return x;
}

/**
 * `softplus(x, 1, 20)`: log(1 + e^(βx))/β, and x itself where βx > threshold (where the two agree to
 * float precision and e^(βx) would overflow).
 */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  checkFloat(x, "softplus");
  checkNumber(beta, "softplus", "beta");
  checkNumber(threshold, "softplus", "threshold");
  const bx = x.mul(beta);
  const linear = bx.gt(threshold);
  // The unused branch of `where` must stay finite (an inf there would make its zero gradient NaN), so
  // it sees the threshold instead of bx; a NaN still flows through it, giving PyTorch's NaN gradient.
  const soft = log1p(exp(where(linear, threshold, bx))).div(beta);
  return where(linear, x, soft);
}

/** `logsigmoid(x)`: log(1/(1 + e⁻ˣ)) = min(x, 0) − log(1 + e^(−|x|)), stable for large |x|. */
export function logsigmoid(x: Tensor): Tensor {
  checkFloat(x, "logsigmoid");
  return minimum(x, 0).sub(log1p(exp(abs(x).neg())));
}

/**
 * min(max(x, lo), hi), with PyTorch's hardtanh gradient: 1 strictly inside (lo, hi), 0 elsewhere,
 * the bounds themselves included. A NaN input gives NaN with gradient 0 (PyTorch's vectorised kernel;
 * its scalar tail passes the gradient, see docs/testing-opinfo.md).
 */
function clipOpen(x: Tensor, lo: number, hi: number): Tensor {
  const inside = x.gt(lo).logicalAnd(x.lt(hi));
  // clamp is C++'s min(max(x, lo), hi), as PyTorch's: lo > hi gives hi everywhere, and -0 at lo = 0
  // stays -0 (relu6(-0) is -0), where maximum(-0, 0) would give +0.
  return where(inside, x, x.detach().clamp(lo, hi));
}

/** hardtanh, relu6 and threshold take integer tensors too, as PyTorch's (they only compare and select). */
function checkNumeric(x: unknown, fn: string): Tensor {
  if (!(x instanceof Tensor)) throw tensorArgError(fn, "input", x);
  if (x.dtype === "bool") throw new Error(`${fn}: does not take a bool tensor ${fmtShape(x.shape)}; convert it with x.float()`);
  return x;
}

/**
 * `hardtanh(x, -1, 1)`: x clipped to [minVal, maxVal]. With minVal > maxVal every element becomes
 * maxVal, as PyTorch's (which clamps); the nn.Hardtanh layer rejects that order.
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  checkNumeric(x, "hardtanh");
  checkNumber(minVal, "hardtanh", "minVal");
  checkNumber(maxVal, "hardtanh", "maxVal");
  return clipOpen(x, minVal, maxVal);
}

/** `relu6(x)`: min(max(0, x), 6). */
export function relu6(x: Tensor): Tensor {
  checkNumeric(x, "relu6");
  return clipOpen(x, 0, 6);
}

/**
 * A tensor with `value`'s values and `surrogate`'s gradient. `value − surrogate` is exact when the two
 * are within a factor 2 of each other (Sterbenz), so the sum gives back `value` bit for bit.
 */
function withGradOf(value: Tensor, surrogate: Tensor): Tensor {
  const d = value.sub(surrogate).detach();
  return surrogate.add(where(isfinite(d), d, 0)); // inf − inf: the surrogate already holds the value
}

/** PyTorch's derivative constants that its kernels hold as float32 even in float64 (see below). */
const ONE_SIXTH_F32 = Math.fround(1 / 6);

/** `hardsigmoid(x)`: relu6(x + 3)/6, a piecewise-linear sigmoid. */
export function hardsigmoid(x: Tensor): Tensor {
  checkFloat(x, "hardsigmoid");
  const a = clipOpen(x.add(3), 0, 6);
  // PyTorch's backward multiplies by the float32 constant 1/6 in every dtype; match its gradient exactly.
  return x.dtype === "float64" ? withGradOf(a.div(6), a.mul(ONE_SIXTH_F32)) : a.div(6);
}

/** `hardswish(x)`: x·relu6(x + 3)/6 (MobileNetV3's activation). */
export function hardswish(x: Tensor): Tensor {
  checkFloat(x, "hardswish");
  // 16-bit inputs: in float32, rounded once (PyTorch's hardswish kernels), the backward too.
  return viaFloat32(hardswishImpl, x);
}

function hardswishImpl(x: Tensor): Tensor {
  // PyTorch's backward takes x/3 + 1/2 on [-3, 3) in its vectorised kernel (so -1/2 at -3 and 1 at 3;
  // its scalar tail gives 3/2 at 3 for the last few elements): the quadratic branch owns [-3, 3).
  const mid = x.mul(x.add(3)).div(6);
  // x·0 rather than 0 below -3: PyTorch's hardswish(-inf) is -inf·0 = NaN.
  return where(x.lt(-3), x.mul(0), where(x.lt(3), mid, x));
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** `selu(x)`: scale·elu(x, α) with PyTorch's constants (self-normalising networks). */
export function selu(x: Tensor): Tensor {
  checkFloat(x, "selu");
  // 16-bit inputs: in float32, rounded once (PyTorch's fused elu kernel scales before rounding).
  return viaFloat32((xx: Tensor) => elu(xx, SELU_ALPHA).mul(SELU_SCALE), x);
}

/** `celu(x, 1)`: max(0, x) + min(0, α·(e^(x/α) − 1)). */
export function celu(x: Tensor, alpha = 1): Tensor {
  checkFloat(x, "celu");
  checkNumber(alpha, "celu", "alpha");
  if (alpha === 0) throw new Error("celu: alpha cannot be 0 (it divides x); use relu for the alpha → 0 limit");
  // 16-bit inputs: in float32, rounded once (PyTorch's fused elu kernel).
  return viaFloat32((xx: Tensor) => celuImpl(xx, alpha), x);
}

function celuImpl(x: Tensor, alpha: number): Tensor {
  const pos = x.gt(0);
  // The exponential branch sees 0 where x > 0, so a large x cannot overflow it (inf·0 = NaN gradient).
  const neg = where(pos, 0, x);
  const f = (inv: number): Tensor => where(pos, x, exp(neg.mul(inv)).sub(1).mul(alpha));
  const y = f(1 / alpha);
  // PyTorch's backward scales by 1/alpha with alpha rounded to float32 first (derivatives.yaml's
  // `1.0 / alpha.toFloat()`); in float64 take the gradient of that form so it matches PyTorch's.
  const invF32 = 1 / Math.fround(alpha);
  return x.dtype === "float64" && invF32 !== 1 / alpha ? withGradOf(y, f(invF32)) : y;
}

/** `mish(x)`: x·tanh(softplus(x)). */
export function mish(x: Tensor): Tensor {
  checkFloat(x, "mish");
  return x.mul(tanh(softplus(x)));
}

/** `glu(x, -1)`: splits `dim` in halves a, b and returns a·sigmoid(b). Shape: dim 2n -> n. */
export function glu(x: Tensor, dim = -1): Tensor {
  checkFloat(x, "glu");
  if (x.ndim === 0) throw new Error("glu: does not take a 0-d tensor; give a tensor with at least one dim");
  if (!Number.isInteger(dim) || dim < -x.ndim || dim >= x.ndim) throw new Error(`glu: dim ${describe(dim)} is out of range for input ${fmtShape(x.shape)}`);
  const d = dim < 0 ? dim + x.ndim : dim;
  const n = x.shape[d];
  if (n % 2 !== 0) throw new Error(`glu: halving dimension must be even, but dimension ${d} of input ${fmtShape(x.shape)} has size ${n}`);
  const a = x.narrow(d, 0, n / 2), b = x.narrow(d, n / 2, n / 2);
  return a.mul(sigmoid(b));
}

/**
 * `prelu(x, weight)`: x for x > 0, weight·x otherwise, with one learnt slope (weight [1]) or one per
 * channel (weight [C], channels on dim 1).
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  checkFloat(x, "prelu");
  if (!(weight instanceof Tensor)) throw tensorArgError("prelu", "weight", weight);
  const channels = x.ndim >= 2 ? x.shape[1] : 1;
  const n = weight.numel();
  if (weight.ndim > 1) throw new Error(`prelu: weight must be 0-d or 1-d, got ${fmtShape(weight.shape)}`);
  if (n !== 1 && n !== channels) {
    throw new Error(`prelu: weight has ${n} values but input ${fmtShape(x.shape)} has ${channels} channel(s) on dim 1; give 1 value or ${channels}`);
  }
  const w = n === 1 ? weight.reshape([]) : weight.reshape(x.shape.map((s, i) => (i === 1 ? s : 1)));
  return where(x.gt(0), x, x.mul(w));
}

/**
 * `rrelu(x, 1/8, 1/3, training)`: leaky ReLU whose negative slope is drawn uniformly from
 * [lower, upper] per element when training, and is (lower + upper)/2 otherwise.
 */
export function rrelu(x: Tensor, lower = 1 / 8, upper = 1 / 3, training = false, opts: { generator?: Generator } = {}): Tensor {
  checkKeys("rrelu", opts, RRELU_KEYS);
  checkFloat(x, "rrelu");
  checkNumber(lower, "rrelu", "lower");
  checkNumber(upper, "rrelu", "upper");
  if (lower > upper) throw new Error(`rrelu: lower (${lower}) must not be greater than upper (${upper})`);
  if (!training) return leakyRelu(x, (lower + upper) / 2);
  const slope = rand(x.shape, { dtype: x.dtype, generator: opts.generator }).mul(upper - lower).add(lower);
  // PyTorch draws a slope for every x <= 0 (so the gradient at 0 is the slope, not 1).
  return where(x.gt(0), x, x.mul(slope));
}

/** `softmin(x, 1)`: softmax(−x), along `dim`. */
export function softmin(x: Tensor, dim: number, opts: { dtype?: DType } = {}): Tensor {
  checkKeys("softmin", opts, SOFTMIN_KEYS);
  checkFloat(x, "softmin");
  if (dim === undefined) throw new Error("softmin: give the dim to normalise along (e.g. softmin(x, 1)); PyTorch's implicit dim is deprecated");
  return softmax(opts.dtype ? x.to(opts.dtype).neg() : x.neg(), dim);
}

/** `softsign(x)`: x/(1 + |x|). */
export function softsign(x: Tensor): Tensor {
  checkFloat(x, "softsign");
  return x.div(abs(x).add(1));
}

/** `tanhshrink(x)`: x − tanh(x). */
export function tanhshrink(x: Tensor): Tensor {
  checkFloat(x, "tanhshrink");
  return x.sub(tanh(x));
}

/** `threshold(x, 0.1, 20)`: x where x > threshold, `value` elsewhere. */
export function threshold(x: Tensor, threshold: number, value: number): Tensor {
  checkNumeric(x, "threshold");
  checkNumber(threshold, "threshold", "threshold");
  checkNumber(value, "threshold", "value");
  // Select by x <= threshold so that NaN passes through, as PyTorch's.
  return where(x.le(threshold), value, x);
}

function checkLambd(lambd: number, fn: string): void {
  checkNumber(lambd, fn, "lambd");
  if (lambd < 0) throw new Error(`${fn}: lambd must be greater or equal to 0, got ${lambd}`);
}

/** `softshrink(x, 0.5)`: x − λ above λ, x + λ below −λ, 0 in between. */
export function softshrink(x: Tensor, lambd = 0.5): Tensor {
  checkFloat(x, "softshrink");
  checkLambd(lambd, "softshrink");
  return where(x.gt(lambd), x.sub(lambd), where(x.lt(-lambd), x.add(lambd), 0));
}

/** `hardshrink(x, 0.5)`: x where |x| > λ, 0 elsewhere (a negative λ keeps every x, as PyTorch's). */
export function hardshrink(x: Tensor, lambd = 0.5): Tensor {
  checkFloat(x, "hardshrink");
  checkNumber(lambd, "hardshrink", "lambd");
  return where(x.ge(-lambd).logicalAnd(x.le(lambd)), 0, x); // NaN passes through, as PyTorch's
}

// Optional parameters PyTorch code passes positionally, also taken as one trailing options object
// (API.md rule 3); the entry layer (src/tensor/guard.ts) spreads it into the arguments.
const OPTIONAL_ARGS = declareOptionalArgs({
  softplus: { first: 1, names: ["beta", "threshold"] },
  hardtanh: { first: 1, names: ["minVal", "maxVal"] },
  celu: { first: 1, names: ["alpha"] },
  glu: { first: 1, names: ["dim"] },
  softshrink: { first: 1, names: ["lambd"] },
  hardshrink: { first: 1, names: ["lambd"] },
  rrelu: { first: 1, names: ["lower", "upper", "training"], bag: ["generator"] },
});
export type ActivationsOptionalArgs = typeof OPTIONAL_ARGS;
