/**
 * Shape ops. Most are views: a new shape/strides/offset over the same storage, no copy
 * (reshape, permute, expand, slicing...). `contiguous()` and `clone()` copy. Broadcasting is an
 * explicit `expand`, so un-broadcasting a gradient (summing over expanded axes) lives in exactly one
 * backward rule: expand's. Joining, repeating, flipping and padding (new memory) are in ./join.ts.
 */
import { argError, checkTensor, declareOptionalArgs } from "../tensor/check.js";
import { Tensor } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { isFloating } from "../tensor/dtype.js";
import { contiguousStrides, fmt, normalizeDim, numel, sameShape } from "../tensor/shape.js";
import { type OpDef, apply, backend, defineOp, installMethods, setViewRefresher } from "./op.js";
import type { Node } from "../autograd/node.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { sum } from "./reduce.js";
import { where } from "./elementwise.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** A contiguous copy when needed (this tensor itself when already contiguous). */
    contiguous(): Tensor;
    /** A copy that owns its storage; gradients flow back through it. */
    clone(): Tensor;
    /** `x.to("float64")`: a converted copy (this tensor itself when the dtype already matches). */
    to(dtype: DType): Tensor;
    float(): Tensor;
    double(): Tensor;
    /** `x.half()`: `to("float16")` (16-bit storage, float32 compute, as PyTorch on CPU). */
    half(): Tensor;
    /** `x.bfloat16()`: `to("bfloat16")`. */
    bfloat16(): Tensor;
    int(): Tensor;
    /** `x.long()`: a copy as int64 (PyTorch's index dtype), floats truncated toward zero. @example tensor([1.7]).long() // tensor([1]) */
    long(): Tensor;
    bool(): Tensor;
    /** The same data outside the graph: shares storage, never requires grad. */
    detach(): Tensor;
    /** `x.reshape([2, -1])`: a view when strides allow, else a copy. */
    reshape(shape: readonly number[]): Tensor;
    /** `x.view([2, -1])`: like reshape, but throws rather than copy. */
    view(shape: readonly number[]): Tensor;
    viewAs(other: Tensor): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    /** `x.flatten({ startDim: 1 })`: the options-object form (API.md rule 3). */
    flatten(opts: { startDim?: number; endDim?: number }): Tensor;
    flatten(startDim: number | undefined, opts: { endDim?: number }): Tensor;
    unflatten(dim: number, sizes: readonly number[]): Tensor;
    permute(dims: readonly number[]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    /** Transpose of a matrix (0-d and 1-d tensors are returned as they are). */
    t(): Tensor;
    /** Drops size-1 dims (all of them, or just `dim`). */
    squeeze(dim?: number): Tensor;
    squeeze(opts: { dim?: number }): Tensor;
    unsqueeze(dim: number): Tensor;
    /** `x.expand([4, -1])`: broadcasts size-1 dims without copying (stride 0). */
    expand(shape: readonly number[]): Tensor;
    expandAs(other: Tensor): Tensor;
    broadcastTo(shape: readonly number[]): Tensor;
    /** `x.narrow(1, 2, 3)`: elements 2, 3, 4 along dim 1 (a view). */
    narrow(dim: number, start: number, length: number): Tensor;
    /** `x.select(0, 1)`: index 1 along dim 0, dropping that dim (a view). */
    select(dim: number, index: number): Tensor;
    /** `x.slice(1, 0, 10, 2)`: start:end:step along one dim (a view). */
    slice(dim: number, start?: number, end?: number, step?: number): Tensor;
    /** `x.get(":", "1:3", 0)`: Python-style indexing, one entry per dim (number, "a:b:c", ":" or "..."). */
    get(...index: (number | string | null)[]): Tensor;
    split(sizeOrSizes: number | readonly number[], dim?: number): Tensor[];
    split(sizeOrSizes: number | readonly number[], opts: { dim?: number }): Tensor[];
    /** `x.unbind(0)`: the slices along a dim, that dim removed (views). */
    unbind(dim?: number): Tensor[];
    unbind(opts: { dim?: number }): Tensor[];
    chunk(chunks: number, dim?: number): Tensor[];
    chunk(chunks: number, opts: { dim?: number }): Tensor[];
  }
}

// ---------------------------------------------------------------- copies and casts

