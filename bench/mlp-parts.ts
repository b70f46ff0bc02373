/**
 * Where the MNIST MLP step's time goes, deeptype beside PyTorch, part by part, in one run:
 *
 *   node --import tsx bench/mlp-parts.ts [threads]       # default 1
 *
 * The step is bench/run.ts's "train mlp batch 64 SGD" (784-256-128-10, batch 64, SGD lr 0.01). Each
 * part is timed cumulatively (forward; + cross-entropy; zeroGrad + that + backward; + the optimizer
 * step = the whole step), so the differences are what forward, the loss, backward and the update
 * cost. "gemm" is the step's matrix products alone: for deeptype the wasm GEMM kernel on operands
 * already in wasm memory (no copies, no allocation), for PyTorch the same products through
 * torch.matmul. Batches of deeptype calls alternate with batches of PyTorch calls (a persistent
 * bench/torch/mlp_server.py) ROUNDS times (default 9); it prints the median process CPU time per
 * call of each side and the ratio, so a shared machine's load hits both alike. On 2 threads CPU
 * time sums both threads' work; compare wall-clock there on an idle machine only.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { Generator, randint, randn } from "../src/core.js";
import * as nn from "../src/nn/index.js";
import * as optim from "../src/optim/index.js";
import { mnistMlp } from "../src/models/index.js";
import { setNumThreads } from "../src/backend/wasm/index.js";
import { useWasm } from "./wasm-backend.js";
import { gemmStaged } from "../src/backend/wasm/matmul.js";

const threads = Number(process.argv[2] ?? 1);
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const wasm = useWasm("bench/mlp-parts");
setNumThreads(threads);

const g = new Generator(0);
const model = mnistMlp(g);
const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
const x = randn([64, 1, 28, 28], { generator: g });
const y = randint(0, 10, [64], { generator: g });
const loss = () => nn.functional.crossEntropy(model.forward(x), y);
const bwd = () => {
  opt.zeroGrad();
  loss().backward();
};

// The GEMM kernel alone, through the backend's session (operands staged once, outside the
// timing): [M, N, K, A stored transposed, B stored transposed], as linear and linearBackward call it.
const be = wasm.sessionForBench();
const shapes: Array<[number, number, number, boolean, boolean]> = [
  [64, 256, 784, false, true], [64, 128, 256, false, true], [64, 10, 128, false, true], // x·Wᵀ
  [256, 784, 64, true, false], [128, 256, 64, true, false], [10, 128, 64, true, false], // gW = gᵀ·input
  [64, 256, 128, false, false], [64, 128, 10, false, false], // gX = g·W (layers 2 and 3)
];
// The operands live 64 MiB up in wasm memory, above what the step's own calls use (they start at
// the arena's base every call), so they stay in place between batches without being copied again.
const work = threads > 1 ? Infinity : 0; // begin() then picks the instance the step's GEMMs use
const nt = be.begin(work, 1);
be.arena.alloc(64 << 20); // skips 64 MiB from the arena's base
const ops: Array<[number, number]> = shapes.map(([M, N, K]) => {
  const pa = be.arena.alloc(M * K * 4), pb = be.arena.alloc(K * N * 4);
  for (let i = 0; i < M * K; i++) be.arena.f32[pa / 4 + i] = g.normal();
  for (let i = 0; i < K * N; i++) be.arena.f32[pb / 4 + i] = g.normal();
  return [pa, pb];
});
const gemm = () => {
  be.begin(work, 1);
  shapes.forEach(([M, N, K, aT, bT], i) => {
    gemmStaged(be, nt, 1, M, N, K, { ptr: ops[i][0], strides: aT ? [0, 1, M] : [0, K, 1] }, { ptr: ops[i][1], strides: bT ? [0, 1, K] : [0, N, 1] });
  });
};

const parts: Record<string, () => void> = {
  fwd: () => model.forward(x),
  loss: () => loss(),
  bwd,
  step: () => {
    bwd();
    opt.step();
  },
  gemm,
};

// OpenBLAS's pthread build starts its own threads (one per core) whatever torch.set_num_threads says.
const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
const py = spawn(process.env.DEEPTYPE_PYTHON ?? "/usr/bin/python3", [new URL("./torch/mlp_server.py", import.meta.url).pathname], { stdio: ["pipe", "pipe", "inherit"], env });
const lines = createInterface({ input: py.stdout! })[Symbol.asyncIterator]();
const next = async (): Promise<string> => {
  const r = await lines.next();
  if (r.done) throw new Error("bench/mlp-parts: the PyTorch process exited (is torch installed for /usr/bin/python3?)");
  return r.value;
};
const info = JSON.parse(await next());

/** CPU ms per call over a batch lasting about 100 ms. */
function dtBatch(fn: () => void, reps: number): number {
  const c = process.cpuUsage();
  for (let i = 0; i < reps; i++) fn();
  const u = process.cpuUsage(c);
  return (u.user + u.system) / reps / 1e3;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const result: Record<string, [number, number]> = {};
const best: Record<string, [number, number]> = {};
for (const [name, fn] of Object.entries(parts)) {
  for (let i = 0; i < 5; i++) fn();
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < 100) { fn(); n++; }
  const reps = Math.max(3, n);
  // Setting the thread count here would be inside the timing for a new deeptype batch: set once above.
  const dt: number[] = [], pt: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    dt.push(dtBatch(fn, reps));
    py.stdin!.write(`${name} ${threads} ${reps}\n`);
    pt.push(Number((await next()).split(" ")[1]) * 1e3);
  }
  result[name] = [median(dt), median(pt)];
  best[name] = [Math.min(...dt), Math.min(...pt)];
}
py.stdin!.end();

const fmt = (v: number) => v.toFixed(3);
console.log(`mlp-parts: ${threads} thread(s), process CPU ms per call: median of ${ROUNDS} interleaved batches [best batch]; torch ${info.version} (${info.blas.join(", ")})`);
console.log("| part | deeptype | PyTorch | deeptype / PyTorch |\n|---|---|---|---|");
const parts5 = ["fwd", "loss", "bwd", "step", "gemm"];
const row = (name: string, pick: (r: Record<string, [number, number]>, side: 0 | 1) => number) => {
  const d = pick(result, 0), p = pick(result, 1);
  console.log(`| ${name} | ${fmt(d)} [${fmt(pick(best, 0))}] | ${fmt(p)} [${fmt(pick(best, 1))}] | ${(d / p).toFixed(2)}x |`);
};
const diff = (a: string, b: string | null) => (r: Record<string, [number, number]>, side: 0 | 1) => r[a][side] - (b ? r[b][side] : 0);
if (parts5.some((k) => !result[k])) throw new Error("bench/mlp-parts: a part is missing");
row("forward (3 linear layers, 2 ReLU)", diff("fwd", null));
row("cross-entropy", diff("loss", "fwd"));
row("zeroGrad + backward", diff("bwd", "loss"));
row("SGD update", diff("step", "bwd"));
row("**whole step**", diff("step", null));
row("of which matrix products alone (kernels)", diff("gemm", null));
row("everything else (step - products)", diff("step", "gemm"));
