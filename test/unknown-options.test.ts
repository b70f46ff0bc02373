// API.md rule 9 for options objects: a misspelt option key is an Error naming the function, the key and
// the closest valid key, never a silent default (new nn.Transformer({ dModel: 64, nHeads: 4 }) built the
// 512-wide default model). One rule in src/tensor/check.ts (checkKeys), used by every options reader.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Tensor, nn, optim, data, ones, tensor, zeros } from "../src/index.js";
import * as dt from "../src/index.js";
import { checkKeys, optionKeys } from "../src/tensor/check.js";

const unknown = (f: () => unknown, re: RegExp): void => {
  assert.throws(f, (e: unknown) => e instanceof Error && !(e instanceof TypeError) && re.test(e.message));
};

test("a misspelt option names the function, the key and the closest valid key", () => {
  unknown(() => new nn.Transformer({ dModel: 64, nHeads: 4 } as never), /^Transformer: unknown option 'nHeads'; did you mean 'nhead'\? \(it takes dModel, nhead, /);
  unknown(() => new nn.LSTM(2, 3, { batch_first: true } as never), /^LSTM: unknown option 'batch_first'; deeptype spells it 'batchFirst'$/);
  unknown(() => new nn.Conv2d(1, 2, 3, { paddingmode: "zeros" } as never), /^Conv2d: unknown option 'paddingmode'; did you mean 'paddingMode'\?/);
  unknown(() => new nn.Conv2d(1, 2, 3, 1, { padd: 1 } as never), /^Conv2d: unknown option 'padd'; did you mean 'padding'\?/);
  unknown(() => new optim.SGD(new nn.Linear(2, 2).parameters(), { lr: 0.1, momentom: 0.9 } as never), /^SGD: unknown option 'momentom'; did you mean 'momentum'\? \(it takes lr, momentum, dampening, nesterov, weightDecay, maximize\)$/);
  unknown(() => new optim.Adam([{ params: new nn.Linear(2, 2).parameters(), betaz: [0.9, 0.99] } as never]), /^Adam: unknown option 'betaz'; did you mean 'betas'\?/);
  const opt = new optim.SGD(new nn.Linear(2, 2).parameters(), { lr: 0.1 });
  unknown(() => new optim.StepLR(opt, { step_size: 2 } as never), /^StepLR: unknown option 'step_size'; deeptype spells it 'stepSize'$/);
  unknown(() => new optim.CosineAnnealingLR(opt, { tmax: 10 } as never), /^CosineAnnealingLR: unknown option 'tmax'; did you mean 'tMax'\?/);
  unknown(() => new optim.OneCycleLR(opt, { maxLr: 1, totalSteps: 10, pct_start: 0.3 } as never), /^OneCycleLR: unknown option 'pct_start'; deeptype spells it 'pctStart'$/);
  unknown(() => new data.DataLoader(new data.TensorDataset(zeros([4, 2])), { batch_size: 2 } as never), /^DataLoader: unknown option 'batch_size'; deeptype spells it 'batchSize'$/);
  unknown(() => new data.DataLoader(new data.TensorDataset(zeros([4, 2])), { collate_fn: (b: unknown) => b } as never), /^DataLoader: unknown option 'collate_fn'; deeptype spells it 'collateFn'$/);
  unknown(() => nn.functional.interpolate(ones([1, 1, 2, 2]), { scale_factor: 2 } as never), /^interpolate: unknown option 'scale_factor'; deeptype spells it 'scaleFactor'$/);
  unknown(() => nn.functional.huberLoss(ones([2]), ones([2]), { delt: 2 } as never), /^huberLoss: unknown option 'delt'; did you mean 'delta'\?/);
  unknown(() => new data.RandomCrop(2, { pading: 1 } as never), /^RandomCrop: unknown option 'pading'; did you mean 'padding'\?/);
  unknown(() => new nn.Linear(2, 2, { zzzzzz: 1 } as never), /^Linear: unknown option 'zzzzzz'; it takes dtype, generator, bias$/);
  // The valid forms still work, and an option left undefined is no option at all.
  assert.equal(new nn.LSTM(2, 3, { batchFirst: true }).batchFirst, true);
  assert.equal(new nn.Conv2d(1, 2, 3, 1, { padding: 1 }).call(ones([1, 1, 4, 4])).shape[2], 4);
  assert.equal(new nn.Linear(2, 2, { bias: undefined, typo: undefined } as never).inFeatures, 2);
});

test("checkKeys allocates nothing on the success path and optionKeys lists a type's keys", () => {
  const keys = optionKeys<{ a?: number; bb?: string }>()({ a: true, bb: true });
  assert.deepEqual(keys, ["a", "bb"]);
  checkKeys("f", { a: 1, bb: "x" }, keys);
  // Rough allocation check: a million checks of a valid bag leave the heap where it was (within GC noise).
  const opts = { a: 1, bb: "x" };
  for (let i = 0; i < 1e5; i++) checkKeys("f", opts, keys);
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 1e6; i++) checkKeys("f", opts, keys);
  assert.ok(process.memoryUsage().heapUsed - before < 4 * 1024 * 1024, "checkKeys allocated on the success path");
  unknown(() => checkKeys("f", { a: 1, b: 2 }, keys), /^f: unknown option 'b'; did you mean 'a'\? \(it takes a, bb\)$/);
});

