/**
 * Batched kernels run chunk by chunk of images, so that a chunk's staged inputs, the kernels' stores
 * and the copy out hit the cache instead of each pass sweeping the whole batch's megabytes. Used by
 * the convolutions and the fused conv + ReLU + pool (conv.ts); not by the pooling ops, whose fresh
 * outputs took one whole copy faster than chunk-sized ones (pooling.ts, maxPool2dBackward).
 */
import type { View } from "../backend.js";
import { numel } from "../../tensor/shape.js";
import { dense } from "../js/strided.js";
import { MAX_RING } from "./pool.js";
import type { Session } from "./session.js";

/**
 * Bytes of batch operands (inputs, outputs and the kernels' per-image blocks together) per chunk of
 * images per thread on 2+ threads (one thread: CHUNK_BYTES_ONE_THREAD): small enough that they stay in cache between the copy in, the kernels and the
 * copy out. Run whole, a [64,16,28,28]·32 forward staged 3.2 MB, wrote 6.4 MB and copied it out, each
 * pass missing the cache (measured: the same kernel storing its output into one hot plane instead
 * took 0.4-0.5 ms less of ~5.4); chunks of 0.5-2 MiB measured alike then (session 11).
 */
export const CHUNK_BYTES = 1 << 20;

/**
 * The same on one thread, where a chunk is a plain kernel call with no job to join: half the size
 * (3 images of the [64,16,28,28]·32 forward instead of 6), so the chunk's blocks, the kernel's V and M
 * and the copy out's destination stay within the 2 MiB L2 with room for whatever else runs on the
 * core. Measured (docs/backend-wasm.md, session 13; paired A/B both orders, 1 thread, CPU, load 5-8):
 * forward 0.94, input gradient 0.97, weight gradient 0.97-0.985, fused conv + ReLU + pool 0.97 of
 * 1 MiB's time; 256 KiB (one image) the same as 512. On 2+ threads each chunk is a job whose join
 * and imbalance cost favoured the larger chunk (session 12), so those keep CHUNK_BYTES.
 */
export const CHUNK_BYTES_ONE_THREAD = 1 << 19;

/** Images per chunk of inChunks (and the ring jobs' unit): a multiple of `threads`, operands of `per` floats an image plus `extra`. */
function chunkImages(threads: number, per: number[], extra: number): number {
  const bytes = threads > 1 ? CHUNK_BYTES : CHUNK_BYTES_ONE_THREAD;
  return threads * Math.max(1, Math.floor(bytes / ((per.reduce((a, b) => a + b, 0) + extra) * 4)));
}

/**
 * Runs `body` over the batch of N images in chunks of k images: before each call the chunk's slices
 * of `ins` are copied into the same arena blocks (their addresses inAt), and after it the slices of
 * `outs` are copied out of outAt. `extra` floats per image of a further arena block (at extraAt, for
 * what the kernels pass between them) count toward the chunk's size. k is a multiple of `threads`
 * (each thread's own cache) except in the last chunk, so threads that take images round-robin take
 * the same ones in every chunk as over the whole batch. false (nothing done) when the batch is one
 * chunk or an operand is not dense with N leading. Operands are float32 or int32 (4-byte elements).
 *
 * overlap (no extra block): `body` only starts its job (Session.start), and while helpers run it
 * the calling thread copies the next chunk in and the previous chunk's results out, through two
 * sets of arena blocks (a chunk's bytes each: half-size sets gave each job so few one-image shares
 * that the copying thread's last share left the other idle, docs/backend-wasm.md, session 12) used in turn, then joins
 * the job. The copies are the serial part of a threaded call; this way they run beside the kernels.
 */
