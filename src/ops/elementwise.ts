/**
 * Elementwise ops: unary math and activations, binary arithmetic with broadcasting and scalar
 * operands, comparisons, logical ops, where, and the in-place `_` variants optimizers and init use.
 */
import { argError, checkNumber, declareOptionalArgs, declareOptions } from "../tensor/check.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { type DType, isFloating, promoteTypes } from "../tensor/dtype.js";
import { broadcastShapes, fmt, sameShape } from "../tensor/shape.js";
import type { BinaryOp, ParamUnaryOp, UnaryOp } from "../backend/backend.js";
import { isGradEnabled, isInferenceMode } from "../autograd/grad-mode.js";
import { apply, asTensor, backend, checkOperand, defineOp, installMethods, resultType } from "./op.js";
import { checkWriteThroughView, clone, detach, expand, recordWriteThroughView, refreshBeforeWrite, to } from "./shape.js";
import { fullLike, onesLike, rand, randn, zerosLike, type RandomOptions } from "../tensor/creation.js";
import { viaFloat32 } from "./half-compute.js";
import { decodeHalf, encodeHalf, halfInUse, isHalf } from "../tensor/half.js";

export { onesLike, zerosLike };

declare module "../tensor/tensor.js" {
  interface Tensor {
    neg(): Tensor; exp(): Tensor; log(): Tensor; log1p(): Tensor; expm1(): Tensor; sqrt(): Tensor; rsqrt(): Tensor;
    abs(): Tensor; sign(): Tensor; sin(): Tensor; cos(): Tensor; tanh(): Tensor; sigmoid(): Tensor; relu(): Tensor;
    erf(): Tensor; floor(): Tensor; ceil(): Tensor; reciprocal(): Tensor; square(): Tensor;
    /** `x.round()`, `x.round({ decimals: 2 })`. */
    round(opts?: { decimals?: number }): Tensor;
    logicalNot(): Tensor; isfinite(): Tensor; isnan(): Tensor;
    /** GELU; `approximate: "tanh"` (or `{ approximate: "tanh" }`) selects the tanh formula. */
    gelu(approximate?: "none" | "tanh"): Tensor;
    gelu(opts: { approximate?: "none" | "tanh" }): Tensor;
    /** `x.leakyRelu(0.2)`, `x.leakyRelu({ negativeSlope: 0.2 })`. */
    leakyRelu(negativeSlope?: number): Tensor;
    leakyRelu(opts: { negativeSlope?: number }): Tensor;
    elu(alpha?: number): Tensor;
    elu(opts: { alpha?: number }): Tensor;
    /** `x.clamp(0, 1)`, `x.clamp({ max: 1 })`; bounds may be tensors (broadcast with x); either may be omitted (undefined). */
    clamp(min?: number | Tensor | null, max?: number | Tensor | null): Tensor;
    clamp(opts: { min?: number | Tensor | null; max?: number | Tensor | null }): Tensor;
    clamp(min: number | Tensor | null | undefined, opts: { max?: number | Tensor | null }): Tensor;
    /** `x.clampMin(0)`: clamp from below only. */
    clampMin(min: number | Tensor): Tensor;
    /** `x.clampMax(1)`: clamp from above only. */
    clampMax(max: number | Tensor): Tensor;
    /** `x.add(y)`, `x.add(y, { alpha: 2 })`: x + alpha·y. */
    add(other: TensorLike, opts?: { alpha?: number }): Tensor;
    /** `x.sub(y, { alpha: 2 })`: x − alpha·y. */
    sub(other: TensorLike, opts?: { alpha?: number }): Tensor;
    mul(other: TensorLike): Tensor;
    /** `x.div(y)`; `{ roundingMode: "trunc" | "floor" }` rounds the quotient (integers stay integer). */
    div(other: TensorLike, opts?: { roundingMode?: "trunc" | "floor" | null }): Tensor;
    pow(exponent: TensorLike): Tensor; maximum(other: TensorLike): Tensor; minimum(other: TensorLike): Tensor;
    remainder(other: TensorLike): Tensor; atan2(other: TensorLike): Tensor;
    eq(other: TensorLike): Tensor; ne(other: TensorLike): Tensor; lt(other: TensorLike): Tensor; le(other: TensorLike): Tensor;
    gt(other: TensorLike): Tensor; ge(other: TensorLike): Tensor;
    logicalAnd(other: TensorLike): Tensor; logicalOr(other: TensorLike): Tensor; logicalXor(other: TensorLike): Tensor;
    /** `x.maskedFill(mask, -Infinity)`: value (a number or 0-d tensor) where mask is true. */
    maskedFill(mask: Tensor, value: number | Tensor): Tensor;
    /** `x.where(cond, y)`: x where cond, else y. */
    where(cond: Tensor, other: TensorLike): Tensor;

