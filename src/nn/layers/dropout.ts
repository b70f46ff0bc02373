/** Dropout layers: active in training mode only. */
import { Tensor, type Generator } from "../../core.js";
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { Module, pyFloat } from "../module.js";
import { dropout, dropout2d } from "../functional.js";

/** Dropout's and Dropout2d's options (p also positionally, as `nn.Dropout(0.5)`); anything else is a misspelling. */
interface DropoutOptions {
  p?: number;
  generator?: Generator;
}
const DROPOUT_KEYS = ["p", "generator"] as const;
type DropoutArgs = PositionalArgs<[p: number], DropoutOptions>;

/** p (default 0.5, checked) and the generator from a dropout layer's arguments. */
function dropoutOptions(layer: string, args: DropoutArgs): { p: number; generator?: Generator } {
  const o = positionalOptions<DropoutOptions>(layer, ["p"], args, DROPOUT_KEYS);
  const p = o.p ?? 0.5;
  checkP(p, layer);
  return { p, generator: o.generator };
}

function checkP(p: number, layer: string): void {
  if (!(p >= 0 && p <= 1)) throw new Error(`${layer}: p must be a probability in [0, 1], got ${p}`);
}

/**
 * Zeroes each element with probability p during training and scales the survivors by 1/(1−p), so
 * that eval mode (identity) needs no rescaling.
 *
 * ```ts
 * const drop = new nn.Dropout(0.5);
 * ```
 *
 * Shape: any -> the same.
 */
export class Dropout extends Module {
  readonly p: number;
  /** Draws the masks (default: the global generator). */
  generator?: Generator;
  constructor(...args: DropoutArgs) {
    super();
    const { p, generator } = dropoutOptions("Dropout", args);
    this.p = p;
    if (generator) this.generator = generator;
  }
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, { generator: this.generator });
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}

/**
 * Zeroes whole channels with probability p during training (scaling the rest by 1/(1−p)); for
 * convolutional features, whose neighbouring pixels are correlated.
 *
 * ```ts
 * const drop = new nn.Dropout2d(0.2);
 * ```
 *
 * Shape: [N, C, H, W] or [C, H, W] -> the same.
 */
export class Dropout2d extends Module {
  readonly p: number;
  generator?: Generator;
  constructor(...args: DropoutArgs) {
    super();
    const { p, generator } = dropoutOptions("Dropout2d", args);
    this.p = p;
    if (generator) this.generator = generator;
  }
  forward(x: Tensor): Tensor {
    return dropout2d(x, this.p, this.training, { generator: this.generator });
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}
