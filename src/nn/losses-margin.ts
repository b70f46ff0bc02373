/**
 * Margin and embedding losses, PyTorch 1.13's: `huberLoss`, `marginRankingLoss`,
 * `hingeEmbeddingLoss`, `multiMarginLoss`, `multilabelMarginLoss`, `multilabelSoftMarginLoss`,
 * `softMarginLoss`, `tripletMarginLoss`, `tripletMarginWithDistanceLoss`, `cosineEmbeddingLoss`, as
 * functions and as modules.
 *
 * Each is a composition of Tensor ops, so gradients (higher orders too) come from autograd. At a
 * hinge's kink PyTorch's kernels differ: the ones written with `clamp_min` pass the gradient at 0
 * (`clampMin` here), the hand-written ones (multi-margin, multilabel-margin) test `z > 0` (`relu`);
 * each loss below uses the one its PyTorch kernel does, and the fixtures hold kink cases.
 */
import { checkTensor, describe, checkKeys } from "../tensor/check.js";
import { Tensor, where, isFloating, minimum } from "../core.js";
import { Module, fmtShape, type AnyModule } from "./module.js";
import { logsigmoid } from "./functional/activations.js";
import { pairwiseDistance } from "./functional/normalization.js";
import { PairwiseDistance } from "./layers/norm-more.js";
import { viaFloat32 } from "../ops/half-compute.js";
import { type Reduction, type LossOptions, reduce, sameShapeOrThrow, asFloat, promotePair, readLossOptions, Loss } from "./losses.js";

/** The option keys of each class here: anything else is a misspelling. */
const HUBER_LOSS_KEYS = ["delta", "reduction"] as const;
const MARGIN_RANKING_LOSS_KEYS = ["margin", "reduction"] as const;
const HINGE_EMBEDDING_LOSS_KEYS = ["margin", "reduction"] as const;
const MULTI_MARGIN_LOSS_KEYS = ["p", "margin", "weight", "reduction"] as const;
const MULTILABEL_MARGIN_LOSS_KEYS = ["reduction"] as const;
const MULTILABEL_SOFT_MARGIN_LOSS_KEYS = ["weight", "reduction"] as const;
const SOFT_MARGIN_LOSS_KEYS = ["reduction"] as const;
const TRIPLET_MARGIN_LOSS_KEYS = ["margin", "p", "eps", "swap", "reduction"] as const;
const COSINE_EMBEDDING_LOSS_KEYS = ["margin", "reduction"] as const;
const TRIPLET_MARGIN_WITH_DISTANCE_LOSS_KEYS = ["distanceFunction", "margin", "swap", "reduction"] as const;

function checkFloatInput(op: string, arg: string, x: Tensor): void {
  checkTensor(op, arg, x);
  if (!isFloating(x.dtype)) throw new Error(`${op}: ${arg} must be floating point, got ${x.dtype} (convert it with .float())`);
}

/** Throws naming `op` unless `b` broadcasts against `a` (PyTorch's rule: trailing dims equal or 1). */
export function checkBroadcast(op: string, a: Tensor, name: string, b: Tensor): void {
  const n = Math.max(a.ndim, b.ndim);
  for (let i = 1; i <= n; i++) {
    const x = a.shape[a.ndim - i] ?? 1;
    const y = b.shape[b.ndim - i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new Error(`${op}: ${name} ${fmtShape(b.shape)} does not broadcast against input ${fmtShape(a.shape)}; give it the input's shape`);
    }
  }
}

function checkPositive(op: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v)) throw new Error(`${op}: ${name} must be a finite number > 0, got ${describe(v)}`);
  return v;
}

