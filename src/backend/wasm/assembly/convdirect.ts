// Direct stride-1 convolution forward ("implicit GEMM"): no im2col matrix is built.
//
// A band of input rows is copied once into a zero-padded buffer of row width Wp. With stride 1 the
// output pixel (r, ow) of the band reads the padded input at flat position r·Wp + ow + off[k] for
// every tap k = (c, kh, kw), so a run of 8 consecutive flat positions is one unaligned 8-float load:
// the micro-kernel reads B straight from the padded image (no packing) and writes an [M, rows·Wp]
// tile whose Wp - oW columns past each row's end are discarded by the epilogue, which adds the bias,
// and applies ReLU and a 2×2 max-pool when the fused op asks.
//
// The input gradient as the same kernel (a stride-1 conv of gy with the flipped, channel-swapped
// kernel) was measured too and lost to im2col + GEMM (with the SIMD transposing packs in gemm.ts) on
// the MNIST shapes, so it is not used. The weight gradient of layers with at most 4 input channels
// is direct (./convdirect-grad.ts); wider ones take Winograd or im2col + GEMM.
import { MR } from "./gemm";
import { maxWindow1, maxWindows4 } from "./pool";

const NB: i32 = 8;

// Epilogue modes of directConv.
export const EPI_PLAIN: i32 = 0;
export const EPI_RELU: i32 = 1;
export const EPI_RELU_POOL: i32 = 2;

@inline function rup(a: i32, b: i32): i32 {
  return (a + b - 1) / b * b;
}

/** Rows per block of output rows, so the padded band and the tile stay in L2 (even when pooling). */
@inline function blockRows(M: i32, Cin: i32, Wp: i32, oRows: i32): i32 {
  const byTile = 49152 / (rup(M, MR) * Wp);
  const byIn = 65536 / (Cin * Wp);
  let r = max(2, min(byTile, byIn));
  r -= r & 1;
  return min(r, oRows);
}

/** Scratch bytes one thread needs for directConv with these dimensions (see the layout there). */
export function directScratchBytes(M: i32, Cin: i32, kH: i32, kW: i32, dH: i32, Wp: i32, oRows: i32): i32 {
  const Kd = Cin * kH * kW;
  const rows = blockRows(M, Cin, Wp, oRows);
  const Hb = rows + (kH - 1) * dH;
  const Qr = rup(rows * Wp, NB);
  // offs | padded band | tile | epiPool's 16-float tail rows, plus alignment slack
  return (rup(Kd, 16) + Cin * Hb * Wp + Wp + 16 + rup(M, MR) * Qr + 16) * 4 + 256;
}

/** Packs the weights w[M, Cin, kH, kW] as MR-row slivers, k-major ([sliver][k][MR], zero rows past M). */
export function directPack(w: usize, M: i32, Cin: i32, kH: i32, kW: i32, dst: usize): void {
  const Kd = Cin * kH * kW;
  for (let s = 0; s < M; s += MR) {
    for (let k = 0; k < Kd; k++) {
      for (let r = 0; r < MR; r++) {
        const i = s + r;
        store<f32>(dst, i < M ? load<f32>(w + <usize>(i * Kd + k) * 4) : 0);
        dst += 4;
      }
    }
  }
}

/** Copies input rows [h0, h0 + Hb) of the padded frame (row -pH is padded row 0) into xpad, zeros around. */
export function padRows(x: usize, Cin: i32, H: i32, W: i32, pW: i32, Wp: i32, h0: i32, Hb: i32, pH: i32, xpad: usize): void {
  const right = Wp - pW - W;
  for (let c = 0; c < Cin; c++) {
    const plane = x + <usize>(c * H * W) * 4;
    let dst = xpad + <usize>(c * Hb * Wp) * 4;
    for (let r = 0; r < Hb; r++) {
      const h = h0 + r - pH;
      if (h < 0 || h >= H) {
        zeroF32(dst, Wp);
      } else {
        if (pW > 0) zeroF32(dst, pW);
        copyF32(dst + <usize>pW * 4, plane + <usize>(h * W) * 4, W);
        if (right > 0) zeroF32(dst + <usize>(pW + W) * 4, right);
      }
      dst += <usize>Wp * 4;
    }
  }
  zeroF32(xpad + <usize>(Cin * Hb * Wp) * 4, Wp + 16);
}

