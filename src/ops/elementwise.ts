/**
 * Elementwise ops: unary math and activations (./unary.ts), binary arithmetic with broadcasting and
 * scalar operands, comparisons, logical ops and where (./binary.ts), and here the Tensor methods, the
 * in-place `_` variants optimizers and init use, and the options declarations.
 */
import { checkNumber, declareOptionalArgs, declareOptions, describe } from "../tensor/check.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { isFloating, promoteTypes } from "../tensor/dtype.js";
import { fmt, sameShape } from "../tensor/shape.js";
import { isGradEnabled, isInferenceMode } from "../autograd/grad-mode.js";
import { apply, asTensor, backend, checkOperand, defineOp, installMethods } from "./op.js";
import { checkWriteThroughView, clone, expand, recordWriteThroughView, refreshBeforeWrite, to } from "./shape.js";
import { fullLike, onesLike, rand, randn, zerosLike, type RandomOptions } from "../tensor/creation.js";
import { viaFloat32 } from "./half-compute.js";

export { onesLike, zerosLike };

// The ops live by kind in ./unary.ts and ./binary.ts; this file is their public face (every importer
// reads them from here), with the Tensor method declarations, the in-place variants and the options.
import {
  unaryOp, neg, exp, log, log1p, expm1, sqrt, rsqrt, abs, sign, sin, cos, tanh, sigmoid, relu, erf, floor, ceil, round, trunc,
  reciprocal, square, logicalNot, gelu, leakyRelu, elu, clamp, clip, clampMin, clampMax,
} from "./unary.js";
import {
  binaryOp, mul, add, sub, floorDivide, div, maximum, minimum, remainder, atan2, eq, ne, lt, le, gt, ge, logicalAnd,
  logicalOr, logicalXor, isfinite, isnan, pow, where, maskedFill,
} from "./binary.js";
export {
  unaryOp, neg, exp, log, log1p, expm1, sqrt, rsqrt, abs, sign, sin, cos, tanh, sigmoid, relu, erf, floor, ceil, round, trunc,
  reciprocal, square, logicalNot, gelu, leakyRelu, elu, clamp, clip, clampMin, clampMax,
};
export { type BinaryGrad, type BinaryKind } from "./binary.js";
export {
  binaryOp, mul, add, sub, floorDivide, div, maximum, minimum, remainder, atan2, eq, ne, lt, le, gt, ge, logicalAnd,
  logicalOr, logicalXor, isfinite, isnan, pow, where, maskedFill,
};

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
    /** `x.clip(0, 1)`: PyTorch's alias of clamp. */
    clip(min?: number | Tensor | null, max?: number | Tensor | null): Tensor;
    clip(opts: { min?: number | Tensor | null; max?: number | Tensor | null }): Tensor;
    clip(min: number | Tensor | null | undefined, opts: { max?: number | Tensor | null }): Tensor;
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
    /** `x.clip_(0, 1)`: PyTorch's alias of clamp_. */
    clip_(min?: number | Tensor | null, max?: number | Tensor | null): this;
    clip_(opts: { min?: number | Tensor | null; max?: number | Tensor | null }): this;
    clip_(min: number | Tensor | null | undefined, opts: { max?: number | Tensor | null }): this;
    abs_(): this; relu_(): this; sigmoid_(): this; tanh_(): this; leakyRelu_(negativeSlope?: number): this;
    leakyRelu_(opts: { negativeSlope?: number }): this;
    maskedFill_(mask: Tensor, value: number | Tensor): this;
    /** `x.addcmul(t1, t2, { value })`: x + value·t1·t2, broadcast (torch.addcmul; value is keyword-only there, a number or 0-d tensor). */
    addcmul(tensor1: Tensor, tensor2: Tensor, opts?: { value?: number | Tensor }): Tensor;
    /** `x.addcdiv(t1, t2, { value })`: x + value·t1/t2, broadcast (torch.addcdiv). */
    addcdiv(tensor1: Tensor, tensor2: Tensor, opts?: { value?: number | Tensor }): Tensor;
    /** `p.addcmul_(a, b, v)`: p += v * a * b (v a number or 0-d tensor). */
    addcmul_(t1: Tensor, t2: Tensor, value?: number | Tensor): this;
    /** `p.addcdiv_(a, b, v)`: p += v * a / b. */
    addcdiv_(t1: Tensor, t2: Tensor, value?: number | Tensor): this;
    fill_(value: number | boolean): this;
    zero_(): this;
    /** Copies src (broadcast to this shape, converted to this dtype) into this tensor. */
    copy_(src: TensorLike): this;
    // Only the generator: the tensor keeps its dtype and its requiresGrad (the runtime rejects the others).
    uniform_(low?: number, high?: number, opts?: Pick<RandomOptions, "generator">): this;
    normal_(mean?: number, std?: number, opts?: Pick<RandomOptions, "generator">): this;
  }
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
  const leafMessage = (what: string): string => {
    // The out-of-place form is suggested only where the tensor has one (random_, uniform_ and the other samplers do not).
    const outOfPlace = op.replace(/_$/, "");
    const alternative = typeof (self as unknown as Record<string, unknown>)[outOfPlace] === "function" ? `, or use the out-of-place ${outOfPlace}` : "";
    return `${op}: ${what} that requires grad cannot be modified in place while gradients are recorded; ` +
      `wrap the update in noGrad(() => ...) as optimizers do${alternative}`;
  };
  if (recording && self.requiresGrad && self.isLeaf) throw new Error(leafMessage("a leaf tensor"));
  if (self.isInference() && !isInferenceMode()) {
    throw new Error(`${op}: an inference tensor (made inside inferenceMode) cannot be modified in place outside inferenceMode; make a normal tensor with x.clone() first`);
  }
  const root = self.base;
  if (recording && root !== null && root.requiresGrad && root.isLeaf) throw new Error(leafMessage("a view of a leaf tensor"));
  if (recording) refreshBeforeWrite(self, op);
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

