/**
 * Ops that build a new tensor from pieces of others or around one: cat, stack, repeat, flip and pad.
 * Unlike most of ./shape.ts they return new memory (PyTorch's flip and repeat copy too).
 */
import { declareOptionalArgs } from "../tensor/check.js";
import { Tensor } from "../tensor/tensor.js";
import { castScalar, fillStorage, promoteTypes } from "../tensor/dtype.js";
import { fmt, normalizeDim, sameShape } from "../tensor/shape.js";
import { apply, backend, defineOp, installMethods } from "./op.js";
import { clone, contiguous, expand, makeView, narrow, reshape, to, unsqueeze } from "./shape.js";
import { indexSelect } from "./indexing.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    flip(dims: number | readonly number[]): Tensor;
    repeat(sizes: readonly number[]): Tensor;
    /** `x.pad([1, 1])`: pads the last dims (PyTorch order: last dim's left, right, then the one before...). */
    pad(pads: readonly number[], mode?: PadMode, value?: number): Tensor;
    pad(pads: readonly number[], opts: { mode?: PadMode; value?: number }): Tensor;
    pad(pads: readonly number[], mode: PadMode | undefined, opts: { value?: number }): Tensor;
  }
}

const catOp = defineOp<{ dim: number }>({
  name: "cat",
  saves: [],
  forward(xs, { dim }) {
    const shape = [...xs[0].shape];
    shape[dim] = xs.reduce((a, x) => a + x.shape[dim], 0);
    const out = Tensor.empty(shape, xs[0].dtype);
    const ov = out.view_();
    let start = 0;
    for (const x of xs) {
      backend().copy(x.view_(), { ...ov, shape: x.shape, offset: start * out.strides[dim] });
      start += x.shape[dim];
    }
    return out;
  },
  backward: (g, { inputShapes, attrs }) => {
    let start = 0;
    return inputShapes.map((shape) => {
      const part = narrow(g, attrs.dim, start, shape[attrs.dim]);
      start += shape[attrs.dim];
      return part;
    });
  },
});

/** `cat([a, b], 0)`: joins tensors along an existing dim (promoting dtypes). */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new Error("cat: expected a non-empty list of tensors");
  tensors.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new Error(`cat: element ${i} of the list is ${x === null ? "null" : typeof x}, not a Tensor`);
  });
  // PyTorch's legacy rule: 1-D empty tensors are skipped when joined with others of another rank
  // (their dtypes still take part in the promotion, as in PyTorch). Skipping them among 1-D tensors
  // changes nothing, so they are skipped whenever another tensor is left.
  const dtype = tensors.map((x) => x.dtype).reduce(promoteTypes);
  const kept = tensors.filter((x) => !(x.ndim === 1 && x.shape[0] === 0));
  if (kept.length) tensors = kept;
  const ref = tensors[0];
  const d = normalizeDim(dim, ref.ndim, "cat");
  tensors.forEach((x, i) => {
    if (x.ndim !== ref.ndim || x.shape.some((s, k) => k !== d && s !== ref.shape[k])) {
      throw new Error(`cat: tensor ${i} has shape ${fmt(x.shape)}, which does not match tensor 0's ${fmt(ref.shape)} outside dim ${dim}`);
    }
  });
  return apply(catOp, tensors.map((x) => to(x, dtype)), { dim: d });
}

