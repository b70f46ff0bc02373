/**
 * The wasm backend: float32 kernels in WebAssembly SIMD (AssemblyScript, ./assembly), split over a
 * pool of worker threads sharing one WebAssembly.Memory. Operands are copied into a reusable arena
 * inside that memory and results copied back, so tensor storage stays ordinary garbage-collected
 * typed arrays and nobody calls dispose(). Every other dtype, and the ops without a kernel here,
 * run on the js reference backend, which this backend is tested against.
 */
import type {
  AdamParams, Backend, BinaryOp, ConvParams, ParamUnaryOp, PoolParams, ReduceOp, ScanOp, SgdParams, UnaryOp, View,
} from "../backend.js";
import { registerBackend } from "../index.js";
import { JsBackend } from "../js/index.js";
import { dense, offsets, writeFrom } from "../js/strided.js";
import { conv2dReluPool as jsConv2dReluPool, conv2dReluPoolBackward as jsConv2dReluPoolBackward } from "../js/conv.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { numel } from "../../tensor/shape.js";
import { type Kernels, loadFailure, loadKernels, loadKernelsAsync, MAX_PAGES, nodeBuiltin, threadsPossible } from "./loader.js";
import { MAX_THREADS, Pool, stats } from "./pool.js";

// Kernel exports the pool can run, by index.
const TASKS = [
  "matmulTask", "unaryTask", "binaryTask", "compareTask", "castTask", "whereTask", "reduceTask", "softmaxTask", "sgdTask", "adamTask",
  "conv2dTask", "conv2dBackwardInputTask", "conv2dBackwardWeightTask", "sumPartialsTask",
  "maxPoolTask", "maxPoolBackwardTask", "avgPoolTask", "avgPoolBackwardTask",
] as const;
const T = Object.fromEntries(TASKS.map((n, i) => [n, i])) as Record<(typeof TASKS)[number], number>;

// Op codes shared with assembly/elementwise.ts.
const UNARY: Partial<Record<UnaryOp | ParamUnaryOp | "copy", number>> = {
  copy: 0, neg: 1, abs: 2, sqrt: 3, relu: 4, square: 5, reciprocal: 6, floor: 7, ceil: 8, round: 9,
  rsqrt: 10, exp: 11, log: 12, log1p: 13, expm1: 14, sin: 15, cos: 16, tanh: 17, sigmoid: 18, sign: 19,
  leakyRelu: 20, elu: 21, clamp: 22, powScalar: 23,
};
const BINARY: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, pow: 6, reluBackward: 7 };
const COMPARE: Partial<Record<BinaryOp, number>> = { eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5 };
const REDUCE: Record<ReduceOp, number> = { sum: 0, prod: 1, max: 2, min: 3 };
// Conversions castTask does: [source dtype, target dtype] -> kind.
const CASTS: Record<string, number> = { "bool>float32": 0, "int32>float32": 1, "float32>bool": 2 };

// conv2dTask's epilogues (assembly/convdirect.ts).
const EPI_RELU = 1, EPI_RELU_POOL = 2;

// Below these sizes a kernel stays on the calling thread: a second thread would cost more than it
// saves. Measured 1 vs 2 threads, wall clock, the process given the two cores (bench/threads.ts;
// docs/performance.md, "Pooling and threads"). Kernels that only move memory never gain: a second
// core reads what the calling thread staged and writes what it copies back out, and since a session
// on one thread runs on the plain memory (begin), its copies are also 3-4x faster than the shared
// memory's. add, relu, sum, SGD and Adam lost 1.0-1.9x at every size tried (64 Ki-4 Mi elements).
const PAR_MEMORY = Infinity;
// Elementwise work with arithmetic per element (tanh, exp, pow, softmax): 2 threads 0.79-0.96x.
const PAR_ELEMENTS = 1 << 16;
// Multiply-adds: matmul lost up to 1.2x at 4-34 M (MLP-sized: [64,784]·[784,256] is 26 M) and
// gained from 134 M (0.73-0.88x; 1024³ 0.54x). Convolutions compute more per byte staged: at 58 M
// (the MNIST CNN's second on a batch of 64) forward, input and weight gradients ran 0.68-0.74x
// (runs at other minutes: 0.86-1.11x for the forward), at 231 M 0.66-0.80x, at 7 M (its first) 0.96-1.08x.
const PAR_FLOPS = 1 << 26, PAR_CONV = 1 << 25;
// Unary ops of a few SIMD instructions per element, which only move memory (the others compute
// transcendentals in f64).
const CHEAP_UNARY = new Set(["copy", "neg", "abs", "sqrt", "relu", "square", "reciprocal", "floor", "ceil", "round", "sign", "leakyRelu", "clamp"]
  .map((name) => UNARY[name as keyof typeof UNARY]!));
/** The threading threshold of unaryTask's op code `op`. */
const unaryLimit = (op: number): number => (CHEAP_UNARY.has(op) ? PAR_MEMORY : PAR_ELEMENTS);
// Pooling splits over threads only where a second thread was measured to pay (docs/performance.md,
// "Pooling and threads": 1 vs 2 threads, wall clock, the process given the two cores): the 2×2
// stride-2 windows and every max-pool backward only move memory, and a second core reading what the
// first staged and writing what it copies back out was 1.0-1.9x slower at every size up to 25 MB;
// other windows compute more per byte and gain from about a millisecond of kernel, counted in window
// elements (outputs × kH × kW): max forward and average backward from 1 Mi, average forward (f64
// sums over SIMD loads, nearer the memory bound) from 4 Mi.
const PAR_POOL_MAX = 1 << 20, PAR_POOL_AVG = 1 << 22, PAR_POOL_AVG_BACK = 1 << 20;

// Shares per thread of a threaded pooling job (runPool).
const POOL_SHARES = 4;

// Up to this many elements, add/sub/mul/div run in JavaScript without touching the arena (smallBinary).
const SMALL_ELEMENTS = 1024;
const SMALL_BINARY = new Set<BinaryOp>(["add", "sub", "mul", "div", "reluBackward"]);
// And these unary ops, whose float32 results JavaScript gets exactly (sign flips, a max with 0, one rounded product).
const SMALL_UNARY = new Set<UnaryOp>(["relu", "neg", "abs", "square"]);
const allZero = (s: readonly number[]) => s.every((v) => v === 0);

// Leaves the first 64 KiB to the module's constant tables (its data segments start at 1 KiB).
const ARENA_BASE = 65536;

