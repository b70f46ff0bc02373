/**
 * Child process of test/host-heap.test.ts (run with --expose-gc --single-threaded-gc, so that a
 * collection frees dropped buffers itself): loads the tensor layer, which runs the heap warm-up
 * unless DEEPTYPE_HEAP_WARMUP=0, lets V8 free what it dropped, then makes a 12 MiB
 * tensor and prints whether glibc served its storage with a mapping of its own (fresh pages from the
 * OS, returned on free: the page faults the warm-up avoids) rather than from the heap.
 */
import { readFileSync } from "node:fs";
import { zeros } from "../src/core.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("host-heap-child: run with --expose-gc");
const BYTES = 12 * 1024 * 1024;

/** Bytes of this process's anonymous mappings (no file, not [heap]/[stack]): where mmap-served blocks go. */
function anonymousBytes(): number {
  return readFileSync("/proc/self/maps", "utf8").trim().split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length === 5) // start-end perms offset dev inode, and no path
    .reduce((sum, f) => { const [a, b] = f[0].split("-").map((h) => parseInt(h, 16)); return sum + b - a; }, 0);
}

gc();
// Dropped buffers may be freed after the collection returns: give it time, and collect once more.
setTimeout(() => {
  gc();
  const before = anonymousBytes();
  const t = zeros([BYTES / 4]);
  console.log(JSON.stringify({ ownMapping: anonymousBytes() - before >= BYTES, elements: t.numel() }));
}, 300);
