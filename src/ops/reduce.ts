/** Reductions over any dims (with keepdim), scans, and the numerically stable softmax family. */
import { Tensor } from "../tensor/tensor.js";
import { type DType, DTYPE_INFO, isFloating } from "../tensor/dtype.js";
import { checkReduceRank, fmt, normalizeDim, reductionDims } from "../tensor/shape.js";
import type { ReduceOp } from "../backend/backend.js";
import { apply, backend, defineOp, installMethods } from "./op.js";
import { detach, expand, reshape, to } from "./shape.js";
import { flip } from "./join.js";
import { abs, add, div, eq, ne, exp, isfinite, log, mul, pow, sign, sqrt, square, sub, where } from "./elementwise.js";
import { scatterAdd } from "./indexing.js";
import { viaFloat32 } from "./half-compute.js";
import { zeros } from "../tensor/creation.js";
import { describe, declareOptionalArgs, declareOptions } from "../tensor/check.js";
import { type ValuesIndicesTuple, valuesIndices } from "./named-tuple.js";

/** Option keys: anything else is a misspelling (checkKeys). */
const DTYPE_KEYS = ["dtype"] as const;

type Dims = number | readonly number[];

/** The values and positions that max/min along a dim return: `{ values, indices }`, also `[values, indices]`. */
export type ValuesIndices = ValuesIndicesTuple;

/**
 * `keepdim` as PyTorch code passes it: positionally (`x.sum(1, true)`) or in the options object that
 * API.md gives every reduction (`x.sum(1, { keepdim: true })`).
 */
export type KeepDim = boolean | { keepdim?: boolean };

export function keepdimOf(op: string, v: KeepDim | undefined): boolean {
  if (v === undefined || typeof v === "boolean") return v ?? false;
  if (v !== null && typeof v === "object" && !Array.isArray(v) && (v.keepdim === undefined || typeof v.keepdim === "boolean")) return v.keepdim ?? false;
  throw new Error(`${op}: keepdim must be true/false or an options object like { keepdim: true }, got ${describe(v)}`);
}

// Each reduction also takes its dim in the options object (`x.sum({ dim: 1, keepdim: true })`, API.md
// rule 3; the entry layer spreads it, see OPTIONAL_ARGS below): the second signature of each.
declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `x.sum()`, `x.sum(1)`, `x.sum([0, 2], true)`, `x.sum({ dim: 1, keepdim: true })`. Bool and integer sums are int64. */
    sum(dim?: Dims, keepdim?: ReduceOptions): Tensor;
    sum(opts: ReduceDimOptions): Tensor;
    /** `x.mean(1)`; `{ dtype }` converts first (an integer input needs it, or a cast: PyTorch raises too). */
    mean(dim?: Dims, keepdim?: ReduceOptions): Tensor;
    mean(opts: ReduceDimOptions): Tensor;
    /** Variance; `correction` 1 (default) is the unbiased estimate, 0 the population variance. */
    var(dim?: Dims, opts?: VarOptions | boolean, keepdim?: boolean): Tensor;
    var(opts: VarOptions & { dim?: Dims }): Tensor;
    std(dim?: Dims, opts?: VarOptions | boolean, keepdim?: boolean): Tensor;
    std(opts: VarOptions & { dim?: Dims }): Tensor;
    prod(dim?: Dims, keepdim?: ReduceOptions): Tensor;
    prod(opts: ReduceDimOptions): Tensor;
    /** Largest value(s): the global max, or `{values, indices}` (also `[values, indices]`) along `dim`. */
    max(): Tensor;
    max(dim: number, keepdim?: KeepDim): ValuesIndices;
    max(opts: { dim: number; keepdim?: boolean }): ValuesIndices;
    /** `x.max({})`: the options form without a dim is the global max (PyTorch's max() takes no keepdim). */
    max(opts: { dim?: undefined }): Tensor;
    min(): Tensor;
    min(dim: number, keepdim?: KeepDim): ValuesIndices;
    min(opts: { dim: number; keepdim?: boolean }): ValuesIndices;
    min(opts: { dim?: undefined }): Tensor;
    /** Max over several dims at once (values only). */
    amax(dim?: Dims, keepdim?: KeepDim): Tensor;
    amax(opts: { dim?: Dims; keepdim?: boolean }): Tensor;
    amin(dim?: Dims, keepdim?: KeepDim): Tensor;
    amin(opts: { dim?: Dims; keepdim?: boolean }): Tensor;
    /** Index of the largest value (over the flattened tensor when dim is omitted), int64. */
    argmax(dim?: number, keepdim?: KeepDim): Tensor;
    argmax(opts: { dim?: number; keepdim?: boolean }): Tensor;
    argmin(dim?: number, keepdim?: KeepDim): Tensor;
    argmin(opts: { dim?: number; keepdim?: boolean }): Tensor;
    /** p-norm (default 2; Infinity for the max-abs norm). */
    norm(p?: number, dim?: Dims, keepdim?: KeepDim): Tensor;
    norm(opts: { p?: number; dim?: Dims; keepdim?: boolean }): Tensor;
    norm(p: number, opts: { dim?: Dims; keepdim?: boolean }): Tensor;
    logsumexp(dim: Dims, keepdim?: KeepDim): Tensor;
    cumsum(dim: number, opts?: { dtype?: DType }): Tensor;
    /** `x.softmax(-1)`; `{ dtype: "float64" }` converts the input first, as PyTorch's dtype=. */
    softmax(dim: number, opts?: { dtype?: DType }): Tensor;
    logSoftmax(dim: number, opts?: { dtype?: DType }): Tensor;
  }
}