    add_(other: TensorLike, opts?: { alpha?: number }): this; sub_(other: TensorLike, opts?: { alpha?: number }): this; mul_(other: TensorLike): this;
    div_(other: TensorLike, opts?: { roundingMode?: "trunc" | "floor" | null }): this;
    pow_(exponent: TensorLike): this; clamp_(min?: number | Tensor | null, max?: number | Tensor | null): this; neg_(): this; exp_(): this; sqrt_(): this;
    clamp_(opts: { min?: number | Tensor | null; max?: number | Tensor | null }): this;
    clamp_(min: number | Tensor | null | undefined, opts: { max?: number | Tensor | null }): this;
    abs_(): this; relu_(): this; sigmoid_(): this; tanh_(): this; leakyRelu_(negativeSlope?: number): this;
    leakyRelu_(opts: { negativeSlope?: number }): this;
    maskedFill_(mask: Tensor, value: number | Tensor): this;
    /** `p.addcmul_(a, b, v)`: p += v * a * b. */
    addcmul_(t1: Tensor, t2: Tensor, value?: number): this;
    /** `p.addcdiv_(a, b, v)`: p += v * a / b. */
    addcdiv_(t1: Tensor, t2: Tensor, value?: number): this;
    fill_(value: number | boolean): this;
    zero_(): this;
    /** Copies src (broadcast to this shape, converted to this dtype) into this tensor. */
    copy_(src: TensorLike): this;
    // Only the generator: the tensor keeps its dtype and its requiresGrad (the runtime rejects the others).
    uniform_(low?: number, high?: number, opts?: Pick<RandomOptions, "generator">): this;
    normal_(mean?: number, std?: number, opts?: Pick<RandomOptions, "generator">): this;
  }
}

// ---------------------------------------------------------------- unary

