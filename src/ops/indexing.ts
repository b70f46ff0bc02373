/** Index-driven ops: gather/scatter along a dim, indexSelect/indexAdd, one-hot, triangular masks. */
import { checkIntArg, declareOptionalArgs, declareOptions, tensorArgError } from "../tensor/check.js";
import { Tensor } from "../tensor/tensor.js";
import { isIndexDtype } from "../tensor/dtype.js";
import { fmt, normalizeDim, sameShape } from "../tensor/shape.js";
import { apply, backend, defineOp, installMethods } from "./op.js";
import { clone, expand, reshape, to, unsqueeze } from "./shape.js";
import { pad } from "./join.js";
import { sub, le, ge, mul, where } from "./elementwise.js";
import { arange, zeros } from "../tensor/creation.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `x.gather(1, idx)`: out[i][j] = x[i][idx[i][j]] for dim 1. */
    gather(dim: number, index: Tensor): Tensor;
    /** Out-of-place scatter: a copy of x with src (or a value) written at index along dim. */
    scatter(dim: number, index: Tensor, src: Tensor | number, opts?: { reduce?: "add" | "multiply" }): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /** `x.indexSelect(0, idx)`: whole slices picked by a 1-D index. */
    indexSelect(dim: number, index: Tensor): Tensor;
    /** `x.indexAdd(0, idx, src, { alpha })`: a copy of x with alpha * src[i] added at idx[i] along dim. */
    indexAdd(dim: number, index: Tensor, src: Tensor, opts?: { alpha?: number }): Tensor;
    /** Lower triangle (elements with col - row <= diagonal), zeros elsewhere. */
    tril(diagonal?: number): Tensor;
    tril(opts: { diagonal?: number }): Tensor;
    triu(diagonal?: number): Tensor;
    triu(opts: { diagonal?: number }): Tensor;
  }
}

/** Index tensors are int64 or int32 with every value in [0, size): checked here so kernels never read out of bounds. */
function checkIndex(op: string, index: Tensor, size: number, dim: number): void {
  if (!isIndexDtype(index.dtype)) throw new Error(`${op}: index must be an int64 (or int32) tensor, got ${index.dtype} (use idx.long())`);
  const d = index.numbers();
  for (let i = 0; i < d.length; i++) {
    if (d[i] < 0 || d[i] >= size) throw new RangeError(`${op}: index ${d[i]} is out of range for dim ${dim} of size ${size}`);
  }
}

function checkAlongDim(op: string, x: Tensor, dim: number, index: Tensor, other?: Tensor): number {
  const d = normalizeDim(dim, x.ndim, op);
  if (index.ndim !== x.ndim) throw new Error(`${op}: index ${fmt(index.shape)} must have as many dims as the input ${fmt(x.shape)}`);
  index.shape.forEach((s, k) => {
    if (k !== d && s > x.shape[k]) throw new Error(`${op}: index ${fmt(index.shape)} is larger than the input ${fmt(x.shape)} in dim ${k}`);
    if (other && s > other.shape[k]) throw new Error(`${op}: index ${fmt(index.shape)} is larger than src ${fmt(other.shape)} in dim ${k}`);
  });
  checkIndex(op, index, x.shape[d], d);
  return d;
}

const gatherOp = defineOp<{ axis: number; index: Tensor }>({
  name: "gather",
  forward([x], { axis, index }) {
    const out = Tensor.empty(index.shape, x.dtype);
    backend().gather(x.view_(), axis, index.view_(), out.view_());
    return out;
  },
  backward: (g, { inputShapes: [shape], attrs: { axis, index } }) => [scatterAdd(zeros(shape, { dtype: g.dtype }), axis, index, g)],
});

/**
 * PyTorch treats a 0-d input (and a 0-d index) of the ops along a dim as one-element 1-D tensors:
 * run on those and reshape the result back.
 */
const one = (t: Tensor): Tensor => (t.ndim === 0 ? reshape(t, [1]) : t);

function checkSrcDtype(op: string, x: Tensor, src: Tensor): void {
  if (src.dtype !== x.dtype) throw new Error(`${op}: src is ${src.dtype} but the input is ${x.dtype}; they must match (convert with src.to("${x.dtype}"))`);
}

