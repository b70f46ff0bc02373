/**
 * Ready-made networks: the MNIST classifiers the training job uses, and the exam's Problem 6 CNN.
 * Each is an `nn.Sequential`, so state-dict keys (`0.weight`, `3.bias`, ...) are exactly those of
 * the same `torch.nn.Sequential` in PyTorch.
 *
 * Exported through the public entry layer (guardAll, src/tensor/check.ts): a wrong argument is an
 * Error naming `models.<function>`, what it got and its parameters.
 */
import { guardAll } from "../tensor/check.js";
import * as builders from "./builders.js";

export type { ModelName } from "./builders.js";
export const { mnistCnn, mnistMlp, buildModel, examCnn } = guardAll(builders, "models", "all");
