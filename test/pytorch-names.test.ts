// Issue 10's "Missing" lists, name by name: each exists under the camelCase name a PyTorch user would
// try, in the namespace they would use (torch.* at the top level, torch.linalg.* under linalg,
// F.* under nn.functional, nn.*, optim.*, optim.lrScheduler.*, autograd.*) and, where PyTorch has
// one, as a Tensor method. The values are checked elsewhere (docs/pytorch-coverage.md says where:
// the OpInfo replay and the op tables); here a sample of methods is also checked to agree with the function.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { Tensor, nn, optim, autograd, linalg, tensor } from "../src/index.js";

const top = dt as unknown as Record<string, unknown>;
const F = nn.functional as unknown as Record<string, unknown>;
const proto = Tensor.prototype as unknown as Record<string, unknown>;
const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

function missing(ns: Record<string, unknown>, names: string): string[] {
  return words(names).filter((n) => ns[n] === undefined);
}
function missingMethods(names: string): string[] {
  return words(names).filter((n) => !(n in proto));
}

const GROUPS: { group: string; fns?: string; methods?: string; ns?: [Record<string, unknown>, string, string][] }[] = [
  {
    group: "indexing",
    fns: "get set indexPut indexFill maskedScatter maskedSelect nonzero take takeAlongDim where scatter scatterAdd indexAdd",
    methods: "get set indexPut_ indexPut maskedScatter_ maskedScatter indexFill_ indexFill scatter_ scatter scatterAdd_ scatterAdd indexAdd_ indexAdd maskedSelect nonzero take takeAlongDim where",
  },
  {
    group: "sorting and selection",
    fns: "sort argsort topk kthvalue median mode unique msort searchsorted bucketize any all cumprod cummax cummin logcumsumexp nansum nanmean aminmax countNonzero bincount histc",
    methods: "sort argsort topk kthvalue median mode unique msort any all cumprod cummax cummin logcumsumexp nansum nanmean aminmax countNonzero bincount histc",
  },
  {
    group: "linear algebra",
    fns: "einsum addmm addbmm baddbmm mv addmv addr diag diagEmbed diagonal trace tensordot kron cross cdist",
    methods: "addmm addbmm baddbmm mv addmv addr diag diagEmbed diagonal trace kron cross norm T mT",
    ns: [[linalg as unknown as Record<string, unknown>, "linalg", "norm vectorNorm matrixNorm cross"]],
  },
  {
    group: "shape",
    fns: "movedim moveaxis roll rot90 tile repeatInterleave hstack vstack dstack columnStack tensorSplit swapaxes flipud fliplr atleast1d atleast2d atleast3d broadcastTo narrowCopy",
    methods: "movedim moveaxis roll rot90 tile repeatInterleave tensorSplit swapaxes unfold flipud fliplr broadcastTo expandAs viewAs reshapeAs narrowCopy",
  },
  {
    group: "math",
    fns: "tan asin acos atan sinh cosh asinh acosh atanh log2 log10 exp2 trunc frac fmod floorDivide div add sub lerp logaddexp hypot xlogy nanToNum isinf isposinf isneginf signbit copysign heaviside erfc erfinv lgamma digamma sinc deg2rad round clamp clampMin clampMax allclose isclose equal",
    methods: "tan asin acos atan sinh cosh asinh acosh atanh log2 log10 exp2 trunc frac fmod floorDivide div add sub lerp logaddexp hypot xlogy nanToNum isinf isposinf isneginf signbit copysign heaviside erfc erfinv lgamma digamma sinc deg2rad round clamp clampMin clampMax allclose isclose equal",
  },
  {
    group: "nn.functional and layers",
    ns: [
      [F, "nn.functional", "softplus relu6 hardswish hardsigmoid hardtanh selu celu mish glu prelu rrelu softmin softsign tanhshrink threshold logsigmoid softshrink hardshrink normalize cosineSimilarity pairwiseDistance maxPool1d avgPool1d adaptiveAvgPool1d adaptiveMaxPool1d adaptiveMaxPool2d convTranspose1d instanceNorm localResponseNorm pad interpolate pixelShuffle pixelUnshuffle unfold fold bilinear embeddingBag oneHot scaledDotProductAttention"],
      [nn as unknown as Record<string, unknown>, "nn", "PReLU MaxPool1d AvgPool1d AdaptiveAvgPool1d AdaptiveMaxPool1d AdaptiveMaxPool2d ConvTranspose1d InstanceNorm1d InstanceNorm2d LocalResponseNorm Upsample PixelShuffle PixelUnshuffle Unfold Fold Bilinear EmbeddingBag Softplus ReLU6 Hardswish Hardsigmoid Hardtanh SELU CELU Mish GLU RReLU Softmin Softsign Tanhshrink Threshold LogSigmoid Softshrink Hardshrink CosineSimilarity PairwiseDistance ReflectionPad2d ReplicationPad2d"],
      [nn.utils as unknown as Record<string, unknown>, "nn.utils", "clipGradNorm_ clipGradValue_ parametersToVector vectorToParameters"],
    ],
  },
  {
    group: "losses",
    ns: [
      [F, "nn.functional", "huberLoss marginRankingLoss hingeEmbeddingLoss multiMarginLoss multilabelMarginLoss multilabelSoftMarginLoss softMarginLoss tripletMarginLoss tripletMarginWithDistanceLoss cosineEmbeddingLoss poissonNllLoss gaussianNllLoss ctcLoss"],
      [nn as unknown as Record<string, unknown>, "nn", "HuberLoss MarginRankingLoss HingeEmbeddingLoss MultiMarginLoss MultiLabelMarginLoss MultiLabelSoftMarginLoss SoftMarginLoss TripletMarginLoss TripletMarginWithDistanceLoss CosineEmbeddingLoss PoissonNLLLoss GaussianNLLLoss CTCLoss"],
    ],
  },
  {
    group: "optimizers and schedules",
    ns: [
      [optim as unknown as Record<string, unknown>, "optim", "Adadelta Adamax NAdam RAdam LBFGS CyclicLR PolynomialLR CosineAnnealingWarmRestarts"],
      [optim.lrScheduler as unknown as Record<string, unknown>, "optim.lrScheduler", "CyclicLR PolynomialLR CosineAnnealingWarmRestarts StepLR OneCycleLR ReduceLROnPlateau"],
    ],
  },
  {
    // Session 13: torch.linalg's solvers and decompositions, sampling and statistics, spatial and
    // container pieces of nn.
    group: "session 13 additions",
    fns: "det logdet slogdet inverse matrixPower matrixExp cholesky qr svd pinverse geqrf luUnpack normal multinomial poisson bernoulli trapezoid trapz cumulativeTrapezoid quantile nanquantile nanmedian",
    methods: "det logdet slogdet inverse matrixPower matrixExp cholesky qr svd pinverse multinomial bernoulli bernoulli_ exponential_ cauchy_ logNormal_ geometric_ random_ quantile nanquantile nanmedian",
    ns: [
      [linalg as unknown as Record<string, unknown>, "linalg", "det slogdet inv invEx solve solveEx solveTriangular matrixPower matrixExp multiDot cholesky choleskyEx qr eigh eigvalsh svd svdvals pinv matrixRank lstsq cond luFactor luFactorEx lu luSolve householderProduct vecdot vander tensorinv tensorsolve diagonal matmul"],
      [F, "nn.functional", "affineGrid gridSample lpPool1d lpPool2d maxUnpool1d maxUnpool2d channelShuffle dropout1d dropout3d alphaDropout featureAlphaDropout gumbelSoftmax pdist upsample upsampleNearest upsampleBilinear embedding"],
      [nn as unknown as Record<string, unknown>, "nn", "LPPool1d LPPool2d MaxUnpool1d MaxUnpool2d ChannelShuffle Softmax2d Dropout1d Dropout3d AlphaDropout FeatureAlphaDropout ParameterList ParameterDict UpsamplingNearest2d UpsamplingBilinear2d"],
    ],
  },
  {
    group: "autograd",
    fns: "inferenceMode isInferenceMode noGrad enableGrad",
    methods: "registerHook retainGrad",
    ns: [
      [autograd as unknown as Record<string, unknown>, "autograd", "Function grad backward inferenceMode"],
      [autograd.functional as unknown as Record<string, unknown>, "autograd.functional", "jacobian hessian vjp jvp vhp hvp"],
      [nn.Module.prototype as unknown as Record<string, unknown>, "nn.Module#", "registerFullBackwardHook registerForwardHook registerForwardPreHook"],
    ],
  },
];

