// Convolution as GEMM per (image, group). The forward and weight-gradient GEMMs read the im2col
// matrix straight from the image while packing (./im2colpack.ts), so no col buffer is written;
// the input gradient computes gcol = Wᵀ·gy into per-thread scratch and adds it back (col2im).
// Depthwise groups (one input channel, few outputs) skip the GEMM: ./convdw.ts.
// Threads split the (image, group) pairs, so each thread writes its own slice of the output and
// needs no synchronisation inside a kernel.
import { gemm, gemmIm2col, gemmScratchBytes } from "./gemm";
import { geomBytes, setGeom } from "./im2colpack";
import { depthwiseBackwardInput, depthwiseConv, depthwiseFits, depthwiseWeightGrad } from "./convdw";
import {
  directConv, directPack, directPackBytes, directScratchBytes, EPI_RELU_POOL,
} from "./convdirect";
import { directGradFits, directGradScratchBytes, directWeightGrad } from "./convdirect-grad";
import { winogradConv, winogradFits, winogradPack, winogradRows, winogradScratchBytes } from "./winograd";
import { winogradGradFinish, winogradGradScratchBytes, winogradWeightGrad } from "./winograd-grad";
import { winograd4Conv, winograd4Pack, winograd4PackFloats, winograd4ScratchBytes } from "./winograd4";
import { winograd4GradFinish, winograd4GradScratchBytes, winograd4WeightGrad } from "./winograd4-grad";
import { winograd4GradInput, winograd4GradInputScratchBytes } from "./winograd4-gx";

/**
 * Whether a Winograd conv with an oH × oW output takes F(4×4,3×3) (./winograd4.ts) rather than
 * F(2×2,3×3): by the multiplies of the tiles each computes (rows of at least 4 tiles, partial tiles
 * whole), 36 per 4×4 tile with 1.2x for its larger transforms against 16 per 2×2 tile. Measured
 * (bench/conv-min.ts 64 C n n 32, 1 thread CPU ms, F(2×2) vs F(4×4) forward): 7×7 0.95 vs 1.32,
 * 10×10 1.93 vs 2.42, 14×14 1.66 vs 1.35 (16 channels) and 3.10 vs 2.52 (32); the rule picks the faster.
 */
@inline export function winogradF4(oH: i32, oW: i32): bool {
  const t4 = max(4, (oW + 3) >> 2) * ((oH + 3) >> 2), t2 = max(4, (oW + 1) >> 1) * ((oH + 1) >> 1);
  return 27 * t4 < 10 * t2;
}

// The adjoint of im2col (col[cg·kH·kW, oH·oW], see ./im2colpack.ts): adds col back onto the (zeroed) image planes.
function col2im(
  col: usize, cg: i32, H: i32, W: i32, kH: i32, kW: i32, oH: i32, oW: i32,
  sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, x: usize,
): void {
  for (let c = 0; c < cg; c++) {
    const plane = x + <usize>(c * H * W) * 4;
    for (let kh = 0; kh < kH; kh++) {
      for (let kw = 0; kw < kW; kw++) {
        for (let oh = 0; oh < oH; oh++) {
          const h = oh * sH - pH + kh * dH;
          const src = col;
          col += <usize>oW * 4;
          if (h < 0 || h >= H) continue;
          const row = plane + <usize>(h * W) * 4;
          const w0 = kw * dW - pW;
          if (sW == 1) {
            // Contiguous run: one vector add over the unclipped middle.
            const lo = max(0, -w0), hi = min(oW, W - w0);
            const d = row + <usize>(w0 + lo) * 4, s = src + <usize>lo * 4;
            let j = 0;
            const n = hi - lo;
            for (; j + 4 <= n; j += 4) {
              const o = <usize>j * 4;
              v128.store(d + o, f32x4.add(v128.load(d + o), v128.load(s + o)));
            }
            for (; j < n; j++) {
              const o = <usize>j * 4;
              store<f32>(d + o, load<f32>(d + o) + load<f32>(s + o));
            }
            continue;
          }
          for (let ow = 0; ow < oW; ow++) {
            const w = ow * sW + w0;
            if (w >= 0 && w < W) {
              const p = row + <usize>w * 4;
              store<f32>(p, load<f32>(p) + load<f32>(src + <usize>ow * 4));
            }
          }
        }
      }
    }
  }
}

