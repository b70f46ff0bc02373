/**
 * Binary elementwise ops with broadcasting and scalar operands: arithmetic (add, sub, mul, div, pow,
 * maximum, ...), comparisons and logical ops (bool results), where and maskedFill.
 */
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { type DType, isFloating } from "../tensor/dtype.js";
import { broadcastShapes, fmt } from "../tensor/shape.js";
import type { BinaryOp } from "../backend/backend.js";
import { apply, asTensor, backend, defineOp, resultType } from "./op.js";
import { expand, to } from "./shape.js";
import { zerosLike } from "../tensor/creation.js";
import { abs, floor, log, neg, powScalar, reciprocal, square, trunc } from "./unary.js";
import { viaFloat32 } from "./half-compute.js";
import { decodeHalf, encodeHalf, halfInUse, isHalf } from "../tensor/half.js";

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
/** ReLU's backward as one kernel (./unary.ts relu); not re-exported by elementwise.ts. */
export const reluBackward = binaryOp("reluBackward", "arith", [(gg) => zerosLike(gg), (gg, y) => reluBackward(y(), gg)]);
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
