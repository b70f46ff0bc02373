/**
 * What the benches read from Linux's /proc, in one place: memory figures of this process
 * (/proc/self/status) and the CPU time of one thread (/proc/<pid>/task/<tid>/schedstat).
 * Elsewhere than Linux the readers return undefined and the callers say so or fall back.
 */
import { readFileSync } from "node:fs";

/**
 * Fields of /proc/self/status given in kB (VmRSS, VmHWM, RssAnon, RssFile, ...), in MB; undefined
 * off Linux. A field the kernel does not report is NaN.
 *
 * @example procStatusMB(["VmHWM"])?.VmHWM  // this process's peak RSS
 */
export function procStatusMB<K extends string>(fields: readonly K[]): Record<K, number> | undefined {
  let s: string;
  try {
    s = readFileSync("/proc/self/status", "utf8");
  } catch {
    return undefined;
  }
  const out = {} as Record<K, number>;
  for (const k of fields) out[k] = Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(s)?.[1] ?? NaN) / 1024;
  return out;
}

/**
 * Nanoseconds thread `tid` of process `pid` has run on a CPU (the first field of schedstat: "run-ns
 * wait-ns timeslices"); undefined when unreadable (not Linux, or the thread has exited).
 *
 * @example threadRunNs(process.pid, process.pid)  // the main thread's CPU time
 */
export function threadRunNs(pid: number, tid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
  } catch {
    return undefined;
  }
}
