/** Shared helpers of the wasm-vs-js kernel tests: seeded strided views and a tolerant comparison. */
import assert from "node:assert/strict";
import type { View } from "../src/backend/backend.js";
import type { DType, TypedArray } from "../src/tensor/dtype.js";
import { allocate } from "../src/tensor/dtype.js";
import type { Generator } from "../src/tensor/generator.js";
import { contiguousStrides, numel } from "../src/tensor/shape.js";

/** How a test view lays its elements out in storage. */
export type Layout = "contig" | "offset" | "perm" | "bcast";
export const LAYOUTS: readonly Layout[] = ["contig", "offset", "perm", "bcast"];

/** A view over a number-valued array (these tests use the float and int32/bool kernels, never int64). */
export type NumView = View & { readonly data: TypedArray };

export function view(data: TypedArray, shape: readonly number[], strides?: readonly number[], offset = 0, dtype: DType = "float32"): NumView {
  return { data, dtype, shape: [...shape], strides: [...(strides ?? contiguousStrides(shape))], offset };
}

export function zeros(shape: readonly number[], dtype: Exclude<DType, "int64"> = "float32"): NumView {
  return view(allocate(dtype, numel(shape)), shape, undefined, 0, dtype);
}

/**
 * A random view of `shape` laid out as asked: "offset" pads every dim and starts mid-buffer
 * (sliced), "perm" stores dims in reverse order (transposed strides), "bcast" gives every other
 * dim of size > 1 stride 0 (an expanded view).
 */
export function randView(g: Generator, shape: readonly number[], layout: Layout = "contig", lo = -2, hi = 2): NumView {
  const fill = (n: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * g.random();
    return a;
  };
  if (layout === "contig") return view(fill(numel(shape)), shape);
  if (layout === "offset") {
    const padded = shape.map((s) => s + 1);
    const strides = contiguousStrides(padded);
    const offset = strides.reduce((a, b) => a + b, 0);
    return view(fill(numel(padded) + offset), shape, strides, offset);
  }
  if (layout === "perm") {
    const rev = [...shape].reverse();
    const st = contiguousStrides(rev).reverse();
    return view(fill(numel(shape)), shape, st);
  }
  const strides = contiguousStrides(shape).map((s, i) => (i % 2 === 0 && shape[i] > 1 ? 0 : s));
  const span = shape.reduce((acc, s, i) => acc + (s - 1) * strides[i], 0) + 1;
  return view(fill(span), shape, strides);
}

/** The elements of a view in row-major order. */
export function values(v: View): number[] {
  const out: number[] = [];
  const n = numel(v.shape);
  const idx = new Array<number>(v.shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let at = v.offset;
    for (let d = 0; d < idx.length; d++) at += idx[d] * v.strides[d];
    out.push(Number(v.data[at]));
    for (let d = v.shape.length - 1; d >= 0; d--) {
      if (++idx[d] < v.shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** |a-b| <= atol + rtol·|b| (+ scale[i] where given, for sums whose rounding grows with length). */
export function assertClose(actual: View | ArrayLike<number>, expected: View | ArrayLike<number>, what: string, rtol = 1e-4, atol = 1e-5, scale?: ArrayLike<number>): void {
  const a = "shape" in actual ? values(actual as View) : Array.from(actual as ArrayLike<number>);
  const e = "shape" in expected ? values(expected as View) : Array.from(expected as ArrayLike<number>);
  assert.equal(a.length, e.length, `${what}: length ${a.length} vs ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = e[i];
    if (Number.isNaN(y)) {
      assert.ok(Number.isNaN(x), `${what}: [${i}] expected NaN, got ${x}`);
      continue;
    }
    if (x === y) continue;
    const tol = atol + rtol * Math.abs(y) + (scale ? scale[i] : 0);
    assert.ok(Math.abs(x - y) <= tol, `${what}: [${i}] wasm ${x} vs js ${y} (|diff| ${Math.abs(x - y)} > ${tol})`);
  }
}

export function assertBitwise(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    if (Object.is(a[i], b[i])) continue;
    assert.fail(`${what}: [${i}] ${a[i]} vs ${b[i]} differ between thread counts`);
  }
}
