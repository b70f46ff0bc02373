/** MaxUnpool1d and MaxUnpool2d (F.maxUnpool1d/2d), PyTorch's arguments and printout. */
import { Tensor } from "../../core.js";
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { Module } from "../module.js";
import { maxUnpool1d, maxUnpool2d, tuple } from "../functional/unpool.js";

type Size = number | readonly number[];
const UNPOOL_KEYS = ["stride", "padding"] as const;
/** Options of MaxUnpool1d/2d (positional order after kernelSize: stride, padding). */
export interface MaxUnpoolOptions { stride?: Size | null; padding?: Size }

/** PyTorch stores the sizes as tuples and prints them so: (2, 2), or (2,) in 1-d. */
const pyTuple = (v: number[]): string => (v.length === 1 ? `(${v[0]},)` : `(${v.join(", ")})`);

abstract class MaxUnpoolNd extends Module<[Tensor, Tensor, (readonly number[] | null)?], Tensor> {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];
  constructor(layer: string, d: number, kernelSize: Size, args: readonly unknown[]) {
    super();
    const o = positionalOptions<MaxUnpoolOptions>(layer, ["stride", "padding"], args, UNPOOL_KEYS);
    this.kernelSize = tuple(layer, "kernelSize", kernelSize, d, 1);
    this.stride = o.stride === null || o.stride === undefined ? this.kernelSize : tuple(layer, "stride", o.stride, d, 1);
    this.padding = tuple(layer, "padding", o.padding ?? 0, d, 0);
  }
  override extraRepr(): string {
    return `kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}, padding=${pyTuple(this.padding)}`;
  }
}

/**
 * Puts [N, C, L] maxima back at their maxPool1dWithIndices positions, zeros elsewhere.
 *
 * ```ts
 * const unpool = new nn.MaxUnpool1d(2);
 * const y = unpool.call(values, indices);             // or unpool.call(values, indices, [N, C, L])
 * ```
 */
export class MaxUnpool1d extends MaxUnpoolNd {
  constructor(kernelSize: Size, ...args: PositionalArgs<[stride: Size | null, padding: Size], MaxUnpoolOptions>) {
    super("MaxUnpool1d", 1, kernelSize, args);
  }
  forward(x: Tensor, indices: Tensor, outputSize: readonly number[] | null = null): Tensor {
    return maxUnpool1d(x, indices, this.kernelSize, this.stride, this.padding, outputSize);
  }
}

/**
 * Puts [N, C, H, W] maxima back at their maxPool2dWithIndices positions, zeros elsewhere.
 *
 * ```ts
 * const unpool = new nn.MaxUnpool2d(2);
 * const y = unpool.call(values, indices);             // or unpool.call(values, indices, x.shape)
 * ```
 */
export class MaxUnpool2d extends MaxUnpoolNd {
  constructor(kernelSize: Size, ...args: PositionalArgs<[stride: Size | null, padding: Size], MaxUnpoolOptions>) {
    super("MaxUnpool2d", 2, kernelSize, args);
  }
  forward(x: Tensor, indices: Tensor, outputSize: readonly number[] | null = null): Tensor {
    return maxUnpool2d(x, indices, this.kernelSize, this.stride, this.padding, outputSize);
  }
}
