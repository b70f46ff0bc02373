// src/nn/losses-ctc.ts: what session 10's run of the rest of src/nn left alive (54 survivors,
// docs/mutation/session-11-nn.md): the α/β recursions on repeated labels (the skip rule), a blank other
// than 0, short inputs, empty targets, zeroInfinity's loss and gradient, the three reductions, the
// unbatched form, the module's options, and every check's exact message.
// Values and gradients are PyTorch 1.13's, from this script (float64):
//   import torch, math, torch.nn.functional as F; d = torch.float64; T, N, C = 5, 3, 4
//   lg = torch.tensor([[[math.sin(t*1.3+n*0.7+c*0.4)*2 for c in range(C)] for n in range(N)] for t in range(T)], dtype=d)
//   lp = lg.log_softmax(2).detach().requires_grad_()
//   tg = torch.tensor([[1,1,2],[2,3,0],[0,0,0]]); il = [5,3,4]; tl = [3,2,0]
//   F.ctc_loss(lp,tg,il,tl,reduction=r) for r in none/sum/mean; F.ctc_loss(lp,tg,il,tl).backward()   -> GRAD_MEAN
//   tc = torch.tensor([1,1,0,2,0,1]); F.ctc_loss(lp,tc,[5,2,5],[2,1,3],blank=3,reduction='none'),
//     (..., reduction='sum').backward()                                                             -> GRAD_BLANK3_SUM
//   tz = torch.tensor([[1,2,1],[1,2,3],[3,3,0]]); F.ctc_loss(lp,tz,[5,2,4],[3,3,2],reduction='none') (inf for sample 1),
//     (..., zero_infinity=True) and its mean's backward                                              -> GRAD_ZI_MEAN
//   F.ctc_loss(lp[:,0], torch.tensor([1,2]), torch.tensor(5), torch.tensor(2), reduction='none' / 'mean')
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const F = nn.functional;
const T = 5, N = 3, C = 4;

function logProbs(): Tensor {
  const v: number[][][] = [];
  for (let t = 0; t < T; t++) v.push(Array.from({ length: N }, (_, n) => Array.from({ length: C }, (_, c) => Math.sin(t * 1.3 + n * 0.7 + c * 0.4) * 2)));
  return tensor(v, { dtype: "float64" }).logSoftmax(2).detach().requiresGrad_();
}
const i64 = (v: number[] | number[][]) => tensor(v as number[], { dtype: "int64" });

function close(got: ArrayLike<number>, want: number[], tol = 1e-9): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) {
    if (want[i] === Infinity) assert.equal(got[i], Infinity, `[${i}]`);
    else assert.ok(Math.abs(got[i] - want[i]) < tol, `[${i}]: got ${got[i]}, want ${want[i]}`);
  }
}

