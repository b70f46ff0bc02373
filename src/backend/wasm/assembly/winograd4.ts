// Winograd F(4×4, 3×3) for stride-1, undilated 3×3 convolutions: each 4×4 block of outputs
// ("tile") costs 36 multiplies per (in, out) channel pair instead of the direct kernel's 144 (F(2×2,3×3)
// in ./winograd.ts: 64 for the same four 2×2 tiles), so the GEMM work is 4x smaller than direct and
// 1.78x smaller than F(2×2). Per block of tiles, as ./winograd.ts:
//   V[pos][c][t] = (Bᵀ d B)[pos]                     input transform of tile t's 6×6 patch d of channel c
//   M[pos][o][t] = Σ_c U[pos][o][c] · V[pos][c][t]    36 independent GEMMs (winograd.ts's micro-kernel)
//   y = Aᵀ M A (+ bias, ReLU, 2×2 max-pool)             output transform, with the epilogue fused
// with U = G g Gᵀ (computed in f64, rounded once) and the interpolation points 0, ±1, ±2, ∞:
//   Bᵀ = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]
//   G  = [¼ 0 0; -⅙ -⅙ -⅙; -⅙ ⅙ -⅙; 1/24 1/12 ⅙; 1/24 -1/12 ⅙; 0 0 1]
//   Aᵀ = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]
// The larger constants cost float32 accuracy against F(2×2)'s ±½: the error stays within the
// dot-product bound test/backend-wasm.test.ts checks (8·K ulps of Σ|x·w|), measured there.
// Transforms take 4 tiles per v128 (one lane per tile): neighbouring tiles start 4 columns apart, so
// a patch row of 4 tiles is a 4×4 transpose of four loads plus two shuffles with a fifth load.
import { padRows, EPI_RELU_POOL } from "./convdirect";
import { madd } from "./gemm";
import { gemmBlock, gemmBlockN4, poolTiles, POS_PAD, rup, sliverRows, sliverStart, winogradRows, winogradTails } from "./winograd";

/** Tiles per row in V and M: the output's ⌈oW / 4⌉, at least 4 (the transforms take 4 at a time). */
@inline export function tiles4W(oW: i32): i32 {
  return max(4, (oW + 3) >> 2);
}

/** Tile rows per block, so V and M (36·(Cin + Ms)·T floats, ~384 KiB at most) stay in L2. */
@inline export function block4TileRows(Cin: i32, Ms: i32, tWp: i32, tRows: i32): i32 {
  const T = 2730 / (Cin + Ms);
  return max(1, min(tRows, T / tWp));
}

/** Floats of the packed U for M output and Cin input channels. */
@inline export function winograd4PackFloats(M: i32, Cin: i32): i32 {
  return 36 * winogradRows(M) * Cin;
}

/** Scratch bytes one thread needs for winograd4Conv, U (winograd4Pack) included. */
export function winograd4ScratchBytes(M: i32, Cin: i32, W: i32, pW: i32, oH: i32, oW: i32): i32 {
  const Ms = winogradRows(M), tWp = tiles4W(oW);
  const R = block4TileRows(Cin, Ms, tWp, (oH + 3) >> 2);
  const T = rup(R * tWp, 8);
  const Wp = max(4 * tWp + 4, W + 2 * pW);
  // U | padded band | V | M | transform temporaries and spill, plus alignment slack
  return (winograd4PackFloats(M, Cin) + 16 + rup(Cin * (4 * R + 2) * Wp + Wp + 16, 16) + 36 * (Cin * T + POS_PAD) + 36 * (Ms * T + POS_PAD) + 48 * 4 + 64) * 4 + 256;
}

/**
 * U[pos] for pos = 6a + b, in winogradPack's sliver layout ([pos][sliver][c][rows], zero rows past M).
 * Weight (o, c, kh, kw) is at w + (o·so + c·sc + kh·3 + kw) floats, or at tap 8 - (kh·3 + kw) when flip.
 */
