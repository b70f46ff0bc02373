/**
 * 1-D pooling (max, average, adaptive average, adaptive max) and 2-D adaptive max pooling.
 *
 * The 1-D pools are the 2-D ones over a height-1 image, as PyTorch computes them. Adaptive max
 * pooling finds each window's maximum in plain TypeScript (first maximum, a NaN wins, as PyTorch's
 * kernel) and gathers it, so the gradient goes to exactly the element PyTorch's does.
 *
 * ```ts
 * import { nn } from "deeptype";
 * const y = nn.functional.maxPool1d(x, 2); // [N, C, L] -> [N, C, ⌊L/2⌋]
 * ```
 */
import { Tensor, isFloating, maxPool2d, maxPool2dWithIndices, avgPool2d, adaptiveAvgPool2d, gather, tensor } from "../../core.js";
import { describe, tensorArgError, checkKeys } from "../../tensor/check.js";
import { fmtShape } from "../module.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const AVG_POOL1D_KEYS = ["stride", "padding", "ceilMode", "countIncludePad"] as const;
const MAX_POOL1D_WITH_INDICES_KEYS = ["stride", "padding", "dilation", "ceilMode"] as const;
const MAX_POOL1D_KEYS = ["stride", "padding", "dilation", "ceilMode"] as const;

/** Options of `maxPool1d` (PyTorch's positional order after kernelSize: stride, padding, dilation, ceilMode). */
export interface MaxPool1dOptions { stride?: number | null; padding?: number; dilation?: number; ceilMode?: boolean }
/** Options of `avgPool1d` (stride, padding, ceilMode, countIncludePad). */
export interface AvgPool1dOptions { stride?: number | null; padding?: number; ceilMode?: boolean; countIncludePad?: boolean }

function int1(v: unknown, fn: string, name: string, min: number): number {
  const n = Array.isArray(v) && v.length === 1 ? v[0] : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min) throw new Error(`${fn}: ${name} must be an integer >= ${min} (or a 1-element array), got ${describe(v)}`);
  return n;
}

/** [N, C, L] or [C, L] as [N', C, 1, L] (a height-1 image) and the function to undo it. */
function asImage(x: Tensor, fn: string): [Tensor, (y: Tensor) => Tensor] {
  if (!(x instanceof Tensor)) throw tensorArgError(fn, "input", x);
  if (x.ndim !== 2 && x.ndim !== 3) throw new Error(`${fn}: expected input [N, C, L] or [C, L], got ${fmtShape(x.shape)}`);
  // Only the batch dim may be empty (PyTorch's rule).
  if (x.shape.slice(x.ndim - 2).some((s) => s === 0)) throw new Error(`${fn}: expected input [N, C, L] or [C, L] with non-empty C and L (only the batch may be empty), got ${fmtShape(x.shape)}`);
  return [x.unsqueeze(-2), (y) => y.squeeze(-2)];
}

/** `maxPool1d(x, 3, { stride: 2 })`: the maximum of each window. Shape: [N, C, L] -> [N, C, Lout]. */
export function maxPool1d(x: Tensor, kernelSize: number, opts: MaxPool1dOptions = {}): Tensor {
  checkKeys("maxPool1d", opts, MAX_POOL1D_KEYS);
  const [img, back] = asImage(x, "maxPool1d");
  return back(maxPool2d(img, [1, int1(kernelSize, "maxPool1d", "kernelSize", 1)], pool2dOpts(opts, "maxPool1d")));
}

/** `maxPool1dWithIndices(x, 2)`: maxPool1d's values and the position of each maximum along L (int64, as PyTorch). */
export function maxPool1dWithIndices(x: Tensor, kernelSize: number, opts: MaxPool1dOptions = {}): { values: Tensor; indices: Tensor } {
  checkKeys("maxPool1dWithIndices", opts, MAX_POOL1D_WITH_INDICES_KEYS);
  const [img, back] = asImage(x, "maxPool1d");
  const r = maxPool2dWithIndices(img, [1, int1(kernelSize, "maxPool1d", "kernelSize", 1)], pool2dOpts(opts, "maxPool1d"));
  return { values: back(r.values), indices: back(r.indices) };
}

