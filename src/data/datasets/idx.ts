/**
 * The IDX format of the original MNIST / Fashion-MNIST / KMNIST files: a 4-byte magic (0, 0, type
 * code, number of dims), the dims as big-endian int32, then the values, big-endian. Files ending
 * in .gz are gunzipped (Node.js, via node:zlib).
 */
import { checkKeys } from "../../tensor/check.js";
import { Tensor, type DType, type TypedArray } from "../../core.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const READ_IDX_KEYS = ["maxBytes"] as const;
const LOAD_IDX_IMAGES_KEYS = ["maxBytes"] as const;
const LOAD_IDX_FILE_KEYS = ["maxBytes"] as const;

// Each IDX type reads into the dtype torchvision's read_sn3_pascalvincent_tensor gives it
// (uint8, int8, int16, int32, float32, float64): values as stored, nothing widened.
const TYPES: Record<number, { name: string; bytes: number; dtype: DType; read: (v: DataView, at: number) => number }> = {
  0x08: { name: "ubyte", bytes: 1, dtype: "uint8", read: (v, at) => v.getUint8(at) },
  0x09: { name: "byte", bytes: 1, dtype: "int8", read: (v, at) => v.getInt8(at) },
  0x0b: { name: "short", bytes: 2, dtype: "int16", read: (v, at) => v.getInt16(at, false) },
  0x0c: { name: "int", bytes: 4, dtype: "int32", read: (v, at) => v.getInt32(at, false) },
  0x0d: { name: "float", bytes: 4, dtype: "float32", read: (v, at) => v.getFloat32(at, false) },
  0x0e: { name: "double", bytes: 8, dtype: "float64", read: (v, at) => v.getFloat64(at, false) },
};

const ARRAYS = {
  uint8: (n: number) => new Uint8Array(n),
  int8: (n: number) => new Int8Array(n),
  int16: (n: number) => new Int16Array(n),
  int32: (n: number) => new Int32Array(n),
  float32: (n: number) => new Float32Array(n),
  float64: (n: number) => new Float64Array(n),
} satisfies Partial<Record<DType, (n: number) => TypedArray>>;

function hex(b: number | undefined): string {
  return b === undefined ? "(none)" : `0x${b.toString(16).padStart(2, "0")}`;
}

/** Default `maxBytes` of the IDX readers: 2 GiB of (decompressed) data, above EMNIST's largest file. */
export const DEFAULT_MAX_IDX_BYTES = 2 * 1024 ** 3;

export interface IdxReadOptions {
  /** Largest file, and largest decompressed size of a .gz, accepted (default 2 GiB). */
  maxBytes?: number;
}

function gunzip(bytes: Uint8Array, source: string, maxBytes: number): Uint8Array {
  const zlib = typeof process !== "undefined" ? process.getBuiltinModule?.("node:zlib") : undefined;
  if (!zlib) throw new Error(`readIdx: ${source} is gzip-compressed; decompress it first (gunzip needs Node.js >= 20.16 here)`);
  try {
    // Streamed with a cap: inflation stops as soon as the output passes maxBytes, so a small
    // hostile .gz cannot expand to gigabytes first.
    const out = zlib.gunzipSync(bytes, { maxOutputLength: maxBytes });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new Error(`readIdx: ${source} decompresses to more than maxBytes (${maxBytes} bytes); pass a larger { maxBytes } to read it`);
    }
    throw new Error(`readIdx: ${source} is a corrupt or truncated gzip file (${(e as Error).message})`);
  }
}

/**
 * Parses IDX bytes into a tensor of the file's own type, as torchvision reads it: unsigned bytes ->
 * uint8, signed bytes -> int8, shorts -> int16, ints -> int32, float -> float32, double -> float64.
 * Gzipped bytes are detected and decompressed. `source` names the data in errors. (MNIST's label
 * file is ubyte, so this gives uint8 labels; `loadIdxImages` returns them as int64, as torchvision's
 * MNIST does, or call `.long()`.)
 *
 * ```ts
 * const labels = readIdx(readFileSync("t10k-labels-idx1-ubyte"), "t10k-labels-idx1-ubyte");  // [10000] uint8
 * ```
 */
