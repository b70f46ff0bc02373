/**
 * Side-by-side benchmark of deeptype (wasm backend) and PyTorch on 1 and 2 threads, plus TensorFlow.js:
 *
 *   npm run bench                        every row (about 4 minutes)
 *   npm run bench -- --only train        rows whose name contains "train" ("conv|add": either; any case)
 *   npm run bench -- --rounds 9          more interleaved rounds (default 7)
 *   npm run bench -- --no-tfjs --no-rss  skip the TensorFlow.js columns / the peak-RSS row
 *   npm run bench -- --diag              also print, per cell, calls per batch, the CPU time of this
 *                                        process's threads and the PyTorch servers, and GC pauses
 *
 * Fairness. PyTorch runs in two persistent child processes (bench/torch/bench.py --serve), one per
 * thread count, each with torch.set_num_threads(T) and OPENBLAS_NUM_THREADS=T (OpenBLAS reads it at
 * load); deeptype runs with setNumThreads(T), the same as DEEPTYPE_NUM_THREADS=T. The bench prints
 * which BLAS library PyTorch loaded and its measured sgemm, and withholds every ratio when that looks
 * like the reference BLAS (< 30 GFLOP/s on one thread), saying how to install OpenBLAS.
 * Neither side warms the C allocator up: both run as a user's process starts, and MALLOC_* or
 * GLIBC_TUNABLES settings in the environment reach both (the PyTorch servers inherit it); the header
 * says which (`allocator:`).
 *
 * Timing. Each cell is the median of ROUNDS samples; a sample is the mean of a batch of calls lasting
 * about BATCH_MS. The batch size comes from the fastest of three runs of at least 15 ms after a
 * warm-up, and grows if an unrecorded first round in the rounds' interleaving runs the calls faster
 * (one timed call used to size it, which a GC pause made 10-100x too small). The rounds interleave: every round times every row on every column (deeptype 1t,
 * torch 1t, deeptype 2t, torch 2t, in a rotating order) before the next round starts, so a burst of
 * load from other processes hits all columns alike; after a multi-thread PyTorch cell the bench pauses
 * 100 ms, so OpenMP workers still spinning do not slow the next cell. The spread printed is the [min-max] of the samples.
 * TensorFlow.js is timed after the rounds (median of 3 batches): it is a peer, not a target. Only
 * deeptype's own modules are in this process's JavaScript heap while the rounds run: TensorFlow.js is
 * imported after them and the FMA loop is compiled in a child process, because every major GC marks
 * the whole heap, and those two had made it ~100 MB instead of ~12 MB.
 *
 * Rows: sgemm 1024 (GFLOP/s) next to the wasm FMA ceiling (bench/fma-ceiling.ts: a register-only
 * loop, the most float32 arithmetic wasm can do here); one training step (forward, crossEntropy,
 * backward, optimizer) of the MNIST MLP (SGD) and CNN (Adam) of src/models on a batch of 64 (ms);
 * CNN inference on 256 images (images/s); the CNN's second convolution [64,16,28,28] * 32x3x3 pad 1,
 * forward and each gradient, and its first max-pool (2x2 over [64,16,28,28]) forward and backward
 * (ms); adding two [64] tensors (us per op: the per-op overhead); peak RSS of 200 CNN training steps
 * in a fresh process per column (bench/rss.ts, bench.py --rss-cnn; MB).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { availableParallelism, loadavg } from "node:os";
import { PerformanceObserver } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";
import { fileURLToPath } from "node:url";
import type * as Tf from "@tensorflow/tfjs";
import {
  Generator, Tensor, backend, conv2d, maxPool2d, maxPool2dWithIndices, noGrad, randn,
} from "../src/core.js";
import { mnistCnn } from "../src/models/index.js";
import { wantsHeapWarmup } from "../src/tensor/host-heap.js";
import { getNumThreads, poolStats, setNumThreads } from "../src/backend/wasm/index.js";
import { useWasm } from "./wasm-backend.js";
import { fmaCeiling } from "./fma-ceiling.js";
import { deeptypeTrainStep } from "./train-step.js";
import { cpuProbe, type ProbeDiff } from "./cpu-probe.js";
import { secondsPerCall } from "./calibrate.js";
import { blasGate, metCell, ratioCell, rssRow } from "./table.js";

type Bench = () => void;
type TfModels = typeof import("./tfjs-models.js");
type Unit = "GFLOP/s" | "ms" | "us" | "images/s" | "MB";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const ROUNDS = Number(arg("--rounds") ?? 7);
const BATCH_MS = 120;
const THREADS = [1, 2] as const;
const only = arg("--only");
const withTfjs = !process.argv.includes("--no-tfjs");
const withRss = !process.argv.includes("--no-rss");
const diag = process.argv.includes("--diag");

interface Row {
  id: string;
  unit: Unit;
  /** Work per call: flops (GFLOP/s rows) or images (images/s rows); unused otherwise. */
  work: number;
  /** The work is done once by each thread (the FMA loop runs on every thread): multiply by the thread count. */
  workPerThread?: true;
  /** The issue-9 target, printed next to the ratios. */
  target: string;
  /** Whether the target holds, given this row's deeptype and torch medians at one thread count. */
  met?: (dt: number, torch: number | undefined, ceiling: number | undefined) => boolean;
  deeptype: (threads: number) => Bench;
  torch: boolean;
  /** Gets TensorFlow.js and bench/tfjs-models.ts, imported only for the tfjs phase after the rounds (below). */
  tfjs?: (tf: typeof Tf, models: TfModels) => Bench;
}