export function winograd4Pack(w: usize, M: i32, Cin: i32, so: i32, sc: i32, flip: bool, dst: usize): void {
  const Ms = winogradRows(M);
  const ps = <usize>(Ms * Cin) * 4;
  for (let o = 0; o < Ms; o++) {
    const s = sliverStart(o, M), rows = sliverRows(s, M);
    for (let c = 0; c < Cin; c++) {
      const at = dst + <usize>(s * Cin + c * rows + o - s) * 4;
      if (o >= M) {
        for (let pos = 0; pos < 36; pos++) store<f32>(at + <usize>pos * ps, 0);
        continue;
      }
      const base = w + <usize>(o * so + c * sc) * 4;
      for (let a = 0; a < 6; a++) {
        // Row a of G g (over each kernel column), then of (G g) Gᵀ; in f64, so U is rounded once.
        const t0 = gRow(a, tap(base, 0, flip), tap(base, 3, flip), tap(base, 6, flip));
        const t1 = gRow(a, tap(base, 1, flip), tap(base, 4, flip), tap(base, 7, flip));
        const t2 = gRow(a, tap(base, 2, flip), tap(base, 5, flip), tap(base, 8, flip));
        for (let b = 0; b < 6; b++) store<f32>(at + <usize>(6 * a + b) * ps, <f32>gRow(b, t0, t1, t2));
      }
    }
  }
}

@inline function tap(base: usize, k: i32, flip: bool): f64 {
  return <f64>load<f32>(base + <usize>(flip ? 8 - k : k) * 4);
}

// Row i of G applied to (g0, g1, g2).
@inline function gRow(i: i32, g0: f64, g1: f64, g2: f64): f64 {
  if (i == 0) return g0 * 0.25;
  if (i == 1) return -(g0 + g1 + g2) / 6;
  if (i == 2) return -(g0 - g1 + g2) / 6;
  if (i == 3) return g0 / 24 + g1 / 12 + g2 / 6;
  if (i == 4) return g0 / 24 - g1 / 12 + g2 / 6;
  return g2;
}

// Bᵀ (d0..d5), 4 tiles per vector; result k stored at out + k·step. Written as multiply-adds: the
// relaxed build fuses each (14 operations instead of 21), the plain one gets the mul + add it had.
@inline function bt(d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128, out: usize, step: usize): void {
  const f4 = f32x4.splat(4), fm4 = f32x4.splat(-4), fm5 = f32x4.splat(-5), f2 = f32x4.splat(2), fm2 = f32x4.splat(-2);
  const s12 = f32x4.add(d1, d2), m12 = f32x4.sub(d1, d2);
  const s34 = f32x4.add(d3, d4), m43 = f32x4.sub(d4, d3);
  const m42 = f32x4.sub(d4, d2), m31 = f32x4.sub(d3, d1);
  v128.store(out, madd(f4, d0, madd(fm5, d2, d4)));
  v128.store(out + step, madd(fm4, s12, s34));
  v128.store(out + 2 * step, madd(f4, m12, m43));
  v128.store(out + 3 * step, madd(f2, m31, m42));
  v128.store(out + 4 * step, madd(fm2, m31, m42));
  v128.store(out + 5 * step, madd(f4, d1, madd(fm5, d3, d5)));
}

// Aᵀ (m0..m5), 4 tiles per vector; result k stored at out + k·step.
@inline function at4(m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128, out: usize, step: usize): void {
  const s12 = f32x4.add(m1, m2), d12 = f32x4.sub(m1, m2);
  const s34 = f32x4.add(m3, m4), d34 = f32x4.sub(m3, m4);
  v128.store(out, f32x4.add(f32x4.add(m0, s12), s34));
  v128.store(out + step, madd(f32x4.splat(2), d34, d12));
  v128.store(out + 2 * step, madd(f32x4.splat(4), s34, s12));
  v128.store(out + 3 * step, f32x4.add(madd(f32x4.splat(8), d34, d12), m5));
}