/** Ops whose result is fractional even for integer input: int/bool inputs are computed as float32. */
const FLOAT_RESULT = new Set<UnaryOp>(["exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "sin", "cos", "tanh", "sigmoid", "erf", "reciprocal", "gelu", "geluTanh"]);

/** Defines a unary op on the backend's `unary` kernel; `floatResult`: int/bool input computes as float32. */
export function unaryOp(op: UnaryOp, backward?: (g: Tensor, x: () => Tensor, out: () => Tensor) => Tensor, floatResult = FLOAT_RESULT.has(op)) {
  const def = defineOp<undefined>({
    name: op,
    forward([x]) {
      const out = Tensor.empty(x.shape, op === "logicalNot" ? "bool" : x.dtype);
      backend().unary(op, x.view_(), out.view_());
      return out;
    },
    backward: backward && ((g, s) => [backward(g, () => s.inputs[0], () => s.output)]),
  });
  return (x: Tensor): Tensor => apply(def, [floatResult && !isFloating(x.dtype) ? to(x, "float32") : x], undefined);
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);

const negOp = unaryOp("neg", (g) => neg(g));
/** `x.neg()`: -x. Bool tensors are refused, as PyTorch (invert a mask with logicalNot). */
export function neg(x: Tensor): Tensor {
  if (x.dtype === "bool") throw new Error("neg: negating a bool tensor is not supported; use x.logicalNot() to invert a mask");
  return negOp(x);
}
export const exp = unaryOp("exp", (g, _x, y) => mul(g, y()));
export const log = unaryOp("log", (g, x) => div(g, x()));
export const log1p = unaryOp("log1p", (g, x) => div(g, add(x(), 1)));
export const expm1 = unaryOp("expm1", (g, _x, y) => mul(g, add(y(), 1)));
export const sqrt = unaryOp("sqrt", (g, _x, y) => div(g, mul(y(), 2)));
export const rsqrt = unaryOp("rsqrt", (g, _x, y) => mul(g, mul(pow(y(), 3), -0.5)));
export const abs = unaryOp("abs", (g, x) => mul(g, sign(x())));
export const sign = unaryOp("sign", (g) => zerosLike(g));
export const sin = unaryOp("sin", (g, x) => mul(g, cos(x())));
export const cos = unaryOp("cos", (g, x) => mul(g, neg(sin(x()))));
export const tanh = unaryOp("tanh", (g, _x, y) => mul(g, sub(1, square(y()))));
export const sigmoid = unaryOp("sigmoid", (g, _x, y) => mul(g, mul(y(), sub(1, y()))));
// One fused kernel (y <= 0 ? +0 : g, PyTorch's threshold_backward), not where(y > 0, g, 0)'s two
// kernels and a mask: masked-out elements get +0 (not -0, nor NaN from an inf/NaN g), as PyTorch.
export const relu = unaryOp("relu", (g, _x, y) => reluBackward(y(), g));
export const erf = unaryOp("erf", (g, x) => mul(g, mul(exp(neg(square(x()))), 2 / Math.sqrt(Math.PI))));
export const floor = unaryOp("floor", (g) => zerosLike(g));
export const ceil = unaryOp("ceil", (g) => zerosLike(g));
const roundOp = unaryOp("round", (g) => zerosLike(g));

/**
 * `x.round()`: to the nearest integer, halves to even (as PyTorch). `{ decimals: 2 }` rounds at
 * 10^-2 the way PyTorch does (x·100, round, /100; negative decimals divide first).
 */
export function round(x: Tensor, opts: { decimals?: number } = {}): Tensor {
  const decimals = opts.decimals ?? 0;
  if (!Number.isInteger(decimals)) throw new Error(`round: decimals must be an integer, got ${decimals}`);
  if (decimals === 0) return roundOp(x);
  const ten = 10 ** Math.abs(decimals);
  return decimals > 0 ? div(roundOp(mul(x, ten)), ten) : mul(roundOp(div(x, ten)), ten);
}
export const reciprocal = unaryOp("reciprocal", (g, _x, y) => mul(g, neg(square(y()))));
export const square = unaryOp("square", (g, x) => mul(g, mul(x(), 2)));
export const logicalNot = unaryOp("logicalNot");
const geluExact = unaryOp("gelu", (g, xf) => {
  const x = xf();
  const cdf = mul(add(erf(div(x, Math.SQRT2)), 1), 0.5);
  const pdf = div(exp(mul(square(x), -0.5)), SQRT_2PI);
  return mul(g, add(cdf, mul(x, pdf)));
});
const geluApprox = unaryOp("geluTanh", (g, xf) => {
  const x = xf();
  const k = Math.sqrt(2 / Math.PI);
  const t = tanh(mul(add(x, mul(pow(x, 3), 0.044715)), k));
  const dt = mul(sub(1, square(t)), mul(add(mul(square(x), 3 * 0.044715), 1), k));
  return mul(g, add(mul(add(t, 1), 0.5), mul(mul(x, dt), 0.5)));
});

export function gelu(x: Tensor, approximate: "none" | "tanh" = "none"): Tensor {
  if (approximate !== "none" && approximate !== "tanh") throw new Error(`gelu: approximate must be "none" or "tanh", got ${JSON.stringify(approximate)}`);
  return approximate === "tanh" ? geluApprox(x) : geluExact(x);
}

function paramOp(op: ParamUnaryOp, backward: (g: Tensor, x: Tensor, y: () => Tensor, p: number, q: number) => Tensor) {
  const def = defineOp<{ p: number; q: number }>({
    name: op,
    forward([x], { p, q }) {
      const out = Tensor.empty(x.shape, x.dtype);
      backend().unaryParam(op, x.view_(), out.view_(), p, q);
      return out;
    },
    backward: (g, s) => [backward(g, s.inputs[0], () => s.output, s.attrs.p, s.attrs.q)],
  });
  return (x: Tensor, p: number, q = 0): Tensor => apply(def, [x], { p, q });
}

// Scale g itself: where(x > 0, 1, slope) would be float32 (two JS scalars) and round the slope.
const leakyReluOp = paramOp("leakyRelu", (g, x, _y, slope) => where(gt(x, 0), g, mul(g, slope)));
// From the input, as PyTorch's elu_backward(is_result=false): α·eˣ, not y + α, which cancels when y
// is a rounded (16-bit) value near −α.
const eluOp = paramOp("elu", (g, x, _y, alpha) => where(gt(x, 0), g, mul(g, mul(exp(x), alpha))));
const clampOp = paramOp("clamp", (g, x, _y, lo, hi) => where(logicalAnd(ge(x, lo), le(x, hi)), g, 0));
const powScalarOp = paramOp("powScalar", (g, x, _y, p) => (p === 0 ? zerosLike(g) : mul(g, mul(powScalar(x, p - 1), p))));

function powScalar(x: Tensor, p: number): Tensor {
  if (!isFloating(x.dtype) && Number.isInteger(p) && p < 0) {
    throw new Error(`pow: integer tensors to negative integer powers are not allowed (got ${x.dtype} to the ${p}); cast first, e.g. x.float().pow(${p})`);
  }
  return powScalarOp(isFloating(x.dtype) || Number.isInteger(p) ? x : to(x, "float32"), p);
}

export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  // A non-number slope would make every negative element NaN.
  if (typeof negativeSlope !== "number") throw argError("leakyRelu", "negativeSlope", "a number", negativeSlope);
  return leakyReluOp(x, negativeSlope);
}

export function elu(x: Tensor, alpha = 1): Tensor {
  if (typeof alpha !== "number") throw argError("elu", "alpha", "a number", alpha);
  return eluOp(x, alpha);
}

/**
 * `x.clamp(0, 1)`, `x.clamp(lo, hi)` with tensor bounds (broadcast with x), or one bound (the other
 * undefined/null). With min > max every element becomes max, as PyTorch.
 */
export function clamp(x: Tensor, min?: number | Tensor | null, max?: number | Tensor | null): Tensor {
  if ((min === undefined || min === null) && (max === undefined || max === null)) throw new Error("clamp: give at least one of min and max");
  if (min instanceof Tensor || max instanceof Tensor) return clampTensor(x, min ?? null, max ?? null);
  for (const [arg, v] of [["min", min], ["max", max]] as const) if (v != null && typeof v !== "number") throw argError("clamp", arg, "a number, a Tensor or null", v);
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  // Fractional bounds promote integer tensors to float, as PyTorch's result type rules do.
  const fractional = [lo, hi].some((b) => Number.isFinite(b) && !Number.isInteger(b));
  return clampOp(!isFloating(x.dtype) && fractional ? to(x, "float32") : x, lo, hi);
}

/**
 * Tensor bounds: forward min(max(x, lo), hi) (NaN anywhere gives NaN). The gradient goes to
 * whichever of x, lo, hi was selected, as PyTorch: x where lo <= x <= hi, lo where x < lo <= hi,
 * hi where x > hi or lo > hi; nowhere for a NaN.
 */
const clampTensorOp = defineOp<{ hasMin: boolean; hasMax: boolean }>({
  name: "clamp",
  forward(inputs, { hasMin, hasMax }) {
    let r = detach(inputs[0]);
    if (hasMin) r = maximum(r, detach(inputs[1]));
    if (hasMax) r = minimum(r, detach(inputs[hasMin ? 2 : 1]));
    return detach(r);
  },
  backward: (g, { inputs, attrs: { hasMin, hasMax } }) => {
    const x = inputs[0];
    const lo = hasMin ? inputs[1] : null;
    const hi = hasMax ? inputs[hasMin ? 2 : 1] : null;
    let xMask: Tensor | null = null;
    const grads: Tensor[] = [];
    if (lo) xMask = ge(x, lo);
    if (hi) xMask = xMask ? logicalAnd(xMask, le(x, hi)) : le(x, hi);
    grads.push(where(xMask!, g, 0));
    if (lo) grads.push(where(hi ? logicalAnd(lt(x, lo), le(lo, hi)) : lt(x, lo), g, 0));
    if (hi) grads.push(where(lo ? logicalOr(gt(x, hi), gt(lo, hi)) : gt(x, hi), g, 0));
    return grads;
  },
});

function clampTensor(x: Tensor, min: number | Tensor | null, max: number | Tensor | null): Tensor {
  const bounds = [min, max].filter((b): b is number | Tensor => b !== null);
  let dtype = x.dtype;
  let shape: readonly number[] = x.shape;
  for (const b of bounds) {
    dtype = promoteTypes(dtype, resultType(x, b));
    if (b instanceof Tensor) shape = broadcastShapes(shape, b.shape, "clamp");
  }
  const as = (v: number | Tensor): Tensor => expand(to(asTensor(v, dtype), dtype), shape);
  return apply(clampTensorOp, [as(x), ...bounds.map(as)], { hasMin: min !== null, hasMax: max !== null });
}

/** `clampMin(x, 0)`: max(x, min), PyTorch's clamp_min. */
export function clampMin(x: Tensor, min: number | Tensor): Tensor {
  // clamp's "give at least one of min and max" would not fit a call that takes one bound.
  if (min == null) throw argError("clampMin", "min", "a number or a Tensor", min);
  return clamp(x, min, null);
}

/** `clampMax(x, 1)`: min(x, max), PyTorch's clamp_max. */
export function clampMax(x: Tensor, max: number | Tensor): Tensor {
  if (max == null) throw argError("clampMax", "max", "a number or a Tensor", max);
  return clamp(x, null, max);
}

// ---------------------------------------------------------------- binary

export type BinaryKind = "arith" | "float" | "compare";

export type BinaryGrad = (g: Tensor, a: () => Tensor, b: () => Tensor, out: () => Tensor) => Tensor;

/**
 * `grads` gives one rule per input; a rule runs only when that input needs a gradient, so that e.g.
 * `y.mul_(2)` after `y = x.mul(w)` does not read the overwritten y for a gradient nobody wants.
 */
/** Defines a broadcasting binary op on the backend's `binary` kernel ("float": int operands compute as float32). */
export function binaryOp(op: BinaryOp, kind: BinaryKind, grads?: [BinaryGrad, BinaryGrad], saves?: readonly number[]) {
  const def = defineOp<undefined>({
    name: op,
    saves,
    forward([a, b]) {
      const out = Tensor.empty(a.shape, kind === "compare" ? "bool" : a.dtype);
      backend().binary(op, a.view_(), b.view_(), out.view_());
      return out;
    },
    backward: grads && ((g, s) => {
      const a = (): Tensor => s.inputs[0], b = (): Tensor => s.inputs[1], out = (): Tensor => s.output;
      return [s.needsInputGrad[0] ? grads[0](g, a, b, out) : null, s.needsInputGrad[1] ? grads[1](g, a, b, out) : null];
    }),
  });
  return (a: TensorLike, b: TensorLike): Tensor => {
    let dtype: DType = resultType(a, b, op);
    if (kind === "float" && !isFloating(dtype)) dtype = "float32";
    const ta = to(asTensor(a, dtype), dtype);
    const tb = to(asTensor(b, dtype), dtype);
    const shape = broadcastShapes(ta.shape, tb.shape, op);
    return apply(def, [expand(ta, shape), expand(tb, shape)], undefined);
  };
}

// Their rules read no input (saves: []), so an inference tensor may be an operand (as in PyTorch).
const addOp = binaryOp("add", "arith", [(g) => g, (g) => g], []);
const subOp = binaryOp("sub", "arith", [(g) => g, (g) => neg(g)], []);
export const mul = binaryOp("mul", "arith", [(g, _a, b) => mul(g, b()), (g, a) => mul(g, a())]);
const divOp = binaryOp("div", "float", [(g, _a, b) => div(g, b()), (g, a, b) => neg(div(mul(g, a()), square(b())))]);

/** `other` scaled by alpha; integer tensors refuse a fractional alpha, as PyTorch. */
function scaled(op: string, self: TensorLike, other: TensorLike, alpha: number | undefined): TensorLike {
  if (alpha === undefined || alpha === 1) return other;
  if (typeof alpha !== "number" || Number.isNaN(alpha)) throw new Error(`${op}: alpha must be a number, got ${String(alpha)}`);
  if (!Number.isInteger(alpha) && !isFloating(resultType(self, other))) {
    throw new Error(`${op}: integer tensors take an integer alpha, got ${alpha} (convert to float first)`);
  }
  return typeof other === "number" || typeof other === "boolean" ? Number(other) * alpha : mul(other, alpha);
}

/** `add(a, b)`, `add(a, b, { alpha })`: a + alpha·b, with broadcasting. */
export function add(a: TensorLike, b: TensorLike, opts: { alpha?: number } = {}): Tensor {
  if (opts.alpha !== undefined && halfInUse() && resultType(a, b) === "bfloat16") {
    // PyTorch 1.13's bfloat16 add computes a + alpha·b in float (alpha rounded to bfloat16) and rounds
    // once; its float16 add rounds alpha·b first, as the composite below does (optimizers rely on both).
    const alpha = halfAlpha(a, b, opts.alpha);
    return viaFloat32((x: TensorLike, y: TensorLike) => addOp(x, scaled("add", x, y, alpha)), a, b);
  }
  return addOp(a, scaled("add", a, b, opts.alpha));
}

/** `sub(a, b)`, `sub(a, b, { alpha })`: a − alpha·b, with broadcasting. */
export function sub(a: TensorLike, b: TensorLike, opts: { alpha?: number } = {}): Tensor {
  if (opts.alpha !== undefined && halfInUse() && resultType(a, b) === "bfloat16") {
    const alpha = halfAlpha(a, b, opts.alpha);
    return viaFloat32((x: TensorLike, y: TensorLike) => subOp(x, scaled("sub", x, y, alpha)), a, b);
  }
  return subOp(a, scaled("sub", a, b, opts.alpha));
}

/** PyTorch's bfloat16 add/sub kernels round alpha to bfloat16 first (as a Python scalar operand is rounded). */
function halfAlpha(a: TensorLike, b: TensorLike, alpha: number): number {
  if (typeof alpha !== "number") return alpha;
  const dt = resultType(a, b);
  return isHalf(dt) ? decodeHalf(encodeHalf(alpha, dt), dt) : alpha;
}

const trunc = unaryOp("trunc", (g) => zerosLike(g), false);
const floorDivideOp = binaryOp("floorDivide", "arith", [(g) => zerosLike(g), (g) => zerosLike(g)]);

/** Integer division by zero throws (PyTorch's ZeroDivisionError); float division gives inf/NaN. */
function checkIntDivisor(op: string, a: TensorLike, b: TensorLike): void {
  const dtype = resultType(a, b);
  if (isFloating(dtype)) return;
  // The zero test runs as a kernel: it is exact for int64 values a number cannot hold.
  const d = eq(asTensor(b, dtype), 0).numbers();
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) throw new RangeError(`${op}: integer division by zero`);
}

