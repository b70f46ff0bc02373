/**
 * Transformer layers ("Attention Is All You Need", Vaswani et al. 2017) with PyTorch's structure
 * and state-dict keys (`self_attn.*`, `multihead_attn.*`, `linear1.*`, `linear2.*`, `norm1.*`, ...,
 * `layers.0.*`, `encoder.*`, `decoder.*`), plus the sinusoidal `PositionalEncoding`.
 *
 * Attention by itself is permutation-equivariant: without positional information a Transformer
 * encoder cannot tell token order. `PositionalEncoding` (or a learned nn.Embedding of positions)
 * supplies it.
 */
import { checkOptions, checkKeys, checkInt, checkDType } from "../../tensor/check.js";
import { deprecated } from "../../tensor/deprecation.js";
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { Tensor, isFloating, zeros, type DType, type Generator } from "../../core.js";
import { Module, fmtShape, pyFloat, type AnyModule } from "../module.js";
import { ModuleList } from "../containers.js";
import { dropout as dropoutFn } from "../functional.js";
import { xavierUniform_ } from "../init.js";
import { Linear, checkCount } from "./linear.js";
import { LayerNorm } from "./norm.js";
import { Dropout } from "./dropout.js";
import { MultiheadAttention, generateSquareSubsequentMask } from "./attention.js";

/** The option keys of each class here: anything else is a misspelling. */
const TRANSFORMER_ENCODER_KEYS = ["norm"] as const;
const TRANSFORMER_DECODER_KEYS = ["norm"] as const;
const TRANSFORMER_KEYS = ["dModel", "nhead", "numEncoderLayers", "numDecoderLayers", "customEncoder", "customDecoder", "dimFeedforward", "dropout", "activation", "layerNormEps", "batchFirst", "normFirst", "bias", "dtype", "generator"] as const;
const POSITIONAL_ENCODING_KEYS = ["maxLen", "dropout", "batchFirst", "persistent", "dtype", "generator"] as const;

/** The option keys of each layer here: anything else is a misspelling (positionalOptions). */
const TRANSFORMER_ENCODER_LAYER_KEYS = ["dimFeedforward", "dropout", "activation", "layerNormEps", "batchFirst", "normFirst", "bias", "dtype", "generator"] as const;
const TRANSFORMER_DECODER_LAYER_KEYS = ["dimFeedforward", "dropout", "activation", "layerNormEps", "batchFirst", "normFirst", "bias", "dtype", "generator"] as const;

/** Feed-forward activation: a name, an activation module (e.g. `new nn.GELU("tanh")`), or any elementwise function. */
export type TransformerActivation = "relu" | "gelu" | Module<[Tensor], Tensor> | ((x: Tensor) => Tensor);

/** Options of TransformerEncoderLayer and TransformerDecoderLayer (PyTorch's defaults). */
/** PyTorch's positional order after nhead: `nn.TransformerEncoderLayer(64, 4, 256, 0.1)`. */
type TransformerLayerPositional = [dimFeedforward: number, dropout: number, activation: TransformerActivation];
const TRANSFORMER_LAYER_POSITIONAL = ["dimFeedforward", "dropout", "activation"] as const;

export interface TransformerLayerOptions {
  /** Hidden size of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block (default 0.1). */
  dropout?: number;
  /** Feed-forward activation (default "relu"). */
  activation?: TransformerActivation;
  /** LayerNorm epsilon (default 1e-5). */
  layerNormEps?: number;
  /** Inputs are [N, T, E] instead of [T, N, E]. */
  batchFirst?: boolean;
  /** Pre-norm (LayerNorm before each block, as most modern models) instead of post-norm (default false). */
  normFirst?: boolean;
  /** Biases of the linear layers and LayerNorms (default true). */
  bias?: boolean;
  dtype?: DType;
  generator?: Generator;
}

function activationFn(a: TransformerActivation, layer: string): (x: Tensor) => Tensor {
  if (a instanceof Module) return (x) => a.call(x);
  if (typeof a === "function") return a;
  if (a === "relu") return (x) => x.relu();
  if (a === "gelu") return (x) => x.gelu();
  throw new Error(`${layer}: activation must be "relu", "gelu", an activation module or a function, got ${JSON.stringify(a)}`);
}

