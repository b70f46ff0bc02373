/**
 * The numbers the glue and the kernel module agree on: which export the thread pool runs (by
 * index), and the op codes the kernels' dispatching switches read (assembly/elementwise.ts,
 * assembly/convdirect.ts). Kept in one file so a new op code is added in one place on this side.
 */
import type { BinaryOp, ParamUnaryOp, ReduceOp, UnaryOp } from "../backend.js";

/** Kernel exports the pool can run, by index (Pool is built with this list). */
export const TASKS = [
  "matmulTask", "unaryTask", "binaryTask", "compareTask", "castTask", "whereTask", "reduceTask", "softmaxTask", "sgdTask", "adamTask",
  "conv2dTask", "conv2dBackwardInputTask", "conv2dBackwardWeightTask", "sumPartialsTask",
  "maxPoolTask", "maxPoolBackwardTask", "avgPoolTask", "avgPoolBackwardTask", "conv2dBackwardWeightLaneTask",
] as const;
/** A task's index in TASKS, by name: `pool.run(T.unaryTask, ...)`. */
export const T = Object.fromEntries(TASKS.map((n, i) => [n, i])) as Record<(typeof TASKS)[number], number>;

/** unaryTask's op codes (assembly/elementwise.ts); ops missing here run on the js backend. */
export const UNARY: Partial<Record<UnaryOp | ParamUnaryOp | "copy", number>> = {
  copy: 0, neg: 1, abs: 2, sqrt: 3, relu: 4, square: 5, reciprocal: 6, floor: 7, ceil: 8, round: 9,
  rsqrt: 10, exp: 11, log: 12, log1p: 13, expm1: 14, sin: 15, cos: 16, tanh: 17, sigmoid: 18, sign: 19,
  leakyRelu: 20, elu: 21, clamp: 22, powScalar: 23,
};
/** binaryTask's op codes. */
export const BINARY: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, pow: 6, reluBackward: 7 };
/** compareTask's op codes (float32 operands, a bool result). */
export const COMPARE: Partial<Record<BinaryOp, number>> = { eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5 };
/** reduceTask's op codes. */
export const REDUCE: Record<ReduceOp, number> = { sum: 0, prod: 1, max: 2, min: 3 };
/** Conversions castTask does: "source dtype>target dtype" -> kind. */
export const CASTS: Record<string, number> = { "bool>float32": 0, "int32>float32": 1, "float32>bool": 2 };

/** conv2dTask's epilogues (assembly/convdirect.ts): ReLU, or ReLU then a 2×2 stride-2 max-pool. */
export const EPI_RELU = 1, EPI_RELU_POOL = 2;
/** conv2dBackwardWeightTask's phase bits (assembly/conv.ts): the first chunk zeroes the sums, the last finishes them. */
export const GRAD_FIRST = 1, GRAD_LAST = 2;