function pool2dOpts(opts: MaxPool1dOptions & AvgPool1dOptions, fn: string) {
  const out: { stride?: [number, number]; padding: [number, number]; dilation?: [number, number]; ceilMode?: boolean; countIncludePad?: boolean } = {
    padding: [0, int1(opts.padding ?? 0, fn, "padding", 0)], ceilMode: opts.ceilMode,
  };
  if (opts.stride !== undefined && opts.stride !== null) out.stride = [1, int1(opts.stride, fn, "stride", 1)];
  if (opts.dilation !== undefined) out.dilation = [1, int1(opts.dilation, fn, "dilation", 1)];
  if (opts.countIncludePad !== undefined) out.countIncludePad = opts.countIncludePad;
  return out;
}

/** `avgPool1d(x, 3, { stride: 2 })`: the mean of each window. Shape: [N, C, L] -> [N, C, Lout]. */
export function avgPool1d(x: Tensor, kernelSize: number, opts: AvgPool1dOptions = {}): Tensor {
  checkKeys("avgPool1d", opts, AVG_POOL1D_KEYS);
  const [img, back] = asImage(x, "avgPool1d");
  const k = int1(kernelSize, "avgPool1d", "kernelSize", 1);
  const stride = opts.stride === undefined || opts.stride === null ? k : int1(opts.stride, "avgPool1d", "stride", 1);
  return back(avgPool2d(img, [1, k], { ...pool2dOpts(opts, "avgPool1d"), stride: [1, stride] }));
}

/** `adaptiveAvgPool1d(x, 5)`: averages into `outputSize` windows. Shape: [N, C, L] -> [N, C, outputSize]. */
export function adaptiveAvgPool1d(x: Tensor, outputSize: number): Tensor {
  const [img, back] = asImage(x, "adaptiveAvgPool1d");
  return back(adaptiveAvgPool2d(img, [1, int1(outputSize, "adaptiveAvgPool1d", "outputSize", 1)]));
}

/** Window i of n positions split into o: [⌊i·n/o⌋, ⌈(i+1)·n/o⌉) (PyTorch's adaptive rule). */
const windowStart = (i: number, n: number, o: number): number => Math.floor((i * n) / o);
const windowEnd = (i: number, n: number, o: number): number => Math.ceil(((i + 1) * n) / o);

/** Adaptive max pooling over the last two dims of x [B, C, H, W]: values and flat indices into H·W. */
function adaptiveMax(x: Tensor, oH: number, oW: number): { values: Tensor; indices: Tensor } {
  const [B, C, H, W] = x.shape;
  // Equal windows (the sizes divide): exactly a max pool with kernel = stride = size / output, the
  // same values, indices and tie/NaN rule, as one traced op (so ONNX export writes a MaxPool).
  if (H % oH === 0 && W % oW === 0 && x.numel() > 0) return maxPool2dWithIndices(x, [H / oH, W / oW]);
  const planes = B * C;
  const src = x.contiguous().numbers();
  const idx = new Int32Array(planes * oH * oW);
  let k = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    for (let i = 0; i < oH; i++) {
      const h0 = windowStart(i, H, oH), h1 = windowEnd(i, H, oH);
      for (let j = 0; j < oW; j++) {
        const w0 = windowStart(j, W, oW), w1 = windowEnd(j, W, oW);
        let best = h0 * W + w0, bestV = src[base + best];
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const v = src[base + h * W + w];
            // PyTorch's rule: a strictly greater value or any NaN takes over.
            if (v > bestV || Number.isNaN(v)) { bestV = v; best = h * W + w; }
          }
        }
        idx[k++] = best;
      }
    }
  }
  const indices = tensor(idx).long().reshape([B, C, oH * oW]); // int64, as PyTorch's return_indices
  const values = gather(x.reshape([B, C, H * W]), 2, indices).reshape([B, C, oH, oW]);
  return { values, indices: indices.reshape([B, C, oH, oW]) };
}

