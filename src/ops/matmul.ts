/** Matrix products with PyTorch's rules: 1-D, 2-D and batched (broadcast batch dims). */
import { Tensor } from "../tensor/tensor.js";
import { promoteTypes } from "../tensor/dtype.js";
import { broadcastShapes, fmt } from "../tensor/shape.js";
import { type OpDef, apply, backend, defineOp, installMethods } from "./op.js";
import { expand, reshape, squeeze, to, transpose, unsqueeze } from "./shape.js";
import { add, le, mul, relu, where } from "./elementwise.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { sum } from "./reduce.js";
import { declareOptionalArgs } from "../tensor/check.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `x.matmul(w)`: matrix product with broadcasting of batch dims (PyTorch's torch.matmul). */
    matmul(other: Tensor): Tensor;
    /** 2-D matrix product. */
    mm(other: Tensor): Tensor;
    /** Batched product of [B,M,K] and [B,K,N]. */
    bmm(other: Tensor): Tensor;
    /** Inner product of two 1-D tensors. */
    dot(other: Tensor): Tensor;
    /** Outer product of two 1-D tensors. */
    outer(other: Tensor): Tensor;
    /** Transpose of the last two dims. */
    readonly mT: Tensor;
  }
}

const mT = (x: Tensor): Tensor => transpose(x, -1, -2);

/** [B,M,K] · [B,K,N]; the kernel reads transposed and broadcast operands through their strides. */
const bmmOp: OpDef<undefined> = defineOp<undefined>({
  name: "matmul",
  forward([a, b]) {
    const out = Tensor.empty([a.shape[0], a.shape[1], b.shape[2]], a.dtype);
    backend().matmul(a.view_(), b.view_(), out.view_());
    return out;
  },
  backward: (g, { inputs, needsInputGrad: [needA, needB] }) => [
    needA ? apply(bmmOp, [g, mT(inputs[1])], undefined) : null,
    needB ? apply(bmmOp, [mT(inputs[0]), g], undefined) : null,
  ],
});

export function matmul(input: Tensor, other: Tensor): Tensor {
  // PyTorch's parameter names (the entry layer's messages read them: `matmul(x, { other: y })`).
  let a = input, b = other;
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error(`matmul: both arguments need at least 1 dimension, got ${fmt(a.shape)} and ${fmt(b.shape)} (use mul for scalars)`);
  }
  const ka = a.shape[a.ndim - 1];
  const kb = b.ndim === 1 ? b.shape[0] : b.shape[b.ndim - 2];
  if (ka !== kb) {
    throw new Error(`matmul: cannot multiply ${fmt(a.shape)} by ${fmt(b.shape)}: inner dimensions ${ka} and ${kb} differ`);
  }
  if (a.dtype === "bool" || b.dtype === "bool") throw new Error("matmul: bool tensors are not supported; cast them first (x.float())");
  const dtype = promoteTypes(a.dtype, b.dtype);
  a = to(a, dtype);
  b = to(b, dtype);
  if (a.ndim === 1 && b.ndim === 1) return reshape(matmul(unsqueeze(a, 0), unsqueeze(b, -1)), []);
  if (a.ndim === 1) return squeeze(matmul(unsqueeze(a, 0), b), -2);
  if (b.ndim === 1) return squeeze(matmul(a, unsqueeze(b, -1)), -1);
  const [M, K, N] = [a.shape[a.ndim - 2], ka, b.shape[b.ndim - 1]];
  if (b.ndim === 2) {
    // Fold a's batch dims into its rows: one big GEMM instead of many small ones.
    // Explicit row count, not -1: with K = 0 there are no elements to infer it from.
    const rows = a.shape.slice(0, -1).reduce((x, y) => x * y, 1);
    const out = apply(bmmOp, [reshape(a, [1, rows, K]), unsqueeze(b, 0)], undefined);
    return reshape(out, [...a.shape.slice(0, -1), N]);
  }
  let batch: number[];
  try {
    batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), "matmul");
  } catch {
    throw new Error(
      `matmul: cannot multiply ${fmt(a.shape)} by ${fmt(b.shape)}: batch dimensions ${fmt(a.shape.slice(0, -2))} and ` +
        `${fmt(b.shape.slice(0, -2))} cannot be broadcast (sizes must match or one of them must be 1)`,
    );
  }
  const B = batch.reduce((x, y) => x * y, 1);
  const a3 = reshape(expand(a, [...batch, M, K]), [B, M, K]);
  const b3 = reshape(expand(b, [...batch, K, N]), [B, K, N]);
  return reshape(apply(bmmOp, [a3, b3], undefined), [...batch, M, N]);
}

