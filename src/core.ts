/**
 * The public Tensor API in one import: the Tensor class with every op method installed, creation
 * functions, ops, autograd and backend selection. Layers above (nn, optim, data, io, utils) import
 * from here and nothing lower, so importing any of them also installs the op methods.
 */
import { guardAll } from "./tensor/check.js";
import type { NoDimForm } from "./tensor/options-form.js";
import * as creationOps from "./tensor/creation.js";
import * as shapeOps from "./ops/shape.js";
import * as joinOps from "./ops/join.js";
import * as elementwiseOps from "./ops/elementwise.js";
import * as mathOps from "./ops/math.js";
import * as reduceOps from "./ops/reduce.js";
import * as matmulOps from "./ops/matmul.js";
import * as lossOps from "./ops/loss.js";
import * as indexingOps from "./ops/indexing.js";
import * as advancedIndexOps from "./ops/advanced-index.js";
import * as sortOps from "./ops/sort.js";
import * as scanOps from "./ops/scan.js";
import * as linalgOps from "./ops/linalg.js";
import * as einsumOps from "./ops/einsum.js";
import * as linalgNamespaceOps from "./ops/linalg-namespace.js";
import * as linalgTopLevel from "./ops/linalg-top.js";
import * as shapeMoreOps from "./ops/shape-more.js";
import * as convOps from "./ops/conv.js";
import * as poolOps from "./ops/pool.js";
import * as fusedOps from "./ops/fused.js";
import * as randomOps from "./ops/random.js";
import * as integrateOps from "./ops/integrate.js";
import * as quantileOps from "./ops/quantile.js";

import type { ShapeOptionalArgs } from "./ops/shape.js";
import type { JoinOptionalArgs } from "./ops/join.js";
import type { ElementwiseOptionalArgs } from "./ops/elementwise.js";
import type { ReduceOptionalArgs } from "./ops/reduce.js";
import type { MatmulOptionalArgs } from "./ops/matmul.js";
import type { IndexingOptionalArgs } from "./ops/indexing.js";
import type { ScanOptionalArgs } from "./ops/scan.js";
import type { LinalgOptionalArgs } from "./ops/linalg.js";
import type { AdvancedIndexOptionalArgs } from "./ops/advanced-index.js";
import type { LinalgNamespaceOptionalArgs } from "./ops/linalg-namespace.js";
import type { DecompOptionalArgs } from "./ops/linalg-decomp.js";
import type { EigOptionalArgs } from "./ops/linalg-eig.js";
import type { HouseholderOptionalArgs } from "./ops/linalg-householder.js";
import type { LegacyOptionalArgs } from "./ops/linalg-legacy.js";
import type { ShapeMoreOptionalArgs } from "./ops/shape-more.js";
import type { SortOptionalArgs } from "./ops/sort.js";
import type { ConvOptionalArgs } from "./ops/conv.js";
import type { MathOptionalArgs } from "./ops/math.js";
import type { CreationOptionalArgs } from "./tensor/creation.js";
import type { RandomOptionalArgs } from "./ops/random.js";
import type { QuantileOptionalArgs } from "./ops/quantile.js";

/**
 * The optional parameters of the ops that also come as one options object (API.md rule 3), as
 * their files declare them: the type nn.functional adds its own to.
 */
export type OpsOptionalArgs = ShapeOptionalArgs & JoinOptionalArgs & ElementwiseOptionalArgs & ReduceOptionalArgs & MatmulOptionalArgs & IndexingOptionalArgs &
  ScanOptionalArgs & LinalgOptionalArgs & AdvancedIndexOptionalArgs & ShapeMoreOptionalArgs & SortOptionalArgs & ConvOptionalArgs & MathOptionalArgs &
  QuantileOptionalArgs;

