/**
 * The pack id of the wasm forward and input-gradient conv tasks (src/backend/wasm/assembly/conv.ts,
 * packedFor): a chunked call packs the weights into each thread's scratch on that thread's first
 * share and later shares with the same id reuse them, whichever chunk they come in; another id, or 0,
 * packs again. Called here at the kernel level on the calling thread, where the weights can be
 * swapped between two calls to see which ones a call used.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JsBackend } from "../src/backend/js/index.js";
import { createWasmBackend, setNumThreads } from "../src/backend/wasm/index.js";
import { T } from "../src/backend/wasm/codes.js";
import { Generator } from "../src/tensor/generator.js";
import { assertBitwise, assertClose, randView, zeros } from "./backend-wasm-helpers.js";

const wasm = createWasmBackend();
assert.ok(wasm, "WebAssembly SIMD must be available on Node >= 20");
const js = new JsBackend();
const p = { stride: [1, 1] as [number, number], padding: [1, 1] as [number, number], dilation: [1, 1] as [number, number], groups: 1 };

describe("wasm conv tasks: pack id", () => {
  // [C, O, H, W]: the direct forward (fewer than 8 channels; its input gradient packs nothing), F(4×4)
  // and F(2×2) Winograd both ways; odd sizes and channels not a multiple of 4; 3 images, 1 thread.
  const cases: Array<[number, number, number, number, Array<"fwd" | "gx">]> = [
    [5, 6, 13, 11, ["fwd"]], [9, 10, 13, 14, ["fwd", "gx"]], [9, 10, 7, 7, ["fwd", "gx"]],
  ];
  for (const [C, O, H, W, tasks] of cases) {
    const g = new Generator(40 + H);
    const x = randView(g, [3, C, H, W]), w1 = randView(g, [O, C, 3, 3]), w2 = randView(g, [O, C, 3, 3]);
    const gy = randView(g, [3, O, H, W]);
    const want = (task: "fwd" | "gx", w: typeof w1): Float32Array => {
      const out = zeros(task === "fwd" ? [3, O, H, W] : [3, C, H, W]);
      if (task === "fwd") js.conv2d(x, w, null, out, p);
      else js.conv2dBackwardInput(gy, w, out, p);
      return out.data as Float32Array;
    };
    // One arena session running `task` with each [weights, packId] in turn on the same scratch.
    const calls = (task: "fwd" | "gx", runs: Array<[typeof w1, number]>): Float32Array[] => {
      setNumThreads(1);
      const s = wasm.sessionForBench();
      s.begin(1, Infinity);
      const dims = [3, C, H, W, O, 3, 3, H, W, 1, 1, 1, 1, 1, 1, 1];
      const stride = Math.ceil(s.k.exports.convScratchBytes(C, H, W, O, 3, 3, H, W, 1, 1, 1, 1, 1, 1, 1) / 64) * 64;
      const scratch = s.arena.alloc(stride);
      const px = s.stageDense(task === "fwd" ? x : gy);
      const n = 3 * (task === "fwd" ? O : C) * H * W;
      return runs.map(([w, id]) => {
        const pw = s.stageDense(w), o = s.arena.alloc(n * 4);
        if (task === "fwd") s.run(T.conv2dTask, 1, [...dims, px, pw, 0, o, scratch, stride, 0, 0, id]);
        else s.run(T.conv2dBackwardInputTask, 1, [...dims, px, pw, o, scratch, stride, id]);
        return s.arena.heapFor(new Float32Array(0)).slice(o / 4, o / 4 + n) as Float32Array;
      });
    };
    for (const task of tasks) {
      it(`${task} [3,${C},${H},${W}]·${O}: the same id reuses the packed weights, another id or 0 packs again`, () => {
        const [a, reused, fresh, zero, again] = calls(task, [[w1, 7], [w2, 7], [w2, 8], [w1, 0], [w2, 0]]);
        // Which weights a call used shows at 1e-3 (the outputs of w1 and w2 differ by ~1); Winograd's
        // float32 error is bounded in test/backend-wasm.test.ts.
        assertClose(a, want(task, w1), `${task} with w1`, 1e-3, 1e-3);
        // Same id, new weights: the call used the w1 packed by the first.
        assertBitwise(reused, a, `${task}: id 7 again reuses w1's packing`);
        assertClose(fresh, want(task, w2), `${task}: id 8 packs w2`, 1e-3, 1e-3);
        // 0 always packs: twice in a row with other weights, each call's own.
        assertBitwise(zero, a, `${task}: id 0 packs w1`);
        assertBitwise(again, fresh, `${task}: id 0 packs w2`);
      });
    }
  }
});
