/**
 * The pooling ops' glue: max and average pooling, forward and backward. Each function returns false
 * where the kernels do not take the dtypes, and the backend then runs the js reference.
 */
import type { PoolParams, View } from "../backend.js";
import { numel } from "../../tensor/shape.js";
import { T } from "./codes.js";
import type { Session } from "./session.js";
import { PAR_MEMORY, PAR_POOL_AVG, PAR_POOL_AVG_BACK, PAR_POOL_MAX, POOL_SHARES } from "./thresholds.js";
import { isF32 } from "./views.js";

function poolArgs(inShape: readonly number[], outShape: readonly number[], p: PoolParams): number[] {
  return [
    inShape[0] * inShape[1], inShape[2], inShape[3], outShape[2], outShape[3], p.kernel[0], p.kernel[1],
    p.stride[0], p.stride[1], p.padding[0], p.padding[1], p.dilation[0], p.dilation[1],
  ];
}

/**
 * Runs a pooling task over `planes` planes on up to `threads` threads. The kernels pool one plane at
 * a time (plane i in share i mod n), so their results do not depend on the share count: with
 * threads the planes are cut into POOL_SHARES shares per thread, claimed one by one (pool.ts), so a
 * helper that starts late or loses its core delays the job by at most one share.
 */
function runPool(s: Session, task: number, planes: number, threads: number, args: number[]): void {
  const shares = threads > 1 ? Math.min(planes, threads * POOL_SHARES) : 1;
  s.runShares(task, shares, args, threads);
}

/**
 * runPool for the forward tasks, which also cut planes into bands of output rows (their last
 * argument): with fewer planes than shares (one large image), each plane is split into bands so the
 * job still has POOL_SHARES shares per thread. A forward output depends only on its window, so the
 * bits are the same for any cut.
 */
function runPoolRows(s: Session, task: number, planes: number, rows: number, threads: number, args: number[]): void {
  const want = threads > 1 ? threads * POOL_SHARES : 1;
  const bands = planes < want ? Math.min(rows, Math.ceil(want / planes)) : 1;
  s.runShares(task, Math.min(planes * bands, want), [...args, bands], threads);
}

/**
 * Starts the arena session of a pooling kernel over `inShape` (the pooled side) and `outShape`
 * and returns its thread count: 1 for 2×2 windows (see PAR_POOL_MAX), else by window elements
 * against `limit`. A session on one thread runs on the plain memory (begin).
 */
function poolSession(s: Session, inShape: readonly number[], outShape: readonly number[], p: PoolParams, limit: number): number {
  return s.begin(twoByTwo(inShape, outShape, p) ? 0 : numel(outShape) * p.kernel[0] * p.kernel[1], limit);
}

/** Whether the kernels take their 2×2 stride-2 unpadded path (assembly/pool.ts, is2x2). */
function twoByTwo(inShape: readonly number[], outShape: readonly number[], p: PoolParams): boolean {
  return p.kernel.every((k) => k === 2) && p.stride.every((q) => q === 2) && p.padding.every((q) => q === 0) &&
    p.dilation.every((d) => d === 1) && 2 * outShape[2] <= inShape[2] && 2 * outShape[3] <= inShape[3];
}

/**
 * Max-pool's backward of the dense gradient at byte address `pg` [planes, oH, oW] with its dense
 * int32 indices at `pi`, into a fresh [planes, H, W] arena block (its address). Always on the
 * calling thread: it only moves memory (see PAR_POOL_MAX).
 */
export function maxPoolBackwardStaged(s: Session, planes: number, H: number, W: number, oH: number, oW: number, pg: number, pi: number): number {
  const o = s.arena.alloc(planes * H * W * 4);
  maxPoolBackwardInto(s, planes, H, W, oH, oW, pg, pi, o);
  return o;
}

