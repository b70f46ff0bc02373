/**
 * More of `nn.functional`: `convTranspose1d`, `bilinear`, `embeddingBag`, `oneHot`.
 *
 * ```ts
 * import { nn } from "deeptype";
 * const bags = nn.functional.embeddingBag(ids, weight, offsets, { mode: "sum" });
 * ```
 */
import { Tensor, isFloating, convTranspose2d, indexSelect, indexAdd, gather, zeros, tensor, oneHot as oneHotOp, where } from "../../core.js";
import { describe, tensorArgError, checkKeys, declareOptionalArgs } from "../../tensor/check.js";
import { fmtShape } from "../module.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const EMBEDDING_BAG_KEYS = ["mode", "perSampleWeights", "includeLastOffset", "paddingIdx"] as const;
const CONV_TRANSPOSE1D_KEYS = ["stride", "padding", "outputPadding", "groups", "dilation"] as const;

function checkTensor(x: unknown, fn: string, name: string): Tensor {
  if (!(x instanceof Tensor)) throw tensorArgError(fn, name, x);
  return x;
}

/** Options of `convTranspose1d` (PyTorch's positional order after bias: stride, padding, outputPadding, groups, dilation). */
export interface ConvTranspose1dOptions { stride?: number; padding?: number; outputPadding?: number; groups?: number; dilation?: number }

/**
 * `convTranspose1d(x, w, b, { stride: 2 })`: the gradient of conv1d run forward (learned upsampling),
 * computed as a height-1 convTranspose2d. x [N, Cin, L], w [Cin, Cout/groups, k] -> [N, Cout, Lout],
 * Lout = (L−1)·stride − 2·padding + dilation·(k−1) + outputPadding + 1.
 */
export function convTranspose1d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvTranspose1dOptions = {}): Tensor {
  checkKeys("convTranspose1d", opts, CONV_TRANSPOSE1D_KEYS);
  const fn = "convTranspose1d";
  checkTensor(input, fn, "input");
  checkTensor(weight, fn, "weight");
  if (input.ndim !== 2 && input.ndim !== 3) throw new Error(`${fn}: expected input [N, C, L] or [C, L], got ${fmtShape(input.shape)}`);
  if (weight.ndim !== 3) throw new Error(`${fn}: weight must be [inChannels, outChannels/groups, k], got ${fmtShape(weight.shape)}`);
  const one = (v: number | undefined, name: string, dflt: number): number => {
    const n = v ?? dflt;
    if (typeof n !== "number" || !Number.isInteger(n)) throw new Error(`${fn}: ${name} must be an integer, got ${describe(v)}`);
    return n;
  };
  const y = convTranspose2d(input.unsqueeze(-2), weight.unsqueeze(2), bias, {
    stride: [1, one(opts.stride, "stride", 1)], padding: [0, one(opts.padding, "padding", 0)],
    outputPadding: [0, one(opts.outputPadding, "outputPadding", 0)], dilation: [1, one(opts.dilation, "dilation", 1)], groups: opts.groups,
  });
  return y.squeeze(-2);
}

/**
 * `bilinear(x1, x2, w, b)`: y_o = x1ᵀ·W_o·x2 + b_o for each output feature o.
 * Shape: x1 [*, in1], x2 [*, in2], weight [out, in1, in2], bias [out] -> [*, out].
 */
export function bilinear(x1: Tensor, x2: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const fn = "bilinear";
  checkTensor(x1, fn, "input1");
  checkTensor(x2, fn, "input2");
  checkTensor(weight, fn, "weight");
  if (weight.ndim !== 3) throw new Error(`${fn}: weight must be [outFeatures, in1Features, in2Features], got ${fmtShape(weight.shape)}`);
  const [O, I1, I2] = weight.shape;
  if (x1.ndim < 1 || x1.shape[x1.ndim - 1] !== I1) throw new Error(`${fn}: input1 ${fmtShape(x1.shape)} must end with in1Features = ${I1} (weight ${fmtShape(weight.shape)})`);
  if (x2.ndim < 1 || x2.shape[x2.ndim - 1] !== I2) throw new Error(`${fn}: input2 ${fmtShape(x2.shape)} must end with in2Features = ${I2} (weight ${fmtShape(weight.shape)})`);
  const lead = x1.shape.slice(0, -1);
  if (x2.ndim !== x1.ndim || x2.shape.slice(0, -1).some((s, i) => s !== lead[i])) {
    throw new Error(`${fn}: input1 ${fmtShape(x1.shape)} and input2 ${fmtShape(x2.shape)} must have the same leading dims`);
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O)) throw new Error(`${fn}: bias must be [${O}], got ${fmtShape(bias.shape)}`);
  const B = lead.reduce((a, b) => a * b, 1);
  const a = x1.reshape([B, I1]), b = x2.reshape([B, I2]);
  // (x1 · W reshaped [in1, out·in2]) · x2, summed over in2.
  const t = a.matmul(weight.permute([1, 0, 2]).reshape([I1, O * I2])).reshape([B, O, I2]);
  let y = t.mul(b.unsqueeze(1)).sum(2);
  if (bias) y = y.add(bias);
  return y.reshape([...lead, O]);
}

