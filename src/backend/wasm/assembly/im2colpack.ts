// GEMM packing that reads a convolution's input image through the im2col index arithmetic, so the
// im2col matrix col[cg·kH·kW, positions] is never written: the packed panels are filled straight
// from the NCHW image (stride, padding and dilation absorbed here, zeros where padded). Row k of
// col is the tap (c, kh, kw) = (k / kH·kW, k / kW % kH, k % kW); column j is the output position
// p0 + j = (oh, ow); col[k][j] = x[c, oh·sH − pH + kh·dH, ow·sW − pW + kw·dW].
import { KC, MR, NC, NR, packA } from "./gemm";

// The geometry lives in 16 i32 slots of scratch memory (this module keeps no static data), followed
// by a row buffer: one row of col (up to NC positions) or MR rows of up to KC positions, 8 KiB that
// stay in L1 while they are gathered and then moved into the packed panel with vector copies.
const G_X = 0, G_H = 4, G_W = 8, G_KH = 12, G_KW = 16, G_SH = 20, G_SW = 24, G_PH = 28, G_PW = 32;
const G_DH = 36, G_DW = 40, G_OW = 44, G_P0 = 48;
/** Bytes of the geometry block (its 16 i32 slots); the row buffer follows it. */
const GEOM_BYTES: usize = 64;
/** Bytes the geometry block and its row buffer take (a function: gemm.ts and this file import each other). */
export function geomBytes(): i32 {
  return <i32>GEOM_BYTES + max(NC, MR * KC) * 4;
}

/** The row buffer after the geometry block. */
@inline export function rowBuffer(geom: usize): usize {
  return geom + GEOM_BYTES;
}

/** The kernel width kW stored in the geometry block (the depthwise kernels split a tap t into t / kW, t % kW). */
@inline export function kernelW(geom: usize): i32 {
  return load<i32>(geom + G_KW);
}

/** Floats the row buffer holds. */
@inline export function rowBufferFloats(): i32 {
  return max(NC, MR * KC);
}

/**
 * Writes the im2col geometry of one image's group at `geom`: the image `x` (cg planes of H×W),
 * the kernel, stride, padding, dilation, the output width and the first output position p0.
 */
export function setGeom(
  geom: usize, x: usize, H: i32, W: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  dH: i32, dW: i32, oW: i32, p0: i32,
): void {
  store<u32>(geom + G_X, <u32>x);
  store<i32>(geom + G_H, H); store<i32>(geom + G_W, W);
  store<i32>(geom + G_KH, kH); store<i32>(geom + G_KW, kW);
  store<i32>(geom + G_SH, sH); store<i32>(geom + G_SW, sW);
  store<i32>(geom + G_PH, pH); store<i32>(geom + G_PW, pW);
  store<i32>(geom + G_DH, dH); store<i32>(geom + G_DW, dW);
  store<i32>(geom + G_OW, oW); store<i32>(geom + G_P0, p0);
}

// n zeros at dst: a few floats per call, so stores rather than a memory.fill call.
@inline function zeros(dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + <usize>i * 4, f32x4.splat(0));
  for (; i < n; i++) store<f32>(dst + <usize>i * 4, 0);
}

/**
 * Positions [runStart, runEnd) of a whole output row whose tap column ow·sW + wk falls inside [0, W)
 * (wk = kw·dW − pW): the run gatherRow copies and scatterRow adds back; the rest is padding. The
 * divisions by the stride are paid once per call, not per row segment.
 */
@inline function runStart(wk: i32, sW: i32, oW: i32): i32 {
  if (sW == 1) return min(oW, max(0, -wk));
  return wk >= 0 ? 0 : min(oW, (sW - 1 - wk) / sW);
}

@inline function runEnd(wk: i32, sW: i32, oW: i32, W: i32, lo0: i32): i32 {
  if (sW == 1) return max(lo0, min(oW, W - wk));
  return W - wk > 0 ? max(lo0, min(oW, (W - wk + sW - 1) / sW)) : lo0;
}

/**
 * col[tap (c, kh, kw)][p .. p+len) into dst[0 .. len) (the image at `geom` holds channel c's plane at
 * offset c·H·W floats): per output row crossed, zeros for the
 * clipped ends and the strided input run between them (vector copies at stride 1, even-lane
 * shuffles of 8 floats at stride 2). The run's ends need divisions by the stride, which cost as
 * much as the copy of a short row: they are computed once per call for rows that start at ow = 0.
 */
