// Packed, register-blocked float32 GEMM: C = A·B (+ C when beta). Operands are strided matrices
// addressed in elements, so transposed inputs need no copy: the packing routines absorb the strides.
// Every pointer is a byte address inside the one shared memory; JS owns the layout, this module
// keeps no static data (workers instantiate it too, and data segments would be rewritten on them).
import { packAIm2col, packBIm2col } from "./im2colpack";

// The relaxed build's FMA frees the product register, so 6 rows of accumulators fit in V8's
// 16 vector registers; with separate mul+add only 4 rows do.
export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;

/** c + a·b per lane: one fused multiply-add where relaxed SIMD has it, else a multiply then an add (the conv kernels' accumulate). */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
export const NR: i32 = 8;
// A packed MR×KC sliver of A (6 × 256 pre-broadcast v128s, 24 KiB) stays in L1 while the KC×NC
// panel of packed B (up to 2 MiB; 1 MiB for N = 1024) streams past it from L2, 8 KiB a sliver.
// Measured on sgemm 1024 (docs/backend-wasm.md, session 12): KC 192 the same, 320-384 slower (the
// sliver no longer fits L1 beside B's), NC 512 the same, 256 slower.
export const KC: i32 = 256;
export const NC: i32 = 2048;

/** Bytes of per-thread scratch gemm needs: one packed A sliver, the packed B panel, one spill tile. */
export function gemmScratchBytes(): i32 {
  return (MR * KC * 4 + KC * NC + MR * NR) * 4 + 64;
}

// Stores the 4×4 block whose rows are v0..v3 transposed: lane j of every row goes to dst + j·step.
@inline export function storeT4(v0: v128, v1: v128, v2: v128, v3: v128, dst: usize, step: usize): void {
  const a = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5), b = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
  const c = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5), d = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(a, c, 0, 1, 4, 5));
  v128.store(dst + step, v128.shuffle<f32>(a, c, 2, 3, 6, 7));
  v128.store(dst + 2 * step, v128.shuffle<f32>(b, d, 0, 1, 4, 5));
  v128.store(dst + 3 * step, v128.shuffle<f32>(b, d, 2, 3, 6, 7));
}

// Rows of A for one MR sliver, k-major and pre-broadcast: [k][MR] v128s, each one value of A in
// all four lanes, zero padded past m. The micro-kernel then reads every A operand with a plain
// v128.load whose constant offset V8 folds into the address; v128.load32_splat got a separate
// address computation per row (V8 11's load-transform lowering), and those extra instructions
// made the 6×8 kernel's loop front-end bound (32 instructions per 12 FMAs; 2026-12-06, session 12).
export function packA(a: usize, rs: i32, cs: i32, mc: i32, kc: i32, dst: usize): void {
  const step = <usize>MR * 16, r1 = <usize>rs * 4, k1 = <usize>cs * 4;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const m = min(MR, mc - i0);
    let src = a + <usize>(i0 * rs) * 4;
    if (m == MR) {
      // A splat straight from memory is a load alone (no shuffle): the packing's cost is its
      // 16-byte stores, for row-major A, Aᵀ and every other stride alike.
      for (let k = 0; k < kc; k++) {
        v128.store(dst, v128.load32_splat(src));
        v128.store(dst, v128.load32_splat(src + r1), 16);
        v128.store(dst, v128.load32_splat(src + 2 * r1), 32);
        v128.store(dst, v128.load32_splat(src + 3 * r1), 48);
        if (MR == 6) {
          v128.store(dst, v128.load32_splat(src + 4 * r1), 64);
          v128.store(dst, v128.load32_splat(src + 5 * r1), 80);
        }
        src += k1; dst += step;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let r = 0; r < MR; r++) {
          v128.store(dst + <usize>r * 16, r < m ? v128.load32_splat(src + <usize>r * r1) : f32x4.splat(0));
        }
        src += k1; dst += step;
      }
    }
  }
}

