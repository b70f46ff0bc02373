// src/nn/losses-margin.ts: what session 10's run of the rest of src/nn left alive (87 survivors,
// docs/mutation/session-11-nn.md): the options of each loss reaching the value (delta, margin, p,
// weight, eps, swap, reduction) and the modules passing them on, every check's exact message, and the
// branches no fixture took (a 1-D multi-margin input, targets that are neither 1 nor -1).
// The values are PyTorch 1.13's, from this script (float64 inputs):
//   import torch, torch.nn.functional as F; d = torch.float64
//   x = torch.tensor([0.2,-1.3,2.5,0.7],dtype=d); y = torch.tensor([0.0,0.5,0.4,0.7],dtype=d)
//   F.huber_loss(x,y,reduction='none',delta=0.5); F.huber_loss(x,y); F.huber_loss(x,y,reduction='sum')
//   a = [0.3,-0.2,1.0]; b = [0.1,0.4,1.2]; t = [1.,-1.,1.]
//   F.margin_ranking_loss(a,b,t,margin=0.5,reduction='none'); F.margin_ranking_loss(a,b,t)
//   h = [0.3,1.5,0.2,2.5]; ht = [1.,-1.,-1.,0.]
//   F.hinge_embedding_loss(h,ht,margin=2,reduction='none'); F.hinge_embedding_loss(h,ht,reduction='none')
//   s = [[0.1,0.9,0.4],[0.5,-0.3,0.45]]; st = [1,2]; w = [0.5,2.0,3.0]
//   F.multi_margin_loss(s,st,reduction='none'); F.multi_margin_loss(s,st,p=2,margin=1.0,weight=w,reduction='none')
//   F.multi_margin_loss(s,st,p=2,reduction='none'); F.multi_margin_loss(s[0],torch.tensor(1),reduction='none')
//   mt = [[2,0,-1],[1,-1,0]]; F.multilabel_margin_loss(s,mt,reduction='none'); F.multilabel_margin_loss(s[1],mt[1])
//   ml = [[1.,0.,1.],[0.,1.,1.]]; F.multilabel_soft_margin_loss(s,ml,reduction='none'), (..., weight=w), (s[0], ml[0])
//   F.soft_margin_loss(x,[1.,-1.,-1.,1.],reduction='none')
//   A = [[0.1,0.2,0.3],[1.0,-1.0,0.5]]; P = [[0.4,0.1,0.0],[0.8,-0.5,0.2]]; N = [[0.3,0.3,0.3],[0.9,-0.9,0.6]]
//   N2 = [[0.45,0.1,0.0],[0.7,-0.5,0.2]]
//   F.triplet_margin_loss(A,P,N,reduction='none'); (A,P,N,margin=2.0,p=1,eps=0.01); (A,P,N2,margin=1.0,swap=True)
//   F.cosine_embedding_loss(A,P,[1.,-1.],reduction='none'); (A,N,[-1.,0.],margin=0.2); (A[0],N[0],tensor(-1.),margin=0.5)
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const F = nn.functional;
const f64 = (v: number[] | number[][] | number) => tensor(v as number[], { dtype: "float64" });
const i64 = (v: number[] | number[][] | number) => tensor(v as number[], { dtype: "int64" });

function close(t: Tensor, want: number[] | number, shape?: number[]): void {
  const got = t.numbers();
  const w = typeof want === "number" ? [want] : want;
  assert.equal(got.length, w.length, `length: got ${got}`);
  for (let i = 0; i < w.length; i++) assert.ok(Math.abs(got[i] - w[i]) < 1e-9, `[${i}]: got ${got[i]}, want ${w[i]} (all: ${got})`);
  if (shape) assert.deepEqual(t.shape, shape);
}