const copyOp = defineOp<{ dtype: DType }>({
  name: "copy",
  forward([x], { dtype }) {
    const out = Tensor.empty(x.shape, dtype);
    backend().copy(x.view_(), out.view_());
    return out;
  },
  backward: (g, { inputDtypes: [dtype] }) => [isFloating(dtype) ? to(g, dtype) : null],
});

/** `x` itself when its elements are already in row-major order (at any offset into its storage), as PyTorch's. */
export function contiguous(x: Tensor): Tensor {
  return x.isContiguous() ? x : apply(copyOp, [x], { dtype: x.dtype });
}

export function clone(x: Tensor): Tensor {
  return apply(copyOp, [x], { dtype: x.dtype });
}

export function to(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : apply(copyOp, [x], { dtype });
}

/**
 * Shares storage (and the version counter) but is not a view for autograd: writing into it in place
 * never rewrites x's graph, as PyTorch's detach().
 */
export function detach(x: Tensor): Tensor {
  return new Tensor(x.storage, x.shape, x.strides, x.offset, x.dtype);
}

// ---------------------------------------------------------------- views

interface ViewAttrs {
  shape: readonly number[];
  strides: readonly number[];
  offset: number;
  /** How the gradient returns to the input's shape. */
  back: (g: Tensor, inputShape: readonly number[]) => Tensor;
  name: string;
}

const viewOp = defineOp<ViewAttrs>({
  name: "view",
  forward([x], a) {
    return new Tensor(x.storage, a.shape, a.strides, a.offset, x.dtype, x.base ?? x);
  },
  backward: (g, { inputShapes: [shape], attrs }) => [attrs.back(g, shape)],
});

export function makeView(x: Tensor, name: string, shape: readonly number[], strides: readonly number[], offset: number, back: ViewAttrs["back"]): Tensor {
  return track(apply({ ...viewOp, name }, [x], { shape, strides, offset, back, name }));
}

// ---------------------------------------------------------------- views and in-place writes
//
// A view recorded under autograd remembers its root's gradFn at the time. When the root's graph is
// replaced by an in-place op (on the root, or through another view), the view's values changed, so
// its graph is rebuilt as a window onto the root's current graph before it is read (apply() calls
// refresh), as PyTorch regenerates a view's grad_fn.

const viewSource = new WeakMap<Tensor, Node | null>();

/**
 * Views taken under noGrad, with their storage's version then. PyTorch marks them (CreationMeta
 * NO_GRAD_MODE) and refuses to rebuild their graph: once the base was modified in place, using the
 * view while gradients are recorded raises when the base requires grad, as does modifying the view
 * itself in place (handle_view_on_rebase). Reading its values stays allowed.
 */
const noGradViews = new WeakMap<Tensor, number>();

function track(v: Tensor): Tensor {
  if (v.base === null) return v;
  if (isGradEnabled()) viewSource.set(v, v.base.gradFn);
  else noGradViews.set(v, v.storage.version);
  return v;
}

const NO_GRAD_VIEW_FIX =
  "this is ambiguous, so PyTorch forbids it too; take the view and make the in-place change both inside noGrad (not tracked) or both outside it (tracked)";

interface WindowAttrs {
  /** Geometry of the window in the root's storage (the root is contiguous with offset 0). */
  shape: readonly number[];
  strides: readonly number[];
  offset: number;
  rootShape: readonly number[];
}

/** The window of a root-shaped contiguous tensor. */
const windowOp: OpDef<WindowAttrs> = defineOp<WindowAttrs>({
  name: "view",
  forward([x], a) {
    return new Tensor(x.storage, a.shape, a.strides, a.offset, x.dtype, x.base ?? x);
  },
  backward: (g, { attrs }) => [apply(unwindowOp, [g], attrs)],
});

/** Zeros of the root's shape with g written into the window. */
const unwindowOp: OpDef<WindowAttrs> = defineOp<WindowAttrs>({
  name: "unwindow",
  forward([g], a) {
    const out = Tensor.empty(a.rootShape, g.dtype);
    backend().copy(g.view_(), { ...out.view_(), shape: a.shape, strides: a.strides, offset: a.offset });
    return out;
  },
  backward: (gg, { attrs }) => [apply(windowOp, [contiguous(gg)], attrs)],
});

