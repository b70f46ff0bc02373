/**
 * PyTorch's advanced indexing: integer-tensor and boolean-mask indices in `x.get(...)` (mixed with
 * integers, slices, "..." and null), index assignment `x.set(..., value)` (PyTorch's
 * `x[...] = value`, i.e. index_put_), and the index ops built on it: indexPut, indexCopy, indexFill,
 * maskedScatter, maskedSelect, nonzero, take, takeAlongDim and `where(cond)`.
 *
 * Everything here is a composite of views (permute/reshape/expand) and the differentiable gather /
 * scatter / indexSelect / indexAdd ops, so autograd (and higher-order gradients) come from their
 * backward rules. The integer positions themselves (a mask's nonzero entries) are read from the
 * data: they are index bookkeeping, not arithmetic.
 */
import { declareOptionalArgs, declareOptions } from "../tensor/check.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { int64From, isIndexDtype } from "../tensor/dtype.js";
import { broadcastShapes, fmt, normalizeDim, numel, sameShape } from "../tensor/shape.js";
import { asTensor, installMethods, refuseInferenceSaved } from "./op.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { get as basicGet, expand, narrow, permute, reshape, to, unsqueeze } from "./shape.js";
import { add, inplace, mul, where as whereElementwise } from "./elementwise.js";
import { gather, indexAdd, indexSelect, scatter, scatterAdd, scatterAs } from "./indexing.js";
import { tensor } from "../tensor/creation.js";

/**
 * One entry of `x.get(...)`: an integer, a slice string ("1:3", "::2", ":"), "...", null (a new
 * axis), an int32 or bool tensor, or a (nested) JS array of integers or booleans (a tensor index).
 */
export type Index = number | string | null | Tensor | readonly unknown[];

declare module "../tensor/tensor.js" {
  interface Tensor {
    /**
     * PyTorch's `x[...]`: `x.get(0, ":", "1:3")`, `x.get(null)` (new axis), `x.get(mask)`,
     * `x.get(idx)`, `x.get(":", [0, 2])`; integer/bool tensor indices follow PyTorch's advanced
     * indexing (broadcast together; their result dims go first unless they are adjacent).
     */
    get(...index: Index[]): Tensor;
    /** PyTorch's `x[...] = value`, in place with autograd: `x.set(mask, 0)`, `x.set(":", 1, v)`. Returns x. */
    set(...args: [...index: Index[], value: TensorLike]): this;
    /** `x.indexPut_([rows, cols], v)`: x[rows, cols] = v (or += with accumulate). */
    indexPut_(indices: readonly (Tensor | null)[], values: TensorLike, accumulate?: boolean): this;
    indexPut(indices: readonly (Tensor | null)[], values: TensorLike, accumulate?: boolean): Tensor;
    /** `x.indexCopy(0, idx, src)`: copy of x with x[idx[i]] = src[i] along dim. */
    indexCopy(dim: number, index: Tensor, source: Tensor): Tensor;
    indexCopy_(dim: number, index: Tensor, source: Tensor): this;
    /** `x.indexFill(1, idx, -1)`: copy of x with the slices idx along dim set to value. */
    indexFill(dim: number, index: Tensor, value: TensorLike): Tensor;
    indexFill_(dim: number, index: Tensor, value: TensorLike): this;
    /** `x.maskedScatter(mask, src)`: where mask is true, take src's elements in order. */
    maskedScatter(mask: Tensor, source: Tensor): Tensor;
    maskedScatter_(mask: Tensor, source: Tensor): this;
    /** `x.scatter_(1, idx, src)`: in-place scatter; `{ reduce: "add" }` adds instead of writing. */
    scatter_(dim: number, index: Tensor, src: Tensor | number, opts?: { reduce?: "add" | "multiply" }): this;
    scatterAdd_(dim: number, index: Tensor, src: Tensor): this;
    /** `x.indexAdd_(0, idx, src, { alpha })`: x[idx[i]] += alpha * src[i] along dim. */
    indexAdd_(dim: number, index: Tensor, source: Tensor, opts?: { alpha?: number }): this;
    /** `x.maskedSelect(mask)`: the elements where mask (broadcast) is true, as a 1-D tensor. */
    maskedSelect(mask: Tensor): Tensor;
    /** `x.nonzero()`: int32 [n, ndim] coordinates of the non-zero elements (row-major order). */
    nonzero(opts?: { asTuple?: false }): Tensor;
    nonzero(opts: { asTuple: true }): Tensor[];
    /** `x.take(idx)`: elements of the flattened x at idx (negative counts from the end), shaped like idx. */
    take(index: Tensor): Tensor;
    /** `x.takeAlongDim(idx, 1)`: gather with broadcasting (flattened when dim is omitted). */
    takeAlongDim(indices: Tensor, dim?: number): Tensor;
    takeAlongDim(indices: Tensor, opts: { dim?: number }): Tensor;
  }
}