/** `floorDivide(a, b)`: a / b rounded toward −∞ (PyTorch's floor_divide); no gradient, as PyTorch. */
export function floorDivide(a: TensorLike, b: TensorLike): Tensor {
  checkIntDivisor("floorDivide", a, b);
  return floorDivideOp(a, b);
}

/**
 * `div(a, b)`: true division (integers give float32). `{ roundingMode: "trunc" }` rounds toward
 * zero and `"floor"` toward −∞; with a rounding mode integer operands stay integer.
 */
export function div(a: TensorLike, b: TensorLike, opts: { roundingMode?: "trunc" | "floor" | null } = {}): Tensor {
  const mode = opts.roundingMode ?? null;
  // A number over a tensor is PyTorch's `s / t`, which Python evaluates as t.reciprocal() * s
  // (Tensor.__rtruediv__): -2.5 / 3 is then -0.8333333333333333, not the quotient's ...334.
  if (mode === null) return b instanceof Tensor && !(a instanceof Tensor) ? mul(reciprocal(b), a) : divOp(a, b);
  if (mode === "floor") return floorDivide(a, b);
  if (mode !== "trunc") throw new Error(`div: roundingMode must be "trunc", "floor" or null, got ${JSON.stringify(mode)}`);
  const dtype = resultType(a, b);
  if (isFloating(dtype)) return trunc(divOp(a, b));
  checkIntDivisor("div", a, b);
  // int64 quotients can exceed 2^53, so the float route below would round: the truncated quotient is
  // the floor quotient plus one where the division is inexact and the signs differ (all in bigint).
  if (dtype === "int64") {
    const up = logicalAnd(ne(remainder(a, b), 0), ne(lt(a, 0), lt(b, 0)));
    return add(floorDivideOp(a, b), to(up, "int64"));
  }
  // int32 quotients are exact in double precision, so truncating the float quotient is exact.
  return to(trunc(to(divOp(a, b), "float64")), dtype);
}

