/**
 * Fused ops: one op, one kernel call and one backward rule for a chain of ops that models use
 * together, so the intermediate results never make a round trip through memory (DESIGN.md "Fused
 * ops are ops"). Each must equal the composition it replaces; test/ops-fused.test.ts checks that.
 */
import { checkKeys } from "../tensor/check.js";
import { Tensor } from "../tensor/tensor.js";
import type { PoolParams } from "../backend/backend.js";
import { type OpDef, apply, backend, defineOp } from "./op.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { CONV2D_KEYS, type Conv2dOptions, type ConvAttrs, convInputGradOp, convWeightGradOp, prepareConv2d } from "./conv.js";
import { type Pair, type Pool2dOptions, maxUnpoolOp, poolParams } from "./pool.js";
import { le, where } from "./elementwise.js";
import { squeeze, to } from "./shape.js";
import { sum } from "./reduce.js";
import { recycleArray } from "../tensor/recycle.js";

interface ConvReluPoolAttrs extends ConvAttrs {
  /** Max-pool parameters, or null for conv + bias + ReLU alone. */
  pool: PoolParams | null;
  /** The conv's output shape [N,O,oH,oW] (outShape is the pooled one when pooling). */
  convShape: readonly number[];
}

/**
 * Where each pooled max came from (maxPool2d's indices, int32), per recorded call, keyed by its attrs.
 * Kept here rather than in the attrs, which the node exposes (`y.gradFn.attrs`) and op tracers see,
 * so that nothing but this op's backward can reach them: then after a backward that recorded no
 * graph they are dead, and releaseSaved gives their memory (an int32 the size of the pooled output,
 * 800 KB per step in the MNIST CNN's first layer) to the recycling pool. `shared`: a createGraph
 * backward handed them to maxUnpool's node, which may outlive this one, so they are never recycled.
 */
const poolIndices = new WeakMap<ConvReluPoolAttrs, { indices: Tensor; shared: boolean }>();

function savedIndices(a: ConvReluPoolAttrs): { indices: Tensor; shared: boolean } {
  const s = poolIndices.get(a);
  if (!s) throw new Error("internal error: conv2dRelu's pool indices are gone although its node was not freed");
  return s;
}

/** Inputs [x, w] or [x, w, bias]; output relu(conv2d(x, w) + bias), max-pooled when attrs.pool is set. */
const conv2dReluPoolOp: OpDef<ConvReluPoolAttrs> = defineOp<ConvReluPoolAttrs>({
  name: "conv2dRelu",
  forward([x, w, bias], a) {
    // The backends write every value and position (Backend.conv2dReluPool): no zero-fill (Tensor.uninit).
    const out = Tensor.uninit(a.outShape, x.dtype);
    // The pool's indices only feed the backward: not made when this call will not be recorded
    // (inference, noGrad), which saves an int32 tensor the size of the output and its copy.
    const recorded = isGradEnabled() && (x.requiresGrad || w.requiresGrad || (bias?.requiresGrad ?? false));
    const indices = a.pool && recorded ? Tensor.uninit(a.outShape, "int32") : null;
    backend().conv2dReluPool(x.view_(), w.view_(), bias ? bias.view_() : null, out.view_(), indices ? indices.view_() : null, a.p, a.pool, a.convShape);
    if (indices) poolIndices.set(a, { indices, shared: false });
    return out;
  },
  // ReLU's backward on the pooled output (a pooled value is the ReLU of the conv output at its
  // argmax, so it passes the gradient exactly where ReLU does), then the bias gradient from that:
  // routing to the argmax moves each value without changing a plane's sum, and the pooled tensor is a
  // quarter of the conv-sized one.
  backward: (g, { inputs, output, needsInputGrad: [nx, nw, nb], attrs }) => {
    const [x, w] = inputs;
    if (!isGradEnabled()) {
      // No graph to record (no createGraph): one backend call, which may keep the intermediate
      // gradients in its own memory.
      const gx = nx ? Tensor.uninit(x.shape, x.dtype) : null, gw = nw ? Tensor.empty(w.shape, w.dtype) : null;
      const gb = nb ? Tensor.empty([w.shape[0]], x.dtype) : null;
      const gc = g.dtype === x.dtype ? g : to(g, x.dtype);
      backend().conv2dReluPoolBackward(
        gc.view_(), output.view_(), attrs.pool ? savedIndices(attrs).indices.view_() : null, x.view_(), w.view_(),
        gx?.view_() ?? null, gw?.view_() ?? null, gb?.view_() ?? null, attrs.p, attrs.convShape,
      );
      return [gx, gw, gb];
    }
    // As ReLU's backward: 0 where output <= 0, g elsewhere (a NaN output passes g).
    const gm = where(le(output, 0), 0, g);
    let gy = gm;
    if (attrs.pool) {
      const s = savedIndices(attrs);
      s.shared = true;
      gy = apply(maxUnpoolOp, [gm], { indices: s.indices, inShape: attrs.convShape });
    }
    const conv = { p: attrs.p };
    return [
      nx ? apply(convInputGradOp, [gy, w], { ...conv, outShape: x.shape }) : null,
      nw ? apply(convWeightGradOp, [x, gy], { ...conv, outShape: w.shape }) : null,
      nb ? sum(gm, [0, 2, 3]) : null,
    ];
  },
  // The bias's value is never read (its gradient is a sum): an inference bias is allowed, as in PyTorch.
  saves: [0, 1],
  releaseSaved: (attrs) => {
    const s = poolIndices.get(attrs);
    if (!s) return;
    poolIndices.delete(attrs);
    if (!s.shared) recycleArray(s.indices.storage.data);
  },
});

/**
 * A max-pool to fuse after the conv: `kernelSize` plus F.max_pool2d's keywords. countIncludePad and
 * divisorOverride (avg-pool's) are refused as maxPool2d refuses them; they were ignored before.
 */
export interface FusedMaxPool2d extends Omit<Pool2dOptions, "countIncludePad" | "divisorOverride"> {
  kernelSize: Pair;
}
const FUSED_POOL_KEYS = ["stride", "padding", "dilation", "ceilMode", "kernelSize"] as const;

/**
 * `conv2dRelu(x, w, b, {padding: 1}, {kernelSize: 2})`: relu(conv2d(x, w, b)), then maxPool2d when
 * `pool` is given, as one op (one kernel where the backend fuses it, one backward). nn.Sequential
 * calls it for Conv2d → ReLU (→ MaxPool2d), so PyTorch-style models get it without changes.
 * Shapes: those of conv2d, then maxPool2d.
 */
export function conv2dRelu(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: Conv2dOptions = {}, pool?: FusedMaxPool2d | null): Tensor {
  const op = "conv2dRelu";
  // Two options objects, so checked here rather than by the entry layer's trailing-object check.
  checkKeys(op, opts, CONV2D_KEYS);
  if (pool) checkKeys(op, pool, FUSED_POOL_KEYS);
  const { inputs, attrs, unbatched } = prepareConv2d(input, weight, bias, opts, op);
  let poolP: PoolParams | null = null;
  let outShape = attrs.outShape;
  if (pool) [poolP, outShape] = poolParams(attrs.outShape, pool.kernelSize, pool, op);
  const out = apply(conv2dReluPoolOp, inputs, { ...attrs, outShape, pool: poolP, convShape: attrs.outShape });
  return unbatched ? squeeze(out, 0) : out;
}