function checkFinite(op: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${op}: ${name} must be a finite number, got ${describe(v)}`);
  return v;
}

/** Options of `huberLoss`/`HuberLoss`, e.g. `{ delta: 0.5 }`. */
export interface HuberLossOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (default 1; > 0). */
  delta?: number;
}

/**
 * `huberLoss(pred, y, { delta: 1 })`: 0.5·d² where |d| < delta, delta·(|d| − 0.5·delta) elsewhere
 * (d = pred − y). Shape: input and target the same shape; output [] or, with "none", that shape.
 */
export function huberLoss(input: Tensor, target: Tensor, opts?: HuberLossOptions): Tensor {
  const op = "huberLoss";
  const { reduction = "mean", delta = 1 } = readLossOptions(op, opts, ["delta"]);
  sameShapeOrThrow(input, target, op);
  checkPositive(op, "delta", delta);
  const d = input.sub(asFloat(target, input));
  const z = d.abs();
  const loss = where(z.lt(delta), d.square().mul(0.5), z.sub(0.5 * delta).mul(delta));
  return reduce(loss, reduction, op);
}

/** Options of `marginRankingLoss`/`MarginRankingLoss`, e.g. `{ margin: 0.5 }`. */
export interface MarginRankingLossOptions extends LossOptions {
  /** Required gap between the ranked scores (default 0). */
  margin?: number;
}

/**
 * `marginRankingLoss(x1, x2, y, { margin })`: max(0, −y·(x1 − x2) + margin), with y = 1 where x1
 * should rank higher and −1 where x2 should. The three tensors have the same number of dimensions
 * and broadcast (as PyTorch). Shape: [N] (or []) each; output [] or, with "none", the broadcast shape.
 */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, opts?: MarginRankingLossOptions): Tensor {
  const op = "marginRankingLoss";
  const { reduction = "mean", margin = 0 } = readLossOptions(op, opts, ["margin"]);
  checkFloatInput(op, "input1", input1);
  checkFloatInput(op, "input2", input2);
  checkTensor(op, "target", target);
  checkFinite(op, "margin", margin);
  if (input1.ndim !== input2.ndim || input1.ndim !== target.ndim) {
    throw new Error(`${op}: input1 ${fmtShape(input1.shape)}, input2 ${fmtShape(input2.shape)} and target ${fmtShape(target.shape)} must have the same number of dimensions (as PyTorch requires); reshape them, e.g. target.reshape(${fmtShape(input1.shape)})`);
  }
  const loss = target.neg().mul(input1.sub(input2)).add(margin).clampMin(0);
  return reduce(loss, reduction, op);
}

/** Options of `hingeEmbeddingLoss`/`HingeEmbeddingLoss`, e.g. `{ margin: 2 }`. */
export interface HingeEmbeddingLossOptions extends LossOptions {
  /** Distances of dissimilar pairs are pushed above this (default 1). */
  margin?: number;
}

/**
 * `hingeEmbeddingLoss(d, y, { margin })`: d where y = 1, max(0, margin − d) where y = −1 (for the
 * distance d of a pair that is similar, y = 1, or dissimilar, y = −1). As PyTorch, a target that is
 * neither counts both terms, and the target broadcasts against the input.
 * Shape: input [*], target broadcastable to it; output [] or, with "none", the broadcast shape.
 */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, opts?: HingeEmbeddingLossOptions): Tensor {
  const op = "hingeEmbeddingLoss";
  const { reduction = "mean", margin = 1 } = readLossOptions(op, opts, ["margin"]);
  checkFloatInput(op, "input", input);
  checkTensor(op, "target", target);
  checkBroadcast(op, input, "target", target);
  checkFinite(op, "margin", margin);
  const marginTerm = where(target.ne(1), input.neg().add(margin).clampMin(0), 0);
  const selfTerm = where(target.ne(-1), input, 0);
  return reduce(marginTerm.add(selfTerm), reduction, op);
}

/** Options of `multiMarginLoss`/`MultiMarginLoss`, e.g. `{ p: 2, margin: 0.5 }`. */
export interface MultiMarginLossOptions extends LossOptions {
  /** 1 (hinge, default) or 2 (squared hinge). */
  p?: 1 | 2;
  /** Required gap between the target's score and every other (default 1). */
  margin?: number;
  /** Per-class weights [C], applied by each sample's target class. */
  weight?: Tensor | null;
}

/** Class-index targets: integer tensors whose values lie in [lo, C). */
function checkIndices(op: string, target: Tensor, lo: number, C: number, what: string): void {
  if (isFloating(target.dtype) || target.dtype === "bool") {
    throw new Error(`${op}: target holds class indices and must be int64 (or another integer dtype), got ${target.dtype} (use target.long())`);
  }
  const ids = target.numbers();
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] < lo || ids[i] >= C) throw new RangeError(`${op}: target value ${ids[i]} is out of range for ${C} classes (valid: ${what})`);
  }
}

/**
 * `multiMarginLoss(scores, labels)`: the multi-class hinge loss, per sample
 * Σ_{i≠y} w_y·max(0, margin − x_y + x_i)^p / C.
 * Shape: input [N, C] with int64 target [N], or [C] with a 0-d (or [1]) target; output [] or, with
 * "none", [N] (the target's shape for one sample).
 */
export function multiMarginLoss(input: Tensor, target: Tensor, opts?: MultiMarginLossOptions): Tensor {
  const op = "multiMarginLoss";
  const { reduction = "mean", p = 1, margin = 1, weight = null } = readLossOptions(op, opts, ["p", "margin", "weight"]);
  checkFloatInput(op, "input", input);
  checkTensor(op, "target", target);
  if (p !== 1 && p !== 2) throw new Error(`${op}: p must be 1 or 2 (as in PyTorch), got ${describe(p)}`);
  checkFinite(op, "margin", margin);
  if (input.ndim > 2) throw new Error(`${op}: input must be [N, C] or [C], got ${fmtShape(input.shape)}`);
  // As PyTorch, a 0-d input is one sample of one class.
  const x = input.ndim === 2 ? input : input.reshape([1, -1]);
  const [N, C] = x.shape;
  const fits = input.ndim <= 1 ? target.numel() === 1 && target.ndim <= 1 : target.ndim === 1 && target.shape[0] === N;
  if (!fits) {
    throw new Error(`${op}: target ${fmtShape(target.shape)} does not fit input ${fmtShape(input.shape)}: expected one int64 class index per sample, shape ${input.ndim === 1 ? "[] or [1]" : `[${N}]`}`);
  }
  if (C === 0) throw new Error(`${op}: input has no classes (shape ${fmtShape(input.shape)})`);
  checkIndices(op, target, 0, C, `0..${C - 1}`);
  if (weight !== null) {
    checkTensor(op, "weight", weight);
    if (weight.ndim !== 1 || weight.shape[0] !== C) throw new Error(`${op}: weight must have one entry per class, shape [${C}], got ${fmtShape(weight.shape)}`);
  }
  const t = target.reshape([N, 1]);
  const xy = x.gather(1, t);
  // PyTorch's kernel adds a term only where z > 0, so the gradient at z = 0 is 0: relu.
  let h = xy.neg().add(margin).add(x).relu();
  if (p === 2) h = h.square();
  if (weight !== null) h = h.mul(asFloat(weight, x).gather(0, t.reshape([N])).reshape([N, 1]));
  const own = t.eq(arangeRow(C));
  const perSample = where(own, 0, h).sum(1).div(C);
  const loss = input.ndim <= 1 ? perSample.reshape(target.shape) : perSample;
  return reduce(loss, reduction, op);
}

/** [1, C] int32 row 0..C-1, compared against [N, 1] targets to mark each sample's own class. */
function arangeRow(C: number): Tensor {
  return Tensor.fromArray(Int32Array.from({ length: C }, (_, i) => i), [1, C], "int32");
}

/**
 * `multilabelMarginLoss(scores, labels)`: the multi-label hinge loss. Each row of the int32 target
 * lists the sample's classes, ended by the first −1; per sample
 * Σ_{j target} Σ_{i not a target} max(0, 1 − (x_j − x_i)) / C.
 * Shape: input [N, C] (or [C]), target the same shape; output [] or, with "none", [N] (or []).
 */
export function multilabelMarginLoss(input: Tensor, target: Tensor, opts?: LossOptions): Tensor {
  const op = "multilabelMarginLoss";
  const { reduction = "mean" } = readLossOptions(op, opts, []);
  checkFloatInput(op, "input", input);
  checkTensor(op, "target", target);
  if (input.ndim > 2) throw new Error(`${op}: input must be [N, C] or [C], got ${fmtShape(input.shape)}`);
  if (target.shape.join() !== input.shape.join() || target.ndim !== input.ndim) {
    throw new Error(`${op}: target ${fmtShape(target.shape)} must have the input's shape ${fmtShape(input.shape)}: each row lists class indices, ended by -1`);
  }
  // As PyTorch, a 0-d input is one sample of one class.
  const x = input.ndim === 2 ? input : input.reshape([1, -1]);
  const [N, C] = x.shape;
  checkIndices(op, target, -1, C, `0..${C - 1}, or -1 to end the list`);
  // Which entries of each target row count (those before the first -1) and which classes are targets.
  const ids = target.numbers();
  const idx = new Int32Array(N * C);
  const valid = new Uint8Array(N * C);
  const isTarget = new Uint8Array(N * C);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < C; j++) {
      const v = ids[n * C + j];
      if (v < 0) break;
      idx[n * C + j] = v;
      valid[n * C + j] = 1;
      isTarget[n * C + v] = 1;
    }
  }
  const xt = x.gather(1, Tensor.fromArray(idx, [N, C], "int32"));
  // z[n, j, i] = 1 − x[n, y_j] + x[n, i]; PyTorch's kernel counts z > 0 only: relu.
  const z = xt.unsqueeze(2).neg().add(1).add(x.unsqueeze(1)).relu();
  const counted = Tensor.fromArray(valid, [N, C, 1], "bool").logicalAnd(Tensor.fromArray(isTarget, [N, 1, C], "bool").logicalNot());
  const perSample = where(counted, z, 0).sum([1, 2]).div(C);
  return reduce(input.ndim <= 1 ? perSample.reshape([]) : perSample, reduction, op);
}

