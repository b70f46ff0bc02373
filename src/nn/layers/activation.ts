/** Activation layers (no parameters): ReLU, LeakyReLU, ELU, Sigmoid, Tanh, GELU, SiLU, Softmax, LogSoftmax. */
import { Tensor } from "../../core.js";
import { Module, pyFloat } from "../module.js";
import * as F from "../functional.js";
import { describe } from "../../tensor/check.js";
import { noArguments, positionalOptions, type PositionalArgs } from "../positional.js";

/** A hyper-parameter that must be a number; NaN and infinities pass, as PyTorch takes them (`nn.ELU(nan)`). */
function numberArg(v: unknown, layer: string, name: string): number {
  if (typeof v !== "number") throw new Error(`${layer}: ${name} must be a number, got ${describe(v)}`);
  return v;
}

/**
 * max(0, x).
 *
 * ```ts
 * new nn.ReLU().forward(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class ReLU extends Module {
  constructor(...args: []) {
    super();
    noArguments("ReLU", args);
  }
  forward(x: Tensor): Tensor {
    return F.relu(x);
  }
}

/**
 * x for x > 0, negativeSlope·x otherwise (keeps a gradient for negative inputs).
 *
 * ```ts
 * new nn.LeakyReLU(0.01).forward(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  constructor(...args: PositionalArgs<[negativeSlope: number], { negativeSlope?: number }>) {
    super();
    const o = positionalOptions<{ negativeSlope?: number }>("LeakyReLU", ["negativeSlope"], args, ["negativeSlope"]);
    this.negativeSlope = numberArg(o.negativeSlope ?? 0.01, "LeakyReLU", "negativeSlope");
  }
  forward(x: Tensor): Tensor {
    return F.leakyRelu(x, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }
}

/**
 * x for x > 0, alpha·(eˣ − 1) otherwise.
 *
 * ```ts
 * new nn.ELU().forward(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class ELU extends Module {
  readonly alpha: number;
  constructor(...args: PositionalArgs<[alpha: number], { alpha?: number }>) {
    super();
    const o = positionalOptions<{ alpha?: number }>("ELU", ["alpha"], args, ["alpha"]);
    this.alpha = numberArg(o.alpha ?? 1, "ELU", "alpha");
  }
  forward(x: Tensor): Tensor {
    return F.elu(x, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

/**
 * 1/(1 + e⁻ˣ).
 *
 * ```ts
 * new nn.Sigmoid().forward(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class Sigmoid extends Module {
  constructor(...args: []) {
    super();
    noArguments("Sigmoid", args);
  }
  forward(x: Tensor): Tensor {
    return F.sigmoid(x);
  }
}

/**
 * tanh(x).
 *
 * ```ts
 * new nn.Tanh().forward(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class Tanh extends Module {
  constructor(...args: []) {
    super();
    noArguments("Tanh", args);
  }
  forward(x: Tensor): Tensor {
    return F.tanh(x);
  }
}

/**
 * x·Φ(x) (exact), or its tanh approximation with `"tanh"`.
 *
 * ```ts
 * new nn.GELU().forward(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class GELU extends Module {
  readonly approximate: "none" | "tanh";
  constructor(...args: PositionalArgs<[approximate: "none" | "tanh"], { approximate?: "none" | "tanh" }>) {
    super();
    const o = positionalOptions<{ approximate?: "none" | "tanh" }>("GELU", ["approximate"], args, ["approximate"]);
    const approximate = o.approximate ?? "none";
    if (approximate !== "none" && approximate !== "tanh") throw new Error(`GELU: approximate must be "none" or "tanh" (PyTorch's choices), got ${JSON.stringify(approximate)}`);
    this.approximate = approximate;
  }
  forward(x: Tensor): Tensor {
    return F.gelu(x, this.approximate);
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/**
 * x·sigmoid(x) (swish).
 *
 * ```ts
 * new nn.SiLU().forward(x);
 * ```
 *
 * Shape: any -> the same.
 */
export class SiLU extends Module {
  constructor(...args: []) {
    super();
    noArguments("SiLU", args);
  }
  forward(x: Tensor): Tensor {
    return F.silu(x);
  }
}

/**
 * Probabilities along `dim` (required: which dim holds the classes is a choice, not a default).
 *
 * ```ts
 * new nn.Softmax(1).forward(logits);
 * ```
 *
 * Shape: any -> the same; values along `dim` sum to 1.
 */
export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
    if (!Number.isInteger(dim)) throw new Error(`Softmax: dim must be an integer, got ${dim}`);
  }
  forward(x: Tensor): Tensor {
    return F.softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * Log-probabilities along `dim` (pair with NLLLoss).
 *
 * ```ts
 * new nn.LogSoftmax(1).forward(logits);
 * ```
 *
 * Shape: any -> the same.
 */
export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
    if (!Number.isInteger(dim)) throw new Error(`LogSoftmax: dim must be an integer, got ${dim}`);
  }
  forward(x: Tensor): Tensor {
    return F.logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