const GRAD_MEAN = [
  -0.004560103352, -0.081006354555, 0.033736949423, 0.051829508483, 0.014620155233, 0.042049976561, -0.10361830447, 0.046948172676,
  -0.224744085188, 0.10609853101, 0.076223189921, 0.042422364257, -0.037979821286, -0.005037178168, 0.027073201416, 0.015943798038,
  0.009257888722, 0.05000702885, -0.00810302202, -0.051161895552, -0.146138936236, 0.086535020905, 0.039481073995, 0.020122841336,
  -0.003974664765, -0.015796863207, 0.013266355651, 0.006505172321, 0.033587939686, 0.040901675092, 0.022972298516, -0.097461913294,
  -0.224866402573, 0.073467724236, 0.067203216693, 0.084195461644, 0.020447159406, -0.053036599116, 0.007851398146, 0.024738041564,
  0.0, 0.0, 0.0, 0.0, -0.310423666406, 0.040234416344, 0.08408000903, 0.186109241032,
  0.005196072151, 0.013739032793, -0.080240789756, 0.061305684813, 0.0, 0.0, 0.0, 0.0,
  0.0, 0.0, 0.0, 0.0,
];
const GRAD_BLANK3_SUM = [
  0.072320386062, -0.313854316149, 0.303632544808, -0.06209861472, -0.230828714795, 0.252299859367, 0.312059399072, -0.333530543644,
  0.325767744435, 0.31829559303, -0.730326709418, 0.086263371953, 0.297813239171, -0.281499909562, 0.243658812741, -0.259972142351,
  -0.472508204401, 0.300042173102, 0.151862116519, 0.02060391478, -0.289822019162, 0.259605062716, 0.006018951926, 0.02419800452,
  0.558101421578, -0.341620015029, 0.119397200856, -0.335878607406, 0.0, 0.0, 0.0, 0.0,
  -0.122721591557, -0.093498936102, 0.196382139968, 0.01983838769, 0.358405069835, -0.262904130387, 0.191972019567, -0.287472959014,
  0.0, 0.0, 0.0, 0.0, 0.024935458113, -0.208024276586, 0.25224002709, -0.069151208618,
  0.074670823417, -0.351542236126, 0.249926718137, 0.026944694571, 0.0, 0.0, 0.0, 0.0,
  0.098206587836, -0.348771082891, 0.317795077161, -0.067230582106,
];
const GRAD_ZI_MEAN = [
  -0.00616440377, -0.079402054136, 0.033736949423, 0.051829508483, 0.0, 0.0, 0.0, 0.0,
  0.033952426114, 0.053049265505, 0.038111594961, -0.12511328658, 0.010836904121, -0.003270252429, -0.02351044973, 0.015943798038,
  0.0, 0.0, 0.0, 0.0, -0.044780220647, 0.043267510453, 0.019740536997, -0.018227826803,
  0.006058530736, 0.008259917495, -0.020823620552, 0.006505172321, 0.0, 0.0, 0.0, 0.0,
  -0.047983867964, 0.036733862118, 0.033601608347, -0.022351602501, 0.0069184886, -0.011095224556, -0.020561305608, 0.024738041564,
  0.0, 0.0, 0.0, 0.0, 0.004390818181, 0.020117208172, 0.042040004515, -0.066548030868,
  -0.009718010855, -0.079357309306, 0.027769635349, 0.061305684813, 0.0, 0.0, 0.0, 0.0,
  0.0, 0.0, 0.0, 0.0,
];

test("ctcLoss: a repeated label, a short input and an empty target, each reduction, against PyTorch", () => {
  const lp = logProbs();
  const tg = i64([[1, 1, 2], [2, 3, 0], [0, 0, 0]]);
  const none = F.ctcLoss(lp, tg, [5, 3, 4], [3, 2, 0], { reduction: "none" });
  assert.deepEqual(none.shape, [N]);
  close(none.numbers(), [5.057242718046663, 3.341501311226942, 5.498847630323615]);
  close(F.ctcLoss(lp, tg, [5, 3, 4], [3, 2, 0], { reduction: "sum" }).numbers(), [13.89759165959722]);
  const mean = F.ctcLoss(lp, tg, [5, 3, 4], [3, 2, 0]);
  assert.deepEqual(mean.shape, []);
  close(mean.numbers(), [2.951781952873102]);
  mean.backward();
  close(lp.grad!.numbers(), GRAD_MEAN);
});

test("ctcLoss: blank 3 with concatenated targets and tensor lengths, its loss and gradient against PyTorch", () => {
  const lp = logProbs();
  const tc = i64([1, 1, 0, 2, 0, 1]);
  close(F.ctcLoss(lp, tc, tensor([5, 2, 5], { dtype: "int32" }), tensor([2, 1, 3], { dtype: "int64" }), { blank: 3, reduction: "none" }).numbers(),
    [5.135521849481515, 1.5173392354046984, 3.653890319472209]);
  const m = new nn.CTCLoss({ blank: 3, reduction: "sum" });
  assert.deepEqual([m.blank, m.reduction, m.zeroInfinity], [3, "sum", false]);
  m.call(lp, tc, [5, 2, 5], [2, 1, 3]).backward();
  close(lp.grad!.numbers(), GRAD_BLANK3_SUM);
});

