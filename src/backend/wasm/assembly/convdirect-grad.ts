// The weight gradient of a stride-1 convolution with few input channels per group (the 1-channel
// MNIST or 3-channel RGB first layer), without im2col:
//   gW[o][c][kh][kw] = Σ_{oh, ow} gy[o][oh][ow] · xpad[c][oh + kh·dH][ow + kw·dW]
// For such layers im2col + GEMM is a GEMM of depth oH·oW but only cg·kH·kW (9) rows, so its packing
// and im2col passes cost more than its multiply-adds ([64,1,28,28]·16 3×3: 1.18 ms of CPU against
// PyTorch's 0.34). Here each step takes 4 output pixels of 3 output channels and one kernel row's 3
// taps: 3 unaligned loads of the padded input, 3 loads of gy and 9 multiply-adds into 9 vector
// accumulators, all in registers across every row of the band; the lanes are summed once per band.
// (4 channels, 12 accumulators, left V8 one vector register short of its 16 less a scratch one:
// the spills made the [64,1,28,28]·16 kernel 0.58 ms against 0.28 with 3 channels.)
import { padRows } from "./convdirect";
import { madd } from "./gemm";

/** Whether conv2dBackwardWeightTask takes directWeightGrad: stride 1, at most 4 input channels per group, not 1×1. */
@inline export function directGradFits(cg: i32, kH: i32, kW: i32, sH: i32, sW: i32): bool {
  return sH == 1 && sW == 1 && cg <= 4 && kH * kW > 1;
}

@inline function rup(a: i32, b: i32): i32 {
  return (a + b - 1) / b * b;
}

// Padded row width: the input's, and enough for the last group of 4 outputs at the last of 3 taps.
@inline function gradWp(kW: i32, dW: i32, W: i32, pW: i32, oW: i32): i32 {
  return max(W + 2 * pW, rup(oW, 4) + (rup(kW, 3) - 1) * dW);
}

// Output rows per chunk, so the padded input rows and gy's rows (when copied) stay near L1 (~96 KiB).
@inline function chunkRows(cg: i32, og: i32, kH: i32, dH: i32, Wp: i32, oW: i32, rows: i32): i32 {
  const per = cg * Wp + rup(og, 3) * rup(oW, 4);
  return max(1, min(rows, (24576 - cg * (kH - 1) * dH * Wp) / per));
}

/** Scratch bytes one thread needs for directWeightGrad. */
export function directGradScratchBytes(cg: i32, og: i32, kH: i32, kW: i32, dH: i32, dW: i32, W: i32, pW: i32, oH: i32, oW: i32): i32 {
  const Wp = gradWp(kW, dW, W, pW, oW), R = chunkRows(cg, og, kH, dH, Wp, oW, oH);
  // padded input chunk and gy's rows widened to a multiple of 4 (each + padRows' trailing zeros) | sums
  return (cg * (R + (kH - 1) * dH) * Wp + Wp + 16 + rup(og, 3) * R * rup(oW, 4) + rup(oW, 4) + 16 + 16) * 4 + 128;
}

/**
 * Adds the weight gradient of output rows [oh0, oh1) of one image's group to gwT [cg·kH·kW, og]
 * (conv2dBackwardWeightTask's partial layout: row c·kH·kW + kh·kW + kw): x [cg, H, W] padded by
 * (pH, pW), gy [og, oH, oW], stride 1, dilation (dH, dW).
 */
