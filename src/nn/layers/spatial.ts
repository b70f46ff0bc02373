/**
 * Padding layers (ReflectionPad1d/2d/3d, ReplicationPad1d/2d/3d, ZeroPad2d, ConstantPad1d/2d/3d) and
 * the rearranging layers PixelShuffle, PixelUnshuffle, Unfold, Fold, over `nn.functional`'s functions.
 */
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { Tensor, type PadMode } from "../../core.js";
import { describe } from "../../tensor/check.js";
import { Module, pyFloat, pyTuple } from "../module.js";
import { pad, pixelShuffle, pixelUnshuffle, unfold, fold, type UnfoldOptions } from "../functional/spatial.js";

/** The option keys of each layer here: anything else is a misspelling (positionalOptions). */
const UNFOLD_KEYS = ["dilation", "padding", "stride"] as const;
const FOLD_KEYS = ["dilation", "padding", "stride"] as const;

/** One padding for every side, or PyTorch's tuple (left, right[, top, bottom[, front, back]]). */
function padTuple(layer: string, padding: number | readonly number[], dims: number): number[] {
  const a = typeof padding === "number" ? new Array<number>(2 * dims).fill(padding) : Array.isArray(padding) ? [...padding] : [];
  if (a.length !== 2 * dims || a.some((v) => !Number.isInteger(v))) {
    throw new Error(`${layer}: padding must be an integer or ${2 * dims} integers (${["left, right", "top, bottom", "front, back"].slice(0, dims).join(", ")}), got ${describe(padding)}`);
  }
  return a;
}

// The factories' return types are named so that the published .d.ts can describe the classes they
// make (an inferred anonymous class type exposes Module's private members, which declaration emit refuses).
type PadLayerClass = new (padding: number | readonly number[]) => Module & { readonly padding: number[]; forward(x: Tensor): Tensor };
type ConstantPadLayerClass = new (padding: number | readonly number[], value: number) => Module & {
  readonly padding: number[];
  readonly value: number;
  forward(x: Tensor): Tensor;
};

function padLayer(name: string, mode: PadMode, dims: number): PadLayerClass {
  const cls = class extends Module {
    /** (left, right, top, bottom, ...), as PyTorch's `padding` attribute. */
    readonly padding: number[];
    constructor(padding: number | readonly number[]) {
      super();
      this.padding = padTuple(name, padding, dims);
    }
    forward(x: Tensor): Tensor {
      return pad(x, this.padding, mode);
    }
    override extraRepr(): string {
      return pyTuple(this.padding);
    }
  };
  Object.defineProperty(cls, "name", { value: name });
  return cls;
}

/**
 * Pads the last dim by reflection (the edge is not repeated).
 *
 * ```ts
 * new nn.ReflectionPad1d(2).call(x); // [N, C, L] -> [N, C, L + 4]
 * ```
 *
 * Shape: [N, C, L] or [C, L] -> L + left + right.
 */
export class ReflectionPad1d extends padLayer("ReflectionPad1d", "reflect", 1) {}
/**
 * Pads H and W by reflection. `new nn.ReflectionPad2d([1, 0, 2, 1])` is left, right, top, bottom.
 *
 * ```ts
 * new nn.ReflectionPad2d(1).call(img); // [N, C, H, W] -> [N, C, H + 2, W + 2]
 * ```
 *
 * Shape: [N, C, H, W] or [C, H, W].
 */
export class ReflectionPad2d extends padLayer("ReflectionPad2d", "reflect", 2) {}
/**
 * Pads D, H and W by reflection.
 *
 * ```ts
 * new nn.ReflectionPad3d(1).call(vol);
 * ```
 *
 * Shape: [N, C, D, H, W] or [C, D, H, W].
 */
export class ReflectionPad3d extends padLayer("ReflectionPad3d", "reflect", 3) {}
/**
 * Pads the last dim by repeating the edge value.
 *
 * ```ts
 * new nn.ReplicationPad1d(2).call(x);
 * ```
 *
 * Shape: [N, C, L] or [C, L].
 */
export class ReplicationPad1d extends padLayer("ReplicationPad1d", "replicate", 1) {}
/**
 * Pads H and W by repeating the edge values.
 *
 * ```ts
 * new nn.ReplicationPad2d(1).call(img);
 * ```
 *
 * Shape: [N, C, H, W] or [C, H, W].
 */
export class ReplicationPad2d extends padLayer("ReplicationPad2d", "replicate", 2) {}
/**
 * Pads D, H and W by repeating the edge values.
 *
 * ```ts
 * new nn.ReplicationPad3d(1).call(vol);
 * ```
 *
 * Shape: [N, C, D, H, W] or [C, D, H, W].
 */
export class ReplicationPad3d extends padLayer("ReplicationPad3d", "replicate", 3) {}
/**
 * Pads H and W with zeros (negative padding crops).
 *
 * ```ts
 * new nn.ZeroPad2d([1, 0, 2, 1]).call(img);
 * ```
 *
 * Shape: [*, H, W] -> [*, H + top + bottom, W + left + right].
 */
export class ZeroPad2d extends padLayer("ZeroPad2d", "constant", 2) {}

function constantPadLayer(name: string, dims: number): ConstantPadLayerClass {
  const cls = class extends Module {
    readonly padding: number[];
    readonly value: number;
    constructor(padding: number | readonly number[], value: number) {
      super();
      this.padding = padTuple(name, padding, dims);
      if (typeof value !== "number") throw new Error(`${name}: value (the fill) is required and must be a number, got ${describe(value)}`);
      this.value = value;
    }
    forward(x: Tensor): Tensor {
      return pad(x, this.padding, "constant", this.value);
    }
    override extraRepr(): string {
      return `padding=${pyTuple(this.padding)}, value=${pyFloat(this.value)}`;
    }
  };
  Object.defineProperty(cls, "name", { value: name });
  return cls;
}

