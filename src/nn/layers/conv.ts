/** Convolution layers: Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d (PyTorch layouts, so weights move between the two). */
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { describe } from "../../tensor/check.js";
import { Tensor, zeros, conv1d, conv2d, conv2dRelu, convTranspose2d, type Conv2dOptions, type FusedMaxPool2d, type Generator } from "../../core.js";
import { Module, Parameter, pyBool, pyTuple, fmtShape } from "../module.js";
import { pad } from "../functional/spatial.js";
import { convTranspose1d } from "../functional/misc.js";
import { defaultLinearInit, checkCount, type LayerOptions } from "./linear.js";
import { calculateFanInAndFanOut } from "../init.js";

/** The option keys of each layer here: anything else is a misspelling (positionalOptions). */
const CONV1D_KEYS = ["stride", "padding", "dilation", "groups", "bias", "paddingMode", "dtype", "generator"] as const;
const CONV2D_KEYS = ["stride", "padding", "dilation", "groups", "bias", "paddingMode", "dtype", "generator"] as const;
const CONV_TRANSPOSE1D_KEYS = ["stride", "dilation", "groups", "bias", "paddingMode", "dtype", "generator", "padding", "outputPadding"] as const;
const CONV_TRANSPOSE2D_KEYS = ["stride", "dilation", "groups", "bias", "paddingMode", "dtype", "generator", "padding", "outputPadding"] as const;

type Pair = number | readonly [number, number];

/** Options of Conv1d/Conv2d. */
export interface ConvOptions<P> extends LayerOptions {
  stride?: P;
  /** Zero padding per side, or "same" (output size = input size; stride 1) / "valid" (none). */
  padding?: P | "same" | "valid";
  dilation?: P;
  groups?: number;
  bias?: boolean;
  /** How the input is padded: "zeros" (default), "reflect", "replicate" or "circular" (PyTorch's padding_mode). */
  paddingMode?: PaddingMode;
}

/** PyTorch's padding_mode of convolutions. */
export type PaddingMode = "zeros" | "reflect" | "replicate" | "circular";

/** PyTorch's positional order after kernel_size: `nn.Conv2d(3, 16, 3, 1, 1)` is stride 1, padding 1. */
type ConvPositional<P> = [stride: P, padding: P | "same" | "valid", dilation: P, groups: number, bias: boolean];
const CONV_POSITIONAL = ["stride", "padding", "dilation", "groups", "bias"] as const;

/** Options of ConvTranspose2d (no "same"/"valid" padding; an output padding instead). */
export type ConvTransposeOptions = Omit<ConvOptions<Pair>, "padding"> & { padding?: Pair; outputPadding?: Pair };
type ConvTranspose1dPositional = [stride: number, padding: number, outputPadding: number, groups: number, bias: boolean, dilation: number];
type ConvTransposePositional = [stride: Pair, padding: Pair, outputPadding: Pair, groups: number, bias: boolean, dilation: Pair];
const CONV_TRANSPOSE_POSITIONAL = ["stride", "padding", "outputPadding", "groups", "bias", "dilation"] as const;

function tuple(v: Pair | number, n: number, layer: string, name: string, min: number): number[] {
  if (typeof v !== "number" && !Array.isArray(v)) throw new Error(`${layer}: ${name} must be ${n === 1 ? "an integer" : `an integer or ${n} integers`} >= ${min}, got ${describe(v)}`);
  const a = typeof v === "number" ? new Array<number>(n).fill(v) : [...v];
  if (a.length !== n || a.some((x) => !Number.isInteger(x) || x < min)) {
    throw new Error(`${layer}: ${name} must be ${n === 1 ? "an integer" : `an integer or ${n} integers`} >= ${min}, got ${JSON.stringify(v)}`);
  }
  return a;
}

const tup = (a: readonly number[]): string => pyTuple(a);