// ---- deeptype workloads ------------------------------------------------------------------------

// Read before any setNumThreads: what a user gets without DEEPTYPE_NUM_THREADS or setNumThreads.
const defaultThreads = getNumThreads();
const wasm = useWasm("bench");

const gen = new Generator(0);

const trainStep = (name: "mlp" | "cnn", optimizer: "SGD" | "Adam"): Bench => deeptypeTrainStep(name, optimizer, gen);

function inferCnn(): Bench {
  const model = mnistCnn(gen).eval();
  const x = randn([256, 1, 28, 28], { generator: gen });
  return () => noGrad(() => model.forward(x));
}

const CONV = { x: [64, 16, 28, 28], w: [32, 16, 3, 3], y: [64, 32, 28, 28] };
const convParams = { stride: [1, 1] as [number, number], padding: [1, 1] as [number, number], dilation: [1, 1] as [number, number], groups: 1 };
function convRow(which: "fwd" | "bwd input" | "bwd weight"): Bench {
  const x = randn(CONV.x, { generator: gen }), w = randn(CONV.w, { generator: gen }), gy = randn(CONV.y, { generator: gen });
  if (which === "fwd") return () => noGrad(() => conv2d(x, w, null, { padding: 1 }));
  // The gradients are the kernels conv2d's backward rule runs, each into a fresh output allocated as
  // the rule allocates it (Tensor.uninit for the input gradient, src/ops/conv.ts), as in training.
  if (which === "bwd input") return () => backend().conv2dBackwardInput(gy.view_(), w.view_(), Tensor.uninit(CONV.x).view_(), convParams);
  return () => backend().conv2dBackwardWeight(x.view_(), gy.view_(), Tensor.empty(CONV.w).view_(), convParams);
}

function poolRow(which: "fwd" | "bwd"): Bench {
  const x = randn([64, 16, 28, 28], { generator: gen });
  if (which === "fwd") return () => noGrad(() => maxPool2d(x, 2));
  const { values, indices: positions } = noGrad(() => maxPool2dWithIndices(x, 2));
  // The op's backward reads the kernel's int32 positions; the int64 ones are for the caller.
  const indices = positions.to("int32");
  const gy = randn(values.shape, { generator: gen });
  // Into a fresh output allocated as the op's backward allocates it (Tensor.uninit, src/ops/pool.ts):
  // the kernel writes every element, so no zero-fill. (Until session 12 this row zero-filled it,
  // which the op stopped doing in session 11: 0.3 ms of the row.)
  return () => backend().maxPool2dBackward(gy.view_(), indices.view_(), Tensor.uninit(x.shape).view_());
}

function addRow(): Bench {
  const a = randn([64], { generator: gen }), b = randn([64], { generator: gen });
  return () => a.add(b);
}

function sgemmRow(): Bench {
  const a = randn([1024, 1024], { generator: gen }), b = randn([1024, 1024], { generator: gen });
  return () => noGrad(() => a.matmul(b));
}

/** deeptype's 1-thread sgemm 1024 in GFLOP/s, best of 3 after one call (as bench.py's gflops_1024). */
function sgemmProbe(): number {
  setNumThreads(1);
  const f = sgemmRow();
  f();
  let best = 0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    f();
    best = Math.max(best, (2 * 1024 ** 3) / ((performance.now() - t) / 1e3) / 1e9);
  }
  return best;
}