/** `stack([a, b], 0)`: joins same-shaped tensors along a new dim. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new Error("stack: expected a non-empty list of tensors");
  tensors.forEach((x, i) => {
    if (!sameShape(x.shape, tensors[0].shape)) throw new Error(`stack: tensor ${i} has shape ${fmt(x.shape)} but tensor 0 has ${fmt(tensors[0].shape)}; all must match`);
  });
  const d = normalizeDim(dim, tensors[0].ndim, "stack", 1);
  return cat(tensors.map((x) => unsqueeze(x, d)), d);
}

export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  const list = (typeof dims === "number" ? [dims] : dims).map((d) => normalizeDim(d, x.ndim, "flip"));
  // PyTorch refuses a repeated dim (flipping twice would be the identity, likely not what was meant).
  const twice = list.find((d, i) => list.indexOf(d) !== i);
  if (twice !== undefined) throw new Error(`flip: dim ${twice} appears more than once in ${fmt(typeof dims === "number" ? [dims] : dims)}; give each dim once`);
  let offset = x.offset;
  const strides = x.strides.map((s, d) => {
    if (!list.includes(d)) return s;
    offset += (x.shape[d] - 1) * s;
    return -s;
  });
  // A negative-stride view, then a copy: flip returns new memory, as in PyTorch.
  return clone(makeView(x, "flip", x.shape, strides, offset, (g) => flip(g, list)));
}

export function repeat(x: Tensor, sizes: readonly number[]): Tensor {
  if (sizes.length < x.ndim) throw new Error(`repeat: got ${sizes.length} repeat counts for a tensor of ${x.ndim} dims; give at least one per dim`);
  const lead = sizes.length - x.ndim;
  const src = [...new Array<number>(lead).fill(1), ...x.shape];
  const interleaved: number[] = [];
  const expanded: number[] = [];
  src.forEach((s, i) => {
    interleaved.push(1, s);
    expanded.push(sizes[i], s);
  });
  return reshape(contiguous(expand(reshape(x, interleaved), expanded)), src.map((s, i) => s * sizes[i]));
}

interface PadAttrs {
  pads: readonly [number, number][];
  value: number;
}

const padConstantOp = defineOp<PadAttrs>({
  name: "pad",
  forward([x], { pads, value }) {
    const shape = x.shape.map((n, d) => n + pads[d][0] + pads[d][1]);
    const out = Tensor.empty(shape, x.dtype);
    if (value !== 0) fillStorage(out.storage.data, castScalar(value, x.dtype));
    const offset = pads.reduce((a, [l], d) => a + l * out.strides[d], 0);
    backend().copy(x.view_(), { ...out.view_(), shape: x.shape, offset });
    return out;
  },
  backward: (g, { inputShapes: [shape], attrs }) => {
    let r = g;
    attrs.pads.forEach(([l], d) => (r = narrow(r, d, l, shape[d])));
    return [r];
  },
});

/** `pad`'s modes, as PyTorch's F.pad. */
export type PadMode = "constant" | "reflect" | "replicate" | "circular";

/**
 * `pad(x, [1, 1])`: pads the last dims (pads given last dim first, left then right, as PyTorch's
 * F.pad). "constant" fills with `value` (negative pads crop); "reflect" mirrors without repeating
 * the edge, "replicate" repeats it, "circular" wraps around.
 */
