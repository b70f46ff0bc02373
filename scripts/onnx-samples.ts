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
const samples: [string, nn.Module<any, any>, number[]][] = [
  ["cnn", models.mnistCnn(), [1, 1, 28, 28]],
  ["mlp", models.mnistMlp(), [1, 1, 28, 28]],
  ["lstm", new nn.LSTM(8, 16, { batchFirst: true }), [2, 5, 8]],
  ["lstm-dynamic-batch", new nn.GRU(8, 16, { numLayers: 2 }), [5, 2, 8]],
  ["transformer", new nn.TransformerEncoderLayer(16, 4, { dimFeedforward: 32, batchFirst: true }), [2, 5, 16]],
  ["unet-block", new nn.Sequential(new nn.Conv2d(3, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.ConvTranspose2d(8, 4, 2, { stride: 2 }), new nn.GroupNorm(2, 4), new nn.AvgPool2d(2)), [1, 3, 16, 16]],
];
for (const [name, model, shape] of samples) {
  model.eval();
  await exportOnnx(model, [randn(shape)], path.join(out, `${name}.onnx`), name === "cnn" || name === "mlp" ? { inputNames: ["image"], outputNames: ["logits"], dynamicAxes: { image: [0], logits: [0] } } : name === "lstm-dynamic-batch" ? { dynamicAxes: { input_0: [1] } } : {});
  console.log(`wrote ${name}.onnx`);
}