function checkModel(layer: string, dModel: number, nhead: number, opts: TransformerLayerOptions): void {
  checkCount(dModel, layer, "dModel");
  checkCount(nhead, layer, "nhead");
  if (dModel % nhead !== 0) throw new Error(`${layer}: dModel (${dModel}) must be divisible by nhead (${nhead})`);
  if (opts.dimFeedforward !== undefined) checkCount(opts.dimFeedforward, layer, "dimFeedforward");
  const p = opts.dropout ?? 0.1;
  if (!(p >= 0 && p <= 1)) throw new Error(`${layer}: dropout must be a probability in [0, 1], got ${p}`);
}

function checkFeatures(x: Tensor, dModel: number, batchFirst: boolean, layer: string, what: string): void {
  if ((x.ndim !== 2 && x.ndim !== 3) || x.shape[x.ndim - 1] !== dModel) {
    throw new Error(`${layer}: expected ${what} ${batchFirst ? "[N, T" : "[T, N"}, ${dModel}] or unbatched [T, ${dModel}], got ${fmtShape(x.shape)}`);
  }
}

/** Options of a TransformerEncoderLayer / TransformerEncoder forward call. */
export interface EncoderForwardOptions {
  /** [T, T] or [N·nhead, T, T]: bool `true` = may not attend, or a float mask added to the scores. */
  srcMask?: Tensor | null;
  /** [N, T] (or [T]): bool `true` = padding token, ignored as a key. */
  srcKeyPaddingMask?: Tensor | null;
  /** Apply a causal mask (a hint that srcMask is causal when both are given). */
  isCausal?: boolean;
}

/** Residual branches in order: x + f(norm(x)) with normFirst (pre-norm), else norm(x + f(x)). */
function residuals(x: Tensor, normFirst: boolean, branches: [(y: Tensor) => Tensor, LayerNorm][]): Tensor {
  for (const [f, norm] of branches) x = normFirst ? x.add(f(norm.forward(x))) : norm.forward(x.add(f(x)));
  return x;
}

/** The position-wise feed-forward branch: linear1, activation, dropout, linear2, the branch's dropout. */
function feedForward(m: { linear1: Linear; linear2: Linear; dropout: Dropout }, act: (x: Tensor) => Tensor, x: Tensor, out: Dropout): Tensor {
  return out.forward(m.linear2.forward(m.dropout.forward(act(m.linear1.forward(x)))));
}

/**
 * Registers a Transformer block's sub-modules in PyTorch's attribute order — the attentions, the
 * feed-forward net (linear1, dropout, linear2), then one norm and one dropout per residual branch —
 * so state dicts match PyTorch's key for key.
 */
function buildBlock(m: AnyModule, layer: string, dModel: number, nhead: number, opts: TransformerLayerOptions, attentions: readonly string[]): void {
  checkModel(layer, dModel, nhead, opts);
  const ff = opts.dimFeedforward ?? 2048, p = opts.dropout ?? 0.1, eps = opts.layerNormEps ?? 1e-5, bias = opts.bias ?? true;
  const { dtype, generator } = opts;
  const batchFirst = opts.batchFirst ?? false;
  hidden(m, { dModel, nhead, normFirst: opts.normFirst ?? false, batchFirst, options: { ...opts }, act: activationFn(opts.activation ?? "relu", layer) });
  for (const name of attentions) m.registerModule(name, new MultiheadAttention(dModel, nhead, { dropout: p, bias, batchFirst, dtype, generator }));
  m.registerModule("linear1", new Linear(dModel, ff, { bias, dtype, generator }));
  m.registerModule("dropout", new Dropout(p));
  m.registerModule("linear2", new Linear(ff, dModel, { bias, dtype, generator }));
  const branches = attentions.length + 1;
  for (let i = 1; i <= branches; i++) m.registerModule(`norm${i}`, new LayerNorm(dModel, { eps, bias, dtype }));
  for (let i = 1; i <= branches; i++) m.registerModule(`dropout${i}`, new Dropout(p));
}

