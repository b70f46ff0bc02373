/**
 * Sorting and selection: sort/argsort/msort, topk, kthvalue, median, mode, unique, searchsorted,
 * bucketize. One stable sort kernel orders each line; values are then `gather`ed from the input, so
 * their gradient (to the chosen elements) is gather's backward rule.
 *
 * Ties: equal elements keep their input order (a stable sort) in every op here. PyTorch documents
 * the tie order of sort(stable=false), topk, kthvalue and unique(sorted=false) as unspecified; its
 * CPU kernels give a stable order for sort, median and mode but not always for topk and kthvalue.
 */
import { declareOptionalArgs, declareOptions, describe, optionKeys } from "../tensor/check.js";
import { Tensor } from "../tensor/tensor.js";
import { full } from "../tensor/creation.js";
import { int64From, isFloating, isIndexDtype } from "../tensor/dtype.js";
import { fmt, normalizeDim } from "../tensor/shape.js";
import { apply, backend, defineOp, installMethods } from "./op.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { contiguous, detach, narrow, permute, reshape, squeeze, to } from "./shape.js";
import { div, eq, gt, isnan, mul, sub, where } from "./elementwise.js";
import { type KeepDim, keepdimOf, sum } from "./reduce.js";
import { gather, indexSelect } from "./indexing.js";
import { type ValuesIndicesTuple, valuesIndices } from "./named-tuple.js";

export interface SortOptions {
  dim?: number;
  descending?: boolean;
  /** Accepted for PyTorch compatibility: the sort is always stable. */
  stable?: boolean;
}

export interface UniqueOptions {
  /** Accepted for PyTorch compatibility: the result is always sorted (PyTorch leaves the unsorted order unspecified). */
  sorted?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  /** Unique slices along this dim instead of unique elements. */
  dim?: number;
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `x.sort(-1, true)` or `x.sort({ descending: true })`: `{values, indices}` (stable; NaN sorts last ascending). */
    sort(dim?: number, descending?: boolean, opts?: { stable?: boolean }): ValuesIndicesTuple;
    sort(opts: SortOptions): ValuesIndicesTuple;
    sort(dim: number | undefined, opts: Omit<SortOptions, "dim">): ValuesIndicesTuple;
    argsort(dim?: number, descending?: boolean, opts?: { stable?: boolean }): Tensor;
    argsort(opts: SortOptions): Tensor;
    argsort(dim: number | undefined, opts: Omit<SortOptions, "dim">): Tensor;
    /** Sorted along dim 0. */
    msort(): Tensor;
    /** `x.topk(3)`: the k largest (or smallest) along dim, sorted, as `{values, indices}`. */
    topk(k: number, dim?: number, largest?: boolean, sorted?: boolean): ValuesIndicesTuple;
    topk(k: number, opts: { dim?: number; largest?: boolean; sorted?: boolean }): ValuesIndicesTuple;
    topk(k: number, dim: number | undefined, opts: { largest?: boolean; sorted?: boolean }): ValuesIndicesTuple;
    topk(k: number, dim: number | undefined, largest: boolean | undefined, opts: { sorted?: boolean }): ValuesIndicesTuple;
    /** `x.kthvalue(2, 1)`: the k-th smallest along dim (k from 1). */
    kthvalue(k: number, dim?: number, keepdim?: KeepDim): ValuesIndicesTuple;
    kthvalue(k: number, opts: { dim?: number; keepdim?: boolean }): ValuesIndicesTuple;
    /** The lower median: of all elements (a 0-d tensor), or `{values, indices}` along dim. NaN propagates. */
    median(): Tensor;
    median(dim: number, keepdim?: KeepDim): ValuesIndicesTuple;
    median(opts: { dim: number; keepdim?: boolean }): ValuesIndicesTuple;
    /** `x.median({})`: the options form without a dim is the median of all elements. */
    median(opts: { dim?: undefined }): Tensor;
    /** The most frequent value along dim (the smallest on ties) and the index of its last occurrence. */
    mode(dim?: number, keepdim?: KeepDim): ValuesIndicesTuple;
    mode(opts: { dim?: number; keepdim?: boolean }): ValuesIndicesTuple;
    /** Sorted unique elements (or slices along `dim`), with inverse indices and counts on request. */
    unique(opts?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
    unique(opts: UniqueOptions): Tensor[];
  }
}

