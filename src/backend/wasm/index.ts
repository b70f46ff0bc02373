/**
 * The wasm backend: float32 kernels in WebAssembly SIMD (AssemblyScript, ./assembly), split over a
 * pool of worker threads sharing one WebAssembly.Memory. Operands are copied into a reusable arena
 * inside that memory and results copied back, so tensor storage stays ordinary garbage-collected
 * typed arrays and nobody calls dispose(). Every other dtype, and the ops without a kernel here,
 * run on the js reference backend, which this backend is tested against.
 *
 * This file is the backend contract's table: each method calls its op family's glue (elementwise.ts,
 * matmul.ts, conv.ts, pooling.ts, optim.ts), which returns false where the kernels do not take the
 * op, and then the js reference runs. Below the glue: session.ts (instances, arena sessions,
 * staging), arena.ts, thresholds.ts and thread-count.ts (when and how many threads), codes.ts,
 * views.ts, and loader.ts / pool.ts (compiling the kernels, running them on threads).
 */
import type {
  AdamParams, Backend, BinaryOp, ConvParams, ParamUnaryOp, PoolParams, ReduceOp, ScanOp, SgdParams, UnaryOp, View,
} from "../backend.js";
import { registerBackend } from "../index.js";
import { JsBackend } from "../js/index.js";
import { conv2dReluPool as jsConv2dReluPool, conv2dReluPoolBackward as jsConv2dReluPoolBackward } from "../js/conv.js";
import type { TypedArray } from "../../tensor/dtype.js";
import * as conv from "./conv.js";
import * as ew from "./elementwise.js";
import { type Kernels, loadFailure, loadKernels, loadKernelsAsync, threadsPossible } from "./loader.js";
import * as mm from "./matmul.js";
import * as optim from "./optim.js";
import * as pooling from "./pooling.js";
import { Session } from "./session.js";

export { getNumThreads, poolStats, setNumThreads } from "./thread-count.js";

/**
 * The wasm backend over one kernel build. Made by createWasmBackend (the build this runtime supports);
 * construct it directly only to pin a build, e.g. `new WasmBackend(loadBuild("simd"))` in tests.
 */
export class WasmBackend implements Backend {
  readonly name = "wasm";
  readonly variant: Kernels["variant"];
  private readonly js = new JsBackend();
  private readonly session: Session;

  constructor(k: Kernels) {
    this.variant = k.variant;
    this.session = new Session(k);
  }

  /**
   * Sizes of this backend's WebAssembly memories, for memory reports: `main` is the one worker
   * threads share (the only one where there are no threads), `plain` the second one that calls on
   * the calling thread alone use (0 until first needed, and where main is already plain).
   *
   * @example (backend() as WasmBackend).memoryBytes().main / 2 ** 20  // MB
   */
  memoryBytes(): { main: number; plain: number } {
    return this.session.memoryBytes();
  }

  /**
   * The kernel sessions (instances, arena, staging, `run`), for benches that time parts of a call
   * without the rest (bench/conv-parts.ts, bench/mlp-parts.ts). Not for library code. @internal
   */
  sessionForBench(): Session {
    return this.session;
  }

  // ---- elementwise and reductions (elementwise.ts) ----------------------------------------------

  copy(src: View, out: View): void {
    if (!ew.copy(this.session, src, out)) this.js.copy(src, out);
  }
  fill(out: View, value: number): void {
    if (!ew.fill(out, value)) this.js.fill(out, value);
  }
  unary(op: UnaryOp, x: View, out: View): void {
    if (!ew.unary(this.session, op, x, out)) this.js.unary(op, x, out);
  }
  unaryParam(op: ParamUnaryOp, x: View, out: View, p: number, q: number): void {
    if (!ew.unaryParam(this.session, op, x, out, p, q)) this.js.unaryParam(op, x, out, p, q);
  }
  binary(op: BinaryOp, a: View, b: View, out: View): void {
    if (!ew.binary(this.session, op, a, b, out)) this.js.binary(op, a, b, out);
  }
  where(cond: View, a: View, b: View, out: View): void {
    if (!ew.where(this.session, cond, a, b, out)) this.js.where(cond, a, b, out);
  }
  reduce(op: ReduceOp, x: View, axes: readonly number[], out: View): void {
    if (!ew.reduce(this.session, op, x, axes, out)) this.js.reduce(op, x, axes, out);
  }
  softmax(x: View, axis: number, log: boolean, out: View): void {
    if (!ew.softmax(this.session, x, axis, log, out)) this.js.softmax(x, axis, log, out);
  }

