/** 2-D max and average pooling (and adaptive average pooling) over [N,C,H,W]. */
import { declareOptions, optionKeys } from "../tensor/check.js";
import { Tensor } from "../tensor/tensor.js";
import { fmt } from "../tensor/shape.js";
import type { PoolParams } from "../backend/backend.js";
import { type OpDef, apply, backend, defineOp } from "./op.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { flatten, narrow, reshape, squeeze, to, unsqueeze } from "./shape.js";
import { stack } from "./join.js";
import { gather } from "./indexing.js";
import { mean } from "./reduce.js";
import { div, mul } from "./elementwise.js";
import { viaFloat32 } from "./half-compute.js";
import { castScalar } from "../tensor/dtype.js";
import { pair } from "./conv.js";

export type Pair = number | readonly [number, number];

export interface Pool2dOptions {
  /** Defaults to the kernel size, as in PyTorch. */
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  /** Round the output size up instead of down. */
  ceilMode?: boolean;
  /** AvgPool only: count padded zeros in the divisor (default true). */
  countIncludePad?: boolean;
  /** AvgPool only: divide every window's sum by this instead of its size (PyTorch's divisor_override). */
  divisorOverride?: number | null;
}

/** Pool2dOptions' keys, listed once and checked against the type by the compiler (optionKeys). */
export const POOL2D_KEYS = optionKeys<Pool2dOptions>()({ stride: true, padding: true, dilation: true, ceilMode: true, countIncludePad: true, divisorOverride: true });
// The entry layer (tensor/guard.ts) rejects any other key of these ops' options objects: each takes
// PyTorch's keywords for it (F.max_pool2d has no count_include_pad or divisor_override, which max-pool
// ignored before; F.avg_pool2d no dilation, kept here for its own message). returnIndices is taken to
// say where the indices come from.
const MAX_POOL2D_KEYS = ["stride", "padding", "dilation", "ceilMode", "returnIndices"] as const;
declareOptions({
  maxPool2d: MAX_POOL2D_KEYS, maxPool2dWithIndices: MAX_POOL2D_KEYS,
  avgPool2d: ["stride", "padding", "dilation", "ceilMode", "countIncludePad", "divisorOverride"],
});

/** Pooling parameters and output shape for an input of shape [N,C,H,W] (PyTorch's size rules). */
export function poolParams(shape: readonly number[], kernel: Pair, opts: Pool2dOptions, op: string): [PoolParams, number[]] {
  const k = pair(kernel, "kernelSize", op, 1);
  const stride = pair(opts.stride ?? k, "stride", op, 1);
  const padding = pair(opts.padding ?? 0, "padding", op);
  const dilation = pair(opts.dilation ?? 1, "dilation", op, 1);
  if (padding[0] > k[0] / 2 || padding[1] > k[1] / 2) throw new Error(`${op}: padding ${fmt(padding)} must be at most half the kernel size ${fmt(k)}`);
  const size = (n: number, i: 0 | 1): number => {
    const span = n + 2 * padding[i] - dilation[i] * (k[i] - 1) - 1;
    let o = (opts.ceilMode ? Math.ceil(span / stride[i]) : Math.floor(span / stride[i])) + 1;
    // In ceil mode the last window must start inside the input or left padding (PyTorch's rule).
    if (opts.ceilMode && (o - 1) * stride[i] >= n + padding[i]) o--;
    return o;
  };
  const [N, C, H, W] = shape;
  const oH = size(H, 0), oW = size(W, 1);
  if (oH < 1 || oW < 1) throw new Error(`${op}: input ${fmt(shape)} is too small for kernel ${fmt(k)}: output would be ${oH}x${oW}`);
  const p: PoolParams = { kernel: k, stride, padding, dilation, countIncludePad: opts.countIncludePad ?? true };
  return [p, [N, C, oH, oW]];
}

function poolShape(x: Tensor, kernel: Pair, opts: Pool2dOptions, op: string): [Tensor, boolean, PoolParams, number[]] {
  const unbatched = x.ndim === 3;
  const xb = unbatched ? unsqueeze(x, 0) : x;
  if (xb.ndim !== 4) throw new Error(`${op}: expected input [N,C,H,W] or [C,H,W], got ${fmt(x.shape)}`);
  const [p, outShape] = poolParams(xb.shape, kernel, opts, op);
  return [xb, unbatched, p, outShape];
}

