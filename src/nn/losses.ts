/**
 * Loss functions, as functions (`nn.functional.crossEntropy`) and as modules (`new nn.CrossEntropyLoss()`),
 * with PyTorch's semantics and `reduction` ("none" | "mean" | "sum").
 */
import { checkKeys, checkTensor, describe, unknownKeyError } from "../tensor/check.js";
import { deprecated } from "../tensor/deprecation.js";
import { Tensor, where, isFloating, promoteTypes, indexSelect, maximum, noGrad, defineOp, apply, softmaxCrossEntropy, isGradEnabled, refuseInferenceSaved } from "../core.js";
import { Module, fmtShape } from "./module.js";
import { viaFloat32 } from "../ops/half-compute.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const GAUSSIAN_KL_KEYS = ["reduction"] as const;
const BINARY_CROSS_ENTROPY_WITH_LOGITS_KEYS = ["weight", "posWeight", "reduction"] as const;
const BINARY_CROSS_ENTROPY_KEYS = ["weight", "reduction"] as const;
const NLL_LOSS_KEYS = ["weight", "ignoreIndex", "reduction"] as const;
const CROSS_ENTROPY_KEYS = ["labelSmoothing", "weight", "ignoreIndex", "reduction"] as const;
const L1_LOSS_KEYS = ["reduction"] as const;
const MSE_LOSS_KEYS = ["reduction"] as const;

/** The option keys of each class here: anything else is a misspelling. */
const MSELOSS_KEYS = ["reduction"] as const;
const L1LOSS_KEYS = ["reduction"] as const;
const SMOOTH_L1LOSS_KEYS = ["reduction", "beta"] as const;
const CROSS_ENTROPY_LOSS_KEYS = ["labelSmoothing", "weight", "ignoreIndex", "reduction"] as const;
const NLLLOSS_KEYS = ["weight", "ignoreIndex", "reduction"] as const;
const BCELOSS_KEYS = ["weight", "reduction"] as const;
const BCEWITH_LOGITS_LOSS_KEYS = ["weight", "posWeight", "reduction"] as const;
const KLDIV_LOSS_KEYS = ["reduction", "logTarget"] as const;

/** How a loss combines per-element values: keep them ("none"), average ("mean", default) or add ("sum"). */
export type Reduction = "none" | "mean" | "sum";

/** The options every loss function takes (API.md rule 3: `{ reduction }` in a trailing options object). */
export interface LossOptions<R extends string = Reduction> {
  reduction?: R;
}

/**
 * Reads a loss function's options; the positional reduction string of 0.1 (`mseLoss(x, y, "sum")`)
 * still works for one release, with a deprecation notice.
 */
function lossOptions<O extends LossOptions<string>>(op: string, arg: O | string | undefined): O {
  if (typeof arg === "string") {
    deprecated(op, `${op}(input, target, "${arg}")`, `${op}(input, target, { reduction: "${arg}" })`);
    return { reduction: arg } as O;
  }
  if (arg !== undefined && (arg === null || typeof arg !== "object")) {
    throw new Error(`${op}: options must be an object like { reduction: "sum" }, got ${String(arg)}`);
  }
  return arg ?? ({} as O);
}

/**
 * Reads the options object of a loss added after the calling convention (no positional forms):
 * undefined or a plain object whose keys are all in `known` (a misspelt or snake_case key would
 * otherwise be ignored silently) and whose `reduction`, if given, is one PyTorch knows.
 */
export function readLossOptions<O extends object>(op: string, opts: O | undefined, known: readonly string[]): O {
  if (opts === undefined) return {} as O;
  if (opts === null || typeof opts !== "object" || Array.isArray(opts) || opts instanceof Tensor) {
    throw new Error(`${op}: options must be an object like { reduction: "sum" }, got ${describe(opts)}`);
  }
  // The shared unknown-key rule (tensor/check-keys.ts), without allocating on the success path: losses run every step.
  for (const key in opts) {
    if (key !== "reduction" && !known.includes(key) && (opts as Record<string, unknown>)[key] !== undefined) throw unknownKeyError(op, key, ["reduction", ...known]);
  }
  const r = (opts as { reduction?: unknown }).reduction;
  if (r !== undefined && r !== "none" && r !== "mean" && r !== "sum") {
    throw new Error(`${op}: unknown reduction ${describe(r)} (use "none", "mean" or "sum")`);
  }
  return opts;
}

