/**
 * PNG and JPEG decoding in pure JavaScript (fast-png, jpeg-js): no native install. Every file first
 * passes `validateImage` (structure, CRCs, exact inflated size, `maxPixels`), then the decoder
 * library turns it into pixels; the reasons for this pair of libraries, with the measurements, are
 * in docs/data.md. The packages are loaded on first use, so importing deeptype does not load them.
 */
import { checkKeys } from "../../tensor/check.js";
import type { RawImage } from "../transforms/tensor.js";
import { type InflateCheck, fflateInflateCheck, validateImage, zlibInflateCheck } from "./validate.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const DECODE_IMAGE_KEYS = ["mode", "keep16Bit", "maxPixels", "maxBytes", "source"] as const;

/** Channel layout of a decoded image: "RGB" (default, like torchvision's loader), "L" (grey) or "RGBA". */
export type ColorMode = "RGB" | "L" | "RGBA";

/** Pillow's `Image.MAX_IMAGE_PIXELS`: the default `maxPixels` (about 89 megapixels). */
export const DEFAULT_MAX_PIXELS = 89_478_485;
/** The default `maxBytes` of an image file: 256 MiB. */
export const DEFAULT_MAX_IMAGE_BYTES = 256 * 1024 * 1024;

export interface DecodeOptions {
  /** Channels to return (default "RGB"). */
  mode?: ColorMode;
  /** Keep 16-bit PNG samples (e.g. depth maps) as 0..65535 instead of scaling to 8 bits (default false). */
  keep16Bit?: boolean;
  /** Largest width x height decoded (default 89,478,485, Pillow's limit); checked before any pixel is. */
  maxPixels?: number;
  /** Largest file accepted, in bytes (default 256 MiB). */
  maxBytes?: number;
}

/** The parts of a fast-png PNG as `decodePixels` reads it. */
interface FastPng {
  width: number;
  height: number;
  depth: number;
  channels: number;
  data: Uint8Array | Uint16Array;
  palette?: number[][];
  transparency?: ArrayLike<number>;
}

/**
 * The parts of fast-png, jpeg-js and fflate used here (typed locally so that deeptype's published
 * types do not depend on the packages' own typings), and the validator, so that worker threads get
 * the very same functions.
 */
export interface Decoders {
  png: {
    decode(bytes: Uint8Array, options?: { checkCrc?: boolean }): FastPng;
    convertIndexedToRgb(png: FastPng): Uint8Array;
    encode(png: { width: number; height: number; data: Uint8Array; channels: number; depth: number }): Uint8Array;
  };
  jpeg: {
    decode(bytes: Uint8Array, options: { useTArray: true; formatAsRGBA: boolean; maxMemoryUsageInMB?: number; maxResolutionInMP?: number }): { width: number; height: number; data: Uint8Array };
    encode(img: { width: number; height: number; data: Uint8Array }, quality?: number): { data: Uint8Array };
  };
  inflateCheck: InflateCheck;
  validate: typeof validateImage;
}

let decoders: Decoders | null = null;

/** The package names, resolved by the main thread and by DecodePool's workers. */
export const DECODER_PACKAGES = { png: "fast-png", jpeg: "jpeg-js" } as const;

/**
 * Loads the decoder packages (needed once before `decodeImage` outside Node.js, e.g. in a browser
 * bundle; in Node.js they load by themselves).
 *
 * ```ts
 * await loadDecoders();
 * ```
 */
export async function loadDecoders(): Promise<void> {
  if (decoders) return;
  const [png, jpeg, fflate] = await Promise.all([import("fast-png"), import("jpeg-js"), import("fflate")]);
  // CommonJS packages arrive as the `default` export in Node and as the namespace in some bundlers.
  const unwrap = <M>(m: unknown): M => ((m as { default?: M }).default ?? m) as M;
  const nodeZlib = typeof process !== "undefined" && process.getBuiltinModule?.("node:zlib");
  decoders = {
    png: png as unknown as Decoders["png"], jpeg: unwrap<Decoders["jpeg"]>(jpeg), validate: validateImage,
    inflateCheck: nodeZlib ? zlibInflateCheck : fflateInflateCheck(fflate),
  };
}