/**
 * Pads the last dim with a constant.
 *
 * ```ts
 * new nn.ConstantPad1d(2, 3.5).call(x);
 * ```
 *
 * Shape: [*, L] -> [*, L + left + right].
 */
export class ConstantPad1d extends constantPadLayer("ConstantPad1d", 1) {}
/**
 * Pads H and W with a constant.
 *
 * ```ts
 * new nn.ConstantPad2d([1, 1, 2, 0], -1).call(img);
 * ```
 *
 * Shape: [*, H, W] -> padded.
 */
export class ConstantPad2d extends constantPadLayer("ConstantPad2d", 2) {}
/**
 * Pads D, H and W with a constant.
 *
 * ```ts
 * new nn.ConstantPad3d(1, 0).call(vol);
 * ```
 *
 * Shape: [*, D, H, W] -> padded.
 */
export class ConstantPad3d extends constantPadLayer("ConstantPad3d", 3) {}

/**
 * Moves channel blocks into space: [*, C·r², H, W] -> [*, C, H·r, W·r] (sub-pixel upsampling).
 *
 * ```ts
 * new nn.PixelShuffle(2).call(x); // [N, 16, 8, 8] -> [N, 4, 16, 16]
 * ```
 */
export class PixelShuffle extends Module {
  constructor(readonly upscaleFactor: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return pixelShuffle(x, this.upscaleFactor);
  }
  override extraRepr(): string {
    return `upscale_factor=${this.upscaleFactor}`;
  }
}

/**
 * The inverse of PixelShuffle: [*, C, H·r, W·r] -> [*, C·r², H, W].
 *
 * ```ts
 * new nn.PixelUnshuffle(2).call(x);
 * ```
 */
export class PixelUnshuffle extends Module {
  constructor(readonly downscaleFactor: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return pixelUnshuffle(x, this.downscaleFactor);
  }
  override extraRepr(): string {
    return `downscale_factor=${this.downscaleFactor}`;
  }
}

type Pair = number | readonly [number, number];
const UNFOLD_POSITIONAL = ["dilation", "padding", "stride"] as const;
const pyPair = (v: Pair): string => (typeof v === "number" ? String(v) : pyTuple(v));

/**
 * Extracts sliding blocks as columns (im2col).
 *
 * ```ts
 * new nn.Unfold(3, { padding: 1 }).call(img); // [N, C, H, W] -> [N, C·9, H·W]
 * ```
 *
 * Shape: [N, C, H, W] -> [N, C·kh·kw, L]. Positional after kernelSize: dilation, padding, stride.
 */
export class Unfold extends Module {
  readonly kernelSize: Pair;
  readonly dilation: Pair;
  readonly padding: Pair;
  readonly stride: Pair;
  constructor(kernelSize: Pair, ...args: PositionalArgs<[dilation: Pair, padding: Pair, stride: Pair], UnfoldOptions>) {
    super();
    const o = positionalOptions<UnfoldOptions>("Unfold", [...UNFOLD_POSITIONAL], args, UNFOLD_KEYS);
    this.kernelSize = kernelSize;
    this.dilation = o.dilation ?? 1;
    this.padding = o.padding ?? 0;
    this.stride = o.stride ?? 1;
  }
  forward(x: Tensor): Tensor {
    return unfold(x, this.kernelSize, { dilation: this.dilation, padding: this.padding, stride: this.stride });
  }
  override extraRepr(): string {
    return `kernel_size=${pyPair(this.kernelSize)}, dilation=${pyPair(this.dilation)}, padding=${pyPair(this.padding)}, stride=${pyPair(this.stride)}`;
  }
}

/**
 * Sums columns back into an image (col2im, the adjoint of Unfold).
 *
 * ```ts
 * new nn.Fold([4, 5], 2).call(cols); // [N, C·4, 12] -> [N, C, 4, 5]
 * ```
 *
 * Shape: [N, C·kh·kw, L] -> [N, C, H, W]. Positional after kernelSize: dilation, padding, stride.
 */
export class Fold extends Module {
  readonly outputSize: Pair;
  readonly kernelSize: Pair;
  readonly dilation: Pair;
  readonly padding: Pair;
  readonly stride: Pair;
  constructor(outputSize: Pair, kernelSize: Pair, ...args: PositionalArgs<[dilation: Pair, padding: Pair, stride: Pair], UnfoldOptions>) {
    super();
    const o = positionalOptions<UnfoldOptions>("Fold", [...UNFOLD_POSITIONAL], args, FOLD_KEYS);
    this.outputSize = outputSize;
    this.kernelSize = kernelSize;
    this.dilation = o.dilation ?? 1;
    this.padding = o.padding ?? 0;
    this.stride = o.stride ?? 1;
  }
  forward(x: Tensor): Tensor {
    return fold(x, this.outputSize, this.kernelSize, { dilation: this.dilation, padding: this.padding, stride: this.stride });
  }
  override extraRepr(): string {
    return `output_size=${pyPair(this.outputSize)}, kernel_size=${pyPair(this.kernelSize)}, dilation=${pyPair(this.dilation)}, padding=${pyPair(this.padding)}, stride=${pyPair(this.stride)}`;
  }
}
