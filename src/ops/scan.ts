/**
 * Running scans beyond cumsum (cumprod, cummax, cummin, logcumsumexp) and the reductions PyTorch
 * users reach for next to sum/mean: any, all, nansum, nanmean, aminmax, countNonzero, bincount, histc.
 */
import { declareOptionalArgs, declareOptions } from "../tensor/check.js";
import { Tensor } from "../tensor/tensor.js";
import { DTYPE_INFO, type DType, isFloating, isIntegral } from "../tensor/dtype.js";
import { isHalf } from "../tensor/half.js";
import { checkReduceRank, fmt, normalizeDim, normalizeDims, reductionDims } from "../tensor/shape.js";
import type { ScanOp } from "../backend/backend.js";
import { apply, backend, defineOp, installMethods } from "./op.js";
import { contiguous, detach, permute, reshape, to, unsqueeze } from "./shape.js";
import { flip } from "./join.js";
import { div, eq, exp, isnan, mul, ne, sub, where } from "./elementwise.js";
import { type KeepDim, amax, amin, cumsum, keepdimOf, sum, sumAxes } from "./reduce.js";
import { gather } from "./indexing.js";
import { viaFloat32 } from "./half-compute.js";
import { eye } from "../tensor/creation.js";
import { type MinMaxTuple, type ValuesIndicesTuple, namedTuple, valuesIndices } from "./named-tuple.js";

type Dims = number | readonly number[];

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** Running product along dim; `{ dtype }` converts the input first (as cumsum). */
    cumprod(dim: number, opts?: { dtype?: DType }): Tensor;
    /** Running max along dim with the index of each running max (the latest on ties). */
    cummax(dim: number): ValuesIndicesTuple;
    cummin(dim: number): ValuesIndicesTuple;
    /** log(cumsum(exp(x))) along dim, computed without overflow. */
    logcumsumexp(dim: number): Tensor;
    /** True where any element (over dims, or all) is non-zero (NaN counts as non-zero). */
    any(dim?: Dims, keepdim?: KeepDim): Tensor;
    any(opts: { dim?: Dims; keepdim?: boolean }): Tensor;
    all(dim?: Dims, keepdim?: KeepDim): Tensor;
    all(opts: { dim?: Dims; keepdim?: boolean }): Tensor;
    /** Sum treating NaN as zero. */
    nansum(dim?: Dims, keepdim?: NanReduceOptions): Tensor;
    nansum(opts: { dim?: Dims; keepdim?: boolean; dtype?: DType }): Tensor;
    /** Mean of the non-NaN elements. */
    nanmean(dim?: Dims, keepdim?: NanReduceOptions): Tensor;
    nanmean(opts: { dim?: Dims; keepdim?: boolean; dtype?: DType }): Tensor;
    /** `{min, max}` in one call (over all elements, or along `dim`). */
    aminmax(opts?: { dim?: number; keepdim?: boolean }): MinMaxTuple;
    /** Number of non-zero elements (int32), over dims or all. */
    countNonzero(dim?: Dims): Tensor;
    countNonzero(opts: { dim?: Dims }): Tensor;
    /** Counts of each value of a 1-D non-negative int32 tensor (weighted sums with `weights`). */
    bincount(weights?: Tensor | null, minlength?: number): Tensor;
    bincount(opts: { weights?: Tensor | null; minlength?: number }): Tensor;
    bincount(weights: Tensor | null | undefined, opts: { minlength?: number }): Tensor;
    /** Histogram with `bins` equal bins over [min, max] (the data's range when both are 0). */
    histc(bins?: number, min?: number, max?: number): Tensor;
    histc(opts: { bins?: number; min?: number; max?: number }): Tensor;
    histc(bins: number | undefined, opts: { min?: number; max?: number }): Tensor;
    histc(bins: number | undefined, min: number | undefined, opts: { max?: number }): Tensor;
  }
}

/** cumprod of bool or an integer dtype runs and returns in int64, as PyTorch's. */
const scanDtype = (d: DType): DType => (isFloating(d) ? d : "int64");

const scanOp = (op: "prod" | "logsumexp", name: string) =>
  defineOp<{ axis: number }>({
    name,
    forward([x], { axis }) {
      const out = Tensor.empty(x.shape, scanDtype(x.dtype));
      backend().scan(op, x.view_(), axis, out.view_(), null);
      return out;
    },
    backward: (g, { inputs: [x], output, attrs: { axis } }) => [op === "prod" ? cumprodGrad(g, x, output, axis) : logcumsumexpGrad(g, x, output, axis)],
  });
const cumprodOp = scanOp("prod", "cumprod");
const logcumsumexpOp = scanOp("logsumexp", "logcumsumexp");

