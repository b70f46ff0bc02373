/**
 * The activation layers over `nn.functional`'s newer activations: Softplus, ReLU6, Hardswish,
 * Hardsigmoid, Hardtanh, SELU, CELU, Mish, GLU, PReLU (learnt), RReLU, Softmin, Softsign, Tanhshrink,
 * Threshold, LogSigmoid, Softshrink, Hardshrink. Optional parameters come positionally in PyTorch's
 * order or in one options object (`new nn.Softplus(2)`, `new nn.Softplus({ beta: 2 })`); their
 * printed form is PyTorch's.
 */
import { noArguments, positionalOptions, type PositionalArgs } from "../positional.js";
import { Tensor, full, type DType, type Generator } from "../../core.js";
import { Module, Parameter, pyFloat } from "../module.js";
import * as A from "../functional/activations.js";
import { checkCount } from "./linear.js";

/** The option keys of each layer here: anything else is a misspelling (positionalOptions). */
const SOFTPLUS_KEYS = ["beta", "threshold"] as const;
const HARDTANH_KEYS = ["minVal", "maxVal"] as const;
const CELU_KEYS = ["alpha"] as const;
const GLU_KEYS = ["dim"] as const;
const PRELU_KEYS = ["numParameters", "init", "dtype"] as const;
const RRELU_KEYS = ["lower", "upper", "generator"] as const;
const LAMBD_KEYS = ["lambd"] as const;

/** PyTorch prints these hyper-parameters with Python's str(), which keeps an int default an int. */
const pyNum = (v: number): string => (Number.isInteger(v) ? String(v) : pyFloat(v));

/**
 * log(1 + e^(βx))/β, linear above `threshold`.
 *
 * ```ts
 * new nn.Softplus(2).call(x); // beta 2
 * ```
 *
 * Shape: any -> the same.
 */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(...args: PositionalArgs<[beta: number, threshold: number], { beta?: number; threshold?: number }>) {
    super();
    const o = positionalOptions<{ beta?: number; threshold?: number }>("Softplus", ["beta", "threshold"], args, SOFTPLUS_KEYS);
    this.beta = A.checkNumber(o.beta ?? 1, "Softplus", "beta");
    this.threshold = A.checkNumber(o.threshold ?? 20, "Softplus", "threshold");
  }
  forward(x: Tensor): Tensor {
    return A.softplus(x, this.beta, this.threshold);
  }
  override extraRepr(): string {
    return `beta=${pyNum(this.beta)}, threshold=${pyNum(this.threshold)}`;
  }
}

/**
 * x clipped to [minVal, maxVal] (default [-1, 1]).
 *
 * ```ts
 * new nn.Hardtanh(-2, 2).call(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class Hardtanh extends Module {
  readonly minVal: number;
  readonly maxVal: number;
  constructor(...args: PositionalArgs<[minVal: number, maxVal: number], { minVal?: number; maxVal?: number }>) {
    super();
    const o = positionalOptions<{ minVal?: number; maxVal?: number }>("Hardtanh", ["minVal", "maxVal"], args, HARDTANH_KEYS);
    this.minVal = A.checkNumber(o.minVal ?? -1, "Hardtanh", "minVal");
    this.maxVal = A.checkNumber(o.maxVal ?? 1, "Hardtanh", "maxVal");
    if (!(this.maxVal > this.minVal)) throw new Error(`Hardtanh: maxVal (${this.maxVal}) must be greater than minVal (${this.minVal})`);
  }
  forward(x: Tensor): Tensor {
    return A.hardtanh(x, this.minVal, this.maxVal);
  }
  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}`;
  }
}

/** A layer with no parameters over one activation function. */
// The factories' return types are named so that the published .d.ts can describe the classes they
// make (an inferred anonymous class type exposes Module's private members, which declaration emit refuses).
type StatelessClass = new () => Module & { forward(x: Tensor): Tensor };
type LambdLayerClass = new (...args: PositionalArgs<[lambd: number], { lambd?: number }>) => Module & { readonly lambd: number; forward(x: Tensor): Tensor };

