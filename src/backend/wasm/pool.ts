/**
 * A persistent pool of worker threads sharing the kernels' WebAssembly.Memory. A job is one kernel
 * export called as f(i, nShares, ...args) for every share i < nShares, on up to a given number of
 * threads (the calling one included).
 *
 * Shares are claimed, not assigned: one control word holds the job's generation and the next share
 * to take, and every thread, the calling one too, claims shares one at a time with a
 * compareExchange until none is left (a kernel's share depends only on i and nShares, so the result
 * is the same whoever computes it). On a busy machine a helper that is not scheduled in time
 * therefore costs nothing: the calling thread takes its shares and the job finishes in about the
 * single-thread time instead of waiting for it. A kernel whose results do not depend on the share
 * count (pooling: one plane at a time) is cut into more shares than threads, so a helper that
 * starts late or loses its core holds up at most the one share it is running, and threads that get
 * unequal time from the OS still finish together.
 *
 * Helpers spin for a while after a job (waking a spinning helper costs well under a microsecond, a
 * blocked one ~15 µs on bare metal and far more in a VM whose idle vCPU has halted) and then block in
 * Atomics.wait. The spin window adapts per helper to the gaps between jobs: after a job it ran a
 * share of, it grows to twice the gap before that job (up to SPIN_MAX_US), so a kernel called once
 * per chunk of images, with the calling thread's copies in between, finds its helper spinning every
 * time; it halves when jobs are further apart than that, or the helper ran no share (it arrived too
 * late: the machine is oversubscribed; or it sits out jobs for fewer threads), so idle or crowded
 * helpers stop taking CPU time from the calling thread. (It used
 * to grow only when a job arrived within the window, so gaps just longer than the window shrank it
 * to nothing and every job waited for a blocked helper to wake.) A session that is about to give the
 * pool work wakes blocked helpers first (wake()), so their wake-up overlaps its staging.
 *
 * What claiming cannot undo is a helper that took its share and was then descheduled: the calling
 * thread has to wait for it. So the calling thread backs off per kernel: when the job took longer
 * than running every share itself would have (its time per share times the share count: with 2
 * shares, it waited longer than its own share took), or helpers missed 8 jobs in a row (every
 * wake-up wasted), it runs that kernel's shares itself for a while (1 ms, doubling on
 * each repeat up to 256 ms, reset by a job the helpers did help with) and then tries threads again.
 * The shares and their order stay the same, so the results do not depend on it.
 *
 * A ring job (startRing) is a batch whose operands the calling thread stages while threads compute:
 * one share per image over a ring of arena slots, claimable once release() says its slot is staged
 * (chunks.ts inStream: the conv forward and input gradient; with `lanes`, share i also waits for
 * share i - lanes, so that lane i mod lanes sums its images in order whichever thread runs them: the
 * weight gradient). The calling thread takes part (runOne) between its copies, so no thread waits at
 * a chunk's end; a call slower than its shares would take on the calling thread alone backs off.
 *
 * Only Node has worker_threads here; elsewhere the pool reports 0 helpers and kernels run on the
 * calling thread with the same results.
 */
import type { Kernels } from "./loader.js";
import { nodeBuiltin } from "./loader.js";

