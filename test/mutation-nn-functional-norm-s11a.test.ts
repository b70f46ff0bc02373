// src/nn/functional/normalization.ts: what session 10's run of the rest of src/nn left alive (48
// survivors, docs/mutation/session-11-nn.md): every argument of normalize, cosineSimilarity,
// pairwiseDistance, instanceNorm (running statistics, momentum, eps, weight, bias, useInputStats) and
// localResponseNorm (odd, even and size-1 windows, alpha, beta, k) reaching the value, the eps floors
// and their gradients, and each check's exact message. Values are PyTorch 1.13's, from this script:
//   import torch, torch.nn.functional as F; d = torch.float64
//   a = torch.tensor([[3.,-4.,0.5],[0.,0.,0.],[1.,2.,2.]],dtype=d); b = torch.tensor([[1.,0.,1.],[2.,1.,0.],[0.,0.,1.]],dtype=d)
//   F.normalize(a); F.normalize(a,1.0,0); F.normalize(a,2.0,1,4.0); F.normalize(torch.tensor(-3.,dtype=d),2.0,0)
//   F.normalize(torch.tensor(1e-20,dtype=d),2.0,-1,1e-3)
//   F.cosine_similarity(a,b); (a,b,0); (a,b,1,2.0); (a,[1.,2.,3.],-1); aa = a (requires grad): F.cosine_similarity(aa,b,1,0.5).sum().backward()
//   F.pairwise_distance(a,b); (a,b,p=1.0,eps=0.1)
//   x = torch.tensor([[[1.,2.,4.,0.5],[0.,-1.,3.,3.]],[[2.,0.,5.,1.],[1.,1.,1.,2.]]],dtype=d)
//   rm = [0.5,-0.5]; rv = [2.0,0.5]; w = [1.5,-2.0]; bb = [0.1,0.2]
//   F.instance_norm(x); F.instance_norm(x,rm2,rv2,w,bb,True,0.3,0.01) (and rm2, rv2 after); F.instance_norm(x,rm,rv,w,bb,False,0.3,0.01)
//   l = torch.arange(1,21,dtype=d).reshape(2,5,2)*0.3
//   F.local_response_norm(l,3); (l,2,0.5,0.6,2.0); (l,4,1.0,1.0,0.5); (l,1,1.0,1.0,1.0)
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, arange, Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { close, f64 } from "./float64-close.js";

const F = nn.functional;

const a = f64([[3, -4, 0.5], [0, 0, 0], [1, 2, 2]]), b = f64([[1, 0, 1], [2, 1, 0], [0, 0, 1]]);

test("normalize: p, dim and eps, 0-d inputs, against PyTorch", () => {
  close(F.normalize(a), [0.5970223141259935, -0.7960297521679913, 0.09950371902099892, 0.0, 0.0, 0.0, 0.3333333333333333, 0.6666666666666666, 0.6666666666666666]);
  close(F.normalize(a, 1, 0), [0.75, -0.6666666666666666, 0.2, 0.0, 0.0, 0.0, 0.25, 0.3333333333333333, 0.8]);
  close(F.normalize(a, { p: 1, dim: 0 }), [0.75, -0.6666666666666666, 0.2, 0.0, 0.0, 0.0, 0.25, 0.3333333333333333, 0.8]);
  close(F.normalize(a, 2, -2), [0.9486832980505138, -0.8944271909999159, 0.24253562503633297, 0, 0, 0, 0.31622776601683794, 0.4472135954999579, 0.9701425001453319]);
  close(F.normalize(a, 2, 1, 4), [0.5970223141259935, -0.7960297521679913, 0.09950371902099892, 0.0, 0.0, 0.0, 0.25, 0.5, 0.5]);
  close(F.normalize(f64(-3), 2, 0), [-1]);
  assert.deepEqual(F.normalize(f64(-3), 2, -1).shape, []);
  close(F.normalize(f64(1e-20), 2, -1, 1e-3), [9.999999999999999e-18], 1e-30);
});

test("cosineSimilarity: dim, eps (floored norms with the plain norm's gradient), broadcasting, against PyTorch", () => {
  close(F.cosineSimilarity(a, b), [0.49251828131120423, 0.0, 0.6666666666666666]);
  close(F.cosineSimilarity(a, b, 0), [0.4242640687119285, 0.0, 0.8574929257125441]);
  close(F.cosineSimilarity(a, b, -2), [0.4242640687119285, 0.0, 0.8574929257125441]);
  close(F.cosineSimilarity(a, b, 1, 2), [0.34826301657349623, 0.0, 0.3333333333333333]);
  close(F.cosineSimilarity(a, f64([1, 2, 3]), -1), [-0.18615441264319965, 0.0, 0.9799578870122228]);
  const aa = a.clone().requiresGrad_();
  F.cosineSimilarity(aa, b, 1, 0.5).sum().backward();
  close(aa.grad!, [0.08220248542393507, 0.07802269802949771, 0.13096667169237114, 1.7888543819998317, 0.8944271909999159, 0.0, -0.07407407407407407, -0.14814814814814814, 0.18518518518518517], 1e-12);
  close(F.cosineSimilarity(f64(2), f64(-3), 0), [-1]);
  assert.deepEqual(F.cosineSimilarity(f64(2), f64(-3), -1).shape, []);
});

