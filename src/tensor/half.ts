/**
 * float16 and bfloat16: 16-bit storage (Uint16Array of IEEE bit patterns) with float32 compute.
 *
 * The conversions work on bit patterns, never through a JavaScript number, for two reasons: a
 * float32 -> float16 conversion through `Math.fround` and arithmetic would round twice, and V8 may
 * canonicalise a NaN that passes through a number, while deeptype promises that reading a half
 * storage to float32 and writing it back changes no bit (the kernels adapter in
 * src/backend/half-adapter.ts does exactly that around every kernel call). Hand-written rather than a
 * library: the whole job is ~60 lines of bit arithmetic that test/dtypes-half.test.ts checks on all
 * 65,536 patterns and against PyTorch's conversions.
 */

/** The two 16-bit floating dtypes. */
export type HalfDType = "float16" | "bfloat16";

/** Whether `d` is stored as 16-bit float bits (float16 or bfloat16). */
export function isHalf(d: string): d is HalfDType {
  return d === "float16" || d === "bfloat16";
}

let seen = false;

/** Whether any float16/bfloat16 tensor was made yet: until then backend() hands out kernels unwrapped, at no cost. */
export function halfInUse(): boolean {
  return seen;
}

/** Called by the Tensor constructor for each half tensor. @internal */
export function markHalfInUse(): void {
  seen = true;
}

// float16 bits -> float32 bits, for all 65,536 patterns (256 KiB, built on first use).
let f16Table: Uint32Array | null = null;

function f16BitsToF32BitsSlow(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  let mant = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (mant << 13)) >>> 0; // inf, NaN (payload kept)
  if (exp !== 0) return (sign | ((exp + 112) << 23) | (mant << 13)) >>> 0;
  if (mant === 0) return sign >>> 0;
  // Subnormal: normalise the mantissa; each shift lowers the exponent by one.
  let e = 113;
  while ((mant & 0x400) === 0) {
    mant <<= 1;
    e--;
  }
  return (sign | (e << 23) | ((mant & 0x3ff) << 13)) >>> 0;
}

function table(): Uint32Array {
  if (f16Table === null) {
    f16Table = new Uint32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = f16BitsToF32BitsSlow(h);
  }
  return f16Table;
}

/**
 * float32 bits -> float16 bits, rounding to nearest even (IEEE 754), with subnormals, overflow to
 * infinity, and NaN payloads kept in their top 10 bits (a payload that lives only in the low 13 bits
 * becomes the quiet NaN 0x7e00, as PyTorch gives for every NaN).
 * @example f32BitsToF16Bits(0x3f800000) // 0x3c00 (1.0)
 */
export function f32BitsToF16Bits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) {
    if (mant === 0) return sign | 0x7c00;
    const m = mant >>> 13;
    return sign | 0x7c00 | (m === 0 ? 0x200 : m);
  }
  const e = exp - 112; // float16's biased exponent
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal: rounds to zero
    mant |= 0x800000;
    const shift = 14 - e;
    let m = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && (m & 1) !== 0)) m++;
    return sign | m; // a carry into 0x400 is the smallest normal: the right encoding
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa bumps the exponent, up to 0x7c00 (infinity): the right result.
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1) !== 0)) h++;
  return sign | h;
}

/**
 * float32 bits -> bfloat16 bits (the top 16), rounding to nearest even; NaN keeps its top payload
 * bits (0x7fc0 if they are all zero).
 * @example f32BitsToBf16Bits(0x3f808000) // 0x3f80 (a tie rounds to even)
 */
export function f32BitsToBf16Bits(x: number): number {
  if ((x & 0x7fffffff) > 0x7f800000) {
    const top = x >>> 16;
    return (top & 0x7f) === 0 ? top | 0x40 : top;
  }
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** A JavaScript number rounded as storing it in `dtype` does (through float32, as PyTorch converts a Python float): the 16 bits. */
export function encodeHalf(v: number, dtype: HalfDType): number {
  f32[0] = v;
  return dtype === "float16" ? f32BitsToF16Bits(u32[0]) : f32BitsToBf16Bits(u32[0]);
}

/** The value 16 bits of `dtype` hold. @example decodeHalf(0x3c00, "float16") // 1 */
export function decodeHalf(bits: number, dtype: HalfDType): number {
  u32[0] = dtype === "float16" ? table()[bits & 0xffff] : (bits & 0xffff) << 16;
  return f32[0];
}

/** Widens `src` (16-bit patterns of `dtype`) into `dst` bit-exactly; `dst.length >= src.length`. */
export function halfToFloat32(src: Uint16Array, dtype: HalfDType, dst: Float32Array = new Float32Array(src.length)): Float32Array {
  const out = new Uint32Array(dst.buffer, dst.byteOffset, src.length);
  if (dtype === "float16") {
    const t = table();
    for (let i = 0; i < src.length; i++) out[i] = t[src[i]];
  } else {
    for (let i = 0; i < src.length; i++) out[i] = src[i] << 16;
  }
  return dst;
}

/** Rounds `src` to `dtype` into `dst` (nearest even); the inverse of halfToFloat32 on every value it produces. */
export function float32ToHalf(src: Float32Array, dtype: HalfDType, dst: Uint16Array = new Uint16Array(src.length)): Uint16Array {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  if (dtype === "float16") for (let i = 0; i < bits.length; i++) dst[i] = f32BitsToF16Bits(bits[i]);
  else for (let i = 0; i < bits.length; i++) dst[i] = f32BitsToBf16Bits(bits[i]);
  return dst;
}
