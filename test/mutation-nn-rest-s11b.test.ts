// What session 11's run 2 of src/nn (losses-margin, losses-ctc, functional/pooling, functional/spatial,
// with the s11a tests) left alive and is not equivalent (docs/mutation/session-11-nn.md lists both):
// the Tensor checks of arguments after the first (through the functions, and through the layers that
// call them without the entry layer), CTC's log-sum-exp shifts on log-probabilities below exp's range,
// the output dtype of ctcLoss, the multi-label target rows without a -1, shape checks whose first test
// alone passes, the adaptive max pool's max-pool shortcut, empty batches, and edge sizes.
// Values are PyTorch 1.13's (float64):
//   s = torch.tensor([[0.1,0.9,0.4],[0.5,-0.3,0.45]],dtype=d)
//   F.multilabel_margin_loss(s, torch.tensor([[2,2,2],[0,-1,0]]), reduction='none')           -> [2.2, 0.3833333333333333]
//   F.hinge_embedding_loss(torch.tensor([0.3]), torch.tensor([1.,-1.,-1.]), reduction='none') -> [0.3, 0.7, 0.7]
//   lp = torch.full((12,1,3), -100.0, dtype=d); lp[::2,0,1] = -90.0; lp.requires_grad_()
//   l = F.ctc_loss(lp, torch.tensor([[1,2,1]]), [12], [3], reduction='sum'); l.backward()      -> CTC_BIG, CTC_BIG_GRAD
//   lp = torch.full((6,1,3), -1.0, dtype=d); lp[:3,0,1] = -1000.0; lp[:3,0,2] = -1000.0; lp.requires_grad_()
//   l = F.ctc_loss(lp, torch.tensor([[1,2]]), [6], [2], reduction='sum'); l.backward()          -> 4.3905620875658995, CTC_FAR_GRAD
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, zeros, Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { close, f64 } from "./float64-close.js";

const F = nn.functional;
const i64 = (v: unknown) => tensor(v as number[], { dtype: "int64" });
const s = f64([[0.1, 0.9, 0.4], [0.5, -0.3, 0.45]]);

const CTC_BIG = 1137.6968156949456;
const CTC_BIG_GRAD = [
  -7.2636755e-05, -0.999927363245, 0.0, -7.2625217e-05, -0.799992727835, -0.199934646947, -3.6310961e-05, -0.999882004521, -8.1684518e-05,
  -7.2617801e-05, -0.799929195295, -0.199998186904, -3.6319614e-05, -0.999881981035, -8.1699351e-05, -7.2626041e-05, -0.799929179226, -0.199998194733,
  -3.6319614e-05, -0.999881981034, -8.1699352e-05, -7.2619861e-05, -0.79992919035, -0.199998189788, -3.6312609e-05, -0.999881997929, -8.1689462e-05,
  -5.9006599e-05, -0.799988192004, -0.199952801397, -4.0858329e-05, -0.999945527172, -1.3614498e-05, -0.500009082376, -0.499990917624, 0.0,
];

test("ctcLoss: log-probabilities far below exp's range (α, β and the posteriors all near -1000) against PyTorch", () => {
  const v = new Array(36).fill(-100);
  for (let t = 0; t < 12; t += 2) v[t * 3 + 1] = -90;
  const lp = tensor(v, { dtype: "float64" }).reshape([12, 1, 3]).requiresGrad_();
  const l = F.ctcLoss(lp, i64([[1, 2, 1]]), [12], [3], { reduction: "sum" });
  close(l, [CTC_BIG], 1e-9);
  l.backward();
  close(lp.grad!, CTC_BIG_GRAD, 1e-9);
});

const CTC_FAR_GRAD = [
  -0.632120558829, 0.0, 0.0, -0.632120558829, 0.0, 0.0, -0.632120558829, 0.0, 0.0,
  0.167879441171, -0.432120558829, 0.367879441171, 0.167879441171, -0.032120558829, -0.032120558829, 0.167879441171, 0.367879441171, -0.432120558829,
];

test("ctcLoss: blank states of one frame whose α·β differ by more than exp's range (labels impossible early, likely late)", () => {
  const v = new Array(18).fill(-1);
  for (let t = 0; t < 3; t++) v[t * 3 + 1] = v[t * 3 + 2] = -1000;
  const lp = tensor(v, { dtype: "float64" }).reshape([6, 1, 3]).requiresGrad_();
  const l = F.ctcLoss(lp, i64([[1, 2]]), [6], [2], { reduction: "sum" });
  close(l, [4.3905620875658995], 1e-12);
  l.backward();
  close(lp.grad!, CTC_FAR_GRAD, 1e-11);
});

test("ctcLoss: the loss has the input's dtype (float32 and float16 too, as PyTorch)", () => {
  for (const dt of ["float32", "float16", "float64"] as const) {
    const lp = tensor([[[-1, -2, -0.5]], [[-1, -0.3, -2]]], { dtype: dt });
    assert.equal(F.ctcLoss(lp, i64([[1]]), [2], [1], { reduction: "none" }).dtype, dt);
    assert.equal(F.ctcLoss(lp, i64([[1]]), [2], [1]).dtype, dt);
  }
});

test("multilabelMarginLoss: a target row with no -1 uses all of its C entries and no more", () => {
  close(F.multilabelMarginLoss(s, i64([[2, 2, 2], [0, -1, 0]]), { reduction: "none" }), [2.2, 0.3833333333333333]);
});

test("hingeEmbeddingLoss: an input of size 1 broadcasts against a longer target", () => {
  close(F.hingeEmbeddingLoss(f64([0.3]), f64([1, -1, -1]), { reduction: "none" }), [0.3, 0.7, 0.7]);
});

