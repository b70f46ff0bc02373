/**
 * The safetensors format (Hugging Face), over plain records of typed arrays, so that weights move
 * between deeptype and PyTorch without pickle and without running any code from the file.
 *
 * Layout: an 8-byte little-endian u64 `N`, then `N` bytes of UTF-8 JSON header, then the data buffer.
 * The header maps each tensor name to `{dtype, shape, data_offsets: [begin, end]}` (offsets relative to
 * the start of the data buffer) and may hold `"__metadata__": {string: string}`. Tensors are stored
 * row-major, little-endian, back to back without gaps. Our writer pads the header with spaces so the
 * data buffer starts 8-byte aligned, as the reference writer does.
 *
 * The parser treats the file as hostile: every number in the header is checked before it is used,
 * and each failure is an `Error` naming the file and the problem.
 *
 * This module is pure (no Node imports) so it runs in browsers too; see `files.ts` for disk I/O.
 */
import { checkKeys } from "../tensor/check.js";
import { parseJsonStrict } from "./json-scan.js";
import { decode, encodedByteLength, encodeInto, READ_CODES, type FileDType } from "./dtypes.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const PARSE_SAFETENSORS_KEYS = ["maxBytes", "maxHeaderBytes"] as const;
const SERIALIZE_SAFETENSORS_KEYS = ["floatDtype", "dtypes"] as const;

/** The dtypes deeptype stores; they map to safetensors' F32, F64, F16, BF16, I64, I32, I16, I8, U8 and BOOL. */
export type SafetensorsDType = "float32" | "float64" | "float16" | "bfloat16" | "int64" | "int32" | "int16" | "int8" | "uint8" | "bool";

/**
 * A record's elements; float16/bfloat16 records hold their 16-bit patterns in a Uint16Array, and int64
 * a BigInt64Array, so I64 files round-trip exactly (beyond 2^53 too).
 */
export type SafetensorsArray = Float32Array | Float64Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array;

/** One tensor as plain data: row-major values, `data.length` equals the product of `shape`. */
export interface TensorRecord {
  dtype: SafetensorsDType;
  shape: number[];
  data: SafetensorsArray;
}

/** A parsed tensor; `fileDtype` is the dtype string as written in the file (e.g. "I64" read as int32). */
export interface LoadedTensorRecord extends TensorRecord {
  fileDtype: string;
}

export interface ParsedSafetensors {
  tensors: Record<string, LoadedTensorRecord>;
  metadata: Record<string, string>;
}

/** Largest header accepted, as in the reference implementation: real headers are a few MB at most. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

const WRITE_CODE: Record<SafetensorsDType, string> = { float32: "F32", float64: "F64", float16: "F16", bfloat16: "BF16", int64: "I64", int32: "I32", int16: "I16", int8: "I8", uint8: "U8", bool: "BOOL" };
const ITEM_SIZE: Record<SafetensorsDType, number> = { float32: 4, float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1 };
// float16/bfloat16 records hold their 16-bit patterns (Tensor.bits()).
const ARRAY_NAME: Record<SafetensorsDType, string> = {
  float32: "Float32Array", float64: "Float64Array", float16: "Uint16Array", bfloat16: "Uint16Array", int64: "BigInt64Array", int32: "Int32Array", int16: "Int16Array", int8: "Int8Array", uint8: "Uint8Array", bool: "Uint8Array",
};

export { READ_CODES, type SafetensorsCode } from "./dtypes.js";

/** Limits on what a reader accepts from an untrusted file. */
export interface SafetensorsReadOptions {
  /** Largest file, and largest total of decoded tensor bytes, accepted (default 4 GiB). */
  maxBytes?: number;
  /** Largest JSON header accepted (default 100 MiB, the reference implementation's limit). */
  maxHeaderBytes?: number;
}

/** Default `maxBytes` of the safetensors readers: 4 GiB. */
export const DEFAULT_MAX_BYTES = 4 * 1024 ** 3;

/** A valid header is 3 levels deep (header, entry, shape); anything much deeper is hostile. */
const MAX_JSON_DEPTH = 16;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function fail(source: string | undefined, msg: string): never {
  throw new Error(`safetensors: ${source ?? "<bytes>"}: ${msg}`);
}

