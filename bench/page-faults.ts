/**
 * Why the conv forward row of `npm run bench` is bimodal: the op returns a fresh 6.4 MB output each
 * call, and batches whose outputs land on pages the process has not touched yet pay for the page
 * faults. Prints, per batch of calls at 1 and 2 threads (alternating), wall time, main-thread CPU
 * time, process system time and minor page faults per call:
 *
 *   node --import tsx bench/page-faults.ts [calls per batch, default 20]
 *
 * Linux only (main-thread CPU from /proc/self/task/<pid>/schedstat).
 */
import { Generator, conv2d, noGrad, randn } from "../src/core.js";
import { setNumThreads } from "../src/backend/wasm/index.js";
import { threadRunNs } from "./proc.js";
import { useWasm } from "./wasm-backend.js";

useWasm("bench/page-faults");
if (threadRunNs(process.pid, process.pid) === undefined) throw new Error("bench/page-faults: reads /proc/self/task/<pid>/schedstat, which only Linux has");
const gen = new Generator(0);
const x = randn([64, 16, 28, 28], { generator: gen }), w = randn([32, 16, 3, 3], { generator: gen });
const call = (): void => void noGrad(() => conv2d(x, w, null, { padding: 1 }));
const mainThreadMs = (): number => threadRunNs(process.pid, process.pid)! / 1e6;

const calls = Number(process.argv[2] ?? 20);
for (const t of [1, 2]) { setNumThreads(t); for (let i = 0; i < calls; i++) call(); } // warm-up, both thread counts
console.log(`conv2d [64,16,28,28] x 32x3x3 forward, ${calls} calls a batch, per call:`);
for (let round = 0; round < 6; round++) {
  for (const t of [1, 2]) {
    setNumThreads(t);
    const faults0 = process.resourceUsage().minorPageFault, main0 = mainThreadMs(), wall0 = performance.now(), cpu0 = process.cpuUsage();
    for (let i = 0; i < calls; i++) call();
    const per = (v: number): string => (v / calls).toFixed(1);
    const cpu = process.cpuUsage(cpu0);
    console.log(`${t}t: wall ${per(performance.now() - wall0)} ms, main thread ${per(mainThreadMs() - main0)} ms, system ${per(cpu.system / 1e3)} ms, page faults ${per(process.resourceUsage().minorPageFault - faults0)}`);
  }
}