/**
 * x [M,K] · wᵀ + b as one op with one backward. Its weight gradient gᵀ·x is computed straight into
 * w's own [N,K] layout, where matmul(x, w.t()) would produce [K,N] and leave a transposed copy for
 * `.grad`; the wasm kernel adds the bias before its single copy out of the arena. `linearRelu` is
 * the same op with ReLU applied in that kernel too (nn.Sequential's Linear → ReLU).
 */
function linearDef(name: string, relu: boolean): OpDef<undefined> {
  return defineOp<undefined>({
    name,
    forward([x, w, b]) {
      // Backend.linear writes every element of out (the contract): no zero-fill (Tensor.uninit).
      const out = Tensor.uninit([x.shape[0], w.shape[0]], x.dtype);
      backend().linear(x.view_(), w.view_(), b ? b.view_() : null, out.view_(), relu);
      return out;
    },
    // The bias's value is never read (its gradient is a sum of g, its shape comes from inputShapes):
    // an inference bias is allowed, as in PyTorch.
    backward: (g, { inputs, inputShapes, inputDtypes, output, needsInputGrad: [needX, needW, needB] }) => {
      const [x, w] = [inputs[0], inputs[1]];
      const hasB = inputShapes.length > 2;
      if (!isGradEnabled()) {
        // No graph to record (no createGraph): one backend call for every gradient, which may keep
        // the masked gradient and the operands in its own memory between the products. It writes
        // every element of each gradient (the contract), so they are not zero-filled first: the
        // weight gradient is the MLP step's largest array (800 KB in MNIST's first layer).
        const gx = needX ? Tensor.uninit(x.shape, x.dtype) : null, gw = needW ? Tensor.uninit(w.shape, w.dtype) : null;
        const gb = hasB && needB ? Tensor.uninit(inputShapes[2], inputDtypes[2]) : null;
        const gc = g.dtype === x.dtype ? g : to(g, x.dtype);
        backend().linearBackward(gc.view_(), relu ? output.view_() : null, x.view_(), w.view_(), gx?.view_() ?? null, gw?.view_() ?? null, gb?.view_() ?? null);
        return [gx, gw, gb];
      }
      // As ReLU's backward: 0 where output <= 0, g elsewhere (a NaN output passes g).
      const gm = relu ? where(le(output, 0), 0, g) : g;
      return [needX ? matmul(gm, w) : null, needW ? matmul(mT(gm), x) : null, hasB && needB ? sum(gm, 0) : null];
    },
    saves: [0, 1],
  });
}
const linearOp = linearDef("linear", false);
const linearReluOp = linearDef("linearRelu", true);

/**
 * `linear(x, w, b)`: x·wᵀ + b (PyTorch's F.linear), one fused op.
 *
 * ```ts
 * const y = linear(randn([64, 784]), w, b);   // w [256,784], b [256] -> y [64,256]
 * ```
 *
 * Shape: x [*, in], weight [out, in], bias [out] (or null) -> [*, out].
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return linearWith(linearOp, "linear", x, weight, bias);
}

/**
 * `linearRelu(x, w, b)`: relu(x·wᵀ + b) as one op (one kernel where the backend fuses it, one
 * backward that masks, sums and multiplies in one backend call). nn.Sequential runs Linear → ReLU
 * through it; the result equals relu(linear(x, w, b)) bit for bit.
 *
 * ```ts
 * const h = linearRelu(randn([64, 784]), w, b);   // w [256,784], b [256] -> h [64,256], all >= 0
 * ```
 */
export function linearRelu(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  // A bias the fused op does not take is added outside it (linearWith), so the ReLU must come after that.
  if (bias && !fusableBias(weight, bias)) return relu(linearWith(linearOp, "linearRelu", x, weight, bias));
  return linearWith(linearReluOp, "linearRelu", x, weight, bias);
}

