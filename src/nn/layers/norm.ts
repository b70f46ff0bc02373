/** Normalisation layers: BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm. */
import { checkIntList } from "../../tensor/check.js";
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { Tensor, ones, zeros, noGrad, type DType } from "../../core.js";
import { Module, Parameter, pyBool, pyFloat, pyTuple, fmtShape } from "../module.js";
import { batchNorm, layerNorm, groupNorm } from "../functional.js";
import { checkCount } from "./linear.js";

/** The option keys of each layer here: anything else is a misspelling (positionalOptions). */
const BATCH_NORM1D_KEYS = ["eps", "momentum", "affine", "trackRunningStats", "dtype"] as const;
const BATCH_NORM2D_KEYS = ["eps", "momentum", "affine", "trackRunningStats", "dtype"] as const;
const LAYER_NORM_KEYS = ["eps", "elementwiseAffine", "bias", "dtype"] as const;
const GROUP_NORM_KEYS = ["eps", "affine", "dtype"] as const;

/** Options of BatchNorm1d/2d. */
export interface BatchNormOptions {
  eps?: number;
  /** Weight of the new batch in the running statistics (default 0.1); null = cumulative average. */
  momentum?: number | null;
  /** Learnable per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true); if false, batch statistics are always used. */
  trackRunningStats?: boolean;
  dtype?: DType;
}

/** PyTorch's positional order: `nn.BatchNorm2d(16, 1e-3, 0.01)` is eps 1e-3, momentum 0.01. */
type BatchNormPositional = [eps: number, momentum: number | null, affine: boolean, trackRunningStats: boolean];
const BATCH_NORM_POSITIONAL = ["eps", "momentum", "affine", "trackRunningStats"] as const;

/** Options of LayerNorm (positional order: eps, elementwiseAffine). */
export interface LayerNormOptions { eps?: number; elementwiseAffine?: boolean; bias?: boolean; dtype?: DType }
/** Options of GroupNorm (positional order: eps, affine). */
export interface GroupNormOptions { eps?: number; affine?: boolean; dtype?: DType }

abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(layer: string, numFeatures: number, opts: BatchNormOptions) {
    super();
    // PyTorch builds BatchNorm1d(0) (empty weight, bias and running statistics), as LayerNorm(0).
    checkCount(numFeatures, layer, "numFeatures", 0);
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    const dtype = opts.dtype ?? "float32";
    this.weight = this.affine ? new Parameter(ones([numFeatures], { dtype })) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    // PyTorch's buffer names, so state dicts move between the two.
    if (this.trackRunningStats) {
      this.registerBuffer("running_mean", zeros([numFeatures], { dtype }));
      this.registerBuffer("running_var", ones([numFeatures], { dtype }));
      this.registerBuffer("num_batches_tracked", zeros([], { dtype: "int32" }));
    } else {
      this.registerBuffer("running_mean", null);
      this.registerBuffer("running_var", null);
      this.registerBuffer("num_batches_tracked", null);
    }
  }

  /** The running mean (buffer "running_mean"), or null without trackRunningStats. */
  get runningMean(): Tensor | null {
    return this.getBuffer("running_mean");
  }
  /** The running (unbiased) variance (buffer "running_var"). */
  get runningVar(): Tensor | null {
    return this.getBuffer("running_var");
  }
  /** How many training batches updated the running statistics (buffer "num_batches_tracked"). */
  get numBatchesTracked(): Tensor | null {
    return this.getBuffer("num_batches_tracked");
  }

  /** Running statistics back to mean 0, variance 1, count 0. */
  resetRunningStats(): void {
    noGrad(() => {
      this.runningMean?.zero_();
      this.runningVar?.fill_(1);
      this.numBatchesTracked?.zero_();
    });
  }

  protected abstract checkInput(x: Tensor): void;

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    if (x.shape[1] !== this.numFeatures) {
      throw new Error(`${this.constructor.name}(${this.numFeatures}): input ${fmtShape(x.shape)} has ${x.shape[1]} channels in dim 1, expected ${this.numFeatures}`);
    }
    let momentum = this.momentum ?? 0;
    if (this.training && this.trackRunningStats) {
      const n = this.numBatchesTracked!;
      noGrad(() => n.add_(1));
      if (this.momentum === null) momentum = 1 / n.item();
    }
    const useBatch = this.training || !this.trackRunningStats;
    const track = !this.training || this.trackRunningStats;
    return batchNorm(x, track ? this.runningMean : null, track ? this.runningVar : null, this.weight, this.bias, useBatch, momentum, this.eps);
  }

  override extraRepr(): string {
    const m = this.momentum === null ? "None" : pyFloat(this.momentum);
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${m}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}

