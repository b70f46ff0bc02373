import { checkDType } from "./check.js";

/** Element types a tensor can hold. `float32` is the default, `float64` serves gradient checks. */
export type DType = "float32" | "float64" | "int32" | "bool";

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** The typed array that stores each dtype (bool is one byte per element, 0 or 1). */
export const ArrayFor = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

// Small arrays are carved out of shared 64 KiB slabs: a typed array with its own backing store costs
// ~0.3 µs to create and adds GC work, which dominated ops on small tensors; a view into a slab costs
// ~0.05 µs. Each slot is handed out once (so it starts zeroed) and a slab is freed by the GC when the
// last array in it is; the most a small long-lived tensor can keep alive is its slab.
const SLAB_BYTES = 1 << 16;
const SMALL_BYTES = 1024;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabTop = 0;

/** A zero-filled array of n elements of dtype. */
export function allocate(dtype: DType, n: number): TypedArray {
  // The last line of defence for a dtype that slipped past the entry points' checks.
  if (!Object.hasOwn(ArrayFor, dtype)) checkDType("allocate", dtype);
  const A = ArrayFor[dtype];
  const bytes = n * A.BYTES_PER_ELEMENT;
  if (bytes > SMALL_BYTES || bytes === 0) return new A(n);
  // 8-byte aligned slots, so every element type is aligned.
  const size = (bytes + 7) & ~7;
  if (slabTop + size > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabTop = 0;
  }
  const a = new A(slab, slabTop, n);
  slabTop += size;
  return a;
}

export function dtypeOfArray(a: TypedArray): DType {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  if (a instanceof Int32Array) return "int32";
  return "bool";
}

export function isFloating(d: DType): boolean {
  return d === "float32" || d === "float64";
}

const rank: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** PyTorch's promotion lattice restricted to our dtypes: bool < int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return rank[a] >= rank[b] ? a : b;
}

/** The category a JavaScript scalar belongs to, as PyTorch treats Python scalars. */
export function scalarKind(v: number | boolean): DType {
  if (typeof v === "boolean") return "bool";
  return Number.isInteger(v) ? "int32" : "float32";
}

/**
 * Result dtype of `tensor op scalar`: a scalar only raises the category (bool -> int -> float),
 * never the width, so `float64 + 1.5` stays float64 and `int32 + 1.5` becomes float32.
 */
export function promoteWithScalar(t: DType, s: number | boolean): DType {
  const k = scalarKind(s);
  if (rank[k] <= rank[t]) return t;
  return k === "int32" && t === "bool" ? "int32" : k === "float32" ? "float32" : t;
}

/** Converts a JS value to what storing it in `dtype` yields (int truncation, bool test). */
/**
 * Throws unless `v` fits `dtype` (PyTorch refuses to create an int32 tensor from 1e10 or NaN rather
 * than wrapping); used where values are given by the user, not in conversions of tensors.
 */
export function checkFits(v: number | boolean, dtype: DType, op: string): void {
  if (dtype !== "int32" || typeof v === "boolean") return;
  if (!Number.isFinite(v) || v < -2147483648 || v >= 2147483648) {
    throw new Error(`${op}: value ${v} cannot be converted to int32 without overflow (int32 holds -2147483648..2147483647); use dtype "float64"`);
  }
}

export function castScalar(v: number | boolean, dtype: DType): number {
  const n = typeof v === "boolean" ? (v ? 1 : 0) : v;
  if (dtype === "bool") return n !== 0 ? 1 : 0;
  if (dtype === "int32") return Math.trunc(n) | 0;
  return n;
}
