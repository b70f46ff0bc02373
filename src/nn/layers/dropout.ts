/** Dropout layers: active in training mode only. */
import { checkKeys } from "../../tensor/check.js";
import { Tensor, type Generator } from "../../core.js";
import { Module, pyFloat } from "../module.js";
import { dropout, dropout2d } from "../functional.js";

/** The option keys of each class here: anything else is a misspelling. */
const DROPOUT_KEYS = ["generator"] as const;
const DROPOUT2D_KEYS = ["generator"] as const;

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
  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super();
    checkKeys("Dropout", opts, DROPOUT_KEYS);
    checkP(p, "Dropout");
    this.p = p;
    if (opts.generator) this.generator = opts.generator;
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
  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super();
    checkKeys("Dropout2d", opts, DROPOUT2D_KEYS);
    checkP(p, "Dropout2d");
    this.p = p;
    if (opts.generator) this.generator = opts.generator;
  }
  forward(x: Tensor): Tensor {
    return dropout2d(x, this.p, this.training, { generator: this.generator });
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}
