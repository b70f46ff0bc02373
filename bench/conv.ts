/**
 * Convolution and pooling kernels against PyTorch (oneDNN), op by op, in one run:
 *
 *   node --import tsx bench/conv.ts [filter]        # e.g. `conv16` or `pool`
 *
 * For each op and thread count (1 and 2, `setNumThreads` here, `torch.set_num_threads` there) it
 * alternates a batch of deeptype calls with a batch of PyTorch calls (bench/torch/ops_server.py, a
 * persistent process) ROUNDS times and prints the medians, the spread (min-max of the batches) and
 * the ratio, so load from other processes hits both sides alike. On 1 thread the figures are process
 * CPU time (robust on a shared, oversubscribed machine); on 2 threads CPU time would hide the
 * speed-up, so they are wall-clock time (noisy there). deeptype is timed through the
 * backend contract (operands staged into the arena and results copied out, as an op does).
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { ConvParams, PoolParams, View } from "../src/backend/backend.js";
import { setNumThreads } from "../src/backend/wasm/index.js";
import { Generator } from "../src/tensor/generator.js";
import { randomView } from "./views.js";
import { useWasm } from "./wasm-backend.js";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const filter = process.argv[2] ?? "";
const w = useWasm("bench/conv");

const g = new Generator(0);
const view = (shape: number[], fill = true, dtype: "float32" | "int32" = "float32"): View => randomView(g, shape, fill, dtype);

type Case = Record<string, () => void>;
function convCase(N: number, C: number, H: number, W: number, O: number, k: number, pad: number): Case {
  const x = view([N, C, H, W]), wt = view([O, C, k, k]), b = view([O]);
  const oH = H + 2 * pad - k + 1, oW = W + 2 * pad - k + 1;
  const y = view([N, O, oH, oW], false), gy = view([N, O, oH, oW]);
  const gx = view([N, C, H, W], false), gw = view([O, C, k, k], false);
  const p: ConvParams = { stride: [1, 1], padding: [pad, pad], dilation: [1, 1], groups: 1 };
  const pooled = view([N, O, oH >> 1, oW >> 1], false), idx = view([N, O, oH >> 1, oW >> 1], false, "int32");
  const pp: PoolParams = { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], countIncludePad: true };
  const be = w as unknown as Record<string, (...a: unknown[]) => void>;
  const c: Case = {
    fwd: () => w.conv2d(x, wt, b, y, p),
    gx: () => w.conv2dBackwardInput(gy, wt, gx, p),
    gw: () => w.conv2dBackwardWeight(x, gy, gw, p),
  };
  // The fused conv + bias + ReLU + max-pool kernel where the backend has one, else the three ops.
  c.crp = typeof be.conv2dReluPool === "function"
    ? () => be.conv2dReluPool(x, wt, b, pooled, idx, p, pp, [N, O, oH, oW])
    : () => { w.conv2d(x, wt, b, y, p); w.unary("relu", y, y); w.maxPool2d(y, pooled, idx, pp); };
  return c;
}
function poolCase(N: number, C: number, H: number, W: number, k = 2, s = 2, pad = 0): Case {
  const oH = Math.floor((H + 2 * pad - k) / s) + 1, oW = Math.floor((W + 2 * pad - k) / s) + 1;
  const x = view([N, C, H, W]), gx = view([N, C, H, W], false);
  const y = view([N, C, oH, oW], false), gy = view([N, C, oH, oW]);
  const idx = view([N, C, oH, oW], false, "int32");
  const p: PoolParams = { kernel: [k, k], stride: [s, s], padding: [pad, pad], dilation: [1, 1], countIncludePad: true };
  w.maxPool2d(x, y, idx, p);
  return {
    maxfwd: () => w.maxPool2d(x, y, idx, p),
    maxbwd: () => w.maxPool2dBackward(gy, idx, gx),
    avgfwd: () => w.avgPool2d(x, y, p),
    avgbwd: () => w.avgPool2dBackward(gy, gx, p),
  };
}

const cases: Array<[string, string, Case]> = [
  ["conv1", "conv [64,1,28,28]·[16,1,3,3] p1", convCase(64, 1, 28, 28, 16, 3, 1)],
  ["conv2", "conv [64,16,14,14]·[32,16,3,3] p1", convCase(64, 16, 14, 14, 32, 3, 1)],
  ["conv16", "conv [64,16,28,28]·[32,16,3,3] p1", convCase(64, 16, 28, 28, 32, 3, 1)],
  ["pool16", "pool2 [64,16,28,28]", poolCase(64, 16, 28, 28)],
  ["pool32", "pool2 [64,32,14,14]", poolCase(64, 32, 14, 14)],
  // General windows: ResNet's stem pool and a stride-1 3x3 pool (the SIMD interior paths).
  ["pool3s2", "pool 3x3 s2 p1 [32,64,56,56]", poolCase(32, 64, 56, 56, 3, 2, 1)],
  ["pool3s1", "pool 3x3 s1 p1 [32,64,28,28]", poolCase(32, 64, 28, 28, 3, 1, 1)],
];

const py = spawn(process.env.DEEPTYPE_PYTHON ?? "/usr/bin/python3", [new URL("./torch/ops_server.py", import.meta.url).pathname], { stdio: ["pipe", "pipe", "inherit"] });
const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
const next = async (): Promise<string> => (await lines.next()).value as string;
const torchInfo = JSON.parse(await next()) as { version: string; blas: string[] };
const blas = /BLAS_INFO=(\w+)/.exec(torchInfo.blas.join(" "))?.[1] ?? "?";
const mkldnn = /USE_MKLDNN=(\w+)/.exec(torchInfo.blas.join(" "))?.[1] ?? "?";
/** Milliseconds per call: CPU time on 1 thread, wall clock otherwise. */
async function torchTime(op: string, threads: number, reps: number): Promise<number> {
  py.stdin.write(`${op} ${threads} ${reps}\n`);
  const [wall, cpu] = (await next()).split(" ").map(Number);
  return (threads === 1 ? cpu : wall) * 1e3;
}
function ourTime(fn: () => void, reps: number, threads: number): number {
  const t = performance.now(), c = process.cpuUsage();
  for (let r = 0; r < reps; r++) fn();
  if (threads !== 1) return (performance.now() - t) / reps;
  const u = process.cpuUsage(c);
  return (u.user + u.system) / 1e3 / reps;
}
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1];
const f = (x: number): string => (x < 1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(1));

