/**
 * Spatial-transformer sampling, as torch.nn.functional: `affineGrid` (the sampling grid of a batch of
 * 2-D or 3-D affine maps) and `gridSample` (the input read at those grid points, bilinear, nearest or bicubic, with
 * zeros, border or reflection padding; 5-D volumetric input in ./grid3d.ts). PyTorch 1.13's defaults: alignCorners false (PyTorch warns when
 * it is not given; deeptype just uses false).
 *
 * Both are composites of differentiable ops: the four corner reads are indexSelects (whose gradient is
 * PyTorch's scatter into the input), the weights are differences of the sample positions (so the
 * grid's gradient is PyTorch's), and every backend runs them. Border and reflection padding fold the
 * position in plain code and carry PyTorch's derivative of that fold (0 on and beyond a border, ±1
 * inside) through a term that is exactly 0 in value (`folded`).
 *
 * ```ts
 * const grid = nn.functional.affineGrid(theta, [N, C, 32, 32]);       // theta [N, 2, 3]
 * const out = nn.functional.gridSample(img, grid, { paddingMode: "border" });
 * ```
 */
import { Tensor, tensor, indexSelect, where, matmul, type DType } from "../../core.js";
import { declareOptionalArgs, describe, tensorArgError } from "../../tensor/check.js";
import { fmtShape } from "../module.js";
import { affineGrid3d, gridSample3d } from "./grid3d.js";

export type GridSampleMode = "bilinear" | "nearest" | "bicubic";
export type GridSamplePaddingMode = "zeros" | "border" | "reflection";

/** float32 arithmetic where the tensor is float32, so constants made here round as PyTorch's do. */
export const rounder = (dtype: DType): ((v: number) => number) => (dtype === "float32" ? Math.fround : (v) => v);

export function checkAlign(fn: string, v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v !== "boolean") throw new Error(`${fn}: alignCorners must be true, false or null, got ${describe(v)}`);
  return v;
}

export function checkFloat(fn: string, name: string, t: Tensor): void {
  if (t.dtype !== "float32" && t.dtype !== "float64") throw new Error(`${fn}: ${name} must be float32 or float64, got ${t.dtype}`);
}

/** torch.linspace(-1, 1, n) (its two-sided formula), times (n − 1)/n without alignCorners; [0] for n = 1. */
export function linspaceFromNegOne(n: number, align: boolean, r: (v: number) => number): number[] {
  if (n <= 1) return [0];
  const step = r(2 / (n - 1)), half = Math.floor(n / 2);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = i < half ? r(-1 + r(step * i)) : r(1 - r(step * (n - i - 1)));
    out.push(align ? v : r(r(v * (n - 1)) / n));
  }
  return out;
}

/**
 * `affineGrid(theta, [N, C, H, W], alignCorners?)`: for each of the N affine maps theta [N, 2, 3], the
 * (x, y) source position of every output pixel, in [-1, 1] coordinates: grid [N, H, W, 2], the grid
 * gridSample takes. Differentiable in theta. A 5-D size [N, C, D, H, W] takes theta [N, 3, 4] and gives
 * grid [N, D, H, W, 3] of (x, y, z).
 */
export function affineGrid(theta: Tensor, size: readonly number[], alignCorners: boolean | null = null): Tensor {
  const fn = "affineGrid";
  if (!(theta instanceof Tensor)) throw tensorArgError(fn, "theta", theta);
  checkFloat(fn, "theta", theta);
  if (!Array.isArray(size) || size.some((v) => typeof v !== "number" || !Number.isInteger(v) || v < 0)) {
    throw new Error(`${fn}: size must be an array of non-negative integers [N, C, H, W], got ${describe(size)}`);
  }
  if (size.length === 5) return affineGrid3d(theta, size, checkAlign(fn, alignCorners));
  if (size.length !== 4) throw new Error(`${fn}: size must be [N, C, H, W] or [N, C, D, H, W] (4 or 5 integers), got ${fmtShape(size)}`);
  const [N, , H, W] = size;
  if (theta.ndim !== 3 || theta.shape[0] !== N || theta.shape[1] !== 2 || theta.shape[2] !== 3) {
    throw new Error(`${fn}: expected a batch of 2-D affine matrices of shape [N, 2, 3] for size ${fmtShape(size)}, got theta ${fmtShape(theta.shape)}`);
  }
  const align = checkAlign(fn, alignCorners);
  const r = rounder(theta.dtype);
  const xs = linspaceFromNegOne(W, align, r), ys = linspaceFromNegOne(H, align, r);
  const base = new Float64Array(H * W * 3);
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) base.set([xs[j], ys[i], 1], (i * W + j) * 3);
  }
  // PyTorch: base_grid [N, H·W, 3] bmm thetaᵀ; the base is the same for every n, so it broadcasts.
  const grid = matmul(tensor(base, { dtype: theta.dtype }).reshape([H * W, 3]), theta.transpose(1, 2));
  return grid.reshape([N, H, W, 2]);
}