export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  if (x.ndim === 0) {
    normalizeDim(dim, 0, "gather");
    return reshape(gather(one(x), 0, one(index)), index.shape);
  }
  return apply(gatherOp, [x], { axis: checkAlongDim("gather", x, dim, index), index });
}

const scatterAddOp = defineOp<{ axis: number; index: Tensor }>({
  name: "scatterAdd",
  forward([x, src], { axis, index }) {
    const out = clone(x);
    backend().scatterAdd(out.view_(), axis, index.view_(), src.view_());
    return out;
  },
  backward: (g, { attrs: { axis, index }, inputShapes: [, srcShape] }) => [g, srcGrad(g, axis, index, srcShape)],
  // Reads the index (an attribute) only for src's gradient, never src itself: as PyTorch, an
  // inference src may be added, and an inference index only when src needs no gradient.
  saves: (needsGrad) => ({ inputs: [], attrs: needsGrad[1] }),
});

/**
 * Gradient of scatter's src: the elements index picked, zero-padded when src is larger than index
 * (only its leading [index.shape] block is read; PyTorch fails with a shape error there).
 */
function srcGrad(g: Tensor, axis: number, index: Tensor, srcShape: readonly number[]): Tensor {
  const picked = gather(g, axis, index);
  if (sameShape(picked.shape, srcShape)) return picked;
  const pads: number[] = [];
  for (let d = srcShape.length - 1; d >= 0; d--) pads.push(0, srcShape[d] - index.shape[d]);
  return pad(picked, pads);
}

export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  checkSrcDtype("scatterAdd", x, src);
  if (x.ndim === 0) {
    normalizeDim(dim, 0, "scatterAdd");
    return reshape(scatterAdd(one(x), 0, one(index), one(src)), []);
  }
  const axis = checkAlongDim("scatterAdd", x, dim, index, src);
  return apply(scatterAddOp, [x, to(src, x.dtype)], { axis, index });
}

const scatterOp = defineOp<{ axis: number; index: Tensor }>({
  name: "scatter",
  forward([x, src], { axis, index }) {
    const out = clone(x);
    backend().scatter(out.view_(), axis, index.view_(), src.view_());
    return out;
  },
  backward: (g, { attrs: { axis, index }, inputShapes: [, srcShape] }) => [scatter(g, axis, index, 0), srcGrad(g, axis, index, srcShape)],
});

/**
 * `scatter(x, 1, idx, src)`: a copy of x with src (or a value) written at idx along dim; with
 * `{ reduce: "add" }` added there instead, as torch.scatter(..., reduce="add") (scatter_ shares this).
 * PyTorch's "multiply" is refused (no kernel here), as are other names. PyTorch has no gradient for a
 * reduce (its backward raises); deeptype gives scatterAdd's.
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number, opts: { reduce?: "add" | "multiply" } = {}): Tensor {
  return scatterAs("scatter", x, dim, index, src, opts.reduce);
}

/** scatter and scatter_ (`op` names the caller in errors). */
export function scatterAs(op: string, x: Tensor, dim: number, index: Tensor, src: Tensor | number, reduce: string | undefined): Tensor {
  if (reduce !== undefined) {
    if (reduce === "multiply") throw new Error(`${op}: reduce "multiply" is not supported; use reduce "add" (or scatterAdd${op.endsWith("_") ? "_" : ""}), or compute the product out of place`);
    if (reduce !== "add") throw new Error(`${op}: reduce must be "add" or "multiply" (PyTorch's choices), got ${JSON.stringify(reduce)}`);
    return scatterAdd(x, dim, index, typeof src === "number" ? filledLike(x, index, src) : src);
  }
  return scatterPlain(x, dim, index, src);
}

function scatterPlain(x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  if (typeof src !== "number") checkSrcDtype("scatter", x, src);
  if (x.ndim === 0) {
    normalizeDim(dim, 0, "scatter");
    return reshape(scatterPlain(one(x), 0, one(index), typeof src === "number" ? src : one(src)), []);
  }
  const s = typeof src === "number" ? filledLike(x, index, src) : to(src, x.dtype);
  const axis = checkAlongDim("scatter", x, dim, index, s);
  return apply(scatterOp, [x, s], { axis, index });
}

/** A scalar source as a tensor of index's shape in x's dtype (a broadcast view, no copy). */
function filledLike(x: Tensor, index: Tensor, v: number): Tensor {
  return expand(reshape(to(tensorOf(v), x.dtype), index.shape.map(() => 1)), index.shape);
}