interface ReduceAttrs {
  axes: number[];
  keepdim: boolean;
}

function reducedShape(shape: readonly number[], axes: readonly number[], keepdim: boolean): number[] {
  return keepdim ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/** Brings a reduced gradient back to the input's shape. */
function unreduce(g: Tensor, shape: readonly number[], axes: readonly number[]): Tensor {
  return expand(reshape(g, reducedShape(shape, axes, true)), shape);
}

/** `x` and `out` are read lazily: a rule that needs only the shape (sum) does not version-check them. */
function reduceOp(op: ReduceOp, outDtype: (d: DType) => DType, backward?: (g: Tensor, x: () => Tensor, out: () => Tensor, a: ReduceAttrs, shape: readonly number[]) => Tensor) {
  return defineOp<ReduceAttrs>({
    name: op,
    forward([x], a) {
      // As PyTorch: a max/min over a dim of size 0 has no value, but one over non-empty dims of an
      // empty tensor is just empty ([0,3] over dim 1 -> [0]).
      if (x.numel() === 0 && (op === "max" || op === "min")) {
        const emptyDim = a.axes.find((d) => x.shape[d] === 0);
        if (emptyDim !== undefined) {
          const which = a.axes.length < x.ndim ? ` over dim ${emptyDim}, which has size 0; reduce over non-empty dims only` : "";
          throw new Error(`${op}: cannot reduce an empty tensor of shape ${fmt(x.shape)}${which}`);
        }
      }
      const out = Tensor.empty(reducedShape(x.shape, a.axes, a.keepdim), outDtype(x.dtype));
      backend().reduce(op, x.view_(), a.axes, out.view_());
      return out;
    },
    backward: backward && ((g, s) => [backward(g, () => s.inputs[0], () => s.output, s.attrs, s.inputShapes[0])]),
  });
}

/** PyTorch sums and multiplies bool and every integer dtype into int64 (exactly; int32 sums past 2^31 do not wrap). */
const intAccumulate = (d: DType): DType => (isFloating(d) ? d : "int64");
const sumOp = reduceOp("sum", intAccumulate, (g, _x, _o, a, shape) => unreduce(g, shape, a.axes));
/**
 * d prod / d x_i is the product of the other elements. out / x_i gives it except where x_i = 0
 * (0/0): there it is the product of the non-zero elements when x_i is the only zero, else 0.
 */
const prodOp = reduceOp("prod", intAccumulate, (g, xf, outf, a) => {
  const x = xf(), out = outf();
  const isZero = eq(x, 0);
  const others = div(unreduce(out, x.shape, a.axes), where(isZero, 1, x));
  const nonzeroProd = unreduce(prod(where(isZero, 1, x), a.axes, true), x.shape, a.axes);
  const zeros_ = unreduce(sum(isZero, a.axes, true), x.shape, a.axes);
  return mul(unreduce(g, x.shape, a.axes), where(isZero, where(eq(zeros_, 1), nonzeroProd, 0), others));
});
/** Gradient of a max/min over several dims: shared equally among the elements that attain it. */
const extremumBackward = (g: Tensor, xf: () => Tensor, outf: () => Tensor, a: ReduceAttrs): Tensor => {
  const x = xf(), out = outf();
  const mask = to(eq(x, unreduce(out, x.shape, a.axes)), x.dtype);
  const count = unreduce(sum(mask, a.axes, true), x.shape, a.axes);
  return div(mul(unreduce(g, x.shape, a.axes), mask), count);
};
const maxOp = reduceOp("max", (d) => d, extremumBackward);
const minOp = reduceOp("min", (d) => d, extremumBackward);

function runReduce(def: ReturnType<typeof reduceOp>, x: Tensor, dim: Dims | undefined, keepdim: boolean, name: string): Tensor {
  return apply(def, [x], { axes: reductionDims(dim, x.ndim, name), keepdim });
}

/**
 * The trailing argument of sum/mean/prod: PyTorch's positional keepdim, or `{ keepdim, dtype }`
 * (`dtype` converts the input first, as PyTorch's dtype= keyword: `x.sum(0, { dtype: "float64" })`).
 */
export type ReduceOptions = boolean | { keepdim?: boolean; dtype?: DType };

/** sum/mean/prod's options with the dim among them: `x.sum({ dim: 1, keepdim: true })`. */
export type ReduceDimOptions = { dim?: Dims; keepdim?: boolean; dtype?: DType };

function reduceArgs(x: Tensor, k: ReduceOptions | undefined, op: string): [Tensor, boolean] {
  const keepdim = keepdimOf(op, k);
  const dtype = typeof k === "object" ? k.dtype : undefined;
  if (dtype !== undefined) checkDtype(dtype, op);
  return [dtype === undefined ? x : to(x, dtype), keepdim];
}

function checkDtype(d: DType, op: string): void {
  if (!Object.hasOwn(DTYPE_INFO, d)) throw new Error(`${op}: unknown dtype ${JSON.stringify(d)}`);
}

/**
 * The sum over axes a caller has already normalised (reductionDims): for composites (any, all,
 * nansum, ...) that check their dims under their own name, so they are not normalised twice.
 *
 * @example sumAxes(ne(x, 0), reductionDims(dim, x.ndim, "any"), false)
 */
export function sumAxes(x: Tensor, axes: number[], keepdim: boolean): Tensor {
  return apply(sumOp, [x], { axes, keepdim });
}

/** `x.sum()`, `x.sum(1)`, `x.sum([0, 2], true)`, `x.sum(0, { dtype: "float64" })`. */
export function sum(x: Tensor, dim?: Dims, keepdim: ReduceOptions = false): Tensor {
  const [xt, k] = reduceArgs(x, keepdim, "sum");
  return runReduce(sumOp, xt, dim, k, "sum");
}

export function mean(x: Tensor, dim?: Dims, keepdimOrOpts: ReduceOptions = false): Tensor {
  const [xd, keepdim] = reduceArgs(x, keepdimOrOpts, "mean");
  if (typeof keepdimOrOpts === "object" && keepdimOrOpts.dtype !== undefined && !isFloating(keepdimOrOpts.dtype)) {
    throw new Error(`mean: dtype must be a floating point dtype (a mean is not an integer), got "${keepdimOrOpts.dtype}"; pass { dtype: "float32" } or { dtype: "float64" }`);
  }
  if (!isFloating(xd.dtype)) {
    // PyTorch 1.13 raises rather than pick a float dtype for an integer mean.
    throw new Error(`mean: could not infer the output dtype: the input is ${xd.dtype}, and mean needs a floating point input; cast first (x.float().mean()) or pass { dtype: "float32" }`);
  }
  x = xd;
  const xf = x;
  const axes = reductionDims(dim, x.ndim, "mean");
  const n = axes.reduce((a, d) => a * x.shape[d], 1);
  return div(sum(xf, axes, keepdim), n);
}

/** var/std's options: `correction` (PyTorch 2's name; 1 = Bessel's) or PyTorch 1.13's `unbiased`, and `keepdim`. */
export interface VarOptions {
  correction?: number;
  unbiased?: boolean;
  keepdim?: boolean;
}

/** var/std's arguments after dim: an options object, or PyTorch 1.13's positional `(unbiased, keepdim)`. */
function varArgs(op: string, opts: VarOptions | boolean | undefined, keepdim: boolean | undefined): { correction: number; keepdim: boolean } {
  const o: VarOptions = typeof opts === "boolean" ? { unbiased: opts, keepdim } : (opts ?? {});
  if (typeof o !== "object") throw new Error(`${op}: the argument after dim must be unbiased (true/false) or an options object like { correction: 0, keepdim: true }, got ${describe(o)}`);
  if (o.correction !== undefined && o.unbiased !== undefined) throw new Error(`${op}: give correction or unbiased, not both (unbiased: false is correction: 0)`);
  if (o.correction !== undefined && !(typeof o.correction === "number" && o.correction >= 0)) throw new Error(`${op}: correction must be a number >= 0, got ${describe(o.correction)}`);
  if (o.unbiased !== undefined && typeof o.unbiased !== "boolean") throw new Error(`${op}: unbiased must be true or false, got ${describe(o.unbiased)}`);
  return { correction: o.correction ?? (o.unbiased === false ? 0 : 1), keepdim: keepdimOf(op, o.keepdim) };
}

/** PyTorch 1.13 raises for var/std of a bool or integer tensor rather than pick a float dtype (as for mean). */
function floatingOnly(op: string, x: Tensor): void {
  if (!isFloating(x.dtype)) throw new Error(`${op}: var and std need a floating point tensor, got ${x.dtype}; convert first (x.float().${op}())`);
}

function variance(x: Tensor, dim: Dims | undefined, correction: number, keepdim: boolean, op: string): Tensor {
  const axes = reductionDims(dim, x.ndim, op);
  const n = axes.reduce((a, d) => a * x.shape[d], 1);
  const diff = sub(x, mean(x, axes, true));
  return div(sum(square(diff), axes, keepdim), Math.max(0, n - correction));
}

/** `x.var(1, { keepdim: true })`, `x.var(1, false)` (unbiased = false, PyTorch's positional form), `x.var(1, { correction: 0 })`. */
export function var_(x: Tensor, dim?: Dims, opts: VarOptions | boolean = {}, keepdim?: boolean): Tensor {
  const a = varArgs("var", opts, keepdim);
  floatingOnly("var", x);
  // 16-bit inputs: in float32, rounded once (PyTorch's var kernel), the backward too.
  return viaFloat32((xx: Tensor) => variance(xx, dim, a.correction, a.keepdim, "var"), x);
}

/** `x.std(1, { keepdim: true })`, `x.std(1, false)` (unbiased = false), `x.std(1, { correction: 0 })`: sqrt of var. */
export function std(x: Tensor, dim?: Dims, opts: VarOptions | boolean = {}, keepdim?: boolean): Tensor {
  const a = varArgs("std", opts, keepdim);
  floatingOnly("std", x);
  return viaFloat32((xx: Tensor) => sqrt(variance(xx, dim, a.correction, a.keepdim, "std")), x);
}

export function prod(x: Tensor, dim?: Dims, keepdim: ReduceOptions = false): Tensor {
  const [xt, k] = reduceArgs(x, keepdim, "prod");
  return runReduce(prodOp, xt, dim, k, "prod");
}

export function amax(x: Tensor, dim?: Dims, keepdimArg?: KeepDim): Tensor {
  const keepdim = keepdimOf("amax", keepdimArg);
  return runReduce(maxOp, x, dim, keepdim, "amax");
}

export function amin(x: Tensor, dim?: Dims, keepdimArg?: KeepDim): Tensor {
  const keepdim = keepdimOf("amin", keepdimArg);
  return runReduce(minOp, x, dim, keepdim, "amin");
}

const argOp = (op: "argmax" | "argmin") =>
  defineOp<{ axis: number; keepdim: boolean }>({
    name: op,
    forward([x], { axis, keepdim }) {
      if (x.shape[axis] === 0) throw new Error(`${op}: cannot reduce dim ${axis} of size 0 (shape ${fmt(x.shape)})`);
      const out = Tensor.empty(reducedShape(x.shape, [axis], keepdim), "int64"); // PyTorch's index dtype
      backend().argReduce(op, x.view_(), axis, out.view_());
      return out;
    },
  });
const argmaxOp = argOp("argmax");
const argminOp = argOp("argmin");

function argReduce(def: typeof argmaxOp, x: Tensor, dim: number | undefined, keepdim: boolean, name: string): Tensor {
  const r = as1d(x, dim, name, (v, d) => argReduce(def, v, d, keepdim, name));
  if (r) return r;
  if (dim === undefined) return apply(def, [reshape(x, [-1])], { axis: 0, keepdim: false });
  checkReduceRank(name, x.ndim, 1);
  return apply(def, [x], { axis: normalizeDim(dim, x.ndim, name), keepdim });
}

export function argmax(x: Tensor, dim?: number, keepdimArg?: KeepDim): Tensor {
  const keepdim = keepdimOf("argmax", keepdimArg);
  return argReduce(argmaxOp, x, dim, keepdim, "argmax");
}

export function argmin(x: Tensor, dim?: number, keepdimArg?: KeepDim): Tensor {
  const keepdim = keepdimOf("argmin", keepdimArg);
  return argReduce(argminOp, x, dim, keepdim, "argmin");
}

/** Values along a dim with their indices; the gradient goes to the chosen element only. */
const pickOp = defineOp<{ axis: number; keepdim: boolean; indices: Tensor }>({
  name: "maxAlongDim",
  forward([x], { axis, keepdim, indices }) {
    const idx = keepdim ? indices : reshape(indices, reducedShape(x.shape, [axis], true));
    const out = Tensor.empty(idx.shape, x.dtype);
    backend().gather(x.view_(), axis, idx.view_(), out.view_());
    return keepdim ? out : reshape(out, reducedShape(x.shape, [axis], false));
  },
  backward: (g, { inputShapes: [xShape], attrs: { axis, keepdim, indices } }) => {
    const shape = reducedShape(xShape, [axis], true);
    const gk = keepdim ? g : reshape(g, shape);
    const idx = keepdim ? indices : reshape(indices, shape);
    return [scatterAdd(zeros(xShape, { dtype: g.dtype }), axis, idx, gk)];
  },
});

function extremum(x: Tensor, dim: number | undefined, keepdim: boolean, which: "max" | "min"): Tensor | ValuesIndices {
  if (dim === undefined) {
    // PyTorch's max() has no keepdim (x.max(keepdim=True) raises): refuse it rather than drop it.
    if (keepdim) throw new Error(`${which}: keepdim needs a dim (x.${which}(0, { keepdim: true })); x.${which}() is the ${which === "max" ? "largest" : "smallest"} of all elements, x.a${which}({ keepdim: true }) keeps every dim`);
    return which === "max" ? amax(x) : amin(x);
  }
  const r = as1d(x, dim, which, (v, d) => extremum(v, d, keepdim, which) as ValuesIndices);
  if (r) return r;
  checkReduceRank(which, x.ndim, 1);
  const axis = normalizeDim(dim, x.ndim, which);
  const indices = apply(which === "max" ? argmaxOp : argminOp, [x], { axis, keepdim });
  return valuesIndices(apply({ ...pickOp, name: which }, [x], { axis, keepdim, indices }), indices);
}

// `max(x, {})` never reaches here: the entry layer spreads the options object (OPTIONAL_ARGS below)
// into no dim, and core.ts types that form (NoDimForm).
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: KeepDim): ValuesIndices;
export function max(x: Tensor, dim?: number, keepdim?: KeepDim): Tensor | ValuesIndices {
  return extremum(x, dim, keepdimOf("max", keepdim), "max");
}

