/**
 * The plain-SIMD build (no relaxed SIMD, so no FMA: mul + add rounding, the 4×8 GEMM micro-kernel)
 * is what browsers without relaxed SIMD get, and this engine would never pick it (it has relaxed
 * SIMD). Here it is instantiated by name (loadBuild) on a plain memory, one thread, and a slice of
 * the wasm kernel checks runs on it against the js reference: elementwise, reductions, softmax,
 * matmul, the fused linear and its backward, every convolution algorithm (im2col + GEMM, direct,
 * Winograd F(2×2) and F(4×4), direct weight gradient) and its error bound, the fused conv + ReLU +
 * pool both ways, pooling, and the optimizers.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConvParams, PoolParams } from "../src/backend/backend.js";
import { JsBackend } from "../src/backend/js/index.js";
import { createWasmBackend, setNumThreads, WasmBackend } from "../src/backend/wasm/index.js";
import { loadBuild } from "../src/backend/wasm/loader.js";
import { Generator } from "../src/tensor/generator.js";
import {
  absDot, checkBinary, checkCompareCastWhere, checkConv, checkConvReluPoolBackward, checkMatmul, checkOptimizers, checkPooling,
  checkReduce, checkSoftmax, checkUnary, checkWinogradBound,
} from "./backend-wasm-cases.js";
import { assertClose, randView, zeros } from "./backend-wasm-helpers.js";

const kernels = loadBuild("simd");
assert.ok(kernels, "the plain-SIMD build must validate on Node >= 20");
const simd = new WasmBackend(kernels);
const js = new JsBackend();
// A backend on a plain memory never threads; 1 also keeps the other test files' setting out of it.
setNumThreads(1);

describe("wasm backend, plain-SIMD build (no FMA), 1 thread", () => {
  it("is the plain-SIMD build on a plain memory, whose products round otherwise than the FMA build's", () => {
    assert.equal(simd.variant, "simd");
    assert.equal(kernels.shared, false);
    const fma = createWasmBackend({ sharedMemory: false });
    assert.equal(fma?.variant, "relaxed-simd", "this engine has relaxed SIMD, so the default build is the FMA one");
    const g = new Generator(30);
    const a = randView(g, [1, 64, 256]), b = randView(g, [1, 256, 64]);
    const x = zeros([1, 64, 64]), y = zeros([1, 64, 64]);
    simd.matmul(a, b, x);
    fma!.matmul(a, b, y);
    // Separate multiplies and adds round each product: some of 4096 sums of 256 terms differ.
    assert.ok(x.data.some((v, i) => v !== y.data[i]), "the plain-SIMD build gave the FMA build's bits: it is not the build under test");
  });
  it("elementwise: unary, binary, compare, cast, where", () => {
    checkUnary(simd);
    checkBinary(simd);
    checkCompareCastWhere(simd);
  });
  it("reductions and softmax", () => {
    checkReduce(simd);
    checkSoftmax(simd);
  });
  it("matmul", () => checkMatmul(simd));
  it("linear (+ ReLU) and linearBackward (with and without the ReLU mask)", () => {
    const g = new Generator(31);
    for (const [M, K, N] of [[1, 1, 1], [7, 17, 3], [64, 65, 33], [5, 1031, 7]]) {
      for (const relu of [false, true]) {
        const x = randView(g, [M, K], "offset"), w = randView(g, [N, K]), b = randView(g, [N]);
        const a = zeros([M, N]), r = zeros([M, N]);
        simd.linear(x, w, b, a, relu);
        js.linear(x, w, b, r, relu);
        const what = `linear relu=${relu} [${M},${K}]·[${N},${K}]ᵀ`;
        // Σ|x||w| bounds the rounding of the dot products (the bias adds one rounding more).
        const wt = { ...w, shape: [1, K, N], strides: [0, w.strides[1], w.strides[0]] };
        const x3 = { ...x, shape: [1, M, K], strides: [0, ...x.strides] };
        assertClose(a, r, what, 1e-4, 1e-5, absDot(x3, wt, zeros([1, M, N])));
        const gy = randView(g, [M, N]);
        const out = relu ? r : null;
        const got = [zeros([M, K]), zeros([N, K]), zeros([N])], ref = [zeros([M, K]), zeros([N, K]), zeros([N])];
        simd.linearBackward(gy, out, x, w, got[0], got[1], got[2]);
        js.linearBackward(gy, out, x, w, ref[0], ref[1], ref[2]);
        ["gx", "gw", "gb"].forEach((name, i) => assertClose(got[i], ref[i], `${what} ${name}`, 1e-4, 1e-4));
      }
    }
  });
  it("convolutions: forward, input and weight gradients, every algorithm", () => checkConv(simd));
  it("Winograd stays within float32 dot-product rounding", () => checkWinogradBound(simd));
  it("fused conv + bias + ReLU + 2×2 max-pool forward, and conv2dReluPoolBackward", () => {
    const g = new Generator(32);
    const p: ConvParams = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
    const pool: PoolParams = { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], countIncludePad: true };
    for (const [N, C, H, W, O] of [[2, 1, 28, 28, 16], [2, 16, 14, 14, 32], [1, 3, 7, 9, 5]]) {
      const x = randView(g, [N, C, H, W]), w = randView(g, [O, C, 3, 3]), b = randView(g, [O]);
      const convShape = [N, O, H, W], outShape = [N, O, H >> 1, W >> 1];
      const [a, r] = [zeros(outShape), zeros(outShape)];
      const [ia, ir] = [zeros(outShape, "int32"), zeros(outShape, "int32")];
      simd.conv2dReluPool(x, w, b, a, ia, p, pool, convShape);
      js.conv2dReluPool(x, w, b, r, ir, p, pool, convShape);
      assertClose(a, r, `conv2dReluPool [${N},${C},${H},${W}]x${O}`, 1e-4, 1e-4);
    }
    checkConvReluPoolBackward(simd);
  });
  it("pooling, forward and backward", () => checkPooling(simd));
  it("SGD and Adam updates", () => checkOptimizers(simd));
});
