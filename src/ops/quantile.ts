/**
 * Quantiles and the NaN-ignoring median: `quantile`, `nanquantile` and `nanmedian`, as torch's. The
 * quantiles are PyTorch's computation step for step (at::native quantile_compute: sort, ranks
 * q·(n−1) in the input's dtype, gather below and above, lerp), composites of differentiable ops, so
 * the gradient reaches the elements picked, as PyTorch's.
 *
 * ```ts
 * quantile(x, 0.9);                                        // of all elements (0-d)
 * quantile(x, tensor([0.25, 0.75]), 1, true);              // [2, rows, 1]: the q dim comes first
 * x.quantile(0.5, { dim: 0, interpolation: "nearest" });
 * nanquantile(x, 0.5, 1);                                  // NaNs left out
 * const { values, indices } = nanmedian(x, 1);             // lower median of the non-NaN values
 * ```
 */
import { declareOptionalArgs, describe } from "../tensor/check.js";
import { Tensor } from "../tensor/tensor.js";
import { isFloating } from "../tensor/dtype.js";
import { fmt, normalizeDim } from "../tensor/shape.js";
import { full, tensor } from "../tensor/creation.js";
import { installMethods } from "./op.js";
import { contiguous, detach, reshape, squeeze, to } from "./shape.js";
import { movedim } from "./shape-more.js";
import { ceil, div, eq, floor, isnan, logicalNot, lt, maskedFill, mul, round, sub, where } from "./elementwise.js";
import { lerp } from "./math.js";
import { type KeepDim, keepdimOf, sum } from "./reduce.js";
import { any } from "./scan.js";
import { gather } from "./indexing.js";
import { argsort, medianOfAll, sort } from "./sort.js";
import { type ValuesIndicesTuple, valuesIndices } from "./named-tuple.js";

export type QuantileInterpolation = "linear" | "lower" | "higher" | "midpoint" | "nearest";
const INTERPOLATIONS: readonly QuantileInterpolation[] = ["linear", "lower", "higher", "midpoint", "nearest"];

/** PyTorch's keyword-only option of quantile and nanquantile. */
export interface QuantileOptions { interpolation?: QuantileInterpolation }

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `x.quantile(0.5)`, `x.quantile(q, 1, true, { interpolation: "lower" })`, `x.quantile(q, { dim: 1 })`: torch.Tensor.quantile. */
    quantile(q: number | Tensor, dim?: number | null, keepdim?: boolean, opts?: QuantileOptions): Tensor;
    quantile(q: number | Tensor, opts: QuantileOptions & { dim?: number | null; keepdim?: boolean }): Tensor;
    quantile(q: number | Tensor, dim: number | null | undefined, opts: QuantileOptions & { keepdim?: boolean }): Tensor;
    /** `x.nanquantile(0.5, 1)`: quantile of the non-NaN values. */
    nanquantile(q: number | Tensor, dim?: number | null, keepdim?: boolean, opts?: QuantileOptions): Tensor;
    nanquantile(q: number | Tensor, opts: QuantileOptions & { dim?: number | null; keepdim?: boolean }): Tensor;
    nanquantile(q: number | Tensor, dim: number | null | undefined, opts: QuantileOptions & { keepdim?: boolean }): Tensor;
    /** The lower median of the non-NaN values: of all elements (0-d), or `{values, indices}` along dim. */
    nanmedian(): Tensor;
    nanmedian(dim: number, keepdim?: KeepDim): ValuesIndicesTuple;
    nanmedian(opts: { dim: number; keepdim?: boolean }): ValuesIndicesTuple;
    nanmedian(opts: { dim?: undefined }): Tensor;
  }
}

/** quantile_checks and the q tensor, in the input's dtype (a number q becomes a 0-d tensor of it, as PyTorch). */
function checked(op: string, x: Tensor, q: unknown, interpolation: unknown): [Tensor, QuantileInterpolation] {
  if (x.dtype !== "float32" && x.dtype !== "float64") throw new Error(`${op}: input must be a float32 or float64 tensor (as PyTorch), got ${x.dtype}; convert it with .float()`);
  if (x.numel() === 0) throw new Error(`${op}: input must be non-empty, got shape ${fmt(x.shape)}`);
  if (!INTERPOLATIONS.includes(interpolation as QuantileInterpolation)) {
    throw new Error(`${op}: interpolation must be one of ${INTERPOLATIONS.join(", ")}, got ${describe(interpolation)}`);
  }
  let qt: Tensor;
  if (typeof q === "number") {
    if (!(q >= 0 && q <= 1)) throw new Error(`${op}: q must be in the range [0, 1], got ${q}`);
    qt = tensor(q, { dtype: x.dtype });
  } else if (q instanceof Tensor) {
    if (q.ndim > 1) throw new Error(`${op}: q must be a number, a 0-d or a 1-D tensor, got shape ${fmt(q.shape)}`);
    if (q.dtype !== x.dtype) throw new Error(`${op}: q must have the input's dtype ${x.dtype}, got ${q.dtype} (as PyTorch); convert it with q.to("${x.dtype}")`);
    const v = q.numbers();
    for (let i = 0; i < v.length; i++) if (!(v[i] >= 0 && v[i] <= 1)) throw new Error(`${op}: q values must be in the range [0, 1], got ${v[i]} at index ${i}`);
    qt = detach(q);
  } else throw new Error(`${op}: q must be a number or a tensor of quantiles in [0, 1], got ${describe(q)}`);
  return [qt, interpolation as QuantileInterpolation];
}

