/**
 * CPU time of threads and processes, from Linux's /proc (nanoseconds of run time per thread, from
 * /proc/<pid>/task/<tid>/schedstat): what `npm run bench -- --diag` uses to see who ran while a cell
 * was timed (this process's main thread, its other threads, the PyTorch servers).
 *
 *   const probe = cpuProbe([torchPid]);  const a = probe.read();  work();  probe.diff(a, probe.read())
 *
 * Elsewhere than Linux every figure is 0 (probe.available says so).
 */
import { existsSync, readdirSync } from "node:fs";
import { threadRunNs } from "./proc.js";

/** Run-time nanoseconds per thread id of one process. */
type Threads = Map<number, number>;

function threadTimes(pid: number): Threads {
  const out: Threads = new Map();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tids) {
    // undefined: the thread exited between the listing and the read, so it ran nothing since.
    const ns = threadRunNs(pid, Number(t));
    if (ns !== undefined) out.set(Number(t), ns);
  }
  return out;
}

export interface ProbeSample { self: Threads; others: Threads[] }
/** CPU milliseconds between two samples: this process's main thread, its other threads, and each other pid. */
export interface ProbeDiff { main: number; threads: number; others: number[] }

/** `cpuProbe([pid])`: samples this process's threads and the given processes' threads on demand. */
export function cpuProbe(pids: readonly number[]) {
  const available = existsSync(`/proc/${process.pid}/task/${process.pid}/schedstat`);
  const sum = (after: Threads, before: Threads, skip = -1) => {
    let ns = 0;
    for (const [tid, v] of after) if (tid !== skip) ns += v - (before.get(tid) ?? 0);
    return ns / 1e6;
  };
  return {
    available,
    read: (): ProbeSample => ({ self: available ? threadTimes(process.pid) : new Map(), others: pids.map((p) => (available ? threadTimes(p) : new Map())) }),
    diff: (a: ProbeSample, b: ProbeSample): ProbeDiff => ({
      main: ((b.self.get(process.pid) ?? 0) - (a.self.get(process.pid) ?? 0)) / 1e6,
      threads: sum(b.self, a.self, process.pid),
      others: b.others.map((t, i) => sum(t, a.others[i])),
    }),
  };
}