test("ctcLoss: an impossible target is infinite, zeroInfinity makes it 0 and zeroes its gradient", () => {
  const lp = logProbs();
  const tz = i64([[1, 2, 1], [1, 2, 3], [3, 3, 0]]);
  close(F.ctcLoss(lp, tz, [5, 2, 4], [3, 3, 2], { reduction: "none" }).numbers(), [4.970245344822099, Infinity, 3.531066484440781]);
  close(F.ctcLoss(lp, tz, [5, 2, 4], [3, 3, 2], { reduction: "none", zeroInfinity: true }).numbers(), [4.970245344822099, 0, 3.531066484440781]);
  const m = new nn.CTCLoss({ zeroInfinity: true });
  assert.deepEqual([m.blank, m.reduction, m.zeroInfinity], [0, "mean", true]);
  const loss = m.call(lp, tz, [5, 2, 4], [3, 3, 2]);
  close(loss.numbers(), [(4.970245344822099 / 3 + 3.531066484440781 / 2) / 3]);
  loss.backward();
  close(lp.grad!.numbers(), GRAD_ZI_MEAN);
  const d = new nn.CTCLoss();
  assert.deepEqual([d.blank, d.reduction, d.zeroInfinity], [0, "mean", false]);
  close(d.call(lp, tz, [5, 2, 4], [3, 3, 2]).numbers(), [Infinity]);
});

test("ctcLoss: an unbatched [T, C] input with number lengths gives a 0-d loss", () => {
  const lp1 = logProbs().detach().select(1, 0);
  const none = F.ctcLoss(lp1, i64([1, 2]), 5, 2, { reduction: "none" });
  assert.deepEqual(none.shape, []);
  close(none.numbers(), [4.004952332589274]);
  close(F.ctcLoss(lp1, i64([1, 2]), [5], [2]).numbers(), [2.002476166294637]);
  close(F.ctcLoss(lp1, i64([1, 2]), 5, 2, { reduction: "sum" }).numbers(), [4.004952332589274]);
});

test("ctcLoss: a zero-length input gives 0 for an empty target and infinity otherwise, with a zero gradient", () => {
  const lp = logProbs();
  const loss = F.ctcLoss(lp, i64([[1], [0], [0]]), [0, 0, 5], [1, 0, 0], { reduction: "none" });
  close(loss.numbers().slice(0, 2), [Infinity, 0]);
  const z = F.ctcLoss(lp, i64([[1], [0], [0]]), [0, 0, 5], [1, 0, 0], { reduction: "sum", zeroInfinity: true });
  z.backward();
  const g = lp.grad!.numbers();
  for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) {
    assert.equal(g[(t * N + 0) * C + c], 0);
    assert.equal(g[(t * N + 1) * C + c], 0);
  }
});