/**
 * One encoder block: self-attention then a position-wise feed-forward network, each with dropout,
 * a residual connection and LayerNorm (after the residual, or before the block with normFirst).
 *
 * ```ts
 * const layer = new nn.TransformerEncoderLayer(512, 8, { dimFeedforward: 2048 });
 * ```
 *
 * Shape: src [T, N, dModel] ([N, T, dModel] with batchFirst, or unbatched [T, dModel]) -> the same.
 */
export class TransformerEncoderLayer extends Module<[src: Tensor, opts?: EncoderForwardOptions], Tensor> {
  declare self_attn: MultiheadAttention;
  declare linear1: Linear;
  declare dropout: Dropout;
  declare linear2: Linear;
  declare norm1: LayerNorm;
  declare norm2: LayerNorm;
  declare dropout1: Dropout;
  declare dropout2: Dropout;
  declare readonly dModel: number;
  declare readonly nhead: number;
  declare readonly normFirst: boolean;
  declare readonly batchFirst: boolean;
  declare private readonly options: TransformerLayerOptions;
  declare private readonly act: (x: Tensor) => Tensor;

  constructor(dModel: number, nhead: number, ...args: PositionalArgs<TransformerLayerPositional, TransformerLayerOptions>) {
    super();
    buildBlock(this, "TransformerEncoderLayer", dModel, nhead, positionalOptions("TransformerEncoderLayer", TRANSFORMER_LAYER_POSITIONAL, args, TRANSFORMER_ENCODER_LAYER_KEYS), ["self_attn"]);
  }

  forward(src: Tensor, opts: EncoderForwardOptions = {}): Tensor {
    checkFeatures(src, this.dModel, this.batchFirst, "TransformerEncoderLayer", "src");
    let x = src;
    const sa = (y: Tensor): Tensor =>
      this.dropout1.forward(this.self_attn.forward(y, y, y, { attnMask: opts.srcMask, keyPaddingMask: opts.srcKeyPaddingMask, needWeights: false, isCausal: opts.isCausal })[0]);
    return residuals(x, this.normFirst, [[sa, this.norm1], [(y) => feedForward(this, this.act, y, this.dropout2), this.norm2]]);
  }

  /** A deep copy: same configuration, same weights (copied, not shared), same train/eval mode. */
  clone(): TransformerEncoderLayer {
    const c = new TransformerEncoderLayer(this.dModel, this.nhead, { ...this.options, dtype: this.linear1.weight.dtype });
    return copyInto(c, this);
  }
}

/** Options of a TransformerDecoderLayer / TransformerDecoder forward call. */
export interface DecoderForwardOptions {
  /** Self-attention mask [T, T] (typically generateSquareSubsequentMask(T)). */
  tgtMask?: Tensor | null;
  /** Cross-attention mask [T, S]. */
  memoryMask?: Tensor | null;
  /** [N, T]: bool `true` = padding target token. */
  tgtKeyPaddingMask?: Tensor | null;
  /** [N, S]: bool `true` = padding source token. */
  memoryKeyPaddingMask?: Tensor | null;
  /** Apply the causal mask in self-attention (a hint that tgtMask is causal when both are given). */
  tgtIsCausal?: boolean;
  /** Apply a causal mask in cross-attention. */
  memoryIsCausal?: boolean;
}

/**
 * One decoder block: masked self-attention over the target, cross-attention to the encoder's
 * output (memory), then the feed-forward network; each with dropout, residual and LayerNorm.
 *
 * ```ts
 * const y = new nn.TransformerDecoderLayer(512, 8).forward(tgt, memory, { tgtMask });
 * ```
 *
 * Shape: tgt [T, N, dModel], memory [S, N, dModel] ([N, *, dModel] with batchFirst, or unbatched) -> [T, N, dModel].
 */
