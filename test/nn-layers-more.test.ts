// The layers over nn.functional's pooling, padding, resizing, normalisation, distance, Bilinear and
// EmbeddingBag functions: PyTorch's printout, state-dict names, the calling convention, the values
// of stateful behaviour (running statistics, padding modes of convolutions) against PyTorch 1.13,
// and bad calls. The functions' values and gradients are in the op table (test/optable-nnfunc.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, arange, randn, manualSeed, noGrad, type Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const F = nn.functional;
const close = (t: Tensor, want: number[], tol = 1e-5): void => {
  const got = t.reshape([-1]).tolist() as number[];
  assert.equal(got.length, want.length);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= tol * (1 + Math.abs(want[i])), `element ${i}: ${v} vs ${want[i]}`));
};

test("layers print as PyTorch's (repr strings copied from PyTorch 1.13)", () => {
  const cases: [nn.Module<never[], unknown>, string][] = [
    [new nn.MaxPool1d(3), "MaxPool1d(kernel_size=3, stride=3, padding=0, dilation=1, ceil_mode=False)"],
    [new nn.MaxPool1d(3, 2, 1), "MaxPool1d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)"],
    [new nn.AvgPool1d(3), "AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))"],
    [new nn.AvgPool1d(3, 2, 1), "AvgPool1d(kernel_size=(3,), stride=(2,), padding=(1,))"],
    [new nn.AdaptiveAvgPool1d(4), "AdaptiveAvgPool1d(output_size=4)"], [new nn.AdaptiveMaxPool1d(4), "AdaptiveMaxPool1d(output_size=4)"],
    [new nn.AdaptiveMaxPool2d(2), "AdaptiveMaxPool2d(output_size=2)"], [new nn.AdaptiveMaxPool2d([2, null]), "AdaptiveMaxPool2d(output_size=(2, None))"],
    [new nn.ReflectionPad1d(2), "ReflectionPad1d((2, 2))"], [new nn.ReflectionPad2d([1, 0, 2, 1]), "ReflectionPad2d((1, 0, 2, 1))"],
    [new nn.ReplicationPad2d(1), "ReplicationPad2d((1, 1, 1, 1))"], [new nn.ZeroPad2d([1, 0, 2, 1]), "ZeroPad2d((1, 0, 2, 1))"],
    [new nn.ConstantPad1d(2, 3.5), "ConstantPad1d(padding=(2, 2), value=3.5)"], [new nn.ConstantPad3d(1, 0), "ConstantPad3d(padding=(1, 1, 1, 1, 1, 1), value=0.0)"],
    [new nn.ReplicationPad3d(1), "ReplicationPad3d((1, 1, 1, 1, 1, 1))"],
    [new nn.PixelShuffle(2), "PixelShuffle(upscale_factor=2)"], [new nn.PixelUnshuffle(2), "PixelUnshuffle(downscale_factor=2)"],
    [new nn.Unfold(3), "Unfold(kernel_size=3, dilation=1, padding=0, stride=1)"],
    [new nn.Unfold([2, 3], 1, 1, 2), "Unfold(kernel_size=(2, 3), dilation=1, padding=1, stride=2)"],
    [new nn.Fold([4, 5], 2), "Fold(output_size=(4, 5), kernel_size=2, dilation=1, padding=0, stride=1)"],
    [new nn.InstanceNorm1d(3), "InstanceNorm1d(3, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)"],
    [new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true }), "InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"],
    [new nn.LocalResponseNorm(5), "LocalResponseNorm(5, alpha=0.0001, beta=0.75, k=1.0)"],
    [new nn.CosineSimilarity(), "CosineSimilarity()"], [new nn.PairwiseDistance(), "PairwiseDistance()"],
    [new nn.Bilinear(3, 4, 5), "Bilinear(in1_features=3, in2_features=4, out_features=5, bias=True)"],
    [new nn.Bilinear(3, 4, 5, false), "Bilinear(in1_features=3, in2_features=4, out_features=5, bias=False)"],
    [new nn.EmbeddingBag(10, 3), "EmbeddingBag(10, 3, mode=mean)"], [new nn.EmbeddingBag(10, 3, { mode: "sum", paddingIdx: 0 }), "EmbeddingBag(10, 3, mode=sum, padding_idx=0)"],
    [new nn.ConvTranspose1d(2, 3, 3), "ConvTranspose1d(2, 3, kernel_size=(3,), stride=(1,))"],
    [new nn.ConvTranspose1d(2, 3, 3, 2, 1, 1), "ConvTranspose1d(2, 3, kernel_size=(3,), stride=(2,), padding=(1,), output_padding=(1,))"],
    [new nn.Conv1d(2, 3, 3, { padding: 1, paddingMode: "reflect" }), "Conv1d(2, 3, kernel_size=(3,), stride=(1,), padding=(1,), padding_mode=reflect)"],
    [new nn.Conv2d(2, 3, 3, { padding: 1, paddingMode: "circular" }), "Conv2d(2, 3, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), padding_mode=circular)"],
    [new nn.Upsample(null, 2, "bicubic", true), "Upsample(scale_factor=2.0, mode=bicubic)"],
  ];
  for (const [m, repr] of cases) assert.equal(m.toString(), repr);
});

