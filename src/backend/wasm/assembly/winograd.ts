// Winograd F(2×2, 3×3) for stride-1, undilated 3×3 convolutions: each 2×2 block of outputs
// ("tile") costs 16 multiplies per (in, out) channel pair instead of 36, so the GEMM work is 2.25x
// smaller than the direct kernel's. Per block of tiles:
//   V[pos][c][t] = (Bᵀ d B)[pos]     input transform of tile t's 4×4 patch d of channel c
//   M[pos][o][t] = Σ_c U[pos][o][c] · V[pos][c][t]   16 independent GEMMs (directConv's micro-kernel)
//   y = Aᵀ M A (+ bias, ReLU, 2×2 max-pool)            output transform, with the epilogue fused
// where U = G g Gᵀ is the transformed 3×3 kernel. The constants of F(2×2, 3×3) are 0, ±1 and ±½, so
// the rounding error stays within a few ulps of the direct sum's (test/conv-winograd.test.ts bounds it).
// Transforms run on 4 tiles at once (one v128 lane per tile): a tile row's 4×4 patches are de-interleaved
// from two 8-float loads, since neighbouring tiles start 2 columns apart.
//
// The input gradient of a stride-1 3×3 conv is itself such a conv (gy padded by 2 - p, kernel flipped
// and in/out channels swapped), so conv.ts runs it through the same kernel: `flip` reads the weights so.
import { madd, MR } from "./gemm";
import { padRows, EPI_RELU_POOL } from "./convdirect";

// Floats between consecutive positions' blocks of V and M beyond their size: the transforms touch
// all 16 (36) positions per step, and at power-of-two block sizes (Cin·T = 512 at 14×14, 32 channels)
// those lines fell into 2 of L1's sets and evicted each other (that F(4×4) conv ran 45% slower).
export const POS_PAD: i32 = 16;

@inline export function rup(a: i32, b: i32): i32 {
  return (a + b - 1) / b * b;
}

/** Whether a conv with these parameters takes this kernel: 3×3, stride 1, dilation 1, padding ≤ 2, enough channels. */
export function winogradFits(cin: i32, cout: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32): bool {
  // Below 8 channels either way the 16 small GEMMs cost more than the transforms save (measured with
  // bench/conv.ts: the 1-channel first layer stays on the direct kernel).
  return kH == 3 && kW == 3 && sH == 1 && sW == 1 && dH == 1 && dW == 1 && pH <= 2 && pW <= 2 && cin >= 8 && cout >= 8;
}

/**
 * Tiles per row in V and M: the output's (oW + 1) / 2, at least 4 (the transforms take 4 at a time;
 * a row's last group of 4 starts at tW - 4 and redoes a few tiles, with the same values).
 */
@inline export function tilesW(oW: i32): i32 {
  return max(4, (oW + 1) >> 1);
}

/**
 * How many 4-row slivers end U and M after the MR-row ones (FMA build, MR = 6): none when M is a
 * multiple of 6 (or 5 rows remain: one more 6-row sliver), one for 3-4 rows left, two for 1-2 rows
 * left (32 = 4·6 + 2·4 computes no padding row, where 5·6 + 4 computed 2 of 34, 6% of the GEMMs).
 */
@inline export function winogradTails(M: i32): i32 {
  if (MR == 4) return 0;
  const rem = M % MR;
  if (rem == 0 || rem == 5) return 0;
  return rem <= 2 && M > MR ? 2 : 1;
}

/** Rows of U and M: whole MR-row slivers, then winogradTails(M) 4-row slivers. */
export function winogradRows(M: i32): i32 {
  const rem = M % MR, tails = winogradTails(M);
  if (tails == 0) return rem == 0 ? M : M - rem + MR;
  return M - rem - (tails - 1) * MR + 4 * tails;
}

// First row of the sliver that holds row o.
@inline export function sliverStart(o: i32, M: i32): i32 {
  const full = winogradRows(M) - 4 * winogradTails(M);
  return o < full ? o - o % MR : full + ((o - full) & ~3);
}

