/**
 * Geometric transforms: they move pixels, so they move the image and every spatial target (mask,
 * depth, ...) identically, with one random draw per sample. See sample.ts for the field rules.
 */
import { argError, checkOptions } from "../../tensor/check.js";
import { roundHalfEven } from "../../tensor/rounding.js";
import { type Generator, type Tensor } from "../../core.js";
import { generatorOf } from "../../tensor/creation.js";
import { type Sample, imageOf, mapSpatial } from "./sample.js";
import type { Transform } from "./transform.js";
import { type Interpolation, crop, hflip, resize, resizedCrop, rotate, vflip } from "./functional.js";

type Size = number | readonly [number, number];

function pairOf(size: Size, op: string): [number, number] {
  const ok = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;
  if (typeof size === "number" ? ok(size) : Array.isArray(size) && size.length === 2 && ok(size[0]) && ok(size[1])) {
    return typeof size === "number" ? [size, size] : [size[0], size[1]];
  }
  throw argError(op, "size", "a positive integer or [height, width]", size);
}

const FLIP_KEYS = ["p", "generator"] as const;

/** What the two random flips share: options, the probability check and one draw per sample. */
abstract class RandomFlip implements Transform<Sample> {
  readonly p: number;
  readonly generator: Generator;
  constructor(private readonly op: string, private readonly flip: (t: Tensor) => Tensor, opts: { p?: number; generator?: Generator }) {
    opts = checkOptions(op, opts, "{ p: 0.5 }", FLIP_KEYS);
    const p = opts.p ?? 0.5;
    if (!(p >= 0 && p <= 1)) throw new Error(`${op}: p must be a probability in [0, 1], got ${p}`);
    this.p = p;
    this.generator = generatorOf(op, opts.generator);
  }
  apply<S extends Sample>(sample: S): S {
    imageOf(sample, this.op);
    return this.generator.random() < this.p ? mapSpatial(sample, this.op, this.flip) : sample;
  }
}

/**
 * Mirrors left-right with probability p (image and spatial targets together).
 *
 * ```ts
 * const flip = new RandomHorizontalFlip({ p: 0.5, generator: new Generator(0) });
 * ```
 */
export class RandomHorizontalFlip extends RandomFlip {
  constructor(opts: { p?: number; generator?: Generator } = {}) {
    super("RandomHorizontalFlip", hflip, opts);
  }
}

/**
 * Mirrors top-bottom with probability p (image and spatial targets together).
 *
 * ```ts
 * const flip = new RandomVerticalFlip({ p: 0.5 });
 * ```
 */
export class RandomVerticalFlip extends RandomFlip {
  constructor(opts: { p?: number; generator?: Generator } = {}) {
    super("RandomVerticalFlip", vflip, opts);
  }
}

/**
 * Resizes to `[h, w]`, or, given one number, the shorter side to it keeping the aspect ratio
 * (as torchvision). Masks and integer maps always use nearest.
 *
 * ```ts
 * new Resize(64).apply(image)  // [3, 480, 640] -> [3, 64, 85]
 * ```
 */
export class Resize implements Transform<Sample> {
  readonly size: Size;
  readonly interpolation: Interpolation;
  constructor(size: Size, opts: { interpolation?: Interpolation } = {}) {
    pairOf(size, "Resize");
    opts = checkOptions("Resize", opts, '{ interpolation: "nearest" }', ["interpolation"]);
    this.size = size;
    this.interpolation = opts.interpolation ?? "bilinear";
  }
  apply<S extends Sample>(sample: S): S {
    const [h, w] = imageOf(sample, "Resize").shape.slice(-2);
    let oh: number, ow: number;
    if (typeof this.size === "number") {
      const s = this.size;
      [oh, ow] = h <= w ? [s, Math.max(1, Math.floor((s * w) / h))] : [Math.max(1, Math.floor((s * h) / w)), s];
    } else [oh, ow] = this.size;
    if (oh === h && ow === w) return sample;
    return mapSpatial(sample, "Resize", (t, kind) => resize(t, oh, ow, kind === "mask" ? "nearest" : this.interpolation));
  }
}

/**
 * Where a centred window of `crop` pixels starts in `size` pixels, as torchvision's center_crop: a
 * larger window is padded with floor((crop - size) / 2) pixels before, a smaller one starts at
 * round((size - crop) / 2) (a 4-pixel side cropped to 3 starts at 0, not 1).
 */