/** The root after `src` was written into the window: [root before, src] -> root after. */
const copySlicesOp: OpDef<WindowAttrs> = defineOp<WindowAttrs>({
  name: "copySlices",
  forward([root]) {
    // The values were already written into the root's storage by the in-place op.
    return new Tensor(root.storage, root.shape, root.strides, root.offset, root.dtype);
  },
  backward: (g, { attrs, needsInputGrad }) => {
    const inWindow = (): Tensor => {
      const ones = Tensor.empty(attrs.shape, "bool");
      (ones.storage.data as Uint8Array).fill(1);
      return apply(unwindowOp, [ones], attrs);
    };
    return [
      needsInputGrad[0] ? where(inWindow(), 0, g) : null,
      needsInputGrad[1] ? apply(windowOp, [contiguous(g)], attrs) : null,
    ];
  },
});

function windowOf(v: Tensor, root: Tensor): WindowAttrs {
  return { shape: v.shape, strides: v.strides, offset: v.offset, rootShape: root.shape };
}

/** Whether views of `root` can be handled through absolute windows. */
function plainRoot(root: Tensor): boolean {
  return root.offset === 0 && root.isContiguous() && root.storage.data.length === root.numel();
}

function refresh(v: Tensor, op: string): void {
  const root = v.base;
  const ngVersion = noGradViews.get(v);
  if (ngVersion !== undefined) {
    if (root !== null && root.requiresGrad && v.storage.version !== ngVersion) {
      throw new Error(`${op}: a view of shape ${fmt(v.shape)} was taken under noGrad and its base ${fmt(root.shape)} (or another view of it) has since been modified in place; ${NO_GRAD_VIEW_FIX}`);
    }
    return;
  }
  const seen = viewSource.get(v);
  if (seen === undefined || root === null || root.gradFn === seen) return;
  viewSource.set(v, root.gradFn);
  if (!root.requiresGrad) return;
  if (!plainRoot(root)) {
    throw new Error(`a view of shape ${fmt(v.shape)} was read after its base ${fmt(root.shape)} was modified in place, and the base's layout does not allow rebuilding its gradient; take the view again after the in-place op`);
  }
  v.gradFn = apply(windowOp, [root], windowOf(v, root)).gradFn;
  v.requiresGrad = true;
}
setViewRefresher(refresh);

/**
 * Records an in-place write of `src` into the view `v` while gradients are recorded: the root's
 * graph becomes "root before, with the window replaced by src" (PyTorch's CopySlices), and `v` a
 * window of it. Call after the values were written. Throws for layouts this cannot express.
 */
export function recordWriteThroughView(v: Tensor, src: Tensor): void {
  const root = v.base!;
  let before = root;
  if (root.requiresGrad) {
    before = new Tensor(root.storage, root.shape, root.strides, root.offset, root.dtype);
    before.gradFn = root.gradFn;
    before.requiresGrad = true;
  }
  const attrs = windowOf(v, root);
  root.gradFn = apply(copySlicesOp, [before, src], attrs).gradFn;
  root.requiresGrad = true;
  v.gradFn = apply(windowOp, [root], attrs).gradFn;
  v.requiresGrad = true;
  viewSource.set(v, root.gradFn);
}

/** Throws when an in-place write into the view `v` cannot be recorded (call before writing). */
export function checkWriteThroughView(v: Tensor, op: string): void {
  if (noGradViews.has(v)) throw new Error(`${op}: a view of shape ${fmt(v.shape)} taken under noGrad is being modified in place while gradients are recorded; ${NO_GRAD_VIEW_FIX}`);
  if (v.shape.some((n, d) => n > 1 && v.strides[d] === 0)) {
    throw new Error(`${op}: in-place modification of an expanded view (several elements share one memory location) is not supported while gradients are recorded; clone() it first`);
  }
  if (!plainRoot(v.base!)) {
    throw new Error(`${op}: in-place modification of this view is not supported while gradients are recorded (its base is not a plain contiguous tensor); use the out-of-place op`);
  }
}

/** Checked before an in-place op on a view: brings its graph up to date. */
export function refreshBeforeWrite(v: Tensor, op: string): void {
  if (v.base !== null && isGradEnabled()) refresh(v, op);
}

const reshapeBack = (g: Tensor, shape: readonly number[]): Tensor => reshape(g, shape);

