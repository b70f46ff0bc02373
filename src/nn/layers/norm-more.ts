/**
 * InstanceNorm1d/2d, LocalResponseNorm, and the distance layers CosineSimilarity and
 * PairwiseDistance, over `nn.functional`'s functions, with PyTorch's state-dict names and printout.
 */
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { Tensor, ones, zeros, type DType } from "../../core.js";
import { Module, Parameter, pyBool, pyFloat, fmtShape } from "../module.js";
import { instanceNorm, localResponseNorm, cosineSimilarity, pairwiseDistance } from "../functional/normalization.js";
import { checkCount } from "./linear.js";

/** The option keys of each layer here: anything else is a misspelling (positionalOptions). */
const INSTANCE_NORM1D_KEYS = ["eps", "momentum", "affine", "trackRunningStats", "dtype"] as const;
const INSTANCE_NORM2D_KEYS = ["eps", "momentum", "affine", "trackRunningStats", "dtype"] as const;
const LOCAL_RESPONSE_NORM_KEYS = ["alpha", "beta", "k"] as const;
const COSINE_SIMILARITY_KEYS = ["dim", "eps"] as const;
const PAIRWISE_DISTANCE_KEYS = ["p", "eps", "keepdim"] as const;

/** Options of InstanceNorm1d/2d (positional order after numFeatures: eps, momentum, affine, trackRunningStats). */
export interface InstanceNormLayerOptions { eps?: number; momentum?: number; affine?: boolean; trackRunningStats?: boolean; dtype?: DType }

abstract class InstanceNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(private readonly layer: string, private readonly spatial: number, numFeatures: number, opts: InstanceNormLayerOptions) {
    super();
    // InstanceNorm1d(0) is PyTorch's too (an empty input normalises to an empty output), but not with
    // running stats, where PyTorch's forward fails on 0 features (its batch_norm path indexes them).
    if (numFeatures === 0 && opts.trackRunningStats) throw new Error(`${layer}: numFeatures must be >= 1 with trackRunningStats (PyTorch's forward fails on 0 features there), got 0`);
    checkCount(numFeatures, layer, "numFeatures", 0);
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum ?? 0.1;
    this.affine = opts.affine ?? false;
    this.trackRunningStats = opts.trackRunningStats ?? false;
    const dtype = opts.dtype ?? "float32";
    this.weight = this.affine ? new Parameter(ones([numFeatures], { dtype })) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    this.registerBuffer("running_mean", this.trackRunningStats ? zeros([numFeatures], { dtype }) : null);
    this.registerBuffer("running_var", this.trackRunningStats ? ones([numFeatures], { dtype }) : null);
    this.registerBuffer("num_batches_tracked", this.trackRunningStats ? zeros([], { dtype: "int32" }) : null);
  }

  /** The running mean (buffer "running_mean"), or null without trackRunningStats. */
  get runningMean(): Tensor | null {
    return this.getBuffer("running_mean");
  }
  /** The running (unbiased) variance (buffer "running_var"). */
  get runningVar(): Tensor | null {
    return this.getBuffer("running_var");
  }

  forward(x: Tensor): Tensor {
    const batched = this.spatial + 2, single = this.spatial + 1;
    if (x.ndim !== batched && x.ndim !== single) {
      const dims = this.spatial === 1 ? "L" : "H, W";
      throw new Error(`${this.layer}: expected input [N, C, ${dims}] or [C, ${dims}], got ${fmtShape(x.shape)}`);
    }
    const xb = x.ndim === single ? x.unsqueeze(0) : x;
    if (xb.shape[1] !== this.numFeatures && this.affine) {
      throw new Error(`${this.layer}: expected input's size at dim ${x.ndim === single ? 0 : 1} to match numFeatures (${this.numFeatures}), but got input ${fmtShape(x.shape)}`);
    }
    const y = instanceNorm(xb, {
      runningMean: this.runningMean, runningVar: this.runningVar, weight: this.weight, bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats, momentum: this.momentum, eps: this.eps,
    });
    return x.ndim === single ? y.squeeze(0) : y;
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyFloat(this.momentum)}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}

type InstanceNormArgs = PositionalArgs<[eps: number, momentum: number, affine: boolean, trackRunningStats: boolean], InstanceNormLayerOptions>;
const INSTANCE_NORM_POSITIONAL = ["eps", "momentum", "affine", "trackRunningStats"] as const;

