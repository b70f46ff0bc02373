// What the linalg tests (test/linalg-*-s13b.test.ts) share: test/fixtures/linalg-s13b.json
// (scripts/fixtures/linalg_s13b.py) read back, its tensors rebuilt, the script's output weights, an
// element-wise comparison against PyTorch's values, and a loop over the js and wasm backends.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as dt from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { getBackend, setBackend } from "../src/backend/index.js";

/** A tensor as the fixture script writes it. */
export interface Enc { shape: number[]; data: number[] }
/** An output and the gradients of sum(out * weights(out.shape)) for each input (null: none). */
export interface Graded { out: Enc; grads: (number[] | null)[] }

// Non-finite values are written as the strings Number() reads ("NaN", "-Infinity").
const nonFinite = (_: string, v: unknown): unknown => (typeof v === "string" && /^(-?Infinity|NaN)$/.test(v) ? Number(v) : v);
/** The whole fixture file; each test file states the parts it reads. */
export const LINALG_FIXTURE: unknown = JSON.parse(readFileSync(new URL("./fixtures/linalg-s13b.json", import.meta.url), "utf8"), nonFinite);

/** A fixture tensor rebuilt (float64 unless told), requiring grad when asked. */
export const make = (e: Enc, requiresGrad = false, dtype: "float64" | "float32" = "float64"): Tensor =>
  dt.tensor(e.data, { dtype }).reshape(e.shape).requiresGrad_(requiresGrad);

/** linalg_s13b.py's output weights: linspace(-1, 2) over the output's elements ([-1] for one). */
export const weights = (shape: readonly number[]): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return (n === 1 ? dt.tensor([-1], { dtype: "float64" }) : dt.linspace(-1, 2, n, { dtype: "float64" })).reshape(shape);
};

/** got within tol relative (plus tol absolute) of PyTorch's want; NaN matches NaN and infinities match exactly. */
export function close(got: ArrayLike<number>, want: readonly number[], what: string, tol = 1e-9): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const ok = Number.isNaN(want[i]) ? Number.isNaN(got[i]) : want[i] === got[i] || Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i]));
    assert.ok(ok, `${what}[${i}]: ${got[i]} vs PyTorch ${want[i]}`);
  }
}

/** A tensor against a fixture tensor (its shape too) or a flat list of values, as close(). */
export function closeTensor(got: Tensor, want: Enc | readonly number[], what: string, tol = 1e-9): void {
  if (!Array.isArray(want)) assert.deepEqual([...got.shape], (want as Enc).shape, `${what}: shape`);
  close(got.contiguous().data(), Array.isArray(want) ? want : (want as Enc).data, what, tol);
}

/** fn's output and the gradients of sum(out * weights) as the fixture's. */
export function checkGraded(what: string, ref: { out: Enc; grads?: (number[] | null)[] }, fn: (...x: Tensor[]) => Tensor, inputs: Tensor[], tol = 1e-9): void {
  const out = fn(...inputs);
  closeTensor(out, ref.out, what, tol);
  if (out.numel() === 0 || !ref.grads || !inputs.some((x) => x.requiresGrad)) return;
  out.mul(weights(out.shape)).sum().backward();
  inputs.forEach((x, i) => {
    if (ref.grads![i] === null || !x.requiresGrad) return;
    close(x.grad!.data(), ref.grads![i]!, `${what}: gradient of input ${i}`, Math.max(tol, 1e-8));
  });
}

/** Runs body on the js and the wasm backend, restoring the one before. */
export function onBothBackends(body: () => void): void {
  for (const b of ["js", "wasm"]) {
    const before = getBackend();
    setBackend(b);
    try {
      body();
    } finally {
      setBackend(before);
    }
  }
}
