/** Op-table entries for nn.functional's activations and layer functions (fixtures: scripts/fixtures/ops_nnfunc.py). */
import { type OpEntry, E } from "./optable-entry.js";
import { type Tensor, nn, tensor } from "../src/index.js";

const F = nn.functional;
const kinks = { kinks: true };
const noGradOp = { differentiable: false };
const i32 = (v: number[]): Tensor => tensor(Int32Array.from(v));
const OFFS = [0, 3, 3, 6];

export const NNFUNC_OPS: readonly OpEntry[] = [
  // ---------------------------------------------------------------- activations
  E("softplus", (x) => F.softplus(x)), E("softplus:beta", (x) => F.softplus(x.mul(8), 2, 5)),
  E("softplus:negBeta", (x) => F.softplus(x, -1.5, 3)),
  E("relu6", (x) => F.relu6(x.mul(4))), E("hardswish", (x) => F.hardswish(x.mul(3))), E("hardsigmoid", (x) => F.hardsigmoid(x.mul(3))),
  E("hardtanh", (x) => F.hardtanh(x)), E("hardtanh:range", (x) => F.hardtanh(x, -0.5, 1.5)),
  E("selu", (x) => F.selu(x)), E("celu", (x) => F.celu(x)), E("celu:alpha", (x) => F.celu(x, 0.4)), E("mish", (x) => F.mish(x.mul(3))),
  E("glu", (x) => F.glu(x)), E("glu:dim0", (x) => F.glu(x, 0)),
  E("prelu", (x, w) => F.prelu(x, w)), E("prelu:channels", (x, w) => F.prelu(x, w)),
  E("rrelu:eval", (x) => F.rrelu(x, 0.1, 0.3, false)),
  E("softmin", (x) => F.softmin(x, 1)), E("softmin:dim0", (x) => F.softmin(x, 0)),
  E("softsign", (x) => F.softsign(x)), E("tanhshrink", (x) => F.tanhshrink(x)), E("threshold", (x) => F.threshold(x, 0.1, 20)),
  E("logsigmoid", (x) => F.logsigmoid(x.mul(4))),
  E("softshrink", (x) => F.softshrink(x)), E("softshrink:lambd", (x) => F.softshrink(x, 1.2)),
  E("hardshrink", (x) => F.hardshrink(x)), E("hardshrink:lambd", (x) => F.hardshrink(x, 0.3)),
  // Integer-valued inputs on the corners: PyTorch's one-sided derivative conventions.
  E("relu6:kinks", (x) => F.relu6(x), kinks), E("hardtanh:kinks", (x) => F.hardtanh(x), kinks),
  E("hardsigmoid:kinks", (x) => F.hardsigmoid(x), kinks), E("hardswish:kinks", (x) => F.hardswish(x), kinks),
  E("softshrink:kinks", (x) => F.softshrink(x, 1), kinks), E("hardshrink:kinks", (x) => F.hardshrink(x, 1), kinks),
  E("threshold:kinks", (x) => F.threshold(x, 1, -2), kinks), E("logsigmoid:kinks", (x) => F.logsigmoid(x), kinks),
  E("softsign:kinks", (x) => F.softsign(x), kinks),
  E("prelu:kinks", (x: Tensor) => F.prelu(x, tensor([0.3], { dtype: x.dtype })), kinks),
  E("rrelu:eval:kinks", (x) => F.rrelu(x), kinks),
  // ---------------------------------------------------------------- distances and normalisation
  E("normalize", (x) => F.normalize(x)), E("normalize:p1dim0", (x) => F.normalize(x, 1, 0)),
  E("cosineSimilarity", (a, b) => F.cosineSimilarity(a, b)), E("cosineSimilarity:broadcast", (a, b) => F.cosineSimilarity(a, b, 1)),
  E("cosineSimilarity:dim0", (a, b) => F.cosineSimilarity(a, b, 0)),
  E("pairwiseDistance", (a, b) => F.pairwiseDistance(a, b)), E("pairwiseDistance:p1keepdim", (a, b) => F.pairwiseDistance(a, b, { p: 1, keepdim: true })),
  E("instanceNorm", (x) => F.instanceNorm(x)), E("instanceNorm:affine2d", (x, w, b) => F.instanceNorm(x, { weight: w, bias: b, eps: 1e-3 })),
  E("localResponseNorm", (x) => F.localResponseNorm(x, 3)), E("localResponseNorm:4d", (x) => F.localResponseNorm(x, 4, 0.1, 0.6, 2)),

  // ---------------------------------------------------------------- pooling
  E("maxPool1d", (x) => F.maxPool1d(x, 3, { stride: 2, padding: 1 })), E("maxPool1d:dilation", (x) => F.maxPool1d(x, 2, { stride: 1, dilation: 2 })),
  E("maxPool1d:ceil", (x) => F.maxPool1d(x, 3, { stride: 2, ceilMode: true })), E("maxPool1d:unbatched", (x) => F.maxPool1d(x, 2)),
  E("maxPool1d:indices", (x) => F.maxPool1dWithIndices(x, 3, { stride: 2, padding: 1 }).indices, noGradOp),
  E("avgPool1d", (x) => F.avgPool1d(x, 3, { stride: 2, padding: 1 })),
  E("avgPool1d:noPad", (x) => F.avgPool1d(x, 3, { stride: 2, padding: 1, countIncludePad: false })),
  E("avgPool1d:ceil", (x) => F.avgPool1d(x, 3, { stride: 2, ceilMode: true })),
  E("adaptiveAvgPool1d", (x) => F.adaptiveAvgPool1d(x, 3)), E("adaptiveMaxPool1d", (x) => F.adaptiveMaxPool1d(x, 3)),
  E("adaptiveMaxPool1d:indices", (x) => F.adaptiveMaxPool1dWithIndices(x, 3).indices, noGradOp),
  E("adaptiveMaxPool2d", (x) => F.adaptiveMaxPool2d(x, [3, 2])), E("adaptiveMaxPool2d:even", (x) => F.adaptiveMaxPool2d(x, 2)),
  E("adaptiveMaxPool2d:none", (x) => F.adaptiveMaxPool2d(x, [null, 3])), E("adaptiveMaxPool2d:unbatched", (x) => F.adaptiveMaxPool2d(x, 2)),
  E("adaptiveMaxPool2d:indices", (x) => F.adaptiveMaxPool2dWithIndices(x, [3, 2]).indices, noGradOp),
  E("adaptiveMaxPool2d:ties", (x) => F.adaptiveMaxPool2d(x, [2, 3]), kinks), E("maxPool1d:ties", (x) => F.maxPool1d(x, 3, { stride: 2 }), kinks),

  // ---------------------------------------------------------------- padding, shuffling, unfold/fold
  E("pad:replicate", (x) => F.pad(x, [2, 1], "replicate")), E("pad:replicate2d", (x) => F.pad(x, [1, 2, 3, 1], "replicate")),
  E("pad:replicate3d", (x) => F.pad(x, [1, 0, 2, 1, 1, 1], "replicate")), E("pad:replicateCrop", (x) => F.pad(x, [-1, 2], "replicate")),
  E("pad:circular", (x) => F.pad(x, [2, 1], "circular")), E("pad:circular2d", (x) => F.pad(x, [1, 2, 3, 1], "circular")),
  E("pad:reflect3d", (x) => F.pad(x, [1, 2, 2, 0, 1, 1], "reflect")),
  E("pixelShuffle", (x) => F.pixelShuffle(x, 2)), E("pixelShuffle:lead", (x) => F.pixelShuffle(x, 3)), E("pixelUnshuffle", (x) => F.pixelUnshuffle(x, 2)),
  E("F.unfold", (x) => F.unfold(x, [2, 3], { dilation: [1, 2], padding: 1, stride: [2, 1] })), E("F.unfold:simple", (x) => F.unfold(x, 2)),
  E("F.fold", (x) => F.fold(x, [4, 5], 2)), E("F.fold:padStride", (x) => F.fold(x, [5, 6], 3, { padding: 1, stride: 2 })),

  // ---------------------------------------------------------------- interpolate
  E("interpolate:nearest", (x) => F.interpolate(x, [7, 3])), E("interpolate:nearest1d", (x) => F.interpolate(x, { scaleFactor: 1.7 })),
  E("interpolate:linear", (x) => F.interpolate(x, 8, null, "linear")),
  E("interpolate:linearAlign", (x) => F.interpolate(x, { size: 8, mode: "linear", alignCorners: true })),
  E("interpolate:bilinear", (x) => F.interpolate(x, { scaleFactor: 2, mode: "bilinear" })),
  E("interpolate:bilinearAlign", (x) => F.interpolate(x, { size: [3, 7], mode: "bilinear", alignCorners: true })),
  E("interpolate:bicubic", (x) => F.interpolate(x, { size: [7, 9], mode: "bicubic" })),
  E("interpolate:bicubicAlign", (x) => F.interpolate(x, [7, 9], null, "bicubic", true)),
  E("interpolate:bicubicScale", (x) => F.interpolate(x, { scaleFactor: 1.5, mode: "bicubic" })),
  E("interpolate:bicubicDown", (x) => F.interpolate(x, { size: [4, 3], mode: "bicubic" })),

  // ---------------------------------------------------------------- convTranspose1d, bilinear, embeddingBag, oneHot, attention
  E("convTranspose1d", (x, w, b) => F.convTranspose1d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 })),
  E("convTranspose1d:groups", (x, w) => F.convTranspose1d(x, w, null, { groups: 2, dilation: 2 })),
  E("bilinear", (a, b, w, bias) => F.bilinear(a, b, w, bias)), E("bilinear:lead", (a, b, w) => F.bilinear(a, b, w)),
  E("embeddingBag:mean", (i, w) => F.embeddingBag(i, w, i32(OFFS))), E("embeddingBag:sum", (i, w) => F.embeddingBag(i, w, i32(OFFS), { mode: "sum" })),
  E("embeddingBag:max", (i, w) => F.embeddingBag(i, w, i32(OFFS), { mode: "max" })), E("embeddingBag:2d", (i, w) => F.embeddingBag(i, w)),
  E("embeddingBag:weights", (i, w, p) => F.embeddingBag(i, w, i32(OFFS), { mode: "sum", perSampleWeights: p })),
  E("embeddingBag:padding", (i, w) => F.embeddingBag(i, w, i32(OFFS), { paddingIdx: 1 })),
  E("embeddingBag:lastOffset", (i, w) => F.embeddingBag(i, w, i32([0, 2, 7, 9]), { includeLastOffset: true })),
  E("F.oneHot", (i) => F.oneHot(i, 6), noGradOp),
  E("scaledDotProductAttention", (q, k, v) => F.scaledDotProductAttention(q, k, v)),
  E("scaledDotProductAttention:mask", (q, k, v, m) => F.scaledDotProductAttention(q, k, v, { attnMask: m })),
];
