/**
 * Child process of test/host-heap.test.ts (run with --expose-gc): loads the tensor layer (which runs
 * the heap warm-up unless DEEPTYPE_HEAP_WARMUP=0), then allocates, writes and drops four 8 MB arrays
 * a round, collecting after each round as V8 does between training steps, and prints the minor page
 * faults of the last rounds per round.
 */
import "../src/tensor/dtype.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("host-heap-child: run with --expose-gc");
const round = (): void => {
  for (let k = 0; k < 4; k++) new Float32Array(2 * 1024 * 1024).fill(1); // written, so its pages are touched
  gc();
};
gc();
for (let i = 0; i < 3; i++) round();
const before = process.resourceUsage().minorPageFault;
const rounds = 8;
for (let i = 0; i < rounds; i++) round();
console.log(JSON.stringify({ faultsPerRound: (process.resourceUsage().minorPageFault - before) / rounds }));
