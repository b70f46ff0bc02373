/**
 * A persistent pool of worker threads sharing the kernels' WebAssembly.Memory. A job is one kernel
 * export called as f(tid, nThreads, ...args) for every share tid; the calling thread runs share 0.
 *
 * Shares are claimed, not assigned: each share 1..n-1 has a claim word, and whoever swaps in the
 * job's generation first runs it. The calling thread, once its own share is done, claims every share
 * whose helper has not started yet and runs it itself (a kernel's share depends only on tid and n, so
 * the result is the same whoever computes it). On a busy machine a helper that is not scheduled in
 * time therefore costs nothing: the job finishes in about the single-thread time instead of waiting
 * for it, which is what keeps 2 threads from being slower than 1.
 *
 * Helpers spin for a while after a job (waking a spinning helper costs well under a microsecond, a
 * blocked one ~15 µs) and then block in Atomics.wait. The spin window adapts per helper: it doubles
 * when the next job arrived while spinning and the helper got its share, and halves when the helper
 * had to block or arrived too late to claim its share (the machine is oversubscribed or jobs are far
 * apart), so idle or crowded helpers stop taking CPU time from the calling thread.
 *
 * What claiming cannot undo is a helper that took its share and was then descheduled: the calling
 * thread has to wait for it. So the calling thread backs off per kernel: when the job took longer
 * than running every share itself would have (its own share's time times the share count: with 2
 * threads, it waited longer than its own share took), or helpers missed 8 jobs in a row (every
 * wake-up wasted), it runs that kernel's shares itself for a while (1 ms, doubling on
 * each repeat up to 256 ms, reset by a job the helpers did help with) and then tries threads again.
 * The shares and their order stay the same, so the results do not depend on it.
 *
 * Only Node has worker_threads here; elsewhere the pool reports 0 helpers and kernels run on the
 * calling thread with the same results.
 */
import type { Kernels } from "./loader.js";
import { nodeBuiltin } from "./loader.js";

// Control words (Int32 indices into the control buffer); the claim word of share i is CLAIM + i.
const GEN = 0, DONE = 1, NT = 2, KID = 3, NARGS = 4, QUIT = 5, ERR = 6, FATAL = 7, CLAIM = 8;
/** The most threads a job may use (the claim words that fit the control buffer). */
export const MAX_THREADS = 256;
const MAX_ARGS = 64;
// Helper spin window in microseconds: starts at the upper bound, adapts between the two.
const SPIN_MAX_US = 200, SPIN_MIN_US = 2;
// How long the calling thread spins for helpers that are running a share before it blocks.
const WAIT_SPIN_US = 50;
// Backoff (see above): a wait counts as a loss when it exceeds the calling thread's own share by this
// much (timer noise on tiny jobs); that many missed jobs in a row count as one; the backoff's bounds.
const LOSS_SLACK_MS = 0.02, MISSES = 8, BACKOFF_MIN_MS = 1, BACKOFF_MAX_MS = 256;

// Plain JavaScript so it runs as an `eval` worker under tsx and from dist alike. The module comes
// compiled, so a worker only instantiates it (the data segments it rewrites hold constant tables).
const WORKER_SOURCE = `
const wt = globalThis.process.getBuiltinModule?.("node:worker_threads") ?? require("node:worker_threads");
const d = wt.workerData;
const ctrl = new Int32Array(d.ctrl);
let fns;
try {
  const inst = new WebAssembly.Instance(d.module, { env: { memory: d.memory } });
  fns = d.names.map((n) => inst.exports[n]);
} catch (e) {
  // Tell the calling thread, which then runs this helper's shares itself.
  Atomics.store(ctrl, ${FATAL}, 1);
  Atomics.notify(ctrl, ${DONE});
  throw e;
}
const args = new Float64Array(d.args);
const id = d.id;
let seen = 0, spinUs = ${SPIN_MAX_US};
for (;;) {
  let g = Atomics.load(ctrl, ${GEN}), blocked = false;
  if (g === seen) {
    const t0 = performance.now();
    for (let i = 1; (g = Atomics.load(ctrl, ${GEN})) === seen; i++) {
      if ((i & 63) === 0 && performance.now() - t0 > spinUs / 1000) {
        Atomics.wait(ctrl, ${GEN}, seen);
        blocked = true;
      }
    }
  }
  seen = g;
  if (Atomics.load(ctrl, ${QUIT})) break;
  const nt = Atomics.load(ctrl, ${NT});
  let ran = false;
  if (id < nt) {
    const c = Atomics.load(ctrl, ${CLAIM} + id);
    // A claim older than this job (wrap-safe) is free; the calling thread may have taken it already.
    if (((g - c) | 0) > 0 && Atomics.compareExchange(ctrl, ${CLAIM} + id, c, g) === c) {
      ran = true;
      try {
        fns[ctrl[${KID}]](id, nt, ...args.subarray(0, ctrl[${NARGS}]));
      } catch (e) {
        Atomics.store(ctrl, ${ERR}, 1);
      }
      Atomics.add(ctrl, ${DONE}, 1);
      Atomics.notify(ctrl, ${DONE});
    }
  }
  spinUs = ran && !blocked ? Math.min(${SPIN_MAX_US}, spinUs * 2) : Math.max(${SPIN_MIN_US}, spinUs / 2);
}
`;

interface WorkerLike {
  unref(): void;
  terminate(): Promise<number>;
}
interface WorkerThreads {
  Worker: new (src: string, opts: { eval: true; execArgv: string[]; workerData: unknown }) => WorkerLike;
}