export class TransformerDecoderLayer extends Module<[tgt: Tensor, memory: Tensor, opts?: DecoderForwardOptions], Tensor> {
  declare self_attn: MultiheadAttention;
  declare multihead_attn: MultiheadAttention;
  declare linear1: Linear;
  declare dropout: Dropout;
  declare linear2: Linear;
  declare norm1: LayerNorm;
  declare norm2: LayerNorm;
  declare norm3: LayerNorm;
  declare dropout1: Dropout;
  declare dropout2: Dropout;
  declare dropout3: Dropout;
  declare readonly dModel: number;
  declare readonly nhead: number;
  declare readonly normFirst: boolean;
  declare readonly batchFirst: boolean;
  declare private readonly options: TransformerLayerOptions;
  declare private readonly act: (x: Tensor) => Tensor;

  constructor(dModel: number, nhead: number, ...args: PositionalArgs<TransformerLayerPositional, TransformerLayerOptions>) {
    super();
    buildBlock(this, "TransformerDecoderLayer", dModel, nhead, positionalOptions("TransformerDecoderLayer", TRANSFORMER_LAYER_POSITIONAL, args, TRANSFORMER_DECODER_LAYER_KEYS), ["self_attn", "multihead_attn"]);
  }

  forward(tgt: Tensor, memory: Tensor, opts: DecoderForwardOptions = {}): Tensor {
    const layer = "TransformerDecoderLayer";
    checkFeatures(tgt, this.dModel, this.batchFirst, layer, "tgt");
    checkFeatures(memory, this.dModel, this.batchFirst, layer, "memory");
    let x = tgt;
    const sa = (y: Tensor): Tensor =>
      this.dropout1.forward(this.self_attn.forward(y, y, y, { attnMask: opts.tgtMask, keyPaddingMask: opts.tgtKeyPaddingMask, needWeights: false, isCausal: opts.tgtIsCausal })[0]);
    const ca = (y: Tensor): Tensor =>
      this.dropout2.forward(this.multihead_attn.forward(y, memory, memory, { attnMask: opts.memoryMask, keyPaddingMask: opts.memoryKeyPaddingMask, needWeights: false, isCausal: opts.memoryIsCausal })[0]);
    return residuals(x, this.normFirst, [[sa, this.norm1], [ca, this.norm2], [(y) => feedForward(this, this.act, y, this.dropout3), this.norm3]]);
  }

  /** A deep copy: same configuration, same weights (copied, not shared), same train/eval mode. */
  clone(): TransformerDecoderLayer {
    const c = new TransformerDecoderLayer(this.dModel, this.nhead, { ...this.options, dtype: this.linear1.weight.dtype });
    return copyInto(c, this);
  }
}

/** Sets read-only configuration as non-enumerable fields, so the structural walk never sees them. */
function hidden(m: object, fields: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(fields)) Object.defineProperty(m, k, { value: v, enumerable: false, writable: false });
}

function copyInto<M extends AnyModule>(copy: M, from: AnyModule): M {
  copy.loadStateDict(from.stateDict());
  copy.train(from.training);
  return copy;
}

/** A layer TransformerEncoder/Decoder can stack: anything with PyTorch's deepcopy semantics via `clone()`. */
export interface CloneableLayer<M> {
  clone(): M;
}

/** A stack's `layers` (numLayers deep copies, as PyTorch's deepcopy) and optional final `norm`. */
function registerStack(m: AnyModule, stack: string, argName: string, layer: Partial<CloneableLayer<AnyModule>> | null, numLayers: number, norm?: Module | null): void {
  checkCount(numLayers, stack, "numLayers");
  if (!layer || typeof layer.clone !== "function") {
    throw new Error(`${stack}: ${argName} must be a ${stack}Layer (or a layer with a clone() method)`);
  }
  const clone = layer.clone.bind(layer);
  m.registerModule("layers", new ModuleList(Array.from({ length: numLayers }, () => clone())));
  m.registerModule("norm", norm ?? null);
}