/** Options of `embeddingBag` (PyTorch's keywords after offsets). */
export interface EmbeddingBagOptions {
  mode?: "sum" | "mean" | "max";
  /** mode "sum" only: a weight per index, the shape of the input. */
  perSampleWeights?: Tensor | null;
  /** offsets has one entry per bag plus the end (as PyTorch's include_last_offset). */
  includeLastOffset?: boolean;
  /** Entries with this id are left out of their bag (not counted in a mean). */
  paddingIdx?: number | null;
}

/**
 * `embeddingBag(ids, weight, offsets, { mode: "mean" })`: the sum, mean or max of each bag of
 * embedding rows, without materialising the [n, D] lookup per bag. ids is [B, L] (each row a bag,
 * no offsets) or [n] with offsets [B] giving each bag's start. An empty bag gives zeros.
 * Shape: -> [B, D].
 */
export function embeddingBag(input: Tensor, weight: Tensor, offsets: Tensor | null = null, opts: EmbeddingBagOptions = {}): Tensor {
  checkKeys("embeddingBag", opts, EMBEDDING_BAG_KEYS);
  const fn = "embeddingBag";
  checkTensor(input, fn, "input");
  checkTensor(weight, fn, "weight");
  const mode = opts.mode ?? "mean";
  if (mode !== "sum" && mode !== "mean" && mode !== "max") throw new Error(`${fn}: mode must be "sum", "mean" or "max", got ${describe(mode)}`);
  if (input.dtype !== "int64" && input.dtype !== "int32") throw new Error(`${fn}: input must be an int64 (or int32) tensor of indices, got ${input.dtype} (use ids.long())`);
  if (weight.ndim !== 2) throw new Error(`${fn}: weight must be [numEmbeddings, embeddingDim], got ${fmtShape(weight.shape)}`);
  const [numRows, D] = weight.shape;
  const ids = Array.from(input.reshape([-1]).numbers());
  let starts: number[];
  if (input.ndim === 2) {
    if (offsets) throw new Error(`${fn}: offsets must be null when input is 2-D ${fmtShape(input.shape)} (each row is a bag)`);
    const [B, L] = input.shape;
    starts = Array.from({ length: B + 1 }, (_, i) => i * L);
  } else if (input.ndim === 1) {
    if (!offsets) throw new Error(`${fn}: a 1-D input needs offsets (the start of each bag), e.g. tensor([0, 3], { dtype: "int64" })`);
    checkTensor(offsets, fn, "offsets");
    if (offsets.ndim !== 1 || (offsets.dtype !== "int64" && offsets.dtype !== "int32")) throw new Error(`${fn}: offsets must be a 1-D int64 (or int32) tensor, got ${offsets.dtype} ${fmtShape(offsets.shape)}`);
    starts = Array.from(offsets.numbers());
    if (starts.length === 0 && !opts.includeLastOffset) throw new Error(`${fn}: offsets is empty; give at least one bag start`);
    if (starts.length > 0 && starts[0] !== 0) throw new Error(`${fn}: offsets[0] must be 0, got ${starts[0]}`);
    for (let i = 1; i < starts.length; i++) {
      if (starts[i] < starts[i - 1] || starts[i] > ids.length) throw new Error(`${fn}: offsets must be non-decreasing and at most the input length ${ids.length}, got ${fmtShape(starts)}`);
    }
    if (!opts.includeLastOffset) starts.push(ids.length);
    else if (starts.length < 1) throw new Error(`${fn}: with includeLastOffset, offsets needs at least one entry`);
  } else {
    throw new Error(`${fn}: input must be [B, L] or [n] (with offsets), got ${fmtShape(input.shape)}`);
  }
  const B = starts.length - 1;
  for (const id of ids) {
    if (id < 0 || id >= numRows) throw new RangeError(`${fn}: index ${id} is out of range for an embedding of ${numRows} rows (valid ids are 0..${numRows - 1})`);
  }
  const pw = opts.perSampleWeights ?? null;
  if (pw) {
    checkTensor(pw, fn, "perSampleWeights");
    if (mode !== "sum") throw new Error(`${fn}: perSampleWeights is only supported with mode "sum", got mode "${mode}"`);
    if (pw.shape.length !== input.shape.length || pw.shape.some((s, i) => s !== input.shape[i])) {
      throw new Error(`${fn}: perSampleWeights ${fmtShape(pw.shape)} must have the input's shape ${fmtShape(input.shape)}`);
    }
  }
  const pad = opts.paddingIdx === undefined || opts.paddingIdx === null ? null : opts.paddingIdx < 0 ? opts.paddingIdx + numRows : opts.paddingIdx;
  if (pad !== null && (pad < 0 || pad >= numRows)) throw new Error(`${fn}: paddingIdx ${opts.paddingIdx} is out of range for ${numRows} rows`);
  // The kept entries (padding left out), each with its bag.
  const keep: number[] = [], bagOf: number[] = [];
  const counts = new Array<number>(B).fill(0);
  for (let b = 0; b < B; b++) {
    for (let i = starts[b]; i < starts[b + 1]; i++) {
      if (ids[i] === pad) continue;
      keep.push(i);
      bagOf.push(b);
      counts[b]++;
    }
  }
  const keepT = tensor(Int32Array.from(keep));
  let rows = indexSelect(weight, 0, indexSelect(tensor(Int32Array.from(ids)), 0, keepT)); // [k, D]
  if (pw) rows = rows.mul(indexSelect(pw.reshape([-1]), 0, keepT).unsqueeze(1));
  if (mode !== "max") {
    const sums = indexAdd(zeros([B, D], { dtype: weight.dtype }), 0, tensor(Int32Array.from(bagOf)), rows);
    if (mode === "sum") return sums;
    return sums.div(tensor(Float64Array.from(counts, (c) => Math.max(c, 1)), { dtype: weight.dtype }).unsqueeze(1));
  }
  // max: the first maximum of each (bag, feature), gathered so that its gradient goes to that row only.
  const data = rows.contiguous().numbers();
  const arg = new Int32Array(B * D);
  let e = 0;
  for (let b = 0; b < B; b++) {
    for (let d = 0; d < D; d++) {
      let best = -1;
      for (let r = e; r < e + counts[b]; r++) if (best < 0 || data[r * D + d] > data[best * D + d]) best = r;
      arg[b * D + d] = Math.max(best, 0);
    }
    e += counts[b];
  }
  if (keep.length === 0) return zeros([B, D], { dtype: weight.dtype });
  const picked = gather(rows, 0, tensor(arg).reshape([B, D]));
  const empty = tensor(Int32Array.from(counts)).eq(0).reshape([B, 1]);
  return where(empty, 0, picked);
}

