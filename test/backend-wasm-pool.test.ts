/**
 * The wasm pooling kernels against the js reference, on 1 and 2 threads: a batch of 40 images
 * (~1.2 MiB of input), forward and backward, max and average, each image the bits of a call on it
 * alone and a transposed input the bits of a dense one; and the 2×2 max-pool's one loop with and
 * without positions on the shapes its SIMD step and scalar tail meet (oW of 1, 3, 7 and 17, batch 1,
 * one channel, sliced inputs, NaN and -inf).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PoolParams, View } from "../src/backend/backend.js";
import { JsBackend } from "../src/backend/js/index.js";
import { createWasmBackend, setNumThreads } from "../src/backend/wasm/index.js";
import { Generator } from "../src/tensor/generator.js";
import { contiguousStrides } from "../src/tensor/shape.js";
import { assertBitwise, assertClose, randView, values, view, zeros, type NumView } from "./backend-wasm-helpers.js";
import { poolP as P } from "./backend-wasm-cases.js";

const wasmOrNull = createWasmBackend();
assert.ok(wasmOrNull, "WebAssembly SIMD must be available on Node >= 20");
const wasm = wasmOrNull;
const js = new JsBackend();
const THREADS = [1, 2];

const outShape = (x: readonly number[], p: PoolParams): number[] => [
  x[0], x[1],
  ...[0, 1].map((d) => Math.floor((x[2 + d] + 2 * p.padding[d] - p.dilation[d] * (p.kernel[d] - 1) - 1) / p.stride[d]) + 1),
];
/** Values as strings, so -0 and NaN compare as themselves. */
const bits = (v: View): string[] => values(v).map((x) => (Object.is(x, -0) ? "-0" : String(x)));
/** Image i of a dense [N,...] float32 or int32 view, as a [1,...] view of the same buffer. */
const image = (v: NumView, i: number): NumView => {
  const per = v.shape.slice(1).reduce((a, b) => a * b, 1);
  return view(v.data, [1, ...v.shape.slice(1)], undefined, v.offset + i * per, v.dtype === "int32" ? "int32" : "float32");
};
const imageData = (v: NumView, i: number): ArrayLike<number> => {
  const per = v.shape.slice(1).reduce((a, b) => a * b, 1);
  return (v.data as Float32Array).subarray(i * per, (i + 1) * per);
};