// ---------------------------------------------------------------- the sweep
//
// Every class of nn, optim and data is either built here with one bogus key in its options object
// (which must throw naming the class and the key) or listed as taking no options object. A new class
// fails the test until it is put in one of the two.

const BOGUS = { bogusKey: 1 };
const params = (): Tensor[] => new nn.Linear(2, 2).parameters();
const sgd = () => new optim.SGD(params(), { lr: 0.1 });
const ds = () => new data.TensorDataset(zeros([4, 2]));
const encLayer = () => new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
const decLayer = () => new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 8 });

const WITH_OPTIONS: Record<string, (o: object) => unknown> = {
  "nn.Linear": (o) => new nn.Linear(2, 2, o),
  "nn.Bilinear": (o) => new nn.Bilinear(2, 2, 2, o),
  "nn.Conv1d": (o) => new nn.Conv1d(1, 1, 1, o),
  "nn.Conv2d": (o) => new nn.Conv2d(1, 1, 1, o),
  "nn.ConvTranspose1d": (o) => new nn.ConvTranspose1d(1, 1, 1, o),
  "nn.ConvTranspose2d": (o) => new nn.ConvTranspose2d(1, 1, 1, o),
  "nn.MaxPool1d": (o) => new nn.MaxPool1d(2, o),
  "nn.MaxPool2d": (o) => new nn.MaxPool2d(2, o),
  "nn.AvgPool1d": (o) => new nn.AvgPool1d(2, o),
  "nn.LPPool1d": (o) => new nn.LPPool1d(2, 3, o),
  "nn.LPPool2d": (o) => new nn.LPPool2d(2, 3, o),
  "nn.AvgPool2d": (o) => new nn.AvgPool2d(2, o),
  "nn.Upsample": (o) => new nn.Upsample({ scaleFactor: 2, ...o }),
  "nn.UpsamplingNearest2d": (o) => new nn.UpsamplingNearest2d({ scaleFactor: 2, ...o }),
  "nn.UpsamplingBilinear2d": (o) => new nn.UpsamplingBilinear2d({ scaleFactor: 2, ...o }),
  "nn.Unfold": (o) => new nn.Unfold(2, o),
  "nn.Fold": (o) => new nn.Fold([4, 4], 2, o),
  "nn.BatchNorm1d": (o) => new nn.BatchNorm1d(2, o),
  "nn.BatchNorm2d": (o) => new nn.BatchNorm2d(2, o),
  "nn.InstanceNorm1d": (o) => new nn.InstanceNorm1d(2, o),
  "nn.InstanceNorm2d": (o) => new nn.InstanceNorm2d(2, o),
  "nn.LayerNorm": (o) => new nn.LayerNorm(2, o),
  "nn.GroupNorm": (o) => new nn.GroupNorm(1, 2, o),
  "nn.LocalResponseNorm": (o) => new nn.LocalResponseNorm(2, o),
  "nn.CosineSimilarity": (o) => new nn.CosineSimilarity(o),
  "nn.PairwiseDistance": (o) => new nn.PairwiseDistance(o),
  "nn.Embedding": (o) => new nn.Embedding(4, 2, o),
  "nn.EmbeddingBag": (o) => new nn.EmbeddingBag(4, 2, o),
  "nn.Dropout": (o) => new nn.Dropout(0.5, o),
  "nn.Dropout2d": (o) => new nn.Dropout2d(0.5, o),
  "nn.Dropout1d": (o) => new nn.Dropout1d(0.5, o),
  "nn.Dropout3d": (o) => new nn.Dropout3d(0.5, o),
  "nn.AlphaDropout": (o) => new nn.AlphaDropout(0.5, o),
  "nn.FeatureAlphaDropout": (o) => new nn.FeatureAlphaDropout(0.5, o),
  "nn.MaxUnpool1d": (o) => new nn.MaxUnpool1d(2, o),
  "nn.MaxUnpool2d": (o) => new nn.MaxUnpool2d(2, o),
  "nn.Softplus": (o) => new nn.Softplus(o),
  "nn.Hardtanh": (o) => new nn.Hardtanh(o),
  "nn.CELU": (o) => new nn.CELU(o),
  "nn.GLU": (o) => new nn.GLU(o),
  "nn.PReLU": (o) => new nn.PReLU(o),
  "nn.RReLU": (o) => new nn.RReLU(o),
  "nn.Softshrink": (o) => new nn.Softshrink(o),
  "nn.Hardshrink": (o) => new nn.Hardshrink(o),
  "nn.MSELoss": (o) => new nn.MSELoss(o),
  "nn.L1Loss": (o) => new nn.L1Loss(o),
  "nn.SmoothL1Loss": (o) => new nn.SmoothL1Loss(o),
  "nn.CrossEntropyLoss": (o) => new nn.CrossEntropyLoss(o),
  "nn.NLLLoss": (o) => new nn.NLLLoss(o),
  "nn.BCELoss": (o) => new nn.BCELoss(o),
  "nn.BCEWithLogitsLoss": (o) => new nn.BCEWithLogitsLoss(o),
  "nn.KLDivLoss": (o) => new nn.KLDivLoss(o),
  "nn.HuberLoss": (o) => new nn.HuberLoss(o),
  "nn.MarginRankingLoss": (o) => new nn.MarginRankingLoss(o),
  "nn.HingeEmbeddingLoss": (o) => new nn.HingeEmbeddingLoss(o),
  "nn.MultiMarginLoss": (o) => new nn.MultiMarginLoss(o),
  "nn.MultiLabelMarginLoss": (o) => new nn.MultiLabelMarginLoss(o),
  "nn.MultiLabelSoftMarginLoss": (o) => new nn.MultiLabelSoftMarginLoss(o),
  "nn.SoftMarginLoss": (o) => new nn.SoftMarginLoss(o),
  "nn.TripletMarginLoss": (o) => new nn.TripletMarginLoss(o),
  "nn.TripletMarginWithDistanceLoss": (o) => new nn.TripletMarginWithDistanceLoss(o),
  "nn.CosineEmbeddingLoss": (o) => new nn.CosineEmbeddingLoss(o),
  "nn.PoissonNLLLoss": (o) => new nn.PoissonNLLLoss(o),
  "nn.GaussianNLLLoss": (o) => new nn.GaussianNLLLoss(o),
  "nn.CTCLoss": (o) => new nn.CTCLoss(o),
  "nn.RNN": (o) => new nn.RNN(2, 2, o),
  "nn.LSTM": (o) => new nn.LSTM(2, 2, o),
  "nn.GRU": (o) => new nn.GRU(2, 2, o),
  "nn.RNNCell": (o) => new nn.RNNCell(2, 2, o),
  "nn.LSTMCell": (o) => new nn.LSTMCell(2, 2, o),
  "nn.GRUCell": (o) => new nn.GRUCell(2, 2, o),
  "nn.MultiheadAttention": (o) => new nn.MultiheadAttention(4, 2, o),
  "nn.TransformerEncoderLayer": (o) => new nn.TransformerEncoderLayer(4, 2, o),
  "nn.TransformerDecoderLayer": (o) => new nn.TransformerDecoderLayer(4, 2, o),
  "nn.TransformerEncoder": (o) => new nn.TransformerEncoder(encLayer(), 1, o),
  "nn.TransformerDecoder": (o) => new nn.TransformerDecoder(decLayer(), 1, o),
  "nn.Transformer": (o) => new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8, ...o }),
  "nn.PositionalEncoding": (o) => new nn.PositionalEncoding(4, { batchFirst: true, ...o }),
  "optim.SGD": (o) => new optim.SGD(params(), { lr: 0.1, ...o }),
  "optim.Adam": (o) => new optim.Adam(params(), o),
  "optim.AdamW": (o) => new optim.AdamW(params(), o),
  "optim.RMSprop": (o) => new optim.RMSprop(params(), o),
  "optim.Adagrad": (o) => new optim.Adagrad(params(), o),
  "optim.Adadelta": (o) => new optim.Adadelta(params(), o),
  "optim.Adamax": (o) => new optim.Adamax(params(), o),
  "optim.NAdam": (o) => new optim.NAdam(params(), o),
  "optim.RAdam": (o) => new optim.RAdam(params(), o),
  "optim.LBFGS": (o) => new optim.LBFGS(params(), o),
  "optim.StepLR": (o) => new optim.StepLR(sgd(), { stepSize: 2, ...o }),
  "optim.MultiStepLR": (o) => new optim.MultiStepLR(sgd(), { milestones: [2], ...o }),
  "optim.ExponentialLR": (o) => new optim.ExponentialLR(sgd(), { gamma: 0.9, ...o }),
  "optim.CosineAnnealingLR": (o) => new optim.CosineAnnealingLR(sgd(), { tMax: 4, ...o }),
  "optim.LinearLR": (o) => new optim.LinearLR(sgd(), o),
  "optim.OneCycleLR": (o) => new optim.OneCycleLR(sgd(), { maxLr: 1, totalSteps: 10, ...o }),
  "optim.ReduceLROnPlateau": (o) => new optim.ReduceLROnPlateau(sgd(), o),
  "optim.LambdaLR": (o) => new optim.LambdaLR(sgd(), { lrLambda: () => 1, ...o }),
  "optim.MultiplicativeLR": (o) => new optim.MultiplicativeLR(sgd(), { lrLambda: () => 1, ...o }),
  "optim.ConstantLR": (o) => new optim.ConstantLR(sgd(), o),
  "optim.SequentialLR": (o) => {
    const opt = sgd();
    return new optim.SequentialLR(opt, { schedulers: [new optim.ConstantLR(opt), new optim.ExponentialLR(opt, { gamma: 0.9 })], milestones: [2], ...o });
  },
  "optim.PolynomialLR": (o) => new optim.PolynomialLR(sgd(), o),
  "optim.CyclicLR": (o) => new optim.CyclicLR(sgd(), { baseLr: 0.01, maxLr: 0.1, ...o }),
  "optim.CosineAnnealingWarmRestarts": (o) => new optim.CosineAnnealingWarmRestarts(sgd(), { t0: 2, ...o }),
  "data.DataLoader": (o) => new data.DataLoader(ds(), o),
  "data.RandomSampler": (o) => new data.RandomSampler(ds(), o),
  "data.SubsetRandomSampler": (o) => new data.SubsetRandomSampler([0, 1], o),
  "data.WeightedRandomSampler": (o) => new data.WeightedRandomSampler([1, 2], 2, o),
  "data.RandomHorizontalFlip": (o) => new data.RandomHorizontalFlip(o),
  "data.RandomVerticalFlip": (o) => new data.RandomVerticalFlip(o),
  "data.Resize": (o) => new data.Resize(2, o),
  "data.RandomCrop": (o) => new data.RandomCrop(2, o),
  "data.RandomResizedCrop": (o) => new data.RandomResizedCrop(2, o),
  "data.RandomRotation": (o) => new data.RandomRotation(10, o),
  "data.ColorJitter": (o) => new data.ColorJitter(o),
  "data.GaussianNoise": (o) => new data.GaussianNoise(o),
  "data.MnistDataset": (o) => new data.MnistDataset(o),
  "data.SyntheticDepthDataset": (o) => new data.SyntheticDepthDataset({ scenes: 1, ...o }),
  "data.SyntheticSegmentationDataset": (o) => new data.SyntheticSegmentationDataset({ length: 1, ...o }),
  "data.ImageFolder": (o) => new data.ImageFolder(".", o),
  "data.DecodePool": (o) => new data.DecodePool(o),
};