// Bᵀ d B for 4 neighbouring tiles whose patches start at `row` (rows Wp4 bytes apart), stored at
// v + pos·posStride; tmp holds the 36 row-transformed vectors between the two passes.
function inputTransform4(row: usize, Wp4: usize, v: usize, posStride: usize, tmp: usize): void {
  for (let i = 0; i < 6; i++) {
    const l0 = v128.load(row), l1 = v128.load(row, 16), l2 = v128.load(row, 32), l3 = v128.load(row, 48), l4 = v128.load(row, 64);
    // d_j = column j of the 4 patches: floats j, 4 + j, 8 + j, 12 + j of the row.
    const t0 = v128.shuffle<f32>(l0, l1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(l2, l3, 0, 4, 1, 5);
    const t2 = v128.shuffle<f32>(l0, l1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(l2, l3, 2, 6, 3, 7);
    const d0 = v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), d1 = v128.shuffle<f32>(t0, t1, 2, 3, 6, 7);
    const d2 = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), d3 = v128.shuffle<f32>(t2, t3, 2, 3, 6, 7);
    const d4 = v128.shuffle<f32>(d0, l4, 1, 2, 3, 4), d5 = v128.shuffle<f32>(d1, l4, 1, 2, 3, 5);
    bt(d0, d1, d2, d3, d4, d5, tmp + <usize>i * 96, 16);
    row += Wp4;
  }
  // Down the rows: V[6a + j] = Σ_i Bᵀ[a][i] · tmp[i][j].
  for (let j = 0; j < 6; j++) {
    const e = tmp + <usize>j * 16;
    bt(v128.load(e), v128.load(e, 96), v128.load(e, 192), v128.load(e, 288), v128.load(e, 384), v128.load(e, 480),
      v + <usize>j * posStride, 6 * posStride);
  }
}

/** V[pos][c][t] for the R·tWp tiles of the padded band xpad [Cin, Hb, Wp], tile (r, tx) at t = r·tWp + tx. */
export function transformInput4(xpad: usize, Cin: i32, Hb: i32, Wp: i32, R: i32, tWp: i32, vbuf: usize, T: i32, tmp: usize): void {
  const Wp4 = <usize>Wp * 4, posV = <usize>(Cin * T + POS_PAD) * 4;
  for (let c = 0; c < Cin; c++) {
    const plane = xpad + <usize>(c * Hb) * Wp4;
    const vc = vbuf + <usize>(c * T) * 4;
    for (let r = 0; r < R; r++) {
      for (let tx = 0; tx < tWp; tx += 4) {
        if (tx + 4 > tWp) tx = tWp - 4;
        inputTransform4(plane + <usize>(4 * r) * Wp4 + <usize>(4 * tx) * 4, Wp4, vc + <usize>(r * tWp + tx) * 4, posV, tmp);
      }
    }
  }
}

/**
 * Output rows [oh0, oh1) (oh0 a multiple of 4) of out[M, oH, oW] = the stride-1 3×3 conv of x[Cin, H, W]
 * padded by (pH, pW), with the transformed weights pu (winograd4Pack). epi as directConv's:
 * EPI_RELU_POOL writes the pooled [M, oH/2, oW/2] to `out` and its indices to `idx`.
 */
