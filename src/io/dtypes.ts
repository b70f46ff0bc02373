/**
 * Converting deeptype's dtypes into the other element types PyTorch and Hugging Face files use
 * (half precision, bfloat16, 64/16/8-bit integers), for writers that must produce those files.
 *
 * The reading direction (every file dtype into float32/float64/int32/bool) lives in the safetensors
 * parser; this module holds the writing direction, kept apart from the format codec so the codec
 * stays about the container and this stays about numbers. The rules, which `docs/io-and-reports.md`
 * lists:
 * - F16 and BF16 are written from float tensors with round-to-nearest-even, as PyTorch's `.half()`
 *   and `.bfloat16()` do; values beyond the range become ±Infinity, NaN stays NaN.
 * - I64 holds every int32 exactly; I16, I8 and U8 are written only when every value fits, otherwise
 *   the error names the tensor and the first value that does not fit (never a silent wrap).
 * - A float tensor is never written as an integer type, nor an integer as a float type of another
 *   width, without the caller saying so: writers ask for a target dtype per tensor.
 *
 * Pure (no Node imports), so it runs in browsers.
 */
import type { TensorRecord } from "./safetensors.js";

/** The element types of the safetensors format that deeptype writes. */
export type FileDType = "F64" | "F32" | "F16" | "BF16" | "I64" | "I32" | "I16" | "I8" | "U8" | "BOOL";

/** Bytes per element of each writable file dtype. */
export const FILE_DTYPE_SIZE: Record<FileDType, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/** The file dtype each deeptype dtype is written as when nothing else is asked for. */
export const NATIVE_FILE_DTYPE = { float32: "F32", float64: "F64", int32: "I32", bool: "BOOL" } as const satisfies Record<TensorRecord["dtype"], FileDType>;

const INT_RANGE: Partial<Record<FileDType, [number, number]>> = { I16: [-32768, 32767], I8: [-128, 127], U8: [0, 255] };

/** Which file dtypes a tensor of each deeptype dtype may be written as (floats stay floats, ints stay ints). */
const ALLOWED: Record<TensorRecord["dtype"], readonly FileDType[]> = {
  float32: ["F32", "F64", "F16", "BF16"],
  float64: ["F64", "F32", "F16", "BF16"],
  int32: ["I32", "I64", "I16", "I8", "U8"],
  bool: ["BOOL", "U8"],
};

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * IEEE half-precision bits of `v`, rounded to nearest even (PyTorch's `.half()`).
 *
 * @example floatToHalfBits(1) === 0x3c00
 */
export function floatToHalfBits(v: number): number {
  f32[0] = v; // PyTorch converts float64 to half through float32 too
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf, or a quiet NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // too big: Infinity
  if (e <= 0) {
    // Subnormal half (or zero): shift the mantissa with its implicit 1 into place, rounding to even.
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = m & ((1 << shift) - 1);
    let r = m >>> shift;
    if (rest > half || (rest === half && (r & 1) === 1)) r++;
    return sign | r;
  }
  let r = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (r & 1) === 1)) r++; // a carry into the exponent is still right
  return sign | r;
}

/**
 * bfloat16 bits of `v`: the top half of its float32 bits, rounded to nearest even (PyTorch's `.bfloat16()`).
 *
 * @example floatToBFloat16Bits(1) === 0x3f80
 */
export function floatToBFloat16Bits(v: number): number {
  f32[0] = v;
  const x = u32[0];
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) return ((x >>> 16) & 0x8000) | 0x7fc0; // NaN stays NaN
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/**
 * Checks that `rec` may be written as `code` and returns the number of bytes it takes.
 * `where` names the tensor (and the caller) in the error.
 */
export function encodedByteLength(rec: TensorRecord, code: FileDType, where: string): number {
  if (!Object.hasOwn(FILE_DTYPE_SIZE, code)) {
    throw new Error(`${where}: unknown file dtype ${JSON.stringify(code)}, expected one of ${Object.keys(FILE_DTYPE_SIZE).join(", ")}`);
  }
  const allowed = ALLOWED[rec.dtype];
  if (!allowed.includes(code)) {
    throw new Error(`${where}: a ${rec.dtype} tensor cannot be written as ${code} (allowed: ${allowed.join(", ")}); convert it first, e.g. t.to("float32")`);
  }
  return rec.data.length * FILE_DTYPE_SIZE[code];
}

/**
 * Writes `rec`'s elements as little-endian `code` into `out` at `offset` (call `encodedByteLength`
 * first: it checks the conversion is allowed and says how much room to leave).
 */
export function encodeInto(rec: TensorRecord, code: FileDType, out: Uint8Array, offset: number, where: string): void {
  const { data } = rec;
  const n = data.length;
  const view = new DataView(out.buffer, out.byteOffset + offset, n * FILE_DTYPE_SIZE[code]);
  const range = INT_RANGE[code];
  if (range) {
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (v < range[0] || v > range[1]) {
        throw new Error(`${where}: element ${i} (${v}) does not fit in ${code} [${range[0]}, ${range[1]}]; write it as I32 or I64`);
      }
    }
  }
  switch (code) {
    case "F64":
      for (let i = 0; i < n; i++) view.setFloat64(i * 8, data[i], true);
      return;
    case "F32":
      for (let i = 0; i < n; i++) view.setFloat32(i * 4, data[i], true);
      return;
    case "F16":
      for (let i = 0; i < n; i++) view.setUint16(i * 2, floatToHalfBits(data[i]), true);
      return;
    case "BF16":
      for (let i = 0; i < n; i++) view.setUint16(i * 2, floatToBFloat16Bits(data[i]), true);
      return;
    case "I64":
      for (let i = 0; i < n; i++) view.setBigInt64(i * 8, BigInt(data[i]), true);
      return;
    case "I32":
      for (let i = 0; i < n; i++) view.setInt32(i * 4, data[i], true);
      return;
    case "I16":
      for (let i = 0; i < n; i++) view.setInt16(i * 2, data[i], true);
      return;
    case "I8":
      for (let i = 0; i < n; i++) view.setInt8(i, data[i]);
      return;
    case "U8":
    case "BOOL":
      for (let i = 0; i < n; i++) view.setUint8(i, code === "BOOL" ? (data[i] !== 0 ? 1 : 0) : data[i]);
      return;
  }
}
