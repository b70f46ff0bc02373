/**
 * Which views the kernels take, and the shape arithmetic shared by the glue: every kernel reads
 * strided operands of at most 4 (elementwise) or 2+2 (reduce) dims, so views are coalesced first.
 */
import type { View } from "../backend.js";

/** An operand copied into the arena (Session.stage), keeping its strides. */
export interface Staged {
  /** Byte address of element (0, ..., 0). */
  ptr: number;
  strides: number[];
}

/** Whether every view is float32 in a Float32Array (what the float kernels take). */
export function isF32(...vs: View[]): boolean {
  return vs.every((v) => v.dtype === "float32" && v.data instanceof Float32Array);
}

/** Whether the view is bool in a Uint8Array (a compare result or a where condition). */
export function isBool(v: View): boolean {
  return v.dtype === "bool" && v.data instanceof Uint8Array;
}

/** Whether the view's storage array is the one its dtype names (so the arena can hold it). */
export function isStorage(v: View): boolean {
  return v.dtype === "bool" ? v.data instanceof Uint8Array : v.dtype === "int32" ? v.data instanceof Int32Array : v.dtype === "float32" && v.data instanceof Float32Array;
}

/**
 * Merges adjacent dims that every operand walks contiguously and drops size-1 dims, so typical
 * views become 1-3 dims; returns null if more than `maxRank` dims remain.
 */
export function coalesce(shape: readonly number[], strides: ReadonlyArray<readonly number[]>, maxRank: number): { shape: number[]; strides: number[][] } | null {
  const sh: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = sh.length - 1;
    if (last >= 0 && strides.every((s, k) => st[k][last] === s[d] * shape[d])) {
      sh[last] *= shape[d];
      strides.forEach((s, k) => (st[k][last] = s[d]));
    } else {
      sh.push(shape[d]);
      strides.forEach((s, k) => st[k].push(s[d]));
    }
  }
  if (sh.length > maxRank) return null;
  while (sh.length < maxRank) {
    sh.unshift(1);
    st.forEach((s) => s.unshift(0));
  }
  return { shape: sh, strides: st };
}