/** Options of `multilabelSoftMarginLoss`/`MultiLabelSoftMarginLoss`. */
export interface MultilabelSoftMarginLossOptions extends LossOptions {
  /** Per-class weights [C]. */
  weight?: Tensor | null;
}

/**
 * `multilabelSoftMarginLoss(logits, y)`: per sample the mean over classes of
 * −(y·log σ(x) + (1 − y)·log σ(−x)) (times the class weight), for 0/1 targets.
 * Shape: input [N, C] (or [C]), target the same shape; output [] or, with "none", [N] (or []).
 */
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, opts?: MultilabelSoftMarginLossOptions): Tensor {
  const op = "multilabelSoftMarginLoss";
  const { reduction = "mean", weight = null } = readLossOptions(op, opts, ["weight"]);
  sameShapeOrThrow(input, target, op);
  checkFloatInput(op, "input", input);
  if (input.ndim === 0) throw new Error(`${op}: input must be [N, C] or [C], got a scalar`);
  const [x, y] = promotePair(input, target);
  let loss = y.mul(logsigmoid(x)).add(y.neg().add(1).mul(logsigmoid(x.neg()))).neg();
  if (weight !== null) {
    // Usually one weight per class [C]; as PyTorch, any shape that broadcasts against the input.
    checkTensor(op, "weight", weight);
    checkBroadcast(op, input, "weight", weight);
    loss = loss.mul(weight);
  }
  const classDim = input.ndim - 1;
  return reduce(loss.sum(classDim).div(input.shape[classDim]), reduction, op);
}

