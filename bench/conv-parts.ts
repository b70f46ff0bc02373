/**
 * Where a conv call's time goes besides the kernel: each op of bench/conv-min.ts timed whole and
 * with the wasm kernels skipped (the backend's `run` replaced by a no-op), so the difference is the
 * kernels and the rest is staging into the arena, copying results out and JS glue. One thread,
 * minimum over 40 batches of process CPU time per call (robust to other processes' load).
 *
 *   node --import tsx bench/conv-parts.ts [N C H W O]      # default 64 16 28 28 32, 3×3 pad 1
 */
import type { ConvParams, View } from "../src/backend/backend.js";
import { createWasmBackend, setNumThreads } from "../src/backend/wasm/index.js";
import { Generator } from "../src/tensor/generator.js";

const [N, C, H, W, O] = process.argv.length > 6 ? process.argv.slice(2, 7).map(Number) : [64, 16, 28, 28, 32];
const w = createWasmBackend();
if (!w) throw new Error("bench/conv-parts: WebAssembly SIMD is unavailable here");
setNumThreads(1);
const g = new Generator(0);
const view = (shape: number[], fill = true): View => {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  if (fill) for (let i = 0; i < n; i++) data[i] = g.normal();
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  return { data, dtype: "float32", shape, strides, offset: 0 };
};
const p: ConvParams = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
const x = view([N, C, H, W]), wt = view([O, C, 3, 3]), b = view([O]), y = view([N, O, H, W], false), gy = view([N, O, H, W]);
const gx = view([N, C, H, W], false), gw = view([O, C, 3, 3], false);
const ops: Record<string, () => void> = {
  fwd: () => w.conv2d(x, wt, b, y, p),
  gx: () => w.conv2dBackwardInput(gy, wt, gx, p),
  gw: () => w.conv2dBackwardWeight(x, gy, gw, p),
};
const be = w as unknown as { run: (task: number, nt: number, args: number[]) => void };
const realRun = be.run;
const noRun = (): void => {};
const best: Record<string, number> = {};
for (let round = 0; round < 40; round++) {
  for (const [name, fn] of Object.entries(ops)) {
    for (const skip of [false, true]) {
      be.run = skip ? noRun : realRun;
      const c = process.cpuUsage();
      for (let r = 0; r < 3; r++) fn();
      const u = process.cpuUsage(c);
      const k = `${name}${skip ? "-copies" : ""}`;
      best[k] = Math.min(best[k] ?? Infinity, (u.user + u.system) / 1e3 / 3);
    }
  }
}
be.run = realRun;
console.log(`conv [${N},${C},${H},${W}]x${O}x3x3 p1, min CPU ms per call, 1 thread: whole call / without the kernels (staging, copies out, glue)`);
for (const name of Object.keys(ops)) console.log(`${name}: ${best[name].toFixed(2)} / ${best[`${name}-copies`].toFixed(2)}`);
