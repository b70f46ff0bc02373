/** Bilinear (x1ᵀ·W·x2 + b) and EmbeddingBag (pooled embedding lookups), with PyTorch's parameters and printout. */
import { checkKeys } from "../../tensor/check.js";
import { positionalOptions, type PositionalArgs } from "../positional.js";
import { Tensor, zeros, noGrad, type DType, type Generator } from "../../core.js";
import { Module, Parameter, pyBool } from "../module.js";
import { bilinear, embeddingBag, type EmbeddingBagOptions } from "../functional/misc.js";
import { uniform_, normal_ } from "../init.js";
import { checkCount } from "./linear.js";

/** The option keys of each class here: anything else is a misspelling. */
const EMBEDDING_BAG_KEYS = ["dtype", "generator", "mode", "includeLastOffset", "paddingIdx"] as const;

/** The option keys of each layer here: anything else is a misspelling (positionalOptions). */
const BILINEAR_KEYS = ["bias", "dtype", "generator"] as const;

/** Options of Bilinear (positional after the three sizes: bias). */
export interface BilinearOptions { bias?: boolean; dtype?: DType; generator?: Generator }

/**
 * y = x1ᵀ·W_o·x2 + b_o for each output feature o; weight [out, in1, in2], bias [out], both drawn
 * from U(±1/√in1) as PyTorch.
 *
 * ```ts
 * const bl = new nn.Bilinear(20, 30, 40);
 * bl.call(x1, x2); // [N, 20], [N, 30] -> [N, 40]
 * ```
 *
 * Shape: [*, in1], [*, in2] -> [*, out].
 */
export class Bilinear extends Module<[Tensor, Tensor], Tensor> {
  readonly in1Features: number;
  readonly in2Features: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;
  constructor(in1Features: number, in2Features: number, outFeatures: number, ...args: PositionalArgs<[bias: boolean], BilinearOptions>) {
    super();
    const o = positionalOptions<BilinearOptions>("Bilinear", ["bias"], args, BILINEAR_KEYS);
    // in1Features sets the init bound 1/sqrt(in1Features), so it must be positive (PyTorch divides by
    // zero there); the other two may be 0, giving an empty layer as in PyTorch.
    checkCount(in1Features, "Bilinear", "in1Features");
    checkCount(in2Features, "Bilinear", "in2Features", 0);
    checkCount(outFeatures, "Bilinear", "outFeatures", 0);
    this.in1Features = in1Features;
    this.in2Features = in2Features;
    this.outFeatures = outFeatures;
    const dtype = o.dtype ?? "float32";
    this.weight = new Parameter(zeros([outFeatures, in1Features, in2Features], { dtype }));
    this.bias = o.bias === false ? null : new Parameter(zeros([outFeatures], { dtype }));
    this.resetParameters(o.generator);
  }
  /** Re-draws weight and bias from U(±1/√in1Features), as PyTorch's reset_parameters. */
  resetParameters(generator?: Generator): void {
    const bound = 1 / Math.sqrt(this.in1Features);
    uniform_(this.weight, -bound, bound, { generator });
    if (this.bias) uniform_(this.bias, -bound, bound, { generator });
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    return bilinear(x1, x2, this.weight, this.bias);
  }
  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}

/** Options of EmbeddingBag. */
export interface EmbeddingBagLayerOptions extends Omit<EmbeddingBagOptions, "perSampleWeights"> { dtype?: DType; generator?: Generator }

/**
 * The sum, mean or max of each bag of embeddings (default mean), without building the per-bag
 * lookups; weight [numEmbeddings, embeddingDim] from N(0, 1) (the padding row zero).
 *
 * ```ts
 * const bag = new nn.EmbeddingBag(10000, 64, { mode: "sum" });
 * bag.call(ids, offsets); // ids [n] int32, offsets [B] int32 -> [B, 64]
 * ```
 *
 * Shape: ids [B, L] (no offsets) or [n] with offsets [B] -> [B, embeddingDim].
 */
export class EmbeddingBag extends Module<[Tensor, (Tensor | null)?, (Tensor | null)?], Tensor> {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly mode: "sum" | "mean" | "max";
  readonly includeLastOffset: boolean;
  readonly paddingIdx: number | null;
  weight: Parameter;
  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingBagLayerOptions = {}) {
    super();
    checkKeys("EmbeddingBag", opts, EMBEDDING_BAG_KEYS);
    checkCount(numEmbeddings, "EmbeddingBag", "numEmbeddings", 0);
    checkCount(embeddingDim, "EmbeddingBag", "embeddingDim", 0);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.mode = opts.mode ?? "mean";
    if (!["sum", "mean", "max"].includes(this.mode)) throw new Error(`EmbeddingBag: mode must be "sum", "mean" or "max", got ${JSON.stringify(this.mode)}`);
    this.includeLastOffset = opts.includeLastOffset ?? false;
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad >= numEmbeddings || pad < -numEmbeddings) {
        throw new Error(`EmbeddingBag: paddingIdx ${pad} must be an integer in [${-numEmbeddings}, ${numEmbeddings - 1}]`);
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    this.weight = new Parameter(zeros([numEmbeddings, embeddingDim], { dtype: opts.dtype ?? "float32" }));
    normal_(this.weight, 0, 1, { generator: opts.generator });
    if (pad !== null) {
      const row = this.weight.select(0, pad);
      noGrad(() => row.zero_());
    }
  }
  forward(ids: Tensor, offsets: Tensor | null = null, perSampleWeights: Tensor | null = null): Tensor {
    return embeddingBag(ids, this.weight, offsets, { mode: this.mode, perSampleWeights, includeLastOffset: this.includeLastOffset, paddingIdx: this.paddingIdx });
  }
  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}, mode=${this.mode}${this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : ""}`;
  }
}
