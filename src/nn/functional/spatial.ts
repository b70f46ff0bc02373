/**
 * Spatial rearrangements of `nn.functional`: `pad` (constant, reflect, replicate, circular),
 * `pixelShuffle`/`pixelUnshuffle`, and `unfold`/`fold` (im2col and its adjoint).
 *
 * unfold is one `indexSelect` of the padded, flattened image and fold one `indexAdd` into it, so each
 * is the other's gradient, as in PyTorch, and every backend runs them.
 *
 * ```ts
 * import { nn } from "deeptype";
 * const cols = nn.functional.unfold(img, 3, { padding: 1 }); // [N, C·9, H·W]
 * ```
 */
import { Tensor, pad as padOp, indexSelect, indexAdd, zeros, tensor, type PadMode } from "../../core.js";
import { describe, tensorArgError, checkKeys, declareOptions } from "../../tensor/check.js";
import { fmtShape } from "../module.js";

/** Option keys: anything else is a misspelling (checkKeys). */
const UNFOLD_KEYS = ["dilation", "padding", "stride"] as const;

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const FOLD_KEYS = ["dilation", "padding", "stride"] as const;
// Declared, so that the entry layer knows the trailing object is an options object: undeclared, a
// failing unfold(x, k, { padding: 1 }) was reported as "padding is a positional parameter, not an option".
declareOptions({ unfold: UNFOLD_KEYS, fold: FOLD_KEYS });

/**
 * `pad(x, [1, 1, 2, 0], "reflect")`: PyTorch's F.pad. Pads are given for the last dim first (left,
 * right), then the one before. "constant" fills with `value` and takes any dims (negative pads crop);
 * "reflect" and "replicate" pad the last 1–3 dims of a [C, ...] or [N, C, ...] input, "circular" those
 * of an [N, C, ...] input.
 */
export function pad(x: Tensor, pads: readonly number[], mode: PadMode = "constant", value = 0): Tensor {
  if (!(x instanceof Tensor)) throw tensorArgError("pad", "input", x);
  if (!Array.isArray(pads)) throw new Error(`pad: pads must be an array of integers (last dim's left, right, then the dim before...), got ${describe(pads)}`);
  return padOp(x, pads, mode, value ?? 0);
}

function pos(v: unknown, fn: string, name: string, min = 1): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) throw new Error(`${fn}: ${name} must be an integer >= ${min}, got ${describe(v)}`);
  return v;
}

/**
 * `pixelShuffle(x, 2)`: [*, C·r², H, W] -> [*, C, H·r, W·r], moving channel blocks into space
 * (sub-pixel convolution's upsampling).
 */
export function pixelShuffle(x: Tensor, upscaleFactor: number): Tensor {
  const fn = "pixelShuffle";
  const r = pos(upscaleFactor, fn, "upscaleFactor");
  if (x.ndim < 3) throw new Error(`${fn}: expected input [*, C·r², H, W] with at least 3 dims, got ${fmtShape(x.shape)}`);
  const lead = x.shape.slice(0, -3);
  const [c, h, w] = x.shape.slice(-3);
  if (c % (r * r) !== 0) throw new Error(`${fn}: the channel dim (${c}) of input ${fmtShape(x.shape)} must be divisible by upscaleFactor² = ${r * r}`);
  const oc = c / (r * r), k = lead.length;
  // [*, oc, r, r, h, w] -> [*, oc, h, r, w, r]
  const y = x.reshape([...lead, oc, r, r, h, w]);
  const perm = [...lead.keys(), k, k + 3, k + 1, k + 4, k + 2];
  return y.permute(perm).reshape([...lead, oc, h * r, w * r]);
}

/** `pixelUnshuffle(x, 2)`: the inverse of pixelShuffle, [*, C, H·r, W·r] -> [*, C·r², H, W]. */
export function pixelUnshuffle(x: Tensor, downscaleFactor: number): Tensor {
  const fn = "pixelUnshuffle";
  const r = pos(downscaleFactor, fn, "downscaleFactor");
  if (x.ndim < 3) throw new Error(`${fn}: expected input [*, C, H·r, W·r] with at least 3 dims, got ${fmtShape(x.shape)}`);
  const lead = x.shape.slice(0, -3);
  const [c, h, w] = x.shape.slice(-3);
  if (h % r !== 0 || w % r !== 0) throw new Error(`${fn}: the height (${h}) and width (${w}) of input ${fmtShape(x.shape)} must be divisible by downscaleFactor ${r}`);
  const k = lead.length;
  // [*, c, h/r, r, w/r, r] -> [*, c, r, r, h/r, w/r]
  const y = x.reshape([...lead, c, h / r, r, w / r, r]);
  const perm = [...lead.keys(), k, k + 2, k + 4, k + 1, k + 3];
  return y.permute(perm).reshape([...lead, c * r * r, h / r, w / r]);
}