// ---- threads ---------------------------------------------------------------------------------

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
  const cores = availableCores();
  if (n <= cores) return n;
  if (!capNotified) {
    capNotified = true;
    console.warn(`deeptype: ${source} asks for ${n} threads but this machine has ${cores} cores available; using ${cores} (more threads than cores only slow kernels down)`);
  }
  return cores;
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

/** `poolStats()`: how many jobs the wasm kernels offered to helper threads, how many a helper shared, how many ran alone while backing off (a copy; for benchmarks). */
export function poolStats(): { jobs: number; shared: number; solo: number } {
  return { ...stats };
}

// ---- arena -----------------------------------------------------------------------------------

/** A bump allocator over the shared memory, reset at the start of every kernel call. */
class Arena {
  private top = ARENA_BASE;
  f32!: Float32Array;
  i32!: Int32Array;
  u8!: Uint8Array;
  constructor(private readonly memory: WebAssembly.Memory) {
    this.refresh();
  }
  private refresh(): void {
    this.f32 = new Float32Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
    this.u8 = new Uint8Array(this.memory.buffer);
  }
  /** The view of memory matching a storage array's element type (fetch it after alloc). */
  heapFor(d: TypedArray): Float32Array | Int32Array | Uint8Array {
    return d instanceof Int32Array ? this.i32 : d instanceof Uint8Array ? this.u8 : this.f32;
  }
  reset(): void {
    this.top = ARENA_BASE;
  }
  /**
   * Byte address of `bytes` fresh bytes congruent to `like` modulo 8: copies between the shared memory
   * and a plain array go word by word only when both ends agree modulo 8 (V8's relaxed memmove for
   * shared buffers), and byte by byte, about 8x slower, when they do not (a view at an odd offset).
   */
  allocLike(bytes: number, like: number): number {
    const r = like & 7;
    return r === 0 ? this.alloc(bytes) : this.alloc(bytes + 8) + r;
  }
  /** Byte address of `bytes` fresh bytes, 64-byte aligned (a cache line; v128 loads never straddle one). */
  alloc(bytes: number): number {
    const p = this.top;
    this.top = p + Math.ceil(Math.max(bytes, 4) / 64) * 64;
    // The cached views' length is the memory's size as of the last growth (reading memory.buffer of a
    // shared memory is slow enough to show in small ops); only growing changes it.
    if (this.top <= this.f32.byteLength) return p;
    const have = this.memory.buffer.byteLength;
    if (this.top > have) {
      const pages = Math.ceil((this.top - have) / 65536);
      if (have / 65536 + pages > MAX_PAGES) {
        throw new Error(`wasm backend: operands need ${(this.top / 2 ** 20).toFixed(0)} MiB, over the 2 GiB arena limit (use setBackend("js") for this op)`);
      }
      // Grow by at least half again so a slowly growing workload does not grow on every call.
      this.memory.grow(Math.max(pages, Math.min(MAX_PAGES - have / 65536, Math.ceil(have / 65536 / 2))));
    }
    if (this.f32.buffer.byteLength !== this.memory.buffer.byteLength) this.refresh();
    return p;
  }
}

// ---- staging strided views -------------------------------------------------------------------

interface Staged {
  /** Byte address of element (0, ..., 0). */
  ptr: number;
  strides: number[];
}

function isF32(...vs: View[]): boolean {
  return vs.every((v) => v.dtype === "float32" && v.data instanceof Float32Array);
}

function isBool(v: View): boolean {
  return v.dtype === "bool" && v.data instanceof Uint8Array;
}

/** Whether the view's storage array is the one its dtype names (so the arena can hold it). */
function isStorage(v: View): boolean {
  return v.dtype === "bool" ? v.data instanceof Uint8Array : v.dtype === "int32" ? v.data instanceof Int32Array : v.dtype === "float32" && v.data instanceof Float32Array;
}

/**
 * Merges adjacent dims that every operand walks contiguously and drops size-1 dims, so typical
 * views become 1-3 dims; returns null if more than `maxRank` dims remain.
 */
function coalesce(shape: readonly number[], strides: ReadonlyArray<readonly number[]>, maxRank: number): { shape: number[]; strides: number[][] } | null {
  const sh: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = sh.length - 1;
    if (last >= 0 && strides.every((s, k) => st[k][last] === s[d] * shape[d])) {
      sh[last] *= shape[d];
      strides.forEach((s, k) => (st[k][last] = s[d]));
    } else {
      sh.push(shape[d]);
      strides.forEach((s, k) => st[k].push(s[d]));
    }
  }
  if (sh.length > maxRank) return null;
  while (sh.length < maxRank) {
    sh.unshift(1);
    st.forEach((s) => s.unshift(0));
  }
  return { shape: sh, strides: st };
}

/** Multiply-adds of a convolution of x [N,C,H,W] by w [O,C/groups,kH,kW] into y [N,O,oH,oW]. */
function convFlops(xShape: readonly number[], wShape: readonly number[], yShape: readonly number[]): number {
  return xShape[0] * wShape[0] * wShape[1] * wShape[2] * wShape[3] * yShape[2] * yShape[3];
}

function contiguousStridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** One instantiated kernel module with its memory's arena and its thread pool. */
interface Instance {
  readonly k: Kernels;
  readonly arena: Arena;
  readonly pool: Pool;
}

function instanceOf(k: Kernels): Instance {
  return { k, arena: new Arena(k.memory), pool: new Pool(k, TASKS) };
}

export class WasmBackend implements Backend {
  readonly name = "wasm";
  readonly variant: Kernels["variant"];
  private readonly js = new JsBackend();
  /** The instance given to the constructor: on a shared memory where threads are possible. */
  private readonly main: Instance;
  /**
   * The same kernels on a plain memory, for sessions that run on the calling thread only: V8 copies
   * between a typed array and a SharedArrayBuffer with a slow "relaxed" memmove (2.9-4x the time of
   * the same copy into a plain buffer, 50k-200k floats in and out), and every session copies its
   * operands in and its results out. undefined until first needed; null where it cannot load.
   */
  private plain: Instance | null | undefined;
  /** The instance of the current arena session (see begin). */
  private cur: Instance;

  constructor(k: Kernels) {
    this.variant = k.variant;
    this.main = this.cur = instanceOf(k);
    if (!k.shared) this.plain = this.main;
  }

  private get k(): Kernels {
    return this.cur.k;
  }
  private get arena(): Arena {
    return this.cur.arena;
  }
  private get pool(): Pool {
    return this.cur.pool;
  }

