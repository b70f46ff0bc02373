// The input gradient of a stride-1 3×3 conv through F(4×4, 3×3) as the adjoint of the forward
// (./winograd4.ts): the forward is y_t = Aᵀ [Σ_c U[o][c] ⊙ (Bᵀ d_t B)] A per 4×4 output tile t, with
// d_t the tile's 6×6 input patch, so
//   dM[pos][o][t] = (A gy_t Aᵀ)[pos]                   gy's 4×4 tile to 6×6 (gradTransform4, as the weight gradient)
//   dV[pos][c][t] = Σ_o U[pos][o][c] · dM[pos][o][t]   36 GEMMs (the forward's micro-kernel, U transposed)
//   gx_t += B dV_t Bᵀ                                   6×6 back onto the padded input, patches overlapping by 2
// The flipped-kernel conv this replaces (winograd4Conv on gy padded by 2 - p) transformed 32-channel
// 6×6 patches of a padded copy of gy where this transforms gy's 4×4 tiles in place: on
// [64,16,28,28]·32 that input side was 1.7 of ~5.4 ms (transform 1.2, padded copy 0.5) and
// gradTransform4 takes ~0.8. The overlap-add sums each gx element's contributions in tile-row order,
// then tile-column order, from zero, whatever band of rows a call computes, so bands give the same bits.
import { padRows } from "./convdirect";
import { madd } from "./gemm";
import { gemmBlock, gemmBlockN4, POS_PAD, rup, winogradRows, winogradTails } from "./winograd";
import { block4TileRows, tiles4W, winograd4PackFloats } from "./winograd4";
import { gradTransform4 } from "./winograd4-grad";

/** Scratch bytes one thread needs for winograd4GradInput, U (winograd4Pack of cg rows by og) included. */
export function winograd4GradInputScratchBytes(cg: i32, og: i32, oH: i32, oW: i32): i32 {
  const Ms = winogradRows(cg), tWp = tiles4W(oW), tRows = (oH + 3) >> 2;
  const R = block4TileRows(og, Ms, tWp, tRows);
  const T = rup(R * tWp, 8);
  const Wg = 4 * tWp, Wx = 4 * tWp + 4;
  // U | gy band | dM | dV | 6 gx rows per channel | transform temporaries, plus alignment slack
  return (winograd4PackFloats(cg, og) + 16 + og * 4 * R * Wg + 16 + 36 * (og * T + POS_PAD) + 36 * (Ms * T + POS_PAD) +
    cg * 6 * Wx + 16 + 48 * 4) * 4 + 320;
}

/**
 * Rows [h0, h1) of gx [cg, H, W] for the stride-1 3×3 conv of x [cg, H, W] padded by (pH, pW) into
 * [og, oH, oW], from gy [og, oH, oW] and the unflipped weights packed with input channels as rows
 * (pu = winograd4Pack(w, cg, og, 9, cg·9, false, ·): U[pos] is cg × og). `scratch` follows U in the thread's scratch.
 */
