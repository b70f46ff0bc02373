/**
 * The matrix products' glue: matmul, the fused linear layer (x·Wᵀ + b, then ReLU if asked) and its
 * whole backward in one arena session. Each function returns false where the kernels do not take the
 * dtypes, and the backend then runs the js reference.
 */
import type { View } from "../backend.js";
import { numel } from "../../tensor/shape.js";
import { BINARY, REDUCE, T, UNARY } from "./codes.js";
import type { Session } from "./session.js";
import { PAR_FLOPS } from "./thresholds.js";
import { isF32, type Staged } from "./views.js";

/**
 * The product of staged [B,M,K] and [B,K,N] operands (their strides 3-D) into a fresh contiguous
 * arena block (its address), on `nt` threads (the session's, from begin). Exported for
 * bench/mlp-parts.ts, which times the GEMM kernel alone.
 */
export function gemmStaged(s: Session, nt: number, B: number, M: number, N: number, K: number, sa: Staged, sb: Staged): number {
  const o = s.arena.alloc(B * M * N * 4);
  const scratchStride = s.gemmScratchStride;
  const scratch = s.arena.alloc(scratchStride * nt);
  s.run(T.matmulTask, nt, [
    B, M, N, K, sa.ptr, sa.strides[0], sa.strides[1], sa.strides[2],
    sb.ptr, sb.strides[0], sb.strides[1], sb.strides[2], o, scratch, scratchStride,
  ]);
  return o;
}

/** Stages a [B,M,K] and b [B,K,N] and multiplies them into a fresh contiguous block of the arena (its address). */
function gemm(s: Session, nt: number, a: View, b: View): number {
  const [B, M, K] = a.shape;
  return gemmStaged(s, nt, B, M, b.shape[2], K, s.stage(a), s.stage(b));
}

/** The backend's batched matmul of float32 a [B,M,K] and b [B,K,N]. */
export function matmul(s: Session, a: View, b: View, out: View): boolean {
  if (!isF32(a, b, out)) return false;
  const [B, M] = a.shape;
  const N = b.shape[2];
  if (B * M * N === 0) return true;
  const nt = s.begin(B * M * N * a.shape[2], PAR_FLOPS);
  s.unstage(gemm(s, nt, a, b), out);
  return true;
}

/** The backend's linear: x [M,K] · wᵀ (w [N,K]) + bias, then ReLU when `relu`, in one arena session. */
export function linear(s: Session, x: View, w: View, bias: View | null, out: View, relu: boolean): boolean {
  if (!isF32(x, w, out) || (bias && !isF32(bias))) return false;
  const [M, K] = x.shape;
  const N = w.shape[0];
  if (M * N === 0) return true;
  const nt = s.begin(M * N * K, PAR_FLOPS);
  // wᵀ is a strided view of w: the GEMM packs it from there, so no transposed copy is made.
  const o = gemm(s, nt,
    { ...x, shape: [1, M, K], strides: [0, ...x.strides] },
    { ...w, shape: [1, K, N], strides: [0, w.strides[1], w.strides[0]] },
  );
  // The bias (and the ReLU) are applied in place in the arena, before the one copy back out; they
  // only move memory, so on one thread (see PAR_MEMORY).
  const rows: Staged = { ptr: o, strides: [N, 1] };
  if (bias) {
    const sb = s.stage(bias);
    s.binaryStaged(BINARY.add!, [M, N], rows, { ptr: sb.ptr, strides: [0, sb.strides[0]] }, o, 1);
  }
  if (relu) s.unaryStaged(UNARY.relu!, [M * N], { ptr: o, strides: [1] }, o, 0, 0, 1);
  s.unstage(o, out);
  return true;
}

/**
 * The backend's linearBackward in one arena session: ReLU's mask (when `output` is given), the bias
 * gradient and both products read the masked gradient where it was computed, so it is never copied
 * out and staged back in (twice), and g, x and w are staged once.
 */
export function linearBackward(s: Session, g: View, output: View | null, x: View, w: View, gx: View | null, gw: View | null, gb: View | null): boolean {
  const outs = [gx, gw, gb].filter((v): v is View => v !== null);
  if (!isF32(g, x, w, ...outs) || (output && !isF32(output)) || outs.some((v) => numel(v.shape) === 0)) return false;
  const [M, N] = g.shape;
  const K = x.shape[1];
  const nt = s.begin(M * N * K, PAR_FLOPS);
  let gm = s.stage(g);
  if (output) {
    const so = s.stage(output);
    const p = s.arena.alloc(M * N * 4);
    // Two dims always coalesce to the kernel's 4; the mask only moves memory: one thread.
    s.binaryStaged(BINARY.reluBackward!, [M, N], so, gm, p, 1);
    gm = { ptr: p, strides: [N, 1] };
  }
  const gs = gm.strides;
  // As reduce() sums [M,N] over rows: kept N, reduced M.
  if (gb) s.unstage(s.reduceStaged(REDUCE.sum, [1, N], [0, gs[1]], [1, M], [0, gs[0]], gm.ptr), gb);
  // gw [N,K] = gmᵀ [N,M] · x [M,K]; gx [M,K] = gm [M,N] · w [N,K].
  if (gw) s.unstage(gemmStaged(s, nt, 1, N, K, M, { ptr: gm.ptr, strides: [0, gs[1], gs[0]] }, s.stage3(x)), gw);
  if (gx) s.unstage(gemmStaged(s, nt, 1, M, K, N, { ptr: gm.ptr, strides: [0, gs[0], gs[1]] }, s.stage3(w)), gx);
  return true;
}
