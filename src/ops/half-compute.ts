/**
 * Composite ops on float16/bfloat16 computed in float32 and rounded once.
 *
 * PyTorch's CPU kernels for Half and BFloat16 (layer_norm, lerp, elu, ...) load 16-bit values as
 * float, compute the whole op in float and round the result once. An op that deeptype writes as
 * several tensor ops would round after each of them instead (x - mean, its square, the mean of
 * that, ...), losing most of bfloat16's 8 bits where intermediates cancel. `viaFloat32` runs such a
 * composite on float32 copies of its 16-bit inputs and rounds the result to the inputs' dtype;
 * autograd records the two casts, so the backward is computed in float32 too and rounded once.
 */
import { Tensor } from "../tensor/tensor.js";
import { halfInUse, isHalf } from "../tensor/half.js";
import { type DType, isFloating, promoteTypes } from "../tensor/dtype.js";
import { to } from "./shape.js";

/**
 * `fn(...args)`, computed in float32 when the floating tensors among `args` are all of one 16-bit
 * dtype (the result is rounded back to it); otherwise `fn(...args)` as is.
 * @example viaFloat32((a, b) => a.sub(b).square(), x, y) // x, y bfloat16: one rounding, not two
 */
export function viaFloat32<A extends unknown[]>(fn: (...args: A) => Tensor, ...args: A): Tensor {
  if (!halfInUse()) return fn(...args);
  let floating: DType | null = null;
  for (const a of args) if (a instanceof Tensor && isFloating(a.dtype)) floating = floating === null ? a.dtype : promoteTypes(floating, a.dtype);
  if (floating === null || !isHalf(floating)) return fn(...args);
  const wide = args.map((a) => (a instanceof Tensor && a.dtype === floating ? to(a, "float32") : a)) as A;
  const y = fn(...wide);
  return y.dtype === "float32" ? to(y, floating) : y;
}