  /**
   * Starts an arena session whose main kernel does `work` units against the threading threshold
   * `limit`: when it would run on the calling thread alone (1 thread, or work below the limit) it
   * runs on the plain-memory instance, where copies in and out are fast; otherwise on the shared one.
   * Both run the same kernel source, so the results are the same bits.
   */
  private begin(work: number, limit: number): void {
    const threaded = work >= limit && this.main.pool.threaded && getNumThreads() > 1;
    this.cur = threaded ? this.main : this.single();
    this.cur.arena.reset();
  }

  private single(): Instance {
    if (this.plain === undefined) {
      const k = loadKernels(false);
      // Another variant (FMA or not) would round differently from the threaded instance.
      this.plain = k && !k.shared && k.variant === this.main.k.variant ? instanceOf(k) : null;
    }
    return this.plain ?? this.main;
  }

  private threads(work: number, limit: number): number {
    if (work < limit || !this.pool.threaded) return 1;
    return getNumThreads();
  }

  /**
   * Copies the storage span a float32 (or int32) view touches into the arena, keeping its strides,
   * so transposed, sliced and broadcast views cost one memcpy; a sparse view is gathered instead.
   */
  // Only float32/int32/bool views are staged (callers check isF32/isStorage), never int64's BigInt64Array.
  private stage(v: View): Staged {
    const n = numel(v.shape);
    const a = this.arena;
    if (n === 0) return { ptr: a.alloc(4), strides: v.shape.map(() => 0) };
    let lo = v.offset, hi = v.offset;
    for (let d = 0; d < v.shape.length; d++) {
      const ext = (v.shape[d] - 1) * v.strides[d];
      if (ext < 0) lo += ext;
      else hi += ext;
    }
    const span = hi - lo + 1;
    const size = (v.data as TypedArray).BYTES_PER_ELEMENT;
    // Views of the memory are fetched after alloc: growing it detaches the old ones.
    if (span <= 2 * n + 64) {
      const p = a.allocLike(span * size, (v.data as TypedArray).byteOffset + lo * size);
      a.heapFor((v.data as TypedArray)).set((v.data as TypedArray).subarray(lo, hi + 1) as Float32Array & Int32Array & Uint8Array, p / size);
      return { ptr: p + (v.offset - lo) * size, strides: [...v.strides] };
    }
    const p = a.alloc(n * size);
    const heap = a.heapFor((v.data as TypedArray));
    const off = offsets(v);
    const base = p / size, d = (v.data as TypedArray);
    for (let i = 0; i < n; i++) heap[base + i] = d[off[i]];
    return { ptr: p, strides: contiguousStridesOf(v.shape) };
  }

  /** Stages v as a contiguous row-major block and returns its byte address. */
  private stageDense(v: View): number {
    const n = numel(v.shape);
    const a = this.arena;
    const size = (v.data as TypedArray).BYTES_PER_ELEMENT;
    if (dense(v) || n === 0) {
      const p = a.allocLike(n * size, (v.data as TypedArray).byteOffset + v.offset * size);
      a.heapFor((v.data as TypedArray)).set((v.data as TypedArray).subarray(v.offset, v.offset + n) as Float32Array & Int32Array & Uint8Array, p / size);
      return p;
    }
    if ((v.data as TypedArray) instanceof Float32Array) {
      const s = this.stage(v);
      const out = a.alloc(n * 4);
      if (this.unaryStaged(UNARY.copy!, v.shape, s, out, 0, 0)) return out;
    }
    const p = a.alloc(n * size);
    const heap = a.heapFor((v.data as TypedArray));
    const off = offsets(v);
    for (let i = 0; i < n; i++) heap[p / size + i] = (v.data as TypedArray)[off[i]];
    return p;
  }

  /** Copies n values at byte address p back into `out` (any strides). */
  private unstage(p: number, out: View): void {
    const n = numel(out.shape);
    const size = (out.data as TypedArray).BYTES_PER_ELEMENT;
    if (size === 4 && n >= 256 && ((p ^ ((out.data as TypedArray).byteOffset + out.offset * 4)) & 7) !== 0 && dense(out)) {
      // A destination at 4 mod 8 (a view at an odd offset): realign in wasm memory first (see allocLike).
      const q = this.arena.allocLike(n * 4, (out.data as TypedArray).byteOffset + out.offset * 4);
      this.run(T.unaryTask, 1, [UNARY.copy!, 1, 1, 1, n, p, 0, 0, 0, 1, q, 0, 0]);
      p = q;
    }
    const at = p / size;
    const src = this.arena.heapFor(out.data as TypedArray).subarray(at, at + n);
    if (dense(out)) (out.data as Float32Array).set(src as Float32Array, out.offset);
    else writeFrom(out, src);
  }

  /** Runs a 4-D strided elementwise task over same-shape operands into a fresh contiguous result. */
  private elementwise(task: number, lead: number[], operands: View[], out: View): boolean {
    // compare, cast and where only move memory (see PAR_MEMORY).
    this.begin(numel(out.shape), PAR_MEMORY);
    const staged = operands.map((v) => this.stage(v));
    const c = coalesce(out.shape, [...staged.map((s) => s.strides), contiguousStridesOf(out.shape)], 4);
    if (!c) return false;
    const n = numel(out.shape);
    const o = this.arena.alloc(n * out.data.BYTES_PER_ELEMENT);
    const args = [...lead, ...c.shape];
    staged.forEach((s, k) => args.push(s.ptr, ...c.strides[k]));
    args.push(o);
    this.run(task, this.threads(n, PAR_MEMORY), args);
    this.unstage(o, out);
    return true;
  }

  private run(task: number, nt: number, args: number[]): void {
    this.pool.run(task, nt, args);
  }

  // ---- elementwise -----------------------------------------------------------------------------

  private unaryStaged(op: number, shape: readonly number[], x: Staged, out: number, p: number, q: number): boolean {
    const c = coalesce(shape, [x.strides, contiguousStridesOf(shape)], 4);
    if (!c) return false;
    const [n0, n1, n2, n3] = c.shape;
    const s = c.strides[0];
    this.run(T.unaryTask, this.threads(numel(shape), unaryLimit(op)), [op, n0, n1, n2, n3, x.ptr, s[0], s[1], s[2], s[3], out, p, q]);
    return true;
  }