/** Resolves one -1 and checks the element count. */
function inferShape(x: Tensor, shape: readonly number[], op: string): number[] {
  if (!Array.isArray(shape)) throw argError(op, "shape", "an array of integers like [2, -1]", shape);
  const out = [...shape];
  const free = out.indexOf(-1);
  if (out.filter((d) => d === -1).length > 1) throw new Error(`${op}: only one dimension can be -1, got ${fmt(shape)}`);
  for (const d of out) if (d !== -1 && (!Number.isInteger(d) || d < 0)) throw new Error(`${op}: invalid size ${d} in ${fmt(shape)}`);
  const known = out.reduce((a, d) => (d === -1 ? a : a * d), 1);
  if (free >= 0) {
    if (known === 0 || x.numel() % known !== 0) throw new Error(`${op}: shape ${fmt(shape)} is invalid for input of shape ${fmt(x.shape)} (${x.numel()} elements)`);
    out[free] = x.numel() / known;
  }
  if (numel(out) !== x.numel()) {
    throw new Error(`${op}: shape ${fmt(shape)} is invalid for input of shape ${fmt(x.shape)}: ${numel(out)} elements vs ${x.numel()}`);
  }
  return out;
}

/**
 * Strides that let `shape` view x's storage in row-major order, or null when impossible
 * (each group of merged/split dims must be contiguous among themselves).
 */
function viewStrides(x: Tensor, shape: readonly number[]): number[] | null {
  if (x.isContiguous()) return contiguousStrides(shape);
  const oldShape = x.shape.filter((d) => d !== 1);
  const oldStrides = x.strides.filter((_, i) => x.shape[i] !== 1);
  const strides = new Array<number>(shape.length).fill(0);
  let oi = 0;
  let ni = 0;
  while (ni < shape.length || oi < oldShape.length) {
    if (ni < shape.length && shape[ni] === 1) {
      strides[ni++] = 1;
      continue;
    }
    if (oi >= oldShape.length || ni >= shape.length) return null;
    // Take a chunk of old dims and a chunk of new dims with equal element counts.
    const oStart = oi, nStart = ni;
    let oSize = oldShape[oi++], nSize = shape[ni++];
    while (oSize !== nSize) {
      if (oSize < nSize) {
        if (oi >= oldShape.length) return null;
        oSize *= oldShape[oi++];
      } else {
        if (ni >= shape.length) return null;
        nSize *= shape[ni++];
      }
    }
    for (let k = oStart; k < oi - 1; k++) if (oldStrides[k] !== oldStrides[k + 1] * oldShape[k + 1]) return null;
    let s = oldStrides[oi - 1];
    for (let k = ni - 1; k >= nStart; k--) {
      strides[k] = s;
      s *= shape[k];
    }
  }
  return strides;
}

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(x, shape, "reshape");
  if (sameShape(target, x.shape)) return x;
  const strides = viewStrides(x, target);
  if (strides) return makeView(x, "reshape", target, strides, x.offset, reshapeBack);
  const c = contiguous(x);
  return makeView(c, "reshape", target, contiguousStrides(target), c.offset, reshapeBack);
}

export function view(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(x, shape, "view");
  const strides = viewStrides(x, target);
  if (!strides) {
    throw new Error(`view: shape ${fmt(target)} is not compatible with the input's size ${fmt(x.shape)} and stride ${fmt(x.strides)}; use reshape() (which copies when needed)`);
  }
  return makeView(x, "view", target, strides, x.offset, reshapeBack);
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  // A 0-d tensor takes dims -1 and 0 (as PyTorch) and becomes [1] through the general path.
  const s = normalizeDim(startDim, x.ndim, "flatten");
  const e = normalizeDim(endDim, x.ndim, "flatten");
  if (s > e) throw new Error(`flatten: startDim (${startDim}) must not come after endDim (${endDim})`);
  const merged = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const d = normalizeDim(dim, x.ndim, "unflatten");
  const known = sizes.filter((v) => v !== -1).reduce((a, b) => a * b, 1);
  const resolved = sizes.map((v) => (v === -1 ? x.shape[d] / known : v));
  if (resolved.reduce((a, b) => a * b, 1) !== x.shape[d]) {
    throw new Error(`unflatten: sizes ${fmt(sizes)} do not multiply to dim ${dim}'s size ${x.shape[d]} (input ${fmt(x.shape)})`);
  }
  return reshape(x, [...x.shape.slice(0, d), ...resolved, ...x.shape.slice(d + 1)]);
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim) throw new Error(`permute: got ${dims.length} dims ${fmt(dims)} for a tensor of ${x.ndim} dims ${fmt(x.shape)}`);
  const p = dims.map((d) => normalizeDim(d, x.ndim, "permute"));
  if (new Set(p).size !== p.length) throw new Error(`permute: dims ${fmt(dims)} repeat a dimension`);
  const inverse = new Array<number>(p.length);
  p.forEach((d, i) => (inverse[d] = i));
  return makeView(x, "permute", p.map((d) => x.shape[d]), p.map((d) => x.strides[d]), x.offset, (g) => permute(g, inverse));
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const a = normalizeDim(dim0, x.ndim, "transpose");
  const b = normalizeDim(dim1, x.ndim, "transpose");
  const p = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, p);
}