/**
 * addcmul_/addcdiv_'s operands, checked under their own names, and value as a number. PyTorch's
 * argument parser takes a 0-d tensor for a Number (`value=lr_t` in optimizer code) and reads its
 * value; it refuses a tensor of any other shape and one that requires grad (value carries no gradient).
 */
function operands(op: string, a: Tensor, b: Tensor, v: unknown): [Tensor, Tensor, number] {
  checkOperand(op, "tensor1", a);
  checkOperand(op, "tensor2", b);
  if (v instanceof Tensor) {
    if (v.ndim !== 0) throw new Error(`${op}: value must be a number or a 0-d tensor, got a tensor of shape ${fmt(v.shape)}; pass a number, or v.reshape([]) for a one-element tensor`);
    if (v.requiresGrad) throw new Error(`${op}: value must be a number or a 0-d tensor that does not require grad (no gradient flows to value, as in PyTorch), got a 0-d tensor that requires grad; pass value.detach()`);
    v = Number(v.item());
  }
  return [a, b, checkNumber(op, "value", v)];
}

/**
 * input + value·t1·t2 (addcmul) or input + value·(t1/t2) (addcdiv), broadcast and promoted, under
 * `op`'s name (addcmul, addcmul_, ...). On 16-bit tensors in float32, rounded once, as PyTorch's
 * kernels (optimizers use the in-place forms); addcmul multiplies value·t1 first, as PyTorch's kernel,
 * addcdiv divides first. On an integer result value is truncated, as PyTorch casts it to the
 * result's type (torch.addcmul(i, i, i, value=0.5) adds 0); bool has no kernel (addcmul) and integer
 * division is refused (addcdiv), as PyTorch.
 */
function addcWith(op: string, div_: boolean, x: Tensor, a: Tensor, b: Tensor, value: unknown): Tensor {
  checkOperand(op, "input", x);
  // A number operand (accepted since session 11) counts as a scalar of the input's dtype.
  const [a1, b1, v0] = operands(op, a, b, value);
  const [t1, t2] = [a1, b1].map((t) => (t instanceof Tensor ? t : asTensor(t, x.dtype)));
  const dtype = promoteTypes(promoteTypes(x.dtype, t1.dtype), t2.dtype);
  if (dtype === "bool") throw new Error(`${op}: not implemented for bool tensors (as PyTorch); convert them with .to("int64") or .float()`);
  if (div_ && !isFloating(t1.dtype) && !isFloating(t2.dtype)) {
    throw new Error(
      `${op}: integer division is not supported (tensor1 ${t1.dtype}, tensor2 ${t2.dtype}), as PyTorch; for true division ` +
        `convert one to float, for the old truncating division write add(input, mul(trunc(div(tensor1, tensor2)), value))`,
    );
  }
  const v = isFloating(dtype) ? v0 : Math.trunc(v0);
  return div_
    ? viaFloat32((xx: Tensor, aa: Tensor, bb: Tensor) => add(xx, mul(div(aa, bb), v)), x, t1, t2)
    : viaFloat32((xx: Tensor, aa: Tensor, bb: Tensor) => add(xx, mul(mul(aa, v), bb)), x, t1, t2);
}

/** value is keyword-only in PyTorch: a number in its place is an error that writes the options form. */
function valueOption(op: string, opts: unknown): unknown {
  if (opts === undefined) return 1;
  if (typeof opts === "number") throw new Error(`${op}: value is keyword-only (as in PyTorch); write ${op}(input, tensor1, tensor2, { value: ${opts} })`);
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) throw new Error(`${op}: the options must be an object { value }, got ${describe(opts)}`);
  return (opts as { value?: unknown }).value ?? 1;
}

/** `addcmul(x, t1, t2, { value: 0.5 })`: x + value·t1·t2, broadcast (torch.addcmul). */
export function addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, opts: { value?: number | Tensor } = {}): Tensor {
  return addcWith("addcmul", false, input, tensor1, tensor2, valueOption("addcmul", opts));
}

/** `addcdiv(x, t1, t2, { value: 0.5 })`: x + value·t1/t2, broadcast (torch.addcdiv); float division only. */
export function addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, opts: { value?: number | Tensor } = {}): Tensor {
  return addcWith("addcdiv", true, input, tensor1, tensor2, valueOption("addcdiv", opts));
}