const sortOp = defineOp<{ axis: number; descending: boolean }>({
  name: "sort",
  forward([x], { axis, descending }) {
    const values = Tensor.empty(x.shape, x.dtype);
    const indices = Tensor.empty(x.shape, "int64"); // PyTorch's index dtype, as every index result here
    backend().sort(x.view_(), axis, descending, values.view_(), indices.view_());
    return indices;
  },
});

/** Sort indices along `axis` (int64, x's shape). */
function sortIndices(x: Tensor, axis: number, descending: boolean): Tensor {
  return apply(sortOp, [x], { axis, descending });
}

/**
 * Sorted values and indices. Values come from the kernel when no gradient is recorded; otherwise they
 * are gathered with the indices, so that gather's rule carries the gradient.
 */
function sortedPair(x: Tensor, axis: number, descending: boolean): [Tensor, Tensor] {
  if (isGradEnabled() && x.requiresGrad) {
    const idx = sortIndices(x, axis, descending);
    return [gather(x, axis, idx), idx];
  }
  const values = Tensor.empty(x.shape, x.dtype);
  const indices = Tensor.empty(x.shape, "int64");
  backend().sort(x.view_(), axis, descending, values.view_(), indices.view_());
  return [values, indices];
}

/** Runs `f` on x as at least 1-D (PyTorch treats a 0-d tensor as one element along dim 0 or -1). */
function atLeast1d<T extends Tensor[]>(x: Tensor, dim: number, op: string, f: (x1: Tensor, axis: number) => T, keep0d = true): T {
  if (x.ndim === 0) {
    normalizeDim(dim, 0, op);
    const r = f(reshape(x, [1]), 0);
    return (keep0d ? r.map((t) => reshape(t, [])) : r) as T;
  }
  return f(x, normalizeDim(dim, x.ndim, op));
}

/** A boolean flag (descending, largest): anything else, an options object included, would be read by truthiness. */
function checkFlag(op: string, name: string, v: unknown): void {
  if (typeof v !== "boolean") throw new Error(`${op}: ${name} must be true or false, got ${describe(v)}`);
}

/** `sort(x, -1, true)` or `sort(x, { dim: 1, descending: true })`: `{values, indices}` along dim, stable; NaN counts as the largest value. */
export function sort(x: Tensor, dim = -1, descending = false, _opts: { stable?: boolean } = {}): ValuesIndicesTuple {
  checkFlag("sort", "descending", descending);
  const [values, indices] = atLeast1d(x, dim, "sort", (x1, axis) => sortedPair(x1, axis, descending));
  return valuesIndices(values, indices);
}

/** `argsort(x, 1)`: the indices that sort x along dim (stable). */
export function argsort(x: Tensor, dim = -1, descending = false, _opts: { stable?: boolean } = {}): Tensor {
  checkFlag("argsort", "descending", descending);
  return atLeast1d(x, dim, "argsort", (x1, axis) => [sortIndices(x1, axis, descending)])[0];
}

/** `msort(x)`: x sorted along dim 0. */
export function msort(x: Tensor): Tensor {
  return sort(x, 0).values;
}

/** `topk(x, 3)`: the k largest (largest=false: smallest) elements along dim, in sorted order. */
export function topk(x: Tensor, k: number, dim = -1, largest = true, _sorted = true): ValuesIndicesTuple {
  checkFlag("topk", "largest", largest);
  const [values, indices] = atLeast1d(x, dim, "topk", (x1, axis) => {
    const n = x1.shape[axis];
    if (!Number.isInteger(k) || k < 0 || k > n) {
      throw new RangeError(`topk: k (${k}) must be an integer in [0, ${n}], the size of dim ${dim} of ${fmt(x.shape)}`);
    }
    const [v, idx] = sortedPair(x1, axis, largest);
    return [narrow(v, axis, 0, k), narrow(idx, axis, 0, k)];
  });
  return valuesIndices(values, indices);
}

