// What the session-11 mutation tests share: float64 tensors from nested lists, and element-wise
// comparisons with PyTorch's printed values that name the first element off (absolute or relative).
import assert from "node:assert/strict";
import { tensor, type Tensor } from "../src/index.js";

/** A float64 tensor of nested numbers. */
export const f64 = (v: unknown): Tensor => tensor(v as number[], { dtype: "float64" });

/** t's elements equal `want` within `tol` each (and there are as many). */
export function close(t: Tensor, want: number[], tol = 1e-12): void {
  const got = t.numbers();
  assert.equal(got.length, want.length, `got ${got}`);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol, `[${i}]: got ${got[i]}, want ${want[i]} (all ${got})`);
}

/** got's elements equal `want` within an absolute `tol` each (and there are as many). */
export function closeArray(got: ArrayLike<number>, want: number[], tol = 1e-12): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol, `[${i}]: ${got[i]} vs ${want[i]}`);
}

/** got's elements equal PyTorch's `want` within `tol` relative to 1 + |want| each; `what` names the result. */
export function closeRelative(got: ArrayLike<number>, want: number[], what: string, tol = 1e-12): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])), `${what}[${i}]: ${got[i]} vs PyTorch ${want[i]}`);
  }
}