export function winograd4GradInput(
  cg: i32, og: i32, H: i32, W: i32, pH: i32, pW: i32, oH: i32, oW: i32, h0: i32, h1: i32,
  gy: usize, pu: usize, gx: usize, scratch: usize,
): void {
  const Ms = winogradRows(cg), tWp = tiles4W(oW), tRows = (oH + 3) >> 2;
  const Rmax = block4TileRows(og, Ms, tWp, tRows);
  const Tmax = rup(Rmax * tWp, 8);
  const Wg = 4 * tWp, Wx = 4 * tWp + 4;
  const Wg4 = <usize>Wg * 4, Wx4 = <usize>Wx * 4;
  const gpad = (scratch + 63) & ~63;
  const mbuf = gpad + <usize>rup(og * 4 * Rmax * Wg + 16, 16) * 4;
  const vbuf = mbuf + <usize>(36 * (og * Tmax + POS_PAD)) * 4;
  const xb = vbuf + <usize>(36 * (Ms * Tmax + POS_PAD)) * 4;
  // Tile rows whose patches (padded rows 4ty .. 4ty + 5) meet padded rows [h0 + pH, h1 + pH).
  const tyF = max(0, (h0 + pH - 2) >> 2), tyL = min(tRows, ((h1 + pH - 1) >> 2) + 1);
  if (tyF >= tyL) return;
  // Per channel, 6 rows of the padded gx (one tile row's patches, at padded row 4·ty): rows 0-3 are
  // final once tile row ty is added and go to gx; rows 4-5 move up to meet tile row ty + 1.
  const tmp = (xb + <usize>(cg * 6) * Wx4 + 63) & ~63;
  memory.fill(xb, 0, <usize>(cg * 6) * Wx4);
  const tails = winogradTails(cg);
  const full = Ms - 4 * tails;
  for (let b0 = tyF; b0 < tyL; b0 += Rmax) {
    const R = min(Rmax, tyL - b0);
    const T = rup(R * tWp, 4);
    const posM = <usize>(og * T + POS_PAD) * 4, posV = <usize>(Ms * T + POS_PAD) * 4;
    // gy rows 4·b0 .. 4·(b0 + R), zero past the output's edges; in place when the tiles cover them exactly.
    const inPlace = Wg == oW && 4 * (b0 + R) <= oH;
    if (!inPlace) padRows(gy, og, oH, oW, 0, Wg, 4 * b0, 4 * R, 0, gpad);
    for (let o = 0; o < og; o++) {
      const plane = inPlace ? gy + <usize>((o * oH + 4 * b0) * oW) * 4 : gpad + <usize>(o * 4 * R) * Wg4;
      const mo = mbuf + <usize>(o * T) * 4;
      // The tiles past R·tWp (to a multiple of 4) are zeros: the last 4 zeroed first, then the
      // transforms overwrite the ones below R·tWp (one vector store per position, not 1-3 scalar ones).
      if (T > R * tWp) {
        for (let pos = 0; pos < 36; pos++) v128.store(mo + <usize>pos * posM + <usize>(T - 4) * 4, f32x4.splat(0));
      }
      for (let r = 0; r < R; r++) {
        for (let tx = 0; tx < tWp; tx += 4) {
          if (tx + 4 > tWp) tx = tWp - 4;
          gradTransform4(plane + <usize>(4 * r) * Wg4 + <usize>(4 * tx) * 4, Wg4, mo + <usize>(r * tWp + tx) * 4, posM);
        }
      }
    }
    // 36 GEMMs dV[pos] (Ms × T) = U[pos] (Ms × og) · dM[pos] (og × T).
    const ldc = <usize>T * 4;
    for (let pos = 0; pos < 36; pos++) {
      const pa = pu + <usize>(pos * Ms * og) * 4, mb = mbuf + <usize>pos * posM, vb = vbuf + <usize>pos * posV;
      let q = 0;
      for (; q + 8 < T; q += 8) gemmBlock(og, pa, mb + <usize>q * 4, vb + <usize>q * 4, ldc, full, tails);
      if (T - q == 4) gemmBlockN4(og, pa, mb + <usize>q * 4, vb + <usize>q * 4, ldc, full, tails);
      else gemmBlock(og, pa, mb + <usize>q * 4, vb + <usize>q * 4, ldc, full, tails);
    }
    // B dV Bᵀ added onto the channel's rows; the last group of a row repeats tiles its predecessor added: masked out.
    const last = b0 + R == tyL;
    for (let c = 0; c < cg; c++) {
      const rows = xb + <usize>(c * 6) * Wx4, plane = gx + <usize>(c * H * W) * 4;
      for (let r = 0; r < R; r++) {
        for (let tx = 0; tx < tWp; tx += 4) {
          let dup = 0;
          if (tx + 4 > tWp) {
            dup = tx - (tWp - 4);
            tx = tWp - 4;
          }
          scatter4(vbuf + <usize>(c * T + r * tWp + tx) * 4, posV, rows + <usize>(4 * tx) * 4, Wx4, dup, tmp);
        }
        const pr = 4 * (b0 + r) - pH;
        flushRows(rows, Wx4, pr, 4, h0, h1, W, pW, plane);
        // Short rows: v128 steps (V8's memory.copy and memory.fill are runtime calls, see padRows).
        const z = f32x4.splat(0);
        for (let o: usize = 0; o < 2 * Wx4; o += 16) {
          v128.store(rows + o, v128.load(rows + 4 * Wx4 + o));
          v128.store(rows + 2 * Wx4 + o, z);
          v128.store(rows + 4 * Wx4 + o, z);
        }
      }
      if (last) flushRows(rows, Wx4, 4 * tyL - pH, 2, h0, h1, W, pW, plane);
    }
  }
}

// Rows i < n of the padded gx rows at `rows` (Wx4 bytes apart), gx row h = h first + i, into the
// plane [·, W] where h0 <= h < h1; padded column w + pW is gx column w.
function flushRows(rows: usize, Wx4: usize, first: i32, n: i32, h0: i32, h1: i32, W: i32, pW: i32, plane: usize): void {
  for (let i = 0; i < n; i++) {
    const h = first + i;
    if (h < h0 || h >= h1) continue;
    const src = rows + <usize>i * Wx4 + <usize>pW * 4, dst = plane + <usize>(h * W) * 4;
    let w = 0;
    for (; w + 4 <= W; w += 4) v128.store(dst + <usize>w * 4, v128.load(src + <usize>w * 4));
    for (; w < W; w++) store<f32>(dst + <usize>w * 4, load<f32>(src + <usize>w * 4));
  }
}

