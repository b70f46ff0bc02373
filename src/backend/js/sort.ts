/**
 * Reference kernels for sorting and running scans (cumprod, cummax/cummin, logcumsumexp). They work
 * line by line along one axis of a strided view and write contiguous outputs.
 */
import type { ScanOp, View } from "../backend.js";
import { numel } from "../../tensor/shape.js";
import { toFloat64, writeFrom } from "./strided.js";

/** Calls f on each line along `axis` of the contiguous copy `v` of a tensor of `shape`. */
function lines(shape: readonly number[], axis: number, f: (base: number, step: number, len: number) => void): void {
  const len = shape[axis];
  const inner = numel(shape.slice(axis + 1));
  const outer = numel(shape.slice(0, axis));
  if (len === 0) return;
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) f(o * len * inner + i, inner, len);
}

/** Ascending order with NaN after every number (PyTorch's order); equal keys keep their positions. */
function ascending(a: number, b: number): number {
  const an = Number.isNaN(a), bn = Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Stable sort of each line along `axis`: `values` gets the sorted elements (x's dtype), `indices`
 * their positions in the line (int32); both contiguous with x's shape. NaN counts as the largest
 * value, so it comes last ascending and first descending, as in PyTorch.
 */
export function sort(x: View, axis: number, descending: boolean, values: View, indices: View): void {
  const v = toFloat64(x);
  const outV = new Float64Array(v.length);
  const outI = new Float64Array(v.length);
  const sign = descending ? -1 : 1;
  lines(x.shape, axis, (base, step, len) => {
    const order = Array.from({ length: len }, (_, j) => j);
    // Array.prototype.sort is stable (ES2019); ties fall back to the position explicitly anyway.
    order.sort((p, q) => sign * ascending(v[base + p * step], v[base + q * step]) || p - q);
    for (let j = 0; j < len; j++) {
      outV[base + j * step] = v[base + order[j] * step];
      outI[base + j * step] = order[j];
    }
  });
  writeFrom(values, outV);
  writeFrom(indices, outI);
}

/**
 * Inclusive running `op` along `axis` (out contiguous, x's dtype). For max/min, `indices` gets the
 * position of the running extremum: the latest one on ties, and a NaN sticks once seen (PyTorch).
 * logsumexp is computed stably (each step shifts by the larger operand).
 */
export function scan(op: ScanOp, x: View, axis: number, out: View, indices: View | null): void {
  const v = toFloat64(x);
  const idx = new Float64Array(v.length);
  lines(x.shape, axis, (base, step, len) => {
    let acc = v[base], arg = 0;
    idx[base] = 0;
    for (let j = 1; j < len; j++) {
      const at = base + j * step;
      const e = v[at];
      if (op === "prod") acc *= e;
      else if (op === "logsumexp") {
        const m = Math.max(acc, e);
        // Both -inf (or the same +inf): the sum is that value; avoid inf - inf = NaN.
        acc = m === -Infinity || (m === Infinity && acc === e) ? m : Number.isNaN(m) ? NaN : m + Math.log(Math.exp(acc - m) + Math.exp(e - m));
      } else if (!Number.isNaN(acc) && (Number.isNaN(e) || (op === "max" ? e >= acc : e <= acc))) {
        acc = e;
        arg = j;
      }
      v[at] = acc;
      idx[at] = arg;
    }
  });
  writeFrom(out, out.dtype === "bool" ? v.map((e) => (e !== 0 ? 1 : 0)) : v);
  if (indices) writeFrom(indices, idx);
}