/**
 * A position after border or reflection padding: the folded value, computed here, plus a term that is
 * 0 in value and whose derivative is PyTorch's (`mult`, 0 or ±1), present only when the position is
 * differentiated. Non-finite positions get no derivative (their term would be NaN).
 */
export function folded(pos: Tensor, vals: Float64Array, mult: Float64Array, raw: ArrayLike<number>): Tensor {
  const dtype = pos.dtype;
  const out = tensor(vals, { dtype }).reshape(pos.shape);
  if (!pos.requiresGrad) return out;
  const finite = new Float64Array(raw.length), ok = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) if (Number.isFinite(raw[i])) { finite[i] = raw[i]; ok[i] = 1; }
  const okT = tensor(ok, { dtype: "bool" }).reshape(pos.shape), finiteT = tensor(finite, { dtype }).reshape(pos.shape);
  const zero = where(okT, pos, finiteT).sub(finiteT); // exactly 0, derivative 1 where finite
  return out.add(zero.mul(tensor(mult, { dtype }).reshape(pos.shape)));
}

/**
 * PyTorch's compute_coordinates (with its gradient): clip to [0, size − 1] for "border"; reflect about
 * the borders (the pixel centres with alignCorners, the pixel edges without) then clip, for "reflection".
 */
export function pad(pos: Tensor, size: number, padding: GridSamplePaddingMode, align: boolean): Tensor {
  if (padding === "zeros") return pos;
  const raw = pos.detach().data(), n = raw.length;
  const vals = new Float64Array(n), mult = new Float64Array(n);
  const r = rounder(pos.dtype);
  for (let i = 0; i < n; i++) [vals[i], mult[i]] = foldCoord(raw[i], size, padding, align, r);
  return folded(pos, vals, mult, raw);
}

/** One coordinate through border or reflection padding: its value and PyTorch's derivative of it. */
export function foldCoord(v: number, size: number, padding: GridSamplePaddingMode, align: boolean, r: (v: number) => number): [number, number] {
  let g = 1;
  if (padding === "reflection") {
    // Reflection bounds in doubled units (PyTorch's twice_low, twice_high).
    const lo2 = align ? 0 : -1, hi2 = align ? 2 * (size - 1) : 2 * size - 1;
    if (lo2 === hi2) return [0, 0];
    const min = lo2 / 2, span = (hi2 - lo2) / 2;
    let t = r(v - min);
    if (t < 0) { g = -1; t = -t; }
    const extra = t % span, flips = Math.floor(t / span);
    if (flips % 2 === 0) v = r(extra + min); else { v = r(r(span - extra) + min); g = -g; }
  }
  // Borders count as outside for the gradient (PyTorch's clip_coordinates_set_grad); NaN stays NaN.
  if (Number.isNaN(v)) return [v, 0];
  return v <= 0 ? [0, 0] : v >= size - 1 ? [size - 1, 0] : [v, g];
}

/** Round half to even (PyTorch's nearbyint for mode "nearest"). */
export function roundEven(v: number): number {
  const f = Math.floor(v), d = v - f;
  return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
}

/**
 * `gridSample(input, grid, mode?, paddingMode?, alignCorners?)` or with `{ mode, paddingMode,
 * alignCorners }`: input [N, C, H, W] read at the grid's points, grid [N, Ho, Wo, 2] holding (x, y) in
 * [-1, 1] (-1 the left/top edge, or the first pixel's centre with alignCorners). Points outside read 0
 * ("zeros"), the nearest border value ("border") or the input mirrored at its borders ("reflection").
 * mode: "bilinear", "nearest" or "bicubic". Output [N, C, Ho, Wo]. Gradients for input and grid
 * (nearest gives the grid zeros), as PyTorch's. Volumetric: input [N, C, D, H, W] and grid
 * [N, Do, Ho, Wo, 3] of (x, y, z) give [N, C, Do, Ho, Wo], "bilinear" being trilinear (no "bicubic", as PyTorch).
 */