// B (v0..v5) = (Bᵀ)ᵀ v, 4 tiles per vector: e0 = 4v0, e1 = 4(v5 - (v1 - v2)) + 2(v4 - v3),
// e2 = -(5v0 + 4(v1 + v2) + (v3 + v4)), e3 = (v1 - v2) - 2(v4 - v3) - 5v5, e4 = v0 + (v1 + v2) + (v3 + v4), e5 = v5.
@inline function bAdj(v0: v128, v1: v128, v2: v128, v3: v128, v4: v128, v5: v128, out: usize, step: usize): void {
  const s12 = f32x4.add(v1, v2), m12 = f32x4.sub(v1, v2), s34 = f32x4.add(v3, v4), m43 = f32x4.sub(v4, v3);
  v128.store(out, f32x4.mul(f32x4.splat(4), v0));
  v128.store(out + step, madd(f32x4.splat(4), f32x4.sub(v5, m12), f32x4.mul(f32x4.splat(2), m43)));
  v128.store(out + 2 * step, f32x4.neg(madd(f32x4.splat(5), v0, madd(f32x4.splat(4), s12, s34))));
  v128.store(out + 3 * step, madd(f32x4.splat(-5), v5, madd(f32x4.splat(-2), m43, m12)));
  v128.store(out + 4 * step, f32x4.add(f32x4.add(v0, s12), s34));
  v128.store(out + 5 * step, v5);
}

// B dV Bᵀ for 4 neighbouring tiles (dV[pos] at v + pos·posStride, lane = tile) added onto the 6 band
// rows at dst (Wx4 bytes apart; tile k's patch at columns 4k .. 4k + 5). Lanes below `dup` are tiles
// already added (the overlapping last group of a row) and add nothing. Tile k's columns 4, 5 and tile
// k + 1's 0, 1 are summed in registers before the add (lane k of v4 shifted up one lane).
function scatter4(v: usize, posStride: usize, dst: usize, Wx4: usize, dup: i32, tmp: usize): void {
  // Down the rows: e[i][b] = Σ_a B[i][a] dV[6a + b] at tmp + (6i + b)·16.
  const ps6 = 6 * posStride;
  for (let b = 0; b < 6; b++) {
    const p = v + <usize>b * posStride;
    bAdj(v128.load(p), v128.load(p + ps6), v128.load(p + 2 * ps6), v128.load(p + 3 * ps6), v128.load(p + 4 * ps6), v128.load(p + 5 * ps6),
      tmp + <usize>b * 16, 96);
  }
  // Lanes to keep: all, or those from `dup` on.
  const keep = dup == 0 ? i32x4.splat(-1) : dup == 1 ? i32x4(0, -1, -1, -1) : dup == 2 ? i32x4(0, 0, -1, -1) : i32x4(0, 0, 0, -1);
  const zero = f32x4.splat(0);
  for (let i = 0; i < 6; i++) {
    // Across the columns: dd[i][j] = Σ_b e[i][b] B[j][b] (bAdj's sums, in registers).
    const e = tmp + <usize>i * 96;
    const v0 = v128.load(e), v1 = v128.load(e, 16), v2 = v128.load(e, 32), v3 = v128.load(e, 48), v4 = v128.load(e, 64), v5 = v128.load(e, 80);
    const s12 = f32x4.add(v1, v2), m12 = f32x4.sub(v1, v2), s34 = f32x4.add(v3, v4), m43 = f32x4.sub(v4, v3);
    const d0 = v128.and(f32x4.mul(f32x4.splat(4), v0), keep);
    const d1 = v128.and(madd(f32x4.splat(4), f32x4.sub(v5, m12), f32x4.mul(f32x4.splat(2), m43)), keep);
    const d2 = v128.and(f32x4.neg(madd(f32x4.splat(5), v0, madd(f32x4.splat(4), s12, s34))), keep);
    const d3 = v128.and(madd(f32x4.splat(-5), v5, madd(f32x4.splat(-2), m43, m12)), keep);
    const d4 = v128.and(f32x4.add(f32x4.add(v0, s12), s34), keep), d5 = v128.and(v5, keep);
    const w0 = f32x4.add(d0, v128.shuffle<f32>(zero, d4, 0, 4, 5, 6)), w1 = f32x4.add(d1, v128.shuffle<f32>(zero, d5, 0, 4, 5, 6));
    // Transposed: tile k's columns 0..3 in one vector.
    const t0 = v128.shuffle<f32>(w0, w1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(d2, d3, 0, 4, 1, 5);
    const t2 = v128.shuffle<f32>(w0, w1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(d2, d3, 2, 6, 3, 7);
    const row = dst + <usize>i * Wx4;
    v128.store(row, f32x4.add(v128.load(row), v128.shuffle<f32>(t0, t1, 0, 1, 4, 5)));
    v128.store(row, f32x4.add(v128.load(row, 16), v128.shuffle<f32>(t0, t1, 2, 3, 6, 7)), 16);
    v128.store(row, f32x4.add(v128.load(row, 32), v128.shuffle<f32>(t2, t3, 0, 1, 4, 5)), 32);
    v128.store(row, f32x4.add(v128.load(row, 48), v128.shuffle<f32>(t2, t3, 2, 3, 6, 7)), 48);
    // The last tile's columns 4 and 5.
    v128.store(row, f32x4.add(v128.load(row, 64), v128.and(v128.shuffle<f32>(d4, d5, 3, 7, 3, 7), i32x4(-1, -1, 0, 0))), 64);
  }
}