function tensorOf(v: number): Tensor {
  const t = Tensor.empty([], "float64");
  t.storage.data[0] = v;
  return t;
}

const indexSelectOp = defineOp<{ axis: number; index: Tensor }>({
  name: "indexSelect",
  forward([x], { axis, index }) {
    const shape = [...x.shape];
    shape[axis] = index.numel();
    const out = Tensor.empty(shape, x.dtype);
    backend().indexSelect(x.view_(), axis, index.view_(), out.view_());
    return out;
  },
  backward: (g, { inputShapes: [shape], attrs: { axis, index } }) => [indexAdd(zeros(shape, { dtype: g.dtype }), axis, index, g)],
});

export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  if (x.ndim === 0) {
    normalizeDim(dim, 0, "indexSelect");
    if (index.numel() !== 1) throw new Error(`indexSelect: a 0-d input takes a one-element index, got ${fmt(index.shape)}`);
    return reshape(indexSelect(one(x), 0, reshape(index, [1])), []);
  }
  if (index.ndim === 0) index = reshape(index, [1]);
  const axis = normalizeDim(dim, x.ndim, "indexSelect");
  if (index.ndim !== 1) throw new Error(`indexSelect: index must be 1-D, got ${fmt(index.shape)}`);
  checkIndex("indexSelect", index, x.shape[axis], axis);
  return apply(indexSelectOp, [x], { axis, index });
}

const indexAddOp = defineOp<{ axis: number; index: Tensor; shape: readonly number[] | null }>({
  name: "indexAdd",
  forward([x, src], { axis, index, shape }) {
    const out = clone(x);
    backend().indexAdd(out.view_(), axis, index.view_(), shape === null ? src.view_() : broadcastSource(src, axis, shape));
    return out;
  },
  backward: (g, { attrs: { axis, index, shape }, inputShapes: [, srcShape], needsInputGrad }) => {
    if (!needsInputGrad[1]) return [g, null];
    // PyTorch 1.13's rule, grad.index_select(dim, index).expand_as(source), fails for a source that was
    // broadcast (it cannot expand to a smaller shape): refused here too rather than differing.
    if (shape !== null) {
      throw new Error(
        `indexAdd: the source of shape ${fmt(srcShape)} was broadcast to ${fmt(shape)}, and PyTorch cannot differentiate ` +
          `that either; expand the source to ${fmt(shape)} before indexAdd (src.expand(...)) to get its gradient`,
      );
    }
    return [g, indexSelect(g, axis, index)];
  },
  // Reads the index (an attribute) only for the source's gradient, never the source itself: as
  // PyTorch, an inference source may be added, and an inference index only when it needs no gradient.
  saves: (needsGrad) => ({ inputs: [], attrs: needsGrad[1] }),
});

/**
 * The source as a strided view of the full shape `shape` (the input's, with index.numel() along axis):
 * each source slice along axis broadcast against the input's slice, as PyTorch's CPU kernel adds them
 * (one TensorIterator over self.select(dim, i) and source.select(dim, i)). No copy.
 */
function broadcastSource(src: Tensor, axis: number, shape: readonly number[]): ReturnType<Tensor["view_"]> {
  const off = shape.length - src.ndim; // slice dims the source lacks, in front
  const strides = shape.map((size, k) => {
    if (k === axis) return src.strides[axis];
    const q = (k < axis ? k : k - 1) - off; // the source slice dim aligned with the input's slice dim
    if (q < 0) return 0;
    const j = q < axis ? q : q + 1;
    return src.shape[j] === size ? src.strides[j] : 0;
  });
  return { ...src.view_(), shape, strides };
}

/**
 * `indexAdd(x, 0, idx, src)`: a copy of x with src's slices added at idx along dim, as torch.index_add.
 * PyTorch's shape rule (index_func_meta_impl and index_add_cpu_out, ATen 1.13): index.numel() equals
 * src.size(dim) (1 for a 0-d src); for an input of 2 or more dims each slice src.select(dim, i) is
 * broadcast to x.select(dim, i)'s shape (`indexAdd(ones([3, 4]), 0, idx1, tensor([5]))` adds 5 to a
 * row), but then src gets no gradient (PyTorch's backward fails there too); a 0- or 1-D input takes a
 * 0- or 1-D src. src has x's dtype, as PyTorch requires.
 * @example indexAdd(zeros([3, 2]), 0, tensor([0, 2], { dtype: "int64" }), ones([2, 2]))
 */