interface AdvancedDim {
  /** Dim of the basic-indexed tensor that this index tensor indexes. */
  dim: number;
  index: Tensor;
}

interface ParsedIndex {
  /** Integers and slice strings for shape.get (one per consumed input dim). */
  basic: (number | string)[];
  /** Positions (in the basic result) where null inserts a size-1 axis, increasing. */
  nulls: number[];
  adv: AdvancedDim[];
}

function listToTensor(list: readonly unknown[], op: string): Tensor {
  const t = tensor(list as never);
  if (t.dtype === "bool") return t;
  if (t.numel() === 0) return to(t, "int32");
  const d = t.numbers();
  for (const v of d) {
    if (!Number.isInteger(v)) throw new Error(`${op}: list indices must be integers or booleans, got ${v}; use a number per element (or a bool mask)`);
  }
  return to(t, "int32");
}

/** The int64 coordinates of a bool tensor's true elements, one 1-D tensor per dim (nonzero's asTuple form). */
function trueCoords(mask: Tensor): Tensor[] {
  const d = mask.numbers();
  let n = 0;
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) n++;
  const k = mask.ndim;
  const coords = mask.shape.map(() => new Int32Array(n));
  const at = new Int32Array(k); // the row-major counter of element i
  for (let i = 0, j = 0; i < d.length; i++) {
    if (d[i] !== 0) {
      for (let a = 0; a < k; a++) coords[a][j] = at[a];
      j++;
    }
    for (let a = k - 1; a >= 0; a--) {
      if (++at[a] < mask.shape[a]) break;
      at[a] = 0;
    }
  }
  return coords.map((c) => Tensor.fromArray(int64From(c), [n], "int64"));
}

function parse(x: Tensor, raw: readonly Index[], op: string): ParsedIndex {
  const entries = raw.map((e) => (Array.isArray(e) ? listToTensor(e, op) : e)) as (number | string | null | Tensor)[];
  const width = (e: number | string | null | Tensor): number => (e === null || e === "..." ? 0 : e instanceof Tensor && e.dtype === "bool" ? e.ndim : 1);
  const used = entries.reduce<number>((a, e) => a + width(e), 0);
  const ellipses = entries.filter((e) => e === "...").length;
  if (ellipses > 1) throw new Error(`${op}: an index can only have a single ellipsis ("..."), got ${ellipses}`);
  if (used > x.ndim) throw new Error(`${op}: too many indices (${used}) for a tensor of shape ${fmt(x.shape)}`);
  const expanded: (number | string | null | Tensor)[] = [];
  for (const e of entries) {
    if (e === "...") for (let k = 0; k < x.ndim - used; k++) expanded.push(":");
    else expanded.push(e);
  }
  const out: ParsedIndex = { basic: [], nulls: [], adv: [] };
  let inDim = 0, outDim = 0;
  for (const e of expanded) {
    if (e === null) {
      out.nulls.push(outDim++);
    } else if (typeof e === "number") {
      out.basic.push(e);
      inDim++;
    } else if (typeof e === "string") {
      out.basic.push(e);
      inDim++;
      outDim++;
    } else if (!(e instanceof Tensor)) {
      throw new Error(`${op}: cannot index with ${typeof e}; use numbers, slice strings like "1:3", "...", null, tensors or arrays`);
    } else if (e.dtype === "bool") {
      if (e.ndim === 0) {
        // x[True] / x[False]: a new unit axis, indexed by [0] or [] (PyTorch's rule).
        out.nulls.push(outDim);
        out.adv.push({ dim: outDim++, index: Tensor.fromArray(Int32Array.from(e.item() ? [0] : []), [e.item() ? 1 : 0], "int32") });
        continue;
      }
      const dims = x.shape.slice(inDim, inDim + e.ndim);
      if (!sameShape(dims, e.shape)) {
        throw new Error(`${op}: the bool mask of shape ${fmt(e.shape)} does not match the indexed dims ${fmt(dims)} (dims ${inDim}..${inDim + e.ndim - 1} of ${fmt(x.shape)}); a mask must have exactly the shape of the dims it indexes`);
      }
      trueCoords(e).forEach((index) => {
        out.basic.push(":");
        out.adv.push({ dim: outDim++, index });
      });
      inDim += e.ndim;
    } else if (isIndexDtype(e.dtype)) {
      out.basic.push(":");
      out.adv.push({ dim: outDim++, index: e });
      inDim++;
    } else {
      throw new Error(`${op}: tensors used as indices must be int64, int32 or bool, got ${e.dtype} of shape ${fmt(e.shape)}; convert with idx.long() (or compare to get a bool mask)`);
    }
  }
  return out;
}

