/**
 * ImageFolder: `root/<class name>/**\/*.png|jpg` as a labelled image dataset (torchvision's layout).
 * Node.js only (it reads the file system). Files are read and decoded when an item is requested,
 * so `getItem` returns a Promise: iterate the DataLoader with `for await`.
 */
import { argError, checkKeys } from "../../tensor/check.js";
import { Tensor } from "../../core.js";
import { BaseDataset, checkIndex } from "../dataset.js";
import { type TransformLike, runTransform } from "../transforms/transform.js";
import { type RawImage, ToTensor } from "../transforms/tensor.js";
import { type ColorMode, DEFAULT_MAX_IMAGE_BYTES, DEFAULT_MAX_PIXELS, decodeImage } from "../image/decode.js";
import { DecodePool } from "../image/pool.js";

export interface ImageFolderOptions {
  /** Applied to each sample `{ image: [C,H,W] float32 in [0,1], label }` (augmentation, Resize, Normalize...). */
  transform?: TransformLike<ImageSample>;
  /** File extensions counted as images, lower case (default .png, .jpg, .jpeg). */
  extensions?: readonly string[];
  /** Channels (default "RGB"). */
  mode?: ColorMode;
  /** Where to decode: "main" thread (default), "workers" (a pool this dataset owns), or a shared DecodePool. */
  decode?: "main" | "workers" | DecodePool;
  /** Largest width x height decoded (default 89,478,485, Pillow's limit). */
  maxPixels?: number;
  /** Largest image file read, in bytes (default 256 MiB); checked before the file is read. */
  maxBytes?: number;
}

/** An ImageFolder item: the image and its class index as an int64 0-d tensor (PyTorch's collated target dtype). */
export interface ImageSample {
  image: Tensor;
  label: Tensor;
  [field: string]: unknown;
}

function nodeFs(op: string): typeof import("node:fs") {
  const fs = typeof process !== "undefined" ? process.getBuiltinModule?.("node:fs") : undefined;
  if (!fs) throw new Error(`${op}: needs the file system of Node.js >= 20.16`);
  return fs;
}

/**
 * Images in class-named sub-directories; classes sorted by name get labels 0, 1, 2, ...
 *
 * ```ts
 * const ds = new ImageFolder("data/train", { transform: new Compose([new Resize([64, 64]), new RandomHorizontalFlip()]) });
 * ```
 */
export class ImageFolder extends BaseDataset {
  readonly root: string;
  /** Class names, sorted; label k is classes[k]. */
  readonly classes: readonly string[];
  readonly classToIdx: Readonly<Record<string, number>>;
  /** [file path, label] for every image, sorted by class then path. */
  readonly samples: readonly (readonly [string, number])[];
  readonly transform?: TransformLike<ImageSample>;
  readonly mode: ColorMode;
  readonly maxPixels: number;
  readonly maxBytes: number;
  private readonly pool: DecodePool | null;
  private readonly ownsPool: boolean;

  constructor(root: string, opts: ImageFolderOptions = {}) {
    super();
    if (typeof root !== "string") throw argError("ImageFolder", "root", "a directory path string", root);
    if (opts === null || typeof opts !== "object") throw new Error(`ImageFolder: options must be an object like { mode: "RGB" }, got ${String(opts)}`);
    checkKeys("ImageFolder", opts, ["transform", "extensions", "mode", "decode", "maxPixels", "maxBytes"]);
    if (opts.mode !== undefined && !["RGB", "L", "RGBA"].includes(opts.mode)) throw new Error(`ImageFolder: mode must be "RGB", "L" or "RGBA", got ${JSON.stringify(opts.mode)}`);
    this.maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
    for (const [name, v] of [["maxPixels", this.maxPixels], ["maxBytes", this.maxBytes]] as const) {
      if (typeof v !== "number" || !(v > 0)) throw new Error(`ImageFolder: ${name} must be a positive number, got ${String(v)}`);
    }
    const fs = nodeFs("ImageFolder");
    const path = process.getBuiltinModule("node:path");
    this.root = root;
    this.transform = opts.transform;
    this.mode = opts.mode ?? "RGB";
    const exts = (opts.extensions ?? [".png", ".jpg", ".jpeg"]).map((e) => e.toLowerCase());
    let entries;
    try {
      entries = fs.readdirSync(root, { withFileTypes: true });
    } catch (e) {
      throw new Error(`ImageFolder: cannot read the directory ${root}: ${(e as Error).message}`);
    }
    this.classes = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
    if (this.classes.length === 0) throw new Error(`ImageFolder: ${root} has no sub-directories; expected one directory per class (root/cat/1.png, root/dog/2.jpg)`);
    this.classToIdx = Object.fromEntries(this.classes.map((c, k) => [c, k]));
    const samples: [string, number][] = [];
    const walk = (dir: string, label: number): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p, label);
        else if (exts.includes(path.extname(e.name).toLowerCase())) samples.push([p, label]);
      }
    };
    this.classes.forEach((c, k) => {
      const before = samples.length;
      walk(path.join(root, c), k);
      if (samples.length === before) throw new Error(`ImageFolder: class directory ${path.join(root, c)} has no files with extensions ${exts.join(", ")}`);
    });
    this.samples = samples;
    if (opts.decode instanceof DecodePool) {
      this.pool = opts.decode;
      this.ownsPool = false;
    } else {
      this.pool = opts.decode === "workers" ? new DecodePool() : null;
      this.ownsPool = this.pool !== null;
    }
  }

  get length(): number {
    return this.samples.length;
  }

  /** The label of every item, without reading any image (e.g. for `randomSplit`'s stratify). */
  get targets(): number[] {
    return this.samples.map(([, y]) => y);
  }

  /** Reads and decodes image `index` (no transform): HWC pixels. */
  async loadRaw(index: number): Promise<RawImage> {
    checkIndex(index, this.length, "ImageFolder");
    const file = this.samples[index][0];
    let bytes: Uint8Array;
    const fs = nodeFs("ImageFolder").promises;
    try {
      // The size first: a huge file is an error naming it, not a read that exhausts memory.
      const { size } = await fs.stat(file);
      if (size > this.maxBytes) throw Object.assign(new Error(`ImageFolder: ${file} is ${size} bytes, more than maxBytes (${this.maxBytes}); pass a larger { maxBytes } to read it`), { limit: true });
      bytes = await fs.readFile(file);
    } catch (e) {
      if ((e as { limit?: boolean }).limit) throw e;
      throw new Error(`ImageFolder: cannot read ${file}: ${(e as Error).message}`);
    }
    const opts = { mode: this.mode, source: file, maxPixels: this.maxPixels, maxBytes: this.maxBytes };
    return this.pool ? this.pool.decode(bytes, { ...opts, transfer: true }) : decodeImage(bytes, opts);
  }

  async getItem(index: number): Promise<ImageSample> {
    const raw = await this.loadRaw(index);
    const image = new ToTensor().apply(raw) as Tensor;
    const label = Tensor.fromArray(BigInt64Array.of(BigInt(this.samples[index][1])), [], "int64");
    const sample: ImageSample = { image, label };
    return this.transform ? runTransform(this.transform, sample) : sample;
  }

  /** Ends the decoder threads this dataset started (with `decode: "workers"`). */
  async close(): Promise<void> {
    if (this.ownsPool) await this.pool!.close();
  }
}