function centredStart(size: number, crop: number): number {
  return crop > size ? -Math.floor((crop - size) / 2) : roundHalfEven((size - crop) / 2);
}

/**
 * The central `size` window (padded with 0 if the image is smaller).
 *
 * ```ts
 * new CenterCrop(224).apply(image)
 * ```
 */
export class CenterCrop implements Transform<Sample> {
  readonly size: [number, number];
  constructor(size: Size) {
    this.size = pairOf(size, "CenterCrop");
  }
  apply<S extends Sample>(sample: S): S {
    const [h, w] = imageOf(sample, "CenterCrop").shape.slice(-2);
    const [ch, cw] = this.size;
    const top = centredStart(h, ch);
    const left = centredStart(w, cw);
    return mapSpatial(sample, "CenterCrop", (t) => crop(t, top, left, ch, cw));
  }
}

/**
 * A random `size` window, after optional zero-padding of `padding` pixels on every side (the
 * CIFAR recipe: `new RandomCrop(32, { padding: 4 })`). Targets are padded with `targetFill`.
 *
 * ```ts
 * const rc = new RandomCrop(28, { padding: 2, generator: new Generator(0) });
 * ```
 */
export class RandomCrop implements Transform<Sample> {
  readonly size: [number, number];
  readonly padding: number;
  readonly fill: number;
  readonly targetFill: number;
  readonly generator: Generator;
  constructor(size: Size, opts: { padding?: number; fill?: number; targetFill?: number; generator?: Generator } = {}) {
    this.size = pairOf(size, "RandomCrop");
    opts = checkOptions("RandomCrop", opts, "{ padding: 4 }", ["padding", "fill", "targetFill", "generator"]);
    this.padding = opts.padding ?? 0;
    if (!Number.isInteger(this.padding) || this.padding < 0) throw new Error(`RandomCrop: padding must be a non-negative integer, got ${opts.padding}`);
    this.fill = opts.fill ?? 0;
    this.targetFill = opts.targetFill ?? 0;
    this.generator = generatorOf("RandomCrop", opts.generator);
  }
  apply<S extends Sample>(sample: S): S {
    const [h, w] = imageOf(sample, "RandomCrop").shape.slice(-2);
    const [ch, cw] = this.size;
    const p = this.padding;
    if (ch > h + 2 * p || cw > w + 2 * p) {
      throw new Error(`RandomCrop: crop ${ch}x${cw} is larger than the ${h}x${w} image padded by ${p}; use a smaller size, more padding, or Resize first`);
    }
    const top = this.generator.randint(0, h + 2 * p - ch + 1) - p;
    const left = this.generator.randint(0, w + 2 * p - cw + 1) - p;
    return mapSpatial(sample, "RandomCrop", (t, _kind, field) => crop(t, top, left, ch, cw, field === "image" ? this.fill : this.targetFill));
  }
}

/**
 * A random window covering `scale` of the area with aspect ratio in `ratio`, resized to `size`
 * (torchvision's RandomResizedCrop, with its 10-tries-then-centre-crop fallback).
 *
 * ```ts
 * const rrc = new RandomResizedCrop(224, { scale: [0.08, 1] });
 * ```
 */
