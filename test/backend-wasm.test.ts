/**
 * The wasm backend against the js reference, kernel by kernel, through the backend contract:
 * random shapes (sizes 1, 3, 7, 17, 65 and 1000+), sliced, transposed and broadcast views, on 1
 * and 2 threads. float32 must agree to rtol 1e-4 / atol 1e-5 (sums get a bound that grows with
 * their length); other dtypes are delegated and must agree exactly.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConvParams, PoolParams, View } from "../src/backend/backend.js";
import { JsBackend } from "../src/backend/js/index.js";
import { createWasmBackend, setNumThreads } from "../src/backend/wasm/index.js";
import { Generator } from "../src/tensor/generator.js";
import { assertBitwise, assertClose, LAYOUTS, randView, view, zeros } from "./backend-wasm-helpers.js";
import {
  checkBinary, checkCompareCastWhere, checkConv, checkConvReluPoolBackward, checkMatmul, checkOptimizers, checkPooling, checkReduce,
  checkSoftmax, checkUnary, checkWinogradBound, checkConvChunks, absDot, poolP as P, SHAPES,
} from "./backend-wasm-cases.js";

const wasmOrNull = createWasmBackend();
assert.ok(wasmOrNull, "WebAssembly SIMD must be available on Node >= 20");
const wasm = wasmOrNull;
const js = new JsBackend();

/** Runs `fn` with the wasm backend limited to n threads. */
function withThreads(n: number, fn: () => void): void {
  setNumThreads(n);
  fn();
}

const THREADS = [1, 2];