export { Tensor, type TensorLike, type NestedArray, type Storage } from "./tensor/tensor.js";
export { type DType, type TypedArray, promoteTypes, isFloating } from "./tensor/dtype.js";
export { Generator, defaultGenerator, manualSeed, type GeneratorState } from "./tensor/generator.js";
export { type CreateOptions, type RandomOptions } from "./tensor/creation.js";
export const {
  tensor, zeros, ones, full, zerosLike, onesLike, fullLike, arange, linspace, logspace, eye, rand, randn, randint, randperm,
} = guardAll<typeof creationOps, CreationOptionalArgs>(creationOps, "", ["tensor", "zeros", "ones", "full", "arange", "linspace", "logspace", "eye", "rand", "randn", "randint", "randperm"]);
export { noGrad, enableGrad, isGradEnabled, setGradEnabled, inferenceMode, isInferenceMode } from "./autograd/grad-mode.js";
export { type BackwardOptions, type BackwardCallOptions } from "./autograd/engine.js";
export { type GradcheckOptions, type GradgradcheckOptions } from "./autograd/gradcheck.js";
// Guarded once, in the autograd namespace: autograd.grad and the top-level grad are one function.
export { backward, grad, gradcheck, gradgradcheck } from "./autograd/namespace.js";
export type { Node, Saved, GradHook } from "./autograd/node.js";
export * as autograd from "./autograd/namespace.js";
export { backend, setBackend, getBackend, listBackends, registerBackend } from "./backend/index.js";
export { defineOp, apply, withOpTracer, refuseInferenceSaved, type OpDef, type OpTracer } from "./ops/op.js";
// The ops are exported through the public entry layer (guardAll, src/tensor/guard.ts): a non-tensor
// input or a wrong argument JavaScript itself would trip over is an Error naming the op, what it got
// and what it takes. The functions whose first argument is not a tensor are listed with their module.
export { type PadMode } from "./ops/join.js";
export const {
  contiguous, clone, to, detach, reshape, view, flatten, unflatten, permute, transpose, t, squeeze, unsqueeze, expand,
  sumTo, narrow, select, slice, split, unbind, chunk,
} = guardAll<typeof shapeOps, ShapeOptionalArgs>(shapeOps, "");
export const { cat, stack, flip, repeat, pad } = guardAll<typeof joinOps, JoinOptionalArgs>(joinOps, "", ["cat", "stack"]);
export const {
  neg, exp, log, log1p, expm1, sqrt, rsqrt, abs, sign, sin, cos, tanh, sigmoid, relu, erf, floor, ceil, round,
  reciprocal, square, logicalNot, gelu, leakyRelu, elu, clamp, clip, add, sub, mul, div, pow, maximum, minimum, remainder,
  atan2, eq, ne, lt, le, gt, ge, logicalAnd, logicalOr, logicalXor, maskedFill, isfinite, isnan, clampMin, clampMax,
  trunc, floorDivide, addcmul, addcdiv,
} = guardAll<typeof elementwiseOps, ElementwiseOptionalArgs>(elementwiseOps, "");
export { type NanToNumOptions, type CloseOptions, type DiffOptions } from "./ops/math.js";
export const {
  tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, log2, log10, exp2, frac, erfc, erfinv, lgamma, digamma, sinc,
  deg2rad, rad2deg, isinf, isposinf, isneginf, signbit, fmod, hypot, logaddexp, xlogy, copysign, heaviside, lerp,
  nanToNum, isclose, allclose, equal, diff,
} = guardAll<typeof mathOps, MathOptionalArgs>(mathOps, "");
export { type ValuesIndices } from "./ops/reduce.js";
const reduceGuarded = guardAll<typeof reduceOps, ReduceOptionalArgs>(reduceOps, "");
export const {
  sum, mean, var_: variance, std, prod, amax, amin, argmax, argmin, norm, logsumexp, cumsum, softmax,
  logSoftmax,
} = reduceGuarded;
export const max: NoDimForm<typeof reduceGuarded.max> = reduceGuarded.max;
export const min: NoDimForm<typeof reduceGuarded.min> = reduceGuarded.min;
export const {
  matmul, mm, bmm, dot, outer, linear, linearRelu,
} = guardAll<typeof matmulOps, MatmulOptionalArgs>(matmulOps, "");
export const {
  softmaxCrossEntropy,
} = guardAll(lossOps, "");
export const {
  gather, scatter, scatterAdd, indexSelect, indexAdd, oneHot, tril, triu,
} = guardAll<typeof indexingOps, IndexingOptionalArgs>(indexingOps, "");
export { type Index } from "./ops/advanced-index.js";
export const {
  get, set, where, indexPut, indexCopy, indexFill, maskedScatter, maskedSelect, nonzero, take, takeAlongDim,
} = guardAll<typeof advancedIndexOps, AdvancedIndexOptionalArgs>(advancedIndexOps, "");
export { type SortOptions, type UniqueOptions, type SearchsortedOptions } from "./ops/sort.js";
const sortGuarded = guardAll<typeof sortOps, SortOptionalArgs>(sortOps, "");
export const {
  sort, argsort, msort, topk, kthvalue, mode, unique, searchsorted, bucketize,
} = sortGuarded;
export const median: NoDimForm<typeof sortGuarded.median> = sortGuarded.median;
export const {
  cumprod, cummax, cummin, logcumsumexp, any, all, nansum, nanmean, aminmax, countNonzero, bincount, histc,
} = guardAll<typeof scanOps, ScanOptionalArgs>(scanOps, "");
export type { ValuesIndicesTuple, MinMaxTuple } from "./ops/named-tuple.js";
export { type ScaleOptions } from "./ops/linalg.js";
export const {
  diagonal, diagEmbed, diag, trace, mv, addmm, addbmm, baddbmm, addmv, addr, tensordot, kron, cross, cdist,
} = guardAll<typeof linalgOps, LinalgOptionalArgs>(linalgOps, "");
export const {
  einsum,
} = guardAll(einsumOps, "", ["einsum"]);
export const linalg = guardAll<typeof linalgNamespaceOps, LinalgNamespaceOptionalArgs>(linalgNamespaceOps, "linalg", ["multiDot"]);
export { type SolveOptions, type SlogdetTuple } from "./ops/linalg-solve.js";
export { type CholeskyOptions, type QrTuple } from "./ops/linalg-decomp.js";
export { type LstsqOptions, type LstsqTuple } from "./ops/linalg-lstsq.js";
export { type SolveTriangularOptions } from "./ops/linalg-extra.js";
export { type LuTuple, type LuFactorTuple, type LuFactorExTuple } from "./ops/linalg-lu-ops.js";
export { type CheckErrorsOptions, type InvExTuple, type SolveExTuple } from "./ops/linalg-solve.js";
export { type CholeskyExTuple } from "./ops/linalg-decomp.js";
export { type GeqrfTuple } from "./ops/linalg-householder.js";
export { type LdlOptions, type LdlFactorTuple, type LdlFactorExTuple } from "./ops/linalg-ldl.js";
export { type TriangularSolveTuple } from "./ops/linalg-legacy.js";
export { type EighOptions, type EighTuple, type SvdTuple, type SvdVTuple, type SvdOptions, type RankOptions } from "./ops/linalg-eig.js";
// PyTorch's top-level names for linalg functions (torch.det, torch.inverse, ...).
export const {
  det, logdet, slogdet, inverse, matrixPower, cholesky, qr, svd, pinverse, matrixExp, luUnpack, geqrf, ormqr, orgqr,
  choleskySolve, choleskyInverse, triangularSolve, lu, luSolve,
} = guardAll<typeof linalgTopLevel, DecompOptionalArgs & EigOptionalArgs & HouseholderOptionalArgs & LegacyOptionalArgs>(linalgTopLevel, "");
export const {
  movedim, movedim: moveaxis, swapaxes, swapaxes: swapdims, roll, rot90, tile, repeatInterleave, atleast1d, atleast2d,
  atleast3d, hstack, vstack, dstack, columnStack, tensorSplit, flipud, fliplr, broadcastTo, narrowCopy,
} = guardAll<typeof shapeMoreOps, ShapeMoreOptionalArgs>(shapeMoreOps, "", ["hstack", "vstack", "dstack", "columnStack", "atleast1d", "atleast2d", "atleast3d"]);
export { type Conv2dOptions, type ConvTranspose2dOptions } from "./ops/conv.js";
export const {
  conv2d, conv1d, convTranspose2d,
} = guardAll<typeof convOps, ConvOptionalArgs>(convOps, "");
export { type Pool2dOptions } from "./ops/pool.js";
export const {
  maxPool2d, maxPool2dWithIndices, avgPool2d, adaptiveAvgPool2d,
} = guardAll(poolOps, "");
export { type FusedMaxPool2d } from "./ops/fused.js";
export const {
  conv2dRelu,
} = guardAll(fusedOps, "");
export { type NormalOptions, type MultinomialOptions } from "./ops/random.js";
export const {
  normal, multinomial, poisson, bernoulli,
} = guardAll<typeof randomOps, RandomOptionalArgs>(randomOps, "");
export { type TrapezoidOptions } from "./ops/integrate.js";
export const {
  trapezoid, trapz, cumulativeTrapezoid,
} = guardAll(integrateOps, "");
export { type QuantileOptions, type QuantileInterpolation } from "./ops/quantile.js";
const quantileGuarded = guardAll<typeof quantileOps, QuantileOptionalArgs>(quantileOps, "");
export const { quantile, nanquantile } = quantileGuarded;
export const nanmedian: NoDimForm<typeof quantileGuarded.nanmedian> = quantileGuarded.nanmedian;
export { setNumThreads, getNumThreads, initWasmBackend } from "./backend/wasm/index.js";

import { registerWasmBackend } from "./backend/wasm/index.js";
import { setBackend as selectBackend } from "./backend/index.js";

// The fast float32 kernels are the default wherever WebAssembly SIMD validates; `setBackend("js")`
// switches to the reference kernels. A browser's main thread cannot compile the kernels
// synchronously: there, `await initWasmBackend()` and then `setBackend("wasm")`.
if (registerWasmBackend()) selectBackend("wasm");