type Pair = number | readonly [number, number];

/** Options of `unfold`/`fold` (PyTorch's positional order after kernelSize: dilation, padding, stride). */
export interface UnfoldOptions { dilation?: Pair; padding?: Pair; stride?: Pair }

function pair(v: Pair, fn: string, name: string, min: number): [number, number] {
  const a = typeof v === "number" ? [v, v] : Array.isArray(v) ? [...v] : [];
  if (a.length !== 2 || a.some((n) => typeof n !== "number" || !Number.isInteger(n) || n < min)) {
    throw new Error(`${fn}: ${name} must be an integer or 2 integers >= ${min}, got ${describe(v)}`);
  }
  return [a[0], a[1]];
}

interface Im2col {
  k: [number, number]; d: [number, number]; p: [number, number]; s: [number, number];
  /** Padded size, and number of blocks per dim. */
  hp: number; wp: number; bh: number; bw: number;
  /** For each (kernel position, block), the flat position in the padded image: [kh·kw·bh·bw]. */
  index: Tensor;
}

function im2col(fn: string, h: number, w: number, kernelSize: Pair, o: UnfoldOptions): Im2col {
  const k = pair(kernelSize, fn, "kernelSize", 1), d = pair(o.dilation ?? 1, fn, "dilation", 1);
  const p = pair(o.padding ?? 0, fn, "padding", 0), s = pair(o.stride ?? 1, fn, "stride", 1);
  const hp = h + 2 * p[0], wp = w + 2 * p[1];
  const bh = Math.floor((hp - d[0] * (k[0] - 1) - 1) / s[0]) + 1, bw = Math.floor((wp - d[1] * (k[1] - 1) - 1) / s[1]) + 1;
  if (bh < 1 || bw < 1) {
    throw new Error(`${fn}: a ${k[0]}x${k[1]} kernel (dilation ${fmtShape(d)}) does not fit the padded ${hp}x${wp} image (padding ${fmtShape(p)}); give a smaller kernel or more padding`);
  }
  const idx = new Int32Array(k[0] * k[1] * bh * bw);
  let n = 0;
  for (let ki = 0; ki < k[0]; ki++) {
    for (let kj = 0; kj < k[1]; kj++) {
      for (let i = 0; i < bh; i++) {
        for (let j = 0; j < bw; j++) idx[n++] = (i * s[0] + ki * d[0]) * wp + j * s[1] + kj * d[1];
      }
    }
  }
  return { k, d, p, s, hp, wp, bh, bw, index: tensor(idx) };
}

/**
 * unfold/fold's trailing arguments: one options object, or PyTorch's positional dilation, padding,
 * stride (`F.unfold(x, 2, 1, 0, 2)`), which used to be silently ignored (a number is no options object).
 */
function foldArgs(fn: string, first: Pair | UnfoldOptions | undefined, padding: Pair | undefined, stride: Pair | undefined): UnfoldOptions {
  if (first !== null && typeof first === "object" && !Array.isArray(first)) {
    if (padding !== undefined || stride !== undefined) throw new Error(`${fn}: got an options object and also positional padding ${String(padding)} and stride ${String(stride)} after it; give them in one place, e.g. ${fn}(x, kernelSize, { dilation, padding, stride })`);
    return first as UnfoldOptions;
  }
  if (first !== undefined && typeof first !== "number" && !Array.isArray(first)) throw new Error(`${fn}: dilation must be an integer, a pair of integers or an options object like { stride: 2 }, got ${describe(first)}`);
  return { dilation: first as Pair | undefined, padding, stride };
}

