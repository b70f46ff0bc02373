/**
 * The IDX format of the original MNIST / Fashion-MNIST / KMNIST files: a 4-byte magic (0, 0, type
 * code, number of dims), the dims as big-endian int32, then the values, big-endian. Files ending
 * in .gz are gunzipped (Node.js, via node:zlib).
 */
import { Tensor, type DType, type TypedArray } from "../../core.js";

const TYPES: Record<number, { name: string; bytes: number; dtype: DType; read: (v: DataView, at: number) => number }> = {
  0x08: { name: "ubyte", bytes: 1, dtype: "int32", read: (v, at) => v.getUint8(at) },
  0x09: { name: "byte", bytes: 1, dtype: "int32", read: (v, at) => v.getInt8(at) },
  0x0b: { name: "short", bytes: 2, dtype: "int32", read: (v, at) => v.getInt16(at, false) },
  0x0c: { name: "int", bytes: 4, dtype: "int32", read: (v, at) => v.getInt32(at, false) },
  0x0d: { name: "float", bytes: 4, dtype: "float32", read: (v, at) => v.getFloat32(at, false) },
  0x0e: { name: "double", bytes: 8, dtype: "float64", read: (v, at) => v.getFloat64(at, false) },
};

function hex(b: number | undefined): string {
  return b === undefined ? "(none)" : `0x${b.toString(16).padStart(2, "0")}`;
}

function gunzip(bytes: Uint8Array, source: string): Uint8Array {
  const zlib = typeof process !== "undefined" ? process.getBuiltinModule?.("node:zlib") : undefined;
  if (!zlib) throw new Error(`readIdx: ${source} is gzip-compressed; decompress it first (gunzip needs Node.js >= 20.16 here)`);
  try {
    return new Uint8Array(zlib.gunzipSync(bytes));
  } catch (e) {
    throw new Error(`readIdx: ${source} is a corrupt or truncated gzip file (${(e as Error).message})`);
  }
}

/**
 * Parses IDX bytes into a tensor: unsigned/signed bytes, shorts and ints -> int32, float -> float32,
 * double -> float64. Gzipped bytes are detected and decompressed. `source` names the data in errors.
 *
 * ```ts
 * const labels = readIdx(readFileSync("t10k-labels-idx1-ubyte"), "t10k-labels-idx1-ubyte");  // [10000] int32
 * ```
 */
export function readIdx(input: Uint8Array | ArrayBuffer, source = "IDX data"): Tensor {
  let bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzip(bytes, source);
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
  const expected = headerBytes + count * type.bytes;
  if (bytes.length < expected) {
    throw new Error(`readIdx: ${source} is truncated: shape [${shape.join(",")}] of ${type.name} needs ${count * type.bytes} data bytes but only ${bytes.length - headerBytes} follow the header`);
  }
  if (bytes.length > expected) {
    throw new Error(`readIdx: ${source} has ${bytes.length - expected} unexpected bytes after the data of shape [${shape.join(",")}] ${type.name}; the file is corrupt or not what its header says`);
  }
  const out: TypedArray = type.dtype === "int32" ? new Int32Array(count) : type.dtype === "float32" ? new Float32Array(count) : new Float64Array(count);
  if (type.bytes === 1 && type.name === "ubyte") out.set(bytes.subarray(headerBytes, expected));
  else for (let i = 0; i < count; i++) out[i] = type.read(view, headerBytes + i * type.bytes);
  return Tensor.fromArray(out, shape, type.dtype);
}

/**
 * Reads an IDX file (Node.js), gzipped or not; errors name the file.
 *
 * ```ts
 * const images = await loadIdxFile("data/train-images-idx3-ubyte.gz");  // [60000,28,28] int32 0..255
 * ```
 */
export async function loadIdxFile(path: string): Promise<Tensor> {
  const fs = typeof process !== "undefined" ? process.getBuiltinModule?.("node:fs") : undefined;
  if (!fs) throw new Error(`loadIdxFile: reading ${path} needs the file system of Node.js >= 20.16; elsewhere fetch the bytes and call readIdx`);
  let bytes: Uint8Array;
  try {
    bytes = await fs.promises.readFile(path);
  } catch (e) {
    throw new Error(`loadIdxFile: cannot read ${path}: ${(e as Error).message}`);
  }
  return readIdx(bytes, path);
}

/**
 * An MNIST-style pair of IDX files as `{ images: [N,1,H,W] float32 in [0,1], labels: [N] int32 }`
 * (MNIST, Fashion-MNIST, KMNIST), checking that the counts agree.
 *
 * ```ts
 * const test = await loadIdxImages("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
 * ```
 */
export async function loadIdxImages(imagesPath: string, labelsPath: string): Promise<{ images: Tensor; labels: Tensor }> {
  const [imgs, labels] = await Promise.all([loadIdxFile(imagesPath), loadIdxFile(labelsPath)]);
  if (imgs.ndim !== 3) throw new Error(`loadIdxImages: ${imagesPath} has shape [${imgs.shape.join(",")}], expected [N, H, W] images`);
  if (labels.ndim !== 1) throw new Error(`loadIdxImages: ${labelsPath} has shape [${labels.shape.join(",")}], expected [N] labels`);
  if (imgs.shape[0] !== labels.shape[0]) throw new Error(`loadIdxImages: ${imagesPath} has ${imgs.shape[0]} images but ${labelsPath} has ${labels.shape[0]} labels`);
  const src = imgs.data();
  const px = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) px[i] = src[i] / 255;
  const [n, h, w] = imgs.shape;
  return { images: Tensor.fromArray(px, [n, 1, h, w], "float32"), labels };
}