/**
 * `softMarginLoss(x, y)`: log(1 + exp(−y·x)), the logistic loss for targets ±1.
 * Shape: input and target the same shape.
 */
export function softMarginLoss(input: Tensor, target: Tensor, opts?: LossOptions): Tensor {
  const op = "softMarginLoss";
  const { reduction = "mean" } = readLossOptions(op, opts, []);
  sameShapeOrThrow(input, target, op);
  checkFloatInput(op, "input", input);
  return reduce(input.neg().mul(asFloat(target, input)).exp().log1p(), reduction, op);
}

/** Options of `tripletMarginLoss`/`TripletMarginLoss`, e.g. `{ margin: 1, p: 2, swap: true }`. */
export interface TripletMarginLossOptions extends LossOptions {
  /** Required gap between the negative's and the positive's distance (default 1). */
  margin?: number;
  /** The norm of the distances (default 2). */
  p?: number;
  /** Added to the difference before the norm, as in pairwiseDistance (default 1e-6). */
  eps?: number;
  /** Use the smaller of d(a, n) and d(p, n) as the negative distance (default false). */
  swap?: boolean;
}

/** ‖x1 − x2 + eps‖_p over the last dim: PyTorch's triplet loss measures with pairwise_distance. */
function pairDistance(x1: Tensor, x2: Tensor, p: number, eps: number): Tensor {
  return pairwiseDistance(x1, x2, { p, eps });
}

