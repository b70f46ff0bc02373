/**
 * The deeptype side of scripts/check-pytorch-export.py:
 *   node --import tsx scripts/pytorch-roundtrip.ts export <dir>            # exportPytorch of the MNIST CNN + 512 digits, probe input and logits
 *   node --import tsx scripts/pytorch-roundtrip.ts logits <dir> <weights>  # loadWeights(weights) into the CNN, logits of the probe -> <dir>/deeptype-logits.safetensors
 *   node --import tsx scripts/pytorch-roundtrip.ts zoo <dir>               # exportPytorch of every structural kind of model, each in <dir>/<name>/
 *                                                                         # with probe.safetensors (input_k, output_k: deeptype's outputs, flattened)
 */
import path from "node:path";
import { models, manualSeed, stack, data, nn, randn, randint, Tensor } from "../src/index.js";
import { UNet } from "../examples/unet-segmentation.js";
import { exportPytorch, loadWeights, saveWeights } from "../src/node.js";

const [mode, dir, weights] = process.argv.slice(2);
manualSeed(0);
const model = models.mnistCnn();
model.eval();
const train = new data.MnistDataset({ train: true, seed: 0 });
const n = 512;
const images: Tensor[] = [], labels: Tensor[] = [];
for (let i = 0; i < n; i++) {
  const { image, label } = train.getItem((i * 7919) % train.length);
  images.push(image);
  labels.push(label);
}
const probe = stack(images.slice(0, 16));
if (mode === "export") {
  const files = await exportPytorch(model, dir, { data: { inputs: stack(images), targets: stack(labels) } });
  await saveWeights(path.join(dir, "probe.safetensors"), { input: probe, logits: model.call(probe) });
  console.log(`wrote ${files.join(", ")}, probe.safetensors`);
} else if (mode === "logits") {
  const res = model.loadStateDict(await loadWeights(weights));
  console.log(`loadWeights(${weights}) strict: missing ${res.missingKeys.length}, unexpected ${res.unexpectedKeys.length}`);
  await saveWeights(path.join(dir, "deeptype-logits.safetensors"), { logits: model.call(probe) });
} else if (mode === "zoo") {
  await zoo(dir);
} else {
  throw new Error("usage: pytorch-roundtrip.ts export <dir> | logits <dir> <weights> | zoo <dir>");
}

