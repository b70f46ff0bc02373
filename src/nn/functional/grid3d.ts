/**
 * The volumetric (5-D) forms of `affineGrid` and `gridSample` (./grid.ts checks the arguments common to
 * both forms and dispatches here): theta [N, 3, 4] -> grid [N, D, H, W, 3] of (x, y, z), and input
 * [N, C, D, H, W] read at grid [N, Do, Ho, Wo, 3], trilinear ("bilinear", PyTorch's name) or nearest,
 * with the 2-D form's padding modes. Composites of differentiable ops as the 2-D form, following
 * PyTorch 1.13's scalar 3-D CPU kernel (its unnormalize and its corner weights, differences against
 * the far corner: (x1 − x)·(y1 − y)·(z1 − z) for the near one), so float32 rounds as PyTorch's does.
 * Non-finite grid values follow that kernel too (coords3d), not the 2-D form's vectorized one.
 */
import { Tensor, tensor, indexSelect, where, matmul } from "../../core.js";
import { fmtShape } from "../module.js";
import { foldCoord, folded, linspaceFromNegOne, rounder, type GridSampleMode, type GridSamplePaddingMode } from "./grid.js";

/** affineGrid for size [N, C, D, H, W]: theta [N, 3, 4] times the (x, y, z, 1) base grid. */
export function affineGrid3d(theta: Tensor, size: readonly number[], align: boolean): Tensor {
  const [N, , D, H, W] = size;
  if (theta.ndim !== 3 || theta.shape[0] !== N || theta.shape[1] !== 3 || theta.shape[2] !== 4) {
    throw new Error(`affineGrid: expected a batch of 3-D affine matrices of shape [N, 3, 4] for size ${fmtShape(size)}, got theta ${fmtShape(theta.shape)}`);
  }
  const r = rounder(theta.dtype);
  const xs = linspaceFromNegOne(W, align, r), ys = linspaceFromNegOne(H, align, r), zs = linspaceFromNegOne(D, align, r);
  const base = new Float64Array(D * H * W * 4);
  for (let d = 0; d < D; d++) {
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) base.set([xs[j], ys[i], zs[d], 1], ((d * H + i) * W + j) * 4);
    }
  }
  // PyTorch: base_grid [N, D·H·W, 4] bmm thetaᵀ; the base is the same for every n, so it broadcasts.
  const grid = matmul(tensor(base, { dtype: theta.dtype }).reshape([D * H * W, 4]), theta.transpose(1, 2));
  return grid.reshape([N, D, H, W, 3]);
}

/**
 * std::round, half away from zero: PyTorch 1.13's 3-D kernel rounds "nearest" with it (its 2-D one with
 * nearbyint, half to even), so 0.5 reads index 1 here and index 0 in 2-D.
 */
const roundHalfAway = (v: number): number => (v < 0 ? -Math.round(-v) : Math.round(v));

/** A coordinate PyTorch's scalar kernel cannot index with (safe_downgrade_to_int_range): it reads -100, outside. */
const unsafe = (v: number): boolean => !(v <= 2147483646 && v >= -2147483648);

/**
 * PyTorch 1.13's 3-D compute_coordinates on the unnormalized positions, with its derivative: border and
 * reflection padding as the 2-D form (foldCoord), except that a NaN under border padding, and any
 * non-finite position under reflection, land on the last index (its std::min / std::max keep the limit);
 * then a position still non-finite or beyond int range reads -100, outside. `frozen` marks the points
 * whose backward PyTorch recomputes to -100 although its forward read the last index (NaN under border,
 * non-finite under reflection): PyTorch gives them no gradient at all.
 */
function coords3d(pos: Tensor, size: number, padding: GridSamplePaddingMode, align: boolean, frozen: Uint8Array): Tensor {
  const raw = pos.detach().data(), n = raw.length, r = rounder(pos.dtype);
  if (padding === "zeros" && !Array.prototype.some.call(raw, unsafe)) return pos;
  const vals = new Float64Array(n), mult = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = raw[i], g = 1;
    if (padding !== "zeros") {
      if (Number.isNaN(v) || (padding === "reflection" && !Number.isFinite(v))) {
        [v, g] = [size - 1, 0];
        frozen[i] = 1;
      } else [v, g] = foldCoord(v, size, padding, align, r);
    }
    if (unsafe(v)) [v, g] = [-100, 0];
    vals[i] = v;
    mult[i] = g;
  }
  return folded(pos, vals, mult, raw);
}