/**
 * `tripletMarginLoss(anchor, positive, negative, { margin, p })`:
 * max(0, margin + d(a, p) − d(a, n)) with d the p-norm distance ‖a − b + eps‖ₚ.
 * Shape: [N, D] each (or [D]); output [] or, with "none", [N] (or []).
 */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, opts?: TripletMarginLossOptions): Tensor {
  const op = "tripletMarginLoss";
  const { reduction = "mean", margin = 1, p = 2, eps = 1e-6, swap = false } = readLossOptions(op, opts, ["margin", "p", "eps", "swap"]);
  checkFloatInput(op, "anchor", anchor);
  checkFloatInput(op, "positive", positive);
  checkFloatInput(op, "negative", negative);
  if (anchor.ndim !== positive.ndim || anchor.ndim !== negative.ndim || (anchor.ndim !== 1 && anchor.ndim !== 2)) {
    throw new Error(`${op}: anchor, positive and negative must all be [N, D] (or all [D]), got anchor ${fmtShape(anchor.shape)}, positive ${fmtShape(positive.shape)}, negative ${fmtShape(negative.shape)}`);
  }
  checkFinite(op, "margin", margin);
  checkPositive(op, "p", p);
  checkFinite(op, "eps", eps);
  if (typeof swap !== "boolean") throw new Error(`${op}: swap must be true or false, got ${describe(swap)}`);
  // 16-bit inputs: the distances and the hinge in float32, rounded once (PyTorch nearer otherwise).
  const loss = viaFloat32((a: Tensor, pos: Tensor, neg: Tensor): Tensor => {
    const dPos = pairDistance(a, pos, p, eps);
    let dNeg = pairDistance(a, neg, p, eps);
    if (swap) dNeg = minimum(dNeg, pairDistance(pos, neg, p, eps));
    return dPos.add(margin).sub(dNeg).clampMin(0);
  }, anchor, positive, negative);
  return reduce(loss, reduction, op);
}

/** A distance between two batches of embeddings: a function or a module taking two tensors (PyTorch's `distance_function`). */
export type DistanceFunction = ((x1: Tensor, x2: Tensor) => Tensor) | Module<[Tensor, Tensor], Tensor>;

/** Options of `tripletMarginWithDistanceLoss`/`TripletMarginWithDistanceLoss`, e.g. `{ distanceFunction: (a, b) => a.sub(b).abs().sum(-1), margin: 0.5 }`. */
export interface TripletMarginWithDistanceLossOptions extends LossOptions {
  /** The distance of two embeddings, e.g. `nn.functional.pairwiseDistance` (the default) or `new nn.PairwiseDistance(1)`. */
  distanceFunction?: DistanceFunction | null;
  /** Required gap between the negative's and the positive's distance (default 1). */
  margin?: number;
  /** Use the smaller of d(a, n) and d(p, n) as the negative distance (default false). */
  swap?: boolean;
}

/** Runs a distance function or module, checking that it gave a tensor. */
function distanceOf(op: string, d: DistanceFunction, x1: Tensor, x2: Tensor): Tensor {
  const out = d instanceof Module ? d.call(x1, x2) : d(x1, x2);
  if (!(out instanceof Tensor)) throw new Error(`${op}: distanceFunction must return a Tensor of distances, got ${describe(out)}`);
  return out;
}

function checkDistanceFunction(op: string, d: unknown): DistanceFunction | null {
  if (d === undefined || d === null || typeof d === "function" || d instanceof Module) return (d ?? null) as DistanceFunction | null;
  throw new Error(`${op}: distanceFunction must be a function (x1, x2) => Tensor or a module such as new nn.PairwiseDistance(), got ${describe(d)}`);
}

/**
 * `tripletMarginWithDistanceLoss(anchor, positive, negative, { distanceFunction, margin, swap })`:
 * max(0, d(a, p) − d(a, n) + margin) with d any distance (default `pairwiseDistance`, the 2-norm),
 * as PyTorch 1.13's. Shape: whatever the distance function takes; output [] or, with "none", the
 * distances' shape.
 */
