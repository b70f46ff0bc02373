/**
 * More shape ops from PyTorch, built on the views and copies of shape.ts: movedim/moveaxis,
 * swapaxes/swapdims, roll, rot90, tile, repeatInterleave, hstack/vstack/dstack/columnStack,
 * tensorSplit, Tensor.unfold (a view), flipud/fliplr, atleast1d/2d/3d, broadcastTo, reshapeAs,
 * narrowCopy.
 */
import { checkIntArg, checkIntList, checkTensor, declareOptionalArgs } from "../tensor/check.js";
import { Tensor } from "../tensor/tensor.js";
import { isIndexDtype } from "../tensor/dtype.js";
import { fmt, normalizeDim } from "../tensor/shape.js";
import { installMethods } from "./op.js";
import { clone, expand, makeView, narrow, permute, reshape, transpose, unsqueeze } from "./shape.js";
import { cat, flip, repeat } from "./join.js";
import { indexAdd, indexSelect } from "./indexing.js";

type Dims = number | readonly number[];

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `x.movedim(0, -1)`: dims moved from `source` to `destination`, the others keeping their order (a view). */
    movedim(source: Dims, destination: Dims): Tensor;
    moveaxis(source: Dims, destination: Dims): Tensor;
    swapaxes(axis0: number, axis1: number): Tensor;
    swapdims(dim0: number, dim1: number): Tensor;
    /** `x.roll(1, 0)`: elements shifted along dims, wrapping around (flattened when dims are omitted). */
    roll(shifts: Dims, dims?: Dims): Tensor;
    roll(shifts: Dims, opts: { dims?: Dims }): Tensor;
    /** Rotated by 90 degrees k times in the plane of `dims` (from the first towards the second). */
    rot90(k?: number, dims?: readonly [number, number]): Tensor;
    rot90(opts: { k?: number; dims?: readonly [number, number] }): Tensor;
    rot90(k: number | undefined, opts: { dims?: readonly [number, number] }): Tensor;
    /** `x.tile([2, 1])`: repeat, with missing leading counts taken as 1. */
    tile(dims: readonly number[]): Tensor;
    /** `x.repeatInterleave(2, 0)`: each element (or slice along dim) repeated in place. */
    repeatInterleave(repeats: number | Tensor, dim?: number): Tensor;
    repeatInterleave(repeats: number | Tensor, opts: { dim?: number }): Tensor;
    /** `x.unfold(0, 3, 1)`: sliding windows of `size` along dim every `step`, as a new last dim (a view). */
    unfold(dimension: number, size: number, step: number): Tensor;
    flipud(): Tensor;
    fliplr(): Tensor;
    reshapeAs(other: Tensor): Tensor;
    /** Like narrow, but a copy. */
    narrowCopy(dim: number, start: number, length: number): Tensor;
    /** Split into sections (a count) or at indices, as views; a 0-d int tensor is a count, a 1-D one indices. */
    tensorSplit(indicesOrSections: number | readonly number[] | Tensor, dim?: number): Tensor[];
    tensorSplit(indicesOrSections: number | readonly number[] | Tensor, opts: { dim?: number }): Tensor[];
  }
}

function dimList(d: Dims, ndim: number, op: string): number[] {
  const list = (typeof d === "number" ? [d] : [...d]).map((x) => normalizeDim(x, ndim, op));
  if (new Set(list).size !== list.length) throw new Error(`${op}: repeated dim in ${fmt(typeof d === "number" ? [d] : d)}`);
  return list;
}

/** `movedim(x, [0, 1], [-1, -2])`: a view with the source dims at the destination positions. */
export function movedim(x: Tensor, source: Dims, destination: Dims): Tensor {
  const src = dimList(source, x.ndim, "movedim");
  const dst = dimList(destination, x.ndim, "movedim");
  if (src.length !== dst.length) throw new Error(`movedim: source ${fmt(src)} and destination ${fmt(dst)} must have the same number of dims`);
  const perm = new Array<number>(x.ndim).fill(-1);
  src.forEach((s, i) => (perm[dst[i]] = s));
  const others = x.shape.map((_, d) => d).filter((d) => !src.includes(d));
  for (let d = 0, k = 0; d < x.ndim; d++) if (perm[d] < 0) perm[d] = others[k++];
  return x.ndim === 0 ? x : permute(x, perm);
}

/** `swapaxes(x, 0, 1)`: PyTorch's alias of transpose. */
export function swapaxes(x: Tensor, axis0: number, axis1: number): Tensor {
  checkIntArg("swapaxes", "axis0", axis0);
  checkIntArg("swapaxes", "axis1", axis1);
  return transpose(x, axis0, axis1);
}