function inplaceOf<A extends unknown[]>(op: string, fn: (x: Tensor, ...args: A) => Tensor) {
  return (self: Tensor, ...args: A): Tensor => inplace(self, op, (src) => fn(src, ...args));
}

// The keys each op's trailing options object takes: the entry layer (tensor/guard.ts) rejects any other.
declareOptions({
  add: ["alpha"], sub: ["alpha"], div: ["roundingMode"], round: ["decimals"],
  add_: ["alpha"], sub_: ["alpha"], div_: ["roundingMode"],
  uniform_: ["generator"], normal_: ["generator"], addcmul: ["value"], addcdiv: ["value"],
});
// Optional parameters PyTorch code passes positionally, also taken as one options object (API.md rule 3);
// the type of the declaration gives the exported functions those forms (core.ts, options-form.ts).
const OPTIONAL_ARGS = declareOptionalArgs({
  leakyRelu: { first: 1, names: ["negativeSlope"] }, leakyRelu_: { first: 1, names: ["negativeSlope"] },
  elu: { first: 1, names: ["alpha"] }, gelu: { first: 1, names: ["approximate"] },
  clamp: { first: 1, names: ["min", "max"] }, clamp_: { first: 1, names: ["min", "max"] },
  clip: { first: 1, names: ["min", "max"] }, clip_: { first: 1, names: ["min", "max"] },
});
export type ElementwiseOptionalArgs = typeof OPTIONAL_ARGS;

installMethods({
  neg, exp, log, log1p, expm1, sqrt, rsqrt, abs, sign, sin, cos, tanh, sigmoid, relu, erf, floor, ceil, round, trunc, floorDivide,
  reciprocal, square, logicalNot, gelu, leakyRelu, elu, clamp, clip, add, sub, mul, div, pow, maximum, minimum, remainder,
  atan2, eq, ne, lt, le, gt, ge, logicalAnd, logicalOr, logicalXor, maskedFill, isfinite, isnan,
  where: (x: Tensor, cond: Tensor, other: TensorLike) => where(cond, x, other),
  clampMin, clampMax,
  add_: inplaceOf("add_", add), sub_: inplaceOf("sub_", sub), mul_: inplaceOf("mul_", mul), div_: inplaceOf("div_", div),
  pow_: inplaceOf("pow_", pow), clamp_: inplaceOf("clamp_", clamp), clip_: inplaceOf("clip_", clip), neg_: inplaceOf("neg_", neg), exp_: inplaceOf("exp_", exp),
  sqrt_: inplaceOf("sqrt_", sqrt), abs_: inplaceOf("abs_", abs), relu_: inplaceOf("relu_", relu),
  sigmoid_: inplaceOf("sigmoid_", sigmoid), tanh_: inplaceOf("tanh_", tanh), leakyRelu_: inplaceOf("leakyRelu_", leakyRelu),
  maskedFill_: inplaceOf("maskedFill_", maskedFill),
  // Operands checked under PyTorch's parameter names (tensor1, tensor2, value), not mul's input/other.
  // The in-place forms keep their positional value (the optimizers pass it so).
  addcmul, addcdiv,
  addcmul_: inplaceOf("addcmul_", (x: Tensor, a: Tensor, b: Tensor, v: number | Tensor = 1) => addcWith("addcmul_", false, x, a, b, v)),
  addcdiv_: inplaceOf("addcdiv_", (x: Tensor, a: Tensor, b: Tensor, v: number | Tensor = 1) => addcWith("addcdiv_", true, x, a, b, v)),
  fill_: inplaceOf("fill_", (x: Tensor, v: number | boolean) => fullLike(x, v)),
  zero_: inplaceOf("zero_", (x: Tensor) => zerosLike(x)),
  copy_: inplaceOf("copy_", (x: Tensor, src: TensorLike) => expand(to(asTensor(src, x.dtype), x.dtype), x.shape)),
  // PyTorch's names: uniform_(from, to), normal_(mean, std); a string would otherwise reach `hi - lo`.
  uniform_: inplaceOf("uniform_", (x: Tensor, lo = 0, hi = 1, opts: Pick<RandomOptions, "generator"> = {}) => {
    const from = checkNumber("uniform_", "from", lo), to = checkNumber("uniform_", "to", hi);
    // PyTorch refuses a reversed range rather than drawing from (to, from].
    if (from > to) throw new Error(`uniform_: from must be <= to (the range is [from, to)), got from ${from} and to ${to}`);
    return add(mul(rand(x.shape, { ...opts, dtype: x.dtype }), to - from), from);
  }),
  normal_: inplaceOf("normal_", (x: Tensor, mean = 0, std = 1, opts: Pick<RandomOptions, "generator"> = {}) =>
    add(mul(randn(x.shape, { ...opts, dtype: x.dtype }), checkNumber("normal_", "std", std, { min: 0 })), checkNumber("normal_", "mean", mean))),
});