// `min(x, {})` never reaches here: the entry layer spreads the options object (OPTIONAL_ARGS below)
// into no dim, and core.ts types that form (NoDimForm).
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: KeepDim): ValuesIndices;
export function min(x: Tensor, dim?: number, keepdim?: KeepDim): Tensor | ValuesIndices {
  return extremum(x, dim, keepdimOf("min", keepdim), "min");
}

/**
 * A p-norm (finite p other than 1) as one op, so that its gradient at a zero norm is 0 (as PyTorch)
 * rather than the 0 * inf = NaN that the composite sqrt(sum(x^2)) gives.
 */
const pNormOp = defineOp<ReduceAttrs & { p: number }>({
  name: "norm",
  forward([x], { axes, keepdim, p }) {
    const xd = detach(x);
    const r = p === 2 ? sqrt(sum(square(xd), axes, keepdim)) : pow(sum(pow(abs(xd), p), axes, keepdim), 1 / p);
    return detach(r);
  },
  backward: (g, { inputs: [x], output, attrs: { axes, p } }) => {
    const n = unreduce(output, x.shape, axes);
    const safe = where(eq(n, 0), Infinity, n); // zero norm: zero gradient
    const raw = p === 2 ? div(x, safe) : mul(mul(sign(x), pow(abs(x), p - 1)), pow(safe, 1 - p));
    // p < 1: |x|^(p-1) is inf at a zero element (and a negative p's zero norm gives inf^(1-p)), so
    // 0 * inf would be NaN; PyTorch's gradient is 0 at a zero element and for a zero norm.
    const dir = p < 1 ? where(eq(x, 0), 0, where(eq(n, 0), 0, raw)) : raw;
    return [mul(unreduce(g, x.shape, axes), dir)];
  },
});

