/**
 * The convolutions whose GEMM packs its operand straight from the image (assembly/im2colpack.ts:
 * strided, padded 1×1, and the weight gradient of every conv Winograd and the few-channel direct
 * kernel do not take), and the depthwise kernels built on the same gather (assembly/convdw.ts),
 * against the js reference: forward, input gradient and weight gradient over a
 * seeded sample of the grid sizes 1/3/7/17, padding 0/1/2, stride 1/2/3, dilation 1/2, groups
 * 1/2/depthwise, batch 1/2, channels 1/3/16/33, plus cases for the packing's block edges, on 1 and
 * 2 threads.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConvParams, View } from "../src/backend/backend.js";
import { JsBackend } from "../src/backend/js/index.js";
import { createWasmBackend, setNumThreads } from "../src/backend/wasm/index.js";
import { Generator } from "../src/tensor/generator.js";
import { assertClose, randView, zeros } from "./backend-wasm-helpers.js";

const wasmOrNull = createWasmBackend();
assert.ok(wasmOrNull, "WebAssembly SIMD must be available on Node >= 20");
const wasm = wasmOrNull;
const js = new JsBackend();

interface Case { x: number[]; o: number; k: number; p: ConvParams }
const P = (s: number, pad: number, d: number, groups: number): ConvParams => ({ stride: [s, s], padding: [pad, pad], dilation: [d, d], groups });
const outSize = (n: number, c: Case, i: 0 | 1): number => Math.floor((n + 2 * c.p.padding[i] - c.p.dilation[i] * (c.k - 1) - 1) / c.p.stride[i]) + 1;

/** A seeded sample of the grid, valid combinations only (output at least 1×1). */
function gridSample(n: number): Case[] {
  const g = new Generator(33);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(g.random() * a.length)];
  const out: Case[] = [];
  while (out.length < n) {
    const C = pick([1, 3, 16, 33]);
    const groups = pick(["1", "2", "dw"] as const);
    const G = groups === "dw" ? C : groups === "2" && C % 2 === 0 ? 2 : 1;
    const c: Case = {
      x: [pick([1, 2]), C, pick([1, 3, 7, 17]), pick([1, 3, 7, 17])],
      o: G === C ? C * pick([1, 2]) : G * pick([1, 3, 5, 8]),
      k: pick([1, 3, 5]),
      p: P(pick([1, 2, 3]), pick([0, 1, 2]), pick([1, 2]), G),
    };
    if (outSize(c.x[2], c, 0) >= 1 && outSize(c.x[3], c, 1) >= 1) out.push(c);
  }
  return out;
}

const CASES: Case[] = [
  // Stride 2 with output rows longer than 8 (the even-lane shuffles) and rows that end mid-sliver.
  { x: [2, 3, 33, 65], o: 5, k: 3, p: P(2, 1, 1, 1) },
  // Stride 3, 5×5 padding 2; stride 2 with dilation 2.
  { x: [1, 16, 17, 17], o: 8, k: 5, p: P(3, 2, 1, 1) },
  { x: [2, 16, 17, 17], o: 7, k: 3, p: P(2, 2, 2, 1) },
  // 1×1: padded (im2col needed, zeros around), strided (a downsampling shortcut), grouped.
  { x: [2, 16, 7, 7], o: 9, k: 1, p: P(1, 1, 1, 1) },
  { x: [2, 33, 17, 17], o: 16, k: 1, p: P(2, 0, 1, 1) },
  { x: [1, 16, 7, 9], o: 6, k: 1, p: P(3, 2, 1, 2) },
  // 33·9 = 297 taps: two of the GEMM's 256-deep K blocks in the forward (taps) and 4489 positions:
  // three NC-wide column blocks (padded 1×1 at 65 × 65 gives 67 × 67 outputs).
  { x: [1, 33, 15, 15], o: 7, k: 3, p: P(2, 1, 1, 1) },
  { x: [1, 4, 65, 65], o: 3, k: 1, p: P(1, 1, 1, 1) },
  // Weight gradients on the fused A packing at stride 1 (5×5 and dilated 3×3 with more than 4
  // channels, depthwise 3×3 stride 1) with more than 256 positions (depth blocks of the GEMM).
  { x: [2, 6, 17, 19], o: 16, k: 5, p: P(1, 2, 1, 1) },
  { x: [1, 16, 17, 17], o: 8, k: 3, p: P(1, 2, 2, 1) },
  { x: [2, 16, 17, 17], o: 16, k: 3, p: P(1, 1, 1, 16) },
  // One input channel per group (assembly/convdw.ts): a channel multiplier of 2 at stride 2 on a
  // batch of one (bands of rows on 2 threads), and planes of more than the 2048 positions its row
  // buffer holds (padded 1×1 forward and weight gradient; the 3×3 input gradient).
  { x: [1, 3, 17, 17], o: 6, k: 3, p: P(2, 1, 1, 3) },
  { x: [1, 2, 65, 65], o: 4, k: 1, p: P(1, 1, 1, 2) },
  { x: [1, 2, 65, 65], o: 2, k: 3, p: P(1, 1, 1, 2) },
  // One input channel with more than 8 outputs stays on the GEMM (convdw.ts depthwiseFits).
  { x: [2, 1, 17, 17], o: 12, k: 3, p: P(2, 1, 1, 1) },
  ...gridSample(48),
];