describe("wasm backend: elementwise", () => {
  for (const nt of THREADS) {
    it(`unary ops on every layout, ${nt} thread(s)`, () => withThreads(nt, () => checkUnary(wasm)));
  }

  it("large unary runs split across threads (65537 elements)", () => withThreads(2, () => {
    const g = new Generator(2);
    const x = randView(g, [257, 255], "perm", -3, 3);
    for (const op of ["exp", "relu", "sigmoid", "tanh"] as const) {
      const a = zeros(x.shape), b = zeros(x.shape);
      wasm.unary(op, x, a);
      js.unary(op, x, b);
      assertClose(a, b, op);
    }
  }));

  it("unary ops with parameters", () => withThreads(2, () => {
    const g = new Generator(3);
    const cases: Array<["leakyRelu" | "elu" | "clamp" | "powScalar" | "isClose", number, number]> = [
      ["leakyRelu", 0.01, 0], ["elu", 1.5, 0], ["clamp", -0.5, 0.75], ["clamp", -Infinity, 0.3],
      ["powScalar", 2, 0], ["powScalar", 0.5, 0], ["powScalar", -1.5, 0],
    ];
    for (const shape of SHAPES) {
      for (const layout of ["contig", "offset", "perm"] as const) {
        const x = randView(g, shape, layout, -3, 3);
        for (const [op, p, q] of cases) {
          const a = zeros(shape), b = zeros(shape);
          wasm.unaryParam(op, x, a, p, q);
          js.unaryParam(op, x, b, p, q);
          assertClose(a, b, `${op}(${p},${q}) ${layout} [${shape}]`);
        }
        const a = zeros(shape, "bool"), b = zeros(shape, "bool");
        wasm.unaryParam("isClose", x, a, 0.5, 0);
        js.unaryParam("isClose", x, b, 0.5, 0);
        assert.deepEqual(Array.from(a.data), Array.from(b.data));
      }
    }
  }));

  for (const nt of THREADS) {
    it(`binary ops with broadcast and strided operands, ${nt} thread(s)`, () => withThreads(nt, () => checkBinary(wasm)));
  }

  for (const nt of THREADS) {
    it(`comparisons into bool, casts and where, ${nt} thread(s)`, () => withThreads(nt, () => checkCompareCastWhere(wasm)));
  }

  it("small dense ops computed in JavaScript are bitwise the kernel's (NaN, ±0, ±inf, subnormals)", () => withThreads(1, () => {
    const g = new Generator(11);
    const specials = [NaN, -0, 0, Infinity, -Infinity, 1e-40, -1e-40, 3e38, -3e38, 1];
    const values = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? specials[(i / 5) % specials.length] : 6 * g.random() - 3));
    // The same values at stride 2: not dense, so the kernel in the arena computes them.
    const strided = (d: Float32Array): View => {
      const buf = new Float32Array(2 * d.length);
      d.forEach((v, i) => (buf[2 * i] = v));
      return view(buf, [d.length], [2]);
    };
    for (const n of [1, 3, 7, 17, 65, 1000, 1024]) {
      const a = values(n), b = values(n).reverse();
      for (const op of ["relu", "neg", "abs", "square"] as const) {
        const fast = zeros([n]), kernel = zeros([n]);
        wasm.unary(op, view(a, [n]), fast);
        wasm.unary(op, strided(a), kernel);
        assertBitwise(fast.data, kernel.data, `${op} n=${n}`);
      }
      for (const op of ["add", "sub", "mul", "div", "reluBackward"] as const) {
        const fast = zeros([n]), kernel = zeros([n]);
        wasm.binary(op, view(a, [n]), view(b, [n]), fast);
        wasm.binary(op, strided(a), strided(b), kernel);
        assertBitwise(fast.data, kernel.data, `${op} n=${n}`);
      }
    }
  }));

  it("maximum/minimum propagate NaN like the reference", () => {
    const a = view(new Float32Array([NaN, 1, 2, NaN, 5, -1, 0, 3]), [8]);
    const b = view(new Float32Array([1, NaN, 3, NaN, 4, -2, -0, 3]), [8]);
    for (const op of ["maximum", "minimum"] as const) {
      const x = zeros([8]), y = zeros([8]);
      wasm.binary(op, a, b, x);
      js.binary(op, a, b, y);
      assertClose(x, y, op, 0, 0);
    }
  });

  it("copy into strided outputs and fill", () => withThreads(2, () => {
    const g = new Generator(5);
    for (const shape of SHAPES) {
      for (const layout of LAYOUTS) {
        const src = randView(g, shape, layout);
        const outW = randView(g, shape, "offset"), outJ = view(Float32Array.from(outW.data), outW.shape, outW.strides, outW.offset);
        wasm.copy(src, outW);
        js.copy(src, outJ);
        assert.deepEqual(Array.from(outW.data), Array.from(outJ.data), `copy ${layout} [${shape}]`);
        const f = zeros(shape);
        wasm.fill(f, 0.5);
        assert.ok(Array.from(f.data).every((v) => v === 0.5));
      }
    }
    // float32 -> int32 conversion is delegated.
    const src = view(new Float32Array([1.7, -2.2, 3.9]), [3]);
    const a = zeros([3], "int32"), b = zeros([3], "int32");
    wasm.copy(src, a);
    js.copy(src, b);
    assert.deepEqual(Array.from(a.data), Array.from(b.data));
  }));

  it("stages and writes back views at an odd offset (4 mod 8 bytes), which it realigns", () => withThreads(1, () => {
    const g = new Generator(9);
    for (const n of [1, 255, 256, 1031, 70000]) {
      const src = randView(g, [n + 1]);
      const odd = view(src.data, [n], [1], 1), even = view(src.data, [n], [1], 0);
      for (const x of [odd, even]) {
        for (const outOff of [0, 1, 3]) {
          const outW = view(new Float32Array(n + 4).fill(7), [n], [1], outOff), outJ = view(new Float32Array(n + 4).fill(7), [n], [1], outOff);
          wasm.unary("neg", x, outW);
          js.unary("neg", x, outJ);
          assert.deepEqual(Array.from(outW.data), Array.from(outJ.data), `neg n=${n} in@${x.offset} out@${outOff}`);
        }
      }
    }
    // A dense 4-D conv input and pooling input at an odd offset go through stageDense.
    const data = randView(g, [2 * 8 * 9 * 9 + 1]).data;
    const x = view(data, [2, 8, 9, 9], undefined, 1), xj = view(Float32Array.from(data), [2, 8, 9, 9], undefined, 1);
    const w = randView(g, [8, 8, 3, 3]);
    const c: ConvParams = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
    const yW = zeros([2, 8, 9, 9]), yJ = zeros([2, 8, 9, 9]);
    wasm.conv2d(x, w, null, yW, c);
    js.conv2d(xj, w, null, yJ, c);
    assertClose(yW, yJ, "conv2d of an odd-offset input", 1e-4, 1e-4);
    // A sparse operand (span over twice its size) is gathered element by element by stage.
    const big = randView(g, [4 * 64]).data;
    const sparse = view(big, [1, 4, 8], [0, 64, 8]);
    const b = randView(g, [1, 8, 3]);
    const mW = zeros([1, 4, 3]), mJ = zeros([1, 4, 3]);
    wasm.matmul(sparse, b, mW);
    js.matmul(sparse, b, mJ);
    assertClose(mW, mJ, "matmul of a sparse view", 1e-5, 1e-6);
    // A 5-D transposed view no copy kernel takes (its dims do not coalesce to 4): stageDense gathers it.
    const t5 = view(randView(g, [32]).data, [2, 2, 2, 2, 2], [1, 2, 4, 8, 16]);
    const sW = zeros([2, 2, 2, 2, 2]), sJ = zeros([2, 2, 2, 2, 2]);
    wasm.softmax(t5, 4, false, sW);
    js.softmax(t5, 4, false, sJ);
    assertClose(sW, sJ, "softmax of a 5-D transposed view", 1e-5, 1e-6);
  }));

  it("grows the arena for operands larger than any before (64 MiB)", () => withThreads(2, () => {
    const n = 1 << 24;
    const data = new Float32Array(n + 8);
    for (let i = 0; i < data.length; i++) data[i] = (i % 1000) - 500;
    // Offset and sliced, so both the span copy and the kernel see the grown memory.
    const x = view(data, [n / 4096, 4096], [4096, 1], 8);
    const out = zeros([n / 4096, 4096]);
    wasm.unary("neg", x, out);
    for (let i = 0; i < n; i += 4093) assert.equal(out.data[i], -data[i + 8]);
    const t = view(data, [4096, n / 4096], [1, 4096], 0);
    const out2 = zeros([4096, n / 4096]);
    wasm.copy(t, out2);
    for (let i = 0; i < n; i += 4093) assert.equal(out2.data[i], data[(i % (n / 4096)) * 4096 + Math.floor(i / (n / 4096))]);
  }));

  it("delegates other dtypes to the js kernels", () => {
    const a = view(new Float64Array([1, 2, 3, 4]), [2, 2], undefined, 0, "float64");
    const b = view(new Float64Array([0.5, -1, 2, 8]), [2, 2], undefined, 0, "float64");
    for (const op of ["add", "mul", "div"] as const) {
      const x = zeros([2, 2], "float64"), y = zeros([2, 2], "float64");
      wasm.binary(op, a, b, x);
      js.binary(op, a, b, y);
      assert.deepEqual(Array.from(x.data), Array.from(y.data));
    }
    const i = view(new Int32Array([7, -7, 9, 4]), [4], undefined, 0, "int32");
    const j = view(new Int32Array([2, 2, -4, 3]), [4], undefined, 0, "int32");
    const x = zeros([4], "int32"), y = zeros([4], "int32");
    wasm.binary("div", i, j, x);
    js.binary("div", i, j, y);
    assert.deepEqual(Array.from(x.data), Array.from(y.data));
    const m = zeros([1, 2, 2], "float64"), n = zeros([1, 2, 2], "float64");
    const a3 = view(a.data, [1, 2, 2], [0, 2, 1], 0, "float64"), b3 = view(b.data, [1, 2, 2], [0, 2, 1], 0, "float64");
    wasm.matmul(a3, b3, m);
    js.matmul(a3, b3, n);
    assert.deepEqual(Array.from(m.data), Array.from(n.data));
  });
});

