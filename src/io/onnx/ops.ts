/**
 * One emitter per deeptype op: how that op is written as ONNX nodes. The exporter looks the traced
 * op's name up here; an op missing from this table is an export error naming it. Emitters read the
 * op's inputs, output and attributes exactly as the op recorded them (the tracer adds nothing), so
 * no op knows about ONNX and no layer is special-cased: layers export through the ops they run.
 */
import type { Tensor } from "../../core.js";
import { emitRecurrent } from "./recurrent.js";

export type ValueType = "float32" | "float64" | "float16" | "bfloat16" | "int32" | "int16" | "int8" | "uint8" | "bool" | "int64";

/** An ONNX attribute value, tagged by its ONNX type. */
export type AttrValue = { i: number } | { f: number } | { ints: readonly number[] } | { floats: readonly number[] } | { s: string } | { strings: readonly string[] };

/** What an emitter is given: the traced op and a small graph-building API. */
export interface Emit {
  readonly opset: number;
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly attrs: any;
  /** The same op in the second trace (inputs grown along the dynamic dims), when dims are dynamic. */
  readonly alt?: { readonly inputs: readonly Tensor[]; readonly output: Tensor; readonly attrs: unknown };
  /** ONNX name of input k. */
  in(k: number): string;
  /** The name the op's result must be written to. */
  readonly out: string;
  /** Names for all results of a composite op (`out` first), e.g. a recurrent layer's output, hN, cN. */
  readonly outs: readonly string[];
  /** ONNX name of a tensor found in the attributes (indices, masks). */
  ref(t: Tensor): string;
  /** Adds a node; returns its output name (`out` if given, else a fresh one). */
  node(opType: string, inputs: string[], attrs?: Record<string, AttrValue>, out?: string): string;
  /** Adds a node with `n` outputs; returns their fresh names. */
  nodeN(opType: string, inputs: string[], attrs: Record<string, AttrValue>, n: number): string[];
  /** A weight initializer computed at export time (e.g. re-stacked gates), named after `base`. */
  initializer(t: Tensor, base: string): string;
  /** A [1] int64 value holding, at run time, the graph-input dim that is `n` when traced and `n2` in the grown trace. */
  runtimeDim(n: number, n2: number): string | undefined;
  /** Marks the output as not yet full-size along a dynamic dim (only broadcasting ops may read it). */
  broadcastPending(): void;
  /** A constant initializer. */
  constant(values: readonly number[], dims: readonly number[], type: ValueType): string;
  fail(msg: string): never;
}

type Emitter = (e: Emit) => void;

const ONNX_TYPE: Record<string, number> = { float32: 1, uint8: 2, int8: 3, int16: 5, int32: 6, bool: 9, float16: 10, float64: 11, int64: 7, bfloat16: 16 };

const simple = (opType: string): Emitter => (e) => void e.node(opType, e.inputs.map((_, k) => e.in(k)), {}, e.out);
const scalarOf = (e: Emit, v: number, t: Tensor = e.inputs[0]): string => e.constant([v], [], t.dtype);
const ints = (e: Emit, v: readonly number[]): string => e.constant(v, [v.length], "int64");
/** Reduce axes: an input from opset 13 for ReduceSum, from 18 for the others; an attribute before. */
/** `out` undefined writes to a fresh value (an intermediate). */
function reduce(e: Emit, opType: string, axes: readonly number[], keepdim: boolean, input: string, out: string | undefined): string {
  const asInput = opType === "ReduceSum" ? e.opset >= 13 : e.opset >= 18;
  if (axes.length === 0) return e.node("Identity", [input], {}, out);
  return asInput
    ? e.node(opType, [input, ints(e, axes)], { keepdims: { i: keepdim ? 1 : 0 } }, out)
    : e.node(opType, [input], { axes: { ints: axes }, keepdims: { i: keepdim ? 1 : 0 } }, out);
}

/** ONNX's ArgMax/ArgMin give int64, deeptype's (and PyTorch's) index dtype: a Cast only for another dtype. */
function argReduce(e: Emit, opType: "ArgMax" | "ArgMin"): void {
  const attrs = { axis: { i: e.attrs.axis }, keepdims: { i: e.attrs.keepdim ? 1 : 0 } };
  if (e.output.dtype === "int64") e.node(opType, [e.in(0)], attrs, e.out);
  else e.node("Cast", [e.node(opType, [e.in(0)], attrs)], { to: { i: ONNX_TYPE[e.output.dtype] } }, e.out);
}

