/**
 * Kernel instances and arena sessions. Every kernel call of the wasm backend is one session: it
 * picks the instance to run on (begin), copies its operands into that instance's arena (stage),
 * runs kernel tasks on the arena (run and the *Staged helpers, which every op family shares so each
 * staging pattern exists once), and copies results back out into tensor storage (unstage).
 */
import type { View } from "../backend.js";
import { dense, offsets, writeFrom } from "../js/strided.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { contiguousStrides, numel } from "../../tensor/shape.js";
import { Arena } from "./arena.js";
import { T, TASKS, UNARY } from "./codes.js";
import { type Kernels, loadKernels } from "./loader.js";
import { Pool } from "./pool.js";
import { getNumThreads } from "./thread-count.js";
import { coalesce, type Staged } from "./views.js";

/** One instantiated kernel module with its memory's arena and its thread pool. */
interface Instance {
  readonly k: Kernels;
  readonly arena: Arena;
  readonly pool: Pool;
  /** Bytes of GEMM scratch per thread, rounded up to 64: a constant of the module, asked once (a wasm call). */
  readonly gemmScratchStride: number;
}

function instanceOf(k: Kernels): Instance {
  const gemmScratchStride = Math.ceil(k.exports.gemmScratchBytes() / 64) * 64;
  return { k, arena: new Arena(k.memory), pool: new Pool(k, TASKS), gemmScratchStride };
}