@inline function isPointwise(kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32): bool {
  return kH == 1 && kW == 1 && sH == 1 && sW == 1 && pH == 0 && pW == 0;
}

/** Whether the direct kernels (./convdirect.ts) do the forward and input gradient: stride 1, not 1×1. */
@inline function directFwd(kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32): bool {
  return sH == 1 && sW == 1 && !isPointwise(kH, kW, sH, sW, pH, pW);
}

/** Whether the forward kernel can fuse bias + ReLU (+ 2×2 max-pool): it must take the direct path. */
export function convFusable(kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32): bool {
  return directFwd(kH, kW, sH, sW, pH, pW);
}

/** Bytes of scratch one conv thread needs, the most any of the kernels' paths takes. */
export function convScratchBytes(
  C: i32, H: i32, W: i32, O: i32, kH: i32, kW: i32, oH: i32, oW: i32, sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, G: i32,
): i32 {
  const cg = C / G, og = O / G;
  let b = gemmScratchBytes() + max(geomBytes(), cg * kH * kW * oH * oW * 4);
  if (directFwd(kH, kW, sH, sW, pH, pW)) {
    b = max(b, directPackBytes(og, cg, kH, kW) + 64 + directScratchBytes(og, cg, kH, kW, dH, W + 2 * pW, oH));
  }
  if (directGradFits(cg, kH, kW, sH, sW)) b = max(b, directGradScratchBytes(cg, og, kH, kW, dH, dW, W, pW, oH, oW));
  // Winograd forward (cg -> og channels) and input gradient (og -> cg, gy padded by 2 - p).
  if (winogradFits(cg, og, kH, kW, sH, sW, pH, pW, dH, dW)) {
    b = max(b, winogradF4(oH, oW) ? winograd4ScratchBytes(og, cg, W, pW, oH, oW) : winogradScratchBytes(og, cg, W, pW, oH, oW));
  }
  if (winogradFits(og, cg, kH, kW, sH, sW, pH, pW, dH, dW)) {
    b = max(b, gradInputAdjoint(cg, og, oH, oW) ? winograd4GradInputScratchBytes(cg, og, oH, oW)
      : winogradF4(H, W) ? winograd4ScratchBytes(cg, og, oW, 2 - pW, H, W) : winogradScratchBytes(cg, og, oW, 2 - pW, H, W));
  }
  // Winograd weight gradient: gemm's scratch, every group's dU, then the transforms' buffers.
  if (winogradFits(cg, og, kH, kW, sH, sW, pH, pW, dH, dW)) {
    b = max(b, winogradF4(oH, oW)
      ? gemmScratchBytes() + 64 + 36 * O * cg * 4 + winograd4GradScratchBytes(cg, og, W, pW, oH, oW)
      : gemmScratchBytes() + 64 + 16 * O * cg * 4 + winogradGradScratchBytes(cg, og, W, pW, oH, oW));
  }
  // Ahead of it, the forward's and input gradient's pack id.
  return b + HEAD;
}

/**
 * Which thread of the pool this instance runs on: 0 on the calling thread, i on helper i (each
 * thread instantiates the module, so this global is its own; ../pool.ts sets it). The forward and
 * input-gradient tasks take their scratch by thread rather than by share, so a job may be cut into
 * more shares than threads without more scratch, each thread reusing its own (cache-warm) buffers.
 */
let threadIndex: i32 = 0;
export function setThreadIndex(i: i32): void {
  threadIndex = i;
}

/**
 * Bytes at the head of each thread's scratch of the forward and input-gradient tasks: the pack
 * id of the weights its pack area holds (see packedFor); 64 keeps the rest cache-line aligned.
 */
const HEAD: i32 = 64;

/**
 * Whether this thread's scratch at `mine` already holds the weights packed earlier in the same
 * call: `packId` names the call (../conv.ts; 0 = always pack). A thread packs on its first share
 * of the call, in whichever chunk of images that is, and records the id.
 */
@inline function packedFor(mine: usize, packId: i32, G: i32): bool {
  return packId != 0 && G == 1 && load<i32>(mine - HEAD) == packId;
}

