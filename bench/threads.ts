/**
 * 2 threads against 1, on deeptype alone, paired round by round so that load from other processes
 * hits both alike (on a shared machine the same code's wall clock varies by 2-3x from minute to
 * minute, far more than the difference being judged):
 *
 *   node --import tsx bench/threads.ts [filter] [rounds]      # e.g. `maxpool` or `train`; rounds default 31
 *
 * Every round times one batch (about BATCH_MS of calls) on 1 thread and one on 2 threads for every
 * workload, in alternating order. 2 threads only pay off in wall-clock time, so that is what is
 * timed; the ratio 2t/1t is taken per round (two batches a few milliseconds apart see nearly the same
 * load) and the median over rounds is printed with its quartiles, next to each side's median time
 * and the load average. The workloads are bench/run.ts's deeptype rows, plus the pooling kernels and
 * elementwise ops of a few sizes around the thread thresholds. The last columns are the pool's own
 * count of what the 2-thread batches did: jobs offered to helpers, jobs a helper shared, and kernel
 * calls run alone while backing off (src/backend/wasm/pool.ts).
 */
import { loadavg } from "node:os";
import {
  Generator, Tensor, backend, conv2d, maxPool2d, maxPool2dWithIndices, noGrad, randn,
} from "../src/core.js";
import { mnistCnn } from "../src/models/index.js";
import * as optim from "../src/optim/index.js";
import { poolStats, setNumThreads } from "../src/backend/wasm/index.js";
import { deeptypeTrainStep } from "./train-step.js";
import { secondsPerCall } from "./calibrate.js";
import { useWasm } from "./wasm-backend.js";

const filter = process.argv[2] ?? "";
const ROUNDS = Number(process.argv[3] ?? 31);
const BATCH_MS = 30;

const wasm = useWasm("bench/threads");
const gen = new Generator(0);

type Bench = () => void;
const convParams = { stride: [1, 1] as [number, number], padding: [1, 1] as [number, number], dilation: [1, 1] as [number, number], groups: 1 };

function pool(which: "fwd" | "bwd" | "avgfwd" | "avgbwd", shape: number[]): Bench {
  const x = randn(shape, { generator: gen });
  if (which === "fwd") return () => noGrad(() => maxPool2d(x, 2));
  const { values, indices: positions } = noGrad(() => maxPool2dWithIndices(x, 2));
  const indices = positions.to("int32");
  const gy = randn(values.shape, { generator: gen });
  const p = { kernel: [2, 2] as [number, number], stride: [2, 2] as [number, number], padding: [0, 0] as [number, number], dilation: [1, 1] as [number, number], countIncludePad: true };
  if (which === "avgfwd") return () => backend().avgPool2d(x.view_(), Tensor.empty(values.shape).view_(), p);
  if (which === "avgbwd") return () => backend().avgPool2dBackward(gy.view_(), Tensor.empty(x.shape).view_(), p);
  return () => backend().maxPool2dBackward(gy.view_(), indices.view_(), Tensor.empty(x.shape).view_());
}

function binary(n: number): Bench {
  const a = randn([n], { generator: gen }), b = randn([n], { generator: gen });
  return () => a.add(b);
}

function unary(n: number, op: "relu" | "tanh" = "relu"): Bench {
  const a = randn([n], { generator: gen });
  return op === "relu" ? () => a.relu() : () => a.tanh();
}

function optimizerStep(kind: "SGD" | "Adam"): Bench {
  const w = randn([1 << 20], { generator: gen }).requiresGrad_();
  w.grad = randn([1 << 20], { generator: gen });
  const opt = kind === "SGD" ? new optim.SGD([w], { lr: 0.01 }) : new optim.Adam([w], { lr: 1e-3 });
  return () => opt.step();
}

function mm(m: number, k: number, n: number): Bench {
  const a = randn([m, k], { generator: gen }), b = randn([k, n], { generator: gen });
  return () => noGrad(() => a.matmul(b));
}