const x = f64([0.2, -1.3, 2.5, 0.7]), y = f64([0.0, 0.5, 0.4, 0.7]);
const a = f64([0.3, -0.2, 1.0]), b = f64([0.1, 0.4, 1.2]), t = f64([1, -1, 1]);
const h = f64([0.3, 1.5, 0.2, 2.5]), ht = f64([1, -1, -1, 0]);
const s = f64([[0.1, 0.9, 0.4], [0.5, -0.3, 0.45]]), st = i64([1, 2]), w = f64([0.5, 2.0, 3.0]);
const mt = i64([[2, 0, -1], [1, -1, 0]]), ml = f64([[1, 0, 1], [0, 1, 1]]);
const A = f64([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5]]), P = f64([[0.4, 0.1, 0.0], [0.8, -0.5, 0.2]]);
const N = f64([[0.3, 0.3, 0.3], [0.9, -0.9, 0.6]]), N2 = f64([[0.45, 0.1, 0.0], [0.7, -0.5, 0.2]]);

test("huberLoss: delta and the reductions against PyTorch, as function and module", () => {
  close(F.huberLoss(x, y, { reduction: "none", delta: 0.5 }), [0.020000000000000004, 0.775, 0.925, 0.0], [4]);
  close(F.huberLoss(x, y), 0.73, []);
  close(F.huberLoss(x, y, { reduction: "sum" }), 2.92);
  close(new nn.HuberLoss({ reduction: "none", delta: 0.5 }).call(x, y), [0.020000000000000004, 0.775, 0.925, 0.0]);
  close(new nn.HuberLoss().call(x, y), 0.73);
  assert.equal(new nn.HuberLoss().delta, 1);
  assert.equal(new nn.HuberLoss({ delta: 0.5 }).delta, 0.5);
  close(new nn.HuberLoss({ reduction: "sum" }).call(x, y), 2.92);
});

test("marginRankingLoss: margin and its default 0, as function and module", () => {
  close(F.marginRankingLoss(a, b, t, { margin: 0.5, reduction: "none" }), [0.30000000000000004, 0.0, 0.7], [3]);
  close(F.marginRankingLoss(a, b, t), 0.06666666666666665, []);
  close(new nn.MarginRankingLoss({ margin: 0.5, reduction: "none" }).call(a, b, t), [0.30000000000000004, 0.0, 0.7]);
  close(new nn.MarginRankingLoss().call(a, b, t), 0.06666666666666665);
  const m = new nn.MarginRankingLoss();
  assert.equal(m.margin, 0);
  assert.equal(m.reduction, "mean");
  close(new nn.MarginRankingLoss({ reduction: "sum" }).call(a, b, t), 0.2);
});

test("hingeEmbeddingLoss: margin (default 1) and a target that is neither 1 nor -1 counting both terms", () => {
  close(F.hingeEmbeddingLoss(h, ht, { margin: 2, reduction: "none" }), [0.3, 0.5, 1.8, 2.5], [4]);
  close(F.hingeEmbeddingLoss(h, ht, { reduction: "none" }), [0.3, 0.0, 0.8, 2.5]);
  close(new nn.HingeEmbeddingLoss({ margin: 2, reduction: "none" }).call(h, ht), [0.3, 0.5, 1.8, 2.5]);
  close(new nn.HingeEmbeddingLoss({ reduction: "none" }).call(h, ht), [0.3, 0.0, 0.8, 2.5]);
  assert.equal(new nn.HingeEmbeddingLoss().margin, 1);
  close(new nn.HingeEmbeddingLoss().call(h, ht), (0.3 + 0.8 + 2.5) / 4);
});

