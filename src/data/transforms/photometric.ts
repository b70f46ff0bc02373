/**
 * Photometric transforms: they change colours, not positions, so they touch `image` only; a depth
 * map or mask next to it is left exactly as it was. Images are floats in [0, 1] (after ToTensor).
 */
import { checkOptions } from "../../tensor/check.js";
import { type Generator, Tensor, isFloating } from "../../core.js";
import { generatorOf } from "../../tensor/creation.js";
import { type Sample, imageOf, mapImage } from "./sample.js";
import type { Transform } from "./transform.js";
import { grayscale } from "./functional.js";

function range(v: number | [number, number] | undefined, name: string, center: number): [number, number] | null {
  if (v === undefined || v === 0) return null;
  if (typeof v === "number") {
    if (!(v >= 0)) throw new Error(`ColorJitter: ${name} must be non-negative, got ${v}`);
    return [Math.max(0, center - v), center + v];
  }
  if (!(v[0] >= 0 && v[0] <= v[1])) throw new Error(`ColorJitter: ${name} must be [min, max] with 0 <= min <= max, got [${v}]`);
  return v;
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/**
 * Random brightness, contrast and saturation factors (each uniform in [1-v, 1+v], or a [min, max]),
 * applied in that order to a float image in [0, 1]; saturation needs 3 channels and is skipped for
 * grey images. Hue jitter is not implemented.
 *
 * ```ts
 * const jitter = new ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4 });
 * ```
 */
export class ColorJitter implements Transform<Sample> {
  readonly brightness: [number, number] | null;
  readonly contrast: [number, number] | null;
  readonly saturation: [number, number] | null;
  readonly generator: Generator;
  constructor(opts: { brightness?: number | [number, number]; contrast?: number | [number, number]; saturation?: number | [number, number]; generator?: Generator } = {}) {
    opts = checkOptions("ColorJitter", opts, "{ brightness: 0.2 }", ["brightness", "contrast", "saturation", "generator"]);
    this.brightness = range(opts.brightness, "brightness", 1);
    this.contrast = range(opts.contrast, "contrast", 1);
    this.saturation = range(opts.saturation, "saturation", 1);
    this.generator = generatorOf("ColorJitter", opts.generator);
  }
  apply<S extends Sample>(sample: S): S {
    const g = this.generator;
    const draw = (r: [number, number] | null): number | null => (r ? r[0] + g.random() * (r[1] - r[0]) : null);
    const b = draw(this.brightness);
    const c = draw(this.contrast);
    const s = draw(this.saturation);
    return mapImage(sample, "ColorJitter", (img) => {
      const out = Float32Array.from(img.data());
      const rgb = img.ndim >= 3 && img.shape[img.ndim - 3] === 3;
      if (b !== null) for (let i = 0; i < out.length; i++) out[i] = clamp01(out[i] * b);
      if (c !== null) {
        // Blend with each image's mean grey level, as torchvision's adjust_contrast (the mean over
        // the last three dims: a batch [N,C,H,W] gets one mean per image).
        const cur = Tensor.fromArray(out, img.shape, "float32");
        const grey = rgb ? grayscale(cur) : out;
        const images = img.ndim > 3 ? img.shape.slice(0, -3).reduce((a, d) => a * d, 1) : 1;
        const perImage = out.length / images, greyPerImage = grey.length / images;
        for (let n = 0; n < images; n++) {
          let mean = 0;
          for (let i = n * greyPerImage; i < (n + 1) * greyPerImage; i++) mean += grey[i];
          mean /= greyPerImage;
          for (let i = n * perImage; i < (n + 1) * perImage; i++) out[i] = clamp01((out[i] - mean) * c + mean);
        }
      }
      if (s !== null && rgb) {
        const grey = grayscale(Tensor.fromArray(out, img.shape, "float32"));
        const plane = img.shape[img.ndim - 1] * img.shape[img.ndim - 2];
        for (let i = 0; i < out.length; i++) {
          const gv = grey[Math.floor(i / (3 * plane)) * plane + (i % plane)];
          out[i] = clamp01((out[i] - gv) * s + gv);
        }
      }
      return Tensor.fromArray(img.dtype === "float64" ? Float64Array.from(out) : out, img.shape, img.dtype === "float64" ? "float64" : "float32");
    });
  }
}

/**
 * Adds N(mean, std²) noise to every pixel of the image (not to targets); `clip` keeps [0, 1].
 *
 * ```ts
 * const noise = new GaussianNoise({ std: 0.05, clip: true });
 * ```
 */
export class GaussianNoise implements Transform<Sample> {
  readonly mean: number;
  readonly std: number;
  readonly clip: boolean;
  readonly generator: Generator;
  constructor(opts: { std?: number; mean?: number; clip?: boolean; generator?: Generator } = {}) {
    opts = checkOptions("GaussianNoise", opts, "{ std: 0.1 }", ["std", "mean", "clip", "generator"]);
    this.std = opts.std ?? 0.1;
    this.mean = opts.mean ?? 0;
    if (!(this.std >= 0)) throw new Error(`GaussianNoise: std must be non-negative, got ${this.std}`);
    this.clip = opts.clip ?? false;
    this.generator = generatorOf("GaussianNoise", opts.generator);
  }
  apply<S extends Sample>(sample: S): S {
    const img = imageOf(sample, "GaussianNoise");
    if (!isFloating(img.dtype)) throw new Error(`GaussianNoise: the image must be floating point, got ${img.dtype}; apply ToTensor first`);
    return mapImage(sample, "GaussianNoise", (x) => {
      const out = x.data();
      for (let i = 0; i < out.length; i++) {
        const v = out[i] + this.mean + this.std * this.generator.normal();
        out[i] = this.clip ? clamp01(v) : v;
      }
      return Tensor.fromArray(out, x.shape, x.dtype);
    });
  }
}