export { trunc };
const powTensor = binaryOp("pow", "float", [
  (g, a, b) => mul(g, mul(b(), pow(a(), sub(b(), 1)))),
  (g, a, _b, out) => mul(g, mul(out(), log(a()))),
]);
/**
 * Ties send half the gradient each way, as PyTorch; where a comparison is NaN (a NaN operand) both
 * inputs get the whole gradient, as PyTorch's rule (zero only where the input strictly lost).
 */
const tieSplit = (g: Tensor, lost: Tensor, tie: Tensor): Tensor => where(lost, 0, where(tie, mul(g, 0.5), g));
export const maximum = binaryOp("maximum", "arith", [
  (g, a, b) => tieSplit(g, lt(a(), b()), eq(a(), b())),
  (g, a, b) => tieSplit(g, gt(a(), b()), eq(a(), b())),
]);
export const minimum = binaryOp("minimum", "arith", [
  (g, a, b) => tieSplit(g, gt(a(), b()), eq(a(), b())),
  (g, a, b) => tieSplit(g, lt(a(), b()), eq(a(), b())),
]);
export const remainder = binaryOp("remainder", "arith", [(g) => g, (g, a, b) => mul(neg(g), floor(div(a(), b())))]);
export const atan2 = binaryOp("atan2", "float", [
  (g, a, b) => div(mul(g, b()), add(square(a()), square(b()))),
  (g, a, b) => div(mul(neg(g), a()), add(square(a()), square(b()))),
]);
/**
 * ReLU's gradient given its output y and the incoming gradient g, in one kernel. Its own gradient:
 * none for y (piecewise constant), the same mask for g.
 */