function tfSgemm(tf: typeof Tf): Bench {
  const a = tf.randomNormal([1024, 1024]), b = tf.randomNormal([1024, 1024]);
  return () => {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  };
}
function tfConv(tf: typeof Tf): Bench {
  // TensorFlow.js convolves NHWC, its native layout.
  const x = tf.randomNormal([64, 28, 28, 16]), w = tf.randomNormal([3, 3, 16, 32]);
  return () => {
    const y = tf.conv2d(x as Tf.Tensor4D, w as Tf.Tensor4D, 1, "same");
    y.dataSync();
    y.dispose();
  };
}
function tfAdd(tf: typeof Tf): Bench {
  const a = tf.randomNormal([64]), b = tf.randomNormal([64]);
  return () => tf.add(a, b).dispose();
}

const ceiling = await fmaCeiling();
const FMA_ITERS = 2_000_000;

const timeRatio = (limit: number) => (dt: number, torch: number | undefined) => torch !== undefined && dt / torch <= limit;
const ALL_ROWS: Row[] = [
  {
    id: "sgemm 1024", unit: "GFLOP/s", work: 2 * 1024 ** 3, target: ">= 90% of the wasm FMA ceiling",
    met: (dt, _t, peak) => peak !== undefined && dt >= 0.9 * peak, deeptype: () => sgemmRow(), torch: true, tfjs: tfSgemm,
  },
  {
    id: "wasm FMA ceiling (register-only loop)", unit: "GFLOP/s", work: ceiling.flopsPerIter * FMA_ITERS, workPerThread: true, target: "(yardstick)",
    deeptype: (t) => () => void ceiling.run(t, FMA_ITERS), torch: false,
  },
  {
    id: "train mlp batch 64 SGD", unit: "ms", work: 0, target: "<= 1.5x torch time", met: timeRatio(1.5),
    deeptype: () => trainStep("mlp", "SGD"), torch: true, tfjs: (_tf, m) => m.tfTrainStep("mlp", "sgd"),
  },
  {
    id: "train cnn batch 64 Adam", unit: "ms", work: 0, target: "<= 1.0x torch time", met: timeRatio(1.0),
    deeptype: () => trainStep("cnn", "Adam"), torch: true, tfjs: (_tf, m) => m.tfTrainStep("cnn", "adam"),
  },
  {
    id: "infer cnn batch 256", unit: "images/s", work: 256, target: ">= 1.2x torch images/s",
    met: (dt, torch) => torch !== undefined && dt / torch >= 1.2, deeptype: () => inferCnn(), torch: true, tfjs: (_tf, m) => m.tfPredict(256),
  },
  { id: "conv2d fwd", unit: "ms", work: 0, target: "<= 1.25x torch time", met: timeRatio(1.25), deeptype: () => convRow("fwd"), torch: true, tfjs: tfConv },
  { id: "conv2d bwd input", unit: "ms", work: 0, target: "<= 1.25x torch time", met: timeRatio(1.25), deeptype: () => convRow("bwd input"), torch: true },
  { id: "conv2d bwd weight", unit: "ms", work: 0, target: "<= 1.25x torch time", met: timeRatio(1.25), deeptype: () => convRow("bwd weight"), torch: true },
  { id: "maxpool2d fwd", unit: "ms", work: 0, target: "<= 0.33x torch time", met: timeRatio(0.33), deeptype: () => poolRow("fwd"), torch: true },
  { id: "maxpool2d bwd", unit: "ms", work: 0, target: "<= 0.33x torch time", met: timeRatio(0.33), deeptype: () => poolRow("bwd"), torch: true },
  {
    id: "add [64]+[64]", unit: "us", work: 0, target: "<= 1.2 us/op", met: (dt) => dt <= 1.2,
    deeptype: () => addRow(), torch: true, tfjs: tfAdd,
  },
];
// `--only "maxpool|add"`: rows whose name contains any of the |-separated parts, in any case
// ("fma" finds the "wasm FMA ceiling" row, "mlp" the "train mlp" one).
const matchesOnly = (id: string): boolean => !only || only.toLowerCase().split("|").some((part) => id.toLowerCase().includes(part));
const ROWS = ALL_ROWS.filter((r) => matchesOnly(r.id));

// ---- PyTorch servers -----------------------------------------------------------------------------