export function tripletMarginWithDistanceLoss(anchor: Tensor, positive: Tensor, negative: Tensor, opts?: TripletMarginWithDistanceLossOptions): Tensor {
  const op = "tripletMarginWithDistanceLoss";
  const o = readLossOptions(op, opts, ["distanceFunction", "margin", "swap"]);
  const { reduction = "mean", margin = 1, swap = false } = o;
  checkTensor(op, "anchor", anchor);
  checkTensor(op, "positive", positive);
  checkTensor(op, "negative", negative);
  const d = checkDistanceFunction(op, o.distanceFunction) ?? ((a: Tensor, b: Tensor) => pairwiseDistance(a, b));
  checkFinite(op, "margin", margin);
  if (typeof swap !== "boolean") throw new Error(`${op}: swap must be true or false, got ${describe(swap)}`);
  const dPos = distanceOf(op, d, anchor, positive);
  let dNeg = distanceOf(op, d, anchor, negative);
  if (swap) dNeg = minimum(dNeg, distanceOf(op, d, positive, negative));
  // PyTorch's order, (d(a, p) − d(a, n)) + margin, so float32 rounds as its does.
  return reduce(dPos.sub(dNeg).add(margin).clampMin(0), reduction, op);
}

/** Options of `cosineEmbeddingLoss`/`CosineEmbeddingLoss`, e.g. `{ margin: 0.5 }`. */
export interface CosineEmbeddingLossOptions extends LossOptions {
  /** Dissimilar pairs are pushed below this cosine (default 0; in [-1, 1]). */
  margin?: number;
}

/**
 * `cosineEmbeddingLoss(x1, x2, y, { margin })`: 1 − cos(x1, x2) where y = 1, max(0, cos − margin)
 * where y = −1 (0 for other targets, as PyTorch). The cosine uses
 * Σx1x2 / √((Σx1² + 1e-12)(Σx2² + 1e-12)), as PyTorch's kernel.
 * Shape: x1, x2 [N, D] with y [N], or [D] with a 0-d y; output [] or, with "none", y's shape.
 */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, opts?: CosineEmbeddingLossOptions): Tensor {
  const op = "cosineEmbeddingLoss";
  const { reduction = "mean", margin = 0 } = readLossOptions(op, opts, ["margin"]);
  checkFloatInput(op, "input1", input1);
  checkFloatInput(op, "input2", input2);
  checkTensor(op, "target", target);
  checkFinite(op, "margin", margin);
  const dim = target.ndim;
  if (dim > 1) throw new Error(`${op}: target must be [N] (or 0-d for one pair), got ${fmtShape(target.shape)}; multi-target is not supported (as in PyTorch)`);
  if (input1.ndim !== dim + 1 || input2.ndim !== dim + 1) {
    throw new Error(`${op}: a ${dim === 1 ? "1-D" : "0-d"} target expects ${dim === 1 ? "2-D [N, D]" : "1-D [D]"} inputs, got input1 ${fmtShape(input1.shape)} and input2 ${fmtShape(input2.shape)}`);
  }
  // PyTorch's epsilon is the float32 constant 1e-12, hence fround, to agree with it in float64 too.
  const EPS = Math.fround(1e-12);
  // 16-bit inputs: in float32, rounded once (PyTorch nearer the exact result otherwise).
  const loss = viaFloat32((x1: Tensor, x2: Tensor): Tensor => {
    const prodSum = x1.mul(x2).sum(dim);
    const mag1 = x1.mul(x1).sum(dim).add(EPS);
    const mag2 = x2.mul(x2).sum(dim).add(EPS);
    const cos = prodSum.div(mag1.mul(mag2).sqrt());
    const pos = where(target.eq(1), cos.neg().add(1), 0);
    const neg = where(target.eq(-1), cos.sub(margin).clampMin(0), 0);
    return pos.add(neg);
  }, input1, input2);
  return reduce(loss, reduction, op);
}

// ---------------------------------------------------------------- modules

/**
 * Huber loss. `new nn.HuberLoss({ delta: 0.5 }).call(pred, y)`
 *
 * Shape: input [*], target [*] (same shape); output [] or [*] with reduction "none".
 */