const reluBackward = binaryOp("reluBackward", "arith", [(gg) => zerosLike(gg), (gg, y) => reluBackward(y(), gg)]);
export const eq = binaryOp("eq", "compare");
export const ne = binaryOp("ne", "compare");
export const lt = binaryOp("lt", "compare");
export const le = binaryOp("le", "compare");
export const gt = binaryOp("gt", "compare");
export const ge = binaryOp("ge", "compare");
export const logicalAnd = binaryOp("logicalAnd", "compare");
export const logicalOr = binaryOp("logicalOr", "compare");
export const logicalXor = binaryOp("logicalXor", "compare");

/** True where x is neither NaN nor ±Infinity. */
export function isfinite(x: Tensor): Tensor {
  return logicalAnd(eq(x, x), lt(abs(x), Infinity));
}

/** True where x is NaN. */
export function isnan(x: Tensor): Tensor {
  return ne(x, x);
}

/** `pow(x, 2)` or `pow(x, y)`: a number exponent uses the scalar kernel. */
export function pow(x: TensorLike, exponent: TensorLike): Tensor {
  if (x instanceof Tensor && typeof exponent === "number") return powScalar(x, exponent);
  return powTensor(x, exponent);
}

const whereOp = defineOp<undefined>({
  name: "where",
  saves: [0],
  forward([c, a, b]) {
    const out = Tensor.empty(a.shape, a.dtype);
    backend().where(c.view_(), a.view_(), b.view_(), out.view_());
    return out;
  },
  backward: (g, s) => {
    const c = s.inputs[0];
    return [null, s.needsInputGrad[1] ? where(c, g, 0) : null, s.needsInputGrad[2] ? where(c, 0, g) : null];
  },
});

/** `where(cond, a, b)`: a where cond is true, else b (all broadcast together). */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const dtype = resultType(a, b);
  const ta = to(asTensor(a, dtype), dtype);
  const tb = to(asTensor(b, dtype), dtype);
  const shape = broadcastShapes(broadcastShapes(cond.shape, ta.shape, "where"), tb.shape, "where");
  return apply(whereOp, [expand(to(cond, "bool"), shape), expand(ta, shape), expand(tb, shape)], undefined);
}