  private unaryKernel(op: number, x: View, out: View, p: number, q: number): boolean {
    this.begin(numel(x.shape), unaryLimit(op));
    const s = this.stage(x);
    const o = this.arena.alloc(numel(x.shape) * 4);
    if (!this.unaryStaged(op, x.shape, s, o, p, q)) return false;
    this.unstage(o, out);
    return true;
  }

  copy(src: View, out: View): void {
    const cast = CASTS[`${src.dtype}>${out.dtype}`];
    if (cast !== undefined && isStorage(src) && isStorage(out) && this.elementwise(T.castTask, [cast], [src], out)) return;
    if (isF32(src, out)) {
      const n = numel(src.shape);
      if (dense(src) && dense(out)) {
        (out.data as Float32Array).set(src.data.subarray(src.offset, src.offset + n) as Float32Array, out.offset);
        return;
      }
      if (this.unaryKernel(UNARY.copy!, src, out, 0, 0)) return;
    }
    this.js.copy(src, out);
  }

  fill(out: View, value: number): void {
    if (out.dtype === "float32" && dense(out)) {
      (out.data as Float32Array).fill(value, out.offset, out.offset + numel(out.shape));
      return;
    }
    this.js.fill(out, value);
  }

  unary(op: UnaryOp, x: View, out: View): void {
    if (this.smallUnary(op, x, out)) return;
    const code = UNARY[op];
    if (code !== undefined && isF32(x, out) && this.unaryKernel(code, x, out, 0, 0)) return;
    this.js.unary(op, x, out);
  }

  unaryParam(op: ParamUnaryOp, x: View, out: View, p: number, q: number): void {
    const code = UNARY[op];
    if (code !== undefined && isF32(x, out) && this.unaryKernel(code, x, out, p, q)) return;
    this.js.unaryParam(op, x, out, p, q);
  }

  binary(op: BinaryOp, a: View, b: View, out: View): void {
    if (this.smallBinary(op, a, b, out)) return;
    const cmp = COMPARE[op];
    if (cmp !== undefined && isF32(a, b) && isBool(out) && this.elementwise(T.compareTask, [cmp], [a, b], out)) return;
    const code = BINARY[op];
    if (code !== undefined && isF32(a, b, out)) {
      const limit = op === "pow" ? PAR_ELEMENTS : PAR_MEMORY;
      this.begin(numel(out.shape), limit);
      const sa = this.stage(a), sb = this.stage(b);
      const c = coalesce(out.shape, [sa.strides, sb.strides, contiguousStridesOf(out.shape)], 4);
      if (c) {
        const o = this.arena.alloc(numel(out.shape) * 4);
        const [n0, n1, n2, n3] = c.shape;
        const [x, y] = c.strides;
        this.run(T.binaryTask, this.threads(numel(out.shape), limit), [
          code, n0, n1, n2, n3, sa.ptr, x[0], x[1], x[2], x[3], sb.ptr, y[0], y[1], y[2], y[3], o,
        ]);
        this.unstage(o, out);
        return;
      }
    }
    this.js.binary(op, a, b, out);
  }

  /**
   * Small float32 add/sub/mul/div/reluBackward on dense or scalar-broadcast operands, computed here in
   * JavaScript: staging into the arena and calling into wasm costs more than the arithmetic below
   * SMALL_ELEMENTS. Bitwise the same as the kernel: each of these operations on two float32 values,
   * done in double precision and rounded once to float32, is the correctly rounded float32 result.
   */
  private smallBinary(op: BinaryOp, a: View, b: View, out: View): boolean {
    const n = numel(out.shape);
    if (n > SMALL_ELEMENTS || !SMALL_BINARY.has(op) || !isF32(a, b, out) || !dense(out)) return false;
    const sa = dense(a) ? 1 : allZero(a.strides) ? 0 : -1, sb = dense(b) ? 1 : allZero(b.strides) ? 0 : -1;
    if (sa < 0 || sb < 0) return false;
    const x = a.data as Float32Array, y = b.data as Float32Array, o = out.data as Float32Array;
    let i = a.offset, j = b.offset, k = out.offset;
    const end = k + n;
    if (op === "add") for (; k < end; k++, i += sa, j += sb) o[k] = x[i] + y[j];
    else if (op === "sub") for (; k < end; k++, i += sa, j += sb) o[k] = x[i] - y[j];
    else if (op === "mul") for (; k < end; k++, i += sa, j += sb) o[k] = x[i] * y[j];
    else if (op === "div") for (; k < end; k++, i += sa, j += sb) o[k] = x[i] / y[j];
    else for (; k < end; k++, i += sa, j += sb) o[k] = x[i] <= 0 ? 0 : y[j];
    return true;
  }

  /**
   * Small dense float32 relu/neg/abs/square in JavaScript, as smallBinary: bitwise the kernel's result
   * (relu is x < 0 ? 0 : x, as f32x4.pmax(x, 0): NaN and -0 pass through; a product of two float32 values is
   * exact in double precision, so storing it rounds once, as the f32 multiply does).
   */
  private smallUnary(op: UnaryOp, x: View, out: View): boolean {
    const n = numel(out.shape);
    if (n > SMALL_ELEMENTS || !SMALL_UNARY.has(op) || !isF32(x, out) || !dense(x) || !dense(out)) return false;
    const a = x.data as Float32Array, o = out.data as Float32Array;
    let i = x.offset, k = out.offset;
    const end = k + n;
    if (op === "relu") {
      for (; k < end; k++, i++) {
        const v = a[i];
        o[k] = v < 0 ? 0 : v;
      }
    } else if (op === "neg") for (; k < end; k++, i++) o[k] = -a[i];
    else if (op === "abs") for (; k < end; k++, i++) o[k] = Math.abs(a[i]);
    else {
      for (; k < end; k++, i++) {
        const v = a[i];
        o[k] = v * v;
      }
    }
    return true;
  }

  where(cond: View, a: View, b: View, out: View): void {
    if (isBool(cond) && isF32(a, b, out) && this.elementwise(T.whereTask, [], [cond, a, b], out)) return;
    this.js.where(cond, a, b, out);
  }

  // ---- reductions ------------------------------------------------------------------------------

