/**
 * Reference kernels for sorting and running scans (cumprod, cummax/cummin, logcumsumexp). They work
 * line by line along one axis of a strided view and write contiguous outputs.
 */
import type { ScanOp, View } from "../backend.js";
import { numel } from "../../tensor/shape.js";
import { toFloat64, writeFrom } from "./strided.js";

/** Calls f on each line along `axis` of a contiguous array of `shape` (base offset, step, length). */
export function lines(shape: readonly number[], axis: number, f: (base: number, step: number, len: number) => void): void {
  const len = shape[axis];
  const inner = numel(shape.slice(axis + 1));
  const outer = numel(shape.slice(0, axis));
  if (len === 0) return;
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) f(o * len * inner + i, inner, len);
}

/**
 * Stable ascending argsort of keys[0..n) (no NaN among them) into order[0..n), by a bottom-up merge
 * sort over int32 index arrays: plain `<` on a local Float64Array, no comparator closures (several
 * times faster than Array.prototype.sort with a comparator on large lines).
 */
function argsortStable(keys: Float64Array, order: Int32Array, tmp: Int32Array, n: number): void {
  const RUN = 16;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const o = order[i], k = keys[o];
      let j = i - 1;
      while (j >= lo && keys[order[j]] > k) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = o;
    }
  }
  let src = order, dst = tmp;
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
      let i = lo, j = mid, k = lo;
      // Take from the right run only when strictly smaller: equal keys keep their order (stable).
      while (i < mid && j < hi) dst[k++] = keys[src[j]] < keys[src[i]] ? src[j++] : src[i++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== order) order.set(src.subarray(0, n));
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
  const len = x.shape[axis];
  const keys = new Float64Array(len);
  const order = new Int32Array(len), tmp = new Int32Array(len), nans = new Int32Array(len);
  lines(x.shape, axis, (base, step) => {
    // Non-NaN elements are sorted (descending: by negated keys, so ties still keep their order);
    // NaNs keep their order and go last (ascending) or first (descending).
    let m = 0, nn = 0;
    for (let j = 0; j < len; j++) {
      const e = v[base + j * step];
      if (Number.isNaN(e)) nans[nn++] = j;
      else {
        keys[j] = descending ? -e : e;
        order[m++] = j;
      }
    }
    argsortStable(keys, order, tmp, m);
    const put = (pos: number, j: number): void => {
      outV[base + pos * step] = v[base + j * step];
      outI[base + pos * step] = j;
    };
    const first = descending ? nn : 0;
    for (let k = 0; k < m; k++) put(first + k, order[k]);
    for (let k = 0; k < nn; k++) put(descending ? k : m + k, nans[k]);
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
