/**
 * Optimizers, learning-rate schedulers and gradient clipping, in PyTorch's shape.
 *
 * ```ts
 * import { optim } from "deeptype";
 * const opt = new optim.Adam(params, { lr: 1e-3 });
 * ```
 */
export {
  Optimizer, serializeOptimizerState, deserializeOptimizerState,
  type BaseOptions, type ParamGroup, type ParamGroupInput, type Params, type ParamState, type StateValue,
  type OptimizerStateDict, type SerializedTensor,
} from "./optimizer.js";
export { SGD, type SGDOptions } from "./sgd.js";
export { Adam, AdamW, type AdamOptions } from "./adam.js";
export { RMSprop, type RMSpropOptions } from "./rmsprop.js";
export { Adagrad, type AdagradOptions } from "./adagrad.js";
export { clipGradNorm_, clipGradValue_ } from "../grad/clip.js";
// torch.optim.lr_scheduler, nested as in PyTorch (the schedulers are also exported directly above).
export * as lrScheduler from "./lr-scheduler.js";
export {
  LRScheduler, StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, OneCycleLR, ReduceLROnPlateau,
  LambdaLR, MultiplicativeLR, ConstantLR, SequentialLR, ChainedScheduler, PolynomialLR, CyclicLR, CosineAnnealingWarmRestarts,
  type StepLROptions, type MultiStepLROptions, type ExponentialLROptions, type CosineAnnealingLROptions, type LinearLROptions,
  type OneCycleLROptions, type ReduceLROnPlateauOptions, type LambdaLROptions, type LrLambda, type ConstantLROptions,
  type SequentialLROptions, type PolynomialLROptions, type CyclicLROptions, type CosineAnnealingWarmRestartsOptions,
} from "./lr-scheduler.js";
export { Adadelta, type AdadeltaOptions } from "./adadelta.js";
export { Adamax, type AdamaxOptions } from "./adamax.js";
export { NAdam, type NAdamOptions } from "./nadam.js";
export { RAdam, type RAdamOptions } from "./radam.js";
export { LBFGS, type LBFGSOptions, type LBFGSClosure } from "./lbfgs.js";