  reduce(op: ReduceOp, x: View, axes: readonly number[], out: View): void {
    if (isF32(x, out) && numel(x.shape) > 0) {
      this.begin(numel(x.shape), PAR_MEMORY);
      const s = this.stage(x);
      const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
      const k = coalesce(kept.map((i) => x.shape[i]), [kept.map((i) => s.strides[i])], 2);
      const r = coalesce(axes.map((i) => x.shape[i]), [axes.map((i) => s.strides[i])], 2);
      if (k && r) {
        const nOut = numel(out.shape);
        const o = this.arena.alloc(nOut * 4);
        const nt = this.threads(numel(x.shape), PAR_MEMORY);
        this.run(T.reduceTask, Math.min(nt, nOut), [
          REDUCE[op], k.shape[0], k.shape[1], k.strides[0][0], k.strides[0][1],
          r.shape[0], r.shape[1], r.strides[0][0], r.strides[0][1], s.ptr, o,
        ]);
        this.unstage(o, out);
        return;
      }
    }
    this.js.reduce(op, x, axes, out);
  }

  argReduce(op: "argmax" | "argmin", x: View, axis: number, out: View): void {
    this.js.argReduce(op, x, axis, out);
  }

  cumsum(x: View, axis: number, out: View): void {
    this.js.cumsum(x, axis, out);
  }

  scan(op: ScanOp, x: View, axis: number, out: View, indices: View | null): void {
    this.js.scan(op, x, axis, out, indices);
  }

  sort(x: View, axis: number, descending: boolean, values: View, indices: View): void {
    this.js.sort(x, axis, descending, values, indices);
  }

  softmax(x: View, axis: number, log: boolean, out: View): void {
    if (isF32(x, out) && numel(x.shape) > 0) {
      this.begin(numel(x.shape), PAR_ELEMENTS);
      const p = this.stageDense(x);
      const len = x.shape[axis];
      const inner = numel(x.shape.slice(axis + 1));
      const outer = numel(x.shape.slice(0, axis));
      const o = this.arena.alloc(numel(x.shape) * 4);
      this.run(T.softmaxTask, Math.min(this.threads(numel(x.shape), PAR_ELEMENTS), outer * inner), [outer, len, inner, p, o, log ? 1 : 0]);
      this.unstage(o, out);
      return;
    }
    this.js.softmax(x, axis, log, out);
  }

  // ---- matmul ----------------------------------------------------------------------------------

  matmul(a: View, b: View, out: View): void {
    if (!isF32(a, b, out)) return this.js.matmul(a, b, out);
    const [B, M] = a.shape;
    const N = b.shape[2];
    if (B * M * N === 0) return;
    this.begin(B * M * N * a.shape[2], PAR_FLOPS);
    this.unstage(this.gemm(a, b), out);
  }

  /** Stages a [B,M,K] and b [B,K,N] and multiplies them into a fresh contiguous block of the arena (its address). */
  private gemm(a: View, b: View): number {
    const [B, M, K] = a.shape;
    return this.gemmStaged(B, M, b.shape[2], K, this.stage(a), this.stage(b));
  }

  /** A 2-D view staged as a [1,R,C] operand (batch stride 0). */
  private stage3(v: View): Staged {
    const s = this.stage(v);
    return { ptr: s.ptr, strides: [0, ...s.strides] };
  }

  /** The product of staged [B,M,K] and [B,K,N] operands (their strides 3-D) into a fresh contiguous arena block. */
  private gemmStaged(B: number, M: number, N: number, K: number, sa: Staged, sb: Staged): number {
    const o = this.arena.alloc(B * M * N * 4);
    const nt = this.threads(B * M * N * K, PAR_FLOPS);
    const scratchStride = Math.ceil(this.k.exports.gemmScratchBytes() / 64) * 64;
    const scratch = this.arena.alloc(scratchStride * nt);
    this.run(T.matmulTask, nt, [
      B, M, N, K, sa.ptr, sa.strides[0], sa.strides[1], sa.strides[2],
      sb.ptr, sb.strides[0], sb.strides[1], sb.strides[2], o, scratch, scratchStride,
    ]);
    return o;
  }

  linear(x: View, w: View, bias: View | null, out: View, relu = false): void {
    if (!isF32(x, w, out) || (bias && !isF32(bias))) return this.js.linear(x, w, bias, out, relu);
    const [M, K] = x.shape;
    const N = w.shape[0];
    if (M * N === 0) return;
    this.begin(M * N * K, PAR_FLOPS);
    // wᵀ is a strided view of w: the GEMM packs it from there, so no transposed copy is made.
    const o = this.gemm(
      { ...x, shape: [1, M, K], strides: [0, ...x.strides] },
      { ...w, shape: [1, K, N], strides: [0, w.strides[1], w.strides[0]] },
    );
    const nt = this.threads(M * N, PAR_MEMORY);
    if (bias) {
      // The bias (and the ReLU) are applied in the arena, before the one copy back out.
      const sb = this.stage(bias);
      this.run(T.binaryTask, nt, [BINARY.add!, 1, 1, M, N, o, 0, 0, N, 1, sb.ptr, 0, 0, 0, sb.strides[0], o]);
    }
    if (relu) this.run(T.unaryTask, nt, [UNARY.relu!, 1, 1, 1, M * N, o, 0, 0, 0, 1, o, 0, 0]);
    this.unstage(o, out);
  }

  /**
   * The linear layer's whole backward in one arena session: ReLU's mask, the bias gradient and both
   * products read the masked gradient where it was computed, so it is never copied out and staged
   * back in (twice), and g, x and w are staged once.
   */
  linearBackward(g: View, output: View | null, x: View, w: View, gx: View | null, gw: View | null, gb: View | null): void {
    const outs = [gx, gw, gb].filter((v): v is View => v !== null);
    if (!isF32(g, x, w, ...outs) || (output && !isF32(output)) || outs.some((v) => numel(v.shape) === 0)) {
      return this.js.linearBackward(g, output, x, w, gx, gw, gb);
    }
    const [M, N] = g.shape;
    const K = x.shape[1];
    this.begin(M * N * K, PAR_FLOPS);
    const sg = this.stage(g);
    let gm: Staged = sg;
    if (output) {
      const so = this.stage(output);
      const c = coalesce([M, N], [so.strides, sg.strides, [N, 1]], 4);
      if (!c) return this.js.linearBackward(g, output, x, w, gx, gw, gb);
      const p = this.arena.alloc(M * N * 4);
      const [n0, n1, n2, n3] = c.shape;
      const [a, b] = c.strides;
      this.run(T.binaryTask, this.threads(M * N, PAR_MEMORY), [
        BINARY.reluBackward!, n0, n1, n2, n3, so.ptr, a[0], a[1], a[2], a[3], sg.ptr, b[0], b[1], b[2], b[3], p,
      ]);
      gm = { ptr: p, strides: [N, 1] };
    }
    const gs = gm.strides;
    if (gb) {
      // As reduce() sums [M,N] over rows: kept N, reduced M.
      const o = this.arena.alloc(N * 4);
      this.run(T.reduceTask, Math.min(N, this.threads(M * N, PAR_MEMORY)), [REDUCE.sum, 1, N, 0, gs[1], 1, M, 0, gs[0], gm.ptr, o]);
      this.unstage(o, gb);
    }
    // gw [N,K] = gmᵀ [N,M] · x [M,K]; gx [M,K] = gm [M,N] · w [N,K].
    if (gw) this.unstage(this.gemmStaged(1, N, K, M, { ptr: gm.ptr, strides: [0, gs[1], gs[0]] }, this.stage3(x)), gw);
    if (gx) this.unstage(this.gemmStaged(1, M, K, N, { ptr: gm.ptr, strides: [0, gs[0], gs[1]] }, this.stage3(w)), gx);
  }

