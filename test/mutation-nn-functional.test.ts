// src/nn/functional: what the session-10 run of the rest of src/nn left alive (docs/mutation/session-10-coord.md):
// every activation's own name and argument in its messages (int input, non-number hyper-parameters,
// glu's and prelu's shape checks).
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, randn, zeros, Tensor } from "../src/index.js";
import { throwsWith as throwsExactly } from "./throws-with.js";

const F = nn.functional;


test("each activation refuses an integer input under its own name (PyTorch's kernels reject them too)", () => {
  const xi = tensor([1, 2, 3], { dtype: "int32" });
  for (const name of ["softplus", "logsigmoid", "hardsigmoid", "hardswish", "selu", "celu", "mish", "glu", "rrelu", "softsign", "tanhshrink", "softshrink", "hardshrink"] as const) {
    throwsExactly(() => (F[name] as (x: unknown) => unknown)(xi), `${name}: expected a floating-point input, got int32 [3]; convert it with x.float()`);
  }
});

test("activation hyper-parameters and shapes: the message names the function and the argument", () => {
  const x = tensor([1, -2, 3, 4]), xi = tensor([1, 2, 3], { dtype: "int32" });
  const cases: [() => unknown, string][] = [
    [() => F.softplus(x, "1" as never), "softplus: beta must be a number, got string \"1\""],
    [() => F.softplus(x, 1, NaN), "softplus: threshold must be a number, got number NaN"],
    [() => F.hardtanh(x, "a" as never), "hardtanh: minVal must be a number, got string \"a\""],
    [() => F.hardtanh(x, -1, "b" as never), "hardtanh: maxVal must be a number, got string \"b\""],
    [() => F.celu(x, "1" as never), "celu: alpha must be a number, got string \"1\""],
    [() => F.rrelu(x, "a" as never), "rrelu: lower must be a number, got string \"a\""],
    [() => F.rrelu(x, 0.1, "b" as never), "rrelu: upper must be a number, got string \"b\""],
    [() => F.rrelu(x, 0.5, 0.2), "rrelu: lower (0.5) must not be greater than upper (0.2)"],
    [() => F.softmin(x, undefined as never), "softmin: give the dim to normalise along (e.g. softmin(x, 1)); PyTorch's implicit dim is deprecated"],
    [() => F.softmin(xi, 0), "softmin: expected a floating-point input, got int32 [3]; convert it with x.float()"],
    [() => F.threshold(x, "1" as never, 0), "threshold: threshold must be a number, got string \"1\""],
    [() => F.threshold(x, 1, "0" as never), "threshold: value must be a number, got string \"0\""],
    [() => F.softshrink(x, -1), "softshrink: lambd must be greater or equal to 0, got -1"],
    [() => F.softshrink(x, "1" as never), "softshrink: lambd must be a number, got string \"1\""],
    [() => F.hardshrink(x, "1" as never), "hardshrink: lambd must be a number, got string \"1\""],
    [() => F.glu(tensor(1)), "glu: does not take a 0-d tensor; give a tensor with at least one dim"],
    [() => F.glu(x, 1), "glu: dim number 1 is out of range for input [4]"],
    [() => F.glu(x, -2), "glu: dim number -2 is out of range for input [4]"],
    [() => F.glu(x, 0.5), "glu: dim number 0.5 is out of range for input [4]"],
    [() => F.glu(tensor([1, 2, 3])), "glu: halving dimension must be even, but dimension 0 of input [3] has size 3"],
    [() => F.prelu(x, [1] as never), "prelu: weight must be a Tensor, got an array of length 1 (wrap plain numbers with tensor(...))"],
    [() => F.prelu(x, tensor([[1]])), "prelu: weight must be 0-d or 1-d, got [1,1]"],
    [() => F.prelu(tensor([[1, 2], [3, 4]]), tensor([1, 2, 3])), "prelu: weight has 3 values but input [2,2] has 2 channel(s) on dim 1; give 1 value or 2"],
  ];
  for (const [fn, message] of cases) throwsExactly(fn, message);
});