/** Values and indices at sorted position `pos` (int32, keepdim shape) of the ascending sort along axis. */
function pickSorted(x1: Tensor, axis: number, pos: Tensor, keepdim: boolean): [Tensor, Tensor] {
  const idx = gather(sortIndices(x1, axis, false), axis, pos);
  const values = gather(x1, axis, idx);
  return keepdim ? [values, idx] : [squeeze(values, axis), squeeze(idx, axis)];
}

function positionTensor(x1: Tensor, axis: number, pos: number | Tensor): Tensor {
  const shape = x1.shape.map((s, d) => (d === axis ? 1 : s));
  if (pos instanceof Tensor) return contiguous(to(pos, "int32"));
  const t = Tensor.empty(shape, "int32");
  (t.storage.data as Int32Array).fill(pos);
  return t;
}

/** `kthvalue(x, 2)`: the k-th smallest element along dim (k counts from 1) and its index. */
export function kthvalue(x: Tensor, k: number, dim = -1, keepdimArg?: KeepDim): ValuesIndicesTuple {
  const keepdim = keepdimOf("kthvalue", keepdimArg);
  const [values, indices] = atLeast1d(x, dim, "kthvalue", (x1, axis) => {
    const n = x1.shape[axis];
    if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`kthvalue: k (${k}) must be an integer in [1, ${n}], the size of dim ${dim} of ${fmt(x.shape)}`);
    return pickSorted(x1, axis, positionTensor(x1, axis, k - 1), true);
  });
  return valuesIndices(keepdim || x.ndim === 0 ? values : squeeze(values, dim), keepdim || x.ndim === 0 ? indices : squeeze(indices, dim));
}

/** The lower median of all elements (0-d), or `{values, indices}` along dim; a NaN in a line makes its median NaN. */
// `median(x, {})` never reaches here: the entry layer spreads the options object (OPTIONAL_ARGS below)
// into no dim, and core.ts types that form (NoDimForm).
export function median(x: Tensor): Tensor;
export function median(x: Tensor, dim: number, keepdim?: KeepDim): ValuesIndicesTuple;
export function median(x: Tensor, dim?: number, keepdimArg?: KeepDim): Tensor | ValuesIndicesTuple {
  const keepdim = keepdimOf("median", keepdimArg);
  if (dim === undefined) {
    // PyTorch's median() has no keepdim: refuse it rather than silently return a 0-d tensor.
    if (keepdim) throw new Error("median: keepdim needs a dim (median(x, { dim: 0, keepdim: true })); median(x) is the 0-d median of all elements");
    if (x.numel() === 0) {
      // PyTorch 1.13 returns NaN for an empty float tensor (and an unspecified value for an integer
      // one, which we refuse: there is no integer NaN to give).
      if (!isFloating(x.dtype)) throw new Error(`median: an empty ${x.dtype} tensor (shape ${fmt(x.shape)}) has no median; an empty float tensor gives NaN`);
      return medianOfAll(x, full([], NaN, { dtype: x.dtype }));
    }
    return medianOfAll(x, median(reshape(detach(x), [-1]), 0).values);
  }
  const [values, indices] = atLeast1d(x, dim, "median", (x1, axis) => {
    const n = x1.shape[axis];
    if (n === 0) throw new Error(`median: dim ${dim} of ${fmt(x.shape)} is empty; there is no median`);
    // NaN sorts last: a line with NaNs picks its first NaN (PyTorch propagates NaN the same way).
    const nans = sum(isnan(x1), axis, true);
    const pos = where(gt(nans, 0), sub(n, nans), (n - 1) >> 1);
    return pickSorted(x1, axis, positionTensor(x1, axis, pos), true);
  });
  const drop = !keepdim && x.ndim > 0;
  return valuesIndices(drop ? squeeze(values, dim) : values, drop ? squeeze(indices, dim) : indices);
}

