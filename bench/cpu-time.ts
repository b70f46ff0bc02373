/**
 * Single-thread kernel timings in process CPU time rather than wall clock, so that other processes
 * on a shared machine do not count against us (cache sharing still does):
 *
 *   node --import tsx bench/cpu-time.ts
 */
import { Generator, randint, randn, setBackend } from "../src/core.js";
import * as nn from "../src/nn/index.js";
import * as optim from "../src/optim/index.js";
import { mnistCnn, mnistMlp } from "../src/models/index.js";
import { setNumThreads } from "../src/backend/wasm/index.js";
import { useWasm } from "./wasm-backend.js";

const w = useWasm("bench/cpu-time");
setNumThreads(1);
const v = (data: Float32Array, shape: number[], strides: number[]) => ({ data, dtype: "float32" as const, shape, strides, offset: 0 });

/** Best-of-5 CPU milliseconds per call. */
function cpu(fn: () => void, reps: number): number {
  fn();
  fn();
  let best = Infinity;
  for (let k = 0; k < 5; k++) {
    const t = process.cpuUsage();
    for (let r = 0; r < reps; r++) fn();
    const u = process.cpuUsage(t);
    best = Math.min(best, (u.user + u.system) / 1e3 / reps);
  }
  return best;
}

const lines: string[] = [`variant ${w.variant}, 1 thread, CPU time`];
const g = new Generator(0);
const rnd = (n: number) => Float32Array.from({ length: n }, () => g.normal());
for (const n of [256, 1024]) {
  const a = rnd(n * n), b = rnd(n * n), o = new Float32Array(n * n);
  const cells: string[] = [];
  for (const [name, sa, sb] of [["A·B", [0, n, 1], [0, n, 1]], ["A·Bᵀ", [0, n, 1], [0, 1, n]], ["Aᵀ·B", [0, 1, n], [0, n, 1]]] as const) {
    const ms = cpu(() => w.matmul(v(a, [1, n, n], [...sa]), v(b, [1, n, n], [...sb]), v(o, [1, n, n], [0, n, 1])), n === 256 ? 40 : 3);
    cells.push(`${name} ${(2 * n ** 3 / ms / 1e6).toFixed(1)}`);
  }
  lines.push(`sgemm ${n} GFLOP/s: ${cells.join(", ")}`);
}
const [N, C, H, W, O] = [64, 16, 28, 28, 32];
const x = v(rnd(N * C * H * W), [N, C, H, W], [C * H * W, H * W, W, 1]);
const wt = v(rnd(O * C * 9), [O, C, 3, 3], [C * 9, 9, 3, 1]);
const y = v(new Float32Array(N * O * H * W), [N, O, H, W], [O * H * W, H * W, W, 1]);
const p = { stride: [1, 1] as [number, number], padding: [1, 1] as [number, number], dilation: [1, 1] as [number, number], groups: 1 };
const gw = v(new Float32Array(O * C * 9), [O, C, 3, 3], [C * 9, 9, 3, 1]);
const gx = v(new Float32Array(N * C * H * W), [N, C, H, W], [C * H * W, H * W, W, 1]);
lines.push(`conv2d [64,16,28,28]·[32,16,3,3] pad 1 ms: forward ${cpu(() => w.conv2d(x, wt, null, y, p), 5).toFixed(1)}, ` +
  `input grad ${cpu(() => w.conv2dBackwardInput(y, wt, gx, p), 5).toFixed(1)}, weight grad ${cpu(() => w.conv2dBackwardWeight(x, y, gw, p), 5).toFixed(1)}`);

for (const name of ["mlp", "cnn"] as const) {
  const cells: string[] = [];
  for (const b of ["wasm", "js"] as const) {
    setBackend(b);
    const gen = new Generator(0);
    const model = name === "mlp" ? mnistMlp(gen) : mnistCnn(gen);
    const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
    const xb = randn([64, 1, 28, 28], { generator: gen }), yb = randint(0, 10, [64], { generator: gen });
    const step = () => {
      opt.zeroGrad();
      nn.functional.crossEntropy(model.forward(xb), yb).backward();
      opt.step();
    };
    cells.push(`${b} ${cpu(step, b === "js" && name === "cnn" ? 1 : 3).toFixed(1)}`);
  }
  lines.push(`train step ${name} batch 64 Adam ms: ${cells.join(", ")}`);
}
console.log(lines.join("\n"));