test("adaptiveMaxPool2d: sizes that divide take the max-pool op (one traced op, e.g. for ONNX); others gather", () => {
  assert.match(String(F.adaptiveMaxPool2d(zeros([1, 2, 4, 4]).requiresGrad_(), 2)), /gradFn=<maxPool2dBackward>/);
  assert.match(String(F.adaptiveMaxPool2d(zeros([1, 2, 4, 6]).requiresGrad_(), [2, 3])), /gradFn=<maxPool2dBackward>/);
  assert.match(String(F.adaptiveMaxPool2d(zeros([1, 2, 4, 3]).requiresGrad_(), 2)), /gradFn=<reshapeBackward>/);
  assert.match(String(F.adaptiveMaxPool2d(zeros([1, 2, 3, 4]).requiresGrad_(), 2)), /gradFn=<reshapeBackward>/);
});

test("pools, adaptive pools and unfold take an empty batch; pixelUnshuffle a 3-D input; unfold a kernel as wide as the image", () => {
  assert.deepEqual(F.maxPool1d(zeros([0, 2, 4]), 2).shape, [0, 2, 2]);
  assert.deepEqual(F.avgPool1d(zeros([0, 2, 4]), 2).shape, [0, 2, 2]);
  assert.deepEqual(F.adaptiveMaxPool1d(zeros([0, 2, 4]), 3).shape, [0, 2, 3]);
  assert.deepEqual(F.adaptiveMaxPool2d(zeros([0, 2, 4, 3]), 2).shape, [0, 2, 2, 2]);
  assert.deepEqual(F.adaptiveMaxPool2d(zeros([0, 2, 4, 4]), 2).shape, [0, 2, 2, 2]);
  assert.deepEqual(Array.from(F.pixelUnshuffle(tensor([[[1, 2], [3, 4]]]), 2).numbers()), [1, 2, 3, 4]);
  assert.deepEqual(F.pixelUnshuffle(tensor([[[1, 2], [3, 4]]]), 2).shape, [4, 1, 1]);
  const x = tensor([[[1, 2, 3], [4, 5, 6]]]);
  // PyTorch: F.unfold(x[None], (1, 3)) = [[[1., 4.], [2., 5.], [3., 6.]]]
  const u = F.unfold(x, [1, 3]);
  assert.deepEqual(u.shape, [3, 2]);
  assert.deepEqual(Array.from(u.numbers()), [1, 4, 2, 5, 3, 6]);
  assert.deepEqual(Array.from(F.unfold(x, [2, 1]).numbers()), [1, 2, 3, 4, 5, 6]);
});

test("argument checks after the first: each message exact (through F, and through the layers, which skip the entry layer)", () => {
  const x = f64([0.2, -1.3]);
  const cases: [() => unknown, string, ErrorConstructor?][] = [
    [() => F.marginRankingLoss(x, x, 3 as never), "marginRankingLoss: target must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => F.hingeEmbeddingLoss(x, 3 as never), "hingeEmbeddingLoss: target must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => F.multiMarginLoss(s, 3 as never), "multiMarginLoss: target must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => F.multiMarginLoss(s, i64([1, 2]), { weight: 3 as never }), "multiMarginLoss: weight must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => F.multiMarginLoss(s, i64([1, 2]), { weight: f64([[1], [2], [3]]) }), "multiMarginLoss: weight must have one entry per class, shape [3], got [3,1]"],
    [() => F.multiMarginLoss(s, i64([[1], [2]])), "multiMarginLoss: target [2,1] does not fit input [2,3]: expected one int64 class index per sample, shape [2]"],
    [() => F.multilabelMarginLoss(s, 3 as never), "multilabelMarginLoss: target must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => F.multilabelMarginLoss(s, i64([[1, -1], [0, -1], [2, -1]])), "multilabelMarginLoss: target [3,2] must have the input's shape [2,3]: each row lists class indices, ended by -1"],
    [() => F.multilabelSoftMarginLoss(s, f64([[1, 0, 1], [0, 1, 1]]), { weight: 3 as never }), "multilabelSoftMarginLoss: weight must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => F.cosineEmbeddingLoss(s, s, 3 as never), "cosineEmbeddingLoss: target must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => F.ctcLoss(f64([[[-1, -1]]]), 3 as never, [1], [1]), "ctcLoss: targets must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => new nn.CTCLoss().forward(3 as never, i64([[1]]), [1], [1]), "ctcLoss: logProbs must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => new nn.MaxPool1d(2).forwardWithIndices(3 as never), "maxPool1d: input must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => new nn.AdaptiveMaxPool2d(2).forward(3 as never), "adaptiveMaxPool2d: input must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => new nn.Unfold(2).forward(3 as never), "unfold: input must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => new nn.Fold([2, 2], 2).forward(3 as never), "fold: input must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => new nn.ConstantPad1d(1, 0).forward(3 as never), "pad: input must be a Tensor, got number 3 (wrap plain numbers with tensor(...))"],
    [() => F.unfold(zeros([1, 1, 3, 3]), 2, null as never), "unfold: dilation must be an integer, a pair of integers or an options object like { stride: 2 }, got null"],
    [() => F.adaptiveMaxPool2d(zeros([2, 0, 5]), 2), "adaptiveMaxPool2d: input [2,0,5] has an empty spatial dim; each window needs at least one element"],
  ];
  for (const [fn, msg, type] of cases) throwsWith(fn, msg, type ?? Error);
});
