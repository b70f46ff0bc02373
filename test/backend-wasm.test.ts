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
import { numel } from "../src/tensor/shape.js";
import { assertBitwise, assertClose, LAYOUTS, randView, view, zeros } from "./backend-wasm-helpers.js";

const wasmOrNull = createWasmBackend();
assert.ok(wasmOrNull, "WebAssembly SIMD must be available on Node >= 20");
const wasm = wasmOrNull;
const js = new JsBackend();

/** Runs `fn` with the wasm backend limited to n threads. */
function withThreads(n: number, fn: () => void): void {
  setNumThreads(n);
  fn();
}

const SHAPES: number[][] = [[1], [3], [7, 17], [65, 3, 7], [17, 65], [1031]];
const THREADS = [1, 2];

describe("wasm backend: elementwise", () => {
  const unaryOps = [
    "neg", "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "abs", "sign", "sin", "cos", "tanh", "sigmoid",
    "relu", "erf", "floor", "ceil", "round", "reciprocal", "square", "gelu", "geluTanh",
  ] as const;
  for (const nt of THREADS) {
    it(`unary ops on every layout, ${nt} thread(s)`, () => withThreads(nt, () => {
      const g = new Generator(1);
      for (const shape of SHAPES) {
        for (const layout of ["contig", "offset", "perm"] as const) {
          const x = randView(g, shape, layout, -3, 3);
          // Exact halves and zeros exercise round-half-even, sign(±0) and relu(-0).
          x.data[x.offset] = 2.5;
          for (const op of unaryOps) {
            const a = zeros(shape), b = zeros(shape);
            wasm.unary(op, x, a);
            js.unary(op, x, b);
            assertClose(a, b, `${op} ${layout} [${shape}]`);
          }
        }
      }
    }));
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
    it(`binary ops with broadcast and strided operands, ${nt} thread(s)`, () => withThreads(nt, () => {
      const g = new Generator(4);
      const ops = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "remainder", "atan2"] as const;
      for (const shape of [...SHAPES, [2, 3, 4, 5, 6], [300, 257]]) {
        for (const la of LAYOUTS) {
          const lb = LAYOUTS[(LAYOUTS.indexOf(la) + 1) % LAYOUTS.length];
          const a = randView(g, shape, la, 0.1, 3), b = randView(g, shape, lb, -2, 2);
          for (const op of ops) {
            const x = zeros(shape), y = zeros(shape);
            wasm.binary(op, a, b, x);
            js.binary(op, a, b, y);
            assertClose(x, y, `${op} ${la}/${lb} [${shape}]`);
          }
          // A scalar operand arrives as a view with every stride 0.
          const s = view(new Float32Array([1.75]), shape, shape.map(() => 0));
          for (const op of ["add", "mul", "sub", "div"] as const) {
            const x = zeros(shape), y = zeros(shape);
            wasm.binary(op, s, a, x);
            js.binary(op, s, a, y);
            assertClose(x, y, `${op} scalar [${shape}]`);
          }
        }
      }
    }));
  }

  for (const nt of THREADS) {
    it(`comparisons into bool, casts and where, ${nt} thread(s)`, () => withThreads(nt, () => {
      const g = new Generator(14);
      for (const shape of [...SHAPES, [64, 16, 9, 9]]) {
        for (const la of LAYOUTS) {
          const lb = LAYOUTS[(LAYOUTS.indexOf(la) + 2) % LAYOUTS.length];
          const a = randView(g, shape, la), b = randView(g, shape, lb);
          // Ties and NaN: equal pairs and a NaN on each side.
          b.data[b.offset] = a.data[a.offset];
          if (numel(shape) > 2) a.data[a.data.length - 1] = NaN;
          for (const op of ["eq", "ne", "lt", "le", "gt", "ge"] as const) {
            const x = zeros(shape, "bool"), y = zeros(shape, "bool");
            wasm.binary(op, a, b, x);
            js.binary(op, a, b, y);
            assert.deepEqual(Array.from(x.data), Array.from(y.data), `${op} ${la}/${lb} [${shape}]`);
          }
          const mask = zeros(shape, "bool");
          js.binary("gt", a, b, mask);
          const x = zeros(shape), y = zeros(shape);
          wasm.where(mask, a, b, x);
          js.where(mask, a, b, y);
          assertClose(x, y, `where ${la}/${lb} [${shape}]`, 0, 0);
          // relu's backward: where(mask, g, 0) with the 0 broadcast from one element.
          const zero = view(new Float32Array([0]), shape, shape.map(() => 0));
          const x2 = zeros(shape), y2 = zeros(shape);
          wasm.where(mask, a, zero, x2);
          js.where(mask, a, zero, y2);
          assertClose(x2, y2, `where(mask, a, 0) ${la} [${shape}]`, 0, 0);
          wasm.where(mask, zero, b, x2);
          js.where(mask, zero, b, y2);
          assertClose(x2, y2, `where(mask, 0, b) ${lb} [${shape}]`, 0, 0);
          for (const [from, to] of [["bool", "float32"], ["float32", "bool"], ["int32", "float32"]] as const) {
            const src = from === "bool" ? mask : from === "int32" ? view(Int32Array.from(a.data, (v) => Math.round(v * 1000) | 0), a.shape, a.strides, a.offset, "int32") : a;
            const p = zeros(shape, to), q = zeros(shape, to);
            wasm.copy(src, p);
            js.copy(src, q);
            assert.deepEqual(Array.from(p.data), Array.from(q.data), `copy ${from}->${to} ${la} [${shape}]`);
          }
        }
      }
    }));
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
    it(`sum/prod/max/min over every axis set, ${nt} thread(s)`, () => withThreads(nt, () => {
      const g = new Generator(6);
      const shapes = [[1], [7], [3, 17], [7, 1, 65], [2, 3, 4, 5], [1031, 3], [65, 1031]];
      for (const shape of shapes) {
        const axisSets: number[][] = [];
        for (let mask = 1; mask < 1 << shape.length; mask++) axisSets.push(shape.map((_, i) => i).filter((i) => mask & (1 << i)));
        for (const layout of ["contig", "offset", "perm", "bcast"] as const) {
          const x = randView(g, shape, layout, -2, 2);
          const xp = randView(g, shape, layout, 0.9, 1.1);
          for (const axes of axisSets) {
            const outShape = shape.filter((_, i) => !axes.includes(i));
            for (const op of ["sum", "prod", "max", "min"] as const) {
              const src = op === "prod" ? xp : x;
              const a = zeros(outShape), b = zeros(outShape);
              wasm.reduce(op, src, axes, a);
              js.reduce(op, src, axes, b);
              // A float32 result of an f64 sum is off by at most half an ulp of the largest partial.
              const len = numel(axes.map((i) => shape[i]));
              assertClose(a, b, `${op} axes [${axes}] ${layout} [${shape}]`, 1e-4, 1e-5 * Math.sqrt(len));
            }
          }
        }
      }
    }));
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
    it(`softmax and logSoftmax along each axis, ${nt} thread(s)`, () => withThreads(nt, () => {
      const g = new Generator(7);
      for (const shape of [[1], [17], [3, 7], [7, 65, 3], [17, 1031]]) {
        for (const layout of ["contig", "offset", "perm"] as const) {
          const x = randView(g, shape, layout, -8, 8);
          for (let axis = 0; axis < shape.length; axis++) {
            for (const log of [false, true]) {
              const a = zeros(shape), b = zeros(shape);
              wasm.softmax(x, axis, log, a);
              js.softmax(x, axis, log, b);
              assertClose(a, b, `softmax log=${log} axis ${axis} ${layout} [${shape}]`);
            }
          }
        }
      }
    }));
  }
});