/** Applies `reduction` to per-element losses; shared by every loss file. */
export function reduce(loss: Tensor, reduction: Reduction, op: string): Tensor {
  if (reduction === "none") return loss;
  if (reduction === "mean") return loss.mean();
  if (reduction === "sum") return loss.sum();
  throw new Error(`${op}: unknown reduction "${reduction as string}" (use "none", "mean" or "sum")`);
}

/** Throws naming `op` unless input and target are tensors of one shape (losses do not broadcast them). */
export function sameShapeOrThrow(input: Tensor, target: Tensor, op: string): void {
  checkTensor(op, "input", input);
  checkTensor(op, "target", target);
  if (input.ndim !== target.ndim || input.shape.some((s, i) => s !== target.shape[i])) {
    throw new Error(
      `${op}: input ${fmtShape(input.shape)} and target ${fmtShape(target.shape)} must have the same shape ` +
        `(broadcasting them would silently compute the wrong loss; reshape one, e.g. target.reshape(${fmtShape(input.shape)}))`,
    );
  }
}

/** `target` in `like`'s dtype: the losses PyTorch computes in the input's dtype (huberLoss, softMarginLoss, ...). */
export function asFloat(target: Tensor, like: Tensor): Tensor {
  return target.dtype === like.dtype ? target : target.to(like.dtype);
}

/**
 * Input and target in their promoted dtype, as PyTorch computes most losses: `mseLoss(float32,
 * float64)` is float64, an integer target takes the input's dtype. (huberLoss, softMarginLoss and
 * binaryCrossEntropy keep the input's dtype instead: `asFloat`; PyTorch's bce refuses the mix.)
 */
export function promotePair(input: Tensor, target: Tensor): [Tensor, Tensor] {
  const dtype = promoteTypes(input.dtype, target.dtype);
  return [input.to(dtype), target.to(dtype)];
}

/** `mseLoss(pred, y, { reduction: "sum" })`: mean (or sum) of (pred − y)². Shape: input and target the same shape. */
export function mseLoss(input: Tensor, target: Tensor, opts?: LossOptions | Reduction): Tensor {
  checkKeys("mseLoss", opts, MSE_LOSS_KEYS);
  const { reduction = "mean" } = lossOptions("mseLoss", opts);
  sameShapeOrThrow(input, target, "mseLoss");
  // PyTorch's mse_loss saves both operands; deeptype's sub would save neither.
  const recording = isGradEnabled() && (input.requiresGrad || target.requiresGrad);
  refuseInferenceSaved("mseLoss", "target", target, recording);
  refuseInferenceSaved("mseLoss", "input", input, recording);
  const [x, y] = promotePair(input, target);
  return reduce(x.sub(y).square(), reduction, "mseLoss");
}

/** `l1Loss(pred, y)`: mean of |pred − y|. */
export function l1Loss(input: Tensor, target: Tensor, opts?: LossOptions | Reduction): Tensor {
  checkKeys("l1Loss", opts, L1_LOSS_KEYS);
  const { reduction = "mean" } = lossOptions("l1Loss", opts);
  sameShapeOrThrow(input, target, "l1Loss");
  const [x, y] = promotePair(input, target);
  return reduce(x.sub(y).abs(), reduction, "l1Loss");
}

/** `smoothL1Loss(pred, y, { beta: 1 })`: 0.5·d²/beta where |d| < beta, |d| − 0.5·beta elsewhere (beta 0 = L1). */
export function smoothL1Loss(input: Tensor, target: Tensor, opts?: (LossOptions & { beta?: number }) | Reduction, legacyBeta?: number): Tensor {
  const { reduction = "mean", beta = legacyBeta ?? 1 } = lossOptions("smoothL1Loss", opts);
  sameShapeOrThrow(input, target, "smoothL1Loss");
  if (!(beta >= 0)) throw new Error(`smoothL1Loss: beta must be >= 0, got ${beta}`);
  const [x, y] = promotePair(input, target);
  const d = x.sub(y).abs();
  const loss = beta === 0 ? d : where(d.lt(beta), d.square().mul(0.5 / beta), d.sub(0.5 * beta));
  return reduce(loss, reduction, "smoothL1Loss");
}

