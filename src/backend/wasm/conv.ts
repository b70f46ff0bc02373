/**
 * The convolutions' glue: conv2d, its input and weight gradients, and the fused conv + bias + ReLU
 * (+ 2×2 max-pool) forward and its whole backward in one arena session. Each function returns false
 * where the kernels do not take the op, and the backend then runs the js reference (or the js
 * composition of the fused op).
 */
import type { ConvParams, PoolParams, View } from "../backend.js";
import { numel } from "../../tensor/shape.js";
import { inChunks, inStream, perImageBatches } from "./chunks.js";
import { BINARY, EPI_RELU, EPI_RELU_POOL, GRAD_FIRST, GRAD_LAST, REDUCE, T } from "./codes.js";
import { maxPoolBackwardInto, maxPoolBackwardStaged } from "./pooling.js";
import type { Session } from "./session.js";
import { MAX_THREADS } from "./pool.js";
import { PAR_CONV } from "./thresholds.js";
import { isF32 } from "./views.js";

/** Multiply-adds of a convolution of x [N,C,H,W] by w [O,C/groups,kH,kW] into y [N,O,oH,oW]. */
function convFlops(xShape: readonly number[], wShape: readonly number[], yShape: readonly number[]): number {
  return xShape[0] * wShape[0] * wShape[1] * wShape[2] * wShape[3] * yShape[2] * yShape[3];
}

/**
 * Starts the arena session of a convolution of x [N,C,H,W] by w into y and returns the common
 * argument list of the conv tasks, the thread count decided by begin (fewer (image, group) pairs
 * than threads are cut into bands inside the kernels) and the per-thread scratch stride.
 */
function convSession(s: Session, xShape: readonly number[], wShape: readonly number[], yShape: readonly number[], p: ConvParams) {
  const nt = s.begin(convFlops(xShape, wShape, yShape), PAR_CONV);
  const [N, C, H, W] = xShape;
  const [O, cg, kH, kW] = wShape;
  const [oH, oW] = [yShape[2], yShape[3]];
  const dimsArgs = [N, C, H, W, O, kH, kW, oH, oW, p.stride[0], p.stride[1], p.padding[0], p.padding[1], p.dilation[0], p.dilation[1], p.groups];
  const bytes = s.k.exports.convScratchBytes(C, H, W, O, kH, kW, oH, oW, ...dimsArgs.slice(9));
  return { nt, dimsArgs, O, og: O / p.groups, Kc: cg * kH * kW, stride: Math.ceil(bytes / 64) * 64 };
}
type ConvSession = ReturnType<typeof convSession>;

let lastPackId = 0;
/**
 * A fresh id for the weights that conv2dTask or conv2dBackwardInputTask packs during one chunked
 * call: each thread packs them into its own scratch on its first share of the call, in whichever
 * chunk, and its later shares find this id there and reuse them (assembly/conv.ts, packedFor).
 */
function packId(): number {
  return (lastPackId = (lastPackId % 0x7fffffff) + 1);
}

/**
 * Shares of a chunk of k images for conv2dTask and conv2dBackwardInputTask, which keep their
 * scratch per thread, so shares may outnumber threads: one image each on 2+ threads, so that the
 * threads finish a chunk together while the calling thread also copies (inChunks' overlap). (Two
 * bands per image balanced the flipped-kernel input gradient better, but the F(4×4) adjoint's bands
 * recompute a tile row each: 3.2 vs 3.5 ms on 2 threads for one band, docs/backend-wasm.md, session 12.)
 */
function chunkShares(c: ConvSession, k: number): number {
  return c.nt > 1 ? Math.min(k, MAX_THREADS) : 1;
}

/**
 * True when any operand is empty. The kernels assume non-empty operands (zero input channels divided
 * by zero in the scratch sizing); the js reference gives the sums over nothing (0, plus the bias).
 */
function anyEmpty(...views: View[]): boolean {
  return views.some((v) => numel(v.shape) === 0);
}