test("each layer computes its functional form", () => {
  manualSeed(1);
  const x1 = randn([2, 4, 9]), x2 = randn([2, 4, 6, 6]);
  const same = (a: Tensor, b: Tensor, what: string): void => assert.deepEqual(a.tolist(), b.tolist(), what);
  same(new nn.MaxPool1d(3, 2, 1).call(x1), F.maxPool1d(x1, 3, { stride: 2, padding: 1 }), "MaxPool1d");
  same(new nn.AvgPool1d(3, { countIncludePad: false, padding: 1 }).call(x1), F.avgPool1d(x1, 3, { padding: 1, countIncludePad: false }), "AvgPool1d");
  same(new nn.AdaptiveMaxPool2d([3, 2]).call(x2), F.adaptiveMaxPool2d(x2, [3, 2]), "AdaptiveMaxPool2d");
  same(new nn.ReflectionPad2d([1, 0, 2, 1]).call(x2), F.pad(x2, [1, 0, 2, 1], "reflect"), "ReflectionPad2d");
  same(new nn.ConstantPad2d(1, -2).call(x2), F.pad(x2, [1, 1, 1, 1], "constant", -2), "ConstantPad2d");
  same(new nn.PixelUnshuffle(2).call(x2), F.pixelUnshuffle(x2, 2), "PixelUnshuffle");
  same(new nn.Fold([6, 6], 2, { stride: 2 }).call(new nn.Unfold(2, { stride: 2 }).call(x2)), x2, "Fold(Unfold(x)) with non-overlapping blocks is x");
  same(new nn.LocalResponseNorm(3).call(x1), F.localResponseNorm(x1, 3), "LocalResponseNorm");
  same(new nn.PairwiseDistance(1, { keepdim: true }).call(x1, x1.flip([0])), F.pairwiseDistance(x1, x1.flip([0]), { p: 1, keepdim: true }), "PairwiseDistance");
  same(new nn.CosineSimilarity(2).call(x1, x1.mul(2)), F.cosineSimilarity(x1, x1.mul(2), 2), "CosineSimilarity");
  const bl = new nn.Bilinear(9, 9, 2);
  assert.deepEqual(Object.keys(bl.stateDict()), ["weight", "bias"]);
  same(bl.call(x1, x1), F.bilinear(x1, x1, bl.weight, bl.bias), "Bilinear");
  // U(±1/√in1): every drawn value within the bound.
  assert.ok((bl.weight.abs().max().item() as number) <= 1 / 3);
});

test("InstanceNorm1d with running statistics matches PyTorch's buffers and eval output", () => {
  const x = arange(24).reshape([2, 3, 4]).sin();
  const m = new nn.InstanceNorm1d(3, { momentum: 0.2, trackRunningStats: true });
  assert.deepEqual(Object.keys(m.stateDict()), ["running_mean", "running_var", "num_batches_tracked"]);
  m.call(x);
  // torch.nn.InstanceNorm1d(3, momentum=0.2, track_running_stats=True) on torch.arange(24.).reshape(2,3,4).sin()
  close(m.runningMean!, [0.08540944755077362, -0.07971416413784027, 0.01879986561834812]);
  close(m.runningVar!, [0.8649203777313232, 0.876397967338562, 0.9496371746063232]);
  m.eval();
  close(m.call(x).get(0, 0), [-0.09183649718761444, 0.8129550814628601, 0.88588547706604, 0.059902772307395935]);
  // Unbatched input [C, L] works as PyTorch's.
  assert.deepEqual(new nn.InstanceNorm1d(3).call(x.get(0)).shape, [3, 4]);
});

