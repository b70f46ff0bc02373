/**
 * `nn.functional`: the stateless form of every layer and loss, written in Tensor ops (so autograd,
 * higher-order gradients and every backend come for free). Layers are thin wrappers over these.
 *
 * ```ts
 * import { nn } from "deeptype";
 * const y = nn.functional.relu(nn.functional.linear(x, w, b));
 * ```
 */
import { checkKeys, declareOptionalArgs, describe } from "../tensor/check.js";
import {
  Tensor, isFloating, noGrad, bernoulli, full, fullLike, tensor, linalg, defineOp, apply,
  relu, sigmoid, tanh, gelu as geluOp, leakyRelu as leakyReluOp, elu as eluOp, softmax as softmaxOp, logSoftmax as logSoftmaxOp,
  conv1d, conv2d, convTranspose2d, maxPool2d, avgPool2d, adaptiveAvgPool2d, indexSelect, where, linear as linearOp,
  type Generator, type DType,
} from "../core.js";
import { fmtShape } from "./module.js";
import { checkDropoutP, noiseDtype } from "./functional/shuffle-dropout.js";
import { viaFloat32 } from "../ops/half-compute.js";
import type { OpsOptionalArgs } from "../core.js";
import type { ActivationsOptionalArgs } from "./functional/activations.js";
import type { NormalizationOptionalArgs } from "./functional/normalization.js";
import type { MiscOptionalArgs } from "./functional/misc.js";
import type { LpPoolOptionalArgs } from "./functional/lp-pool.js";
import type { GridOptionalArgs } from "./functional/grid.js";
import type { ShuffleDropoutOptionalArgs } from "./functional/shuffle-dropout.js";
import type { UnpoolOptionalArgs } from "./functional/unpool.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const DROPOUT2D_KEYS = ["generator"] as const;
const DROPOUT_KEYS = ["generator"] as const;

export { relu, sigmoid, tanh, conv1d, conv2d, convTranspose2d, maxPool2d, avgPool2d, adaptiveAvgPool2d };
export {
  mseLoss, l1Loss, smoothL1Loss, crossEntropy, nllLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits, klDiv, gaussianKl,
  type Reduction, type CrossEntropyOptions, type NllLossOptions,
} from "./losses.js";
export {
  huberLoss, marginRankingLoss, hingeEmbeddingLoss, multiMarginLoss, multilabelMarginLoss, multilabelSoftMarginLoss, softMarginLoss,
  tripletMarginLoss, cosineEmbeddingLoss, tripletMarginWithDistanceLoss,
} from "./losses-margin.js";
export { poissonNllLoss, gaussianNllLoss } from "./losses-nll.js";
export { ctcLoss } from "./losses-ctc.js";
export {
  softplus, relu6, hardswish, hardsigmoid, hardtanh, selu, celu, mish, glu, prelu, rrelu, softmin, softsign, tanhshrink, threshold,
  logsigmoid, softshrink, hardshrink,
} from "./functional/activations.js";
export {
  maxPool1d, maxPool1dWithIndices, avgPool1d, adaptiveAvgPool1d, adaptiveMaxPool1d, adaptiveMaxPool1dWithIndices, adaptiveMaxPool2d,
  adaptiveMaxPool2dWithIndices, type MaxPool1dOptions, type AvgPool1dOptions,
} from "./functional/pooling.js";
export { pad, pixelShuffle, pixelUnshuffle, unfold, fold, type UnfoldOptions } from "./functional/spatial.js";
export { interpolate, type InterpolateOptions, type InterpolateMode } from "./functional/interpolate.js";
export { upsample, upsampleNearest, upsampleBilinear, type UpsamplingOptions } from "./functional/upsample.js";
export {
  normalize, cosineSimilarity, pairwiseDistance, pdist, instanceNorm, localResponseNorm, type InstanceNormOptions,
} from "./functional/normalization.js";
export { convTranspose1d, bilinear, embeddingBag, oneHot, type ConvTranspose1dOptions, type EmbeddingBagOptions } from "./functional/misc.js";
export { lpPool1d, lpPool2d } from "./functional/lp-pool.js";
export { affineGrid, gridSample, type GridSampleMode, type GridSamplePaddingMode } from "./functional/grid.js";
export { channelShuffle, dropout1d, dropout3d, alphaDropout, featureAlphaDropout, gumbelSoftmax } from "./functional/shuffle-dropout.js";
export { maxUnpool1d, maxUnpool2d } from "./functional/unpool.js";
// PyTorch's F.max_pool2d_with_indices (the op is in core, beside maxPool2d) and F.native_channel_shuffle
// (the same shuffle as channel_shuffle, without its autograd-free fast path).
export { maxPool2dWithIndices } from "../core.js";
export { channelShuffle as nativeChannelShuffle } from "./functional/shuffle-dropout.js";
// Defined with the attention layers (which share its mask handling); nn.functional is where PyTorch has it.
export { scaledDotProductAttention, type SdpaOptions } from "./layers/attention.js";

