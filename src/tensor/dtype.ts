import { checkDType } from "./check.js";
import { encodeHalf, isHalf } from "./half.js";
import { RECYCLE_MIN_BYTES, takeRecycled } from "./recycle.js";
import { warmHeapOnce } from "./host-heap.js";

// Large storage below comes from glibc; make it reuse freed blocks rather than fresh pages (host-heap.ts).
warmHeapOnce();

/**
 * Element types a tensor can hold. `float32` is the default, `float64` serves gradient checks; the
 * integer types are PyTorch's `torch.int64/int32/int16/int8/uint8`. int64 is stored in a
 * BigInt64Array, so every value of PyTorch's `torch.long` (±2^63) is held exactly
 * (docs/tensors-and-autograd.md). `float16` and `bfloat16` are stored as 16-bit patterns (a
 * Uint16Array) and computed in float32 (src/tensor/half.ts).
 */
export type DType = "float32" | "float64" | "float16" | "bfloat16" | "int64" | "int32" | "int16" | "int8" | "uint8" | "bool";

/** The typed arrays of the number-valued dtypes (what `x.data()` returns; int64 reads as float64 there). */
export type TypedArray = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array;

/** What a tensor's storage holds: a number-valued typed array, or a BigInt64Array for int64. */
export type StorageArray = TypedArray | BigInt64Array;

/**
 * One row per dtype; everything dtype-specific (storage, promotion, range checks, casts) reads this
 * table, so ops need no per-dtype code. `kind` is PyTorch's category (bool < integer < floating), `rank`
 * orders dtypes within the promotion lattice, `min`/`max` bound the integer types (int64's as
 * bigints, since ±2^63 are not all doubles; `-2 ** 63` and `2 ** 63` are the nearest numbers).
 */
interface DTypeInfo {
  array: Float32ArrayConstructor | Float64ArrayConstructor | BigInt64ArrayConstructor | Int32ArrayConstructor | Int16ArrayConstructor | Int8ArrayConstructor | Uint8ArrayConstructor | Uint16ArrayConstructor;
  kind: 0 | 1 | 2;
  rank: number;
  min: number;
  max: number;
  /** Bits of an integer dtype (the width casts wrap modulo), 0 for the others. */
  bits: number;
}

// Null prototype: looking up a string that is not a dtype ("toString") gives undefined, not Object's.
export const DTYPE_INFO: Readonly<Record<DType, DTypeInfo>> = Object.assign(Object.create(null) as Record<DType, DTypeInfo>, {
  bool: { array: Uint8Array, kind: 0, rank: 0, min: 0, max: 1, bits: 0 },
  uint8: { array: Uint8Array, kind: 1, rank: 1, min: 0, max: 255, bits: 8 },
  int8: { array: Int8Array, kind: 1, rank: 1, min: -128, max: 127, bits: 8 },
  int16: { array: Int16Array, kind: 1, rank: 2, min: -32768, max: 32767, bits: 16 },
  int32: { array: Int32Array, kind: 1, rank: 3, min: -2147483648, max: 2147483647, bits: 32 },
  int64: { array: BigInt64Array, kind: 1, rank: 4, min: -(2 ** 63), max: 2 ** 63, bits: 64 },
  // float16 and bfloat16 share a rank: neither holds the other (promoteTypes meets them at float32).
  float16: { array: Uint16Array, kind: 2, rank: 5, min: -Infinity, max: Infinity, bits: 0 },
  bfloat16: { array: Uint16Array, kind: 2, rank: 5, min: -Infinity, max: Infinity, bits: 0 },
  float32: { array: Float32Array, kind: 2, rank: 6, min: -Infinity, max: Infinity, bits: 0 },
  float64: { array: Float64Array, kind: 2, rank: 7, min: -Infinity, max: Infinity, bits: 0 },
});