test("interpolate: its checks, and values against PyTorch 1.13 at the edges (align corners to one output, bicubic borders, nearest, scale factors)", () => {
  const x = randn([1, 1, 5]), x2 = randn([1, 1, 4, 5]);
  const cases: [() => unknown, string][] = [
    [() => F.interpolate(x, { size: 3, mode: "cubic" as never }), "interpolate: unknown mode string \"cubic\" (use \"nearest\", \"linear\", \"bilinear\" or \"bicubic\")"],
    [() => F.interpolate(x, { size: [3, 3], mode: "bilinear" }), "interpolate: bilinear mode takes input [N, C, H, W], got [1,1,5]"],
    [() => F.interpolate(randn([1, 5]), { size: 3, mode: "bicubic" }), "interpolate: bicubic mode takes input [N, C, H, W], got [1,5]"],
    [() => F.interpolate(zeros([1, 1, 5], { dtype: "int32" }), { size: 3 }), "interpolate: expected a floating-point input, got int32; convert it with x.float()"],
    [() => F.interpolate(x, { size: 3, scaleFactor: 2 }), "interpolate: give exactly one of size and scaleFactor (got both)"],
    [() => F.interpolate(x, {}), "interpolate: give exactly one of size and scaleFactor"],
    [() => F.interpolate(x, { size: 3, alignCorners: true }), "interpolate: alignCorners can only be set with the interpolating modes linear, bilinear and bicubic (got mode \"nearest\")"],
    [() => F.interpolate(x2, { size: [3] as never }), "interpolate: size needs a number or 2 numbers for input [1,1,4,5], got an array of length 1"],
    [() => F.interpolate(x2, { size: [3, NaN] }), "interpolate: size needs a number or 2 numbers for input [1,1,4,5], got an array of length 2"],
    [() => F.interpolate(x2, { size: "3" as never }), "interpolate: size needs a number or 2 numbers for input [1,1,4,5], got string \"3\""],
    [() => F.interpolate(x2, { scaleFactor: [2, -1] }), "interpolate: scaleFactor must be positive, got an array of length 2"],
    [() => F.interpolate(x, { scaleFactor: 0 }), "interpolate: scaleFactor must be positive, got number 0"],
    [() => F.interpolate(x, { size: 2.5 }), "interpolate: output size [2.5] must be positive integers (input [1,1,5])"],
    [() => F.interpolate(x, { scaleFactor: 0.1 }), "interpolate: output size [0] must be positive integers (input [1,1,5])"],
    [() => F.interpolate(zeros([1, 1, 0]), { size: 3 }), "interpolate: input [1,1,0] has an empty spatial dim"],
  ];
  for (const [fn, message] of cases) throwsExactly(fn, message);
  // F.interpolate in float64 on x = [0, 1, 4, 9, 16] and x2 = arange(20)^1.5 / 10 as [1, 1, 4, 5] (printed by PyTorch 1.13).
  const want: Record<string, number[]> = {"linAc1": [0.0], "linAc3": [0.0, 4.0, 16.0], "lin7": [0.0, 0.571428571429, 1.857142857143, 4.0, 7.571428571429, 12.0, 16.0], "lin2": [0.75, 10.75], "near8": [0.0, 0.0, 1.0, 1.0, 4.0, 9.0, 9.0, 16.0], "nearSf": [0.0, 0.0, 1.0, 4.0, 4.0, 9.0, 16.0], "bic3x7": [0.114437028833, 0.180621881111, 0.317243184105, 0.468034005469, 0.635436070191, 0.881282420538, 1.052304903329, 1.962741372853, 2.20006869663, 2.575819748558, 2.88417632607, 3.201051935142, 3.621958214657, 3.901312986325, 5.419556188579, 5.73764015826, 6.2366813692, 6.63992897878, 7.049940235155, 7.586158150549, 7.939042693048], "bicAc5x3": [0.0, 0.282842712475, 0.8, 0.649125588454, 1.253413345647, 2.001817776484, 1.996796758485, 2.88417632607, 3.861948828438, 3.977637136569, 5.04625371482, 6.195596642234, 5.809475019311, 7.00927956355, 8.281907992727], "bilSf": [0.559016994375, 0.645363731727, 0.778204866116, 0.942763406753, 1.115043749805, 1.305481488583, 1.507267789229, 1.718339276856, 4.48587633974, 4.691684423105, 5.008312243667, 5.336502023139, 5.66823077977, 6.008750895417, 6.35549734205, 6.70733805949]};
  const a = tensor([[[0, 1, 4, 9, 16]]], { dtype: "float64" });
  const b = tensor(Array.from({ length: 20 }, (_, i) => i ** 1.5 / 10), { dtype: "float64" }).reshape([1, 1, 4, 5]);
  const got: Record<string, Tensor> = {
    linAc1: F.interpolate(a, { size: 1, mode: "linear", alignCorners: true }),
    linAc3: F.interpolate(a, { size: 3, mode: "linear", alignCorners: true }),
    lin7: F.interpolate(a, { size: 7, mode: "linear" }),
    lin2: F.interpolate(a, { size: 2, mode: "linear" }),
    near8: F.interpolate(a, { size: 8, mode: "nearest" }),
    nearSf: F.interpolate(a, { scaleFactor: 1.5, mode: "nearest" }),
    bic3x7: F.interpolate(b, { size: [3, 7], mode: "bicubic" }),
    bicAc5x3: F.interpolate(b, { size: [5, 3], mode: "bicubic", alignCorners: true }),
    bilSf: F.interpolate(b, { scaleFactor: [0.5, 1.7], mode: "bilinear" }),
  };
  for (const [k, w] of Object.entries(want)) {
    const g = Array.from(got[k].data());
    assert.equal(g.length, w.length, k);
    g.forEach((v, i) => assert.ok(Math.abs(v - w[i]) < 1e-9, `${k}[${i}]: ${v} vs PyTorch's ${w[i]}`));
  }
});