export function norm(x: Tensor, p = 2, dim?: Dims, keepdimArg?: KeepDim): Tensor {
  const keepdim = keepdimOf("norm", keepdimArg);
  if (typeof p !== "number" || Number.isNaN(p)) throw new Error(`norm: p must be a number (2, 1, Infinity, ...), got ${String(p)}`);
  if (p === Infinity) return amax(abs(x), dim, keepdim);
  if (p === -Infinity) return amin(abs(x), dim, keepdim);
  if (p === 1) return sum(abs(x), dim, keepdim);
  // The "0-norm" counts the non-zero elements (a float, with zero gradient), as PyTorch.
  // sign's zero derivative keeps it in the graph with a zero gradient (PyTorch's), without a NaN from inf.
  if (p === 0) return add(to(sum(ne(x, 0), dim, keepdim), isFloating(x.dtype) ? x.dtype : "float32"), mul(sum(sign(x), dim, keepdim), 0));
  const xf = isFloating(x.dtype) ? x : to(x, "float32");
  return apply(pNormOp, [xf], { axes: reductionDims(dim, x.ndim, "norm"), keepdim, p });
}

export function logsumexp(x: Tensor, dim: Dims, keepdimArg?: KeepDim): Tensor {
  const keepdim = keepdimOf("logsumexp", keepdimArg);
  const axes = reductionDims(dim, x.ndim, "logsumexp");
  // Shift by the (constant) max for stability; an all -inf row shifts by 0 instead of NaN.
  const m = detach(amax(x, axes, true));
  const shift = where(isfinite(m), m, 0);
  const r = add(log(sum(exp(sub(x, shift)), axes, true)), shift);
  return keepdim ? r : reshape(r, reducedShape(x.shape, axes, false));
}