// Columns of B for one NR sliver, k-major: [k][NR], zero padded past n.
function packB(b: usize, rs: i32, cs: i32, kc: i32, nc: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const n = min(NR, nc - j0);
    const base = b + <usize>(j0 * cs) * 4;
    if (cs == 1 && n == NR) {
      for (let k = 0; k < kc; k++) {
        const src = base + <usize>(k * rs) * 4;
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += 32;
      }
    } else if (n == NR && rs == 1) {
      // Columns run along k (Aᵀ-style B, the conv weight gradient's gyᵀ): two 4×4 transposes per 4 k.
      let k = 0;
      const c1 = <usize>cs * 4;
      for (; k + 4 <= kc; k += 4) {
        const src = base + <usize>k * 4;
        storeT4(v128.load(src), v128.load(src + c1), v128.load(src + 2 * c1), v128.load(src + 3 * c1), dst, 32);
        storeT4(v128.load(src + 4 * c1), v128.load(src + 5 * c1), v128.load(src + 6 * c1), v128.load(src + 7 * c1), dst + 16, 32);
        dst += 128;
      }
      for (; k < kc; k++) {
        const src = base + <usize>k * 4;
        for (let c = 0; c < NR; c++) store<f32>(dst + <usize>c * 4, load<f32>(src + <usize>c * c1));
        dst += 32;
      }
    } else if (n == NR) {
      for (let k = 0; k < kc; k++) {
        const src = base + <usize>(k * rs) * 4;
        for (let c = 0; c < NR; c++) store<f32>(dst + <usize>c * 4, load<f32>(src + <usize>(c * cs) * 4));
        dst += 32;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const src = base + <usize>(k * rs) * 4;
        for (let c = 0; c < NR; c++) store<f32>(dst + <usize>c * 4, c < n ? load<f32>(src + <usize>(c * cs) * 4) : 0);
        dst += 32;
      }
    }
  }
}

@inline function out2(c: usize, x0: v128, x1: v128, beta: bool): void {
  if (beta) {
    v128.store(c, f32x4.add(v128.load(c), x0));
    v128.store(c, f32x4.add(v128.load(c, 16), x1), 16);
  } else {
    v128.store(c, x0);
    v128.store(c, x1, 16);
  }
}

// Full MR×NR tiles go straight to C; ragged edges go through `tile` and are copied element-wise.
// Keep the loop's shape: V8's scheduler is easily tipped into issuing all eight loads of a k step
// before the FMAs, which needs 20 vector registers, spills 4 accumulators to the stack every step
// and costs a third of the speed (seen with the stores below made conditional on m, with the loop
// as a do-while, and with two k steps a trip; check with node --print-wasm-code: no vmovups to
// [rbp-...] inside the loop).
function micro(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, m: i32, n: i32, beta: bool, tile: usize): void {
  const full = m == MR && n == NR;
  const dst = full ? c : tile;
  const ld: usize = full ? <usize>ldc * 4 : 32;
  const b2 = full ? beta : false;
  if (ASC_FEATURE_RELAXED_SIMD) {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
    let c40 = f32x4.splat(0), c41 = f32x4.splat(0), c50 = f32x4.splat(0), c51 = f32x4.splat(0);
    for (let k = 0; k < kc; k++) {
      const b0 = v128.load(pb), b1 = v128.load(pb, 16);
      let a = v128.load(pa);
      c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load(pa, 16);
      c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load(pa, 32);
      c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load(pa, 48);
      c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load(pa, 64);
      c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load(pa, 80);
      c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      pa += 96; pb += 32;
    }
    out2(dst, c00, c01, b2);
    out2(dst + ld, c10, c11, b2);
    out2(dst + 2 * ld, c20, c21, b2);
    out2(dst + 3 * ld, c30, c31, b2);
    out2(dst + 4 * ld, c40, c41, b2);
    out2(dst + 5 * ld, c50, c51, b2);
  } else {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
    for (let k = 0; k < kc; k++) {
      const b0 = v128.load(pb), b1 = v128.load(pb, 16);
      let a = v128.load(pa);
      c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
      a = v128.load(pa, 16);
      c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
      a = v128.load(pa, 32);
      c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
      a = v128.load(pa, 48);
      c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
      pa += 64; pb += 32;
    }
    out2(dst, c00, c01, b2);
    out2(dst + ld, c10, c11, b2);
    out2(dst + 2 * ld, c20, c21, b2);
    out2(dst + 3 * ld, c30, c31, b2);
  }
  if (!full) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const p = c + <usize>(i * ldc + j) * 4;
        const v = load<f32>(tile + <usize>(i * NR + j) * 4);
        store<f32>(p, beta ? load<f32>(p) + v : v);
      }
    }
  }
}

// The relaxed build's last sliver when it has at most 4 rows (M = 64 = 10 × 6 + 4, the MLP's
// batch): 4 rows of accumulators instead of 6 with 2 of them on zero rows. The sliver is packed
// MR = 6 rows wide as any other (rows past m are zeros); NR wide only (narrower tiles use micro).
function micro4(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, m: i32, beta: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load(pa, 16);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load(pa, 32);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load(pa, 48);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += <usize>MR * 16; pb += 32;
  }
  const ld = <usize>ldc * 4;
  out2(c, c00, c01, beta);
  if (m > 1) out2(c + ld, c10, c11, beta);
  if (m > 2) out2(c + 2 * ld, c20, c21, beta);
  if (m > 3) out2(c + 3 * ld, c30, c31, beta);
}

