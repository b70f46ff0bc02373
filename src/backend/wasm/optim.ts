/**
 * The optimizers' glue: SGD and Adam updates of float32 parameters in place, one arena session
 * each. They only move memory (a few flops per element), so they run on the calling thread (see
 * PAR_MEMORY). Each function returns false where an array is not float32, and the backend then runs
 * the js reference.
 */
import type { AdamParams, SgdParams } from "../backend.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { T } from "./codes.js";
import type { Session } from "./session.js";
import { PAR_MEMORY } from "./thresholds.js";

/**
 * Elements per arena round trip. An update reads and writes each element once, so staging whole
 * arrays (the MNIST MLP's first weight and its gradient: 800 KB each) had the kernel read copies
 * that had already left the core's caches, and copy its results out from there; a chunk's copies
 * are still in cache when the kernel reads them and when they go back out. 8 Ki floats (32 KB an
 * array): 2-8 Ki measured alike, 32 Ki slower, whole arrays slowest (docs/backend-wasm.md, session 12).
 */
const UPDATE_CHUNK = 8192;

/**
 * Runs an element-wise in-place update over float32 arrays chunk by chunk on the calling thread:
 * each chunk of the non-null arrays is copied into the arena, `run(n, ptrs)` updates it there
 * (`ptrs` 0 for a null array), and the arrays marked in `writes` get their chunk back. False
 * (nothing done) when an array is not float32.
 */
function chunked(s: Session, arrays: Array<TypedArray | null>, writes: boolean[], run: (n: number, ptrs: number[]) => void): boolean {
  if (!arrays.every((a) => a === null || a instanceof Float32Array)) return false;
  const n = arrays[0]!.length;
  s.begin(n, PAR_MEMORY);
  const C = Math.max(1, Math.min(n, UPDATE_CHUNK));
  const ptrs = arrays.map((a) => (a ? s.arena.alloc(C * 4) : 0));
  // Fetched after the allocations, which may grow the memory.
  const f32 = s.arena.f32;
  for (let lo = 0; lo < n; lo += C) {
    const len = Math.min(C, n - lo);
    arrays.forEach((a, i) => {
      if (a) f32.set((a as Float32Array).subarray(lo, lo + len), ptrs[i] >> 2);
    });
    run(len, ptrs);
    arrays.forEach((a, i) => {
      if (a && writes[i]) (a as Float32Array).set(f32.subarray(ptrs[i] >> 2, (ptrs[i] >> 2) + len), lo);
    });
  }
  return true;
}

/** The backend's sgdUpdate: param (and the momentum buffer) updated in place from grad. */
export function sgdUpdate(s: Session, param: TypedArray, grad: TypedArray, buf: TypedArray | null, p: SgdParams): boolean {
  const args = [p.lr, p.momentum, p.dampening, p.nesterov ? 1 : 0, p.weightDecay, p.firstStep ? 1 : 0];
  return chunked(s, [param, grad, buf], [true, false, true], (n, [pp, pg, pb]) => s.run(T.sgdTask, 1, [n, pp, pg, pb, ...args]));
}

/** The backend's adamUpdate: param and the moment buffers updated in place from grad. */
export function adamUpdate(s: Session, param: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, maxV: TypedArray | null, p: AdamParams): boolean {
  const args = [p.lr, p.beta1, p.beta2, p.eps, p.weightDecay, p.decoupled ? 1 : 0, p.step];
  return chunked(s, [param, grad, m, v, maxV], [true, false, true, true, true], (n, [pp, pg, pm, pv, px]) => s.run(T.adamTask, 1, [n, pp, pg, pm, pv, px, ...args]));
}