// Rows in the sliver that starts at row s.
@inline export function sliverRows(s: i32, M: i32): i32 {
  return s < winogradRows(M) - 4 * winogradTails(M) ? MR : 4;
}

/** Tile rows per block, so V and M (16·(Cin + Ms)·T floats) stay in L2. */
@inline function blockTileRows(Cin: i32, Ms: i32, tWp: i32, tRows: i32): i32 {
  const T = 3072 / (Cin + Ms);
  return max(1, min(tRows, T / tWp));
}

/** Scratch bytes one thread needs for winogradConv (see the layout there). */
export function winogradScratchBytes(M: i32, Cin: i32, W: i32, pW: i32, oH: i32, oW: i32): i32 {
  const Ms = winogradRows(M), tWp = tilesW(oW);
  const R = blockTileRows(Cin, Ms, tWp, (oH + 1) >> 1);
  const T = rup(R * tWp, 8);
  const Wp = max(2 * tWp + 2, W + 2 * pW);
  // U | padded band | V | M | 32-float spill, plus alignment slack
  return (16 * Ms * Cin + rup(Cin, 16) + Cin * (2 * R + 2) * Wp + Wp + 16 + 16 * (Cin * T + POS_PAD) + 16 * (Ms * T + POS_PAD) + 32) * 4 + 256;
}

/**
 * U[pos] for pos = 4i + j, packed as slivers of MR rows and a last one of sliverRows ([pos][sliver][c][rows],
 * zero rows past M).
 * Weight (o, c, kh, kw) is at w + (o·so + c·sc + kh·3 + kw) floats, or at tap 8 - (kh·3 + kw) when flip.
 */
export function winogradPack(w: usize, M: i32, Cin: i32, so: i32, sc: i32, flip: bool, dst: usize): void {
  const Ms = winogradRows(M);
  for (let o = 0; o < Ms; o++) {
    const s = sliverStart(o, M), rows = sliverRows(s, M);
    for (let c = 0; c < Cin; c++) {
      const at = dst + <usize>(s * Cin + c * rows + o - s) * 4;
      if (o >= M) {
        for (let pos = 0; pos < 16; pos++) store<f32>(at + <usize>(pos * Ms * Cin) * 4, 0);
        continue;
      }
      const base = w + <usize>(o * so + c * sc) * 4;
      // g rows, then G g (4×3), then (G g) Gᵀ (4×4): G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1].
      for (let i = 0; i < 4; i++) {
        let a: f32, b: f32, cc: f32;
        const r0 = gAt(base, 0, flip), r1 = gAt(base, 1, flip), r2 = gAt(base, 2, flip);
        // Row i of G g, entry by entry over the kernel's 3 columns.
        a = rowMix(i, load<f32>(r0), load<f32>(r1), load<f32>(r2));
        b = rowMix(i, load<f32>(r0, 4), load<f32>(r1, 4), load<f32>(r2, 4));
        cc = rowMix(i, load<f32>(r0, 8), load<f32>(r1, 8), load<f32>(r2, 8));
        if (flip) {
          // A flipped row runs right to left.
          const t = a; a = cc; cc = t;
        }
        for (let j = 0; j < 4; j++) store<f32>(at + <usize>((4 * i + j) * Ms * Cin) * 4, rowMix(j, a, b, cc));
      }
    }
  }
}

// Address of kernel row kh (flipped: row 2 - kh, whose columns conv.ts reads reversed).
@inline function gAt(base: usize, kh: i32, flip: bool): usize {
  return base + <usize>((flip ? 2 - kh : kh) * 3) * 4;
}

// Row i of G applied to (g0, g1, g2).
@inline function rowMix(i: i32, g0: f32, g1: f32, g2: f32): f32 {
  if (i == 0) return g0;
  if (i == 1) return (g0 + g1 + g2) * 0.5;
  if (i == 2) return (g0 - g1 + g2) * 0.5;
  return g2;
}