// Short rows (the MNIST convs' 14-30 floats) in v128 steps: V8's memory.copy / memory.fill are
// calls into the runtime, which cost more than the copy itself at these sizes (padRows was 4% of a
// CNN training step with them). Long rows still take the bulk operations.
@inline function copyF32(dst: usize, src: usize, n: i32): void {
  if (n >= 256) {
    memory.copy(dst, src, <usize>n * 4);
    return;
  }
  let j = 0;
  for (; j + 4 <= n; j += 4) v128.store(dst + <usize>j * 4, v128.load(src + <usize>j * 4));
  for (; j < n; j++) store<f32>(dst + <usize>j * 4, load<f32>(src + <usize>j * 4));
}

@inline function zeroF32(dst: usize, n: i32): void {
  if (n >= 256) {
    memory.fill(dst, 0, <usize>n * 4);
    return;
  }
  const z = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) v128.store(dst + <usize>j * 4, z);
  for (; j < n; j++) store<f32>(dst + <usize>j * 4, 0);
}

// MR rows × 8 flat positions: A from the packed sliver, B loaded at xb + offs[k].
export function micro(kd: i32, pa: usize, xb: usize, offs: usize, c: usize, ldc: usize): void {
  if (ASC_FEATURE_RELAXED_SIMD) {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
    let c40 = f32x4.splat(0), c41 = f32x4.splat(0), c50 = f32x4.splat(0), c51 = f32x4.splat(0);
    for (let k = 0; k < kd; k++) {
      const p = xb + <usize>load<i32>(offs);
      const b0 = v128.load(p), b1 = v128.load(p, 16);
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
      pa += 24; offs += 4;
    }
    v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
    v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
    v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
    v128.store(c, c30); v128.store(c, c31, 16); c += ldc;
    v128.store(c, c40); v128.store(c, c41, 16); c += ldc;
    v128.store(c, c50); v128.store(c, c51, 16);
  } else {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
    for (let k = 0; k < kd; k++) {
      const p = xb + <usize>load<i32>(offs);
      const b0 = v128.load(p), b1 = v128.load(p, 16);
      let a = v128.load32_splat(pa);
      c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
      a = v128.load32_splat(pa, 4);
      c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
      a = v128.load32_splat(pa, 8);
      c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
      a = v128.load32_splat(pa, 12);
      c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
      pa += 16; offs += 4;
    }
    v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
    v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
    v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
    v128.store(c, c30); v128.store(c, c31, 16);
  }
}

// One row of the tile to the output: bias, optional ReLU (x < 0 ? 0 : x: NaN and -0 pass through, as relu).
@inline function epiRow(src: usize, dst: usize, n: i32, bias: f32, relu: bool): void {
  const bv = f32x4.splat(bias), z = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    let v = f32x4.add(v128.load(src + <usize>j * 4), bv);
    if (relu) v = f32x4.pmax(v, z);
    v128.store(dst + <usize>j * 4, v);
  }
  for (; j < n; j++) {
    let v = load<f32>(src + <usize>j * 4) + bias;
    if (relu) v = relu1(v);
    store<f32>(dst + <usize>j * 4, v);
  }
}

// Bias + ReLU + 2×2 stride-2 max-pool of tile rows t0 and t0 + Wp into pooled row `po` (pW outputs);
// indices are flat positions in the conv output plane (row h of width oW), as maxPool2d's.
function epiPool(t0: usize, Wp: i32, pW: i32, h: i32, oW: i32, bias: f32, po: usize, pi: usize, row: usize): void {
  const t1 = t0 + <usize>Wp * 4;
  const bv = f32x4.splat(bias), z = f32x4.splat(0);
  const lane = i32x4(0, 2, 4, 6);
  let j = 0;
  for (; j < pW; j += 4) {
    // A partial last group is redone as the row's last 4 windows (overlapping stores, same values).
    if (j + 4 > pW) {
      if (pW < 4) break;
      j = pW - 4;
    }
    const s = <usize>(2 * j) * 4;
    maxWindows4(
      f32x4.pmax(f32x4.add(v128.load(t0 + s), bv), z), f32x4.pmax(f32x4.add(v128.load(t0 + s, 16), bv), z),
      f32x4.pmax(f32x4.add(v128.load(t1 + s), bv), z), f32x4.pmax(f32x4.add(v128.load(t1 + s, 16), bv), z),
      i32x4.add(i32x4.splat(h * oW + 2 * j), lane), oW, po + <usize>j * 4, pi + <usize>j * 4,
    );
  }
  if (j < pW) {
    // Rows of fewer than 4 windows: through a scratch row pair, ReLU applied as in the vector path.
    for (let q = 2 * j; q < 2 * pW; q++) {
      store<f32>(row + <usize>(q - 2 * j) * 4, relu1(load<f32>(t0 + <usize>q * 4) + bias));
      store<f32>(row + <usize>(8 + q - 2 * j) * 4, relu1(load<f32>(t1 + <usize>q * 4) + bias));
    }
    for (let k = j; k < pW; k++) {
      const s = <usize>(2 * (k - j)) * 4;
      maxWindow1(row + s, row + 32 + s, h * oW + 2 * k, oW, po + <usize>k * 4, pi + <usize>k * 4);
    }
  }
}