export function inChunks(
  s: Session, N: number, threads: number, ins: View[], outs: View[], extra: number,
  body: (k: number, n0: number, inAt: number[], outAt: number[], extraAt: number) => void, overlap = false,
): boolean {
  const all = [...ins, ...outs];
  if (!all.every((v) => v.shape[0] === N && dense(v))) return false;
  if (overlap && extra > 0) throw new Error("inChunks: overlap takes no extra block");
  const per = all.map((v) => numel(v.shape) / N);
  const k = chunkImages(threads, per, extra);
  if (k >= N) return false;
  const sets = Array.from({ length: overlap ? 2 : 1 }, () => all.map((v, i) => s.arena.allocLike(k * per[i] * 4, v.data.byteOffset + v.offset * 4)));
  const extraAt = extra > 0 ? s.arena.alloc(k * extra * 4) : 0;
  const copyIn = (n0: number, at: number[]): void => ins.forEach((v, i) => {
    const d = v.data as Float32Array | Int32Array, from = v.offset + n0 * per[i];
    s.arena.heapFor(d).set(d.subarray(from, from + Math.min(k, N - n0) * per[i]), at[i] / 4);
  });
  const copyOut = (n0: number, at: number[]): void => outs.forEach((v, i) => {
    const d = v.data as Float32Array | Int32Array, q = per[ins.length + i], a = at[ins.length + i] / 4;
    d.set(s.arena.heapFor(d).subarray(a, a + Math.min(k, N - n0) * q), v.offset + n0 * q);
  });
  const run = (n0: number, at: number[]): void => body(Math.min(k, N - n0), n0, at.slice(0, ins.length), at.slice(ins.length), extraAt);
  if (!overlap) {
    for (let n0 = 0; n0 < N; n0 += k) {
      copyIn(n0, sets[0]);
      run(n0, sets[0]);
      copyOut(n0, sets[0]);
    }
    return true;
  }
  copyIn(0, sets[0]);
  let n0 = 0, c = 0;
  for (; n0 < N; c++, n0 += k) {
    const other = sets[(c & 1) ^ 1];
    run(n0, sets[c & 1]);
    // While the job runs: the next chunk's operands into the other set, the previous chunk's results out of it.
    try {
      if (n0 + k < N) copyIn(n0 + k, other);
      if (c > 0) copyOut(n0 - k, other);
    } finally {
      s.join();
    }
  }
  copyOut(n0 - k, sets[(c - 1) & 1]); // the last chunk's set
  return true;
}

/** Where inStream's calling thread spent a call (bench/conv-threads.ts turns it on): ms, and shares it ran. */
export interface StreamTrace { calls: number; copyIn: number; copyOut: number; compute: number; wait: number; mine: number; shares: number }
let trace: StreamTrace | null = null;
/** Starts (or with null stops) accumulating inStream's timeline into t. */
export function traceStream(t: StreamTrace | null): void {
  trace = t;
}

/**
 * The ring of a ring or lane job over `views` (the operands, each [N, ...] and dense): floats per
 * image of each, the slot count (`chunks` of inChunks' chunks, at most MAX_RING and N) and each
 * operand's arena block; null where inChunks would run the batch as one chunk (the same batches as
 * before take the ring, so the rest keep their bits) or on one thread.
 */
function ringOf(s: Session, N: number, threads: number, views: View[], chunks: number): { per: number[]; ring: number; at: number[] } | null {
  if (threads <= 1 || !views.every((v) => v.shape[0] === N && dense(v))) return null;
  const per = views.map((v) => numel(v.shape) / N);
  const k = chunkImages(threads, per, 0);
  if (k >= N) return null;
  const ring = Math.min(MAX_RING, chunks * k, N);
  return { per, ring, at: views.map((v, i) => s.arena.allocLike(ring * per[i] * 4, v.data.byteOffset + v.offset * 4)) };
}

/** Copies image n of v (q floats an image) into its slot of the ring block at byte address at (or, out, back). */
function copySlot(s: Session, v: View, q: number, at: number, ring: number, n: number, out = false): void {
  const d = v.data as Float32Array | Int32Array, slot = at / 4 + (n % ring) * q, heap = s.arena.heapFor(d);
  if (out) d.set(heap.subarray(slot, slot + q), v.offset + n * q);
  else heap.set(d.subarray(v.offset + n * q, v.offset + (n + 1) * q), slot);
}

/** A timer that adds the time since its last call to the trace's `key` (nothing without a trace). */
function lapper(t: StreamTrace | null): (key: "copyIn" | "copyOut" | "compute" | "wait") => void {
  let stamp = t ? performance.now() : 0;
  return (key) => {
    if (!t) return;
    const now = performance.now();
    t[key] += now - stamp;
    stamp = now;
  };
}