/** `roll(x, 2, 1)`: shifts elements along dims with wrap-around; without dims, over the flattened tensor. */
export function roll(x: Tensor, shifts: Dims, dims?: Dims): Tensor {
  const sh = checkIntList("roll", "shifts", shifts, true);
  if (dims === undefined) {
    if (sh.length !== 1) throw new Error(`roll: without dims give one shift, got ${fmt(sh)}`);
    return reshape(roll(reshape(x, [-1]), sh[0], 0), x.shape);
  }
  // A dim may repeat (each shift is applied in turn), as in PyTorch.
  const ds = (typeof dims === "number" ? [dims] : [...dims]).map((d) => noDimOf0d(x, d, "roll", "leave out dims to roll its one element") ?? normalizeDim(d, x.ndim, "roll"));
  if (ds.length !== sh.length) throw new Error(`roll: shifts ${fmt(sh)} and dims ${fmt(ds)} must have the same length`);
  let r = x;
  ds.forEach((d, i) => {
    const n = r.shape[d];
    if (n === 0) return;
    const s = ((sh[i] % n) + n) % n;
    // Also for a shift of 0 (a copy of one part): roll returns new memory, as PyTorch's.
    r = cat([narrow(r, d, n - s, s), narrow(r, d, 0, n - s)], d);
  });
  return r;
}

/**
 * roll and repeatInterleave take no dim of a 0-d tensor, not even 0 or -1 (PyTorch wraps their dims
 * without its scalar allowance and raises "Dimension specified as 0 but tensor has no dimensions").
 * Type-checks `dim` first; returns undefined when x has dims.
 */
function noDimOf0d(x: Tensor, dim: number, op: string, fix: string): undefined {
  if (x.ndim !== 0) return undefined;
  normalizeDim(dim, 0, op);
  throw new RangeError(`${op}: dim ${dim} was given but the tensor is 0-d and has no dims (PyTorch raises too); ${fix}, or reshape it to [1]`);
}

/** `rot90(x, 1, [0, 1])`: rotation by 90° k times from the first dim of `dims` towards the second. */
export function rot90(x: Tensor, k = 1, dims: readonly [number, number] = [0, 1]): Tensor {
  if (dims.length !== 2) throw new Error(`rot90: dims must name 2 dims, got ${fmt(dims)}`);
  if (x.ndim < 2) throw new Error(`rot90: expects at least 2 dims, got ${fmt(x.shape)}`);
  const [a, b] = dimList(dims, x.ndim, "rot90");
  if (!Number.isInteger(k)) throw new Error(`rot90: k must be an integer, got ${k}`);
  const kk = ((k % 4) + 4) % 4;
  if (kk === 1) return transpose(flip(x, b), a, b);
  if (kk === 2) return flip(x, [a, b]);
  if (kk === 3) return flip(transpose(x, a, b), b);
  return clone(x);
}

/** `tile(x, [2, 2])`: x repeated along each dim (counts for missing leading dims are 1). */
export function tile(x: Tensor, dims: readonly number[]): Tensor {
  dims = checkIntList("tile", "dims", dims, true);
  const full = dims.length < x.ndim ? [...new Array<number>(x.ndim - dims.length).fill(1), ...dims] : dims;
  return repeat(x, full);
}

/** `repeatInterleave(x, 2)`: each element repeated (over the flattened x without dim); repeats may be a tensor of counts. */
export function repeatInterleave(x: Tensor, repeats: number | Tensor, dim?: number): Tensor {
  const src = dim === undefined ? reshape(x, [-1]) : x;
  const d = dim === undefined ? 0 : noDimOf0d(x, dim, "repeatInterleave", "leave out dim to repeat its one element") ?? normalizeDim(dim, x.ndim, "repeatInterleave");
  const n = src.shape[d];
  let counts: number[];
  if (typeof repeats === "number") {
    if (!Number.isInteger(repeats) || repeats < 0) throw new Error(`repeatInterleave: repeats must be a non-negative integer, got ${repeats}`);
    counts = new Array<number>(n).fill(repeats);
  } else {
    if (!isIndexDtype(repeats.dtype) || repeats.ndim > 1) throw new Error(`repeatInterleave: repeats must be a number or a 0-D/1-D int64 (or int32) tensor, got ${repeats.dtype} ${fmt(repeats.shape)}`);
    counts = [...repeats.numbers()];
    if (counts.length === 1) counts = new Array<number>(n).fill(counts[0]);
    if (counts.length !== n) throw new Error(`repeatInterleave: repeats has ${counts.length} counts but dim ${d} has size ${n}`);
    if (counts.some((c) => c < 0)) throw new Error(`repeatInterleave: repeats must be non-negative, got ${fmt(counts)}`);
  }
  const idx = counts.flatMap((c, i) => new Array<number>(c).fill(i));
  return indexSelect(src, d, Tensor.fromArray(Int32Array.from(idx), [idx.length], "int32"));
}