/** The backend's conv2d of float32 x by w (+ bias) into out. */
export function conv2d(s: Session, x: View, w: View, bias: View | null, out: View, p: ConvParams): boolean {
  if (!isF32(x, w, out) || (bias && !isF32(bias)) || anyEmpty(x, w, out)) return false;
  const c = convSession(s, x.shape, w.shape, out.shape, p);
  const pw = s.stageDense(w), pb = bias ? s.stageDense(bias) : 0;
  const scratch = s.arena.alloc(c.stride * c.nt);
  // Chunks: every thread gets images in the first, so every thread's scratch holds the packed w after it.
  const id = packId();
  const chunked = p.groups === 1 && perImageBatches(s, x.shape[0], c.nt, [x], [out], T.conv2dTask, (k) => chunkShares(c, k),
    (k, [px], [o]) => [k, ...c.dimsArgs.slice(1), px, pw, pb, o, scratch, c.stride, 0, 0, id]);
  if (chunked) return true;
  const px = s.stageDense(x), o = s.arena.alloc(numel(out.shape) * 4);
  s.run(T.conv2dTask, c.nt, [...c.dimsArgs, px, pw, pb, o, scratch, c.stride, 0, 0, 0]);
  s.unstage(o, out);
  return true;
}

/** conv2dBackwardInput of the dense gy at byte address pg into a fresh arena block of x's size (its address). */
function inputGradStaged(s: Session, c: ConvSession, pg: number, w: View, xShape: readonly number[]): number {
  const pw = s.stageDense(w);
  const o = s.arena.alloc(numel(xShape) * 4);
  const scratch = s.arena.alloc(c.stride * c.nt);
  s.run(T.conv2dBackwardInputTask, c.nt, [...c.dimsArgs, pg, pw, o, scratch, c.stride, 0]);
  return o;
}

/** The backend's conv2dBackwardInput: the gradient of x (out's shape) from gy and w. */
export function conv2dBackwardInput(s: Session, gy: View, w: View, out: View, p: ConvParams): boolean {
  if (!isF32(gy, w, out) || anyEmpty(gy, w, out)) return false;
  const c = convSession(s, out.shape, w.shape, gy.shape, p);
  const pw = s.stageDense(w), scratch = s.arena.alloc(c.stride * c.nt);
  const id = packId();
  const chunked = p.groups === 1 && perImageBatches(s, gy.shape[0], c.nt, [gy], [out], T.conv2dBackwardInputTask, (k) => chunkShares(c, k),
    (k, [pg], [o]) => [k, ...c.dimsArgs.slice(1), pg, pw, o, scratch, c.stride, id]);
  if (!chunked) s.unstage(inputGradStaged(s, c, s.stageDense(gy), w, out.shape), out);
  return true;
}

/**
 * conv2dBackwardWeight from x and the dense gy at byte address pg into a fresh arena block of w's
 * size (its address): each thread sums its images into its own partial, then one pass adds them.
 */
function weightGradStaged(s: Session, c: ConvSession, x: View, pg: number, groups: number, blocks = weightGradBlocks(s, c)): number {
  const px = s.stageDense(x);
  const { partials, scratch } = blocks;
  s.run(T.conv2dBackwardWeightTask, c.nt, [...c.dimsArgs, px, pg, partials, scratch, c.stride, GRAD_FIRST | GRAD_LAST]);
  return sumPartials(s, c, partials, groups);
}

/** The arena blocks of conv2dBackwardWeightTask: one partial gWᵀ per thread and the threads' scratch. */
function weightGradBlocks(s: Session, c: ConvSession): { partials: number; scratch: number } {
  return { partials: s.arena.alloc(c.O * c.Kc * 4 * c.nt), scratch: s.arena.alloc(c.stride * c.nt) };
}

/** conv2dBackwardWeightTask's phase for the chunk of k images from n0 of N: the first zeroes the sums, the last finishes them. */
function gradPhase(n0: number, k: number, N: number): number {
  return (n0 === 0 ? GRAD_FIRST : 0) | (n0 + k >= N ? GRAD_LAST : 0);
}

/** The threads' partials added into a fresh arena block of w's size (its address). */
function sumPartials(s: Session, c: ConvSession, partials: number, groups: number): number {
  const result = s.arena.alloc(c.O * c.Kc * 4);
  // Adding the partials only moves memory: one thread (see PAR_MEMORY).
  s.run(T.sumPartialsTask, 1, [groups, c.og, c.Kc, c.nt, partials, result]);
  return result;
}

