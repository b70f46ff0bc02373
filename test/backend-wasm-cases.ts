/**
 * The wasm-vs-js kernel checks that run on more than one build: test/backend-wasm.test.ts runs them
 * on the build this engine picks (relaxed SIMD here) on 1 and 2 threads, and
 * test/backend-wasm-simd.test.ts on the plain-SIMD build (no FMA: other rounding, other GEMM
 * micro-kernel) that browsers without relaxed SIMD get. Each check compares `wasm` with the js
 * reference on the thread count currently set: float32 to rtol 1e-4 / atol 1e-5 (sums get a bound
 * that grows with their length), exact where the kernels must be.
 */
import assert from "node:assert/strict";
import type { Backend, ConvParams, PoolParams, View } from "../src/backend/backend.js";
import { JsBackend } from "../src/backend/js/index.js";
import { Generator } from "../src/tensor/generator.js";
import { numel } from "../src/tensor/shape.js";
import { assertBitwise, assertClose, LAYOUTS, randView, remembering, view, zeros } from "./backend-wasm-helpers.js";

// Remembering: backend-wasm.test.ts asks the same questions on 1 and on 2 threads (helpers: remembering).
const js = remembering(new JsBackend());

/** Shapes of sizes 1, 3, 7, 17, 65 and 1000+, ranks 1-3. */
export const SHAPES: number[][] = [[1], [3], [7, 17], [65, 3, 7], [17, 65], [1031]];

/** Σ|a||b| for each output: the scale of a dot product's rounding error. */
export function absDot(a: View, b: View, out: View): Float64Array {
  const abs = (v: View): View => ({ ...v, data: Float32Array.from(v.data as Float32Array, Math.abs) });
  const s = zeros(out.shape);
  js.matmul(abs(a), abs(b), s);
  return Float64Array.from(s.data, (v) => 1e-6 * v);
}

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

const UNARY_OPS = [
  "neg", "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "abs", "sign", "sin", "cos", "tanh", "sigmoid",
  "relu", "erf", "floor", "ceil", "round", "reciprocal", "square", "gelu", "geluTanh",
] as const;
/** Unary ops on every layout: `wasm` against the js reference on the thread count set. */
export function checkUnary(wasm: Backend): void {
  const g = new Generator(1);
  for (const shape of SHAPES) {
    for (const layout of ["contig", "offset", "perm"] as const) {
      const x = randView(g, shape, layout, -3, 3);
      // Exact halves and zeros exercise round-half-even, sign(±0) and relu(-0).
      x.data[x.offset] = 2.5;
      for (const op of UNARY_OPS) {
        const a = zeros(shape), b = zeros(shape);
        wasm.unary(op, x, a);
        js.unary(op, x, b);
        assertClose(a, b, `${op} ${layout} [${shape}]`);
      }
    }
  }
}

/** Binary ops with broadcast and strided operands (and scalar operands): `wasm` against the js reference on the thread count set. */
export function checkBinary(wasm: Backend): void {
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
}

/** Comparisons into bool, casts and where: `wasm` against the js reference on the thread count set. */
export function checkCompareCastWhere(wasm: Backend): void {
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
}

/** Sum/prod/max/min over every axis set: `wasm` against the js reference on the thread count set. */
export function checkReduce(wasm: Backend): void {
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
}

/** Softmax and logSoftmax along each axis: `wasm` against the js reference on the thread count set. */
export function checkSoftmax(wasm: Backend): void {
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
}

