/** Helpers the families share: PyTorch's distributions/utils.py (finfo, clamp_probs, probs_to_logits, logits_to_probs). */
import { Tensor, zeros, zerosLike, fullLike, enableGrad, type DType, type Generator } from "../core.js";

const FINFO: Record<string, { eps: number; tiny: number; min: number }> = {
  float64: { eps: 2.220446049250313e-16, tiny: 2.2250738585072014e-308, min: -1.7976931348623157e308 },
  float32: { eps: 1.1920928955078125e-7, tiny: 1.1754943508222875e-38, min: -3.4028234663852886e38 },
  float16: { eps: 0.0009765625, tiny: 6.103515625e-5, min: -65504 },
  bfloat16: { eps: 0.0078125, tiny: 1.1754943508222875e-38, min: -3.3895313892515355e38 },
};

/** torch.finfo's eps, tiny and min for a floating dtype. */
export function finfo(dtype: DType): { eps: number; tiny: number; min: number } {
  return FINFO[dtype] ?? FINFO.float32;
}

/** Probabilities clamped to [eps, 1 - eps] (PyTorch's clamp_probs). */
export function clampProbs(p: Tensor): Tensor {
  const { eps } = finfo(p.dtype);
  return p.clamp(eps, 1 - eps);
}

/** probs_to_logits: log-odds when binary, log-probabilities otherwise. */
export function probsToLogits(p: Tensor, isBinary: boolean): Tensor {
  const c = clampProbs(p);
  return isBinary ? c.log().sub(c.neg().log1p()) : c.log();
}

/** logits_to_probs: sigmoid when binary, softmax over the last dim otherwise. */
export function logitsToProbs(l: Tensor, isBinary: boolean): Tensor {
  return isBinary ? l.sigmoid() : l.softmax(-1);
}

/** softplus(x) = log(1 + exp(x)) as logaddexp(x, 0): stable, and its gradient is sigmoid(x) exactly (0.5 at 0). */
export function softplus(x: Tensor): Tensor {
  return x.logaddexp(zerosLike(x));
}

/** binary_cross_entropy_with_logits(logits, target, reduction='none') = softplus(x) - x z. */
export function bceWithLogits(logits: Tensor, target: Tensor): Tensor {
  return softplus(logits).sub(logits.mul(target));
}

/** Exp(1) draws (PyTorch's exponential_()). */
export function standardExponential(shape: number[], dtype: DType, generator?: Generator): Tensor {
  return zeros(shape, { dtype }).exponential_(1, { generator });
}

/** A tensor of +Infinity like t (PyTorch's _infinite_like). */
export function infiniteLike(t: Tensor): Tensor {
  return fullLike(t.detach(), Infinity);
}

/**
 * A derived parameter (probs from logits, ...) computed with grad enabled, as PyTorch's lazy_property:
 * it is cached on first read, and a first read inside sample()'s noGrad must not cache a tensor cut off
 * from the parameter's graph.
 */
export function lazy<T>(fn: () => T): T {
  return enableGrad(fn);
}