console.log(`bench/conv: node ${process.version}, wasm ${w.variant}, torch ${torchInfo.version} (BLAS_INFO=${blas}, USE_MKLDNN=${mkldnn}), ${ROUNDS} interleaved rounds, ms per call (median, min-max; 1 thread: process CPU time, 2 threads: wall clock)`);
console.log("| op | threads | deeptype | torch | deeptype / torch |\n|---|---|---|---|---|");
for (const [id, label, c] of cases) {
  for (const [name, fn] of Object.entries(c)) {
    const op = `${id}.${name}`;
    if (filter && !op.includes(filter)) continue;
    for (const nt of [1, 2]) {
      setNumThreads(nt);
      for (let i = 0; i < 3; i++) fn();
      // Batches of about 50 ms each.
      const once = ourTime(fn, 1, 2);
      const reps = Math.max(1, Math.round(50 / Math.max(once, 0.01)));
      await torchTime(op, nt, reps);
      const ours: number[] = [], theirs: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        ours.push(ourTime(fn, reps, nt));
        theirs.push(await torchTime(op, nt, reps));
      }
      const [a, b] = [median(ours), median(theirs)];
      console.log(`| ${label} ${name} | ${nt} | ${f(a)} (${f(Math.min(...ours))}-${f(Math.max(...ours))}) | ${f(b)} (${f(Math.min(...theirs))}-${f(Math.max(...theirs))}) | ${(a / b).toFixed(2)} |`);
    }
  }
}
py.stdin.end();
process.exit(0);