export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new Error(`t: expects a tensor with <= 2 dimensions, got ${fmt(x.shape)}; use transpose(dim0, dim1) or mT`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

export function squeeze(x: Tensor, dim?: number): Tensor {
  if (dim === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const d = normalizeDim(dim, x.ndim, "squeeze");
  if (x.shape[d] !== 1) return x;
  return reshape(x, x.shape.filter((_, i) => i !== d));
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim, "unsqueeze", 1);
  const shape = [...x.shape];
  shape.splice(d, 0, 1);
  return reshape(x, shape);
}

export function expand(x: Tensor, shape: readonly number[]): Tensor {
  // Broadcasting calls this for every operand of every binary op; most already have the shape.
  if (sameShape(shape, x.shape)) return x;
  if (shape.length < x.ndim) {
    throw new Error(`expand: the target shape ${fmt(shape)} has fewer dims than the input ${fmt(x.shape)}`);
  }
  const lead = shape.length - x.ndim;
  const outShape: number[] = [];
  const strides: number[] = [];
  shape.forEach((s, i) => {
    const j = i - lead;
    const cur = j >= 0 ? x.shape[j] : 1;
    const size = s === -1 ? (j >= 0 ? cur : NaN) : s;
    if (!Number.isInteger(size) || size < 0 || (cur !== 1 && cur !== size)) {
      throw new Error(
        `expand: cannot expand ${fmt(x.shape)} to ${fmt(shape)}: dim ${i} has size ${j >= 0 ? cur : "(new)"}, ` +
          `target ${s} (only size-1 dims can grow; -1 keeps a size)`,
      );
    }
    outShape.push(size);
    strides.push(j >= 0 && cur === size ? x.strides[j] : 0);
  });
  if (sameShape(outShape, x.shape)) return x;
  return makeView(x, "expand", outShape, strides, x.offset, (g, inShape) => sumTo(g, inShape));
}

/** Sums g down to `shape` (the inverse of broadcasting `shape` up to g's shape). */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  return reshape(sum(g, dims, true), shape);
}

// ---------------------------------------------------------------- slicing

interface SliceSpec {
  start: number;
  step: number;
  length: number;
}

interface SliceAttrs {
  specs: readonly SliceSpec[];
  /** Dims removed after slicing (select). */
  drop: readonly number[];
  inputShape: readonly number[];
}

function sliceGeometry(x: { shape: readonly number[]; strides: readonly number[]; offset: number }, a: SliceAttrs) {
  let offset = x.offset;
  const shape: number[] = [];
  const strides: number[] = [];
  a.specs.forEach((s, d) => {
    offset += s.start * x.strides[d];
    if (a.drop.includes(d)) return;
    shape.push(s.length);
    strides.push(x.strides[d] * s.step);
  });
  return { shape, strides, offset };
}

const sliceOp: OpDef<SliceAttrs> = defineOp<SliceAttrs>({
  name: "slice",
  forward([x], a) {
    const { shape, strides, offset } = sliceGeometry(x, a);
    return new Tensor(x.storage, shape, strides, offset, x.dtype, x.base ?? x);
  },
  backward: (g, { attrs }) => [apply(unsliceOp, [g], attrs)],
  // Adds g into its window only: T slices of one tensor cost O(size) in backward, not T full tensors.
  backwardInto: (g, attrs, into) => {
    const out = into ?? Tensor.empty(attrs.inputShape, g.dtype);
    const win = { ...out.view_(), ...sliceGeometry(out, attrs) };
    if (into) {
      const sum = Tensor.empty(g.shape, out.dtype);
      backend().binary("add", win, to(g, out.dtype).view_(), sum.view_());
      backend().copy(sum.view_(), win);
    } else {
      backend().copy(g.view_(), win);
    }
    return out;
  },
});

