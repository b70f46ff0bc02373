/**
 * PyTorch 1.13's deprecated resizing names, kept there for old code: `upsample` (= interpolate),
 * `upsampleNearest` (mode "nearest") and `upsampleBilinear` (mode "bilinear" with alignCorners
 * true). Same values and gradients as `interpolate` with those settings; errors name the alias.
 *
 * ```ts
 * const F = nn.functional;
 * F.upsampleBilinear(x, { scaleFactor: 2 }); // = F.interpolate(x, { scaleFactor: 2, mode: "bilinear", alignCorners: true })
 * F.upsampleNearest(x, [8, 8]);
 * ```
 */
import type { Tensor } from "../../core.js";
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { interpolateOptions, resize, type InterpolateArgs, type InterpolateOptions } from "./interpolate.js";

/** `{ size }` or `{ scaleFactor }`: exactly one. */
export interface UpsamplingOptions {
  size?: number | readonly number[] | null;
  scaleFactor?: number | readonly number[] | null;
}
/** PyTorch's positional order: size, scaleFactor. */
export type UpsamplingArgs = PositionalArgs<[size: number | readonly number[] | null, scaleFactor: number | readonly number[] | null], UpsamplingOptions>;
const KEYS = ["size", "scaleFactor"] as const;

/**
 * (size?, scaleFactor?) or ({ size, scaleFactor }) as `fn` (upsampleNearest, nn.UpsamplingBilinear2d, ...)
 * takes them, with the fixed mode: interpolate's options, alignCorners true for bilinear as PyTorch's.
 */
export function upsamplingOptions(fn: string, mode: "nearest" | "bilinear", args: readonly unknown[]): InterpolateOptions {
  const { size, scaleFactor } = positionalOptions<UpsamplingOptions>(fn, [...KEYS], args, KEYS);
  const hasSize = size !== undefined && size !== null, hasScale = scaleFactor !== undefined && scaleFactor !== null;
  if (hasSize === hasScale) throw new Error(`${fn}: give exactly one of size and scaleFactor${hasSize ? " (got both)" : ""}`);
  return mode === "nearest" ? { size, scaleFactor, mode } : { size, scaleFactor, mode, alignCorners: true };
}

/** `upsample(x, size?, scaleFactor?, mode?, alignCorners?)`: PyTorch's deprecated name of `interpolate`. */
export function upsample(x: Tensor, ...args: InterpolateArgs): Tensor {
  return resize(x, interpolateOptions("upsample", args), "upsample");
}

/** `upsampleNearest(x, size?, scaleFactor?)`: nearest-neighbour `interpolate` (PyTorch's deprecated upsample_nearest). */
export function upsampleNearest(x: Tensor, ...args: UpsamplingArgs): Tensor {
  return resize(x, upsamplingOptions("upsampleNearest", "nearest", args), "upsampleNearest");
}

/**
 * `upsampleBilinear(x, size?, scaleFactor?)`: bilinear `interpolate` with alignCorners true (PyTorch's
 * deprecated upsample_bilinear). Shape: [N, C, H, W] only.
 */
export function upsampleBilinear(x: Tensor, ...args: UpsamplingArgs): Tensor {
  return resize(x, upsamplingOptions("upsampleBilinear", "bilinear", args), "upsampleBilinear");
}