/** The basic-indexed view (integers, slices, new axes) that the advanced indices then apply to. */
function basicPart(x: Tensor, p: ParsedIndex): Tensor {
  let y = p.basic.some((e) => e !== ":") ? basicGet(x, ...p.basic) : x;
  for (const at of p.nulls) y = unsqueeze(y, at);
  return y;
}

/** Index values checked against the dim size, negatives wrapped (as PyTorch). */
function normalizedIndex(index: Tensor, size: number, dim: number, op: string): Tensor {
  const d = index.numbers();
  let negative = false;
  for (const v of d) {
    if (v < -size || v >= size) throw new RangeError(`${op}: index ${v} is out of bounds for dim ${dim} with size ${size}; indices must lie in [${-size}, ${size - 1}]`);
    if (v < 0) negative = true;
  }
  if (!negative) return index;
  const fixed = Int32Array.from(d, (v) => (v < 0 ? v + size : v));
  return Tensor.fromArray(fixed, index.shape, "int32");
}

/** How the advanced dims of y are laid out: flattened into one leading dim of the permuted tensor. */
interface AdvancedLayout {
  /** Broadcast shape of the index tensors. */
  batch: number[];
  /** Flat positions in the advanced dims, one per element of `batch` (1-D int32). */
  linear: Tensor;
  /** y's dims with the advanced ones first. */
  perm: number[];
  /** Sizes of the non-advanced dims, in order. */
  rest: number[];
  /** Where the batch dims go in the result: 0, or the first advanced dim when they are adjacent. */
  at: number;
}

function layoutOf(y: Tensor, adv: readonly AdvancedDim[], op: string): AdvancedLayout {
  let batch: number[];
  try {
    batch = adv.map((a) => a.index.shape).reduce((s, t) => broadcastShapes(s, t, op), [] as readonly number[]) as number[];
  } catch {
    throw new Error(`${op}: the index tensors' shapes ${adv.map((a) => fmt(a.index.shape)).join(", ")} cannot be broadcast together (sizes must match or be 1)`);
  }
  const dims = adv.map((a) => a.dim);
  const sizes = dims.map((d) => y.shape[d]);
  let linear: Tensor | null = null;
  adv.forEach((a, k) => {
    const stride = numel(sizes.slice(k + 1));
    const term = mul(normalizedIndex(a.index, sizes[k], a.dim, op), stride);
    linear = linear === null ? term : add(linear, term);
  });
  const others = y.shape.map((_, d) => d).filter((d) => !dims.includes(d));
  const adjacent = dims.every((d, k) => k === 0 || d === dims[k - 1] + 1);
  return {
    batch,
    linear: reshape(expand(linear!, batch), [-1]),
    perm: [...dims, ...others],
    rest: others.map((d) => y.shape[d]),
    at: adjacent ? dims[0] : 0,
  };
}

