// Convolutions with one input channel per group (depthwise, and its channel multipliers): the GEMM
// of such a group has a single row of taps per output channel, so the packed GEMM's 6-row slivers
// would compute 5 rows of padding and re-pack the image per call. Instead each tap's row of
// positions is gathered once (./im2colpack.ts gatherRow, the fused im2col's gather) into the L1
// row buffer and used by every output channel of the group: y += w·row (forward), gW += row·gy
// (weight gradient), both over contiguous positions in v128 steps; the input gradient sums
// Σ_o w[o][t]·gy[o] into the buffer and adds it back onto the image (scatterRow, col2im of one row).
import { gatherRow, kernelW, rowBuffer, rowBufferFloats, scatterRow } from "./im2colpack";

/**
 * Whether a group with cg input and og output channels takes these kernels rather than the GEMM:
 * one input channel and at most 8 outputs. Each output channel's row is read and written once per
 * tap here, where the GEMM keeps 6×8 tiles in registers, so it wins only while there are few
 * (bench/conv-shapes.ts, [64,C,28,28]·32 3×3 stride 2, 1 thread CPU ms, GEMM vs these: og 2
 * 3.25 vs 2.05 forward, 4.4 vs 2.0 weight gradient; og 4 1.8 vs 1.3; og 8 1.02 vs 0.93; og 32
 * (1 input channel) 0.46 vs 0.62).
 */
@inline export function depthwiseFits(cg: i32, og: i32): bool {
  return cg == 1 && og <= 8;
}

/** dst[0 .. n) += a·src[0 .. n), in v128 steps then a scalar tail (the two depthwise sums over positions). */
@inline function axpy(dst: usize, a: f32, src: usize, n: i32): void {
  const av = f32x4.splat(a);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const at = <usize>j * 4;
    v128.store(dst + at, f32x4.add(v128.load(dst + at), f32x4.mul(av, v128.load(src + at))));
  }
  for (; j < n; j++) {
    const at = <usize>j * 4;
    store<f32>(dst + at, load<f32>(dst + at) + a * load<f32>(src + at));
  }
}

/** dst[0 .. n) = a·src[0 .. n): the first term of a sum over output channels, so dst needs no zero-fill. */
@inline function scale(dst: usize, a: f32, src: usize, n: i32): void {
  const av = f32x4.splat(a);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const at = <usize>j * 4;
    v128.store(dst + at, f32x4.mul(av, v128.load(src + at)));
  }
  for (; j < n; j++) {
    const at = <usize>j * 4;
    store<f32>(dst + at, a * load<f32>(src + at));
  }
}

/**
 * y[o][j] = Σ_taps w[o][t]·col[t][p0 + j] for the og output channels of one depthwise group and
 * the positions p0 .. p0+cols (y points at position p0 of output channel 0; planes P apart). The
 * image and geometry are already in `geom` (setGeom). The bias is added by the caller.
 */
export function depthwiseConv(og: i32, kk: i32, cols: i32, p0: i32, w: usize, y: usize, P: i32, geom: usize): void {
  const buf = rowBuffer(geom), chunk = rowBufferFloats();
  const kW = kernelW(geom);
  for (let j0 = 0; j0 < cols; j0 += chunk) {
    const n = min(chunk, cols - j0);
    for (let o = 0; o < og; o++) memory.fill(y + <usize>(o * P + j0) * 4, 0, <usize>n * 4);
    for (let t = 0; t < kk; t++) {
      gatherRow(geom, 0, t / kW, t % kW, p0 + j0, n, buf);
      for (let o = 0; o < og; o++) {
        axpy(y + <usize>(o * P + j0) * 4, load<f32>(w + <usize>(o * kk + t) * 4), buf, n);
      }
    }
  }
}

/**
 * gWᵀ[t][o] += Σ_j col[t][p0 + j]·gy[o][j] for one depthwise group over positions p0 .. p0+cols
 * (gy points at position p0 of output channel 0; planes P apart), into the caller's [kk][og]
 * partial at `gw`. The image and geometry are already in `geom` (setGeom).
 */
export function depthwiseWeightGrad(og: i32, kk: i32, cols: i32, p0: i32, gy: usize, P: i32, gw: usize, geom: usize): void {
  const buf = rowBuffer(geom), chunk = rowBufferFloats();
  const kW = kernelW(geom);
  for (let j0 = 0; j0 < cols; j0 += chunk) {
    const n = min(chunk, cols - j0);
    for (let t = 0; t < kk; t++) {
      gatherRow(geom, 0, t / kW, t % kW, p0 + j0, n, buf);
      for (let o = 0; o < og; o++) {
        const s = gy + <usize>(o * P + j0) * 4;
        let acc = f32x4.splat(0);
        let j = 0;
        for (; j + 4 <= n; j += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(s + <usize>j * 4), v128.load(buf + <usize>j * 4)));
        let sum = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
        for (; j < n; j++) sum += load<f32>(s + <usize>j * 4) * load<f32>(buf + <usize>j * 4);
        const at = gw + <usize>(t * og + o) * 4;
        store<f32>(at, load<f32>(at) + sum);
      }
    }
  }
}

/**
 * gx += Σ_taps colᵀ: for each tap t, row = Σ_o w[o][t]·gy[o][p0 .. p0+cols) added back onto the
 * image where the tap read it (gy points at position p0 of output channel 0; planes P apart). The
 * image (gx's plane, zeroed by the caller) and geometry are in `geom` (setGeom).
 */
export function depthwiseBackwardInput(og: i32, kk: i32, cols: i32, p0: i32, w: usize, gy: usize, P: i32, geom: usize): void {
  if (og <= 0) return; // no output channel: nothing to add back
  const buf = rowBuffer(geom), chunk = rowBufferFloats();
  const kW = kernelW(geom);
  for (let j0 = 0; j0 < cols; j0 += chunk) {
    const n = min(chunk, cols - j0);
    for (let t = 0; t < kk; t++) {
      // Output channel 0's term is stored, the others added: the buffer is never zero-filled (it was
      // once per tap). Bit for bit the old sum: 0 + a·x differs from a·x only in the sign of a zero,
      // and the image it is added onto starts at +0, where +0 and -0 add alike.
      scale(buf, load<f32>(w + <usize>t * 4), gy + <usize>j0 * 4, n);
      for (let o = 1; o < og; o++) {
        axpy(buf, load<f32>(w + <usize>(o * kk + t) * 4), gy + <usize>(o * P + j0) * 4, n);
      }
      scatterRow(geom, t / kW, t % kW, p0 + j0, n, buf);
    }
  }
}
