/**
 * 2-D convolution and its two gradients as three ops whose backward rules are each other, so
 * higher-order gradients work and transposed convolution is the input-gradient op run forward.
 */
import { declareOptionalArgs, declareOptions } from "../tensor/check.js";
import { Tensor } from "../tensor/tensor.js";
import { fmt } from "../tensor/shape.js";
import { isFloating } from "../tensor/dtype.js";
import type { ConvParams } from "../backend/backend.js";
import { type OpDef, apply, backend, defineOp } from "./op.js";
import { reshape, squeeze, to, unsqueeze } from "./shape.js";
import { pad } from "./join.js";
import { add } from "./elementwise.js";
import { sum } from "./reduce.js";

/** Option keys: anything else is a misspelling (checkKeys). */
export const CONV2D_KEYS = ["stride", "padding", "dilation", "groups"] as const;

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const CONV_TRANSPOSE2D_KEYS = ["stride", "padding", "outputPadding", "dilation", "groups"] as const;
const CONV1D_KEYS = ["stride", "padding", "dilation", "groups"] as const;
// The entry layer (tensor/guard.ts) rejects any other key of these ops' options objects.
declareOptions({ conv2d: CONV2D_KEYS, conv1d: CONV1D_KEYS, convTranspose2d: CONV_TRANSPOSE2D_KEYS });
// bias is optional, so it may come in the options object too (API.md rule 3): `conv2d(x, w, { stride: 2 })`
// read the object as the bias and failed inside; `conv2d(x, w, { bias: b, padding: 1 })` is
// `conv2d(x, w, b, { padding: 1 })`. The declaration's type gives the exported functions those forms.
const OPTIONAL_ARGS = declareOptionalArgs({
  conv2d: { first: 2, names: ["bias"], bag: CONV2D_KEYS }, conv1d: { first: 2, names: ["bias"], bag: CONV1D_KEYS },
  convTranspose2d: { first: 2, names: ["bias"], bag: CONV_TRANSPOSE2D_KEYS },
});
export type ConvOptionalArgs = typeof OPTIONAL_ARGS;

type Pair = number | readonly [number, number];

export interface Conv2dOptions {
  stride?: Pair;
  /** Zero padding per side, or "same" (stride 1: output size = input size) / "valid" (none). */
  padding?: Pair | "same" | "valid";
  dilation?: Pair;
  groups?: number;
}

export interface ConvTranspose2dOptions {
  stride?: Pair;
  padding?: Pair;
  outputPadding?: Pair;
  dilation?: Pair;
  groups?: number;
}

export function pair(v: Pair, name: string, op: string, min = 0): [number, number] {
  // A one-element list means the same value for both dims, as PyTorch's _pair.
  const p: [number, number] = typeof v === "number" ? [v, v] : (v as readonly number[]).length === 1 ? [v[0], v[0]] : [v[0], v[1]];
  if (p.some((x) => !Number.isInteger(x) || x < min)) throw new Error(`${op}: ${name} must be integer(s) >= ${min}, got ${JSON.stringify(v)}`);
  return p;
}

export interface ConvAttrs {
  p: ConvParams;
  /** Shape of the tensor the op produces (needed by the gradient ops, whose size is ambiguous). */
  outShape: readonly number[];
}

/** Inputs [x, w] or [x, w, bias]: the bias is added in the kernel's epilogue rather than in a second pass. */
const conv2dOp: OpDef<ConvAttrs> = defineOp<ConvAttrs>({
  name: "conv2d",
  forward([x, w, bias], { p, outShape }) {
    // Every backend's conv2d writes each element of out (the contract): no zero-fill (Tensor.uninit).
    const out = Tensor.uninit(outShape, x.dtype);
    backend().conv2d(x.view_(), w.view_(), bias ? bias.view_() : null, out.view_(), p);
    return out;
  },
  backward: (g, { inputs, inputShapes: [xs, ws], needsInputGrad: [nx, nw, nb], attrs: { p } }) => [
    nx ? apply(convInputGradOp, [g, inputs[1]], { p, outShape: xs }) : null,
    nw ? apply(convWeightGradOp, [inputs[0], g], { p, outShape: ws }) : null,
    nb ? sum(g, [0, 2, 3]) : null,
  ],
  // The bias's value is never read (its gradient is a sum of g): an inference bias is allowed, as in PyTorch.
  saves: [0, 1],
});

