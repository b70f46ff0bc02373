// src/nn/functional.ts: what session 10's run of the rest of src/nn left alive (59 survivors,
// docs/mutation/session-11-nn.md): the defaults of leakyRelu/elu/gelu, dropout's and dropout2d's
// scaling, masks and generator, batchNorm's eval and training paths (momentum, the unbiased running
// variance, eps, weight, bias), layerNorm and groupNorm with every argument, embedding's paddingIdx,
// and each check's exact message. Values are PyTorch 1.13's, from this script (float64):
//   import torch, torch.nn.functional as F; d = torch.float64
//   x = torch.tensor([-2.0,-0.5,0.0,0.7,3.0],dtype=d)
//   F.leaky_relu(x), (x,0.2); F.elu(x), (x,0.5); F.gelu(x), (x,approximate='tanh'); F.silu(x)
//   b = torch.tensor([[[1.,2.,4.],[0.,-1.,3.]],[[2.,0.,5.],[1.,1.,1.]]],dtype=d)
//   rm = [0.5,-0.5]; rv = [2.0,0.5]; w = [1.5,-2.0]; bb = [0.1,0.2]
//   F.batch_norm(b,rm,rv,w,bb,False,0.1,1e-5); F.batch_norm(b,rm,rv,None,None,False,0.1,0.5)
//   F.batch_norm(b,rm2,rv2,w,bb,True,0.3,1e-3) (and rm2, rv2 after it); F.batch_norm(b,None,None,None,None,True,0.1,1e-5)
//   lw = [[1.,2.,3.],[0.5,0.5,-1.]]; lb = [[0.,0.1,0.2],[0.3,0.4,0.5]]; F.layer_norm(b,(2,3),lw,lb,0.1); F.layer_norm(b,(3,))
//   g = torch.arange(24,dtype=d).reshape(2,4,3).sin(); F.group_norm(g,2,[1.,2.,3.,4.],[0.,-1.,1.,0.5],0.01)
//   emb = [[1.,2.],[3.,4.],[5.,6.]] (requires grad); o = F.embedding([[0,2],[2,1]],emb,padding_idx=-1); o.sum().backward()
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, arange, ones, Generator, Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { close, f64 } from "./float64-close.js";

const F = nn.functional;

const x = f64([-2.0, -0.5, 0.0, 0.7, 3.0]);

test("leakyRelu, elu, gelu and silu: defaults and arguments against PyTorch", () => {
  close(F.leakyRelu(x), [-0.02, -0.005, 0.0, 0.7, 3.0]);
  close(F.leakyRelu(x, 0.2), [-0.4, -0.1, 0.0, 0.7, 3.0]);
  close(F.elu(x), [-0.8646647167633873, -0.3934693402873666, 0.0, 0.7, 3.0]);
  close(F.elu(x, 0.5), [-0.43233235838169365, -0.1967346701436833, 0.0, 0.7, 3.0]);
  close(F.gelu(x), [-0.04550026389635842, -0.15426876936299344, 0.0, 0.5306254434438489, 2.99595030590511], 1e-9);
  close(F.gelu(x, "tanh"), [-0.04540230591222494, -0.15428599017485606, 0.0, 0.5305701347051167, 2.996362607918227], 1e-9);
  close(F.silu(x), [-0.2384058440442351, -0.1887703343990727, 0.0, 0.46773144051771626, 2.8577223804672998]);
  close(F.softmax(f64([1, 2, 3]), 0, { dtype: "float32" }), [0.09003057317038046, 0.24472847105479764, 0.6652409557748219], 1e-7);
  assert.equal(F.softmax(f64([1, 2, 3]), 0, { dtype: "float32" }).dtype, "float32");
  assert.equal(F.logSoftmax(f64([1, 2, 3]), 0, { dtype: "float32" }).dtype, "float32");
  close(F.logSoftmax(f64([1, 2, 3]), 0), [-2.4076059644443806, -1.4076059644443804, -0.40760596444438057]);
});

