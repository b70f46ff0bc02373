/**
 * A persistent pool of worker threads sharing the kernels' WebAssembly.Memory. A job is one kernel
 * export called as f(tid, nThreads, ...args) on every participating thread; the calling thread is
 * tid 0 and takes its share too. Workers spin briefly after a job (waking a spinning worker costs
 * well under a microsecond, a blocked one ~15 µs) and then block in Atomics.wait.
 *
 * Only Node has worker_threads here; elsewhere the pool reports 0 helpers and kernels run on the
 * calling thread with the same results.
 */
import type { Kernels } from "./loader.js";
import { nodeBuiltin } from "./loader.js";

// Control words (Int32 indices into the control buffer).
const GEN = 0, DONE = 1, NT = 2, KID = 3, NARGS = 4, QUIT = 5, ERR = 6, FATAL = 7;
const MAX_ARGS = 64;
const SPIN = 20000;

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
  // The caller is blocked waiting for this thread's share: tell it, rather than let it wait forever.
  Atomics.store(ctrl, ${FATAL}, 1);
  Atomics.notify(ctrl, ${DONE});
  throw e;
}
const args = new Float64Array(d.args);
const id = d.id;
let seen = 0;
for (;;) {
  let g, spins = 0;
  while ((g = Atomics.load(ctrl, ${GEN})) === seen) {
    if (++spins > ${SPIN}) { Atomics.wait(ctrl, ${GEN}, seen); spins = 0; }
  }
  seen = g;
  if (Atomics.load(ctrl, ${QUIT})) break;
  const nt = Atomics.load(ctrl, ${NT});
  if (id < nt) {
    try {
      const a = Array.from(args.subarray(0, ctrl[${NARGS}]));
      fns[ctrl[${KID}]](id, nt, ...a);
    } catch (e) {
      Atomics.store(ctrl, ${ERR}, 1);
    }
    Atomics.add(ctrl, ${DONE}, 1);
    Atomics.notify(ctrl, ${DONE});
  }
}
`;

interface WorkerLike {
  unref(): void;
  terminate(): Promise<number>;
}
interface WorkerThreads {
  Worker: new (src: string, opts: { eval: true; execArgv: string[]; workerData: unknown }) => WorkerLike;
}

export class Pool {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(64));
  private readonly args = new Float64Array(new SharedArrayBuffer(MAX_ARGS * 8));
  private readonly workers: WorkerLike[] = [];
  private readonly fns: Array<(...a: number[]) => void>;
  private readonly wt: WorkerThreads | null = nodeBuiltin<WorkerThreads>("node:worker_threads");

  constructor(private readonly k: Kernels, private readonly names: readonly string[]) {
    this.fns = names.map((n) => {
      const f = k.exports[n];
      if (typeof f !== "function") throw new Error(`wasm backend: kernel export "${n}" is missing (rebuild with npm run build:wasm)`);
      return f as (...a: number[]) => void;
    });
  }

  private broken = false;

  /** Whether helpers can exist at all (Node's worker_threads, and none failed to start). */
  get threaded(): boolean {
    return this.wt !== null && !this.broken;
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

  /** Runs kernel `id` on `nt` threads (this one included) and returns when all have finished. */
  run(id: number, nt: number, args: readonly number[]): void {
    const f = this.fns[id];
    if (nt <= 1 || !this.threaded) {
      f(0, 1, ...args);
      return;
    }
    if (args.length > MAX_ARGS) throw new Error(`wasm backend: too many kernel arguments (${args.length})`);
    this.ensure(nt);
    const c = this.ctrl;
    this.args.set(args);
    Atomics.store(c, NT, nt);
    Atomics.store(c, KID, id);
    Atomics.store(c, NARGS, args.length);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, ERR, 0);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    let failure: unknown = null;
    try {
      f(0, nt, ...args);
    } catch (e) {
      failure = e;
    }
    // Always wait: helpers may still be writing into memory the next op is about to reuse.
    let spins = 0;
    for (let done; (done = Atomics.load(c, DONE)) < nt - 1; ) {
      if (Atomics.load(c, FATAL)) {
        this.broken = true;
        throw new Error("wasm backend: a worker thread could not start, so this op is incomplete; later ops run on one thread (setNumThreads(1) avoids workers)");
      }
      if (++spins > SPIN) Atomics.wait(c, DONE, done, 50);
    }
    if (failure) throw failure;
    if (Atomics.load(c, ERR)) throw new Error(`wasm backend: kernel ${this.names[id]} failed on a worker thread`);
  }
}