/** maxPoolBackwardStaged into the arena block at o. */
export function maxPoolBackwardInto(s: Session, planes: number, H: number, W: number, oH: number, oW: number, pg: number, pi: number, o: number): void {
  runPool(s, T.maxPoolBackwardTask, planes, 1, [planes, H, W, oH, oW, pg, pi, o]);
}

/**
 * The backend's maxPool2d of float32 x into out and its int32 argmax indices. Without indices (null:
 * no backward will read them) the 2×2 kernel skips them and other windows leave them in the arena.
 */
export function maxPool2d(s: Session, x: View, out: View, indices: View | null, p: PoolParams): boolean {
  if (!isF32(x, out) || (indices && !(indices.data instanceof Int32Array)) || numel(out.shape) === 0) return false;
  const nt = poolSession(s, x.shape, out.shape, p, PAR_POOL_MAX);
  const px = s.stageDense(x);
  const n = numel(out.shape);
  const o = s.arena.alloc(n * 4), oi = indices || !twoByTwo(x.shape, out.shape, p) ? s.arena.alloc(n * 4) : 0;
  runPoolRows(s, T.maxPoolTask, x.shape[0] * x.shape[1], out.shape[2], nt, [...poolArgs(x.shape, out.shape, p), px, o, oi]);
  s.unstage(o, out);
  if (indices) s.unstage(oi, indices);
  return true;
}

/**
 * The backend's maxPool2dBackward: gy routed to the argmax positions of out's shape, the whole batch
 * at once. Not in chunks of images (inChunks) as the convolutions: their output is a fresh tensor
 * (the op's), and one 3.2 MB copy into it cost 12-18% less CPU than five chunk-sized ones, though
 * chunks won by 30% into an output reused call after call (docs/backend-wasm.md, "Pooling against
 * its write floor").
 */
export function maxPool2dBackward(s: Session, gy: View, indices: View, out: View): boolean {
  if (!isF32(gy, out) || !(indices.data instanceof Int32Array) || numel(out.shape) === 0) return false;
  s.begin(0, PAR_MEMORY);
  const [C, H, W] = out.shape.slice(1), [oH, oW] = gy.shape.slice(2);
  const pg = s.stageDense(gy), pi = s.stageDense(indices);
  const o = maxPoolBackwardStaged(s, out.shape[0] * C, H, W, oH, oW, pg, pi);
  s.unstage(o, out);
  return true;
}

/**
 * An average-pooling kernel (forward or backward) from `src` into `out` in its own session: the
 * windows run over `pooled` [N,C,H,W] and produce `windows` [N,C,oH,oW] (the forward reads the
 * pooled side, the backward writes it).
 */
function avgPool(s: Session, forward: boolean, src: View, out: View, pooled: readonly number[], windows: readonly number[], p: PoolParams): boolean {
  if (!isF32(src, out) || numel(out.shape) === 0) return false;
  const nt = poolSession(s, pooled, windows, p, forward ? PAR_POOL_AVG : PAR_POOL_AVG_BACK);
  const ps = s.stageDense(src);
  const o = s.arena.alloc(numel(out.shape) * 4);
  const args = [...poolArgs(pooled, windows, p), p.countIncludePad ? 1 : 0, ps, o];
  // The backward adds overlapping windows into the pooled side: only whole planes are independent.
  if (forward) runPoolRows(s, T.avgPoolTask, pooled[0] * pooled[1], windows[2], nt, args);
  else runPool(s, T.avgPoolBackwardTask, pooled[0] * pooled[1], nt, args);
  s.unstage(o, out);
  return true;
}

/** The backend's avgPool2d of float32 x into out. */
export function avgPool2d(s: Session, x: View, out: View, p: PoolParams): boolean {
  return avgPool(s, true, x, out, x.shape, out.shape, p);
}

/** The backend's avgPool2dBackward: gy spread over each window into out's shape. */
export function avgPool2dBackward(s: Session, gy: View, out: View, p: PoolParams): boolean {
  return avgPool(s, false, gy, out, out.shape, gy.shape, p);
}
