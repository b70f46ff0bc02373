/**
 * PNG and JPEG decoding in pure JavaScript (pngjs, jpeg-js): no native install. The decoder
 * packages are loaded on first use, so importing deeptype does not load them.
 * Speed (bench/data-decode.ts) was measured only on this project's shared 2-core machine under
 * heavy load (load average ~13), so treat it as an upper bound: per image on the main thread,
 * 64x64: PNG ~4 ms, JPEG ~7 ms; 256x256: PNG ~15 ms, JPEG ~29 ms; 512x512: PNG ~59 ms,
 * JPEG ~160 ms. pngjs is about twice as fast as jpeg-js at equal size. There, a 2-worker
 * DecodePool gave no gain (no idle core); it pays on machines with spare cores.
 */
import type { RawImage } from "../transforms/tensor.js";

/** Channel layout of a decoded image: "RGB" (default, like torchvision's loader), "L" (grey) or "RGBA". */
export type ColorMode = "RGB" | "L" | "RGBA";

export interface DecodeOptions {
  /** Channels to return (default "RGB"). */
  mode?: ColorMode;
  /** Keep 16-bit PNG samples (e.g. depth maps) as 0..65535 instead of scaling to 8 bits (default false). */
  keep16Bit?: boolean;
}

/**
 * The parts of pngjs and jpeg-js used here, typed locally so that deeptype's published types do
 * not depend on the packages' own typings.
 */
export interface Decoders {
  png: {
    PNG: {
      sync: {
        read(buffer: Uint8Array, options?: { skipRescale?: boolean }): { width: number; height: number; data: Uint8Array | Uint16Array };
        write(png: { width: number; height: number; data: Uint8Array }): Uint8Array;
      };
    };
  };
  jpeg: {
    decode(bytes: Uint8Array, options: { useTArray: true; formatAsRGBA: boolean; maxMemoryUsageInMB?: number }): { width: number; height: number; data: Uint8Array };
    encode(img: { width: number; height: number; data: Uint8Array }, quality?: number): { data: Uint8Array };
  };
}

let decoders: Decoders | null = null;

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
  const [png, jpeg] = await Promise.all([import("pngjs"), import("jpeg-js")]);
  // CommonJS packages arrive as the `default` export in Node and as the namespace in some bundlers.
  const unwrap = <M>(m: unknown): M => ((m as { default?: M }).default ?? m) as M;
  decoders = { png: unwrap<Decoders["png"]>(png), jpeg: unwrap<Decoders["jpeg"]>(jpeg) };
}

function getDecoders(): Decoders {
  if (decoders) return decoders;
  const nodeModule = typeof process !== "undefined" ? process.getBuiltinModule?.("node:module") : undefined;
  if (!nodeModule) throw new Error("decodeImage: the decoders are not loaded; call `await loadDecoders()` once first");
  const require = nodeModule.createRequire(import.meta.url);
  decoders = { png: require("pngjs") as Decoders["png"], jpeg: require("jpeg-js") as Decoders["jpeg"] };
  return decoders;
}

/** "png", "jpeg", or null, from the file's first bytes (never trusting its name). */
export function imageFormat(bytes: Uint8Array): "png" | "jpeg" | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  return null;
}

/** Converts interleaved RGBA/RGB pixels to the requested channel layout. */
function toMode(src: Uint8Array | Uint16Array, width: number, height: number, inChannels: number, mode: ColorMode, maxValue: number): RawImage {
  const outC = mode === "RGB" ? 3 : mode === "L" ? 1 : 4;
  const n = width * height;
  const out = src instanceof Uint16Array ? new Uint16Array(n * outC) : new Uint8Array(n * outC);
  for (let i = 0; i < n; i++) {
    const s = i * inChannels;
    if (outC === 1) {
      out[i] = Math.round(0.299 * src[s] + 0.587 * src[s + 1] + 0.114 * src[s + 2]);
    } else {
      out[i * outC] = src[s];
      out[i * outC + 1] = src[s + 1];
      out[i * outC + 2] = src[s + 2];
      if (outC === 4) out[i * outC + 3] = inChannels === 4 ? src[s + 3] : maxValue;
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
 * The decoder calls, self-contained (no imports, no outer variables): DecodePool ships this very
 * function's source text to its worker threads, so main-thread and worker decoding cannot drift.
 */
export function decodePixels(format: "png" | "jpeg", bytes: Uint8Array, decs: Decoders, keep16Bit: boolean): DecodedPixels {
  if (format === "png") {
    // pngjs reads through Buffer methods; wrap a plain Uint8Array without copying.
    const input = typeof Buffer !== "undefined" && !Buffer.isBuffer(bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
    const parsed = decs.png.PNG.sync.read(input, { skipRescale: keep16Bit });
    return { width: parsed.width, height: parsed.height, channels: 4, data: parsed.data, maxValue: parsed.data instanceof Uint16Array ? 65535 : 255 };
  }
  const d = decs.jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
  return { width: d.width, height: d.height, channels: d.data.length / (d.width * d.height), data: d.data, maxValue: 255 };
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
  return new Error(`decodeImage: ${source} is a corrupt or truncated ${format === "png" ? "PNG" : "JPEG"} (${message})`);
}

/** Channel conversion of decoded pixels, with a check of the decoder's output layout. */
export function finishDecode(px: DecodedPixels, mode: ColorMode, source: string): RawImage {
  if (px.channels !== 3 && px.channels !== 4) throw new Error(`decodeImage: ${source}: unexpected decoded layout (${px.data.length} values for ${px.width}x${px.height})`);
  return toMode(px.data, px.width, px.height, px.channels, mode, px.maxValue);
}

/**
 * Decodes PNG or JPEG bytes (format from the magic bytes) into HWC pixels. `source` (a file name)
 * is named in errors.
 *
 * ```ts
 * const img = decodeImage(readFileSync("cat.jpg"), { source: "cat.jpg" });  // { width, height, channels: 3, data }
 * ```
 */
export function decodeImage(bytes: Uint8Array, opts: DecodeOptions & { source?: string } = {}): RawImage {
  const source = opts.source ?? "image data";
  const format = checkFormat(bytes, source);
  let px: DecodedPixels;
  try {
    px = decodePixels(format, bytes, getDecoders(), opts.keep16Bit ?? false);
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
  return png.PNG.sync.write({ width: img.width, height: img.height, data: rgba });
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
