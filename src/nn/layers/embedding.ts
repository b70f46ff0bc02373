/** Embedding: a learned lookup table of vectors indexed by integer ids. */
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { Tensor, zeros, noGrad, type DType, type Generator } from "../../core.js";
import { Module, Parameter, fmtShape, pyFloat } from "../module.js";
import { embedding } from "../functional.js";
import { normal_ } from "../init.js";
import { checkCount } from "./linear.js";
import { generatorOf } from "../../tensor/creation.js";

/** The option keys of each layer here: anything else is a misspelling (positionalOptions). */
const EMBEDDING_KEYS = ["paddingIdx", "maxNorm", "normType", "scaleGradByFreq", "sparse", "dtype", "generator", "weight"] as const;

/**
 * Options of Embedding (`paddingIdx`, `maxNorm`, `normType` may also come positionally, as PyTorch's
 * padding_idx, max_norm, norm_type). With maxNorm, each forward first rescales in place the rows it
 * looks up whose normType-norm exceeds maxNorm (F.embedding).
 */
export interface EmbeddingOptions {
  paddingIdx?: number | null; maxNorm?: number | null; normType?: number;
  /** Divide each row's gradient by how often the batch holds it (default false). */
  scaleGradByFreq?: boolean;
  /** PyTorch's sparse gradients: only false is taken (deeptype's gradients are dense). */
  sparse?: boolean;
  dtype?: DType; generator?: Generator; weight?: Tensor;
}

/**
 * A table of `numEmbeddings` vectors of size `embeddingDim`, initialised N(0, 1). The row
 * `paddingIdx` (if given) starts at zero and gets no gradient.
 *
 * ```ts
 * const emb = new nn.Embedding(10000, 128, { paddingIdx: 0 });
 * const capped = new nn.Embedding(100, 8, { maxNorm: 1 });   // looked-up rows renormalised to norm <= 1
 * ```
 *
 * Shape: ids int32 [*] -> [*, embeddingDim]; weight [numEmbeddings, embeddingDim].
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  weight: Parameter;
  constructor(
    numEmbeddings: number, embeddingDim: number,
    ...args: PositionalArgs<[paddingIdx: number | null, maxNorm: number | null, normType: number, scaleGradByFreq: boolean, sparse: boolean], EmbeddingOptions>
  ) {
    super();
    const opts = positionalOptions<EmbeddingOptions>("Embedding", ["paddingIdx", "maxNorm", "normType", "scaleGradByFreq", "sparse"], args, EMBEDDING_KEYS);
    checkCount(numEmbeddings, "Embedding", "numEmbeddings", 0);
    checkCount(embeddingDim, "Embedding", "embeddingDim", 0);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad >= numEmbeddings || pad < -numEmbeddings) {
        throw new Error(`Embedding: paddingIdx ${pad} must be an integer in [${-numEmbeddings}, ${numEmbeddings - 1}]`);
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    const maxNorm = opts.maxNorm ?? null;
    if (maxNorm !== null && (typeof maxNorm !== "number" || Number.isNaN(maxNorm))) throw new Error(`Embedding: maxNorm must be a number or null, got ${String(maxNorm)}`);
    const normType = opts.normType ?? 2;
    if (typeof normType !== "number" || Number.isNaN(normType)) throw new Error(`Embedding: normType must be a number (default 2), got ${String(normType)}`);
    this.maxNorm = maxNorm;
    this.normType = normType;
    const scale = opts.scaleGradByFreq ?? false;
    if (typeof scale !== "boolean") throw new Error(`Embedding: scaleGradByFreq must be true or false, got ${String(scale)}`);
    this.scaleGradByFreq = scale;
    if (opts.sparse !== undefined && opts.sparse !== false) {
      throw new Error("Embedding: sparse gradients are not supported (deeptype's gradients are dense); drop sparse: true, the optimizers update the rows the same way");
    }
    if (opts.weight) {
      if (opts.weight.ndim !== 2 || opts.weight.shape[0] !== numEmbeddings || opts.weight.shape[1] !== embeddingDim) {
        throw new Error(`Embedding: weight ${fmtShape(opts.weight.shape)} must be [${numEmbeddings}, ${embeddingDim}]`);
      }
      this.weight = new Parameter(opts.weight.detach().clone());
    } else {
      this.weight = new Parameter(zeros([numEmbeddings, embeddingDim], { dtype: opts.dtype ?? "float32" }));
      this.resetParameters(generatorOf("Embedding", opts.generator));
    }
  }

  /** `nn.Embedding.fromPretrained(vectors, {freeze: true})`: a table initialised from a [n, dim] tensor. */
  static fromPretrained(
    weight: Tensor, opts: { freeze?: boolean; paddingIdx?: number | null; maxNorm?: number | null; normType?: number; scaleGradByFreq?: boolean } = {},
  ): Embedding {
    if (weight.ndim !== 2) throw new Error(`Embedding.fromPretrained: weight must be 2-D [numEmbeddings, embeddingDim], got ${fmtShape(weight.shape)}`);
    const e = new Embedding(weight.shape[0], weight.shape[1], { weight, paddingIdx: opts.paddingIdx, maxNorm: opts.maxNorm, normType: opts.normType, scaleGradByFreq: opts.scaleGradByFreq });
    e.weight.requiresGrad = !(opts.freeze ?? true);
    return e;
  }

  /** Re-draws the table from N(0, 1), zeroing the padding row. */
  resetParameters(generator?: Generator): void {
    normal_(this.weight, 0, 1, { generator });
    if (this.paddingIdx !== null) {
      const row = this.weight.select(0, this.paddingIdx);
      noGrad(() => row.zero_());
    }
  }

  forward(ids: Tensor): Tensor {
    return embedding(ids, this.weight, this.paddingIdx, this.maxNorm, this.normType, this.scaleGradByFreq);
  }

  override extraRepr(): string {
    // PyTorch's extra_repr: padding_idx, max_norm and norm_type only when set.
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : ""}` +
      `${this.maxNorm !== null ? `, max_norm=${pyFloat(this.maxNorm)}` : ""}${this.normType !== 2 ? `, norm_type=${pyFloat(this.normType)}` : ""}` +
      `${this.scaleGradByFreq ? ", scale_grad_by_freq=True" : ""}`;
  }
}
