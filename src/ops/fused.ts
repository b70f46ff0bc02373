/**
 * Fused ops: one op, one kernel call and one backward rule for a chain of ops that models use
 * together, so the intermediate results never make a round trip through memory (DESIGN.md "Fused
 * ops are ops"). Each must equal the composition it replaces; test/ops-fused.test.ts checks that.
 */
import { Tensor } from "../tensor/tensor.js";
import type { PoolParams } from "../backend/backend.js";
import { type OpDef, apply, backend, defineOp } from "./op.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { type Conv2dOptions, type ConvAttrs, convInputGradOp, convWeightGradOp, prepareConv2d } from "./conv.js";
import { type Pair, type Pool2dOptions, maxUnpoolOp, poolParams } from "./pool.js";
import { gt, where } from "./elementwise.js";
import { squeeze } from "./shape.js";
import { sum } from "./reduce.js";

interface ConvReluPoolAttrs extends ConvAttrs {
  /** Max-pool parameters, or null for conv + bias + ReLU alone. */
  pool: PoolParams | null;
  /** The conv's output shape [N,O,oH,oW] (outShape is the pooled one when pooling). */
  convShape: readonly number[];
  /** Set by forward when pooling: where each max came from, as maxPool2d's indices. */
  indices?: Tensor;
}

/** Inputs [x, w] or [x, w, bias]; output relu(conv2d(x, w) + bias), max-pooled when attrs.pool is set. */
const conv2dReluPoolOp: OpDef<ConvReluPoolAttrs> = defineOp<ConvReluPoolAttrs>({
  name: "conv2dRelu",
  forward([x, w, bias], a) {
    const out = Tensor.empty(a.outShape, x.dtype);
    const indices = a.pool ? Tensor.empty(a.outShape, "int32") : null;
    backend().conv2dReluPool(x.view_(), w.view_(), bias ? bias.view_() : null, out.view_(), indices ? indices.view_() : null, a.p, a.pool, a.convShape);
    if (indices) a.indices = indices;
    return out;
  },
  // ReLU's gradient mask is read off the (pooled) output: a pooled value is the ReLU of the conv
  // output at its argmax, so out > 0 is exactly where ReLU passes the gradient through.
  // The bias gradient is summed from the pooled gradient: routing to the argmax moves each value
  // without changing a plane's sum, and the pooled tensor is a quarter of the conv-sized one.
  backward: (g, { inputs, output, needsInputGrad: [nx, nw, nb], attrs }) => {
    const gm = where(gt(output, 0), g, 0);
    const gb = nb ? sum(gm, [0, 2, 3]) : null;
    const [x, w] = inputs;
    if (!isGradEnabled()) {
      // No graph to record (no createGraph): one backend call, which may keep the conv-sized
      // gradient in its own memory for both conv gradients.
      const gx = nx ? Tensor.empty(x.shape, x.dtype) : null, gw = nw ? Tensor.empty(w.shape, w.dtype) : null;
      backend().conv2dReluPoolBackward(gm.view_(), attrs.pool ? attrs.indices!.view_() : null, x.view_(), w.view_(), gx?.view_() ?? null, gw?.view_() ?? null, attrs.p, attrs.convShape);
      return [gx, gw, gb];
    }
    const gy = attrs.pool ? apply(maxUnpoolOp, [gm], { indices: attrs.indices!, inShape: attrs.convShape }) : gm;
    const conv = { p: attrs.p };
    return [
      nx ? apply(convInputGradOp, [gy, w], { ...conv, outShape: x.shape }) : null,
      nw ? apply(convWeightGradOp, [x, gy], { ...conv, outShape: w.shape }) : null,
      gb,
    ];
  },
});

/** A max-pool to fuse after the conv: `kernelSize` plus maxPool2d's options. */
export interface FusedMaxPool2d extends Pool2dOptions {
  kernelSize: Pair;
}

/**
 * `conv2dRelu(x, w, b, {padding: 1}, {kernelSize: 2})`: relu(conv2d(x, w, b)), then maxPool2d when
 * `pool` is given, as one op (one kernel where the backend fuses it, one backward). nn.Sequential
 * calls it for Conv2d → ReLU (→ MaxPool2d), so PyTorch-style models get it without changes.
 * Shapes: those of conv2d, then maxPool2d.
 */
export function conv2dRelu(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: Conv2dOptions = {}, pool?: FusedMaxPool2d | null): Tensor {
  const op = "conv2dRelu";
  const { inputs, attrs, unbatched } = prepareConv2d(input, weight, bias, opts, op);
  let poolP: PoolParams | null = null;
  let outShape = attrs.outShape;
  if (pool) [poolP, outShape] = poolParams(attrs.outShape, pool.kernelSize, pool, op);
  const out = apply(conv2dReluPoolOp, inputs, { ...attrs, outShape, pool: poolP, convShape: attrs.outShape });
  return unbatched ? squeeze(out, 0) : out;
}