/** The table row of `d`, or a named error for something that is not a dtype (JS callers can pass anything). */
function infoOf(d: DType, fn: string): DTypeInfo {
  const i = DTYPE_INFO[d] as DTypeInfo | undefined;
  if (i === undefined) {
    // checkDType lets undefined through (an omitted option); here a dtype is required.
    if (d === undefined) throw new Error(`${fn}: dtype must be one of ${Object.keys(DTYPE_INFO).join(", ")}, got undefined`);
    checkDType(fn, d);
  }
  return i!;
}

/** Node's Buffer.allocUnsafe where there is one (memory not zero-filled), else undefined. */
const NodeBuffer = (globalThis as { Buffer?: { allocUnsafe?(n: number): { buffer: ArrayBuffer } } }).Buffer;
const allocUnsafe = typeof NodeBuffer?.allocUnsafe === "function" ? NodeBuffer.allocUnsafe.bind(NodeBuffer) : undefined;

/** The typed array that stores each dtype (bool and uint8 are one byte per element; bool holds 0 or 1). */
export const ArrayFor = Object.fromEntries(Object.entries(DTYPE_INFO).map(([d, i]) => [d, i.array])) as { readonly [D in DType]: DTypeInfo["array"] };

// Small arrays are carved out of shared 64 KiB slabs: a typed array with its own backing store costs
// ~0.3 µs to create and adds GC work, which dominated ops on small tensors; a view into a slab costs
// ~0.05 µs. Each slot is handed out once (so it starts zeroed) and a slab is freed by the GC when the
// last array in it is; the most a small long-lived tensor can keep alive is its slab.
const SLAB_BYTES = 1 << 16;
const SMALL_BYTES = 1024;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabTop = 0;

/**
 * A zero-filled array of n elements of dtype (a BigInt64Array for int64). With `zeroed` false (a
 * result the caller overwrites in full before anything reads it: allocateUninit), a large array skips
 * the zero-fill: a pooled buffer as it was left, else Node's `Buffer.allocUnsafe` memory.
 */
