/**
 * Layers over nn/functional/shuffle-dropout.ts and softmax: ChannelShuffle, Softmax2d, Dropout1d, Dropout3d,
 * AlphaDropout and FeatureAlphaDropout, with PyTorch's arguments and printouts.
 */
import { Tensor, type Generator } from "../../core.js";
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { Module, fmtShape, pyFloat } from "../module.js";
import { alphaDropout, channelShuffle, checkDropoutP, dropout1d, dropout3d, featureAlphaDropout } from "../functional/shuffle-dropout.js";
import { describe } from "../../tensor/check.js";

/**
 * Reorders the channels of [N, C, *] as the transpose of a groups x C/groups grid (ShuffleNet).
 *
 * ```ts
 * const shuffle = new nn.ChannelShuffle(2);
 * ```
 */
export class ChannelShuffle extends Module {
  readonly groups: number;
  constructor(groups: number) {
    super();
    if (typeof groups !== "number" || !Number.isInteger(groups) || groups < 1) throw new Error(`ChannelShuffle: groups must be an integer >= 1, got ${describe(groups)}`);
    this.groups = groups;
  }
  forward(x: Tensor): Tensor {
    return channelShuffle(x, this.groups);
  }
  override extraRepr(): string {
    return `groups=${this.groups}`;
  }
}

/**
 * Softmax over the channels of each pixel: dim −3 of [N, C, H, W] or [C, H, W].
 *
 * ```ts
 * const probs = new nn.Softmax2d().call(scores);   // [N, C, H, W], sums to 1 over C
 * ```
 */
export class Softmax2d extends Module {
  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor) || (x.ndim !== 3 && x.ndim !== 4)) {
      throw new Error(`Softmax2d: expected input [N, C, H, W] or [C, H, W], got ${x instanceof Tensor ? fmtShape(x.shape) : describe(x)}`);
    }
    return x.softmax(-3);
  }
}

interface DropoutOptions { p?: number; generator?: Generator }
const DROPOUT_KEYS = ["p", "generator"] as const;
type DropoutArgs = PositionalArgs<[p: number], DropoutOptions>;

/** The dropout layers here: p (default 0.5) and a generator, as nn.Dropout. */
abstract class DropoutBase extends Module {
  readonly p: number;
  /** Draws the masks (default: the global generator). */
  generator?: Generator;
  constructor(layer: string, args: DropoutArgs) {
    super();
    const o = positionalOptions<DropoutOptions>(layer, ["p"], args, DROPOUT_KEYS);
    this.p = checkDropoutP(o.p ?? 0.5, layer);
    if (o.generator) this.generator = o.generator;
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}

/**
 * Zeroes whole channels of [N, C, L] (or [C, L]) with probability p in training, scaling the rest by 1/(1 − p).
 *
 * ```ts
 * const drop = new nn.Dropout1d(0.2);
 * ```
 */
export class Dropout1d extends DropoutBase {
  constructor(...args: DropoutArgs) {
    super("Dropout1d", args);
  }
  forward(x: Tensor): Tensor {
    return dropout1d(x, this.p, this.training, { generator: this.generator });
  }
}

/**
 * Zeroes whole channels of [N, C, D, H, W] (or [C, D, H, W]) with probability p in training, scaling the rest by 1/(1 − p).
 *
 * ```ts
 * const drop = new nn.Dropout3d(0.2);
 * ```
 */
export class Dropout3d extends DropoutBase {
  constructor(...args: DropoutArgs) {
    super("Dropout3d", args);
  }
  forward(x: Tensor): Tensor {
    return dropout3d(x, this.p, this.training, { generator: this.generator });
  }
}

/**
 * Alpha dropout (for SELU networks) in training: keeps zero mean and unit variance; identity in eval.
 *
 * ```ts
 * const drop = new nn.AlphaDropout(0.1);
 * ```
 */
export class AlphaDropout extends DropoutBase {
  constructor(...args: DropoutArgs) {
    super("AlphaDropout", args);
  }
  forward(x: Tensor): Tensor {
    return alphaDropout(x, this.p, this.training, { generator: this.generator });
  }
}

/**
 * Alpha dropout of whole channels (dim 1 of [N, C, *]) in training; identity in eval.
 *
 * ```ts
 * const drop = new nn.FeatureAlphaDropout(0.2);
 * ```
 */
export class FeatureAlphaDropout extends DropoutBase {
  constructor(...args: DropoutArgs) {
    super("FeatureAlphaDropout", args);
  }
  forward(x: Tensor): Tensor {
    return featureAlphaDropout(x, this.p, this.training, { generator: this.generator });
  }
}
