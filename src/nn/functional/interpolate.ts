/**
 * `interpolate`: resizing by nearest-neighbour, linear, bilinear or bicubic interpolation, as
 * PyTorch 1.13's F.interpolate. Each spatial dim is resized in turn (the modes are separable), each
 * output position reading fixed input positions (`indexSelect`) with fixed weights, so it is
 * differentiable and runs on every backend.
 *
 * ```ts
 * import { nn } from "deeptype";
 * const up = nn.functional.interpolate(img, { scaleFactor: 2, mode: "bicubic", alignCorners: false });
 * ```
 */
import { Tensor, isFloating, indexSelect, tensor } from "../../core.js";
import { describe, tensorArgError } from "../../tensor/check.js";
import { fmtShape } from "../module.js";
import { positionalOptions, type PositionalArgs } from "../positional.js";

/** The option keys of each layer here: anything else is a misspelling (positionalOptions). */
const INTERPOLATE_KEYS = ["size", "scaleFactor", "mode", "alignCorners"] as const;

export type InterpolateMode = "nearest" | "linear" | "bilinear" | "bicubic";

/** Options of `interpolate` / `Upsample`: give exactly one of `size` and `scaleFactor`. */
export interface InterpolateOptions {
  size?: number | readonly number[] | null;
  scaleFactor?: number | readonly number[] | null;
  mode?: InterpolateMode;
  /** Linear modes only: map the corner pixels' centres onto each other (default false, as PyTorch). */
  alignCorners?: boolean | null;
}

/** PyTorch's positional order after the input: size, scaleFactor, mode, alignCorners. */
export type InterpolateArgs = PositionalArgs<
  [size: number | readonly number[] | null, scaleFactor: number | readonly number[] | null, mode: InterpolateMode, alignCorners: boolean | null],
  InterpolateOptions
>;
const POSITIONAL = ["size", "scaleFactor", "mode", "alignCorners"] as const;

/** Spatial dims each mode takes (PyTorch: nearest 1-3, linear 1, bilinear and bicubic 2). */
const MODE_DIMS: Record<InterpolateMode, readonly number[]> = { nearest: [1, 2, 3], linear: [1], bilinear: [2], bicubic: [2] };

/** Reads `interpolate(x, size?, scaleFactor?, mode?, alignCorners?)` or `(x, { ... })` into options. */
export function interpolateOptions(fn: string, args: readonly unknown[]): InterpolateOptions {
  return positionalOptions<InterpolateOptions>(fn, [...POSITIONAL], args, INTERPOLATE_KEYS);
}

/**
 * `interpolate(x, { scaleFactor: 2, mode: "bilinear" })` or `interpolate(x, [outH, outW])`: resizes
 * the spatial dims. Shape: [N, C, L] (nearest, linear) or [N, C, H, W] (nearest, bilinear, bicubic)
 * -> the same with the new sizes (⌊in·scaleFactor⌋ when a scale is given).
 */
export function interpolate(x: Tensor, ...args: InterpolateArgs): Tensor {
  return resize(x, interpolateOptions("interpolate", args), "interpolate");
}

/** The resize behind `interpolate` and `nn.Upsample` (`fn` names the caller in errors). */
export function resize(x: Tensor, opts: InterpolateOptions, fn: string): Tensor {
  if (!(x instanceof Tensor)) throw tensorArgError(fn, "input", x);
  const mode = opts.mode ?? "nearest";
  if (!(mode in MODE_DIMS)) throw new Error(`${fn}: unknown mode ${describe(mode)} (use "nearest", "linear", "bilinear" or "bicubic")`);
  const spatial = x.ndim - 2;
  if (!MODE_DIMS[mode].includes(spatial)) {
    const want = MODE_DIMS[mode].map((d) => ["[N, C, L]", "[N, C, H, W]", "[N, C, D, H, W]"][d - 1]).join(" or ");
    throw new Error(`${fn}: ${mode} mode takes input ${want}, got ${fmtShape(x.shape)}`);
  }
  if (!isFloating(x.dtype)) throw new Error(`${fn}: expected a floating-point input, got ${x.dtype}; convert it with x.float()`);
  const hasSize = opts.size !== undefined && opts.size !== null, hasScale = opts.scaleFactor !== undefined && opts.scaleFactor !== null;
  if (hasSize === hasScale) throw new Error(`${fn}: give exactly one of size and scaleFactor${hasSize ? " (got both)" : ""}`);
  const align = opts.alignCorners ?? false;
  if (opts.alignCorners !== undefined && opts.alignCorners !== null && mode === "nearest") {
    throw new Error(`${fn}: alignCorners can only be set with the interpolating modes linear, bilinear and bicubic (got mode "nearest")`);
  }
  const perDim = (v: number | readonly number[], name: string): number[] => {
    const a = typeof v === "number" ? new Array<number>(spatial).fill(v) : Array.isArray(v) ? [...v] : [];
    if (a.length !== spatial || a.some((n) => typeof n !== "number" || !Number.isFinite(n))) {
      throw new Error(`${fn}: ${name} needs a number or ${spatial} numbers for input ${fmtShape(x.shape)}, got ${describe(v)}`);
    }
    return a;
  };
  const inSizes = x.shape.slice(2);
  let outSizes: number[];
  // PyTorch maps output to input coordinates with 1/scaleFactor when a scale is given, in/out otherwise.
  let scales: number[];
  if (hasSize) {
    outSizes = perDim(opts.size!, "size");
    scales = outSizes.map((o, i) => inSizes[i] / o);
  } else {
    const sf = perDim(opts.scaleFactor!, "scaleFactor");
    if (sf.some((s) => s <= 0)) throw new Error(`${fn}: scaleFactor must be positive, got ${describe(opts.scaleFactor)}`);
    outSizes = sf.map((s, i) => Math.floor(inSizes[i] * s));
    scales = sf.map((s) => 1 / s);
  }
  if (outSizes.some((o) => !Number.isInteger(o) || o < 1)) throw new Error(`${fn}: output size ${fmtShape(outSizes)} must be positive integers (input ${fmtShape(x.shape)})`);
  if (inSizes.some((n) => n < 1)) throw new Error(`${fn}: input ${fmtShape(x.shape)} has an empty spatial dim`);
  let y = x;
  for (let i = 0; i < spatial; i++) y = resizeDim(y, 2 + i, outSizes[i], scales[i], mode, align);
  return y;
}