// Bᵀ d B for 4 neighbouring tiles whose first patch row starts at `row` (rows Wp4 bytes apart),
// stored at v + pos·posStride.
@inline function inputTransform(row: usize, Wp4: usize, v: usize, posStride: usize): void {
  // Column transform of each patch row i: (d0 - d2, d1 + d2, d2 - d1, d1 - d3), 4 tiles per vector.
  let e00: v128, e01: v128, e02: v128, e03: v128;
  let e10: v128, e11: v128, e12: v128, e13: v128;
  let e20: v128, e21: v128, e22: v128, e23: v128;
  let e30: v128, e31: v128, e32: v128, e33: v128;
  {
    const a = v128.load(row), b = v128.load(row, 16), c = v128.load(row, 8), d = v128.load(row, 24);
    const d0 = v128.shuffle<f32>(a, b, 0, 2, 4, 6), d1 = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
    const d2 = v128.shuffle<f32>(c, d, 0, 2, 4, 6), d3 = v128.shuffle<f32>(c, d, 1, 3, 5, 7);
    e00 = f32x4.sub(d0, d2); e01 = f32x4.add(d1, d2); e02 = f32x4.sub(d2, d1); e03 = f32x4.sub(d1, d3);
  }
  row += Wp4;
  {
    const a = v128.load(row), b = v128.load(row, 16), c = v128.load(row, 8), d = v128.load(row, 24);
    const d0 = v128.shuffle<f32>(a, b, 0, 2, 4, 6), d1 = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
    const d2 = v128.shuffle<f32>(c, d, 0, 2, 4, 6), d3 = v128.shuffle<f32>(c, d, 1, 3, 5, 7);
    e10 = f32x4.sub(d0, d2); e11 = f32x4.add(d1, d2); e12 = f32x4.sub(d2, d1); e13 = f32x4.sub(d1, d3);
  }
  row += Wp4;
  {
    const a = v128.load(row), b = v128.load(row, 16), c = v128.load(row, 8), d = v128.load(row, 24);
    const d0 = v128.shuffle<f32>(a, b, 0, 2, 4, 6), d1 = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
    const d2 = v128.shuffle<f32>(c, d, 0, 2, 4, 6), d3 = v128.shuffle<f32>(c, d, 1, 3, 5, 7);
    e20 = f32x4.sub(d0, d2); e21 = f32x4.add(d1, d2); e22 = f32x4.sub(d2, d1); e23 = f32x4.sub(d1, d3);
  }
  row += Wp4;
  {
    const a = v128.load(row), b = v128.load(row, 16), c = v128.load(row, 8), d = v128.load(row, 24);
    const d0 = v128.shuffle<f32>(a, b, 0, 2, 4, 6), d1 = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
    const d2 = v128.shuffle<f32>(c, d, 0, 2, 4, 6), d3 = v128.shuffle<f32>(c, d, 1, 3, 5, 7);
    e30 = f32x4.sub(d0, d2); e31 = f32x4.add(d1, d2); e32 = f32x4.sub(d2, d1); e33 = f32x4.sub(d1, d3);
  }
  // The same transform down the rows: V[4i + j] for i = 0..3.
  v128.store(v, f32x4.sub(e00, e20)); v += posStride;
  v128.store(v, f32x4.sub(e01, e21)); v += posStride;
  v128.store(v, f32x4.sub(e02, e22)); v += posStride;
  v128.store(v, f32x4.sub(e03, e23)); v += posStride;
  v128.store(v, f32x4.add(e10, e20)); v += posStride;
  v128.store(v, f32x4.add(e11, e21)); v += posStride;
  v128.store(v, f32x4.add(e12, e22)); v += posStride;
  v128.store(v, f32x4.add(e13, e23)); v += posStride;
  v128.store(v, f32x4.sub(e20, e10)); v += posStride;
  v128.store(v, f32x4.sub(e21, e11)); v += posStride;
  v128.store(v, f32x4.sub(e22, e12)); v += posStride;
  v128.store(v, f32x4.sub(e23, e13)); v += posStride;
  v128.store(v, f32x4.sub(e10, e30)); v += posStride;
  v128.store(v, f32x4.sub(e11, e31)); v += posStride;
  v128.store(v, f32x4.sub(e12, e32)); v += posStride;
  v128.store(v, f32x4.sub(e13, e33));
}

