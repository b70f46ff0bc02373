/**
 * Attention: the functional `scaledDotProductAttention` and the `MultiheadAttention` layer, with
 * PyTorch's packed parameters (`in_proj_weight` [3E, E], `in_proj_bias` [3E], `out_proj`) so that
 * state dicts move between the two.
 *
 * Masks follow PyTorch, whose two APIs disagree on what a boolean `true` means:
 * - `MultiheadAttention` (and the Transformer layers): `true` = this position is NOT attended
 *   (masked out); a float mask is added to the scores (use -Infinity to mask).
 * - `scaledDotProductAttention`: `true` = this position TAKES PART in attention (PyTorch 2's
 *   `F.scaled_dot_product_attention`); a float mask is added.
 */
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { Tensor, isFloating, zeros, full, triu, type DType, type Generator } from "../../core.js";
import { Module, Parameter, fmtShape } from "../module.js";
import { dropout as dropoutFn, linear } from "../functional.js";
import { xavierUniform_, zeros_ } from "../init.js";
import { Linear, checkCount } from "./linear.js";

/** The option keys of each layer here: anything else is a misspelling (positionalOptions). */
const MULTIHEAD_ATTENTION_KEYS = ["dropout", "bias", "batchFirst", "kdim", "vdim", "dtype", "generator"] as const;

/** Options of `scaledDotProductAttention`. */
export interface SdpaOptions {
  /**
   * Broadcastable to [..., L, S]. Bool: `true` = may attend (PyTorch 2's convention for this
   * function); float: added to the scores.
   */
  attnMask?: Tensor | null;
  /** Dropout probability on the attention weights (default 0; applied whenever > 0, as PyTorch's function). */
  dropoutP?: number;
  /** Mask out future positions (j > i) as a decoder does; not together with attnMask. */
  isCausal?: boolean;
  /** Score scale (default 1/√E). */
  scale?: number;
  generator?: Generator;
}

/**
 * `scaledDotProductAttention(q, k, v)`: softmax(q·kᵀ/√E + mask)·v, the core of attention.
 *
 * ```ts
 * const out = nn.functional.scaledDotProductAttention(q, k, v, { isCausal: true });
 * ```
 *
 * Shape: q [..., L, E], k [..., S, E], v [..., S, Ev] -> [..., L, Ev] (leading dims broadcast).
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts: SdpaOptions = {}): Tensor {
  const op = "scaledDotProductAttention";
  checkQkv(q, k, v, op);
  if (opts.attnMask && opts.isCausal) throw new Error(`${op}: give either attnMask or isCausal, not both (isCausal builds the causal mask itself)`);
  const L = q.shape[q.ndim - 2], S = k.shape[k.ndim - 2];
  let mask: Tensor | null = null;
  if (opts.isCausal) mask = causalMask(L, S, q.dtype);
  else if (opts.attnMask) mask = additiveMask(opts.attnMask, q.dtype, "allowed", op);
  if (mask && !broadcastsTo(mask.shape, [...q.shape.slice(0, -1), S])) {
    throw new Error(`${op}: attnMask of shape ${fmtShape(mask.shape)} does not broadcast to the scores [..., L=${L}, S=${S}] of q ${fmtShape(q.shape)} and k ${fmtShape(k.shape)}`);
  }
  const p = opts.dropoutP ?? 0;
  return attend(q, k, v, mask, p, p > 0, opts.scale, opts.generator)[0];
}

/** softmax(q·kᵀ·scale + mask) → dropout → ·v; returns the output and the weights. */
function attend(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, p: number, training: boolean, scale?: number, generator?: Generator): [Tensor, Tensor] {
  const E = q.shape[q.ndim - 1];
  // Scaling q before the product (as PyTorch does) keeps the scores' magnitude down for large E.
  let scores = q.mul(scale ?? 1 / Math.sqrt(E)).matmul(k.transpose(-2, -1));
  if (mask) scores = scores.add(mask);
  let w = scores.softmax(-1);
  if (p > 0 && training) w = dropoutFn(w, p, true, { generator });
  return [w.matmul(v), w];
}