/** Options of `nllLoss`/`NLLLoss`. */
export interface NllLossOptions {
  /** Per-class weights [C]. */
  weight?: Tensor | null;
  /** Targets equal to this contribute nothing (default -100). */
  ignoreIndex?: number;
  reduction?: Reduction;
}

/** Options of `crossEntropy`/`CrossEntropyLoss`. */
export interface CrossEntropyOptions extends NllLossOptions {
  /** Mixes the target with the uniform distribution: (1 − ε)·target + ε/C (default 0). */
  labelSmoothing?: number;
}

/** Input [N,C,d...] (or [C]) and how the target relates to it; throws naming both expected shapes. */
function classify(input: Tensor, target: Tensor, op: string): { x: Tensor; t: Tensor; kind: "index" | "prob" } {
  checkTensor(op, "input", input);
  checkTensor(op, "target", target);
  if (input.ndim < 1) throw new Error(`${op}: input must be [N,C] (or [C], or [N,C,d1,...]), got a scalar`);
  if (!isFloating(input.dtype)) throw new Error(`${op}: input must be floating point (logits or log-probabilities), got ${input.dtype}`);
  const unbatched = input.ndim === 1;
  const x = unbatched ? input.unsqueeze(0) : input;
  const indexShape = x.shape.filter((_, i) => i !== 1);
  const userIndexShape = unbatched ? [] : indexShape;
  const fitsIndex = target.ndim === userIndexShape.length && target.shape.every((s, i) => s === userIndexShape[i]);
  const fitsProb = target.ndim === input.ndim && target.shape.every((s, i) => s === input.shape[i]);
  if (fitsIndex && !(fitsProb && isFloating(target.dtype))) {
    if (target.dtype !== "int64" && target.dtype !== "int32") {
      throw new Error(`${op}: a target of shape ${fmtShape(target.shape)} holds class indices and must be int64 (or int32), got ${target.dtype} (use target.long())`);
    }
    return { x, t: unbatched ? target.unsqueeze(0) : target, kind: "index" };
  }
  if (fitsProb) {
    if (!isFloating(target.dtype)) {
      throw new Error(`${op}: a target of the input's shape ${fmtShape(input.shape)} holds class probabilities and must be floating point, got ${target.dtype}`);
    }
    return { x, t: unbatched ? target.unsqueeze(0) : target, kind: "prob" };
  }
  throw new Error(
    `${op}: target shape ${fmtShape(target.shape)} does not fit input ${fmtShape(input.shape)}: expected int64 (or int32) class indices of shape ` +
      `${fmtShape(userIndexShape)} or class probabilities of shape ${fmtShape(input.shape)}`,
  );
}

function checkWeight(weight: Tensor | null | undefined, C: number, op: string): void {
  if (weight && (weight.ndim !== 1 || weight.shape[0] !== C)) {
    throw new Error(`${op}: weight must have one entry per class, shape [${C}], got ${fmtShape(weight.shape)}`);
  }
}

/**
 * Throws naming `op` when a class index is out of range (and not ignoreIndex); otherwise returns how
 * many targets are not ignoreIndex (the divisor of a mean without class weights), from the same pass.
 */
function checkClasses(t: Tensor, C: number, ignoreIndex: number, op: string): number {
  const ids = t.numbers();
  let kept = 0;
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i];
    if (v === ignoreIndex) continue;
    if (v < 0 || v >= C) {
      throw new RangeError(`${op}: target class index ${v} is out of range for ${C} classes (valid: 0..${C - 1}, or ignoreIndex ${ignoreIndex})`);
    }
    kept++;
  }
  return kept;
}

/**
 * int64 class indices as an int32 tensor of the same values, read once: the fused loss's range
 * check (which also counts the kept rows) and the two kernels then read plain numbers instead of converting each
 * bigint again (int64 is BigInt64Array-backed). Values beyond int32 are left as they are, for the
 * range check to report exactly.
 */
function narrowIndices(t: Tensor): Tensor {
  if (t.dtype !== "int64") return t;
  const ids = t.numbers();
  for (let i = 0; i < ids.length; i++) if (ids[i] !== (ids[i] | 0)) return t;
  return Tensor.fromArray(Int32Array.from(ids), t.shape, "int32");
}

