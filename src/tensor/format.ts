/**
 * Printing tensors the way PyTorch does (torch/_tensor_str.py): one number format for all shown
 * elements, aligned columns, rows wrapped at 80 characters, large tensors summarised with `...`.
 */
import { type DType, type StorageArray, isFloating, isIntegral } from "./dtype.js";

const EDGE = 3; // elements kept at each end of a summarised dimension
const THRESHOLD = 1000; // more elements than this are summarised
const LINEWIDTH = 80;

export function formatTensor(data: StorageArray, shape: readonly number[], dtype: DType, extras: string[]): string {
  const summarise = data.length > THRESHOLD;
  const strides: number[] = [];
  for (let i = shape.length - 1, s = 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  const shown = (n: number): number[] => (summarise && n > 2 * EDGE ? [...range(0, EDGE), -1, ...range(n - EDGE, n)] : range(0, n));
  // The format is chosen from the elements that are printed only, as PyTorch does.
  // int64 elements are bigints: integer formats print them with String(), exactly.
  const elems = data as ArrayLike<number>;
  const values: number[] = [];
  const collect = (d: number, at: number): void => {
    if (d === shape.length) {
      values.push(elems[at]);
      return;
    }
    for (const i of shown(shape[d])) if (i >= 0) collect(d + 1, at + i * strides[d]);
  };
  if (data.length > 0) collect(0, 0);
  const { cell, width } = numberFormat(values, dtype);
  const render = (d: number, at: number, indent: number): string => {
    const idx = shown(shape[d]);
    if (d === shape.length - 1) {
      const items = idx.map((i) => (i < 0 ? " ..." : cell(elems[at + i * strides[d]])));
      const perLine = Math.max(1, Math.floor((LINEWIDTH - indent) / (width + 2)));
      const lines: string[] = [];
      for (let k = 0; k < items.length; k += perLine) lines.push(items.slice(k, k + perLine).join(", "));
      return "[" + lines.join(",\n" + " ".repeat(indent + 1)) + "]";
    }
    const parts = idx.map((i) => (i < 0 ? "..." : render(d + 1, at + i * strides[d], indent + 1)));
    return "[" + parts.join("," + "\n".repeat(shape.length - d - 1) + " ".repeat(indent + 1)) + "]";
  };
  const body = shape.length === 0 ? cell(elems[0]) : data.length === 0 ? "[]" : render(0, 0, "tensor(".length);
  return addSuffixes(`tensor(${body}`, extras, "tensor(".length);
}

/** PyTorch's _add_suffixes: `, dtype=...` on the last line, or on a new one past 80 columns. */
function addSuffixes(text: string, suffixes: readonly string[], indent: number): string {
  let out = text;
  let lastLine = text.length - text.lastIndexOf("\n") + 1; // (sic: PyTorch counts one extra)
  for (const s of suffixes) {
    if (lastLine + s.length + 2 > LINEWIDTH) {
      out += ",\n" + " ".repeat(indent) + s;
      lastLine = indent + s.length;
    } else {
      out += ", " + s;
      lastLine += s.length + 2;
    }
  }
  return out + ")";
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

/** Chooses one format for all values: integers, `1.` style, fixed 4 decimals or scientific. */
function numberFormat(values: number[], dtype: DType): { cell: (v: number) => string; width: number } {
  let f: (v: number) => string;
  if (dtype === "bool") f = (v) => (v ? "True" : "False");
  else if (isIntegral(dtype)) f = (v) => String(v);
  else {
    let allInt = true, maxAbs = 0, minAbs = Infinity;
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      if (!Number.isInteger(v)) allInt = false;
      const a = Math.abs(v);
      if (a === 0) continue;
      maxAbs = Math.max(maxAbs, a);
      minAbs = Math.min(minAbs, a);
    }
    const anyNonzero = minAbs !== Infinity;
    const sci = anyNonzero && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || (!allInt && minAbs < 1e-4));
    f = (v) => {
      if (Number.isNaN(v)) return "nan";
      if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
      // toFixed and toExponential drop the sign of -0; Python's format (PyTorch's printout) keeps it:
      // tensor([-0.0000, 0.5000]), tensor([-0.0000e+00, 1.0000e-05]), tensor([-0., 1.]).
      if (Object.is(v, -0)) return `-${f(0)}`;
      if (sci) return toExponentialHalfEven(v, 4).replace(/e([+-])(\d)$/, "e$10$2");
      if (allInt) return `${v.toFixed(0)}.`;
      return toFixedHalfEven(v, 4);
    };
  }
  // Floats take their width from the non-zero finite values only (PyTorch's _Formatter).
  let width = 1;
  for (const v of values) if (!isFloat(dtype) || (Number.isFinite(v) && v !== 0)) width = Math.max(width, f(v).length);
  return { cell: (v) => f(v).padStart(width), width };
}

function isFloat(d: DType): boolean {
  return isFloating(d);
}

/**
 * JavaScript's toFixed/toExponential round exact ties away from zero; Python's format (and so
 * PyTorch's printout) rounds them to even: 0.03125 prints 0.0312, not 0.0313.
 */
function toFixedHalfEven(v: number, digits: number): string {
  const js = v.toFixed(digits);
  const exact = Math.abs(v).toFixed(100); // the double's exact decimal expansion (|v| >= 2^-48 here)
  const cut = exact.indexOf(".") + 1 + digits;
  if (!/^50*$/.test(exact.slice(cut))) return js;
  const lower = exact.slice(0, digits === 0 ? cut - 1 : cut); // rounded toward zero
  if (Number(lower[lower.length - 1]) % 2 !== 0) return js; // the even neighbour is the one away from zero
  return (v < 0 ? "-" : "") + lower;
}

function toExponentialHalfEven(v: number, digits: number): string {
  const js = v.toExponential(digits);
  if (v === 0 || !Number.isFinite(v)) return js;
  const exact = Math.abs(v).toPrecision(100).replace(/e.*$/, "").replace(".", "").replace(/^0+/, "");
  if (!/^50*$/.test(exact.slice(digits + 1))) return js;
  const kept = exact.slice(0, digits + 1);
  if (Number(kept[kept.length - 1]) % 2 !== 0) return js;
  const exp = js.slice(js.indexOf("e"));
  return (v < 0 ? "-" : "") + kept[0] + (digits > 0 ? "." + kept.slice(1) : "") + exp;
}
