/**
 * PyTorch OpInfo name -> the deeptype call a PyTorch user would write, with PyTorch's positional and
 * keyword arguments translated to deeptype's (camelCase options, int64 indices as int32). An argument
 * deeptype has no translation for throws `Unsupported` with the reason: the harness counts those
 * samples as not covered (never as agreeing) and docs/testing-opinfo.md lists the reasons.
 *
 * The keys must be exactly MAPPED in scripts/fixtures/opinfo.py (test/opinfo.test.ts checks it).
 */
import {
  Tensor, type TensorLike, type DType,
  abs, add, amax, amin, argmax, argmin, atan2, bmm, cat, ceil, chunk, clamp, clone, contiguous, cos, cumsum, div, dot, eq, erf,
  exp, expand, expm1, flatten, flip, floor, gather, ge, gt, indexAdd, indexSelect, isfinite, isnan, le, log, log1p, logSoftmax,
  logicalAnd, logicalNot, logicalOr, logicalXor, logsumexp, lt, maskedFill, matmul, max, maximum, mean, min, minimum, mm, mul,
  narrow, ne, neg, outer, permute, pow, prod, reciprocal, remainder, repeat, reshape, round, rsqrt, scatter, scatterAdd, select,
  sigmoid, sign, sin, softmax, split, sqrt, square, squeeze, stack, std, sub, sum, t, tanh, transpose, tril, triu, unbind,
  unflatten, unsqueeze, variance, view, where, sumTo, norm, relu, gelu, leakyRelu, elu, oneHot, pad, maxPool2dWithIndices,
  nn, tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, log2, log10, exp2, trunc, frac, fmod, floorDivide, lerp,
  logaddexp, hypot, xlogy, nanToNum, isinf, isposinf, isneginf, signbit, copysign, heaviside, erfc, erfinv, lgamma, digamma,
  sinc, deg2rad, rad2deg, clampMin, clampMax, allclose, isclose, equal,
} from "../src/index.js";

const F = nn.functional;

/** What a mapped call returns: a tensor, several, PyTorch's (values, indices) pair, or a plain value. */
export type Out = Tensor | Tensor[] | { values: Tensor; indices: Tensor } | number | boolean;

/** The sample uses something deeptype has no (clean) translation for; the message says what. */
export class Unsupported extends Error {}

type Args = unknown[];
type Kw = Record<string, unknown>;
type Mapped = (input: unknown, args: Args, kw: Kw) => Out;

const T = (v: unknown): Tensor => v as Tensor;
const L = (v: unknown): TensorLike => v as TensorLike;
const N = (v: unknown): number => (typeof v === "object" && v !== null && "item" in v ? (v as Tensor).item() : (v as number));

/** Rejects keyword arguments deeptype does not translate (unless they hold PyTorch's default). */
function only(kw: Kw, allowed: string[], defaults: Kw = {}): void {
  for (const [k, v] of Object.entries(kw)) {
    if (allowed.includes(k)) continue;
    if (k in defaults && defaults[k] === v) continue;
    throw new Unsupported(`keyword ${k}=${JSON.stringify(v)?.slice(0, 60)}`);
  }
}

/** PyTorch 1.13's dim argument of reductions: None or [] reduce every dim. */
function dims(d: unknown): number | number[] | undefined {
  if (d === undefined || d === null) return undefined;
  if (Array.isArray(d)) return d.length ? (d as number[]) : undefined;
  return d as number;
}

/** The `dtype=` option of reductions and softmax, as deeptype's `{ dtype }`. */
function dtypeOpt(kw: Kw): { dtype?: DType } {
  const d = kw.dtype as { dtype: DType } | null | undefined;
  return d ? { dtype: d.dtype } : {};
}

/** var/std: unbiased (positional or keyword) and correction. */
function correction(args: Args, kw: Kw): { dim?: number | number[]; correction: number; keepdim: boolean } {
  let dim = dims(kw.dim);
  let unbiased = kw.unbiased as boolean | undefined;
  if (typeof args[0] === "boolean") unbiased = args[0];
  else if (args.length) dim = dims(args[0]);
  const corr = kw.correction !== undefined && kw.correction !== null ? (kw.correction as number) : unbiased === false ? 0 : 1;
  return { dim, correction: corr, keepdim: (kw.keepdim as boolean) ?? false };
}

/** size arguments given either as one list or spread (PyTorch takes both). */
const sizes = (args: Args): number[] => (Array.isArray(args[0]) ? (args[0] as number[]) : (args as number[]));

const unary = (f: (x: Tensor) => Tensor): Mapped => (x, args, kw) => {
  only(kw, []);
  if (args.length) throw new Unsupported("extra positional arguments");
  return f(T(x));
};

const binary = (f: (a: TensorLike, b: TensorLike) => Tensor): Mapped => (a, args, kw) => {
  only(kw, []);
  return f(L(a), L(args[0]));
};

