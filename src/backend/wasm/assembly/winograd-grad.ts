// The weight gradient of a stride-1 3×3 conv through Winograd F(2×2, 3×3) (see ./winograd.ts): the
// forward is y_t = Aᵀ [Σ_c U[o][c] ⊙ V[c]_t] A per 2×2 output tile t, so
//   dM[pos][o][t] = (A gy_t Aᵀ)[pos]                    gy's 2×2 tile, transformed to 4×4
//   dU[pos][o][c] = Σ_t dM[pos][o][t] · V[pos][c][t]    16 GEMMs whose depth is the tile count
//   gw[o][c] = Gᵀ dU[·][o][c] G                          once per call, back to 3×3
// which is 16 multiplies per (tile, c, o) instead of im2col's 36. The GEMMs (gwGemm below, shared
// with F(4×4)'s ./winograd4-grad.ts) accumulate over every tile of a thread's images in dU; the
// transforms take 4 tiles per v128, as the forward's.
import { gemm, madd, MR, storeT4 } from "./gemm";
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
  // padded x band | padded gy band | V | dM | one position's packed V, plus alignment slack
  return (cg * (2 * R + 2) * Wp + Wp + 16 + og * 2 * R * Wg + Wg + 16 + 16 * (cg * T + POS_PAD) + 16 * (og * T + POS_PAD) + gwPackFloats(T, cg)) * 4 + 320;
}

/**
 * dU[pos][o][c] (16·cg·og floats at du) += the contributions of tile rows [ty0, ty1) of one image's
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
  const vpk = (mbuf + <usize>(16 * (og * Rmax * tWp + POS_PAD)) * 4 + 63) & ~63;
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
    accumulateDU(16, og, cg, T, vbuf, posV, mbuf, posM, du, vpk, gemmScratch);
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
 * layout: row c·9 + kh·3 + kw), from dU[pos][o][c]. Gᵀ = [1 ½ ½ 0; 0 ½ -½ 0; 0 ½ ½ 1].
 */