/** `atleast1d(x)`: x with at least one dim (a list maps over its tensors). */
export function atleast1d(x: Tensor): Tensor;
export function atleast1d(xs: readonly Tensor[]): Tensor[];
export function atleast1d(x: Tensor | readonly Tensor[]): Tensor | Tensor[] {
  if (Array.isArray(x)) return x.map((t: Tensor) => atleast1d(t));
  const t = x as Tensor;
  return t.ndim === 0 ? reshape(t, [1]) : t;
}

/** `atleast2d(x)`: 0-d -> [1, 1], [n] -> [1, n]. */
export function atleast2d(x: Tensor): Tensor;
export function atleast2d(xs: readonly Tensor[]): Tensor[];
export function atleast2d(x: Tensor | readonly Tensor[]): Tensor | Tensor[] {
  if (Array.isArray(x)) return x.map((t: Tensor) => atleast2d(t));
  const t = x as Tensor;
  return t.ndim === 0 ? reshape(t, [1, 1]) : t.ndim === 1 ? unsqueeze(t, 0) : t;
}

/** `atleast3d(x)`: 0-d -> [1, 1, 1], [n] -> [1, n, 1], [m, n] -> [m, n, 1]. */
export function atleast3d(x: Tensor): Tensor;
export function atleast3d(xs: readonly Tensor[]): Tensor[];
export function atleast3d(x: Tensor | readonly Tensor[]): Tensor | Tensor[] {
  if (Array.isArray(x)) return x.map((t: Tensor) => atleast3d(t));
  const t = x as Tensor;
  if (t.ndim === 0) return reshape(t, [1, 1, 1]);
  if (t.ndim === 1) return reshape(t, [1, t.shape[0], 1]);
  return t.ndim === 2 ? unsqueeze(t, -1) : t;
}

function nonEmpty(op: string, xs: readonly Tensor[]): void {
  if (!Array.isArray(xs) || xs.length === 0) throw new Error(`${op}: expected a non-empty list of tensors`);
}

/** `hstack([a, b])`: joined along dim 1 (dim 0 for 1-D tensors). */
export function hstack(tensors: readonly Tensor[]): Tensor {
  nonEmpty("hstack", tensors);
  const ts = atleast1d(tensors);
  return cat(ts, ts[0].ndim === 1 ? 0 : 1);
}

/** `vstack([a, b])`: rows stacked (1-D tensors become rows). */
export function vstack(tensors: readonly Tensor[]): Tensor {
  nonEmpty("vstack", tensors);
  return cat(atleast2d(tensors), 0);
}

/** `dstack([a, b])`: joined along the third dim (after atleast3d). */
export function dstack(tensors: readonly Tensor[]): Tensor {
  nonEmpty("dstack", tensors);
  return cat(atleast3d(tensors), 2);
}

/** `columnStack([a, b])`: 0-D and 1-D tensors become columns, then joined along dim 1. */
export function columnStack(tensors: readonly Tensor[]): Tensor {
  nonEmpty("columnStack", tensors);
  return cat(tensors.map((t) => (t.ndim === 0 ? reshape(t, [1, 1]) : t.ndim === 1 ? unsqueeze(t, 1) : t)), 1);
}

/**
 * `tensorSplit(x, 3)` splits into 3 nearly equal parts (the first ones larger); `tensorSplit(x, [1, 4])`
 * splits at indices. As in PyTorch, the count or indices may also be an integer tensor (0-d: a count, 1-D: indices).
 */
export function tensorSplit(x: Tensor, indicesOrSections: number | readonly number[] | Tensor, dim = 0): Tensor[] {
  if (x.ndim === 0) throw new Error("tensorSplit: expects at least 1 dim, got a 0-d tensor");
  if (indicesOrSections instanceof Tensor) {
    const t = indicesOrSections;
    if (!isIndexDtype(t.dtype) || t.ndim > 1) {
      throw new Error(`tensorSplit: a tensor of indices or sections must be a 0-d or 1-D int64 (or int32) tensor, got ${t.dtype} of shape ${fmt(t.shape)}`);
    }
    const values = Array.from(t.contiguous().numbers(), Number);
    return tensorSplit(x, t.ndim === 0 ? values[0] : values, dim);
  }
  const d = normalizeDim(dim, x.ndim, "tensorSplit");
  const n = x.shape[d];
  let bounds: number[];
  if (typeof indicesOrSections === "number") {
    const s = indicesOrSections;
    if (!Number.isInteger(s) || s <= 0) throw new Error(`tensorSplit: the number of sections must be a positive integer, got ${s}`);
    const base = Math.floor(n / s), extra = n % s;
    bounds = Array.from({ length: s - 1 }, (_, i) => (i + 1) * base + Math.min(i + 1, extra));
  } else {
    bounds = checkIntList("tensorSplit", "indicesOrSections", indicesOrSections);
  }
  const cuts = [0, ...bounds.map((b) => Math.min(Math.max(b < 0 ? b + n : b, 0), n)), n];
  return cuts.slice(0, -1).map((start, i) => narrow(x, d, Math.min(start, n), Math.max(0, cuts[i + 1] - start)));
}