const cumsumOp = defineOp<{ axis: number }>({
  name: "cumsum",
  forward([x], { axis }) {
    const out = Tensor.empty(x.shape, intAccumulate(x.dtype));
    backend().cumsum(x.view_(), axis, out.view_());
    return out;
  },
  backward: (g, { attrs: { axis } }) => [flip(cumsum(flip(g, axis), axis), axis)],
});

/** `x.cumsum(1)`, `x.cumsum(1, { dtype: "float64" })` (the input converted first). */
export function cumsum(x: Tensor, dim: number, opts: { dtype?: DType } = {}): Tensor {
  if (opts.dtype !== undefined) return cumsum(to(x, opts.dtype), dim);
  const r = as1d(x, dim, "cumsum", (v, d) => cumsum(v, d));
  if (r) return r;
  return apply(cumsumOp, [x], { axis: normalizeDim(dim, x.ndim, "cumsum") });
}

const softmaxOp = (log: boolean) =>
  defineOp<{ axis: number }>({
    name: log ? "logSoftmax" : "softmax",
    forward([x], { axis }) {
      const out = Tensor.empty(x.shape, x.dtype);
      backend().softmax(x.view_(), axis, log, out.view_());
      return out;
    },
    backward: (g, { output: y, attrs: { axis } }) =>
      log ? [sub(g, mul(exp(y), sum(g, axis, true)))] : [mul(y, sub(g, sum(mul(g, y), axis, true)))],
  });
