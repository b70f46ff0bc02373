/**
 * Ready-made networks: the MNIST classifiers the training job uses, and the exam's Problem 6 CNN.
 * Each is an `nn.Sequential`, so state-dict keys (`0.weight`, `3.bias`, ...) are exactly those of
 * the same `torch.nn.Sequential` in PyTorch.
 */
import { argError, checkOptions } from "../tensor/check.js";
import { Generator } from "../core.js";
import * as nn from "../nn/index.js";

export type ModelName = "mlp" | "cnn";

function checkGenerator(fn: string, g: unknown): void {
  if (g !== undefined && !(g instanceof Generator)) throw argError(`models.${fn}`, "generator", "a Generator (new Generator().manualSeed(0)) or undefined", g);
}

/**
 * `mnistCnn()`: conv3x3(1→16, p1)-ReLU-maxpool2-conv3x3(16→32, p1)-ReLU-maxpool2-flatten-
 * linear(1568→128)-ReLU-linear(128→10). Shape: [N,1,28,28] -> [N,10] logits.
 */
export function mnistCnn(generator?: Generator): nn.Sequential {
  checkGenerator("mnistCnn", generator);
  return new nn.Sequential(
    new nn.Conv2d(1, 16, 3, { padding: 1, generator }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(16, 32, 3, { padding: 1, generator }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(32 * 7 * 7, 128, { generator }),
    new nn.ReLU(),
    new nn.Linear(128, 10, { generator }),
  );
}

/** `mnistMlp()`: flatten-linear(784→256)-ReLU-linear(256→128)-ReLU-linear(128→10). Shape: [N,1,28,28] -> [N,10]. */
export function mnistMlp(generator?: Generator): nn.Sequential {
  checkGenerator("mnistMlp", generator);
  return new nn.Sequential(
    new nn.Flatten(),
    new nn.Linear(784, 256, { generator }),
    new nn.ReLU(),
    new nn.Linear(256, 128, { generator }),
    new nn.ReLU(),
    new nn.Linear(128, 10, { generator }),
  );
}

/** The training job's models by name. */
export function buildModel(name: ModelName, generator?: Generator): nn.Sequential {
  if (name === "cnn") return mnistCnn(generator);
  if (name === "mlp") return mnistMlp(generator);
  throw argError("models.buildModel", "name", '"mlp" or "cnn"', name);
}

/**
 * The exam's Problem 6 network for 3x375x375 images and 200 classes: [Conv3x3-ReLU-MaxPool2]x4 with
 * 16/32/64/16 channels, then FC(16·21·21 → hidden)-ReLU-FC(hidden → 200). With `fullyConvolutional`
 * the two FC layers become convolutions with weights [hidden,16,21,21] and [200,hidden,1,1].
 */
export function examCnn(opts: { hidden?: number; fullyConvolutional?: boolean; generator?: Generator } = {}): nn.Sequential {
  opts = checkOptions("examCnn", opts, "{ hidden: 2048 }");
  const hidden = opts.hidden ?? 2048;
  const g = opts.generator;
  const layers: nn.AnyModule[] = [];
  let c = 3;
  for (const out of [16, 32, 64, 16]) {
    layers.push(new nn.Conv2d(c, out, 3, { generator: g }), new nn.ReLU(), new nn.MaxPool2d(2));
    c = out;
  }
  if (opts.fullyConvolutional) {
    layers.push(new nn.Conv2d(16, hidden, 21, { generator: g }), new nn.ReLU(), new nn.Conv2d(hidden, 200, 1, { generator: g }), new nn.Flatten());
  } else {
    layers.push(new nn.Flatten(), new nn.Linear(16 * 21 * 21, hidden, { generator: g }), new nn.ReLU(), new nn.Linear(hidden, 200, { generator: g }));
  }
  return new nn.Sequential(...layers);
}
