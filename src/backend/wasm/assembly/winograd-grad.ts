// The weight gradient of a stride-1 3×3 conv through Winograd F(2×2, 3×3) (see ./winograd.ts): the
// forward is y_t = Aᵀ [Σ_c U[o][c] ⊙ V[c]_t] A per 2×2 output tile t, so
//   dM[pos][o][t] = (A gy_t Aᵀ)[pos]                    gy's 2×2 tile, transformed to 4×4
//   dU[pos][c][o] = Σ_t V[pos][c][t] · dM[pos][o][t]    16 GEMMs whose depth is the tile count
//   gw[o][c] = Gᵀ dU[·][c][o] G                          once per call, back to 3×3
// which is 16 multiplies per (tile, c, o) instead of im2col's 36. The GEMMs accumulate over every
// tile of a thread's images in dU, so their depth (K = tiles) is large and the packed gemm runs near
// its peak; the transforms take 4 tiles per v128, as the forward's.
import { gemm } from "./gemm";
import { padRows } from "./convdirect";
import { POS_PAD, tilesW, transformInput } from "./winograd";

/**
 * Tile rows per block, so V and dM (16·(cg + og)·T floats, at most 768 KiB) stay in L2 while the
 * GEMMs read them. Deeper blocks pay the GEMMs' packing over more depth: whole 28×28 images at 16 + 32
 * channels (T = 196) made the weight gradient 8-9% faster than 512 KiB blocks (bench/conv-min.ts gw).
 */
@inline function gradTileRows(cg: i32, og: i32, tWp: i32, tRows: i32): i32 {
  return max(1, min(tRows, 12288 / (cg + og) / tWp));
}

/** Scratch bytes for winogradWeightGrad, besides gemm's own and the dU accumulators. */
export function winogradGradScratchBytes(cg: i32, og: i32, W: i32, pW: i32, oH: i32, oW: i32): i32 {
  const tWp = tilesW(oW);
  const R = gradTileRows(cg, og, tWp, (oH + 1) >> 1);
  const T = R * tWp;
  const Wp = max(2 * tWp + 2, W + 2 * pW), Wg = 2 * tWp + 2;
  // padded x band | padded gy band | V | dM, plus alignment slack
  return (cg * (2 * R + 2) * Wp + Wp + 16 + og * 2 * R * Wg + Wg + 16 + 16 * (cg * T + POS_PAD) + 16 * (og * T + POS_PAD)) * 4 + 256;
}

/**
 * dU[pos][c][o] (16·cg·og floats at du) += the contributions of tile rows [ty0, ty1) of one image's
 * group: x [cg, H, W] padded by (pH, pW), gy [og, oH, oW]. gemmScratch is gemm's per-thread scratch.
 */
export function winogradWeightGrad(
  cg: i32, og: i32, H: i32, W: i32, pH: i32, pW: i32, oH: i32, oW: i32, ty0: i32, ty1: i32,
  x: usize, gy: usize, du: usize, scratch: usize, gemmScratch: usize,
): void {
  const tWp = tilesW(oW);
  const Rmax = gradTileRows(cg, og, tWp, (oH + 1) >> 1);
  const Wp = max(2 * tWp + 2, W + 2 * pW), Wg = 2 * tWp + 2;
  const xpad = scratch;
  const gpad = xpad + <usize>(cg * (2 * Rmax + 2) * Wp + Wp + 16) * 4;
  const vbuf = gpad + <usize>(og * 2 * Rmax * Wg + Wg + 16) * 4;
  const mbuf = vbuf + <usize>(16 * (cg * Rmax * tWp + POS_PAD)) * 4;
  const Wg4 = <usize>Wg * 4;
  for (let b0 = ty0; b0 < ty1; b0 += Rmax) {
    const R = min(Rmax, ty1 - b0);
    const T = R * tWp;
    padRows(x, cg, H, W, pW, Wp, 2 * b0, 2 * R + 2, pH, xpad);
    transformInput(xpad, cg, 2 * R + 2, Wp, R, tWp, vbuf, T);
    // gy rows 2·b0 .. 2·(b0 + R), zero past the output's edges (odd sizes: half-empty tiles).
    padRows(gy, og, oH, oW, 0, Wg, 2 * b0, 2 * R, 0, gpad);
    const posM = <usize>(og * T + POS_PAD) * 4, posV = <usize>(cg * T + POS_PAD) * 4;
    for (let o = 0; o < og; o++) {
      const plane = gpad + <usize>(o * 2 * R) * Wg4;
      const mo = mbuf + <usize>(o * T) * 4;
      for (let r = 0; r < R; r++) {
        for (let tx = 0; tx < tWp; tx += 4) {
          if (tx + 4 > tWp) tx = tWp - 4;
          gradTransform(plane + <usize>(2 * r) * Wg4 + <usize>(2 * tx) * 4, Wg4, mo + <usize>(r * tWp + tx) * 4, posM);
        }
      }
    }
    // dU[pos] (cg × og) += V[pos] (cg × T) · dM[pos]ᵀ (T × og): both read along their tile rows.
    for (let pos = 0; pos < 16; pos++) {
      gemm(cg, og, T, vbuf + <usize>pos * posV, T, 1, mbuf + <usize>pos * posM, 1, T,
        du + <usize>(pos * cg * og) * 4, og, true, gemmScratch);
    }
  }
}