const softmaxDef = softmaxOp(false);
const logSoftmaxDef = softmaxOp(true);

function softmaxInput(x: Tensor, dim: number, name: string): [Tensor, { axis: number }] {
  return [isFloating(x.dtype) ? x : to(x, "float32"), { axis: normalizeDim(dim, x.ndim, name) }];
}

/**
 * Ops along one dim accept dim 0 / -1 on a 0-d tensor, as PyTorch: run them on the one-element 1-D
 * view and give the result back without that axis.
 */
function as1d<R extends Tensor | ValuesIndices>(x: Tensor, dim: number | undefined, name: string, f: (x: Tensor, dim: number) => R): R | null {
  if (x.ndim !== 0 || dim === undefined) return null;
  normalizeDim(dim, 0, name);
  const r = f(reshape(x, [1]), 0);
  if (r instanceof Tensor) return reshape(r, []) as R;
  const { values, indices } = r as ValuesIndices;
  return valuesIndices(reshape(values, []), reshape(indices, [])) as R;
}

/** `x.softmax(-1)`: exp(x) / sum(exp(x)) along dim, computed stably (max-shifted). */
export function softmax(x: Tensor, dim: number, opts: { dtype?: DType } = {}): Tensor {
  if (opts.dtype !== undefined) return softmax(to(x, opts.dtype), dim);
  const r = as1d(x, dim, "softmax", (v, d) => softmax(v, d));
  if (r) return r;
  const [xf, a] = softmaxInput(x, dim, "softmax");
  return apply(softmaxDef, [xf], a);
}

