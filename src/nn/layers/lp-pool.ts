/** Power-average pooling layers: LPPool1d and LPPool2d (F.lpPool1d/2d), PyTorch's arguments and printout. */
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { Tensor } from "../../core.js";
import { Module, pyBool, pyFloat } from "../module.js";
import { checkNormType, lpPool1d, lpPool2d } from "../functional/lp-pool.js";

type Pair = number | readonly [number, number];
const LP_POOL_KEYS = ["stride", "ceilMode"] as const;

/** Options of LPPool1d (positional order after normType and kernelSize: stride, ceilMode). */
export interface LPPool1dOptions { stride?: number | null; ceilMode?: boolean }
/** Options of LPPool2d (positional order after normType and kernelSize: stride, ceilMode). */
export interface LPPool2dOptions { stride?: Pair | null; ceilMode?: boolean }

/** norm_type as PyTorch code usually gives it: an integer p prints as an int (LPPool2d(2, 2): norm_type=2). */
const pyNumber = (v: number): string => (Number.isInteger(v) ? String(v) : pyFloat(v));

/** PyTorch prints a size as given: an int as itself, a tuple as (a, b). */
const pySize = (v: Pair | null): string => (v === null ? "None" : typeof v === "number" ? String(v) : `(${v.join(", ")})`);

/**
 * The p-norm of each window along L: (Σ xᵖ)^(1/p); p = 1 is sum pooling, large p approaches max pooling.
 *
 * ```ts
 * const pool = new nn.LPPool1d(2, 3, 2);   // L2 over windows of 3, stride 2
 * ```
 *
 * Shape: [N, C, L] or [C, L] -> [.., ⌊(L − kernelSize)/stride⌋ + 1] (⌈⌉ with ceilMode).
 */
export class LPPool1d extends Module {
  readonly normType: number;
  readonly kernelSize: number;
  readonly stride: number | null;
  readonly ceilMode: boolean;
  constructor(normType: number, kernelSize: number, ...args: PositionalArgs<[stride: number | null, ceilMode: boolean], LPPool1dOptions>) {
    super();
    const o = positionalOptions<LPPool1dOptions>("LPPool1d", ["stride", "ceilMode"], args, LP_POOL_KEYS);
    this.normType = normType;
    this.kernelSize = kernelSize;
    this.stride = o.stride ?? null;
    this.ceilMode = o.ceilMode ?? false;
    checkNormType("LPPool1d", normType);
  }
  forward(x: Tensor): Tensor {
    return lpPool1d(x, this.normType, this.kernelSize, this.stride, this.ceilMode);
  }
  override extraRepr(): string {
    return `norm_type=${pyNumber(this.normType)}, kernel_size=${pySize(this.kernelSize)}, stride=${pySize(this.stride)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

/**
 * The p-norm of each kH x kW window: (Σ xᵖ)^(1/p).
 *
 * ```ts
 * const pool = new nn.LPPool2d(2, 2);      // L2 pooling, halves H and W
 * ```
 *
 * Shape: [N, C, H, W] or [C, H, W] -> [.., Hout, Wout] as AvgPool2d without padding.
 */
export class LPPool2d extends Module {
  readonly normType: number;
  readonly kernelSize: Pair;
  readonly stride: Pair | null;
  readonly ceilMode: boolean;
  constructor(normType: number, kernelSize: Pair, ...args: PositionalArgs<[stride: Pair | null, ceilMode: boolean], LPPool2dOptions>) {
    super();
    const o = positionalOptions<LPPool2dOptions>("LPPool2d", ["stride", "ceilMode"], args, LP_POOL_KEYS);
    this.normType = normType;
    this.kernelSize = kernelSize;
    this.stride = o.stride ?? null;
    this.ceilMode = o.ceilMode ?? false;
    checkNormType("LPPool2d", normType);
  }
  forward(x: Tensor): Tensor {
    return lpPool2d(x, this.normType, this.kernelSize, this.stride, this.ceilMode);
  }
  override extraRepr(): string {
    return `norm_type=${pyNumber(this.normType)}, kernel_size=${pySize(this.kernelSize)}, stride=${pySize(this.stride)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}
