/** Printing tensors the way PyTorch does: one number format for all elements, aligned columns. */
import type { DType, TypedArray } from "./dtype.js";

const EDGE = 3; // elements kept at each end of a summarised dimension
const THRESHOLD = 1000; // more elements than this are summarised

export function formatTensor(data: TypedArray, shape: readonly number[], dtype: DType, extras: string[]): string {
  const summarise = data.length > THRESHOLD;
  const cell = numberFormat(data, dtype);
  const strides: number[] = [];
  for (let i = shape.length - 1, s = 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  const indent = "tensor(".length;
  const render = (d: number, at: number): string => {
    if (d === shape.length) return cell(data[at]);
    const n = shape[d];
    const idx = summarise && n > 2 * EDGE ? [...range(0, EDGE), -1, ...range(n - EDGE, n)] : range(0, n);
    const parts = idx.map((i) => (i < 0 ? "..." : render(d + 1, at + i * strides[d])));
    const last = d === shape.length - 1;
    const sep = last ? ", " : "," + "\n".repeat(shape.length - d - 1) + " ".repeat(indent + d + 1);
    return "[" + parts.join(sep) + "]";
  };
  const body = shape.length === 0 ? cell(data[0]) : render(0, 0);
  return `tensor(${body}${extras.length ? ", " + extras.join(", ") : ""})`;
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

/** Chooses one format for all values: integers, `1.` style, fixed 4 decimals or scientific. */
function numberFormat(data: TypedArray, dtype: DType): (v: number) => string {
  if (dtype === "bool") return (v) => (v ? "True" : "False").padStart(5);
  let width = 1;
  if (dtype === "int32") {
    for (const v of data) width = Math.max(width, String(v).length);
    return (v) => String(v).padStart(width);
  }
  let allInt = true, maxAbs = 0, minAbs = Infinity;
  for (const v of data) {
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v)) allInt = false;
    const a = Math.abs(v);
    maxAbs = Math.max(maxAbs, a);
    if (a > 0) minAbs = Math.min(minAbs, a);
  }
  const sci = maxAbs >= 1e8 || (minAbs < 1e-4 && !allInt) || (minAbs !== Infinity && maxAbs / minAbs >= 1000 && !allInt);
  const f = (v: number): string => {
    if (Number.isNaN(v)) return "nan";
    if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
    if (sci) return v.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2");
    if (allInt) return `${v.toFixed(0)}.`;
    return v.toFixed(4);
  };
  for (const v of data) width = Math.max(width, f(v).length);
  return (v) => f(v).padStart(width);
}