function numelOf(shape: readonly number[], bad: (msg: string) => never): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) {
      bad(`shape ${JSON.stringify(shape)}: dimension ${i} is ${JSON.stringify(d)}, expected a non-negative integer`);
    }
    n *= d;
    if (!Number.isSafeInteger(n)) bad(`shape ${JSON.stringify(shape)}: element count overflows`);
  }
  return n;
}

function checkArrayType(name: string, rec: TensorRecord): void {
  const ok = Object.hasOwn(ARRAY_NAME, rec.dtype) && (rec.data as object)?.constructor?.name === ARRAY_NAME[rec.dtype];
  if (!ok) {
    throw new Error(
      `serializeSafetensors: tensor "${name}": dtype ${rec.dtype} needs a ${
        Object.hasOwn(ARRAY_NAME, rec.dtype) ? ARRAY_NAME[rec.dtype] : "known dtype"
      }, got ${(rec.data as object)?.constructor?.name ?? typeof rec.data}`,
    );
  }
}

/**
 * Copies a typed array's elements into `out` at `offset` as little-endian bytes. `littleEndian` is
 * the host's byte order; it is a parameter so that tests run the big-endian path on the
 * little-endian machines everything runs on (internal: not exported from `io`).
 *
 * @example writeLE(out, 8, { dtype: "int32", shape: [1], data: new Int32Array([7]) }); // out[8..12] = 07 00 00 00
 */
export function writeLE(out: Uint8Array, offset: number, rec: TensorRecord, littleEndian = LITTLE_ENDIAN): void {
  const { data, dtype } = rec;
  if (dtype === "bool") {
    for (let i = 0; i < data.length; i++) out[offset + i] = data[i] !== 0 ? 1 : 0;
    return;
  }
  if (littleEndian) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + offset, data.byteLength);
  if (data instanceof BigInt64Array) {
    for (let i = 0; i < data.length; i++) view.setBigInt64(i * 8, data[i], true);
    return;
  }
  for (let i = 0; i < data.length; i++) {
    if (dtype === "float32") view.setFloat32(i * 4, data[i], true);
    else if (dtype === "float64") view.setFloat64(i * 8, data[i], true);
    else if (dtype === "int16") view.setInt16(i * 2, data[i], true);
    else if (dtype === "float16" || dtype === "bfloat16") view.setUint16(i * 2, data[i], true);
    else if (dtype === "int8") view.setInt8(i, data[i]);
    else if (dtype === "uint8") view.setUint8(i, data[i]);
    else view.setInt32(i * 4, data[i], true);
  }
}

/** Options of `serializeSafetensors`. */
export interface SerializeOptions {
  /**
   * The file dtype to write float tensors as (`"F16"`, `"BF16"`, `"F64"`, `"F32"`); integer and bool
   * tensors keep theirs. Conversion rules: `io/dtypes.ts`.
   */
  floatDtype?: FileDType;
  /** Per-tensor file dtypes (`{ "bn.num_batches_tracked": "I64" }`), overriding `floatDtype`. */
  dtypes?: Record<string, FileDType>;
}

function fileDtypeFor(name: string, rec: TensorRecord, opts: SerializeOptions): string {
  const own = opts.dtypes && Object.hasOwn(opts.dtypes, name) ? opts.dtypes[name] : undefined;
  if (own !== undefined) return own;
  if (opts.floatDtype !== undefined && (rec.dtype === "float32" || rec.dtype === "float64" || rec.dtype === "float16" || rec.dtype === "bfloat16")) return opts.floatDtype;
  return WRITE_CODE[rec.dtype];
}

/**
 * Encodes tensors (in insertion order, back to back) and optional string metadata as safetensors bytes.
 *
 * `opts` asks for other file dtypes (half precision, 64-bit integers, ...), as PyTorch would write them.
 *
 * @example const bytes = serializeSafetensors({ w: { dtype: "float32", shape: [2], data: new Float32Array([1, 2]) } }, { format: "pt" }, { floatDtype: "BF16" });
 */