/** The sessions of one backend: its instances, and the one the current session runs on. */
export class Session {
  /** The instance given to the constructor: on a shared memory where threads are possible. */
  readonly main: Instance;
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
    this.main = this.cur = instanceOf(k);
    if (!k.shared) this.plain = this.main;
  }

  get k(): Kernels {
    return this.cur.k;
  }
  /** Bytes of the main instance's memory and of the plain one (0 until made, or where it is the main one). */
  memoryBytes(): { main: number; plain: number } {
    const plain = this.plain && this.plain !== this.main ? this.plain.k.memory.buffer.byteLength : 0;
    return { main: this.main.k.memory.buffer.byteLength, plain };
  }
  get arena(): Arena {
    return this.cur.arena;
  }
  /** The current instance's GEMM scratch bytes per thread (64-byte aligned). */
  get gemmScratchStride(): number {
    return this.cur.gemmScratchStride;
  }

  /**
   * Starts an arena session whose main kernel does `work` units against the threading threshold
   * `limit` (thresholds.ts) and returns the thread count for that kernel, decided here once: 1 when
   * it runs on the calling thread alone (1 thread, no helpers, or work below the limit), and then
   * the session runs on the plain-memory instance, where copies in and out are fast; otherwise
   * getNumThreads() on the shared one. Both run the same kernel source, so the results are the same
   * bits. Kernels of the session that only move memory run on 1 thread whatever this returns.
   */
  begin(work: number, limit: number): number {
    const nt = work >= limit && this.main.pool.threaded ? getNumThreads() : 1;
    this.cur = nt > 1 ? this.main : this.single();
    this.cur.arena.reset();
    // Helpers that blocked since the last threaded session wake while this one stages its operands.
    if (nt > 1) this.main.pool.wake(nt);
    return nt;
  }

  private single(): Instance {
    if (this.plain === undefined) {
      const k = loadKernels(false);
      // Another variant (FMA or not) would round differently from the threaded instance.
      this.plain = k && !k.shared && k.variant === this.main.k.variant ? instanceOf(k) : null;
    }
    return this.plain ?? this.main;
  }

  /** Runs kernel task `task` (an index from T) as `nt` shares on the current instance's pool. */
  run(task: number, nt: number, args: number[]): void {
    this.cur.pool.run(task, nt, args);
  }

  /**
   * Starts task `task` as `shares` shares on up to `threads` threads and returns while helpers work
   * on it (Pool.start): the calling thread may copy other arena blocks meanwhile, then join().
   */
  start(task: number, shares: number, args: number[], threads: number): void {
    this.cur.pool.start(task, shares, args, threads);
  }

  /** Finishes the job start() began: takes the shares left and waits for the helpers'. */
  join(): void {
    this.cur.pool.join();
  }

  /** The current instance's pool, for a ring job (Pool.startRing: chunks.ts, inStream). */
  get pool(): Pool {
    return this.cur.pool;
  }

  /**
   * Runs a pooling-style task whose results do not depend on the share count, cut into `shares`
   * shares on up to `threads` threads (pool.ts claims them one by one).
   */
  runShares(task: number, shares: number, args: number[], threads: number): void {
    this.cur.pool.run(task, shares, args, threads);
  }

  /**
   * Copies the storage span a float32 (or int32) view touches into the arena, keeping its strides,
   * so transposed, sliced and broadcast views cost one memcpy; a sparse view is gathered instead.
   */
  // Only float32/int32/bool views are staged (callers check isF32/isStorage), never int64's BigInt64Array.
  stage(v: View): Staged {
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
    const data = v.data as TypedArray;
    const size = data.BYTES_PER_ELEMENT;
    // Views of the memory are fetched after alloc: growing it detaches the old ones.
    if (span <= 2 * n + 64) {
      const p = a.allocLike(span * size, data.byteOffset + lo * size);
      a.heapFor(data).set(data.subarray(lo, hi + 1) as Float32Array & Int32Array & Uint8Array, p / size);
      return { ptr: p + (v.offset - lo) * size, strides: [...v.strides] };
    }
    return { ptr: this.gather(v, n), strides: contiguousStrides(v.shape) };
  }

  /** Gathers the n elements of v in row-major order into a fresh arena block and returns its byte address. */
  private gather(v: View, n: number): number {
    const data = v.data as TypedArray;
    const size = data.BYTES_PER_ELEMENT;
    const p = this.arena.alloc(n * size);
    // The heap view is fetched after alloc: growing the memory detaches the old ones.
    const heap = this.arena.heapFor(data);
    const off = offsets(v);
    const base = p / size;
    for (let i = 0; i < n; i++) heap[base + i] = data[off[i]];
    return p;
  }

  /** A 2-D view staged as a [1,R,C] operand (batch stride 0). */
  stage3(v: View): Staged {
    const s = this.stage(v);
    return { ptr: s.ptr, strides: [0, ...s.strides] };
  }

  /** Stages v as a contiguous row-major block and returns its byte address. */
  stageDense(v: View): number {
    const n = numel(v.shape);
    const a = this.arena;
    const data = v.data as TypedArray;
    const size = data.BYTES_PER_ELEMENT;
    if (dense(v) || n === 0) {
      const p = a.allocLike(n * size, data.byteOffset + v.offset * size);
      a.heapFor(data).set(data.subarray(v.offset, v.offset + n) as Float32Array & Int32Array & Uint8Array, p / size);
      return p;
    }
    if (data instanceof Float32Array) {
      const s = this.stage(v);
      const out = a.alloc(n * 4);
      // A copy only moves memory: one thread (see PAR_MEMORY).
      if (this.unaryStaged(UNARY.copy!, v.shape, s, out, 0, 0, 1)) return out;
    }
    return this.gather(v, n);
  }

  /** Copies n values at byte address p back into `out` (any strides). */
  unstage(p: number, out: View): void {
    const n = numel(out.shape);
    const data = out.data as TypedArray;
    const size = data.BYTES_PER_ELEMENT;
    if (size === 4 && n >= 256 && ((p ^ (data.byteOffset + out.offset * 4)) & 7) !== 0 && dense(out)) {
      // A destination at 4 mod 8 (a view at an odd offset): realign in wasm memory first (see allocLike).
      const q = this.arena.allocLike(n * 4, data.byteOffset + out.offset * 4);
      this.unaryStaged(UNARY.copy!, [n], { ptr: p, strides: [1] }, q, 0, 0, 1);
      p = q;
    }
    const at = p / size;
    const src = this.arena.heapFor(data).subarray(at, at + n);
    if (dense(out)) (out.data as Float32Array).set(src as Float32Array, out.offset);
    else writeFrom(out, src);
  }

  /**
   * unaryTask (op code `op`, parameters p and q) over the staged x of `shape` into the contiguous
   * block at byte address `out`, on `nt` threads; false when the dims do not coalesce to 4.
   */
  unaryStaged(op: number, shape: readonly number[], x: Staged, out: number, p: number, q: number, nt: number): boolean {
    const c = coalesce(shape, [x.strides, contiguousStrides(shape)], 4);
    if (!c) return false;
    const [n0, n1, n2, n3] = c.shape;
    const s = c.strides[0];
    this.run(T.unaryTask, nt, [op, n0, n1, n2, n3, x.ptr, s[0], s[1], s[2], s[3], out, p, q]);
    return true;
  }

  /**
   * binaryTask (op code `op`) of the staged a and b, both of `shape` (broadcast by their strides),
   * into the contiguous block at byte address `out` (which may be a's), on `nt` threads; false when
   * the dims do not coalesce to 4 (never for 2 dims).
   */
  binaryStaged(op: number, shape: readonly number[], a: Staged, b: Staged, out: number, nt: number): boolean {
    const c = coalesce(shape, [a.strides, b.strides, contiguousStrides(shape)], 4);
    if (!c) return false;
    const [n0, n1, n2, n3] = c.shape;
    const [x, y] = c.strides;
    this.run(T.binaryTask, nt, [op, n0, n1, n2, n3, a.ptr, x[0], x[1], x[2], x[3], b.ptr, y[0], y[1], y[2], y[3], out]);
    return true;
  }

  /**
   * reduceTask (op code `op`) over the staged block at byte address `ptr`: for every element of the
   * kept dims (2, with their strides) it reduces the reduced dims (2), into a fresh contiguous block
   * (its address). On one thread: a reduction only moves memory (see PAR_MEMORY).
   */
  reduceStaged(op: number, kept: readonly number[], keptStrides: readonly number[], reduced: readonly number[], reducedStrides: readonly number[], ptr: number): number {
    const o = this.arena.alloc(kept[0] * kept[1] * 4);
    this.run(T.reduceTask, 1, [op, kept[0], kept[1], keptStrides[0], keptStrides[1], reduced[0], reduced[1], reducedStrides[0], reducedStrides[1], ptr, o]);
    return o;
  }
}