/**
 * Output rows [oh0, oh1) (oh0 even) of out[M, oH, oW] = the stride-1 3×3 conv of x[Cin, H, W] padded
 * by (pH, pW), with the transformed weights pu (winogradPack). epi as directConv's: EPI_RELU_POOL
 * writes the pooled [M, oH/2, oW/2] to `out` and its indices to `idx` (oh1 even or oH).
 */
export function winogradConv(
  M: i32, Cin: i32, H: i32, W: i32, pH: i32, pW: i32, oH: i32, oW: i32, oh0: i32, oh1: i32,
  x: usize, pu: usize, bias: usize, out: usize, idx: usize, epi: i32, scratch: usize,
): void {
  const Ms = winogradRows(M), tWp = tilesW(oW);
  const Rmax = blockTileRows(Cin, Ms, tWp, (oH + 1) >> 1);
  const Tmax = rup(Rmax * tWp, 8);
  const Wp = max(2 * tWp + 2, W + 2 * pW);
  const xpad = scratch + <usize>rup(Cin, 16) * 4;
  const vbuf = xpad + <usize>(Cin * (2 * Rmax + 2) * Wp + Wp + 16) * 4;
  const mbuf = vbuf + <usize>(16 * (Cin * Tmax + POS_PAD)) * 4;
  const spill = mbuf + <usize>(16 * (Ms * Tmax + POS_PAD)) * 4;
  const Wp4 = <usize>Wp * 4;
  const pOH = oH >> 1, pOW = oW >> 1;
  const ty1 = (oh1 + 1) >> 1;
  for (let ty0 = oh0 >> 1; ty0 < ty1; ty0 += Rmax) {
    const R = min(Rmax, ty1 - ty0);
    const T = rup(R * tWp, 4);
    const Hb = 2 * R + 2;
    padRows(x, Cin, H, W, pW, Wp, 2 * ty0, Hb, pH, xpad);
    // Input transform; the tiles past R·tWp (to a multiple of 4) are zeros.
    const posV = <usize>(Cin * T + POS_PAD) * 4;
    transformInput(xpad, Cin, Hb, Wp, R, tWp, vbuf, T);
    for (let c = 0; c < Cin; c++) {
      const vc = vbuf + <usize>(c * T) * 4;
      for (let t = R * tWp; t < T; t++) {
        for (let pos = 0; pos < 16; pos++) store<f32>(vc + <usize>pos * posV + <usize>t * 4, 0);
      }
    }
    // 16 GEMMs M[pos] (Ms × T) = U[pos] (Ms × Cin) · V[pos] (Cin × T), B rows T floats apart.
    const ldc = <usize>T * 4, posM = <usize>(Ms * T + POS_PAD) * 4;
    const tails = winogradTails(M);
    const full = Ms - 4 * tails;
    for (let pos = 0; pos < 16; pos++) {
      const pa = pu + <usize>(pos * Ms * Cin) * 4, vb = vbuf + <usize>pos * posV, mb = mbuf + <usize>pos * posM;
      // Two call sites of each kernel (the last column block is a call of its own) keep Binaryen from
      // inlining them here, as directConv's micro: out of line, their accumulators get V8's vector
      // registers to themselves (inlined, they ran at half speed).
      let q = 0;
      for (; q + 8 < T; q += 8) gemmBlock(Cin, pa, vb + <usize>q * 4, mb + <usize>q * 4, ldc, full, tails);
      if (T - q == 4) gemmBlockN4(Cin, pa, vb + <usize>q * 4, mb + <usize>q * 4, ldc, full, tails);
      else gemmBlock(Cin, pa, vb + <usize>q * 4, mb + <usize>q * 4, ldc, full, tails);
    }
    // Output transform Aᵀ m A, Aᵀ = [1 1 1 0; 0 1 -1 -1], with the epilogue.
    for (let o = 0; o < M; o++) {
      const bv = f32x4.splat(bias ? load<f32>(bias + <usize>o * 4) : 0);
      for (let r = 0; r < R; r++) {
        const ty = ty0 + r, oh = 2 * ty;
        for (let tx = 0; tx < tWp; tx += 4) {
          if (tx + 4 > tWp) tx = tWp - 4;
          let m = mbuf + <usize>(o * T + r * tWp + tx) * 4;
          let s00: v128, s01: v128, s10: v128, s11: v128, s20: v128, s21: v128, s30: v128, s31: v128;
          {
            const a = v128.load(m), b = v128.load(m + posM), c = v128.load(m + 2 * posM), d = v128.load(m + 3 * posM);
            s00 = f32x4.add(f32x4.add(a, b), c); s01 = f32x4.sub(f32x4.sub(b, c), d);
          }
          m += 4 * posM;
          {
            const a = v128.load(m), b = v128.load(m + posM), c = v128.load(m + 2 * posM), d = v128.load(m + 3 * posM);
            s10 = f32x4.add(f32x4.add(a, b), c); s11 = f32x4.sub(f32x4.sub(b, c), d);
          }
          m += 4 * posM;
          {
            const a = v128.load(m), b = v128.load(m + posM), c = v128.load(m + 2 * posM), d = v128.load(m + 3 * posM);
            s20 = f32x4.add(f32x4.add(a, b), c); s21 = f32x4.sub(f32x4.sub(b, c), d);
          }
          m += 4 * posM;
          {
            const a = v128.load(m), b = v128.load(m + posM), c = v128.load(m + 2 * posM), d = v128.load(m + 3 * posM);
            s30 = f32x4.add(f32x4.add(a, b), c); s31 = f32x4.sub(f32x4.sub(b, c), d);
          }
          let y00 = f32x4.add(f32x4.add(f32x4.add(s00, s10), s20), bv);
          let y01 = f32x4.add(f32x4.add(f32x4.add(s01, s11), s21), bv);
          let y10 = f32x4.add(f32x4.sub(f32x4.sub(s10, s20), s30), bv);
          let y11 = f32x4.add(f32x4.sub(f32x4.sub(s11, s21), s31), bv);
          if (epi != 0) {
            // pmax(y, 0) is y < 0 ? 0 : y: NaN and -0 pass through, as the unfused relu.
            const z = f32x4.splat(0);
            y00 = f32x4.pmax(y00, z); y01 = f32x4.pmax(y01, z); y10 = f32x4.pmax(y10, z); y11 = f32x4.pmax(y11, z);
          }
          if (epi == EPI_RELU_POOL) {
            if (ty >= pOH || tx >= pOW) continue;
            const at = <usize>((o * pOH + ty) * pOW + tx) * 4;
            const i0 = i32x4.add(i32x4.splat(oh * oW + 2 * tx), i32x4(0, 2, 4, 6));
            if (tx + 4 <= pOW) {
              poolTiles(y00, y01, y10, y11, i0, oW, out + at, idx + at);
            } else {
              poolTiles(y00, y01, y10, y11, i0, oW, spill, spill + 16);
              for (let l = 0; l < pOW - tx; l++) {
                store<f32>(out + at + <usize>l * 4, load<f32>(spill + <usize>l * 4));
                store<i32>(idx + at + <usize>l * 4, load<i32>(spill + 16 + <usize>l * 4));
              }
            }
            continue;
          }
          // Interleave the tiles' two columns back into output rows oh and oh + 1.
          const row0 = out + <usize>((o * oH + oh) * oW + 2 * tx) * 4;
          storeRow(v128.shuffle<f32>(y00, y01, 0, 4, 1, 5), v128.shuffle<f32>(y00, y01, 2, 6, 3, 7), row0, oW - 2 * tx, spill);
          if (oh + 1 < oh1) {
            storeRow(v128.shuffle<f32>(y10, y11, 0, 4, 1, 5), v128.shuffle<f32>(y10, y11, 2, 6, 3, 7), row0 + <usize>oW * 4, oW - 2 * tx, spill);
          }
        }
      }
    }
  }
}