/**
 * `linear(x, w, b)`: x·wᵀ + b, with w of shape [out, in] (PyTorch's layout), as one fused op (its
 * weight gradient comes out in w's layout, the bias is added inside the kernel).
 * Shape: x [*, in], w [out, in], b [out] -> [*, out].
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return linearOp(x, weight, bias);
}

/** `leakyRelu(x, 0.01)`: x for x > 0, slope·x otherwise. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return leakyReluOp(x, negativeSlope);
}

/** `elu(x, 1)`: x for x > 0, alpha·(eˣ − 1) otherwise. */
export function elu(x: Tensor, alpha = 1): Tensor {
  return eluOp(x, alpha);
}

/** `gelu(x)`: x·Φ(x) (exact, erf-based); `gelu(x, "tanh")` for the tanh approximation. */
export function gelu(x: Tensor, approximate: "none" | "tanh" = "none"): Tensor {
  return geluOp(x, approximate);
}

/** `silu(x)`: x·sigmoid(x) (a.k.a. swish). */
export function silu(x: Tensor): Tensor {
  return x.mul(sigmoid(x));
}

/** `softmax(x, 1)`: probabilities along `dim`, computed stably. */
export function softmax(x: Tensor, dim: number, opts: { dtype?: DType } = {}): Tensor {
  return softmaxOp(x, dim, opts);
}

/** `logSoftmax(x, 1)`: log-probabilities along `dim`, without the overflow of log(softmax(x)). */
export function logSoftmax(x: Tensor, dim: number, opts: { dtype?: DType } = {}): Tensor {
  return logSoftmaxOp(x, dim, opts);
}

/**
 * `dropout(x, 0.5, training)`: zeroes each element with probability p and scales the rest by
 * 1/(1−p) (inverted dropout, so evaluation needs no rescaling). Identity when not training.
 */
export function dropout(x: Tensor, p = 0.5, training = true, opts: { generator?: Generator } = {}): Tensor {
  checkKeys("dropout", opts, DROPOUT_KEYS);
  checkDropoutP(p, "dropout");
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  const mask = bernoulli(fullLike(x, 1 - p, { dtype: noiseDtype(x) }), { generator: opts.generator });
  return x.mul(mask.div(1 - p));
}

/**
 * `dropout2d(x, 0.2, training)`: zeroes whole channels (each [H,W] map) with probability p, scaling
 * the rest by 1/(1−p). Shape: [N,C,H,W] or [C,H,W].
 */
export function dropout2d(x: Tensor, p = 0.5, training = true, opts: { generator?: Generator } = {}): Tensor {
  checkKeys("dropout2d", opts, DROPOUT2D_KEYS);
  checkDropoutP(p, "dropout2d");
  if (x.ndim !== 3 && x.ndim !== 4) throw new Error(`dropout2d: expected input [N,C,H,W] or [C,H,W], got ${fmtShape(x.shape)}`);
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0); // every channel dropped; 1/(1-p) would make 0 * inf = NaN
  const maskShape = x.shape.map((s, i) => (i < x.ndim - 2 ? s : 1));
  const mask = bernoulli(full(maskShape, 1 - p, { dtype: noiseDtype(x) }), { generator: opts.generator });
  return x.mul(mask.div(1 - p));
}

/** Shape [1, C, 1, ...] that broadcasts a per-channel vector over an [N, C, ...] input. */
function channelShape(x: Tensor): number[] {
  return x.shape.map((s, i) => (i === 1 ? s : 1));
}

