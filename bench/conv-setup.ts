/**
 * The conv operands bench/conv-min.ts and bench/conv-parts.ts time: x [N,C,H,W] by O 3×3 filters,
 * stride 1, pad 1, on a one-thread wasm backend, with N C H W O from the command line (default the
 * CNN's 64 16 28 28 32). `ops` holds the three backend calls: fwd, gx (input gradient), gw (weight gradient).
 */
import type { ConvParams, View } from "../src/backend/backend.js";
import { setNumThreads } from "../src/backend/wasm/index.js";
import { Generator } from "../src/tensor/generator.js";
import { randomView } from "./views.js";
import { useWasm } from "./wasm-backend.js";

export const [N, C, H, W, O] = process.argv.length > 6 ? process.argv.slice(2, 7).map(Number) : [64, 16, 28, 28, 32];
export const w = useWasm("bench/conv-setup");
setNumThreads(1);
const g = new Generator(0);
const view = (shape: number[], fill = true): View => randomView(g, shape, fill);
const p: ConvParams = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
const x = view([N, C, H, W]), wt = view([O, C, 3, 3]), b = view([O]), y = view([N, O, H, W], false), gy = view([N, O, H, W]);
const gx = view([N, C, H, W], false), gw = view([O, C, 3, 3], false);
export const ops: Record<string, () => void> = {
  fwd: () => w.conv2d(x, wt, b, y, p),
  gx: () => w.conv2dBackwardInput(gy, wt, gx, p),
  gw: () => w.conv2dBackwardWeight(x, gy, gw, p),
};