test("multiMarginLoss: p, margin and weight (indexed by the target), a 1-D input, and the module's defaults", () => {
  close(F.multiMarginLoss(s, st, { reduction: "none" }), [0.2333333333333333, 0.43333333333333335], [2]);
  close(F.multiMarginLoss(s, st, { p: 2, margin: 1.0, weight: w, reduction: "none" }), [0.19333333333333333, 1.165]);
  close(F.multiMarginLoss(s, st, { p: 2, reduction: "none" }), [0.09666666666666666, 0.38833333333333336]);
  const one = F.multiMarginLoss(f64([0.1, 0.9, 0.4]), i64(1), { reduction: "none" });
  close(one, 0.2333333333333333, []);
  close(F.multiMarginLoss(f64([0.1, 0.9, 0.4]), i64([1]), { reduction: "none" }), [0.2333333333333333], [1]);
  const m = new nn.MultiMarginLoss({ p: 2, margin: 1.0, weight: w, reduction: "none" });
  close(m.call(s, st), [0.19333333333333333, 1.165]);
  assert.equal(m.p, 2);
  assert.equal(m.margin, 1);
  assert.equal(m.weight, w);
  const d = new nn.MultiMarginLoss();
  assert.equal(d.p, 1);
  assert.equal(d.margin, 1);
  assert.equal(d.weight, null);
  close(d.call(s, st), (0.2333333333333333 + 0.43333333333333335) / 2);
  assert.deepEqual(Object.keys(m.stateDict()), ["weight"]);
});

test("multilabelMarginLoss: lists ended by -1, a 1-D input, as function and module", () => {
  close(F.multilabelMarginLoss(s, mt, { reduction: "none" }), [1.0999999999999999, 1.1833333333333333], [2]);
  close(F.multilabelMarginLoss(f64([0.5, -0.3, 0.45]), i64([1, -1, 0]), { reduction: "none" }), 1.1833333333333333, []);
  close(new nn.MultiLabelMarginLoss({ reduction: "none" }).call(s, mt), [1.0999999999999999, 1.1833333333333333]);
  close(new nn.MultiLabelMarginLoss().call(s, mt), (1.0999999999999999 + 1.1833333333333333) / 2);
});

test("multilabelSoftMarginLoss: weight, a 1-D input, as function and module", () => {
  close(F.multilabelSoftMarginLoss(s, ml, { reduction: "none" }), [0.7995219290685371, 0.7738937248820296], [2]);
  close(F.multilabelSoftMarginLoss(s, ml, { weight: w, reduction: "none" }), [1.4478506122336061, 1.2251652730064908]);
  close(F.multilabelSoftMarginLoss(f64([0.1, 0.9, 0.4]), f64([1, 0, 1]), { reduction: "none" }), 0.7995219290685371, []);
  const m = new nn.MultiLabelSoftMarginLoss({ weight: w, reduction: "none" });
  close(m.call(s, ml), [1.4478506122336061, 1.2251652730064908]);
  assert.equal(m.weight, w);
  assert.equal(new nn.MultiLabelSoftMarginLoss().weight, null);
  close(new nn.MultiLabelSoftMarginLoss().call(s, ml), (0.7995219290685371 + 0.7738937248820296) / 2);
});

test("softMarginLoss against PyTorch, as function and module", () => {
  const yt = f64([1, -1, -1, 1]);
  const want = [0.5981388693815918, 0.24100845383299216, 2.5788897342925496, 0.40318604888545784];
  close(F.softMarginLoss(x, yt, { reduction: "none" }), want, [4]);
  close(new nn.SoftMarginLoss({ reduction: "none" }).call(x, yt), want);
  close(new nn.SoftMarginLoss().call(x, yt), want.reduce((p, q) => p + q) / 4);
});

test("tripletMarginLoss: margin, p, eps and swap reach the value; the module's defaults", () => {
  close(F.tripletMarginLoss(A, P, N, { reduction: "none" }), [1.2122846676613064, 1.4432368968850144], [2]);
  close(F.tripletMarginLoss(A, P, N, { margin: 2.0, p: 1, eps: 0.01, reduction: "none" }), [2.42, 2.7199999999999998]);
  close(F.tripletMarginLoss(A, P, N2, { margin: 1.0, swap: true, reduction: "none" }), [1.3858911237531817, 1.516440400289331]);
  close(F.tripletMarginLoss(A, P, N2, { margin: 1.0, reduction: "none" }), [0.9641909611673958, 0.9606973953682909]);
  const m = new nn.TripletMarginLoss({ margin: 2.0, p: 1, eps: 0.01, reduction: "none" });
  close(m.call(A, P, N), [2.42, 2.7199999999999998]);
  close(new nn.TripletMarginLoss({ swap: true, reduction: "none" }).call(A, P, N2), [1.3858911237531817, 1.516440400289331]);
  const d = new nn.TripletMarginLoss();
  assert.deepEqual([d.margin, d.p, d.eps, d.swap, d.reduction], [1, 2, 1e-6, false, "mean"]);
  close(d.call(A, P, N), (1.2122846676613064 + 1.4432368968850144) / 2);
});