/**
 * `batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps)`: normalises each
 * channel (dim 1). In training it uses the batch's mean and biased variance and, when running
 * statistics are given, updates them in place (`running = (1−momentum)·running + momentum·batch`,
 * with the unbiased variance, as PyTorch). Otherwise it uses the running statistics.
 * Shape: [N,C], [N,C,L] or [N,C,H,W]; statistics and affine parameters [C].
 */
export function batchNorm(
  x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null = null, bias: Tensor | null = null,
  training = false, momentum = 0.1, eps = 1e-5,
): Tensor {
  // 16-bit inputs: computed in float32, rounded once (PyTorch's batch_norm kernel); the running
  // statistics are updated in their own dtype by the in-place ops below.
  return viaFloat32((xx: Tensor, w: Tensor | null, b: Tensor | null) => batchNormImpl(xx, runningMean, runningVar, w, b, training, momentum, eps), x, weight, bias);
}

function batchNormImpl(
  x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null, bias: Tensor | null,
  training: boolean, momentum: number, eps: number,
): Tensor {
  // PyTorch takes an empty 1-D input with empty statistics (and gives it back); any other 1-D input is an error.
  const stats = [runningMean, runningVar, weight, bias];
  if (x.ndim === 1 && x.numel() === 0 && stats.every((t) => !t || t.numel() === 0)) return x.mul(1);
  if (x.ndim < 2) throw new Error(`batchNorm: expected input [N,C,...] with at least 2 dims, got ${fmtShape(x.shape)}`);
  const C = x.shape[1];
  for (const [name, t] of [["runningMean", runningMean], ["runningVar", runningVar], ["weight", weight], ["bias", bias]] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== C)) throw new Error(`batchNorm: ${name} has shape ${fmtShape(t.shape)}, but the input ${fmtShape(x.shape)} has ${C} channels; expected [${C}]`);
  }
  const cs = channelShape(x);
  let y: Tensor;
  if (training || !runningMean || !runningVar) {
    const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const n = x.numel() / C;
    if (training && n <= 1) throw new Error(`batchNorm: expected more than 1 value per channel when training, got input ${fmtShape(x.shape)}; use a batch larger than 1 or eval()`);
    const mean = x.mean(dims, true);
    const centred = x.sub(mean);
    const varB = centred.square().mean(dims, true);
    y = centred.div(varB.add(eps).sqrt());
    if (training && runningMean && runningVar) {
      noGrad(() => {
        // .to: the statistics keep their dtype when the batch was computed in float32 (16-bit input).
        runningMean.mul_(1 - momentum).add_(mean.detach().reshape([C]).mul(momentum).to(runningMean.dtype));
        runningVar.mul_(1 - momentum).add_(varB.detach().reshape([C]).mul((momentum * n) / Math.max(n - 1, 1)).to(runningVar.dtype));
      });
    }
  } else {
    y = x.sub(runningMean.reshape(cs)).div(runningVar.reshape(cs).add(eps).sqrt());
  }
  if (weight) y = y.mul(weight.reshape(cs));
  if (bias) y = y.add(bias.reshape(cs));
  return y;
}

/**
 * `layerNorm(x, [D])`: normalises over the last dims (biased variance), then scales and shifts.
 * Shape: x [*, ...normalizedShape]; weight and bias normalizedShape.
 */
export function layerNorm(x: Tensor, normalizedShape: readonly number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  // 16-bit inputs: computed in float32 and rounded once, as PyTorch's layer_norm kernel.
  return viaFloat32((xx: Tensor, w: Tensor | null, b: Tensor | null) => layerNormImpl(xx, normalizedShape, w, b, eps), x, weight, bias);
}

function layerNormImpl(x: Tensor, normalizedShape: readonly number[], weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const k = normalizedShape.length;
  const tail = x.shape.slice(x.ndim - k);
  if (x.ndim < k || tail.some((s, i) => s !== normalizedShape[i])) {
    throw new Error(`layerNorm: input ${fmtShape(x.shape)} must end with normalizedShape ${fmtShape(normalizedShape)}`);
  }
  const dims = normalizedShape.map((_, i) => x.ndim - k + i);
  const mean = x.mean(dims, true);
  const c = x.sub(mean);
  let y = c.div(c.square().mean(dims, true).add(eps).sqrt());
  if (weight) y = y.mul(weight);
  if (bias) y = y.add(bias);
  return y;
}

