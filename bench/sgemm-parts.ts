/**
 * Where sgemm 1024's time goes, part by part, interleaved in one process:
 *
 *   node --import tsx bench/sgemm-parts.ts [threads] [rounds]     # default 1 thread, 15 rounds
 *
 * kernel: the wasm GEMM on operands already in wasm memory (gemmStaged: no copies, no allocation);
 * backend: the backend's matmul into a preallocated output (staging A and B in, C out);
 * op: a.matmul(b) as bench/run.ts's row times it (plus the fresh 4 MB output); fma: the ceiling's
 * register-only loop for the same flops. Prints GFLOP/s medians [min-max] from wall clock and from
 * process CPU time (times the thread count), and each part's share of the ceiling from CPU time on
 * 1 thread (steadier on a loaded machine), from wall clock on 2; the parts' differences are the
 * copies and the allocation.
 */
import { Generator, noGrad, randn } from "../src/core.js";
import { setNumThreads } from "../src/backend/wasm/index.js";
import { gemmStaged } from "../src/backend/wasm/matmul.js";
import { fmaCeiling } from "./fma-ceiling.js";
import { useWasm } from "./wasm-backend.js";

const threads = Number(process.argv[2] ?? 1);
const rounds = Number(process.argv[3] ?? 15);
const n = Number(process.env.N ?? 1024);
const w = useWasm("bench/sgemm-parts");
setNumThreads(threads);
const g = new Generator(0);
const a = randn([n, n], { generator: g }), b = randn([n, n], { generator: g });
const out = new Float32Array(n * n);
const view = (data: Float32Array) => ({ data, dtype: "float32" as const, shape: [1, n, n], strides: [0, n, 1], offset: 0 });
const va = { ...a.view_(), shape: [1, n, n], strides: [0, n, 1] }, vb = { ...b.view_(), shape: [1, n, n], strides: [0, n, 1] };

const be = w.sessionForBench();
const staged = () => {
  const nt = be.begin(threads > 1 ? Infinity : 0, 1);
  be.arena.alloc(64 << 20);
  const pa = be.arena.alloc(n * n * 4), pb = be.arena.alloc(n * n * 4);
  be.arena.f32.set(a.view_().data as Float32Array, pa / 4);
  be.arena.f32.set(b.view_().data as Float32Array, pb / 4);
  return { nt, pa, pb };
};
let st = staged();
const kernel = () => {
  be.begin(threads > 1 ? Infinity : 0, 1);
  be.arena.alloc(64 << 20 + 8 * n * n);
  gemmStaged(be, st.nt, 1, n, n, n, { ptr: st.pa, strides: [0, n, 1] }, { ptr: st.pb, strides: [0, n, 1] });
};
const backend = () => w.matmul(va, vb, view(out));
const op = () => noGrad(() => a.matmul(b));
const ceiling = await fmaCeiling();
const fmaIters = Math.round(2 * n ** 3 / ceiling.flopsPerIter);
const fma = () => void ceiling.run(threads, fmaIters);

const parts: Record<string, () => void> = { fma, kernel, backend, op };
const wall: Record<string, number[]> = {}, cpu: Record<string, number[]> = {};
for (const f of Object.values(parts)) f();
for (let r = 0; r < rounds; r++) {
  for (const [name, f] of Object.entries(parts)) {
    const c = process.cpuUsage(), t = performance.now();
    f();
    const ms = performance.now() - t, u = process.cpuUsage(c);
    (wall[name] ??= []).push(2 * n ** 3 / ms / 1e6);
    (cpu[name] ??= []).push(2 * n ** 3 / ((u.user + u.system) / 1e3) / 1e6 * threads);
  }
}
const med = (v: number[]) => [...v].sort((p, q) => p - q)[v.length >> 1];
const fmt = (v: number[]) => `${med(v).toFixed(1)} [${Math.min(...v).toFixed(1)}-${Math.max(...v).toFixed(1)}]`;
console.log(`sgemm ${n}, ${threads} thread(s), ${rounds} rounds, GFLOP/s wall (CPU-time-based x threads):`);
const basis = threads > 1 ? wall : cpu;
for (const name of Object.keys(parts)) console.log(`  ${name.padEnd(8)} ${fmt(wall[name])}   cpu ${fmt(cpu[name])}   ${(100 * med(basis[name]) / med(basis.fma)).toFixed(0)}% of fma`);
ceiling.close();
process.exit(0);
