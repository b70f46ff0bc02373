// Results allocated without a zero-fill (allocateUninit, Tensor.uninit in src/tensor): the conv ops
// take their outputs this way, so each backend must write every element. These tests plant garbage
// (NaN) in the recycling pool, where Tensor.uninit takes it from, and check that the conv forward and
// input gradient never let it through, on the js and wasm backends and on 1 and 2 threads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator, Tensor, conv2d, conv2dRelu, full, linear, linearRelu, maxPool2dWithIndices, noGrad, randn, setBackend } from "../src/index.js";
import { allocate, allocateUninit } from "../src/tensor/dtype.js";
import { RECYCLE_MIN_BYTES, clearRecycled, recycleArray, recycleStats } from "../src/tensor/recycle.js";
import { apply } from "../src/ops/op.js";
import type { ConvParams } from "../src/backend/backend.js";
import { convInputGradOp } from "../src/ops/conv.js";
import { onBackends } from "./backends.js";

/** Puts `count` NaN-filled float32 buffers of n elements into the pool. */
function plantNaN(n: number, count = 2): void {
  for (let i = 0; i < count; i++) recycleArray(new Float32Array(n).fill(NaN));
}

test("allocateUninit: small arrays are allocate()'s zeros; large ones own their buffer and skip the zero-fill of a pooled one", () => {
  clearRecycled();
  const small = allocateUninit("float32", 10);
  assert.ok(small instanceof Float32Array && small.length === 10 && small.every((v) => v === 0));
  // Just below the pool's minimum: allocate()'s zeroed array, even with a dirty buffer pooled.
  recycleArray(new Uint8Array(RECYCLE_MIN_BYTES).fill(9));
  const below = allocateUninit("uint8", RECYCLE_MIN_BYTES - 1);
  assert.ok(below instanceof Uint8Array && below.length === RECYCLE_MIN_BYTES - 1 && below.every((v) => v === 0));
  assert.equal(recycleStats().reused, 0);
  // At the minimum: the pooled buffer as it was left.
  const at = allocateUninit("uint8", RECYCLE_MIN_BYTES);
  assert.equal(recycleStats().reused, 1);
  assert.ok(at.every((v) => v === 9), "a pooled buffer comes back as it was, not zeroed");
  // Nothing pooled: a fresh array that owns its whole buffer (so it can be pooled in turn).
  for (const [dtype, n] of [["float32", 40_000], ["int64", 20_000], ["float64", 16_385], ["int32", 16_384]] as const) {
    const a = allocateUninit(dtype, n);
    assert.equal(a.length, n, dtype);
    assert.equal(a.constructor, allocate(dtype, 1).constructor, dtype);
    assert.equal(a.byteOffset, 0, dtype);
    assert.equal(a.buffer.byteLength, a.byteLength, dtype);
  }
  clearRecycled();
});

test("allocate still zero-fills a pooled buffer that allocateUninit would have taken as it was", () => {
  clearRecycled();
  recycleArray(new Float32Array(RECYCLE_MIN_BYTES / 4).fill(3));
  const a = allocate("float32", RECYCLE_MIN_BYTES / 4);
  assert.equal(recycleStats().reused, 1);
  assert.ok(a.every((v) => v === 0));
  clearRecycled();
});

test("Tensor.uninit: shape, dtype, contiguous strides, and a fresh storage", () => {
  const t = Tensor.uninit([3, 4, 5], "float64");
  assert.deepEqual(t.shape, [3, 4, 5]);
  assert.deepEqual(t.strides, [20, 5, 1]);
  assert.equal(t.dtype, "float64");
  assert.equal(t.storage.data.length, 60);
  assert.notEqual(Tensor.uninit([3, 4, 5], "float64").storage, t.storage);
  assert.equal(Tensor.uninit([2, 3]).dtype, "float32");
});