/**
 * V[pos][c][t] for the R·tWp tiles (R rows of tWp) of the padded band xpad [Cin, Hb, Wp]: Bᵀ d B of
 * each tile's 4×4 patch, tile (r, tx) at t = r·tWp + tx, T floats per (pos, c) row.
 */
export function transformInput(xpad: usize, Cin: i32, Hb: i32, Wp: i32, R: i32, tWp: i32, vbuf: usize, T: i32): void {
  const Wp4 = <usize>Wp * 4, posV = <usize>(Cin * T + POS_PAD) * 4;
  for (let c = 0; c < Cin; c++) {
    const plane = xpad + <usize>(c * Hb) * Wp4;
    const vc = vbuf + <usize>(c * T) * 4;
    for (let r = 0; r < R; r++) {
      for (let tx = 0; tx < tWp; tx += 4) {
        if (tx + 4 > tWp) tx = tWp - 4;
        inputTransform(plane + <usize>(2 * r) * Wp4 + <usize>(2 * tx) * 4, Wp4, vc + <usize>(r * tWp + tx) * 4, posV);
      }
    }
  }
}

// 8 columns of M[pos] (Ms rows) from U[pos]'s slivers and 8 columns of V[pos].
@inline export function gemmBlock(Cin: i32, pa: usize, b: usize, c: usize, ldc: usize, full: i32, tails: i32): void {
  for (let s = 0; s < full; s += MR) gemmRows(Cin, pa + <usize>(s * Cin) * 4, b, ldc, c + <usize>s * ldc, ldc);
  for (let s = full; s < full + 4 * tails; s += 4) gemmRows4(Cin, pa + <usize>(s * Cin) * 4, b, ldc, c + <usize>s * ldc, ldc);
}