test("dropout: kept entries scaled by 1/(1-p), p = 0 and eval the identity, p = 1 all zero, the generator decides", () => {
  const v = ones([2000], { dtype: "float64" });
  const y = F.dropout(v, 0.25, true, { generator: new Generator(3) });
  const vals = new Set(y.numbers());
  assert.deepEqual([...vals].sort(), [0, 1 / 0.75]);
  const kept = y.numbers().filter((a) => a !== 0).length;
  assert.ok(kept > 1400 && kept < 1600, `kept ${kept} of 2000 at p = 0.25`);
  assert.deepEqual(Array.from(F.dropout(v, 0.25, true, { generator: new Generator(3) }).numbers()), Array.from(y.numbers()));
  assert.notDeepEqual(Array.from(F.dropout(v, 0.25, true, { generator: new Generator(4) }).numbers()), Array.from(y.numbers()));
  assert.equal(F.dropout(v, 0.25, false), v);
  assert.equal(F.dropout(v, 0), v);
  const all = F.dropout(v, 1);
  assert.deepEqual(new Set(all.numbers()), new Set([0]));
  // The default p is 0.5: kept entries are 2.
  assert.deepEqual(new Set(F.dropout(v, undefined, true, { generator: new Generator(1) }).numbers()), new Set([0, 2]));
  // An integer input draws its mask in float32 (PyTorch refuses it; here the product is promoted).
  assert.ok(F.dropout(tensor([1, 2, 3], { dtype: "int32" }), 0.5).numel() === 3);
});

test("dropout2d: whole channels dropped and the rest scaled, per sample and channel; eval, p = 0 and p = 1", () => {
  const v = ones([4, 50, 2, 3], { dtype: "float64" });
  const y = F.dropout2d(v, 0.4, true, { generator: new Generator(5) });
  const d = y.numbers();
  let zeroCh = 0;
  for (let c = 0; c < 200; c++) {
    const ch = Array.from(d.slice(c * 6, c * 6 + 6));
    assert.ok(ch.every((a) => a === ch[0]), `channel ${c} is not uniform: ${ch}`);
    assert.ok(ch[0] === 0 || Math.abs(ch[0] - 1 / 0.6) < 1e-15);
    if (ch[0] === 0) zeroCh++;
  }
  assert.ok(zeroCh > 55 && zeroCh < 105, `${zeroCh} of 200 channels dropped at p = 0.4`);
  assert.deepEqual(Array.from(F.dropout2d(v, 0.4, true, { generator: new Generator(5) }).numbers()), Array.from(d));
  assert.equal(F.dropout2d(v, 0.4, false), v);
  assert.equal(F.dropout2d(v, 0), v);
  assert.deepEqual(new Set(F.dropout2d(v, 1).numbers()), new Set([0]));
  // [C, H, W]: each channel once.
  const u = F.dropout2d(ones([40, 2, 2], { dtype: "float64" }), 0.5, true, { generator: new Generator(2) }).numbers();
  for (let c = 0; c < 40; c++) assert.ok(u[c * 4] === u[c * 4 + 3]);
  assert.deepEqual(new Set(u), new Set([0, 2]));
});

const b = f64([[[1, 2, 4], [0, -1, 3]], [[2, 0, 5], [1, 1, 1]]]);
const rm = () => f64([0.5, -0.5]), rv = () => f64([2.0, 0.5]), w = f64([1.5, -2.0]), bb = f64([0.1, 0.2]);

test("batchNorm: eval with running statistics, weight, bias and eps against PyTorch", () => {
  close(F.batchNorm(b, rm(), rv(), w, bb, false, 0.1, 1e-5), [0.6303287600696678, 1.6909862802090032, 3.8123013204876743, -1.2141994204496, 1.6141994204496, -9.6993959431472, 1.6909862802090032, -0.4303287600696678, 4.87295884062701, -4.0425982613488, -4.0425982613488, -4.0425982613488], 1e-9);
  close(F.batchNorm(b, rm(), rv(), null, null, false, 0.1, 0.5), [0.31622776601683794, 0.9486832980505138, 2.2135943621178655, 0.5, -0.5, 3.5, 0.9486832980505138, -0.31622776601683794, 2.8460498941515415, 1.5, 1.5, 1.5], 1e-9);
  // The defaults: eval (training false) with eps 1e-5.
  close(F.batchNorm(b, rm(), rv(), w, bb), [0.6303287600696678, 1.6909862802090032, 3.8123013204876743, -1.2141994204496, 1.6141994204496, -9.6993959431472, 1.6909862802090032, -0.4303287600696678, 4.87295884062701, -4.0425982613488, -4.0425982613488, -4.0425982613488], 1e-9);
});