function getDecoders(who = "decodeImage"): Decoders {
  if (decoders) return decoders;
  const nodeModule = typeof process !== "undefined" ? process.getBuiltinModule?.("node:module") : undefined;
  if (!nodeModule) throw new Error(`${who}: the decoders are not loaded; call \`await loadDecoders()\` once first`);
  const require = nodeModule.createRequire(import.meta.url);
  try {
    decoders = {
      png: require(DECODER_PACKAGES.png) as Decoders["png"],
      jpeg: require(DECODER_PACKAGES.jpeg) as Decoders["jpeg"],
      inflateCheck: zlibInflateCheck,
      validate: validateImage,
    };
  } catch (e) {
    // fast-png is an ES module; Node.js before 20.19 cannot require() one synchronously.
    throw new Error(`${who}: the decoders could not be loaded synchronously (${(e as Error).message}); call \`await loadDecoders()\` once first`);
  }
  return decoders;
}

/** "png", "jpeg", or null, from the file's first bytes (never trusting its name). */
export function imageFormat(bytes: Uint8Array): "png" | "jpeg" | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  return null;
}

/** Converts interleaved grey/grey+alpha/RGB/RGBA pixels to the requested channel layout. */
function toMode(src: Uint8Array | Uint16Array, width: number, height: number, inChannels: number, mode: ColorMode, maxValue: number): RawImage {
  const outC = mode === "RGB" ? 3 : mode === "L" ? 1 : 4;
  const n = width * height;
  const out = src instanceof Uint16Array ? new Uint16Array(n * outC) : new Uint8Array(n * outC);
  const grey = inChannels <= 2;
  const alpha = inChannels === 2 || inChannels === 4;
  for (let i = 0; i < n; i++) {
    const s = i * inChannels;
    if (outC === 1) {
      out[i] = grey ? src[s] : Math.round(0.299 * src[s] + 0.587 * src[s + 1] + 0.114 * src[s + 2]);
    } else {
      out[i * outC] = src[s];
      out[i * outC + 1] = src[grey ? s : s + 1];
      out[i * outC + 2] = src[grey ? s : s + 2];
      if (outC === 4) out[i * outC + 3] = alpha ? src[s + inChannels - 1] : maxValue;
    }
  }
  return { width, height, channels: outC, data: out, maxValue };
}

/** Pixels as the decoder packages give them, before the channel conversion. */
export interface DecodedPixels {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array | Uint16Array;
  maxValue: number;
}

/**
 * Validation and the decoder calls, self-contained (no imports, no outer variables): DecodePool
 * ships this very function's source text to its worker threads, so main-thread and worker decoding
 * cannot drift. Output arrays are always freshly allocated (zero-filled) typed arrays.
 */