/**
 * `x.maskedFill(mask, -Infinity)`: value where mask is true. The value may be a 0-d tensor (its
 * gradient is the sum over the filled places); mask broadcasts with x, and the result has the
 * broadcast shape (as PyTorch's out-of-place masked_fill).
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number | Tensor): Tensor {
  if (mask.dtype !== "bool") throw new Error(`maskedFill: mask must be a bool tensor, got ${mask.dtype} (compare first, e.g. x.eq(0))`);
  if (value instanceof Tensor && value.ndim !== 0) {
    throw new Error(`maskedFill: value must be a number or a 0-d tensor, got shape ${fmt(value.shape)} (use where(mask, values, x) for a tensor of values)`);
  }
  broadcastShapes(x.shape, mask.shape, "maskedFill");
  return to(where(mask, value instanceof Tensor ? to(value, x.dtype) : value, x), x.dtype);
}

// ---------------------------------------------------------------- in place

/**
 * Runs `compute` on this tensor and writes the result back into its storage. With grad mode on,
 * the tensor takes over the result's graph node; rules that saved this tensor itself (e.g. exp saves
 * its output) notice the overwrite through the shared version counter. Writing through a view
 * rewrites the graph of the view's base (see recordWriteThroughView).
 */
export function inplace<T extends Tensor>(self: T, op: string, compute: (src: Tensor) => Tensor): T {
  const recording = isGradEnabled();
  const leafMessage = (what: string): string =>
    `${op}: ${what} that requires grad cannot be modified in place while gradients are recorded; ` +
    `wrap the update in noGrad(() => ...) as optimizers do, or use the out-of-place ${op.replace(/_$/, "")}`;
  if (recording && self.requiresGrad && self.isLeaf) throw new Error(leafMessage("a leaf tensor"));
  if (self.isInference() && !isInferenceMode()) {
    throw new Error(`${op}: an inference tensor (made inside inferenceMode) cannot be modified in place outside inferenceMode; make a normal tensor with x.clone() first`);
  }
  const root = self.base;
  if (recording && root !== null && root.requiresGrad && root.isLeaf) throw new Error(leafMessage("a view of a leaf tensor"));
  if (recording) refreshBeforeWrite(self);
  // The op reads a copy of the old value: a rule that saved it (mul_(w) saves it for w's gradient)
  // keeps it intact when this tensor is overwritten now or later, as PyTorch saves the original self.
  let src: Tensor = recording && self.requiresGrad ? clone(self) : self;
  let r = compute(src);
  // A constant target with an operand that requires grad (buf.mul_(w)): the rule may have saved the
  // target itself, which is about to be overwritten; redo it on a copy (rare, so computing twice is fine).
  if (recording && r.requiresGrad && src === self) {
    src = clone(self);
    r = compute(src);
  }
  // fill_/zero_/copy_(constant): the new value does not depend on the old one, so the old graph must
  // not stay attached to this tensor (its gradient would flow back as if nothing had changed).
  if (recording && self.requiresGrad && !r.requiresGrad) r = apply(overwriteOp, [src, r], undefined);
  // copy_(leaf): the result is the leaf itself, which has no node to hand over; go through one.
  if (recording && r.requiresGrad && r.isLeaf) r = clone(r);
  if (!sameShape(r.shape, self.shape)) {
    throw new Error(`${op}: the result has shape ${fmt(r.shape)} but the tensor modified in place has shape ${fmt(self.shape)}; in-place ops cannot change shape`);
  }
  if (promoteTypes(r.dtype, self.dtype) !== self.dtype) {
    throw new Error(`${op}: the result is ${r.dtype} and cannot be stored in place into a ${self.dtype} tensor; use the out-of-place ${op.replace(/_$/, "")}`);
  }
  const throughView = recording && root !== null && (r.requiresGrad || root.requiresGrad);
  if (throughView) checkWriteThroughView(self, op);
  backend().copy(r.view_(), self.view_());
  self.storage.version++;
  if (throughView) recordWriteThroughView(self, r);
  else if (recording && r.requiresGrad) {
    self.gradFn = r.gradFn;
    self.requiresGrad = true;
  }
  return self;
}

/** `r` replacing `old` wholesale: the value is r's, and old gets a zero gradient (PyTorch's FillBackward). */
const overwriteOp = defineOp<undefined>({
  name: "overwrite",
  saves: [],
  forward([, r]) {
    // An inference tensor's memory stays an inference tensor's: copy it (x.copy_(i) with x requiring grad).
    return r.isInference() ? clone(r) : new Tensor(r.storage, r.shape, r.strides, r.offset, r.dtype);
  },
  backward: (g) => [zerosLike(g), null],
});

/** addcmul_/addcdiv_'s operands, checked under their own names. */
function operands(op: string, a: Tensor, b: Tensor, v: unknown): [Tensor, Tensor] {
  checkOperand(op, "tensor1", a);
  checkOperand(op, "tensor2", b);
  checkNumber(op, "value", v);
  return [a, b];
}

