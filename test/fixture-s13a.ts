// What the session-13 "deptha" tests share: test/fixtures/s13a.json (scripts/fixtures/s13a.py) read
// back as tensors, an element-wise comparison that treats NaN and infinities as values, and a loop over
// the js and wasm backends at 1 and 2 threads.
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";
import { tensor, type Tensor, type DType } from "../src/index.js";

export interface FixtureTensor { shape: number[]; dtype: string; data: (number | string | boolean)[] }

export const FIX = JSON.parse(readFileSync(new URL("./fixtures/s13a.json", import.meta.url), "utf8")) as Record<string, Record<string, unknown>>;

const num = (v: number | string | boolean): number => (typeof v === "string" ? Number(v.replace("inf", "Infinity")) : Number(v));

/** A fixture tensor's values as numbers ("nan", "inf", "-inf" read back). */
export const values = (f: FixtureTensor): number[] => f.data.map(num);

/** A fixture tensor as a tensor of its own dtype (or `dtype`). */
export function fromFixture(f: FixtureTensor, dtype?: DType): Tensor {
  const d = (dtype ?? f.dtype) as DType;
  const t = d === "int64" ? tensor(f.data.map((v) => BigInt(v as number))) : tensor(values(f), { dtype: d });
  return t.reshape(f.shape);
}

/** t has f's shape and its values within `rtol` relative (and `atol`); NaN matches NaN, infinities match exactly. */
export function closeTo(t: Tensor, f: FixtureTensor, what: string, rtol = 0, atol = 0): void {
  assert.deepEqual(t.shape, f.shape, `${what}: shape`);
  const got = t.numbers(), want = values(f);
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    if (Number.isNaN(w) || !Number.isFinite(w)) assert.ok(Object.is(g, w) || (Number.isNaN(w) && Number.isNaN(g)), `${what}[${i}]: ${g}, PyTorch ${w}`);
    else assert.ok(Math.abs(g - w) <= atol + rtol * Math.abs(w), `${what}[${i}]: ${g}, PyTorch ${w} (diff ${g - w})`);
  }
}

/**
 * The output weights W of the fixtures' gradients of sum(W * output) (scripts/fixtures/fixture_io.py's
 * weights): 0.5 + ((i * 7919) % 13) / 13 in out's shape and dtype, not all equal so the outputs' order matters.
 */
export function outputWeights(out: Tensor): Tensor {
  return tensor(Array.from({ length: out.numel() }, (_, i) => 0.5 + ((i * 7919) % 13) / 13), { dtype: out.dtype }).reshape(out.shape);
}

/** The loop over the js and wasm backends at 1 and 2 threads (test/backends.ts), for the files that import it from here. */
export { onBackends } from "./backends.js";