export function indexAdd(x: Tensor, dim: number, index: Tensor, source: Tensor, opts: { alpha?: number } = {}): Tensor {
  if (!(source instanceof Tensor)) throw tensorArgError("indexAdd", "source", source);
  checkSrcDtype("indexAdd", x, source);
  const { alpha = 1 } = opts;
  if (typeof alpha !== "number") throw new Error(`indexAdd: alpha must be a number, got ${typeof alpha}`);
  if (alpha !== 1) return indexAddScaled(x, dim, index, source, alpha);
  if (x.ndim === 0) {
    normalizeDim(dim, 0, "indexAdd");
    if (source.ndim > 1) throw new Error(`indexAdd: a 0-d input takes a 0-d or 1-D source, got ${fmt(source.shape)}`);
    return reshape(indexAdd(one(x), 0, one(index), one(source)), []);
  }
  if (index.ndim === 0) index = reshape(index, [1]);
  const axis = normalizeDim(dim, x.ndim, "indexAdd");
  if (index.ndim !== 1) throw new Error(`indexAdd: index must be 1-D, got ${fmt(index.shape)}`);
  const n = index.numel();
  if (source.ndim !== 0 && axis >= source.ndim) {
    throw new Error(`indexAdd: dim ${dim} is out of range for the source of shape ${fmt(source.shape)} (${source.ndim} dims); source needs a dim ${axis} of size ${n}`);
  }
  const srcLen = source.ndim === 0 ? 1 : source.shape[axis];
  if (srcLen !== n) {
    throw new Error(`indexAdd: the index has ${n} element${n === 1 ? "" : "s"} but the source ${fmt(source.shape)} has size ${srcLen} along dim ${axis}; they must be equal`);
  }
  const expected = x.shape.map((s, k) => (k === axis ? n : s));
  checkIndex("indexAdd", index, x.shape[axis], axis);
  if (x.ndim === 1) {
    if (source.ndim > 1) throw new Error(`indexAdd: a 1-D input takes a 0-d or 1-D source, got ${fmt(source.shape)}`);
    return apply(indexAddOp, [x, one(source)], { axis, index, shape: null });
  }
  if (source.ndim === 0) throw new Error(`indexAdd: a 0-d source cannot be added into the ${x.ndim}-D input ${fmt(x.shape)}; give it shape ${fmt(expected)}`);
  if (sameShape(source.shape, expected)) return apply(indexAddOp, [x, source], { axis, index, shape: null });
  // Each source slice (source without dim `axis`) must broadcast to the input's slice, right-aligned;
  // with no index PyTorch adds nothing and checks no slice shapes.
  const slice = source.shape.filter((_, k) => k !== axis);
  const target = x.shape.filter((_, k) => k !== axis);
  const off = target.length - slice.length;
  if (n > 0 && (off < 0 || slice.some((s, k) => s !== 1 && s !== target[off + k]))) {
    throw new Error(
      `indexAdd: the source ${fmt(source.shape)} does not fit the input ${fmt(x.shape)}: its slices along dim ${axis} (${fmt(slice)}) ` +
        `must broadcast to the input's (${fmt(target)}); give the source shape ${fmt(expected)}`,
    );
  }
  return apply(indexAddOp, [x, source], { axis, index, shape: expected });
}

/**
 * indexAdd with alpha: PyTorch's kernel adds alpha*src[i] to each target with one fused multiply-add
 * per index entry, in index order (add_kernel's vec::fmadd; 1.13's build fuses its scalar tail too).
 * float32 does that exactly but for ties: alpha*src is exact in float64 (two float32 factors), each
 * entry's sum is rounded to float64 and then float32 (a double rounding that differs only when the
 * float64 sum falls halfway between two float32 values); an index repeated k times takes k rounds, so
 * each occurrence rounds as PyTorch's does. Other dtypes multiply, round, then add.
 */