/**
 * The 0-d median of all of x's elements (`value`, computed without a graph) with PyTorch's gradient
 * for median() and nanmedian() (evenly_distribute_backward): shared equally by every element equal
 * to the result, or by every NaN when it is NaN, not given to one of them.
 */
const medianAllOp = defineOp<{ value: Tensor }>({
  name: "median",
  forward: (_inputs, { value }) => value,
  backward: (g, { inputs: [x], output }) => {
    const mask = Number.isNaN(Number(output.item())) ? isnan(x) : eq(x, output);
    return [div(mul(g, to(mask, g.dtype)), sum(mask))];
  },
});

/** `value` (the median of all of x, 0-d) as the output of x's median, under `name` (median, nanmedian). */
export function medianOfAll(x: Tensor, value: Tensor, name = "median"): Tensor {
  return apply(name === "median" ? medianAllOp : { ...medianAllOp, name }, [x], { value: contiguous(reshape(value, [])).clone() });
}

/** x with `axis` moved last, contiguous (for per-line loops over the data). */
function lastAxis(x: Tensor, axis: number): Tensor {
  const perm = x.shape.map((_, d) => d).filter((d) => d !== axis);
  return contiguous(permute(x, [...perm, axis]));
}

/** `mode(x, dim)`: the most frequent value along dim (the smallest among equally frequent ones) and its last index. */
export function mode(x: Tensor, dim = -1, keepdimArg?: KeepDim): ValuesIndicesTuple {
  const keepdim = keepdimOf("mode", keepdimArg);
  const [values, indices] = atLeast1d(x, dim, "mode", (x1, axis) => {
    const n = x1.shape[axis];
    if (n === 0) throw new Error(`mode: dim ${dim} of ${fmt(x.shape)} is empty; there is no mode`);
    const idx = lastAxis(sortIndices(x1, axis, false), axis).numbers();
    const vals = lastAxis(detach(x1), axis).numbers();
    const lines = idx.length / n;
    const best = new Int32Array(lines);
    for (let l = 0; l < lines; l++) {
      const row = l * n;
      let bestCount = 0;
      for (let start = 0, end = 1; start < n; start = end, end = start + 1) {
        const v = vals[row + idx[row + start]];
        while (end < n && vals[row + idx[row + end]] === v) end++;
        // Ascending runs: only a strictly longer run wins, so ties keep the smallest value. The sort
        // is stable, so a run's last element is the value's last occurrence (PyTorch's index).
        if (end - start > bestCount) {
          bestCount = end - start;
          best[l] = idx[row + end - 1];
        }
      }
    }
    const shape = x1.shape.map((s, d) => (d === axis ? 1 : s));
    const moved = [...shape.filter((_, d) => d !== axis), 1];
    const perm = x1.shape.map((_, d) => d).filter((d) => d !== axis);
    const inv = new Array<number>(x1.ndim);
    [...perm, axis].forEach((p, i) => (inv[p] = i));
    const pos = contiguous(permute(Tensor.fromArray(int64From(best), moved, "int64"), inv));
    const v = gather(x1, axis, pos);
    return [v, pos];
  });
  const drop = !keepdim && x.ndim > 0;
  return valuesIndices(drop ? squeeze(values, dim) : values, drop ? squeeze(indices, dim) : indices);
}