test("batchNorm: training normalises by the batch and updates the running statistics (momentum, unbiased variance)", () => {
  const m = rm(), v = rv();
  close(F.batchNorm(b, m, v, w, bb, true, 0.3, 1e-3), [-1.0764932046234703, -0.19412330115586762, 1.570616505779338, 1.5731393694315765, 3.2209066127494683, -3.370162360522098, -0.19412330115586762, -1.9588631080910732, 2.452986409246941, -0.07462787388631509, -0.07462787388631509, -0.07462787388631509], 1e-9);
  close(m, [1.05, -0.09999999999999998], 1e-12);
  close(v, [2.44, 0.8800000000000001], 1e-12);
  close(F.batchNorm(b, null, null, null, null, true, 0.1, 1e-5), [-0.7844631828291716, -0.19611579570729298, 0.9805789785364643, -0.6868004872174494, -1.5109610718783886, 1.7856812667653683, -0.19611579570729298, -1.3728105699510502, 1.568926365658343, 0.13736009744348987, 0.13736009744348987, 0.13736009744348987], 1e-9);
  // Eval without running statistics uses the batch's, as PyTorch (and leaves nothing to update).
  close(F.batchNorm(b, null, null, null, null, false, 0.1, 1e-5), [-0.7844631828291716, -0.19611579570729298, 0.9805789785364643, -0.6868004872174494, -1.5109610718783886, 1.7856812667653683, -0.19611579570729298, -1.3728105699510502, 1.568926365658343, 0.13736009744348987, 0.13736009744348987, 0.13736009744348987], 1e-9);
  // Eval with statistics leaves them alone.
  const m2 = rm(), v2 = rv();
  F.batchNorm(b, m2, v2, null, null, false);
  close(m2, [0.5, -0.5]);
  close(v2, [2.0, 0.5]);
  // An empty 1-D input with empty statistics comes back (PyTorch).
  const e = F.batchNorm(f64([]), f64([]), f64([]));
  assert.deepEqual(e.shape, [0]);
});

test("layerNorm and groupNorm with weight, bias and eps against PyTorch", () => {
  const lw = f64([[1, 2, 3], [0.5, 0.5, -1]]), lb = f64([[0, 0.1, 0.2], [0.3, 0.4, 0.5]]);
  close(F.layerNorm(b, [2, 3], lw, lb, 0.1), [-0.28787658497487356, 0.6757531699497469, 4.518148774623103, -0.1318148774623103, -0.3196914624371837, -0.36362975492462046, 0.20455073743230656, -1.945507374323065, 6.336522122969195, 0.09544926256769348, 0.19544926256769352, 0.909101474864613], 1e-9);
  close(F.layerNorm(b, [3]), [-1.069041531450298, -0.2672603828625746, 1.3363019143128718, -0.3922315914145858, -0.9805789785364645, 1.37281056995105, -0.16222122902678926, -1.135548603187525, 1.2977698322143145, 0.0, 0.0, 0.0], 1e-9);
  const g = arange(0, 24, 1, { dtype: "float64" }).reshape([2, 4, 3]).sin();
  close(F.groupNorm(g, 2, f64([1, 2, 3, 4]), f64([0, -1, 1, 0.5]), 0.01), [-0.040833836656646326, 1.1294715776864837, 1.2238035912224772, -0.6891324285185777, -3.1867671332773413, -3.74898310270871, -0.3505061985304487, 3.6189334574090712, 5.027867935498341, 2.6079058322884427, -2.796237597106148, -5.373395161018245, -0.8344441943544683, 0.5362537245352855, 1.3535096089357785, 0.731884335395618, -1.9563626844737825, -3.8861599291550273, -2.462590434684797, 1.4370994568950513, 4.740291968346396, 5.046729517458152, 0.16665405342539763, -4.666451558292418], 1e-9);
  // An empty batch keeps its shape.
  assert.deepEqual(F.groupNorm(g.narrow(0, 0, 0), 2).shape, [0, 4, 3]);
});

test("embedding: a negative paddingIdx counts from the end, and its row gets no gradient", () => {
  const emb = f64([[1, 2], [3, 4], [5, 6]]).requiresGrad_();
  const o = F.embedding(tensor([[0, 2], [2, 1]], { dtype: "int64" }), emb, -1);
  assert.deepEqual(o.shape, [2, 2, 2]);
  close(o, [1.0, 2.0, 5.0, 6.0, 5.0, 6.0, 3.0, 4.0]);
  o.sum().backward();
  close(emb.grad!, [1.0, 1.0, 1.0, 1.0, 0.0, 0.0]);
  const e2 = f64([[1, 2], [3, 4], [5, 6]]).requiresGrad_();
  F.embedding(tensor([0, 2, 2], { dtype: "int32" }), e2, 0).sum().backward();
  close(e2.grad!, [0, 0, 0, 0, 2, 2]);
  const e3 = f64([[1, 2], [3, 4], [5, 6]]).requiresGrad_();
  F.embedding(tensor([0, 2, 2], { dtype: "int32" }), e3).sum().backward();
  close(e3.grad!, [1, 1, 0, 0, 2, 2]);
  assert.deepEqual(F.flatten(b).shape, [12]);
  assert.deepEqual(F.flatten(b, 1).shape, [2, 6]);
  assert.deepEqual(F.flatten(b, 0, 1).shape, [4, 3]);
});