/** Gradient of slice: zeros of the input's shape with g written into the sliced window. */
const unsliceOp: OpDef<SliceAttrs> = defineOp<SliceAttrs>({
  name: "unslice",
  forward([g], a) {
    const out = Tensor.empty(a.inputShape, g.dtype);
    const win = sliceGeometry(out, a);
    backend().copy(g.view_(), { ...out.view_(), ...win });
    return out;
  },
  backward: (gg, { attrs }) => [apply(sliceOp, [gg], attrs)],
});

function sliceDims(x: Tensor, edits: Map<number, SliceSpec>, drop: number[] = []): Tensor {
  const specs = x.shape.map((n, d) => edits.get(d) ?? { start: 0, step: 1, length: n });
  return track(apply(sliceOp, [x], { specs, drop, inputShape: x.shape }));
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim(dim, x.ndim, "narrow");
  // PyTorch: "narrow() cannot be applied to a 0-dim tensor" (a 0-d tensor's dim 0 is only a reduction's).
  if (x.ndim === 0) throw new Error("narrow: cannot be applied to a 0-d tensor (PyTorch refuses too); reshape it to [1] first");
  const n = x.shape[d];
  const s = start < 0 ? start + n : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > n) {
    throw new RangeError(`narrow: start ${start} with length ${length} is out of range for dim ${dim} of size ${n} (shape ${fmt(x.shape)})`);
  }
  return sliceDims(x, new Map([[d, { start: s, step: 1, length }]]));
}

export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normalizeDim(dim, x.ndim, "select");
  if (x.ndim === 0) throw new RangeError("select: cannot be applied to a 0-d tensor (PyTorch refuses too); use item() for its value");
  const n = x.shape[d];
  const i = index < 0 ? index + n : index;
  if (!Number.isInteger(i) || i < 0 || i >= n) {
    throw new RangeError(`select: index ${index} is out of range for dim ${dim} of size ${n} (shape ${fmt(x.shape)})`);
  }
  return sliceDims(x, new Map([[d, { start: i, step: 1, length: 1 }]]), [d]);
}

/** Python's slice semantics, clamped to the dim (positive steps only, as PyTorch). */
function resolveSlice(n: number, start: number | undefined, end: number | undefined, step: number, op: string): SliceSpec {
  if (!Number.isInteger(step) || step <= 0) throw new Error(`${op}: step must be a positive integer, got ${step}`);
  const clamp = (v: number | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    const r = v < 0 ? v + n : v;
    return Math.min(Math.max(r, 0), n);
  };
  const s = clamp(start, 0);
  const e = clamp(end, n);
  return { start: s, step, length: Math.max(0, Math.ceil((e - s) / step)) };
}

export function slice(x: Tensor, dim: number, start?: number, end?: number, step = 1): Tensor {
  const d = normalizeDim(dim, x.ndim, "slice");
  return sliceDims(x, new Map([[d, resolveSlice(x.shape[d], start, end, step, "slice")]]));
}

/**
 * `x.get(0, ":", "1:3", "...", null)`: PyTorch's `x[0, :, 1:3, ..., None]` (basic indexing, a view).
 * `null` inserts a new axis of size 1 there, as PyTorch's `None`.
 */
export function get(x: Tensor, ...index: (number | string | null)[]): Tensor {
  const ell = index.indexOf("...");
  if (ell >= 0 && index.indexOf("...", ell + 1) >= 0) throw new Error("get: an index can only have a single ellipsis (\"...\")");
  const used = index.filter((e) => e !== null && e !== "...").length;
  if (used > x.ndim) throw new Error(`get: too many indices (${used}) for a tensor of shape ${fmt(x.shape)}`);
  const entries = ell >= 0 ? [...index.slice(0, ell), ...new Array<string>(x.ndim - used).fill(":"), ...index.slice(ell + 1)] : index;
  const edits = new Map<number, SliceSpec>();
  const drop: number[] = [];
  const newAxes: number[] = []; // positions in the result
  let d = 0; // the input dim the next entry indexes
  let out = 0; // the result dim it lands on
  for (const e of entries) {
    if (e === null) {
      newAxes.push(out++);
      continue;
    }
    const n = x.shape[d];
    if (typeof e === "number") {
      const i = e < 0 ? e + n : e;
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`get: index ${e} is out of range for dim ${d} of size ${n} (shape ${fmt(x.shape)})`);
      edits.set(d, { start: i, step: 1, length: 1 });
      drop.push(d++);
      continue;
    }
    if (e !== ":") {
      const m = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(\d+)?\s*)?$/.exec(e);
      if (!m) throw new Error(`get: cannot parse index "${e}" for dim ${d}; use a number, "start:stop", "start:stop:step", ":", "..." or null (a new axis)`);
      const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
      edits.set(d, resolveSlice(n, num(m[1]), num(m[2]), num(m[3]) ?? 1, "get"));
    }
    d++;
    out++;
  }
  let r = sliceDims(x, edits, drop);
  for (const a of newAxes) r = unsqueeze(r, a);
  return r;
}