export function gatherRow(geom: usize, c: i32, kh: i32, kw: i32, p: i32, len: i32, dst: usize): void {
  const x = <usize>load<u32>(geom + G_X), H = load<i32>(geom + G_H), W = load<i32>(geom + G_W);
  const sH = load<i32>(geom + G_SH), sW = load<i32>(geom + G_SW), pH = load<i32>(geom + G_PH), pW = load<i32>(geom + G_PW);
  const dH = load<i32>(geom + G_DH), dW = load<i32>(geom + G_DW), oW = load<i32>(geom + G_OW);
  const plane = x + <usize>(c * H * W) * 4;
  const wk = kw * dW - pW;
  let oh = p / oW, ow = p % oW;
  const lo0 = runStart(wk, sW, oW), hi0 = runEnd(wk, sW, oW, W, lo0);
  while (len > 0) {
    const n = min(len, oW - ow);
    const h = oh * sH - pH + kh * dH;
    if (h < 0 || h >= H) {
      zeros(dst, n);
    } else {
      // This segment covers positions ow .. ow+n of the row: clip the whole-row run to it.
      const lo = min(n, max(0, lo0 - ow)), hi = max(lo, min(n, hi0 - ow));
      zeros(dst, lo);
      const src = plane + <usize>(h * W + (ow + lo) * sW + wk) * 4, d = dst + <usize>lo * 4;
      const m = hi - lo;
      let i = 0;
      if (sW == 1) {
        for (; i + 4 <= m; i += 4) v128.store(d + <usize>i * 4, v128.load(src + <usize>i * 4));
        for (; i < m; i++) store<f32>(d + <usize>i * 4, load<f32>(src + <usize>i * 4));
      } else {
        if (sW == 2) {
          // 8 outputs from 16 inputs; the last one read is 2·8 − 1 past the first, inside the run.
          for (; i + 8 < m; i += 8) {
            const s = src + <usize>(2 * i) * 4, o = d + <usize>i * 4;
            v128.store(o, v128.shuffle<f32>(v128.load(s), v128.load(s, 16), 0, 2, 4, 6));
            v128.store(o, v128.shuffle<f32>(v128.load(s, 32), v128.load(s, 48), 0, 2, 4, 6), 16);
          }
        }
        for (; i < m; i++) store<f32>(d + <usize>i * 4, load<f32>(src + <usize>(i * sW) * 4));
      }
      zeros(dst + <usize>hi * 4, n - hi);
    }
    dst += <usize>n * 4;
    len -= n;
    oh++;
    ow = 0;
  }
}

/**
 * The adjoint of gatherRow: adds src[0 .. len) onto the image where col[tap (0, kh, kw)][p .. p+len)
 * reads it, skipping the positions that fall in the padding (the depthwise input gradient's col2im).
 */
export function scatterRow(geom: usize, kh: i32, kw: i32, p: i32, len: i32, src: usize): void {
  const x = <usize>load<u32>(geom + G_X), H = load<i32>(geom + G_H), W = load<i32>(geom + G_W);
  const sH = load<i32>(geom + G_SH), sW = load<i32>(geom + G_SW), pH = load<i32>(geom + G_PH), pW = load<i32>(geom + G_PW);
  const dH = load<i32>(geom + G_DH), dW = load<i32>(geom + G_DW), oW = load<i32>(geom + G_OW);
  const wk = kw * dW - pW;
  let oh = p / oW, ow = p % oW;
  const lo0 = runStart(wk, sW, oW), hi0 = runEnd(wk, sW, oW, W, lo0);
  while (len > 0) {
    const n = min(len, oW - ow);
    const h = oh * sH - pH + kh * dH;
    if (h >= 0 && h < H) {
      const lo = min(n, max(0, lo0 - ow)), hi = max(lo, min(n, hi0 - ow));
      const d = x + <usize>(h * W + (ow + lo) * sW + wk) * 4, s = src + <usize>lo * 4;
      const m = hi - lo;
      let i = 0;
      if (sW == 1) {
        for (; i + 4 <= m; i += 4) {
          const at = <usize>i * 4;
          v128.store(d + at, f32x4.add(v128.load(d + at), v128.load(s + at)));
        }
      }
      for (; i < m; i++) {
        const at = d + <usize>(i * sW) * 4;
        store<f32>(at, load<f32>(at) + load<f32>(s + <usize>i * 4));
      }
    }
    src += <usize>n * 4;
    len -= n;
    oh++;
    ow = 0;
  }
}

/**
 * B panel of the forward GEMM y = W·col: rows pc .. pc+kc of col (taps) and columns jc .. jc+nc
 * (positions), as the k-major [k][NR] slivers `packB` writes. Each tap's row of positions is
 * gathered into the L1 row buffer and moved into its slivers 8 floats at a time.
 */
export function packBIm2col(geom: usize, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  const kH = load<i32>(geom + G_KH), kW = load<i32>(geom + G_KW), p = load<i32>(geom + G_P0) + jc;
  const kk = kH * kW, row = geom + GEOM_BYTES, slivers = (nc + NR - 1) / NR;
  const skip = <usize>(kc * NR) * 4;
  // The last sliver's lanes past nc stay zero.
  memory.fill(row + <usize>nc * 4, 0, <usize>(slivers * NR - nc) * 4);
  let c = pc / kk, kh = pc % kk / kW, kw = pc % kW;
  for (let k = 0; k < kc; k++) {
    gatherRow(geom, c, kh, kw, p, nc, row);
    let d = dst + <usize>(k * NR) * 4, s = row;
    for (let j = 0; j < slivers; j++) {
      v128.store(d, v128.load(s));
      v128.store(d, v128.load(s, 16), 16);
      d += skip;
      s += <usize>NR * 4;
    }
    if (++kw == kW) {
      kw = 0;
      if (++kh == kH) { kh = 0; c++; }
    }
  }
}

/**
 * A panel of the weight-gradient GEMM gWᵀ = col·gyᵀ: rows ic .. ic+mc of col (taps) and columns
 * pc .. pc+kc (positions, the GEMM's depth), as `packA` writes them. MR taps' rows are gathered
 * into the row buffer, then `packA` writes them into a sliver (each value broadcast to a v128).
 */
export function packAIm2col(geom: usize, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  const kH = load<i32>(geom + G_KH), kW = load<i32>(geom + G_KW), p = load<i32>(geom + G_P0) + pc;
  const kk = kH * kW, rows = geom + GEOM_BYTES;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const m = min(MR, mc - i0);
    for (let r = 0; r < m; r++) {
      const t = ic + i0 + r;
      gatherRow(geom, t / kk, t % kk / kW, t % kW, p, kc, rows + <usize>(r * kc) * 4);
    }
    packA(rows, kc, 1, m, kc, dst);
    dst += <usize>(MR * kc) * 16;
  }
}
