/**
 * `UpsamplingNearest2d` and `UpsamplingBilinear2d`, PyTorch's fixed-mode subclasses of `Upsample`
 * (deprecated there in favour of Upsample/interpolate but still in 1.13): nearest, and bilinear with
 * alignCorners true. Size or scale factor positionally (PyTorch's order) or in one options object.
 *
 * ```ts
 * const up = new nn.UpsamplingBilinear2d({ scaleFactor: 2 }); // = Upsample(scaleFactor 2, bilinear, alignCorners true)
 * const big = new nn.UpsamplingNearest2d([32, 32]);
 * ```
 */
import type { Tensor } from "../../core.js";
import { resize } from "../functional/interpolate.js";
import { upsamplingOptions, type UpsamplingArgs } from "../functional/upsample.js";
import { Upsample } from "./pool.js";

/**
 * Nearest-neighbour upsampling (`Upsample` with mode "nearest"). Shape: [N, C, H, W] -> [N, C,
 * ⌊H·scale⌋, ⌊W·scale⌋] (or `size`); like PyTorch's, it also takes [N, C, L] and [N, C, D, H, W].
 */
export class UpsamplingNearest2d extends Upsample {
  constructor(...args: UpsamplingArgs) {
    super(upsamplingOptions("UpsamplingNearest2d", "nearest", args));
  }
  override forward(x: Tensor): Tensor {
    return resize(x, this.opts, "UpsamplingNearest2d");
  }
}

/**
 * Bilinear upsampling with the corner pixels aligned (`Upsample` with mode "bilinear" and
 * alignCorners true, as PyTorch's). Shape: [N, C, H, W] -> [N, C, ⌊H·scale⌋, ⌊W·scale⌋] (or `size`).
 */
export class UpsamplingBilinear2d extends Upsample {
  constructor(...args: UpsamplingArgs) {
    super(upsamplingOptions("UpsamplingBilinear2d", "bilinear", args));
  }
  override forward(x: Tensor): Tensor {
    return resize(x, this.opts, "UpsamplingBilinear2d");
  }
}
