/**
 * The backend contract: every kernel deeptype needs, over strided inputs, writing a pre-allocated
 * output. Ops (src/ops) validate arguments, compute shapes and allocate; a backend only does the
 * arithmetic. Backends never see gradients: backward rules are written in ops, in terms of other ops.
 *
 * Adding a kernel here breaks the compilation of every backend until it is implemented: that is the
 * point. The js backend (./js) is the executable specification; others must agree with it.
 */
import type { DType, StorageArray, TypedArray } from "../tensor/dtype.js";

/**
 * A strided window over a typed array: element (i0,i1,...) lives at `offset + Σ ik*strides[k]`.
 * An int64 view's data is a BigInt64Array (its elements are bigints).
 */
export interface View {
  readonly data: StorageArray;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

export type UnaryOp =
  | "neg" | "exp" | "log" | "log1p" | "expm1" | "sqrt" | "rsqrt" | "abs" | "sign" | "sin" | "cos"
  | "tanh" | "sigmoid" | "relu" | "erf" | "floor" | "ceil" | "round" | "reciprocal" | "square"
  | "logicalNot" | "gelu" | "geluTanh"
  | "tan" | "asin" | "acos" | "atan" | "sinh" | "cosh" | "asinh" | "acosh" | "atanh" | "log2" | "log10" | "exp2"
  | "trunc" | "erfc" | "erfinv" | "lgamma" | "digamma" | "trigamma";

/** Unary ops with one numeric parameter `p` (and `q` for clamp's upper bound). */
export type ParamUnaryOp = "leakyRelu" | "elu" | "clamp" | "powScalar" | "isClose";

export type BinaryOp =
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum" | "remainder" | "atan2"
  | "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "logicalAnd" | "logicalOr" | "logicalXor"
  // ReLU's gradient in one pass: out = a <= 0 ? 0 : b, with a the ReLU's output and b the incoming
  // gradient (PyTorch's threshold_backward: +0 where masked, even for an infinite or NaN gradient).
  | "reluBackward"
  | "fmod" | "floorDivide" | "hypot" | "logaddexp";

export type ReduceOp = "sum" | "prod" | "max" | "min";

/** Running (inclusive) scans besides cumsum: cumprod, cummax, cummin, logcumsumexp. */
export type ScanOp = "prod" | "max" | "min" | "logsumexp";

export interface ConvParams {
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  groups: number;
}

export interface PoolParams {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  /** AvgPool: whether padded zeros count in the divisor (PyTorch's count_include_pad, default true). */
  countIncludePad: boolean;
}

/** Hyper-parameters of the fused SGD update (PyTorch's torch.optim.SGD semantics). */
export interface SgdParams {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  /** true on the first step with a momentum buffer: the buffer is set to the gradient, not blended. */
  firstStep: boolean;
}

/** Hyper-parameters of the fused Adam/AdamW update; `step` counts from 1 (for bias correction). */
export interface AdamParams {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW: decay the weights directly instead of adding weightDecay*param to the gradient. */
  decoupled: boolean;
  step: number;
}

export interface Backend {
  readonly name: string;

  /** out[i] = src[i] for every index, converting dtype; `src` and `out` may have any strides. */
  copy(src: View, out: View): void;
  /** Sets every element of the strided `out` to `value`. */
  fill(out: View, value: number): void;

  /** out = op(x), out contiguous with x's shape; out.dtype is x's except for bool-valued ops. */
  unary(op: UnaryOp, x: View, out: View): void;
  unaryParam(op: ParamUnaryOp, x: View, out: View, p: number, q: number): void;
  /** a and b already have out's shape (broadcast inputs arrive as stride-0 views) and one dtype. */
  binary(op: BinaryOp, a: View, b: View, out: View): void;
  /** out = cond ? a : b, all with out's shape. */
  where(cond: View, a: View, b: View, out: View): void;

  /**
   * Reduces x over `axes` (sorted, distinct). out is contiguous with x's shape minus those axes.
   * `sum` of bool/int32 accumulates in out's dtype.
   */
  reduce(op: ReduceOp, x: View, axes: readonly number[], out: View): void;
  /** Index (int32) of the max/min along `axis`; the first one on ties, as PyTorch. out drops `axis`. */
  argReduce(op: "argmax" | "argmin", x: View, axis: number, out: View): void;
  /** Inclusive running sum along `axis`; out contiguous with x's shape. */
  cumsum(x: View, axis: number, out: View): void;
  /**
   * Running prod/max/min/logsumexp along `axis`; out contiguous with x's shape and dtype. For max/min,
   * `indices` (int32, contiguous) gets the position of the running extremum, the latest on ties.
   */
  scan(op: ScanOp, x: View, axis: number, out: View, indices: View | null): void;
  /**
   * Stable sort of each line along `axis` into contiguous `values` (x's dtype) and `indices` (int32,
   * positions along the axis). NaN counts as larger than every number, as in PyTorch.
   */
  sort(x: View, axis: number, descending: boolean, values: View, indices: View): void;
  /** Numerically stable softmax (or log-softmax) along `axis`; out contiguous. */
  softmax(x: View, axis: number, log: boolean, out: View): void;

  /**
   * Batched matrix product: a [B,M,K] · b [B,K,N] -> out [B,M,N] (contiguous). Transposed operands
   * arrive as strided views (a stride of 1 on the row axis), broadcast batches as stride 0.
   */
  matmul(a: View, b: View, out: View): void;

