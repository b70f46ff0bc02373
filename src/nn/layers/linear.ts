/** Fully connected and pass-through layers: Linear, Identity, Flatten, Unflatten. */
import { checkIntArg, checkIntList } from "../../tensor/check.js";
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { Tensor, zeros, linearRelu, type DType, type Generator } from "../../core.js";
import { Module, Parameter, pyBool, pyTuple, fmtShape } from "../module.js";
import { linear } from "../functional.js";
import { kaimingUniform_, uniform_, calculateFanInAndFanOut } from "../init.js";

/** The option keys of each layer here: anything else is a misspelling (positionalOptions). */
const LINEAR_KEYS = ["dtype", "generator", "bias"] as const;

/** Options of layers that own weights. */
export interface LayerOptions {
  /** Dtype of the parameters (default float32). */
  dtype?: DType;
  /** Generator for the initial weights (default: the global one, seeded by `manualSeed`). */
  generator?: Generator;
}

/**
 * PyTorch's default init for Linear and Conv layers: weight kaiming-uniform with a = √5 (i.e.
 * U(±1/√fanIn)), bias U(±1/√fanIn).
 */
export function defaultLinearInit(weight: Tensor, bias: Tensor | null, generator?: Generator, fanIn = calculateFanInAndFanOut(weight)[0]): void {
  kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  if (bias && fanIn > 0) {
    const bound = 1 / Math.sqrt(fanIn);
    uniform_(bias, -bound, bound, { generator });
  }
}

/**
 * y = x·Wᵀ + b.
 *
 * ```ts
 * const fc = new nn.Linear(784, 10);
 * ```
 *
 * Shape: input [*, inFeatures] -> output [*, outFeatures]; weight [outFeatures, inFeatures], bias [outFeatures].
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, ...args: PositionalArgs<[bias: boolean], LayerOptions & { bias?: boolean }>) {
    super();
    const opts = positionalOptions<LayerOptions & { bias?: boolean }>("Linear", ["bias"], args, LINEAR_KEYS);
    checkCount(inFeatures, "Linear", "inFeatures", 0);
    checkCount(outFeatures, "Linear", "outFeatures", 0);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const dtype = opts.dtype ?? "float32";
    this.weight = new Parameter(zeros([outFeatures, inFeatures], { dtype }));
    this.bias = opts.bias === false ? null : new Parameter(zeros([outFeatures], { dtype }));
    this.resetParameters(opts.generator);
  }

  /** Re-draws the weights with PyTorch's default init. */
  resetParameters(generator?: Generator): void {
    defaultLinearInit(this.weight, this.bias, generator);
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    return linear(x, this.weight, this.bias);
  }

  /**
   * `fc.forwardRelu(x)`: relu(forward(x)) as one fused op (one kernel, one backward). nn.Sequential
   * runs Linear → ReLU through this; the result equals the layers run one by one.
   */
  forwardRelu(x: Tensor): Tensor {
    this.checkInput(x);
    return linearRelu(x, this.weight, this.bias);
  }

  private checkInput(x: Tensor): void {
    if (x.ndim === 0 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new Error(
        `Linear(${this.inFeatures}, ${this.outFeatures}): input ${fmtShape(x.shape)} has ${x.ndim ? x.shape[x.ndim - 1] : "no"} features in its last dim, ` +
          `expected ${this.inFeatures}; flatten the input (nn.Flatten) or set inFeatures to ${x.ndim ? x.shape[x.ndim - 1] : "?"}`,
      );
    }
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}

/**
 * Returns its input unchanged (a placeholder, e.g. to remove a head).
 *
 * ```ts
 * model.fc = new nn.Identity();
 * ```
 *
 * Shape: any -> the same.
 */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

/**
 * Flattens dims startDim..endDim (default 1..-1: everything but the batch).
 *
 * ```ts
 * new nn.Flatten().forward(x); // [N,C,H,W] -> [N,C·H·W]
 * ```
 *
 * Shape: [N, *] -> [N, ∏*] with the defaults.
 */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/**
 * Splits one dim into several (the inverse of Flatten).
 *
 * ```ts
 * new nn.Unflatten(1, [16, 21, 21]).forward(x); // [N,7056] -> [N,16,21,21]
 * ```
 *
 * Shape: [*, sizes product, *] at `dim` -> [*, ...sizes, *].
 */
export class Unflatten extends Module {
  readonly sizes: readonly number[];
  constructor(readonly dim: number, sizes: readonly number[]) {
    super();
    checkIntArg("Unflatten", "dim", dim);
    this.sizes = checkIntList("Unflatten", "sizes", sizes);
  }
  forward(x: Tensor): Tensor {
    return x.unflatten(this.dim, this.sizes);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=${pyTuple(this.sizes)}`;
  }
}

/** Throws unless v is an integer >= min, naming the layer and argument. */
export function checkCount(v: number, layer: string, name: string, min = 1): void {
  if (!Number.isInteger(v) || v < min) throw new Error(`${layer}: ${name} must be an integer >= ${min}, got ${v}`);
}