/** Σ|a||b| for each output: the scale of a dot product's rounding error. */
function absDot(a: View, b: View, out: View): Float64Array {
  const abs = (v: View): View => ({ ...v, data: Float32Array.from(v.data as Float32Array, Math.abs) });
  const s = zeros(out.shape);
  js.matmul(abs(a), abs(b), s);
  return Float64Array.from(s.data, (v) => 1e-6 * v);
}

describe("wasm backend: matmul", () => {
  const sizes: Array<[number, number, number, number]> = [
    [1, 1, 1, 1], [1, 3, 7, 17], [2, 17, 3, 7], [3, 7, 65, 1], [1, 65, 17, 65], [2, 5, 1031, 3], [1, 40, 65, 1030], [1, 9, 300, 13],
  ];
  for (const nt of THREADS) {
    it(`plain, transposed, sliced and batch-broadcast operands, ${nt} thread(s)`, () => withThreads(nt, () => {
      const g = new Generator(8);
      for (const [B, M, K, N] of sizes) {
        for (const la of ["contig", "perm", "offset"] as const) {
          for (const lb of ["contig", "perm", "offset"] as const) {
            const a = randView(g, [B, M, K], la);
            const b = randView(g, [B, K, N], lb);
            const x = zeros([B, M, N]), y = zeros([B, M, N]);
            wasm.matmul(a, b, x);
            js.matmul(a, b, y);
            assertClose(x, y, `matmul ${la}·${lb} [${B},${M},${K}]·[${B},${K},${N}]`, 1e-4, 1e-5, absDot(a, b, y));
          }
        }
        // The batch of b broadcast (stride 0), as for x @ W with a batched x.
        const a = randView(g, [B, M, K]);
        const b0 = randView(g, [1, K, N]);
        const b = view(b0.data, [B, K, N], [0, b0.strides[1], b0.strides[2]]);
        const x = zeros([B, M, N]), y = zeros([B, M, N]);
        wasm.matmul(a, b, x);
        js.matmul(a, b, y);
        assertClose(x, y, `matmul broadcast batch [${B},${M},${K}]`, 1e-4, 1e-5, absDot(a, b, y));
      }
    }));
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

const absOf = (v: View): View => ({ ...v, data: Float32Array.from(v.data as Float32Array, Math.abs) });

/** K·2⁻²⁴·Σ|terms| per output element: `run` computes Σ|terms| on the js backend into its output. */
function absConv(shape: number[], K: number, run: (be: typeof js, out: View) => void): Float64Array {
  const s = zeros(shape);
  run(js, s);
  return Float64Array.from(s.data, (v) => K * 2 ** -24 * v);
}

interface ConvCase { x: number[]; o: number; k: [number, number]; p: ConvParams; bias: boolean }

function convOut(c: ConvCase): number[] {
  const [N, , H, W] = c.x;
  const oh = Math.floor((H + 2 * c.p.padding[0] - c.p.dilation[0] * (c.k[0] - 1) - 1) / c.p.stride[0]) + 1;
  const ow = Math.floor((W + 2 * c.p.padding[1] - c.p.dilation[1] * (c.k[1] - 1) - 1) / c.p.stride[1]) + 1;
  return [N, c.o, oh, ow];
}

describe("wasm backend: convolution", () => {
  const P = (stride: [number, number], padding: [number, number], dilation: [number, number], groups: number): ConvParams => ({ stride, padding, dilation, groups });
  const cases: ConvCase[] = [
    { x: [1, 1, 1, 1], o: 1, k: [1, 1], p: P([1, 1], [0, 0], [1, 1], 1), bias: false },
    { x: [2, 3, 7, 9], o: 4, k: [3, 3], p: P([1, 1], [1, 1], [1, 1], 1), bias: true },
    { x: [2, 3, 17, 7], o: 5, k: [3, 2], p: P([2, 1], [1, 0], [1, 1], 1), bias: true },
    { x: [3, 4, 9, 9], o: 6, k: [3, 3], p: P([1, 2], [2, 2], [2, 1], 2), bias: false },
    { x: [2, 8, 5, 5], o: 16, k: [1, 1], p: P([1, 1], [0, 0], [1, 1], 1), bias: true },
    { x: [2, 4, 9, 9], o: 4, k: [3, 3], p: P([1, 1], [1, 1], [1, 1], 4), bias: true },
    { x: [1, 2, 33, 33], o: 3, k: [5, 5], p: P([3, 3], [2, 2], [1, 1], 1), bias: false },
    // A batch of one: on 2 threads the kernels cut the image into bands of rows or channels.
    { x: [1, 6, 13, 11], o: 4, k: [3, 3], p: P([1, 1], [1, 1], [1, 1], 1), bias: true },
    { x: [1, 5, 9, 9], o: 7, k: [1, 1], p: P([1, 1], [0, 0], [1, 1], 1), bias: false },
    { x: [1, 3, 12, 10], o: 3, k: [3, 3], p: P([2, 2], [1, 1], [1, 1], 3), bias: false },
    // cg·kH·kW = 288 spans two of the gemm's 256-deep K blocks.
    { x: [3, 32, 6, 6], o: 8, k: [3, 3], p: P([1, 1], [1, 1], [1, 1], 1), bias: true },
    // Winograd (3×3, stride 1, >= 8 channels each way; F(2×2,3×3) or F(4×4,3×3)): odd and even sizes, tile rows
    // that are not a multiple of 4 tiles, paddings 0-2 (the input gradient pads gy by 2 - p), groups,
    // a 1×1 output, and a single image cut into bands of rows on 2 threads.
    { x: [2, 16, 14, 14], o: 32, k: [3, 3], p: P([1, 1], [1, 1], [1, 1], 1), bias: true },
    { x: [2, 9, 7, 17], o: 11, k: [3, 3], p: P([1, 1], [1, 1], [1, 1], 1), bias: true },
    { x: [1, 8, 13, 9], o: 13, k: [3, 3], p: P([1, 1], [0, 2], [1, 1], 1), bias: false },
    { x: [3, 16, 3, 3], o: 8, k: [3, 3], p: P([1, 1], [0, 0], [1, 1], 2), bias: true },
    { x: [2, 16, 5, 6], o: 18, k: [3, 3], p: P([1, 1], [1, 2], [1, 1], 2), bias: true },
    { x: [1, 12, 30, 65], o: 20, k: [3, 3], p: P([1, 1], [2, 1], [1, 1], 1), bias: true },
    // F(4×4,3×3) (outputs of about 11 or more each way, conv.ts winogradF4; the cases above with
    // 9-13 outputs a side take it too): 33 channels (5·6 + 3 rows of U), padding 0 and 1, 7 × 15
    // (partial 4×4 tiles and groups of 4 tiles), a batch of one in bands of 4 rows.
    { x: [1, 33, 17, 13], o: 16, k: [3, 3], p: P([1, 1], [0, 1], [1, 1], 1), bias: true },
    { x: [2, 16, 7, 17], o: 33, k: [3, 3], p: P([1, 1], [1, 0], [1, 1], 1), bias: false },
    { x: [1, 16, 28, 28], o: 32, k: [3, 3], p: P([1, 1], [1, 1], [1, 1], 1), bias: true },
    // The direct weight gradient of stride-1 convs with at most 4 input channels per group
    // (convdirect-grad.ts): the MNIST first layer, widths that are not whole vectors, 5-wide and
    // 2-tall kernels (taps in 3s), 6 and 5 output channels (not in 4s), dilation, a batch of one.
    { x: [2, 1, 28, 28], o: 16, k: [3, 3], p: P([1, 1], [1, 1], [1, 1], 1), bias: true },
    { x: [1, 3, 13, 11], o: 6, k: [5, 5], p: P([1, 1], [2, 2], [1, 1], 1), bias: false },
    { x: [2, 2, 9, 10], o: 5, k: [2, 3], p: P([1, 1], [0, 1], [2, 1], 1), bias: true },
    { x: [1, 4, 7, 7], o: 3, k: [3, 3], p: P([1, 1], [1, 1], [1, 2], 1), bias: false },
    // The F(4×4) weight gradient's own GEMM (channels in panels of 8, output channels in slivers of
    // 6 and 4): 22 = 3·6 + 4 with 30 tiles (not a multiple of 4), and 2 groups of 10 = 6 + 4.
    { x: [1, 8, 20, 21], o: 22, k: [3, 3], p: P([1, 1], [1, 1], [1, 1], 1), bias: false },
    { x: [2, 16, 11, 11], o: 20, k: [3, 3], p: P([1, 1], [1, 1], [1, 1], 2), bias: true },
    // The same GEMM under F(2×2,3×3) (7 × 9 outputs): 10 = 6 + 4 output channels, 20 tiles.
    { x: [2, 8, 7, 9], o: 10, k: [3, 3], p: P([1, 1], [1, 1], [1, 1], 1), bias: true },
  ];
  for (const nt of THREADS) {
    it(`forward, input gradient and weight gradient, ${nt} thread(s)`, () => withThreads(nt, () => {
      const g = new Generator(10);
      for (const c of cases) {
        const cg = c.x[1] / c.p.groups;
        const wShape = [c.o, cg, c.k[0], c.k[1]];
        const yShape = convOut(c);
        const what = `x [${c.x}] w [${wShape}] ${JSON.stringify(c.p)}`;
        for (const layout of ["contig", "perm"] as const) {
          const x = randView(g, c.x, layout);
          const w = randView(g, wShape, layout === "perm" ? "offset" : "contig");
          const bias = c.bias ? randView(g, [c.o]) : null;
          const a = zeros(yShape), b = zeros(yShape);
          wasm.conv2d(x, w, bias, a, c.p);
          js.conv2d(x, w, bias, b, c.p);
          // Winograd F(4×4,3×3) rounds more than a dot product where the sum cancels: the error is
          // bounded by K ulps of Σ|x·w| (K terms; "Winograd error bound" below measures it).
          const kk = c.k[0] * c.k[1];
          assertClose(a, b, `conv2d ${layout} ${what}`, 1e-4, 1e-5, absConv(yShape, kk * cg, (be, o) => be.conv2d(absOf(x), absOf(w), null, o, c.p)));
          const gy = randView(g, yShape, layout);
          const gxa = zeros(c.x), gxb = zeros(c.x);
          wasm.conv2dBackwardInput(gy, w, gxa, c.p);
          js.conv2dBackwardInput(gy, w, gxb, c.p);
          assertClose(gxa, gxb, `conv2dBackwardInput ${layout} ${what}`, 1e-4, 1e-5,
            absConv(c.x, kk * c.o / c.p.groups, (be, o) => be.conv2dBackwardInput(absOf(gy), absOf(w), o, c.p)));
          const gwa = zeros(wShape), gwb = zeros(wShape);
          wasm.conv2dBackwardWeight(x, gy, gwa, c.p);
          js.conv2dBackwardWeight(x, gy, gwb, c.p);
          assertClose(gwa, gwb, `conv2dBackwardWeight ${layout} ${what}`, 1e-4, 1e-4,
            absConv(wShape, yShape[0] * yShape[2] * yShape[3], (be, o) => be.conv2dBackwardWeight(absOf(x), absOf(gy), o, c.p)));
        }
      }
    }));
  }
});

describe("wasm backend: conv2dReluPoolBackward", () => {
  // One call applies ReLU's mask, sums the bias gradient, routes the gradient to the conv's shape
  // and runs both conv gradients from the arena: it must give exactly what binary("reluBackward"),
  // reduce("sum"), maxPool2dBackward, conv2dBackwardWeight and conv2dBackwardInput give in turn
  // (the same kernels), and the js backend's composition within float32 tolerance.
  const pool2: PoolParams = { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], countIncludePad: true };
  const pool3: PoolParams = { kernel: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1], countIncludePad: true };
  const cases: Array<{ x: number[]; o: number; pool: PoolParams | null }> = [
    { x: [2, 16, 14, 14], o: 32, pool: pool2 },
    { x: [1, 3, 7, 17], o: 5, pool: pool2 },
    { x: [3, 9, 9, 11], o: 11, pool: pool3 },
    { x: [2, 4, 5, 5], o: 6, pool: null },
  ];
  const c: ConvParams = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
  for (const nt of THREADS) {
    it(`equals the kernels in turn, ${nt} thread(s)`, () => withThreads(nt, () => {
      const g = new Generator(12);
      for (const k of cases) {
        const convShape = [k.x[0], k.o, k.x[2], k.x[3]];
        const x = randView(g, k.x), wShape = [k.o, k.x[1], 3, 3];
        for (const layout of ["contig", "offset", "perm"] as const) {
          const w = randView(g, wShape, layout);
          // The op's output: ReLU'd (about half zeros, one NaN), pooled through indices.
          let outShape = convShape, indices: View | null = null;
          const y = randView(g, convShape);
          for (let i = 0; i < y.data.length; i++) y.data[i] = Math.max(0, y.data[i]);
          y.data[3] = NaN;
          if (k.pool) {
            outShape = [convShape[0], convShape[1], ...[0, 1].map((d) => Math.floor((convShape[2 + d] + 2 * k.pool!.padding[d] - k.pool!.kernel[d]) / k.pool!.stride[d]) + 1)];
            indices = zeros(outShape, "int32");
          }
          const output = k.pool ? zeros(outShape) : y;
          if (k.pool) wasm.maxPool2d(y, output, indices!, k.pool);
          const gOut = randView(g, outShape, layout);
          const what = `x [${k.x}] o ${k.o} ${layout} pool ${JSON.stringify(k.pool?.kernel ?? null)}`;
          const gx = zeros(k.x), gw = zeros(wShape), gb = zeros([k.o]);
          wasm.conv2dReluPoolBackward(gOut, output, indices, x, w, gx, gw, gb, c, convShape);
          const gm = zeros(outShape);
          wasm.binary("reluBackward", output, gOut, gm);
          const gb2 = zeros([k.o]);
          wasm.reduce("sum", gm, [0, 2, 3], gb2);
          let gy = gm;
          if (indices) {
            gy = zeros(convShape);
            wasm.maxPool2dBackward(gm, indices, gy);
          }
          const gx2 = zeros(k.x), gw2 = zeros(wShape);
          wasm.conv2dBackwardInput(gy, w, gx2, c);
          wasm.conv2dBackwardWeight(x, gy, gw2, c);
          assertBitwise(gx.data, gx2.data, `gx ${what}`);
          assertBitwise(gw.data, gw2.data, `gw ${what}`);
          assertBitwise(gb.data, gb2.data, `gb ${what}`);
          const gx3 = zeros(k.x), gw3 = zeros(wShape), gb3 = zeros([k.o]);
          js.conv2dReluPoolBackward(gOut, output, indices, x, w, gx3, gw3, gb3, c, convShape);
          assertClose(gx, gx3, `gx vs js ${what}`, 1e-4, 1e-4);
          assertClose(gw, gw3, `gw vs js ${what}`, 1e-4, 1e-4);
          assertClose(gb, gb3, `gb vs js ${what}`, 1e-4, 1e-4);
          // Any subset of the three gradients.
          const gxOnly = zeros(k.x);
          wasm.conv2dReluPoolBackward(gOut, output, indices, x, w, gxOnly, null, null, c, convShape);
          assertBitwise(gxOnly.data, gx2.data, `gx alone ${what}`);
          const gwOnly = zeros(wShape), gbToo = zeros([k.o]);
          wasm.conv2dReluPoolBackward(gOut, output, indices, x, w, null, gwOnly, gbToo, c, convShape);
          assertBitwise(gwOnly.data, gw2.data, `gw alone ${what}`);
          assertBitwise(gbToo.data, gb2.data, `gb with gw ${what}`);
        }
      }
    }));
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
    const g = new Generator(12);
    const p: ConvParams = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
    for (const [N, C, H, W, O] of [[2, 64, 13, 14, 24], [2, 64, 5, 5, 24]]) {
      const x = randView(g, [N, C, H, W]), w = randView(g, [O, C, 3, 3]), gy = randView(g, [N, O, H, W]);
      const f64 = (v: View): View => view(Float64Array.from(v.data as Float32Array), v.shape, v.strides, v.offset, "float64");
      const abs = (v: View): View => view(Float64Array.from(v.data as Float32Array, Math.abs), v.shape, v.strides, v.offset, "float64");
      const check = (name: string, shape: number[], run: (be: typeof js | typeof wasm, a: View, b: View, out: View) => void, a: View, b: View, K: number): void => {
        const got = zeros(shape), ref = zeros(shape, "float64"), mag = zeros(shape, "float64");
        run(wasm, a, b, got);
        run(js, f64(a), f64(b), ref);
        run(js, abs(a), abs(b), mag);
        const tol = 8 * K * 2 ** -24;
        for (let i = 0; i < got.data.length; i++) {
          const err = Math.abs(got.data[i] - ref.data[i]);
          assert.ok(err <= tol * mag.data[i] + 1e-30, `${name}[${i}]: ${got.data[i]} vs ${ref.data[i]} (error ${err}, bound ${tol * mag.data[i]})`);
        }
      };
      for (const nt of THREADS) withThreads(nt, () => {
        check("conv2d", [N, O, H, W], (be, a, b, out) => be.conv2d(a, b, null, out, p), x, w, 9 * C);
        check("conv2dBackwardInput", [N, C, H, W], (be, a, b, out) => be.conv2dBackwardInput(a, b, out, p), gy, w, 9 * O);
        check("conv2dBackwardWeight", [O, C, 3, 3], (be, a, b, out) => be.conv2dBackwardWeight(a, b, out, p), x, gy, N * H * W);
      });
    }
  });
});

