/**
 * Converting between deeptype's dtypes and the other element types PyTorch and Hugging Face files
 * use (half precision, bfloat16, 64/16/8-bit integers), for the file readers and writers.
 *
 * Both directions live here, apart from the container formats (safetensors, PyTorch's zip), so the
 * codecs stay about containers and this stays about numbers. Reading (`READ_CODES`, `decode`): U8, I8,
 * I16, I32, I64, F16, BF16, F32, F64 and BOOL are read into the deeptype dtype of the same name (uint8,
 * int8, int16, ..., int64 exactly as bigints, float16 and bfloat16 bit for bit); the others widen
 * exactly: U16 into int32, U32 into int32 and U64 into int64 only when every value fits (deeptype has no
 * unsigned 32/64-bit storage). Writing, the rules `docs/io-and-reports.md` lists:
 * - F16 and BF16 are written from float tensors with round-to-nearest-even, as PyTorch's `.half()`
 *   and `.bfloat16()` do; values beyond the range become ±Infinity, NaN stays NaN.
 * - I64 holds every int32 exactly; I32, I16, I8 and U8 are written only when every value fits, otherwise
 *   the error names the tensor and the first value that does not fit (never a silent wrap).
 * - A float tensor is never written as an integer type, nor an integer as a float type of another
 *   width, without the caller saying so: writers ask for a target dtype per tensor.
 *
 * Pure (no Node imports), so it runs in browsers.
 */
import type { TensorRecord } from "./safetensors.js";
import { decodeHalf, encodeHalf, halfToFloat32, isHalf } from "../tensor/half.js";

/** The element types of the safetensors format that deeptype writes. */
export type FileDType = "F64" | "F32" | "F16" | "BF16" | "I64" | "I32" | "I16" | "I8" | "U8" | "BOOL";

/** Bytes per element of each writable file dtype. */
export const FILE_DTYPE_SIZE: Record<FileDType, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/** The file dtype each deeptype dtype is written as when nothing else is asked for. */
export const NATIVE_FILE_DTYPE = { float32: "F32", float64: "F64", float16: "F16", bfloat16: "BF16", int64: "I64", int32: "I32", int16: "I16", int8: "I8", uint8: "U8", bool: "BOOL" } as const satisfies Record<TensorRecord["dtype"], FileDType>;

// I32's range only ever binds an int64 tensor (the narrower dtypes always fit).
const INT_RANGE: Partial<Record<FileDType, [number, number]>> = { I32: [-2147483648, 2147483647], I16: [-32768, 32767], I8: [-128, 127], U8: [0, 255] };
/** The wider file dtypes that hold every value of each ranged one (what an overflow error suggests). */
const WIDER: Partial<Record<FileDType, string>> = { I32: "I64", I16: "I32 or I64", I8: "I16, I32 or I64", U8: "I16, I32 or I64" };

/** Which file dtypes a tensor of each deeptype dtype may be written as (floats stay floats, ints stay ints). */
const ALLOWED: Record<TensorRecord["dtype"], readonly FileDType[]> = {
  float32: ["F32", "F64", "F16", "BF16"],
  float64: ["F64", "F32", "F16", "BF16"],
  float16: ["F16", "F32", "F64", "BF16"],
  bfloat16: ["BF16", "F32", "F64", "F16"],
  int64: ["I64", "I32", "I16", "I8", "U8"],
  int32: ["I32", "I64", "I16", "I8", "U8"],
  int16: ["I16", "I32", "I64", "I8", "U8"],
  int8: ["I8", "I16", "I32", "I64"],
  uint8: ["U8", "I16", "I32", "I64"],
  bool: ["BOOL", "U8"],
};

/**
 * One row per dtype code of the format: its byte size, the deeptype dtype it is read into, and how
 * one element is read (little-endian) from a DataView. Validation and decoding are driven by this
 * table only, so supporting another code is one row here.
 * U8/I8/I16/I64 are read into uint8/int8/int16/int64 as they are; U16 widens to int32 exactly; U32 is read into int32 and U64
 * into int64 only when every value fits; F16/BF16 are read as their bits.
 * `into: null` means the code is known but cannot be read (8-bit floats), which is a clearer error than "unknown".
 * `native: true` marks rows whose bytes are exactly the target typed array's (a plain copy on little-endian hosts).
 */
export interface SafetensorsCode {
  size: number;
  into: TensorRecord["dtype"] | null;
  read?: (v: DataView, at: number) => number | bigint;
  native?: boolean;
}