/** gx = conv2d's gradient wrt its input, from (gy, w). Linear in both, so its own rules are convs. */
export const convInputGradOp: OpDef<ConvAttrs> = defineOp<ConvAttrs>({
  name: "convTranspose2d",
  forward([gy, w], { p, outShape }) {
    const out = Tensor.uninit(outShape, gy.dtype);
    backend().conv2dBackwardInput(gy.view_(), w.view_(), out.view_(), p);
    return out;
  },
  backward: (gg, { inputs, inputShapes: [gys, ws], needsInputGrad: [ngy, nw], attrs: { p } }) => [
    ngy ? apply(conv2dOp, [gg, inputs[1]], { p, outShape: gys }) : null,
    nw ? apply(convWeightGradOp, [gg, inputs[0]], { p, outShape: ws }) : null,
  ],
});

/** gw = conv2d's gradient wrt its weight, from (x, gy). */
export const convWeightGradOp: OpDef<ConvAttrs> = defineOp<ConvAttrs>({
  name: "conv2dWeightGrad",
  forward([x, gy], { p, outShape }) {
    const out = Tensor.empty(outShape, x.dtype);
    backend().conv2dBackwardWeight(x.view_(), gy.view_(), out.view_(), p);
    return out;
  },
  backward: (gg, { inputs, inputShapes: [xs, gys], needsInputGrad: [nx, ngy], attrs: { p } }) => [
    nx ? apply(convInputGradOp, [inputs[1], gg], { p, outShape: xs }) : null,
    ngy ? apply(conv2dOp, [inputs[0], gg], { p, outShape: gys }) : null,
  ],
});

function checkBias(bias: Tensor | null | undefined, channels: number, op: string): void {
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== channels)) throw new Error(`${op}: bias must have shape [${channels}], got ${fmt(bias.shape)}`);
}

function addBias(y: Tensor, bias: Tensor | null | undefined, channels: number, op: string): Tensor {
  checkBias(bias, channels, op);
  return bias ? add(y, reshape(bias, [1, channels, 1, 1])) : y;
}

/** Accepts [N,C,H,W] or an unbatched [C,H,W] (returned unbatched). */
function batched(x: Tensor, op: string): [Tensor, boolean] {
  if (!isFloating(x.dtype)) {
    throw new Error(`${op}: input must be a float tensor, got ${x.dtype} (convert it first, e.g. x.float()); PyTorch rejects integer input too`);
  }
  if (x.ndim === 3) return [unsqueeze(x, 0), true];
  if (x.ndim !== 4) throw new Error(`${op}: expected input [N,C,H,W] or [C,H,W], got ${fmt(x.shape)}`);
  return [x, false];
}

/** conv2d's checked arguments: the (possibly bottom/right-padded) batched input, the op inputs and attributes. */
export interface ConvPrep {
  inputs: Tensor[];
  attrs: ConvAttrs;
  unbatched: boolean;
}

/** Validates conv2d's arguments (shared with the fused conv2dRelu) and returns what the op takes. */
export function prepareConv2d(input: Tensor, weight: Tensor, bias: Tensor | null | undefined, opts: Conv2dOptions, op: string): ConvPrep {
  const [x, unbatched] = batched(input, op);
  if (weight.ndim !== 4) throw new Error(`${op}: weight must be [outChannels, inChannels/groups, kH, kW], got ${fmt(weight.shape)}`);
  const groups = opts.groups ?? 1;
  const [N, C, H, W] = x.shape;
  const [O, Cg, kH, kW] = weight.shape;
  if (!Number.isInteger(groups) || groups < 1 || C % groups !== 0 || O % groups !== 0) {
    throw new Error(`${op}: groups (${groups}) must divide both input channels (${C}) and output channels (${O})`);
  }
  if (Cg * groups !== C) {
    throw new Error(`${op}: input ${fmt(x.shape)} has ${C} channels, but weight ${fmt(weight.shape)} expects ${Cg * groups} (inChannels/groups = ${Cg}, groups = ${groups})`);
  }
  const stride = pair(opts.stride ?? 1, "stride", op, 1);
  const dilation = pair(opts.dilation ?? 1, "dilation", op, 1);
  let padding: [number, number];
  let xin = x;
  if (opts.padding === "same") {
    if (stride[0] !== 1 || stride[1] !== 1) throw new Error(`${op}: padding "same" needs stride 1, got ${fmt(stride)}`);
    const total = [dilation[0] * (kH - 1), dilation[1] * (kW - 1)];
    padding = [Math.floor(total[0] / 2), Math.floor(total[1] / 2)];
    // Odd totals put the extra row/column at the bottom/right, as PyTorch does.
    if (total[0] % 2 || total[1] % 2) xin = pad(x, [0, total[1] % 2, 0, total[0] % 2]);
  } else {
    padding = opts.padding === "valid" || opts.padding === undefined ? [0, 0] : pair(opts.padding, "padding", op);
  }
  const Hin = xin.shape[2], Win = xin.shape[3];
  const oH = Math.floor((Hin + 2 * padding[0] - dilation[0] * (kH - 1) - 1) / stride[0]) + 1;
  const oW = Math.floor((Win + 2 * padding[1] - dilation[1] * (kW - 1) - 1) / stride[1]) + 1;
  if (oH < 1 || oW < 1) {
    throw new Error(`${op}: input ${fmt([N, C, H, W])} is too small for kernel ${kH}x${kW} with padding ${fmt(padding)}, dilation ${fmt(dilation)}: output would be ${oH}x${oW}`);
  }
  const dtype = x.dtype;
  checkBias(bias, O, op);
  const inputs = bias ? [xin, to(weight, dtype), to(bias, dtype)] : [xin, to(weight, dtype)];
  return { inputs, attrs: { p: { stride, padding, dilation, groups }, outShape: [N, O, oH, oW] }, unbatched };
}