/**
 * `groupNorm(x, 2)`: splits the C channels into groups and normalises each (sample, group) over its
 * channels and positions; weight/bias are per channel.
 * Shape: x [N, C, *]; weight and bias [C].
 */
export function groupNorm(x: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  // 16-bit inputs: computed in float32 and rounded once, as PyTorch's group_norm kernel.
  return viaFloat32((xx: Tensor, w: Tensor | null, b: Tensor | null) => groupNormImpl(xx, numGroups, w, b, eps), x, weight, bias);
}

function groupNormImpl(x: Tensor, numGroups: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  if (x.ndim < 2) throw new Error(`groupNorm: expected input [N,C,...], got ${fmtShape(x.shape)}`);
  const [N, C] = x.shape;
  if (!Number.isInteger(numGroups) || numGroups < 1 || C % numGroups !== 0) {
    throw new Error(`groupNorm: numGroups (${numGroups}) must divide the number of channels (${C}) of input ${fmtShape(x.shape)}`);
  }
  // Explicit group size, not -1: an empty batch has no elements to infer it from.
  const g = x.reshape([N, numGroups, x.shape.slice(1).reduce((a, b) => a * b, 1) / numGroups]);
  const mean = g.mean(2, true);
  const c = g.sub(mean);
  let y = c.div(c.square().mean(2, true).add(eps).sqrt()).reshape(x.shape);
  const cs = channelShape(x);
  if (weight) y = y.mul(weight.reshape(cs));
  if (bias) y = y.add(bias.reshape(cs));
  return y;
}

/**
 * `embedding(ids, weight)`: rows of `weight` picked by int32 ids. With `paddingIdx`, that row's
 * output carries no gradient (its row is never trained). With `maxNorm`, every row the ids pick whose
 * `normType`-norm exceeds maxNorm is first scaled in place (under noGrad) to norm maxNorm, as PyTorch's
 * embedding_renorm_: weight changes, so clone a weight used by an op before this one that needs it back.
 * With `scaleGradByFreq`, each row's gradient is divided by how often ids holds it. PyTorch's `sparse`
 * gradients are not taken (the gradient is dense).
 * Shape: ids [*] int32, weight [numEmbeddings, dim] -> [*, dim].
 */
export function embedding(
  ids: Tensor, weight: Tensor, paddingIdx: number | null = null, maxNorm: number | null = null, normType = 2, scaleGradByFreq = false,
): Tensor {
  if (ids.dtype !== "int64" && ids.dtype !== "int32") throw new Error(`embedding: ids must be an int64 (or int32) tensor of indices, got ${ids.dtype} (use ids.long())`);
  if (weight.ndim !== 2) throw new Error(`embedding: weight must be [numEmbeddings, embeddingDim], got ${fmtShape(weight.shape)}`);
  const n = weight.shape[0];
  if (paddingIdx !== null && (!Number.isInteger(paddingIdx) || paddingIdx >= n || paddingIdx < -n)) {
    throw new Error(`embedding: paddingIdx must be an integer in [${-n}, ${n - 1}] (a row of weight ${fmtShape(weight.shape)}) or null, got ${describe(paddingIdx)}`);
  }
  if (maxNorm !== null && (typeof maxNorm !== "number" || Number.isNaN(maxNorm))) throw new Error(`embedding: maxNorm must be a number or null, got ${describe(maxNorm)}`);
  if (typeof normType !== "number" || Number.isNaN(normType)) throw new Error(`embedding: normType must be a number (2 for the Euclidean norm), got ${describe(normType)}`);
  if (typeof scaleGradByFreq !== "boolean") throw new Error(`embedding: scaleGradByFreq must be true or false, got ${describe(scaleGradByFreq)}`);
  const flat = ids.reshape([-1]);
  const d = flat.numbers();
  for (let i = 0; i < d.length; i++) {
    if (d[i] < 0 || d[i] >= n) throw new RangeError(`embedding: index ${d[i]} is out of range for an embedding of ${n} rows (valid ids are 0..${n - 1})`);
  }
  if (maxNorm !== null) embeddingRenorm(weight, d, maxNorm, normType);
  let rows = indexSelect(weight, 0, flat);
  if (scaleGradByFreq && rows.requiresGrad) {
    // embedding_dense_backward's scale: each position's gradient times 1 / (its id's count in ids).
    const counts = new Map<number, number>();
    for (let i = 0; i < d.length; i++) counts.set(d[i], (counts.get(d[i]) ?? 0) + 1);
    const scale = tensor(Array.from(d, (v) => 1 / counts.get(v)!), { dtype: weight.dtype }).reshape([-1, 1]);
    rows = apply(scaleGradOp, [rows], { scale });
  }
  if (paddingIdx !== null) {
    const pad = paddingIdx < 0 ? paddingIdx + n : paddingIdx;
    // Padding positions read the same values from a detached weight, so no gradient reaches that row.
    const isPad = flat.eq(pad).reshape([-1, 1]);
    rows = where(isPad, indexSelect(weight.detach(), 0, flat), rows);
  }
  return rows.reshape([...ids.shape, weight.shape[1]]);
}