describe("wasm backend: reductions and softmax", () => {
  for (const nt of THREADS) {
    it(`sum/prod/max/min over every axis set, ${nt} thread(s)`, () => withThreads(nt, () => checkReduce(wasm)));
  }

  it("max/min keep NaN, and empty sums are 0", () => {
    const x = view(new Float32Array([1, NaN, 3, 4, 5, 6, 7, 8, 9]), [9]);
    for (const op of ["max", "min", "sum"] as const) {
      const a = zeros([]), b = zeros([]);
      wasm.reduce(op, x, [0], a);
      js.reduce(op, x, [0], b);
      assertClose(a, b, op);
    }
    const e = view(new Float32Array(0), [0, 3]);
    const a = zeros([3]), b = zeros([3]);
    wasm.reduce("sum", e, [0], a);
    js.reduce("sum", e, [0], b);
    assert.deepEqual(Array.from(a.data), Array.from(b.data));
  });

  for (const nt of THREADS) {
    it(`softmax and logSoftmax along each axis, ${nt} thread(s)`, () => withThreads(nt, () => checkSoftmax(wasm)));
  }
});

describe("wasm backend: matmul", () => {
  for (const nt of THREADS) {
    it(`plain, transposed, sliced and batch-broadcast operands, ${nt} thread(s)`, () => withThreads(nt, () => checkMatmul(wasm)));
  }

  it("tall-skinny and wide shapes split over rows or columns alike on 1 and 2 threads", () => {
    const g = new Generator(9);
    for (const [M, K, N] of [[600, 64, 10], [10, 64, 600], [1, 1030, 300]]) {
      const a = randView(g, [1, M, K]), b = randView(g, [1, K, N], "perm");
      const r: Float32Array[] = [];
      for (const nt of THREADS) {
        setNumThreads(nt);
        const x = zeros([1, M, N]);
        wasm.matmul(a, b, x);
        r.push(x.data as Float32Array);
      }
      // Each output element is computed by one thread with the same instruction sequence.
      assert.deepEqual(Array.from(r[0]), Array.from(r[1]), `[${M},${K},${N}]`);
      const y = zeros([1, M, N]);
      js.matmul(a, b, y);
      assertClose(view(r[0], [1, M, N]), y, `[${M},${K},${N}]`, 1e-4, 1e-5, absDot(a, b, y));
    }
  });

  it("empty products leave an empty output alone", () => {
    for (const [B, M, K, N] of [[1, 3, 4, 0], [1, 0, 4, 3], [0, 3, 4, 3]]) {
      const a = zeros([B, M, K]), b = zeros([B, K, N]), x = zeros([B, M, N]);
      wasm.matmul(a, b, x);
      assert.equal(x.data.length, 0);
    }
  });

  it("K = 0 gives zeros", () => {
    const a = zeros([1, 3, 0]), b = zeros([1, 0, 4]);
    const x = view(new Float32Array(12).fill(7), [1, 3, 4]);
    wasm.matmul(a, b, x);
    assert.ok(Array.from(x.data).every((v) => v === 0));
  });
});