interface TorchHello {
  version: string; threads: number; openblasThreads: string | null; blasInfo: string; blasLoaded: string[]; mkldnn: boolean; sgemm1024: number;
}
class TorchServer {
  private readonly lines: AsyncIterableIterator<string>;
  get pid(): number {
    return this.child.pid ?? 0;
  }
  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }
  static async start(python: string, threads: number): Promise<{ server: TorchServer; hello: TorchHello }> {
    const script = fileURLToPath(new URL("./torch/bench.py", import.meta.url));
    const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
    const server = new TorchServer(spawn(python, [script, "--serve", String(threads)], { env }));
    return { server, hello: (await server.read()) as unknown as TorchHello };
  }
  private async read(): Promise<Record<string, unknown>> {
    const { value, done } = await this.lines.next();
    if (done) throw new Error("bench/torch/bench.py exited early");
    return JSON.parse(value) as Record<string, unknown>;
  }
  async ask(req: object): Promise<Record<string, unknown>> {
    this.child.stdin.write(`${JSON.stringify(req)}\n`);
    return this.read();
  }
  close(): void {
    this.child.stdin.end();
  }
}

function findPython(): string | undefined {
  // `python3` may be a pyenv or venv interpreter without Debian's python3-torch, which only the system
  // interpreter sees; DEEPTYPE_PYTHON picks another one.
  const candidates = [process.env.DEEPTYPE_PYTHON, "python3", "/usr/bin/python3"].filter((p): p is string => !!p);
  return candidates.find((p) => spawnSync(p, ["-c", "import torch"], { encoding: "utf8" }).status === 0);
}

// ---- measuring -----------------------------------------------------------------------------------

/** Calls per batch so one batch lasts about BATCH_MS, from a warm-up call's time. */
const repsFor = (seconds: number) => Math.max(1, Math.round(BATCH_MS / 1e3 / Math.max(seconds, 1e-7)));

/** Process CPU seconds per call of the last timeLocal (GC helper threads included). */
let lastCpu = 0;
function timeLocal(fn: Bench, reps: number): number {
  const t0 = performance.now(), c0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) fn();
  const c = process.cpuUsage(c0);
  lastCpu = (c.user + c.system) / 1e6 / reps;
  return (performance.now() - t0) / 1e3 / reps;
}

function warmLocal(fn: Bench): void {
  // Long enough for V8 to tier the kernels up and the allocator to reach its steady state.
  const t0 = performance.now();
  for (let calls = 0; calls < 3 || performance.now() - t0 < 150; calls++) fn();
}


const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Wall-clock seconds per call, one per round; and process CPU seconds per call of the same batches. */
interface Cell { samples: number[]; cpu: number[]; reps: number }
type Col = `deeptype ${1 | 2}t` | `torch ${1 | 2}t`;

