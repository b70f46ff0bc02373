/**
 * Per-op JavaScript overhead, in process CPU time (so other processes on a shared machine do not
 * count; the best batch is the steadiest figure when they crowd the caches), 1 thread, wasm backend:
 *
 *   node --import tsx bench/op-overhead.ts            all rows
 *   node --cpu-prof --import tsx bench/op-overhead.ts mlp   one row, with a V8 CPU profile
 *
 * Rows: add of two [64] tensors (no grad), the same with a tensor that requires grad (records a
 * node), linear forward and forward+backward at the MLP's first layer, and the MNIST MLP's SGD
 * training step (bench/run.ts's "train mlp batch 64 SGD").
 */
import { Generator, randn, noGrad } from "../src/core.js";
import * as nn from "../src/nn/index.js";
import { setNumThreads } from "../src/backend/wasm/index.js";
import { useWasm } from "./wasm-backend.js";
import { deeptypeTrainStep } from "./train-step.js";

useWasm("bench/op-overhead");
setNumThreads(Number(process.env.THREADS ?? 1));

/** Median and minimum over 7 batches of CPU microseconds per call, each batch lasting about 100 ms. */
function cpuUs(fn: () => void): [number, number] {
  const t0 = performance.now();
  let calls = 0;
  while (performance.now() - t0 < 200) {
    fn();
    calls++;
  }
  const reps = Math.max(1, Math.round(calls / 2));
  const xs: number[] = [];
  for (let k = 0; k < 7; k++) {
    const c = process.cpuUsage();
    for (let r = 0; r < reps; r++) fn();
    const u = process.cpuUsage(c);
    xs.push((u.user + u.system) / reps);
  }
  xs.sort((a, b) => a - b);
  return [xs[3], xs[0]];
}

const g = new Generator(0);
const rows: Record<string, () => () => void> = {
  add: () => {
    const a = randn([64], { generator: g }), b = randn([64], { generator: g });
    return () => a.add(b);
  },
  addGrad: () => {
    const a = randn([64], { generator: g }).requiresGrad_(), b = randn([64], { generator: g });
    return () => a.add(b);
  },
  relu: () => {
    const a = randn([64, 256], { generator: g });
    return () => a.relu();
  },
  linearFwd: () => {
    const x = randn([64, 784], { generator: g }), l = new nn.Linear(784, 256);
    return () => noGrad(() => l.call(x));
  },
  linearFwdBwd: () => {
    const x = randn([64, 784], { generator: g }), l = new nn.Linear(784, 256);
    return () => l.call(x).sum().backward();
  },
  mlp: () => deeptypeTrainStep("mlp", "SGD", g),
};
const pick = process.argv.slice(2);
// DEEPTYPE_PROFILE_S=5 runs each picked row that long before timing it, so a --cpu-prof profile is
// dominated by the row and not by module loading.
const profileS = Number(process.env.DEEPTYPE_PROFILE_S ?? 0);
for (const [name, make] of Object.entries(rows)) {
  if (pick.length && !pick.includes(name)) continue;
  const fn = make();
  for (const t0 = performance.now(); performance.now() - t0 < profileS * 1e3;) fn();
  const [us, best] = cpuUs(fn);
  const show = (v: number) => (v < 100 ? `${v.toFixed(2)} us` : `${(v / 1e3).toFixed(3)} ms`);
  // Minor page faults per call: fresh memory from the OS is what makes big allocations expensive.
  const f0 = process.resourceUsage().minorPageFault;
  for (let i = 0; i < 50; i++) fn();
  const faults = (process.resourceUsage().minorPageFault - f0) / 50;
  console.log(`${name.padEnd(14)} median ${show(us)}, best ${show(best)}, ${faults.toFixed(1)} page faults/call`);
}