/** `unfold(x, dim, size, step)` (Tensor.unfold): sliding windows along dim as a new last dim, a view. */
export function unfold(x: Tensor, dimension: number, size: number, step: number): Tensor {
  const d = normalizeDim(dimension, Math.max(x.ndim, 1), "unfold");
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (!Number.isInteger(size) || size < 0 || size > n) throw new Error(`unfold: size (${size}) must be an integer in [0, ${n}], the size of dim ${dimension} of ${fmt(x.shape)}`);
  if (!Number.isInteger(step) || step <= 0) throw new Error(`unfold: step must be a positive integer, got ${step}`);
  // A 0-d tensor has one window of `size` (0 or 1) elements and no window-count dim, as in PyTorch.
  if (x.ndim === 0) return narrow(reshape(x, [1]), 0, 0, size);
  const src = x;
  const count = Math.floor((n - size) / step) + 1;
  const shape = [...src.shape.slice(0, d), count, ...src.shape.slice(d + 1), size];
  const strides = [...src.strides.slice(0, d), src.strides[d] * step, ...src.strides.slice(d + 1), src.strides[d]];
  // The backward sums overlapping windows: each window is a slice; summing their unslices is
  // correct for any step, and is what PyTorch's unfold_backward computes.
  return makeView(src, "unfold", shape, strides, src.offset, (g, inShape) => unfoldBackward(g, inShape, d, size, step));
}

function unfoldBackward(g: Tensor, inShape: readonly number[], d: number, size: number, step: number): Tensor {
  const count = g.shape[d];
  // g: [..., count, ..., size] -> each window k adds g[..., k, ..., j] at position k*step + j along d.
  const positions: number[] = [];
  for (let k = 0; k < count; k++) for (let j = 0; j < size; j++) positions.push(k * step + j);
  const moved = movedim(g, [d, g.ndim - 1], [d, d + 1]); // [..., count, size, ...]
  const flat = reshape(moved, [...inShape.slice(0, d), count * size, ...inShape.slice(d + 1)]);
  return indexAdd(Tensor.empty(inShape, g.dtype), d, Tensor.fromArray(Int32Array.from(positions), [positions.length], "int32"), flat);
}

/** `flipud(x)`: flipped along dim 0. */
export function flipud(x: Tensor): Tensor {
  if (x.ndim < 1) throw new Error("flipud: expects at least 1 dim, got a 0-d tensor");
  return flip(x, 0);
}

/** `fliplr(x)`: flipped along dim 1. */
export function fliplr(x: Tensor): Tensor {
  if (x.ndim < 2) throw new Error(`fliplr: expects at least 2 dims, got ${fmt(x.shape)}`);
  return flip(x, 1);
}

/** `broadcastTo(x, [4, 3])`: PyTorch's name for expand (a view). */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  return expand(x, shape);
}

/** `narrowCopy(x, 1, 2, 3)`: like narrow, but returns new memory. */
export function narrowCopy(x: Tensor, dim: number, start: number, length: number): Tensor {
  return clone(narrow(x, dim, start, length));
}

// Optional parameters PyTorch code passes positionally, also taken as one options object (API.md rule 3):
// `x.rot90({ k: 2 })`, `roll(x, 1, { dims: 0 })`; the declaration's type gives the exported functions
// those forms (core.ts, options-form.ts).
const OPTIONAL_ARGS = declareOptionalArgs({
  roll: { first: 2, names: ["dims"] }, rot90: { first: 1, names: ["k", "dims"] },
  repeatInterleave: { first: 2, names: ["dim"] }, tensorSplit: { first: 2, names: ["dim"] },
});
export type ShapeMoreOptionalArgs = typeof OPTIONAL_ARGS;

installMethods({
  movedim, moveaxis: movedim, swapaxes, swapdims: swapaxes, roll, rot90, tile, repeatInterleave, unfold, flipud, fliplr,
  narrowCopy, tensorSplit,
  reshapeAs: (x: Tensor, other: Tensor) => (checkTensor("reshapeAs", "other", other), reshape(x, other.shape)),
});