test("Conv1d/Conv2d paddingMode pads the input as PyTorch's padding_mode", () => {
  const c = new nn.Conv1d(2, 3, 3, { padding: 2, paddingMode: "circular", bias: false });
  noGrad(() => c.weight.copy_(arange(18).reshape([3, 2, 3]).div(10)));
  // nn.Conv1d(2, 3, 3, padding=2, padding_mode='circular', bias=False), weight arange(18)/10, input arange(10).reshape(1,2,5)
  close(c.call(arange(10).float().reshape([1, 2, 5])), [8.9, 7.9, 7.9, 9.4, 10.9, 8.9, 7.9, 26.3, 22.9, 20.5, 25.6, 30.7, 26.3, 22.9, 43.7, 37.9, 33.1, 41.8, 50.5, 43.7, 37.9]);
  const c2 = new nn.Conv2d(1, 1, 3, { padding: "same", paddingMode: "reflect", bias: false });
  noGrad(() => c2.weight.copy_(arange(9).reshape([1, 1, 3, 3])));
  const want = [120, 138, 174, 180, 240, 258, 294, 300, 384, 402, 438, 444, 360, 378, 414, 420];
  close(c2.call(arange(16).float().reshape([1, 1, 4, 4])), want);
  // The fused conv + ReLU path (nn.Sequential's) pads the same way.
  close(c2.forwardRelu(arange(16).float().reshape([1, 1, 4, 4])), want);
  throwsWith(() => new nn.Conv2d(1, 1, 3, { paddingMode: "mirror" as never }), 'Conv2d: paddingMode must be "zeros", "reflect", "replicate" or "circular", got string "mirror"');
  throwsWith(() => new nn.ConvTranspose1d(1, 1, 3, { paddingMode: "reflect" }), 'ConvTranspose1d: only paddingMode "zeros" is supported for transposed convolution, got "reflect"');
});

test("EmbeddingBag: bags from a 2-D input or offsets, PyTorch's max mode", () => {
  const eb = new nn.EmbeddingBag(5, 2, { mode: "max" });
  noGrad(() => eb.weight.copy_(arange(10).reshape([5, 2]).cos()));
  const ids = tensor(Int32Array.from([0, 2, 4, 1, 1, 3])).reshape([2, 3]);
  // nn.EmbeddingBag(5, 2, mode='max') with weight arange(10).reshape(5,2).cos() on [[0,2,4],[1,1,3]]
  close(eb.call(ids), [1.0, 0.5403023362159729, 0.9601702690124512, 0.7539022564888]);
  close(eb.call(ids.reshape([-1]), tensor(Int32Array.from([0, 3]))), [1.0, 0.5403023362159729, 0.9601702690124512, 0.7539022564888]);
  // An empty bag gives zeros in every mode.
  const w = arange(6).reshape([3, 2]).float();
  for (const mode of ["sum", "mean", "max"] as const) {
    assert.deepEqual(F.embeddingBag(tensor(Int32Array.from([1, 2])), w, tensor(Int32Array.from([0, 0])), { mode }).get(0).tolist(), [0, 0], mode);
  }
  assert.equal(new nn.EmbeddingBag(4, 2, { paddingIdx: 1 }).weight.get(1).abs().sum().item(), 0);
});