for (const g of GROUPS) {
  test(`PyTorch names, ${g.group}: every one exists where a PyTorch user looks`, () => {
    const gaps = [
      ...(g.fns ? missing(top, g.fns).map((n) => `torch.${n}`) : []),
      ...(g.methods ? missingMethods(g.methods).map((n) => `Tensor#${n}`) : []),
      ...(g.ns ?? []).flatMap(([ns, label, names]) => missing(ns, names).map((n) => `${label}.${n}`)),
    ];
    assert.deepEqual(gaps, []);
  });
}

test("PyTorch names: a Tensor method gives the same result as its function", () => {
  const x = tensor([[0.5, -1.25, 2], [3, -0.75, 0.25]], { dtype: "float64" });
  const y = tensor([[1.5, 2, -0.5], [0.25, 1, 4]], { dtype: "float64" });
  const same = (a: Tensor, b: Tensor, what: string): void => assert.deepEqual(a.tolist(), b.tolist(), what);
  const unary = words("tan atan sinh asinh log2 exp2 trunc frac erfc lgamma digamma sinc deg2rad isinf signbit nansum msort flipud fliplr cumprod:1 logcumsumexp:1 countNonzero");
  for (const spec of unary) {
    const [name, arg] = spec.split(":");
    const args = arg === undefined ? [] : [Number(arg)];
    const fn = top[name] as (t: Tensor, ...a: number[]) => Tensor;
    const m = proto[name] as (this: Tensor, ...a: number[]) => Tensor;
    same(m.call(x, ...args), fn(x, ...args), name);
  }
  for (const name of words("fmod hypot logaddexp xlogy copysign kron")) {
    same((proto[name] as (this: Tensor, o: Tensor) => Tensor).call(x, y), (top[name] as (a: Tensor, b: Tensor) => Tensor)(x, y), name);
  }
  same(x.topk(2, 1).values, dt.topk(x, 2, 1).values, "topk");
  same(x.T, dt.t(x), "T");
  same(x.mT, dt.transpose(x, -1, -2), "mT");
  same(linalg.vectorNorm(x, 1), dt.abs(x).sum(), "linalg.vectorNorm");
});