/**
 * `conv2d(x, w, b, {padding: 1})`: cross-correlation as in PyTorch.
 * x [N,C,H,W], w [O,C/groups,kH,kW], b [O] -> [N,O,oH,oW], oH = ⌊(H + 2p - d(k-1) - 1)/s⌋ + 1.
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  const { inputs, attrs, unbatched } = prepareConv2d(input, weight, bias, opts, "conv2d");
  const out = apply(conv2dOp, inputs, attrs);
  return unbatched ? squeeze(out, 0) : out;
}

/** `conv1d(x, w)`: x [N,C,L], w [O,C/groups,k] — computed as a conv2d of height 1. */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: { stride?: number; padding?: number | "same" | "valid"; dilation?: number; groups?: number } = {}): Tensor {
  const unbatched = input.ndim === 2;
  const x = unbatched ? unsqueeze(input, 0) : input;
  if (x.ndim !== 3) throw new Error(`conv1d: expected input [N,C,L] or [C,L], got ${fmt(input.shape)}`);
  if (weight.ndim !== 3) throw new Error(`conv1d: weight must be [outChannels, inChannels/groups, k], got ${fmt(weight.shape)}`);
  const padding = typeof opts.padding === "number" ? ([0, opts.padding] as const) : opts.padding;
  const y = conv2d(unsqueeze(x, 2), unsqueeze(weight, 2), bias, {
    stride: [1, opts.stride ?? 1], dilation: [1, opts.dilation ?? 1], groups: opts.groups, padding,
  });
  const out = squeeze(y, 2);
  return unbatched ? squeeze(out, 0) : out;
}

/**
 * `convTranspose2d(x, w, b, {stride: 2})`: the gradient of conv2d run forward (learned upsampling).
 * x [N,Cin,H,W], w [Cin,Cout/groups,kH,kW] -> [N,Cout,oH,oW], oH = (H-1)s - 2p + d(k-1) + outputPadding + 1.
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvTranspose2dOptions = {}): Tensor {
  const op = "convTranspose2d";
  const [x, unbatched] = batched(input, op);
  if (weight.ndim !== 4) throw new Error(`${op}: weight must be [inChannels, outChannels/groups, kH, kW], got ${fmt(weight.shape)}`);
  const groups = opts.groups ?? 1;
  const [N, C, H, W] = x.shape;
  const [Cin, Cog, kH, kW] = weight.shape;
  if (Cin !== C) throw new Error(`${op}: input ${fmt(x.shape)} has ${C} channels, but weight ${fmt(weight.shape)} expects ${Cin}`);
  if (!Number.isInteger(groups) || groups < 1 || C % groups !== 0) throw new Error(`${op}: groups (${groups}) must divide the input channels (${C})`);
  const stride = pair(opts.stride ?? 1, "stride", op, 1);
  const padding = pair(opts.padding ?? 0, "padding", op);
  const dilation = pair(opts.dilation ?? 1, "dilation", op, 1);
  const outputPadding = pair(opts.outputPadding ?? 0, "outputPadding", op);
  if (outputPadding[0] >= Math.max(stride[0], dilation[0]) || outputPadding[1] >= Math.max(stride[1], dilation[1])) {
    throw new Error(`${op}: outputPadding ${fmt(outputPadding)} must be smaller than stride ${fmt(stride)} or dilation ${fmt(dilation)}`);
  }
  const O = Cog * groups;
  const oH = (H - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kH - 1) + outputPadding[0] + 1;
  const oW = (W - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kW - 1) + outputPadding[1] + 1;
  if (oH < 1 || oW < 1) throw new Error(`${op}: the output size would be ${oH}x${oW} for input ${fmt(x.shape)}; reduce padding`);
  const y = apply(convInputGradOp, [x, to(weight, x.dtype)], { p: { stride, padding, dilation, groups }, outShape: [N, O, oH, oW] });
  const out = addBias(y, bias && to(bias, x.dtype), O, op);
  return unbatched ? squeeze(out, 0) : out;
}
