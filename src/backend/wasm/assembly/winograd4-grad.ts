// The weight gradient of a stride-1 3×3 conv through Winograd F(4×4, 3×3) (see ./winograd4.ts), as
// ./winograd-grad.ts does it for F(2×2, 3×3): the forward is y_t = Aᵀ [Σ_c U[o][c] ⊙ V[c]_t] A per 4×4
// output tile t, so
//   dM[pos][o][t] = (A gy_t Aᵀ)[pos]                    gy's 4×4 tile, transformed to 6×6
//   dU[pos][o][c] = Σ_t dM[pos][o][t] · V[pos][c][t]    36 GEMMs whose depth is the tile count
//   gw[o][c] = Gᵀ dU[·][o][c] G                          once per call, back to 3×3 (in f64)
// which is 36 multiplies per (tile, c, o), 2.25 per output instead of F(2×2)'s 4 and im2col's 9.
// A = Aᵀ's transpose: rows (1 0 0 0), (1 1 1 1), (1 -1 1 -1), (1 2 4 8), (1 -2 4 -8), (0 0 0 1).
import { padRows } from "./convdirect";
import { POS_PAD } from "./winograd";
import { accumulateDU, gwPackFloats } from "./winograd-grad";
import { tiles4W, transformInput4 } from "./winograd4";

/** Tile rows per block, so V and dM (36·(cg + og)·T floats, ~768 KiB at most) stay in L2 (see winograd-grad.ts). */
@inline function grad4TileRows(cg: i32, og: i32, tWp: i32, tRows: i32): i32 {
  return max(1, min(tRows, 5461 / (cg + og) / tWp));
}

/** Scratch bytes for winograd4WeightGrad, besides gemm's own and the dU accumulators (36·O·cg floats). */
export function winograd4GradScratchBytes(cg: i32, og: i32, W: i32, pW: i32, oH: i32, oW: i32): i32 {
  const tWp = tiles4W(oW);
  const R = grad4TileRows(cg, og, tWp, (oH + 3) >> 2);
  const T = R * tWp;
  const Wp = max(4 * tWp + 4, W + 2 * pW), Wg = 4 * tWp;
  // padded x band | padded gy band | V | dM | transform temporaries | one position's packed V, plus alignment slack
  return (cg * (4 * R + 2) * Wp + Wp + 16 + og * 4 * R * Wg + Wg + 16 + 36 * (cg * T + POS_PAD) + 36 * (og * T + POS_PAD) + 48 * 4 + gwPackFloats(T, cg)) * 4 + 320;
}

/**
 * dU[pos][c][o] (36·cg·og floats at du) += the contributions of tile rows [ty0, ty1) of one image's
 * group: x [cg, H, W] padded by (pH, pW), gy [og, oH, oW]. gemmScratch is gemm's per-thread scratch.
 */
export function winograd4WeightGrad(
  cg: i32, og: i32, H: i32, W: i32, pH: i32, pW: i32, oH: i32, oW: i32, ty0: i32, ty1: i32,
  x: usize, gy: usize, du: usize, scratch: usize, gemmScratch: usize,
): void {
  const tWp = tiles4W(oW);
  const Rmax = grad4TileRows(cg, og, tWp, (oH + 3) >> 2);
  const Wp = max(4 * tWp + 4, W + 2 * pW), Wg = 4 * tWp;
  const xpad = (scratch + 15) & ~15;
  const gpad = xpad + <usize>(cg * (4 * Rmax + 2) * Wp + Wp + 16) * 4;
  const vbuf = gpad + <usize>(og * 4 * Rmax * Wg + Wg + 16) * 4;
  const mbuf = vbuf + <usize>(36 * (cg * Rmax * tWp + POS_PAD)) * 4;
  const tmp = mbuf + <usize>(36 * (og * Rmax * tWp + POS_PAD)) * 4;
  const vpk = (tmp + 48 * 16 + 63) & ~63;
  const Wg4 = <usize>Wg * 4;
  for (let b0 = ty0; b0 < ty1; b0 += Rmax) {
    const R = min(Rmax, ty1 - b0);
    const T = R * tWp;
    padRows(x, cg, H, W, pW, Wp, 4 * b0, 4 * R + 2, pH, xpad);
    transformInput4(xpad, cg, 4 * R + 2, Wp, R, tWp, vbuf, T, tmp);
    // gy rows 4·b0 .. 4·(b0 + R), zero past the output's edges (odd sizes: part-empty tiles); read
    // in place when the tiles cover the rows exactly (28 wide: a 6.4 MB copy per [64,32,28,28] gy).
    const inPlace = Wg == oW && 4 * (b0 + R) <= oH;
    if (!inPlace) padRows(gy, og, oH, oW, 0, Wg, 4 * b0, 4 * R, 0, gpad);
    const posM = <usize>(og * T + POS_PAD) * 4;
    for (let o = 0; o < og; o++) {
      const plane = inPlace ? gy + <usize>((o * oH + 4 * b0) * oW) * 4 : gpad + <usize>(o * 4 * R) * Wg4;
      const mo = mbuf + <usize>(o * T) * 4;
      for (let r = 0; r < R; r++) {
        for (let tx = 0; tx < tWp; tx += 4) {
          if (tx + 4 > tWp) tx = tWp - 4;
          gradTransform4(plane + <usize>(4 * r) * Wg4 + <usize>(4 * tx) * 4, Wg4, mo + <usize>(r * tWp + tx) * 4, posM);
        }
      }
    }
    // dU[pos] (og × cg) += dM[pos] (og × T) · V[pos]ᵀ (T × cg). Both run along t, the GEMM's depth:
    // dM's rows are read in place (6 broadcasts per t from 6 rows), only V is transposed into panels
    // of 8 channels (gwPackV), small enough for L1. The packed gemm packed both operands and ran a
    // padded, spilled sliver for 32 = 5·6 + 2 rows: 3.6 of the 6.0 ms this weight gradient took
    // ([64,16,28,28]·32), against 2.3 for its multiply-adds at the FMA ceiling.
    const posV = <usize>(cg * T + POS_PAD) * 4;
    accumulateDU(36, og, cg, T, vbuf, posV, mbuf, posM, du, vpk, gemmScratch);
  }
}