/** gridSample for input [N, C, D, H, W] (mode, padding and alignCorners already checked by gridSample). */
export function gridSample3d(input: Tensor, grid: Tensor, mode: GridSampleMode, paddingMode: GridSamplePaddingMode, align: boolean): Tensor {
  const fn = "gridSample";
  if (mode === "bicubic") throw new Error(`${fn}: mode "bicubic" supports only 4-D input [N, C, H, W] (as PyTorch's), got a 5-D input ${fmtShape(input.shape)}; use "bilinear" (trilinear) or "nearest"`);
  if (grid.ndim !== 5 || grid.shape[4] !== 3) throw new Error(`${fn}: expected grid [N, Do, Ho, Wo, 3] (last dim (x, y, z)) for a 5-D input, got grid ${fmtShape(grid.shape)}`);
  const [N, C, D, H, W] = input.shape, [gN, Do, Ho, Wo] = grid.shape;
  if (gN !== N) throw new Error(`${fn}: input ${fmtShape(input.shape)} and grid ${fmtShape(grid.shape)} must have the same batch size, got ${N} and ${gN}`);
  if (D === 0 || H === 0 || W === 0) throw new Error(`${fn}: input ${fmtShape(input.shape)} must have non-empty spatial dims`);
  if (input.dtype !== "float32" && input.dtype !== "float64") throw new Error(`${fn}: input must be float32 or float64, got ${input.dtype}`);
  if (grid.dtype !== input.dtype) throw new Error(`${fn}: input and grid must have the same dtype, got ${input.dtype} and ${grid.dtype}`);
  const dtype = input.dtype, L = Do * Ho * Wo;
  const g = grid.reshape([N, L, 3]);
  // PyTorch's scalar grid_sampler_unnormalize: ((g + 1) / 2)·(size − 1) with alignCorners, ((g + 1)·size − 1) / 2 without.
  const unnorm = (c: Tensor, size: number): Tensor => (align ? c.add(1).div(2).mul(size - 1) : c.add(1).mul(size).sub(1).div(2));
  const frozen = new Uint8Array(N * L);
  const ix = coords3d(unnorm(g.select(2, 0), W), W, paddingMode, align, frozen);
  const iy = coords3d(unnorm(g.select(2, 1), H), H, paddingMode, align, frozen);
  const iz = coords3d(unnorm(g.select(2, 2), D), D, paddingMode, align, frozen);
  const xs = ix.detach().data(), ys = iy.detach().data(), zs = iz.detach().data();
  // Channels last, one row per voxel: each corner read is one indexSelect of N·L rows.
  const rows = input.permute([0, 2, 3, 4, 1]).reshape([N * D * H * W, C]);
  /** input at integer corners [N, L] (0 outside): the values [N, L, C] and the inside mask [N, L, 1]. */
  const read = (xi: Float64Array, yi: Float64Array, zi: Float64Array): [Tensor, Tensor] => {
    const idx = new Int32Array(N * L), inside = new Float64Array(N * L);
    for (let n = 0; n < N; n++) {
      for (let l = 0; l < L; l++) {
        const k = n * L + l, x = xi[k], y = yi[k], z = zi[k];
        if (!(x >= 0 && x < W && y >= 0 && y < H && z >= 0 && z < D)) continue;
        inside[k] = 1;
        idx[k] = ((n * D + z) * H + y) * W + x;
      }
    }
    return [indexSelect(rows, 0, tensor(idx)).reshape([N, L, C]), tensor(inside, { dtype }).reshape([N, L, 1])];
  };
  let out: Tensor;
  if (mode === "nearest") {
    const [v, inside] = read(Float64Array.from(xs, roundHalfAway), Float64Array.from(ys, roundHalfAway), Float64Array.from(zs, roundHalfAway));
    out = v.mul(inside);
    // PyTorch's grid gradient in this mode is zeros (not none): a 0-valued term that reaches the grid.
    if (grid.requiresGrad) out = out.add(where(tensor(false), grid, 0).sum());
  } else {
    const x0 = Float64Array.from(xs, Math.floor), y0 = Float64Array.from(ys, Math.floor), z0 = Float64Array.from(zs, Math.floor);
    const x1 = x0.map((v) => v + 1), y1 = y0.map((v) => v + 1), z1 = z0.map((v) => v + 1);
    const at = (a: Float64Array): Tensor => tensor(a, { dtype }).reshape([N, L]);
    // PyTorch's surfaces: a corner's weight per axis is the distance to the opposite corner,
    // (x1 − x) for x0's side and (x − x0) for x1's.
    const ax = [at(x1).sub(ix), ix.sub(at(x0))], ay = [at(y1).sub(iy), iy.sub(at(y0))], az = [at(z1).sub(iz), iz.sub(at(z0))];
    const cx = [x0, x1], cy = [y0, y1], cz = [z0, z1];
    // PyTorch's order: tnw, tne, tsw, tse (z0), then bnw, bne, bsw, bse (z1): x fastest, then y, then z.
    let acc: Tensor | null = null;
    for (let k = 0; k < 8; k++) {
      const i = k & 1, j = (k >> 1) & 1, m = k >> 2;
      const [v, inside] = read(cx[i], cy[j], cz[m]);
      const term = v.mul(ax[i].mul(ay[j]).mul(az[m]).unsqueeze(2).mul(inside));
      acc = acc === null ? term : acc.add(term);
    }
    out = acc!;
  }
  // PyTorch's backward gives the frozen points nothing: their values pass, detached.
  if (frozen.includes(1)) out = where(tensor(frozen, { dtype: "bool" }).reshape([N, L, 1]), out.detach(), out);
  // [N, L, C] -> [N, C, Do, Ho, Wo]
  return out.permute([0, 2, 1]).reshape([N, C, Do, Ho, Wo]);
}