test("ctcLoss: each check's exact message", () => {
  const lp = logProbs().detach();
  const tg = i64([[1, 2], [2, 1], [1, 1]]);
  const cases: [() => unknown, string, ErrorConstructor?][] = [
    [() => F.ctcLoss(tensor([[[1]]], { dtype: "int32" }), tg, [5, 5, 5], [2, 2, 2]), "ctcLoss: logProbs must be floating point (log-probabilities), got int32"],
    [() => F.ctcLoss(lp.reshape([60]), tg, [5, 5, 5], [2, 2, 2]), "ctcLoss: logProbs must be [T, N, C] (frames, batch, classes) or [T, C] for one sequence, got [60]"],
    [() => F.ctcLoss(lp, tg, [5, 5, 5], [2, 2, 2], { zeroInfinity: 1 as never }), "ctcLoss: zeroInfinity must be true or false, got number 1"],
    [() => F.ctcLoss(lp, tg, [5, 5, 5], [2, 2, 2], { blank: -1 }), "ctcLoss: blank must be a class index in [0, 3], got number -1"],
    [() => F.ctcLoss(lp, tg, [5, 5, 5], [2, 2, 2], { blank: 0.5 }), "ctcLoss: blank must be a class index in [0, 3], got number 0.5"],
    [() => F.ctcLoss(lp, tg, [5, 5, 5], [2, 2, 2], { blank: "0" as never }), "ctcLoss: blank must be a class index in [0, 3], got string \"0\""],
    [() => F.ctcLoss(lp, tg, [5, 5, 5], [2, 2, 2], { blank: 4 }), "ctcLoss: blank must be a class index in [0, 3], got number 4"],
    [() => F.ctcLoss(lp, tensor([[true]]), [5, 5, 5], [2, 2, 2]), "ctcLoss: targets hold class indices and must be int64 (or another integer dtype), got bool (use targets.long())"],
    [() => F.ctcLoss(lp, tg, tensor([[5, 5, 5]], { dtype: "int32" }), [2, 2, 2]), "ctcLoss: inputLengths must be 1-D (one length per sample), got [1,3]"],
    [() => F.ctcLoss(lp, tg, tensor([true, true, true]), [2, 2, 2]), "ctcLoss: inputLengths must hold integers (an int32 tensor or an array of numbers), got a bool tensor"],
    [() => F.ctcLoss(lp, tg, [5, 5, 5], tensor([2, 2, 2], { dtype: "float64" })), "ctcLoss: targetLengths must hold integers (an int32 tensor or an array of numbers), got a float64 tensor"],
    [() => F.ctcLoss(lp, tg, 5 as never, [2, 2, 2]), "ctcLoss: inputLengths must be an int32 tensor or an array of numbers, got number 5"],
    [() => F.ctcLoss(lp.select(1, 0), i64([1, 2]), "5" as never, 2), "ctcLoss: inputLengths must be an int32 tensor or an array of numbers (or one number for an unbatched input), got string \"5\""],
    [() => F.ctcLoss(lp, tg, [5, 5, 5], [2, 2]), "ctcLoss: targetLengths must have one entry per sample (3), got 2"],
    [() => F.ctcLoss(lp, tg, [5, 5, 5.5], [2, 2, 2]), "ctcLoss: inputLengths must be integers >= 0, got number 5.5"],
    [() => F.ctcLoss(lp, tg, [5, -1, 5], [2, 2, 2]), "ctcLoss: inputLengths must be integers >= 0, got number -1"],
    [() => F.ctcLoss(lp, tg, [5, 5, 5], [2, "2", 2] as never), "ctcLoss: targetLengths must be integers >= 0, got string \"2\""],
    [() => F.ctcLoss(lp, tg, [5, 6, 5], [2, 2, 2]), "ctcLoss: inputLengths[1] is 6 but logProbs has only 5 frames; lengths must be <= T"],
    [() => F.ctcLoss(lp, i64([[1, 2], [2, 1]]), [5, 5, 5], [2, 2, 2]), "ctcLoss: targets [2,2] do not fit 3 sample(s): give them padded as [N, S] or concatenated as one 1-D tensor"],
    [() => F.ctcLoss(lp.select(1, 0), tg, 5, 2), "ctcLoss: targets [3,2] do not fit 1 sample(s): give them padded as [N, S] or concatenated as one 1-D tensor (1-D [S] for one sequence)"],
    [() => F.ctcLoss(lp, tg, [5, 5, 5], [2, 3, 2]), "ctcLoss: targetLengths[1] is 3 but the padded targets hold only 2 labels per sample"],
    [() => F.ctcLoss(lp, i64([1, 2, 1]), [5, 5, 5], [2, 2, 2]), "ctcLoss: concatenated targets hold 3 labels but targetLengths add up to 6"],
    [() => F.ctcLoss(lp, i64([[[1]]] as never), [5, 5, 5], [1, 1, 1]), "ctcLoss: targets must be [N, S] (padded) or 1-D (concatenated), got [1,1,1]"],
    [() => F.ctcLoss(lp, i64([[1, 2], [2, 4], [1, 1]]), [5, 5, 5], [2, 2, 2]), "ctcLoss: target label 4 of sample 1 is not a class other than the blank (0) in [0, 3]", RangeError],
    [() => F.ctcLoss(lp, i64([[1, 2], [2, 1], [-1, 1]]), [5, 5, 5], [2, 2, 2]), "ctcLoss: target label -1 of sample 2 is not a class other than the blank (0) in [0, 3]", RangeError],
    [() => F.ctcLoss(lp, i64([[1, 0], [2, 1], [1, 1]]), [5, 5, 5], [2, 2, 2]), "ctcLoss: target label 0 of sample 0 is not a class other than the blank (0) in [0, 3]", RangeError],
  ];
  for (const [fn, msg, type] of cases) throwsWith(fn, msg, type ?? Error);
  // Labels past a sample's target length are padding: never checked.
  assert.ok(Number.isFinite(F.ctcLoss(lp, i64([[1, 9], [2, 9], [1, 9]]), [5, 5, 5], [1, 1, 1]).item()));
});