export function winograd4Conv(
  M: i32, Cin: i32, H: i32, W: i32, pH: i32, pW: i32, oH: i32, oW: i32, oh0: i32, oh1: i32,
  x: usize, pu: usize, bias: usize, out: usize, idx: usize, epi: i32, scratch: usize,
): void {
  const Ms = winogradRows(M), tWp = tiles4W(oW);
  const Rmax = block4TileRows(Cin, Ms, tWp, (oH + 3) >> 2);
  const Tmax = rup(Rmax * tWp, 8);
  const Wp = max(4 * tWp + 4, W + 2 * pW);
  const xpad = (scratch + 63) & ~63;
  const vbuf = xpad + <usize>rup(Cin * (4 * Rmax + 2) * Wp + Wp + 16, 16) * 4;
  const mbuf = vbuf + <usize>(36 * (Cin * Tmax + POS_PAD)) * 4;
  const tmp = mbuf + <usize>(36 * (Ms * Tmax + POS_PAD)) * 4;
  const spill = tmp + 48 * 16;
  const ty1 = (oh1 + 3) >> 2;
  for (let ty0 = oh0 >> 2; ty0 < ty1; ty0 += Rmax) {
    const R = min(Rmax, ty1 - ty0);
    const T = rup(R * tWp, 4);
    const Hb = 4 * R + 2;
    padRows(x, Cin, H, W, pW, Wp, 4 * ty0, Hb, pH, xpad);
    const posV = <usize>(Cin * T + POS_PAD) * 4;
    transformInput4(xpad, Cin, Hb, Wp, R, tWp, vbuf, T, tmp);
    // The tiles past R·tWp (to a multiple of 4) are zeros.
    for (let c = 0; c < Cin; c++) {
      const vc = vbuf + <usize>(c * T) * 4;
      for (let t = R * tWp; t < T; t++) {
        for (let pos = 0; pos < 36; pos++) store<f32>(vc + <usize>pos * posV + <usize>t * 4, 0);
      }
    }
    // 36 GEMMs M[pos] (Ms × T) = U[pos] (Ms × Cin) · V[pos] (Cin × T).
    const posM = <usize>(Ms * T + POS_PAD) * 4;
    const ldc = <usize>T * 4;
    const tails = winogradTails(M);
    const full = Ms - 4 * tails;
    for (let pos = 0; pos < 36; pos++) {
      const pa = pu + <usize>(pos * Ms * Cin) * 4, vb = vbuf + <usize>pos * posV, mb = mbuf + <usize>pos * posM;
      let q = 0;
      for (; q + 8 < T; q += 8) gemmBlock(Cin, pa, vb + <usize>q * 4, mb + <usize>q * 4, ldc, full, tails);
      if (T - q == 4) gemmBlockN4(Cin, pa, vb + <usize>q * 4, mb + <usize>q * 4, ldc, full, tails);
      else gemmBlock(Cin, pa, vb + <usize>q * 4, mb + <usize>q * 4, ldc, full, tails);
    }
    for (let o = 0; o < M; o++) {
      const bv = f32x4.splat(bias ? load<f32>(bias + <usize>o * 4) : 0);
      for (let r = 0; r < R; r++) {
        const oh = 4 * (ty0 + r);
        for (let tx = 0; tx < tWp; tx += 4) {
          if (tx + 4 > tWp) tx = tWp - 4;
          outputTransform4(mbuf + <usize>(o * T + r * tWp + tx) * 4, posM, bv, tmp);
          epilogue4(tmp, epi, o, oh, tx, oH, oW, oh1, out, idx, spill);
        }
      }
    }
  }
}

// Aᵀ m down the columns for 4 tiles (m[pos] at mb + pos·posM): s[p][b] = Σ_a Aᵀ[p][a] m[a][b] at
// tmp + (6p + b)·16. The other order (along the rows first) left a second pass whose 16 results went
// through memory before the epilogue; this one lets the epilogue finish each output row in registers.
// The bias bv goes into m[1][1] only: column 1 of Aᵀ is all ones, so Aᵀ (m + bv·e₁e₁ᵀ) A adds bv to
// every output once (one add per 4 tiles instead of 3 per output row of each tile group).
function outputTransform4(mb: usize, posM: usize, bv: v128, tmp: usize): void {
  at4col(mb, posM, tmp);
  const m = mb + posM;
  at4(v128.load(m), f32x4.add(v128.load(m + 6 * posM), bv), v128.load(m + 12 * posM), v128.load(m + 18 * posM),
    v128.load(m + 24 * posM), v128.load(m + 30 * posM), tmp + 16, 96);
  for (let b = 2; b < 6; b++) at4col(mb + <usize>b * posM, posM, tmp + <usize>b * 16);
}

// Column b of outputTransform4 (m = mb + b·posM, results from s).
@inline function at4col(m: usize, posM: usize, s: usize): void {
  at4(v128.load(m), v128.load(m + 6 * posM), v128.load(m + 12 * posM), v128.load(m + 18 * posM), v128.load(m + 24 * posM),
    v128.load(m + 30 * posM), s, 96);
}

