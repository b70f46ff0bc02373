/**
 * `nn`: modules, layers, losses, initialisation and the functional API.
 *
 * ```ts
 * import { nn } from "deeptype";
 * const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
 * const loss = new nn.CrossEntropyLoss().forward(model.call(x), labels);
 * ```
 */
import { guardAll } from "../tensor/check.js";
import * as functionalModule from "./functional.js";
import * as initModule from "./init.js";
import * as utilsModule from "../grad/index.js";
import * as attentionModule from "./layers/attention.js";
import * as transformerModule from "./layers/transformer.js";

export {
  Module, Parameter, type AnyModule, type StateDict, type LoadResult, type RemovableHandle, type ForwardHook, type ForwardPreHook,
} from "./module.js";
export { Sequential, ModuleList, ModuleDict } from "./containers.js";
export { ParameterList, ParameterDict } from "./layers/parameter-containers.js";
export { UpsamplingNearest2d, UpsamplingBilinear2d } from "./layers/upsampling.js";
export { Linear, Identity, Flatten, Unflatten, type LayerOptions } from "./layers/linear.js";
export { Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d, type ConvOptions, type PaddingMode } from "./layers/conv.js";
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Upsample } from "./layers/pool.js";
export {
  MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, type MaxPool1dLayerOptions, type AvgPool1dLayerOptions,
} from "./layers/pool-more.js";
export { LPPool1d, LPPool2d, type LPPool1dOptions, type LPPool2dOptions } from "./layers/lp-pool.js";
export {
  ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, ZeroPad2d, ConstantPad1d,
  ConstantPad2d, ConstantPad3d, PixelShuffle, PixelUnshuffle, Unfold, Fold,
} from "./layers/spatial.js";
export {
  InstanceNorm1d, InstanceNorm2d, LocalResponseNorm, CosineSimilarity, PairwiseDistance, type InstanceNormLayerOptions,
  type LocalResponseNormOptions, type PairwiseDistanceOptions,
} from "./layers/norm-more.js";
export { Bilinear, EmbeddingBag, type BilinearOptions, type EmbeddingBagLayerOptions } from "./layers/bilinear.js";
export { BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm, type BatchNormOptions } from "./layers/norm.js";
export { Dropout, Dropout2d } from "./layers/dropout.js";
export { ChannelShuffle, Softmax2d, Dropout1d, Dropout3d, AlphaDropout, FeatureAlphaDropout } from "./layers/shuffle-dropout.js";
export { MaxUnpool1d, MaxUnpool2d, type MaxUnpoolOptions } from "./layers/unpool.js";
export { ReLU, LeakyReLU, ELU, Sigmoid, Tanh, GELU, SiLU, Softmax, LogSoftmax } from "./layers/activation.js";
export {
  Softplus, ReLU6, Hardswish, Hardsigmoid, Hardtanh, SELU, CELU, Mish, GLU, PReLU, RReLU, Softmin, Softsign, Tanhshrink, Threshold,
  LogSigmoid, Softshrink, Hardshrink, type PReLUOptions, type RReLUOptions,
} from "./layers/activation-more.js";
export { Embedding } from "./layers/embedding.js";
export {
  Loss, MSELoss, L1Loss, SmoothL1Loss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss, gaussianKl,
  type Reduction, type CrossEntropyOptions, type NllLossOptions,
} from "./losses.js";
export {
  HuberLoss, MarginRankingLoss, HingeEmbeddingLoss, MultiMarginLoss, MultiLabelMarginLoss, MultiLabelSoftMarginLoss, SoftMarginLoss,
  // The spellings of the first release, kept as aliases (CHANGELOG.md): PyTorch's are MultiLabel*.
  MultiLabelMarginLoss as MultilabelMarginLoss, MultiLabelSoftMarginLoss as MultilabelSoftMarginLoss,
  TripletMarginLoss, CosineEmbeddingLoss, TripletMarginWithDistanceLoss, type TripletMarginWithDistanceLossOptions, type DistanceFunction,
  type HuberLossOptions, type MarginRankingLossOptions, type HingeEmbeddingLossOptions, type MultiMarginLossOptions,
  type MultilabelSoftMarginLossOptions, type TripletMarginLossOptions, type CosineEmbeddingLossOptions,
} from "./losses-margin.js";
export { PoissonNLLLoss, GaussianNLLLoss, type PoissonNllLossOptions, type GaussianNllLossOptions } from "./losses-nll.js";
export { CTCLoss, type CtcLossOptions, type CtcLengths } from "./losses-ctc.js";
export type { InterpolateOptions, InterpolateMode } from "./functional.js";
// Through the public entry layer (src/tensor/guard.ts), so every function, including ones added
// later, names itself, what it got and what it takes when a JavaScript caller passes a wrong argument.
export const functional = guardAll<typeof functionalModule, functionalModule.FunctionalOptionalArgs>(functionalModule, "");
/** `torch.nn.utils`: clipGradNorm_, clipGradValue_, parametersToVector, vectorToParameters. */
export const utils = guardAll(utilsModule, "utils", ["clipGradNorm_", "clipGradValue_", "parametersToVector"]);
export const init = guardAll(initModule, "init", ["calculateGain"]);
export {
  RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell, type RNNParameterName, type RNNOptions, type RNNLayerOptions, type RNNForwardOptions, type RNNCellOptions,
} from "./layers/recurrent.js";
export const { scaledDotProductAttention, generateSquareSubsequentMask } = guardAll(attentionModule, "", ["generateSquareSubsequentMask"]);
export {
  MultiheadAttention,
  type MultiheadAttentionOptions, type MultiheadAttentionForwardOptions, type SdpaOptions,
} from "./layers/attention.js";
export {
  TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder, TransformerDecoder, Transformer, PositionalEncoding,
  type TransformerLayerOptions, type TransformerOptions, type TransformerActivation, type EncoderForwardOptions, type DecoderForwardOptions,
  type TransformerForwardOptions,
} from "./layers/transformer.js";
export const { positionalTable } = guardAll(transformerModule, "", ["positionalTable"]);