/**
 * `unfold(x, 3, { padding: 1 })` or `unfold(x, 3, 1, 1)` (PyTorch's positional dilation, padding,
 * stride): every sliding kernel-sized block of the image as a column (im2col).
 * Shape: [N, C, H, W] (or [C, H, W]) -> [N, C·kh·kw, L], L the number of blocks.
 */
export function unfold(x: Tensor, kernelSize: Pair, opts?: UnfoldOptions): Tensor;
export function unfold(x: Tensor, kernelSize: Pair, dilation?: Pair, padding?: Pair, stride?: Pair): Tensor;
export function unfold(x: Tensor, kernelSize: Pair, dilationOrOpts?: Pair | UnfoldOptions, padding?: Pair, stride?: Pair): Tensor {
  const opts: UnfoldOptions = foldArgs("unfold", dilationOrOpts, padding, stride);
  checkKeys("unfold", opts, UNFOLD_KEYS);
  const fn = "unfold";
  if (!(x instanceof Tensor)) throw tensorArgError(fn, "input", x);
  if (x.ndim !== 3 && x.ndim !== 4) throw new Error(`${fn}: expected input [N, C, H, W] or [C, H, W], got ${fmtShape(x.shape)}`);
  const unbatched = x.ndim === 3;
  const xb = unbatched ? x.unsqueeze(0) : x;
  const [N, C, H, W] = xb.shape;
  const g = im2col(fn, H, W, kernelSize, opts);
  const padded = g.p[0] || g.p[1] ? padOp(xb, [g.p[1], g.p[1], g.p[0], g.p[0]]) : xb;
  const cols = indexSelect(padded.reshape([N, C, g.hp * g.wp]), 2, g.index).reshape([N, C * g.k[0] * g.k[1], g.bh * g.bw]);
  return unbatched ? cols.squeeze(0) : cols;
}

/**
 * `fold(cols, [H, W], 3, { padding: 1 })` (or PyTorch's positional dilation, padding, stride): the adjoint of unfold — sums each column back into its
 * block of an [H, W] image (overlaps add up). Shape: [N, C·kh·kw, L] (or [C·kh·kw, L]) -> [N, C, H, W].
 */
export function fold(x: Tensor, outputSize: Pair, kernelSize: Pair, opts?: UnfoldOptions): Tensor;
export function fold(x: Tensor, outputSize: Pair, kernelSize: Pair, dilation?: Pair, padding?: Pair, stride?: Pair): Tensor;
export function fold(x: Tensor, outputSize: Pair, kernelSize: Pair, dilationOrOpts?: Pair | UnfoldOptions, padding?: Pair, stride?: Pair): Tensor {
  const opts: UnfoldOptions = foldArgs("fold", dilationOrOpts, padding, stride);
  checkKeys("fold", opts, FOLD_KEYS);
  const fn = "fold";
  if (!(x instanceof Tensor)) throw tensorArgError(fn, "input", x);
  if (x.ndim !== 2 && x.ndim !== 3) throw new Error(`${fn}: expected input [N, C·kh·kw, L] or [C·kh·kw, L], got ${fmtShape(x.shape)}`);
  const unbatched = x.ndim === 2;
  const xb = unbatched ? x.unsqueeze(0) : x;
  const [H, W] = pair(outputSize, fn, "outputSize", 1);
  const g = im2col(fn, H, W, kernelSize, opts);
  const kk = g.k[0] * g.k[1];
  const [N, CK, L] = xb.shape;
  if (CK % kk !== 0) throw new Error(`${fn}: dim 1 of input ${fmtShape(x.shape)} (${CK}) must be divisible by the kernel's ${g.k[0]}x${g.k[1]} = ${kk} positions`);
  if (L !== g.bh * g.bw) {
    throw new Error(`${fn}: input ${fmtShape(x.shape)} has ${L} blocks, but an output of ${H}x${W} with this kernel, dilation, padding and stride has ${g.bh} * ${g.bw} = ${g.bh * g.bw}`);
  }
  const C = CK / kk;
  const img = indexAdd(zeros([N, C, g.hp * g.wp], { dtype: xb.dtype }), 2, g.index, xb.reshape([N, C, kk * L])).reshape([N, C, g.hp, g.wp]);
  const out = g.p[0] || g.p[1] ? img.narrow(2, g.p[0], H).narrow(3, g.p[1], W) : img;
  return unbatched ? out.squeeze(0) : out;
}
