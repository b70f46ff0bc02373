// Shared helpers of the nn-seq-*.test.ts suites: reading PyTorch fixtures and comparing tensors.
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";
import { tensor, type Tensor } from "../src/index.js";

export interface FixTensor {
  shape: number[];
  data: (number | boolean | string)[];
  dtype?: "bool";
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Case = Record<string, any> & { keys: string[]; state: Record<string, FixTensor> };

let cache: Record<string, Case> | null = null;

/** One case of test/fixtures/seq.json (written by scripts/fixtures/seq.py). */
export function fixture(name: string): Case {
  cache ??= (JSON.parse(readFileSync(new URL("./fixtures/seq.json", import.meta.url), "utf8")) as { cases: Record<string, Case> }).cases;
  const c = cache[name];
  if (!c) throw new Error(`no fixture case "${name}"; regenerate with /usr/bin/python3 scripts/fixtures/seq.py`);
  return c;
}

/** A fixture tensor: float64 (or bool). */
export function T(f: FixTensor): Tensor {
  if (f.dtype === "bool") return tensor(f.data as boolean[], { dtype: "bool" }).reshape(f.shape);
  const num = (v: number | boolean | string): number => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number));
  return tensor(Float64Array.from(f.data as (number | string)[], num), { dtype: "float64" }).reshape(f.shape);
}

/** The fixture's state dict as tensors. */
export function stateOf(c: Case): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, T(v)]));
}

/**
 * The |got − want| used by assertClose: 0 where both are the same value (equal infinities, or NaN
 * where NaN is wanted), NaN where exactly one side is NaN or the infinities differ, so that such a
 * mismatch can never be hidden as a small difference.
 */
export function elementDiff(got: number, want: number): number {
  if (got === want || (Number.isNaN(got) && Number.isNaN(want))) return 0;
  return Math.abs(got - want);
}

/** Asserts same shape and every element within tol; a NaN where a number is wanted (or the reverse) fails. */
export function assertClose(got: Tensor, want: Tensor | FixTensor, tol = 1e-9, what = "tensor"): void {
  const w = "shape" in want && !(want as Tensor).storage ? T(want as FixTensor) : (want as Tensor);
  assert.deepEqual([...got.shape], [...w.shape], `${what}: shape`);
  const a = got.data(), b = w.data();
  let worst = 0, at = -1;
  for (let i = 0; i < a.length; i++) {
    const d = elementDiff(a[i], b[i]);
    // A NaN difference is the worst possible and stays the worst: stop at the first one.
    if (Number.isNaN(d)) {
      [worst, at] = [d, i];
      break;
    }
    if (d > worst) [worst, at] = [d, i];
  }
  assert.ok(worst <= tol, `${what}: element ${at} differs by ${worst} (got ${a[at]}, want ${b[at]}; tol ${tol})`);
}
