/**
 * The wasm conv input gradient through the F(4×4) forward's adjoint (src/backend/wasm/assembly/winograd4-gx.ts,
 * taken when gy's width is a multiple of 4, at least 16, and gy has at least as many channels as gx):
 * within float32 dot-product rounding of a float64 reference, the same bits on 1 and 2 threads (a
 * batch of one is cut into bands of rows that recompute a tile row each; chunked batches), and each
 * chunked image's bits equal a call on that image alone.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConvParams, View } from "../src/backend/backend.js";
import { JsBackend } from "../src/backend/js/index.js";
import { createWasmBackend, setNumThreads } from "../src/backend/wasm/index.js";
import { Generator } from "../src/tensor/generator.js";
import { assertBitwise, randView, view, zeros } from "./backend-wasm-helpers.js";

const wasm = createWasmBackend();
assert.ok(wasm, "WebAssembly SIMD must be available on Node >= 20");
const js = new JsBackend();
const P = (pad: number): ConvParams => ({ stride: [1, 1], padding: [pad, pad], dilation: [1, 1], groups: 1 });

function withThreads<T>(nt: number, f: () => T): T {
  setNumThreads(nt);
  try {
    return f();
  } finally {
    setNumThreads(1);
  }
}

/** gx of gy [N, O, oH, oW] by w [O, C, 3, 3] on wasm, into a fresh [N, C, H, W] array. */
function gxOf(gy: View, w: View, xShape: number[], p: ConvParams): Float32Array {
  const out = zeros(xShape);
  wasm!.conv2dBackwardInput(gy, w, out, p);
  return out.data as Float32Array;
}

// [N, C, H, W, O, pad]: gy widths 16 (one group of 4 tiles), 20 (a second group repeating 3 tiles) and
// 28 (repeating 1); gy heights 17, 14 and 46 end in a partial tile row (gy copied into a zero-padded
// band). The last is above the threading threshold (src/backend/wasm/thresholds.ts, PAR_CONV) with
// one image, so on 2 threads it runs as two bands of rows.
const CASES: number[][] = [[2, 24, 16, 16, 64, 1], [1, 32, 17, 20, 40, 1], [2, 16, 18, 22, 16, 0], [1, 16, 12, 14, 24, 2], [2, 8, 28, 28, 8, 1], [1, 32, 46, 48, 56, 1]];

describe("wasm conv2dBackwardInput, F(4×4) adjoint", () => {
  it("stays within 8·K ulps of Σ|gy·w| of a float64 reference (K = 9·O), on 1 and 2 threads with the same bits", () => {
    const g = new Generator(51);
    for (const [N, C, H, W, O, pad] of CASES) {
      const oH = H + 2 * pad - 2, oW = W + 2 * pad - 2, p = P(pad), xShape = [N, C, H, W];
      const gy = randView(g, [N, O, oH, oW]), w = randView(g, [O, C, 3, 3]);
      const f64 = (v: View): View => view(Float64Array.from(v.data as Float32Array), v.shape, v.strides, v.offset, "float64");
      const abs = (v: View): View => view(Float64Array.from(v.data as Float32Array, Math.abs), v.shape, v.strides, v.offset, "float64");
      const ref = zeros(xShape, "float64"), mag = zeros(xShape, "float64");
      js.conv2dBackwardInput(f64(gy), f64(w), ref, p);
      js.conv2dBackwardInput(abs(gy), abs(w), mag, p);
      const one = withThreads(1, () => gxOf(gy, w, xShape, p));
      const tol = 8 * 9 * O * 2 ** -24;
      for (let i = 0; i < one.length; i++) {
        const err = Math.abs(one[i] - ref.data[i]);
        assert.ok(err <= tol * mag.data[i] + 1e-30, `[${N},${C},${H},${W}]x${O} p${pad} gx[${i}]: ${one[i]} vs ${ref.data[i]} (bound ${tol * mag.data[i]})`);
      }
      // Two threads (above the threshold: two bands of rows of the one image).
      assertBitwise(withThreads(2, () => gxOf(gy, w, xShape, p)), one, `[${N},${C},${H},${W}]x${O} p${pad}, 2 threads vs 1`);
    }
  });

  it("a chunked batch gives each image's bits of a call on that image alone, on 1 and 2 threads", () => {
    const g = new Generator(52);
    const p = P(1), plane = 16 * 28 * 28;
    const gy = randView(g, [13, 32, 28, 28]), w = randView(g, [32, 16, 3, 3]);
    for (const nt of [1, 2]) {
      const all = withThreads(nt, () => gxOf(gy, w, [13, 16, 28, 28], p));
      for (let i = 0; i < 13; i++) {
        const gi = view(gy.data as Float32Array, [1, 32, 28, 28], undefined, i * 32 * 28 * 28);
        assertBitwise(all.subarray(i * plane, (i + 1) * plane), withThreads(nt, () => gxOf(gi, w, [1, 16, 28, 28], p)), `image ${i}, ${nt} thread(s)`);
      }
    }
  });
});