/** Every kind of model exportPytorch describes, with inputs; the U-Net (a custom forward) must be refused. */
async function zoo(root: string): Promise<void> {
  manualSeed(1);
  const bn = new nn.BatchNorm2d(4);
  bn.train();
  bn.call(randn([8, 4, 6, 6]).mul(2).add(1)); // running statistics away from 0/1
  const seqIds = randint(0, 20, [2, 7], { dtype: "int32" });
  const zooModels: [string, nn.Module<any, any>, Tensor[]][] = [
    ["mnist-cnn", models.mnistCnn(), [randn([3, 1, 28, 28])]],
    ["mnist-mlp", models.mnistMlp(), [randn([3, 1, 28, 28])]],
    ["exam-cnn-fully-convolutional", models.examCnn({ hidden: 8, fullyConvolutional: true }), [randn([1, 3, 375, 375])]],
    ["nested-sequential", new nn.Sequential(
      new nn.Sequential(new nn.Conv2d(3, 4, 3, { padding: 1 }), bn, new nn.ReLU(), new nn.AvgPool2d(2)),
      new nn.Sequential(new nn.Flatten(), new nn.Linear(36, 10), new nn.GELU("tanh"), new nn.Dropout(0.3), new nn.Linear(10, 5), new nn.LogSoftmax(1)),
    ), [randn([2, 3, 6, 6])]],
    ["lstm-in-sequential", new nn.Sequential(new nn.LSTM(4, 6, { numLayers: 2, bidirectional: true, batchFirst: true })), [randn([2, 5, 4])]],
    ["gru-2layer", new nn.GRU(4, 5, { numLayers: 2 }), [randn([6, 2, 4])]],
    ["rnn-relu-bidirectional", new nn.RNN(4, 5, { nonlinearity: "relu", bidirectional: true }), [randn([6, 2, 4])]],
    ["lstm-cell", new nn.LSTMCell(4, 5), [randn([3, 4])]],
    ["multihead-attention", new nn.MultiheadAttention(8, 2, { batchFirst: true }), [randn([2, 5, 8]), randn([2, 4, 8]), randn([2, 4, 8])]],
    ["token-encoder", new nn.Sequential(
      new nn.Embedding(20, 16),
      new nn.PositionalEncoding(16, { batchFirst: true, maxLen: 64 }),
      new nn.TransformerEncoder(new nn.TransformerEncoderLayer(16, 4, { dimFeedforward: 32, batchFirst: true, activation: "gelu" }), 2, { norm: new nn.LayerNorm(16) }),
      new nn.Linear(16, 20),
    ), [seqIds]],
    ["decoder-layer-norm-first", new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16, normFirst: true }), [randn([4, 2, 8]), randn([6, 2, 8])]],
    ["nnfunc-2d", new nn.Sequential(
      new nn.ReflectionPad2d(1), new nn.Conv2d(3, 8, 3, { padding: 1, paddingMode: "reflect" }), new nn.InstanceNorm2d(8, { affine: true }),
      new nn.Hardswish(), new nn.LocalResponseNorm(3), new nn.ReplicationPad2d([1, 1, 0, 0]), new nn.Softplus(2, 10), new nn.PixelUnshuffle(2),
      new nn.Hardsigmoid(), new nn.PixelShuffle(2), new nn.Upsample({ scaleFactor: 2, mode: "bilinear" }), new nn.ZeroPad2d(1), new nn.Mish(),
      new nn.AdaptiveMaxPool2d(3), new nn.GLU(1), new nn.PReLU(4), new nn.Unfold(2), new nn.SELU(),
    ), [randn([2, 3, 8, 8])]],
    ["nnfunc-1d", new nn.Sequential(
      new nn.ConvTranspose1d(3, 4, 3, 2), new nn.Threshold(-0.5, -0.5), new nn.InstanceNorm1d(4), new nn.CELU(0.5), new nn.MaxPool1d(2),
      new nn.Hardtanh(-2, 2), new nn.AvgPool1d(2, 1), new nn.Softsign(), new nn.Hardshrink(0.1), new nn.Softshrink(0.05),
      new nn.AdaptiveAvgPool1d(4), new nn.ReLU6(), new nn.LogSigmoid(), new nn.Tanhshrink(), new nn.AdaptiveMaxPool1d(3), new nn.RReLU(),
      new nn.Softmin(1),
    ), [randn([2, 3, 9])]],
    ["fold", new nn.Sequential(new nn.Fold([3, 3], 2), new nn.Flatten()), [randn([2, 8, 4])]],
    ["bilinear", new nn.Bilinear(3, 4, 5), [randn([2, 3]), randn([2, 4])]],
    ["embedding-bag", new nn.EmbeddingBag(10, 4, { mode: "mean" }), [randint(0, 10, [3, 5], { dtype: "int32" })]],
    ["transformer", new nn.Transformer({ dModel: 16, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 1, dimFeedforward: 32, batchFirst: true }), [randn([2, 5, 16]), randn([2, 4, 16])]],
  ];
  for (const [name, model, inputs] of zooModels) {
    model.eval();
    const d = path.join(root, name);
    await exportPytorch(model, d);
    const outs = flatten(model.call(...(inputs as never[])));
    const probe: Record<string, Tensor> = {};
    inputs.forEach((t, i) => (probe[`input_${i}`] = t));
    outs.forEach((t, i) => (probe[`output_${i}`] = t));
    await saveWeights(path.join(d, "probe.safetensors"), probe);
    console.log(`exported ${name} (${inputs.length} input${inputs.length > 1 ? "s" : ""}, ${outs.length} output${outs.length > 1 ? "s" : ""})`);
  }
  try {
    await exportPytorch(new UNet(3, 4, { width: 4 }), path.join(root, "unet"));
    console.log("unet: exported (unexpected)");
  } catch (e) {
    console.log(`unet: refused: ${(e as Error).message}`);
  }
}

function flatten(v: unknown): Tensor[] {
  if (v instanceof Tensor) return [v];
  if (Array.isArray(v)) return v.flatMap(flatten);
  return [];
}