export function decodePixels(format: "png" | "jpeg", bytes: Uint8Array, decs: Decoders, keep16Bit: boolean, maxPixels: number): DecodedPixels {
  const size = decs.validate(format, bytes, maxPixels, decs.inflateCheck);
  let out: DecodedPixels;
  if (format === "png") {
    const png = decs.png.decode(bytes, { checkCrc: true });
    const { width, height, depth } = png;
    if (png.palette) {
      const rgb = decs.png.convertIndexedToRgb(png);
      out = { width, height, channels: rgb.length / (width * height), data: rgb, maxValue: 255 };
    } else {
      let ch = png.channels;
      const n = width * height;
      const max = 2 ** depth - 1;
      // Samples one per element (fast-png packs depths below 8 into bytes, MSB first).
      let samples: Uint8Array | Uint16Array = png.data;
      if (depth < 8) {
        samples = new Uint8Array(n * ch);
        const rowBytes = Math.ceil((width * ch * depth) / 8);
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width * ch; x++) {
            const bit = x * depth;
            samples[y * width * ch + x] = (png.data[y * rowBytes + (bit >> 3)] >> (8 - depth - (bit & 7))) & max;
          }
        }
      }
      // A tRNS colour key on grey/RGB becomes an alpha channel (0 where the key matches).
      const key = png.transparency;
      if (key && (ch === 1 || ch === 3)) {
        const withAlpha = new (samples instanceof Uint16Array ? Uint16Array : Uint8Array)(n * (ch + 1));
        for (let i = 0; i < n; i++) {
          let match = true;
          for (let c = 0; c < ch; c++) {
            withAlpha[i * (ch + 1) + c] = samples[i * ch + c];
            if (samples[i * ch + c] !== key[c]) match = false;
          }
          withAlpha[i * (ch + 1) + ch] = match ? 0 : max;
        }
        samples = withAlpha;
        ch += 1;
      }
      let maxValue = max;
      if (depth === 16 && !keep16Bit) {
        const eight = new Uint8Array(samples.length);
        for (let i = 0; i < samples.length; i++) eight[i] = Math.round(samples[i] / 257);
        samples = eight;
        maxValue = 255;
      } else if (depth < 8) {
        for (let i = 0; i < samples.length; i++) samples[i] = Math.round((samples[i] * 255) / max);
        maxValue = 255;
      } else if (samples === png.data) {
        samples = samples.slice(); // a buffer of our own, never a view into the decoder's memory
      }
      out = { width, height, channels: ch, data: samples, maxValue };
    }
  } else {
    const d = decs.jpeg.decode(bytes, {
      useTArray: true, formatAsRGBA: false, maxResolutionInMP: maxPixels / 1e6, maxMemoryUsageInMB: Math.ceil((maxPixels * 16) / 2 ** 20) + 64,
    });
    out = { width: d.width, height: d.height, channels: d.data.length / (d.width * d.height), data: d.data, maxValue: 255 };
  }
  if (out.width !== size.width || out.height !== size.height || !Number.isInteger(out.channels)) {
    throw new Error(`the decoder returned ${out.width}x${out.height} pixels for a ${size.width}x${size.height} image`);
  }
  return out;
}

/** The format of `bytes`, or the error decodeImage throws for data that is neither PNG nor JPEG. */
export function checkFormat(bytes: Uint8Array, source: string): "png" | "jpeg" {
  const format = imageFormat(bytes);
  if (!format) {
    const head = Array.from(bytes.subarray(0, 4), (b) => `0x${b.toString(16).padStart(2, "0")}`).join(" ");
    throw new Error(`decodeImage: ${source} is neither PNG nor JPEG (it starts with ${head || "nothing: the file is empty"})`);
  }
  return format;
}

/** The error for bytes the decoder rejected, naming the file. */
export function decodeError(format: "png" | "jpeg", source: string, message: string): Error {
  // A limit is not corruption: say which limit, with the option that raises it.
  if (message.includes("maxPixels")) return new Error(`decodeImage: ${source}: ${message}`);
  return new Error(`decodeImage: ${source} is a corrupt or truncated ${format === "png" ? "PNG" : "JPEG"} (${message})`);
}

/** Channel conversion of decoded pixels, with a check of the decoder's output layout. */
export function finishDecode(px: DecodedPixels, mode: ColorMode, source: string): RawImage {
  if (px.channels < 1 || px.channels > 4 || px.data.length !== px.width * px.height * px.channels) throw new Error(`decodeImage: ${source}: unexpected decoded layout (${px.data.length} values for ${px.width}x${px.height})`);
  return toMode(px.data, px.width, px.height, px.channels, mode, px.maxValue);
}

/**
 * The checks every decode starts with, on the calling thread: the bytes are a Uint8Array, the
 * options are sane, the file is within `maxBytes` and is PNG or JPEG. Returns the format and limits.
 */