/** The identity, with its gradient scaled by `scale` (embedding's scaleGradByFreq). */
const scaleGradOp = defineOp<{ scale: Tensor }>({
  name: "embedding",
  saves: [],
  forward: ([x]) => new Tensor(x.storage, x.shape, x.strides, x.offset, x.dtype),
  backward: (g, { attrs: { scale } }) => [g.mul(scale)],
});

/**
 * PyTorch's embedding_renorm_ (CPU): each distinct row picked whose norm (in weight's dtype) exceeds
 * maxNorm is multiplied by maxNorm / (norm + 1e-7), computed in double and rounded to weight's dtype.
 */
function embeddingRenorm(weight: Tensor, ids: ArrayLike<number>, maxNorm: number, normType: number): void {
  if (!isFloating(weight.dtype)) throw new Error(`embedding: maxNorm needs a floating point weight, got ${weight.dtype}`);
  const uniq = [...new Set(Array.from(ids))].sort((a, b) => a - b);
  if (uniq.length === 0) return;
  noGrad(() => {
    const idx = tensor(uniq, { dtype: "int64" });
    const norms = linalg.vectorNorm(indexSelect(weight, 0, idx), normType, 1).numbers();
    const picked: number[] = [], scales: number[] = [];
    uniq.forEach((row, i) => {
      if (norms[i] > maxNorm) {
        picked.push(row);
        scales.push(maxNorm / (norms[i] + 1e-7));
      }
    });
    if (picked.length === 0) return;
    const at = tensor(picked, { dtype: "int64" });
    const scaled = indexSelect(weight, 0, at).mul(tensor(scales, { dtype: weight.dtype }).reshape([-1, 1]));
    weight.indexCopy_(0, at, scaled);
  });
}

/** `flatten(x, 1)`: merges dims startDim..endDim (the batch dim is kept by default in the layer). */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  return x.flatten(startDim, endDim);
}

// Optional parameters PyTorch code passes positionally, also taken as one trailing options object
// (API.md rule 3: `F.leakyRelu(x, { negativeSlope: 0.2 })`, `F.dropout(x, { p: 0.2 })`); the entry
// layer (guardAll in nn/index.ts, src/tensor/guard.ts; names are bare, as guardAll gives them)
// spreads it into the arguments. The activation, normalization and spatial families declare theirs
// next to their functions; linear, leakyRelu, elu, gelu, flatten, pad and oneHot are declared with
// their ops (src/ops), under the same names. `FunctionalOptionalArgs` is all of them, for the types.
const OPTIONAL_ARGS = declareOptionalArgs({
  dropout: { first: 1, names: ["p", "training"], bag: ["generator"] },
  dropout2d: { first: 1, names: ["p", "training"], bag: ["generator"] },
  batchNorm: { first: 3, names: ["weight", "bias", "training", "momentum", "eps"] },
  layerNorm: { first: 2, names: ["weight", "bias", "eps"] },
  groupNorm: { first: 2, names: ["weight", "bias", "eps"] },
  embedding: { first: 2, names: ["paddingIdx", "maxNorm", "normType", "scaleGradByFreq"] },
});
export type FunctionalOptionalArgs = typeof OPTIONAL_ARGS & OpsOptionalArgs & ActivationsOptionalArgs & NormalizationOptionalArgs & MiscOptionalArgs &
  LpPoolOptionalArgs & GridOptionalArgs & ShuffleDropoutOptionalArgs & UnpoolOptionalArgs;
