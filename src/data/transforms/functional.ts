/**
 * The pixel work behind the transforms, on plain typed arrays: each works on the last two dims
 * (H, W) of a tensor of any leading shape and returns a new contiguous tensor of the same dtype.
 * Pixel centres sit at half-integers (PyTorch's align_corners=false), so resizing is symmetric.
 */
import { Tensor, type TypedArray } from "../../core.js";

export type Interpolation = "nearest" | "bilinear";

function planes(t: Tensor): { src: TypedArray; n: number; h: number; w: number } {
  const h = t.shape[t.ndim - 2];
  const w = t.shape[t.ndim - 1];
  return { src: t.data(), n: h * w === 0 ? 0 : t.numel() / (h * w), h, w };
}

/** The result tensor in t's dtype (16-bit floats rounded from the float32 work array, int64 from the float64 one). */
function made(out: TypedArray, shape: readonly number[], t: Tensor): Tensor {
  if (t.dtype === "float16" || t.dtype === "bfloat16") return Tensor.fromArray(out, shape, "float32").to(t.dtype);
  if (t.dtype === "int64") return Tensor.fromArray(out, shape, "float64").to("int64");
  return Tensor.fromArray(out, shape, t.dtype);
}

function withHW(t: Tensor, h: number, w: number): number[] {
  return [...t.shape.slice(0, -2), h, w];
}

function alloc(t: Tensor, size: number): TypedArray {
  // float16/bfloat16 images are worked on as float32 values (data() gives those) and rounded in made().
  if (t.dtype === "float16" || t.dtype === "bfloat16") return new Float32Array(size);
  // int64 (class masks) is worked on as doubles, which data() gives and which hold every id exactly
  // up to 2^53; made() turns them back into int64.
  if (t.dtype === "int64") return new Float64Array(size);
  return new (t.storage.data.constructor as new (n: number) => TypedArray)(size);
}

/** `hflip(img)`: mirrors left-right (exact). */
export function hflip(t: Tensor): Tensor {
  const { src, n, h, w } = planes(t);
  const out = alloc(t, src.length);
  for (let p = 0; p < n * h; p++) {
    const row = p * w;
    for (let x = 0; x < w; x++) out[row + x] = src[row + w - 1 - x];
  }
  return made(out, t.shape, t);
}

/** `vflip(img)`: mirrors top-bottom (exact). */
export function vflip(t: Tensor): Tensor {
  const { src, n, h, w } = planes(t);
  const out = alloc(t, src.length);
  for (let p = 0; p < n; p++) {
    for (let y = 0; y < h; y++) out.set(src.subarray((p * h + h - 1 - y) * w, (p * h + h - y) * w), (p * h + y) * w);
  }
  return made(out, t.shape, t);
}

/** `crop(img, top, left, h, w, fill)`: a window; parts outside the image are `fill` (exact). */
export function crop(t: Tensor, top: number, left: number, height: number, width: number, fill = 0): Tensor {
  const { src, n, h, w } = planes(t);
  const out = alloc(t, n * height * width);
  if (fill !== 0) out.fill(fill);
  for (let p = 0; p < n; p++) {
    for (let y = 0; y < height; y++) {
      const sy = top + y;
      if (sy < 0 || sy >= h) continue;
      const x0 = Math.max(0, -left);
      const x1 = Math.min(width, w - left);
      if (x1 > x0) out.set(src.subarray((p * h + sy) * w + left + x0, (p * h + sy) * w + left + x1), (p * height + y) * width + x0);
    }
  }
  return made(out, withHW(t, height, width), t);
}

/**
 * The general resampler: output pixel (y, x) reads the source at
 * (sy, sx) = (d*x + e*y + f, a*x + b*y + c). Outside the image: the edge pixel (`fill` undefined)
 * or `fill`.
 */