async function main(): Promise<void> {
  const t0 = performance.now();
  const load0 = loadavg()[0];
  const notes: string[] = [];
  const python = findPython();
  const servers = new Map<number, TorchServer>();
  const hellos = new Map<number, TorchHello>();
  if (python) {
    for (const t of THREADS) {
      const { server, hello } = await TorchServer.start(python, t);
      servers.set(t, server);
      hellos.set(t, hello);
    }
  } else notes.push("torch: `import torch` failed with $DEEPTYPE_PYTHON, python3 and /usr/bin/python3; PyTorch columns skipped");

  // The fairness gate runs after the rounds (below): a reference BLAS makes PyTorch's matmuls several
  // times slower than its users see. Here: what was loaded, and a first sgemm measurement.
  const h1 = hellos.get(1);
  // deeptype's probe, timed as bench.py times PyTorch's (best of 3 after one call), right after it:
  // the gate's yardstick under load when `--only` leaves the sgemm row out.
  const oursStart = h1 ? sgemmProbe() : Infinity;
  if (h1) {
    notes.push(`torch ${h1.version}: BLAS_INFO=${h1.blasInfo}, loaded ${h1.blasLoaded.join(", ") || "no BLAS library"}, oneDNN ${h1.mkldnn ? "available" : "unavailable"}; ` +
      `sgemm 1024 at start (best of 3): ${h1.sgemm1024.toFixed(0)} GFLOP/s on 1 thread, ${hellos.get(2)?.sgemm1024.toFixed(0)} on 2 (deeptype ${oursStart.toFixed(0)} on 1)`);
  }

  // Prepare every cell (warm-up and batch size); the order of the columns rotates per round.
  const cols: Col[] = ["deeptype 1t", "torch 1t", "deeptype 2t", "torch 2t"];
  // run(): one batch of cell.reps calls; wall and process CPU seconds per call.
  const cells = new Map<string, { run: () => Promise<[number, number]>; cell: Cell }>();
  const na = new Map<string, string>();
  for (const row of ROWS) {
    for (const t of THREADS) {
      // The thread count is set once per batch, not per call: setNumThreads asks the OS for the core
      // count, which would otherwise be timed as part of a 1-us op.
      setNumThreads(t);
      const fn = row.deeptype(t);
      warmLocal(fn);
      const reps = repsFor(await secondsPerCall((n) => Math.min(timeLocal(fn, n), lastCpu)));
      const cell: Cell = { samples: [], cpu: [], reps };
      cells.set(`${row.id}|deeptype ${t}t`, {
        run: async () => {
          setNumThreads(t);
          return [timeLocal(fn, cell.reps), lastCpu];
        },
        cell,
      });
      const server = servers.get(t);
      if (!row.torch || !server) continue;
      const prep = await server.ask({ cmd: "prepare", row: row.id });
      if (prep.na) {
        na.set(`${row.id}|torch ${t}t`, String(prep.na));
        continue;
      }
      // The server warmed the row up (two calls); a short batch finishes the warm-up, then the batch size as for deeptype.
      await server.ask({ cmd: "time", row: row.id, reps: Math.min(repsFor(prep.s as number), 1000) });
      const reps2 = repsFor(await secondsPerCall(async (n) => {
        const r = await server.ask({ cmd: "time", row: row.id, reps: n });
        return Math.min(r.s as number, r.cpu as number) / n;
      }));
      const tcell: Cell = { samples: [], cpu: [], reps: reps2 };
      cells.set(`${row.id}|torch ${t}t`, {
        run: async () => {
          const r = await server.ask({ cmd: "time", row: row.id, reps: tcell.reps });
          return [(r.s as number) / tcell.reps, (r.cpu as number) / tcell.reps];
        },
        cell: tcell,
      });
    }
    process.stderr.write(".");
  }
  // --diag: who ran during each timed batch (this process's main thread and other threads, the
  // PyTorch servers), and this process's garbage collections, printed after the tables.
  const probe = cpuProbe([...servers.values()].map((s) => s.pid));
  const diagSamples: DiagSample[] = [];
  const gcs: Array<{ start: number; ms: number }> = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ start: e.startTime, ms: e.duration });
  });
  if (diag) {
    gcObserver.observe({ entryTypes: ["gc"] });
    notes.push(`--diag: JavaScript heap in use before the rounds ${(getHeapStatistics().used_heap_size / 1e6).toFixed(1)} MB`);
  }
  // Round -1 is not recorded: it runs every cell once in the same interleaving as the rounds, and a
  // cell whose calls turn out faster there than when it was prepared alone (calls whose time depends
  // on what ran before, e.g. whether a fresh output's memory is reused) gets batches long enough for
  // that speed.
  for (let round = -1; round < ROUNDS; round++) {
    for (const row of ROWS) {
      for (let k = 0; k < cols.length; k++) {
        const col = cols[(k + round + cols.length) % cols.length];
        const c = cells.get(`${row.id}|${col}`);
        if (!c) continue;
        const before = diag ? probe.read() : undefined, pool0 = poolStats(), w0 = performance.now();
        const [wall, cpu] = await c.run();
        if (round < 0) c.cell.reps = Math.max(c.cell.reps, repsFor(Math.min(wall, cpu)));
        else {
          c.cell.samples.push(wall);
          c.cell.cpu.push(cpu);
          const t1 = performance.now(), pool1 = poolStats();
          const pool = { jobs: pool1.jobs - pool0.jobs, shared: pool1.shared - pool0.shared, solo: pool1.solo - pool0.solo };
          if (before) diagSamples.push({ cell: `${row.id}|${col}`, reps: c.cell.reps, t0: w0, t1, cpu: probe.diff(before, probe.read()), pool });
        }
        // PyTorch's OpenMP workers spin-wait after a parallel batch (10-30 ms of CPU measured under
        // load): let them settle so the next cell, often deeptype's 1-thread one, gets its core.
        if (col.startsWith("torch") && !col.endsWith(" 1t")) await new Promise((r) => setTimeout(r, 100));
      }
    }
    process.stderr.write(round < 0 ? "w" : `${round + 1}`);
  }
  for (const s of servers.values()) s.close();
  ceiling.close();
  gcObserver.disconnect();

  // TensorFlow.js peers, after the rounds.
  const tfjs = new Map<string, number | string>();
  if (withTfjs) {
    // Imported here, not at the top: TensorFlow.js holds ~45 MB of JavaScript heap, which made every
    // major garbage collection during deeptype's cells several times longer (docs/performance-history.md, "Session 7: why the full bench disagreed").
    const tf = await import("@tensorflow/tfjs");
    const tfWasm = await import("@tensorflow/tfjs-backend-wasm");
    const models = await import("./tfjs-models.js");
    for (const name of ["cpu", "wasm"] as const) {
      if (name === "wasm") tfWasm.setWasmPaths(fileURLToPath(new URL("../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url)));
      if (!(await tf.setBackend(name))) {
        notes.push(`tfjs ${name}: backend did not initialise; skipped`);
        continue;
      }
      await tf.ready();
      for (const row of ROWS) {
        if (!row.tfjs) continue;
        if (name === "cpu" && row.id.startsWith("train cnn")) {
          tfjs.set(`${row.id}|tfjs cpu`, "about 15 s per step on an idle machine; skipped to keep the bench short");
          continue;
        }
        try {
          const fn = row.tfjs(tf, models);
          // A call over a second (tfjs cpu's sgemm) is timed once; others warm up and take the median of 3 batches.
          const first = timeLocal(fn, 1);
          let s = first;
          if (first <= 1) {
            warmLocal(fn);
            const reps = repsFor(await secondsPerCall((n) => Math.min(timeLocal(fn, n), lastCpu)));
            s = median([0, 1, 2].map(() => timeLocal(fn, reps)));
          }
          tfjs.set(`${row.id}|tfjs ${name}`, s);
        } catch (e) {
          tfjs.set(`${row.id}|tfjs ${name}`, `threw "${(e as Error).message}"`);
        }
        process.stderr.write(".");
      }
    }
    notes.push(`tfjs ${tf.version.tfjs}: tfjs-backend-wasm has no worker threads in Node (SIMD ${tf.env().getBool("WASM_HAS_SIMD_SUPPORT")}), so its columns are single-threaded`);
  }

  const rss = withRss && matchesOnly("peak RSS") ? runRss(python) : new Map<string, number | string>();
  process.stderr.write("\n");

  // The gate (blasGate, bench/table.ts): an optimized BLAS loaded, and torch's 1-thread sgemm at
  // least 30 GFLOP/s or as fast as deeptype's timed with it (the row's rounds, else the start probes).
  const rowGflops = (col: Col): number | undefined => {
    const samples = cells.get(`sgemm 1024|${col}`)?.cell.samples;
    return samples?.length ? (2 * 1024 ** 3) / median(samples) / 1e9 : undefined;
  };
  const gate = blasGate(h1?.blasLoaded ?? [], { torchRow: rowGflops("torch 1t"), oursRow: rowGflops("deeptype 1t"), torchStart: h1?.sgemm1024 ?? 0, oursStart });
  const blasOk = h1 !== undefined && gate.ok;
  if (h1 && !blasOk) {
    notes.push(`RATIOS WITHHELD: PyTorch's sgemm 1024 ran at ${gate.torch.toFixed(1)} GFLOP/s on one thread (deeptype's ${gate.ours.toFixed(1)} timed with it) with ${gate.optimized ? "an optimized BLAS loaded" : "no optimized BLAS loaded"}, ` +
      "which is what a generic reference BLAS does, not what PyTorch users run. Install OpenBLAS (Debian/Ubuntu: `sudo apt-get install " +
      "libopenblas0-pthread`, which becomes the libblas.so.3 alternative; or use a pip wheel of torch, which bundles its own BLAS) and run the bench again.");
  }

  // ---- printing ----
  // Until session 12 the ceiling's 2-thread cell counted one thread's flops, so sgemm on 2 threads was
  // held to 90% of one thread's ceiling.
  const conv = (row: Row, s: number, threads = 1) => {
    const work = row.workPerThread ? row.work * threads : row.work;
    return row.unit === "GFLOP/s" ? work / s / 1e9 : row.unit === "images/s" ? work / s : row.unit === "us" ? s * 1e6 : s * 1e3;
  };
  const threadsOf = (col: Col): number => (col.includes("2t") ? 2 : 1);
  const digits = (u: Unit, x: number) => (u === "images/s" || u === "MB" ? x.toFixed(0) : u === "us" ? x.toFixed(2) : x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const value = (row: Row, col: Col) => {
    const c = cells.get(`${row.id}|${col}`);
    return c && c.cell.samples.length ? conv(row, median(c.cell.samples), threadsOf(col)) : undefined;
  };
  const show = (row: Row, col: Col) => {
    const c = cells.get(`${row.id}|${col}`);
    if (!c || !c.cell.samples.length) return na.has(`${row.id}|${col}`) ? "n/a" : "-";
    const vals = c.cell.samples.map((s) => conv(row, s, threadsOf(col)));
    const lo = Math.min(...vals), hi = Math.max(...vals);
    return `${digits(row.unit, median(vals))} [${digits(row.unit, lo)}-${digits(row.unit, hi)}]`;
  };
  const higherBetter = (u: Unit) => u === "GFLOP/s" || u === "images/s";
  const peak = (t: number) => {
    const r = ROWS.find((x) => x.id.startsWith("wasm FMA"));
    return r ? value(r, `deeptype ${t}t` as Col) : undefined;
  };
  const header = ["workload", "unit", "deeptype 1t", "torch 1t", "dt/torch 1t", "deeptype 2t", "torch 2t", "dt/torch 2t", "dt 2t vs 1t", "tfjs cpu", "tfjs wasm", "target (issue 9)", "met 1t / 2t"];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  const naNotes: string[] = [];
  for (const row of ROWS) {
    const ratio = (t: number) => ratioCell(value(row, `deeptype ${t}t` as Col), value(row, `torch ${t}t` as Col), blasOk);
    const d1 = value(row, "deeptype 1t"), d2 = value(row, "deeptype 2t");
    // > 1 means 2 threads are faster than 1, whatever the unit.
    const speedup = d1 && d2 ? `${(higherBetter(row.unit) ? d2 / d1 : d1 / d2).toFixed(2)}x faster` : "-";
    const tfCell = (name: string) => {
      const v = tfjs.get(`${row.id}|tfjs ${name}`);
      if (v === undefined) return "-";
      if (typeof v === "string") {
        naNotes.push(`n/a: ${row.id}, tfjs ${name}: ${v}`);
        return "n/a";
      }
      return digits(row.unit, conv(row, v));
    };
    const met = (t: number) => {
      const d = value(row, `deeptype ${t}t` as Col);
      if (!row.met || d === undefined) return "-";
      // Targets stated against PyTorch wait for the gate; the others (the FMA ceiling, 1.2 us/op) do not.
      return metCell(row.met(d, value(row, `torch ${t}t` as Col), peak(t)), blasOk || !row.target.includes("torch"));
    };
    lines.push(`| ${[row.id, row.unit, show(row, "deeptype 1t"), show(row, "torch 1t"), ratio(1), show(row, "deeptype 2t"), show(row, "torch 2t"), ratio(2), speedup, tfCell("cpu"), tfCell("wasm"), row.target, `${met(1)} / ${met(2)}`].join(" | ")} |`);
  }
  if (rss.size) {
    const r = rssRow(rss, blasOk, RSS_STEPS);
    lines.push(r.line);
    naNotes.push(...r.notes);
  }
  console.log(`deeptype bench: node ${process.version}, wasm ${wasm.variant}, ${availableParallelism()} cores, default threads ${defaultThreads}, ` +
    `load average ${load0.toFixed(2)} -> ${loadavg()[0].toFixed(2)}, ${ROUNDS} interleaved rounds, ${((performance.now() - t0) / 1e3).toFixed(0)} s`);
  console.log(`allocator: ${allocatorSetting()}`);
  // On a machine crowded by other processes, wall time mostly measures waiting for a core; on one
  // thread, process CPU time does not (cache sharing still counts), so it is printed alongside.
  const cpuLines = ["| workload (1 thread, process CPU time per call) | unit | deeptype 1t | torch 1t | dt/torch 1t |", "|---|---|---|---|---|"];
  for (const row of ROWS) {
    const d = cells.get(`${row.id}|deeptype 1t`)?.cell.cpu, p = cells.get(`${row.id}|torch 1t`)?.cell.cpu;
    if (!d?.length) continue;
    const dv = conv(row, median(d)), pv = p?.length ? conv(row, median(p)) : undefined;
    cpuLines.push(`| ${row.id} | ${row.unit} | ${digits(row.unit, dv)} | ${pv === undefined ? "-" : digits(row.unit, pv)} | ${ratioCell(dv, pv, blasOk)} |`);
  }
  console.log(lines.join("\n"));
  console.log("");
  console.log(cpuLines.join("\n"));
  console.log("cells: median [min-max] over the rounds. dt/torch: deeptype's value over PyTorch's at the same thread count " +
    "(for ms/us/MB rows lower is better, for GFLOP/s and images/s higher is better). Other processes on the machine widen the spreads.");
  if (diag) printDiag(diagSamples, gcs, [...servers.keys()]);
  for (const n of naNotes) console.log(n);
  for (const n of notes) console.log(`note: ${n}`);
}


interface DiagSample { cell: string; reps: number; t0: number; t1: number; cpu: ProbeDiff; pool: { jobs: number; shared: number; solo: number } }
/**
 * Per cell, medians over the rounds, as fractions of the batch's wall time: CPU of this process's
 * main thread, of its other threads (wasm pool helpers, V8's GC and compiler threads), of each
 * PyTorch server; the GC pauses that fell in the batch (ms per batch); and per call, the wasm
 * pool's jobs offered to helpers, jobs a helper shared, and calls run alone while backing off.
 */
function printDiag(samples: DiagSample[], gcs: Array<{ start: number; ms: number }>, torchThreads: number[]): void {
  const byCell = new Map<string, DiagSample[]>();
  for (const s of samples) byCell.set(s.cell, [...(byCell.get(s.cell) ?? []), s]);
  const head = ["cell", "calls/batch", "wall ms/batch", "main cpu/wall", "other threads cpu/wall", ...torchThreads.map((t) => `torch ${t}t server cpu/wall`), "gc ms/batch", "gcs/batch", "pool jobs / shared / solo per call"];
  const out = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const [cell, ss] of byCell) {
    const frac = (f: (s: DiagSample) => number) => median(ss.map((s) => f(s) / (s.t1 - s.t0))).toFixed(2);
    const inBatch = (s: DiagSample) => gcs.filter((g) => g.start >= s.t0 && g.start < s.t1);
    out.push(`| ${[cell, ss[0].reps, median(ss.map((s) => s.t1 - s.t0)).toFixed(1), frac((s) => s.cpu.main), frac((s) => s.cpu.threads),
      ...torchThreads.map((_, i) => frac((s) => s.cpu.others[i])),
      median(ss.map((s) => inBatch(s).reduce((a, g) => a + g.ms, 0))).toFixed(2), median(ss.map((s) => inBatch(s).length)).toFixed(0),
      (["jobs", "shared", "solo"] as const).map((k) => median(ss.map((s) => s.pool[k] / s.reps)).toFixed(1)).join(" / ")].join(" | ")} |`);
  }
  console.log("\n--diag (medians over rounds):");
  console.log(out.join("\n"));
}

/**
 * What the header says of the C allocator. The bench adds no warm-up on either side (the PyTorch
 * server once allocated and freed 32 MB first). deeptype, as a library, raises glibc's mmap threshold
 * when it loads (src/tensor/host-heap.ts; off with DEEPTYPE_HEAP_WARMUP=0): that is what its users
 * get, so it stays on, and the header says whether it ran. glibc's settings from the environment reach
 * this process and the PyTorch servers alike, which inherit it. Large fresh outputs cost page faults,
 * so this moves the conv and max-pool rows (docs/performance.md, "Fresh memory").
 */
function allocatorSetting(): string {
  const env = Object.entries(process.env).filter(([k]) => k.startsWith("MALLOC_") || k === "GLIBC_TUNABLES");
  const library = wantsHeapWarmup(process) ? "deeptype raises glibc's mmap threshold at load (library behaviour, DEEPTYPE_HEAP_WARMUP=0 turns it off)" : "deeptype's heap warm-up is off";
  const same = `the bench warms neither side up; ${library}; PyTorch as it starts`;
  if (!env.length) return `${same}; no MALLOC_* or GLIBC_TUNABLES set`;
  return `${same}; ${env.map(([k, v]) => `${k}=${v}`).join(" ")} from the environment, in this process and the PyTorch servers alike`;
}

/** Steps of the peak-RSS row: enough for every allocator to reach its steady state. */
const RSS_STEPS = 200;

/** The peak-RSS row: one fresh child process per column, each training the CNN RSS_STEPS steps. */
function runRss(python: string | undefined): Map<string, number | string> {
  const out = new Map<string, number | string>();
  const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
  const child = (col: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) => {
    const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 24, env });
    const line = r.stdout.trim().split("\n").pop() ?? "";
    try {
      const res = JSON.parse(line) as { peakRssMB?: number; error?: string };
      out.set(col, res.peakRssMB ?? `threw "${res.error}"`);
    } catch {
      out.set(col, `child failed: ${r.stderr.trim().split("\n").pop()}`);
    }
    process.stderr.write(".");
  };
  const tsx = ["--import", "tsx", here("./rss.ts")];
  for (const t of THREADS) child(`deeptype ${t}t`, process.execPath, [...tsx, "deeptype", String(t), String(RSS_STEPS)]);
  out.set("tfjs cpu", `a CNN step takes seconds on tfjs cpu (${RSS_STEPS} steps: minutes)`);
  // Runs the child anyway: the cell reports what tfjs-backend-wasm throws.
  if (withTfjs) child("tfjs wasm", process.execPath, [...tsx, "tfjs-wasm", "1", String(RSS_STEPS)]);
  if (python) {
    for (const t of THREADS) {
      child(`torch ${t}t`, python, [here("./torch/bench.py"), "--rss-cnn", String(t), String(RSS_STEPS)], { ...process.env, OPENBLAS_NUM_THREADS: String(t) });
    }
  }
  return out;
}

await main();
