/**
 * Small pieces of torch.nn.functional that PyTorch code reaches for: `channelShuffle` (ShuffleNet's
 * group interleave), `dropout1d`/`dropout3d` (whole channels of [N, C, L] / [N, C, D, H, W]), `alphaDropout` and
 * `featureAlphaDropout` (SELU networks' dropout, which keeps mean 0 and variance 1), and
 * `gumbelSoftmax` (a differentiable sample from a categorical, optionally one-hot with a
 * straight-through gradient). Composites of differentiable ops, so every backend runs them.
 *
 * ```ts
 * const y = nn.functional.channelShuffle(x, 4);                  // [N, C, H, W], C divisible by 4
 * const onehot = nn.functional.gumbelSoftmax(logits, { tau: 0.5, hard: true });
 * ```
 */
import { Tensor, bernoulli, full, zerosLike, scatter, isFloating, type Generator, type DType } from "../../core.js";
import { checkKeys, declareOptionalArgs, describe, tensorArgError } from "../../tensor/check.js";
import { fmtShape } from "../module.js";

const GENERATOR_KEYS = ["generator"] as const;

function checkTensor(fn: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw tensorArgError(fn, "input", x);
}

/** Every dropout's p check (dropout and dropout2d's too). */
export function checkDropoutP(p: unknown, fn: string): number {
  // typeof first: "0.5" would pass the range test by coercion and then scale by 1/(1 - "0.5").
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new Error(`${fn}: p must be a dropout probability in [0, 1], got ${describe(p)}`);
  return p;
}

function checkTraining(fn: string, v: unknown): boolean {
  if (typeof v !== "boolean") throw new Error(`${fn}: training must be true or false, got ${describe(v)}`);
  return v;
}

/**
 * `channelShuffle(x, groups)`: [N, C, *] with C = g·k -> the channels reordered as the transpose of a
 * g x k grid (channel i·k + j goes to j·g + i), as torch.nn.functional.channel_shuffle.
 */
export function channelShuffle(input: Tensor, groups: number): Tensor {
  const fn = "channelShuffle";
  checkTensor(fn, input);
  if (typeof groups !== "number" || !Number.isInteger(groups) || groups < 1) throw new Error(`${fn}: groups must be an integer >= 1, got ${describe(groups)}`);
  if (input.ndim < 3) throw new Error(`${fn}: expected input [N, C, *] with at least 3 dims, got ${fmtShape(input.shape)}`);
  const [n, c, ...rest] = input.shape;
  if (c % groups !== 0) throw new Error(`${fn}: the number of channels (${c}) of input ${fmtShape(input.shape)} must be divisible by groups (${groups})`);
  return input.reshape([n, groups, c / groups, ...rest]).transpose(1, 2).reshape(input.shape);
}

/** The mask's dtype: the input's when floating (as PyTorch's noise is empty_like(input)). */
export const noiseDtype = (x: Tensor): DType => (isFloating(x.dtype) ? x.dtype : "float32");

/**
 * PyTorch's _dropout_impl (ATen/native/Dropout.cpp): noise ~ Bernoulli(1 − p) of the input's shape, or
 * [N, C, 1, ...] for feature dropout; plain dropout scales by 1/(1 − p), alpha dropout maps dropped
 * elements to SELU's negative saturation −α' and then rescales so mean and variance are kept:
 * out = x·noise·a + (noise − 1)·α·a + α·a·p with α = 1.7580993408473766, a = 1/√((α²p + 1)(1 − p)).
 */
function dropoutImpl(x: Tensor, p: number, training: boolean, feature: boolean, alpha: boolean, generator: Generator | undefined): Tensor {
  if (p === 0 || !training || x.numel() === 0) return x;
  if (p === 1) return x.mul(0);
  const shape = feature ? x.shape.map((s, i) => (i < 2 ? s : 1)) : x.shape;
  const noise = bernoulli(full(shape, 1 - p, { dtype: noiseDtype(x) }), { generator });
  if (!alpha) return x.mul(noise.div(1 - p));
  const A = 1.7580993408473766, a = 1 / Math.sqrt((A * A * p + 1) * (1 - p));
  const b = noise.sub(1).mul(A * a).add(A * a * p);
  return x.mul(noise.mul(a)).add(b);
}

/**
 * `dropout1d(x, p = 0.5, training = true, { generator })`: zeroes whole channels (each length-L row) of
 * [N, C, L] or [C, L] with probability p, scaling the rest by 1/(1 − p).
 */
export function dropout1d(input: Tensor, p = 0.5, training = true, opts: { generator?: Generator } = {}): Tensor {
  const fn = "dropout1d";
  checkTensor(fn, input);
  checkKeys(fn, opts, GENERATOR_KEYS);
  checkDropoutP(p, fn);
  checkTraining(fn, training);
  if (input.ndim !== 2 && input.ndim !== 3) throw new Error(`${fn}: expected input [N, C, L] or [C, L], got ${fmtShape(input.shape)}`);
  if (p === 0 || !training) return input;
  // An unbatched [C, L] input is one sample: its channels are dim 0.
  if (input.ndim === 2) return dropoutImpl(input.unsqueeze(0), p, training, true, false, opts.generator).squeeze(0);
  return dropoutImpl(input, p, training, true, false, opts.generator);
}

