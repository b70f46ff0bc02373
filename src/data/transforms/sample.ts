/**
 * Which fields of a sample each kind of transform touches. A sample is an image tensor, or an
 * object `{ image, mask?, depth?, ... }`:
 * - geometric transforms (flip, crop, resize, rotation) move the image AND every spatial target
 *   the same way, with the same random draw: a flipped image with an unflipped depth map teaches a
 *   network nonsense (the exam's 7.6). A field is a spatial target when it is a tensor of 2 or more
 *   dims; its last two dims must equal the image's height and width. `mask` and integer/bool
 *   tensors are resampled by nearest neighbour (class ids must not be blended).
 * - photometric transforms (ColorJitter, GaussianNoise) and Normalize change `image` only.
 * - anything else (labels, 0-d/1-d tensors, numbers, strings, nested objects) passes through.
 * Images are [..., H, W] (usually [C,H,W]); masks [H,W] or [1,H,W].
 */
import { argError, describe } from "../../tensor/check.js";
import { Tensor } from "../../core.js";

/** A sample transforms accept: an image tensor or an object holding one under `image`. */
export type Sample = Tensor | { image: Tensor; [field: string]: unknown };

/** How a field is resampled: images by the transform's interpolation, masks/integer maps by nearest. */
export type FieldKind = "image" | "mask";

function isSpatial(v: unknown): v is Tensor {
  return v instanceof Tensor && v.ndim >= 2;
}

/** The image of a sample (the tensor itself, or `sample.image`), with a clear error otherwise. */
export function imageOf(sample: Sample, op: string): Tensor {
  if (typeof op !== "string") throw argError("data.imageOf", "op", "the transform's name for messages (a string)", op);
  const img = sample instanceof Tensor ? sample : (sample as { image?: unknown })?.image;
  if (!(img instanceof Tensor)) {
    throw new Error(`${op}: expected an image tensor or a sample { image: Tensor, ... }, got ${describe(sample)}${img === undefined && sample !== null && typeof sample === "object" ? " without an image field" : ""}`);
  }
  if (img.ndim < 2) throw new Error(`${op}: the image must have at least 2 dims [..., H, W], got shape [${img.shape.join(",")}]`);
  return img;
}

/**
 * Applies a geometric operation to the image and every spatial target, checking sizes agree.
 *
 * ```ts
 * const flipped = mapSpatial(sample, "RandomHorizontalFlip", (t) => hflip(t));
 * ```
 */
export function mapSpatial<S extends Sample>(sample: S, op: string, fn: (t: Tensor, kind: FieldKind, field: string) => Tensor): S {
  if (typeof fn !== "function") throw argError("data.mapSpatial", "fn", "a function (t, kind, field) => Tensor", fn);
  const img = imageOf(sample, op);
  if (sample instanceof Tensor) return fn(sample, "image", "image") as S;
  const [h, w] = img.shape.slice(-2);
  const out: Record<string, unknown> = { ...sample };
  for (const [key, v] of Object.entries(sample)) {
    if (key === "image") out[key] = fn(v as Tensor, "image", key);
    else if (isSpatial(v)) {
      const [th, tw] = v.shape.slice(-2);
      if (th !== h || tw !== w) {
        throw new Error(`${op}: sample.${key} has shape [${v.shape.join(",")}] but the image is ${h}x${w} (shape [${img.shape.join(",")}]); spatial targets must have the image's height and width in their last two dims`);
      }
      const nearest = key === "mask" || v.dtype === "int32" || v.dtype === "int64" || v.dtype === "bool";
      out[key] = fn(v, nearest ? "mask" : "image", key);
    }
  }
  return out as S;
}

/**
 * Replaces only the image of a sample (photometric transforms, Normalize).
 *
 * ```ts
 * const brighter = mapImage(sample, "Brighten", (img) => img.mul(1.2).clamp(0, 1));
 * ```
 */
export function mapImage<S extends Sample>(sample: S, op: string, fn: (image: Tensor) => Tensor): S {
  if (typeof fn !== "function") throw argError("data.mapImage", "fn", "a function (image) => Tensor", fn);
  const img = imageOf(sample, op);
  const out = fn(img);
  return (sample instanceof Tensor ? out : { ...sample, image: out }) as S;
}