/**
 * 4 columns of M[pos], for a block whose tile count is 4 past a multiple of 8: T is rounded up to 4,
 * not 8 (28 outputs a side on F(4×4): 49 tiles took 56 columns, now 52, 7% fewer GEMM multiplies).
 */
@inline export function gemmBlockN4(Cin: i32, pa: usize, b: usize, c: usize, ldc: usize, full: i32, tails: i32): void {
  for (let s = 0; s < full; s += MR) gemmRowsN4(Cin, pa + <usize>(s * Cin) * 4, b, ldc, c + <usize>s * ldc, ldc);
  for (let s = full; s < full + 4 * tails; s += 4) gemmRows4N4(Cin, pa + <usize>(s * Cin) * 4, b, ldc, c + <usize>s * ldc, ldc);
}

// MR rows × 4 columns, as gemmRows (6 accumulator chains: below the FMA pipes' 8, but only on the last block).
function gemmRowsN4(kd: i32, pa: usize, b: usize, ldb: usize, c: usize, ldc: usize): void {
  if (ASC_FEATURE_RELAXED_SIMD) {
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0), c4 = f32x4.splat(0), c5 = f32x4.splat(0);
    for (let k = 0; k < kd; k++) {
      const b0 = v128.load(b);
      c0 = f32x4.relaxed_madd(v128.load32_splat(pa), b0, c0);
      c1 = f32x4.relaxed_madd(v128.load32_splat(pa, 4), b0, c1);
      c2 = f32x4.relaxed_madd(v128.load32_splat(pa, 8), b0, c2);
      c3 = f32x4.relaxed_madd(v128.load32_splat(pa, 12), b0, c3);
      c4 = f32x4.relaxed_madd(v128.load32_splat(pa, 16), b0, c4);
      c5 = f32x4.relaxed_madd(v128.load32_splat(pa, 20), b0, c5);
      pa += 24; b += ldb;
    }
    v128.store(c, c0); c += ldc;
    v128.store(c, c1); c += ldc;
    v128.store(c, c2); c += ldc;
    v128.store(c, c3); c += ldc;
    v128.store(c, c4); c += ldc;
    v128.store(c, c5);
  } else {
    gemmRows4N4(kd, pa, b, ldb, c, ldc);
  }
}