/**
 * A stack of numLayers copies of an encoder layer (deep copies, as PyTorch: every copy starts with
 * the given layer's weights and is trained separately), then an optional final norm.
 *
 * ```ts
 * const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(512, 8), 6);
 * ```
 *
 * Shape: src [T, N, dModel] (as the layer's batchFirst says) -> the same.
 */
export class TransformerEncoder extends Module<[src: Tensor, opts?: EncoderForwardOptions & { mask?: Tensor | null }], Tensor> {
  declare layers: ModuleList<TransformerEncoderLayer>;
  declare norm: Module | null;
  readonly numLayers: number;

  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, opts: { norm?: Module | null } = {}) {
    super();
    checkKeys("TransformerEncoder", opts, TRANSFORMER_ENCODER_KEYS);
    this.numLayers = numLayers;
    registerStack(this, "TransformerEncoder", "encoderLayer", encoderLayer, numLayers, opts.norm);
  }

  /** `mask` is PyTorch's name for the attention mask here; srcMask is accepted as well. */
  forward(src: Tensor, opts: EncoderForwardOptions & { mask?: Tensor | null } = {}): Tensor {
    const o: EncoderForwardOptions = { srcMask: opts.mask ?? opts.srcMask, srcKeyPaddingMask: opts.srcKeyPaddingMask, isCausal: opts.isCausal };
    let x = src;
    for (const layer of this.layers) x = layer.forward(x, o);
    return this.norm ? (this.norm as Module).forward(x) : x;
  }
}

/**
 * A stack of numLayers deep copies of a decoder layer, then an optional final norm.
 *
 * ```ts
 * const dec = new nn.TransformerDecoder(new nn.TransformerDecoderLayer(512, 8), 6);
 * ```
 *
 * Shape: tgt [T, N, dModel], memory [S, N, dModel] -> [T, N, dModel].
 */
export class TransformerDecoder extends Module<[tgt: Tensor, memory: Tensor, opts?: DecoderForwardOptions], Tensor> {
  declare layers: ModuleList<TransformerDecoderLayer>;
  declare norm: Module | null;
  readonly numLayers: number;

  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, opts: { norm?: Module | null } = {}) {
    super();
    checkKeys("TransformerDecoder", opts, TRANSFORMER_DECODER_KEYS);
    this.numLayers = numLayers;
    registerStack(this, "TransformerDecoder", "decoderLayer", decoderLayer, numLayers, opts.norm);
  }

  forward(tgt: Tensor, memory: Tensor, opts: DecoderForwardOptions = {}): Tensor {
    let x = tgt;
    for (const layer of this.layers) x = layer.forward(x, memory, opts);
    return this.norm ? (this.norm as Module).forward(x) : x;
  }
}

/** Options of `Transformer`. */
export interface TransformerOptions extends TransformerLayerOptions {
  /** Default 512. */
  dModel?: number;
  /** Default 8. */
  nhead?: number;
  /** Default 6. */
  numEncoderLayers?: number;
  /** Default 6. */
  numDecoderLayers?: number;
  /** Use this encoder instead of building one. */
  customEncoder?: Module<[Tensor, EncoderForwardOptions?], Tensor>;
  /** Use this decoder instead of building one. */
  customDecoder?: Module<[Tensor, Tensor, DecoderForwardOptions?], Tensor>;
}

/** Options of a `Transformer` forward call. */
export interface TransformerForwardOptions extends DecoderForwardOptions {
  srcMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  srcIsCausal?: boolean;
}

/**
 * The encoder-decoder Transformer: encoder stack with a final LayerNorm, decoder stack with a
 * final LayerNorm; every weight matrix Xavier-uniform initialised, as PyTorch.
 *
 * ```ts
 * const model = new nn.Transformer({ dModel: 64, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2 });
 * const y = model.forward(src, tgt, { tgtMask: nn.Transformer.generateSquareSubsequentMask(tgt.shape[0]) });
 * ```
 *
 * Shape: src [S, N, dModel], tgt [T, N, dModel] ([N, *, dModel] with batchFirst, or unbatched) -> [T, N, dModel].
 */