describe("wasm backend: pooling", () => {
  const P = (kernel: [number, number], stride: [number, number], padding: [number, number], dilation: [number, number], countIncludePad: boolean): PoolParams =>
    ({ kernel, stride, padding, dilation, countIncludePad });
  // `out` overrides the floor-mode output shape: ceil_mode adds a last window that runs off the input.
  const cases: Array<{ x: number[]; p: PoolParams; out?: number[] }> = [
    { x: [1, 1, 1, 1], p: P([1, 1], [1, 1], [0, 0], [1, 1], true) },
    { x: [2, 3, 5, 7], p: P([2, 2], [2, 2], [0, 0], [1, 1], true), out: [2, 3, 3, 4] },
    { x: [1, 2, 6, 9], p: P([3, 3], [2, 2], [1, 1], [1, 1], false), out: [1, 2, 4, 5] },
    { x: [2, 3, 7, 7], p: P([2, 2], [2, 2], [0, 0], [1, 1], true) },
    { x: [2, 3, 17, 9], p: P([3, 3], [2, 1], [1, 1], [1, 1], false) },
    { x: [1, 5, 9, 65], p: P([3, 2], [1, 2], [1, 1], [2, 1], true) },
    { x: [3, 2, 8, 8], p: P([3, 3], [3, 3], [1, 1], [1, 1], false) },
    // The 2×2 stride-2 SIMD paths: 4 windows per step plus a scalar tail, odd sizes left over.
    { x: [2, 3, 9, 19], p: P([2, 2], [2, 2], [0, 0], [1, 1], true) },
    { x: [1, 2, 16, 16], p: P([2, 2], [2, 2], [0, 0], [1, 1], false) },
    { x: [1, 1, 2, 130], p: P([2, 2], [2, 2], [0, 0], [1, 1], true) },
    // General windows with stride 1 or 2 along W: 4 interior outputs per SIMD step, scalar borders.
    { x: [2, 3, 12, 40], p: P([3, 3], [1, 1], [1, 1], [1, 1], false) },
    { x: [1, 4, 11, 38], p: P([3, 3], [2, 2], [1, 1], [1, 1], true), out: [1, 4, 6, 20] },
    { x: [1, 2, 9, 30], p: P([2, 3], [1, 1], [1, 2], [1, 2], true) },
    { x: [1, 1, 5, 7], p: P([3, 3], [1, 2], [1, 1], [1, 1], false) },
  ];
  const outOf = (x: number[], p: PoolParams): number[] => [
    x[0], x[1],
    Math.floor((x[2] + 2 * p.padding[0] - p.dilation[0] * (p.kernel[0] - 1) - 1) / p.stride[0]) + 1,
    Math.floor((x[3] + 2 * p.padding[1] - p.dilation[1] * (p.kernel[1] - 1) - 1) / p.stride[1]) + 1,
  ];
  for (const nt of THREADS) {
    it(`max and avg pooling, forward and backward, ${nt} thread(s)`, () => withThreads(nt, () => {
      const g = new Generator(11);
      for (const c of cases) {
        const yShape = c.out ?? outOf(c.x, c.p);
        for (const layout of ["contig", "offset", "perm"] as const) {
          const x = randView(g, c.x, layout);
          const what = `[${c.x}] ${JSON.stringify(c.p)} ${layout}`;
          const a = zeros(yShape), b = zeros(yShape);
          const ia = zeros(yShape, "int32"), ib = zeros(yShape, "int32");
          wasm.maxPool2d(x, a, ia, c.p);
          js.maxPool2d(x, b, ib, c.p);
          assertClose(a, b, `maxPool2d ${what}`, 0, 0);
          assert.deepEqual(Array.from(ia.data), Array.from(ib.data), `maxPool2d indices ${what}`);
          const gy = randView(g, yShape, layout);
          const ga = zeros(c.x), gb = zeros(c.x);
          wasm.maxPool2dBackward(gy, ia, ga);
          js.maxPool2dBackward(gy, ib, gb);
          assertClose(ga, gb, `maxPool2dBackward ${what}`);
          const aa = zeros(yShape), ab = zeros(yShape);
          wasm.avgPool2d(x, aa, c.p);
          js.avgPool2d(x, ab, c.p);
          assertClose(aa, ab, `avgPool2d ${what}`);
          const ga2 = zeros(c.x), gb2 = zeros(c.x);
          wasm.avgPool2dBackward(gy, ga2, c.p);
          js.avgPool2dBackward(gy, gb2, c.p);
          assertClose(ga2, gb2, `avgPool2dBackward ${what}`);
        }
      }
    }));
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
});

describe("wasm backend: optimizer updates", () => {
  for (const nt of THREADS) {
    it(`sgdUpdate and adamUpdate match the reference, ${nt} thread(s)`, () => withThreads(nt, () => {
      const g = new Generator(12);
      const rand = (n: number, lo = -1, hi = 1) => Float32Array.from({ length: n }, () => lo + (hi - lo) * g.random());
      for (const n of [1, 7, 65, 70001]) {
        for (const [momentum, nesterov, first, wd] of [[0, false, false, 0], [0.9, false, true, 0], [0.9, true, false, 1e-2], [0.5, false, false, 0]] as const) {
          const param = rand(n), grad = rand(n), buf = momentum ? rand(n) : null;
          const pj = Float32Array.from(param), bj = buf ? Float32Array.from(buf) : null;
          const p = { lr: 0.1, momentum, dampening: 0.1, nesterov, weightDecay: wd, firstStep: first };
          wasm.sgdUpdate(param, grad, buf, p);
          js.sgdUpdate(pj, grad, bj, p);
          assertClose(param, pj, `sgd n=${n} ${JSON.stringify(p)}`, 0, 0);
          if (buf && bj) assertClose(buf, bj, "sgd momentum buffer", 0, 0);
        }
        for (const [decoupled, amsgrad, wd] of [[false, false, 0], [true, false, 0.01], [false, true, 0.01]] as const) {
          const param = rand(n), grad = rand(n), m = rand(n, -0.1, 0.1), v = rand(n, 0, 0.01);
          const maxV = amsgrad ? rand(n, 0, 0.01) : null;
          const pj = Float32Array.from(param), mj = Float32Array.from(m), vj = Float32Array.from(v);
          const maxJ = maxV ? Float32Array.from(maxV) : null;
          const p = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: wd, decoupled, step: 3 };
          wasm.adamUpdate(param, grad, m, v, maxV, p);
          js.adamUpdate(pj, grad, mj, vj, maxJ, p);
          // Same f64 operations in the same order, rounded at the same stores: the same bits.
          assertClose(param, pj, `adam n=${n} ${JSON.stringify(p)}`, 0, 0);
          assertClose(m, mj, "adam m", 0, 0);
          assertClose(v, vj, "adam v", 0, 0);
          if (maxV && maxJ) assertClose(maxV, maxJ, "adam maxV", 0, 0);
        }
      }
      // float64 parameters are delegated.
      const p64 = new Float64Array([1, 2]), g64 = new Float64Array([0.5, -0.5]);
      wasm.sgdUpdate(p64, g64, null, { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, firstStep: false });
      assert.deepEqual(Array.from(p64), [0.95, 2.05]);
    }));
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