export function gridSample(input: Tensor, grid: Tensor, mode: GridSampleMode = "bilinear", paddingMode: GridSamplePaddingMode = "zeros", alignCorners: boolean | null = null): Tensor {
  const fn = "gridSample";
  if (!(input instanceof Tensor)) throw tensorArgError(fn, "input", input);
  if (!(grid instanceof Tensor)) throw tensorArgError(fn, "grid", grid);
  if (mode !== "bilinear" && mode !== "nearest" && mode !== "bicubic") throw new Error(`${fn}: mode must be "bilinear", "nearest" or "bicubic", got ${describe(mode)}`);
  if (paddingMode !== "zeros" && paddingMode !== "border" && paddingMode !== "reflection") {
    throw new Error(`${fn}: paddingMode must be "zeros", "border" or "reflection", got ${describe(paddingMode)}`);
  }
  const align = checkAlign(fn, alignCorners);
  if (input.ndim === 5) return gridSample3d(input, grid, mode, paddingMode, align);
  if (input.ndim !== 4) throw new Error(`${fn}: expected a 4-D input [N, C, H, W] or a 5-D one [N, C, D, H, W], got ${fmtShape(input.shape)}`);
  if (grid.ndim !== 4 || grid.shape[3] !== 2) throw new Error(`${fn}: expected grid [N, Ho, Wo, 2] (last dim (x, y)) for a 4-D input, got grid ${fmtShape(grid.shape)}`);
  const [N, C, H, W] = input.shape, [gN, Ho, Wo] = grid.shape;
  if (gN !== N) throw new Error(`${fn}: input ${fmtShape(input.shape)} and grid ${fmtShape(grid.shape)} must have the same batch size, got ${N} and ${gN}`);
  if (H === 0 || W === 0) throw new Error(`${fn}: input ${fmtShape(input.shape)} must have non-empty spatial dims`);
  checkFloat(fn, "input", input);
  if (grid.dtype !== input.dtype) throw new Error(`${fn}: input and grid must have the same dtype, got ${input.dtype} and ${grid.dtype}`);
  const dtype = input.dtype, L = Ho * Wo;
  const g = grid.reshape([N, L, 2]);
  // PyTorch's unnormalize: (g + 1)·(size − 1)/2 with alignCorners, (g + 1)·size/2 − 0.5 without.
  const unnorm = (c: Tensor, size: number): Tensor => (align ? c.add(1).mul((size - 1) / 2) : c.add(1).mul(size / 2).sub(0.5));
  // bicubic pads each of its 16 taps instead of the sample position (PyTorch's get_value_bounded)
  const tapPadding = mode === "bicubic" ? "zeros" : paddingMode;
  const ix = pad(unnorm(g.select(2, 0), W), W, tapPadding, align);
  const iy = pad(unnorm(g.select(2, 1), H), H, tapPadding, align);
  const xs = ix.detach().data(), ys = iy.detach().data();
  // Channels last, one row per pixel: each corner read is one indexSelect of N·L rows (its gradient an
  // indexAdd), instead of a gather whose index repeats every position C times.
  const rows = input.permute([0, 2, 3, 1]).reshape([N * H * W, C]);
  /** input at integer corners (xi, yi) [N, L], 0 outside: the values [N, L, C] and the inside mask [N, L, 1]. */
  const read = (xi: Float64Array, yi: Float64Array): [Tensor, Tensor] => {
    const idx = new Int32Array(N * L), inside = new Float64Array(N * L);
    for (let n = 0; n < N; n++) {
      for (let l = 0; l < L; l++) {
        const x = xi[n * L + l], y = yi[n * L + l];
        if (!(x >= 0 && x < W && y >= 0 && y < H)) continue;
        inside[n * L + l] = 1;
        idx[n * L + l] = (n * H + y) * W + x;
      }
    }
    return [indexSelect(rows, 0, tensor(idx)).reshape([N, L, C]), tensor(inside, { dtype }).reshape([N, L, 1])];
  };
  let out: Tensor;
  if (mode === "nearest") {
    const xr = Float64Array.from(xs, roundEven), yr = Float64Array.from(ys, roundEven);
    const [v, inside] = read(xr, yr);
    out = v.mul(inside);
    // PyTorch's grid gradient in this mode is zeros (not none): a 0-valued term that reaches the grid.
    if (grid.requiresGrad) out = out.add(where(tensor(false), grid, 0).sum());
  } else if (mode === "bicubic") {
    out = bicubic(ix, iy, xs, ys, W, H, paddingMode, align, read);
  } else {
    const x0 = Float64Array.from(xs, Math.floor), y0 = Float64Array.from(ys, Math.floor);
    const x1 = x0.map((v) => v + 1), y1 = y0.map((v) => v + 1);
    // PyTorch's (vectorized CPU) weights: w = x − ⌊x⌋, e = 1 − w, n = y − ⌊y⌋, s = 1 − n.
    const w = ix.sub(tensor(x0, { dtype }).reshape([N, L])), e = w.neg().add(1);
    const nn = iy.sub(tensor(y0, { dtype }).reshape([N, L])), s = nn.neg().add(1);
    const corner = (xi: Float64Array, yi: Float64Array, wt: Tensor): Tensor => {
      const [v, inside] = read(xi, yi);
      return v.mul(wt.unsqueeze(2).mul(inside));
    };
    out = corner(x0, y0, s.mul(e)).add(corner(x1, y0, s.mul(w))).add(corner(x0, y1, nn.mul(e))).add(corner(x1, y1, nn.mul(w)));
  }
  // [N, L, C] -> [N, C, Ho, Wo]
  return out.permute([0, 2, 1]).reshape([N, C, Ho, Wo]);
}