/**
 * `oneHot(labels, 10)`: [*, numClasses] with a 1 at each label (int32, deeptype's index dtype).
 * numClasses −1 (the default) means max(labels) + 1.
 */
export function oneHot(labels: Tensor, numClasses = -1): Tensor {
  checkTensor(labels, "oneHot", "labels");
  if (isFloating(labels.dtype) || labels.dtype === "bool") {
    throw new Error(`oneHot: labels must be an integer tensor of class indices, got ${labels.dtype} ${fmtShape(labels.shape)}; convert it with labels.int()`);
  }
  return oneHotOp(labels, numClasses);
}

// Optional parameters PyTorch code passes positionally, also taken as one trailing options object
// (API.md rule 3); the entry layer (src/tensor/guard.ts) spreads it into the arguments.
// oneHot's is declared with the op (src/ops/indexing.ts), under the same name.
// convTranspose1d's bias and embeddingBag's offsets may come in their options object with the rest
// (`F.convTranspose1d(x, w, { stride: 2 })` read the object as the bias and failed inside).
const OPTIONAL_ARGS = declareOptionalArgs({
  bilinear: { first: 3, names: ["bias"] },
  convTranspose1d: { first: 2, names: ["bias"], bag: CONV_TRANSPOSE1D_KEYS },
  embeddingBag: { first: 2, names: ["offsets"], bag: EMBEDDING_BAG_KEYS },
});
export type MiscOptionalArgs = typeof OPTIONAL_ARGS;
