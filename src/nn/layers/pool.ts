/** Pooling and resizing layers: MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Upsample. */
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { Tensor, maxPool2d, avgPool2d, adaptiveAvgPool2d } from "../../core.js";
import { Module, pyBool, pyFloat, pyTuple, fmtShape } from "../module.js";
import { resize, interpolateOptions, type InterpolateOptions, type InterpolateArgs } from "../functional/interpolate.js";

/** The option keys of each layer here: anything else is a misspelling (positionalOptions). */
const MAX_POOL2D_KEYS = ["stride", "padding", "dilation", "ceilMode"] as const;
const AVG_POOL2D_KEYS = ["stride", "padding", "ceilMode", "countIncludePad", "divisorOverride"] as const;

type Pair = number | readonly [number, number];

/** Options of MaxPool2d; `new nn.MaxPool2d(3, 1, 1)` passes stride and padding positionally, as PyTorch. */
export interface MaxPoolOptions { stride?: Pair; padding?: Pair; dilation?: Pair; ceilMode?: boolean }
/** Options of AvgPool2d (positional order: stride, padding, ceilMode, countIncludePad). */
export interface AvgPoolOptions { stride?: Pair; padding?: Pair; ceilMode?: boolean; countIncludePad?: boolean; divisorOverride?: number | null }

function check4d(x: Tensor, layer: string): void {
  if (x.ndim !== 3 && x.ndim !== 4) throw new Error(`${layer}: expected input [N,C,H,W] or [C,H,W], got ${fmtShape(x.shape)}`);
}

/**
 * The maximum of each window.
 *
 * ```ts
 * const pool = new nn.MaxPool2d(2); // halves H and W
 * ```
 *
 * Shape: [N, C, H, W] -> [N, C, Hout, Wout], Hout = ⌊(H + 2·padding − dilation·(k−1) − 1)/stride⌋ + 1
 * (⌈…⌉ with ceilMode); stride defaults to the kernel size.
 */
export class MaxPool2d extends Module {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  readonly ceilMode: boolean;
  constructor(kernelSize: Pair, ...args: PositionalArgs<[stride: Pair, padding: Pair, dilation: Pair], MaxPoolOptions>) {
    super();
    const opts = positionalOptions<MaxPoolOptions>("MaxPool2d", ["stride", "padding", "dilation"], args, MAX_POOL2D_KEYS);
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.ceilMode = opts.ceilMode ?? false;
  }
  forward(x: Tensor): Tensor {
    check4d(x, "MaxPool2d");
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }
  override extraRepr(): string {
    return `kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}, padding=${pyTuple(this.padding)}, dilation=${pyTuple(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

/**
 * The mean of each window.
 *
 * ```ts
 * const pool = new nn.AvgPool2d(2);
 * ```
 *
 * Shape: [N, C, H, W] -> [N, C, Hout, Wout], Hout = ⌊(H + 2·padding − k)/stride⌋ + 1; stride defaults
 * to the kernel size; padded zeros count in the divisor unless `countIncludePad: false`; `divisorOverride`
 * divides every window's sum by that number instead.
 */
export class AvgPool2d extends Module {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
  constructor(
    kernelSize: Pair,
    ...args: PositionalArgs<[stride: Pair, padding: Pair, ceilMode: boolean, countIncludePad: boolean, divisorOverride: number | null], AvgPoolOptions>
  ) {
    super();
    const opts = positionalOptions<AvgPoolOptions>("AvgPool2d", ["stride", "padding", "ceilMode", "countIncludePad", "divisorOverride"], args, AVG_POOL2D_KEYS);
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    this.divisorOverride = opts.divisorOverride ?? null;
  }
  forward(x: Tensor): Tensor {
    check4d(x, "AvgPool2d");
    return avgPool2d(x, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride,
    });
  }
  override extraRepr(): string {
    return `kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}, padding=${pyTuple(this.padding)}`;
  }
}

/**
 * Averages into a fixed output size whatever the input size (e.g. global average pooling with 1).
 *
 * ```ts
 * const gap = new nn.AdaptiveAvgPool2d(1); // [N,C,H,W] -> [N,C,1,1]
 * ```
 *
 * Shape: [N, C, H, W] -> [N, C, outH, outW]; window i spans [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉).
 */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: Pair) {
    super();
  }
  forward(x: Tensor): Tensor {
    check4d(x, "AdaptiveAvgPool2d");
    return adaptiveAvgPool2d(x, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${pyTuple(this.outputSize)}`;
  }
}

/**
 * Resizes the spatial dims by nearest-neighbour, linear, bilinear or bicubic interpolation
 * (differentiable). Arguments as PyTorch's: size, scaleFactor, mode, alignCorners, positionally or
 * in one options object.
 *
 * ```ts
 * const up = new nn.Upsample({ scaleFactor: 2, mode: "bilinear" });
 * const same = new nn.Upsample(null, 2, "bilinear");
 * ```
 *
 * Shape: [N, C, H, W] -> [N, C, ⌊H·scale⌋, ⌊W·scale⌋] (or `size`); nearest and linear take [N, C, L].
 */
export class Upsample extends Module {
  readonly opts: InterpolateOptions;
  constructor(...args: InterpolateArgs) {
    super();
    const opts = interpolateOptions("Upsample", args);
    const hasSize = opts.size !== undefined && opts.size !== null, hasScale = opts.scaleFactor !== undefined && opts.scaleFactor !== null;
    if (hasSize === hasScale) throw new Error(`Upsample: give exactly one of size and scaleFactor${hasSize ? " (got both)" : ""}`);
    this.opts = { ...opts };
  }
  forward(x: Tensor): Tensor {
    return resize(x, this.opts, "Upsample");
  }
  override extraRepr(): string {
    const o = this.opts;
    // PyTorch stores the scale factor as a float and prints the mode without quotes.
    const sf = o.scaleFactor;
    const what = sf !== undefined && sf !== null ? `scale_factor=${typeof sf === "number" ? pyFloat(sf) : `(${sf.map(pyFloat).join(", ")})`}` : `size=${pyTuple(o.size!)}`;
    return `${what}, mode=${o.mode ?? "nearest"}`;
  }
}