function gelu(e: Emit, tanh: boolean): void {
  const x = e.in(0);
  if (e.opset >= 20) {
    e.node("Gelu", [x], tanh ? { approximate: { s: "tanh" } } : {}, e.out);
    return;
  }
  // 0.5·x·(1 + erf(x/√2)), or 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
  let inner: string;
  if (tanh) {
    const x3 = e.node("Mul", [e.node("Mul", [x, x]), x]);
    const arg = e.node("Mul", [e.node("Add", [x, e.node("Mul", [x3, scalarOf(e, 0.044715)])]), scalarOf(e, Math.sqrt(2 / Math.PI))]);
    inner = e.node("Tanh", [arg]);
  } else {
    inner = e.node("Erf", [e.node("Div", [x, scalarOf(e, Math.SQRT2)])]);
  }
  e.node("Mul", [e.node("Mul", [x, scalarOf(e, 0.5)]), e.node("Add", [inner, scalarOf(e, 1)])], {}, e.out);
}

/** Output dims whose size follows a dynamic input dim (they differ between the two traces). */
function dynamicDims(e: Emit): number[] {
  if (!e.alt) return [];
  const y2 = e.alt.output.shape;
  return e.output.shape.map((d, i) => (d !== y2[i] ? i : -1)).filter((i) => i >= 0);
}

/**
 * Reshape with dynamic dims kept symbolic: a dim that passes through at the same position is 0
 * ("copy the input's"), and one other dynamic dim may be -1 (inferred). More cannot be expressed.
 */
function reshapeTo(e: Emit): void {
  const x = e.inputs[0].shape, y = e.output.shape;
  const target = [...y];
  const x2 = e.alt?.inputs[0].shape, y2 = e.alt?.output.shape;
  const rest = dynamicDims(e).filter((i) => {
    if (x2 && y2 && i < x.length && x[i] === y[i] && x2[i] === y2[i]) {
      target[i] = 0;
      return false;
    }
    return true;
  });
  if (rest.length <= 1) {
    if (rest.length === 1) target[rest[0]] = -1;
    e.node("Reshape", [e.in(0), ints(e, target)], {}, e.out);
    return;
  }
  // Several dynamic dims (a Linear on [batch, time, features] folds and unfolds both): all but one
  // are read from the graph input they follow, the last inferred; the target shape is built at run time.
  const parts = target.map((d, i) => {
    if (!rest.slice(1).includes(i)) return ints(e, [i === rest[0] ? -1 : d]);
    return e.runtimeDim(y[i], y2![i]) ?? e.fail(`reshape ${JSON.stringify(x)} -> ${JSON.stringify(y)} mixes several dynamic dims and dim ${i} follows no single dynamic input dim; export without dynamicAxes or give the dynamic dims different example sizes (or one name where they are the same dim)`);
  });
  e.node("Reshape", [e.in(0), e.node("Concat", parts, { axis: { i: 0 } })], {}, e.out);
}

/** The permutation a permute view applied, read from the input's and output's geometry. */
function permutation(e: Emit): number[] {
  const x = e.inputs[0], y = e.output;
  const taken = new Set<number>();
  return y.shape.map((d, i) => {
    const j = x.shape.findIndex((s, k) => !taken.has(k) && s === d && (d === 1 || x.strides[k] === y.strides[i]));
    if (j < 0) e.fail(`cannot read the permutation from shapes ${JSON.stringify(x.shape)} -> ${JSON.stringify(y.shape)}`);
    taken.add(j);
    return j;
  });
}

function pads2d(p: { padding: readonly number[] }): number[] {
  return [p.padding[0], p.padding[1], p.padding[0], p.padding[1]];
}

type PoolP = { kernel: readonly number[]; stride: readonly number[]; padding: readonly number[]; dilation?: readonly number[] };

/** Whether a pooling output size needed ceil mode, from the recorded input and output shapes. */
function ceilMode(p: PoolP, x: readonly number[] , y: readonly number[]): number {
  const floorSize = (i: 0 | 1) => Math.floor((x[2 + i] + 2 * p.padding[i] - (p.dilation?.[i] ?? 1) * (p.kernel[i] - 1) - 1) / p.stride[i]) + 1;
  return floorSize(0) === y[2] && floorSize(1) === y[3] ? 0 : 1;
}

function maxPool(e: Emit, p: PoolP & { dilation: readonly number[] }, input: string, x: readonly number[], out: string): void {
  e.node("MaxPool", [input], {
    kernel_shape: { ints: p.kernel }, strides: { ints: p.stride }, pads: { ints: pads2d(p) }, dilations: { ints: p.dilation }, ceil_mode: { i: ceilMode(p, x, e.output.shape) },
  }, out);
}