describe("wasm backend: convolution", () => {
  for (const nt of THREADS) {
    it(`forward, input gradient and weight gradient, ${nt} thread(s)`, () => withThreads(nt, () => checkConv(wasm)));
  }
});

describe("wasm backend: convolution in chunks of images", () => {
  for (const nt of THREADS) {
    it(`batches over ~1 MiB give the bits of one image at a time, ${nt} thread(s)`, () => withThreads(nt, () => checkConvChunks(wasm)));
  }
});

describe("wasm backend: conv2dReluPoolBackward", () => {
  for (const nt of THREADS) {
    it(`equals the kernels in turn, ${nt} thread(s)`, () => withThreads(nt, () => checkConvReluPoolBackward(wasm)));
  }
});

describe("wasm backend: Winograd error bound", () => {
  // Winograd sums in another order than the direct conv (through the transformed domain), so its
  // float32 error is bounded like a dot product's, not equal to the direct result. Against a
  // float64 reference, every element must be within 8·K·2⁻²⁴ of Σ|x·w| (K = 9·channels terms),
  // with 64 input channels so the bound is not met by luck. 13×14 takes F(4×4,3×3) for all three
  // (its constants up to 8 and ⅙ round more: 0.04-0.3 of K ulps measured, where the js reference's
  // float64 sums are under 0.01), 5×5 F(2×2,3×3) (½ constants, exact).
  it("forward, input gradient and weight gradient stay within float32 dot-product rounding", () => {
    for (const nt of THREADS) withThreads(nt, () => checkWinogradBound(wasm));
  });
});