/** x with `axis` moved last, and the function that moves a same-layout result back. */
function toLast(x: Tensor, axis: number): [Tensor, (t: Tensor) => Tensor] {
  const perm = [...x.shape.map((_, d) => d).filter((d) => d !== axis), axis];
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return [permute(x, perm), (t) => permute(t, inv)];
}

/** [n, n] bool: true where column j >= row k (the outputs that element k contributes to). */
function upperMask(n: number): Tensor {
  const m = Tensor.empty([n, n], "bool");
  for (let k = 0; k < n; k++) for (let j = k; j < n; j++) m.storage.data[k * n + j] = 1;
  return m;
}

const reverseCumsum = (t: Tensor, axis: number): Tensor => flip(cumsum(flip(t, axis), axis), axis);

/**
 * d out_j / d x_k = prod_{i<=j, i!=k} x_i for j >= k. Without zeros that is out_j / x_k, so the
 * gradient is a reverse cumsum divided by x; with zeros (where that divides 0 by 0) it is built
 * from the [n, n] products that leave x_k out, as PyTorch's cumprod_backward does.
 */
function cumprodGrad(g: Tensor, x: Tensor, out: Tensor, axis: number): Tensor {
  if (!x.numbers().includes(0)) return div(reverseCumsum(mul(g, out), axis), x);
  const n = x.shape[axis];
  const [xl, back] = toLast(x, axis);
  const [gl] = toLast(g, axis);
  const leaveOut = where(eye(n, n, { dtype: "bool" }), 1, unsqueeze(xl, -2)); // [..., k, i]
  const partial = cumprod(leaveOut, -1); // [..., k, j] = prod_{i<=j, i!=k} x_i
  return back(sum(where(upperMask(n), mul(partial, unsqueeze(gl, -2)), 0), -1));
}

/** d out_j / d x_k = exp(x_k - out_j) for j >= k, each at most 1, so the [n, n] form cannot overflow. */
function logcumsumexpGrad(g: Tensor, x: Tensor, out: Tensor, axis: number): Tensor {
  const n = x.shape[axis];
  const [xl, back] = toLast(x, axis);
  const [ol] = toLast(out, axis);
  const [gl] = toLast(g, axis);
  const w = exp(where(upperMask(n), sub(unsqueeze(xl, -1), unsqueeze(ol, -2)), -Infinity));
  return back(sum(mul(w, unsqueeze(gl, -2)), -1));
}

function scanAxis(x: Tensor, dim: number, op: string): [Tensor, number, boolean] {
  if (x.ndim === 0) {
    normalizeDim(dim, 0, op);
    return [reshape(x, [1]), 0, true];
  }
  return [x, normalizeDim(dim, x.ndim, op), false];
}

/** `cumprod(x, 1)`: running product along dim (bool and int32 give int32); `cumprod(x, 1, { dtype: "float64" })` converts first. */
export function cumprod(x: Tensor, dim: number, opts: { dtype?: DType } = {}): Tensor {
  if (opts.dtype !== undefined) return cumprod(to(x, opts.dtype), dim);
  const [x1, axis, was0d] = scanAxis(x, dim, "cumprod");
  const r = apply(cumprodOp, [x1], { axis });
  return was0d ? reshape(r, []) : r;
}

/** `logcumsumexp(x, 0)`: log of the running sum of exp(x), stable for large values. */
export function logcumsumexp(x: Tensor, dim: number): Tensor {
  if (!isFloating(x.dtype)) throw new Error(`logcumsumexp: expects a floating point tensor, got ${x.dtype} (use x.float())`);
  const [x1, axis, was0d] = scanAxis(x, dim, "logcumsumexp");
  // 16-bit input: the backward reads the output (exp(x_k - out_j)); rounded to 16 bits it can equal
  // x where it is log(x + small) (9984 + log 2 is 9984 in bfloat16) and the gradient grows n-fold.
  // In float32 the saved output keeps those digits; the forward value is rounded once either way.
  const r = viaFloat32((xx: Tensor) => apply(logcumsumexpOp, [xx], { axis }), x1);
  return was0d ? reshape(r, []) : r;
}

const cumExtremumOp = defineOp<{ op: ScanOp; axis: number }>({
  name: "cumExtremum",
  forward([x], { op, axis }) {
    const values = Tensor.empty(x.shape, x.dtype);
    const indices = Tensor.empty(x.shape, "int64"); // PyTorch's index dtype
    backend().scan(op, x.view_(), axis, values.view_(), indices.view_());
    return indices;
  },
});

function cumExtremum(x: Tensor, dim: number, op: "max" | "min"): ValuesIndicesTuple {
  const name = op === "max" ? "cummax" : "cummin";
  const [x1, axis, was0d] = scanAxis(x, dim, name);
  const indices = apply(cumExtremumOp, [x1], { op, axis });
  const values = gather(x1, axis, indices);
  return was0d ? valuesIndices(reshape(values, []), reshape(indices, [])) : valuesIndices(values, indices);
}