// Control words (Int32 indices into the control buffer). TAKE packs the job's generation (its low
// 22 bits) with the index of the next share to claim (the low SHARE_BITS bits), so one
// compareExchange claims a share of this job and can never claim one of a later job: a helper that
// read an old generation and was descheduled sees other generation bits and stops.
// A ring job (startRing) adds READY (shares released so far: share i may be claimed once READY > i),
// RING (its slot count; 0 for a plain job), RWAIT (helpers blocked until READY moves), LANES (share i
// also waits for share i - LANES; 0: no order) and FIN + slot (i + 1 once share i, in slot i mod RING, is done).
const GEN = 0, DONE = 1, NT = 2, KID = 3, NARGS = 4, QUIT = 5, ERR = 6, FATAL = 7, TAKE = 8, THR = 9, SLEEPING = 10, READY = 11, RING = 12, RWAIT = 13, LANES = 14, FIN = 16;
/** The most slots of a ring job (startRing). */
export const MAX_RING = 64;
const WORDS = FIN + MAX_RING;
const SHARE_BITS = 9, GEN_MASK = (1 << 22) - 1;
/** The most shares a job may have (and so the most threads): share indices fit SHARE_BITS bits. */
export const MAX_THREADS = 256;
const MAX_ARGS = 64;
// Helper spin window in microseconds: starts at the upper bound, adapts between the two (and a
// helper woken ahead of a job spins SPIN_MAX_US for it).
const SPIN_MAX_US = 400, SPIN_MIN_US = 2;
// How long the calling thread spins for helpers that are running a share before it blocks: at
// least this, and up to its own time per share (a helper that started with it finishes within about
// that), at most WAIT_SPIN_MAX_US.
const WAIT_SPIN_US = 50, WAIT_SPIN_MAX_US = 2000;
// How long a helper of a ring job spins for the next share's operands before it blocks until they are staged.
const READY_SPIN_US = 200;
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
  // Kernels that keep scratch per thread rather than per share find theirs by it (assembly/conv.ts).
  inst.exports.setThreadIndex(d.id);
} catch (e) {
  // Tell the calling thread, which then runs every share itself.
  Atomics.store(ctrl, ${FATAL}, 1);
  Atomics.notify(ctrl, ${DONE});
  throw e;
}
const args = new Float64Array(d.args);
const id = d.id;
let seen = 0, spinUs = ${SPIN_MAX_US};
// Whether image j of a ring or lane job is staged (READY > j). once: a single look (the caller loops);
// else waits for it, spinning a while and then blocked (a spinning helper would take the core the
// stager needs where the machine is crowded; release() wakes it); false when the job was abandoned (READY < 0).
let waitFrom = 0;
function staged(j, once) {
  for (let k = 0; ; k++) {
    const r = Atomics.load(ctrl, ${READY});
    if (r < 0) return false;
    if (j < r) {
      waitFrom = 0;
      return true;
    }
    if (k === 0) waitFrom = waitFrom || performance.now();
    else if ((k & 63) === 0 && performance.now() - waitFrom > ${READY_SPIN_US / 1000}) {
      Atomics.add(ctrl, ${RWAIT}, 1);
      Atomics.wait(ctrl, ${READY}, r, 5);
      Atomics.sub(ctrl, ${RWAIT}, 1);
    }
    if (once && k >= 64) return false;
  }
}
// Marks image j, in slot s, done for the calling thread (which copies it out or reuses the slot).
function finish(s, j) {
  Atomics.store(ctrl, ${FIN} + s, j + 1);
  Atomics.notify(ctrl, ${FIN} + s);
}
for (;;) {
  let g = Atomics.load(ctrl, ${GEN});
  // When this helper's last job ended: the gap to the next one adapts the window.
  const idle = performance.now();
  if (g === seen) {
    let t0 = idle, window = spinUs;
    for (let i = 1; (g = Atomics.load(ctrl, ${GEN})) === seen; i++) {
      if ((i & 63) === 0 && performance.now() - t0 > window / 1000) {
        Atomics.add(ctrl, ${SLEEPING}, 1);
        Atomics.wait(ctrl, ${GEN}, seen);
        Atomics.sub(ctrl, ${SLEEPING}, 1);
        // Woken by a job, or by wake() ahead of one: spin for it.
        t0 = performance.now();
        window = ${SPIN_MAX_US};
      }
    }
  }
  const gapUs = (performance.now() - idle) * 1000;
  seen = g;
  if (Atomics.load(ctrl, ${QUIT})) break;
  const nt = Atomics.load(ctrl, ${NT}), tag = (g & ${GEN_MASK}) << ${SHARE_BITS}, ring = Atomics.load(ctrl, ${RING});
  const lanes = Atomics.load(ctrl, ${LANES});
  let ran = false;
  waitFrom = 0;
  // Helpers beyond the job's thread count sit it out; the others claim shares of this job until none is left (or the job is no longer this one).
  while (id < Atomics.load(ctrl, ${THR})) {
    const w = Atomics.load(ctrl, ${TAKE}), i = w & ${(1 << SHARE_BITS) - 1};
    if ((w & ~${(1 << SHARE_BITS) - 1}) !== tag || i >= nt) break;
    // A ring job's share i waits until the calling thread has staged its operands (READY > i), and
    // with lanes until share i - lanes (the lane's previous image) is done.
    if (ring > 0 && (!staged(i, true) || (lanes > 0 && i >= lanes && Atomics.load(ctrl, ${FIN} + ((i - lanes) % ring)) !== i - lanes + 1))) continue;
    if (Atomics.compareExchange(ctrl, ${TAKE}, w, w + 1) !== w) continue;
    ran = true;
    const f = fns[ctrl[${KID}]], a = args.subarray(0, ctrl[${NARGS}]);
    try {
      // A ring share also gets its image index after the arguments (tasks that need no more ignore it).
      if (ring > 0) f(i % ring, ring, ...a, i);
      else f(i, nt, ...a);
    } catch (e) {
      Atomics.store(ctrl, ${ERR}, 1);
    }
    if (ring > 0) finish(i % ring, i);
    // Whoever finishes the last share wakes the calling thread (the only one that waits on DONE).
    if (Atomics.add(ctrl, ${DONE}, 1) === nt - 1) Atomics.notify(ctrl, ${DONE});
  }
  // Spin less when this helper ran no share (it came too late, or sits out jobs for fewer threads)
  // or jobs came further apart than the longest window.
  spinUs = ran && gapUs <= ${SPIN_MAX_US} ? Math.min(${SPIN_MAX_US}, Math.max(spinUs, 2 * gapUs)) : Math.max(${SPIN_MIN_US}, spinUs / 2);
}
`;

/** What the pools did since the process started (bench/threads.ts reads it): cheap counters, never reset. */
export const stats = {
  /** Jobs offered to helpers (published to the control words). */
  jobs: 0,
  /** Of those, the jobs at least one helper ran a share of. */
  shared: 0,
  /** Kernel calls that could have used threads but ran alone, backing off. */
  solo: 0,
  /** Of the jobs offered, those published while a helper was blocked (it had to be woken, not found spinning). */
  woken: 0,
};

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
  private readonly ctrl = new Int32Array(sharedBuffer(WORDS * 4));
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

  /**
   * Wakes helpers blocked in Atomics.wait, up to `threads` - 1 of them (started if need be), without
   * giving them a job: a session calls it before staging its operands, so that a helper's wake-up
   * (tens to hundreds of µs where an idle vCPU has halted) overlaps the copies and it is spinning
   * when the job comes.
   */
  wake(threads: number): void {
    if (threads <= 1 || !this.threaded) return;
    this.ensure(threads);
    if (Atomics.load(this.ctrl, SLEEPING) > 0) Atomics.notify(this.ctrl, GEN);
  }

  /**
   * Runs kernel `id` as `nt` shares, f(i, nt, ...args) for i < nt, on up to `threads` threads (the
   * calling one included) and returns when all are done. Threads claim shares one at a time, the
   * calling thread too, so a helper that starts late or is descheduled holds up at most the share it
   * is running; more shares than threads (a kernel whose results do not depend on nt) spreads the
   * work evenly over threads that get unequal time from the OS.
   */
  run(id: number, nt: number, args: readonly number[], threads = nt): void {
    this.start(id, nt, args, threads);
    this.join();
  }

  // The job start() published and join() has not finished: its kernel, share count and arguments.
  private pending: { id: number; nt: number; args: readonly number[] } | null = null;

  /**
   * run()'s first half: publishes the job to the helpers and returns at once, so the calling
   * thread can do other work (copy the previous chunk's results out, the next one's operands in)
   * while helpers take shares; join() then takes the shares left and waits for the rest. Where
   * no helper can take it (one share or thread, no threads here, backing off) the job runs here,
   * now. One job at a time: join() before the next start().
   */
  start(id: number, nt: number, args: readonly number[], threads = nt): void {
    if (this.pending || this.ringJob) throw new Error("wasm backend: a job was started before the previous one was joined (call join() before the next start())");
    const f = this.fns[id];
    if (nt <= 1 || !this.threaded) {
      // No helpers can exist (callers then ask for one share): one call over everything.
      f(0, 1, ...args);
      return;
    }
    if (nt > MAX_THREADS) throw new Error(`wasm backend: a job has at most ${MAX_THREADS} shares, got ${nt}`);
    if (threads <= 1 || performance.now() < this.soloUntil[id]) {
      // Backing off (or one thread asked for): the same shares, in order, on this thread.
      if (threads > 1) stats.solo++;
      for (let i = 0; i < nt; i++) f(i, nt, ...args);
      return;
    }
    const g = this.stage(id, nt, args, Math.min(threads, nt), 0, 0);
    this.pending = { id, nt, args };
    this.publish(g);
  }

  /**
   * Writes a job's control words (a plain job has ring and lanes 0) for the generation it returns;
   * nothing is visible to a helper until publish(generation).
   */
  private stage(id: number, nt: number, args: readonly number[], threads: number, ring: number, lanes: number): number {
    if (args.length > MAX_ARGS) throw new Error(`wasm backend: too many kernel arguments (${args.length})`);
    this.ensure(threads);
    stats.jobs++;
    const c = this.ctrl;
    this.args.set(args);
    const g = (this.gen = (this.gen + 1) | 0), tag = (g & GEN_MASK) << SHARE_BITS;
    Atomics.store(c, NT, nt);
    Atomics.store(c, THR, threads);
    Atomics.store(c, KID, id);
    Atomics.store(c, NARGS, args.length);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, ERR, 0);
    Atomics.store(c, TAKE, tag);
    if (ring > 0) {
      Atomics.store(c, READY, 0);
      for (let j = 0; j < ring; j++) Atomics.store(c, FIN + j, 0);
    }
    Atomics.store(c, RING, ring);
    Atomics.store(c, LANES, lanes);
    if (Atomics.load(c, SLEEPING) > 0) stats.woken++;
    return g;
  }

  /** Publishes the staged job: everything stage() wrote is visible to a helper that reads this generation. */
  private publish(g: number): void {
    Atomics.store(this.ctrl, GEN, g);
    Atomics.notify(this.ctrl, GEN);
  }

  /** run()'s second half: takes the started job's shares that are left and waits for the helpers' (nothing when no job is pending). */
  join(): void {
    const job = this.pending;
    if (!job) return;
    this.pending = null;
    const { id, nt, args } = job, f = this.fns[id], c = this.ctrl;
    let failure: unknown = null;
    let mine = 0, own = 0;
    // Claims the next share of this job; -1 when none is left.
    const claim = (): number => {
      for (;;) {
        const w = Atomics.load(c, TAKE), i = w & ((1 << SHARE_BITS) - 1);
        if (i >= nt) return -1;
        if (Atomics.compareExchange(c, TAKE, w, w + 1) === w) return i;
      }
    };
    for (let i; (i = claim()) >= 0; ) {
      if (failure === null) {
        const t = performance.now();
        try {
          f(i, nt, ...args);
        } catch (e) {
          // The shares not yet claimed are claimed and skipped, so no helper starts them.
          failure = e;
        }
        own += performance.now() - t;
        mine++;
      }
      Atomics.add(c, DONE, 1);
    }
    // Always wait for claimed shares: helpers may still be writing memory the next op reuses.
    const t0 = performance.now();
    const spinMs = Math.min(WAIT_SPIN_MAX_US / 1000, Math.max(WAIT_SPIN_US / 1000, mine > 0 ? own / mine : 0));
    let spinning = true;
    for (let done; (done = Atomics.load(c, DONE)) < nt; ) {
      if (Atomics.load(c, FATAL)) this.broken = true;
      if (spinning && performance.now() - t0 > spinMs) spinning = false;
      if (!spinning) Atomics.wait(c, DONE, done, 50);
    }
    const helped = nt - mine;
    if (helped > 0) stats.shared++;
    if (failure === null) this.judge(id, nt, helped, own, helped > 0 ? performance.now() - t0 : 0);
    if (failure) throw failure;
    if (Atomics.load(c, ERR)) throw new Error(`wasm backend: kernel ${this.names[id]} failed on a worker thread`);
  }

  // The ring job startRing() published and joinRing() has not finished.
  private ringJob: {
    id: number; nt: number; lanes: number; ring: number; args: readonly number[]; mine: number; own: number; waited: number; t0: number; failure: unknown;
  } | null = null;

  /**
   * A job of `nt` shares whose operands the calling thread stages while threads compute them: share
   * i runs as f(i mod ring, ring, ...args) (so slot i mod ring of arena blocks of `ring` images, one
   * image a share), and may be claimed only once release() has let it (the calling thread copied its
   * operands into the slot); finished(i) tells when it is done, so its results can be copied out and
   * the slot reused. Threads, the calling one too (runOne), claim shares in order from one counter,
   * so whoever is free takes the next image: no join per chunk, and the copies run beside the
   * helpers' shares. false (nothing published) where no helper can take part: the caller then runs
   * its plain path. Bits: a share's result depends only on its slot's operands.
   */
  startRing(id: number, nt: number, args: readonly number[], threads: number, ring: number, lanes = 0): boolean {
    if (this.pending || this.ringJob) throw new Error("wasm backend: a job was started before the previous one was joined");
    if (threads <= 1 || !this.threaded || nt <= 1 || nt > MAX_THREADS || ring <= lanes || ring > MAX_RING || performance.now() < this.soloUntil[id]) return false;
    const g = this.stage(id, nt, args, threads, ring, lanes);
    this.ringJob = { id, nt, lanes, ring, args, mine: 0, own: 0, waited: 0, t0: performance.now(), failure: null };
    this.publish(g);
    return true;
  }

  /** Lets the ring job's shares below n be claimed (their operands are staged). */
  release(n: number): void {
    Atomics.store(this.ctrl, READY, n);
    if (Atomics.load(this.ctrl, RWAIT) > 0) Atomics.notify(this.ctrl, READY);
  }

  /** The next share of the ring job that claim() may take, as far as the calling thread can tell (how far the threads got). */
  taken(): number {
    return Atomics.load(this.ctrl, TAKE) & ((1 << SHARE_BITS) - 1);
  }

  /** Claims one released share of the ring job and runs it on the calling thread; false when none is free now. */
  runOne(): boolean {
    const job = this.ringJob!, c = this.ctrl;
    for (;;) {
      const w = Atomics.load(c, TAKE), i = w & ((1 << SHARE_BITS) - 1);
      if (i >= job.nt || i >= Atomics.load(c, READY)) return false;
      // With lanes, the lane's previous image must be done (it may be a helper's, still running).
      if (job.lanes > 0 && i >= job.lanes && !this.finished(i - job.lanes)) return false;
      if (Atomics.compareExchange(c, TAKE, w, w + 1) !== w) continue;
      if (job.failure === null) {
        const t = performance.now();
        try {
          this.fns[job.id](i % job.ring, job.ring, ...job.args, i);
        } catch (e) {
          job.failure = e;
        }
        job.own += performance.now() - t;
      }
      job.mine++;
      Atomics.store(c, FIN + (i % job.ring), i + 1);
      Atomics.add(c, DONE, 1);
      return true;
    }
  }

  /** Whether the ring job's share i is done. */
  finished(i: number): boolean {
    return Atomics.load(this.ctrl, FIN + (i % this.ringJob!.ring)) === i + 1;
  }

  /** Waits (spinning, then blocking briefly) until the ring job's share i, claimed by a helper, is done. */
  waitFinished(i: number): void {
    const job = this.ringJob!, c = this.ctrl, at = FIN + (i % job.ring), t0 = performance.now();
    // Spin about one share's time (a helper that started it with us is done by then), then block.
    const spinMs = Math.min(WAIT_SPIN_MAX_US / 1000, Math.max(WAIT_SPIN_US / 1000, job.mine > 0 ? job.own / job.mine : 0));
    for (let v; (v = Atomics.load(c, at)) !== i + 1; ) {
      if (Atomics.load(c, FATAL)) this.broken = true;
      if (performance.now() - t0 > spinMs) Atomics.wait(c, at, v, 1);
    }
    job.waited += performance.now() - t0;
  }

  /**
   * Ends the ring job: claims and skips what is left (after a failure the caller stops releasing;
   * no helper may then wait for a share that never comes), waits for the helpers' shares, and throws
   * the first failure.
   */
  joinRing(): void {
    const job = this.ringJob;
    if (!job) return;
    const c = this.ctrl;
    // A helper inside a lane waits for images that may never be staged now: READY < 0 ends its lane.
    if (Atomics.load(c, READY) < job.nt) this.release(-1);
    for (;;) {
      const w = Atomics.load(c, TAKE), i = w & ((1 << SHARE_BITS) - 1);
      if (i >= job.nt) break;
      if (Atomics.compareExchange(c, TAKE, w, w + 1) === w) Atomics.add(c, DONE, 1);
    }
    for (let done; (done = Atomics.load(c, DONE)) < job.nt; ) {
      if (Atomics.load(c, FATAL)) this.broken = true;
      Atomics.wait(c, DONE, done, 1);
    }
    this.ringJob = null;
    // Shares (images) the helpers ran.
    const helped = job.nt - job.mine;
    if (helped > 0) stats.shared++;
    // A job slower than its shares would take on this thread alone (copies not counted) lost: where
    // the machine is crowded a second thread gives no more CPU time, only the shared memory's slower
    // copies and waits for a helper that lost its core. Then this kernel backs off as a plain job
    // would (judge): its next calls run on this thread alone for a while.
    if (job.failure === null) {
      const per = job.mine > 0 ? job.own / job.mine : 0;
      const lost = per > 0 && performance.now() - job.t0 > per * job.nt;
      this.judge(job.id, job.nt, helped, job.own, lost ? Infinity : 0);
    }
    if (job.failure) throw job.failure;
    if (Atomics.load(c, ERR)) throw new Error(`wasm backend: kernel ${this.names[job.id]} failed on a worker thread`);
  }

  /**
   * After a threaded job of kernel `id` in `nt` shares: `helped` of them ran on helpers, the calling
   * thread's own nt - helped shares took `own` ms and it then waited `waited` ms for the helpers.
   * Starts or extends a backoff when threads lost time, ends it when they helped. Shares are split
   * evenly (to one unit of work), so running them all here would have taken about nt times its
   * time per share (unknown when helpers took every share, which counts as a gain).
   */
  private judge(id: number, nt: number, helped: number, own: number, waited: number): void {
    const lost = helped > 0 && helped < nt && own + waited > (own / (nt - helped)) * nt + LOSS_SLACK_MS;
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