/** Negative log-likelihood of index targets, given log-probabilities `logp` [N,C,d...] and t [N,d...]. */
function nllCore(logp: Tensor, t: Tensor, weight: Tensor | null | undefined, ignoreIndex: number, reduction: Reduction, op: string, unbatched: boolean): Tensor {
  checkClasses(t, logp.shape[1], ignoreIndex, op);
  const keep = t.ne(ignoreIndex);
  const safe = where(keep, t, 0);
  const picked = logp.gather(1, safe.unsqueeze(1)).squeeze(1);
  let w = keep.to(logp.dtype);
  if (weight) w = w.mul(indexSelect(weight.to(logp.dtype), 0, safe.reshape([-1])).reshape(t.shape));
  const loss = picked.neg().mul(w);
  if (reduction === "none") return unbatched ? loss.squeeze(0) : loss;
  if (reduction === "sum") return loss.sum();
  if (reduction === "mean") return loss.sum().div(w.sum());
  throw new Error(`${op}: unknown reduction "${reduction as string}" (use "none", "mean" or "sum")`);
}

/**
 * `nllLoss(logProbs, target)`: −logProbs[target], averaged (weighted mean when `weight` is given).
 * Shape: input [N,C] or [N,C,d...] (or [C]); target int64 (or int32) [N] or [N,d...] (or []).
 */
export function nllLoss(input: Tensor, target: Tensor, opts: NllLossOptions = {}): Tensor {
  checkKeys("nllLoss", opts, NLL_LOSS_KEYS);
  const { x, t, kind } = classify(input, target, "nllLoss");
  // PyTorch's nll_loss saves the target; deeptype reads it into a new int32 tensor first.
  refuseInferenceSaved("nllLoss", "target", target, isGradEnabled() && input.requiresGrad);
  if (kind !== "index") throw new Error(`nllLoss: target must be int64 (or int32) class indices of shape ${fmtShape(x.shape.filter((_, i) => i !== 1))}, got ${target.dtype} ${fmtShape(target.shape)}`);
  checkWeight(opts.weight, x.shape[1], "nllLoss");
  return nllCore(x, t, opts.weight, opts.ignoreIndex ?? -100, opts.reduction ?? "mean", "nllLoss", input.ndim === 1);
}