  // Rows of C classes are small (N·C numbers per batch): copying them into the arena would cost more
  // than the arithmetic, so these run in the reference kernels.
  crossEntropy(x: View, target: View, ignoreIndex: number, out: View): void {
    this.js.crossEntropy(x, target, ignoreIndex, out);
  }
  crossEntropyBackward(x: View, target: View, g: View, ignoreIndex: number, out: View): void {
    this.js.crossEntropyBackward(x, target, g, ignoreIndex, out);
  }

  // ---- indexing (reference kernels) ------------------------------------------------------------

  gather(x: View, axis: number, index: View, out: View): void {
    this.js.gather(x, axis, index, out);
  }
  scatterAdd(out: View, axis: number, index: View, src: View): void {
    this.js.scatterAdd(out, axis, index, src);
  }
  scatter(out: View, axis: number, index: View, src: View): void {
    this.js.scatter(out, axis, index, src);
  }
  indexSelect(x: View, axis: number, index: View, out: View): void {
    this.js.indexSelect(x, axis, index, out);
  }
  indexAdd(out: View, axis: number, index: View, src: View): void {
    this.js.indexAdd(out, axis, index, src);
  }

  // ---- convolution -----------------------------------------------------------------------------

  /** The common argument list of the conv tasks, plus per-thread scratch. */
  private convSetup(xShape: readonly number[], wShape: readonly number[], yShape: readonly number[], p: ConvParams) {
    const [N, C, H, W] = xShape;
    const [O, cg, kH, kW] = wShape;
    const [oH, oW] = [yShape[2], yShape[3]];
    const flops = N * O * cg * kH * kW * oH * oW;
    // Fewer (image, group) pairs than threads are cut into bands inside the kernels.
    const nt = this.threads(flops, PAR_CONV);
    const dimsArgs = [N, C, H, W, O, kH, kW, oH, oW, p.stride[0], p.stride[1], p.padding[0], p.padding[1], p.dilation[0], p.dilation[1], p.groups];
    const bytes = this.k.exports.convScratchBytes(C, H, W, O, kH, kW, oH, oW, ...dimsArgs.slice(9));
    return { nt, dimsArgs, O, og: O / p.groups, Kc: cg * kH * kW, stride: Math.ceil(bytes / 64) * 64 };
  }

  conv2d(x: View, w: View, bias: View | null, out: View, p: ConvParams): void {
    if (!isF32(x, w, out) || (bias && !isF32(bias)) || numel(out.shape) === 0) return this.js.conv2d(x, w, bias, out, p);
    this.begin(convFlops(x.shape, w.shape, out.shape), PAR_CONV);
    const s = this.convSetup(x.shape, w.shape, out.shape, p);
    const px = this.stageDense(x), pw = this.stageDense(w), pb = bias ? this.stageDense(bias) : 0;
    const o = this.arena.alloc(numel(out.shape) * 4);
    const scratch = this.arena.alloc(s.stride * s.nt);
    this.run(T.conv2dTask, s.nt, [...s.dimsArgs, px, pw, pb, o, scratch, s.stride, 0, 0]);
    this.unstage(o, out);
  }

  conv2dBackwardInput(gy: View, w: View, out: View, p: ConvParams): void {
    if (!isF32(gy, w, out) || numel(out.shape) === 0) return this.js.conv2dBackwardInput(gy, w, out, p);
    this.begin(convFlops(out.shape, w.shape, gy.shape), PAR_CONV);
    this.unstage(this.inputGradStaged(gy.shape, this.stageDense(gy), w, out.shape, p), out);
  }

  /** conv2dBackwardInput of the dense gy [N,O,oH,oW] at byte address pg into a fresh arena block (its address). */
  private inputGradStaged(gyShape: readonly number[], pg: number, w: View, xShape: readonly number[], p: ConvParams): number {
    const s = this.convSetup(xShape, w.shape, gyShape, p);
    const pw = this.stageDense(w);
    const o = this.arena.alloc(numel(xShape) * 4);
    const scratch = this.arena.alloc(s.stride * s.nt);
    this.run(T.conv2dBackwardInputTask, s.nt, [...s.dimsArgs, pg, pw, o, scratch, s.stride]);
    return o;
  }

  conv2dBackwardWeight(x: View, gy: View, out: View, p: ConvParams): void {
    if (!isF32(x, gy, out) || numel(out.shape) === 0) return this.js.conv2dBackwardWeight(x, gy, out, p);
    this.begin(convFlops(x.shape, out.shape, gy.shape), PAR_CONV);
    this.unstage(this.weightGradStaged(x, gy.shape, this.stageDense(gy), out.shape, p), out);
  }

  /** conv2dBackwardWeight from the dense gy at byte address pg into a fresh arena block (its address). */
  private weightGradStaged(x: View, gyShape: readonly number[], pg: number, wShape: readonly number[], p: ConvParams): number {
    const s = this.convSetup(x.shape, wShape, gyShape, p);
    const px = this.stageDense(x);
    const n = s.O * s.Kc;
    const partials = this.arena.alloc(n * 4 * s.nt);
    const scratch = this.arena.alloc(s.stride * s.nt);
    this.run(T.conv2dBackwardWeightTask, s.nt, [...s.dimsArgs, px, pg, partials, scratch, s.stride]);
    const result = this.arena.alloc(n * 4);
    this.run(T.sumPartialsTask, this.threads(n, PAR_MEMORY), [p.groups, s.og, s.Kc, s.nt, partials, result]);
    return result;
  }

