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
/** Where the gradient is among an update's arrays (param, grad, then the state buffers). */
const GRAD = 1;

/**
 * Runs kernel task `task` as an element-wise in-place update over float32 arrays, chunk by chunk on
 * the calling thread: each chunk of the non-null arrays is copied into the arena, the task runs on
 * it with arguments [chunk length, the arrays' arena addresses (0 for null), ...params], and every
 * array but the gradient (the second, which updates only read) gets its chunk back. False (nothing
 * done) when an array is not float32.
 * Written as plain loops over one reused argument list: the update runs per parameter per step.
 */
function chunked(s: Session, task: number, arrays: Array<TypedArray | null>, params: readonly number[]): boolean {
  const k = arrays.length;
  for (let i = 0; i < k; i++) if (arrays[i] !== null && !(arrays[i] instanceof Float32Array)) return false;
  const n = arrays[0]!.length;
  s.begin(n, PAR_MEMORY);
  const C = Math.max(1, Math.min(n, UPDATE_CHUNK));
  const args = [0];
  for (let i = 0; i < k; i++) args.push(arrays[i] ? s.arena.alloc(C * 4) : 0);
  args.push(...params);
  // Fetched after the allocations, which may grow the memory.
  const f32 = s.arena.f32;
  for (let lo = 0; lo < n; lo += C) {
    const len = Math.min(C, n - lo);
    for (let i = 0; i < k; i++) {
      const a = arrays[i] as Float32Array | null;
      if (a) f32.set(a.subarray(lo, lo + len), args[1 + i] >> 2);
    }
    args[0] = len;
    s.run(task, 1, args);
    for (let i = 0; i < k; i++) {
      const a = arrays[i] as Float32Array | null;
      if (a && i !== GRAD) a.set(f32.subarray(args[1 + i] >> 2, (args[1 + i] >> 2) + len), lo);
    }
  }
  return true;
}

/** The backend's sgdUpdate: param (and the momentum buffer) updated in place from grad. */
export function sgdUpdate(s: Session, param: TypedArray, grad: TypedArray, buf: TypedArray | null, p: SgdParams): boolean {
  return chunked(s, T.sgdTask, [param, grad, buf], [p.lr, p.momentum, p.dampening, p.nesterov ? 1 : 0, p.weightDecay, p.firstStep ? 1 : 0]);
}

/** The backend's adamUpdate: param and the moment buffers updated in place from grad. */
export function adamUpdate(s: Session, param: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, maxV: TypedArray | null, p: AdamParams): boolean {
  return chunked(s, T.adamTask, [param, grad, m, v, maxV], [p.lr, p.beta1, p.beta2, p.eps, p.weightDecay, p.decoupled ? 1 : 0, p.step]);
}
