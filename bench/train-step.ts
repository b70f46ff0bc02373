/**
 * The deeptype training step the benches time (bench/run.ts, bench/rss.ts, bench/op-overhead.ts):
 * the MNIST MLP or CNN on one fixed random batch of 64, zeroGrad, cross-entropy, backward, step.
 * One definition, so every bench times the same step.
 */
import { type Generator, randint, randn } from "../src/core.js";
import * as nn from "../src/nn/index.js";
import * as optim from "../src/optim/index.js";
import { mnistCnn, mnistMlp } from "../src/models/index.js";

/** `deeptypeTrainStep("cnn", "Adam", gen)`: builds the model and batch, returns one step to call repeatedly. */
export function deeptypeTrainStep(model: "mlp" | "cnn", optimizer: "SGD" | "Adam", gen: Generator): () => void {
  const net = model === "mlp" ? mnistMlp(gen) : mnistCnn(gen);
  const opt = optimizer === "SGD" ? new optim.SGD(net.parameters(), { lr: 0.01 }) : new optim.Adam(net.parameters(), { lr: 1e-3 });
  const x = randn([64, 1, 28, 28], { generator: gen });
  const y = randint(0, 10, [64], { generator: gen });
  return () => {
    opt.zeroGrad();
    nn.functional.crossEntropy(net.forward(x), y).backward();
    opt.step();
  };
}