function quantileImpl(op: string, ignoreNan: boolean, x: Tensor, q: number | Tensor, dim: number | null | undefined, keepdim: unknown, opts: QuantileOptions | undefined): Tensor {
  if (typeof keepdim !== "boolean") throw new Error(`${op}: keepdim must be true or false, got ${describe(keepdim)}`);
  const o = opts ?? {};
  if (o === null || typeof o !== "object" || Array.isArray(o)) throw new Error(`${op}: the options must be an object { interpolation }, got ${describe(opts)}`);
  const [qt, mode] = checked(op, x, q, o.interpolation ?? "linear");
  // The shape without q: dim dropped (or kept as 1), or all dims reduced.
  let reduced: number[];
  let sorted: Tensor;
  if (dim === null || dim === undefined) {
    reduced = keepdim ? x.shape.map(() => 1) : [];
    sorted = sort(reshape(x, [-1])).values;
  } else {
    if (!Number.isInteger(dim)) throw new Error(`${op}: dim must be an integer or null, got ${describe(dim)}`);
    const d = normalizeDim(dim, Math.max(x.ndim, 1), op);
    reduced = x.ndim === 0 ? [] : x.shape.map((s, i) => (i === d ? 1 : s)).filter((_, i) => keepdim || i !== d);
    sorted = sort(x.ndim === 0 ? reshape(x, [1]) : movedim(x, d, -1), -1).values;
  }
  const n = sorted.shape[sorted.ndim - 1];
  sorted = reshape(sorted, [...reduced, n]);
  const q1 = reshape(qt, [-1]); // [Q]
  // Ranks in [0, n): q·(n−1) in the input's dtype. quantile sends a line with a NaN to its last
  // (NaN) element; nanquantile counts only the non-NaN values (an all-NaN line gets rank 0: NaN).
  const nan = isnan(sorted);
  let ranks: Tensor;
  if (ignoreNan) {
    ranks = mul(q1, sub(sum(logicalNot(nan), -1, true), 1));
    ranks = maskedFill(ranks, lt(ranks, 0), 0);
  } else {
    const hasNan = any(nan, -1, true);
    ranks = where(hasNan, n - 1, mul(q1, n - 1));
    ranks = to(ranks, x.dtype);
  }
  if (mode === "lower") ranks = floor(ranks);
  else if (mode === "higher") ranks = ceil(ranks);
  else if (mode === "nearest") ranks = round(ranks);
  const below = to(ranks, "int64");
  let values = gather(sorted, -1, contiguous(below));
  if (mode === "linear" || mode === "midpoint") {
    const weights = mode === "midpoint" ? full(ranks.shape, 0.5, { dtype: ranks.dtype }) : sub(ranks, below);
    const above = to(ceil(ranks), "int64");
    values = lerp(values, gather(sorted, -1, contiguous(above)), weights);
  }
  // [...reduced, Q] -> [...reduced] for a 0-d q, or [Q, ...reduced]
  if (qt.ndim === 0) return squeeze(values, -1);
  return movedim(values, -1, 0);
}

/**
 * `quantile(x, q, dim?, keepdim?, { interpolation })`: the q-th quantiles of x (all elements, or
 * along dim), as torch.quantile. q is a number or a 0-d/1-D tensor in [0, 1] of x's dtype; a 1-D q
 * puts its dim first in the result. interpolation between the two nearest sorted values: "linear"
 * (default), "lower", "higher", "midpoint", "nearest". A line holding a NaN gives NaN (nanquantile
 * leaves NaNs out). float32 and float64 only, as PyTorch.
 */
export function quantile(x: Tensor, q: number | Tensor, dim: number | null = null, keepdim = false, opts: QuantileOptions = {}): Tensor {
  return quantileImpl("quantile", false, x, q, dim, keepdim, opts);
}

/** `nanquantile(x, q, dim?, keepdim?, { interpolation })`: quantile of the non-NaN values (NaN where a line has none), as torch.nanquantile. */
export function nanquantile(x: Tensor, q: number | Tensor, dim: number | null = null, keepdim = false, opts: QuantileOptions = {}): Tensor {
  return quantileImpl("nanquantile", true, x, q, dim, keepdim, opts);
}