// Odd sizes (partial Winograd tiles, chunks that do not divide the batch), a big enough batch for
// the chunked paths, and the F(4x4) 28x28 case.
const CASES: { x: number[]; w: number[]; padding: number; stride?: number }[] = [
  { x: [13, 16, 28, 28], w: [32, 16, 3, 3], padding: 1 },
  { x: [5, 3, 17, 11], w: [7, 3, 3, 3], padding: 1 },
  { x: [6, 8, 15, 13], w: [8, 8, 3, 3], padding: 0, stride: 2 },
];

test("conv2d and its input gradient write every element of their uninitialized outputs (js and wasm, 1 and 2 threads)", () => {
  const g = new Generator(3);
  for (const c of CASES) {
    const x = randn(c.x, { generator: g }), w = randn(c.w, { generator: g });
    const opts = { padding: c.padding, stride: c.stride ?? 1 };
    setBackend("js");
    const ref = noGrad(() => conv2d(x, w, null, opts));
    const gy = randn(ref.shape, { generator: g });
    const p: ConvParams = { stride: [opts.stride, opts.stride], padding: [c.padding, c.padding], dilation: [1, 1], groups: 1 };
    const gxOf = () => noGrad(() => apply(convInputGradOp, [gy, w], { p, outShape: c.x }));
    const refGx = gxOf();
    onBackends((_, b, nt) => {
      // Twice on wasm: the second call's chunks reuse the arena the first left dirty.
      for (let rep = 0; rep < (b === "js" ? 1 : 2); rep++) {
        clearRecycled();
        plantNaN(ref.numel());
        plantNaN(x.numel());
        const y = noGrad(() => conv2d(x, w, null, opts));
        const gx = gxOf();
        const what = `${b} ${nt}t x ${c.x} w ${c.w}`;
        assert.ok(recycleStats().reused >= (ref.numel() * 4 >= RECYCLE_MIN_BYTES ? 1 : 0), `${what}: the output came from the pool`);
        for (const [got, want, name] of [[y, ref, "y"], [gx, refGx, "gx"]] as const) {
          const gd = got.storage.data as Float32Array, wd = want.storage.data as Float32Array;
          assert.equal(gd.length, wd.length);
          for (let i = 0; i < gd.length; i++) {
            if (!(Math.abs(gd[i] - wd[i]) <= 1e-3 * (1 + Math.abs(wd[i])))) assert.fail(`${what} ${name}[${i}] = ${gd[i]}, expected ${wd[i]}`);
          }
        }
      }
    });
  }
  clearRecycled();
  setBackend("js");
});

/** Puts `count` int32 buffers of n elements filled with 0x7fffffff into the pool. */
function plantInt(n: number, count = 2): void {
  for (let i = 0; i < count; i++) recycleArray(new Int32Array(n).fill(0x7fffffff));
}

function assertNear(got: Tensor, want: Tensor, what: string): void {
  const gd = got.contiguous().storage.data as Float32Array, wd = want.contiguous().storage.data as Float32Array;
  assert.deepEqual(got.shape, want.shape, what);
  for (let i = 0; i < gd.length; i++) {
    if (!(Math.abs(gd[i] - wd[i]) <= 1e-3 * (1 + Math.abs(wd[i])))) assert.fail(`${what}[${i}] = ${gd[i]}, expected ${wd[i]}`);
  }
}

// Odd heights and widths (a row and a column no 2×2 window covers), ceil mode (windows past the
// edge: the js composition on every backend), and a batch the fused kernel runs in chunks.
const POOLED: { x: number[]; w: number[]; pool: { kernelSize: number; ceilMode?: boolean } }[] = [
  { x: [4, 16, 29, 27], w: [32, 16, 3, 3], pool: { kernelSize: 2 } },
  { x: [9, 16, 28, 28], w: [32, 16, 3, 3], pool: { kernelSize: 2 } },
  { x: [4, 8, 27, 29], w: [32, 8, 3, 3], pool: { kernelSize: 2, ceilMode: true } },
];

