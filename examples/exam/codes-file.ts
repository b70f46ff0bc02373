/**
 * The codes file of exam 5.1's compression service: latent codes quantised to 8 bits. Layout: a
 * 4-byte little-endian header length, a JSON header {shape, min, scale}, then one byte per number,
 * value ≈ min + byte·scale. (safetensors has no uint8 dtype in deeptype's codec, and a code file
 * should cost one byte per number, so this is its own small format.)
 */
import { Tensor, noGrad } from "../../src/index.js";

/** Quantises `codes` to bytes over [min, max] and returns the file's bytes. */
export function writeCodes(codes: Tensor): Uint8Array {
  const d = codes.contiguous().data();
  let lo = Infinity, hi = -Infinity;
  for (const v of d) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const scale = hi > lo ? (hi - lo) / 255 : 1;
  const header = new TextEncoder().encode(JSON.stringify({ shape: codes.shape, min: lo, scale }));
  const out = new Uint8Array(4 + header.length + d.length);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  for (let i = 0; i < d.length; i++) out[4 + header.length + i] = Math.round((d[i] - lo) / scale);
  return out;
}

/** Reads a codes file back into a float tensor (dequantised). */
export function readCodes(bytes: Uint8Array): { codes: Tensor; headerBytes: number } {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n))) as { shape: number[]; min: number; scale: number };
  const body = bytes.subarray(4 + n);
  const count = h.shape.reduce((a, b) => a * b, 1);
  if (body.length !== count) throw new Error(`readCodes: header says ${count} codes of shape [${h.shape.join(",")}], file has ${body.length} bytes`);
  return { codes: noGrad(() => Tensor.fromArray(Float32Array.from(body, (b) => h.min + b * h.scale), h.shape, "float32")), headerBytes: 4 + n };
}