  /**
   * ReLU's mask, the bias gradient, the routing to the conv's shape and both conv gradients in one
   * arena session: the masked and the conv-sized gradients never become tensors that are copied out
   * and staged back in (three times for the conv-sized one).
   */
  conv2dReluPoolBackward(
    g: View, output: View, indices: View | null, x: View, w: View, gx: View | null, gw: View | null, gb: View | null,
    p: ConvParams, convShape: readonly number[],
  ): void {
    const ok = isF32(g, output, x, w) && [gx, gw, gb].every((v) => !v || (isF32(v) && numel(v.shape) > 0)) &&
      (!indices || indices.data instanceof Int32Array) && numel(convShape) > 0;
    if (!ok) return jsConv2dReluPoolBackward(this, g, output, indices, x, w, gx, gw, gb, p, convShape);
    this.begin(convFlops(x.shape, w.shape, convShape), PAR_CONV);
    const n = numel(output.shape);
    const py = this.stageDense(output), pg = this.stageDense(g);
    let gm = this.arena.alloc(n * 4);
    this.run(T.binaryTask, this.threads(n, PAR_MEMORY), [BINARY.reluBackward!, 1, 1, 1, n, py, 0, 0, 0, 1, pg, 0, 0, 0, 1, gm]);
    if (gb) {
      // Summed as reduce() sums [N,O,P] over N and P: kept O (stride P), reduced N (stride O·P) and P (stride 1).
      const [N, O] = output.shape, P = n / (N * O);
      const o = this.arena.alloc(O * 4);
      this.run(T.reduceTask, Math.min(O, this.threads(n, PAR_MEMORY)), [REDUCE.sum, 1, O, 0, P, N, P, O * P, 1, gm, o]);
      this.unstage(o, gb);
    }
    if (indices) {
      const pi = this.stageDense(indices);
      const o = this.arena.alloc(numel(convShape) * 4);
      const planes = convShape[0] * convShape[1];
      this.runPool(T.maxPoolBackwardTask, planes, 1, [planes, convShape[2], convShape[3], output.shape[2], output.shape[3], gm, pi, o]);
      gm = o;
    }
    if (gw) this.unstage(this.weightGradStaged(x, convShape, gm, gw.shape, p), gw);
    if (gx) this.unstage(this.inputGradStaged(convShape, gm, w, gx.shape, p), gx);
  }

  /**
   * One kernel when conv2dTask can fuse it (stride 1, not 1×1, float32; pool absent or 2×2 stride 2
   * unpadded, floor mode): ReLU and the pool run in the conv's epilogue on its output tile, so the
   * full-size conv output never leaves the arena. Anything else runs the three kernels in turn.
   */
  conv2dReluPool(x: View, w: View, bias: View | null, out: View, indices: View | null, p: ConvParams, pool: PoolParams | null, convShape: readonly number[]): void {
    const [kH, kW] = [w.shape[2], w.shape[3]];
    const [oH, oW] = [convShape[2], convShape[3]];
    const pool2 = pool !== null && pool.kernel.every((k) => k === 2) && pool.stride.every((s) => s === 2) && pool.padding.every((q) => q === 0) &&
      pool.dilation.every((d) => d === 1) && out.shape[2] === oH >> 1 && out.shape[3] === oW >> 1 && (indices === null || indices.data instanceof Int32Array);
    const fusable = isF32(x, w, out) && (!bias || isF32(bias)) && numel(out.shape) > 0 && (pool === null || pool2) &&
      this.k.exports.convFusable(kH, kW, p.stride[0], p.stride[1], p.padding[0], p.padding[1]) === 1;
    if (!fusable) return jsConv2dReluPool(this, x, w, bias, out, indices, p, pool, convShape);
    this.begin(convFlops(x.shape, w.shape, convShape), PAR_CONV);
    const s = this.convSetup(x.shape, w.shape, convShape, p);
    const px = this.stageDense(x), pw = this.stageDense(w), pb = bias ? this.stageDense(bias) : 0;
    const n = numel(out.shape);
    const o = this.arena.alloc(n * 4), oi = pool ? this.arena.alloc(n * 4) : 0;
    const scratch = this.arena.alloc(s.stride * s.nt);
    this.run(T.conv2dTask, s.nt, [...s.dimsArgs, px, pw, pb, o, scratch, s.stride, pool ? EPI_RELU_POOL : EPI_RELU, oi]);
    this.unstage(o, out);
    // Without indices (inference) the kernel's stay in the arena.
    if (pool && indices) this.unstage(oi, indices);
  }

  // ---- pooling ---------------------------------------------------------------------------------

  private poolArgs(inShape: readonly number[], outShape: readonly number[], p: PoolParams): number[] {
    return [
      inShape[0] * inShape[1], inShape[2], inShape[3], outShape[2], outShape[3], p.kernel[0], p.kernel[1],
      p.stride[0], p.stride[1], p.padding[0], p.padding[1], p.dilation[0], p.dilation[1],
    ];
  }

  /**
   * Runs a pooling task over `planes` planes on up to `threads` threads. The kernels pool one plane at
   * a time (plane i in share i mod n), so their results do not depend on the share count: with
   * threads the planes are cut into POOL_SHARES shares per thread, claimed one by one (pool.ts), so a
   * helper that starts late or loses its core delays the job by at most one share.
   */
  private runPool(task: number, planes: number, threads: number, args: number[]): void {
    const shares = threads > 1 ? Math.min(planes, threads * POOL_SHARES) : 1;
    this.pool.run(task, shares, args, threads);
  }

  /**
   * Starts the arena session of a pooling kernel over `inShape` (the pooled side) and `outShape`
   * and returns its thread count: 1 for 2×2 windows (see PAR_POOL_MAX), else by window elements
   * against `limit`. A session on one thread runs on the plain memory (begin).
   */
  private poolSession(inShape: readonly number[], outShape: readonly number[], p: PoolParams, limit: number): number {
    const twoByTwo = p.kernel.every((k) => k === 2) && p.stride.every((s) => s === 2) && p.padding.every((q) => q === 0) &&
      p.dilation.every((d) => d === 1) && 2 * outShape[2] <= inShape[2] && 2 * outShape[3] <= inShape[3];
    const work = twoByTwo ? 0 : numel(outShape) * p.kernel[0] * p.kernel[1];
    this.begin(work, limit);
    return this.threads(work, limit);
  }