/**
 * How many bands each (image, group) is cut into: 1 when there are at least as many of them as
 * threads, else enough for every thread to get work (a batch of one still uses every core).
 */
@inline function bandsFor(NG: i32, nt: i32, most: i32): i32 {
  return NG >= nt ? 1 : min(most, (nt + NG - 1) / NG);
}

/**
 * epi: EPI_PLAIN (bias when given), or on the direct path EPI_RELU (bias + ReLU) or EPI_RELU_POOL
 * (bias + ReLU + 2×2 stride-2 max-pool into `out` [N, O, oH/2, oW/2] with indices at `idx`).
 */
export function conv2dTask(
  tid: i32, nt: i32, N: i32, C: i32, H: i32, W: i32, O: i32, kH: i32, kW: i32, oH: i32, oW: i32,
  sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, G: i32,
  x: usize, w: usize, bias: usize, out: usize, scratch: usize, scratchStride: i32, epi: i32, idx: usize, packId: i32,
): void {
  const cg = C / G, og = O / G, Kc = cg * kH * kW, P = oH * oW;
  const mine = scratch + <usize>threadIndex * <usize>scratchStride + HEAD;
  const geom = mine + <usize>gemmScratchBytes();
  const pointwise = isPointwise(kH, kW, sH, sW, pH, pW);
  const direct = directFwd(kH, kW, sH, sW, pH, pW);
  const wino = winogradFits(cg, og, kH, kW, sH, sW, pH, pW, dH, dW);
  const f4 = wino && winogradF4(oH, oW);
  // Bands of output rows: each is an independent slice of the gemm's columns (even-aligned when
  // pooling or on Winograd F(2×2)'s 2-row tiles, a multiple of 4 on F(4×4)'s).
  const bands = bandsFor(N * G, nt, oH);
  let rows = (oH + bands - 1) / bands;
  if (epi == EPI_RELU_POOL || wino) rows += rows & 1;
  if (f4) rows = (rows + 3) & ~3;
  const packBytes = f4 ? winograd4PackFloats(og, cg) * 4 : wino ? 16 * winogradRows(og) * cg * 4 : directPackBytes(og, cg, kH, kW);
  const pa = mine, work = mine + <usize>((packBytes + 63) & ~63);
  let packed = packedFor(mine, packId, G) ? 0 : -1;
  for (let t = tid; t < N * G * bands; t += nt) {
    const ng = t / bands, band = t % bands;
    const n = ng / G, g = ng % G;
    const oh0 = band * rows, oh1 = min(oH, oh0 + rows);
    if (oh0 >= oh1) continue;
    const xg = x + <usize>((n * C + g * cg) * H * W) * 4;
    if (wino) {
      if (packed != g) {
        if (f4) winograd4Pack(w + <usize>(g * og * Kc) * 4, og, cg, Kc, kH * kW, false, pa);
        else winogradPack(w + <usize>(g * og * Kc) * 4, og, cg, Kc, kH * kW, false, pa);
        store<i32>(mine - HEAD, packId);
      }
      packed = g;
      const bg = bias ? bias + <usize>(g * og) * 4 : 0;
      const at = epi == EPI_RELU_POOL ? <usize>((n * O + g * og) * (oH >> 1) * (oW >> 1)) * 4 : <usize>((n * O + g * og) * P) * 4;
      if (f4) winograd4Conv(og, cg, H, W, pH, pW, oH, oW, oh0, oh1, xg, pa, bg, out + at, epi == EPI_RELU_POOL ? idx + at : 0, epi, work);
      else winogradConv(og, cg, H, W, pH, pW, oH, oW, oh0, oh1, xg, pa, bg, out + at, epi == EPI_RELU_POOL ? idx + at : 0, epi, work);
      continue;
    }
    if (direct) {
      if (packed != g) {
        directPack(w + <usize>(g * og * Kc) * 4, og, cg, kH, kW, pa);
        store<i32>(mine - HEAD, packId);
      }
      packed = g;
      const bg = bias ? bias + <usize>(g * og) * 4 : 0;
      if (epi == EPI_RELU_POOL) {
        const at = <usize>((n * O + g * og) * (oH >> 1) * (oW >> 1)) * 4;
        directConv(og, cg, H, W, kH, kW, dH, dW, pH, pW, oH, oW, oh0, oh1, xg, pa, bg, out + at, idx + at, epi, work);
      } else {
        directConv(og, cg, H, W, kH, kW, dH, dW, pH, pW, oH, oW, oh0, oh1, xg, pa, bg, out + <usize>((n * O + g * og) * P) * 4, 0, epi, work);
      }
      continue;
    }
    const cols = (oh1 - oh0) * oW;
    const y = out + <usize>((n * O + g * og) * P + oh0 * oW) * 4;
    if (pointwise) gemm(og, cols, Kc, w + <usize>(g * og * Kc) * 4, Kc, 1, xg + <usize>(oh0 * oW) * 4, P, 1, y, P, false, mine);
    else {
      setGeom(geom, xg, H, W, kH, kW, sH, sW, pH, pW, dH, dW, oW, oh0 * oW);
      if (depthwiseFits(cg, og)) depthwiseConv(og, Kc, cols, oh0 * oW, w + <usize>(g * og * Kc) * 4, y, P, geom);
      else gemmIm2col(og, cols, Kc, w + <usize>(g * og * Kc) * 4, Kc, 1, 0, 0, 0, 0, geom, y, P, false, mine);
    }
    if (bias) {
      for (let o = 0; o < og; o++) {
        const bv = f32x4.splat(load<f32>(bias + <usize>(g * og + o) * 4));
        const row = y + <usize>(o * P) * 4;
        let j = 0;
        for (; j + 4 <= cols; j += 4) v128.store(row + <usize>j * 4, f32x4.add(v128.load(row + <usize>j * 4), bv));
        for (; j < cols; j++) store<f32>(row + <usize>j * 4, load<f32>(row + <usize>j * 4) + f32x4.extract_lane(bv, 0));
      }
    }
  }
}

