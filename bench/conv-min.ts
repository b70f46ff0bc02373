/**
 * deeptype's conv kernels alone (and one mnistCnn training step), for comparing kernel changes on a
 * busy machine: the minimum over 40 batches of one-thread process CPU time per call (the
 * least-disturbed batch), per op. No PyTorch: for ratios against it, bench/conv.ts.
 *
 *   node --import tsx bench/conv-min.ts [N C H W O]     # default the CNN's 64 16 28 28 32, 3×3 pad 1
 *   OPS=fwd,step node --import tsx bench/conv-min.ts    # only those (fwd, gx, gw, step)
 *
 * To compare with an older commit: `git worktree add /tmp/base <commit>`, link node_modules there,
 * `node scripts/build-wasm.mjs` in it, and run this file's copy there, alternating with this one.
 */
import { Generator } from "../src/tensor/generator.js";
import { randint, randn } from "../src/core.js";
import * as nn from "../src/nn/index.js";
import * as optim from "../src/optim/index.js";
import { mnistCnn } from "../src/models/index.js";
import { C, H, N, O, W, ops } from "./conv-setup.js";

// One training step of the MNIST CNN (batch 64, Adam) through the same backend (conv-setup selected it).
const model = mnistCnn(new Generator(0));
const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
const xb = randn([64, 1, 28, 28], { generator: new Generator(1) }), yb = randint(0, 10, [64], { generator: new Generator(2) });
ops.step = () => {
  opt.zeroGrad();
  nn.functional.crossEntropy(model.forward(xb), yb).backward();
  opt.step();
};
// OPS=fwd (a comma list) times only those, e.g. for a --cpu-prof of one kernel.
const only = process.env.OPS?.split(",");
for (const k of Object.keys(ops)) if (only && !only.includes(k)) delete ops[k];
const best: Record<string, number> = {};
for (let round = 0; round < 40; round++) {
  for (const [name, fn] of Object.entries(ops)) {
    const c = process.cpuUsage();
    for (let r = 0; r < 2; r++) fn();
    const u = process.cpuUsage(c);
    const ms = (u.user + u.system) / 1e3 / 2;
    best[name] = Math.min(best[name] ?? Infinity, ms);
  }
}
const flops = 2 * N * O * C * 9 * H * W;
console.log(`conv [${N},${C},${H},${W}]x${O}x3x3 p1, min ms per call (1 thread CPU time):`,
  Object.entries(best).map(([k, v]) => k === "step" ? `mnistCnn step ${v.toFixed(2)}` : `${k} ${v.toFixed(2)} (${(flops / v / 1e6).toFixed(1)} GFLOP/s-equiv)`).join(", "));