export class Transformer extends Module<[src: Tensor, tgt: Tensor, opts?: TransformerForwardOptions], Tensor> {
  declare encoder: Module<[Tensor, EncoderForwardOptions?], Tensor>;
  declare decoder: Module<[Tensor, Tensor, DecoderForwardOptions?], Tensor>;
  readonly dModel: number;
  readonly nhead: number;
  readonly batchFirst: boolean;

  constructor(opts: TransformerOptions = {}) {
    super();
    checkKeys("Transformer", opts, TRANSFORMER_KEYS);
    opts = checkOptions("Transformer", opts, "{ dModel: 512, nhead: 8 }");
    const dModel = opts.dModel ?? 512, nhead = opts.nhead ?? 8;
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = opts.batchFirst ?? false;
    const { dModel: _d, nhead: _h, numEncoderLayers, numDecoderLayers, customEncoder, customDecoder, ...layerOpts } = opts;
    const normOpts = { eps: opts.layerNormEps ?? 1e-5, bias: opts.bias ?? true, dtype: opts.dtype };
    this.registerModule("encoder", customEncoder ?? new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, layerOpts), numEncoderLayers ?? 6, { norm: new LayerNorm(dModel, normOpts) }));
    this.registerModule("decoder", customDecoder ?? new TransformerDecoder(new TransformerDecoderLayer(dModel, nhead, layerOpts), numDecoderLayers ?? 6, { norm: new LayerNorm(dModel, normOpts) }));
    // PyTorch re-draws every matrix (dim > 1) Xavier-uniform, including custom encoders/decoders.
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p, { generator: opts.generator });
  }

  forward(src: Tensor, tgt: Tensor, opts: TransformerForwardOptions = {}): Tensor {
    const batchDim = this.batchFirst ? 0 : 1;
    if (src.ndim === 3 && tgt.ndim === 3 && src.shape[batchDim] !== tgt.shape[batchDim]) {
      throw new Error(`Transformer: src ${fmtShape(src.shape)} and tgt ${fmtShape(tgt.shape)} must have the same batch size (dim ${batchDim}${this.batchFirst ? ", batchFirst" : ""})`);
    }
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel) {
      throw new Error(`Transformer: src ${fmtShape(src.shape)} and tgt ${fmtShape(tgt.shape)} must have dModel = ${this.dModel} features in their last dim`);
    }
    const memory = this.encoder.forward(src, { srcMask: opts.srcMask, srcKeyPaddingMask: opts.srcKeyPaddingMask, isCausal: opts.srcIsCausal });
    return this.decoder.forward(tgt, memory, opts);
  }

  /** [n, n] float mask with −∞ above the diagonal: target position i sees positions ≤ i. */
  static generateSquareSubsequentMask(n: number, opts: { dtype?: DType } = {}): Tensor {
    return generateSquareSubsequentMask(n, opts);
  }
}

/**
 * The sinusoidal positional encoding of "Attention Is All You Need":
 * PE[pos, 2i] = sin(pos / 10000^(2i/dModel)), PE[pos, 2i+1] = cos(pos / 10000^(2i/dModel)),
 * added to the input, then dropout.
 *
 * The table is a buffer named `pe` of shape [maxLen, 1, dModel], persistent by default, exactly as
 * the PyTorch tutorial registers it, so tutorial checkpoints load with strict keys. It is a pure
 * function of (maxLen, dModel), so `persistent: false` keeps it out of the state dict for models
 * that do not need that compatibility.
 *
 * ```ts
 * const pos = new nn.PositionalEncoding(512, { dropout: 0.1, batchFirst: true });
 * ```
 *
 * The layout is an explicit choice: pass `batchFirst` to match the layers around it ([N, T, dModel]
 * for a batch-first Transformer, [T, N, dModel] otherwise). Leaving it out means sequence-first and
 * prints a one-time deprecation notice (the option becomes required in the next release). A
 * Sequential whose neighbouring layers disagree on batchFirst is rejected at construction.
 *
 * Shape: [T, N, dModel] ([N, T, dModel] with batchFirst, or [T, dModel]) -> the same; T ≤ maxLen.
 */