const withAlpha = (f: (a: TensorLike, b: TensorLike, o: { alpha?: number }) => Tensor): Mapped => (a, args, kw) => {
  only(kw, ["alpha"]);
  return f(L(a), L(args[0]), { alpha: kw.alpha as number | undefined });
};

type ReduceFn = (x: Tensor, dim?: number | number[], keepdim?: boolean | { keepdim?: boolean; dtype?: DType }) => Tensor;
const reduction = (f: ReduceFn): Mapped => (x, args, kw) => {
  only(kw, ["dim", "keepdim", "dtype"]);
  const dim = args.length ? dims(args[0]) : dims(kw.dim);
  const keepdim = (args[1] as boolean | undefined) ?? (kw.keepdim as boolean | undefined) ?? false;
  return f(T(x), dim, { keepdim, ...dtypeOpt(kw) });
};

const argReduction = (f: (x: Tensor, dim?: number, keepdim?: boolean) => Tensor): Mapped => (x, args, kw) => {
  only(kw, ["dim", "keepdim"]);
  const dim = (args[0] ?? kw.dim) as number | undefined | null;
  const keepdim = (args[1] ?? kw.keepdim ?? false) as boolean;
  return dim === undefined || dim === null ? f(T(x)) : f(T(x), dim, keepdim);
};

const softmaxLike = (f: (x: Tensor, dim: number, o: { dtype?: DType }) => Tensor): Mapped => (x, args, kw) => {
  only(kw, ["dim", "dtype"]);
  return f(T(x), (args[0] ?? kw.dim) as number, dtypeOpt(kw));
};

const reductionWithIndices = (f: typeof max): Mapped => (x, args, kw) => {
  only(kw, ["dim", "keepdim"]);
  return f(T(x), (args[0] ?? kw.dim) as number, (args[1] ?? kw.keepdim ?? false) as boolean);
};

/** PyTorch's Tensor.__rpow__ copies a tensor `other` with torch.tensor(other): no gradient reaches it. */
const detachIfTensor = (v: unknown): TensorLike => (v instanceof Tensor ? v.detach() : (v as number));

type Reduction = "none" | "mean" | "sum";
const lossReduction = (kw: Kw): Reduction => (kw.reduction ?? "mean") as Reduction;

/**
 * A loss taking `tensors` tensors (the input first) and then PyTorch's keyword arguments, which a
 * sample may also give positionally in `names` order; keywords become deeptype's camelCase options.
 */