export const READ_CODES: Readonly<Record<string, SafetensorsCode>> = Object.freeze(Object.assign(Object.create(null) as Record<string, SafetensorsCode>, {
  BOOL: { size: 1, into: "bool", read: (v, at) => (v.getUint8(at) !== 0 ? 1 : 0) },
  U8: { size: 1, into: "uint8", read: (v, at) => v.getUint8(at), native: true },
  I8: { size: 1, into: "int8", read: (v, at) => v.getInt8(at), native: true },
  U16: { size: 2, into: "int32", read: (v, at) => v.getUint16(at, true) },
  I16: { size: 2, into: "int16", read: (v, at) => v.getInt16(at, true), native: true },
  I32: { size: 4, into: "int32", read: (v, at) => v.getInt32(at, true), native: true },
  U32: { size: 4, into: "int32", read: (v, at) => v.getUint32(at, true) },
  I64: { size: 8, into: "int64", read: (v, at) => v.getBigInt64(at, true), native: true },
  U64: { size: 8, into: "int64", read: (v, at) => v.getBigUint64(at, true) },
  F16: { size: 2, into: "float16", read: (v, at) => v.getUint16(at, true), native: true },
  BF16: { size: 2, into: "bfloat16", read: (v, at) => v.getUint16(at, true), native: true },
  F32: { size: 4, into: "float32", read: (v, at) => v.getFloat32(at, true), native: true },
  F64: { size: 8, into: "float64", read: (v, at) => v.getFloat64(at, true), native: true },
  F8_E4M3: { size: 1, into: null },
  F8_E5M2: { size: 1, into: null },
} satisfies Record<string, SafetensorsCode>));

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Half-precision bits to a number (exact in float32): `halfToFloat(0x3c00) === 1`. */
export function halfToFloat(h: number): number {
  return decodeHalf(h, "float16");
}

/**
 * Reads `n` little-endian elements of file dtype `code` from `bytes` at `begin` into a fresh typed
 * array of the deeptype dtype `READ_CODES[code].into`; `bad` reports an integer that does not fit.
 * `littleEndian` is the host's byte order, a parameter so that tests run the element-by-element
 * path big-endian hosts take on the little-endian machines everything runs on.
 *
 * @example decode("F32", bytes, 0, 2, (m) => { throw new Error(m); }) // Float32Array [1, -2]
 */
export function decode(
  code: string,
  bytes: Uint8Array,
  begin: number,
  n: number,
  bad: (msg: string) => never,
  littleEndian = LITTLE_ENDIAN,
): TensorRecord["data"] {
  // Always copy: the result must not alias the file buffer and must be aligned for its element type.
  const row = READ_CODES[code];
  const into = row.into as TensorRecord["dtype"];
  const Out = {
    float32: Float32Array, float64: Float64Array, float16: Uint16Array, bfloat16: Uint16Array, int64: BigInt64Array, int32: Int32Array, int16: Int16Array, int8: Int8Array, uint8: Uint8Array, bool: Uint8Array,
  }[into];
  if (row.native && littleEndian) return new Out(bytes.slice(begin, begin + n * row.size).buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset + begin, n * row.size);
  const read = row.read!;
  if (into === "int64") {
    const big = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      const v = BigInt(read(view, i * row.size));
      if (v > 0x7fffffffffffffffn) bad(`element ${i} (${v}) of this ${code} tensor does not fit in int64, the widest integer dtype deeptype has`);
      big[i] = v;
    }
    return big;
  }
  const out = new Out(n) as Exclude<TensorRecord["data"], BigInt64Array>;
  for (let i = 0; i < n; i++) {
    const v = read(view, i * row.size);
    if (into === "int32" && (v < -2147483648 || v > 2147483647)) {
      bad(`element ${i} (${v}) of this ${code} tensor does not fit in int32, the widest integer dtype deeptype has`);
    }
    out[i] = Number(v);
  }
  return out;
}

/**
 * IEEE half-precision bits of `v`, rounded to nearest even (PyTorch's `.half()`).
 *
 * @example floatToHalfBits(1) === 0x3c00
 */
export function floatToHalfBits(v: number): number {
  return encodeHalf(v, "float16"); // through float32, as PyTorch converts a float64
}

/**
 * bfloat16 bits of `v`: the top half of its float32 bits, rounded to nearest even (PyTorch's `.bfloat16()`).
 *
 * @example floatToBFloat16Bits(1) === 0x3f80
 */
export function floatToBFloat16Bits(v: number): number {
  return encodeHalf(v, "bfloat16");
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
  const n = rec.data.length;
  const view = new DataView(out.buffer, out.byteOffset + offset, n * FILE_DTYPE_SIZE[code]);
  const range = INT_RANGE[code];
  if (range) {
    for (let i = 0; i < n; i++) {
      const v = rec.data[i]; // a bigint compares exactly with the number bounds
      if (v < range[0] || v > range[1]) {
        throw new Error(`${where}: element ${i} (${v}) does not fit in ${code} [${range[0]}, ${range[1]}]; write it as ${WIDER[code]}`);
      }
    }
  }
  if (rec.data instanceof BigInt64Array) {
    // int64 is only ever written as an integer type (ALLOWED), and the range was checked above.
    const big = rec.data;
    if (code === "I64") for (let i = 0; i < n; i++) view.setBigInt64(i * 8, big[i], true);
    else encodeInto({ ...rec, dtype: "float64", data: Float64Array.from(big, Number) }, code, out, offset, where);
    return;
  }
  // 16-bit float records hold bit patterns: written as another file dtype, their values are converted.
  const data = isHalf(rec.dtype) ? halfToFloat32(rec.data as Uint16Array, rec.dtype) : rec.data;
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