/** What Conv1d, Conv2d and ConvTranspose2d share: hyper-parameters, weights, init and printing. */
abstract class ConvNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | "same" | "valid";
  readonly dilation: number[];
  readonly groups: number;
  readonly outputPadding: number[];
  readonly transposed: boolean;
  readonly paddingMode: PaddingMode;
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    layer: string, dims: number, transposed: boolean, inChannels: number, outChannels: number, kernelSize: Pair,
    opts: ConvOptions<Pair> & { outputPadding?: Pair },
  ) {
    super();
    // Zero channels build an empty layer, as in PyTorch (its init skips zero-element weights).
    checkCount(inChannels, layer, "inChannels", 0);
    checkCount(outChannels, layer, "outChannels", 0);
    const groups = opts.groups ?? 1;
    checkCount(groups, layer, "groups");
    if (inChannels % groups || outChannels % groups) {
      throw new Error(`${layer}: groups (${groups}) must divide both inChannels (${inChannels}) and outChannels (${outChannels})`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = tuple(kernelSize, dims, layer, "kernelSize", 1);
    this.stride = tuple(opts.stride ?? 1, dims, layer, "stride", 1);
    const p = opts.padding ?? 0;
    if (p === "same" || p === "valid") {
      if (transposed) throw new Error(`${layer}: padding "${p}" is not supported for transposed convolution; give a number`);
      if (p === "same" && this.stride.some((s) => s !== 1)) throw new Error(`${layer}: padding "same" needs stride 1, got stride ${tup(this.stride)}`);
      this.padding = p;
    } else {
      this.padding = tuple(p, dims, layer, "padding", 0);
    }
    this.dilation = tuple(opts.dilation ?? 1, dims, layer, "dilation", 1);
    this.outputPadding = tuple(opts.outputPadding ?? 0, dims, layer, "outputPadding", 0);
    this.groups = groups;
    this.transposed = transposed;
    const mode = opts.paddingMode ?? "zeros";
    if (!["zeros", "reflect", "replicate", "circular"].includes(mode)) {
      throw new Error(`${layer}: paddingMode must be "zeros", "reflect", "replicate" or "circular", got ${describe(mode)}`);
    }
    if (transposed && mode !== "zeros") throw new Error(`${layer}: only paddingMode "zeros" is supported for transposed convolution, got "${mode}"`);
    this.paddingMode = mode;
    const dtype = opts.dtype ?? "float32";
    const wShape = transposed ? [inChannels, outChannels / groups, ...this.kernelSize] : [outChannels, inChannels / groups, ...this.kernelSize];
    this.weight = new Parameter(zeros(wShape, { dtype }));
    this.bias = opts.bias === false ? null : new Parameter(zeros([outChannels], { dtype }));
    this.resetParameters(opts.generator);
  }

  /** Re-draws the weights with PyTorch's default init (kaiming-uniform a=√5, bias U(±1/√fanIn)). */
  resetParameters(generator?: Generator): void {
    defaultLinearInit(this.weight, this.bias, generator, calculateFanInAndFanOut(this.weight)[0]);
  }

  /**
   * With a paddingMode other than "zeros", the input padded by that mode (the convolution then runs
   * with no padding of its own), as PyTorch's _conv_forward; otherwise null.
   */
  protected modePadded(x: Tensor): Tensor | null {
    if (this.paddingMode === "zeros") return null;
    const k = this.kernelSize.length;
    // PyTorch's _reversed_padding_repeated_twice: last dim first; "same" puts the odd extra on the right.
    const pads: number[] = [];
    for (let i = k - 1; i >= 0; i--) {
      if (this.padding === "valid") pads.push(0, 0);
      else if (this.padding === "same") {
        const total = this.dilation[i] * (this.kernelSize[i] - 1);
        pads.push(Math.floor(total / 2), total - Math.floor(total / 2));
      } else pads.push(this.padding[i], this.padding[i]);
    }
    // The circular mode pads batched input only: give an unbatched one a batch of one.
    const unbatched = x.ndim === k + 1;
    const y = pad(unbatched ? x.unsqueeze(0) : x, pads, this.paddingMode);
    return unbatched ? y.squeeze(0) : y;
  }

  protected checkInput(x: Tensor, layer: string, dims: number): void {
    const spatial = dims === 1 ? "L" : "H,W";
    if (x.ndim !== dims + 2 && x.ndim !== dims + 1) {
      throw new Error(`${layer}: expected input [N,C,${spatial}] or [C,${spatial}], got ${fmtShape(x.shape)}`);
    }
    const c = x.shape[x.ndim - dims - 1];
    if (c !== this.inChannels) {
      throw new Error(`${layer}: input ${fmtShape(x.shape)} has ${c} channels, but the layer was built with inChannels=${this.inChannels} (weight ${fmtShape(this.weight.shape)})`);
    }
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${tup(this.kernelSize)}, stride=${tup(this.stride)}`;
    if (typeof this.padding === "string") s += `, padding=${this.padding}`;
    else if (this.padding.some((v) => v !== 0)) s += `, padding=${tup(this.padding)}`;
    if (this.dilation.some((v) => v !== 1)) s += `, dilation=${tup(this.dilation)}`;
    if (this.outputPadding.some((v) => v !== 0)) s += `, output_padding=${tup(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += `, bias=${pyBool(false)}`;
    if (this.paddingMode !== "zeros") s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}

/**
 * 1-D convolution over [N, C, L].
 *
 * ```ts
 * const conv = new nn.Conv1d(16, 32, 3, { padding: 1 });
 * ```
 *
 * Shape: input [N, inChannels, L] (or [inChannels, L]) -> [N, outChannels, Lout],
 * Lout = ⌊(L + 2·padding − dilation·(k−1) − 1)/stride⌋ + 1; weight [outChannels, inChannels/groups, k].
 */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number, ...args: PositionalArgs<ConvPositional<number>, ConvOptions<number>>) {
    super("Conv1d", 1, false, inChannels, outChannels, kernelSize, positionalOptions("Conv1d", CONV_POSITIONAL, args, CONV1D_KEYS));
  }
  forward(x: Tensor): Tensor {
    this.checkInput(x, "Conv1d", 1);
    const padded = this.modePadded(x);
    const padding = padded ? 0 : typeof this.padding === "string" ? this.padding : this.padding[0];
    return conv1d(padded ?? x, this.weight, this.bias, { stride: this.stride[0], padding, dilation: this.dilation[0], groups: this.groups });
  }
}

/**
 * 2-D convolution over [N, C, H, W].
 *
 * ```ts
 * const conv = new nn.Conv2d(3, 16, 3, { padding: "same" });
 * const same = new nn.Conv2d(3, 16, 3, 1, 1); // PyTorch's positional stride, padding (then dilation, groups, bias)
 * ```
 *
 * Shape: input [N, inChannels, H, W] (or [inChannels, H, W]) -> [N, outChannels, Hout, Wout],
 * Hout = ⌊(H + 2·padding − dilation·(kH−1) − 1)/stride⌋ + 1 (likewise W);
 * weight [outChannels, inChannels/groups, kH, kW], bias [outChannels].
 */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Pair, ...args: PositionalArgs<ConvPositional<Pair>, ConvOptions<Pair>>) {
    super("Conv2d", 2, false, inChannels, outChannels, kernelSize, positionalOptions("Conv2d", CONV_POSITIONAL, args, CONV2D_KEYS));
  }
  forward(x: Tensor): Tensor {
    this.checkInput(x, "Conv2d", 2);
    const padded = this.modePadded(x);
    return conv2d(padded ?? x, this.weight, this.bias, this.options(padded !== null));
  }

  /**
   * `conv.forwardRelu(x, {kernelSize: 2})`: relu(forward(x)), then max-pooled when `pool` is given,
   * as one fused op (one kernel, one backward). nn.Sequential runs Conv2d → ReLU (→ MaxPool2d)
   * through this; the result equals the layers run one by one.
   */
  forwardRelu(x: Tensor, pool?: FusedMaxPool2d | null): Tensor {
    this.checkInput(x, "Conv2d", 2);
    const padded = this.modePadded(x);
    return conv2dRelu(padded ?? x, this.weight, this.bias, this.options(padded !== null), pool);
  }

  private options(prePadded: boolean): Conv2dOptions {
    const padding = prePadded ? 0 : typeof this.padding === "string" ? this.padding : ([this.padding[0], this.padding[1]] as const);
    return { stride: [this.stride[0], this.stride[1]], padding, dilation: [this.dilation[0], this.dilation[1]], groups: this.groups };
  }
}

