/**
 * A deeptype module tree as the Python expression that builds the same tree in PyTorch (pure, so it
 * runs in browsers too); `export.ts` writes it into model.py.
 *
 * What can be described is what PyTorch can rebuild from constructor arguments alone: layers whose
 * forward is fixed by their class (Linear, Conv2d, LSTM, ...), nn.Sequential of them (nested too), and
 * the library's containers whose forward is PyTorch's (MultiheadAttention, the Transformer family, see
 * ./composite.ts). A module with its own forward code cannot be translated and is an error.
 */
import type { Tensor } from "../../core.js";
import { COMPOSITES } from "./composite.js";

/** What exportPytorch reads of a module (an nn.Module satisfies it; io does not import nn). */
export interface DescribableModule {
  extraRepr(): string;
  namedChildren(): [string, DescribableModule][];
  stateDict(): Record<string, Tensor>;
}

/** A module as Python: the expression, and the helper classes from model.py's preamble it uses. */
export interface Described {
  expr: string;
  /** Names of helper classes model.py must define (deeptype layers with no PyTorch twin, e.g. PositionalEncoding). */
  helpers: Set<string>;
}

/**
 * Layers whose forward is fixed by their class and constructor arguments, so PyTorch's class of the
 * same name with the same arguments computes the same thing. Their `extraRepr` is PyTorch's, which
 * is valid Python for the constructor's arguments. The recurrent layers return tuples, as PyTorch's:
 * deeptype's Sequential passes a layer's result on unchanged, so both return the tuple when the layer
 * is last (and both fail when a layer after it expects a tensor).
 */
const LEAF_LAYERS = new Set([
  "Linear", "Identity", "Flatten", "Unflatten", "Conv1d", "Conv2d", "ConvTranspose2d", "BatchNorm1d", "BatchNorm2d", "LayerNorm",
  "GroupNorm", "Dropout", "Dropout2d", "Embedding", "ReLU", "LeakyReLU", "ELU", "Sigmoid", "Tanh", "GELU", "SiLU", "Softmax",
  "LogSoftmax", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "Upsample", "RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell",
  // The nn.functional layers: their printed form is PyTorch's constructor call.
  "Softplus", "ReLU6", "Hardswish", "Hardsigmoid", "Hardtanh", "SELU", "CELU", "Mish", "GLU", "PReLU", "RReLU", "Softmin",
  "Softsign", "Tanhshrink", "Threshold", "LogSigmoid", "Softshrink", "Hardshrink", "MaxPool1d", "AvgPool1d", "AdaptiveAvgPool1d",
  "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "ConvTranspose1d", "InstanceNorm1d", "InstanceNorm2d", "LocalResponseNorm",
  "ReflectionPad1d", "ReflectionPad2d", "ReplicationPad1d", "ReplicationPad2d", "ZeroPad2d", "ConstantPad1d", "ConstantPad2d",
  "PixelShuffle", "PixelUnshuffle", "Unfold", "Fold", "Bilinear", "EmbeddingBag",
  "ChannelShuffle", "Softmax2d", "Dropout1d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout", "LPPool1d", "LPPool2d",
]);

/** How a composite describes itself: its Python expression, describing children through `child`. */
export interface DescribeContext {
  /** Describes a child module (by its attribute name) one indentation level deeper. */
  child(m: DescribableModule, name: string): string;
  /** Marks a model.py helper class as used. */
  helper(name: string): void;
  /** The module's path for errors ("encoder.layers.0"). */
  where: string;
  indent: string;
  /** Throws the "cannot describe" error for `m`, with an extra reason. */
  fail(why: string): never;
}

/**
 * The Python expression that builds `module` in PyTorch, e.g. `nn.Sequential(nn.Linear(in_features=4, ...))`.
 * Throws, naming the module's path and class, for anything with a forward deeptype cannot write in Python.
 *
 * @example pytorchModuleSource(new nn.Sequential(new nn.Linear(4, 2))) // "nn.Sequential(\n        nn.Linear(in_features=4, out_features=2, bias=True),\n    )"
 */
export function pytorchModuleSource(module: DescribableModule, where = "<model>", indent = "    "): string {
  return describeModule(module, where, indent).expr;
}

/** `pytorchModuleSource` plus the model.py helper classes the expression uses. */
export function describeModule(module: DescribableModule, where = "<model>", indent = "    "): Described {
  const helpers = new Set<string>();
  return { expr: describe(module, where, indent, helpers), helpers };
}

function describe(module: DescribableModule, where: string, indent: string, helpers: Set<string>): string {
  const cls = (module as object).constructor.name;
  const children = module.namedChildren();
  const path = (k: string) => (where === "<model>" ? k : `${where}.${k}`);
  if (cls === "Sequential") {
    children.forEach(([k], i) => {
      if (k !== String(i)) throw new Error(`exportPytorch: ${where} is a Sequential with a child named "${k}"; PyTorch's Sequential numbers its children 0, 1, ...`);
    });
    const inner = children.map(([k, c]) => `${indent}    ${describe(c, path(k), indent + "    ", helpers)},`);
    return `nn.Sequential(\n${inner.join("\n")}\n${indent})`;
  }
  const fail = (why: string): never => {
    throw new Error(
      `exportPytorch: ${where === "<model>" ? "the model" : `"${where}"`} is a ${cls}, ${why}. Build the model from nn.Sequential and the library's layers and containers, ` +
        `or write the PyTorch class yourself: model.safetensors holds the weights under deeptype's keys, which equal PyTorch's for the same layers`,
    );
  };
  const composite = COMPOSITES[cls];
  if (composite) {
    return composite(module, {
      child: (m, name) => describe(m, path(name), indent + "    ", helpers),
      helper: (name) => void helpers.add(name),
      where,
      indent,
      fail,
    });
  }
  if (LEAF_LAYERS.has(cls) && children.length === 0) {
    // PyTorch prints a few string arguments bare (padding=same, mode=nearest); quote them for Python.
    const args = module.extraRepr().replace(/(\w+)=([A-Za-z_]\w*)(?=,|$)/g, (m, k, v) => (["True", "False", "None"].includes(v) ? m : `${k}='${v}'`));
    return `nn.${cls}(${args})`;
  }
  if (cls === "ModuleList" || cls === "ModuleDict") fail("which has no forward of its own (only the containers that loop over it do)");
  return fail("whose forward deeptype cannot write in Python (custom forward code)");
}