/**
 * `crossEntropy(logits, labels)`: logSoftmax over dim 1, then the negative log-likelihood of the
 * target. The input is raw scores (logits), not probabilities. The target is either int64 (or int32) class
 * indices or class probabilities of the input's shape.
 * Shape: input [N,C] or [N,C,d...] (or [C]); target int64 [N] / [N,d...] (or []), or float [N,C,d...].
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  checkKeys("crossEntropy", opts, CROSS_ENTROPY_KEYS);
  const op = "crossEntropy";
  const { x, t, kind } = classify(input, target, op);
  // PyTorch saves the target (nll_loss's class indices, or the probabilities mul keeps); deeptype
  // reads class indices into a new int32 tensor, which would otherwise let an inference target through.
  refuseInferenceSaved(op, "target", target, isGradEnabled() && (input.requiresGrad || target.requiresGrad));
  const C = x.shape[1];
  const reduction = opts.reduction ?? "mean";
  const eps = opts.labelSmoothing ?? 0;
  const ignoreIndex = opts.ignoreIndex ?? -100;
  if (!(eps >= 0 && eps <= 1)) throw new Error(`${op}: labelSmoothing must be in [0, 1], got ${eps}`);
  checkWeight(opts.weight, C, op);
  if (kind === "index" && x.ndim === 2 && !opts.weight && eps === 0) {
    // The common case runs as one fused op each way (logsumexp − the target's logit; softmax − one-hot).
    const ids = narrowIndices(t);
    const kept = checkClasses(ids, C, ignoreIndex, op);
    const losses = softmaxCrossEntropy(x, ids, ignoreIndex);
    if (reduction === "none") return input.ndim === 1 ? losses.squeeze(0) : losses;
    if (reduction === "sum") return losses.sum();
    if (reduction === "mean") return losses.sum().div(kept);
    throw new Error(`${op}: unknown reduction "${reduction as string}" (use "none", "mean" or "sum")`);
  }
  // Class probabilities of a wider float type promote the result, as in PyTorch.
  const [xs, probs] = kind === "prob" ? promotePair(x, t) : [x, t];
  const logp = xs.logSoftmax(1);
  const unbatched = input.ndim === 1;
  const cw = opts.weight ? opts.weight.to(logp.dtype).reshape(x.shape.map((s, i) => (i === 1 ? s : 1))) : null;
  if (kind === "prob") {
    let q = probs;
    if (eps > 0) q = q.mul(1 - eps).add(eps / C);
    let prod = logp.mul(q);
    if (cw) prod = prod.mul(cw);
    let loss = prod.sum(1).neg();
    if (unbatched) loss = loss.squeeze(0);
    if (reduction === "mean") return loss.sum().div(x.numel() / C);
    return reduce(loss, reduction, op);
  }
  const nll = nllCore(logp, t, opts.weight, ignoreIndex, reduction, op, unbatched);
  if (eps === 0) return nll;
  // Smoothing term: −Σ_c w_c·logp_c per position, zero at ignored positions (PyTorch's formulation).
  const keep = t.ne(ignoreIndex);
  let smooth = (cw ? logp.mul(cw) : logp).sum(1).neg().mul(keep.to(logp.dtype));
  let s: Tensor;
  if (reduction === "none") s = unbatched ? smooth.squeeze(0) : smooth;
  else if (reduction === "sum") s = smooth.sum();
  else if (opts.weight) s = smooth.sum().div(indexSelect(opts.weight.to(logp.dtype), 0, where(keep, t, 0).reshape([-1])).mul(keep.reshape([-1]).to(logp.dtype)).sum());
  else s = smooth.sum().div(keep.to(logp.dtype).sum());
  return nll.mul(1 - eps).add(s.mul(eps / C));
}

function checkUnitInterval(x: Tensor, op: string, what: string): void {
  const d = x.numbers();
  for (let i = 0; i < d.length; i++) {
    if (!(d[i] >= 0 && d[i] <= 1)) throw new RangeError(`${op}: every ${what} must be in [0, 1], element ${i} is ${d[i]} (apply sigmoid first, or use binaryCrossEntropyWithLogits on raw scores)`);
  }
}

/**
 * `binaryCrossEntropy(probs, y)`: −[y·log p + (1−y)·log(1−p)], each log clamped at −100 as PyTorch
 * does (so p = 0 or 1 gives a finite loss). Shape: input and target the same shape; weight broadcasts.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: { weight?: Tensor | null; reduction?: Reduction } = {}): Tensor {
  checkKeys("binaryCrossEntropy", opts, BINARY_CROSS_ENTROPY_KEYS);
  const op = "binaryCrossEntropy";
  sameShapeOrThrow(input, target, op);
  checkUnitInterval(input, op, "input probability");
  const y = asFloat(target, input);
  let loss = apply(bceOp, [input, y], undefined);
  if (opts.weight) loss = loss.mul(opts.weight);
  return reduce(loss, opts.reduction ?? "mean", op);
}

/**
 * Elementwise binary cross-entropy as one op, because its gradient must be PyTorch's
 * (x − y)/max(x·(1−x), 1e-12): the composite of clamped logs would give NaN (0/0) at x = 0 or 1.
 */
const bceOp = defineOp<undefined>({
  name: "binaryCrossEntropy",
  forward([x, y]) {
    return noGrad(() => {
      const lp = x.log().clamp(-100);
      const lq = x.neg().log1p().clamp(-100);
      return y.mul(lp).add(y.neg().add(1).mul(lq)).neg();
    });
  },
  // needsInputGrad, not y.requiresGrad: for 16-bit inputs the rule sees float32 copies of them.
  backward: (g, { inputs: [x, y], needsInputGrad: [, needY] }) => [
    // PyTorch's epsilon is the float32 constant 1e-12, hence fround, to agree with it in float64 too.
    g.mul(x.sub(y)).div(x.mul(x.neg().add(1)).clamp(Math.fround(1e-12))),
    // The target's gradient is PyTorch 1.13's log(1 − x) − log(x) without the forward's clamps:
    // ±inf at x = 1 and x = 0, where the clamped form gave ∓100.
    needY ? g.mul(x.neg().log1p().sub(x.log())) : null,
  ],
});