/**
 * C[M,N] (row stride ldc, unit column stride) = A[M,K]·B[K,N], plus the old C when beta.
 * A(i,k) lives at a + 4(i·ars + k·acs), B(k,j) at b + 4(k·brs + j·bcs). One thread's worth of work.
 */
export function gemm(
  M: i32, N: i32, K: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32,
  c: usize, ldc: i32, beta: bool, scratch: usize,
): void {
  gemmIm2col(M, N, K, a, ars, acs, 0, b, brs, bcs, 0, c, ldc, beta, scratch);
}

/**
 * `gemm` where A or B may be a convolution's im2col matrix read straight from the image: a nonzero
 * `aGeom` / `bGeom` is the geometry block of ./im2colpack.ts (setGeom) and replaces that operand's
 * pointer and strides, so the packing routines gather the receptive fields and no col buffer exists.
 */
export function gemmIm2col(
  M: i32, N: i32, K: i32, a: usize, ars: i32, acs: i32, aGeom: usize, b: usize, brs: i32, bcs: i32, bGeom: usize,
  c: usize, ldc: i32, beta: bool, scratch: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!beta) for (let i = 0; i < M; i++) memory.fill(c + <usize>(i * ldc) * 4, 0, <usize>N * 4);
    return;
  }
  const pa = scratch;
  const pb = pa + <usize>(MR * KC) * 16;
  const tile = pb + <usize>(KC * NC) * 4;
  // K in equal blocks of at most KC (784 = 4 × 196, not 3 × 256 + 16): a short last block would
  // load, add and store every C tile for a few k steps.
  const kb = (K + KC - 1) / KC, kcs = (K + kb - 1) / kb;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += kcs) {
      const kc = min(kcs, K - pc);
      if (bGeom) packBIm2col(bGeom, pc, kc, jc, nc, pb);
      else packB(b + <usize>(pc * brs + jc * bcs) * 4, brs, bcs, kc, nc, pb);
      const bt = pc > 0 || beta;
      // One MR-row sliver of A at a time, packed into L1 (24 KiB) and kept there while every
      // B sliver of the panel streams past it from L2.
      for (let ir = 0; ir < M; ir += MR) {
        const m = min(MR, M - ir);
        if (aGeom) packAIm2col(aGeom, ir, m, pc, kc, pa);
        else packA(a + <usize>(ir * ars + pc * acs) * 4, ars, acs, m, kc, pa);
        const narrow = MR > 4 && m <= 4;
        for (let jr = 0; jr < nc; jr += NR) {
          const n = min(NR, nc - jr), cj = c + <usize>(ir * ldc + jc + jr) * 4, pbj = pb + <usize>(jr * kc) * 4;
          if (narrow && n == NR) micro4(kc, pa, pbj, cj, ldc, m, bt);
          else micro(kc, pa, pbj, cj, ldc, m, n, bt, tile);
        }
      }
    }
  }
}

/**
 * One thread's share of a batched matmul a[B,M,K]·b[B,K,N] -> c[B,M,N] (contiguous). Work is cut
 * into batches × slices of rows or columns (whichever is longer), so every element is computed by
 * the same instruction sequence whatever the thread count.
 */
export function matmulTask(
  tid: i32, nt: i32, B: i32, M: i32, N: i32, K: i32,
  a: usize, sab: i32, sam: i32, sak: i32, b: usize, sbb: i32, sbk: i32, sbn: i32,
  c: usize, scratch: usize, scratchStride: i32,
): void {
  const alongN = N >= M;
  const units = alongN ? (N + NR - 1) / NR : (M + MR - 1) / MR;
  let slices = B >= nt ? 1 : (nt + B - 1) / B;
  if (slices > units) slices = units;
  const per = (units + slices - 1) / slices;
  const tasks = B * slices;
  const mine = scratch + <usize>tid * <usize>scratchStride;
  for (let t = tid; t < tasks; t += nt) {
    const bi = t / slices, s = t % slices;
    const ab = a + <usize>(bi * sab) * 4, bb = b + <usize>(bi * sbb) * 4, cb = c + <usize>(bi * M * N) * 4;
    if (alongN) {
      const n0 = s * per * NR, n1 = min(N, n0 + per * NR);
      if (n0 < n1) gemm(M, n1 - n0, K, ab, sam, sak, bb + <usize>(n0 * sbn) * 4, sbk, sbn, cb + <usize>n0 * 4, N, false, mine);
    } else {
      const m0 = s * per * MR, m1 = min(M, m0 + per * MR);
      if (m0 < m1) gemm(m1 - m0, N, K, ab + <usize>(m0 * sam) * 4, sam, sak, bb, sbk, sbn, cb + <usize>(m0 * N) * 4, N, false, mine);
    }
  }
}