function indexAddScaled(x: Tensor, dim: number, index: Tensor, src: Tensor, alpha: number): Tensor {
  if (x.dtype !== "float32") return indexAdd(x, dim, index, mul(src, alpha));
  if (index.ndim > 1) throw new Error(`indexAdd: index must be 1-D, got ${fmt(index.shape)}`);
  const idx = index.numbers();
  // Which occurrence of its value each index entry is: entries of one round hit distinct targets.
  const seen = new Map<number, number>();
  const round = Array.from(idx, (v) => {
    const k = seen.get(v) ?? 0;
    seen.set(v, k + 1);
    return k;
  });
  let rounds = 1;
  for (const k of seen.values()) rounds = Math.max(rounds, k);
  const scaled = mul(to(src, "float64"), Math.fround(alpha));
  let out = x;
  for (let r = 0; r < rounds; r++) {
    const at = round.flatMap((k, i) => (k === r ? [i] : []));
    const part = rounds === 1 ? { index, src: scaled } : pick(index, scaled, at, normalizeDim(dim, x.ndim, "indexAdd"));
    out = to(indexAdd(to(out, "float64"), dim, part.index, part.src), "float32");
  }
  return out;
}

/** The index entries `at` and their source slices along `axis` (the input's dim, which the source has: several entries). */
function pick(index: Tensor, src: Tensor, at: number[], axis: number): { index: Tensor; src: Tensor } {
  const sel = Tensor.fromArray(Int32Array.from(at), [at.length], "int32");
  if (axis >= src.ndim) throw new Error(`indexAdd: dim ${axis} is out of range for the source of shape ${fmt(src.shape)} (${src.ndim} dims)`);
  return { index: indexSelect(reshape(index, [-1]), 0, sel), src: indexSelect(src, axis, sel) };
}

/** `oneHot(labels, 10)`: int64 [..., numClasses] with a 1 at each label (labels int64 or int32), as PyTorch's. */
export function oneHot(labels: Tensor, numClasses = -1): Tensor {
  if (!isIndexDtype(labels.dtype)) throw new Error(`oneHot: labels must be int64 (or int32), got ${labels.dtype} (use labels.long())`);
  const d = labels.numbers();
  if (numClasses < 0 && d.length === 0) throw new Error(`oneHot: cannot infer the number of classes from an empty tensor ${fmt(labels.shape)}; give numClasses`);
  const n = numClasses < 0 ? (d as ArrayLike<number> as Int32Array).reduce((m, v) => Math.max(m, v), -1) + 1 : numClasses; // no spread: large inputs would overflow the stack
  checkIndex("oneHot", labels, n, -1);
  return scatter(zeros([...labels.shape, n], { dtype: "int64" }), -1, unsqueeze(labels, -1), 1);
}

function triangle(x: Tensor, diagonal: number, lower: boolean, op: string): Tensor {
  if (x.ndim < 2) throw new Error(`${op}: expects at least 2 dims, got ${fmt(x.shape)}`);
  const [r, c] = x.shape.slice(-2);
  const offset = sub(unsqueeze(arange(c, { dtype: "int32" }), 0), unsqueeze(arange(r, { dtype: "int32" }), 1));
  const keep = lower ? le(offset, diagonal) : ge(offset, diagonal);
  return where(keep, x, 0);
}

export function tril(x: Tensor, diagonal = 0): Tensor {
  checkIntArg("tril", "diagonal", diagonal);
  return triangle(x, diagonal, true, "tril");
}

export function triu(x: Tensor, diagonal = 0): Tensor {
  checkIntArg("triu", "diagonal", diagonal);
  return triangle(x, diagonal, false, "triu");
}

// Optional parameters PyTorch code passes positionally, also taken as one options object (API.md rule 3);
// the type of the declaration gives the exported functions those forms (core.ts, options-form.ts).
// oneHot's serves nn.functional.oneHot as well (the entry layer looks it up by name).
const OPTIONAL_ARGS = declareOptionalArgs({
  oneHot: { first: 1, names: ["numClasses"] },
  tril: { first: 1, names: ["diagonal"] }, triu: { first: 1, names: ["diagonal"] },
});
export type IndexingOptionalArgs = typeof OPTIONAL_ARGS;

// The keys of the trailing options objects (the entry layer, tensor/guard.ts, rejects any other);
// declared beside the functions, where test/option-keys.test.ts compares them with their types.
declareOptions({ scatter: ["reduce"], indexAdd: ["alpha"] });

installMethods({ gather, scatter, scatterAdd, indexSelect, indexAdd, tril, triu });