/** Whether the fused ops take `bias` as is: one value per output feature (others broadcast as PyTorch's do). */
const fusableBias = (weight: Tensor, bias: Tensor): boolean => bias.ndim === 1 && bias.shape[0] === weight.shape[0];

/** Checks the operands (errors named `op`) and applies the fused op `def` over 2-D rows. */
function linearWith(def: OpDef<undefined>, op: string, x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (weight.ndim !== 2) throw new Error(`${op}: weight must be [outFeatures, inFeatures], got ${fmt(weight.shape)}`);
  const [N, K] = weight.shape;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== K) {
    throw new Error(`${op}: input ${fmt(x.shape)} has ${x.ndim ? x.shape[x.ndim - 1] : "no"} features in its last dim, but the weight ${fmt(weight.shape)} expects ${K}; flatten the input or fix inFeatures`);
  }
  if (x.dtype === "bool" || weight.dtype === "bool") throw new Error(`${op}: bool tensors are not supported; cast them first (x.float())`);
  // A bias that is not one value per output feature broadcasts as PyTorch's does, outside the fused op.
  const fusedBias = bias && fusableBias(weight, bias) ? bias : null;
  let dtype = promoteTypes(x.dtype, weight.dtype);
  if (fusedBias) dtype = promoteTypes(dtype, fusedBias.dtype);
  const x2 = x.ndim === 2 ? to(x, dtype) : reshape(to(x, dtype), [-1, K]);
  const inputs = fusedBias ? [x2, to(weight, dtype), to(fusedBias, dtype)] : [x2, to(weight, dtype)];
  let y = apply(def, inputs, undefined);
  if (x.ndim !== 2) y = reshape(y, [...x.shape.slice(0, -1), N]);
  return bias && !fusedBias ? add(y, bias) : y;
}

export function mm(input: Tensor, mat2: Tensor): Tensor {
  if (input.ndim !== 2 || mat2.ndim !== 2) throw new Error(`mm: expects two 2-D tensors, got ${fmt(input.shape)} and ${fmt(mat2.shape)}`);
  return matmul(input, mat2);
}

export function bmm(input: Tensor, mat2: Tensor): Tensor {
  if (input.ndim !== 3 || mat2.ndim !== 3) throw new Error(`bmm: expects two 3-D tensors, got ${fmt(input.shape)} and ${fmt(mat2.shape)}`);
  if (input.shape[0] !== mat2.shape[0]) throw new Error(`bmm: batch sizes differ: ${fmt(input.shape)} and ${fmt(mat2.shape)}`);
  return matmul(input, mat2);
}

export function dot(input: Tensor, other: Tensor): Tensor {
  if (input.ndim !== 1 || other.ndim !== 1 || input.shape[0] !== other.shape[0]) {
    throw new Error(`dot: expects two 1-D tensors of the same length, got ${fmt(input.shape)} and ${fmt(other.shape)}`);
  }
  return sum(mul(input, other));
}

export function outer(input: Tensor, vec2: Tensor): Tensor {
  if (input.ndim !== 1 || vec2.ndim !== 1) throw new Error(`outer: expects two 1-D tensors, got ${fmt(input.shape)} and ${fmt(vec2.shape)}`);
  return mul(unsqueeze(input, 1), unsqueeze(vec2, 0));
}

// Optional parameters PyTorch code passes positionally, also taken as one options object (API.md rule 3);
// the type of the declaration gives the exported functions those forms (core.ts, options-form.ts).
// linear's serves nn.functional.linear as well (the entry layer looks it up by name).
const OPTIONAL_ARGS = declareOptionalArgs({ linear: { first: 2, names: ["bias"] } });
export type MatmulOptionalArgs = typeof OPTIONAL_ARGS;

installMethods({ matmul, mm, bmm, dot, outer });
/** `x.mT`: PyTorch also allows a 0-d tensor (returned as is) and rejects 1-D ones. */
function mTProperty(x: Tensor): Tensor {
  if (x.ndim === 0) return x;
  if (x.ndim === 1) throw new Error(`mT: expects a matrix or a batch of matrices, got a 1-D tensor of shape ${fmt(x.shape)} (use x.T or x.unsqueeze(0))`);
  return mT(x);
}
Object.defineProperty(Tensor.prototype, "mT", { get(this: Tensor) { return mTProperty(this); }, configurable: true });
