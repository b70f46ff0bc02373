/**
 * Keeps large tensor results off fresh pages in Node on Linux (glibc).
 *
 * Why: glibc serves a block above its mmap threshold (128 KiB at start) with fresh pages from the OS
 * and returns them when the block is freed, so each multi-MB result pays its page faults again
 * (about 10 us a 4 KiB page here: a conv forward's 6.4 MB output took 12-25 ms of CPU instead of
 * 5-7 ms, docs/performance.md "Fresh memory"). glibc raises the threshold to the size of an
 * mmap-served block when that block is freed (up to 32 MiB) and its trim threshold to twice that;
 * PyTorch gets there by itself because it frees each result at once, but deeptype's results are
 * freed only when V8 collects them, several at a time, so the threshold stays low for longer.
 * One unused ArrayBuffer just under 32 MiB, dropped at load, raises it at the next collection: its
 * pages are never touched, so it costs no memory. Later blocks up to 32 MiB then come from the heap
 * and are reused; freed memory up to 62 MiB stays with the process.
 *
 * Elsewhere (browsers, macOS, musl) the allocation is skipped. `DEEPTYPE_HEAP_WARMUP=0` turns it off;
 * glibc ignores it anyway when `MALLOC_MMAP_THRESHOLD_` is set (the threshold is then fixed).
 */

/** Bytes of the dropped buffer: below glibc's 32 MiB ceiling for a dynamic threshold with room for its header. */
export const WARMUP_BYTES = 32 * 1024 * 1024 - 64 * 1024;

interface NodeProcess {
  platform?: string;
  versions?: { node?: string };
  env?: Record<string, string | undefined>;
}

/** Whether this process is Node on Linux and the warm-up is not turned off. @internal */
export function wantsHeapWarmup(proc: NodeProcess | undefined): boolean {
  return proc?.versions?.node !== undefined && proc.platform === "linux" && proc.env?.DEEPTYPE_HEAP_WARMUP !== "0";
}

let done = false;

/** Allocates and drops the buffer once per process (a no-op after the first call or where unwanted). @internal */
export function warmHeapOnce(): boolean {
  if (done || !wantsHeapWarmup((globalThis as { process?: NodeProcess }).process)) return false;
  done = true;
  void new ArrayBuffer(WARMUP_BYTES);
  return true;
}
