// What the session-11 src/nn mutation tests share: float64 tensors from nested lists, and an
// element-wise comparison with PyTorch's printed values that names the first element off.
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
