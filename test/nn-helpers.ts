// Shared by the nn tests: loading the PyTorch fixtures and comparing tensors with a tolerance.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { tensor, type Tensor, type DType } from "../src/index.js";

export interface FixTensor {
  shape: number[];
  dtype?: "int32";
  data: number[];
}

let cache: unknown = null;
/** test/fixtures/nn.json, written by scripts/fixtures/nn.py. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fixtures(): any {
  cache ??= JSON.parse(readFileSync(new URL("./fixtures/nn.json", import.meta.url), "utf8"));
  return cache;
}

export function fromFix(f: FixTensor, dtype: DType = "float32"): Tensor {
  if (f.dtype === "int32") return tensor(Int32Array.from(f.data)).reshape(f.shape);
  return tensor(Float64Array.from(f.data), { dtype }).reshape(f.shape);
}

export function stateFromFix(sd: Record<string, FixTensor>, dtype: DType = "float32"): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, fromFix(v, dtype)]));
}

/** Elementwise |a − e| <= atol + rtol·|e|, with the first failing element in the message. */
export function assertClose(actual: Tensor, expected: FixTensor | Tensor | number[], label: string, rtol = 1e-4, atol = 1e-5): void {
  const exp = Array.isArray(expected) ? { shape: [expected.length], data: expected } : "storage" in expected ? { shape: [...expected.shape], data: [...expected.data()] } : expected;
  assert.deepEqual([...actual.shape], exp.shape, `${label}: shape`);
  const a = actual.data();
  for (let i = 0; i < a.length; i++) {
    const e = exp.data[i];
    if (!(Math.abs(a[i] - e) <= atol + rtol * Math.abs(e))) assert.fail(`${label}: element ${i} is ${a[i]}, expected ${e}`);
  }
}
