/**
 * Builders for hand-made hostile files (PNG chunks with valid CRCs, JPEG segments), shared by the
 * tests and the fuzz harness, so a test can say exactly which rule a file breaks.
 */
import zlib from "node:zlib";
import { crc32 } from "../src/utils/png.js";

/** One PNG chunk: length, type, data and a correct CRC (pass `crc` to forge a wrong one). */
export function pngChunk(type: string, data: Uint8Array | number[] = [], crc?: number): Uint8Array {
  const body = new Uint8Array(4 + data.length);
  for (let i = 0; i < 4; i++) body[i] = type.charCodeAt(i);
  body.set(data, 4);
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  out.set(body, 4);
  v.setUint32(8 + data.length, crc ?? crc32(body));
  return out;
}

/** IHDR data: width, height, bit depth, colour type, interlace. */
export function ihdr(width: number, height: number, depth = 8, colorType = 0, interlace = 0): Uint8Array {
  const d = new Uint8Array(13);
  const v = new DataView(d.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  d.set([depth, colorType, 0, 0, interlace], 8);
  return d;
}

/** The PNG signature followed by the chunks. */
export function pngFile(...chunks: Uint8Array[]): Uint8Array {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const out = new Uint8Array(8 + chunks.reduce((a, c) => a + c.length, 0));
  out.set(sig, 0);
  let p = 8;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

/** A valid 8-bit greyscale PNG of the given rows (filter byte 0 on each). */
export function greyPng(width: number, height: number, pixel: (x: number, y: number) => number = (x, y) => (x * 37 + y * 11) & 255): Uint8Array {
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = pixel(x, y);
  return pngFile(pngChunk("IHDR", ihdr(width, height)), pngChunk("IDAT", zlib.deflateSync(raw)), pngChunk("IEND"));
}

/** A PNG whose tiny header claims `width x height` while its data inflates to `inflated` zero bytes (a bomb). */
export function bombPng(width: number, height: number, inflated: number): Uint8Array {
  return pngFile(pngChunk("IHDR", ihdr(width, height)), pngChunk("IDAT", zlib.deflateSync(new Uint8Array(inflated), { level: 9 })), pngChunk("IEND"));
}

/** A JPEG start with a frame header (SOF0) claiming `width x height`, then SOS and EOI. */
export function jpegWithSize(width: number, height: number, sof = 0xc0): Uint8Array {
  return Uint8Array.from([
    0xff, 0xd8,
    0xff, sof, 0x00, 0x0b, 8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0,
    0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 63, 0, 0x00,
    0xff, 0xd9,
  ]);
}