export class PositionalEncoding extends Module {
  readonly dModel: number;
  readonly maxLen: number;
  readonly p: number;
  readonly batchFirst: boolean;
  generator?: Generator;

  constructor(dModel: number, opts: { maxLen?: number; dropout?: number; batchFirst?: boolean; persistent?: boolean; dtype?: DType; generator?: Generator } = {}) {
    super();
    checkKeys("PositionalEncoding", opts, POSITIONAL_ENCODING_KEYS);
    checkCount(dModel, "PositionalEncoding", "dModel");
    const maxLen = opts.maxLen ?? 5000;
    checkCount(maxLen, "PositionalEncoding", "maxLen");
    const p = opts.dropout ?? 0.1;
    if (!(p >= 0 && p <= 1)) throw new Error(`PositionalEncoding: dropout must be a probability in [0, 1], got ${p}`);
    this.dModel = dModel;
    this.maxLen = maxLen;
    this.p = p;
    if (opts.batchFirst === undefined) {
      deprecated(
        "PositionalEncoding",
        "nn.PositionalEncoding without { batchFirst } (it assumes [T, N, dModel] and would add positions along the batch axis of batch-first input)",
        "{ batchFirst: true } or { batchFirst: false }",
      );
    }
    this.batchFirst = opts.batchFirst ?? false;
    if (opts.generator) this.generator = opts.generator;
    this.registerBuffer("pe", positionalTable(maxLen, dModel, opts.dtype ?? "float32").unsqueeze(1).contiguous(), { persistent: opts.persistent ?? true });
  }

  /** The table [maxLen, 1, dModel] (buffer "pe"). */
  get pe(): Tensor {
    return this.getBuffer("pe")!;
  }

  forward(x: Tensor): Tensor {
    const name = `PositionalEncoding(${this.dModel})`;
    if ((x.ndim !== 2 && x.ndim !== 3) || x.shape[x.ndim - 1] !== this.dModel) {
      throw new Error(`${name}: expected input ${this.batchFirst ? "[N, T" : "[T, N"}, ${this.dModel}] or [T, ${this.dModel}], got ${fmtShape(x.shape)}`);
    }
    const tDim = x.ndim === 3 && this.batchFirst ? 1 : 0;
    const T = x.shape[tDim];
    if (T > this.maxLen) throw new Error(`${name}: sequence length ${T} exceeds maxLen ${this.maxLen}; construct it with a larger maxLen`);
    let pe = this.pe.narrow(0, 0, T); // [T, 1, d]
    if (x.ndim === 2) pe = pe.squeeze(1);
    else if (this.batchFirst) pe = pe.transpose(0, 1); // [1, T, d]
    // The table follows the input's precision, so a float32 model never gets promoted by its own buffer.
    return dropoutFn(x.add(pe.to(isFloating(x.dtype) ? x.dtype : "float32")), this.p, this.training, { generator: this.generator });
  }

  override extraRepr(): string {
    return `d_model=${this.dModel}, max_len=${this.maxLen}, dropout=${pyFloat(this.p)}`;
  }
}

/** The [maxLen, dModel] sinusoid table (computed in float64, then cast). */
export function positionalTable(maxLen: number, dModel: number, dtype: DType = "float32"): Tensor {
  checkInt("positionalTable", "maxLen", maxLen, 0);
  checkInt("positionalTable", "dModel", dModel);
  checkDType("positionalTable", dtype);
  const out = zeros([maxLen, dModel], { dtype: "float64" });
  const d = out.storage.data;
  for (let pos = 0; pos < maxLen; pos++) {
    for (let i = 0; i < dModel; i += 2) {
      // 1/10000^(i/d) as exp(−i·ln(10000)/d), the form the paper's reference code and PyTorch's tutorial use.
      const angle = pos * Math.exp((-i * Math.log(10000)) / dModel);
      d[pos * dModel + i] = Math.sin(angle);
      if (i + 1 < dModel) d[pos * dModel + i + 1] = Math.cos(angle);
    }
  }
  return out.to(dtype);
}