interface MaxAttrs {
  p: PoolParams;
  outShape: number[];
  /** The caller reads the positions (maxPool2dWithIndices), recorded or not. */
  wantIndices?: boolean;
  indices?: Tensor;
}

const maxPoolOp: OpDef<MaxAttrs> = defineOp<MaxAttrs>({
  name: "maxPool2d",
  forward([x], a) {
    // The backends write every value and position (Backend.maxPool2d): no zero-fill (Tensor.uninit).
    const out = Tensor.uninit(a.outShape, x.dtype);
    // The positions only feed the backward (or maxPool2dWithIndices): not made when this call will not
    // be recorded (inference, noGrad), which saves an int32 tensor the size of the output, its copy
    // and, in the 2×2 kernel, finding them.
    const indices = a.wantIndices || (isGradEnabled() && x.requiresGrad) ? Tensor.uninit(a.outShape, "int32") : null;
    backend().maxPool2d(x.view_(), out.view_(), indices ? indices.view_() : null, a.p);
    if (indices) a.indices = indices;
    return out;
  },
  backward: (g, { inputShapes: [shape], attrs }) => [apply(maxUnpoolOp, [g], { indices: attrs.indices!, inShape: shape })],
});

/** Routes each output gradient to the input element that won its window. */
export const maxUnpoolOp: OpDef<{ indices: Tensor; inShape: readonly number[] }> = defineOp<{ indices: Tensor; inShape: readonly number[] }>({
  name: "maxPool2dBackward",
  forward([g], { indices, inShape }) {
    // Zeros and routed values, every element written by the backend (Backend.maxPool2dBackward).
    const out = Tensor.uninit(inShape, g.dtype);
    backend().maxPool2dBackward(g.view_(), indices.view_(), out.view_());
    return out;
  },
  backward: (gg, { attrs: { indices } }) => [reshape(gather(flatten(gg, 2), 2, flatten(indices, 2)), indices.shape)],
});

/**
 * `maxPool2d(x, 2)`: the max of each window. x [N,C,H,W] -> [N,C,oH,oW].
 * The flat h*W+w position of each max (PyTorch's return_indices, for maxUnpool) comes from
 * maxPool2dWithIndices.
 */
/** maxPool2d's options: PyTorch's F.max_pool2d keywords (no count_include_pad or divisor_override). */
export type MaxPool2dOptions = Omit<Pool2dOptions, "countIncludePad" | "divisorOverride"> & { returnIndices?: boolean };

export function maxPool2d(x: Tensor, kernelSize: Pair, opts: MaxPool2dOptions = {}): Tensor {
  if (opts.returnIndices) throw new Error("maxPool2d: returnIndices is not an option here; call maxPool2dWithIndices(x, kernelSize, opts) for { values, indices }");
  const [y, unbatched] = maxPoolRecorded(x, kernelSize, opts);
  return unbatched ? squeeze(y, 0) : y;
}

/** The recorded max-pool op: its values (still batched) and the attrs holding the kernel's int32 positions. */
function maxPoolRecorded(x: Tensor, kernelSize: Pair, opts: Pool2dOptions, wantIndices = false): [Tensor, boolean, MaxAttrs] {
  const [xb, unbatched, p, outShape] = poolShape(x, kernelSize, opts, "maxPool2d");
  const attrs: MaxAttrs = { p, outShape, wantIndices };
  return [apply(maxPoolOp, [xb], attrs), unbatched, attrs];
}

export function maxPool2dWithIndices(x: Tensor, kernelSize: Pair, opts: MaxPool2dOptions = {}): { values: Tensor; indices: Tensor } {
  const [y, unbatched, attrs] = maxPoolRecorded(x, kernelSize, opts, true);
  // The kernels keep int32 positions (the wasm kernel writes them); the caller gets PyTorch's int64.
  // Converted only here: maxPool2d's callers never see the positions and pay nothing for them.
  const indices = to(attrs.indices!, "int64");
  return unbatched ? { values: squeeze(y, 0), indices: squeeze(indices, 0) } : { values: y, indices };
}

interface AvgAttrs {
  p: PoolParams;
  outShape: readonly number[];
}

const avgPoolOp: OpDef<AvgAttrs> = defineOp<AvgAttrs>({
  name: "avgPool2d",
  forward([x], a) {
    const out = Tensor.empty(a.outShape, x.dtype);
    backend().avgPool2d(x.view_(), out.view_(), a.p);
    return out;
  },
  backward: (g, { inputShapes: [shape], attrs: { p } }) => [apply(avgUnpoolOp, [g], { p, outShape: shape })],
});

