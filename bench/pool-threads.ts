/**
 * Pooling kernels on 1 and 2 threads, wall clock, through the backend contract (operands staged and
 * results copied out, into reused outputs), over a range of sizes: what the pooling thread
 * thresholds of src/backend/wasm/index.ts (PAR_POOL_*) are set from.
 *
 *   node --import tsx bench/pool-threads.ts [rounds] [filter]        # e.g. `7 "max 3x3s2"`
 *   SIZES='[[32,64,56]]' node --import tsx bench/pool-threads.ts     # [N, C, H=W] cases
 *
 * Each case alternates batches of about 10 ms on 1 and 2 threads `rounds` times and prints both
 * medians and minima. Wall clock on a shared machine measures the other sessions as much as the
 * kernels: the figures in docs/performance.md were taken with the process in its own autogroup at
 * nice -20 (as root: `setsid bash -c 'echo -20 > /proc/self/autogroup; exec nice -n -20 node ...'`),
 * so it had the two cores nearly to itself for the minute it ran.
 */
import { loadavg } from "node:os";
import { createWasmBackend, setNumThreads } from "../src/backend/wasm/index.js";
import type { PoolParams, View } from "../src/backend/backend.js";

const w = createWasmBackend();
if (!w) throw new Error("bench/pool-threads: WebAssembly SIMD is unavailable here");
const rounds = Number(process.argv[2] ?? 11);
const filter = process.argv[3] ?? "";
const SIZES: Array<[number, number, number]> = process.env.SIZES
  ? JSON.parse(process.env.SIZES)
  : [[8, 16, 28], [16, 16, 28], [64, 16, 28], [64, 32, 14], [128, 16, 28], [256, 16, 28], [32, 64, 56]];

function view(shape: number[], dtype: "float32" | "int32" = "float32"): View {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dtype === "int32" ? new Int32Array(n) : new Float32Array(n);
  // Deterministic values in [0, 1), cheap to make (the largest case has 6.4M).
  if (dtype === "float32") for (let i = 0; i < n; i++) data[i] = ((i * 2654435761) % 1000) / 1000;
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  return { data, dtype, shape, strides, offset: 0 };
}
const window = (k: number, s: number, pad: number): PoolParams =>
  ({ kernel: [k, k], stride: [s, s], padding: [pad, pad], dilation: [1, 1], countIncludePad: true });
const WINDOWS: Array<[string, PoolParams]> = [["2x2", window(2, 2, 0)], ["3x3s2", window(3, 2, 1)]];

const cases: Array<[string, () => void]> = [];
for (const [N, C, H] of SIZES) {
  const x = view([N, C, H, H]), gx = view([N, C, H, H]);
  for (const [name, p] of WINDOWS) {
    const oH = Math.floor((H + 2 * p.padding[0] - p.kernel[0]) / p.stride[0]) + 1;
    const y = view([N, C, oH, oH]), idx = view([N, C, oH, oH], "int32"), gy = view([N, C, oH, oH]);
    w.maxPool2d(x, y, idx, p);
    const id = `${name} [${N},${C},${H},${H}]`;
    cases.push([`max ${id} fwd`, () => w.maxPool2d(x, y, idx, p)]);
    cases.push([`max ${id} bwd`, () => w.maxPool2dBackward(gy, idx, gx)]);
    cases.push([`avg ${id} fwd`, () => w.avgPool2d(x, y, p)]);
    cases.push([`avg ${id} bwd`, () => w.avgPool2dBackward(gy, gx, p)]);
  }
}

const median = (v: number[]): number => [...v].sort((p, q) => p - q)[v.length >> 1];
/** Wall-clock ms per call over `reps` calls on `threads` threads. */
function time(f: () => void, threads: number, reps: number): number {
  setNumThreads(threads);
  const start = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - start) / reps;
}

const load0 = loadavg()[0];
for (const [name, f] of cases) {
  if (!name.includes(filter)) continue;
  time(f, 1, 3);
  time(f, 2, 3);
  const reps = Math.max(2, Math.round(10 / time(f, 1, 3)));
  const one: number[] = [], two: number[] = [], ratio: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate which thread count goes first.
    const a = r % 2 ? time(f, 1, reps) : 0;
    const b = time(f, 2, reps);
    const c = r % 2 ? a : time(f, 1, reps);
    one.push(c);
    two.push(b);
    ratio.push(b / c);
  }
  const ms = (v: number): string => v.toFixed(3);
  console.log(`${name.padEnd(32)} 1t median ${ms(median(one))} min ${ms(Math.min(...one))} | 2t median ${ms(median(two))} min ${ms(Math.min(...two))} | ` +
    `2t/1t median ${median(ratio).toFixed(2)}, of the minima ${(Math.min(...two) / Math.min(...one)).toFixed(2)}`);
}
console.log(`ms per call, wall clock; load average ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`);
process.exit(0);
