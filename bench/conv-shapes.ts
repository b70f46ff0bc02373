/**
 * The convolutions Winograd does not take (strided, 1×1, 5×5, dilated), op by op: forward (fwd),
 * input gradient (gx) and weight gradient (gw), the minimum over ROUNDS batches of one-thread
 * process CPU time per call, through the backend contract (operands staged into the arena and
 * results copied out, as an op does). With TORCH=1 it prints PyTorch's (1 thread, CPU time, minimum
 * of as many batches) beside each, from bench/torch/conv_shapes.py.
 *
 *   node --import tsx bench/conv-shapes.ts [filter]          # e.g. `s2` or `gw`
 *   TORCH=1 node --import tsx bench/conv-shapes.ts
 *
 * To compare two checkouts, copy this file into the other one and run both, alternating.
 */
import { execFileSync } from "node:child_process";
import type { ConvParams, View } from "../src/backend/backend.js";
import { setNumThreads } from "../src/backend/wasm/index.js";
import { useWasm } from "./wasm-backend.js";
import { Generator } from "../src/tensor/generator.js";
import { randomView } from "./views.js";

/** id, N C H W, O, kernel, stride, padding, dilation, groups: the same table as bench/torch/conv_shapes.py. */
export const SHAPES: Array<[string, number[], number, number, number, number, number, number]> = [
  ["s2", [64, 16, 28, 28], 32, 3, 2, 1, 1, 1],
  ["pw", [64, 64, 14, 14], 128, 1, 1, 0, 1, 1],
  ["pw-s2", [64, 64, 14, 14], 128, 1, 2, 0, 1, 1],
  ["lenet5", [64, 6, 28, 28], 16, 5, 1, 2, 1, 1],
  ["dil2", [64, 16, 28, 28], 32, 3, 1, 2, 2, 1],
  ["s2-c64", [32, 64, 28, 28], 64, 3, 2, 1, 1, 1],
  ["dw-s2", [64, 32, 28, 28], 32, 3, 2, 1, 1, 32],
  ["dw", [64, 32, 28, 28], 32, 3, 1, 1, 1, 32],
  ["c1-s2", [64, 1, 28, 28], 32, 3, 2, 1, 1, 1],
];

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const filter = process.argv[2] ?? "";
const w = useWasm("bench/conv-shapes");
setNumThreads(1);
const g = new Generator(0);
const view = (shape: number[], fill = true): View => randomView(g, shape, fill);

let torch: Record<string, number> = {};
if (process.env.TORCH) {
  const out = execFileSync(process.env.DEEPTYPE_PYTHON ?? "/usr/bin/python3",
    [new URL("./torch/conv_shapes.py", import.meta.url).pathname, String(ROUNDS)], { encoding: "utf8" });
  torch = JSON.parse(out.trim().split("\n").pop() as string) as Record<string, number>;
}

console.log(`bench/conv-shapes: wasm ${w.variant}, 1 thread, min of ${ROUNDS} batches, ms per call (process CPU time)`);
console.log(`| conv | op | deeptype |${process.env.TORCH ? " torch | ratio |" : ""}`);
for (const [id, [N, C, H, W], O, k, s, p, d, G] of SHAPES) {
  const oH = Math.floor((H + 2 * p - d * (k - 1) - 1) / s) + 1, oW = Math.floor((W + 2 * p - d * (k - 1) - 1) / s) + 1;
  const x = view([N, C, H, W]), wt = view([O, C / G, k, k]), b = view([O]);
  const y = view([N, O, oH, oW], false), gy = view([N, O, oH, oW]);
  const gx = view([N, C, H, W], false), gw = view([O, C / G, k, k], false);
  const cp: ConvParams = { stride: [s, s], padding: [p, p], dilation: [d, d], groups: G };
  const ops: Record<string, () => void> = {
    fwd: () => w.conv2d(x, wt, b, y, cp),
    gx: () => w.conv2dBackwardInput(gy, wt, gx, cp),
    gw: () => w.conv2dBackwardWeight(x, gy, gw, cp),
  };
  const label = `[${N},${C},${H},${W}]x${O} ${k}x${k} s${s} p${p} d${d}${G > 1 ? ` g${G}` : ""}`;
  for (const [name, fn] of Object.entries(ops)) {
    if (filter && !`${id}.${name}`.includes(filter)) continue;
    fn();
    const c0 = process.cpuUsage();
    fn();
    const u0 = process.cpuUsage(c0), once = (u0.user + u0.system) / 1e3;
    const reps = Math.max(1, Math.round(20 / Math.max(once, 0.05)));
    let best = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
      const c = process.cpuUsage();
      for (let i = 0; i < reps; i++) fn();
      const u = process.cpuUsage(c);
      best = Math.min(best, (u.user + u.system) / 1e3 / reps);
    }
    const t = torch[`${id}.${name}`];
    console.log(`| ${id} ${label} | ${name} | ${best.toFixed(2)} |${t ? ` ${t.toFixed(2)} | ${(best / t).toFixed(2)} |` : ""}`);
  }
}