export function allocate(dtype: "int64", n: number, zeroed?: boolean): BigInt64Array;
export function allocate(dtype: Exclude<DType, "int64">, n: number, zeroed?: boolean): TypedArray;
export function allocate(dtype: DType, n: number, zeroed?: boolean): StorageArray;
export function allocate(dtype: DType, n: number, zeroed = true): StorageArray {
  // The last line of defence for a dtype that slipped past the entry points' checks.
  if (!Object.hasOwn(ArrayFor, dtype)) checkDType("allocate", dtype);
  const A = ArrayFor[dtype];
  const bytes = n * A.BYTES_PER_ELEMENT;
  if (bytes >= RECYCLE_MIN_BYTES) {
    // Memory the backward engine proved dead (recycle.ts): already resident, so no page faults.
    // allocUnsafe hands out its own buffer above half its 8 KiB pool, so the array owns it (and can be
    // pooled later); a fractional n keeps to new A(n), whose short length the caller reports.
    const buf = takeRecycled(bytes, zeroed) ?? (zeroed || !allocUnsafe || !Number.isInteger(n) ? undefined : allocUnsafe(bytes).buffer);
    return buf && buf.byteLength === bytes ? new A(buf) : new A(n);
  }
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

/**
 * An array of n elements of dtype whose contents are unspecified, for a result that the caller
 * overwrites in full before anything reads it (a conv's output, which the backend writes element by
 * element): allocate without the zero-fill of large arrays. Zeroing a 6.4 MB result took ~0.3-0.6 ms
 * of a ~5-7 ms conv forward (docs/backend-wasm.md, 2026-12-06 13:40). Below RECYCLE_MIN_BYTES and
 * outside Node it is zero-filled all the same.
 * @internal
 */
export function allocateUninit(dtype: DType, n: number): StorageArray {
  return allocate(dtype, n, false);
}

/** The dtype a typed array holds by default (a Uint8Array is bool, as in `tensor(new Uint8Array(...))`). */
export function dtypeOfArray(a: StorageArray): DType {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  if (a instanceof BigInt64Array) return "int64";
  if (a instanceof Uint16Array) {
    throw new Error("tensor: a Uint16Array holds float16 or bfloat16 bit patterns; say which with { dtype: \"float16\" } or { dtype: \"bfloat16\" }");
  }
  if (a instanceof Int32Array) return "int32";
  if (a instanceof Int16Array) return "int16";
  if (a instanceof Int8Array) return "int8";
  return "bool";
}

/** Whether `d` is a floating dtype (float16, bfloat16, float32, float64). */
export function isFloating(d: DType): boolean {
  return (DTYPE_INFO[d] as DTypeInfo | undefined)?.kind === 2;
}

/**
 * Whether `d` can hold indices: int64 (PyTorch's index type) or int32 (accepted wherever int64 is).
 * @example isIndexDtype("int64") // true
 */
export function isIndexDtype(d: DType): boolean {
  return d === "int64" || d === "int32";
}

/** Whether `d` is an integer dtype (not bool): `isIntegral("uint8") === true`. */
export function isIntegral(d: DType): boolean {
  return (DTYPE_INFO[d] as DTypeInfo | undefined)?.kind === 1;
}

/** PyTorch's category of a dtype: 0 bool, 1 integer, 2 floating. */
export function dtypeKind(d: DType): 0 | 1 | 2 {
  return infoOf(d, "dtypeKind").kind;
}

/**
 * PyTorch's promotion lattice restricted to our dtypes: bool < uint8, int8 < int16 < int32 < int64 <
 * float16, bfloat16 < float32 < float64, where uint8 and int8 meet at int16 and float16 and bfloat16
 * at float32 (neither holds the other's range or precision). Checked on every pair against PyTorch
 * 1.13 (test/dtypes.test.ts, scripts/fixtures/dtypes.py).
 * @example promoteTypes("uint8", "int8") // "int16"
 */
export function promoteTypes(a: DType, b: DType): DType {
  if ((a === "uint8" && b === "int8") || (a === "int8" && b === "uint8")) return "int16";
  if ((a === "float16" && b === "bfloat16") || (a === "bfloat16" && b === "float16")) return "float32";
  return infoOf(a, "promoteTypes").rank >= infoOf(b, "promoteTypes").rank ? a : b;
}

/** The category a JavaScript scalar belongs to, as PyTorch treats Python scalars (an int is int64). */
export function scalarKind(v: number | boolean): DType {
  if (typeof v === "boolean") return "bool";
  return Number.isInteger(v) ? "int64" : "float32";
}

/**
 * Result dtype of `tensor op scalar`: a scalar only raises the category (bool -> int -> float),
 * never the width, so `float64 + 1.5` stays float64, `uint8 + 300` stays uint8 (and wraps) and
 * `int8 + 1.5` becomes float32. An integer scalar on a bool tensor gives int64, as in PyTorch.
 */
export function promoteWithScalar(t: DType, s: number | boolean): DType {
  const k = scalarKind(s);
  if (DTYPE_INFO[k].kind <= DTYPE_INFO[t].kind) return t;
  return k;
}

/**
 * Throws unless `v` fits `dtype`, as PyTorch's `torch.tensor([300], dtype=torch.uint8)` does (it
 * refuses rather than wrapping); used where values are given by the user, not in conversions of
 * tensors, which wrap. Like PyTorch, uint8 accepts integers down to -255 (they wrap: -1 -> 255), and a
 * fraction must lie within the range before truncation. NaN cannot become an integer.
 */
export function checkFits(v: number | boolean | bigint, dtype: DType, op: string): void {
  const info = DTYPE_INFO[dtype];
  if (typeof v === "bigint") {
    // A floating dtype takes any bigint (rounded, float16 overflowing to inf, as torch.tensor([2**60],
    // dtype=torch.float16)) and bool tests it for zero: no range. (The bounds below are -Infinity for
    // them, which BigInt() refuses with a raw RangeError.)
    if (info.kind !== 1) return;
    // A bigint is an exact integer: it fits int64 in ±2^63 and a narrower type in its range.
    const lo = dtype === "int64" ? INT64_MIN : BigInt(dtype === "uint8" ? -255 : info.min), hi = dtype === "int64" ? INT64_MAX : BigInt(info.max);
    if (v < lo || v > hi) throw new Error(`${op}: value ${v} cannot be converted to ${dtype} without overflow (${dtype} holds ${lo}..${hi}); use a wider dtype such as "int64"`);
    return;
  }
  if (info.kind !== 1 || typeof v === "boolean") return;
  const min = dtype === "uint8" && Number.isInteger(v) ? -255 : info.min;
  // int64's max is the number 2^63, one past INT64_MAX: PyTorch lets that float through too (and it
  // stores as -2^63, the cast's overflow value), so the bound is the same comparison.
  if (!Number.isFinite(v) || v < min || v > info.max) {
    throw new Error(`${op}: value ${v} cannot be converted to ${dtype} without overflow (${dtype} holds ${info.min}..${info.max}); use a wider dtype such as "int32" or "float64"`);
  }
}

const scratch = { uint8: new Uint8Array(1), int8: new Int8Array(1), int16: new Int16Array(1), int32: new Int32Array(1) };

/** int64's extremes, -2^63 and 2^63 - 1. */
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/**
 * A number as int64 stores it: truncated toward zero; NaN, ±Infinity and values outside ±2^63 give
 * -2^63, as PyTorch's float-to-int64 cast on x86 does (the processor's "integer indefinite").
 */
export function toInt64(v: number): bigint {
  if (!(v > -9223372036854777856 && v < 9223372036854775808)) return INT64_MIN;
  return BigInt(Math.trunc(v));
}

/** An int64 storage holding the integers `a` (indices, counts): `int64From([0, 2])`. */
export function int64From(a: ArrayLike<number>): BigInt64Array {
  return BigInt64Array.from(a as ArrayLike<number>, (v) => BigInt(v));
}

/**
 * The number an element of any storage reads as: int64's bigints become the nearest double
 * (exact up to 2^53).
 */
export function num(v: number | bigint): number {
  return typeof v === "bigint" ? Number(v) : v;
}

/** Stores the number `v` at `i` of any storage (int64 converts with toInt64; the others by their typed-array store). */
export function setElement(a: StorageArray, i: number, v: number): void {
  if (a instanceof BigInt64Array) a[i] = toInt64(v);
  else a[i] = v;
}

/** Fills a whole storage with the number `v`. */
export function fillStorage(a: StorageArray, v: number, start?: number, end?: number): void {
  if (a instanceof BigInt64Array) a.fill(toInt64(v), start, end);
  else a.fill(v, start, end);
}

/**
 * Converts a JS value to what storing it in `dtype` writes into the storage array (truncation toward
 * zero, wrapping modulo 2^bits, bool test; for float16/bfloat16 the rounded 16-bit pattern).
 */
export function castScalar(v: number | boolean, dtype: DType): number {
  const n = typeof v === "boolean" ? (v ? 1 : 0) : v;
  // int64 holds every integer a double can; the store into a BigInt64Array converts (toInt64 for others).
  if (dtype === "int64") return Number(toInt64(n));
  if (dtype === "bool") return n !== 0 ? 1 : 0;
  if (isHalf(dtype)) return encodeHalf(n, dtype);
  if (DTYPE_INFO[dtype].kind === 1) {
    // The typed array's own conversion (ToInt8/ToUint8/...) is exactly PyTorch's wrap-around.
    const one = scratch[dtype as "int32"];
    one[0] = n;
    return one[0];
  }
  return n;
}