/** Permutation moving the batch dims (first `nb` dims) to position `at`, and its inverse. */
function batchMove(nb: number, nRest: number, at: number): { forward: number[]; inverse: number[] } {
  const forward = [...Array.from({ length: at }, (_, i) => nb + i), ...Array.from({ length: nb }, (_, i) => i), ...Array.from({ length: nRest - at }, (_, i) => nb + at + i)];
  const inverse = new Array<number>(forward.length);
  forward.forEach((p, i) => (inverse[p] = i));
  return { forward, inverse };
}

function flatAdvanced(y: Tensor, l: AdvancedLayout): Tensor {
  return reshape(permute(y, l.perm), [numel(l.perm.slice(0, l.perm.length - l.rest.length).map((d) => y.shape[d])), ...l.rest]);
}

function advancedGet(y: Tensor, adv: readonly AdvancedDim[], op: string): Tensor {
  const l = layoutOf(y, adv, op);
  const picked = reshape(indexSelect(flatAdvanced(y, l), 0, l.linear), [...l.batch, ...l.rest]);
  return l.at === 0 ? picked : permute(picked, batchMove(l.batch.length, l.rest.length, l.at).forward);
}

/** Out of place: y with the advanced positions replaced by (or, accumulating, increased by) values. */
function advancedPut(y: Tensor, adv: readonly AdvancedDim[], values: TensorLike, accumulate: boolean, op: string): Tensor {
  const l = layoutOf(y, adv, op);
  const move = batchMove(l.batch.length, l.rest.length, l.at);
  const resultShape = move.forward.map((p) => [...l.batch, ...l.rest][p]);
  const v0 = to(asTensor(values, y.dtype), y.dtype);
  let v: Tensor;
  try {
    v = expand(v0, resultShape);
  } catch {
    throw new Error(`${op}: shape mismatch: the value of shape ${fmt(v0.shape)} cannot be broadcast to the indexing result of shape ${fmt(resultShape)}`);
  }
  if (l.at !== 0) v = permute(v, move.inverse);
  v = reshape(v, [l.linear.numel(), ...l.rest]);
  const flat = flatAdvanced(y, l);
  const out = accumulate ? indexAdd(flat, 0, l.linear, v) : indexCopy(flat, 0, l.linear, v);
  const permutedShape = l.perm.map((d) => y.shape[d]);
  const inv = new Array<number>(l.perm.length);
  l.perm.forEach((p, i) => (inv[p] = i));
  return permute(reshape(out, permutedShape), inv);
}

/** PyTorch's `x[...]`; see the Tensor method. */
export function get(x: Tensor, ...index: Index[]): Tensor {
  // PyTorch's index saves its index tensors; deeptype's turns them into a new linear index first.
  if (x.requiresGrad && isGradEnabled()) for (const e of index) if (e instanceof Tensor) refuseInferenceSaved("get", "index", e, true);
  const only = index.length === 1 ? index[0] : null;
  // x.get(mask) with a mask of x's own shape (the common case): pick the flat positions directly.
  if (only instanceof Tensor && only.dtype === "bool" && only.ndim > 0 && sameShape(only.shape, x.shape)) {
    return indexSelect(reshape(x, [-1]), 0, flatPositions(only));
  }
  const p = parse(x, index, "get");
  const y = basicPart(x, p);
  return p.adv.length === 0 ? y : advancedGet(y, p.adv, "get");
}

