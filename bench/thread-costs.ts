/**
 * What a second thread costs around a kernel, measured where bench/threads.ts only sees the sum:
 *
 *   node --import tsx bench/thread-costs.ts [staging|maxpool] [M,K,N]
 *
 * staging: a matmul [M,K]x[K,N] (default the MLP's first layer, 64,784,256) as one arena session,
 *   split into staging both operands, the GEMM kernel and copying the result out, on the plain
 *   memory (1 thread), the shared memory on 1 thread, and the shared memory on 2 threads: wall
 *   clock per call, 3 rounds of 200 calls each.
 * maxpool: the 2x2 max-pool forward of [64,16,28,28] on 1 thread, as the op (noGrad, a fresh output
 *   each call) and as the backend call into a reused and into a fresh output; process CPU time
 *   (user + system) and minor page faults per call, 3 rounds of 200 calls.
 */
import { readFileSync } from "node:fs";
import { Generator, Tensor, backend, maxPool2d, noGrad, randn } from "../src/core.js";
import { setNumThreads } from "../src/backend/wasm/index.js";
import { gemmStaged } from "../src/backend/wasm/matmul.js";
import type { View } from "../src/backend/backend.js";
import { useWasm } from "./wasm-backend.js";

const wasm = useWasm("bench/thread-costs");
const gen = new Generator(0);
const which = process.argv[2] ?? "staging";

function staging(): void {
  const [M, K, N] = (process.argv[3] ?? "64,784,256").split(",").map(Number);
  const s = wasm.sessionForBench();
  const dense = (shape: number[]): View => ({ data: randn(shape, { generator: gen }).storage.data as Float32Array, dtype: "float32", shape, strides: [shape[1], 1], offset: 0 });
  const a = dense([M, K]), b = dense([K, N]), out = dense([M, N]);
  setNumThreads(2);
  // begin's work against a limit of 1 (threads) or Infinity (the plain memory) picks the instance.
  const call = (shared: boolean, threads: number): [number, number, number] => {
    const nt = s.begin(1, shared ? 1 : Infinity);
    const t0 = performance.now();
    const sa = s.stage3(a), sb = s.stage3(b);
    const t1 = performance.now();
    const o = gemmStaged(s, Math.min(nt, threads), 1, M, N, K, sa, sb);
    const t2 = performance.now();
    s.unstage(o, out);
    return [t1 - t0, t2 - t1, performance.now() - t2];
  };
  for (let r = 0; r < 3; r++) {
    for (const [name, shared, threads] of [["plain memory, 1 thread", false, 1], ["shared memory, 1 thread", true, 1], ["shared memory, 2 threads", true, 2]] as const) {
      const sum = [0, 0, 0], n = 200;
      for (let i = 0; i < 20; i++) call(shared, threads);
      for (let i = 0; i < n; i++) call(shared, threads).forEach((v, j) => (sum[j] += v));
      const us = sum.map((v) => `${((v / n) * 1e3).toFixed(1)} us`);
      console.log(`matmul [${M},${K}]x[${K},${N}], ${name}: stage ${us[0]} | kernel ${us[1]} | copy out ${us[2]}`);
    }
  }
}

function maxpool(): void {
  setNumThreads(1);
  const faults = (): number => Number(readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ")[7]);
  const x = randn([64, 16, 28, 28], { generator: gen });
  const reused = Tensor.empty([64, 16, 14, 14]);
  const p = { kernel: [2, 2] as [number, number], stride: [2, 2] as [number, number], padding: [0, 0] as [number, number], dilation: [1, 1] as [number, number], countIncludePad: true };
  const cases: Record<string, () => void> = {
    "op (noGrad, fresh output)": () => noGrad(() => maxPool2d(x, 2)),
    "backend, reused output": () => backend().maxPool2d(x.view_(), reused.view_(), null, p),
    "backend, fresh output": () => backend().maxPool2d(x.view_(), Tensor.empty([64, 16, 14, 14]).view_(), null, p),
  };
  for (let r = 0; r < 3; r++) {
    const row: string[] = [];
    for (const [name, f] of Object.entries(cases)) {
      for (let i = 0; i < 20; i++) f();
      const c = process.cpuUsage(), m = faults(), n = 200;
      for (let i = 0; i < n; i++) f();
      const u = process.cpuUsage(c);
      row.push(`${name} ${(u.user / 1e3 / n).toFixed(3)} + ${(u.system / 1e3 / n).toFixed(3)} ms, ${((faults() - m) / n).toFixed(0)} faults`);
    }
    console.log(`maxpool2d 2x2 [64,16,28,28] forward, 1 thread, CPU user + system per call: ${row.join(" | ")}`);
  }
}

if (which === "staging") staging();
else if (which === "maxpool") maxpool();
else throw new Error(`bench/thread-costs: unknown part "${which}"; use staging or maxpool`);
process.exit(0);