/**
 * The backend's conv2dBackwardWeight: the gradient of w (out's shape) from x and gy. A large batch
 * runs in chunks of images (inChunks), each chunk's tiles adding into the same sums.
 */
export function conv2dBackwardWeight(s: Session, x: View, gy: View, out: View, p: ConvParams): boolean {
  if (!isF32(x, gy, out) || anyEmpty(x, gy, out)) return false;
  const c = convSession(s, x.shape, out.shape, gy.shape, p);
  const blocks = weightGradBlocks(s, c), N = x.shape[0];
  const chunked = p.groups === 1 && (
    inStream(s, N, c.nt, [x, gy], [], T.conv2dBackwardWeightLaneTask, (_ring, [px, pg]) => [...c.dimsArgs, px, pg, blocks.partials, blocks.scratch, c.stride, c.nt], c.nt) ||
    inChunks(s, N, c.nt, [x, gy], [], 0, (k, n0, [px, pg]) =>
      s.run(T.conv2dBackwardWeightTask, c.nt, [k, ...c.dimsArgs.slice(1), px, pg, blocks.partials, blocks.scratch, c.stride, gradPhase(n0, k, N)])));
  s.unstage(chunked ? sumPartials(s, c, blocks.partials, p.groups) : weightGradStaged(s, c, x, s.stageDense(gy), p.groups, blocks), out);
  return true;
}

/**
 * The backend's conv2dReluPoolBackward: ReLU's mask, the bias gradient, the routing to the conv's
 * shape and both conv gradients in one arena session: the masked and the conv-sized gradients never
 * become tensors that are copied out and staged back in (three times for the conv-sized one).
 */
export function conv2dReluPoolBackward(
  s: Session, g: View, output: View, indices: View | null, x: View, w: View, gx: View | null, gw: View | null, gb: View | null,
  p: ConvParams, convShape: readonly number[],
): boolean {
  const ok = isF32(g, output, x, w) && [gx, gw, gb].every((v) => !v || (isF32(v) && numel(v.shape) > 0)) &&
    (!indices || indices.data instanceof Int32Array) && numel(convShape) > 0 && !anyEmpty(x, w);
  if (!ok) return false;
  const c = convSession(s, x.shape, w.shape, convShape, p);
  const n = numel(output.shape);
  const py = s.stageDense(output), pg = s.stageDense(g);
  let gm = s.arena.alloc(n * 4);
  // Dense operands: one dim, which always coalesces; the mask only moves memory: one thread.
  s.binaryStaged(BINARY.reluBackward!, [n], { ptr: py, strides: [1] }, { ptr: pg, strides: [1] }, gm, 1);
  if (gb) {
    // Summed as reduce() sums [N,O,P] over N and P: kept O (stride P), reduced N (stride O·P) and P (stride 1).
    const [N, O] = output.shape, P = n / (N * O);
    s.unstage(s.reduceStaged(REDUCE.sum, [1, O], [0, P], [N, P], [O * P, 1], gm), gb);
  }
  if (indices) {
    const pi = s.stageDense(indices);
    if (p.groups === 1 && routedInChunks(s, c, gm, pi, x, w, gx, gw, p, convShape, output.shape)) return true;
    gm = maxPoolBackwardStaged(s, convShape[0] * convShape[1], convShape[2], convShape[3], output.shape[2], output.shape[3], gm, pi);
  }
  // gw and gx have w's and x's shapes, so the session's conv arguments serve both gradients.
  if (gw) s.unstage(weightGradStaged(s, c, x, gm, p.groups), gw);
  if (gx) s.unstage(inputGradStaged(s, c, gm, w, gx.shape), gx);
  return true;
}

/**
 * The rest of conv2dReluPoolBackward after ReLU's mask (gm, pooled-sized in the arena, its indices
 * at pi) in chunks of images (inChunks), when the batch is large and there is a gradient to compute:
 * each chunk's routing to the conv's shape writes one arena block that both conv gradients then read
 * while it is in cache (whole, the [64,32,28,28] routed gradient, 6.4 MB, went through memory three
 * times). The weight gradient's chunks add into one sum (gradPhase), so the bits are those of the
 * kernels run whole. false (nothing done) where inChunks declines.
 */