/**
 * Whether the input gradient takes the F(4×4) adjoint (./winograd4-gx.ts) rather than the flipped-kernel
 * conv: its gy side costs about half the flipped conv's per channel when the tiles read gy in place
 * (oW a multiple of 4, at least 16), its gx side ~1.5× the flipped conv's output transform, so it
 * needs at least as many gy channels as gx ones. Measured (1 thread, CPU, adjoint / flipped):
 * [64,16,28,28]·32 0.92, [32,32,28,28]·32 1.00, [64,16,14,14]·32 1.02 (gy copied, 14 wide), [16,8,30,30]·8 1.12.
 */
@inline function gradInputAdjoint(cg: i32, og: i32, oH: i32, oW: i32): bool {
  return winogradF4(oH, oW) && (oW & 3) == 0 && oW >= 16 && og >= cg;
}

export function conv2dBackwardInputTask(
  tid: i32, nt: i32, N: i32, C: i32, H: i32, W: i32, O: i32, kH: i32, kW: i32, oH: i32, oW: i32,
  sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, G: i32,
  gy: usize, w: usize, gx: usize, scratch: usize, scratchStride: i32, packId: i32,
): void {
  const cg = C / G, og = O / G, Kc = cg * kH * kW, P = oH * oW, kk = kH * kW;
  const mine = scratch + <usize>threadIndex * <usize>scratchStride + HEAD;
  const col = mine + <usize>gemmScratchBytes(), geom = col;
  const pointwise = isPointwise(kH, kW, sH, sW, pH, pW);
  if (winogradFits(og, cg, kH, kW, sH, sW, pH, pW, dH, dW) && gradInputAdjoint(cg, og, oH, oW)) {
    // The forward's F(4×4) run backwards (./winograd4-gx.ts). Bands of rows split at padded rows
    // 4·m + 2, so each band recomputes one tile row of its neighbour's (the patches overlap by 2).
    const tRows = (oH + 3) >> 2;
    const pu = mine, work = mine + <usize>((winograd4PackFloats(cg, og) * 4 + 63) & ~63);
    const wb = bandsFor(N * G, nt, tRows);
    const per = (tRows + wb - 1) / wb;
    let packed = packedFor(mine, packId, G) ? 0 : -1;
    for (let t = tid; t < N * G * wb; t += nt) {
      const ng = t / wb, band = t % wb;
      const n = ng / G, g = ng % G;
      const h0 = band == 0 ? 0 : max(0, 4 * band * per + 2 - pH), h1 = band == wb - 1 ? H : min(H, 4 * (band + 1) * per + 2 - pH);
      if (h0 >= h1) continue;
      if (packed != g) {
        winograd4Pack(w + <usize>(g * og * Kc) * 4, cg, og, kk, Kc, false, pu);
        store<i32>(mine - HEAD, packId);
      }
      packed = g;
      winograd4GradInput(cg, og, H, W, pH, pW, oH, oW, h0, h1, gy + <usize>((n * O + g * og) * P) * 4, pu, gx + <usize>((n * C + g * cg) * H * W) * 4, work);
    }
    return;
  }
  if (winogradFits(og, cg, kH, kW, sH, sW, pH, pW, dH, dW)) {
    // gx_g = the stride-1 conv of gy_g (padded by 2 - p) with the flipped kernel, in and out
    // channels swapped: weight (c, o) of that conv is w[o, c] read backwards. Bands of (even) rows.
    const f4 = winogradF4(H, W);
    const pu = mine, work = mine + <usize>(((f4 ? winograd4PackFloats(cg, og) : 16 * winogradRows(cg) * og) * 4 + 63) & ~63);
    const wb = bandsFor(N * G, nt, H);
    let rows = (H + wb - 1) / wb;
    rows += rows & 1;
    if (f4) rows = (rows + 3) & ~3;
    let packed = packedFor(mine, packId, G) ? 0 : -1;
    for (let t = tid; t < N * G * wb; t += nt) {
      const ng = t / wb, band = t % wb;
      const n = ng / G, g = ng % G;
      const h0 = band * rows, h1 = min(H, h0 + rows);
      if (h0 >= h1) continue;
      if (packed != g) {
        if (f4) winograd4Pack(w + <usize>(g * og * Kc) * 4, cg, og, kk, Kc, true, pu);
        else winogradPack(w + <usize>(g * og * Kc) * 4, cg, og, kk, Kc, true, pu);
        store<i32>(mine - HEAD, packId);
      }
      packed = g;
      const gyg = gy + <usize>((n * O + g * og) * P) * 4, gxg = gx + <usize>((n * C + g * cg) * H * W) * 4;
      if (f4) winograd4Conv(cg, og, oH, oW, 2 - pH, 2 - pW, H, W, h0, h1, gyg, pu, 0, gxg, 0, 0, work);
      else winogradConv(cg, og, oH, oW, 2 - pH, 2 - pW, H, W, h0, h1, gyg, pu, 0, gxg, 0, 0, work);
    }
    return;
  }
  // Bands of input channels: their col rows and their image planes are disjoint, so col2im of
  // different bands never writes the same element.
  const bands = bandsFor(N * G, nt, cg);
  const chans = (cg + bands - 1) / bands;
  for (let t = tid; t < N * G * bands; t += nt) {
    const ng = t / bands, band = t % bands;
    const n = ng / G, g = ng % G;
    const c0 = band * chans, c1 = min(cg, c0 + chans);
    if (c0 >= c1) continue;
    const xg = gx + <usize>((n * C + g * cg + c0) * H * W) * 4;
    const a = w + <usize>(g * og * Kc + c0 * kk) * 4;
    const b = gy + <usize>((n * O + g * og) * P) * 4;
    if (depthwiseFits(cg, og) && !pointwise) {
      // Depthwise (./convdw.ts): one tap row at a time, no gcol matrix.
      memory.fill(xg, 0, <usize>(H * W) * 4);
      setGeom(geom, xg, H, W, kH, kW, sH, sW, pH, pW, dH, dW, oW, 0);
      depthwiseBackwardInput(og, kk, P, 0, a, b, P, geom);
      continue;
    }
    // gcol = W_gᵀ · gy_g: the transpose is just swapped strides of the weight.
    if (pointwise) {
      gemm((c1 - c0) * kk, P, og, a, 1, Kc, b, P, 1, xg, P, false, mine);
    } else {
      gemm((c1 - c0) * kk, P, og, a, 1, Kc, b, P, 1, col, P, false, mine);
      memory.fill(xg, 0, <usize>((c1 - c0) * H * W) * 4);
      col2im(col, c1 - c0, H, W, kH, kW, oH, oW, sH, sW, pH, pW, dH, dW, xg);
    }
  }
}