function checkQkv(q: Tensor, k: Tensor, v: Tensor, op: string): void {
  if (q.ndim < 2 || k.ndim < 2 || v.ndim < 2) throw new Error(`${op}: q, k and v need at least 2 dims [..., seq, features], got ${fmtShape(q.shape)}, ${fmtShape(k.shape)}, ${fmtShape(v.shape)}`);
  if (q.shape[q.ndim - 1] !== k.shape[k.ndim - 1]) {
    throw new Error(`${op}: q ${fmtShape(q.shape)} and k ${fmtShape(k.shape)} must have the same feature size (last dim) to be compared`);
  }
  if (k.shape[k.ndim - 2] !== v.shape[v.ndim - 2]) {
    throw new Error(`${op}: k ${fmtShape(k.shape)} and v ${fmtShape(v.shape)} must have the same sequence length (dim -2)`);
  }
}

function broadcastsTo(shape: readonly number[], target: readonly number[]): boolean {
  if (shape.length > target.length) return false;
  const off = target.length - shape.length;
  return shape.every((s, i) => s === 1 || s === target[off + i]);
}

/** [L, S] float mask: 0 where j ≤ i, −∞ above (top-left aligned, as PyTorch's is_causal). */
function causalMask(L: number, S: number, dtype: DType): Tensor {
  return triu(full([L, S], -Infinity, { dtype: floatOf(dtype) }), 1);
}

function floatOf(d: DType): DType {
  return isFloating(d) ? d : "float32";
}

/**
 * A mask as an additive float tensor. `trueMeans` says what a bool `true` means: "masked" (nn
 * layers) or "allowed" (scaledDotProductAttention).
 */
function additiveMask(mask: Tensor, dtype: DType, trueMeans: "masked" | "allowed", op: string): Tensor {
  if (mask.dtype === "bool") {
    const blocked = trueMeans === "masked" ? mask : mask.logicalNot();
    return zeros(mask.shape, { dtype: floatOf(dtype) }).maskedFill(blocked, -Infinity);
  }
  if (!isFloating(mask.dtype)) throw new Error(`${op}: a mask must be bool or float, got ${mask.dtype}`);
  return mask.to(floatOf(dtype));
}

/** [L, S] float mask with −∞ above the diagonal: position i may attend to positions ≤ i. */
export function generateSquareSubsequentMask(size: number, opts: { dtype?: DType } = {}): Tensor {
  checkCount(size, "generateSquareSubsequentMask", "size");
  return causalMask(size, size, opts.dtype ?? "float32");
}

// ------------------------------------------------------------------------ MultiheadAttention

/** Options of `MultiheadAttention`. */
export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights in training mode (default 0). */
  dropout?: number;
  /** Biases of the input and output projections (default true). */
  bias?: boolean;
  /** Inputs and output are [N, L, E] instead of [L, N, E]. */
  batchFirst?: boolean;
  /** Feature size of the keys (default embedDim); if it or vdim differs, q/k/v get separate weights. */
  kdim?: number;
  /** Feature size of the values (default embedDim). */
  vdim?: number;
  dtype?: DType;
  generator?: Generator;
}

/** Options of a `MultiheadAttention` forward call (PyTorch's keyword arguments). */
export interface MultiheadAttentionForwardOptions {
  /** [N, S] (or [S] unbatched): bool `true` = this key is padding, ignore it; or a float mask added to the scores. */
  keyPaddingMask?: Tensor | null;
  /** [L, S] or [N·numHeads, L, S]: bool `true` = may NOT attend; or a float mask added to the scores. */
  attnMask?: Tensor | null;
  /** Return the attention weights (default true); false returns null in their place. */
  needWeights?: boolean;
  /** Average the weights over the heads (default true): [N, L, S] rather than [N, numHeads, L, S]. */
  averageAttnWeights?: boolean;
  /** Apply the causal mask; with attnMask given it is a hint that attnMask is causal, as in PyTorch, and attnMask is used. */
  isCausal?: boolean;
}

/**
 * Multi-head attention: project q, k, v, attend in numHeads subspaces of size embedDim/numHeads,
 * concatenate the heads and project back.
 *
 * ```ts
 * const [out, weights] = new nn.MultiheadAttention(64, 8).forward(q, k, v);
 * ```
 *
 * Shape: query [L, N, E], key [S, N, kdim], value [S, N, vdim] ([N, *, *] with batchFirst, or
 * unbatched [L, E], [S, kdim], [S, vdim]) -> output like query, weights [N, L, S] (averaged) or
 * [N, numHeads, L, S] ([L, S] / [numHeads, L, S] unbatched). Parameters in_proj_weight [3E, E]
 * (or q_proj_weight [E, E], k_proj_weight [E, kdim], v_proj_weight [E, vdim]), in_proj_bias [3E],
 * out_proj.weight [E, E], out_proj.bias [E].
 */