test("cosineEmbeddingLoss: margin, targets 1, -1 and 0, a 1-D pair with a 0-d target; the module's default", () => {
  close(F.cosineEmbeddingLoss(A, P, f64([1, -1]), { reduction: "none" }), [0.6110777658712343, 0.9678215817476614], [2]);
  close(F.cosineEmbeddingLoss(A, N, f64([-1, 0]), { margin: 0.2, reduction: "none" }), [0.7258200997675304, 0.0]);
  close(F.cosineEmbeddingLoss(f64([0.1, 0.2, 0.3]), f64([0.3, 0.3, 0.3]), f64(-1), { margin: 0.5, reduction: "none" }), 0.4258200997675304, []);
  close(new nn.CosineEmbeddingLoss({ margin: 0.2, reduction: "none" }).call(A, N, f64([-1, 0])), [0.7258200997675304, 0.0]);
  const d = new nn.CosineEmbeddingLoss();
  assert.equal(d.margin, 0);
  assert.equal(d.reduction, "mean");
  close(d.call(A, P, f64([1, -1])), (0.6110777658712343 + 0.9678215817476614) / 2);
});

test("margin losses: each check's exact message", () => {
  const xi = tensor([1, 2], { dtype: "int32" });
  const cases: [() => unknown, string, ErrorConstructor?][] = [
    [() => F.huberLoss(x, y, { delta: Infinity }), "huberLoss: delta must be a finite number > 0, got number Infinity"],
    [() => F.huberLoss(x, y, { delta: "1" as never }), "huberLoss: delta must be a finite number > 0, got string \"1\""],
    [() => F.marginRankingLoss(xi, xi, xi), "marginRankingLoss: input1 must be floating point, got int32 (convert it with .float())"],
    [() => F.marginRankingLoss(a, xi, t), "marginRankingLoss: input2 must be floating point, got int32 (convert it with .float())"],
    [() => F.marginRankingLoss(a, b, t, { margin: NaN }), "marginRankingLoss: margin must be a finite number, got number NaN"],
    [() => F.marginRankingLoss(a, b, t, { margin: "1" as never }), "marginRankingLoss: margin must be a finite number, got string \"1\""],
    [() => F.marginRankingLoss(a, b.reshape([3, 1]), t), "marginRankingLoss: input1 [3], input2 [3,1] and target [3] must have the same number of dimensions (as PyTorch requires); reshape them, e.g. target.reshape([3])"],
    [() => F.marginRankingLoss(a, b, t.reshape([3, 1])), "marginRankingLoss: input1 [3], input2 [3] and target [3,1] must have the same number of dimensions (as PyTorch requires); reshape them, e.g. target.reshape([3])"],
    [() => F.hingeEmbeddingLoss(xi, xi), "hingeEmbeddingLoss: input must be floating point, got int32 (convert it with .float())"],
    [() => F.hingeEmbeddingLoss(h, f64([1, 1, 1])), "hingeEmbeddingLoss: target [3] does not broadcast against input [4]; give it the input's shape"],
    [() => F.hingeEmbeddingLoss(h, ht, { margin: Infinity }), "hingeEmbeddingLoss: margin must be a finite number, got number Infinity"],
    [() => F.multiMarginLoss(xi, st), "multiMarginLoss: input must be floating point, got int32 (convert it with .float())"],
    [() => F.multiMarginLoss(s, st, { p: 0 as 1 }), "multiMarginLoss: p must be 1 or 2 (as in PyTorch), got number 0"],
    [() => F.multiMarginLoss(s, st, { margin: NaN }), "multiMarginLoss: margin must be a finite number, got number NaN"],
    [() => F.multiMarginLoss(s.reshape([1, 2, 3]), st), "multiMarginLoss: input must be [N, C] or [C], got [1,2,3]"],
    [() => F.multiMarginLoss(s, i64([1, 2, 0])), "multiMarginLoss: target [3] does not fit input [2,3]: expected one int64 class index per sample, shape [2]"],
    [() => F.multiMarginLoss(s, i64([[1, 2]])), "multiMarginLoss: target [1,2] does not fit input [2,3]: expected one int64 class index per sample, shape [2]"],
    [() => F.multiMarginLoss(f64([0.1, 0.2]), i64([1, 0])), "multiMarginLoss: target [2] does not fit input [2]: expected one int64 class index per sample, shape [] or [1]"],
    [() => F.multiMarginLoss(f64([0.1, 0.2]), i64([[1]])), "multiMarginLoss: target [1,1] does not fit input [2]: expected one int64 class index per sample, shape [] or [1]"],
    [() => F.multiMarginLoss(f64(0.5), i64([0, 0])), "multiMarginLoss: target [2] does not fit input []: expected one int64 class index per sample, shape [1]"],
    [() => F.multiMarginLoss(s.reshape([2, 3]).narrow(1, 0, 0), i64([0, 0])), "multiMarginLoss: input has no classes (shape [2,0])"],
    [() => F.multiMarginLoss(s, f64([1, 2])), "multiMarginLoss: target holds class indices and must be int64 (or another integer dtype), got float64 (use target.long())"],
    [() => F.multiMarginLoss(s, tensor([true, false])), "multiMarginLoss: target holds class indices and must be int64 (or another integer dtype), got bool (use target.long())"],
    [() => F.multiMarginLoss(s, i64([1, 3])), "multiMarginLoss: target value 3 is out of range for 3 classes (valid: 0..2)", RangeError],
    [() => F.multiMarginLoss(s, i64([-1, 0])), "multiMarginLoss: target value -1 is out of range for 3 classes (valid: 0..2)", RangeError],
    [() => F.multiMarginLoss(s, st, { weight: f64([1, 2]) }), "multiMarginLoss: weight must have one entry per class, shape [3], got [2]"],
    [() => F.multiMarginLoss(s, st, { weight: f64([[1, 2, 3]]) }), "multiMarginLoss: weight must have one entry per class, shape [3], got [1,3]"],
    [() => F.multilabelMarginLoss(xi, xi), "multilabelMarginLoss: input must be floating point, got int32 (convert it with .float())"],
    [() => F.multilabelMarginLoss(s.reshape([1, 2, 3]), mt.reshape([1, 2, 3])), "multilabelMarginLoss: input must be [N, C] or [C], got [1,2,3]"],
    [() => F.multilabelMarginLoss(s, i64([1, 0])), "multilabelMarginLoss: target [2] must have the input's shape [2,3]: each row lists class indices, ended by -1"],
    [() => F.multilabelMarginLoss(f64([1, 2, 3, 4, 5, 6]), mt), "multilabelMarginLoss: target [2,3] must have the input's shape [6]: each row lists class indices, ended by -1"],
    [() => F.multilabelMarginLoss(s, i64([[3, -1, 0], [0, -1, 0]])), "multilabelMarginLoss: target value 3 is out of range for 3 classes (valid: 0..2, or -1 to end the list)", RangeError],
    [() => F.multilabelMarginLoss(s, i64([[0, -2, 0], [0, -1, 0]])), "multilabelMarginLoss: target value -2 is out of range for 3 classes (valid: 0..2, or -1 to end the list)", RangeError],
    [() => F.multilabelSoftMarginLoss(xi, xi), "multilabelSoftMarginLoss: input must be floating point, got int32 (convert it with .float())"],
    [() => F.multilabelSoftMarginLoss(f64(1), f64(1)), "multilabelSoftMarginLoss: input must be [N, C] or [C], got a scalar"],
    [() => F.multilabelSoftMarginLoss(s, ml, { weight: f64([1, 2]) }), "multilabelSoftMarginLoss: weight [2] does not broadcast against input [2,3]; give it the input's shape"],
    [() => F.softMarginLoss(xi, xi), "softMarginLoss: input must be floating point, got int32 (convert it with .float())"],
    [() => F.tripletMarginLoss(xi, xi, xi), "tripletMarginLoss: anchor must be floating point, got int32 (convert it with .float())"],
    [() => F.tripletMarginLoss(A, xi, xi), "tripletMarginLoss: positive must be floating point, got int32 (convert it with .float())"],
    [() => F.tripletMarginLoss(A, P, xi), "tripletMarginLoss: negative must be floating point, got int32 (convert it with .float())"],
    [() => F.tripletMarginLoss(A, P.reshape([6]), N), "tripletMarginLoss: anchor, positive and negative must all be [N, D] (or all [D]), got anchor [2,3], positive [6], negative [2,3]"],
    [() => F.tripletMarginLoss(A, P, N.reshape([6])), "tripletMarginLoss: anchor, positive and negative must all be [N, D] (or all [D]), got anchor [2,3], positive [2,3], negative [6]"],
    [() => F.tripletMarginLoss(A.reshape([1, 2, 3]), P.reshape([1, 2, 3]), N.reshape([1, 2, 3])), "tripletMarginLoss: anchor, positive and negative must all be [N, D] (or all [D]), got anchor [1,2,3], positive [1,2,3], negative [1,2,3]"],
    [() => F.tripletMarginLoss(f64(1), f64(1), f64(1)), "tripletMarginLoss: anchor, positive and negative must all be [N, D] (or all [D]), got anchor [], positive [], negative []"],
    [() => F.tripletMarginLoss(A, P, N, { margin: NaN }), "tripletMarginLoss: margin must be a finite number, got number NaN"],
    [() => F.tripletMarginLoss(A, P, N, { p: 0 }), "tripletMarginLoss: p must be a finite number > 0, got number 0"],
    [() => F.tripletMarginLoss(A, P, N, { eps: Infinity }), "tripletMarginLoss: eps must be a finite number, got number Infinity"],
    [() => F.tripletMarginLoss(A, P, N, { swap: 1 as never }), "tripletMarginLoss: swap must be true or false, got number 1"],
    [() => F.cosineEmbeddingLoss(xi, xi, xi), "cosineEmbeddingLoss: input1 must be floating point, got int32 (convert it with .float())"],
    [() => F.cosineEmbeddingLoss(A, xi, xi), "cosineEmbeddingLoss: input2 must be floating point, got int32 (convert it with .float())"],
    [() => F.cosineEmbeddingLoss(A, P, f64([1, 1]), { margin: NaN }), "cosineEmbeddingLoss: margin must be a finite number, got number NaN"],
    [() => F.cosineEmbeddingLoss(A, P, f64([[1, 1]])), "cosineEmbeddingLoss: target must be [N] (or 0-d for one pair), got [1,2]; multi-target is not supported (as in PyTorch)"],
    [() => F.cosineEmbeddingLoss(A, P.reshape([6]), f64([1, 1])), "cosineEmbeddingLoss: a 1-D target expects 2-D [N, D] inputs, got input1 [2,3] and input2 [6]"],
    [() => F.cosineEmbeddingLoss(A.reshape([6]), P, f64([1, 1])), "cosineEmbeddingLoss: a 1-D target expects 2-D [N, D] inputs, got input1 [6] and input2 [2,3]"],
    [() => F.cosineEmbeddingLoss(A, P, f64(1)), "cosineEmbeddingLoss: a 0-d target expects 1-D [D] inputs, got input1 [2,3] and input2 [2,3]"],
    [() => new nn.HuberLoss({ delta: 0 }), "HuberLoss: delta must be a finite number > 0, got number 0"],
  ];
  for (const [fn, msg, type] of cases) throwsWith(fn, msg, type ?? Error);
});