export function winogradGradFinish(du: usize, cg: i32, og: i32, dst: usize): void {
  const ps = <usize>(cg * og) * 4;
  for (let c = 0; c < cg; c++) {
    for (let o = 0; o < og; o++) {
      const u = du + <usize>(o * cg + c) * 4;
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

@inline function rup4(n: i32): i32 {
  return (n + 3) & ~3;
}
@inline function rup8(n: i32): i32 {
  return (n + 7) & ~7;
}

/**
 * Whether gwGemm covers (og, cg) exactly: channels in whole panels of 8, rows in MR-row slivers and
 * 4-row ones (any even og on the FMA build, multiples of 4 on plain SIMD). Other shapes take gemm.
 */
@inline export function gwFast(cg: i32, og: i32): bool {
  return cg % 8 == 0 && (MR == 6 ? og % 2 == 0 : og % 4 == 0);
}

/** Floats of gwPackV's panels for T tiles and cg channels. */
@inline export function gwPackFloats(T: i32, cg: i32): i32 {
  return rup4(T) * rup8(cg);
}

/** V[pos] (cg rows of T floats) as panels of 8 channels, t-major: dst[panel][t][8], t up to T rounded to 4. */
export function gwPackV(v: usize, T: i32, cg: i32, dst: usize): void {
  const row = <usize>T * 4, Tp = rup4(T);
  for (let c = 0; c < cg; c += 8) {
    // Rows past T (to a multiple of 4) read the next row's start: packed, never multiplied.
    let src = v + <usize>c * row;
    for (let t = 0; t < Tp; t += 4) {
      storeT4(v128.load(src), v128.load(src + row), v128.load(src + 2 * row), v128.load(src + 3 * row), dst, 32);
      storeT4(v128.load(src + 4 * row), v128.load(src + 5 * row), v128.load(src + 6 * row), v128.load(src + 7 * row), dst + 16, 32);
      src += 16;
      dst += 128;
    }
  }
}

/**
 * dU (og × cg, rows cg floats apart) += dM (og × T, rows T floats apart) · V panels (gwPackV), on
 * MR-row slivers of dM and then 4-row ones (gwFast's shapes).
 */
export function gwGemm(og: i32, cg: i32, T: i32, dm: usize, vpk: usize, du: usize): void {
  const lda = <usize>T * 4, ldc = <usize>cg * 4, panel = <usize>(rup4(T) * 8) * 4;
  const rem = og % MR, tails = MR == 4 || rem == 0 ? 0 : rem == 4 ? 1 : 2;
  const full = og - 4 * tails;
  for (let j = 0; j < cg; j += 8) {
    const pb = vpk + <usize>(j >> 3) * panel, c = du + <usize>j * 4;
    for (let o = 0; o < full; o += MR) gwRows(T, dm + <usize>o * lda, lda, pb, c + <usize>o * ldc, ldc);
    for (let o = full; o < og; o += 4) gwRows4(T, dm + <usize>o * lda, lda, pb, c + <usize>o * ldc, ldc);
  }
}

// MR rows × 8 columns of C += A·B, A's rows `lda` bytes apart read along t in place, B a packed panel.
function gwRows(T: i32, a: usize, lda: usize, pb: usize, c: usize, ldc: usize): void {
  if (ASC_FEATURE_RELAXED_SIMD) {
    const a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
    const r1 = c + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
    let c00 = v128.load(c), c01 = v128.load(c, 16), c10 = v128.load(r1), c11 = v128.load(r1, 16);
    let c20 = v128.load(r2), c21 = v128.load(r2, 16), c30 = v128.load(r3), c31 = v128.load(r3, 16);
    let c40 = v128.load(r4), c41 = v128.load(r4, 16), c50 = v128.load(r5), c51 = v128.load(r5, 16);
    const end = <usize>T * 4;
    for (let k: usize = 0; k < end; k += 4) {
      const b0 = v128.load(pb), b1 = v128.load(pb, 16);
      let x = v128.load32_splat(a + k);
      c00 = f32x4.relaxed_madd(x, b0, c00); c01 = f32x4.relaxed_madd(x, b1, c01);
      x = v128.load32_splat(a1 + k);
      c10 = f32x4.relaxed_madd(x, b0, c10); c11 = f32x4.relaxed_madd(x, b1, c11);
      x = v128.load32_splat(a2 + k);
      c20 = f32x4.relaxed_madd(x, b0, c20); c21 = f32x4.relaxed_madd(x, b1, c21);
      x = v128.load32_splat(a3 + k);
      c30 = f32x4.relaxed_madd(x, b0, c30); c31 = f32x4.relaxed_madd(x, b1, c31);
      x = v128.load32_splat(a4 + k);
      c40 = f32x4.relaxed_madd(x, b0, c40); c41 = f32x4.relaxed_madd(x, b1, c41);
      x = v128.load32_splat(a5 + k);
      c50 = f32x4.relaxed_madd(x, b0, c50); c51 = f32x4.relaxed_madd(x, b1, c51);
      pb += 32;
    }
    v128.store(c, c00); v128.store(c, c01, 16); v128.store(r1, c10); v128.store(r1, c11, 16);
    v128.store(r2, c20); v128.store(r2, c21, 16); v128.store(r3, c30); v128.store(r3, c31, 16);
    v128.store(r4, c40); v128.store(r4, c41, 16); v128.store(r5, c50); v128.store(r5, c51, 16);
  } else {
    gwRows4(T, a, lda, pb, c, ldc);
  }
}

// 4 rows × 8 columns, as gwRows (the 4-row slivers; every sliver on plain SIMD).
function gwRows4(T: i32, a: usize, lda: usize, pb: usize, c: usize, ldc: usize): void {
  const a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda;
  const r1 = c + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
  let c00 = v128.load(c), c01 = v128.load(c, 16), c10 = v128.load(r1), c11 = v128.load(r1, 16);
  let c20 = v128.load(r2), c21 = v128.load(r2, 16), c30 = v128.load(r3), c31 = v128.load(r3, 16);
  const end = <usize>T * 4;
  for (let k: usize = 0; k < end; k += 4) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let x = v128.load32_splat(a + k);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a1 + k);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a2 + k);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a3 + k);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    pb += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16); v128.store(r1, c10); v128.store(r1, c11, 16);
  v128.store(r2, c20); v128.store(r2, c21, 16); v128.store(r3, c30); v128.store(r3, c31, 16);
}


/**
 * dU[pos] (og × cg) += dM[pos] (og × T) · V[pos]ᵀ (T × cg) for each of the `positions` transform
 * positions (16 for F(2×2), 36 for F(4×4)): gwGemm where gwFast allows (V packed into L1-sized
 * panels, dM read in place), else the packed gemm.
 */
export function accumulateDU(positions: i32, og: i32, cg: i32, T: i32, vbuf: usize, posV: usize, mbuf: usize, posM: usize, du: usize, vpk: usize, gemmScratch: usize): void {
  const fast = gwFast(cg, og);
  for (let pos = 0; pos < positions; pos++) {
    const vb = vbuf + <usize>pos * posV, mb = mbuf + <usize>pos * posM, dp = du + <usize>(pos * cg * og) * 4;
    if (fast) {
      gwPackV(vb, T, cg, vpk);
      gwGemm(og, cg, T, mb, vpk, dp);
    } else {
      gemm(og, cg, T, mb, T, 1, vb, 1, T, dp, cg, true, gemmScratch);
    }
  }
}