/** Classes whose constructor takes no options object (PyTorch gives them only positional parameters). */
const NO_OPTIONS = new Set([
  "nn.Module", "nn.Parameter", "nn.Sequential", "nn.ModuleList", "nn.ModuleDict", "nn.ParameterList", "nn.ParameterDict", "nn.Identity", "nn.Flatten", "nn.Unflatten",
  "nn.AdaptiveAvgPool1d", "nn.AdaptiveAvgPool2d", "nn.AdaptiveMaxPool1d", "nn.AdaptiveMaxPool2d",
  "nn.ReflectionPad1d", "nn.ReflectionPad2d", "nn.ReflectionPad3d", "nn.ReplicationPad1d", "nn.ReplicationPad2d", "nn.ReplicationPad3d",
  "nn.ZeroPad2d", "nn.ConstantPad1d", "nn.ConstantPad2d", "nn.ConstantPad3d", "nn.PixelShuffle", "nn.PixelUnshuffle",
  "nn.ChannelShuffle", "nn.Softmax2d",
  "nn.ReLU", "nn.LeakyReLU", "nn.ELU", "nn.Sigmoid", "nn.Tanh", "nn.GELU", "nn.SiLU", "nn.Softmax", "nn.LogSoftmax", "nn.ReLU6",
  "nn.Hardswish", "nn.Hardsigmoid", "nn.SELU", "nn.Mish", "nn.Softmin", "nn.Softsign", "nn.Tanhshrink", "nn.Threshold", "nn.LogSigmoid", "nn.Loss",
  "optim.Optimizer", "optim.LRScheduler", "optim.ChainedScheduler",
  "data.BaseDataset", "data.MapDataset", "data.TensorDataset", "data.Subset", "data.ConcatDataset", "data.SequentialSampler", "data.BatchSampler",
  "data.Compose", "data.Normalize", "data.ToTensor", "data.CenterCrop",
]);