function stateless(name: string, fn: (x: Tensor) => Tensor): StatelessClass {
  const cls = class extends Module {
    constructor(...args: []) {
      super();
      noArguments(name, args);
    }
    forward(x: Tensor): Tensor {
      return fn(x);
    }
  };
  Object.defineProperty(cls, "name", { value: name });
  return cls;
}

/**
 * min(max(0, x), 6).
 *
 * ```ts
 * new nn.ReLU6().call(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class ReLU6 extends stateless("ReLU6", A.relu6) {}

/**
 * x·relu6(x + 3)/6.
 *
 * ```ts
 * new nn.Hardswish().call(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class Hardswish extends stateless("Hardswish", A.hardswish) {}

/**
 * relu6(x + 3)/6.
 *
 * ```ts
 * new nn.Hardsigmoid().call(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class Hardsigmoid extends stateless("Hardsigmoid", A.hardsigmoid) {}

/**
 * scale·elu(x, α) with PyTorch's fixed constants.
 *
 * ```ts
 * new nn.SELU().call(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class SELU extends stateless("SELU", A.selu) {}

/**
 * x·tanh(softplus(x)).
 *
 * ```ts
 * new nn.Mish().call(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class Mish extends stateless("Mish", A.mish) {}

/**
 * x/(1 + |x|).
 *
 * ```ts
 * new nn.Softsign().call(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class Softsign extends stateless("Softsign", A.softsign) {}

/**
 * x − tanh(x).
 *
 * ```ts
 * new nn.Tanhshrink().call(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class Tanhshrink extends stateless("Tanhshrink", A.tanhshrink) {}

/**
 * log(sigmoid(x)), computed stably.
 *
 * ```ts
 * new nn.LogSigmoid().call(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class LogSigmoid extends stateless("LogSigmoid", A.logsigmoid) {}

/**
 * max(0, x) + min(0, α·(e^(x/α) − 1)).
 *
 * ```ts
 * new nn.CELU(0.5).call(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class CELU extends Module {
  readonly alpha: number;
  constructor(...args: PositionalArgs<[alpha: number], { alpha?: number }>) {
    super();
    this.alpha = A.checkNumber(positionalOptions<{ alpha?: number }>("CELU", ["alpha"], args, CELU_KEYS).alpha ?? 1, "CELU", "alpha");
  }
  forward(x: Tensor): Tensor {
    return A.celu(x, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

/**
 * a·sigmoid(b), with a and b the halves of `dim` (default -1).
 *
 * ```ts
 * new nn.GLU().call(x); // [N, 2D] -> [N, D]
 * ```
 *
 * Shape: [*, 2n, *] -> [*, n, *] along dim.
 */
