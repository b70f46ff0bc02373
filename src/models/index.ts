/**
 * Ready-made networks: the MNIST classifiers the training job uses, and the exam's Problem 6 CNN.
 * Each is an `nn.Sequential`, so state-dict keys (`0.weight`, `3.bias`, ...) are exactly those of
 * the same `torch.nn.Sequential` in PyTorch.
 *
 * Exported through the public entry layer with a spec of their parameters (guardSpecs,
 * src/tensor/arg-spec.ts): a wrong argument is an Error naming `models.<function>`, the parameter,
 * what it takes and what it got.
 */
import { A, guardSpecs, oneOf } from "../tensor/arg-spec.js";
import * as builders from "./builders.js";

export type { ModelName } from "./builders.js";
export const { mnistCnn, mnistMlp, buildModel, examCnn } = guardSpecs(builders, "models", {
  mnistCnn: [["generator", A.generator]],
  mnistMlp: [["generator", A.generator]],
  buildModel: [["name", oneOf<builders.ModelName>("mlp", "cnn")], ["generator", A.generator]],
  examCnn: [["opts", A.options]],
});
