/**
 * Unary elementwise ops: math functions and activations (one kernel each, float results for integer
 * input where PyTorch gives them), the parametrised ones (leakyRelu, elu, clamp, pow by a scalar) and
 * clamp by tensors. Their backward rules use the binary ops (./binary.ts), which use these in turn:
 * the two files import each other, and only call across inside rules, never while loading.
 */
import { argError } from "../tensor/check.js";
import { Tensor } from "../tensor/tensor.js";
import { isFloating, promoteTypes } from "../tensor/dtype.js";
import { broadcastShapes } from "../tensor/shape.js";
import type { ParamUnaryOp, UnaryOp } from "../backend/backend.js";
import { apply, asTensor, backend, defineOp, resultType } from "./op.js";
import { detach, expand, to } from "./shape.js";
import { zerosLike } from "../tensor/creation.js";
import { add, div, ge, gt, le, logicalAnd, logicalOr, lt, maximum, minimum, mul, pow, reluBackward, sub, where } from "./binary.js";

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

/** x ** p for a number p (./binary.ts's pow takes this path); not re-exported by elementwise.ts. */
export function powScalar(x: Tensor, p: number): Tensor {
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

/** `clip(x, 0, 1)`: PyTorch's alias of clamp (torch.clip), the same op under the other name. */
export function clip(x: Tensor, min?: number | Tensor | null, max?: number | Tensor | null): Tensor {
  return clamp(x, min, max);
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

/** `trunc(x)`: rounds toward zero (floor division's integer path uses it too). */
export const trunc = unaryOp("trunc", (g) => zerosLike(g), false);