export class GLU extends Module {
  readonly dim: number;
  constructor(...args: PositionalArgs<[dim: number], { dim?: number }>) {
    super();
    this.dim = positionalOptions<{ dim?: number }>("GLU", ["dim"], args, GLU_KEYS).dim ?? -1;
    if (!Number.isInteger(this.dim)) throw new Error(`GLU: dim must be an integer, got ${String(this.dim)}`);
  }
  forward(x: Tensor): Tensor {
    return A.glu(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Options of PReLU (positional order: numParameters, init). */
export interface PReLUOptions { numParameters?: number; init?: number; dtype?: DType }

/**
 * x for x > 0, a·x otherwise, with a learnt `weight` a: one shared slope, or one per channel (dim 1)
 * with `numParameters` = C. Starts at `init` (0.25).
 *
 * ```ts
 * const act = new nn.PReLU(16); // one slope per channel of a [N, 16, H, W] input
 * ```
 *
 * Shape: any -> the same (channels on dim 1 when numParameters > 1).
 */
export class PReLU extends Module {
  readonly numParameters: number;
  weight: Parameter;
  constructor(...args: PositionalArgs<[numParameters: number, init: number], PReLUOptions>) {
    super();
    const o = positionalOptions<PReLUOptions>("PReLU", ["numParameters", "init"], args, PRELU_KEYS);
    this.numParameters = o.numParameters ?? 1;
    checkCount(this.numParameters, "PReLU", "numParameters");
    const init = A.checkNumber(o.init ?? 0.25, "PReLU", "init");
    this.weight = new Parameter(full([this.numParameters], init, { dtype: o.dtype ?? "float32" }));
  }
  forward(x: Tensor): Tensor {
    return A.prelu(x, this.weight);
  }
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}

/** Options of RReLU (positional order: lower, upper). */
export interface RReLUOptions { lower?: number; upper?: number; generator?: Generator }

/**
 * Leaky ReLU with a random negative slope in [lower, upper] per element while training, and the
 * mean slope (lower + upper)/2 in eval mode.
 *
 * ```ts
 * new nn.RReLU(0.1, 0.3).call(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class RReLU extends Module {
  readonly lower: number;
  readonly upper: number;
  readonly generator?: Generator;
  constructor(...args: PositionalArgs<[lower: number, upper: number], RReLUOptions>) {
    super();
    const o = positionalOptions<RReLUOptions>("RReLU", ["lower", "upper"], args, RRELU_KEYS);
    this.lower = A.checkNumber(o.lower ?? 1 / 8, "RReLU", "lower");
    this.upper = A.checkNumber(o.upper ?? 1 / 3, "RReLU", "upper");
    if (this.lower > this.upper) throw new Error(`RReLU: lower (${this.lower}) must not be greater than upper (${this.upper})`);
    this.generator = o.generator;
  }
  forward(x: Tensor): Tensor {
    return A.rrelu(x, this.lower, this.upper, this.training, { generator: this.generator });
  }
  override extraRepr(): string {
    return `lower=${pyNum(this.lower)}, upper=${pyNum(this.upper)}`;
  }
}

/**
 * softmax(−x) along `dim` (required, as for Softmax).
 *
 * ```ts
 * new nn.Softmin(1).call(x);
 * ```
 *
 * Shape: any -> the same; values along dim sum to 1.
 */
export class Softmin extends Module {
  constructor(readonly dim: number) {
    super();
    if (!Number.isInteger(dim)) throw new Error(`Softmin: dim must be an integer, got ${String(dim)}`);
  }
  forward(x: Tensor): Tensor {
    return A.softmin(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * x where x > threshold, `value` elsewhere (both required, as PyTorch).
 *
 * ```ts
 * new nn.Threshold(0.1, 20).call(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class Threshold extends Module {
  constructor(readonly threshold: number, readonly value: number) {
    super();
    A.checkNumber(threshold, "Threshold", "threshold");
    A.checkNumber(value, "Threshold", "value");
  }
  forward(x: Tensor): Tensor {
    return A.threshold(x, this.threshold, this.value);
  }
  override extraRepr(): string {
    return `threshold=${pyNum(this.threshold)}, value=${pyNum(this.value)}`;
  }
}

function lambdLayer(name: string, fn: (x: Tensor, l: number) => Tensor, nonNegative: boolean): LambdLayerClass {
  const cls = class extends Module {
    readonly lambd: number;
    constructor(...args: PositionalArgs<[lambd: number], { lambd?: number }>) {
      super();
      this.lambd = A.checkNumber(positionalOptions<{ lambd?: number }>(name, ["lambd"], args, LAMBD_KEYS).lambd ?? 0.5, name, "lambd");
      if (nonNegative && this.lambd < 0) throw new Error(`${name}: lambd must be greater or equal to 0, got ${this.lambd}`);
    }
    forward(x: Tensor): Tensor {
      return fn(x, this.lambd);
    }
    override extraRepr(): string {
      return pyNum(this.lambd);
    }
  };
  Object.defineProperty(cls, "name", { value: name });
  return cls;
}

/**
 * x − λ above λ, x + λ below −λ, 0 between (λ = lambd, default 0.5).
 *
 * ```ts
 * new nn.Softshrink(0.5).call(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class Softshrink extends lambdLayer("Softshrink", A.softshrink, true) {}

/**
 * x where |x| > λ, 0 elsewhere (λ = lambd, default 0.5).
 *
 * ```ts
 * new nn.Hardshrink(0.5).call(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class Hardshrink extends lambdLayer("Hardshrink", A.hardshrink, false) {}