describe("wasm backend: pooling", () => {
  for (const nt of THREADS) {
    it(`max and avg pooling, forward and backward, ${nt} thread(s)`, () => withThreads(nt, () => checkPooling(wasm)));
  }

  it("maxPool2dBackward: 2×2 blocks written whole, other indices scattered, -0 summed to 0", () => {
    // [1,2,4,6] -> [1,2,2,3]: plane 0's indices each lie in their window's 2×2 block (the block path),
    // plane 1's include one in a neighbour's block and two that repeat (maxUnpool2d's arbitrary
    // indices: the scatter-add), so the block path must leave that plane to the scatter.
    const idx = view(new Int32Array([0, 3, 11, 13, 14, 23, 1, 1, 10, 12, 12, 17]), [1, 2, 2, 3]);
    const gy = view(new Float32Array([-0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), [1, 2, 2, 3]);
    for (const nt of THREADS) withThreads(nt, () => {
      const a = zeros([1, 2, 4, 6]), b = zeros([1, 2, 4, 6]);
      wasm.maxPool2dBackward(gy, idx, a);
      js.maxPool2dBackward(gy, idx, b);
      assert.deepEqual(Array.from(a.data), Array.from(b.data));
      assert.ok(Object.is(a.data[0], 0), "0 + -0 is +0, as the scatter-add gives");
      assert.equal(a.data[24 + 1], 15);
      assert.equal(a.data[24 + 12], 21);
    });
  });

  it("maxPool2dBackward over ~1 MiB (a batch of 40 images) gives the reference's result", () => {
    // [40,8,28,28]. Batch 0 points into its own 2×2 blocks (the block path); batch 1
    // has arbitrary in-plane indices, repeats included (the scatter-add).
    const g = new Generator(32);
    const gy = randView(g, [40, 8, 14, 14]);
    const blocks = view(Int32Array.from({ length: 40 * 8 * 196 }, (_, i) => {
      const oh = Math.floor((i % 196) / 14), ow = i % 14;
      return (2 * oh + (g.random() < 0.5 ? 1 : 0)) * 28 + 2 * ow + (g.random() < 0.5 ? 1 : 0);
    }), [40, 8, 14, 14]);
    const anywhere = view(Int32Array.from({ length: 40 * 8 * 196 }, () => Math.floor(g.random() * 784)), [40, 8, 14, 14]);
    for (const idx of [blocks, anywhere]) for (const nt of THREADS) withThreads(nt, () => {
      const a = zeros([40, 8, 28, 28]), b = zeros([40, 8, 28, 28]);
      wasm.maxPool2dBackward(gy, idx, a);
      js.maxPool2dBackward(gy, idx, b);
      // The reference's repeats add in float64: equal up to float32 rounding of the sums.
      assertClose(a, b, `maxPool2dBackward vs js, ${idx === blocks ? "blocks" : "scatter"}`, 1e-6, 1e-6);
      // Each image's bits are those of a call on that image alone.
      for (let i = 0; i < 40; i += 13) {
        const one = zeros([1, 8, 28, 28]);
        wasm.maxPool2dBackward(view(gy.data, [1, 8, 14, 14], undefined, i * 1568), view(idx.data, [1, 8, 14, 14], undefined, i * 1568, "int32"), one);
        assertBitwise((a.data as Float32Array).subarray(i * 6272, (i + 1) * 6272), one.data as Float32Array, `maxPool2dBackward, image ${i}`);
      }
    });
  });

  it("general windows' SIMD path keeps the reference's NaN, tie and -0 rules, and its sums' rounding", () => {
    const g = new Generator(31);
    const pick = [NaN, -0, 0, 1, 1, 2, -1, 3.5, 1e-8];
    const cases: Array<[number[], PoolParams]> = [
      [[2, 3, 7, 29], P([3, 3], [1, 1], [1, 1], [1, 1], true)],
      [[2, 3, 8, 33], P([3, 3], [2, 2], [1, 1], [1, 1], false)],
      [[1, 2, 6, 26], P([2, 3], [1, 2], [0, 1], [2, 1], true)],
    ];
    for (const [shape, p] of cases) {
      const x = view(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => pick[Math.floor(g.random() * pick.length)]), shape);
      const y = [shape[0], shape[1], ...[0, 1].map((d) => Math.floor((shape[2 + d] + 2 * p.padding[d] - p.dilation[d] * (p.kernel[d] - 1) - 1) / p.stride[d]) + 1)];
      for (const nt of THREADS) withThreads(nt, () => {
        const a = zeros(y), b = zeros(y), ia = zeros(y, "int32"), ib = zeros(y, "int32");
        wasm.maxPool2d(x, a, ia, p);
        js.maxPool2d(x, b, ib, p);
        assert.deepEqual(Array.from(a.data).map((v) => Object.is(v, -0) ? "-0" : String(v)), Array.from(b.data).map((v) => Object.is(v, -0) ? "-0" : String(v)), `maxPool2d ${shape}`);
        assert.deepEqual(Array.from(ia.data), Array.from(ib.data), `maxPool2d indices ${shape}`);
        if (p.dilation[1] === 1 && p.dilation[0] === 1) {
          const c = zeros(y), d = zeros(y);
          wasm.avgPool2d(x, c, p);
          js.avgPool2d(x, d, p);
          assert.deepEqual(Array.from(c.data).map(String), Array.from(d.data).map(String), `avgPool2d ${shape}`);
        }
      });
    }
  });

  it("max pooling lets NaN win, as the reference", () => {
    const x = view(new Float32Array([1, NaN, 3, 4, 5, 6, 7, 8, 9]), [1, 1, 3, 3]);
    const p = P([2, 2], [1, 1], [0, 0], [1, 1], true);
    const a = zeros([1, 1, 2, 2]), b = zeros([1, 1, 2, 2]);
    const ia = zeros([1, 1, 2, 2], "int32"), ib = zeros([1, 1, 2, 2], "int32");
    wasm.maxPool2d(x, a, ia, p);
    js.maxPool2d(x, b, ib, p);
    assertClose(a, b, "maxPool2d NaN", 0, 0);
    assert.deepEqual(Array.from(ia.data), Array.from(ib.data));
    // The 2×2 stride-2 fast path: NaN in each window position, and ties (the first one wins).
    const y = view(new Float32Array([NaN, 1, 2, 2, 5, 0, 3, NaN, 1, 1, 4, 9, 1, 1, NaN, NaN, 7, 7, 8, 8]), [1, 1, 4, 5]);
    const q = P([2, 2], [2, 2], [0, 0], [1, 1], true);
    const c = zeros([1, 1, 2, 2]), d = zeros([1, 1, 2, 2]);
    const ic = zeros([1, 1, 2, 2], "int32"), id = zeros([1, 1, 2, 2], "int32");
    wasm.maxPool2d(y, c, ic, q);
    js.maxPool2d(y, d, id, q);
    assertClose(c, d, "maxPool2d 2x2 NaN", 0, 0);
    assert.deepEqual(Array.from(ic.data), Array.from(id.data));
    // The same through the SIMD path (4 windows per step): NaN, ties and -0/+0 in each lane.
    const row0 = [NaN, 1, 2, 2, 5, 0, -0, 0, 3, 3, 1, NaN, 7, 7, 8, 8];
    const row1 = [1, 1, NaN, 4, 9, 1, 0, -0, NaN, NaN, 2, 2, 8, 7, 8, 9];
    const z = view(new Float32Array([...row0, ...row1]), [1, 1, 2, 16]);
    const e = zeros([1, 1, 1, 8]), f = zeros([1, 1, 1, 8]);
    const ie = zeros([1, 1, 1, 8], "int32"), jf = zeros([1, 1, 1, 8], "int32");
    wasm.maxPool2d(z, e, ie, q);
    js.maxPool2d(z, f, jf, q);
    assert.deepEqual(Array.from(e.data).map(String), Array.from(f.data).map(String));
    assert.deepEqual(Array.from(ie.data), Array.from(jf.data));
  });
  it("max pooling without indices (null: no backward reads them) gives the reference's values bit for bit", () => {
    // The 2×2 kernel then takes its values-only path (no positions found); other windows keep theirs in
    // the arena. NaN, ties and -0/+0 in every window position and lane; oW of 3 (scalar only), 5 and 9
    // (a partial SIMD group), odd H and W (a row and a column no window reads).
    const g = new Generator(41);
    const pick = [NaN, -0, 0, 1, 1, 2, -1, 3.5, -Infinity];
    const q = P([2, 2], [2, 2], [0, 0], [1, 1], true);
    const cases: Array<[number[], PoolParams]> = [
      [[1, 2, 4, 6], q], [[2, 3, 9, 11], q], [[3, 5, 16, 19], q], [[1, 1, 2, 2], q],
      [[2, 3, 9, 11], P([3, 3], [2, 2], [1, 1], [1, 1], true)],
    ];
    for (const [shape, p] of cases) {
      const x = view(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => pick[Math.floor(g.random() * pick.length)]), shape);
      const y = [shape[0], shape[1], ...[0, 1].map((d) => Math.floor((shape[2 + d] + 2 * p.padding[d] - p.dilation[d] * (p.kernel[d] - 1) - 1) / p.stride[d]) + 1)];
      const b = zeros(y), ib = zeros(y, "int32");
      js.maxPool2d(x, b, ib, p);
      const want = Array.from(b.data).map((v) => Object.is(v, -0) ? "-0" : String(v));
      const c = zeros(y);
      js.maxPool2d(x, c, null, p);
      assert.deepEqual(Array.from(c.data).map((v) => Object.is(v, -0) ? "-0" : String(v)), want, `js maxPool2d ${shape} without indices`);
      for (const nt of THREADS) withThreads(nt, () => {
        const a = zeros(y);
        (a.data as Float32Array).fill(42);
        wasm.maxPool2d(x, a, null, p);
        assert.deepEqual(Array.from(a.data).map((v) => Object.is(v, -0) ? "-0" : String(v)), want, `wasm maxPool2d ${shape} without indices, ${nt} thread(s)`);
      });
    }
  });
});