/** `cummax(x, 1)`: `{values, indices}` of the running max (indices: the latest position on ties, as PyTorch). */
export function cummax(x: Tensor, dim: number): ValuesIndicesTuple {
  return cumExtremum(x, dim, "max");
}

export function cummin(x: Tensor, dim: number): ValuesIndicesTuple {
  return cumExtremum(x, dim, "min");
}

/** `any(x, 1)`: bool, true where some element over the dims is non-zero (NaN is non-zero). */
export function any(x: Tensor, dim?: Dims, keepdimArg?: KeepDim): Tensor {
  const keepdim = keepdimOf("any", keepdimArg);
  return ne(sumAxes(ne(x, 0), reductionDims(dim, x.ndim, "any"), keepdim), 0);
}

/** `all(x)`: bool, true where every element over the dims is non-zero. */
export function all(x: Tensor, dim?: Dims, keepdimArg?: KeepDim): Tensor {
  const keepdim = keepdimOf("all", keepdimArg);
  return eq(sumAxes(eq(x, 0), reductionDims(dim, x.ndim, "all"), keepdim), 0);
}

/** keepdim, or sum's and mean's options object: `{ keepdim, dtype }` (torch.nansum/nanmean's keyword dtype). */
export type NanReduceOptions = boolean | { keepdim?: boolean; dtype?: DType };

/**
 * x converted to `opts.dtype` first, as PyTorch's nansum/nanmean do; they compute in a floating
 * dtype only (PyTorch: `"nansum_cpu" not implemented for 'Long'` for a float input with an integer dtype).
 */
function nanDtype(op: string, x: Tensor, opts: NanReduceOptions | undefined): Tensor {
  const dtype = typeof opts === "object" && opts !== null ? opts.dtype : undefined;
  if (dtype === undefined) return x;
  if (!Object.hasOwn(DTYPE_INFO, dtype)) throw new Error(`${op}: unknown dtype ${JSON.stringify(dtype)}`);
  if (isFloating(x.dtype) && !isFloating(dtype)) throw new Error(`${op}: dtype must be a floating point dtype for a ${x.dtype} input, got "${dtype}" (PyTorch has no integer ${op} of floats)`);
  return to(x, dtype);
}

/** The keepdim part of nansum/nanmean's options, for keepdimOf's checks (anything else passes as given). */
const keepdimOnly = (v: NanReduceOptions | undefined): KeepDim | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? { keepdim: v.keepdim } : v;

/** `nansum(x)`: sum with NaN counted as zero. */
export function nansum(x: Tensor, dim?: Dims, keepdimArg?: NanReduceOptions): Tensor {
  const keepdim = keepdimOf("nansum", keepdimOnly(keepdimArg));
  x = nanDtype("nansum", x, keepdimArg);
  const axes = reductionDims(dim, x.ndim, "nansum");
  return sumAxes(isFloating(x.dtype) ? where(isnan(x), 0, x) : x, axes, keepdim);
}

/** `nanmean(x, 1)`: mean over the non-NaN elements (NaN where all are NaN). */
export function nanmean(x: Tensor, dim?: Dims, keepdimArg?: NanReduceOptions): Tensor {
  const keepdim = keepdimOf("nanmean", keepdimOnly(keepdimArg));
  if (!isFloating(x.dtype)) throw new Error(`nanmean: expects a floating point tensor, got ${x.dtype} (use x.float() or mean)`);
  x = nanDtype("nanmean", x, keepdimArg);
  const axes = reductionDims(dim, x.ndim, "nanmean");
  const nan = isnan(x);
  return div(sumAxes(where(nan, 0, x), axes, keepdim), sumAxes(nan.logicalNot(), axes, keepdim));
}

/** `aminmax(x, { dim: 1 })`: `{min, max}` together (over all elements when dim is omitted). */
export function aminmax(x: Tensor, opts: { dim?: number; keepdim?: boolean } = {}): MinMaxTuple {
  if (x.numel() === 0) throw new Error(`aminmax: cannot reduce an empty tensor of shape ${fmt(x.shape)}`);
  const keepdim = opts.keepdim ?? false;
  if (opts.dim !== undefined) checkReduceRank("aminmax", x.ndim, 1);
  const axes = opts.dim === undefined ? normalizeDims(undefined, x.ndim, "aminmax") : [normalizeDim(opts.dim, Math.max(x.ndim, 1), "aminmax")].filter((d) => d < x.ndim);
  return namedTuple<MinMaxTuple>(["min", "max"], [amin(x, axes, keepdim), amax(x, axes, keepdim)]);
}