/**
 * How many images inStream keeps ahead of the threads' claims: enough that a helper finishing a share
 * finds the next one staged while the calling thread runs a share of its own (one image each).
 */
const LEAD = 2;

/**
 * On 2+ threads, the batch of N images as one ring job (Pool.startRing) of one share per image
 * instead of a job per chunk: `task` runs with the arguments args(ring, inAt, outAt) over arena
 * blocks of `ring` images (inChunks' two chunk sets' worth), and the calling thread stages image
 * after image into its slot, copies finished images out, and in between takes images itself from the
 * same counter as the helpers. So no thread waits at a chunk's end for the other or for the copies,
 * and the first chunk's staging and the last one's copy out shrink to one image each. Taken where
 * inChunks would overlap (the same batches: k < N), for tasks whose share i of `ring` computes image
 * i alone (conv2dTask, conv2dBackwardInputTask: scratch per thread, weights packed by id), so the
 * bits are those of any other split. With `lanes` (the weight gradient, whose images add into one sum
 * per lane and which has no outputs), image i starts only after image i - lanes is done, so lane
 * i mod lanes sums its images in order whoever runs them (conv2dBackwardWeightLaneTask): the bits of
 * the call over the whole batch on `lanes` threads, and the threads still share the images evenly,
 * the calling thread's copies included. false (nothing done) where inChunks declines or no helper
 * can take part; the caller then runs inChunks.
 */
export function inStream(
  s: Session, N: number, threads: number, ins: View[], outs: View[], task: number,
  args: (ring: number, inAt: number[], outAt: number[]) => number[], lanes = 0,
): boolean {
  const r = ringOf(s, N, threads, [...ins, ...outs], 2);
  if (!r) return false;
  const { per, ring, at } = r, pool = s.pool;
  if (!pool.startRing(task, N, args(ring, at.slice(0, ins.length), at.slice(ins.length)), threads, ring, lanes)) return false;
  const copyIn = (n: number): void => ins.forEach((v, i) => copySlot(s, v, per[i], at[i], ring, n));
  const copyOut = (n: number): void => outs.forEach((v, j) => copySlot(s, v, per[ins.length + j], at[ins.length + j], ring, n, true));
  const t = trace, lap = lapper(t);
  try {
    // cin images staged (and released), cout copied out; images in between are claimed or finished.
    let cin = 0, cout = 0;
    const stageNext = (): void => {
      copyIn(cin);
      pool.release(++cin);
      lap("copyIn");
    };
    while (cout < N) {
      const free = cin < N && cin - cout < ring;
      if (free && cin - pool.taken() < LEAD) stageNext();
      else if (cout < cin && pool.finished(cout)) {
        copyOut(cout++);
        lap("copyOut");
      } else if (pool.runOne()) {
        if (t) t.mine++;
        lap("compute");
      } else if (free) stageNext();
      else {
        // Nothing to stage or run now: the oldest unfinished image (to copy out, or holding its slot) is a helper's.
        pool.waitFinished(cout);
        lap("wait");
      }
    }
  } finally {
    pool.joinRing();
  }
  if (t) {
    t.calls++;
    t.shares += N;
    lap("wait");
  }
  return true;
}

/**
 * A batch of tasks whose share i of k computes image i alone (conv2dTask, conv2dBackwardInputTask) on
 * 2+ threads: one ring job where inStream takes it, else chunks (overlapped on 2+ threads) of
 * `shares(k)` shares each. args(k, inAt, outAt) are the task's arguments over k staged images.
 * false where both decline (one chunk, or not dense): the caller runs the batch whole.
 */
export function perImageBatches(
  s: Session, N: number, threads: number, ins: View[], outs: View[], task: number,
  shares: (k: number) => number, args: (k: number, inAt: number[], outAt: number[]) => number[],
): boolean {
  return inStream(s, N, threads, ins, outs, task, args) ||
    inChunks(s, N, threads, ins, outs, 0, (k, _n0, inAt, outAt) => s.start(task, shares(k), args(k, inAt, outAt), threads), threads > 1);
}