export function split(x: Tensor, sizeOrSizes: number | readonly number[], dim = 0): Tensor[] {
  const d = normalizeDim(dim, x.ndim, "split");
  if (x.ndim === 0) throw new Error("split: expects a tensor of at least 1 dim, got a 0-d tensor (as PyTorch); reshape it to [1] first");
  const n = x.shape[d];
  let sizes: number[];
  if (typeof sizeOrSizes === "number") {
    // As PyTorch: a size of 0 only for an empty dim, and an empty dim still gives one (empty) part.
    if (!Number.isInteger(sizeOrSizes) || sizeOrSizes < 0 || (sizeOrSizes === 0 && n !== 0)) {
      throw new Error(`split: size must be a positive integer (0 only for an empty dim), got ${sizeOrSizes} for dim ${d} of size ${n}`);
    }
    sizes = n === 0 ? [0] : [];
    for (let s = 0; s < n; s += sizeOrSizes) sizes.push(Math.min(sizeOrSizes, n - s));
  } else {
    sizes = [...sizeOrSizes];
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== n) throw new Error(`split: sizes ${fmt(sizes)} add up to ${total}, but dim ${dim} has size ${n}`);
  }
  let start = 0;
  return sizes.map((len) => {
    const part = narrow(x, d, start, len);
    start += len;
    return part;
  });
}

export function unbind(x: Tensor, dim = 0): Tensor[] {
  if (x.ndim === 0) throw new Error("unbind: a 0-d tensor has no dimension to unbind (reshape it to [1] first)");
  const d = normalizeDim(dim, x.ndim, "unbind");
  return Array.from({ length: x.shape[d] }, (_, i) => select(x, d, i));
}

export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0) throw new Error(`chunk: chunks must be a positive integer, got ${chunks}`);
  const n = x.shape[normalizeDim(dim, x.ndim, "chunk")];
  // An empty dim gives `chunks` empty parts, as PyTorch's (so an LSTM's 4 gates of a 0-unit cell unpack).
  if (n === 0) return split(x, new Array<number>(chunks).fill(0), dim);
  return split(x, Math.ceil(n / chunks), dim);
}

// Optional parameters PyTorch code passes positionally, also taken as one options object (API.md rule 3);
// the type of the declaration gives the exported functions those forms (core.ts, options-form.ts).
const OPTIONAL_ARGS = declareOptionalArgs({
  flatten: { first: 1, names: ["startDim", "endDim"] },
  squeeze: { first: 1, names: ["dim"] },
  split: { first: 2, names: ["dim"] }, chunk: { first: 2, names: ["dim"] },
  unbind: { first: 1, names: ["dim"] },
});
export type ShapeOptionalArgs = typeof OPTIONAL_ARGS;

installMethods({
  contiguous, clone, to, detach, reshape, view, flatten, unflatten, permute, transpose, t, squeeze, unsqueeze,
  expand, broadcastTo: expand, narrow, select, slice, split, unbind, chunk,
  float: (x: Tensor) => to(x, "float32"),
  double: (x: Tensor) => to(x, "float64"),
  half: (x: Tensor) => to(x, "float16"),
  bfloat16: (x: Tensor) => to(x, "bfloat16"),
  int: (x: Tensor) => to(x, "int32"),
  long: (x: Tensor) => to(x, "int64"),
  bool: (x: Tensor) => to(x, "bool"),
  viewAs: (x: Tensor, o: Tensor) => (checkTensor("viewAs", "other", o), view(x, o.shape)),
  expandAs: (x: Tensor, o: Tensor) => (checkTensor("expandAs", "other", o), expand(x, o.shape)),
  get: (x: Tensor, ...index: (number | string | null)[]) => get(x, ...index),
});