test("pairwiseDistance: p, eps and keepdim, against PyTorch", () => {
  close(F.pairwiseDistance(a, b), [4.499999444444744, 2.2360666358592716, 2.449491375776408], 1e-12);
  close(F.pairwiseDistance(a, b, { p: 1, eps: 0.1 }), [6.4, 2.9, 4.300000000000001], 1e-12);
  assert.deepEqual(F.pairwiseDistance(a, b, { keepdim: true }).shape, [3, 1]);
  assert.deepEqual(F.pairwiseDistance(a, b, { keepdim: false }).shape, [3]);
  assert.deepEqual(F.pairwiseDistance(a, b).shape, [3]);
  close(F.pairwiseDistance(f64(1), f64(3)), [1.999999], 1e-12);
});

const x = f64([[[1, 2, 4, 0.5], [0, -1, 3, 3]], [[2, 0, 5, 1], [1, 1, 1, 2]]]);
const w = f64([1.5, -2.0]), bb = f64([0.1, 0.2]);

test("instanceNorm: defaults, running statistics with momentum and eps, eval statistics, against PyTorch", () => {
  close(F.instanceNorm(x), [-0.6527515494186094, 0.09325022134551553, 1.5852537628737653, -1.0257524348006717, -0.7001389437576995, -1.260250098763859, 0.9801945212607793, 0.9801945212607793, 0.0, -1.0690434404458735, 1.6035651606688104, -0.5345217202229368, -0.5773348737982604, -0.5773348737982604, -0.5773348737982604, 1.7320046213947808], 1e-9);
  const rm = f64([0.5, -0.5]), rv = f64([2.0, 0.5]);
  close(F.instanceNorm(x, { runningMean: rm, runningVar: rv, weight: w, bias: bb, useInputStats: true, momentum: 0.3, eps: 0.01 }), [-0.8764168323561792, 0.23948811890802557, 2.471298021436435, -1.4343693079882815, 1.5980887210514203, 2.7165596978925564, -1.7573242094719885, -1.7573242094719885, 0.10000000000000009, -1.5012815380508713, 2.501922307076307, -0.7006407690254356, 1.3250879009260244, 1.3250879009260244, 1.3250879009260244, -3.1752637027780715], 1e-9);
  close(rm, [0.9312499999999999, 0.025000000000000022]);
  close(rv, [2.4593749999999996, 1.025]);
  close(F.instanceNorm(x, { runningMean: f64([0.5, -0.5]), runningVar: f64([2.0, 0.5]), weight: w, bias: bb, useInputStats: false, momentum: 0.3, eps: 0.01 }), [0.6290092118939488, 1.6870276356818463, 3.8030644832576415, 0.09999999999999998, -1.20028008402801, 1.6002800840280098, -9.60196058819607, -9.60196058819607, 1.6870276356818463, -0.4290092118939488, 4.861082907045539, 0.6290092118939488, -4.000840252084029, -4.000840252084029, -4.000840252084029, -6.801400420140049], 1e-9);
  // Default momentum 0.1: mean over the batch of the instance means, [1.9375, 1.25] for x.
  const rm2 = f64([0, 0]), rv2 = f64([1, 1]);
  F.instanceNorm(x, { runningMean: rm2, runningVar: rv2 });
  close(rm2, [0.19375, 0.125], 1e-12);
});

const l = arange(1, 21, 1, { dtype: "float64" }).reshape([2, 5, 2]).mul(0.3);

