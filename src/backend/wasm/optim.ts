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

/** Starts a session and copies float32 arrays into the arena (0 for null); null when any is not float32. */
function stageArrays(s: Session, arrays: Array<TypedArray | null>): number[] | null {
  if (!arrays.every((a) => a === null || a instanceof Float32Array)) return null;
  s.begin(arrays[0]!.length, PAR_MEMORY);
  return arrays.map((a) => {
    if (!a) return 0;
    const p = s.arena.alloc(a.length * 4);
    s.arena.f32.set(a as Float32Array, p >> 2);
    return p;
  });
}

/** Copies the arena blocks at `ptrs` back into the non-null arrays. */
function unstageArrays(s: Session, arrays: Array<TypedArray | null>, ptrs: number[]): void {
  arrays.forEach((a, i) => {
    if (a) (a as Float32Array).set(s.arena.f32.subarray(ptrs[i] >> 2, (ptrs[i] >> 2) + a.length));
  });
}

/** The backend's sgdUpdate: param (and the momentum buffer) updated in place from grad. */
export function sgdUpdate(s: Session, param: TypedArray, grad: TypedArray, buf: TypedArray | null, p: SgdParams): boolean {
  const ptrs = stageArrays(s, [param, grad, buf]);
  if (!ptrs) return false;
  s.run(T.sgdTask, 1, [
    param.length, ptrs[0], ptrs[1], ptrs[2], p.lr, p.momentum, p.dampening, p.nesterov ? 1 : 0, p.weightDecay, p.firstStep ? 1 : 0,
  ]);
  unstageArrays(s, [param, null, buf], ptrs);
  return true;
}

/** The backend's adamUpdate: param and the moment buffers updated in place from grad. */
export function adamUpdate(s: Session, param: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, maxV: TypedArray | null, p: AdamParams): boolean {
  const ptrs = stageArrays(s, [param, grad, m, v, maxV]);
  if (!ptrs) return false;
  s.run(T.adamTask, 1, [
    param.length, ptrs[0], ptrs[1], ptrs[2], ptrs[3], ptrs[4],
    p.lr, p.beta1, p.beta2, p.eps, p.weightDecay, p.decoupled ? 1 : 0, p.step,
  ]);
  unstageArrays(s, [param, null, m, v, maxV], ptrs);
  return true;
}
