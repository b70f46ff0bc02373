/** Shape and stride arithmetic shared by the front end and the backends. */
import { argError, describe } from "./check.js";

export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function isContiguous(shape: Shape, strides: readonly number[]): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== s) return false;
    s *= shape[i];
  }
  return true;
}

/** `[64,784]`: the form every error message uses. */
export function fmt(shape: Shape): string {
  return `[${shape.join(",")}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Turns a possibly negative dim into 0..ndim-1, or throws naming the op. */
export function normalizeDim(dim: number, ndim: number, op: string, extra = 0): number {
  const n = ndim + extra;
  if (typeof dim !== "number" || !Number.isInteger(dim)) throw argError(op, "dim", "an integer", dim);
  if ( dim < -Math.max(n, 1) || dim >= Math.max(n, 1)) {
    throw new RangeError(
      `${op}: dimension ${dim} is out of range for a tensor of ${ndim} dimension${ndim === 1 ? "" : "s"} ` +
        `(expected a dim in [${-Math.max(n, 1)}, ${Math.max(n, 1) - 1}])`,
    );
  }
  return dim < 0 ? dim + Math.max(n, 1) : dim;
}

export function normalizeDims(dims: number | readonly number[] | undefined, ndim: number, op: string): number[] {
  if (dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof dims !== "number" && !Array.isArray(dims)) throw argError(op, "dim", "an integer or an array of integers", dims);
  const list = (typeof dims === "number" ? [dims] : [...dims]).map((d) => normalizeDim(d, ndim, op));
  if (new Set(list).size !== list.length) throw new Error(`${op}: dim ${fmt(list)} appears more than once`);
  // A 0-d tensor accepts dim 0 / -1 (as PyTorch) but has no axis to reduce: the result is its value.
  if (ndim === 0) return [];
  return list.sort((a, b) => a - b);
}

/**
 * PyTorch's reductions track the reduced dims in a 64-bit mask, so reducing a tensor of more than 64
 * dims along some of them raises there ("only tensors with up to 64 dims are supported"); deeptype
 * raises the same, naming the op and the fix. A reduction over every dim (no dim given) works in both.
 *
 * @example checkReduceRank("amax", 65, 1) // throws: amax: only tensors with up to 64 dims ...
 */
export function checkReduceRank(op: string, ndim: number, reduced: number): void {
  if (ndim > 64 && reduced < ndim) {
    throw new Error(
      `${op}: only tensors with up to 64 dims can be reduced along a dim (PyTorch's limit too), got ${ndim} dims; ` +
        "reshape to 64 dims or fewer first, or leave dim out to reduce over all of them",
    );
  }
}

/** `normalizeDims` for a reduction: the dims it reduces, with PyTorch's 64-dim limit when dims are given. @example reductionDims(1, 3, "sum") // [1] */
export function reductionDims(dims: number | readonly number[] | undefined, ndim: number, op: string): number[] {
  const axes = normalizeDims(dims, ndim, op);
  if (dims !== undefined) checkReduceRank(op, ndim, axes.length);
  return axes;
}

/** NumPy/PyTorch broadcasting: align trailing dims; each pair must match or contain a 1. */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${op}: shapes ${fmt(a)} and ${fmt(b)} cannot be broadcast: dimension ${i - n} is ${da} vs ${db} ` +
          `(sizes must match or one of them must be 1)`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

export function checkShape(shape: readonly number[], op: string): number[] {
  if (!Array.isArray(shape)) throw new Error(`${op}: shape must be an array of non-negative integers (or one integer), got ${describe(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`${op}: invalid shape ${fmt(shape)}: sizes must be non-negative integers`);
  }
  return [...shape];
}
