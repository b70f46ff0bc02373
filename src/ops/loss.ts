/**
 * Losses that pay for a fused kernel: cross-entropy on logits computes logsumexp and picks the
 * target's logit in one pass, and its gradient softmax − one-hot in one pass back, where the
 * composition logSoftmax → gather → neg runs three kernels forward and four back. nn's crossEntropy
 * uses it for its common case (class indices, no class weights, no label smoothing).
 */
import { Tensor } from "../tensor/tensor.js";
import { fmt } from "../tensor/shape.js";
import { isFloating, isIndexDtype } from "../tensor/dtype.js";
import { apply, backend, defineOp, type OpDef } from "./op.js";
import { mul, ne, sub } from "./elementwise.js";
import { softmax, sum } from "./reduce.js";
import { oneHot } from "./indexing.js";
import { to, unsqueeze } from "./shape.js";
import { where } from "./elementwise.js";

interface CeAttrs {
  ignoreIndex: number;
}

const ceOp: OpDef<CeAttrs> = defineOp<CeAttrs>({
  name: "softmaxCrossEntropy",
  forward([x, t], a) {
    const out = Tensor.empty([x.shape[0]], x.dtype);
    backend().crossEntropy(x.view_(), t.view_(), a.ignoreIndex, out.view_());
    return out;
  },
  backward: (g, { inputs: [x, t], attrs }) => [apply(ceBackwardOp, [x, t, g], attrs), null],
});

/** g[i]·(softmax(x[i]) − onehot(t[i])), zero on ignored rows; its own gradient is written in Tensor ops. */
const ceBackwardOp: OpDef<CeAttrs> = defineOp<CeAttrs>({
  name: "softmaxCrossEntropyBackward",
  forward([x, t, g], a) {
    const out = Tensor.empty(x.shape, x.dtype);
    backend().crossEntropyBackward(x.view_(), t.view_(), g.view_(), a.ignoreIndex, out.view_());
    return out;
  },
  backward: (G, { inputs: [x, t, g], needsInputGrad: [needX, , needG], attrs }) => {
    const keep = ne(t, attrs.ignoreIndex);
    const m = unsqueeze(to(keep, x.dtype), 1);
    const p = softmax(x, 1);
    const gp = sum(mul(G, p), 1, true);
    // d/dx of g·m·softmax(x): g·m·p ⊙ (G − Σ_c G·p); d/dg: m·Σ_c G·(p − onehot).
    const gx = needX ? mul(mul(unsqueeze(g, 1), m), mul(p, sub(G, gp))) : null;
    const onehot = to(oneHot(where(keep, t, 0), x.shape[1]), x.dtype);
    const gg = needG ? sum(mul(mul(G, sub(p, onehot)), m), 1) : null;
    return [gx, null, gg];
  },
});

/**
 * `softmaxCrossEntropy(logits, labels)`: the per-sample cross-entropy −log softmax(x[i])[t[i]] of
 * logits [N,C] against int32 class indices [N], one fused op each way; rows whose label equals
 * `ignoreIndex` give 0. `nn.functional.crossEntropy` reduces it (mean over the kept rows by default).
 *
 * ```ts
 * const perSample = softmaxCrossEntropy(model.call(x), y);   // [N]
 * ```
 */
export function softmaxCrossEntropy(logits: Tensor, target: Tensor, ignoreIndex = -100): Tensor {
  const op = "softmaxCrossEntropy";
  if (logits.ndim !== 2 || !isFloating(logits.dtype)) {
    throw new Error(`${op}: logits must be a floating-point [N,C] tensor, got ${logits.dtype} ${fmt(logits.shape)}`);
  }
  const [N, C] = logits.shape;
  if (!isIndexDtype(target.dtype) || target.ndim !== 1 || target.shape[0] !== N) {
    throw new Error(`${op}: target must be int64 (or int32) class indices of shape [${N}], got ${target.dtype} ${fmt(target.shape)}`);
  }
  const ids = target.numbers();
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i];
    if (v !== ignoreIndex && (v < 0 || v >= C)) {
      throw new RangeError(`${op}: target class index ${v} is out of range for ${C} classes (valid: 0..${C - 1}, or ignoreIndex ${ignoreIndex})`);
    }
  }
  return apply(ceOp, [logits, target], { ignoreIndex });
}