export function prepareDecode(who: string, bytes: unknown, opts: DecodeOptions & { source?: string }): { format: "png" | "jpeg"; source: string; maxPixels: number } {
  if (opts === null || typeof opts !== "object") throw new Error(`${who}: options must be an object like { mode: "RGB" }, got ${opts === null ? "null" : typeof opts}`);
  const source = opts.source ?? "image data";
  if (!(bytes instanceof Uint8Array)) {
    const got = bytes === null ? "null" : bytes === undefined ? "undefined" : typeof bytes === "object" ? ((bytes as object).constructor?.name ?? "an object") : typeof bytes;
    throw new Error(`${who}: ${source}: expected the file's bytes as a Uint8Array (or Buffer), got ${got}`);
  }
  if (opts.mode !== undefined && opts.mode !== "RGB" && opts.mode !== "L" && opts.mode !== "RGBA") throw new Error(`${who}: mode must be "RGB", "L" or "RGBA", got ${JSON.stringify(opts.mode)}`);
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  for (const [name, v] of [["maxPixels", maxPixels], ["maxBytes", maxBytes]] as const) {
    if (typeof v !== "number" || !(v > 0)) throw new Error(`${who}: ${name} must be a positive number, got ${String(v)}`);
  }
  if (bytes.length > maxBytes) throw new Error(`${who}: ${source} is ${bytes.length} bytes, more than maxBytes (${maxBytes}); pass a larger { maxBytes } to decode it`);
  return { format: checkFormat(bytes, source), source, maxPixels };
}

/**
 * Decodes PNG or JPEG bytes (format from the magic bytes) into HWC pixels, after checking the
 * file's structure and its size against `maxPixels`/`maxBytes`. `source` (a file name) is named in errors.
 *
 * ```ts
 * const img = decodeImage(readFileSync("cat.jpg"), { source: "cat.jpg" });  // { width, height, channels: 3, data }
 * ```
 */
export function decodeImage(bytes: Uint8Array, opts: DecodeOptions & { source?: string } = {}): RawImage {
  checkKeys("decodeImage", opts, DECODE_IMAGE_KEYS);
  const { format, source, maxPixels } = prepareDecode("decodeImage", bytes, opts);
  let px: DecodedPixels;
  try {
    px = decodePixels(format, bytes, getDecoders(), opts.keep16Bit ?? false, maxPixels);
  } catch (e) {
    throw decodeError(format, source, (e as Error).message);
  }
  return finishDecode(px, opts.mode ?? "RGB", source);
}

/**
 * Encodes RGB/RGBA/grey 8-bit pixels as PNG (for writing test fixtures and visualisations).
 *
 * ```ts
 * writeFileSync("out.png", encodePng({ width: 2, height: 1, channels: 1, data: new Uint8Array([0, 255]) }));
 * ```
 */
export function encodePng(img: RawImage): Uint8Array {
  const { png } = getDecoders();
  const n = img.width * img.height;
  const rgba = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) rgba[i * 4 + k] = img.data[i * img.channels + (img.channels >= 3 ? k : 0)];
    rgba[i * 4 + 3] = img.channels === 4 ? img.data[i * 4 + 3] : 255;
  }
  return png.encode({ width: img.width, height: img.height, data: rgba, channels: 4, depth: 8 });
}

/**
 * Encodes RGB 8-bit pixels as JPEG (quality 0-100, default 90), for fixtures.
 *
 * ```ts
 * writeFileSync("out.jpg", encodeJpeg(img, 85));
 * ```
 */
export function encodeJpeg(img: RawImage, quality = 90): Uint8Array {
  const { jpeg } = getDecoders();
  const n = img.width * img.height;
  const rgba = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) rgba[i * 4 + k] = img.data[i * img.channels + (img.channels >= 3 ? k : 0)];
    rgba[i * 4 + 3] = 255;
  }
  return new Uint8Array(jpeg.encode({ width: img.width, height: img.height, data: rgba }, quality).data);
}