export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(opts: HuberLossOptions = {}) {
    super(readLossOptions("HuberLoss", opts, ["delta"]).reduction);
    checkKeys("HuberLoss", opts, HUBER_LOSS_KEYS);
    this.delta = checkPositive("HuberLoss", "delta", opts.delta ?? 1);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/**
 * Ranking hinge loss on pairs of scores. `new nn.MarginRankingLoss({ margin: 0.1 }).call(s1, s2, y)`
 *
 * Shape: x1, x2, y [N] (or []); output [] or [N] with "none".
 */
export class MarginRankingLoss extends Module<[Tensor, Tensor, Tensor], Tensor> {
  readonly reduction: Reduction;
  readonly margin: number;
  constructor(opts: MarginRankingLossOptions = {}) {
    super();
    checkKeys("MarginRankingLoss", opts, MARGIN_RANKING_LOSS_KEYS);
    this.reduction = readLossOptions("MarginRankingLoss", opts, ["margin"]).reduction ?? "mean";
    this.margin = opts.margin ?? 0;
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return marginRankingLoss(input1, input2, target, { reduction: this.reduction, margin: this.margin });
  }
}

/**
 * Hinge loss on distances of similar (y = 1) and dissimilar (y = −1) pairs. `new nn.HingeEmbeddingLoss()`
 *
 * Shape: input [*], target [*] (same shape).
 */
export class HingeEmbeddingLoss extends Loss {
  readonly margin: number;
  constructor(opts: HingeEmbeddingLossOptions = {}) {
    super(readLossOptions("HingeEmbeddingLoss", opts, ["margin"]).reduction);
    checkKeys("HingeEmbeddingLoss", opts, HINGE_EMBEDDING_LOSS_KEYS);
    this.margin = opts.margin ?? 1;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return hingeEmbeddingLoss(input, target, { reduction: this.reduction, margin: this.margin });
  }
}

/**
 * Multi-class hinge loss. `new nn.MultiMarginLoss({ p: 2 }).call(scores, labels)`
 *
 * Shape: input [N, C], target int32 [N] (or [C] and 0-d); output [] or [N] with "none".
 */
export class MultiMarginLoss extends Loss {
  readonly p: 1 | 2;
  readonly margin: number;
  constructor(opts: MultiMarginLossOptions = {}) {
    super(readLossOptions("MultiMarginLoss", opts, ["p", "margin", "weight"]).reduction);
    checkKeys("MultiMarginLoss", opts, MULTI_MARGIN_LOSS_KEYS);
    this.p = opts.p ?? 1;
    this.margin = opts.margin ?? 1;
    // A buffer, as in PyTorch, so the class weights travel with the state dict.
    this.registerBuffer("weight", opts.weight ?? null);
  }
  get weight(): Tensor | null {
    return this.getBuffer("weight");
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return multiMarginLoss(input, target, { reduction: this.reduction, p: this.p, margin: this.margin, weight: this.weight });
  }
}

/**
 * Multi-label hinge loss. `new nn.MultiLabelMarginLoss().call(scores, labelLists)`
 *
 * Shape: input [N, C] (or [C]), target int32 of the same shape, each row ended by −1.
 */
export class MultiLabelMarginLoss extends Loss {
  constructor(opts: LossOptions = {}) {
    super(readLossOptions("MultiLabelMarginLoss", opts, []).reduction);
    checkKeys("MultiLabelMarginLoss", opts, MULTILABEL_MARGIN_LOSS_KEYS);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return multilabelMarginLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * Multi-label logistic loss averaged over classes. `new nn.MultiLabelSoftMarginLoss().call(logits, y)`
 *
 * Shape: input [N, C], target [N, C] of 0/1.
 */
export class MultiLabelSoftMarginLoss extends Loss {
  constructor(opts: MultilabelSoftMarginLossOptions = {}) {
    super(readLossOptions("MultiLabelSoftMarginLoss", opts, ["weight"]).reduction);
    checkKeys("MultiLabelSoftMarginLoss", opts, MULTILABEL_SOFT_MARGIN_LOSS_KEYS);
    this.registerBuffer("weight", opts.weight ?? null);
  }
  get weight(): Tensor | null {
    return this.getBuffer("weight");
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return multilabelSoftMarginLoss(input, target, { reduction: this.reduction, weight: this.weight });
  }
}

/**
 * Two-class logistic loss for targets ±1. `new nn.SoftMarginLoss().call(x, y)`
 *
 * Shape: input [*], target [*] (same shape).
 */
export class SoftMarginLoss extends Loss {
  constructor(opts: LossOptions = {}) {
    super(readLossOptions("SoftMarginLoss", opts, []).reduction);
    checkKeys("SoftMarginLoss", opts, SOFT_MARGIN_LOSS_KEYS);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return softMarginLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * Triplet loss on embeddings. `new nn.TripletMarginLoss({ margin: 1 }).call(anchor, positive, negative)`
 *
 * Shape: [N, D] each (or [D]); output [] or [N] with "none".
 */
export class TripletMarginLoss extends Module<[Tensor, Tensor, Tensor], Tensor> {
  readonly reduction: Reduction;
  readonly margin: number;
  readonly p: number;
  readonly eps: number;
  readonly swap: boolean;
  constructor(opts: TripletMarginLossOptions = {}) {
    super();
    checkKeys("TripletMarginLoss", opts, TRIPLET_MARGIN_LOSS_KEYS);
    this.reduction = readLossOptions("TripletMarginLoss", opts, ["margin", "p", "eps", "swap"]).reduction ?? "mean";
    this.margin = opts.margin ?? 1;
    this.p = opts.p ?? 2;
    this.eps = opts.eps ?? 1e-6;
    this.swap = opts.swap ?? false;
  }
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return tripletMarginLoss(anchor, positive, negative, { reduction: this.reduction, margin: this.margin, p: this.p, eps: this.eps, swap: this.swap });
  }
}

/**
 * Triplet loss with any distance. `new nn.TripletMarginWithDistanceLoss({ distanceFunction, margin: 0.5 }).call(anchor, positive, negative)`.
 * As PyTorch's, a module given as the distance function (and the default `nn.PairwiseDistance()`) is a
 * child named `distance_function`; a plain function is kept as `distanceFunction` only.
 *
 * Shape: whatever the distance function takes (the default: [N, D] or [D]); output [] or, with "none", the distances' shape.
 */
export class TripletMarginWithDistanceLoss extends Module<[Tensor, Tensor, Tensor], Tensor> {
  readonly reduction: Reduction;
  readonly margin: number;
  readonly swap: boolean;
  declare readonly distanceFunction: DistanceFunction;
  declare distance_function?: AnyModule;
  constructor(opts: TripletMarginWithDistanceLossOptions = {}) {
    super();
    const op = "TripletMarginWithDistanceLoss";
    checkKeys(op, opts, TRIPLET_MARGIN_WITH_DISTANCE_LOSS_KEYS);
    this.reduction = readLossOptions(op, opts, ["distanceFunction", "margin", "swap"]).reduction ?? "mean";
    this.margin = checkFinite(op, "margin", opts.margin ?? 1);
    if (opts.swap !== undefined && typeof opts.swap !== "boolean") throw new Error(`${op}: swap must be true or false, got ${describe(opts.swap)}`);
    this.swap = opts.swap ?? false;
    const d = checkDistanceFunction(op, opts.distanceFunction) ?? new PairwiseDistance();
    if (d instanceof Module) this.registerModule("distance_function", d);
    Object.defineProperty(this, "distanceFunction", { value: d, enumerable: false });
  }
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return tripletMarginWithDistanceLoss(anchor, positive, negative, { reduction: this.reduction, distanceFunction: this.distanceFunction, margin: this.margin, swap: this.swap });
  }
}

/**
 * Cosine-similarity loss on pairs. `new nn.CosineEmbeddingLoss({ margin: 0.5 }).call(x1, x2, y)`
 *
 * Shape: x1, x2 [N, D], y [N] of ±1 (or [D], [D], 0-d).
 */
export class CosineEmbeddingLoss extends Module<[Tensor, Tensor, Tensor], Tensor> {
  readonly reduction: Reduction;
  readonly margin: number;
  constructor(opts: CosineEmbeddingLossOptions = {}) {
    super();
    checkKeys("CosineEmbeddingLoss", opts, COSINE_EMBEDDING_LOSS_KEYS);
    this.reduction = readLossOptions("CosineEmbeddingLoss", opts, ["margin"]).reduction ?? "mean";
    this.margin = opts.margin ?? 0;
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return cosineEmbeddingLoss(input1, input2, target, { reduction: this.reduction, margin: this.margin });
  }
}