function inplaceOf<A extends unknown[]>(op: string, fn: (x: Tensor, ...args: A) => Tensor) {
  return (self: Tensor, ...args: A): Tensor => inplace(self, op, (src) => fn(src, ...args));
}

// The keys each op's trailing options object takes: the entry layer (check.ts) rejects any other.
declareOptions({
  add: ["alpha"], sub: ["alpha"], div: ["roundingMode"], round: ["decimals"],
  add_: ["alpha"], sub_: ["alpha"], div_: ["roundingMode"],
  uniform_: ["generator"], normal_: ["generator"],
});
// Optional parameters PyTorch code passes positionally, also taken as one options object (API.md rule 3);
// the type of the declaration gives the exported functions those forms (core.ts, options-form.ts).
const OPTIONAL_ARGS = declareOptionalArgs({
  leakyRelu: { first: 1, names: ["negativeSlope"] }, leakyRelu_: { first: 1, names: ["negativeSlope"] },
  elu: { first: 1, names: ["alpha"] }, gelu: { first: 1, names: ["approximate"] },
  clamp: { first: 1, names: ["min", "max"] }, clamp_: { first: 1, names: ["min", "max"] },
});
export type ElementwiseOptionalArgs = typeof OPTIONAL_ARGS;

installMethods({
  neg, exp, log, log1p, expm1, sqrt, rsqrt, abs, sign, sin, cos, tanh, sigmoid, relu, erf, floor, ceil, round, trunc, floorDivide,
  reciprocal, square, logicalNot, gelu, leakyRelu, elu, clamp, add, sub, mul, div, pow, maximum, minimum, remainder,
  atan2, eq, ne, lt, le, gt, ge, logicalAnd, logicalOr, logicalXor, maskedFill, isfinite, isnan,
  where: (x: Tensor, cond: Tensor, other: TensorLike) => where(cond, x, other),
  clampMin, clampMax,
  add_: inplaceOf("add_", add), sub_: inplaceOf("sub_", sub), mul_: inplaceOf("mul_", mul), div_: inplaceOf("div_", div),
  pow_: inplaceOf("pow_", pow), clamp_: inplaceOf("clamp_", clamp), neg_: inplaceOf("neg_", neg), exp_: inplaceOf("exp_", exp),
  sqrt_: inplaceOf("sqrt_", sqrt), abs_: inplaceOf("abs_", abs), relu_: inplaceOf("relu_", relu),
  sigmoid_: inplaceOf("sigmoid_", sigmoid), tanh_: inplaceOf("tanh_", tanh), leakyRelu_: inplaceOf("leakyRelu_", leakyRelu),
  maskedFill_: inplaceOf("maskedFill_", maskedFill),
  // Operands checked under PyTorch's parameter names (tensor1, tensor2, value), not mul's input/other.
  // On 16-bit tensors in float32, rounded once, as PyTorch's addcmul/addcdiv kernels (optimizers use
  // them); addcmul multiplies value·t1 first, as PyTorch's kernel, addcdiv divides first.
  addcmul_: inplaceOf("addcmul_", (x: Tensor, a: Tensor, b: Tensor, v = 1) => {
    const [t1, t2] = operands("addcmul_", a, b, v);
    return viaFloat32((xx: Tensor, aa: Tensor, bb: Tensor) => add(xx, mul(mul(aa, v), bb)), x, t1, t2);
  }),
  addcdiv_: inplaceOf("addcdiv_", (x: Tensor, a: Tensor, b: Tensor, v = 1) => {
    const [t1, t2] = operands("addcdiv_", a, b, v);
    return viaFloat32((xx: Tensor, aa: Tensor, bb: Tensor) => add(xx, mul(div(aa, bb), v)), x, t1, t2);
  }),
  fill_: inplaceOf("fill_", (x: Tensor, v: number | boolean) => fullLike(x, v)),
  zero_: inplaceOf("zero_", (x: Tensor) => zerosLike(x)),
  copy_: inplaceOf("copy_", (x: Tensor, src: TensorLike) => expand(to(asTensor(src, x.dtype), x.dtype), x.shape)),
  // PyTorch's names: uniform_(from, to), normal_(mean, std); a string would otherwise reach `hi - lo`.
  uniform_: inplaceOf("uniform_", (x: Tensor, lo = 0, hi = 1, opts: Pick<RandomOptions, "generator"> = {}) =>
    add(mul(rand(x.shape, { ...opts, dtype: x.dtype }), checkNumber("uniform_", "to", hi) - checkNumber("uniform_", "from", lo)), lo)),
  normal_: inplaceOf("normal_", (x: Tensor, mean = 0, std = 1, opts: Pick<RandomOptions, "generator"> = {}) =>
    add(mul(randn(x.shape, { ...opts, dtype: x.dtype }), checkNumber("normal_", "std", std, { min: 0 })), checkNumber("normal_", "mean", mean))),
});
