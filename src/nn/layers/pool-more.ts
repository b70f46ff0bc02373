/**
 * More pooling layers: MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, AdaptiveMaxPool1d, AdaptiveMaxPool2d.
 * Optional parameters positionally in PyTorch's order or in one options object; PyTorch's printout.
 */
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { Tensor } from "../../core.js";
import { Module, pyBool, pyTuple } from "../module.js";
import {
  maxPool1d, maxPool1dWithIndices, avgPool1d, adaptiveAvgPool1d, adaptiveMaxPool1d, adaptiveMaxPool1dWithIndices, adaptiveMaxPool2d,
  adaptiveMaxPool2dWithIndices,
} from "../functional/pooling.js";

/** The option keys of each layer here: anything else is a misspelling (positionalOptions). */
const MAX_POOL1D_KEYS = ["stride", "padding", "dilation", "returnIndices", "ceilMode"] as const;
const AVG_POOL1D_KEYS = ["stride", "padding", "ceilMode", "countIncludePad"] as const;

/** Options of MaxPool1d (positional order: stride, padding, dilation, returnIndices, ceilMode). */
export interface MaxPool1dLayerOptions { stride?: number | null; padding?: number; dilation?: number; returnIndices?: boolean; ceilMode?: boolean }

/**
 * The maximum of each window along L.
 *
 * ```ts
 * const pool = new nn.MaxPool1d(2); // halves L
 * ```
 *
 * Shape: [N, C, L] -> [N, C, Lout], Lout = ⌊(L + 2·padding − dilation·(k−1) − 1)/stride⌋ + 1.
 * With returnIndices, `forwardWithIndices` also gives each maximum's position.
 */
export class MaxPool1d extends Module {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  readonly ceilMode: boolean;
  constructor(kernelSize: number, ...args: PositionalArgs<[stride: number | null, padding: number, dilation: number], MaxPool1dLayerOptions>) {
    super();
    const o = positionalOptions<MaxPool1dLayerOptions>("MaxPool1d", ["stride", "padding", "dilation"], args, MAX_POOL1D_KEYS);
    if (o.returnIndices) throw new Error("MaxPool1d: returnIndices is not a layer option here; call forwardWithIndices(x) for the values and indices");
    this.kernelSize = kernelSize;
    this.stride = o.stride ?? kernelSize;
    this.padding = o.padding ?? 0;
    this.dilation = o.dilation ?? 1;
    this.ceilMode = o.ceilMode ?? false;
  }
  private opts() {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
  }
  forward(x: Tensor): Tensor {
    return maxPool1d(x, this.kernelSize, this.opts());
  }
  /** The maxima and their positions along L (int32), as PyTorch's return_indices=True. */
  forwardWithIndices(x: Tensor): { values: Tensor; indices: Tensor } {
    return maxPool1dWithIndices(x, this.kernelSize, this.opts());
  }
  override extraRepr(): string {
    return `kernel_size=${this.kernelSize}, stride=${this.stride}, padding=${this.padding}, dilation=${this.dilation}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

/** Options of AvgPool1d (positional order: stride, padding, ceilMode, countIncludePad). */
export interface AvgPool1dLayerOptions { stride?: number | null; padding?: number; ceilMode?: boolean; countIncludePad?: boolean }

/**
 * The mean of each window along L.
 *
 * ```ts
 * const pool = new nn.AvgPool1d(3, 2);
 * ```
 *
 * Shape: [N, C, L] -> [N, C, Lout], Lout = ⌊(L + 2·padding − k)/stride⌋ + 1.
 */
export class AvgPool1d extends Module {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  constructor(kernelSize: number, ...args: PositionalArgs<[stride: number | null, padding: number, ceilMode: boolean, countIncludePad: boolean], AvgPool1dLayerOptions>) {
    super();
    const o = positionalOptions<AvgPool1dLayerOptions>("AvgPool1d", ["stride", "padding", "ceilMode", "countIncludePad"], args, AVG_POOL1D_KEYS);
    this.kernelSize = kernelSize;
    this.stride = o.stride ?? kernelSize;
    this.padding = o.padding ?? 0;
    this.ceilMode = o.ceilMode ?? false;
    this.countIncludePad = o.countIncludePad ?? true;
  }
  forward(x: Tensor): Tensor {
    return avgPool1d(x, this.kernelSize, { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad });
  }
  override extraRepr(): string {
    return `kernel_size=${pyTuple([this.kernelSize])}, stride=${pyTuple([this.stride])}, padding=${pyTuple([this.padding])}`;
  }
}

/**
 * Averages into a fixed number of windows along L.
 *
 * ```ts
 * const pool = new nn.AdaptiveAvgPool1d(1); // [N, C, L] -> [N, C, 1]
 * ```
 *
 * Shape: [N, C, L] -> [N, C, outputSize].
 */
export class AdaptiveAvgPool1d extends Module {
  constructor(readonly outputSize: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool1d(x, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${this.outputSize}`;
  }
}

/**
 * The maximum of each of a fixed number of windows along L.
 *
 * ```ts
 * const pool = new nn.AdaptiveMaxPool1d(4);
 * ```
 *
 * Shape: [N, C, L] -> [N, C, outputSize].
 */
export class AdaptiveMaxPool1d extends Module {
  constructor(readonly outputSize: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return adaptiveMaxPool1d(x, this.outputSize);
  }
  /** The maxima and their positions along L (int32), as PyTorch's return_indices=True. */
  forwardWithIndices(x: Tensor): { values: Tensor; indices: Tensor } {
    return adaptiveMaxPool1dWithIndices(x, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${this.outputSize}`;
  }
}

type SizePair = number | readonly [number | null, number | null];

/**
 * The maximum of each adaptive window (global max pooling with 1); null in outputSize keeps that
 * dim's input size.
 *
 * ```ts
 * const gmp = new nn.AdaptiveMaxPool2d(1); // [N, C, H, W] -> [N, C, 1, 1]
 * ```
 *
 * Shape: [N, C, H, W] -> [N, C, oH, oW].
 */
export class AdaptiveMaxPool2d extends Module {
  constructor(readonly outputSize: SizePair) {
    super();
  }
  forward(x: Tensor): Tensor {
    return adaptiveMaxPool2d(x, this.outputSize);
  }
  /** The maxima and their flat positions in H·W (int32), as PyTorch's return_indices=True. */
  forwardWithIndices(x: Tensor): { values: Tensor; indices: Tensor } {
    return adaptiveMaxPool2dWithIndices(x, this.outputSize);
  }
  override extraRepr(): string {
    const o = this.outputSize;
    return `output_size=${typeof o === "number" ? o : `(${o.map((v) => (v === null ? "None" : String(v))).join(", ")})`}`;
  }
}