export class MultiheadAttention extends Module<[query: Tensor, key: Tensor, value: Tensor, opts?: MultiheadAttentionForwardOptions], [Tensor, Tensor | null]> {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  /** Draws the attention dropout masks (default: the global generator). */
  generator?: Generator;
  declare in_proj_weight: Parameter | null;
  declare q_proj_weight: Parameter | null;
  declare k_proj_weight: Parameter | null;
  declare v_proj_weight: Parameter | null;
  declare in_proj_bias: Parameter | null;
  declare out_proj: Linear;

  constructor(embedDim: number, numHeads: number, ...args: PositionalArgs<[dropout: number, bias: boolean], MultiheadAttentionOptions>) {
    super();
    const opts = positionalOptions<MultiheadAttentionOptions>("MultiheadAttention", ["dropout", "bias"], args, MULTIHEAD_ATTENTION_KEYS);
    checkCount(embedDim, "MultiheadAttention", "embedDim");
    checkCount(numHeads, "MultiheadAttention", "numHeads");
    if (embedDim % numHeads !== 0) {
      throw new Error(`MultiheadAttention: embedDim (${embedDim}) must be divisible by numHeads (${numHeads}); each head gets embedDim/numHeads features`);
    }
    const p = opts.dropout ?? 0;
    if (!(p >= 0 && p <= 1)) throw new Error(`MultiheadAttention: dropout must be a probability in [0, 1], got ${p}`);
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.kdim = opts.kdim ?? embedDim;
    this.vdim = opts.vdim ?? embedDim;
    checkCount(this.kdim, "MultiheadAttention", "kdim");
    checkCount(this.vdim, "MultiheadAttention", "vdim");
    this.dropout = p;
    this.batchFirst = opts.batchFirst ?? false;
    const dtype = opts.dtype ?? "float32";
    const E = embedDim;
    // PyTorch's registration order: in_proj_weight, q/k/v_proj_weight, in_proj_bias, then out_proj.
    if (this.sameEmbedDim) {
      this.registerParameter("in_proj_weight", new Parameter(zeros([3 * E, E], { dtype })));
      this.registerParameter("q_proj_weight", null);
      this.registerParameter("k_proj_weight", null);
      this.registerParameter("v_proj_weight", null);
    } else {
      this.registerParameter("in_proj_weight", null);
      this.registerParameter("q_proj_weight", new Parameter(zeros([E, E], { dtype })));
      this.registerParameter("k_proj_weight", new Parameter(zeros([E, this.kdim], { dtype })));
      this.registerParameter("v_proj_weight", new Parameter(zeros([E, this.vdim], { dtype })));
    }
    this.registerParameter("in_proj_bias", opts.bias === false ? null : new Parameter(zeros([3 * E], { dtype })));
    this.registerModule("out_proj", new Linear(E, E, { bias: opts.bias !== false, dtype, generator: opts.generator }));
    this.resetParameters(opts.generator);
  }

  /** True when q, k and v share one packed projection (kdim = vdim = embedDim). */
  get sameEmbedDim(): boolean {
    return this.kdim === this.embedDim && this.vdim === this.embedDim;
  }

  /** PyTorch's init: Xavier-uniform projections, zero biases (out_proj.weight keeps Linear's init). */
  resetParameters(generator?: Generator): void {
    for (const w of [this.in_proj_weight, this.q_proj_weight, this.k_proj_weight, this.v_proj_weight]) if (w) xavierUniform_(w, { generator });
    if (this.in_proj_bias) zeros_(this.in_proj_bias);
    if (this.out_proj.bias) zeros_(this.out_proj.bias);
  }