/** PyTorch's `x[...] = value` (in place, recorded for autograd like index_put_); returns x. */
export function set<T extends Tensor>(x: T, ...args: [...index: Index[], value: TensorLike]): T {
  if (args.length === 0) throw new Error("set: expected the index entries followed by the value, e.g. x.set(0, \":\", 1.5)");
  const value = args[args.length - 1] as TensorLike;
  if (!(value instanceof Tensor) && typeof value !== "number" && typeof value !== "boolean") {
    throw new Error(`set: the last argument must be the value (a tensor, number or boolean), got ${Array.isArray(value) ? "an array" : typeof value}; e.g. x.set(0, 1.5) or x.set(mask, tensor([...]))`);
  }
  const p = parse(x, args.slice(0, -1) as Index[], "set");
  const y = basicPart(x, p);
  if (p.adv.length === 0) {
    inplace(y, "set", (src) => {
      const v = to(asTensor(value, src.dtype), src.dtype);
      try {
        return expand(v, src.shape);
      } catch {
        throw new Error(`set: shape mismatch: the value of shape ${fmt(v.shape)} cannot be broadcast to the indexed shape ${fmt(src.shape)}`);
      }
    });
  } else {
    inplace(y, "set", (src) => advancedPut(src, p.adv, value, false, "set"));
  }
  return x;
}

function putIndices(x: Tensor, indices: readonly (Tensor | null)[], op: string): AdvancedDim[] {
  if (!Array.isArray(indices)) throw new Error(`${op}: indices must be an array of tensors (one per leading dim, null for a full slice), got ${typeof indices}`);
  const p = parse(x, indices.map((t) => (t === null ? ":" : t)), op);
  if (p.adv.length === 0) throw new Error(`${op}: give at least one index tensor`);
  return p.adv;
}

/** `indexPut(x, [rows, cols], v)`: a copy of x with x[rows, cols] = v (or += v with accumulate). */
export function indexPut(x: Tensor, indices: readonly (Tensor | null)[], values: TensorLike, accumulate = false): Tensor {
  return advancedPut(x, putIndices(x, indices, "indexPut"), values, accumulate, "indexPut");
}

function checkIndexAlong(op: string, x: Tensor, dim: number, index: Tensor): number {
  const axis = normalizeDim(dim, Math.max(x.ndim, 1), op);
  if (!isIndexDtype(index.dtype)) throw new Error(`${op}: index must be an int64 (or int32) tensor, got ${index.dtype} (use idx.long())`);
  if (index.ndim > 1) throw new Error(`${op}: index must be 0-D or 1-D, got shape ${fmt(index.shape)}`);
  return axis;
}

/** `indexCopy(x, 0, idx, src)`: a copy of x with slice idx[i] along dim replaced by src's slice i. */
export function indexCopy(x: Tensor, dim: number, index: Tensor, source: Tensor): Tensor {
  const axis = checkIndexAlong("indexCopy", x, dim, index);
  const idx = normalizedIndex(reshape(index, [-1]), x.shape[axis] ?? 1, axis, "indexCopy");
  const expected = x.shape.map((s, k) => (k === axis ? idx.numel() : s));
  if (source.ndim !== x.ndim || !sameShape(source.shape, expected)) {
    throw new Error(`indexCopy: source has shape ${fmt(source.shape)}, expected ${fmt(expected)} (x ${fmt(x.shape)} with dim ${axis} of the index's length ${idx.numel()})`);
  }
  const along = reshape(idx, x.shape.map((_, k) => (k === axis ? idx.numel() : 1)));
  return scatter(x, axis, expand(along, expected), to(source, x.dtype));
}

/** `indexFill(x, 1, idx, v)`: a copy of x with the slices idx along dim set to v (a number or 0-d tensor). */
export function indexFill(x: Tensor, dim: number, index: Tensor, value: TensorLike): Tensor {
  const axis = checkIndexAlong("indexFill", x, dim, index);
  const v = to(asTensor(value, x.dtype), x.dtype);
  if (v.ndim !== 0) throw new Error(`indexFill: value must be a number or a 0-d tensor, got shape ${fmt(v.shape)}`);
  const idx = reshape(index, [-1]);
  if (x.ndim === 0) return indexCopy(x, 0, idx, reshape(v, []));
  const shape = x.shape.map((s, k) => (k === axis ? idx.numel() : s));
  return indexCopy(x, axis, idx, expand(reshape(v, shape.map(() => 1)), shape));
}

function flatPositions(mask: Tensor): Tensor {
  const d = mask.numbers();
  let n = 0;
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) n++;
  const pos = new Int32Array(n);
  for (let i = 0, j = 0; i < d.length; i++) if (d[i] !== 0) pos[j++] = i;
  return Tensor.fromArray(pos, [n], "int32");
}