export function directWeightGrad(
  cg: i32, og: i32, H: i32, W: i32, kH: i32, kW: i32, dH: i32, dW: i32, pH: i32, pW: i32, oH: i32, oW: i32,
  oh0: i32, oh1: i32, x: usize, gy: usize, gwT: usize, scratch: usize,
): void {
  const Wp = gradWp(kW, dW, W, pW, oW), oW4 = rup(oW, 4);
  const R = chunkRows(cg, og, kH, dH, Wp, oW, oh1 - oh0);
  const xpad = (scratch + 15) & ~15;
  const gpad = xpad + <usize>((cg * (R + (kH - 1) * dH) * Wp + Wp + 16) * 4 + 15) & ~15;
  const sums = gpad + <usize>(rup(og, 3) * R * oW4 + oW4 + 16) * 4;
  const kk = kH * kW;
  for (let r0 = oh0; r0 < oh1; r0 += R) {
    const rows = min(R, oh1 - r0), Hb = rows + (kH - 1) * dH;
    padRows(x, cg, H, W, pW, Wp, r0, Hb, pH, xpad);
    // gy's rows in place when they are whole vectors, else widened with zeros (which add nothing).
    let g: usize, gPlane: usize;
    if (oW == oW4) {
      g = gy + <usize>(r0 * oW) * 4;
      gPlane = <usize>(oH * oW) * 4;
    } else {
      padRows(gy, og, oH, oW, 0, oW4, r0, rows, 0, gpad);
      g = gpad;
      gPlane = <usize>(rows * oW4) * 4;
    }
    const ldg = <usize>oW4 * 4;
    for (let o = 0; o < og; o += 3) {
      // Channels past og read the last one again (memory that exists) and are not stored.
      const g0 = g + <usize>o * gPlane, g1 = g + <usize>min(o + 1, og - 1) * gPlane, g2 = g + <usize>min(o + 2, og - 1) * gPlane;
      const no = min(3, og - o);
      for (let c = 0; c < cg; c++) {
        for (let kh = 0; kh < kH; kh++) {
          const xr = xpad + <usize>((c * Hb + kh * dH) * Wp) * 4;
          for (let kw = 0; kw < kW; kw += 3) {
            gradTaps(xr + <usize>(kw * dW) * 4, <usize>Wp * 4, <usize>dW * 4, g0, g1, g2, ldg, rows, oW4, sums);
            // sums[j] lane i is tap kw + j of channel o + i: row (c, kh, kw + j) of gwT.
            for (let j = 0; j < min(3, kW - kw); j++) {
              const dst = gwT + <usize>((c * kk + kh * kW + kw + j) * og + o) * 4;
              for (let i = 0; i < no; i++) store<f32>(dst + <usize>i * 4, load<f32>(dst + <usize>i * 4) + load<f32>(sums + <usize>(j * 4 + i) * 4));
            }
          }
        }
      }
    }
  }
}

// Σ over `rows` rows of oW4 pixels of gy[o] · x[tap j] for 3 channels o (rows ldg bytes apart from
// g0..g2) and 3 taps j (x rows Wp4 bytes apart from xr, tap j at j·dW4 bytes): sums[j] lane o.
function gradTaps(
  xr: usize, Wp4: usize, dW4: usize, g0: usize, g1: usize, g2: usize, ldg: usize, rows: i32, oW4: i32, sums: usize,
): void {
  let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a02 = f32x4.splat(0);
  let a10 = f32x4.splat(0), a11 = f32x4.splat(0), a12 = f32x4.splat(0);
  let a20 = f32x4.splat(0), a21 = f32x4.splat(0), a22 = f32x4.splat(0);
  const n = <usize>oW4 * 4;
  for (let r = 0; r < rows; r++) {
    for (let k: usize = 0; k < n; k += 16) {
      const x0 = v128.load(xr + k), x1 = v128.load(xr + k + dW4), x2 = v128.load(xr + k + 2 * dW4);
      let y = v128.load(g0 + k);
      a00 = madd(y, x0, a00); a01 = madd(y, x1, a01); a02 = madd(y, x2, a02);
      y = v128.load(g1 + k);
      a10 = madd(y, x0, a10); a11 = madd(y, x1, a11); a12 = madd(y, x2, a12);
      y = v128.load(g2 + k);
      a20 = madd(y, x0, a20); a21 = madd(y, x1, a21); a22 = madd(y, x2, a22);
    }
    xr += Wp4; g0 += ldg; g1 += ldg; g2 += ldg;
  }
  const z = f32x4.splat(0);
  v128.store(sums, hsum4(a00, a10, a20, z));
  v128.store(sums, hsum4(a01, a11, a21, z), 16);
  v128.store(sums, hsum4(a02, a12, a22, z), 32);
}

// [Σa, Σb, Σc, Σd] (each the sum of its 4 lanes).
@inline function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

