/**
 * How many threads wasm kernels may use: setNumThreads, else DEEPTYPE_NUM_THREADS, else every core,
 * never more than the cores this process may use (on 2 cores 64 threads made matmul 10-19x slower).
 */
import { nodeBuiltin } from "./loader.js";
import { MAX_THREADS, stats } from "./pool.js";

let cores = 0;

/**
 * Cores this process may use: a thread beyond them only takes turns with the others. Asked of the OS
 * once per process: the query costs about 6 us (os.availableParallelism reads the affinity mask),
 * which setNumThreads would otherwise pay on every call, and the answer does not change under us.
 */
function availableCores(): number {
  if (cores > 0) return cores;
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus(): unknown[] }>("node:os");
  if (os) return (cores = Math.max(1, os.availableParallelism ? os.availableParallelism() : os.cpus().length));
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return (cores = Math.max(1, nav?.hardwareConcurrency ?? 1));
}

let capNotified = false;

/** n, capped at the available cores, with a one-line notice (once) when that lowers a request. */
function capped(n: number, source: string): number {
  const avail = availableCores();
  if (n <= avail) return n;
  if (!capNotified) {
    capNotified = true;
    console.warn(`deeptype: ${source} asks for ${n} threads but this machine has ${avail} cores available; using ${avail} (more threads than cores only slow kernels down)`);
  }
  return avail;
}

function defaultThreads(): number {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.DEEPTYPE_NUM_THREADS;
  if (env !== undefined && env !== "") {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) {
      throw new Error(`DEEPTYPE_NUM_THREADS must be a positive integer, got "${env}" (unset it to use every core)`);
    }
    return capped(n, "DEEPTYPE_NUM_THREADS");
  }
  return availableCores();
}

let numThreads: number | null = null;

/**
 * `setNumThreads(2)`: how many threads (the calling one included) big wasm kernels may use; more
 * than the available cores is lowered to the core count, with a one-line notice.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`setNumThreads: expected a positive integer number of threads, got ${n} (use 1 to run on the calling thread only)`);
  }
  numThreads = capped(Math.min(n, MAX_THREADS), "setNumThreads");
}

/** The thread count wasm kernels use: setNumThreads, else DEEPTYPE_NUM_THREADS, else every core (never more than the cores). */
export function getNumThreads(): number {
  if (numThreads === null) numThreads = defaultThreads();
  return numThreads;
}

/**
 * `poolStats()`: how many jobs the wasm kernels offered to helper threads, how many a helper shared,
 * how many ran alone while backing off, and how many found a helper blocked rather than spinning
 * (a copy; for benchmarks).
 */
export function poolStats(): { jobs: number; shared: number; solo: number; woken: number } {
  return { ...stats };
}