function checkMask(op: string, mask: Tensor): void {
  if (!(mask instanceof Tensor) || mask.dtype !== "bool") {
    throw new Error(`${op}: mask must be a bool tensor, got ${mask instanceof Tensor ? mask.dtype : typeof mask} (compare first, e.g. x.gt(0))`);
  }
}

/**
 * `maskedScatter(x, mask, src)`: x with its masked elements (row-major) replaced by src's first
 * elements. x and mask broadcast together, as in PyTorch (the in-place form keeps x's shape).
 */
export function maskedScatter(x: Tensor, mask: Tensor, source: Tensor): Tensor {
  checkMask("maskedScatter", mask);
  let shape: number[];
  try {
    shape = broadcastShapes(x.shape, mask.shape, "maskedScatter");
  } catch {
    throw new Error(`maskedScatter: the mask of shape ${fmt(mask.shape)} cannot be broadcast with the input's shape ${fmt(x.shape)}`);
  }
  return scatterMasked(shape.length === x.ndim && shape.every((s, i) => s === x.shape[i]) ? x : expand(x, shape), mask, source);
}

function scatterMasked(x: Tensor, mask: Tensor, source: Tensor): Tensor {
  let m: Tensor;
  try {
    m = expand(mask, x.shape);
  } catch {
    throw new Error(`maskedScatter_: the mask of shape ${fmt(mask.shape)} cannot be broadcast to the input's shape ${fmt(x.shape)}`);
  }
  const pos = flatPositions(m);
  if (source.numel() < pos.numel()) {
    throw new Error(`maskedScatter: the mask selects ${pos.numel()} elements but source of shape ${fmt(source.shape)} has only ${source.numel()}; give a source with at least as many elements`);
  }
  const src = narrow(reshape(to(source, x.dtype), [-1]), 0, 0, pos.numel());
  return reshape(indexCopy(reshape(x, [-1]), 0, pos, src), x.shape);
}

/** `maskedSelect(x, mask)`: the elements of x where mask is true (both broadcast), as a 1-D tensor. */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  checkMask("maskedSelect", mask);
  const shape = broadcastShapes(x.shape, mask.shape, "maskedSelect");
  return indexSelect(reshape(expand(x, shape), [-1]), 0, flatPositions(expand(mask, shape)));
}