/** avgPool2d's gradient spreads each output gradient evenly over its window; it is linear, so its own gradient is avgPool2d. */
const avgUnpoolOp: OpDef<AvgAttrs> = defineOp<AvgAttrs>({
  name: "avgPool2dBackward",
  forward([g], a) {
    const out = Tensor.empty(a.outShape, g.dtype);
    backend().avgPool2dBackward(g.view_(), out.view_(), a.p);
    return out;
  },
  backward: (gg, { inputs: [g], attrs: { p } }) => [apply(avgPoolOp, [gg], { p, outShape: g.shape })],
});

/** `avgPool2d(x, 2)`: the mean of each window. x [N,C,H,W] -> [N,C,oH,oW]. */
export function avgPool2d(x: Tensor, kernelSize: Pair, opts: Pool2dOptions = {}): Tensor {
  if (opts.dilation !== undefined && pair(opts.dilation, "dilation", "avgPool2d", 1).some((d) => d !== 1)) {
    throw new Error(`avgPool2d: dilation is not supported (as in PyTorch), got ${JSON.stringify(opts.dilation)}`);
  }
  const [xb, unbatched, p, outShape] = poolShape(x, kernelSize, opts, "avgPool2d");
  const d = opts.divisorOverride;
  if (d !== undefined && d !== null) {
    if (!Number.isInteger(d) || d === 0) throw new Error(`avgPool2d: divisorOverride must be a non-zero integer, got ${d}`);
    // The window sums are the means over the elements inside the input times their count.
    // 16-bit inputs: in float32, rounded once (PyTorch's kernel divides the window sum by d directly).
    const y = viaFloat32((xx: Tensor) => div(mul(apply(avgPoolOp, [xx], { p: { ...p, countIncludePad: false }, outShape }), validCounts(xx.shape, p, outShape, xx.dtype)), d), xb);
    return unbatched ? squeeze(y, 0) : y;
  }
  const y = apply(avgPoolOp, [xb], { p, outShape });
  return unbatched ? squeeze(y, 0) : y;
}

/** How many elements of the input (not padding) each window covers, as an [oH, oW] tensor. */
function validCounts(shape: readonly number[], p: PoolParams, outShape: readonly number[], dtype: Tensor["dtype"]): Tensor {
  const [H, W] = shape.slice(2), [oH, oW] = outShape.slice(2);
  const span = (o: number, i: 0 | 1, n: number): number => {
    const start = o * p.stride[i] - p.padding[i];
    return Math.min(start + p.kernel[i], n) - Math.max(start, 0);
  };
  const out = Tensor.empty([oH, oW], dtype);
  // castScalar: a float16/bfloat16 storage holds bit patterns, not numbers.
  for (let i = 0; i < oH; i++) for (let j = 0; j < oW; j++) out.storage.data[i * oW + j] = castScalar(span(i, 0, H) * span(j, 1, W), dtype);
  return out;
}

/**
 * `adaptiveAvgPool2d(x, [1, 1])`: averages into a fixed output size. Window i along a dim of size n
 * spans [⌊i·n/o⌋, ⌈(i+1)·n/o⌉), as in PyTorch; evenly divisible sizes use one avgPool2d.
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: Pair): Tensor {
  const [oH, oW] = pair(outputSize, "outputSize", "adaptiveAvgPool2d", 1);
  if (x.ndim !== 3 && x.ndim !== 4) throw new Error(`adaptiveAvgPool2d: expected input [N,C,H,W] or [C,H,W], got ${fmt(x.shape)}`);
  const H = x.shape[x.ndim - 2], W = x.shape[x.ndim - 1];
  if (H % oH === 0 && W % oW === 0) return avgPool2d(x, [H / oH, W / oW]);
  const hd = x.ndim - 2, wd = x.ndim - 1;
  const rows = Array.from({ length: oH }, (_, i) => {
    const h0 = Math.floor((i * H) / oH), h1 = Math.ceil(((i + 1) * H) / oH);
    const band = narrow(x, hd, h0, h1 - h0);
    const cells = Array.from({ length: oW }, (_, j) => {
      const w0 = Math.floor((j * W) / oW), w1 = Math.ceil(((j + 1) * W) / oW);
      return mean(narrow(band, wd, w0, w1 - w0), [hd, wd]);
    });
    return stack(cells, -1);
  });
  return stack(rows, -2);
}