  // ---- matrix products (matmul.ts) --------------------------------------------------------------

  matmul(a: View, b: View, out: View): void {
    if (!mm.matmul(this.session, a, b, out)) this.js.matmul(a, b, out);
  }
  linear(x: View, w: View, bias: View | null, out: View, relu = false): void {
    if (!mm.linear(this.session, x, w, bias, out, relu)) this.js.linear(x, w, bias, out, relu);
  }
  linearBackward(g: View, output: View | null, x: View, w: View, gx: View | null, gw: View | null, gb: View | null): void {
    if (!mm.linearBackward(this.session, g, output, x, w, gx, gw, gb)) this.js.linearBackward(g, output, x, w, gx, gw, gb);
  }

  // ---- convolution (conv.ts) and pooling (pooling.ts) -------------------------------------------

  conv2d(x: View, w: View, bias: View | null, out: View, p: ConvParams): void {
    if (!conv.conv2d(this.session, x, w, bias, out, p)) this.js.conv2d(x, w, bias, out, p);
  }
  conv2dBackwardInput(gy: View, w: View, out: View, p: ConvParams): void {
    if (!conv.conv2dBackwardInput(this.session, gy, w, out, p)) this.js.conv2dBackwardInput(gy, w, out, p);
  }
  conv2dBackwardWeight(x: View, gy: View, out: View, p: ConvParams): void {
    if (!conv.conv2dBackwardWeight(this.session, x, gy, out, p)) this.js.conv2dBackwardWeight(x, gy, out, p);
  }
  // The fused conv ops fall back to the js composition over this backend, so its conv, ReLU and
  // pool kernels still run in wasm.
  conv2dReluPool(x: View, w: View, bias: View | null, out: View, indices: View | null, p: ConvParams, pool: PoolParams | null, convShape: readonly number[]): void {
    if (!conv.conv2dReluPool(this.session, x, w, bias, out, indices, p, pool, convShape)) jsConv2dReluPool(this, x, w, bias, out, indices, p, pool, convShape);
  }
  conv2dReluPoolBackward(
    g: View, output: View, indices: View | null, x: View, w: View, gx: View | null, gw: View | null, gb: View | null,
    p: ConvParams, convShape: readonly number[],
  ): void {
    if (!conv.conv2dReluPoolBackward(this.session, g, output, indices, x, w, gx, gw, gb, p, convShape)) {
      jsConv2dReluPoolBackward(this, g, output, indices, x, w, gx, gw, gb, p, convShape);
    }
  }
  maxPool2d(x: View, out: View, indices: View | null, p: PoolParams): void {
    if (!pooling.maxPool2d(this.session, x, out, indices, p)) this.js.maxPool2d(x, out, indices, p);
  }
  maxPool2dBackward(gy: View, indices: View, out: View): void {
    if (!pooling.maxPool2dBackward(this.session, gy, indices, out)) this.js.maxPool2dBackward(gy, indices, out);
  }
  avgPool2d(x: View, out: View, p: PoolParams): void {
    if (!pooling.avgPool2d(this.session, x, out, p)) this.js.avgPool2d(x, out, p);
  }
  avgPool2dBackward(gy: View, out: View, p: PoolParams): void {
    if (!pooling.avgPool2dBackward(this.session, gy, out, p)) this.js.avgPool2dBackward(gy, out, p);
  }

  // ---- optimizers (optim.ts) --------------------------------------------------------------------

  sgdUpdate(param: TypedArray, grad: TypedArray, buf: TypedArray | null, p: SgdParams): void {
    if (!optim.sgdUpdate(this.session, param, grad, buf, p)) this.js.sgdUpdate(param, grad, buf, p);
  }
  adamUpdate(param: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, maxV: TypedArray | null, p: AdamParams): void {
    if (!optim.adamUpdate(this.session, param, grad, m, v, maxV, p)) this.js.adamUpdate(param, grad, m, v, maxV, p);
  }

  // ---- reference kernels ------------------------------------------------------------------------
  // Scans, sorts and indexing have no wasm kernels. Rows of C classes are small (N·C numbers per
  // batch): copying them into the arena would cost more than the arithmetic, so cross-entropy runs
  // in the reference kernels too.

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
  crossEntropy(x: View, target: View, ignoreIndex: number, out: View): void {
    this.js.crossEntropy(x, target, ignoreIndex, out);
  }
  crossEntropyBackward(x: View, target: View, g: View, ignoreIndex: number, out: View): void {
    this.js.crossEntropyBackward(x, target, g, ignoreIndex, out);
  }
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
