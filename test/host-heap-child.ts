/**
 * Child process of test/host-heap.test.ts (run with --expose-gc --single-threaded-gc, so that a
 * collection frees dropped buffers itself): loads the tensor layer, which runs the heap warm-up
 * unless DEEPTYPE_HEAP_WARMUP=0, lets V8 free what it dropped, then makes five 12 MiB tensors and
 * prints how much the heap ([heap], grown with brk: memory glibc keeps and reuses) and the anonymous
 * mappings (where glibc puts blocks it serves with mappings of their own, fresh pages it unmaps on
 * free: the page faults the warm-up avoids) grew. Five, so that a thread stack or two that another
 * thread maps meanwhile (8 MiB each) cannot pass for them.
 */
import { readFileSync } from "node:fs";
import { zeros } from "../src/core.js";
import { WARMUP_BYTES } from "../src/tensor/host-heap.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("host-heap-child: run with --expose-gc");
const BYTES = 12 * 1024 * 1024, COUNT = 5;

/** Bytes mapped as [heap], and as anonymous mappings (no file, not [heap]/[stack]). */
function mapped(): { heap: number; anonymous: number } {
  const out = { heap: 0, anonymous: 0 };
  for (const f of readFileSync("/proc/self/maps", "utf8").trim().split("\n").map((line) => line.trim().split(/\s+/))) {
    const [a, b] = f[0].split("-").map((h) => parseInt(h, 16));
    if (f[5] === "[heap]") out.heap += b - a;
    else if (f.length === 5) out.anonymous += b - a; // start-end perms offset dev inode, and no path
  }
  return out;
}

/** Whether the warm-up's buffer is still mapped: glibc serves it as one mapping of its size plus a page. */
function warmupMapped(): boolean {
  return readFileSync("/proc/self/maps", "utf8").split("\n").some((line) => {
    const f = line.trim().split(/\s+/);
    if (f.length !== 5) return false;
    const [a, b] = f[0].split("-").map((h) => parseInt(h, 16));
    return b - a === WARMUP_BYTES + 4096;
  });
}

// V8 may free a dropped buffer after the collection returns (more so on a busy machine): collect
// until the warm-up's mapping is gone (at once without the warm-up), then measure. Bounded, so that a
// V8 that never frees it ends the test with that said rather than hanging.
let polls = 0;
const measure = (): void => {
  gc();
  if (warmupMapped() && ++polls < 500) {
    setTimeout(measure, 20);
    return;
  }
  const before = mapped();
  const kept = Array.from({ length: COUNT }, () => zeros([BYTES / 4]));
  const after = mapped();
  console.log(JSON.stringify({ heapMiB: (after.heap - before.heap) / 2 ** 20, anonymousMiB: (after.anonymous - before.anonymous) / 2 ** 20, tensors: kept.length, warmupFreed: !warmupMapped() }));
};
measure();