/** `unique(x)`: the sorted distinct elements; with `returnInverse`/`returnCounts`, `[output, inverse?, counts?]`. */
export function unique(x: Tensor, opts?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
export function unique(x: Tensor, opts: UniqueOptions): Tensor[];
export function unique(x: Tensor, opts: UniqueOptions = {}): Tensor | Tensor[] {
  const xd = detach(x);
  let rows: Tensor; // [n, rowLength]
  let axis = 0;
  if (opts.dim === undefined) rows = reshape(xd, [-1, 1]);
  else {
    if (x.ndim === 0) throw new Error("unique: dim cannot be given for a 0-d tensor");
    axis = normalizeDim(opts.dim, x.ndim, "unique");
    // The row length is spelled out: -1 cannot be inferred when dim has size 0.
    const rowLength = x.shape.reduce((p, s, d) => (d === axis ? p : p * s), 1);
    rows = reshape(permute(xd, [axis, ...x.shape.map((_, d) => d).filter((d) => d !== axis)]), [x.shape[axis], rowLength]);
  }
  const [n, len] = rows.shape;
  const data = contiguous(rows).numbers();
  const cmp = (a: number, b: number): number => {
    for (let k = 0; k < len; k++) {
      const u = data[a * len + k], v = data[b * len + k];
      if (u !== v) return Number.isNaN(u) ? 1 : Number.isNaN(v) ? -1 : u < v ? -1 : 1;
    }
    return 0;
  };
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => cmp(a, b) || a - b);
  const firsts: number[] = [];
  const counts: number[] = [];
  const inverse = new Int32Array(n);
  order.forEach((r, j) => {
    // NaNs are never equal to each other (cmp compares with !==), so each NaN is its own unique value (as in PyTorch).
    if (j === 0 || cmp(order[j - 1], r) !== 0) {
      firsts.push(r);
      counts.push(0);
    }
    counts[counts.length - 1]++;
    inverse[r] = firsts.length - 1;
  });
  const pick = Tensor.fromArray(Int32Array.from(firsts), [firsts.length], "int32");
  const output = opts.dim === undefined ? indexSelect(reshape(xd, [-1]), 0, pick) : indexSelect(xd, axis, pick);
  if (!opts.returnInverse && !opts.returnCounts) return output;
  const out = [output];
  if (opts.returnInverse) out.push(Tensor.fromArray(int64From(inverse), opts.dim === undefined ? x.shape : [n], "int64"));
  if (opts.returnCounts) out.push(Tensor.fromArray(int64From(counts), [counts.length], "int64"));
  return out;
}

export interface SearchsortedOptions {
  /** true: the last suitable position (a[i-1] <= v < a[i]); false (default): the first (a[i-1] < v <= a[i]). */
  right?: boolean;
  /** "left" or "right"; the same as `right`, as in PyTorch. */
  side?: "left" | "right";
  /** Indices that sort each line of the sequence, when it is not sorted itself. */
  sorter?: Tensor;
  /** PyTorch's out_int32: positions as int32 instead of the default int64. */
  outInt32?: boolean;
}

