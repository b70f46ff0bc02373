/**
 * Below these sizes a kernel stays on the calling thread: a second thread would cost more than it
 * saves. Measured 1 vs 2 threads, wall clock, the process given the two cores (bench/threads.ts;
 * docs/performance-history.md, "Pooling and threads"). A session compares its main kernel's work against one
 * of these once, when it starts (Session.begin), and every kernel of the session that is worth
 * splitting uses that thread count.
 */
import { UNARY } from "./codes.js";

/**
 * Kernels that only move memory never gain: a second core reads what the calling thread staged and
 * writes what it copies back out, and since a session on one thread runs on the plain memory (begin),
 * its copies are also 3-4x faster than the shared memory's. add, relu, sum, SGD and Adam lost
 * 1.0-1.9x at every size tried (64 Ki-4 Mi elements). So such kernels always run on one thread.
 */
export const PAR_MEMORY = Infinity;
/** Elementwise work with arithmetic per element (tanh, exp, pow, softmax): 2 threads 0.79-0.96x. */
export const PAR_ELEMENTS = 1 << 16;
/**
 * Multiply-adds: matmul lost up to 1.2x at 4-34 M (MLP-sized: [64,784]·[784,256] is 26 M) and
 * gained from 134 M (0.73-0.88x; 1024³ 0.54x). Convolutions compute more per byte staged: at 58 M
 * (the MNIST CNN's second on a batch of 64) forward, input and weight gradients ran 0.68-0.74x
 * (runs at other minutes: 0.86-1.11x for the forward), at 231 M 0.66-0.80x, at 7 M (its first) 0.96-1.08x.
 */
export const PAR_FLOPS = 1 << 26, PAR_CONV = 1 << 25;

// Unary ops of a few SIMD instructions per element, which only move memory (the others compute
// transcendentals in f64).
const CHEAP_UNARY = new Set(["copy", "neg", "abs", "sqrt", "relu", "square", "reciprocal", "floor", "ceil", "round", "sign", "leakyRelu", "clamp"]
  .map((name) => UNARY[name as keyof typeof UNARY]!));
/** The threading threshold of unaryTask's op code `op`. */
export const unaryLimit = (op: number): number => (CHEAP_UNARY.has(op) ? PAR_MEMORY : PAR_ELEMENTS);

/**
 * Pooling splits over threads only where a second thread was measured to pay (docs/performance-history.md,
 * "Pooling and threads": 1 vs 2 threads, wall clock, the process given the two cores): the 2×2
 * stride-2 windows and every max-pool backward only move memory, and a second core reading what the
 * first staged and writing what it copies back out was 1.0-1.9x slower at every size up to 25 MB;
 * other windows compute more per byte and gain from about a millisecond of kernel, counted in window
 * elements (outputs × kH × kW): max forward and average backward from 1 Mi, average forward (f64
 * sums over SIMD loads, nearer the memory bound) from 4 Mi.
 */
export const PAR_POOL_MAX = 1 << 20, PAR_POOL_AVG = 1 << 22, PAR_POOL_AVG_BACK = 1 << 20;

/** Shares per thread of a threaded pooling job (runPool in pooling.ts). */
export const POOL_SHARES = 4;

/** Up to this many elements, add/sub/mul/div (and a few unary ops) run in JavaScript without touching the arena. */
export const SMALL_ELEMENTS = 1024;