function sharedBuffer(bytes: number): ArrayBufferLike {
  return typeof SharedArrayBuffer === "function" ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

export class Pool {
  // Pages without cross-origin isolation have no SharedArrayBuffer; they never start helpers.
  private readonly ctrl = new Int32Array(sharedBuffer((CLAIM + MAX_THREADS) * 4));
  private readonly args = new Float64Array(sharedBuffer(MAX_ARGS * 8));
  private readonly workers: WorkerLike[] = [];
  private readonly fns: Array<(...a: number[]) => void>;
  private readonly wt: WorkerThreads | null = nodeBuiltin<WorkerThreads>("node:worker_threads");
  private gen = 0;
  // Per kernel: until when (performance.now() ms) its shares run on the calling thread, the current
  // backoff length, and the jobs in a row no helper joined.
  private readonly soloUntil: Float64Array;
  private readonly backoffMs: Float64Array;
  private readonly misses: Int32Array;

  constructor(private readonly k: Kernels, private readonly names: readonly string[]) {
    this.soloUntil = new Float64Array(names.length);
    this.backoffMs = new Float64Array(names.length);
    this.misses = new Int32Array(names.length);
    this.fns = names.map((n) => {
      const f = k.exports[n];
      if (typeof f !== "function") throw new Error(`wasm backend: kernel export "${n}" is missing (rebuild with npm run build:wasm)`);
      return f as (...a: number[]) => void;
    });
  }

  private broken = false;

  /** Whether helpers can exist at all (Node's worker_threads, a shared memory, and none failed to start). */
  get threaded(): boolean {
    return this.wt !== null && this.k.shared && !this.broken;
  }

  /** Starts helpers until there are n-1 of them. */
  private ensure(n: number): void {
    if (!this.wt) return;
    while (this.workers.length < n - 1) {
      const w = new this.wt.Worker(WORKER_SOURCE, {
        eval: true,
        // The parent's flags (--input-type=module, --import tsx, ...) would change how this inline
        // CommonJS source is read; the worker needs none of them.
        execArgv: [],
        workerData: {
          module: this.k.module, memory: this.k.memory, names: this.names,
          ctrl: this.ctrl.buffer, args: this.args.buffer, id: this.workers.length + 1,
        },
      });
      // Idle helpers must not keep `node -e` scripts or test files alive.
      w.unref();
      this.workers.push(w);
    }
  }

  /** Runs kernel `id` as `nt` shares (this thread takes share 0 and any share no helper claimed) and returns when all are done. */
  run(id: number, nt: number, args: readonly number[]): void {
    const f = this.fns[id];
    if (nt <= 1 || !this.threaded) {
      f(0, 1, ...args);
      return;
    }
    if (args.length > MAX_ARGS) throw new Error(`wasm backend: too many kernel arguments (${args.length})`);
    if (nt > MAX_THREADS) nt = MAX_THREADS;
    const start = performance.now();
    if (start < this.soloUntil[id]) {
      // Backing off: the same shares, in order, on this thread.
      for (let i = 0; i < nt; i++) f(i, nt, ...args);
      return;
    }
    this.ensure(nt);
    const c = this.ctrl;
    this.args.set(args);
    const g = (this.gen = (this.gen + 1) | 0);
    Atomics.store(c, NT, nt);
    Atomics.store(c, KID, id);
    Atomics.store(c, NARGS, args.length);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, ERR, 0);
    // Publishes the job: everything above is visible to a helper that reads this generation.
    Atomics.store(c, GEN, g);
    Atomics.notify(c, GEN);
    let failure: unknown = null;
    let helped = nt - 1;
    let own = 0;
    try {
      f(0, nt, ...args);
      own = performance.now() - start;
      for (let i = 1; i < nt; i++) {
        const v = Atomics.load(c, CLAIM + i);
        if (v !== g && Atomics.compareExchange(c, CLAIM + i, v, g) === v) {
          helped--;
          f(i, nt, ...args);
        }
      }
    } catch (e) {
      failure = e;
      // Shares nobody claimed yet must not start after this job is abandoned.
      for (let i = 1; i < nt; i++) {
        const v = Atomics.load(c, CLAIM + i);
        if (v !== g && Atomics.compareExchange(c, CLAIM + i, v, g) === v) helped--;
      }
    }
    // Always wait for claimed shares: helpers may still be writing memory the next op reuses.
    const t0 = performance.now();
    let spinning = true;
    for (let done; (done = Atomics.load(c, DONE)) < helped; ) {
      if (Atomics.load(c, FATAL)) this.broken = true;
      if (spinning && performance.now() - t0 > WAIT_SPIN_US / 1000) spinning = false;
      if (!spinning) Atomics.wait(c, DONE, done, 50);
    }
    this.judge(id, nt, helped, own, helped > 0 ? performance.now() - t0 : 0);
    if (failure) throw failure;
    if (Atomics.load(c, ERR)) throw new Error(`wasm backend: kernel ${this.names[id]} failed on a worker thread`);
  }

  /**
   * After a threaded job of kernel `id` in `nt` shares: `helped` of them ran on helpers, the calling
   * thread's own share took `own` ms and it then waited `waited` ms for the helpers. Starts or
   * extends a backoff when threads lost time, ends it when they helped. Shares are split evenly
   * (to one unit of work), so running them all here would have taken about nt * own.
   */
  private judge(id: number, nt: number, helped: number, own: number, waited: number): void {
    const lost = helped > 0 && own + waited > nt * own + LOSS_SLACK_MS;
    if (helped > 0 && !lost) {
      this.misses[id] = 0;
      this.backoffMs[id] = 0;
      return;
    }
    if (!lost && ++this.misses[id] < MISSES) return;
    this.misses[id] = 0;
    const ms = (this.backoffMs[id] = Math.min(BACKOFF_MAX_MS, Math.max(BACKOFF_MIN_MS, 2 * this.backoffMs[id])));
    this.soloUntil[id] = performance.now() + ms;
  }
}
