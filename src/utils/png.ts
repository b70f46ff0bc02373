/**
 * A minimal grayscale PNG encoder with no dependencies, so reports can embed images as data URLs in
 * browsers as well as in Node. Without a compressor the zlib stream uses stored (uncompressed) blocks,
 * which is valid PNG and small enough for digit-sized images; in Node pass `zlib.deflateSync` to compress.
 */

let CRC_TABLE: Uint32Array | undefined;

/** CRC-32 (ISO 3309, as PNG chunks use it). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i++) {
    a = (a + bytes[i]) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** A zlib stream of stored deflate blocks (RFC 1950/1951): valid everywhere, no compression. */
export function zlibStored(raw: Uint8Array): Uint8Array {
  const nBlocks = Math.max(1, Math.ceil(raw.length / 65535));
  const out = new Uint8Array(2 + nBlocks * 5 + raw.length + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let p = 2;
  for (let b = 0; b < nBlocks; b++) {
    const start = b * 65535;
    const len = Math.min(65535, raw.length - start);
    out[p++] = b === nBlocks - 1 ? 1 : 0;
    out[p++] = len & 0xff;
    out[p++] = len >>> 8;
    out[p++] = ~len & 0xff;
    out[p++] = (~len >>> 8) & 0xff;
    out.set(raw.subarray(start, start + len), p);
    p += len;
  }
  new DataView(out.buffer).setUint32(p, adler32(raw));
  return out;
}

export interface PngOptions {
  /** A zlib compressor, e.g. `zlib.deflateSync` in Node; default: stored blocks. */
  deflate?: (raw: Uint8Array) => Uint8Array;
}

/**
 * Encodes 8-bit grayscale pixels (row-major, `width*height` values 0..255) as a PNG file.
 *
 * @example const png = encodePngGray(new Uint8Array(28 * 28), 28, 28);
 */
export function encodePngGray(gray: Uint8Array, width: number, height: number, options: PngOptions = {}): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`encodePngGray: width and height must be positive integers, got ${width}×${height}`);
  }
  if (gray.length !== width * height) {
    throw new Error(`encodePngGray: ${width}×${height} needs ${width * height} pixels, got ${gray.length}`);
  }
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter type None
    raw.set(gray.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  const idat = options.deflate ? options.deflate(raw) : zlibStored(raw);
  const chunks: [string, Uint8Array][] = [["IHDR", ihdr], ["IDAT", idat], ["IEND", new Uint8Array(0)]];
  const size = 8 + chunks.reduce((s, [, d]) => s + 12 + d.length, 0);
  const out = new Uint8Array(size);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(out.buffer);
  let p = 8;
  for (const [type, data] of chunks) {
    view.setUint32(p, data.length);
    const typed = new Uint8Array(4 + data.length);
    for (let i = 0; i < 4; i++) typed[i] = type.charCodeAt(i);
    typed.set(data, 4);
    out.set(typed, p + 4);
    view.setUint32(p + 8 + data.length, crc32(typed));
    p += 12 + data.length;
  }
  return out;
}

/** Base64 without Node's Buffer, so it runs in browsers too. */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * A `data:image/png;base64,...` URL for grayscale pixels, for `<img src>` in self-contained HTML.
 *
 * @example img.src = pngDataUrl(gray, 28, 28);
 */
export function pngDataUrl(gray: Uint8Array, width: number, height: number, options?: PngOptions): string {
  return `data:image/png;base64,${toBase64(encodePngGray(gray, width, height, options))}`;
}