/**
 * Transposed 1-D convolution (the gradient of Conv1d run forward; learned upsampling along L).
 *
 * ```ts
 * const up = new nn.ConvTranspose1d(32, 16, 2, 2); // stride 2: doubles L
 * ```
 *
 * Shape: input [N, inChannels, L] (or [inChannels, L]) -> [N, outChannels, Lout],
 * Lout = (L−1)·stride − 2·padding + dilation·(k−1) + outputPadding + 1; weight [inChannels, outChannels/groups, k].
 */
export class ConvTranspose1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number, ...args: PositionalArgs<ConvTranspose1dPositional, ConvTransposeOptions>) {
    super("ConvTranspose1d", 1, true, inChannels, outChannels, kernelSize, positionalOptions("ConvTranspose1d", CONV_TRANSPOSE_POSITIONAL, args, CONV_TRANSPOSE1D_KEYS));
  }
  forward(x: Tensor): Tensor {
    this.checkInput(x, "ConvTranspose1d", 1);
    return convTranspose1d(x, this.weight, this.bias, {
      stride: this.stride[0], padding: (this.padding as number[])[0], outputPadding: this.outputPadding[0], dilation: this.dilation[0], groups: this.groups,
    });
  }
}

/**
 * Transposed 2-D convolution (the gradient of Conv2d run forward; learned upsampling).
 *
 * ```ts
 * const up = new nn.ConvTranspose2d(32, 16, 2, { stride: 2 }); // doubles H and W
 * ```
 *
 * Shape: input [N, inChannels, H, W] -> [N, outChannels, Hout, Wout],
 * Hout = (H−1)·stride − 2·padding + dilation·(kH−1) + outputPadding + 1 (likewise W);
 * weight [inChannels, outChannels/groups, kH, kW], bias [outChannels].
 */
export class ConvTranspose2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Pair, ...args: PositionalArgs<ConvTransposePositional, ConvTransposeOptions>) {
    super("ConvTranspose2d", 2, true, inChannels, outChannels, kernelSize, positionalOptions("ConvTranspose2d", CONV_TRANSPOSE_POSITIONAL, args, CONV_TRANSPOSE2D_KEYS));
  }
  forward(x: Tensor): Tensor {
    this.checkInput(x, "ConvTranspose2d", 2);
    const p = this.padding as number[];
    return convTranspose2d(x, this.weight, this.bias, {
      stride: [this.stride[0], this.stride[1]], padding: [p[0], p[1]], outputPadding: [this.outputPadding[0], this.outputPadding[1]],
      dilation: [this.dilation[0], this.dilation[1]], groups: this.groups,
    });
  }
}