@inline function relu1(v: f32): f32 {
  return v < 0 ? 0 : v; // NaN and -0 pass through, as the unfused relu
}

/**
 * Output rows [oh0, oh1) of out[M, oH, oW] = direct stride-1 conv of x[Cin, H, W] (padded by pH, pW,
 * dilated by dH, dW) with the packed weights pa. With EPI_RELU_POOL, oh0 and oh1 are even (oh1 may
 * be oH when odd: the last row pools nothing), `out` is the pooled [M, oH/2, oW/2] and `idx` its indices.
 */
export function directConv(
  M: i32, Cin: i32, H: i32, W: i32, kH: i32, kW: i32, dH: i32, dW: i32, pH: i32, pW: i32,
  oH: i32, oW: i32, oh0: i32, oh1: i32, x: usize, pa: usize, bias: usize, out: usize, idx: usize, epi: i32, scratch: usize,
): void {
  const Wp = W + 2 * pW;
  const Kd = Cin * kH * kW;
  const Ms = rup(M, MR);
  const rowsMax = blockRows(M, Cin, Wp, oH);
  const HbMax = rowsMax + (kH - 1) * dH;
  const offs = scratch;
  const xpad = offs + <usize>rup(Kd, 16) * 4;
  const tile = xpad + <usize>(Cin * HbMax * Wp + Wp + 16) * 4;
  const QrMax = rup(rowsMax * Wp, NB);
  const rowTmp = tile + <usize>(Ms * QrMax) * 4; // 16 floats for epiPool's tails
  const pOH = oH >> 1, pOW = oW >> 1;
  for (let b0 = oh0; b0 < oh1; b0 += rowsMax) {
    const rows = min(rowsMax, oh1 - b0);
    const Hb = rows + (kH - 1) * dH;
    const Qr = rup(rows * Wp, NB);
    padRows(x, Cin, H, W, pW, Wp, b0, Hb, pH, xpad);
    for (let k = 0; k < Kd; k++) {
      const c = k / (kH * kW), t = k % (kH * kW);
      store<i32>(offs + <usize>k * 4, ((c * Hb + (t / kW) * dH) * Wp + (t % kW) * dW) * 4);
    }
    const ldc = <usize>QrMax * 4;
    // The last sliver has a call site of its own: two callers keep Binaryen from inlining micro,
    // whose 15 live vectors then get V8's registers to themselves (inlined, it ran at half speed).
    for (let q = 0; q < Qr; q += NB) {
      let s = 0;
      for (; s + MR < Ms; s += MR) {
        micro(Kd, pa + <usize>(s * Kd) * 4, xpad + <usize>q * 4, offs, tile + (<usize>s * ldc) + <usize>q * 4, ldc);
      }
      micro(Kd, pa + <usize>(s * Kd) * 4, xpad + <usize>q * 4, offs, tile + (<usize>s * ldc) + <usize>q * 4, ldc);
    }
    for (let o = 0; o < M; o++) {
      const bv: f32 = bias ? load<f32>(bias + <usize>o * 4) : 0;
      const t = tile + <usize>o * ldc;
      if (epi == EPI_RELU_POOL) {
        for (let r = 0; r + 1 < rows; r += 2) {
          const ph = (b0 + r) >> 1;
          if (ph >= pOH) break;
          const at = <usize>((o * pOH + ph) * pOW) * 4;
          epiPool(t + <usize>(r * Wp) * 4, Wp, pOW, b0 + r, oW, bv, out + at, idx + at, rowTmp);
        }
      } else {
        for (let r = 0; r < rows; r++) {
          epiRow(t + <usize>(r * Wp) * 4, out + <usize>((o * oH + b0 + r) * oW) * 4, oW, bv, epi == EPI_RELU);
        }
      }
    }
  }
}

/** Bytes directConv's packed weights take. */
export function directPackBytes(M: i32, Cin: i32, kH: i32, kW: i32): i32 {
  return rup(M, MR) * Cin * kH * kW * 4;
}