test("functional: each check's exact message", () => {
  const cases: [() => unknown, string, ErrorConstructor?][] = [
    [() => F.dropout(x, 1.5), "dropout: p must be a dropout probability in [0, 1], got number 1.5"],
    [() => F.dropout(x, -0.1), "dropout: p must be a dropout probability in [0, 1], got number -0.1"],
    [() => F.dropout(x, NaN), "dropout: p must be a dropout probability in [0, 1], got number NaN"],
    [() => F.dropout2d(b, 2), "dropout2d: p must be a dropout probability in [0, 1], got number 2"],
    [() => F.dropout2d(x, 0.5), "dropout2d: expected input [N,C,H,W] or [C,H,W], got [5]"],
    [() => F.dropout2d(b.reshape([1, 1, 2, 2, 3]), 0.5), "dropout2d: expected input [N,C,H,W] or [C,H,W], got [1,1,2,2,3]"],
    [() => F.batchNorm(x, null, null), "batchNorm: expected input [N,C,...] with at least 2 dims, got [5]"],
    [() => F.batchNorm(f64([]), f64([1]), null), "batchNorm: expected input [N,C,...] with at least 2 dims, got [0]"],
    [() => F.batchNorm(b, f64([1, 2, 3]), rv()), "batchNorm: runningMean has shape [3], but the input [2,2,3] has 2 channels; expected [2]"],
    [() => F.batchNorm(b, rm(), f64([[1, 2]])), "batchNorm: runningVar has shape [1,2], but the input [2,2,3] has 2 channels; expected [2]"],
    [() => F.batchNorm(b, rm(), rv(), f64([1])), "batchNorm: weight has shape [1], but the input [2,2,3] has 2 channels; expected [2]"],
    [() => F.batchNorm(b, rm(), rv(), w, f64([1, 2, 3])), "batchNorm: bias has shape [3], but the input [2,2,3] has 2 channels; expected [2]"],
    [() => F.batchNorm(b.narrow(0, 0, 1).narrow(2, 0, 1), rm(), rv(), null, null, true), "batchNorm: expected more than 1 value per channel when training, got input [1,2,1]; use a batch larger than 1 or eval()"],
    [() => F.layerNorm(b, [2]), "layerNorm: input [2,2,3] must end with normalizedShape [2]"],
    [() => F.layerNorm(b, [1, 2, 2, 3]), "layerNorm: input [2,2,3] must end with normalizedShape [1,2,2,3]"],
    [() => F.groupNorm(x, 1), "groupNorm: expected input [N,C,...], got [5]"],
    [() => F.groupNorm(b, 3), "groupNorm: numGroups (3) must divide the number of channels (2) of input [2,2,3]"],
    [() => F.groupNorm(b, 0), "groupNorm: numGroups (0) must divide the number of channels (2) of input [2,2,3]"],
    [() => F.groupNorm(b, 1.5), "groupNorm: numGroups (1.5) must divide the number of channels (2) of input [2,2,3]"],
    [() => F.embedding(f64([0]), w), "embedding: ids must be an int64 (or int32) tensor of indices, got float64 (use ids.long())"],
    [() => F.embedding(tensor([0], { dtype: "int64" }), w), "embedding: weight must be [numEmbeddings, embeddingDim], got [2]"],
    [() => F.embedding(tensor([3], { dtype: "int64" }), b.select(0, 0)), "embedding: index 3 is out of range for an embedding of 2 rows (valid ids are 0..1)", RangeError],
    [() => F.embedding(tensor([-1], { dtype: "int64" }), b.select(0, 0)), "embedding: index -1 is out of range for an embedding of 2 rows (valid ids are 0..1)", RangeError],
  ];
  for (const [fn, msg, type] of cases) throwsWith(fn, msg, type ?? Error);
});