// 4 rows × 4 columns, as gemmRows4.
function gemmRows4N4(kd: i32, pa: usize, b: usize, ldb: usize, c: usize, ldc: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  for (let k = 0; k < kd; k++) {
    const b0 = v128.load(b);
    c0 = madd(v128.load32_splat(pa), b0, c0);
    c1 = madd(v128.load32_splat(pa, 4), b0, c1);
    c2 = madd(v128.load32_splat(pa, 8), b0, c2);
    c3 = madd(v128.load32_splat(pa, 12), b0, c3);
    pa += 16; b += ldb;
  }
  v128.store(c, c0); c += ldc;
  v128.store(c, c1); c += ldc;
  v128.store(c, c2); c += ldc;
  v128.store(c, c3);
}

// MR rows × 8 columns of C = A·B: A a packed sliver (k-major, MR per k), B rows `ldb` bytes apart.
function gemmRows(kd: i32, pa: usize, b: usize, ldb: usize, c: usize, ldc: usize): void {
  if (ASC_FEATURE_RELAXED_SIMD) {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
    let c40 = f32x4.splat(0), c41 = f32x4.splat(0), c50 = f32x4.splat(0), c51 = f32x4.splat(0);
    for (let k = 0; k < kd; k++) {
      const b0 = v128.load(b), b1 = v128.load(b, 16);
      let a = v128.load32_splat(pa);
      c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(pa, 4);
      c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(pa, 8);
      c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(pa, 12);
      c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(pa, 16);
      c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(pa, 20);
      c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      pa += 24; b += ldb;
    }
    v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
    v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
    v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
    v128.store(c, c30); v128.store(c, c31, 16); c += ldc;
    v128.store(c, c40); v128.store(c, c41, 16); c += ldc;
    v128.store(c, c50); v128.store(c, c51, 16);
  } else {
    gemmRows4(kd, pa, b, ldb, c, ldc);
  }
}

// 4 rows × 8 columns, as gemmRows (the last sliver when 1-4 rows remain; every sliver on plain SIMD).
function gemmRows4(kd: i32, pa: usize, b: usize, ldb: usize, c: usize, ldc: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kd; k++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += 16; b += ldb;
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
  v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
  v128.store(c, c30); v128.store(c, c31, 16);
}


// 8 output floats at dst, or the first n of them when fewer remain in the row.
@inline export function storeRow(lo: v128, hi: v128, dst: usize, n: i32, spill: usize): void {
  if (n >= 8) {
    v128.store(dst, lo);
    v128.store(dst, hi, 16);
    return;
  }
  v128.store(spill, lo);
  v128.store(spill, hi, 16);
  for (let l = 0; l < n; l++) store<f32>(dst + <usize>l * 4, load<f32>(spill + <usize>l * 4));
}

// 2×2 max-pool of 4 tiles (a top-left, b top-right, c bottom-left, d bottom-right): pool.ts's
// maxWindows4 rules (scan order, a later value wins only if greater, a NaN wins and ends the scan).
@inline export function poolTiles(a: v128, b: v128, c: v128, d: v128, i0: v128, W: i32, po: usize, pi: usize): void {
  let best = a, arg = i0;
  let take = v128.and(v128.or(f32x4.gt(b, best), f32x4.ne(b, b)), f32x4.eq(best, best));
  best = v128.bitselect(b, best, take); arg = v128.bitselect(i32x4.add(i0, i32x4.splat(1)), arg, take);
  take = v128.and(v128.or(f32x4.gt(c, best), f32x4.ne(c, c)), f32x4.eq(best, best));
  best = v128.bitselect(c, best, take); arg = v128.bitselect(i32x4.add(i0, i32x4.splat(W)), arg, take);
  take = v128.and(v128.or(f32x4.gt(d, best), f32x4.ne(d, d)), f32x4.eq(best, best));
  best = v128.bitselect(d, best, take); arg = v128.bitselect(i32x4.add(i0, i32x4.splat(W + 1)), arg, take);
  v128.store(po, best);
  v128.store(pi, arg);
}