/**
 * Normalises each (sample, channel) over L; no affine parameters or running statistics by default
 * (PyTorch's defaults).
 *
 * ```ts
 * const norm = new nn.InstanceNorm1d(16, { affine: true });
 * ```
 *
 * Shape: [N, C, L] or [C, L] -> the same.
 */
export class InstanceNorm1d extends InstanceNormBase {
  constructor(numFeatures: number, ...args: InstanceNormArgs) {
    super("InstanceNorm1d", 1, numFeatures, positionalOptions("InstanceNorm1d", INSTANCE_NORM_POSITIONAL, args, INSTANCE_NORM1D_KEYS));
  }
}

/**
 * Normalises each (sample, channel) over H and W (style transfer's normalisation).
 *
 * ```ts
 * const norm = new nn.InstanceNorm2d(64);
 * ```
 *
 * Shape: [N, C, H, W] or [C, H, W] -> the same.
 */
export class InstanceNorm2d extends InstanceNormBase {
  constructor(numFeatures: number, ...args: InstanceNormArgs) {
    super("InstanceNorm2d", 2, numFeatures, positionalOptions("InstanceNorm2d", INSTANCE_NORM_POSITIONAL, args, INSTANCE_NORM2D_KEYS));
  }
}

/** Options of LocalResponseNorm (positional order after size: alpha, beta, k). */
export interface LocalResponseNormOptions { alpha?: number; beta?: number; k?: number }

/**
 * Divides each activation by (k + α/size · Σ x²)^β over `size` neighbouring channels (AlexNet).
 *
 * ```ts
 * const lrn = new nn.LocalResponseNorm(5);
 * ```
 *
 * Shape: [N, C, *] -> the same.
 */
export class LocalResponseNorm extends Module {
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;
  constructor(readonly size: number, ...args: PositionalArgs<[alpha: number, beta: number, k: number], LocalResponseNormOptions>) {
    super();
    const o = positionalOptions<LocalResponseNormOptions>("LocalResponseNorm", ["alpha", "beta", "k"], args, LOCAL_RESPONSE_NORM_KEYS);
    checkCount(size, "LocalResponseNorm", "size");
    this.alpha = o.alpha ?? 1e-4;
    this.beta = o.beta ?? 0.75;
    this.k = o.k ?? 1;
  }
  forward(x: Tensor): Tensor {
    return localResponseNorm(x, this.size, this.alpha, this.beta, this.k);
  }
  override extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}

/**
 * Cosine similarity along `dim` (default 1).
 *
 * ```ts
 * new nn.CosineSimilarity().call(a, b); // [N, D], [N, D] -> [N]
 * ```
 *
 * Shape: broadcast shape of the two inputs with `dim` removed.
 */
export class CosineSimilarity extends Module<[Tensor, Tensor], Tensor> {
  readonly dim: number;
  readonly eps: number;
  constructor(...args: PositionalArgs<[dim: number, eps: number], { dim?: number; eps?: number }>) {
    super();
    const o = positionalOptions<{ dim?: number; eps?: number }>("CosineSimilarity", ["dim", "eps"], args, COSINE_SIMILARITY_KEYS);
    this.dim = o.dim ?? 1;
    this.eps = o.eps ?? 1e-8;
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    return cosineSimilarity(x1, x2, this.dim, this.eps);
  }
}

/** Options of PairwiseDistance (positional order: p, eps, keepdim). */
export interface PairwiseDistanceOptions { p?: number; eps?: number; keepdim?: boolean }

/**
 * ‖x1 − x2 + eps‖ₚ along the last dim.
 *
 * ```ts
 * new nn.PairwiseDistance().call(a, b); // [N, D], [N, D] -> [N]
 * ```
 *
 * Shape: [N, D] -> [N] ([N, 1] with keepdim).
 */
export class PairwiseDistance extends Module<[Tensor, Tensor], Tensor> {
  readonly p: number;
  readonly eps: number;
  readonly keepdim: boolean;
  constructor(...args: PositionalArgs<[p: number, eps: number, keepdim: boolean], PairwiseDistanceOptions>) {
    super();
    const o = positionalOptions<PairwiseDistanceOptions>("PairwiseDistance", ["p", "eps", "keepdim"], args, PAIRWISE_DISTANCE_KEYS);
    this.p = o.p ?? 2;
    this.eps = o.eps ?? 1e-6;
    this.keepdim = o.keepdim ?? false;
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    return pairwiseDistance(x1, x2, { p: this.p, eps: this.eps, keepdim: this.keepdim });
  }
}