/** Forward, input gradient and weight gradient of a [64,16,hw,hw] x 32x3x3 pad-1 conv, labelled with `suffix`. */
function convWorkloads(suffix: string, hw: number): Array<[string, () => Bench]> {
  const xShape = [64, 16, hw, hw], yShape = [64, 32, hw, hw], wShape = [32, 16, 3, 3];
  return [
    [`conv2d fwd${suffix}`, () => {
      const x = randn(xShape, { generator: gen }), w = randn(wShape, { generator: gen });
      return () => noGrad(() => conv2d(x, w, null, { padding: 1 }));
    }],
    [`conv2d bwd input${suffix}`, () => {
      const gy = randn(yShape, { generator: gen }), w = randn(wShape, { generator: gen });
      return () => backend().conv2dBackwardInput(gy.view_(), w.view_(), Tensor.empty(xShape).view_(), convParams);
    }],
    [`conv2d bwd weight${suffix}`, () => {
      const x = randn(xShape, { generator: gen }), gy = randn(yShape, { generator: gen });
      return () => backend().conv2dBackwardWeight(x.view_(), gy.view_(), Tensor.empty(wShape).view_(), convParams);
    }],
  ];
}

const WORKLOADS: Array<[string, () => Bench]> = [
  ["sgemm 1024", () => mm(1024, 1024, 1024)],
  ["train mlp batch 64 SGD", () => deeptypeTrainStep("mlp", "SGD", gen)],
  ["train cnn batch 64 Adam", () => deeptypeTrainStep("cnn", "Adam", gen)],
  ["infer cnn batch 256", () => {
    const model = mnistCnn(gen).eval();
    const x = randn([256, 1, 28, 28], { generator: gen });
    return () => noGrad(() => model.forward(x));
  }],
  ...convWorkloads("", 28),
  ...convWorkloads(" [64,16,14,14]x32x3x3 (the CNN's second)", 14),
  ["conv2d fwd [64,1,28,28]x16x3x3 (the CNN's first)", () => {
    const x = randn([64, 1, 28, 28], { generator: gen }), w = randn([16, 1, 3, 3], { generator: gen });
    return () => noGrad(() => conv2d(x, w, null, { padding: 1 }));
  }],
  ["sgd step, 1 Mi parameters", () => optimizerStep("SGD")],
  ["adam step, 1 Mi parameters", () => optimizerStep("Adam")],
  ["maxpool2d fwd [64,16,28,28]", () => pool("fwd", [64, 16, 28, 28])],
  ["maxpool2d bwd [64,16,28,28]", () => pool("bwd", [64, 16, 28, 28])],
  ["avgpool2d fwd [64,16,28,28]", () => pool("avgfwd", [64, 16, 28, 28])],
  ["avgpool2d bwd [64,16,28,28]", () => pool("avgbwd", [64, 16, 28, 28])],
  ["maxpool2d fwd [64,32,14,14]", () => pool("fwd", [64, 32, 14, 14])],
  ["maxpool2d fwd [32,64,56,56]", () => pool("fwd", [32, 64, 56, 56])],
  // One large plane: threads split it into bands of output rows (src/backend/wasm/pooling.ts).
  ["maxpool2d 3x3 s2 p1 fwd [1,1,1024,1024]", () => {
    const x = randn([1, 1, 1024, 1024], { generator: gen });
    return () => noGrad(() => maxPool2d(x, 3, { stride: 2, padding: 1 }));
  }],
  ["matmul [64,784]x[784,256]", () => mm(64, 784, 256)],
  ["matmul [64,256]x[256,128]", () => mm(64, 256, 128)],
  ["matmul [256,64]x[64,784]", () => mm(256, 64, 784)],
  ["matmul [128,128]x[128,128]", () => mm(128, 128, 128)],
  ["matmul [256,256]x[256,256]", () => mm(256, 256, 256)],
  ["matmul [512,512]x[512,512]", () => mm(512, 512, 512)],
  ["add [64]+[64]", () => binary(64)],
  ["add [65536]", () => binary(1 << 16)],
  ["add [262144]", () => binary(1 << 18)],
  ["add [1048576]", () => binary(1 << 20)],
  ["add [4194304]", () => binary(1 << 22)],
  ["relu [262144]", () => unary(1 << 18)],
  ["relu [1048576]", () => unary(1 << 20)],
  ["tanh [262144]", () => unary(1 << 18, "tanh")],
  ["tanh [1048576]", () => unary(1 << 20, "tanh")],
  ["sum [1024,1024] over dim 1", () => {
    const a = randn([1024, 1024], { generator: gen });
    return () => a.sum(1);
  }],
  ["softmax [1024,1024]", () => {
    const a = randn([1024, 1024], { generator: gen });
    return () => a.softmax(-1);
  }],
];

