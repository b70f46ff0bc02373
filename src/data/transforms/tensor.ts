/**
 * Compose, ToTensor, Normalize and computeMeanStd: from decoded bytes to network-ready tensors.
 */
import { argError, checkOptions } from "../../tensor/check.js";
import { Tensor, isFloating } from "../../core.js";
import { type Dataset, checkDataset } from "../dataset.js";
import { type Sample, imageOf, mapImage } from "./sample.js";
import { type Transform, type TransformLike, runTransform } from "./transform.js";

/** Normalize's mean or std: a number or an array of numbers (one per channel). */
function checkStats(arg: string, v: unknown): void {
  if (typeof v === "number" || (Array.isArray(v) && v.every((x) => typeof x === "number"))) return;
  throw argError("Normalize", arg, "a number or an array of numbers (one per channel), as new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])", v);
}

/**
 * A decoded image: `height * width * channels` interleaved values (HWC), as image decoders give.
 *
 * ```ts
 * const px: RawImage = { width: 2, height: 1, channels: 1, data: new Uint8Array([0, 255]) };
 * ```
 */
export interface RawImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array | Uint8ClampedArray | Uint16Array;
  /** Largest possible value (255 for 8-bit, 65535 for 16-bit PNG); default 255. */
  maxValue?: number;
}

/** `isRawImage(x)`: true for a decoded image object. */
export function isRawImage(v: unknown): v is RawImage {
  const r = v as RawImage;
  return r !== null && typeof r === "object" && Number.isInteger(r.width) && Number.isInteger(r.height) && Number.isInteger(r.channels) && ArrayBuffer.isView(r.data);
}

/**
 * Runs transforms one after another. `apply` is typed as returning the type it was given (the
 * usual sample -> sample pipeline); a pipeline that changes the type (one starting with ToTensor)
 * needs a cast: `pipeline.apply(raw) as unknown as Tensor`.
 *
 * ```ts
 * const t = new Compose([new RandomHorizontalFlip(), new Normalize([0.5], [0.5])]);
 * ```
 */
export class Compose {
  readonly transforms: readonly TransformLike<any, any>[];
  constructor(transforms: readonly TransformLike<any, any>[]) {
    if (!Array.isArray(transforms)) throw argError("Compose", "transforms", "an array of transforms", transforms);
    transforms.forEach((t, k) => {
      if (typeof t !== "function" && typeof (t as Transform<unknown>)?.apply !== "function") throw argError("Compose", `transforms[${k}]`, "a function or an object with apply()", t);
    });
    this.transforms = [...transforms];
  }
  apply<S>(input: S): S {
    return this.transforms.reduce((x, t) => runTransform(t, x), input as unknown) as S;
  }
}

function rawToTensor(r: RawImage, field: string): Tensor {
  const { width: w, height: h, channels: c, data } = r;
  if (data.length !== w * h * c) throw new Error(`ToTensor: ${field} claims ${h}x${w}x${c} = ${w * h * c} values but holds ${data.length}`);
  const plane = w * h;
  if (field === "mask") {
    // Class ids: first channel, unscaled, int64 [H, W] (PyTorch's class-index dtype, what
    // crossEntropy's segmentation targets are in torchvision's references).
    const out = new BigInt64Array(plane);
    for (let i = 0; i < plane; i++) out[i] = BigInt(data[i * c]);
    return Tensor.fromArray(out, [h, w], "int64");
  }
  const scale = field === "image" ? 1 / (r.maxValue ?? (data instanceof Uint16Array ? 65535 : 255)) : 1;
  const out = new Float32Array(plane * c);
  for (let i = 0; i < plane; i++) for (let k = 0; k < c; k++) out[k * plane + i] = data[i * c + k] * scale;
  return Tensor.fromArray(out, [c, h, w], "float32");
}

/** A sample whose decoded images are still RawImage (what ImageFolder-like loaders produce). */
export type RawSample = RawImage | { image: RawImage | Tensor; [field: string]: unknown };

/**
 * Decoded HWC bytes -> float32 [C,H,W] in [0,1] (the image), as torchvision's ToTensor.
 * In a sample object, `mask` becomes int64 [H,W] class ids (unscaled) and any other RawImage field
 * (e.g. a depth PNG) float32 [C,H,W] with its raw values (scale it yourself: depth units vary).
 *
 * ```ts
 * new ToTensor().apply(decodePng(bytes))  // Tensor [3, H, W] in [0, 1]
 * ```
 */