export class RandomResizedCrop implements Transform<Sample> {
  readonly size: [number, number];
  readonly scale: readonly [number, number];
  readonly ratio: readonly [number, number];
  readonly interpolation: Interpolation;
  readonly generator: Generator;
  constructor(size: Size, opts: { scale?: [number, number]; ratio?: [number, number]; interpolation?: Interpolation; generator?: Generator } = {}) {
    this.size = pairOf(size, "RandomResizedCrop");
    opts = checkOptions("RandomResizedCrop", opts, "{ scale: [0.08, 1] }", ["scale", "ratio", "interpolation", "generator"]);
    this.scale = opts.scale ?? [0.08, 1];
    this.ratio = opts.ratio ?? [3 / 4, 4 / 3];
    if (!(this.scale[0] > 0 && this.scale[0] <= this.scale[1])) throw new Error(`RandomResizedCrop: scale must be [min, max] with 0 < min <= max, got [${this.scale}]`);
    if (!(this.ratio[0] > 0 && this.ratio[0] <= this.ratio[1])) throw new Error(`RandomResizedCrop: ratio must be [min, max] with 0 < min <= max, got [${this.ratio}]`);
    this.interpolation = opts.interpolation ?? "bilinear";
    this.generator = generatorOf("RandomResizedCrop", opts.generator);
  }
  /** The window (top, left, height, width) for an image of h x w. */
  getParams(h: number, w: number): [number, number, number, number] {
    const g = this.generator;
    const area = h * w;
    const [lr0, lr1] = [Math.log(this.ratio[0]), Math.log(this.ratio[1])];
    for (let tries = 0; tries < 10; tries++) {
      const target = area * (this.scale[0] + g.random() * (this.scale[1] - this.scale[0]));
      const aspect = Math.exp(lr0 + g.random() * (lr1 - lr0));
      const cw = Math.round(Math.sqrt(target * aspect));
      const ch = Math.round(Math.sqrt(target / aspect));
      if (cw > 0 && ch > 0 && cw <= w && ch <= h) return [g.randint(0, h - ch + 1), g.randint(0, w - cw + 1), ch, cw];
    }
    // Fallback: the largest centred window whose aspect fits in `ratio`.
    const r = w / h;
    const [ch, cw] = r < this.ratio[0] ? [roundHalfEven(w / this.ratio[0]), w] : r > this.ratio[1] ? [h, roundHalfEven(h * this.ratio[1])] : [h, w];
    return [Math.floor((h - ch) / 2), Math.floor((w - cw) / 2), ch, cw];
  }
  apply<S extends Sample>(sample: S): S {
    const [h, w] = imageOf(sample, "RandomResizedCrop").shape.slice(-2);
    const [top, left, ch, cw] = this.getParams(h, w);
    const [oh, ow] = this.size;
    return mapSpatial(sample, "RandomResizedCrop", (t, kind) => resizedCrop(t, top, left, ch, cw, oh, ow, kind === "mask" ? "nearest" : this.interpolation));
  }
}

/**
 * Rotates by an angle drawn uniformly from [-degrees, degrees] (or [min, max]), counter-clockwise,
 * about the centre; uncovered corners get `fill` (image) and `targetFill` (targets).
 *
 * ```ts
 * const rot = new RandomRotation(15, { fill: 0 });
 * ```
 */
export class RandomRotation implements Transform<Sample> {
  readonly degrees: [number, number];
  readonly fill: number;
  readonly targetFill: number;
  readonly interpolation: Interpolation;
  readonly generator: Generator;
  constructor(degrees: number | [number, number], opts: { fill?: number; targetFill?: number; interpolation?: Interpolation; generator?: Generator } = {}) {
    const isPair = Array.isArray(degrees) && degrees.length === 2 && degrees.every((d) => typeof d === "number");
    if (typeof degrees !== "number" && !isPair) throw argError("RandomRotation", "degrees", "a number d (the range [-d, d]) or [min, max]", degrees);
    opts = checkOptions("RandomRotation", opts, "{ fill: 0 }", ["fill", "targetFill", "interpolation", "generator"]);
    if (typeof degrees === "number") {
      if (!(degrees >= 0)) throw new Error(`RandomRotation: a single degrees value must be non-negative (the range is [-d, d]), got ${degrees}`);
      this.degrees = [-degrees, degrees];
    } else {
      if (!(degrees[0] <= degrees[1])) throw new Error(`RandomRotation: degrees must be [min, max] with min <= max, got [${degrees}]`);
      this.degrees = [degrees[0], degrees[1]];
    }
    this.fill = opts.fill ?? 0;
    this.targetFill = opts.targetFill ?? 0;
    this.interpolation = opts.interpolation ?? "nearest";
    this.generator = generatorOf("RandomRotation", opts.generator);
  }
  apply<S extends Sample>(sample: S): S {
    imageOf(sample, "RandomRotation");
    const angle = this.degrees[0] + this.generator.random() * (this.degrees[1] - this.degrees[0]);
    return mapSpatial(sample, "RandomRotation", (t, kind, field) =>
      rotate(t, angle, kind === "mask" ? "nearest" : this.interpolation, field === "image" ? this.fill : this.targetFill),
    );
  }
}