const loss = (fn: string, tensors: number, names: string[]): Mapped => (x, args, kw) => {
  const all: Kw = { ...kw };
  args.slice(tensors - 1).forEach((v, i) => {
    if (i >= names.length) throw new Unsupported("extra positional arguments");
    all[names[i]] = v;
  });
  only(all, names);
  const opts: Kw = {};
  for (const [k, v] of Object.entries(all)) opts[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  // ctc_loss's lengths may be Python lists or tuples; the lengths stay positional here.
  const rest = args.slice(0, tensors - 1);
  return (F as unknown as Record<string, (...a: unknown[]) => Tensor>)[fn](x, ...rest, opts);
};

export const MAP: Record<string, Mapped> = {
  // ---------------------------------------------------------------- losses of losses-margin/-nll/-ctc
  "nn.functional.huber_loss": loss("huberLoss", 2, ["reduction", "delta"]),
  "nn.functional.margin_ranking_loss": loss("marginRankingLoss", 3, ["margin", "reduction"]),
  "nn.functional.hinge_embedding_loss": loss("hingeEmbeddingLoss", 2, ["margin", "reduction"]),
  "nn.functional.multi_margin_loss": loss("multiMarginLoss", 2, ["p", "margin", "weight", "reduction"]),
  "nn.functional.multilabel_margin_loss": loss("multilabelMarginLoss", 2, ["reduction"]),
  "nn.functional.multilabel_soft_margin_loss": loss("multilabelSoftMarginLoss", 2, ["weight", "reduction"]),
  "nn.functional.soft_margin_loss": loss("softMarginLoss", 2, ["reduction"]),
  "nn.functional.triplet_margin_loss": loss("tripletMarginLoss", 3, ["margin", "p", "eps", "swap", "reduction"]),
  "nn.functional.cosine_embedding_loss": loss("cosineEmbeddingLoss", 3, ["margin", "reduction"]),
  "nn.functional.poisson_nll_loss": loss("poissonNllLoss", 2, ["log_input", "full", "eps", "reduction"]),
  "nn.functional.gaussian_nll_loss": loss("gaussianNllLoss", 3, ["full", "eps", "reduction"]),
  "nn.functional.ctc_loss": loss("ctcLoss", 4, ["blank", "reduction", "zero_infinity"]),

  // ---------------------------------------------------------------- unary
  abs: unary(abs), ceil: unary(ceil), cos: unary(cos), erf: unary(erf), exp: unary(exp), expm1: unary(expm1), floor: unary(floor),
  isfinite: unary(isfinite), isnan: unary(isnan), log: unary(log), log1p: unary(log1p), logical_not: unary(logicalNot),
  neg: unary(neg), reciprocal: unary(reciprocal), round: unary(round), rsqrt: unary(rsqrt), sigmoid: unary(sigmoid),
  sign: unary(sign), sin: unary(sin), sqrt: unary(sqrt), square: unary(square), tanh: unary(tanh),
  "nn.functional.relu": unary(relu), "nn.functional.silu": unary(F.silu),
  "nn.functional.gelu": (x, _a, kw) => { only(kw, ["approximate"]); return gelu(T(x), kw.approximate as "none" | "tanh"); },
  "nn.functional.leaky_relu": (x, a, kw) => { only(kw, ["negative_slope"], { inplace: false }); return leakyRelu(T(x), (a[0] ?? kw.negative_slope ?? 0.01) as number); },
  "nn.functional.elu": (x, a, kw) => { only(kw, ["alpha"], { inplace: false }); return elu(T(x), (a[0] ?? kw.alpha ?? 1) as number); },
  // nn.functional activations (src/nn/functional/activations.ts)
  "nn.functional.celu": (x, a, kw) => { only(kw, ["alpha"], { inplace: false }); return F.celu(T(x), (a[0] ?? kw.alpha ?? 1) as number); },
  "nn.functional.glu": (x, a, kw) => { only(kw, ["dim"]); return F.glu(T(x), (a[0] ?? kw.dim ?? -1) as number); },
  "nn.functional.hardshrink": (x, a, kw) => { only(kw, ["lambd"]); return F.hardshrink(T(x), (a[0] ?? kw.lambd ?? 0.5) as number); },
  "nn.functional.softshrink": (x, a, kw) => { only(kw, ["lambd"]); return F.softshrink(T(x), (a[0] ?? kw.lambd ?? 0.5) as number); },
  "nn.functional.hardsigmoid": (x, a, kw) => { only(kw, [], { inplace: false }); return F.hardsigmoid(T(x)); },
  "nn.functional.hardswish": (x, a, kw) => { only(kw, [], { inplace: false }); return F.hardswish(T(x)); },
  "nn.functional.relu6": (x, a, kw) => { only(kw, [], { inplace: false }); return F.relu6(T(x)); },
  "nn.functional.selu": (x, a, kw) => { only(kw, [], { inplace: false }); return F.selu(T(x)); },
  "nn.functional.mish": (x, a, kw) => { only(kw, [], { inplace: false }); return F.mish(T(x)); },
  "nn.functional.logsigmoid": unary(F.logsigmoid), "nn.functional.softsign": unary(F.softsign), "nn.functional.tanhshrink": unary(F.tanhshrink),
  "nn.functional.hardtanh": (x, a, kw) => {
    only(kw, ["min_val", "max_val"], { inplace: false });
    return F.hardtanh(T(x), (a[0] ?? kw.min_val ?? -1) as number, (a[1] ?? kw.max_val ?? 1) as number);
  },
  "nn.functional.prelu": (x, a, kw) => { only(kw, ["weight"]); return F.prelu(T(x), T(a[0] ?? kw.weight)); },
  "nn.functional.softmin": (x, a, kw) => { only(kw, ["dim"]); return F.softmin(T(x), (a[0] ?? kw.dim) as number); },
  "nn.functional.softmin.with_dtype": (x, a, kw) => { only(kw, ["dim", "dtype"]); return F.softmin(T(x), (a[0] ?? kw.dim) as number, dtypeOpt(kw)); },
  "nn.functional.softplus": (x, a, kw) => {
    only(kw, ["beta", "threshold"]);
    return F.softplus(T(x), (a[0] ?? kw.beta ?? 1) as number, (a[1] ?? kw.threshold ?? 20) as number);
  },
  "nn.functional.threshold": (x, a, kw) => {
    only(kw, ["threshold", "value"], { inplace: false });
    return F.threshold(T(x), (a[0] ?? kw.threshold) as number, (a[1] ?? kw.value) as number);
  },
  // nn.functional distances, normalisation, pooling, padding, resizing (src/nn/functional/*.ts)
  "nn.functional.normalize": (x, a, kw) => {
    only(kw, ["p", "dim", "eps"]);
    return F.normalize(T(x), (a[0] ?? kw.p ?? 2) as number, (a[1] ?? kw.dim ?? 1) as number, (a[2] ?? kw.eps ?? 1e-12) as number);
  },
  "nn.functional.cosine_similarity": (x, a, kw) => {
    only(kw, ["dim", "eps"]);
    return F.cosineSimilarity(T(x), T(a[0]), (a[1] ?? kw.dim ?? 1) as number, (a[2] ?? kw.eps ?? 1e-8) as number);
  },
  "nn.functional.pairwise_distance": (x, a, kw) => {
    only(kw, ["p", "eps", "keepdim"]);
    return F.pairwiseDistance(T(x), T(a[0]), { p: (a[1] ?? kw.p ?? 2) as number, eps: (a[2] ?? kw.eps ?? 1e-6) as number, keepdim: (a[3] ?? kw.keepdim ?? false) as boolean });
  },
  "nn.functional.instance_norm": (x, a, kw) => {
    const names = ["running_mean", "running_var", "weight", "bias", "use_input_stats", "momentum", "eps"];
    only(kw, names);
    const [runningMean, runningVar, weight, bias, useInputStats, momentum, eps] = names.map((n, i) => a[i] ?? kw[n] ?? undefined) as never[];
    return F.instanceNorm(T(x), { runningMean, runningVar, weight, bias, useInputStats, momentum, eps });
  },
  "nn.functional.local_response_norm": (x, a, kw) => {
    only(kw, ["alpha", "beta", "k"]);
    return F.localResponseNorm(T(x), a[0] as number, (a[1] ?? kw.alpha ?? 1e-4) as number, (a[2] ?? kw.beta ?? 0.75) as number, (a[3] ?? kw.k ?? 1) as number);
  },
  "nn.functional.max_pool1d": (x, a, kw) => {
    const names = ["kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"];
    only(kw, names);
    const [k, stride, padding, dilation, ceilMode, ret] = names.map((n, i) => a[i] ?? kw[n]) as never[];
    const r = F.maxPool1dWithIndices(T(x), k, { stride, padding, dilation, ceilMode });
    return ret ? r : r.values;
  },
  "nn.functional.avg_pool1d": (x, a, kw) => {
    const names = ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"];
    only(kw, names);
    const [k, stride, padding, ceilMode, countIncludePad] = names.map((n, i) => a[i] ?? kw[n]) as never[];
    const s = Array.isArray(stride) && (stride as unknown[]).length === 0 ? undefined : stride;
    return F.avgPool1d(T(x), k, { stride: s, padding, ceilMode, countIncludePad });
  },
  "nn.functional.adaptive_avg_pool1d": (x, a, kw) => { only(kw, ["output_size"]); return F.adaptiveAvgPool1d(T(x), (a[0] ?? kw.output_size) as number); },
  "nn.functional.adaptive_max_pool1d": (x, a, kw) => {
    only(kw, ["output_size", "return_indices"]);
    const r = F.adaptiveMaxPool1dWithIndices(T(x), (a[0] ?? kw.output_size) as number);
    return a[1] ?? kw.return_indices ? r : r.values;
  },
  "nn.functional.adaptive_max_pool2d": (x, a, kw) => {
    only(kw, ["output_size", "return_indices"]);
    const r = F.adaptiveMaxPool2dWithIndices(T(x), (a[0] ?? kw.output_size) as never);
    return a[1] ?? kw.return_indices ? r : r.values;
  },
  "nn.functional.pad.replicate": (x, a, kw) => { only(kw, ["mode"]); return F.pad(T(x), a[0] as number[], "replicate"); },
  "nn.functional.pad.circular": (x, a, kw) => { only(kw, ["mode"]); return F.pad(T(x), a[0] as number[], "circular"); },
  "nn.functional.pixel_shuffle": (x, a, kw) => { only(kw, ["upscale_factor"]); return F.pixelShuffle(T(x), (a[0] ?? kw.upscale_factor) as number); },
  "nn.functional.pixel_unshuffle": (x, a, kw) => { only(kw, ["downscale_factor"]); return F.pixelUnshuffle(T(x), (a[0] ?? kw.downscale_factor) as number); },
  "nn.functional.unfold": (x, a, kw) => {
    const names = ["kernel_size", "dilation", "padding", "stride"];
    only(kw, names);
    const [k, dilation, padding, stride] = names.map((n, i) => a[i] ?? kw[n]) as never[];
    return F.unfold(T(x), k, { dilation, padding, stride });
  },
  ...Object.fromEntries((["nearest", "linear", "bilinear", "bicubic"] as const).map((mode) => [`nn.functional.interpolate.${mode}`, ((x, a, kw) => {
    const names = ["size", "scale_factor", "mode", "align_corners", "recompute_scale_factor", "antialias"];
    only(kw, names);
    const [size, scaleFactor, m, alignCorners, recompute, antialias] = names.map((n, i) => a[i] ?? kw[n] ?? null) as never[];
    if (recompute) throw new Unsupported("recompute_scale_factor=True");
    if (antialias) throw new Unsupported("antialias=True");
    return F.interpolate(T(x), { size, scaleFactor, mode: m ?? "nearest", alignCorners });
  }) as Mapped])),
  "nn.functional.conv_transpose1d": (x, a, kw) => {
    const names = ["stride", "padding", "output_padding", "groups", "dilation"];
    only(kw, ["bias", ...names]);
    const one = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : Array.isArray(v) ? (v[0] as number) : (v as number));
    const [stride, padding, outputPadding, groups, dilation] = names.map((n, i) => one(a[2 + i] ?? kw[n]));
    return F.convTranspose1d(T(x), T(a[0]), (a[1] ?? kw.bias ?? null) as Tensor | null, { stride, padding, outputPadding, groups, dilation });
  },
  "nn.functional.bilinear": (x, a, kw) => { only(kw, ["bias"]); return F.bilinear(T(x), T(a[0]), T(a[1]), (a[2] ?? kw.bias ?? null) as Tensor | null); },
  "nn.functional.embedding_bag": (w, a, kw) => {
    only(kw, ["offsets", "mode", "per_sample_weights", "include_last_offset", "padding_idx"], { max_norm: null, scale_grad_by_freq: false, sparse: false, norm_type: 2 });
    return F.embeddingBag(T(a[0]), T(w), (kw.offsets ?? null) as Tensor | null, {
      mode: (kw.mode ?? "mean") as "sum" | "mean" | "max", perSampleWeights: (kw.per_sample_weights ?? null) as Tensor | null,
      includeLastOffset: (kw.include_last_offset ?? false) as boolean, paddingIdx: (kw.padding_idx ?? null) as number | null,
    });
  },
  clamp: (x, a, kw) => {
    only(kw, ["min", "max"]);
    const lo = a[0] ?? kw.min, hi = a[1] ?? kw.max;
    return clamp(T(x), lo as Tensor | number | null, hi as Tensor | number | null);
  },

  // ---------------------------------------------------------------- binary
  add: withAlpha(add), sub: withAlpha(sub), mul: binary(mul), "div.no_rounding_mode": binary(div),
  true_divide: binary(div), pow: binary(pow), atan2: binary(atan2), remainder: binary(remainder),
  maximum: binary(maximum), minimum: binary(minimum), // torch.max(x, 2) with a number is the reduction along dim 2, not an elementwise max.
  "max.binary": (x, a, kw) => (typeof a[0] === "number" ? max(T(x), a[0]) : binary(maximum)(x, a, kw)),
  "min.binary": (x, a, kw) => (typeof a[0] === "number" ? min(T(x), a[0]) : binary(minimum)(x, a, kw)),
  eq: binary(eq), ne: binary(ne), lt: binary(lt), le: binary(le), gt: binary(gt), ge: binary(ge),
  logical_and: binary(logicalAnd), logical_or: binary(logicalOr), logical_xor: binary(logicalXor),
  rsub: (x, a, kw) => { only(kw, ["alpha"]); return sub(L(a[0]), T(x), { alpha: kw.alpha as number | undefined }); },
  __radd__: (x, a) => add(L(a[0]), T(x)), __rmul__: (x, a) => mul(L(a[0]), T(x)), __rsub__: (x, a) => sub(L(a[0]), T(x)),
  __rdiv__: (x, a) => div(L(a[0]), T(x)), __rpow__: (x, a) => pow(detachIfTensor(a[0]), T(x)), __rmatmul__: (x, a) => matmul(T(a[0]), T(x)),
  where: (x, a, kw) => { only(kw, []); return where(T(a[0]), L(x), L(a[1])); },
  masked_fill: (x, a, kw) => {
    only(kw, []);
    return maskedFill(T(x), T(a[0]), a[1] as number | Tensor);
  },

  // ---------------------------------------------------------------- reductions
  sum: reduction(sum), mean: reduction(mean), amax: reduction((x, d, o) => amax(x, d, typeof o === "object" ? o.keepdim : o)),
  amin: reduction((x, d, o) => amin(x, d, typeof o === "object" ? o.keepdim : o)),
  prod: (x, a, kw) => {
    only(kw, ["keepdim", "dim", "dtype"]);
    const dim = (a[0] ?? kw.dim) as number | undefined;
    return prod(T(x), dim, { keepdim: (a[1] ?? kw.keepdim ?? false) as boolean, ...dtypeOpt(kw) });
  },
  logsumexp: (x, a, kw) => { only(kw, ["dim", "keepdim"]); return logsumexp(T(x), (a[0] ?? kw.dim) as number[], (a[1] ?? kw.keepdim ?? false) as boolean); },
  norm: (x, a, kw) => {
    only(kw, ["p", "dim", "keepdim"]);
    const p = (a[0] ?? kw.p ?? 2) as number | string;
    if (typeof p === "string") throw new Unsupported(`norm p="${p}"`);
    return norm(T(x), p, dims(a[1] ?? kw.dim), (a[2] ?? kw.keepdim ?? false) as boolean);
  },
  var: (x, a, kw) => { only(kw, ["dim", "unbiased", "correction", "keepdim"]); const c = correction(a, kw); return variance(T(x), c.dim, { correction: c.correction, keepdim: c.keepdim }); },
  std: (x, a, kw) => { only(kw, ["dim", "unbiased", "correction", "keepdim"]); const c = correction(a, kw); return std(T(x), c.dim, { correction: c.correction, keepdim: c.keepdim }); },
  argmax: argReduction(argmax), argmin: argReduction(argmin),
  "max.reduction_no_dim": unary((x) => max(x)), "min.reduction_no_dim": unary((x) => min(x)),
  "max.reduction_with_dim": reductionWithIndices(max), "min.reduction_with_dim": reductionWithIndices(min as typeof max),
  cumsum: (x, a, kw) => { only(kw, ["dim", "dtype"]); return cumsum(T(x), (a[0] ?? kw.dim) as number, dtypeOpt(kw)); },
  softmax: softmaxLike(softmax), log_softmax: softmaxLike(logSoftmax),
  "softmax.with_dtype": softmaxLike(softmax), "log_softmax.dtype": softmaxLike(logSoftmax),

  // ---------------------------------------------------------------- math (src/ops/math.ts)
  tan: unary(tan), asin: unary(asin), acos: unary(acos), atan: unary(atan), sinh: unary(sinh), cosh: unary(cosh),
  asinh: unary(asinh), acosh: unary(acosh), atanh: unary(atanh), log2: unary(log2), log10: unary(log10), exp2: unary(exp2),
  trunc: unary(trunc), frac: unary(frac), erfc: unary(erfc), erfinv: unary(erfinv), lgamma: unary(lgamma),
  digamma: unary(digamma), sinc: unary(sinc), deg2rad: unary(deg2rad), rad2deg: unary(rad2deg), isinf: unary(isinf),
  isposinf: unary(isposinf), isneginf: unary(isneginf), signbit: unary(signbit),
  fmod: binary(fmod), floor_divide: binary(floorDivide), logaddexp: binary(logaddexp), hypot: binary(hypot),
  xlogy: binary(xlogy), copysign: binary(copysign), heaviside: (x, a, kw) => { only(kw, []); return heaviside(T(x), L(a[0])); },
  "div.trunc_rounding": (x, a, kw) => { only(kw, ["rounding_mode"]); return div(L(x), L(a[0]), { roundingMode: kw.rounding_mode as "trunc" | undefined }); },
  "div.floor_rounding": (x, a, kw) => { only(kw, ["rounding_mode"]); return div(L(x), L(a[0]), { roundingMode: kw.rounding_mode as "floor" | undefined }); },
  lerp: (x, a, kw) => { only(kw, []); return lerp(T(x), L(a[0]), L(a[1])); },
  nan_to_num: (x, a, kw) => {
    only(kw, ["nan", "posinf", "neginf"]);
    const [nan, posinf, neginf] = [a[0] ?? kw.nan, a[1] ?? kw.posinf, a[2] ?? kw.neginf] as (number | null | undefined)[];
    return nanToNum(T(x), { nan: nan ?? undefined, posinf: posinf ?? undefined, neginf: neginf ?? undefined });
  },
  "round.decimals_0": (x, _a, kw) => { only(kw, ["decimals"]); return round(T(x), { decimals: kw.decimals as number }); },
  "round.decimals_3": (x, _a, kw) => { only(kw, ["decimals"]); return round(T(x), { decimals: kw.decimals as number }); },
  "round.decimals_neg_3": (x, _a, kw) => { only(kw, ["decimals"]); return round(T(x), { decimals: kw.decimals as number }); },
  clamp_min: (x, a) => clampMin(T(x), a[0] as number | Tensor), clamp_max: (x, a) => clampMax(T(x), a[0] as number | Tensor),
  isclose: (x, a, kw) => {
    only(kw, ["rtol", "atol", "equal_nan"]);
    return isclose(T(x), L(a[0]), { rtol: kw.rtol as number | undefined, atol: kw.atol as number | undefined, equalNan: kw.equal_nan as boolean | undefined });
  },
  allclose: (x, a, kw) => {
    only(kw, ["rtol", "atol", "equal_nan"]);
    return allclose(T(x), L(a[0]), { rtol: kw.rtol as number | undefined, atol: kw.atol as number | undefined, equalNan: kw.equal_nan as boolean | undefined });
  },
  equal: (x, a) => equal(T(x), T(a[0])),

  // ---------------------------------------------------------------- matmul
  matmul: (a, b) => matmul(T(a), T(b[0])), mm: (a, b) => mm(T(a), T(b[0])), bmm: (a, b) => bmm(T(a), T(b[0])),
  dot: (a, b) => dot(T(a), T(b[0])), outer: (a, b) => outer(T(a), T(b[0])),
  "nn.functional.linear": (x, a, kw) => { only(kw, ["bias"]); return F.linear(T(x), T(a[0]), (a[1] ?? kw.bias ?? null) as Tensor | null); },

  // ---------------------------------------------------------------- shape and views
  cat: (xs, a, kw) => { only(kw, ["dim"]); return cat(xs as Tensor[], (a[0] ?? kw.dim ?? 0) as number); },
  stack: (xs, a, kw) => { only(kw, ["dim"]); return stack(xs as Tensor[], (a[0] ?? kw.dim ?? 0) as number); },
  chunk: (x, a, kw) => { only(kw, ["dim"]); return chunk(T(x), a[0] as number, (a[1] ?? kw.dim ?? 0) as number); },
  split: (x, a, kw) => { only(kw, ["dim"]); return split(T(x), a[0] as number, (a[1] ?? kw.dim ?? 0) as number); },
  split_with_sizes: (x, a, kw) => { only(kw, ["dim"]); return split(T(x), a[0] as number[], (a[1] ?? kw.dim ?? 0) as number); },
  unbind: (x, a, kw) => { only(kw, ["dim"]); return unbind(T(x), (a[0] ?? kw.dim ?? 0) as number); },
  clone: unary(clone), contiguous: unary(contiguous), t: unary(t),
  expand: (x, a) => expand(T(x), sizes(a)),
  flatten: (x, a, kw) => { only(kw, ["start_dim", "end_dim"]); return flatten(T(x), (a[0] ?? kw.start_dim ?? 0) as number, (a[1] ?? kw.end_dim ?? -1) as number); },
  unflatten: (x, a) => unflatten(T(x), a[0] as number, a[1] as number[]),
  flip: (x, a, kw) => flip(T(x), (a[0] ?? kw.dims) as number[]),
  permute: (x, a) => permute(T(x), sizes(a)),
  repeat: (x, a) => repeat(T(x), sizes(a)),
  reshape: (x, a) => reshape(T(x), sizes(a)), view: (x, a) => view(T(x), sizes(a)),
  sum_to_size: (x, a) => sumTo(T(x), sizes(a)),
  squeeze: (x, a, kw) => { only(kw, ["dim"]); const d = a[0] ?? kw.dim; return d === undefined ? squeeze(T(x)) : squeeze(T(x), d as number); },
  unsqueeze: (x, a) => unsqueeze(T(x), a[0] as number),
  transpose: (x, a) => transpose(T(x), a[0] as number, a[1] as number),
  narrow: (x, a) => narrow(T(x), a[0] as number, N(a[1]), a[2] as number),
  select: (x, a) => select(T(x), a[0] as number, a[1] as number),
  tril: (x, a, kw) => { only(kw, ["diagonal"]); return tril(T(x), (a[0] ?? kw.diagonal ?? 0) as number); },
  triu: (x, a, kw) => { only(kw, ["diagonal"]); return triu(T(x), (a[0] ?? kw.diagonal ?? 0) as number); },
  "nn.functional.pad.constant": (x, a, kw) => {
    only(kw, ["mode", "value"]);
    return pad(T(x), a[0] as number[], "constant", (a[2] ?? kw.value ?? 0) as number);
  },
  "nn.functional.pad.reflect": (x, a, kw) => { only(kw, ["mode"]); return pad(T(x), a[0] as number[], "reflect"); },

  // ---------------------------------------------------------------- indexing
  gather: (x, a, kw) => { only(kw, [], { sparse_grad: false }); return gather(T(x), a[0] as number, T(a[1])); },
  index_select: (x, a) => indexSelect(T(x), a[0] as number, T(a[1])),
  index_add: (x, a, kw) => {
    only(kw, ["alpha"]);
    const alpha = (kw.alpha ?? 1) as number;
    return indexAdd(T(x), a[0] as number, T(a[1]), alpha === 1 ? T(a[2]) : mul(T(a[2]), alpha));
  },
  scatter: (x, a, kw) => { only(kw, []); return scatter(T(x), a[0] as number, T(a[1]), a[2] as Tensor | number); },
  scatter_add: (x, a, kw) => { only(kw, []); return scatterAdd(T(x), a[0] as number, T(a[1]), T(a[2])); },
  "nn.functional.one_hot": (x, a, kw) => { only(kw, ["num_classes"]); return oneHot(T(x), (a[0] ?? kw.num_classes ?? -1) as number); },
  "nn.functional.embedding": (w, a, kw) => {
    only(kw, ["padding_idx"]);
    return F.embedding(T(a[0]), T(w), (kw.padding_idx ?? null) as number | null);
  },

  // ---------------------------------------------------------------- convolution and pooling
  "nn.functional.conv1d": (x, a, kw) => {
    only(kw, ["stride", "padding", "dilation", "groups", "weight", "bias"]);
    const one = (v: unknown): number | undefined => (Array.isArray(v) ? v[0] : (v as number | undefined));
    const padding = typeof kw.padding === "string" ? (kw.padding as "same" | "valid") : one(kw.padding);
    return F.conv1d(T(x), T(a[0] ?? kw.weight), (a[1] ?? kw.bias ?? null) as Tensor | null, { stride: one(kw.stride), padding, dilation: one(kw.dilation), groups: kw.groups as number | undefined });
  },
  "nn.functional.conv2d": (x, a, kw) => {
    only(kw, ["stride", "padding", "dilation", "groups", "weight", "bias"]);
    const { weight, bias, ...opts } = kw;
    return F.conv2d(T(x), T(a[0] ?? weight), (a[1] ?? bias ?? null) as Tensor | null, opts as never);
  },
  "nn.functional.conv_transpose2d": (x, a, kw) => {
    only(kw, ["stride", "padding", "dilation", "groups", "output_padding"]);
    const { output_padding: outputPadding, ...rest } = kw;
    return F.convTranspose2d(T(x), T(a[0]), (a[1] ?? null) as Tensor | null, { ...rest, outputPadding } as never);
  },
  "nn.functional.max_pool2d": (x, _a, kw) => {
    only(kw, ["kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"]);
    const opts = { stride: (kw.stride ?? undefined) as never, padding: kw.padding as never, dilation: kw.dilation as never, ceilMode: kw.ceil_mode as boolean };
    const r = maxPool2dWithIndices(T(x), kw.kernel_size as never, opts);
    return kw.return_indices ? r : r.values;
  },
  "nn.functional.avg_pool2d": (x, a, kw) => {
    const names = ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"];
    only(kw, names);
    const [k, stride, padding, ceilMode, countIncludePad, divisor] = names.map((n, i) => a[i] ?? kw[n]) as [never, unknown, never, boolean, boolean, number | null];
    const s = Array.isArray(stride) && stride.length === 0 ? undefined : stride;
    return F.avgPool2d(T(x), k, { stride: (s ?? undefined) as never, padding, ceilMode, countIncludePad, divisorOverride: divisor });
  },
  "nn.functional.adaptive_avg_pool2d": (x, a) => {
    const xt = T(x);
    const size = Array.isArray(a[0]) ? (a[0] as (number | null)[]).map((s, i) => s ?? xt.shape[xt.ndim - 2 + i]) : (a[0] as number);
    return F.adaptiveAvgPool2d(xt, size as never);
  },

  // ---------------------------------------------------------------- normalisation
  "nn.functional.layer_norm": (x, a, kw) => {
    only(kw, ["eps"]);
    return F.layerNorm(T(x), a[0] as number[], (a[1] ?? null) as Tensor | null, (a[2] ?? null) as Tensor | null, (kw.eps ?? 1e-5) as number);
  },
  "nn.functional.group_norm": (x, a, kw) => {
    only(kw, ["weight", "bias", "eps"]);
    return F.groupNorm(T(x), a[0] as number, (kw.weight ?? null) as Tensor | null, (kw.bias ?? null) as Tensor | null, (kw.eps ?? 1e-5) as number);
  },
  "nn.functional.batch_norm": (x, a, kw) => {
    only(kw, ["training", "momentum", "eps"]);
    const [rm, rv, w, b] = a as (Tensor | null)[];
    return F.batchNorm(T(x), rm ?? null, rv ?? null, w ?? null, b ?? null, (kw.training ?? false) as boolean, (kw.momentum ?? 0.1) as number, (kw.eps ?? 1e-5) as number);
  },

  // ---------------------------------------------------------------- losses
  "nn.functional.mse_loss": (x, a, kw) => { only(kw, ["reduction"]); return F.mseLoss(T(x), T(a[0]), { reduction: lossReduction(kw) }); },
  "nn.functional.l1_loss": (x, a, kw) => { only(kw, ["reduction"]); return F.l1Loss(T(x), T(a[0]), { reduction: lossReduction(kw) }); },
  "nn.functional.smooth_l1_loss": (x, a, kw) => { only(kw, ["reduction", "beta"]); return F.smoothL1Loss(T(x), T(a[0]), { reduction: lossReduction(kw), beta: (kw.beta ?? 1) as number }); },
  "nn.functional.binary_cross_entropy": (x, a, kw) => {
    only(kw, ["reduction", "weight"]);
    return F.binaryCrossEntropy(T(x), T(a[0]), { weight: (kw.weight ?? null) as Tensor | null, reduction: lossReduction(kw) });
  },
  "nn.functional.binary_cross_entropy_with_logits": (x, a, kw) => {
    only(kw, ["reduction", "weight", "pos_weight"]);
    return F.binaryCrossEntropyWithLogits(T(x), T(a[0]), { weight: (kw.weight ?? null) as Tensor | null, posWeight: (kw.pos_weight ?? null) as Tensor | null, reduction: lossReduction(kw) });
  },
  "nn.functional.nll_loss": (x, a, kw) => {
    only(kw, ["reduction", "weight", "ignore_index"]);
    return F.nllLoss(T(x), T(a[0]), { weight: (kw.weight ?? undefined) as Tensor | undefined, ignoreIndex: kw.ignore_index as number | undefined, reduction: lossReduction(kw) });
  },
  "nn.functional.cross_entropy": (x, a, kw) => {
    only(kw, ["reduction", "weight", "ignore_index", "label_smoothing"]);
    return F.crossEntropy(T(x), T(a[0]), {
      weight: (kw.weight ?? undefined) as Tensor | undefined, ignoreIndex: kw.ignore_index as number | undefined,
      reduction: lossReduction(kw), labelSmoothing: kw.label_smoothing as number | undefined,
    });
  },
  "nn.functional.kl_div": (x, a, kw) => {
    only(kw, ["reduction", "log_target"]);
    return F.klDiv(T(x), T(a[0]), { reduction: (kw.reduction ?? "mean") as Reduction | "batchmean", logTarget: (kw.log_target ?? false) as boolean });
  },
};

export type { DType };
