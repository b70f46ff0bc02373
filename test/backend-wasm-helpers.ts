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

type Arr = ArrayLike<number | bigint> & { slice(): Arr; set(a: Arr): void; readonly buffer: ArrayBufferLike; readonly byteOffset: number; readonly byteLength: number };
const isView = (v: unknown): v is View =>
  typeof v === "object" && v !== null && ArrayBuffer.isView((v as View).data) && Array.isArray((v as View).shape) && Array.isArray((v as View).strides);

/** FNV-1a over an array's bytes, 4 at a time where they divide (a lookup key; hits are compared in full). */
function hashOf(a: Arr): number {
  const words = a.byteLength % 4 === 0 && a.byteOffset % 4 === 0;
  const u = words ? new Int32Array(a.buffer, a.byteOffset, a.byteLength / 4) : new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < u.length; i++) h = Math.imul(h ^ u[i], 0x01000193);
  return h >>> 0;
}

const sameBytes = (a: Arr, b: Arr): boolean => {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
};

/**
 * `backend` (the js reference) remembering its results. test/backend-wasm.test.ts runs each check on
 * 1 and then 2 threads from the same seeds, so the second run asks the reference the same questions
 * again: the js kernels were ~20 of that file's ~37 s of CPU. A call is recognised by its method, its
 * other arguments and the exact bytes of every array its views read or write (hashed to find it,
 * then compared in full), and a repeat writes back every array as the first call left it: the same
 * values, bit for bit, as computing them again. Anything else (a wasm result fed to the reference
 * that differs by a bit) is a new call, computed.
 */
export function remembering<B extends object>(backend: B): B {
  const memo = new Map<string, { before: Arr[]; after: Arr[] }[]>();
  return new Proxy(backend, {
    get(target, key, receiver) {
      const f = Reflect.get(target, key, receiver);
      if (typeof f !== "function" || key === "constructor") return f;
      return (...args: unknown[]) => {
        // The distinct arrays the call reads or writes (an in-place call passes one twice), in argument order.
        const arrays: Arr[] = [];
        const slot = (a: Arr): number => {
          const i = arrays.indexOf(a);
          return i >= 0 ? i : arrays.push(a) - 1;
        };
        // Numbers as written (JSON would make -0 of -0 and null of NaN and ±Infinity).
        const shape = JSON.stringify(args, (_, v) =>
          isView(v) ? { view: slot(v.data as unknown as Arr), dtype: v.dtype, shape: v.shape, strides: v.strides, offset: v.offset }
          : ArrayBuffer.isView(v) ? { array: slot(v as unknown as Arr) } // the optimizers take bare arrays
          : typeof v === "number" ? `n${Object.is(v, -0) ? "-0" : v}` : typeof v === "bigint" ? `b${v}` : v === undefined ? "u" : v);
        const k = `${String(key)} ${shape} ${arrays.map((a) => `${a.constructor.name}:${a.length}:${hashOf(a)}`).join(",")}`;
        const seen = memo.get(k)?.find((e) => e.before.every((b, i) => sameBytes(b, arrays[i])));
        if (seen) {
          seen.after.forEach((a, i) => arrays[i].set(a));
          return undefined; // the reference's kernels write into their outputs and return nothing
        }
        const before = arrays.map((a) => a.slice());
        const r = f.apply(target, args);
        assert.equal(r, undefined, `remembering: ${String(key)} returned a value`);
        const list = memo.get(k) ?? [];
        list.push({ before, after: arrays.map((a) => a.slice()) });
        memo.set(k, list);
        return r;
      };
    },
  });
}