test("bad calls throw naming the function, what it got and the fix", () => {
  const x = randn([2, 3, 4, 4]);
  throwsWith(() => F.pad(x.get(0, 0, 0), [1, 1], "replicate"), "pad: replicate padding takes 2 pads for a [C,L] or [N,C,L] input, 4 for [C,H,W] or [N,C,H,W], 6 for [C,D,H,W] or [N,C,D,H,W]; got 2 pads for input [4]");
  throwsWith(() => F.pad(x.get(0), [1, 1, 1, 1], "circular"), "pad: circular padding takes [N, C, ...] with 1 to 3 padded dims (2 pads for [N,C,L], 4 for [N,C,H,W], 6 for [N,C,D,H,W]); got 4 pads for input [3,4,4]");
  throwsWith(() => F.pad(x, [5, 0, 0, 0], "circular"), "pad: circular padding (5, 0) must be at most dim 3's size 4 (shape [2,3,4,4]); it would wrap around more than once");
  throwsWith(() => F.pad(x, [1, 1], "wrap" as never), 'pad: unknown mode "wrap" (use "constant", "reflect", "replicate" or "circular")');
  throwsWith(() => F.pixelShuffle(x, 2), "pixelShuffle: the channel dim (3) of input [2,3,4,4] must be divisible by upscaleFactor² = 4");
  throwsWith(() => F.fold(randn([1, 8, 5]), [4, 5], 2), "fold: input [1,8,5] has 5 blocks, but an output of 4x5 with this kernel, dilation, padding and stride has 3 * 4 = 12");
  throwsWith(() => F.unfold(x, 2, { dilation: 1 } as never, 1 as never), "unfold: got an options object and also positional padding 1 and stride undefined after it; give them in one place, e.g. unfold(x, kernelSize, { dilation, padding, stride })");
  throwsWith(() => F.unfold(x, 5), "unfold: a 5x5 kernel (dilation [1,1]) does not fit the padded 4x4 image (padding [0,0]); give a smaller kernel or more padding");
  throwsWith(() => F.interpolate(x, { size: 3, mode: "linear" }), "interpolate: linear mode takes input [N, C, L], got [2,3,4,4]");
  throwsWith(() => F.interpolate(x, { size: 3, alignCorners: true }), 'interpolate: alignCorners can only be set with the interpolating modes linear, bilinear and bicubic (got mode "nearest")');
  throwsWith(() => F.interpolate(x, { size: 3, scaleFactor: 2 }), "interpolate: give exactly one of size and scaleFactor (got both)");
  throwsWith(() => F.adaptiveMaxPool2d(x.get(0, 0), 2), "adaptiveMaxPool2d: expected input [N, C, H, W] or [C, H, W], got [4,4]");
  throwsWith(() => F.instanceNorm(x, { weight: randn([4]) }), "instanceNorm: weight has shape [4], but the input [2,3,4,4] has 3 channels; expected [3]");
  throwsWith(() => F.localResponseNorm(x.get(0, 0), 2), "localResponseNorm: expected input [N, C, *] with 3 or more dims, got [4,4]");
  throwsWith(() => F.cosineSimilarity(randn([3, 4]), randn([2, 4])), "cosineSimilarity: shapes [3,4] and [2,4] cannot be broadcast: dimension -2 is 3 vs 2 (sizes must match or one of them must be 1)");
  throwsWith(() => F.bilinear(randn([2, 3]), randn([2, 4]), randn([5, 3, 5])), "bilinear: input2 [2,4] must end with in2Features = 5 (weight [5,3,5])");
  const w = randn([10, 3]);
  throwsWith(() => F.embeddingBag(tensor(Int32Array.from([1, 2])), w), 'embeddingBag: a 1-D input needs offsets (the start of each bag), e.g. tensor([0, 3], { dtype: "int64" })');
  throwsWith(() => F.embeddingBag(tensor(Int32Array.from([1, 12])), w, tensor(Int32Array.from([0]))), "embeddingBag: index 12 is out of range for an embedding of 10 rows (valid ids are 0..9)", RangeError);
  throwsWith(() => F.embeddingBag(tensor(Int32Array.from([1, 2])), w, tensor(Int32Array.from([0])), { mode: "max", perSampleWeights: randn([2]) }), 'embeddingBag: perSampleWeights is only supported with mode "sum", got mode "max"');
  throwsWith(() => F.oneHot(tensor([1, 2])), "oneHot: labels must be an integer tensor of class indices, got float32 [2]; convert it with labels.int()");
  throwsWith(() => new nn.ZeroPad2d([1, 2]), "ZeroPad2d: padding must be an integer or 4 integers (left, right, top, bottom), got an array of length 2");
});

test("AvgPool2d's divisorOverride (positional, as PyTorch's sixth argument) divides each window's sum", () => {
  const x = arange(16, { dtype: "float64" }).reshape([1, 1, 4, 4]);
  const y = new nn.AvgPool2d(2, 2, 1, false, true, 3).call(x);
  // Windows with padding 1: the corners hold one input element, e.g. x[0,0] = 0 and x[3,3] = 15.
  const F = nn.functional;
  assert.deepEqual(y.tolist(), F.avgPool2d(x, 2, { stride: 2, padding: 1, divisorOverride: 3 }).tolist());
  assert.deepEqual(y.shape, [1, 1, 3, 3]);
  assert.equal(y.get(0, 0, 2, 2).item(), 5);
  assert.equal(y.get(0, 0, 1, 1).item(), (5 + 6 + 9 + 10) / 3);
  assert.throws(() => F.avgPool2d(x, 2, { divisorOverride: 0 }), /avgPool2d: divisorOverride must be a non-zero integer, got 0/);
});
