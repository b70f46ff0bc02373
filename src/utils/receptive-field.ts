/**
 * Receptive fields by following index sets back through the layers, along the last spatial axis.
 *
 * The textbook recurrence r ← r + (k_eff − 1)·j, j ← j·s only holds while every output position sees
 * a window of the same shape. Transposed convolutions (taps that skip input positions), adaptive
 * pools (windows of varying width) and upsampling break that, so instead each output position of
 * the last layer is traced back to the set of input positions it reads, and the field is the widest
 * first-to-last span over those positions. For plain conv/pool stacks this gives the recurrence's
 * value exactly.
 */

/** How one layer maps its output positions to the input positions they read (one axis). */
export type AxisMap =
  | { kind: "window"; kernel: number; stride: number; dilation: number; padding: number }
  | { kind: "transposed"; kernel: number; stride: number; dilation: number; padding: number }
  | { kind: "adaptive"; inSize: number; outSize: number }
  | { kind: "nearest"; inSize: number; outSize: number }
  | { kind: "linear"; inSize: number; outSize: number; alignCorners: boolean }
  | { kind: "identity" };

/** The input positions output position `o` of one layer reads (inputs are unbounded: borders ignored). */
function readsOf(m: AxisMap, o: number, out: Set<number>): void {
  switch (m.kind) {
    case "identity":
      out.add(o);
      return;
    case "window":
      for (let t = 0; t < m.kernel; t++) out.add(o * m.stride - m.padding + t * m.dilation);
      return;
    case "transposed":
      // Input i reaches output i·s − p + d·t, so o reads the i with i·s = o + p − d·t.
      for (let t = 0; t < m.kernel; t++) {
        const v = o + m.padding - t * m.dilation;
        if (((v % m.stride) + m.stride) % m.stride === 0) out.add(v / m.stride);
      }
      return;
    case "adaptive": {
      const lo = Math.floor((o * m.inSize) / m.outSize), hi = Math.ceil(((o + 1) * m.inSize) / m.outSize);
      for (let i = lo; i < hi; i++) out.add(i);
      return;
    }
    case "nearest":
      out.add(Math.floor((o * m.inSize) / m.outSize));
      return;
    case "linear": {
      const scale = m.alignCorners ? (m.outSize > 1 ? (m.inSize - 1) / (m.outSize - 1) : 0) : m.inSize / m.outSize;
      const src = m.alignCorners ? o * scale : Math.max(0, (o + 0.5) * scale - 0.5);
      const i0 = Math.floor(src);
      out.add(Math.min(i0, m.inSize - 1));
      if (src > i0) out.add(Math.min(i0 + 1, m.inSize - 1));
      return;
    }
  }
}

/**
 * The receptive field of the last of `maps` (applied first to last): the widest span of input
 * positions any of its `outSize` output positions reads.
 */
export function receptiveField(maps: readonly AxisMap[], outSize: number): number {
  let widest = 0;
  for (let o = 0; o < outSize; o++) {
    let cur = new Set([o]);
    for (let l = maps.length - 1; l >= 0; l--) {
      const prev = new Set<number>();
      for (const p of cur) readsOf(maps[l], p, prev);
      cur = prev;
    }
    let lo = Infinity, hi = -Infinity;
    for (const i of cur) {
      lo = Math.min(lo, i);
      hi = Math.max(hi, i);
    }
    if (cur.size > 0) widest = Math.max(widest, hi - lo + 1);
  }
  return widest;
}