/** conv2dBackwardWeightTask's phase bits: the first chunk of a batch zeroes the sums, the last finishes them. */
export const GRAD_FIRST = 1, GRAD_LAST = 2;

/**
 * Each thread accumulates gWᵀ over its images (or bands of output rows) into its own partial
 * [G, Kc, og] at `partials` + tid·O·Kc; the caller sums and transposes the partials
 * (sumPartialsTask), so the order is fixed for a given thread count. Computing gWᵀ = col · gyᵀ
 * rather than gW = gy · colᵀ makes the strided operand the small gy (og×P) instead of col
 * (Kc×P), and tiles exactly for the usual channel counts.
 */
export function conv2dBackwardWeightTask(
  tid: i32, nt: i32, N: i32, C: i32, H: i32, W: i32, O: i32, kH: i32, kW: i32, oH: i32, oW: i32,
  sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, G: i32,
  x: usize, gy: usize, partials: usize, scratch: usize, scratchStride: i32, phase: i32,
): void {
  const cg = C / G, og = O / G, Kc = cg * kH * kW, P = oH * oW;
  const mine = scratch + <usize>tid * <usize>scratchStride;
  const geom = mine + <usize>gemmScratchBytes();
  const gw = partials + <usize>(tid * O * Kc) * 4;
  // A batch run in chunks of images (src/backend/wasm/conv.ts, inChunks) calls this once per chunk:
  // only the first zeroes the sums and only the last turns dU into gw, so the chunks add into one
  // result in the same order as one call over the whole batch.
  const first = (phase & GRAD_FIRST) != 0, last = (phase & GRAD_LAST) != 0;
  if (first) memory.fill(gw, 0, <usize>(O * Kc) * 4);
  if (winogradFits(cg, og, kH, kW, sH, sW, pH, pW, dH, dW)) {
    // dU accumulates over all of this thread's tiles of a group, then turns into its 3×3 gradients.
    // F(4×4) when the forward takes it: 36 positions of 4×4 tiles, else 16 of 2×2.
    const f4 = winogradF4(oH, oW), np = f4 ? 36 : 16;
    const du = mine + <usize>((gemmScratchBytes() + 63) & ~63);
    const work = du + <usize>(np * O * cg) * 4;
    if (first) memory.fill(du, 0, <usize>(np * O * cg) * 4);
    const tRows = f4 ? (oH + 3) >> 2 : (oH + 1) >> 1;
    const wb = bandsFor(N * G, nt, tRows);
    const per = (tRows + wb - 1) / wb;
    for (let t = tid; t < N * G * wb; t += nt) {
      const ng = t / wb, band = t % wb;
      const n = ng / G, g = ng % G;
      const ty0 = band * per, ty1 = min(tRows, ty0 + per);
      if (ty0 >= ty1) continue;
      const xg = x + <usize>((n * C + g * cg) * H * W) * 4, gyg = gy + <usize>((n * O + g * og) * P) * 4;
      const dug = du + <usize>(g * np * og * cg) * 4;
      if (f4) winograd4WeightGrad(cg, og, H, W, pH, pW, oH, oW, ty0, ty1, xg, gyg, dug, work, mine);
      else winogradWeightGrad(cg, og, H, W, pH, pW, oH, oW, ty0, ty1, xg, gyg, dug, work, mine);
    }
    if (!last) return;
    for (let g = 0; g < G; g++) {
      const dug = du + <usize>(g * np * og * cg) * 4, dst = gw + <usize>(g * og * Kc) * 4;
      if (f4) winograd4GradFinish(dug, cg, og, dst);
      else winogradGradFinish(dug, cg, og, dst);
    }
    return;
  }
  const direct = isPointwise(kH, kW, sH, sW, pH, pW);
  const bands = bandsFor(N * G, nt, oH);
  const rows = (oH + bands - 1) / bands;
  if (directGradFits(cg, kH, kW, sH, sW)) {
    // Few input channels (a first layer): ./convdirect-grad.ts, no im2col.
    for (let t = tid; t < N * G * bands; t += nt) {
      const ng = t / bands, band = t % bands;
      const n = ng / G, g = ng % G;
      const oh0 = band * rows, oh1 = min(oH, oh0 + rows);
      if (oh0 >= oh1) continue;
      directWeightGrad(cg, og, H, W, kH, kW, dH, dW, pH, pW, oH, oW, oh0, oh1, x + <usize>((n * C + g * cg) * H * W) * 4,
        gy + <usize>((n * O + g * og) * P) * 4, gw + <usize>(g * og * Kc) * 4, mine);
    }
    return;
  }
  for (let t = tid; t < N * G * bands; t += nt) {
    const ng = t / bands, band = t % bands;
    const n = ng / G, g = ng % G;
    const oh0 = band * rows, oh1 = min(oH, oh0 + rows);
    if (oh0 >= oh1) continue;
    const cols = (oh1 - oh0) * oW;
    const xg = x + <usize>((n * C + g * cg) * H * W) * 4;
    const gyb = gy + <usize>((n * O + g * og) * P + oh0 * oW) * 4;
    // gW_gᵀ += col · gy_gᵀ: gyᵀ is read through swapped strides while packing.
    if (direct) gemm(Kc, og, cols, xg + <usize>(oh0 * oW) * 4, P, 1, gyb, 1, P, gw + <usize>(g * og * Kc) * 4, og, true, mine);
    else {
      setGeom(geom, xg, H, W, kH, kW, sH, sW, pH, pW, dH, dW, oW, oh0 * oW);
      if (depthwiseFits(cg, og)) depthwiseWeightGrad(og, Kc, cols, oh0 * oW, gyb, P, gw + <usize>(g * og * Kc) * 4, geom);
      else gemmIm2col(Kc, og, cols, 0, 0, 0, geom, gyb, 1, P, 0, gw + <usize>(g * og * Kc) * 4, og, true, mine);
    }
  }
}