export function readIdx(input: Uint8Array | ArrayBuffer, source = "IDX data", opts: IdxReadOptions = {}): Tensor {
  checkKeys("readIdx", opts, READ_IDX_KEYS);
  if (!(input instanceof Uint8Array) && !(input instanceof ArrayBuffer)) {
    const got = input === null ? "null" : typeof input === "object" ? ((input as object).constructor?.name ?? "an object") : typeof input;
    throw new Error(`readIdx: ${source}: expected the file's bytes as a Uint8Array or ArrayBuffer, got ${got}`);
  }
  if (typeof source !== "string") throw new Error(`readIdx: source must be a string naming the data, got ${typeof source}`);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_IDX_BYTES;
  if (typeof maxBytes !== "number" || !(maxBytes > 0)) throw new Error(`readIdx: maxBytes must be a positive number, got ${String(maxBytes)}`);
  let bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length > maxBytes) throw new Error(`readIdx: ${source} is ${bytes.length} bytes, more than maxBytes (${maxBytes}); pass a larger { maxBytes } to read it`);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzip(bytes, source, maxBytes);
  if (bytes.length < 4) throw new Error(`readIdx: ${source} is truncated: ${bytes.length} bytes, shorter than the 4-byte IDX header`);
  const type = TYPES[bytes[2]];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !type) {
    throw new Error(`readIdx: ${source} is not an IDX file: it starts with ${hex(bytes[0])} ${hex(bytes[1])} ${hex(bytes[2])}, expected 0x00 0x00 and a type code (0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int, 0x0d float, 0x0e double)`);
  }
  const ndim = bytes[3];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) throw new Error(`readIdx: ${source} is truncated: its header declares ${ndim} dims (${headerBytes} header bytes) but the file has ${bytes.length} bytes`);
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const count = shape.reduce((a, b) => a * b, 1);
  // The header's own claim, before any allocation (the data check below catches a short file too).
  if (headerBytes + count * type.bytes > maxBytes) {
    throw new Error(`readIdx: ${source} declares shape [${shape.join(",")}] of ${type.name} (${count * type.bytes} bytes), more than maxBytes (${maxBytes}); pass a larger { maxBytes } to read it`);
  }
  const expected = headerBytes + count * type.bytes;
  if (bytes.length < expected) {
    throw new Error(`readIdx: ${source} is truncated: shape [${shape.join(",")}] of ${type.name} needs ${count * type.bytes} data bytes but only ${bytes.length - headerBytes} follow the header`);
  }
  if (bytes.length > expected) {
    throw new Error(`readIdx: ${source} has ${bytes.length - expected} unexpected bytes after the data of shape [${shape.join(",")}] ${type.name}; the file is corrupt or not what its header says`);
  }
  const out = ARRAYS[type.dtype as keyof typeof ARRAYS](count);
  if (type.name === "ubyte") out.set(bytes.subarray(headerBytes, expected));
  else for (let i = 0; i < count; i++) out[i] = type.read(view, headerBytes + i * type.bytes);
  return Tensor.fromArray(out, shape, type.dtype);
}

/**
 * Reads an IDX file (Node.js), gzipped or not; errors name the file.
 *
 * ```ts
 * const images = await loadIdxFile("data/train-images-idx3-ubyte.gz");  // [60000,28,28] uint8 0..255
 * ```
 */
export async function loadIdxFile(path: string, opts: IdxReadOptions = {}): Promise<Tensor> {
  checkKeys("loadIdxFile", opts, LOAD_IDX_FILE_KEYS);
  if (typeof path !== "string") throw new Error(`loadIdxFile: expected a file path string, got ${path === null ? "null" : typeof path}`);
  const fs = typeof process !== "undefined" ? process.getBuiltinModule?.("node:fs") : undefined;
  if (!fs) throw new Error(`loadIdxFile: reading ${path} needs the file system of Node.js >= 20.16; elsewhere fetch the bytes and call readIdx`);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_IDX_BYTES;
  let bytes: Uint8Array;
  try {
    const { size } = await fs.promises.stat(path);
    if (size > maxBytes) throw Object.assign(new Error(`loadIdxFile: ${path} is ${size} bytes, more than maxBytes (${maxBytes}); pass a larger { maxBytes } to read it`), { limit: true });
    bytes = await fs.promises.readFile(path);
  } catch (e) {
    if ((e as { limit?: boolean }).limit) throw e;
    throw new Error(`loadIdxFile: cannot read ${path}: ${(e as Error).message}`);
  }
  return readIdx(bytes, path, opts);
}

/**
 * An MNIST-style pair of IDX files as `{ images: [N,1,H,W] float32 in [0,1], labels: [N] int64 }`
 * (MNIST, Fashion-MNIST, KMNIST), checking that the counts agree. The labels are int64 as in
 * torchvision's MNIST (`read_label_file` returns `.long()`), ready for `crossEntropy`.
 *
 * ```ts
 * const test = await loadIdxImages("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
 * ```
 */
export async function loadIdxImages(imagesPath: string, labelsPath: string, opts: IdxReadOptions = {}): Promise<{ images: Tensor; labels: Tensor }> {
  checkKeys("loadIdxImages", opts, LOAD_IDX_IMAGES_KEYS);
  const [imgs, labels] = await Promise.all([loadIdxFile(imagesPath, opts), loadIdxFile(labelsPath, opts)]);
  if (imgs.ndim !== 3) throw new Error(`loadIdxImages: ${imagesPath} has shape [${imgs.shape.join(",")}], expected [N, H, W] images`);
  if (labels.ndim !== 1) throw new Error(`loadIdxImages: ${labelsPath} has shape [${labels.shape.join(",")}], expected [N] labels`);
  if (labels.dtype === "float32" || labels.dtype === "float64") throw new Error(`loadIdxImages: ${labelsPath} holds ${labels.dtype} values, expected integer class labels (ubyte, byte, short or int)`);
  if (imgs.shape[0] !== labels.shape[0]) throw new Error(`loadIdxImages: ${imagesPath} has ${imgs.shape[0]} images but ${labelsPath} has ${labels.shape[0]} labels`);
  const src = imgs.data();
  const px = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) px[i] = src[i] / 255;
  const [n, h, w] = imgs.shape;
  return { images: Tensor.fromArray(px, [n, 1, h, w], "float32"), labels: labels.long() };
}
