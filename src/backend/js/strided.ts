/** Walking strided views in row-major order: the one piece of index arithmetic the js kernels share. */
import type { View } from "../backend.js";
import { isContiguous, numel } from "../../tensor/shape.js";
import { toInt64 } from "../../tensor/dtype.js";

/** Storage offset of every element of `v`, in row-major order of its shape. */
export function offsets(v: Pick<View, "shape" | "strides" | "offset">): Int32Array {
  const n = numel(v.shape);
  const out = new Int32Array(n);
  if (n === 0) return out;
  out[0] = v.offset;
  let filled = 1;
  // Expand one dim at a time from the outermost: every existing offset spawns shape[d] children.
  const tmp = new Int32Array(n);
  let cur = out;
  let next = tmp;
  for (let d = 0; d < v.shape.length; d++) {
    const size = v.shape[d];
    const stride = v.strides[d];
    let k = 0;
    for (let i = 0; i < filled; i++) {
      const base = cur[i];
      for (let j = 0; j < size; j++) next[k++] = base + j * stride;
    }
    filled *= size;
    const t = cur;
    cur = next;
    next = t;
  }
  if (cur !== out) out.set(cur);
  return out;
}

/** True when element i of `v` lives at `v.offset + i`. */
export function dense(v: View): boolean {
  return isContiguous(v.shape, v.strides);
}

/**
 * Reads `v` into a fresh contiguous Float64Array (reference kernels compute in double precision).
 * int64 values become the nearest double: exact up to 2^53, which is why integer-valued int64 kernels
 * use ./int64.ts instead.
 */
export function toFloat64(v: View): Float64Array {
  const n = numel(v.shape);
  const out = new Float64Array(n);
  const d = v.data;
  if (d instanceof BigInt64Array) {
    const off = dense(v) ? null : offsets(v);
    for (let i = 0; i < n; i++) out[i] = Number(d[off ? off[i] : v.offset + i]);
    return out;
  }
  if (dense(v)) {
    for (let i = 0; i < n; i++) out[i] = d[v.offset + i];
  } else {
    const off = offsets(v);
    for (let i = 0; i < n; i++) out[i] = d[off[i]];
  }
  return out;
}

/**
 * Writes contiguous values into the strided view `out`, converting to its dtype (into int64 as a
 * float-to-int64 cast does: truncated, NaN and out-of-range values give -2^63).
 */
export function writeFrom(out: View, values: ArrayLike<number>): void {
  const n = numel(out.shape);
  const d = out.data;
  if (d instanceof BigInt64Array) {
    const off = dense(out) ? null : offsets(out);
    for (let i = 0; i < n; i++) d[off ? off[i] : out.offset + i] = toInt64(values[i]);
    return;
  }
  if (dense(out)) {
    for (let i = 0; i < n; i++) d[out.offset + i] = values[i];
  } else {
    const off = offsets(out);
    for (let i = 0; i < n; i++) d[off[i]] = values[i];
  }
}

/** The view with dims reordered by `perm` (no data moves). */
export function permuted<T extends Pick<View, "shape" | "strides" | "offset">>(v: T, perm: readonly number[]): T {
  return { ...v, shape: perm.map((p) => v.shape[p]), strides: perm.map((p) => v.strides[p]) };
}