const MATMUL_SIZES: Array<[number, number, number, number]> = [
  [1, 1, 1, 1], [1, 3, 7, 17], [2, 17, 3, 7], [3, 7, 65, 1], [1, 65, 17, 65], [2, 5, 1031, 3], [1, 40, 65, 1030], [1, 9, 300, 13],
  // N over the GEMM's NC (2048) panel, K in three blocks (174, 174, 173), M ending in a 1-row sliver.
  [1, 13, 521, 2061],
];
/** Matmul of plain, transposed, sliced and batch-broadcast operands: `wasm` against the js reference on the thread count set. */
export function checkMatmul(wasm: Backend): void {
  const g = new Generator(8);
  for (const [B, M, K, N] of MATMUL_SIZES) {
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
}

const convP = (stride: [number, number], padding: [number, number], dilation: [number, number], groups: number): ConvParams => ({ stride, padding, dilation, groups });
const CONV_CASES: ConvCase[] = [
  { x: [1, 1, 1, 1], o: 1, k: [1, 1], p: convP([1, 1], [0, 0], [1, 1], 1), bias: false },
  { x: [2, 3, 7, 9], o: 4, k: [3, 3], p: convP([1, 1], [1, 1], [1, 1], 1), bias: true },
  { x: [2, 3, 17, 7], o: 5, k: [3, 2], p: convP([2, 1], [1, 0], [1, 1], 1), bias: true },
  { x: [3, 4, 9, 9], o: 6, k: [3, 3], p: convP([1, 2], [2, 2], [2, 1], 2), bias: false },
  { x: [2, 8, 5, 5], o: 16, k: [1, 1], p: convP([1, 1], [0, 0], [1, 1], 1), bias: true },
  { x: [2, 4, 9, 9], o: 4, k: [3, 3], p: convP([1, 1], [1, 1], [1, 1], 4), bias: true },
  { x: [1, 2, 33, 33], o: 3, k: [5, 5], p: convP([3, 3], [2, 2], [1, 1], 1), bias: false },
  // A batch of one: on 2 threads the kernels cut the image into bands of rows or channels.
  { x: [1, 6, 13, 11], o: 4, k: [3, 3], p: convP([1, 1], [1, 1], [1, 1], 1), bias: true },
  { x: [1, 5, 9, 9], o: 7, k: [1, 1], p: convP([1, 1], [0, 0], [1, 1], 1), bias: false },
  { x: [1, 3, 12, 10], o: 3, k: [3, 3], p: convP([2, 2], [1, 1], [1, 1], 3), bias: false },
  // cg·kH·kW = 288 spans two of the gemm's 256-deep K blocks.
  { x: [3, 32, 6, 6], o: 8, k: [3, 3], p: convP([1, 1], [1, 1], [1, 1], 1), bias: true },
  // Winograd (3×3, stride 1, >= 8 channels each way; F(2×2,3×3) or F(4×4,3×3)): odd and even sizes, tile rows
  // that are not a multiple of 4 tiles, paddings 0-2 (the input gradient pads gy by 2 - p), groups,
  // a 1×1 output, and a single image cut into bands of rows on 2 threads.
  { x: [2, 16, 14, 14], o: 32, k: [3, 3], p: convP([1, 1], [1, 1], [1, 1], 1), bias: true },
  { x: [2, 9, 7, 17], o: 11, k: [3, 3], p: convP([1, 1], [1, 1], [1, 1], 1), bias: true },
  { x: [1, 8, 13, 9], o: 13, k: [3, 3], p: convP([1, 1], [0, 2], [1, 1], 1), bias: false },
  { x: [3, 16, 3, 3], o: 8, k: [3, 3], p: convP([1, 1], [0, 0], [1, 1], 2), bias: true },
  { x: [2, 16, 5, 6], o: 18, k: [3, 3], p: convP([1, 1], [1, 2], [1, 1], 2), bias: true },
  { x: [1, 12, 30, 65], o: 20, k: [3, 3], p: convP([1, 1], [2, 1], [1, 1], 1), bias: true },
  // F(4×4,3×3) (outputs of about 11 or more each way, conv.ts winogradF4; the CONV_CASES above with
  // 9-13 outputs a side take it too): 33 channels (5·6 + 3 rows of U), padding 0 and 1, 7 × 15
  // (partial 4×4 tiles and groups of 4 tiles), a batch of one in bands of 4 rows.
  { x: [1, 33, 17, 13], o: 16, k: [3, 3], p: convP([1, 1], [0, 1], [1, 1], 1), bias: true },
  { x: [2, 16, 7, 17], o: 33, k: [3, 3], p: convP([1, 1], [1, 0], [1, 1], 1), bias: false },
  { x: [1, 16, 28, 28], o: 32, k: [3, 3], p: convP([1, 1], [1, 1], [1, 1], 1), bias: true },
  // The direct weight gradient of stride-1 convs with at most 4 input channels per group
  // (convdirect-grad.ts): the MNIST first layer, widths that are not whole vectors, 5-wide and
  // 2-tall kernels (taps in 3s), 6 and 5 output channels (not in 4s), dilation, a batch of one.
  { x: [2, 1, 28, 28], o: 16, k: [3, 3], p: convP([1, 1], [1, 1], [1, 1], 1), bias: true },
  { x: [1, 3, 13, 11], o: 6, k: [5, 5], p: convP([1, 1], [2, 2], [1, 1], 1), bias: false },
  { x: [2, 2, 9, 10], o: 5, k: [2, 3], p: convP([1, 1], [0, 1], [2, 1], 1), bias: true },
  { x: [1, 4, 7, 7], o: 3, k: [3, 3], p: convP([1, 1], [1, 1], [1, 2], 1), bias: false },
  // The F(4×4) weight gradient's own GEMM (channels in panels of 8, output channels in slivers of
  // 6 and 4): 22 = 3·6 + 4 with 30 tiles (not a multiple of 4), and 2 groups of 10 = 6 + 4.
  { x: [1, 8, 20, 21], o: 22, k: [3, 3], p: convP([1, 1], [1, 1], [1, 1], 1), bias: false },
  { x: [2, 16, 11, 11], o: 20, k: [3, 3], p: convP([1, 1], [1, 1], [1, 1], 2), bias: true },
  // The same GEMM under F(2×2,3×3) (7 × 9 outputs): 10 = 6 + 4 output channels, 20 tiles.
  { x: [2, 8, 7, 9], o: 10, k: [3, 3], p: convP([1, 1], [1, 1], [1, 1], 1), bias: true },
];
/** Conv2d forward, input gradient and weight gradient: `wasm` against the js reference on the thread count set. */
export function checkConv(wasm: Backend): void {
  const g = new Generator(10);
  for (const c of CONV_CASES) {
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
}

// One call applies ReLU's mask, sums the bias gradient, routes the gradient to the conv's shape
// and runs both conv gradients from the arena: it must give exactly what binary("reluBackward"),
// reduce("sum"), maxPool2dBackward, conv2dBackwardWeight and conv2dBackwardInput give in turn
// (the same kernels), and the js backend's composition within float32 tolerance.
const POOL2: PoolParams = { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], countIncludePad: true };
const POOL3: PoolParams = { kernel: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1], countIncludePad: true };
const CRP_CASES: Array<{ x: number[]; o: number; pool: PoolParams | null }> = [
  { x: [2, 16, 14, 14], o: 32, pool: POOL2 },
  { x: [1, 3, 7, 17], o: 5, pool: POOL2 },
  { x: [3, 9, 9, 11], o: 11, pool: POOL3 },
  { x: [2, 4, 5, 5], o: 6, pool: null },
  // Over ~1 MiB per thread: the routing and both gradients run in chunks of images (6 + 6 + 1 on 1 thread).
  { x: [13, 16, 30, 30], o: 16, pool: POOL2 },
];
const CRP_PARAMS: ConvParams = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
/** Conv2dReluPoolBackward equals the kernels in turn, and the js composition: `wasm` against the js reference on the thread count set. */
export function checkConvReluPoolBackward(wasm: Backend): void {
  const g = new Generator(12);
  for (const k of CRP_CASES) {
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
      wasm.conv2dReluPoolBackward(gOut, output, indices, x, w, gx, gw, gb, CRP_PARAMS, convShape);
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
      wasm.conv2dBackwardInput(gy, w, gx2, CRP_PARAMS);
      wasm.conv2dBackwardWeight(x, gy, gw2, CRP_PARAMS);
      assertBitwise(gx.data, gx2.data, `gx ${what}`);
      assertBitwise(gw.data, gw2.data, `gw ${what}`);
      assertBitwise(gb.data, gb2.data, `gb ${what}`);
      const gx3 = zeros(k.x), gw3 = zeros(wShape), gb3 = zeros([k.o]);
      js.conv2dReluPoolBackward(gOut, output, indices, x, w, gx3, gw3, gb3, CRP_PARAMS, convShape);
      // Within float32 dot-product rounding of the sums (Winograd's order, K terms each).
      assertClose(gx, gx3, `gx vs js ${what}`, 1e-4, 1e-4,
        absConv(k.x, 9 * k.o, (be, o) => be.conv2dBackwardInput(absOf(gy), absOf(w), o, CRP_PARAMS)));
      assertClose(gw, gw3, `gw vs js ${what}`, 1e-4, 1e-4,
        absConv(wShape, k.x[0] * k.x[2] * k.x[3], (be, o) => be.conv2dBackwardWeight(absOf(x), absOf(gy), o, CRP_PARAMS)));
      assertClose(gb, gb3, `gb vs js ${what}`, 1e-4, 1e-4);
      // Any subset of the three gradients.
      const gxOnly = zeros(k.x);
      wasm.conv2dReluPoolBackward(gOut, output, indices, x, w, gxOnly, null, null, CRP_PARAMS, convShape);
      assertBitwise(gxOnly.data, gx2.data, `gx alone ${what}`);
      const gwOnly = zeros(wShape), gbToo = zeros([k.o]);
      wasm.conv2dReluPoolBackward(gOut, output, indices, x, w, null, gwOnly, gbToo, CRP_PARAMS, convShape);
      assertBitwise(gwOnly.data, gw2.data, `gw alone ${what}`);
      assertBitwise(gbToo.data, gb2.data, `gb with gw ${what}`);
    }
  }
}