const median = (v: number[]): number => [...v].sort((p, q) => p - q)[v.length >> 1];
const quart = (v: number[], q: number): number => [...v].sort((p, r) => p - r)[Math.min(v.length - 1, Math.floor(q * v.length))];
const f = (ms: number): string => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1e3).toFixed(1)} us`);

/** Wall-clock ms per call over `reps` calls at `threads`. */
function batch(fn: Bench, reps: number, threads: number): number {
  setNumThreads(threads);
  const t = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t) / reps;
}

const chosen = WORKLOADS.filter(([id]) => id.includes(filter));
const load0 = loadavg()[0];
const t0 = performance.now();
const rows = [];
for (const [id, make] of chosen) {
  const fn = make();
  for (const t of [1, 2, 1, 2]) batch(fn, 2, t);
  // Sized from three runs of at least 15 ms (bench/calibrate.ts), not a few calls that one GC pause can inflate.
  const once = (await secondsPerCall((n) => batch(fn, n, 1) / 1e3)) * 1e3;
  rows.push({ id, fn, reps: Math.max(1, Math.round(BATCH_MS / Math.max(once, 0.001))), one: [] as number[], two: [] as number[], ratio: [] as number[], jobs: 0, shared: 0, solo: 0 });
}
for (let r = 0; r < ROUNDS; r++) {
  for (const row of rows) {
    let a: number, b: number;
    const s0 = poolStats();
    if (r % 2) {
      a = batch(row.fn, row.reps, 1);
      b = batch(row.fn, row.reps, 2);
    } else {
      b = batch(row.fn, row.reps, 2);
      a = batch(row.fn, row.reps, 1);
    }
    const s1 = poolStats();
    row.jobs += s1.jobs - s0.jobs;
    row.shared += s1.shared - s0.shared;
    row.solo += s1.solo - s0.solo;
    row.one.push(a);
    row.two.push(b);
    row.ratio.push(b / a);
  }
}
console.log(`bench/threads: node ${process.version}, wasm ${wasm.variant}, ${ROUNDS} paired rounds in ${((performance.now() - t0) / 1e3).toFixed(0)} s, load average ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}; wall clock per call`);
console.log("| workload | 1 thread | 2 threads | 2t / 1t per round: median [quartiles] | jobs offered / shared / solo per call |\n|---|---|---|---|---|");
for (const row of rows) {
  const calls = ROUNDS * row.reps;
  console.log(
    `| ${row.id} | ${f(median(row.one))} | ${f(median(row.two))} | ${median(row.ratio).toFixed(2)} [${quart(row.ratio, 0.25).toFixed(2)}-${quart(row.ratio, 0.75).toFixed(2)}] | ` +
      `${(row.jobs / calls).toFixed(1)} / ${(row.shared / calls).toFixed(1)} / ${(row.solo / calls).toFixed(1)} |`,
  );
}
process.exit(0);