  /**
   * Fused linear layer: out [M,N] = x [M,K] · wᵀ + bias, with w [N,K] in PyTorch's Linear layout and
   * bias [N] or null. Rounds as the unfused matmul(x, wᵀ) followed by adding bias does. With `relu`
   * the result is relu(x·wᵀ + bias), as the relu kernel applied afterwards gives it.
   */
  linear(x: View, w: View, bias: View | null, out: View, relu?: boolean): void;
  /**
   * linear's backward from the output gradient g [M,N]: gm = reluBackward(output, g) when `output`
   * (the ReLU'd result of linear(..., relu)) is given, else g; then gx [M,K] = gm·w, gw [N,K] = gmᵀ·x
   * (w's layout) and gb [N] = the sum of gm over rows, each written when not null, each rounded as
   * its unfused kernel (binary reluBackward, matmul, reduce sum) rounds it. A backend may keep gm and
   * the staged operands in its own memory between them.
   */
  linearBackward(g: View, output: View | null, x: View, w: View, gx: View | null, gw: View | null, gb: View | null): void;
  /**
   * Cross-entropy of logits x [N,C] against int32 classes target [N]: out[i] = logsumexp(x[i]) − x[i, target[i]],
   * 0 where target[i] == ignoreIndex. Classes are in range (the op checks). out [N] contiguous.
   */
  crossEntropy(x: View, target: View, ignoreIndex: number, out: View): void;
  /** crossEntropy's gradient: out[i,c] = g[i]·(softmax(x[i])[c] − [c == target[i]]), 0 on ignored rows; out [N,C] contiguous. */
  crossEntropyBackward(x: View, target: View, g: View, ignoreIndex: number, out: View): void;

  /** out[..., index[...], ...] gathered along `axis`; index int32 with out's shape. */
  gather(x: View, axis: number, index: View, out: View): void;
  /** out (contiguous, pre-filled) gets out[... index ...] += src[...] along axis. */
  scatterAdd(out: View, axis: number, index: View, src: View): void;
  /** out (contiguous, pre-filled) gets out[... index ...] = src[...] along axis (last write wins). */
  scatter(out: View, axis: number, index: View, src: View): void;
  /** Select slices along `axis` by a 1-D int32 index; out contiguous. */
  indexSelect(x: View, axis: number, index: View, out: View): void;
  /** out (contiguous, pre-filled) gets out.select(axis, index[i]) += src.select(axis, i). */
  indexAdd(out: View, axis: number, index: View, src: View): void;

  /**
   * x [N,C,H,W], w [O,C/groups,kH,kW], bias [O] or null -> out [N,O,oH,oW]. Writes every element of
   * out, whose contents on entry are unspecified (the op allocates it with Tensor.uninit).
   */
  conv2d(x: View, w: View, bias: View | null, out: View, p: ConvParams): void;
  /** Gradient of conv2d with respect to its input: gy [N,O,oH,oW], w -> out [N,C,H,W], every element written (as conv2d). */
  conv2dBackwardInput(gy: View, w: View, out: View, p: ConvParams): void;
  /** Gradient of conv2d with respect to its weight: x, gy -> out [O,C/groups,kH,kW]. */
  conv2dBackwardWeight(x: View, gy: View, out: View, p: ConvParams): void;
  /**
   * Fused conv2d + bias + ReLU, then max-pooling when `pool` is given. `convShape` is the conv's
   * [N,O,oH,oW]. Without pool: out [N,O,oH,oW] = relu(conv2d(x, w) + bias) (indices null). With it:
   * out and indices are maxPool2d's of that (indices flat in the [oH,oW] plane; null when no
   * backward will read them). Must equal conv2d, unary("relu") and maxPool2d run in turn. Writes
   * every element of out and indices, whose contents on entry are unspecified (Tensor.uninit).
   */
  conv2dReluPool(x: View, w: View, bias: View | null, out: View, indices: View | null, p: ConvParams, pool: PoolParams | null, convShape: readonly number[]): void;
  /**
   * conv2dReluPool's backward without create-graph, from g (the gradient at its output) and `output`
   * (its result): gm = binary("reluBackward", output, g) (0 where output <= 0, as ReLU's backward),
   * gb = reduce("sum", gm, [0,2,3]); gm routed through `indices` to the conv's shape `convShape` as
   * maxPool2dBackward does (indices null: no pool), then gx = conv2dBackwardInput and gw =
   * conv2dBackwardWeight of it. gx, gw, gb are null when not needed. Must equal those kernels run in
   * turn; a backend may keep the intermediate gradients in its own memory between them. gx's
   * contents on entry are unspecified (Tensor.uninit): every element is written.
   */
  conv2dReluPoolBackward(
    g: View, output: View, indices: View | null, x: View, w: View, gx: View | null, gw: View | null, gb: View | null,
    p: ConvParams, convShape: readonly number[],
  ): void;

  /**
   * x [N,C,H,W] -> out [N,C,oH,oW] and indices (int32, flat h*W+w in the input plane; null when no
   * backward will read them, and a backend may then skip finding them). Writes every element of out
   * and indices, whose contents on entry are unspecified (Tensor.uninit).
   */
  maxPool2d(x: View, out: View, indices: View | null, p: PoolParams): void;
  /**
   * out [N,C,H,W] (contiguous) = gy scattered (summed) through indices, zeros where no index points;
   * out's contents on entry are unspecified (Tensor.uninit), so the zeros are written too.
   */
  maxPool2dBackward(gy: View, indices: View, out: View): void;
  avgPool2d(x: View, out: View, p: PoolParams): void;
  avgPool2dBackward(gy: View, out: View, p: PoolParams): void;

  /** In-place SGD on contiguous float arrays of equal length; `buf` is the momentum buffer or null. */
  sgdUpdate(param: TypedArray, grad: TypedArray, buf: TypedArray | null, p: SgdParams): void;
  /** In-place Adam/AdamW on contiguous float arrays; `maxV` is AMSGrad's running max or null. */
  adamUpdate(param: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, maxV: TypedArray | null, p: AdamParams): void;
}