/**
 * One image of a weight gradient run as a ring job with lanes (src/backend/wasm/pool.ts, startRing):
 * image j of the batch of Nimg, staged in slot j mod ring of the ring blocks at x and gy, adds into
 * lane j mod lanes's sums (its partial and scratch, as share `lane` of a chunked call), the lane's
 * first image zeroing them and its last finishing them. The pool starts image j only after image
 * j - lanes is done, so each lane takes its images in order, whichever thread runs them, and the
 * sums are those of the call over the whole batch on `lanes` threads, bit for bit.
 */
export function conv2dBackwardWeightLaneTask(
  slot: i32, ring: i32, Nimg: i32, C: i32, H: i32, W: i32, O: i32, kH: i32, kW: i32, oH: i32, oW: i32,
  sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, G: i32,
  x: usize, gy: usize, partials: usize, scratch: usize, scratchStride: i32, lanes: i32, j: i32,
): void {
  // As share `lane` of a call over `lanes` images whose image `lane` is this slot (one band each).
  const lane = j % lanes, back = <usize>(slot - lane);
  const phase = (j < lanes ? GRAD_FIRST : 0) | (j + lanes >= Nimg ? GRAD_LAST : 0);
  conv2dBackwardWeightTask(lane, lanes, lanes, C, H, W, O, kH, kW, oH, oW, sH, sW, pH, pW, dH, dW, G,
    x + back * <usize>(C * H * W) * 4, gy + back * <usize>(O * oH * oW) * 4, partials, scratch, scratchStride, phase);
}

/**
 * gW[g·og + o, k] = Σ_t partial_t[g, k, o] for the partials of conv2dBackwardWeightTask, each of
 * n = G·og·Kc floats; split over threads by output element.
 */
export function sumPartialsTask(tid: i32, nt: i32, G: i32, og: i32, Kc: i32, parts: i32, src: usize, dst: usize): void {
  const n = G * og * Kc;
  const per = (n + nt - 1) / nt;
  const lo = min(n, tid * per), hi = min(n, lo + per);
  for (let i = lo; i < hi; i++) {
    const k = i % Kc, r = i / Kc;
    const o = r % og, g = r / og;
    const at = <usize>((g * Kc + k) * og + o) * 4;
    let s: f32 = 0;
    for (let t = 0; t < parts; t++) s += load<f32>(src + <usize>(t * n) * 4 + at);
    store<f32>(dst + <usize>i * 4, s);
  }
}