/**
 * `dropout3d(x, p = 0.5, training = true, { generator })`: zeroes whole channels (each [D, H, W]
 * volume) of [N, C, D, H, W] or [C, D, H, W] with probability p, scaling the rest by 1/(1 − p).
 */
export function dropout3d(input: Tensor, p = 0.5, training = true, opts: { generator?: Generator } = {}): Tensor {
  const fn = "dropout3d";
  checkTensor(fn, input);
  checkKeys(fn, opts, GENERATOR_KEYS);
  checkDropoutP(p, fn);
  checkTraining(fn, training);
  if (input.ndim !== 4 && input.ndim !== 5) throw new Error(`${fn}: expected input [N, C, D, H, W] or [C, D, H, W], got ${fmtShape(input.shape)}`);
  if (p === 0 || !training) return input;
  // An unbatched [C, D, H, W] input is one sample: its channels are dim 0.
  if (input.ndim === 4) return dropoutImpl(input.unsqueeze(0), p, training, true, false, opts.generator).squeeze(0);
  return dropoutImpl(input, p, training, true, false, opts.generator);
}

/**
 * `alphaDropout(x, p = 0.5, training = false, { generator })`: dropout for SELU networks: dropped
 * elements take SELU's saturation value and the result is rescaled to keep zero mean and unit
 * variance. PyTorch's default training is false for the functional form.
 */
export function alphaDropout(input: Tensor, p = 0.5, training = false, opts: { generator?: Generator } = {}): Tensor {
  const fn = "alphaDropout";
  checkTensor(fn, input);
  checkKeys(fn, opts, GENERATOR_KEYS);
  return dropoutImpl(input, checkDropoutP(p, fn), checkTraining(fn, training), false, true, opts.generator);
}

/**
 * `featureAlphaDropout(x, p = 0.5, training = false, { generator })`: alpha dropout of whole channels
 * (dim 1 of [N, C, *]).
 */
export function featureAlphaDropout(input: Tensor, p = 0.5, training = false, opts: { generator?: Generator } = {}): Tensor {
  const fn = "featureAlphaDropout";
  checkTensor(fn, input);
  checkKeys(fn, opts, GENERATOR_KEYS);
  checkDropoutP(p, fn);
  checkTraining(fn, training);
  if (input.ndim < 2) throw new Error(`${fn}: feature dropout needs an input [N, C, *] with at least 2 dims, got ${fmtShape(input.shape)}`);
  return dropoutImpl(input, p, training, true, true, opts.generator);
}

/**
 * `gumbelSoftmax(logits, tau = 1, hard = false, eps = 1e-10, dim = -1, { generator })` (or
 * `{ tau, hard, dim }`): softmax((logits + g)/tau) along dim with g ~ Gumbel(0, 1), a relaxed sample
 * of the categorical with those logits. hard: the one-hot of its argmax in value, with the soft
 * sample's gradient (straight-through: y_hard − y_soft.detach() + y_soft). eps is unused, as in
 * PyTorch (kept for its signature).
 */
export function gumbelSoftmax(logits: Tensor, tau = 1, hard = false, eps = 1e-10, dim = -1, opts: { generator?: Generator } = {}): Tensor {
  const fn = "gumbelSoftmax";
  if (!(logits instanceof Tensor)) throw tensorArgError(fn, "logits", logits);
  checkKeys(fn, opts, GENERATOR_KEYS);
  if (!isFloating(logits.dtype)) throw new Error(`${fn}: logits must be a floating tensor, got ${logits.dtype}`);
  if (typeof tau !== "number" || !(tau > 0)) throw new Error(`${fn}: tau must be a positive number, got ${describe(tau)}`);
  if (typeof hard !== "boolean") throw new Error(`${fn}: hard must be true or false, got ${describe(hard)}`);
  if (typeof eps !== "number") throw new Error(`${fn}: eps must be a number, got ${describe(eps)}`);
  if (logits.ndim === 0) throw new Error(`${fn}: logits must have at least 1 dim (the categories), got a 0-d tensor`);
  // −log(Exp(1)) ~ Gumbel(0, 1), as PyTorch draws it.
  const gumbels = zerosLike(logits).exponential_(1, { generator: opts.generator }).log().neg();
  const ySoft = logits.add(gumbels).div(tau).softmax(dim);
  if (!hard) return ySoft;
  const index = ySoft.max(dim, { keepdim: true }).indices;
  const yHard = scatter(zerosLike(logits), dim, index, 1);
  return yHard.sub(ySoft.detach()).add(ySoft);
}

// PyTorch code passes these positionally (F.dropout1d(x, 0.2, training)); also as one options object.
const OPTIONAL_ARGS = declareOptionalArgs({
  dropout1d: { first: 1, names: ["p", "training"], bag: GENERATOR_KEYS },
  dropout3d: { first: 1, names: ["p", "training"], bag: GENERATOR_KEYS },
  alphaDropout: { first: 1, names: ["p", "training"], bag: GENERATOR_KEYS },
  featureAlphaDropout: { first: 1, names: ["p", "training"], bag: GENERATOR_KEYS },
  gumbelSoftmax: { first: 1, names: ["tau", "hard", "eps", "dim"], bag: GENERATOR_KEYS },
});
export type ShuffleDropoutOptionalArgs = typeof OPTIONAL_ARGS;