function routedInChunks(
  s: Session, c: ConvSession, gm: number, pi: number, x: View, w: View, gx: View | null, gw: View | null, p: ConvParams,
  convShape: readonly number[], pooled: readonly number[],
): boolean {
  if (!gx && !gw) return false;
  const [N, O, H, W] = convShape, at = O * pooled[2] * pooled[3] * 4;
  const pw = gx ? s.stageDense(w) : 0;
  // The two gradients' scratch apart: the weight gradient's sums stay in its own between chunks.
  const sx = gx ? s.arena.alloc(c.stride * c.nt) : 0;
  const { partials, scratch } = gw ? weightGradBlocks(s, c) : { partials: 0, scratch: 0 };
  const id = packId();
  const chunked = inChunks(s, N, c.nt, gw ? [x] : [], gx ? [gx] : [], O * H * W, (k, n0, [px], [o], routed) => {
    maxPoolBackwardInto(s, k * O, H, W, pooled[2], pooled[3], gm + n0 * at, pi + n0 * at, routed);
    const dims = [k, ...c.dimsArgs.slice(1)];
    if (gw) s.run(T.conv2dBackwardWeightTask, c.nt, [...dims, px, routed, partials, scratch, c.stride, gradPhase(n0, k, N)]);
    if (gx) s.run(T.conv2dBackwardInputTask, c.nt, [...dims, routed, pw, o, sx, c.stride, id]);
  });
  if (chunked && gw) s.unstage(sumPartials(s, c, partials, p.groups), gw);
  return chunked;
}

/**
 * The backend's conv2dReluPool in one kernel when conv2dTask can fuse it (stride 1, not 1×1,
 * float32; pool absent or 2×2 stride 2 unpadded, floor mode): ReLU and the pool run in the conv's
 * epilogue on its output tile, so the full-size conv output never leaves the arena. false otherwise:
 * the backend then runs the three kernels in turn.
 */
export function conv2dReluPool(
  s: Session, x: View, w: View, bias: View | null, out: View, indices: View | null, p: ConvParams, pool: PoolParams | null, convShape: readonly number[],
): boolean {
  const [kH, kW] = [w.shape[2], w.shape[3]];
  const [oH, oW] = [convShape[2], convShape[3]];
  const pool2 = pool !== null && pool.kernel.every((k) => k === 2) && pool.stride.every((q) => q === 2) && pool.padding.every((q) => q === 0) &&
    pool.dilation.every((d) => d === 1) && out.shape[2] === oH >> 1 && out.shape[3] === oW >> 1 && (indices === null || indices.data instanceof Int32Array);
  const fusable = isF32(x, w, out) && (!bias || isF32(bias)) && !anyEmpty(x, w, out) && (pool === null || pool2) &&
    s.k.exports.convFusable(kH, kW, p.stride[0], p.stride[1], p.padding[0], p.padding[1]) === 1;
  if (!fusable) return false;
  const c = convSession(s, x.shape, w.shape, convShape, p);
  const pw = s.stageDense(w), pb = bias ? s.stageDense(bias) : 0;
  const n = numel(out.shape), epi = pool ? EPI_RELU_POOL : EPI_RELU;
  const scratch = s.arena.alloc(c.stride * c.nt);
  // Without indices (inference) the kernel's stay in the arena (a chunk's worth of this block when chunked).
  const keep = pool && !indices ? s.arena.alloc(n * 4) : 0;
  const outs = pool && indices ? [out, indices] : [out];
  const id = packId();
  const chunked = p.groups === 1 && perImageBatches(s, x.shape[0], c.nt, [x], outs, T.conv2dTask, (k) => chunkShares(c, k),
    (k, [px], [o, oi]) => [k, ...c.dimsArgs.slice(1), px, pw, pb, o, scratch, c.stride, epi, oi ?? keep, id]);
  if (chunked) return true;
  const px = s.stageDense(x);
  const o = s.arena.alloc(n * 4), oi = pool && indices ? s.arena.alloc(n * 4) : keep;
  s.run(T.conv2dTask, c.nt, [...c.dimsArgs, px, pw, pb, o, scratch, c.stride, epi, oi, 0]);
  s.unstage(o, out);
  if (pool && indices) s.unstage(oi, indices);
  return true;
}