export function serializeSafetensors(
  tensors: Record<string, TensorRecord>,
  metadata?: Record<string, string>,
  opts: SerializeOptions = {},
): Uint8Array {
  checkKeys("serializeSafetensors", opts, SERIALIZE_SAFETENSORS_KEYS);
  // Null prototype: a tensor named "__proto__" must be written as an entry, not replace the prototype.
  const header = Object.create(null) as Record<string, unknown>;
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw new Error(`serializeSafetensors: metadata "${k}" must be a string, got ${typeof v}`);
    }
    if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  }
  let offset = 0;
  const names = Object.keys(tensors);
  const codes: string[] = [];
  const sizes: number[] = [];
  for (const name of names) {
    if (name === "__metadata__") throw new Error(`serializeSafetensors: "__metadata__" is reserved and cannot name a tensor`);
    const rec = tensors[name];
    if (!(rec.dtype in WRITE_CODE)) {
      throw new Error(`serializeSafetensors: tensor "${name}": unknown dtype ${JSON.stringify(rec.dtype)}, expected one of ${Object.keys(WRITE_CODE).join(", ")}`);
    }
    checkArrayType(name, rec);
    const n = numelOf(rec.shape, (m) => {
      throw new Error(`serializeSafetensors: tensor "${name}": ${m}`);
    });
    if (n !== rec.data.length) {
      throw new Error(`serializeSafetensors: tensor "${name}": shape [${rec.shape.join(",")}] has ${n} elements but data has ${rec.data.length}`);
    }
    const code = fileDtypeFor(name, rec, opts);
    const size = code === WRITE_CODE[rec.dtype] ? n * ITEM_SIZE[rec.dtype] : encodedByteLength(rec, code as FileDType, `serializeSafetensors: tensor "${name}"`);
    header[name] = { dtype: code, shape: [...rec.shape], data_offsets: [offset, offset + size] };
    codes.push(code);
    sizes.push(size);
    offset += size;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let pos = 8 + padded;
  names.forEach((name, i) => {
    const rec = tensors[name];
    if (codes[i] === WRITE_CODE[rec.dtype]) writeLE(out, pos, rec);
    else encodeInto(rec, codes[i] as FileDType, out, pos, `serializeSafetensors: tensor "${name}"`);
    pos += sizes[i];
  });
  return out;
}

/**
 * Decodes safetensors bytes into tensor records and metadata, validating the whole header before any
 * tensor is decoded. `source` (e.g. the file path) names the file in error messages; `opts` bounds
 * what an untrusted file may make the reader allocate. The returned `tensors` and `metadata` are
 * null-prototype objects, so a tensor named `__proto__` is an ordinary entry.
 *
 * @example const { tensors, metadata } = parseSafetensors(bytes, "model.safetensors"); tensors["fc.weight"].shape;
 */