/**
 * Mode "bicubic": PyTorch's cubic convolution (A = −0.75) over the 4x4 taps around each position, each
 * tap read through the padding (so border and reflection taps repeat edge or mirrored pixels, zeros
 * taps outside read 0). The coefficients are polynomials of the position's fraction, so the grid's
 * gradient is theirs, as PyTorch's.
 */
function bicubic(
  ix: Tensor, iy: Tensor, xs: ArrayLike<number>, ys: ArrayLike<number>, W: number, H: number, padding: GridSamplePaddingMode, align: boolean,
  read: (xi: Float64Array, yi: Float64Array) => [Tensor, Tensor],
): Tensor {
  const A = -0.75, dtype = ix.dtype, r = rounder(dtype);
  const cc1 = (x: Tensor): Tensor => x.mul(A + 2).sub(A + 3).mul(x).mul(x).add(1);
  const cc2 = (x: Tensor): Tensor => x.mul(A).sub(5 * A).mul(x).add(8 * A).mul(x).sub(4 * A);
  const coeffs = (pos: Tensor, floor: Float64Array): Tensor[] => {
    const t = pos.sub(tensor(floor, { dtype }).reshape(pos.shape));
    return [cc2(t.add(1)), cc1(t), cc1(t.neg().add(1)), cc2(t.neg().add(2))];
  };
  const x0 = Float64Array.from(xs, Math.floor), y0 = Float64Array.from(ys, Math.floor);
  const cx = coeffs(ix, x0), cy = coeffs(iy, y0);
  /** The k-th tap's integer coordinate through the padding (outside: left for read's bounds check). */
  const tap = (base: Float64Array, k: number, size: number): Float64Array =>
    base.map((b) => (padding === "zeros" ? b - 1 + k : Math.trunc(foldCoord(b - 1 + k, size, padding, align, r)[0])));
  let out: Tensor | null = null;
  for (let i = 0; i < 4; i++) {
    const yi = tap(y0, i, H);
    for (let j = 0; j < 4; j++) {
      const [v, inside] = read(tap(x0, j, W), yi);
      const term = v.mul(cx[j].mul(cy[i]).unsqueeze(2).mul(inside));
      out = out === null ? term : out.add(term);
    }
  }
  return out!;
}

// PyTorch code passes mode, padding_mode and align_corners positionally (F.grid_sample(x, g, "nearest"))
// or as keywords: both forms, the second as one options object.
const OPTIONAL_ARGS = declareOptionalArgs({
  affineGrid: { first: 2, names: ["alignCorners"] },
  gridSample: { first: 2, names: ["mode", "paddingMode", "alignCorners"] },
});
export type GridOptionalArgs = typeof OPTIONAL_ARGS;
