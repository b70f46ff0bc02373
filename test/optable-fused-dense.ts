/**
 * Op-table family: the fused dense-layer ops (linear, linearRelu, ReLU's backward, cross-entropy on logits), with PyTorch
 * references from scripts/fixtures/ops_fused_dense.py (test/fixtures/ops-fused-dense.json). test/ops-fused-dense.test.ts
 * also checks each against its unfused composition on both backends and thread counts.
 */
import { type Tensor, grad, linear, linearRelu, nn, relu, softmaxCrossEntropy, expand } from "../src/index.js";
import { type OpEntry, E } from "./optable-entry.js";

/** x itself when it already requires grad (gradient tests), else a leaf copy that does (forward tests). */
const diffable = (x: Tensor): Tensor => (x.requiresGrad ? x : x.detach().requiresGrad_());

/** ReLU's gradient as a function of (x, g), differentiable again: exercises the fused reluBackward op and its backward. */
export function reluGrad(x: Tensor, g: Tensor): Tensor {
  const xx = diffable(x);
  return grad([relu(xx)], [xx], { gradOutputs: [g], createGraph: true })[0]!;
}

/** The per-sample cross-entropy's gradient weighted by g, differentiable again. */
export function ceGrad(x: Tensor, t: Tensor, g: Tensor, ignoreIndex = -100): Tensor {
  const xx = diffable(x);
  return grad([softmaxCrossEntropy(xx, t, ignoreIndex)], [xx], { gradOutputs: [g], createGraph: true })[0]!;
}

export const FUSED_DENSE_OPS: readonly OpEntry[] = [
  E("linear", (x, w, b) => linear(x, w, b)),
  E("linear:noBias", (x, w) => linear(x, w)),
  E("linear:batched", (x, w, b) => linear(x, w, b)),
  E("linear:1x1", (x, w, b) => linear(x, w, b)),
  E("linear:expandedInput", (x, w, b) => linear(expand(x, [5, 17]), w, b)),
  E("linear:scalarBias", (x, w, b) => linear(x, w, b)),
  E("linear:1d", (x, w, b) => linear(x, w, b)),
  E("linearRelu", (x, w, b) => linearRelu(x, w, b)),
  E("linearRelu:noBias", (x, w) => linearRelu(x, w)),
  E("linearRelu:batched", (x, w, b) => linearRelu(x, w, b)),
  E("linearRelu:scalarBias", (x, w, b) => linearRelu(x, w, b)),
  E("reluBackward", reluGrad),
  E("softmaxCrossEntropy", (x, t) => softmaxCrossEntropy(x, t)),
  E("softmaxCrossEntropy:ignore", (x, t) => softmaxCrossEntropy(x, t, 2)),
  E("softmaxCrossEntropy:wide", (x, t) => softmaxCrossEntropy(x.mul(4), t)),
  E("softmaxCrossEntropyBackward", (x, t, g) => ceGrad(x, t, g)),
  E("softmaxCrossEntropyBackward:ignore", (x, t, g) => ceGrad(x, t, g, 1)),
  E("crossEntropy:mean", (x, t) => nn.functional.crossEntropy(x, t)),
  E("crossEntropy:sum", (x, t) => nn.functional.crossEntropy(x, t, { reduction: "sum" })),
  E("crossEntropy:meanIgnore", (x, t) => nn.functional.crossEntropy(x, t, { ignoreIndex: 0 })),
  E("crossEntropy:unbatched", (x, t) => nn.functional.crossEntropy(x, t)),
];