/** `countNonzero(x, 0)`: int32 number of non-zero elements over dims (all when omitted). */
export function countNonzero(x: Tensor, dim?: Dims): Tensor {
  return sumAxes(ne(x, 0), reductionDims(dim, x.ndim, "countNonzero"), false);
}

/** `bincount(x)`: how often each value 0..max occurs in a 1-D non-negative integer x (int64 counts, as PyTorch); with weights, their sums. */
export function bincount(x: Tensor, weights: Tensor | null = null, minlength = 0): Tensor {
  if (!isIntegral(x.dtype) || x.ndim !== 1) throw new Error(`bincount: expects a 1-D integer tensor (int64, int32, ...), got ${x.dtype} of shape ${fmt(x.shape)}`);
  if (!Number.isInteger(minlength) || minlength < 0) throw new Error(`bincount: minlength must be a non-negative integer, got ${minlength}`);
  const d = x.numbers();
  let top = -1;
  for (const v of d) {
    if (v < 0) throw new RangeError(`bincount: values must be non-negative, got ${v}`);
    top = Math.max(top, v);
  }
  if (weights && (weights.ndim !== 1 || weights.shape[0] !== d.length)) {
    throw new Error(`bincount: weights must be 1-D with the input's length ${d.length}, got shape ${fmt(weights.shape)}`);
  }
  const n = Math.max(top + 1, minlength);
  if (!weights) {
    const counts = new BigInt64Array(n);
    for (let i = 0; i < d.length; i++) counts[d[i]] += 1n;
    return Tensor.fromArray(counts, [n], "int64");
  }
  // Weighted sums accumulate in the output's float dtype, as PyTorch's kernel; 16-bit floats are
  // counted in float32 and rounded once (their storage holds bit patterns).
  const dtype: DType = isFloating(weights.dtype) ? weights.dtype : "float64";
  const out = Tensor.empty([n], isHalf(dtype) ? "float32" : dtype);
  const o = out.storage.data as Float64Array, w = contiguous(detach(weights)).numbers();
  for (let i = 0; i < d.length; i++) o[d[i]] += w[i];
  return to(out, dtype);
}

/** `histc(x, 4, 0, 1)`: counts in `bins` equal-width bins over [min, max]; elements outside are ignored. */
export function histc(x: Tensor, bins = 100, min = 0, max = 0): Tensor {
  if (!isFloating(x.dtype)) throw new Error(`histc: expects a floating point tensor, got ${x.dtype} (use x.float())`);
  if (!Number.isInteger(bins) || bins <= 0) throw new Error(`histc: bins must be a positive integer, got ${bins}`);
  if (min > max) throw new Error(`histc: max (${max}) must be larger than or equal to min (${min})`);
  const d = contiguous(detach(x)).numbers();
  let lo = min, hi = max;
  if (lo === hi && d.length > 0) {
    lo = Infinity;
    hi = -Infinity;
    for (const v of d) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`histc: the range [${lo}, ${hi}] is not finite; give finite min and max`);
  const out = Tensor.empty([bins], isHalf(x.dtype) ? "float32" : x.dtype);
  for (const v of d) {
    if (!(v >= lo && v <= hi)) continue;
    // The same arithmetic as PyTorch's CPU kernel, so edge elements land in the same bin.
    let b = Math.floor(((v - lo) * bins) / (hi - lo));
    if (b === bins) b -= 1;
    (out.storage.data as Float64Array)[b] += 1; // x.dtype is floating
  }
  return to(out, x.dtype);
}

// The keys each op's trailing options object takes: the entry layer (tensor/guard.ts) rejects any other.
declareOptions({ cumprod: ["dtype"], aminmax: ["dim", "keepdim"] });
// Optional parameters PyTorch code passes positionally, also taken as one options object (API.md rule 3);
// the type of the declaration gives the exported functions those forms (core.ts, options-form.ts).
const KEEPDIM = ["keepdim"] as const;
const OPTIONAL_ARGS = declareOptionalArgs({
  any: { first: 1, names: ["dim"], bag: KEEPDIM }, all: { first: 1, names: ["dim"], bag: KEEPDIM },
  nansum: { first: 1, names: ["dim"], bag: ["keepdim", "dtype"] }, nanmean: { first: 1, names: ["dim"], bag: ["keepdim", "dtype"] },
  countNonzero: { first: 1, names: ["dim"] }, histc: { first: 1, names: ["bins", "min", "max"] },
  bincount: { first: 1, names: ["weights", "minlength"] },
});
export type ScanOptionalArgs = typeof OPTIONAL_ARGS;

installMethods({
  cumprod, cummax, cummin, logcumsumexp, any, all, nansum, nanmean, aminmax, countNonzero, bincount, histc,
});