  maxPool2d(x: View, out: View, indices: View, p: PoolParams): void {
    if (!isF32(x, out) || !(indices.data instanceof Int32Array) || numel(out.shape) === 0) return this.js.maxPool2d(x, out, indices, p);
    const nt = this.poolSession(x.shape, out.shape, p, PAR_POOL_MAX);
    const px = this.stageDense(x);
    const n = numel(out.shape);
    const o = this.arena.alloc(n * 4), oi = this.arena.alloc(n * 4);
    this.runPool(T.maxPoolTask, x.shape[0] * x.shape[1], nt, [...this.poolArgs(x.shape, out.shape, p), px, o, oi]);
    this.unstage(o, out);
    this.unstage(oi, indices);
  }

  maxPool2dBackward(gy: View, indices: View, out: View): void {
    if (!isF32(gy, out) || !(indices.data instanceof Int32Array) || numel(out.shape) === 0) return this.js.maxPool2dBackward(gy, indices, out);
    // On the calling thread, whatever the size (see PAR_POOL_MAX).
    this.begin(0, PAR_MEMORY);
    const pg = this.stageDense(gy), pi = this.stageDense(indices);
    const o = this.arena.alloc(numel(out.shape) * 4);
    const planes = out.shape[0] * out.shape[1];
    this.runPool(T.maxPoolBackwardTask, planes, 1, [planes, out.shape[2], out.shape[3], gy.shape[2], gy.shape[3], pg, pi, o]);
    this.unstage(o, out);
  }

  avgPool2d(x: View, out: View, p: PoolParams): void {
    if (!isF32(x, out) || numel(out.shape) === 0) return this.js.avgPool2d(x, out, p);
    const nt = this.poolSession(x.shape, out.shape, p, PAR_POOL_AVG);
    const px = this.stageDense(x);
    const o = this.arena.alloc(numel(out.shape) * 4);
    this.runPool(T.avgPoolTask, x.shape[0] * x.shape[1], nt, [...this.poolArgs(x.shape, out.shape, p), p.countIncludePad ? 1 : 0, px, o]);
    this.unstage(o, out);
  }

  avgPool2dBackward(gy: View, out: View, p: PoolParams): void {
    if (!isF32(gy, out) || numel(out.shape) === 0) return this.js.avgPool2dBackward(gy, out, p);
    const nt = this.poolSession(out.shape, gy.shape, p, PAR_POOL_AVG_BACK);
    const pg = this.stageDense(gy);
    const o = this.arena.alloc(numel(out.shape) * 4);
    this.runPool(T.avgPoolBackwardTask, out.shape[0] * out.shape[1], nt, [...this.poolArgs(out.shape, gy.shape, p), p.countIncludePad ? 1 : 0, pg, o]);
    this.unstage(o, out);
  }

  // ---- optimizers ------------------------------------------------------------------------------

  /** Copies float32 arrays into the arena; null when any is not float32. */
  private stageArrays(arrays: Array<TypedArray | null>): number[] | null {
    if (!arrays.every((a) => a === null || a instanceof Float32Array)) return null;
    this.begin(arrays[0]!.length, PAR_MEMORY);
    return arrays.map((a) => {
      if (!a) return 0;
      const p = this.arena.alloc(a.length * 4);
      this.arena.f32.set(a as Float32Array, p >> 2);
      return p;
    });
  }

  private unstageArrays(arrays: Array<TypedArray | null>, ptrs: number[]): void {
    arrays.forEach((a, i) => {
      if (a) (a as Float32Array).set(this.arena.f32.subarray(ptrs[i] >> 2, (ptrs[i] >> 2) + a.length));
    });
  }

  sgdUpdate(param: TypedArray, grad: TypedArray, buf: TypedArray | null, p: SgdParams): void {
    const ptrs = this.stageArrays([param, grad, buf]);
    if (!ptrs) return this.js.sgdUpdate(param, grad, buf, p);
    this.run(T.sgdTask, this.threads(param.length, PAR_MEMORY), [
      param.length, ptrs[0], ptrs[1], ptrs[2], p.lr, p.momentum, p.dampening, p.nesterov ? 1 : 0, p.weightDecay, p.firstStep ? 1 : 0,
    ]);
    this.unstageArrays([param, null, buf], ptrs);
  }

  adamUpdate(param: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, maxV: TypedArray | null, p: AdamParams): void {
    const ptrs = this.stageArrays([param, grad, m, v, maxV]);
    if (!ptrs) return this.js.adamUpdate(param, grad, m, v, maxV, p);
    this.run(T.adamTask, this.threads(param.length, PAR_MEMORY), [
      param.length, ptrs[0], ptrs[1], ptrs[2], ptrs[3], ptrs[4],
      p.lr, p.beta1, p.beta2, p.eps, p.weightDecay, p.decoupled ? 1 : 0, p.step,
    ]);
    this.unstageArrays([param, null, m, v, maxV], ptrs);
  }
}

export interface WasmBackendOptions {
  /**
   * Use a shared memory so worker threads can help (default: where they can, i.e. in Node). Either
   * way, kernel calls that run on the calling thread alone use a second, plain memory, where copies
   * in and out are faster. Browsers (no worker threads here) use the plain memory only.
   */
  sharedMemory?: boolean;
}

/** The wasm backend, or null where WebAssembly SIMD is unavailable (or cannot compile synchronously). */
export function createWasmBackend(opts: WasmBackendOptions = {}): WasmBackend | null {
  const k = loadKernels(opts.sharedMemory ?? threadsPossible());
  return k ? new WasmBackend(k) : null;
}

let notified = false;

/** One line, once per process, when the kernels cannot load. */
function notice(): void {
  if (notified) return;
  notified = true;
  console.warn(`deeptype: the wasm backend is unavailable here (${loadFailure || "unknown reason"}); it falls back to the js kernels`);
}

function register(ok: boolean): void {
  if (!ok) notice();
  registerBackend("wasm", () => {
    const b = createWasmBackend();
    if (b) return b;
    notice();
    return new JsBackend();
  });
}

/**
 * Registers "wasm" with setBackend and returns whether its kernels validated and compiled here.
 * Where they did not, a one-line notice says why, and "wasm" still resolves, to the js backend. On a
 * browser's main thread, which refuses to compile large modules synchronously, await
 * initWasmBackend() instead.
 */
export function registerWasmBackend(): boolean {
  const ok = loadKernels() !== null;
  register(ok);
  return ok;
}

/** `await initWasmBackend()`: registerWasmBackend for browsers, compiling the kernels asynchronously. */
export async function initWasmBackend(): Promise<boolean> {
  const ok = (await loadKernelsAsync()) !== null;
  register(ok);
  return ok;
}