/** `x.logSoftmax(-1)`: log(softmax(x)) without the overflow of computing it that way. */
export function logSoftmax(x: Tensor, dim: number, opts: { dtype?: DType } = {}): Tensor {
  if (opts.dtype !== undefined) return logSoftmax(to(x, opts.dtype), dim);
  const r = as1d(x, dim, "logSoftmax", (v, d) => logSoftmax(v, d));
  if (r) return r;
  const [xf, a] = softmaxInput(x, dim, "logSoftmax");
  return apply(logSoftmaxDef, [xf], a);
}

// The keys each op's trailing options object takes: the entry layer (tensor/guard.ts) rejects any other.
const KEEPDIM_KEYS = ["keepdim"] as const;
// (The reductions with an optional dim take their keys from OPTIONAL_ARGS below, as its `bag`.)
declareOptions({ logsumexp: KEEPDIM_KEYS, cumsum: DTYPE_KEYS, softmax: DTYPE_KEYS, logSoftmax: DTYPE_KEYS });
// dim (and norm's p) is optional, so it may come in the options object too (API.md rule 3):
// `x.sum({ dim: 1, keepdim: true })` is `x.sum(1, { keepdim: true })`; the rest of the object is the
// op's own options (`bag`). The declaration's type gives the exported functions those forms.
const SUM_KEYS = ["keepdim", "dtype"] as const;
const VAR_KEYS = ["correction", "keepdim", "unbiased"] as const;
const OPTIONAL_ARGS = declareOptionalArgs({
  sum: { first: 1, names: ["dim"], bag: SUM_KEYS }, mean: { first: 1, names: ["dim"], bag: SUM_KEYS },
  prod: { first: 1, names: ["dim"], bag: SUM_KEYS },
  var: { first: 1, names: ["dim"], bag: VAR_KEYS }, std: { first: 1, names: ["dim"], bag: VAR_KEYS },
  amax: { first: 1, names: ["dim"], bag: KEEPDIM_KEYS }, amin: { first: 1, names: ["dim"], bag: KEEPDIM_KEYS },
  argmax: { first: 1, names: ["dim"], bag: KEEPDIM_KEYS }, argmin: { first: 1, names: ["dim"], bag: KEEPDIM_KEYS },
  max: { first: 1, names: ["dim"], bag: KEEPDIM_KEYS }, min: { first: 1, names: ["dim"], bag: KEEPDIM_KEYS },
  norm: { first: 1, names: ["p", "dim"], bag: KEEPDIM_KEYS },
});
export type ReduceOptionalArgs = typeof OPTIONAL_ARGS;

installMethods({
  sum, mean, var: var_, std, prod, amax, amin, argmax, argmin, norm, logsumexp, cumsum, softmax, logSoftmax,
  max: (x: Tensor, dim?: number, keepdim?: KeepDim) => max(x, dim as number, keepdim),
  min: (x: Tensor, dim?: number, keepdim?: KeepDim) => min(x, dim as number, keepdim),
});