export const poolP = (kernel: [number, number], stride: [number, number], padding: [number, number], dilation: [number, number], countIncludePad: boolean): PoolParams =>
  ({ kernel, stride, padding, dilation, countIncludePad });
// `out` overrides the floor-mode output shape: ceil_mode adds a last window that runs off the input.
const POOL_CASES: Array<{ x: number[]; p: PoolParams; out?: number[] }> = [
  { x: [1, 1, 1, 1], p: poolP([1, 1], [1, 1], [0, 0], [1, 1], true) },
  { x: [2, 3, 5, 7], p: poolP([2, 2], [2, 2], [0, 0], [1, 1], true), out: [2, 3, 3, 4] },
  { x: [1, 2, 6, 9], p: poolP([3, 3], [2, 2], [1, 1], [1, 1], false), out: [1, 2, 4, 5] },
  { x: [2, 3, 7, 7], p: poolP([2, 2], [2, 2], [0, 0], [1, 1], true) },
  { x: [2, 3, 17, 9], p: poolP([3, 3], [2, 1], [1, 1], [1, 1], false) },
  { x: [1, 5, 9, 65], p: poolP([3, 2], [1, 2], [1, 1], [2, 1], true) },
  { x: [3, 2, 8, 8], p: poolP([3, 3], [3, 3], [1, 1], [1, 1], false) },
  // The 2×2 stride-2 SIMD paths: 4 windows per step plus a scalar tail, odd sizes left over.
  { x: [2, 3, 9, 19], p: poolP([2, 2], [2, 2], [0, 0], [1, 1], true) },
  { x: [1, 2, 16, 16], p: poolP([2, 2], [2, 2], [0, 0], [1, 1], false) },
  { x: [1, 1, 2, 130], p: poolP([2, 2], [2, 2], [0, 0], [1, 1], true) },
  // General windows with stride 1 or 2 along W: 4 interior outputs per SIMD step, scalar borders.
  { x: [2, 3, 12, 40], p: poolP([3, 3], [1, 1], [1, 1], [1, 1], false) },
  { x: [1, 4, 11, 38], p: poolP([3, 3], [2, 2], [1, 1], [1, 1], true), out: [1, 4, 6, 20] },
  { x: [1, 2, 9, 30], p: poolP([2, 3], [1, 1], [1, 2], [1, 2], true) },
  { x: [1, 1, 5, 7], p: poolP([3, 3], [1, 2], [1, 1], [1, 1], false) },
];
const poolOut = (x: number[], p: PoolParams): number[] => [
  x[0], x[1],
  Math.floor((x[2] + 2 * p.padding[0] - p.dilation[0] * (p.kernel[0] - 1) - 1) / p.stride[0]) + 1,
  Math.floor((x[3] + 2 * p.padding[1] - p.dilation[1] * (p.kernel[1] - 1) - 1) / p.stride[1]) + 1,
];
/** Max and avg pooling, forward and backward: `wasm` against the js reference on the thread count set. */
export function checkPooling(wasm: Backend): void {
  const g = new Generator(11);
  for (const c of POOL_CASES) {
    const yShape = c.out ?? poolOut(c.x, c.p);
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
}

/** SgdUpdate and adamUpdate match the reference: `wasm` against the js reference on the thread count set. */
export function checkOptimizers(wasm: Backend): void {
  const g = new Generator(12);
  const rand = (n: number, lo = -1, hi = 1) => Float32Array.from({ length: n }, () => lo + (hi - lo) * g.random());
  // 8192 and 70001: one whole chunk of the wasm update's and several with an odd remainder (optim.ts);
  // 7, 17 and 65 leave remainders after plain SGD's 8-wide loop and the 2-wide one.
  for (const n of [1, 7, 17, 65, 8192, 70001]) {
    for (const [momentum, nesterov, first, wd] of [[0, false, false, 0], [0, false, false, 1e-2], [0.9, false, true, 0], [0.9, true, false, 1e-2], [0.5, false, false, 0]] as const) {
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
}

/** Winograd conv forward, input gradient and weight gradient stay within float32 dot-product rounding of a float64 reference: `wasm` against the js reference on the thread count set. */
export function checkWinogradBound(wasm: Backend): void {
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
    check("conv2d", [N, O, H, W], (be, a, b, out) => be.conv2d(a, b, null, out, p), x, w, 9 * C);
    check("conv2dBackwardInput", [N, C, H, W], (be, a, b, out) => be.conv2dBackwardInput(a, b, out, p), gy, w, 9 * O);
    check("conv2dBackwardWeight", [O, C, 3, 3], (be, a, b, out) => be.conv2dBackwardWeight(a, b, out, p), x, gy, N * H * W);
  }
}

/** Image i of the contiguous batch v, as a [1, ...] view into the same storage. */
function image(v: View, i: number): View {
  const per = numel(v.shape) / v.shape[0];
  return view(v.data as Float32Array, [1, ...v.shape.slice(1)], undefined, v.offset + i * per, v.dtype);
}

/**
 * Batches whose operands pass ~1 MiB run in chunks of images (src/backend/wasm/conv.ts, inChunks),
 * the weights packed by the first chunk only: the forward, the input gradient and the fused
 * conv + bias + ReLU (+ 2×2 max-pool, with and without indices) must give the bits of the same
 * images run one call each (never chunked), and the js reference within float32 tolerance (on two
 * images: the js convolutions would take most of the test's time).
 * 37×37 outputs end in partial F(4×4) tiles; 16 channels in and out are 175 KB per image, so 13
 * images run as chunks of 5 + 5 + 3 on 1 thread and 10 + 3 on 2; the pooled op's smaller outputs
 * (129 KB per image with the indices) take 19 images: 8 + 8 + 3 on 1 thread, 16 + 3 on 2.
 */
/** The dense [N,C,H,W] view v's values in a non-dense view (each row followed by one unused float). */
function padW(v: View): View {
  const [N, C, H, W] = v.shape, src = v.data as Float32Array, d = new Float32Array(N * C * H * (W + 1));
  for (let r = 0; r < N * C * H; r++) d.set(src.subarray(v.offset + r * W, v.offset + (r + 1) * W), r * (W + 1));
  return view(d, v.shape, [C * H * (W + 1), H * (W + 1), W + 1, 1]);
}

export function checkConvChunks(wasm: Backend): void {
  const g = new Generator(14);
  const p: ConvParams = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
  const w = randView(g, [16, 16, 3, 3]), bias = randView(g, [16]);
  const x = randView(g, [13, 16, 37, 37]), gy = randView(g, [13, 16, 37, 37]);
  const y = zeros([13, 16, 37, 37]), gx = zeros([13, 16, 37, 37]);
  wasm.conv2d(x, w, bias, y, p);
  wasm.conv2dBackwardInput(gy, w, gx, p);
  const plane = 16 * 37 * 37;
  for (let i = 0; i < 13; i++) {
    const yi = zeros([1, 16, 37, 37]), gxi = zeros([1, 16, 37, 37]);
    wasm.conv2d(image(x, i), w, bias, yi, p);
    wasm.conv2dBackwardInput(image(gy, i), w, gxi, p);
    assertBitwise((y.data as Float32Array).subarray(i * plane, (i + 1) * plane), yi.data as Float32Array, `chunked conv2d, image ${i}`);
    assertBitwise((gx.data as Float32Array).subarray(i * plane, (i + 1) * plane), gxi.data as Float32Array, `chunked conv2dBackwardInput, image ${i}`);
  }
  // The js reference on the first two images (the rest are the same kernel on other data, above).
  const two = (v: View): View => view(v.data as Float32Array, [2, ...v.shape.slice(1)], undefined, v.offset, v.dtype);
  const yj = zeros([2, 16, 37, 37]), gxj = zeros([2, 16, 37, 37]);
  js.conv2d(two(x), w, bias, yj, p);
  js.conv2dBackwardInput(two(gy), w, gxj, p);
  assertClose((y.data as Float32Array).subarray(0, 2 * plane), yj, "chunked conv2d vs js", 1e-4, 1e-5,
    absConv([2, 16, 37, 37], 144, (be, o) => be.conv2d(absOf(two(x)), absOf(w), null, o, p)));
  assertClose((gx.data as Float32Array).subarray(0, 2 * plane), gxj, "chunked conv2dBackwardInput vs js", 1e-4, 1e-5,
    absConv([2, 16, 37, 37], 144, (be, o) => be.conv2dBackwardInput(absOf(two(gy)), absOf(w), o, p)));
  // The weight gradient sums over the batch: each chunk adds into the same per-thread sums, in the
  // order one call over the whole batch adds them, which a non-dense x (staged whole) takes.
  const gw = zeros([16, 16, 3, 3]), gwWhole = zeros([16, 16, 3, 3]), gwj = zeros([16, 16, 3, 3]);
  wasm.conv2dBackwardWeight(x, gy, gw, p);
  wasm.conv2dBackwardWeight(padW(x), gy, gwWhole, p);
  assertBitwise(gw.data as Float32Array, gwWhole.data as Float32Array, "chunked conv2dBackwardWeight vs the whole batch");
  js.conv2dBackwardWeight(x, gy, gwj, p);
  assertClose(gw, gwj, "chunked conv2dBackwardWeight vs js", 1e-4, 1e-4,
    absConv([16, 16, 3, 3], 13 * 37 * 37, (be, o) => be.conv2dBackwardWeight(absOf(x), absOf(gy), o, p)));
  const xp = randView(g, [19, 16, 37, 37]), pooled = 16 * 18 * 18;
  const outs: Float32Array[] = [];
  for (const withIndices of [true, false]) {
    const out = zeros([19, 16, 18, 18]), idx = withIndices ? zeros([19, 16, 18, 18], "int32") : null;
    wasm.conv2dReluPool(xp, w, bias, out, idx, p, POOL2, [19, 16, 37, 37]);
    outs.push(out.data as Float32Array);
    for (let i = 0; i < 19; i++) {
      const oi = zeros([1, 16, 18, 18]), ii = withIndices ? zeros([1, 16, 18, 18], "int32") : null;
      wasm.conv2dReluPool(image(xp, i), w, bias, oi, ii, p, POOL2, [1, 16, 37, 37]);
      assertBitwise((out.data as Float32Array).subarray(i * pooled, (i + 1) * pooled), oi.data as Float32Array, `chunked conv2dReluPool, image ${i}`);
      if (idx && ii) assertBitwise((idx.data as Int32Array).subarray(i * pooled, (i + 1) * pooled), ii.data as Int32Array, `chunked conv2dReluPool indices, image ${i}`);
    }
  }
  assertBitwise(outs[1], outs[0], "conv2dReluPool without indices vs with");
  // Against js: each pooled value within the bound of the conv output its window picked.
  const outj = zeros([2, 16, 18, 18]), idxj = zeros([2, 16, 18, 18], "int32");
  js.conv2dReluPool(two(xp), w, bias, outj, idxj, p, POOL2, [2, 16, 37, 37]);
  const full = absConv([2, 16, 37, 37], 144, (be, o) => be.conv2d(absOf(two(xp)), absOf(w), null, o, p));
  const scale = Float64Array.from(idxj.data as Int32Array, (k, i) => full[Math.floor(i / 324) * 1369 + k]);
  assertClose(outs[0].subarray(0, 2 * pooled), outj, "chunked conv2dReluPool vs js", 1e-4, 1e-5, scale);
}