test("convTranspose1d, bilinear and embeddingBag: each argument check names the function, the argument and what it got", () => {
  const w3 = randn([2, 3, 3]), x = randn([1, 2, 5]);
  const ids = tensor([0, 2, 1, 3], { dtype: "int64" }), W = randn([4, 2]);
  const cases: [() => unknown, string][] = [
    [() => F.convTranspose1d(randn([5]), w3), "convTranspose1d: expected input [N, C, L] or [C, L], got [5]"],
    [() => F.convTranspose1d(x, randn([2, 3])), "convTranspose1d: weight must be [inChannels, outChannels/groups, k], got [2,3]"],
    [() => F.convTranspose1d(x, w3, null, { stride: 1.5 }), "convTranspose1d: stride must be an integer, got number 1.5"],
    [() => F.convTranspose1d(x, w3, null, { stride: 2, outputPadding: 0.5 }), "convTranspose1d: outputPadding must be an integer, got number 0.5"],
    [() => F.convTranspose1d(x, w3, null, { dilation: NaN }), "convTranspose1d: dilation must be an integer, got number NaN"],
    [() => F.bilinear(randn([2, 3]), randn([2, 4]), randn([5, 3])), "bilinear: weight must be [outFeatures, in1Features, in2Features], got [5,3]"],
    [() => F.bilinear(randn([2, 2]), randn([2, 4]), randn([5, 3, 4])), "bilinear: input1 [2,2] must end with in1Features = 3 (weight [5,3,4])"],
    [() => F.bilinear(randn([]), randn([2, 4]), randn([5, 3, 4])), "bilinear: input1 [] must end with in1Features = 3 (weight [5,3,4])"],
    [() => F.bilinear(randn([2, 3]), randn([2, 5]), randn([5, 3, 4])), "bilinear: input2 [2,5] must end with in2Features = 4 (weight [5,3,4])"],
    [() => F.bilinear(randn([2, 3]), randn([3, 4]), randn([5, 3, 4])), "bilinear: input1 [2,3] and input2 [3,4] must have the same leading dims"],
    [() => F.bilinear(randn([2, 3]), randn([1, 2, 4]), randn([5, 3, 4])), "bilinear: input1 [2,3] and input2 [1,2,4] must have the same leading dims"],
    [() => F.bilinear(randn([2, 3]), randn([2, 4]), randn([5, 3, 4]), randn([4])), "bilinear: bias must be [5], got [4]"],
    [() => F.bilinear(randn([2, 3]), randn([2, 4]), randn([5, 3, 4]), randn([1, 5])), "bilinear: bias must be [5], got [1,5]"],
    [() => F.embeddingBag(tensor([0, 1]), W, tensor([0], { dtype: "int64" })), "embeddingBag: input must be an int64 (or int32) tensor of indices, got float32 (use ids.long())"],
    [() => F.embeddingBag(ids, randn([4]), tensor([0], { dtype: "int64" })), "embeddingBag: weight must be [numEmbeddings, embeddingDim], got [4]"],
    [() => F.embeddingBag(ids.reshape([2, 2]), W, tensor([0], { dtype: "int64" })), "embeddingBag: offsets must be null when input is 2-D [2,2] (each row is a bag)"],
    [() => F.embeddingBag(ids, W), "embeddingBag: a 1-D input needs offsets (the start of each bag), e.g. tensor([0, 3], { dtype: \"int64\" })"],
    [() => F.embeddingBag(ids, W, tensor([0, 2])), "embeddingBag: offsets must be a 1-D int64 (or int32) tensor, got float32 [2]"],
    [() => F.embeddingBag(ids, W, tensor([[0, 2]], { dtype: "int64" })), "embeddingBag: offsets must be a 1-D int64 (or int32) tensor, got int64 [1,2]"],
    [() => F.embeddingBag(ids, W, tensor([1, 2], { dtype: "int64" })), "embeddingBag: offsets[0] must be 0, got 1"],
    [() => F.embeddingBag(ids, W, tensor([0, 3, 2], { dtype: "int64" })), "embeddingBag: offsets must be non-decreasing and at most the input length 4, got [0,3,2]"],
    [() => F.embeddingBag(ids, W, tensor([0, 5], { dtype: "int64" })), "embeddingBag: offsets must be non-decreasing and at most the input length 4, got [0,5]"],
    [() => F.embeddingBag(ids.reshape([1, 2, 2]), W), "embeddingBag: input must be [B, L] or [n] (with offsets), got [1,2,2]"],
    [() => F.embeddingBag(tensor([0, 4], { dtype: "int64" }), W, tensor([0], { dtype: "int64" })), "embeddingBag: index 4 is out of range for an embedding of 4 rows (valid ids are 0..3)"],
    [() => F.embeddingBag(ids, W, tensor([0], { dtype: "int64" }), { perSampleWeights: randn([4]) }), "embeddingBag: perSampleWeights is only supported with mode \"sum\", got mode \"mean\""],
    [() => F.embeddingBag(ids, W, tensor([0], { dtype: "int64" }), { mode: "sum", perSampleWeights: randn([3]) }), "embeddingBag: perSampleWeights [3] must have the input's shape [4]"],
    [() => F.embeddingBag(ids, W, tensor([0], { dtype: "int64" }), { paddingIdx: 4 }), "embeddingBag: paddingIdx 4 is out of range for 4 rows"],
    [() => F.embeddingBag(ids, W, tensor([0], { dtype: "int64" }), { paddingIdx: -5 }), "embeddingBag: paddingIdx -5 is out of range for 4 rows"],
    [() => F.convTranspose1d(x, w3, null, { padding: "1" as never }), "convTranspose1d: padding must be an integer, got string \"1\""],
    [() => F.embeddingBag(ids, W, tensor([0, 2], { dtype: "int64" }), { mode: "min" as never }), "embeddingBag: mode must be \"sum\", \"mean\" or \"max\", got string \"min\""],
    [() => F.embeddingBag(ids, W, zeros([0], { dtype: "int64" })), "embeddingBag: offsets is empty; give at least one bag start"],
    [() => F.embeddingBag(ids, W, zeros([0], { dtype: "int64" }), { includeLastOffset: true }), "embeddingBag: with includeLastOffset, offsets needs at least one entry"],
  ];
  for (const [fn, message] of cases) throwsExactly(fn, message);
});