/**
 * Batch normalisation over [N, C] or [N, C, L]: each channel normalised by the batch's statistics
 * in training (running statistics in eval), then scaled and shifted.
 *
 * ```ts
 * const bn = new nn.BatchNorm1d(64);
 * ```
 *
 * Shape: [N, C] or [N, C, L] -> the same.
 */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, ...args: PositionalArgs<BatchNormPositional, BatchNormOptions>) {
    super("BatchNorm1d", numFeatures, positionalOptions("BatchNorm1d", BATCH_NORM_POSITIONAL, args, BATCH_NORM1D_KEYS));
  }
  protected checkInput(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3) throw new Error(`BatchNorm1d: expected input [N,C] or [N,C,L], got ${fmtShape(x.shape)}`);
  }
}

/**
 * Batch normalisation over [N, C, H, W] (per channel, over batch and positions).
 *
 * ```ts
 * const bn = new nn.BatchNorm2d(16);
 * ```
 *
 * Shape: [N, C, H, W] -> the same.
 */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, ...args: PositionalArgs<BatchNormPositional, BatchNormOptions>) {
    super("BatchNorm2d", numFeatures, positionalOptions("BatchNorm2d", BATCH_NORM_POSITIONAL, args, BATCH_NORM2D_KEYS));
  }
  protected checkInput(x: Tensor): void {
    if (x.ndim !== 4) throw new Error(`BatchNorm2d: expected input [N,C,H,W], got ${fmtShape(x.shape)}`);
  }
}

/**
 * Layer normalisation over the last dims of each sample (no running statistics; same in train and eval).
 *
 * ```ts
 * const ln = new nn.LayerNorm(512);
 * ```
 *
 * Shape: [*, ...normalizedShape] -> the same; weight and bias normalizedShape.
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  constructor(normalizedShape: number | readonly number[], ...args: PositionalArgs<[eps: number, elementwiseAffine: boolean], LayerNormOptions>) {
    const opts = positionalOptions<LayerNormOptions>("LayerNorm", ["eps", "elementwiseAffine"], args, LAYER_NORM_KEYS);
    super();
    this.normalizedShape = checkIntList("LayerNorm", "normalizedShape", normalizedShape, true);
    // PyTorch builds LayerNorm(0) (empty weight and bias; a [N, 0] input normalises to [N, 0]).
    this.normalizedShape.forEach((d) => checkCount(d, "LayerNorm", "normalizedShape", 0));
    this.eps = opts.eps ?? 1e-5;
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    const dtype = opts.dtype ?? "float32";
    this.weight = this.elementwiseAffine ? new Parameter(ones(this.normalizedShape, { dtype })) : null;
    this.bias = this.elementwiseAffine && opts.bias !== false ? new Parameter(zeros(this.normalizedShape, { dtype })) : null;
  }
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }
  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}

/**
 * Group normalisation: channels split into groups, each (sample, group) normalised on its own
 * (independent of the batch size).
 *
 * ```ts
 * const gn = new nn.GroupNorm(4, 32);
 * ```
 *
 * Shape: [N, C, *] -> the same; weight and bias [C].
 */
export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  constructor(numGroups: number, numChannels: number, ...args: PositionalArgs<[eps: number, affine: boolean], GroupNormOptions>) {
    const opts = positionalOptions<GroupNormOptions>("GroupNorm", ["eps", "affine"], args, GROUP_NORM_KEYS);
    super();
    checkCount(numGroups, "GroupNorm", "numGroups");
    checkCount(numChannels, "GroupNorm", "numChannels", 0); // GroupNorm(1, 0) is PyTorch's too (0 % 1 == 0)
    if (numChannels % numGroups) throw new Error(`GroupNorm: numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = opts.eps ?? 1e-5;
    this.affine = opts.affine ?? true;
    const dtype = opts.dtype ?? "float32";
    this.weight = this.affine ? new Parameter(ones([numChannels], { dtype })) : null;
    this.bias = this.affine ? new Parameter(zeros([numChannels], { dtype })) : null;
  }
  forward(x: Tensor): Tensor {
    if (x.ndim < 2 || x.shape[1] !== this.numChannels) {
      throw new Error(`GroupNorm(${this.numGroups}, ${this.numChannels}): expected input [N,${this.numChannels},...], got ${fmtShape(x.shape)}`);
    }
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }
  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}
