/**
 * The 2-thread conv forward, fused conv + ReLU + pool and input gradient as one ring job (chunks.ts,
 * inStream; pool.ts, startRing): the calling thread stages image after image into a ring of arena
 * slots, copies finished images out and takes images itself from the counter the helper claims from.
 * Each image must come out with the bits of the 1-thread call (whoever computed it, in whatever slot),
 * every image must be copied out (outputs start as NaN), slots must be reused (batches longer than
 * the ring), and a kernel that fails inside a ring job must throw, not hang, and leave the pool usable.
 * The weight gradient's lane job (inLanes) must give the bits of the 2-thread call over the whole batch.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConvParams, PoolParams } from "../src/backend/backend.js";
import { createWasmBackend, getNumThreads, poolStats, setNumThreads } from "../src/backend/wasm/index.js";
import { inStream, type StreamTrace, traceStream } from "../src/backend/wasm/chunks.js";
import { T } from "../src/backend/wasm/codes.js";
import { Generator } from "../src/tensor/generator.js";
import { assertBitwise, type NumView, randView, view } from "./backend-wasm-helpers.js";

const wasm = createWasmBackend()!;
const P = (pad: number): ConvParams => ({ stride: [1, 1], padding: [pad, pad], dilation: [1, 1], groups: 1 });
const POOL: PoolParams = { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], countIncludePad: true };
const nan = (shape: number[], dtype: "float32" | "int32" = "float32"): NumView => {
  const n = shape.reduce((a, b) => a * b, 1);
  return view(dtype === "int32" ? new Int32Array(n).fill(-7) : new Float32Array(n).fill(NaN), shape, undefined, 0, dtype);
};

/** Forward, fused (with and without indices) and input gradient of one case on `threads` threads. */
function run(threads: number, N: number, C: number, H: number, W: number, O: number, pad: number, seed: number): Array<[string, NumView]> {
  setNumThreads(threads);
  const g = new Generator(seed);
  const p = P(pad), oH = H + 2 * pad - 2, oW = W + 2 * pad - 2;
  const x = randView(g, [N, C, H, W]), w = randView(g, [O, C, 3, 3]), b = randView(g, [O]), gy = randView(g, [N, O, oH, oW]);
  const y = nan([N, O, oH, oW]), gx = nan([N, C, H, W]);
  wasm.conv2d(x, w, b, y, p);
  wasm.conv2dBackwardInput(gy, w, gx, p);
  const out: Array<[string, NumView]> = [["forward", y], ["input gradient", gx]];
  if (oH >= 2 && oW >= 2) {
    const pooled = [N, O, oH >> 1, oW >> 1];
    const v = nan(pooled), i = nan(pooled, "int32"), v2 = nan(pooled);
    wasm.conv2dReluPool(x, w, b, v, i, p, POOL, [N, O, oH, oW]);
    wasm.conv2dReluPool(x, w, b, v2, null, p, POOL, [N, O, oH, oW]);
    out.push(["fused values", v], ["fused indices", i], ["fused values without indices", v2]);
  }
  return out;
}