describe("wasm backend: pooling a large batch", () => {
  // [40,8,28,28]: ~1.2 MiB of input, more than the cache-sized chunks the convolutions run in.
  const g = new Generator(51);
  const pick = [NaN, -Infinity, -0, 0, 1, 2, 2];
  const shape = [40, 8, 28, 28];
  const x = randView(g, shape);
  // Ties, NaN and -inf sprinkled in.
  for (let i = 0; i < x.data.length; i += 97) x.data[i] = pick[i % pick.length];
  // The same values through a transposed view (staged by a gather, not one copy).
  const permData = new Float32Array(x.data.length);
  const perm = view(permData, shape, contiguousStrides([...shape].reverse()).reverse());
  values(x).forEach((v, i) => {
    let r = i, at = 0;
    for (let d = 3; d >= 0; d--) { at += (r % shape[d]) * perm.strides[d]; r = Math.floor(r / shape[d]); }
    permData[at] = v;
  });
  const params: Array<[string, PoolParams]> = [
    ["2x2", P([2, 2], [2, 2], [0, 0], [1, 1], true)],
    ["3x3 s2 p1", P([3, 3], [2, 2], [1, 1], [1, 1], false)],
  ];

  for (const [name, p] of params) {
    const y = outShape(shape, p);
    const want = zeros(y), wantIdx = zeros(y, "int32");
    js.maxPool2d(x, want, wantIdx, p);
    const gy = randView(g, y);
    const wantGx = zeros(shape), wantAvg = zeros(y), wantAvgGx = zeros(shape);
    js.maxPool2dBackward(gy, wantIdx, wantGx);
    js.avgPool2d(x, wantAvg, p);
    js.avgPool2dBackward(gy, wantAvgGx, p);

    for (const nt of THREADS) {
      it(`max ${name}, ${nt} thread(s): values, positions and gradient equal the reference, a transposed input the same bits`, () => {
        setNumThreads(nt);
        const a = zeros(y), ia = zeros(y, "int32"), b = zeros(y);
        wasm.maxPool2d(x, a, ia, p);
        assert.deepEqual(bits(a), bits(want), `maxPool2d ${name}`);
        assert.deepEqual(Array.from(ia.data), Array.from(wantIdx.data), `maxPool2d ${name} positions`);
        // Without positions (the 2×2 kernel finds none; other windows keep them in a scratch block).
        (b.data as Float32Array).fill(42);
        wasm.maxPool2d(x, b, null, p);
        assert.deepEqual(bits(b), bits(want), `maxPool2d ${name} without positions`);
        const w = zeros(y), iw = zeros(y, "int32");
        wasm.maxPool2d(perm, w, iw, p);
        assertBitwise(w.data, a.data, `maxPool2d ${name}, transposed input`);
        assert.deepEqual(Array.from(iw.data), Array.from(ia.data));
        const gx = zeros(shape);
        wasm.maxPool2dBackward(gy, ia, gx);
        // Overlapping windows can share a maximum: the reference adds those in float64.
        const tol = name === "2x2" ? 0 : 1e-6;
        assertClose(gx, wantGx, `maxPool2dBackward ${name}`, tol, tol);
      });

      it(`avg ${name}, ${nt} thread(s): forward and backward equal the reference, each image the bits of a call on it alone`, () => {
        setNumThreads(nt);
        const a = zeros(y), gx = zeros(shape);
        wasm.avgPool2d(x, a, p);
        wasm.avgPool2dBackward(gy, gx, p);
        assertClose(a, wantAvg, `avgPool2d ${name}`);
        // 2×2 windows do not overlap (gy/4 stored, exact); overlapping ones add in another order than the reference.
        const tol = name === "2x2" ? 0 : 1e-6;
        assertClose(gx, wantAvgGx, `avgPool2dBackward ${name}`, tol, tol);
        const w = zeros(y);
        wasm.avgPool2d(perm, w, p);
        assertBitwise(w.data, a.data, `avgPool2d ${name}, transposed input`);
        for (const i of [0, 26, 27, 39]) {
          const one = zeros([1, ...y.slice(1)]), oneGx = zeros([1, ...shape.slice(1)]);
          wasm.avgPool2d(image(x, i), one, p);
          wasm.avgPool2dBackward(image(gy, i), oneGx, p);
          assertBitwise(imageData(a, i), one.data, `avgPool2d ${name}, image ${i}`);
          assertBitwise(imageData(gx, i), oneGx.data, `avgPool2dBackward ${name}, image ${i}`);
        }
      });
    }
  }
});

describe("wasm backend: the 2×2 max-pool loop", () => {
  it("with and without positions on oW of 1, 3, 7 and 17, batch 1, one channel, sliced inputs, NaN and -inf", () => {
    const g = new Generator(52);
    const pick = [NaN, -Infinity, -0, 0, 1, 1, 2, -1, 3.5];
    const q = P([2, 2], [2, 2], [0, 0], [1, 1], true);
    for (const [N, C] of [[1, 1], [2, 3]]) {
      for (const W of [2, 3, 6, 7, 14, 15, 34, 35]) {
        for (const H of [2, 5]) {
          const shape = [N, C, H, W];
          // A slice of a larger buffer: every dim padded by one, starting mid-buffer.
          const x = randView(g, shape, "offset");
          for (let i = 0; i < x.data.length; i++) x.data[i] = pick[Math.floor(g.random() * pick.length)];
          const y = outShape(shape, q);
          const b = zeros(y), ib = zeros(y, "int32");
          js.maxPool2d(x, b, ib, q);
          const gy = randView(g, y), gb = zeros(shape);
          js.maxPool2dBackward(gy, ib, gb);
          for (const nt of THREADS) {
            setNumThreads(nt);
            const what = `[${shape}], ${nt} thread(s)`;
            const a = zeros(y), ia = zeros(y, "int32"), v = zeros(y);
            wasm.maxPool2d(x, a, ia, q);
            (v.data as Float32Array).fill(42);
            wasm.maxPool2d(x, v, null, q);
            assert.deepEqual(bits(a), bits(b), `maxPool2d ${what}`);
            assert.deepEqual(Array.from(ia.data), Array.from(ib.data), `maxPool2d positions ${what}`);
            assert.deepEqual(bits(v), bits(b), `maxPool2d without positions ${what}`);
            const ga = zeros(shape);
            (ga.data as Float32Array).fill(42);
            wasm.maxPool2dBackward(gy, ia, ga);
            assert.deepEqual(bits(ga), bits(gb), `maxPool2dBackward ${what}`);
          }
        }
      }
    }
  });
});
