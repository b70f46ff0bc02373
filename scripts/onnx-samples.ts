/**
 * Writes ONNX exports of a few deeptype models into a folder, for scripts/check-onnx.py (Python's onnx
 * checker and torch.onnx.export's op types are compared there):
 *   node --import tsx scripts/onnx-samples.ts <out-dir>
 */
import fs from "node:fs";
import path from "node:path";
import { nn, models, randn, manualSeed } from "../src/index.js";
import { exportOnnx } from "../src/io/onnx/file.js";

const out = process.argv[2];
if (!out) throw new Error("usage: node --import tsx scripts/onnx-samples.ts <out-dir>");
fs.mkdirSync(out, { recursive: true });
manualSeed(0);
type Sample = [string, nn.Module<any, any>, number[], Record<string, unknown>];
const seq = (axis: number) => ({ dynamicAxes: { input_0: { [axis]: "time" }, output_0: { [axis]: "time" } } });
const samples: Sample[] = [
  ["cnn", models.mnistCnn(), [1, 1, 28, 28], { inputNames: ["image"], outputNames: ["logits"], dynamicAxes: { image: [0], logits: [0] } }],
  ["mlp", models.mnistMlp(), [1, 1, 28, 28], { inputNames: ["image"], outputNames: ["logits"], dynamicAxes: { image: [0], logits: [0] } }],
  // The recurrent samples have a dynamic time axis; check-onnx.py exports the same architectures with torch.onnx.export.
  ["lstm", new nn.LSTM(8, 16, { batchFirst: true }), [2, 5, 8], seq(1)],
  ["lstm-2layer-bidirectional", new nn.LSTM(8, 16, { numLayers: 2, bidirectional: true }), [5, 2, 8], seq(0)],
  ["gru-2layer", new nn.GRU(8, 16, { numLayers: 2 }), [5, 2, 8], { dynamicAxes: { input_0: { 0: "time", 1: "batch" }, output_0: { 0: "time", 1: "batch" } } }],
  ["gru-bidirectional-batchfirst", new nn.GRU(8, 16, { bidirectional: true, batchFirst: true }), [2, 5, 8], seq(1)],
  ["rnn-tanh-2layer", new nn.RNN(8, 16, { numLayers: 2 }), [5, 2, 8], seq(0)],
  ["rnn-relu-bidirectional", new nn.RNN(8, 16, { nonlinearity: "relu", bidirectional: true }), [5, 2, 8], seq(0)],
  ["transformer", new nn.TransformerEncoderLayer(16, 4, { dimFeedforward: 32, batchFirst: true }), [2, 5, 16], {}],
  ["unet-block", new nn.Sequential(new nn.Conv2d(3, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.ConvTranspose2d(8, 4, 2, { stride: 2 }), new nn.GroupNorm(2, 4), new nn.AvgPool2d(2)), [1, 3, 16, 16], {}],
];
for (const [name, model, shape, opts] of samples) {
  model.eval();
  await exportOnnx(model, [randn(shape)], path.join(out, `${name}.onnx`), opts);
  console.log(`wrote ${name}.onnx`);
}