/** `searchsorted(seq, values)`: int32 positions where values would be inserted to keep each line of seq sorted. */
export function searchsorted(sortedSequence: Tensor, input: Tensor | number, opts: SearchsortedOptions = {}): Tensor {
  // `input` is PyTorch's keyword for the values (the entry layer's messages read the names).
  if (opts.side !== undefined && opts.right !== undefined && (opts.side === "right") !== opts.right) {
    throw new Error(`searchsorted: side "${opts.side}" contradicts right=${opts.right}; give one of them`);
  }
  const right = opts.side === "right" || opts.right === true;
  const v = input instanceof Tensor ? input : reshape(Tensor.fromArray(Float64Array.of(input), [1], "float64"), []);
  const seq = sortedSequence;
  if (seq.ndim === 0) throw new Error("searchsorted: the sorted sequence must have at least 1 dim, got a 0-d tensor");
  if (seq.ndim > 1 && (v.ndim !== seq.ndim || v.shape.slice(0, -1).some((s, d) => s !== seq.shape[d]))) {
    throw new Error(`searchsorted: the sequence ${fmt(seq.shape)} and values ${fmt(v.shape)} must have the same leading dims (all but the last), or the sequence must be 1-D`);
  }
  const m = seq.shape[seq.ndim - 1];
  let s = contiguous(seq).numbers();
  if (opts.sorter) {
    if (!isIndexDtype(opts.sorter.dtype) || opts.sorter.ndim !== seq.ndim || opts.sorter.shape.some((d, k) => d !== seq.shape[k])) {
      throw new Error(`searchsorted: sorter must be an int64 (or int32) tensor of the sequence's shape ${fmt(seq.shape)}, got ${opts.sorter.dtype} ${fmt(opts.sorter.shape)}`);
    }
    s = gather(detach(seq), -1, opts.sorter).numbers();
  }
  const vd = contiguous(v).numbers();
  const inner = v.ndim === 0 ? 1 : v.shape[v.ndim - 1];
  const out = new Int32Array(vd.length);
  for (let i = 0; i < vd.length; i++) {
    const base = seq.ndim === 1 ? 0 : Math.floor(i / inner) * m;
    let lo = 0, hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const e = s[base + mid];
      // left: first e >= v; right: first e > v. Written as PyTorch's binary search (a step right
      // unless the comparison holds), so a NaN on either side steps right as it does there.
      if (right ? !(e > vd[i]) : !(e >= vd[i])) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
  return opts.outInt32 ? Tensor.fromArray(out, v.shape, "int32") : Tensor.fromArray(int64From(out), v.shape, "int64");
}

/** `bucketize(x, boundaries)`: the index of the bucket each element falls in (boundaries 1-D, sorted). */
export function bucketize(input: Tensor | number, boundaries: Tensor, opts: { right?: boolean; outInt32?: boolean } = {}): Tensor {
  if (boundaries.ndim !== 1) throw new Error(`bucketize: boundaries must be 1-D, got shape ${fmt(boundaries.shape)}`);
  return searchsorted(boundaries, input, { right: opts.right ?? false, outInt32: opts.outInt32 });
}

// The keys each op's trailing options object takes: the entry layer (tensor/guard.ts) rejects any other.
// (sort, argsort, topk, kthvalue, median and mode declare theirs in OPTIONAL_ARGS below, as its `bag`.)
declareOptions({
  unique: optionKeys<UniqueOptions>()({ sorted: true, returnInverse: true, returnCounts: true, dim: true }),
  searchsorted: optionKeys<SearchsortedOptions>()({ right: true, side: true, sorter: true, outInt32: true }),
  bucketize: ["right", "outInt32"],
});
// dim is optional, so it may come in the options object too (API.md rule 3): `x.mode({ dim: 0, keepdim: true })`
// is `x.mode(0, { keepdim: true })`; the declaration's type gives the exported functions those forms.
const KEEPDIM = ["keepdim"] as const;
// sort/argsort/topk read their keywords this way too: `x.sort(1, { descending: false })` was read as
// descending (an object is truthy) and `x.topk(2, 0, { largest: false })` as largest.
const STABLE = ["stable"] as const satisfies readonly (keyof SortOptions)[];
const OPTIONAL_ARGS = declareOptionalArgs({
  sort: { first: 1, names: ["dim", "descending"], bag: STABLE }, argsort: { first: 1, names: ["dim", "descending"], bag: STABLE },
  topk: { first: 2, names: ["dim", "largest", "sorted"] },
  kthvalue: { first: 2, names: ["dim"], bag: KEEPDIM }, median: { first: 1, names: ["dim"], bag: KEEPDIM },
  mode: { first: 1, names: ["dim"], bag: KEEPDIM },
});
export type SortOptionalArgs = typeof OPTIONAL_ARGS;

installMethods({
  sort, argsort, msort, topk, kthvalue, mode,
  median: (x: Tensor, dim?: number, keepdim?: KeepDim) => median(x, dim as number, keepdim),
  unique: (x: Tensor, opts?: UniqueOptions) => unique(x, opts as UniqueOptions),
});