describe("wasm backend: convolutions packed from the image (im2col fused into the GEMM)", () => {
  for (const nt of [1, 2]) {
    it(`forward, input and weight gradient equal the js reference, ${nt} thread(s)`, () => {
      setNumThreads(nt);
      const g = new Generator(7);
      for (const c of CASES) {
        const [N, C, H, W] = c.x, G = c.p.groups, cg = C / G;
        const y = [N, c.o, outSize(H, c, 0), outSize(W, c, 1)], wShape = [c.o, cg, c.k, c.k];
        const what = `x [${c.x}] w [${wShape}] ${JSON.stringify(c.p)}`;
        const x = randView(g, c.x), w = randView(g, wShape), bias = randView(g, [c.o]), gy = randView(g, y);
        const abs = (v: View): View => ({ ...v, data: Float32Array.from(v.data as Float32Array, Math.abs) });
        // Sums of K terms: allow K ulps of Σ|terms| on top of rtol 1e-4 (the summation orders differ).
        const bound = (shape: number[], K: number, run: (out: View) => void): Float64Array => {
          const s = zeros(shape);
          run(s);
          return Float64Array.from(s.data, (v) => K * 2 ** -24 * v);
        };
        const kk = c.k * c.k;
        const a = zeros(y), b = zeros(y);
        wasm.conv2d(x, w, bias, a, c.p);
        js.conv2d(x, w, bias, b, c.p);
        assertClose(a, b, `conv2d ${what}`, 1e-4, 1e-5, bound(y, kk * cg, (o) => js.conv2d(abs(x), abs(w), null, o, c.p)));
        const gxa = zeros(c.x), gxb = zeros(c.x);
        wasm.conv2dBackwardInput(gy, w, gxa, c.p);
        js.conv2dBackwardInput(gy, w, gxb, c.p);
        assertClose(gxa, gxb, `conv2dBackwardInput ${what}`, 1e-4, 1e-5, bound(c.x, kk * c.o / G, (o) => js.conv2dBackwardInput(abs(gy), abs(w), o, c.p)));
        const gwa = zeros(wShape), gwb = zeros(wShape);
        wasm.conv2dBackwardWeight(x, gy, gwa, c.p);
        js.conv2dBackwardWeight(x, gy, gwb, c.p);
        assertClose(gwa, gwb, `conv2dBackwardWeight ${what}`, 1e-4, 1e-5, bound(wShape, N * y[2] * y[3], (o) => js.conv2dBackwardWeight(abs(x), abs(gy), o, c.p)));
      }
      setNumThreads(1);
    });
  }

  it("a padded border reads as zeros, not as the neighbouring row or plane", () => {
    // Ones inside, and a stride-2 3×3 all-ones kernel with padding 2: every output counts the taps
    // that land inside the image, which the wrap of a row or channel into the next would change.
    setNumThreads(1);
    const c: Case = { x: [1, 2, 5, 6], o: 1, k: 3, p: P(2, 2, 1, 1) };
    const x = zeros(c.x), w = zeros([1, 2, 3, 3]);
    (x.data as Float32Array).fill(1);
    (w.data as Float32Array).fill(1);
    const y = zeros([1, 1, outSize(5, c, 0), outSize(6, c, 1)]);
    wasm.conv2d(x, w, null, y, c.p);
    // 4 × 4 windows starting at -2, 0, 2, 4: over 5 rows they hold 1, 3, 3, 1 input rows, over 6
    // columns 1, 3, 3, 2 (the last covers 4 and 5; 6 is past the end).
    const rows = [1, 3, 3, 1], cols = [1, 3, 3, 2];
    assert.deepEqual(Array.from(y.data), rows.flatMap((r) => cols.map((q) => 2 * r * q)));
  });
});