test("max-pool and the fused conv + ReLU + pool write every element of their uninitialized outputs, indices and gradients (js and wasm, 1 and 2 threads)", () => {
  const g = new Generator(5);
  for (const c of POOLED) {
    const x = randn(c.x, { generator: g }), w = randn(c.w, { generator: g }), b = randn([c.w[0]], { generator: g });
    const run = () => {
      const xr = x.detach().requiresGrad_(), wr = w.detach().requiresGrad_();
      const y = conv2dRelu(xr, wr, b, { padding: 1 }, c.pool);
      const { values, indices } = maxPool2dWithIndices(xr, 2, { ceilMode: c.pool.ceilMode ?? false });
      const gy = full(y.shape, 0.5), gp = full(values.shape, 0.25);
      y.backward(gy);
      const gx1 = xr.grad!;
      xr.grad = null;
      values.backward(gp);
      return { y, values, indices, gx1, gx2: xr.grad! };
    };
    setBackend("js");
    const ref = run();
    onBackends((_, be, nt) => {
      clearRecycled();
      for (const n of [ref.y.numel(), ref.values.numel(), x.numel()]) plantNaN(n, 3);
      for (const n of [ref.y.numel(), ref.values.numel()]) plantInt(n, 3);
      const got = run();
      const what = `${be} ${nt}t ${JSON.stringify(c)}`;
      assert.ok(recycleStats().reused >= 4, `${what}: outputs came from the pool (${recycleStats().reused})`);
      assertNear(got.y, ref.y, `${what} conv2dRelu`);
      assertNear(got.values, ref.values, `${what} maxPool2d`);
      assert.deepEqual([...got.indices.data()], [...ref.indices.data()], `${what} indices`);
      assertNear(got.gx1, ref.gx1, `${what} conv2dRelu's input gradient`);
      assertNear(got.gx2, ref.gx2, `${what} maxPool2d's input gradient`);
    });
  }
  clearRecycled();
  setBackend("js");
});

// linear and linearRelu take their output and their backward's gradients uninitialized: sizes whose
// output, input gradient and weight gradient are each above the pool's minimum (odd, so no kernel
// block divides them), and an empty inner dimension, where the product is all zeros and must be
// written as such.
const LINEAR: { m: number; n: number; k: number }[] = [
  // (k was 127: x and its gradient, 129·127 float32s, were 4 bytes under the minimum and never pooled.)
  { m: 129, n: 131, k: 129 },
  { m: 131, n: 129, k: 0 },
];

test("linear and linearRelu write every element of their uninitialized outputs and gradients (js and wasm, 1 and 2 threads)", () => {
  const g = new Generator(7);
  for (const c of LINEAR) {
    if (c.k) for (const n of [c.m * c.n, c.m * c.k, c.n * c.k]) assert.ok(n * 4 >= RECYCLE_MIN_BYTES, `${JSON.stringify(c)}: ${n} floats are under the pool's minimum`);
    const x = randn([c.m, c.k], { generator: g }), w = randn([c.n, c.k], { generator: g }), b = randn([c.n], { generator: g });
    const run = (relu: boolean) => {
      const xr = x.detach().requiresGrad_(), wr = w.detach().requiresGrad_(), br = b.detach().requiresGrad_();
      const y = (relu ? linearRelu : linear)(xr, wr, br);
      y.backward(full(y.shape, 0.5));
      return { y, gx: xr.grad!, gw: wr.grad!, gb: br.grad! };
    };
    for (const relu of [false, true]) {
      setBackend("js");
      const ref = run(relu);
      onBackends((_, be, nt) => {
        clearRecycled();
        for (const n of new Set([c.m * c.n, c.m * c.k, c.n * c.k])) plantNaN(n, 3);
        const got = run(relu);
        const what = `${be} ${nt}t ${relu ? "linearRelu" : "linear"} ${JSON.stringify(c)}`;
        assert.ok(recycleStats().reused >= (c.k ? 3 : 1), `${what}: outputs came from the pool (${recycleStats().reused})`);
        for (const k of ["y", "gx", "gw", "gb"] as const) assertNear(got[k], ref[k], `${what} ${k}`);
      });
    }
  }
  clearRecycled();
  setBackend("js");
});
