/**
 * The deeptype side of scripts/check-pytorch-export.py:
 *   node --import tsx scripts/pytorch-roundtrip.ts export <dir>            # exportPytorch of the MNIST CNN + 512 digits, probe input and logits
 *   node --import tsx scripts/pytorch-roundtrip.ts logits <dir> <weights>  # loadWeights(weights) into the CNN, logits of the probe -> <dir>/deeptype-logits.safetensors
 */
import path from "node:path";
import { models, manualSeed, stack, data, Tensor } from "../src/index.js";
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
} else {
  throw new Error("usage: pytorch-roundtrip.ts export <dir> | logits <dir> <weights>");
}