export function warp(t: Tensor, outH: number, outW: number, m: readonly [number, number, number, number, number, number], mode: Interpolation, fill?: number): Tensor {
  const { src, n, h, w } = planes(t);
  const out = alloc(t, n * outH * outW);
  const [a, b, c, d, e, f] = m;
  const clampEdge = fill === undefined;
  const fv = fill ?? 0;
  const plane = h * w;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      let sx = a * x + b * y + c;
      let sy = d * x + e * y + f;
      const o = y * outW + x;
      if (mode === "nearest") {
        let ix = Math.floor(sx + 0.5);
        let iy = Math.floor(sy + 0.5);
        if (ix < 0 || ix >= w || iy < 0 || iy >= h) {
          if (!clampEdge) {
            for (let p = 0; p < n; p++) out[p * outH * outW + o] = fv;
            continue;
          }
          ix = Math.min(w - 1, Math.max(0, ix));
          iy = Math.min(h - 1, Math.max(0, iy));
        }
        for (let p = 0; p < n; p++) out[p * outH * outW + o] = src[p * plane + iy * w + ix];
        continue;
      }
      if (clampEdge) {
        sx = Math.min(w - 1, Math.max(0, sx));
        sy = Math.min(h - 1, Math.max(0, sy));
      } else if (sx <= -1 || sx >= w || sy <= -1 || sy >= h) {
        for (let p = 0; p < n; p++) out[p * outH * outW + o] = fv;
        continue;
      }
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const in00 = x0 >= 0 && y0 >= 0;
      const in01 = x0 + 1 < w && y0 >= 0;
      const in10 = x0 >= 0 && y0 + 1 < h;
      const in11 = x0 + 1 < w && y0 + 1 < h;
      for (let p = 0; p < n; p++) {
        const base = p * plane + y0 * w + x0;
        // Neighbours outside the image count as `fill` (or, when clamped, cannot occur with weight > 0).
        const v00 = in00 ? src[base] : fv;
        const v01 = in01 ? src[base + 1] : fv;
        const v10 = in10 ? src[base + w] : fv;
        const v11 = in11 ? src[base + w + 1] : fv;
        out[p * outH * outW + o] = (v00 * (1 - fx) + v01 * fx) * (1 - fy) + (v10 * (1 - fx) + v11 * fx) * fy;
      }
    }
  }
  return made(out, withHW(t, outH, outW), t);
}

/**
 * `resizedCrop(img, top, left, h, w, outH, outW)`: the window (top, left, h, w) scaled to outH x outW.
 * Cropped first, as torchvision's resized_crop: scaling up, the window's edge pixels are clamped to
 * the window, not blended with the pixels just outside it.
 */
export function resizedCrop(t: Tensor, top: number, left: number, height: number, width: number, outH: number, outW: number, mode: Interpolation): Tensor {
  return resize(crop(t, top, left, height, width), outH, outW, mode);
}

/** `resize(img, 64, 64, "bilinear")`: PyTorch's interpolate with align_corners=false ("nearest" is its "nearest-exact"). */
export function resize(t: Tensor, outH: number, outW: number, mode: Interpolation): Tensor {
  const [h, w] = t.shape.slice(-2);
  const sx = w / outW;
  const sy = h / outH;
  return warp(t, outH, outW, [sx, 0, 0.5 * sx - 0.5, 0, sy, 0.5 * sy - 0.5], mode);
}

/** `rotate(img, 30, "bilinear", 0)`: counter-clockwise by `degrees` about the centre; uncovered corners get `fill`. */
export function rotate(t: Tensor, degrees: number, mode: Interpolation, fill = 0): Tensor {
  const [h, w] = t.shape.slice(-2);
  const th = (degrees * Math.PI) / 180;
  const cos = Math.cos(th);
  const sin = Math.sin(th);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  // Inverse map: each output pixel looks up where it came from (rotating back by -degrees).
  return warp(t, h, w, [cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy], mode, fill);
}

/** Per-pixel luminance of a [3,H,W] (or [...,3,H,W]) image, as torchvision's rgb_to_grayscale. */
export function grayscale(t: Tensor): Float32Array {
  const { src, n, h, w } = planes(t);
  const plane = h * w;
  if (t.ndim < 3 || t.shape[t.ndim - 3] !== 3) throw new Error(`grayscale: expected an RGB image [..., 3, H, W], got shape [${t.shape.join(",")}]`);
  const out = new Float32Array((n / 3) * plane);
  for (let img = 0; img < n / 3; img++) {
    const base = img * 3 * plane;
    for (let i = 0; i < plane; i++) out[img * plane + i] = 0.299 * src[base + i] + 0.587 * src[base + plane + i] + 0.114 * src[base + 2 * plane + i];
  }
  return out;
}