/** `nonzero(x)`: int64 [n, ndim] coordinates of non-zero elements; `{asTuple: true}` gives one 1-D tensor per dim. */
export function nonzero(x: Tensor, opts?: { asTuple?: false }): Tensor;
export function nonzero(x: Tensor, opts: { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, opts: { asTuple?: boolean } = {}): Tensor | Tensor[] {
  const nz = to(x, "bool");
  if (opts.asTuple) return trueCoords(x.ndim === 0 ? reshape(nz, [1]) : nz);
  const d = nz.numbers();
  const strides = x.shape.map((_, k) => numel(x.shape.slice(k + 1)));
  const coords: number[] = [];
  let n = 0;
  for (let i = 0; i < d.length; i++) {
    if (d[i] === 0) continue;
    n++;
    strides.forEach((s, k) => coords.push(Math.floor(i / s) % x.shape[k]));
  }
  return Tensor.fromArray(int64From(coords), [n, x.ndim], "int64");
}

/** `where(cond)`: PyTorch's one-argument where, the same as `nonzero(cond, { asTuple: true })`; with three arguments the elementwise select. */
export function where(cond: Tensor): Tensor[];
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor;
export function where(cond: Tensor, a?: TensorLike, b?: TensorLike): Tensor | Tensor[] {
  if (a === undefined && b === undefined) return nonzero(cond, { asTuple: true });
  if (a === undefined || b === undefined) throw new Error("where: give either only the condition (positions) or the condition and both values");
  return whereElementwise(cond, a, b);
}

/** `take(x, idx)`: elements of the flattened x at idx (negative indices count from the end), shaped like idx. */
export function take(x: Tensor, index: Tensor): Tensor {
  if (!isIndexDtype(index.dtype)) throw new Error(`take: index must be an int64 (or int32) tensor, got ${index.dtype} (use idx.long())`);
  const idx = normalizedIndex(reshape(index, [-1]), x.numel(), 0, "take");
  return reshape(indexSelect(reshape(x, [-1]), 0, idx), index.shape);
}

/** `takeAlongDim(x, idx, dim)`: gather along dim with x and idx broadcast against each other elsewhere. */
export function takeAlongDim(x: Tensor, indices: Tensor, dim?: number): Tensor {
  if (!isIndexDtype(indices.dtype)) throw new Error(`takeAlongDim: indices must be an int64 (or int32) tensor, got ${indices.dtype} (use idx.long())`);
  if (dim === undefined) return gather(reshape(x, [-1]), 0, reshape(indices, [-1]));
  if (indices.ndim !== x.ndim) {
    throw new Error(`takeAlongDim: input ${fmt(x.shape)} and indices ${fmt(indices.shape)} must have the same number of dims`);
  }
  const d = normalizeDim(dim, x.ndim, "takeAlongDim");
  // PyTorch wraps this dim without the scalar allowance: "Dimension specified as 0 but tensor has no dimensions".
  if (x.ndim === 0) throw new RangeError(`takeAlongDim: dim ${dim} was given but the tensor is 0-d and has no dims (PyTorch raises too); leave out dim, or reshape it to [1]`);
  const xs = x.shape.map((s, k) => (k === d ? indices.shape[d] : s));
  const shape = broadcastShapes(xs, indices.shape, "takeAlongDim");
  return gather(expand(x, shape.map((s, k) => (k === d ? x.shape[d] : s))), d, expand(indices, shape));
}

// The keys each op's trailing options object takes: the entry layer (tensor/guard.ts) rejects any other.
declareOptions({ nonzero: ["asTuple"], scatter_: ["reduce"], indexAdd_: ["alpha"] });
// takeAlongDim's dim may come as `{ dim }` too (API.md rule 3); the declaration's type gives the export that form.
const OPTIONAL_ARGS = declareOptionalArgs({ takeAlongDim: { first: 2, names: ["dim"] } });
export type AdvancedIndexOptionalArgs = typeof OPTIONAL_ARGS;

installMethods({
  get,
  set: (x: Tensor, ...args: Index[]) => set(x, ...(args as [...Index[], TensorLike])),
  indexPut,
  indexPut_: (x: Tensor, indices: readonly (Tensor | null)[], values: TensorLike, accumulate = false) =>
    inplace(x, "indexPut_", (s) => indexPut(s, indices, values, accumulate)),
  indexCopy,
  indexCopy_: (x: Tensor, dim: number, index: Tensor, source: Tensor) => inplace(x, "indexCopy_", (s) => indexCopy(s, dim, index, source)),
  indexFill,
  indexFill_: (x: Tensor, dim: number, index: Tensor, value: TensorLike) => inplace(x, "indexFill_", (s) => indexFill(s, dim, index, value)),
  maskedScatter,
  maskedScatter_: (x: Tensor, mask: Tensor, source: Tensor) => {
    checkMask("maskedScatter_", mask);
    return inplace(x, "maskedScatter_", (s) => scatterMasked(s, mask, source));
  },
  scatter_: (x: Tensor, dim: number, index: Tensor, src: Tensor | number, opts: { reduce?: string } = {}) =>
    inplace(x, "scatter_", (s) => scatterAs("scatter_", s, dim, index, src, opts.reduce)),
  scatterAdd_: (x: Tensor, dim: number, index: Tensor, src: Tensor) => inplace(x, "scatterAdd_", (s) => scatterAdd(s, dim, index, src)),
  indexAdd_: (x: Tensor, dim: number, index: Tensor, source: Tensor, opts: { alpha?: number } = {}) =>
    inplace(x, "indexAdd_", (s) => indexAdd(s, dim, index, source, opts)),
  maskedSelect,
  nonzero: (x: Tensor, opts?: { asTuple?: boolean }) => nonzero(x, opts as { asTuple: true }),
  take,
  takeAlongDim,
});