// The output rows oh.. (columns 4·tx..) of 4 tiles from outputTransform4's s at `s`: row p is
// Y[p][q] = Σ_b s[p][b] Aᵀ[q][b] (at4's sums, one vector per column q, lane = tile; the bias came in
// through m[1][1]), then ReLU when epi; EPI_RELU_POOL pools each 2×2 window instead of storing. The row's arithmetic is written
// out at each use, so the 4 (or 8) row vectors stay in registers.
function epilogue4(
  s: usize, epi: i32, o: i32, oh: i32, tx: i32, oH: i32, oW: i32, oh1: i32, out: usize, idx: usize, spill: usize,
): void {
  if (epi == EPI_RELU_POOL) {
    const pOH = oH >> 1, pOW = oW >> 1;
    const n = min(8, pOW - 2 * tx);
    if (n <= 0) return;
    for (let p = 0; p < 4; p += 2) {
      const pr = (oh + p) >> 1;
      if (pr >= pOH) break;
      const r0 = s + <usize>(6 * p) * 16, r1 = r0 + 96;
      const base = (oh + p) * oW + 4 * tx;
      const am0 = v128.load(r0), am1 = v128.load(r0, 16), am2 = v128.load(r0, 32);
      const am3 = v128.load(r0, 48), am4 = v128.load(r0, 64), am5 = v128.load(r0, 80);
      const as12 = f32x4.add(am1, am2), ad12 = f32x4.sub(am1, am2), as34 = f32x4.add(am3, am4), ad34 = f32x4.sub(am3, am4);
      const a0 = act(f32x4.add(f32x4.add(am0, as12), as34), true);
      const a1 = act(madd(f32x4.splat(2), ad34, ad12), true);
      const a2 = act(madd(f32x4.splat(4), as34, as12), true);
      const a3 = act(f32x4.add(madd(f32x4.splat(8), ad34, ad12), am5), true);
      const cm0 = v128.load(r1), cm1 = v128.load(r1, 16), cm2 = v128.load(r1, 32);
      const cm3 = v128.load(r1, 48), cm4 = v128.load(r1, 64), cm5 = v128.load(r1, 80);
      const cs12 = f32x4.add(cm1, cm2), cd12 = f32x4.sub(cm1, cm2), cs34 = f32x4.add(cm3, cm4), cd34 = f32x4.sub(cm3, cm4);
      const c0 = act(f32x4.add(f32x4.add(cm0, cs12), cs34), true);
      const c1 = act(madd(f32x4.splat(2), cd34, cd12), true);
      const c2 = act(madd(f32x4.splat(4), cs34, cs12), true);
      const c3 = act(f32x4.add(madd(f32x4.splat(8), cd34, cd12), cm5), true);
      // Window columns 2b, 2b + 1 of each tile: lanes are tiles, 4 output columns apart.
      poolTiles(a0, a1, c0, c1, i32x4.add(i32x4.splat(base), i32x4(0, 4, 8, 12)), oW, spill, spill + 16);
      poolTiles(a2, a3, c2, c3, i32x4.add(i32x4.splat(base + 2), i32x4(0, 4, 8, 12)), oW, spill + 32, spill + 48);
      const p0 = v128.load(spill), i0 = v128.load(spill, 16), p1 = v128.load(spill, 32), i1 = v128.load(spill, 48);
      const at = <usize>((o * pOH + pr) * pOW + 2 * tx) * 4;
      const vlo = v128.shuffle<f32>(p0, p1, 0, 4, 1, 5), vhi = v128.shuffle<f32>(p0, p1, 2, 6, 3, 7);
      const ilo = v128.shuffle<i32>(i0, i1, 0, 4, 1, 5), ihi = v128.shuffle<i32>(i0, i1, 2, 6, 3, 7);
      if (n == 8) {
        v128.store(out + at, vlo); v128.store(out + at, vhi, 16);
        v128.store(idx + at, ilo); v128.store(idx + at, ihi, 16);
      } else if (n >= 4) {
        v128.store(out + at, vlo); v128.store(idx + at, ilo);
        storeLanes(vhi, out + at + 16, n - 4);
        storeLanes(ihi, idx + at + 16, n - 4);
      } else {
        storeLanes(vlo, out + at, n);
        storeLanes(ilo, idx + at, n);
      }
    }
    return;
  }
  // ReLU or not decided once per call, not per vector (V8 kept a test and branch for each of them).
  if (epi != 0) rows4(s, o, oh, tx, oH, oW, oh1, out, true);
  else rows4(s, o, oh, tx, oH, oW, oh1, out, false);
}