test("localResponseNorm: window sizes 3, 2, 4 and 1 with alpha, beta and k, against PyTorch", () => {
  close(F.localResponseNorm(l, 3), [0.29999325017718265, 0.599973001417422, 0.8999291315110138, 1.1998488222229777, 1.4997199360183069, 1.7995303430084804, 2.0992679228581177, 2.3989205666883255, 2.6992105194058755, 2.998893476348669, 3.2978483878553964, 3.5972484556490167, 3.895486975652339, 4.194376597158893, 4.493097000160299, 4.79163623533795, 5.089982381703688, 5.388123548434503, 5.691677948348046, 5.9902445385783585]);
  close(F.localResponseNorm(l, 2, 0.5, 0.6, 2.0), [0.19660209281279714, 0.38553470528471157, 0.556986283501432, 0.7009412124044461, 0.8148434477227471, 0.9008177763511938, 0.9633296053079585, 1.0073441847991187, 1.0373373691776127, 1.0569486658187845, 1.3002017909592358, 1.3326120271903683, 1.078072515992247, 1.0777869043369728, 1.0754610233232071, 1.0716843543416528, 1.066886690343847, 1.0613823463493701, 1.0554018795908933, 1.0491148323132637]);
  close(F.localResponseNorm(l, 4, 1.0, 1.0, 0.5), [0.41379310344827586, 0.631578947368421, 0.6990291262135921, 0.6818181818181819, 0.6276150627615062, 0.5625, 0.5011933174224344, 0.44776119402985076, 0.677115987460815, 0.6, 0.4697508896797153, 0.441717791411043, 0.3226473629782834, 0.301941049604601, 0.24206562668101134, 0.22641509433962265, 0.21258857857440597, 0.20029673590504452, 0.2823529411764706, 0.2660753880266076]);
  close(F.localResponseNorm(l, 1, 1.0, 1.0, 1.0), [0.2752293577981651, 0.44117647058823534, 0.4972375690607735, 0.4918032786885246, 0.46153846153846156, 0.42452830188679247, 0.3881700554528651, 0.35502958579881655, 0.32569360675512665, 0.3, 0.27754415475189237, 0.2578796561604585, 0.2405922270203578, 0.22532188841201717, 0.21176470588235294, 0.19966722129783693, 0.18881895594224363, 0.1790450928381963, 0.1702000597193192, 0.16216216216216217]);
  const empty = l.narrow(0, 0, 0);
  assert.equal(F.localResponseNorm(empty, 3), empty);
});

test("normalization: each check's exact message", () => {
  const cases: [() => unknown, string][] = [
    [() => F.normalize(a, 2, 2), "normalize: dim number 2 is out of range for input [3,3]"],
    [() => F.normalize(a, 2, -3), "normalize: dim number -3 is out of range for input [3,3]"],
    [() => F.normalize(a, 2, 0.5), "normalize: dim number 0.5 is out of range for input [3,3]"],
    [() => F.normalize(f64(1), 2, 1), "normalize: dim number 1 is out of range for a 0-d input"],
    [() => F.cosineSimilarity(a, b, 2), "cosineSimilarity: dim number 2 is out of range for input [3,3]"],
    [() => F.cosineSimilarity(f64(1), f64(2), 1), "cosineSimilarity: dim number 1 is out of range for input []"],
    [() => F.instanceNorm(a), "instanceNorm: expected input [N, C, ...] with at least one spatial dim, got [3,3]"],
    [() => F.instanceNorm(x, { runningMean: f64([1, 2, 3]), runningVar: f64([1, 2]) }), "instanceNorm: runningMean has shape [3], but the input [2,2,4] has 2 channels; expected [2]"],
    [() => F.instanceNorm(x, { runningVar: f64([[1, 2]]) }), "instanceNorm: runningVar has shape [1,2], but the input [2,2,4] has 2 channels; expected [2]"],
    [() => F.instanceNorm(x, { weight: f64([1]) }), "instanceNorm: weight has shape [1], but the input [2,2,4] has 2 channels; expected [2]"],
    [() => F.instanceNorm(x, { bias: f64([1, 2, 3]) }), "instanceNorm: bias has shape [3], but the input [2,2,4] has 2 channels; expected [2]"],
    [() => F.instanceNorm(x, { useInputStats: false, runningMean: f64([1, 2]) }), "instanceNorm: useInputStats false needs runningMean and runningVar"],
    [() => F.instanceNorm(x, { useInputStats: false, runningVar: f64([1, 2]) }), "instanceNorm: useInputStats false needs runningMean and runningVar"],
    [() => F.instanceNorm(x.narrow(2, 0, 1)), "instanceNorm: expected more than 1 spatial element per channel when using input statistics, got input [2,2,1]"],
    [() => F.localResponseNorm(l, 0), "localResponseNorm: size must be a positive integer, got number 0"],
    [() => F.localResponseNorm(l, 1.5), "localResponseNorm: size must be a positive integer, got number 1.5"],
    [() => F.localResponseNorm(l, "3" as never), "localResponseNorm: size must be a positive integer, got string \"3\""],
    [() => F.localResponseNorm(a, 3), "localResponseNorm: expected input [N, C, *] with 3 or more dims, got [3,3]"],
  ];
  for (const [fn, msg] of cases) throwsWith(fn, msg);
});