function conv(e: Emit, out?: string): string {
  const { p } = e.attrs;
  const w = e.inputs[1].shape;
  return e.node("Conv", e.inputs.map((_, k) => e.in(k)), {
    kernel_shape: { ints: [w[2], w[3]] }, strides: { ints: p.stride }, pads: { ints: pads2d(p) }, dilations: { ints: p.dilation }, group: { i: p.groups },
  }, out);
}

const compare = (opType: string): Emitter => (e) => void e.node(opType, [e.in(0), e.in(1)], {}, e.out);

/** Ops that broadcast their operands against each other (ONNX's multidirectional broadcasting). */
export const BROADCASTING = new Set(["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge", "logicalAnd", "logicalOr", "logicalXor", "remainder", "where"]);

export const EMITTERS: Record<string, Emitter> = {
  // ---- unary
  neg: simple("Neg"), exp: simple("Exp"), log: simple("Log"), sqrt: simple("Sqrt"), abs: simple("Abs"), sign: simple("Sign"),
  sin: simple("Sin"), cos: simple("Cos"), tanh: simple("Tanh"), sigmoid: simple("Sigmoid"), relu: simple("Relu"), erf: simple("Erf"),
  floor: simple("Floor"), ceil: simple("Ceil"), round: simple("Round"), reciprocal: simple("Reciprocal"), logicalNot: simple("Not"),
  log1p: (e) => void e.node("Log", [e.node("Add", [e.in(0), scalarOf(e, 1)])], {}, e.out),
  expm1: (e) => void e.node("Sub", [e.node("Exp", [e.in(0)]), scalarOf(e, 1)], {}, e.out),
  rsqrt: (e) => void e.node("Reciprocal", [e.node("Sqrt", [e.in(0)])], {}, e.out),
  square: (e) => void e.node("Mul", [e.in(0), e.in(0)], {}, e.out),
  gelu: (e) => gelu(e, false),
  geluTanh: (e) => gelu(e, true),
  leakyRelu: (e) => void e.node("LeakyRelu", [e.in(0)], { alpha: { f: e.attrs.p } }, e.out),
  elu: (e) => void e.node("Elu", [e.in(0)], { alpha: { f: e.attrs.p } }, e.out),
  clamp: (e) => {
    const { p, q } = e.attrs as { p: number; q: number };
    const bound = (v: number) => (Number.isFinite(v) || e.inputs[0].dtype.startsWith("float") ? scalarOf(e, v) : "");
    e.node("Clip", [e.in(0), p === -Infinity ? "" : bound(p), q === Infinity ? "" : bound(q)], {}, e.out);
  },
  powScalar: (e) => void e.node("Pow", [e.in(0), scalarOf(e, e.attrs.p)], {}, e.out),

  // ---- binary (inputs are already broadcast by expand views, which export as Expand)
  add: simple("Add"), sub: simple("Sub"), mul: simple("Mul"), div: simple("Div"), pow: simple("Pow"),
  maximum: simple("Max"), minimum: simple("Min"),
  eq: compare("Equal"), lt: compare("Less"), le: compare("LessOrEqual"), gt: compare("Greater"), ge: compare("GreaterOrEqual"),
  logicalAnd: simple("And"), logicalOr: simple("Or"), logicalXor: simple("Xor"),
  ne: (e) => void e.node("Not", [e.node("Equal", [e.in(0), e.in(1)])], {}, e.out),
  remainder: (e) => {
    // PyTorch's remainder takes the divisor's sign (Python's %): a - floor(a/b)·b for floats; Mod(fmod=0) for ints.
    if (e.inputs[0].dtype === "int32") e.node("Mod", [e.in(0), e.in(1)], { fmod: { i: 0 } }, e.out);
    else e.node("Sub", [e.in(0), e.node("Mul", [e.node("Floor", [e.node("Div", [e.in(0), e.in(1)])]), e.in(1)])], {}, e.out);
  },
  where: simple("Where"),

  // ---- copies, casts and views
  copy: (e) => {
    if (e.attrs.dtype === e.inputs[0].dtype) e.node("Identity", [e.in(0)], {}, e.out);
    else e.node("Cast", [e.in(0)], { to: { i: ONNX_TYPE[e.attrs.dtype] } }, e.out);
  },
  reshape: reshapeTo,
  view: reshapeTo,
  permute: (e) => void e.node("Transpose", [e.in(0)], { perm: { ints: permutation(e) } }, e.out),
  expand: (e) => {
    // 1 where the size is kept: Expand broadcasts both ways, so kept (possibly symbolic) dims pass through.
    const x = e.inputs[0].shape, y = e.output.shape, lead = y.length - x.length;
    const target = y.map((d, i) => (i >= lead && x[i - lead] === d ? 1 : d));
    // A dynamic dim grown from size 1 (a bias broadcast over the batch) stays 1: the elementwise op
    // that reads it broadcasts it against the operand that has the dim. The exporter checks that only
    // such ops read it (`broadcastPending`).
    const grown = dynamicDims(e).filter((i) => target[i] !== 1);
    for (const i of grown) target[i] = 1;
    e.node("Expand", [e.in(0), ints(e, target)], {}, e.out);
    if (grown.length) e.broadcastPending();
  },
  flip: (e) => {
    const x = e.inputs[0], y = e.output;
    const axes = y.strides.map((s, i) => (s < 0 && x.strides[i] > 0 ? i : -1)).filter((i) => i >= 0);
    const n = axes.length;
    e.node("Slice", [e.in(0), ints(e, Array(n).fill(-1)), ints(e, Array(n).fill(-(2 ** 53))), ints(e, axes), ints(e, Array(n).fill(-1))], {}, e.out);
  },
  slice: (e) => {
    const { specs, drop } = e.attrs as { specs: { start: number; step: number; length: number }[]; drop: number[] };
    const x = e.inputs[0].shape;
    const axes: number[] = [], starts: number[] = [], ends: number[] = [], steps: number[] = [];
    const altSpecs = (e.alt?.attrs as { specs: typeof specs } | undefined)?.specs;
    specs.forEach((s, d) => {
      if (s.start === 0 && s.step === 1 && s.length === x[d]) return;
      const s2 = altSpecs?.[d];
      const varies = s2 !== undefined && (s2.start !== s.start || s2.step !== s.step || s2.length !== s.length);
      if (varies && !(s2.start === s.start && s2.step === s.step && s.step === 1)) e.fail(`a slice of dim ${d} moves with a dynamic dim; it cannot stay dynamic`);
      axes.push(d);
      starts.push(s.start);
      // A slice to the end of a dynamic dim runs to the end whatever its size.
      ends.push(varies ? 2 ** 53 : s.length === 0 ? s.start : s.start + (s.length - 1) * s.step + 1);
      steps.push(s.step);
    });
    const sliced = axes.length === 0 ? e.in(0) : e.node("Slice", [e.in(0), ints(e, starts), ints(e, ends), ints(e, axes), ints(e, steps)], {}, drop.length ? undefined : e.out);
    if (drop.length) e.node("Squeeze", [sliced, ints(e, drop)], {}, e.out);
    else if (axes.length === 0) e.node("Identity", [sliced], {}, e.out);
  },
  cat: (e) => void e.node("Concat", e.inputs.map((_, k) => e.in(k)), { axis: { i: e.attrs.dim } }, e.out),
  pad: (e) => {
    const pads = e.attrs.pads as [number, number][];
    e.node("Pad", [e.in(0), ints(e, [...pads.map((p) => p[0]), ...pads.map((p) => p[1])]), scalarOf(e, e.attrs.value)], { mode: { s: "constant" } }, e.out);
  },

  // ---- linear algebra, convolution, pooling
  matmul: simple("MatMul"),
  // The fused x·wᵀ + b of nn.Linear (x already 2-D): ONNX's Gemm, as torch.onnx.export writes Linear.
  linear: (e) => void e.node("Gemm", e.inputs.map((_, k) => e.in(k)), { transB: { i: 1 } }, e.out),
  // The fused Linear → ReLU that nn.Sequential runs: the same two ONNX ops.
  linearRelu: (e) => void e.node("Relu", [e.node("Gemm", e.inputs.map((_, k) => e.in(k)), { transB: { i: 1 } })], {}, e.out),
  conv2d: (e) => void conv(e, e.out),
  // The fused Conv2d → ReLU (→ MaxPool2d) that nn.Sequential runs: the same three ONNX ops.
  conv2dRelu: (e) => {
    if (!e.attrs.pool) return void e.node("Relu", [conv(e)], {}, e.out);
    maxPool(e, e.attrs.pool, e.node("Relu", [conv(e)]), e.attrs.convShape, e.out);
  },
  convTranspose2d: (e) => {
    const { p } = e.attrs;
    const [x, w] = [e.inputs[0].shape, e.inputs[1].shape];
    const natural = (i: 0 | 1) => (x[2 + i] - 1) * p.stride[i] - 2 * p.padding[i] + p.dilation[i] * (w[2 + i] - 1) + 1;
    e.node("ConvTranspose", [e.in(0), e.in(1)], {
      kernel_shape: { ints: [w[2], w[3]] }, strides: { ints: p.stride }, pads: { ints: pads2d(p) }, dilations: { ints: p.dilation }, group: { i: p.groups },
      output_padding: { ints: [e.output.shape[2] - natural(0), e.output.shape[3] - natural(1)] },
    }, e.out);
  },
  maxPool2d: (e) => maxPool(e, e.attrs.p, e.in(0), e.inputs[0].shape, e.out),
  avgPool2d: (e) => {
    const { p } = e.attrs;
    if (p.dilation && (p.dilation[0] !== 1 || p.dilation[1] !== 1) && e.opset < 19) e.fail(`dilated average pooling needs opsetVersion 19 or later`);
    e.node("AveragePool", [e.in(0)], {
      kernel_shape: { ints: p.kernel }, strides: { ints: p.stride }, pads: { ints: pads2d(p) }, count_include_pad: { i: p.countIncludePad ? 1 : 0 }, ceil_mode: { i: ceilMode(p, e.inputs[0].shape, e.output.shape) },
    }, e.out);
  },

  // ---- reductions and normalisers
  sum: (e) => void reduce(e, "ReduceSum", e.attrs.axes, e.attrs.keepdim, e.in(0), e.out),
  prod: (e) => void reduce(e, "ReduceProd", e.attrs.axes, e.attrs.keepdim, e.in(0), e.out),
  // "max"/"min" are both the all-dims reduction (attrs.axes) and x.max(dim)'s values (attrs.axis).
  max: (e) => void reduce(e, "ReduceMax", e.attrs.axes ?? [e.attrs.axis], e.attrs.keepdim, e.in(0), e.out),
  min: (e) => void reduce(e, "ReduceMin", e.attrs.axes ?? [e.attrs.axis], e.attrs.keepdim, e.in(0), e.out),
  argmax: (e) => void argReduce(e, "ArgMax"),
  argmin: (e) => void argReduce(e, "ArgMin"),
  norm: (e) => {
    const { axes, keepdim, p } = e.attrs as { axes: number[]; keepdim: boolean; p: number };
    if (p === 2) reduce(e, "ReduceL2", axes, keepdim, e.in(0), e.out);
    else e.node("Pow", [reduce(e, "ReduceSum", axes, keepdim, e.node("Pow", [e.node("Abs", [e.in(0)]), scalarOf(e, p)]), undefined), scalarOf(e, 1 / p)], {}, e.out);
  },
  cumsum: (e) => void e.node("CumSum", [e.in(0), e.constant([e.attrs.axis], [], "int64")], {}, e.out),
  softmax: (e) => void e.node("Softmax", [e.in(0)], { axis: { i: e.attrs.axis } }, e.out),
  logSoftmax: (e) => void e.node("LogSoftmax", [e.in(0)], { axis: { i: e.attrs.axis } }, e.out),

  // ---- indexing (the index tensor is an attribute of the op, and may be a graph input: token ids)
  indexSelect: (e) => void e.node("Gather", [e.in(0), e.ref(e.attrs.index)], { axis: { i: e.attrs.axis } }, e.out),
  // ---- composite: a whole RNN/LSTM/GRU call, recorded as one op (./recurrent.ts)
  recurrent: emitRecurrent,
  gather: (e) => void e.node("GatherElements", [e.in(0), e.ref(e.attrs.index)], { axis: { i: e.attrs.axis } }, e.out),
  // x.indexAdd(axis, index, src): ScatterElements adds elementwise, so the 1-D index is laid along
  // `axis` and expanded to src's run-time shape (Fold's overlapping patches, a padded put).
  indexAdd: (e) => {
    if (e.opset < 16) e.fail("indexAdd needs opsetVersion 16 or later (ScatterElements with reduction 'add')");
    // A source broadcast per slice (PyTorch's rule, ops/indexing.ts) maps to a transpose + reshape +
    // expand; not written until a model needs it.
    if (e.attrs.shape !== null) e.fail("indexAdd with a source broadcast over the input's slices is not exported; expand the source to the full shape first");
    const axis: number = e.attrs.axis;
    const along = e.inputs[1].shape.map((_, i) => (i === axis ? -1 : 1));
    const index = e.node("Reshape", [e.ref(e.attrs.index), ints(e, along)]);
    const full = e.node("Expand", [index, e.node("Shape", [e.in(1)])]);
    e.node("ScatterElements", [e.in(0), full, e.in(1)], { axis: { i: axis }, reduction: { s: "add" } }, e.out);
  },
};