test("sweep: every options-taking constructor of nn, optim and data rejects a bogus key by name", () => {
  const isClass = (f: unknown): boolean => typeof f === "function" && /^class\b/.test(Function.prototype.toString.call(f));
  const all: string[] = [];
  for (const [prefix, ns] of [["nn", nn], ["optim", optim], ["data", data]] as const) {
    // Old spellings exported as aliases of a class (nn.MultilabelMarginLoss) are swept under its own name.
    for (const [k, v] of Object.entries(ns)) if (isClass(v) && (v as { name: string }).name === k) all.push(`${prefix}.${k}`);
  }
  const unclassified = all.filter((n) => !(n in WITH_OPTIONS) && !NO_OPTIONS.has(n));
  assert.deepEqual(unclassified, [], "new classes: add them to WITH_OPTIONS or NO_OPTIONS");
  assert.deepEqual(Object.keys(WITH_OPTIONS).filter((n) => !all.includes(n)), [], "entries for classes that no longer exist");
  const problems: string[] = [];
  for (const [name, make] of Object.entries(WITH_OPTIONS)) {
    const cls = name.slice(name.indexOf(".") + 1);
    try {
      make(BOGUS);
      problems.push(`${name}: accepted { bogusKey: 1 }`);
    } catch (e) {
      const m = (e as Error).message;
      if (!m.startsWith(`${cls}: unknown option 'bogusKey'`)) problems.push(`${name}: ${m}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(Object.keys(WITH_OPTIONS).length >= 100, `${Object.keys(WITH_OPTIONS).length} constructors swept`);
  // The same constructors accept their options without the bogus key (the sweep's calls are valid).
  for (const [name, make] of Object.entries(WITH_OPTIONS)) {
    if (name === "data.MnistDataset" || name === "data.ImageFolder" || name === "data.DecodePool") continue; // load files or start workers
    assert.doesNotThrow(() => make({}), name);
  }
  void dt;
  void tensor;
});

test("functions with an options bag reject a bogus key too: nn.functional, data, io, utils, models, deeptype/node", async () => {
  const F = nn.functional;
  const x = ones([1, 1, 4, 4]);
  const calls: [string, () => unknown][] = [
    ["conv2d", () => F.conv2d(x, ones([1, 1, 3, 3]), null, { padd: 1 } as never)],
    ["maxPool2d", () => F.maxPool2d(x, 2, { ceil_mode: true } as never)],
    ["avgPool2d", () => F.avgPool2d(x, 2, { bogusKey: 1 } as never)],
    ["softmax", () => F.softmax(x, 1, { dtyp: "float64" } as never)],
    ["dropout", () => F.dropout(x, 0.5, true, { bogusKey: 1 } as never)],
    ["crossEntropy", () => F.crossEntropy(ones([2, 3]), tensor([0, 1], { dtype: "int32" }), { label_smoothing: 0.1 } as never)],
    ["unfold", () => F.unfold(x, 2, { bogusKey: 1 } as never)],
    ["randomSplit", () => data.randomSplit(new data.TensorDataset(zeros([4, 2])), [2, 2], { bogusKey: 1 } as never)],
    ["decodeImage", () => data.decodeImage(new Uint8Array(8), { max_pixels: 10 } as never)],
    ["readIdx", () => data.readIdx(new Uint8Array(8), "a.idx", { bogusKey: 1 } as never)],
    ["parseSafetensors", () => dt.io.parseSafetensors(new Uint8Array(8), "a", { maxHeader: 1 } as never)],
    ["serializeSafetensors", () => dt.io.serializeSafetensors({}, {}, { bogusKey: 1 } as never)],
    ["linePlot", () => dt.utils.linePlot([1, 2], { bogusKey: 1 } as never)],
    ["renderReport", () => dt.utils.renderReport({} as never, { bogusKey: 1 } as never)],
    ["examCnn", () => dt.models.examCnn({ hiden: 8 } as never)],
  ];
  const problems: string[] = [];
  for (const [name, call] of calls) {
    try {
      call();
      problems.push(`${name}: accepted`);
    } catch (e) {
      if (!/unknown option '/.test((e as Error).message) || !(e as Error).message.includes(`${name}: unknown option`)) problems.push(`${name}: ${(e as Error).message}`);
    }
  }
  assert.deepEqual(problems, []);
  unknown(() => F.maxPool2d(x, 2, { ceil_mode: true } as never), /^maxPool2d: unknown option 'ceil_mode'; deeptype spells it 'ceilMode'$/);
  unknown(() => dt.models.examCnn({ hiden: 8 } as never), /^examCnn: unknown option 'hiden'; did you mean 'hidden'\?/);
  const node = await import("../src/node.js");
  await assert.rejects(node.loadSafetensors("x.safetensors", { max_bytes: 1 } as never), /^Error: loadSafetensors: unknown option 'max_bytes'; deeptype spells it 'maxBytes'$/);
});

test("autograd.grad, autograd.backward and autograd.gradcheck reject a misspelt option as the top-level ones do", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  assert.throws(() => dt.autograd.grad(x.mul(x).sum(), x, { retain_graph: true } as never), /^Error: grad: unknown option 'retain_graph'; deeptype spells it 'retainGraph'/);
  assert.throws(() => dt.autograd.backward(x.mul(x).sum(), null, { retain_graph: true } as never), /^Error: backward: unknown option 'retain_graph'; deeptype spells it 'retainGraph'/);
  const d = tensor([1, 2], { dtype: "float64", requiresGrad: true });
  assert.throws(() => dt.autograd.gradcheck((a: Tensor) => a.mul(a), [d], { epsilon: 1e-6 } as never), /^Error: gradcheck: unknown option 'epsilon'; did you mean 'eps'\?/);
  // The guarded functions still compute: d(x·x)/dx = 2x.
  assert.deepEqual(dt.autograd.grad(x.mul(x).sum(), x)[0]!.tolist(), [2, 4]);
});