/**
 * `binaryCrossEntropyWithLogits(logits, y)`: sigmoid + binary cross-entropy in one numerically
 * stable expression, (1−y)·x + (1 + (posWeight−1)·y)·(log(1+e^−|x|) + max(−x, 0)).
 * `posWeight` (broadcast over the last dim, one per class) scales the positive term.
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor, target: Tensor, opts: { weight?: Tensor | null; posWeight?: Tensor | null; reduction?: Reduction } = {},
): Tensor {
  checkKeys("binaryCrossEntropyWithLogits", opts, BINARY_CROSS_ENTROPY_WITH_LOGITS_KEYS);
  const op = "binaryCrossEntropyWithLogits";
  sameShapeOrThrow(input, target, op);
  const [x0, y] = promotePair(input, target);
  // max(−x, 0) via maximum, whose tie at x = 0 splits the gradient: the sum's slope there is then
  // sigmoid's −0.5, as in PyTorch, where relu and abs would both give 0.
  const loss = viaFloat32((x: Tensor, t: Tensor, w: Tensor | null, pw: Tensor | null): Tensor => {
    const softplusNeg = x.abs().neg().exp().log1p().add(maximum(x.neg(), 0));
    const lw = pw ? pw.sub(1).mul(t).add(1) : null;
    const l = t.neg().add(1).mul(x).add(lw ? lw.mul(softplusNeg) : softplusNeg);
    return w ? l.mul(w) : l;
  }, x0, y, opts.weight ?? null, opts.posWeight ?? null);
  return reduce(loss, opts.reduction ?? "mean", op);
}

/**
 * `klDiv(logProbs, targetProbs, { reduction: "batchmean" })`: Σ target·(log target − input), with input given as
 * log-probabilities (and the target too when `logTarget`). "batchmean" divides the sum by the batch
 * size (the true KL divergence per sample); "mean" averages over every element, as PyTorch's default.
 */
export function klDiv(input: Tensor, target: Tensor, opts?: (LossOptions<Reduction | "batchmean"> & { logTarget?: boolean }) | Reduction | "batchmean", legacyLogTarget?: boolean): Tensor {
  const op = "klDiv";
  const { reduction = "mean", logTarget = legacyLogTarget ?? false } = lossOptions(op, opts);
  sameShapeOrThrow(input, target, op);
  const [x, t] = promotePair(input, target);
  let loss: Tensor;
  if (logTarget) loss = t.exp().mul(t.sub(x));
  else {
    // t·log t with 0·log 0 = 0; log reads 1 where t = 0 so that no NaN reaches the gradient.
    const pos = t.gt(0);
    loss = t.mul(where(pos, t, 1).log()).sub(t.mul(x));
  }
  if (reduction === "batchmean") return loss.sum().div(input.ndim > 0 ? input.shape[0] : 1);
  return reduce(loss, reduction, op);
}

/**
 * `gaussianKl(mu, logvar, { reduction: "batchmean" })`: KL(N(mu, exp(logvar)) ‖ N(0, 1)) = −½·Σ(1 + logvar − mu² − exp(logvar)),
 * the VAE regulariser. "sum" (default) adds over everything, "batchmean" divides that by the batch
 * size, "mean" averages over elements, "none" keeps each element's term.
 */
export function gaussianKl(mu: Tensor, logvar: Tensor, opts?: LossOptions<Reduction | "batchmean"> | Reduction | "batchmean"): Tensor {
  checkKeys("gaussianKl", opts, GAUSSIAN_KL_KEYS);
  const { reduction = "sum" } = lossOptions("gaussianKl", opts);
  sameShapeOrThrow(mu, logvar, "gaussianKl");
  const terms = logvar.add(1).sub(mu.square()).sub(logvar.exp()).mul(-0.5);
  if (reduction === "batchmean") return terms.sum().div(mu.ndim > 0 ? mu.shape[0] : 1);
  return reduce(terms, reduction, "gaussianKl");
}

// ---------------------------------------------------------------- modules

/** Base of the loss modules: `loss.forward(input, target)` (or `call`). */
export abstract class Loss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: Reduction;
  constructor(reduction: Reduction = "mean") {
    super();
    this.reduction = reduction;
  }
}

/**
 * Mean squared error. `new nn.MSELoss().forward(pred, y)`
 *
 * Shape: input [*], target [*] (same shape); output [] or [*] with reduction "none".
 */
