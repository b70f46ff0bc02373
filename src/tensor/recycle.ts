/**
 * A small pool of large array buffers that the library has proved dead, handed out again by
 * `allocate` instead of fresh memory.
 *
 * Why: a fresh multi-hundred-KB typed array comes from glibc's heap or from mmap, and on this kind
 * of machine its first write page-faults (0.4-1 ms of CPU for 800 KB, docs/performance.md), while
 * writing into memory that is already resident costs a memset. Tensor storage stays garbage-collected
 * (no `dispose()`): only the backward engine gives buffers back, and only gradients it made during
 * the same backward, consumed by a library rule, and never handed to anything else (no hook, no
 * `.grad`, no `retainGrad`, no custom Function, not returned by `grad()`), so no live tensor can see
 * a recycled buffer (see `run` in src/autograd/engine.ts, and test/recycle.test.ts).
 *
 * Bounded: at most MAX_PER_SIZE buffers of one byte length and MAX_BYTES in all, so the pool never
 * holds more than a few steps' worth of intermediate gradients.
 */

/** Buffers below this are not pooled: small arrays come from 64 KiB slabs (dtype.ts) or glibc's bins. */
export const RECYCLE_MIN_BYTES = 64 * 1024;
const MAX_PER_SIZE = 4;
const MAX_BYTES = 32 * 1024 * 1024;

const free = new Map<number, ArrayBuffer[]>();
let held = 0;
let stats = { recycled: 0, reused: 0 };

/**
 * Gives a dead array's memory back for reuse. The caller guarantees that nothing can reach the
 * array (or any other view of its buffer) any more. Arrays that do not own their whole buffer
 * (slab slots, subarrays), small ones, and shared or wasm memory are ignored.
 * @internal
 */
export function recycleArray(a: ArrayBufferView): void {
  const buf = a.buffer;
  const bytes = buf.byteLength;
  if (bytes < RECYCLE_MIN_BYTES || a.byteOffset !== 0 || a.byteLength !== bytes || !(buf instanceof ArrayBuffer)) return;
  if (held + bytes > MAX_BYTES) return;
  let list = free.get(bytes);
  if (list === undefined) free.set(bytes, (list = []));
  if (list.length >= MAX_PER_SIZE) return;
  list.push(buf);
  held += bytes;
  stats.recycled++;
}

/**
 * A pooled buffer of exactly `bytes` bytes, zero-filled (left as it was with `zero` false, for a
 * caller that writes every byte: allocateUninit), or undefined when none is pooled. @internal
 */
export function takeRecycled(bytes: number, zero = true): ArrayBuffer | undefined {
  const list = free.get(bytes);
  const buf = list?.pop();
  if (buf === undefined) return undefined;
  held -= bytes;
  stats.reused++;
  // allocate() promises zeros; a memset of resident memory costs far less than fresh pages.
  if (zero) new Uint8Array(buf).fill(0);
  return buf;
}

/** How many buffers were given back and reused, and how many bytes the pool holds now (for tests and benches). @internal */
export function recycleStats(): { recycled: number; reused: number; heldBytes: number } {
  return { ...stats, heldBytes: held };
}

/** Empties the pool and zeroes the counters (tests). @internal */
export function clearRecycled(): void {
  free.clear();
  held = 0;
  stats = { recycled: 0, reused: 0 };
}