describe("wasm backend: conv as one ring job on 2 threads", () => {
  it("gives each image the bits of 1 thread, copies every image out and reuses the ring's slots", () => {
    // [N, C, H, W, O, pad]: the F(4×4) forward and adjoint input gradient at 28 wide (ring of 24
    // slots for 30 images), 65 wide (F(4×4), flipped-kernel gradient; ring 12 for 20), 3 channels in
    // (direct forward; ring 12 for 27), 17×17 unpadded (ring 64 for 70), and 3×7 with 128 channels.
    const cases: Array<[number, number, number, number, number, number]> = [
      [30, 16, 28, 28, 32, 1], [20, 8, 65, 65, 8, 1], [27, 3, 65, 65, 16, 1], [70, 16, 17, 17, 16, 0], [51, 128, 3, 7, 128, 1],
    ];
    const trace: StreamTrace = { calls: 0, copyIn: 0, copyOut: 0, compute: 0, wait: 0, mine: 0, shares: 0 };
    const solo0 = poolStats().solo;
    try {
      cases.forEach(([N, C, H, W, O, pad], k) => {
        const one = run(1, N, C, H, W, O, pad, 40 + k);
        traceStream(trace);
        const two = run(2, N, C, H, W, O, pad, 40 + k);
        traceStream(null);
        one.forEach(([what, a], j) => {
          const data = a.data as Float32Array | Int32Array;
          assert.ok(data.every((v) => !Number.isNaN(v) && v !== -7), `${what} [${N},${C},${H},${W}]x${O}: every element written on 1 thread`);
          assertBitwise(two[j][1].data, data, `${what} [${N},${C},${H},${W}]x${O} p${pad}, 2 threads vs 1`);
        });
      });
    } finally {
      traceStream(null);
      setNumThreads(2);
    }
    // Where 2 threads exist, the ring ran (unless the pool backed off to one thread on a crowded machine).
    if (getNumThreads() > 1) assert.ok(trace.calls > 0 || poolStats().solo > solo0, "the ring job ran");
  });

  it("the weight gradient as a lane job gives the bits of the 2-thread call over the whole batch", () => {
    // Lane L sums images L, L + 2, ... in order, as share L of the call over the whole batch: a
    // non-dense x (each image padded, the same values) runs whole, a dense one as a lane job.
    const cases: Array<[number, number, number, number, number, number]> = [
      [13, 16, 28, 28, 32, 1], [30, 16, 28, 28, 32, 1], [27, 3, 65, 65, 16, 1], [70, 16, 17, 17, 16, 0], [7, 16, 65, 65, 32, 1],
    ];
    const trace: StreamTrace = { calls: 0, copyIn: 0, copyOut: 0, compute: 0, wait: 0, mine: 0, shares: 0 };
    const solo0 = poolStats().solo;
    setNumThreads(2);
    try {
      cases.forEach(([N, C, H, W, O, pad], k) => {
        const g = new Generator(60 + k);
        const oH = H + 2 * pad - 2, oW = W + 2 * pad - 2, img = C * H * W;
        const x = randView(g, [N, C, H, W]), w = [O, C, 3, 3], gy = randView(g, [N, O, oH, oW]);
        // The same x with 5 floats between images: not dense, so it runs as one call.
        const padded = new Float32Array(N * (img + 5));
        for (let n = 0; n < N; n++) padded.set((x.data as Float32Array).subarray(n * img, (n + 1) * img), n * (img + 5));
        const xs = view(padded, [N, C, H, W], [img + 5, H * W, W, 1]);
        const a = nan(w), b = nan(w);
        traceStream(trace);
        wasm.conv2dBackwardWeight(x, gy, a, P(pad));
        traceStream(null);
        wasm.conv2dBackwardWeight(xs, gy, b, P(pad));
        assert.ok((b.data as Float32Array).every((v) => !Number.isNaN(v)), "the whole call writes every element");
        assertBitwise(a.data, b.data, `weight gradient [${N},${C},${H},${W}]x${O} p${pad}, lanes vs one call`);
      });
    } finally {
      traceStream(null);
    }
    if (getNumThreads() > 1) assert.ok(trace.calls > 0 || poolStats().solo > solo0, "the lane job ran");
  });

  it("a kernel that fails in a ring job throws on the calling thread, and the next job runs", () => {
    setNumThreads(2);
    if (getNumThreads() < 2) return;
    const s = wasm.sessionForBench();
    const g = new Generator(3);
    const x = randView(g, [40, 16, 28, 28]), y = nan([40, 32, 28, 28]);
    const nt = s.begin(1e12, 1);
    // Pointers past the end of memory: every share traps (a RuntimeError), on whichever thread.
    const far = 0x7ff00000;
    const args = (k: number) => [k, 16, 28, 28, 32, 3, 3, 28, 28, 1, 1, 1, 1, 1, 1, 1, far, far, 0, far, far, 0, 0, 0, 1];
    let ran = false, threw = false;
    try {
      ran = inStream(s, 40, nt, [x], [y], T.conv2dTask, (k) => args(k));
    } catch (e) {
      threw = true;
      assert.ok(e instanceof Error, "a kernel's trap reaches the caller as an Error");
    }
    // Either the ring ran and threw, or the pool was backing off and nothing ran.
    assert.ok(threw || !ran, "a trapping kernel in a ring job throws");
    // The pool is not left with a job: a real conv runs and gives 1 thread's bits.
    const one = run(1, 30, 16, 28, 28, 32, 1, 7), two = run(2, 30, 16, 28, 28, 32, 1, 7);
    one.forEach(([what, a], j) => assertBitwise(two[j][1].data, a.data, `${what} after a failed ring job`));
  });
});
