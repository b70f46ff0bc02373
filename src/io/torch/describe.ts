/**
 * A deeptype module tree as the Python expression that builds the same tree in PyTorch (pure, so it
 * runs in browsers too); `export.ts` writes it into model.py.
 */
import type { Tensor } from "../../core.js";

/** What exportPytorch reads of a module (an nn.Module satisfies it; io does not import nn). */
export interface DescribableModule {
  extraRepr(): string;
  namedChildren(): [string, DescribableModule][];
  stateDict(): Record<string, Tensor>;
}

/**
 * Layers whose forward is fixed by their class and constructor arguments, so PyTorch's class of the
 * same name with the same arguments computes the same thing. Their `extraRepr` is PyTorch's, which
 * is valid Python for the constructor's arguments.
 */
const LEAF_LAYERS = new Set([
  "Linear", "Identity", "Flatten", "Unflatten", "Conv1d", "Conv2d", "ConvTranspose2d", "BatchNorm1d", "BatchNorm2d", "LayerNorm",
  "GroupNorm", "Dropout", "Dropout2d", "Embedding", "ReLU", "LeakyReLU", "ELU", "Sigmoid", "Tanh", "GELU", "SiLU", "Softmax",
  "LogSoftmax", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "Upsample",
]);

/**
 * The Python expression that builds `module` in PyTorch, e.g. `nn.Sequential(nn.Linear(in_features=4, ...))`.
 * Throws, naming the module's path and class, for anything with a forward deeptype cannot write in Python.
 *
 * @example pytorchModuleSource(new nn.Sequential(new nn.Linear(4, 2))) // "nn.Sequential(\n    nn.Linear(in_features=4, out_features=2, bias=True),\n)"
 */
export function pytorchModuleSource(module: DescribableModule, where = "<model>", indent = "    "): string {
  const cls = (module as object).constructor.name;
  const children = module.namedChildren();
  if (cls === "Sequential") {
    children.forEach(([k], i) => {
      if (k !== String(i)) throw new Error(`exportPytorch: ${where} is a Sequential with a child named "${k}"; PyTorch's Sequential numbers its children 0, 1, ...`);
    });
    const inner = children.map(([k, c]) => `${indent}    ${pytorchModuleSource(c, where === "<model>" ? k : `${where}.${k}`, indent + "    ")},`);
    return `nn.Sequential(\n${inner.join("\n")}\n${indent})`;
  }
  if (LEAF_LAYERS.has(cls) && children.length === 0) {
    // PyTorch prints a few string arguments bare (padding=same, mode=nearest); quote them for Python.
    const args = module.extraRepr().replace(/(\w+)=([A-Za-z_]\w*)(?=,|$)/g, (m, k, v) => (["True", "False", "None"].includes(v) ? m : `${k}='${v}'`));
    return `nn.${cls}(${args})`;
  }
  throw new Error(
    `exportPytorch: ${where === "<model>" ? "the model" : `"${where}"`} is a ${cls}, whose forward deeptype cannot write in Python ` +
      `(custom forward code, or a layer that returns several tensors). Build the model from nn.Sequential and the library's single-output layers, ` +
      `or write the PyTorch class yourself: model.safetensors holds the weights under deeptype's keys, which equal PyTorch's for the same layers`,
  );
}