test("normalize, cosineSimilarity, pairwiseDistance and instanceNorm: 0-d inputs as PyTorch 1.13 treats them, and argument checks", () => {
  const s = (v: number): Tensor => tensor(v, { dtype: "float64" });
  // Values and shapes printed by PyTorch 1.13 (float64).
  assert.deepEqual([F.normalize(s(-3), 2, 0).item(), F.normalize(s(0), 2, -1).item(), F.cosineSimilarity(s(2), s(-3), 0).item()], [-1, 0, -1]);
  for (const keepdim of [false, true]) {
    const d = F.pairwiseDistance(s(1), s(3), { keepdim });
    assert.deepEqual([d.shape, d.item()], [[], 1.999999], `keepdim ${keepdim}`);
  }
  const pd = F.pairwiseDistance(tensor([[1, 2], [0, 1]], { dtype: "float64" }), tensor([[3, 0], [0, 0]], { dtype: "float64" }), { p: 1, keepdim: true });
  assert.deepEqual(pd.tolist(), [[4], [1.0000019999999998]]);
  const cases: [() => unknown, string][] = [
    [() => F.normalize(tensor(2), 2, 1), "normalize: dim number 1 is out of range for a 0-d input"],
    [() => F.normalize(randn([2, 3]), 2, 2), "normalize: dim number 2 is out of range for input [2,3]"],
    [() => F.normalize(randn([2, 3]), 2, "1" as never), 'normalize: dim string "1" is out of range for input [2,3]'],
    [() => F.cosineSimilarity(tensor(2), tensor(3), 1), "cosineSimilarity: dim number 1 is out of range for input []"],
    [() => F.instanceNorm(randn([2, 3, 4]), { weight: randn([2]) }), "instanceNorm: weight has shape [2], but the input [2,3,4] has 3 channels; expected [3]"],
    [() => F.instanceNorm(randn([2, 3, 4]), { runningMean: randn([3, 1]) }), "instanceNorm: runningMean has shape [3,1], but the input [2,3,4] has 3 channels; expected [3]"],
    [() => F.instanceNorm(randn([2, 3, 4]), { useInputStats: false, runningMean: randn([3]) }), "instanceNorm: useInputStats false needs runningMean and runningVar"],
    [() => F.instanceNorm(randn([2, 3, 1])), "instanceNorm: expected more than 1 spatial element per channel when using input statistics, got input [2,3,1]"],
  ];
  for (const [fn, message] of cases) throwsExactly(fn, message);
});