export class ToTensor implements Transform<RawSample, Sample> {
  apply(input: RawSample): Sample {
    if (isRawImage(input)) return rawToTensor(input, "image");
    if (input === null || typeof input !== "object") throw new Error(`ToTensor: expected a decoded image {width, height, channels, data} or a sample { image, ... }, got ${typeof input}`);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) out[k] = isRawImage(v) ? rawToTensor(v, k) : v;
    if (!(out.image instanceof Tensor)) throw new Error("ToTensor: the sample has no decoded `image` field");
    return out as Sample;
  }
}

/**
 * `(image - mean[c]) / std[c]` per channel, on `image` only: targets (depth, masks) keep their
 * units. Apply it in training AND evaluation pipelines, after augmentation.
 *
 * ```ts
 * const norm = new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
 * ```
 */
export class Normalize implements Transform<Sample> {
  readonly mean: readonly number[];
  readonly std: readonly number[];
  constructor(mean: readonly number[] | number, std: readonly number[] | number) {
    checkStats("mean", mean);
    checkStats("std", std);
    this.mean = typeof mean === "number" ? [mean] : [...mean];
    this.std = typeof std === "number" ? [std] : [...std];
    if (this.mean.length !== this.std.length) throw new Error(`Normalize: mean has ${this.mean.length} values but std has ${this.std.length}; give one per channel`);
    this.std.forEach((s, k) => {
      if (!(s > 0)) throw new Error(`Normalize: std[${k}] = ${s}; every std must be positive (a constant channel cannot be normalised)`);
    });
  }
  apply<S extends Sample>(sample: S): S {
    const img = imageOf(sample, "Normalize");
    if (!isFloating(img.dtype)) throw new Error(`Normalize: the image must be floating point, got ${img.dtype}; apply ToTensor first`);
    const c = img.ndim >= 3 ? img.shape[img.ndim - 3] : 1;
    if (this.mean.length !== 1 && this.mean.length !== c) {
      throw new Error(`Normalize: the image has ${c} channels (shape [${img.shape.join(",")}]) but mean/std have ${this.mean.length} values; give 1 or ${c}`);
    }
    return mapImage(sample, "Normalize", (x) => {
      const out = x.data();
      const plane = x.shape[x.ndim - 1] * x.shape[x.ndim - 2];
      for (let i = 0; i < out.length; i++) {
        const k = this.mean.length === 1 ? 0 : Math.floor(i / plane) % c;
        out[i] = (out[i] - this.mean[k]) / this.std[k];
      }
      return Tensor.fromArray(out, x.shape, x.dtype);
    });
  }
}

/** Per-channel statistics of a dataset's images. */
export interface MeanStd {
  mean: number[];
  std: number[];
}

/**
 * Per-channel mean and (population) std over every pixel of every image of a dataset, for
 * Normalize. Compute it on the training split only (the val/test statistics must not leak in).
 * Items may be image tensors [C,H,W] or samples `{ image }`; datasets may be async.
 *
 * ```ts
 * const { mean, std } = await computeMeanStd(trainSet);  const norm = new Normalize(mean, std);
 * ```
 */
export async function computeMeanStd(dataset: Dataset<unknown>, opts: { limit?: number } = {}): Promise<MeanStd> {
  checkDataset("data.computeMeanStd", "dataset", dataset);
  opts = checkOptions("data.computeMeanStd", opts, "{ limit: 1000 }", ["limit"]);
  const n = Math.min(dataset.length, opts.limit ?? Infinity);
  if (n === 0) throw new Error("computeMeanStd: the dataset is empty");
  let sums: Float64Array | null = null;
  let sq: Float64Array | null = null;
  let count = 0;
  let channels = 0;
  for (let i = 0; i < n; i++) {
    const img = imageOf((await dataset.getItem(i)) as Sample, "computeMeanStd");
    const c = img.ndim >= 3 ? img.shape[img.ndim - 3] : 1;
    if (!sums) {
      channels = c;
      sums = new Float64Array(c);
      sq = new Float64Array(c);
    } else if (c !== channels) throw new Error(`computeMeanStd: item ${i} has ${c} channels but item 0 has ${channels}`);
    const d = img.data();
    const plane = img.shape[img.ndim - 1] * img.shape[img.ndim - 2];
    for (let k = 0; k < d.length; k++) {
      const ch = Math.floor(k / plane) % c;
      sums[ch] += d[k];
      sq![ch] += d[k] * d[k];
    }
    count += d.length / c;
  }
  const mean = Array.from(sums!, (s) => s / count);
  const std = Array.from(sq!, (s, k) => Math.sqrt(Math.max(0, s / count - mean[k] * mean[k])));
  return { mean, std };
}
