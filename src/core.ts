/**
 * The public Tensor API in one import: the Tensor class with every op method installed, creation
 * functions, ops, autograd and backend selection. Layers above (nn, optim, data, io, utils) import
 * from here and nothing lower, so importing any of them also installs the op methods.
 */
export { Tensor, type TensorLike, type NestedArray, type Storage } from "./tensor/tensor.js";
export { type DType, type TypedArray, promoteTypes, isFloating } from "./tensor/dtype.js";
export { Generator, defaultGenerator, manualSeed, type GeneratorState } from "./tensor/generator.js";
export {
  tensor, zeros, ones, full, zerosLike, onesLike, fullLike, arange, linspace, eye, rand, randn, randint, randperm, bernoulli,
  type CreateOptions, type RandomOptions,
} from "./tensor/creation.js";
export { noGrad, enableGrad, isGradEnabled, setGradEnabled, inferenceMode, isInferenceMode } from "./autograd/grad-mode.js";
export { backward, grad, type BackwardOptions, type BackwardCallOptions } from "./autograd/engine.js";
export { gradcheck, gradgradcheck, type GradcheckOptions, type GradgradcheckOptions } from "./autograd/gradcheck.js";
export type { Node, Saved, GradHook } from "./autograd/node.js";
export * as autograd from "./autograd/namespace.js";
export { backend, setBackend, getBackend, listBackends, registerBackend } from "./backend/index.js";
export { defineOp, apply, withOpTracer, type OpDef, type OpTracer } from "./ops/op.js";
export {
  contiguous, clone, to, detach, reshape, view, flatten, unflatten, permute, transpose, t, squeeze, unsqueeze, expand, sumTo,
  narrow, select, slice, split, unbind, chunk, cat, stack, flip, repeat, pad, type PadMode,
} from "./ops/shape.js";
export {
  neg, exp, log, log1p, expm1, sqrt, rsqrt, abs, sign, sin, cos, tanh, sigmoid, relu, erf, floor, ceil, round, reciprocal, square,
  logicalNot, gelu, leakyRelu, elu, clamp, add, sub, mul, div, pow, maximum, minimum, remainder, atan2, eq, ne, lt, le, gt, ge,
  logicalAnd, logicalOr, logicalXor, maskedFill, isfinite, isnan, clampMin, clampMax, trunc, floorDivide,
} from "./ops/elementwise.js";
export {
  tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, log2, log10, exp2, frac, erfc, erfinv, lgamma, digamma, sinc,
  deg2rad, rad2deg, isinf, isposinf, isneginf, signbit, fmod, hypot, logaddexp, xlogy, copysign, heaviside, lerp, nanToNum,
  isclose, allclose, equal, type NanToNumOptions, type CloseOptions,
} from "./ops/math.js";
export {
  sum, mean, var_ as variance, std, prod, amax, amin, argmax, argmin, max, min, norm, logsumexp, cumsum, softmax, logSoftmax,
  type ValuesIndices,
} from "./ops/reduce.js";
export { matmul, mm, bmm, dot, outer, linear } from "./ops/matmul.js";
export { softmaxCrossEntropy } from "./ops/loss.js";
export { gather, scatter, scatterAdd, indexSelect, indexAdd, oneHot, tril, triu } from "./ops/indexing.js";
export {
  get, set, where, indexPut, indexCopy, indexFill, maskedScatter, maskedSelect, nonzero, take, takeAlongDim, type Index,
} from "./ops/advanced-index.js";
export {
  sort, argsort, msort, topk, kthvalue, median, mode, unique, searchsorted, bucketize,
  type SortOptions, type UniqueOptions, type SearchsortedOptions,
} from "./ops/sort.js";
export {
  cumprod, cummax, cummin, logcumsumexp, any, all, nansum, nanmean, aminmax, countNonzero, bincount, histc,
} from "./ops/scan.js";
export type { ValuesIndicesTuple, MinMaxTuple } from "./ops/named-tuple.js";
export {
  diagonal, diagEmbed, diag, trace, mv, addmm, addbmm, baddbmm, addmv, addr, tensordot, kron, cross, cdist, type ScaleOptions,
} from "./ops/linalg.js";
export { einsum } from "./ops/einsum.js";
export * as linalg from "./ops/linalg-namespace.js";
export {
  movedim, movedim as moveaxis, swapaxes, swapaxes as swapdims, roll, rot90, tile, repeatInterleave, atleast1d, atleast2d, atleast3d,
  hstack, vstack, dstack, columnStack, tensorSplit, flipud, fliplr, broadcastTo, narrowCopy,
} from "./ops/shape-more.js";
export { conv2d, conv1d, convTranspose2d, type Conv2dOptions, type ConvTranspose2dOptions } from "./ops/conv.js";
export { maxPool2d, maxPool2dWithIndices, avgPool2d, adaptiveAvgPool2d, type Pool2dOptions } from "./ops/pool.js";
export { conv2dRelu, type FusedMaxPool2d } from "./ops/fused.js";
export { setNumThreads, getNumThreads, initWasmBackend } from "./backend/wasm/index.js";

import { registerWasmBackend } from "./backend/wasm/index.js";
import { setBackend as selectBackend } from "./backend/index.js";

// The fast float32 kernels are the default wherever WebAssembly SIMD validates; `setBackend("js")`
// switches to the reference kernels. A browser's main thread cannot compile the kernels
// synchronously: there, `await initWasmBackend()` and then `setBackend("wasm")`.
if (registerWasmBackend()) selectBackend("wasm");