// epilogue4's stores without pooling, ReLU'd when relu (a constant where it is inlined).
@inline function rows4(s: usize, o: i32, oh: i32, tx: i32, oH: i32, oW: i32, oh1: i32, out: usize, relu: bool): void {
  const n = oW - 4 * tx;
  for (let p = 0; p < 4; p++) {
    if (oh + p >= oh1) break;
    const r = s + <usize>(6 * p) * 16;
    const ym0 = v128.load(r), ym1 = v128.load(r, 16), ym2 = v128.load(r, 32);
    const ym3 = v128.load(r, 48), ym4 = v128.load(r, 64), ym5 = v128.load(r, 80);
    const ys12 = f32x4.add(ym1, ym2), yd12 = f32x4.sub(ym1, ym2), ys34 = f32x4.add(ym3, ym4), yd34 = f32x4.sub(ym3, ym4);
    const y0 = act(f32x4.add(f32x4.add(ym0, ys12), ys34), relu);
    const y1 = act(madd(f32x4.splat(2), yd34, yd12), relu);
    const y2 = act(madd(f32x4.splat(4), ys34, ys12), relu);
    const y3 = act(f32x4.add(madd(f32x4.splat(8), yd34, yd12), ym5), relu);
    // Transpose: lane l of Y[p][q] is tile l's column q.
    const t0 = v128.shuffle<f32>(y0, y1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(y2, y3, 0, 4, 1, 5);
    const t2 = v128.shuffle<f32>(y0, y1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(y2, y3, 2, 6, 3, 7);
    const dst = out + <usize>((o * oH + oh + p) * oW + 4 * tx) * 4;
    const a = v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), b = v128.shuffle<f32>(t0, t1, 2, 3, 6, 7);
    const c = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), d = v128.shuffle<f32>(t2, t3, 2, 3, 6, 7);
    // A row's last group of 4 tiles may end past the row: whole vectors while they fit, then lanes
    // (a 14-wide row is 3 vectors and 2 lanes: through a spill buffer and a scalar copy instead, the
    // [64,16,14,14]·32 forward took 1.50 ms of CPU against 1.38-1.42, bench/conv-min.ts 64 16 14 14 32).
    if (n >= 16) {
      v128.store(dst, a); v128.store(dst, b, 16); v128.store(dst, c, 32); v128.store(dst, d, 48);
    } else if (n >= 12) {
      v128.store(dst, a); v128.store(dst, b, 16); v128.store(dst, c, 32); storeLanes(d, dst + 48, n - 12);
    } else if (n >= 8) {
      v128.store(dst, a); v128.store(dst, b, 16); storeLanes(c, dst + 32, n - 8);
    } else if (n >= 4) {
      v128.store(dst, a); storeLanes(b, dst + 16, n - 4);
    } else {
      storeLanes(a, dst, n);
    }
  }
}

// ReLU when relu (pmax(y, 0) is y < 0 ? 0 : y: NaN and -0 pass through, as the unfused relu).
@inline function act(y: v128, relu: bool): v128 {
  return relu ? f32x4.pmax(y, f32x4.splat(0)) : y;
}

// The first n (0-3) lanes of v at dst.
@inline function storeLanes(v: v128, dst: usize, n: i32): void {
  if (n > 0) v128.store32_lane(dst, v, 0);
  if (n > 1) v128.store32_lane(dst, v, 1, 4);
  if (n > 2) v128.store32_lane(dst, v, 2, 8);
}