export function parseSafetensors(bytes: Uint8Array, source?: string, opts: SafetensorsReadOptions = {}): ParsedSafetensors {
  checkKeys("parseSafetensors", opts, PARSE_SAFETENSORS_KEYS);
  if (!(bytes instanceof Uint8Array)) {
    fail(source, `parseSafetensors takes a Uint8Array, got ${bytes === null ? "null" : typeof bytes === "object" ? (bytes as object).constructor?.name ?? "object" : typeof bytes}`);
  }
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxHeader = opts.maxHeaderBytes ?? MAX_HEADER_BYTES;
  if (bytes.length > maxBytes) fail(source, `file is ${bytes.length} bytes, more than maxBytes (${maxBytes}); pass a larger { maxBytes } to read it`);
  if (bytes.length < 8) fail(source, `file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const n64 = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n64 > BigInt(maxHeader)) {
    fail(source, `header length ${n64} exceeds the limit of ${maxHeader} bytes (not a safetensors file, or corrupt; { maxHeaderBytes } raises it)`);
  }
  const headerLen = Number(n64);
  if (8 + headerLen > bytes.length) {
    fail(source, `header length ${headerLen} goes beyond the end of the file (${bytes.length} bytes)`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLen));
  } catch {
    fail(source, "header is not valid UTF-8");
  }
  if (!text.startsWith("{")) fail(source, `header must be a JSON object starting with "{", got ${JSON.stringify(text.slice(0, 20))}`);
  const header = parseJsonStrict(text, MAX_JSON_DEPTH, (m) => fail(source, `header ${m}`));
  if (header === null || typeof header !== "object" || Array.isArray(header)) fail(source, "header JSON is not an object");

  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const metadata = Object.create(null) as Record<string, string>;
  const entries: { name: string; code: string; shape: number[]; begin: number; end: number; n: number }[] = [];
  let decodedBytes = 0;

  for (const name of Object.keys(header)) {
    const value = (header as Record<string, unknown>)[name];
    if (name === "__metadata__") {
      if (value === null || typeof value !== "object" || Array.isArray(value)) fail(source, "__metadata__ must be an object of strings");
      for (const k of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[k];
        if (typeof v !== "string") fail(source, `__metadata__["${k}"] must be a string, got ${JSON.stringify(v)}`);
        metadata[k] = v;
      }
      continue;
    }
    const bad = (msg: string): never => fail(source, `tensor "${name}": ${msg}`);
    if (value === null || typeof value !== "object" || Array.isArray(value)) bad("entry is not an object");
    const e = value as Record<string, unknown>;
    const code = e.dtype;
    if (typeof code !== "string") bad(`dtype is missing or not a string`);
    if (!Object.hasOwn(READ_CODES, code as string)) {
      bad(`unknown dtype ${JSON.stringify(code)}, expected one of ${Object.keys(READ_CODES).join(", ")}`);
    }
    const known = READ_CODES[code as string];
    if (known.into === null) bad(`dtype ${code} (8-bit float) is not supported`);
    if (!Array.isArray(e.shape)) bad(`shape is missing or not an array`);
    const shape = e.shape as number[];
    const n = numelOf(shape, bad);
    const offs = e.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2) bad(`data_offsets must be [begin, end], got ${JSON.stringify(offs)}`);
    const [begin, end] = offs as unknown[];
    for (const o of [begin, end]) {
      if (typeof o !== "number" || !Number.isSafeInteger(o) || o < 0) {
        bad(`data_offsets ${JSON.stringify(offs)} must be non-negative integers`);
      }
    }
    const b = begin as number;
    const en = end as number;
    if (en < b) bad(`data_offsets [${b}, ${en}] end before they begin`);
    if (en > dataLen) bad(`data_offsets [${b}, ${en}] go beyond the data buffer (${dataLen} bytes)`);
    const want = n * known.size;
    if (en - b !== want) {
      bad(`shape [${shape.join(",")}] with dtype ${code} needs ${n} × ${known.size} = ${want} bytes, but data_offsets [${b}, ${en}] span ${en - b}`);
    }
    decodedBytes += n * ITEM_SIZE[known.into!];
    if (decodedBytes > maxBytes) bad(`decoding needs ${decodedBytes} bytes so far, more than maxBytes (${maxBytes}); pass a larger { maxBytes } to read it`);
    entries.push({ name, code: code as string, shape: [...shape], begin: b, end: en, n });
  }

  // Ranges, in offset order, must tile the buffer exactly: no overlap, no gap, nothing trailing.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev: string | undefined;
  for (const e of sorted) {
    if (e.begin < pos) {
      fail(source, `tensor "${e.name}" [${e.begin}, ${e.end}] overlaps tensor "${prev}" which ends at ${pos}`);
    }
    if (e.begin > pos) {
      fail(source, `gap of ${e.begin - pos} bytes before tensor "${e.name}" (data_offsets [${e.begin}, ${e.end}], previous data ends at ${pos})`);
    }
    pos = e.end;
    prev = e.name;
  }
  if (pos !== dataLen) {
    fail(source, `data buffer is ${dataLen} bytes but the tensors cover ${pos} (truncated or trailing bytes)`);
  }

  const tensors = Object.create(null) as Record<string, LoadedTensorRecord>;
  for (const e of entries) {
    const into = READ_CODES[e.code].into as SafetensorsDType;
    const bad = (msg: string): never => fail(source, `tensor "${e.name}": ${msg}`);
    const data = decode(e.code, bytes, dataStart + e.begin, e.n, bad);
    tensors[e.name] = { dtype: into, shape: e.shape, data, fileDtype: e.code };
  }
  return { tensors, metadata };
}