export class MSELoss extends Loss {
  constructor(opts: { reduction?: Reduction } = {}) {
    super(opts.reduction);
    checkKeys("MSELoss", opts, MSELOSS_KEYS);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * Mean absolute error. `new nn.L1Loss().forward(pred, y)`
 *
 * Shape: input [*], target [*] (same shape); output [] or [*] with reduction "none".
 */
export class L1Loss extends Loss {
  constructor(opts: { reduction?: Reduction } = {}) {
    super(opts.reduction);
    checkKeys("L1Loss", opts, L1LOSS_KEYS);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/**
 * Huber-style loss: quadratic below `beta`, linear above. `new nn.SmoothL1Loss({beta: 0.5})`
 *
 * Shape: input [*], target [*] (same shape); output [] or [*] with reduction "none".
 */
export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor(opts: { reduction?: Reduction; beta?: number } = {}) {
    super(opts.reduction);
    checkKeys("SmoothL1Loss", opts, SMOOTH_L1LOSS_KEYS);
    this.beta = opts.beta ?? 1;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/**
 * Cross-entropy on logits (raw scores; do not apply softmax first).
 * `new nn.CrossEntropyLoss().forward(logits, labels)`
 *
 * Shape: input [N,C] (or [C], or [N,C,d1,...] for segmentation); target int64 [N] (or [], or
 * [N,d1,...]) class indices, or float class probabilities of the input's shape; output [] or, with
 * reduction "none", [N] / [N,d1,...].
 */
export class CrossEntropyLoss extends Loss {
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(opts: CrossEntropyOptions = {}) {
    super(opts.reduction);
    checkKeys("CrossEntropyLoss", opts, CROSS_ENTROPY_LOSS_KEYS);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.labelSmoothing = opts.labelSmoothing ?? 0;
    // A buffer, as in PyTorch, so the class weights travel with the state dict.
    this.registerBuffer("weight", opts.weight ?? null);
  }
  get weight(): Tensor | null {
    return this.getBuffer("weight");
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction, labelSmoothing: this.labelSmoothing });
  }
}

/**
 * Negative log-likelihood on log-probabilities (pair it with LogSoftmax).
 * `new nn.NLLLoss().forward(logProbs, labels)`
 *
 * Shape: input [N,C] (or [C], or [N,C,d1,...]); target int64 [N] (or [], or [N,d1,...]).
 */
export class NLLLoss extends Loss {
  readonly ignoreIndex: number;
  constructor(opts: NllLossOptions = {}) {
    super(opts.reduction);
    checkKeys("NLLLoss", opts, NLLLOSS_KEYS);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.registerBuffer("weight", opts.weight ?? null);
  }
  get weight(): Tensor | null {
    return this.getBuffer("weight");
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/**
 * Binary cross-entropy on probabilities (after a sigmoid). `new nn.BCELoss().forward(probs, y)`
 *
 * Shape: input [*] in [0, 1], target [*] (same shape).
 */
export class BCELoss extends Loss {
  constructor(opts: { weight?: Tensor | null; reduction?: Reduction } = {}) {
    super(opts.reduction);
    checkKeys("BCELoss", opts, BCELOSS_KEYS);
    this.registerBuffer("weight", opts.weight ?? null);
  }
  get weight(): Tensor | null {
    return this.getBuffer("weight");
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/**
 * Sigmoid + binary cross-entropy, numerically stable. `new nn.BCEWithLogitsLoss({posWeight})`
 *
 * Shape: input [*] logits, target [*] (same shape); posWeight broadcasts over the last dim.
 */
export class BCEWithLogitsLoss extends Loss {
  constructor(opts: { weight?: Tensor | null; posWeight?: Tensor | null; reduction?: Reduction } = {}) {
    super(opts.reduction);
    checkKeys("BCEWithLogitsLoss", opts, BCEWITH_LOGITS_LOSS_KEYS);
    this.registerBuffer("weight", opts.weight ?? null);
    this.registerBuffer("pos_weight", opts.posWeight ?? null);
  }
  get weight(): Tensor | null {
    return this.getBuffer("weight");
  }
  get posWeight(): Tensor | null {
    return this.getBuffer("pos_weight");
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}

/**
 * Kullback-Leibler divergence; the input is log-probabilities. `new nn.KLDivLoss({reduction: "batchmean"})`
 *
 * Shape: input [*] log-probabilities, target [*] probabilities (log-probabilities with logTarget).
 */
export class KLDivLoss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: Reduction | "batchmean";
  readonly logTarget: boolean;
  constructor(opts: { reduction?: Reduction | "batchmean"; logTarget?: boolean } = {}) {
    super();
    checkKeys("KLDivLoss", opts, KLDIV_LOSS_KEYS);
    this.reduction = opts.reduction ?? "mean";
    this.logTarget = opts.logTarget ?? false;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