/** PyTorch's area_pixel_compute_source_index: the input coordinate of output position j. */
function sourceIndex(j: number, n: number, o: number, scale: number, align: boolean, cubic: boolean): number {
  if (align) return o > 1 ? (j * (n - 1)) / (o - 1) : 0;
  const src = (j + 0.5) * scale - 0.5;
  return !cubic && src < 0 ? 0 : src;
}

const A = -0.75; // PyTorch's bicubic convolution constant
const cubic1 = (t: number): number => ((A + 2) * t - (A + 3)) * t * t + 1;
const cubic2 = (t: number): number => ((A * t - 5 * A) * t + 8 * A) * t - 4 * A;

/** Σ_k w_k · x[idx_k] along `dim`: the taps of one interpolation, weights broadcast over the other dims. */
function taps(x: Tensor, dim: number, idx: Int32Array[], w: Float64Array[]): Tensor {
  const wShape = x.shape.map((s, d) => (d === dim ? idx[0].length : 1));
  let y: Tensor | null = null;
  for (let k = 0; k < idx.length; k++) {
    const term = indexSelect(x, dim, tensor(idx[k])).mul(tensor(w[k], { dtype: x.dtype }).reshape(wShape));
    y = y ? y.add(term) : term;
  }
  return y!;
}

function resizeDim(x: Tensor, dim: number, o: number, scale: number, mode: InterpolateMode, align: boolean): Tensor {
  const n = x.shape[dim];
  if (mode === "nearest") {
    const idx = new Int32Array(o);
    // PyTorch computes floor(j·scale) in float32.
    const s = Math.fround(scale);
    for (let j = 0; j < o; j++) idx[j] = Math.min(Math.floor(Math.fround(j * s)), n - 1);
    return indexSelect(x, dim, tensor(idx));
  }
  if (mode === "bicubic") {
    const idx = [0, 1, 2, 3].map(() => new Int32Array(o)), w = [0, 1, 2, 3].map(() => new Float64Array(o));
    for (let j = 0; j < o; j++) {
      const src = sourceIndex(j, n, o, scale, align, true);
      const i0 = Math.floor(src), t = src - i0;
      const coeff = [cubic2(t + 1), cubic1(t), cubic1(1 - t), cubic2(2 - t)];
      for (let k = 0; k < 4; k++) {
        idx[k][j] = Math.min(Math.max(i0 - 1 + k, 0), n - 1);
        w[k][j] = coeff[k];
      }
    }
    return taps(x, dim, idx, w);
  }
  // linear / bilinear: two taps with weights 1 − λ and λ (at the last position both read it, as PyTorch's).
  const i0 = new Int32Array(o), i1 = new Int32Array(o), l0 = new Float64Array(o), l1 = new Float64Array(o);
  for (let j = 0; j < o; j++) {
    const src = sourceIndex(j, n, o, scale, align, false);
    const lo = Math.min(Math.floor(src), n - 1);
    i0[j] = lo;
    i1[j] = lo < n - 1 ? lo + 1 : lo;
    l1[j] = src - lo;
    l0[j] = 1 - l1[j];
  }
  return taps(x, dim, [i0, i1], [l0, l1]);
}
