/**
 * Where a conv call's time goes on 1 and 2 threads: for each op of bench/conv-setup.ts (forward,
 * input gradient, weight gradient), wall clock and process CPU time per call, the part spent inside
 * the session's kernel jobs (wall clock of Session.run, start and join), and the pool's counters (jobs a helper
 * shared, calls that ran alone while backing off, jobs that found a helper blocked). Wall-clock figures need both cores free:
 * give `uptime` with them.
 *
 *   node --import tsx bench/conv-threads.ts [N C H W O]      # default 64 16 28 28 32, 3×3 pad 1
 */
import { poolStats, setNumThreads } from "../src/backend/wasm/index.js";
import { type StreamTrace, traceStream } from "../src/backend/wasm/chunks.js";
import { C, H, N, O, W, ops, w } from "./conv-setup.js";

const be = w.sessionForBench();
// Wall clock the calling thread spends in kernel jobs: run; start (the whole job where it runs on
// this thread alone, else publishing it); join (its shares of a job that start published, then the
// wait for the helpers'); not the copies it does between start and join.
let inRun = 0;
for (const name of ["run", "start", "join"] as const) {
  const real = be[name] as (...a: unknown[]) => void;
  (be as unknown as Record<string, unknown>)[name] = function (this: typeof be, ...a: unknown[]) {
    const t = performance.now();
    real.apply(this, a);
    inRun += performance.now() - t;
  };
}
// "shared 1t": the threaded (shared-memory) instance with one thread, to separate the cost of the
// memory the threads share from the cost of splitting.
const realBegin = be.begin;
let sharedSolo = false;
be.begin = function (this: typeof be, work: number, limit: number) {
  return sharedSolo ? (realBegin.call(this, 1, 0), 1) : realBegin.call(this, work, limit);
};
const rounds = Number(process.env.ROUNDS ?? 15), reps = 4;
const med = (a: number[]): number => [...a].sort((p, q) => p - q)[a.length >> 1];
const rows: Record<string, { wall: number[]; cpu: number[]; run: number[] }> = {};
// The ring jobs' calling-thread timeline per op (chunks.ts, inStream), summed over the 2-thread batches.
const streams: Record<string, StreamTrace> = {};
const before = poolStats();
for (let r = 0; r < rounds; r++) {
  for (const mode of ["1t", "shared 1t", "2t"]) {
    const threads = mode === "2t" ? 2 : 1;
    setNumThreads(mode === "1t" ? 1 : 2);
    sharedSolo = mode === "shared 1t";
    for (const [name, fn] of Object.entries(ops)) {
      fn();
      const key = `${name} ${mode}`;
      const row = (rows[key] ??= { wall: [], cpu: [], run: [] });
      inRun = 0;
      traceStream(mode === "2t" ? (streams[name] ??= { calls: 0, copyIn: 0, copyOut: 0, compute: 0, wait: 0, mine: 0, shares: 0 }) : null);
      const c = process.cpuUsage(), t = performance.now();
      for (let i = 0; i < reps; i++) fn();
      const wall = performance.now() - t, u = process.cpuUsage(c);
      row.wall.push(wall / reps);
      row.cpu.push((u.user + u.system) / 1e3 / reps);
      row.run.push(inRun / reps);
    }
  }
}
const after = poolStats();
console.log(`conv [${N},${C},${H},${W}]x${O}x3x3 p1, ms per call, median of ${rounds} rounds of ${reps} (min in brackets)`);
console.log("op threads: wall | process CPU (all threads) | wall inside kernel runs | wall outside");
for (const [k, v] of Object.entries(rows)) {
  const out = v.wall.map((x, i) => x - v.run[i]);
  const f = (a: number[]) => `${med(a).toFixed(2)} (${Math.min(...a).toFixed(2)})`;
  console.log(`${k}: ${f(v.wall)} | ${f(v.cpu)} | ${f(v.run)} | ${f(out)}`);
}
for (const [name, t] of Object.entries(streams)) {
  if (!t.calls) continue;
  const per = (v: number) => (v / t.calls).toFixed(3);
  console.log(`${name} 2t ring job, calling thread per call (ms): copy in ${per(t.copyIn)} | copy out ${per(t.copyOut)} | its shares ${per(t.compute)} (${(t.mine / t.calls).toFixed(1)} of ${t.shares / t.calls} images) | waiting ${per(t.wait)}`);
}
console.log(`pool: jobs ${after.jobs - before.jobs}, shared ${after.shared - before.shared}, solo (backing off) ${after.solo - before.solo}, woken (a helper blocked when the job came) ${after.woken - before.woken}`);