// A (g0..g3), 4 tiles per vector; result k stored at out + k·step.
@inline function a6(g0: v128, g1: v128, g2: v128, g3: v128, out: usize, step: usize): void {
  const s02 = f32x4.add(g0, g2), s13 = f32x4.add(g1, g3);
  const q02 = f32x4.add(g0, f32x4.mul(f32x4.splat(4), g2));
  const q13 = f32x4.add(f32x4.mul(f32x4.splat(2), g1), f32x4.mul(f32x4.splat(8), g3));
  v128.store(out, g0);
  v128.store(out + step, f32x4.add(s02, s13));
  v128.store(out + 2 * step, f32x4.sub(s02, s13));
  v128.store(out + 3 * step, f32x4.add(q02, q13));
  v128.store(out + 4 * step, f32x4.sub(q02, q13));
  v128.store(out + 5 * step, g3);
}

// 4 vectors, tile k's 4 columns in c_k, transposed into column vectors over the 4 tiles, then A
// across the columns (a6): result b stored at out + b·step.
@inline function acrossColumns(c0: v128, c1: v128, c2: v128, c3: v128, out: usize, step: usize): void {
  const t0 = v128.shuffle<f32>(c0, c1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(c2, c3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(c0, c1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(c2, c3, 2, 6, 3, 7);
  a6(v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), v128.shuffle<f32>(t0, t1, 2, 3, 6, 7),
    v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), out, step);
}

// A g Aᵀ for 4 neighbouring 4×4 tiles of gy starting at `row` (rows Wg4 bytes apart), stored at
// m + pos·posStride (pos = 6a + b). Down the rows first, lane-wise on each tile's row vectors (rows a
// of A: 0 and 5 are rows 0 and 3 of the tile; 1, 2 and 3, 4 share their sums as in a6), then across
// the columns one output row at a time, so nothing goes through a temporary: 36 stores per 4 tiles
// instead of 60.
export function gradTransform4(row: usize, Wg4: usize, m: usize, posStride: usize): void {
  const r1 = row + Wg4, r2 = r1 + Wg4, r3 = r2 + Wg4;
  const ps6 = 6 * posStride;
  acrossColumns(v128.load(row), v128.load(row, 16), v128.load(row, 32), v128.load(row, 48), m, posStride);
  acrossColumns(v128.load(r3), v128.load(r3, 16), v128.load(r3, 32), v128.load(r3, 48), m + 5 * ps6, posStride);
  // Tile k's rows 1 and 2 of A g: (r0 + r2) ± (r1 + r3).
  let s0 = f32x4.add(v128.load(row), v128.load(r2)), d0 = f32x4.add(v128.load(r1), v128.load(r3));
  let s1 = f32x4.add(v128.load(row, 16), v128.load(r2, 16)), d1 = f32x4.add(v128.load(r1, 16), v128.load(r3, 16));
  let s2 = f32x4.add(v128.load(row, 32), v128.load(r2, 32)), d2 = f32x4.add(v128.load(r1, 32), v128.load(r3, 32));
  let s3 = f32x4.add(v128.load(row, 48), v128.load(r2, 48)), d3 = f32x4.add(v128.load(r1, 48), v128.load(r3, 48));
  acrossColumns(f32x4.add(s0, d0), f32x4.add(s1, d1), f32x4.add(s2, d2), f32x4.add(s3, d3), m + ps6, posStride);
  acrossColumns(f32x4.sub(s0, d0), f32x4.sub(s1, d1), f32x4.sub(s2, d2), f32x4.sub(s3, d3), m + 2 * ps6, posStride);
  // Rows 3 and 4: (r0 + 4 r2) ± (2 r1 + 8 r3).
  const four = f32x4.splat(4), two = f32x4.splat(2), eight = f32x4.splat(8);
  s0 = f32x4.add(v128.load(row), f32x4.mul(four, v128.load(r2)));
  d0 = f32x4.add(f32x4.mul(two, v128.load(r1)), f32x4.mul(eight, v128.load(r3)));
  s1 = f32x4.add(v128.load(row, 16), f32x4.mul(four, v128.load(r2, 16)));
  d1 = f32x4.add(f32x4.mul(two, v128.load(r1, 16)), f32x4.mul(eight, v128.load(r3, 16)));
  s2 = f32x4.add(v128.load(row, 32), f32x4.mul(four, v128.load(r2, 32)));
  d2 = f32x4.add(f32x4.mul(two, v128.load(r1, 32)), f32x4.mul(eight, v128.load(r3, 32)));
  s3 = f32x4.add(v128.load(row, 48), f32x4.mul(four, v128.load(r2, 48)));
  d3 = f32x4.add(f32x4.mul(two, v128.load(r1, 48)), f32x4.mul(eight, v128.load(r3, 48)));
  acrossColumns(f32x4.add(s0, d0), f32x4.add(s1, d1), f32x4.add(s2, d2), f32x4.add(s3, d3), m + 3 * ps6, posStride);
  acrossColumns(f32x4.sub(s0, d0), f32x4.sub(s1, d1), f32x4.sub(s2, d2), f32x4.sub(s3, d3), m + 4 * ps6, posStride);
}

/**
 * Adds gw = Gᵀ dU G (3×3 per (c, o), in f64) to the partial gWᵀ [cg·9, og] at dst (conv2dBackwardWeightTask's
 * layout: row c·9 + kh·3 + kw), from dU[pos][o][c].
 */
export function winograd4GradFinish(du: usize, cg: i32, og: i32, dst: usize): void {
  const ps = <usize>(cg * og) * 4;
  for (let c = 0; c < cg; c++) {
    for (let o = 0; o < og; o++) {
      const u = du + <usize>(o * cg + c) * 4;
      // t[kh][b] = Σ_a G[a][kh] dU[a][b], then gw[kh][kw] = Σ_b t[kh][b] G[b][kw].
      for (let kh = 0; kh < 3; kh++) {
        let t0: f64 = 0, t1: f64 = 0, t2: f64 = 0, t3: f64 = 0, t4: f64 = 0, t5: f64 = 0;
        for (let a = 0; a < 6; a++) {
          const ga = gAt(a, kh);
          if (ga == 0) continue;
          const r = u + <usize>(6 * a) * ps;
          t0 += ga * <f64>load<f32>(r); t1 += ga * <f64>load<f32>(r + ps); t2 += ga * <f64>load<f32>(r + 2 * ps);
          t3 += ga * <f64>load<f32>(r + 3 * ps); t4 += ga * <f64>load<f32>(r + 4 * ps); t5 += ga * <f64>load<f32>(r + 5 * ps);
        }
        for (let kw = 0; kw < 3; kw++) {
          const s = gAt(0, kw) * t0 + gAt(1, kw) * t1 + gAt(2, kw) * t2 + gAt(3, kw) * t3 + gAt(4, kw) * t4 + gAt(5, kw) * t5;
          const at = dst + <usize>((c * 9 + kh * 3 + kw) * og + o) * 4;
          store<f32>(at, load<f32>(at) + <f32>s);
        }
      }
    }
  }
}

// G[a][k] = [¼ 0 0; -⅙ -⅙ -⅙; -⅙ ⅙ -⅙; 1/24 1/12 ⅙; 1/24 -1/12 ⅙; 0 0 1][a][k].
@inline function gAt(a: i32, k: i32): f64 {
  if (a == 0) return k == 0 ? 0.25 : 0;
  if (a == 1) return -1.0 / 6;
  if (a == 2) return k == 1 ? 1.0 / 6 : -1.0 / 6;
  if (a == 5) return k == 2 ? 1 : 0;
  const s: f64 = a == 3 ? 1 : -1;
  return k == 0 ? 1.0 / 24 : k == 1 ? s / 12 : 1.0 / 6;
}