function checkAdaptiveInput(x: Tensor, fn: string, dims: 1 | 2): void {
  if (!(x instanceof Tensor)) throw tensorArgError(fn, "input", x);
  const spatial = dims === 1 ? "L" : "H, W";
  if (x.ndim !== dims + 1 && x.ndim !== dims + 2) throw new Error(`${fn}: expected input [N, C, ${spatial}] or [C, ${spatial}], got ${fmtShape(x.shape)}`);
  if (x.shape.slice(-dims).some((s) => s === 0)) throw new Error(`${fn}: input ${fmtShape(x.shape)} has an empty spatial dim; each window needs at least one element`);
  if (!isFloating(x.dtype)) throw new Error(`${fn}: expected a floating-point input, got ${x.dtype}; convert it with x.float()`);
}

/**
 * `adaptiveMaxPool2dWithIndices(x, [2, 2])`: the maximum of each adaptive window and its flat
 * position in H·W (int64, as PyTorch's return_indices). Shape: [N, C, H, W] -> [N, C, oH, oW].
 */
export function adaptiveMaxPool2dWithIndices(x: Tensor, outputSize: number | readonly [number | null, number | null]): { values: Tensor; indices: Tensor } {
  const fn = "adaptiveMaxPool2d";
  checkAdaptiveInput(x, fn, 2);
  const unbatched = x.ndim === 3;
  const xb = unbatched ? x.unsqueeze(0) : x;
  const H = xb.shape[2], W = xb.shape[3];
  // PyTorch's None in output_size keeps that dim's input size.
  const sizes = typeof outputSize === "number" ? [outputSize, outputSize] : outputSize;
  if (!Array.isArray(sizes) || sizes.length !== 2) throw new Error(`${fn}: outputSize must be an integer or 2 integers (null keeps the input size), got ${describe(outputSize)}`);
  const oH = sizes[0] === null ? H : int1(sizes[0], fn, "outputSize", 1), oW = sizes[1] === null ? W : int1(sizes[1], fn, "outputSize", 1);
  const r = adaptiveMax(xb, oH, oW);
  return unbatched ? { values: r.values.squeeze(0), indices: r.indices.squeeze(0) } : r;
}

/** `adaptiveMaxPool2d(x, 1)`: the maximum of each adaptive window (global max pooling with 1). */
export function adaptiveMaxPool2d(x: Tensor, outputSize: number | readonly [number | null, number | null]): Tensor {
  return adaptiveMaxPool2dWithIndices(x, outputSize).values;
}

/** `adaptiveMaxPool1dWithIndices(x, 4)`: values and positions along L (int32). Shape: [N, C, L] -> [N, C, o]. */
export function adaptiveMaxPool1dWithIndices(x: Tensor, outputSize: number): { values: Tensor; indices: Tensor } {
  const fn = "adaptiveMaxPool1d";
  checkAdaptiveInput(x, fn, 1);
  const o = int1(outputSize, fn, "outputSize", 1);
  const unbatched = x.ndim === 2;
  const xb = (unbatched ? x.unsqueeze(0) : x).unsqueeze(2);
  const r = adaptiveMax(xb, 1, o);
  const back = (t: Tensor): Tensor => (unbatched ? t.squeeze(2).squeeze(0) : t.squeeze(2));
  return { values: back(r.values), indices: back(r.indices) };
}

/** `adaptiveMaxPool1d(x, 4)`: the maximum of each of `outputSize` adaptive windows along L. */
export function adaptiveMaxPool1d(x: Tensor, outputSize: number): Tensor {
  return adaptiveMaxPool1dWithIndices(x, outputSize).values;
}
