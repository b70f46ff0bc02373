// Shared by the autograd-*.test.ts files: PyTorch's reference values (scripts/fixtures/autograd.py)
// and a comparison of deeptype results, however nested, against them.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Tensor, tensor } from "../src/index.js";

export interface Enc {
  shape: number[];
  data: number[];
}
export type Nested = Enc | null | Nested[];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const FIX: any = JSON.parse(readFileSync(new URL("./fixtures/autograd.json", import.meta.url), "utf8"));

/** A float64 tensor from a fixture entry. */
export function dec(e: Enc, requiresGrad = false): Tensor {
  return tensor(e.data, { dtype: "float64" }).reshape(e.shape).clone().requiresGrad_(requiresGrad);
}

/** float64 tensor from nested numbers. */
export function f64(v: number | number[] | number[][], requiresGrad = false): Tensor {
  return tensor(v, { dtype: "float64", requiresGrad });
}

/** Asserts that `got` (tensors nested in arrays) equals the fixture entry `want`, to `tol`, with the same nesting and shapes. */
export function assertClose(got: unknown, want: Nested, path = "result", tol = 1e-10): void {
  if (want === null) {
    assert.equal(got, null, `${path}: expected null`);
    return;
  }
  if (Array.isArray(want)) {
    assert.ok(Array.isArray(got), `${path}: expected an array of ${want.length}, got ${got instanceof Tensor ? "a Tensor" : typeof got}`);
    assert.equal(got.length, want.length, `${path}: length`);
    want.forEach((w, i) => assertClose(got[i], w, `${path}[${i}]`, tol));
    return;
  }
  assert.ok(got instanceof Tensor, `${path}: expected a Tensor, got ${Array.isArray(got) ? "an array" : typeof got}`);
  assert.deepEqual(got.shape, want.shape, `${path}: shape`);
  const data = Array.from(got.data() as Float64Array);
  data.forEach((v, i) => {
    const w = want.data[i];
    assert.ok(Math.abs(v - w) <= tol * (1 + Math.abs(w)), `${path}: element ${i} is ${v}, PyTorch gives ${w}`);
  });
}