/**
 * `nanmedian(x)`: the lower median of the non-NaN elements (0-d; NaN when there are none, an empty
 * input included, as PyTorch); `nanmedian(x, dim, keepdim?)`: `{values, indices}` along dim, the
 * index being the median's position in x (ties: the earliest in the stable order, as PyTorch).
 */
export function nanmedian(x: Tensor): Tensor;
export function nanmedian(x: Tensor, dim: number, keepdim?: KeepDim): ValuesIndicesTuple;
export function nanmedian(x: Tensor, dim?: number, keepdimArg?: KeepDim): Tensor | ValuesIndicesTuple {
  const op = "nanmedian";
  const keepdim = keepdimOf(op, keepdimArg);
  if (x.dtype === "bool") throw new Error(`${op}: bool tensors have no median (as PyTorch); convert with .int() or .float()`);
  if (dim === undefined) {
    if (keepdim) throw new Error(`${op}: keepdim needs a dim (nanmedian(x, { dim: 0, keepdim: true })); nanmedian(x) is the 0-d median of all elements`);
    if (x.numel() === 0) {
      // As median(): PyTorch gives NaN for an empty float tensor and an unspecified value for an integer one.
      if (!isFloating(x.dtype)) throw new Error(`${op}: an empty ${x.dtype} tensor (shape ${fmt(x.shape)}) has no median; an empty float tensor gives NaN`);
      return full([], NaN, { dtype: x.dtype });
    }
    return medianOfAll(x, nanmedian(reshape(detach(x), [-1]), 0).values, op);
  }
  if (!Number.isInteger(dim)) throw new Error(`${op}: dim must be an integer, got ${describe(dim)}`);
  const was0d = x.ndim === 0;
  const x1 = was0d ? reshape(x, [1]) : x;
  const axis = normalizeDim(dim, x1.ndim, op);
  const n = x1.shape[axis];
  if (n === 0) throw new Error(`${op}: dim ${dim} of ${fmt(x.shape)} is empty; there is no median`);
  // NaN sorts last and the sort is stable: position (non-NaN count − 1) / 2, truncated as C++ does
  // (0 for a line of NaNs), is PyTorch's nth_element with its (value, index) order.
  const order = argsort(x1, axis);
  const valid = sub(n, sum(isnan(x1), axis, true));
  const pos = to(div(where(eq(valid, 0), 0, sub(valid, 1)), 2, { roundingMode: "floor" }), "int64");
  let indices = gather(order, axis, contiguous(pos));
  // A line of NaNs has no order among its elements: PyTorch's index there is where libstdc++'s
  // nth_element leaves it (allNanIndex); the value is NaN either way.
  if (!INTEGER_DTYPES.has(x1.dtype)) indices = where(eq(valid, 0), allNanIndex(n), indices);
  let values = gather(x1, axis, indices);
  if (was0d) {
    values = reshape(values, []);
    indices = reshape(indices, []);
  } else if (!keepdim) {
    values = squeeze(values, axis);
    indices = squeeze(indices, axis);
  }
  return valuesIndices(values, indices);
}

const INTEGER_DTYPES = new Set<string>(["int64", "int32", "int16", "int8", "uint8"]);

/**
 * The index PyTorch 1.13's nanmedian gives for a line of n NaNs: at::median_with_indices_impl runs
 * std::nth_element(idx, idx + 0, idx + n) with a comparator under which NaNs are all equivalent,
 * and libstdc++'s introselect then only moves indices by its pivot swaps. This replays those swaps
 * (checked against torch for n = 1..199).
 */
function allNanIndex(n: number): number {
  const idx = Array.from({ length: n }, (_, i) => i);
  const swap = (a: number, b: number): void => {
    const t = idx[a];
    idx[a] = idx[b];
    idx[b] = t;
  };
  let first = 0, last = n;
  while (last - first > 3) {
    swap(first, first + ((last - first) >> 1)); // __move_median_to_first: the middle, when nothing compares less
    let f = first + 1, l = last;
    for (;;) {
      l--;
      if (f >= l) break;
      swap(f, l);
      f++;
    }
    last = f; // the cut is past nth = 0
  }
  return idx[0];
}

// dim and keepdim are passed positionally in PyTorch code (x.quantile(0.5, 1, True)) and taken in the
// options object beside interpolation; nanmedian takes its dim the way median does (API.md rule 3).
const OPTIONAL_ARGS = declareOptionalArgs({
  quantile: { first: 2, names: ["dim", "keepdim"], bag: ["interpolation"] },
  nanquantile: { first: 2, names: ["dim", "keepdim"], bag: ["interpolation"] },
  nanmedian: { first: 1, names: ["dim"], bag: ["keepdim"] },
});
export type QuantileOptionalArgs = typeof OPTIONAL_ARGS;

installMethods({
  quantile, nanquantile,
  nanmedian: (x: Tensor, dim?: number, keepdim?: KeepDim) => nanmedian(x, dim as number, keepdim),
});