export function pad(x: Tensor, pads: readonly number[], mode: PadMode = "constant", value = 0): Tensor {
  if (pads.length % 2 !== 0 || pads.length / 2 > x.ndim) {
    throw new Error(`pad: expected an even number of pads, at most 2 per dim (${2 * x.ndim} here), got ${fmt(pads)}`);
  }
  const perDim: [number, number][] = x.shape.map(() => [0, 0]);
  for (let i = 0; i < pads.length / 2; i++) perDim[x.ndim - 1 - i] = [pads[2 * i], pads[2 * i + 1]];
  if (perDim.some(([l, r]) => !Number.isInteger(l) || !Number.isInteger(r))) throw new Error(`pad: pads must be integers, got ${fmt(pads)}`);
  // Negative pads crop that side, as PyTorch's.
  perDim.forEach(([l, r], d) => {
    if (x.shape[d] + l + r < 0) throw new Error(`pad: pads (${l}, ${r}) would give dim ${d} of size ${x.shape[d]} a negative size (shape ${fmt(x.shape)})`);
  });
  if (mode === "constant") {
    let cropped = x;
    perDim.forEach(([l, r], d) => {
      if (l < 0 || r < 0) cropped = narrow(cropped, d, Math.max(0, -l), cropped.shape[d] - Math.max(0, -l) - Math.max(0, -r));
    });
    // New memory even when the pads only crop, as PyTorch's (a view would write through to x).
    const positive = perDim.map(([l, r]): [number, number] => [Math.max(0, l), Math.max(0, r)]);
    return apply(padConstantOp, [cropped], { pads: positive, value });
  }
  if (mode !== "reflect" && mode !== "replicate" && mode !== "circular") {
    throw new Error(`pad: unknown mode ${JSON.stringify(mode)} (use "constant", "reflect", "replicate" or "circular")`);
  }
  // PyTorch pads the last 1-3 dims of a batched or unbatched input in these modes (circular: batched only).
  const k = pads.length / 2;
  const ok = mode === "circular" ? x.ndim === k + 2 && k >= 1 && k <= 3 : k >= 1 && k <= 3 && (x.ndim === k + 1 || x.ndim === k + 2);
  if (!ok) {
    const want = mode === "circular" ? "[N, C, ...] with 1 to 3 padded dims (2 pads for [N,C,L], 4 for [N,C,H,W], 6 for [N,C,D,H,W])"
      : "2 pads for a [C,L] or [N,C,L] input, 4 for [C,H,W] or [N,C,H,W], 6 for [C,D,H,W] or [N,C,D,H,W]";
    throw new Error(`pad: ${mode} padding takes ${want}; got ${pads.length} pads for input ${fmt(x.shape)}`);
  }
  if (value !== 0) throw new Error(`pad: ${mode} padding takes no fill value (got ${value}); only "constant" padding fills`);
  let r = x;
  perDim.forEach(([l, rr], d) => {
    if (l === 0 && rr === 0) return;
    const n = x.shape[d];
    if (mode === "reflect" && (l >= n || rr >= n)) throw new Error(`pad: reflect padding (${l}, ${rr}) must be smaller than dim ${d}'s size ${n} (shape ${fmt(x.shape)})`);
    if (mode === "circular" && (l > n || rr > n)) throw new Error(`pad: circular padding (${l}, ${rr}) must be at most dim ${d}'s size ${n} (shape ${fmt(x.shape)}); it would wrap around more than once`);
    if (mode === "replicate" && n === 0) throw new Error(`pad: replicate padding of dim ${d} needs at least one element to repeat (shape ${fmt(x.shape)})`);
    // Each output position reads one input position (the gradient sums back through indexSelect):
    // reflect without repeating the edge (n=4, pad 2: 2 1 | 0 1 2 3 | 2 1), replicate the edge, or wrap.
    const idx: number[] = [];
    // circular: PyTorch crops first (negative pads), then wraps the positive pads around what is left.
    const cropL = Math.max(-l, 0), kept = n - cropL - Math.max(-rr, 0);
    for (let i = -l; i < n + rr; i++) {
      if (mode === "reflect") idx.push(i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
      else if (mode === "replicate") idx.push(Math.min(Math.max(i, 0), n - 1));
      else {
        const j = i - cropL; // position relative to the kept part
        idx.push(cropL + (((j % kept) + kept) % kept));
      }
    }
    r = indexSelect(r, d, arangeFrom(idx));
  });
  return r;
}

function arangeFrom(values: number[]): Tensor {
  return Tensor.fromArray(Int32Array.from(values), [values.length], "int32");
}

// Optional parameters PyTorch code passes positionally, also taken as one options object (API.md rule 3);
// the type of the declaration gives the exported functions those forms (core.ts, options-form.ts).
// pad's serve nn.functional.pad as well (the entry layer looks them up by name).
const OPTIONAL_ARGS = declareOptionalArgs({
  pad: { first: 2, names: ["mode", "value"] },
  cat: { first: 1, names: ["dim"] }, stack: { first: 1, names: ["dim"] },
});
export type JoinOptionalArgs = typeof OPTIONAL_ARGS;

installMethods({ flip, repeat, pad });