describe("wasm backend: optimizer updates", () => {
  for (const nt of THREADS) {
    it(`sgdUpdate and adamUpdate match the reference, ${nt} thread(s)`, () => withThreads(nt, () => checkOptimizers(wasm)));
  }
});

describe("wasm backend: delegated kernels", () => {
  it("where, argReduce, cumsum, gather and indexSelect give the js results", () => {
    const g = new Generator(13);
    const x = randView(g, [7, 17], "perm");
    const y = randView(g, [7, 17]);
    const cond = view(Uint8Array.from({ length: 7 * 17 }, (_, i) => i % 3 === 0 ? 1 : 0), [7, 17], undefined, 0, "bool");
    const a = zeros([7, 17]), b = zeros([7, 17]);
    wasm.where(cond, x, y, a);
    js.where(cond, x, y, b);
    assert.deepEqual(Array.from(a.data), Array.from(b.data));
    const ia = zeros([7], "int32"), ib = zeros([7], "int32");
    wasm.argReduce("argmax", x, 1, ia);
    js.argReduce("argmax", x, 1, ib);
    assert.deepEqual(Array.from(ia.data), Array.from(ib.data));
    const ca = zeros([7, 17]), cb = zeros([7, 17]);
    wasm.cumsum(x, 1, ca);
    js.cumsum(x, 1, cb);
    assert.deepEqual(Array.from(ca.data), Array.from(cb.data));
    const idx = view(new Int32Array([3, 0, 6]), [3], undefined, 0, "int32");
    const sa = zeros([3, 17]), sb = zeros([3, 17]);
    wasm.indexSelect(x, 0, idx, sa);
    js.indexSelect(x, 0, idx, sb);
    assert.deepEqual(Array.from(sa.data), Array.from(sb.data));
  });
});