  forward(query: Tensor, key: Tensor, value: Tensor, opts: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const name = `MultiheadAttention(${this.embedDim}, ${this.numHeads})`;
    const E = this.embedDim, h = this.numHeads, hd = this.headDim;
    const batched = query.ndim === 3;
    if (query.ndim !== 2 && query.ndim !== 3) throw new Error(`${name}: expected query [L, N, ${E}]${this.batchFirst ? " (batchFirst: [N, L, E])" : ""} or unbatched [L, ${E}], got ${fmtShape(query.shape)}`);
    if (key.ndim !== query.ndim || value.ndim !== query.ndim) {
      throw new Error(`${name}: query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} must all be batched (3-D) or all unbatched (2-D)`);
    }
    let q = query, k = key, v = value;
    if (!batched) [q, k, v] = [q.unsqueeze(1), k.unsqueeze(1), v.unsqueeze(1)];
    else if (this.batchFirst) [q, k, v] = [q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1)];
    const [L, N] = q.shape;
    const S = k.shape[0];
    const layout = this.batchFirst && batched ? "[N, seq, features]" : "[seq, N, features]";
    if (q.shape[2] !== E) throw new Error(`${name}: query ${fmtShape(query.shape)} has ${q.shape[2]} features, expected embedDim ${E}`);
    if (k.shape[2] !== this.kdim) throw new Error(`${name}: key ${fmtShape(key.shape)} has ${k.shape[2]} features, expected kdim ${this.kdim}`);
    if (v.shape[2] !== this.vdim) throw new Error(`${name}: value ${fmtShape(value.shape)} has ${v.shape[2]} features, expected vdim ${this.vdim}`);
    if (k.shape[1] !== N || v.shape[1] !== N) throw new Error(`${name}: query, key and value must have the same batch size (layout ${layout}), got ${fmtShape(query.shape)}, ${fmtShape(key.shape)}, ${fmtShape(value.shape)}`);
    if (v.shape[0] !== S) throw new Error(`${name}: key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} must have the same sequence length`);

    // Input projections: slices of the packed weight, or the three separate ones.
    const b = this.in_proj_bias;
    const bq = b ? b.narrow(0, 0, E) : null, bk = b ? b.narrow(0, E, E) : null, bv = b ? b.narrow(0, 2 * E, E) : null;
    let wq: Tensor, wk: Tensor, wv: Tensor;
    if (this.in_proj_weight) {
      const w = this.in_proj_weight;
      [wq, wk, wv] = [w.narrow(0, 0, E), w.narrow(0, E, E), w.narrow(0, 2 * E, E)];
    } else {
      [wq, wk, wv] = [this.q_proj_weight!, this.k_proj_weight!, this.v_proj_weight!];
    }
    // [seq, N, E] -> [N, heads, seq, headDim]
    const heads = (x: Tensor, len: number): Tensor => x.reshape([len, N, h, hd]).permute([1, 2, 0, 3]);
    const qh = heads(linear(q, wq, bq), L), kh = heads(linear(k, wk, bk), S), vh = heads(linear(v, wv, bv), S);

    let mask: Tensor | null = null;
    if (opts.attnMask) {
      const m = opts.attnMask;
      const ok = (m.ndim === 2 && m.shape[0] === L && m.shape[1] === S) || (m.ndim === 3 && m.shape[0] === N * h && m.shape[1] === L && m.shape[2] === S);
      if (!ok) throw new Error(`${name}: attnMask has shape ${fmtShape(m.shape)}, expected [L, S] = [${L}, ${S}] or [N·numHeads, L, S] = [${N * h}, ${L}, ${S}]`);
      const add = additiveMask(m, q.dtype, "masked", name);
      mask = m.ndim === 2 ? add : add.reshape([N, h, L, S]);
    } else if (opts.isCausal) {
      mask = causalMask(L, S, q.dtype);
    }
    if (opts.keyPaddingMask) {
      const m = opts.keyPaddingMask;
      const want = batched ? [N, S] : [S];
      if (m.ndim !== want.length || m.shape.some((s, i) => s !== want[i])) {
        throw new Error(`${name}: keyPaddingMask has shape ${fmtShape(m.shape)}, expected ${fmtShape(want)} (${batched ? "[N, S]" : "[S]"}, true = padding)`);
      }
      const add = additiveMask(m, q.dtype, "masked", name).reshape([N, 1, 1, S]);
      mask = mask ? mask.add(add) : add;
    }
    const [oh, w] = attend(qh, kh, vh, mask, this.dropout, this.training, undefined, this.generator);
    // [N, heads, L, headDim] -> [L, N, E] -> out_proj
    let out = this.out_proj.forward(oh.permute([2, 0, 1, 3]).reshape([L, N, E]));
    if (!batched) out = out.squeeze(1);
    else if (this.batchFirst) out = out.transpose(0, 1);
    if (opts.needWeights === false) return [out, null];
    let weights = opts.averageAttnWeights === false ? w : w.mean(1);
    if (!batched) weights = weights.squeeze(0);
    return [out, weights];
  }
}