// A g Aᵀ for 4 neighbouring tiles of gy (rows `row` and row + Wg4), A = [1 0; 1 1; 1 -1; 0 -1],
// stored at m + pos·posStride.
@inline function gradTransform(row: usize, Wg4: usize, m: usize, posStride: usize): void {
  const a = v128.load(row), b = v128.load(row, 16), c = v128.load(row + Wg4), d = v128.load(row + Wg4, 16);
  const g00 = v128.shuffle<f32>(a, b, 0, 2, 4, 6), g01 = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
  const g10 = v128.shuffle<f32>(c, d, 0, 2, 4, 6), g11 = v128.shuffle<f32>(c, d, 1, 3, 5, 7);
  // Columns of each row: (g0, g0 + g1, g0 - g1, -g1).
  const r00 = g00, r01 = f32x4.add(g00, g01), r02 = f32x4.sub(g00, g01), r03 = f32x4.neg(g01);
  const r10 = g10, r11 = f32x4.add(g10, g11), r12 = f32x4.sub(g10, g11), r13 = f32x4.neg(g11);
  // Then down the rows: (r0, r0 + r1, r0 - r1, -r1).
  v128.store(m, r00); m += posStride;
  v128.store(m, r01); m += posStride;
  v128.store(m, r02); m += posStride;
  v128.store(m, r03); m += posStride;
  v128.store(m, f32x4.add(r00, r10)); m += posStride;
  v128.store(m, f32x4.add(r01, r11)); m += posStride;
  v128.store(m, f32x4.add(r02, r12)); m += posStride;
  v128.store(m, f32x4.add(r03, r13)); m += posStride;
  v128.store(m, f32x4.sub(r00, r10)); m += posStride;
  v128.store(m, f32x4.sub(r01, r11)); m += posStride;
  v128.store(m, f32x4.sub(r02, r12)); m += posStride;
  v128.store(m, f32x4.sub(r03, r13)); m += posStride;
  v128.store(m, f32x4.neg(r10)); m += posStride;
  v128.store(m, f32x4.neg(r11)); m += posStride;
  v128.store(m, f32x4.neg(r12)); m += posStride;
  v128.store(m, f32x4.neg(r13));
}

/**
 * Adds gw = Gᵀ dU G (3×3 per (c, o)) to the partial gWᵀ [cg·9, og] at dst (conv2dBackwardWeightTask's
 * layout: row c·9 + kh·3 + kw), from dU[pos][c][o]. Gᵀ = [1 ½ ½ 0; 0 ½ -½ 0; 0 ½ ½ 1].
 */
export function winogradGradFinish(du: usize, cg: i32, og: i32, dst: usize): void {
  const ps = <usize>(cg * og) * 4;
  for (let c = 0; c < cg; c++) {
    for (let o = 0; o < og; o++) {
      const u = du + <usize>(c * og + o) * 4;
      // t[kh][j] = Σ_i Gᵀ[kh][i] U[i][j], then gw[kh][kw] = Σ_j t[kh][j] G[j][kw].
      for (let kh = 0; kh < 3; kh++) {
        const t0 = comb(kh, load<f32>(u), load<f32>(u + 4 * ps), load<f32>(u + 8 * ps), load<f32>(u + 12 * ps));
        const t1 = comb(kh, load<f32>(u + ps), load<f32>(u + 5 * ps), load<f32>(u + 9 * ps), load<f32>(u + 13 * ps));
        const t2 = comb(kh, load<f32>(u + 2 * ps), load<f32>(u + 6 * ps), load<f32>(u + 10 * ps), load<f32>(u + 14 * ps));
        const t3 = comb(kh, load<f32>(u + 3 * ps), load<f32>(u + 7 * ps), load<f32>(u + 11 * ps), load<f32>(u + 15 * ps));
        for (let kw = 0; kw < 3; kw++) {
          const at = dst + <usize>((c * 9 + kh * 3 + kw) * og + o) * 4;
          store<f32>(at, load<f32>(at) + comb(kw, t0, t1, t2, t3));
        }
      }
    }
  }
}

// Row r of Gᵀ applied to (u0, u1, u2, u3).
@inline function comb(r: i32, u0: f32, u1: f32, u2: f32, u3: f32): f32 {
  if (r == 0) return u0 + (u1 + u2) * 0.5;
  if (r == 1) return (u1 - u2) * 0.5;
  return (u1 + u2) * 0.5 + u3;
}
