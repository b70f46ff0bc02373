/**
 * The standard Gamma sampler and the implicit reparameterization gradients PyTorch 1.13's
 * _standard_gamma and _dirichlet_grad use (aten/src/ATen/native/Distributions.h: Marsaglia-Tsang
 * sampling; Taylor, Rice saddle-point and rational approximations of -(d cdf / d alpha) / pdf),
 * ported line by line in double precision, so rsample of Gamma, Beta and Dirichlet has PyTorch's
 * gradients for a given sample.
 */
import { Tensor, apply, defineOp, defaultGenerator, tensor, type Generator } from "../core.js";

/** digamma for the gradients below (PyTorch's digamma_one). */
export function digammaOne(xIn: number): number {
  const PSI_10 = 2.25175258906672110764;
  let x = xIn;
  if (x === 0) return Infinity;
  let extra = 0;
  if (x < 0) {
    if (x === Math.floor(x)) return Infinity;
    extra = -Math.PI / Math.tan(Math.PI * x);
    x = 1 - x;
  }
  let result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  if (x === 10) return result + PSI_10 + extra;
  const A = [8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3, -4.16666666666666666667e-3, 3.96825396825396825397e-3, -8.33333333333333333333e-3, 8.33333333333333333333e-2];
  let y = 0;
  if (x < 1.0e17) {
    const z = 1 / (x * x);
    let p = A[0];
    for (let i = 1; i <= 6; i++) p = p * z + A[i];
    y = z * p;
  }
  return result + Math.log(x) - 0.5 / x - y + extra;
}

/** One standard Gamma(alpha) draw (PyTorch's sample_gamma, Marsaglia and Tsang 2000). */
export function sampleGamma(alphaIn: number, g: Generator): number {
  let alpha = alphaIn, scale = 1;
  if (alpha < 1) {
    if (alpha === 0) return 0;
    scale *= (1 - g.random()) ** (1 / alpha);
    alpha += 1;
  }
  const d = alpha - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, y: number;
    do {
      x = g.normal();
      y = 1 + c * x;
    } while (y <= 0);
    const v = y * y * y, u = 1 - g.random(), xx = x * x;
    if (u < 1 - 0.0331 * xx * xx) return scale * d * v;
    if (Math.log(u) < 0.5 * xx + d * (1 - v + Math.log(v))) return scale * d * v;
  }
}

/** d x / d alpha for x ~ Gamma(alpha, 1) (PyTorch's standard_gamma_grad_one). */
export function standardGammaGrad(alpha: number, x: number): number {
  if (x < 0.8) {
    let numer = 1, denom = alpha;
    let s1 = numer / denom, s2 = numer / (denom * denom);
    for (let i = 1; i <= 5; i++) {
      numer *= -x / i;
      denom += 1;
      s1 += numer / denom;
      s2 += numer / (denom * denom);
    }
    const powXA = x ** alpha;
    const pdf = x ** (alpha - 1) * Math.exp(-x);
    const cdf = powXA * s1;
    const cdfAlpha = (Math.log(x) - digammaOne(alpha)) * cdf - powXA * s2;
    const r = -cdfAlpha / pdf;
    return Number.isNaN(r) ? 0 : r;
  }
  if (alpha > 8) {
    if (0.9 * alpha <= x && x <= 1.1 * alpha) {
      const n1 = 1 + 24 * alpha * (1 + 12 * alpha);
      const n2 = 1440 * (alpha * alpha) + 6 * x * (53 - 120 * x) - (65 * x * x) / alpha + alpha * (107 + 3600 * x);
      const den = 1244160 * (alpha * alpha) * (alpha * alpha);
      return (n1 * n2) / den;
    }
    const den = Math.sqrt(8 * alpha);
    const t2 = den / (alpha - x);
    const t3 = (x - alpha - alpha * Math.log(x / alpha)) ** -1.5;
    const t23 = x < alpha ? t2 - t3 : t2 + t3;
    const t1 = Math.log(x / alpha) * t23 - (Math.sqrt(2 / alpha) * (alpha + x)) / ((alpha - x) * (alpha - x));
    const stirling = 1 + (1 / (12 * alpha)) * (1 + 1 / (24 * alpha));
    return (-stirling * (x * t1)) / den;
  }
  const u = Math.log(x / alpha), v = Math.log(alpha);
  const C = [
    [0.16009398, -0.094634809, 0.025146376, -0.0030648343, 1, 0.32668115, 0.10406089, 0.0014179084],
    [0.53487893, 0.1298071, 0.065735949, -0.0015649758, 0.16639465, 0.020070113, -0.0035938915, -0.00058392623],
    [0.040121004, -0.0065914022, -0.0026286047, -0.0013441777, 0.017050642, -0.0021309326, 0.00085092367, -1.5247877e-7],
  ];
  const cv = C[0].map((c0, i) => c0 + u * (C[1][i] + u * C[2][i]));
  const p = cv[0] + v * (cv[1] + v * (cv[2] + v * cv[3]));
  const q = cv[4] + v * (cv[5] + v * (cv[6] + v * cv[7]));
  return Math.exp(p / q);
}

function betaGradAlphaSmall(x: number, alpha: number, beta: number): number {
  const factor = digammaOne(alpha) - digammaOne(alpha + beta) - Math.log(x);
  let numer = 1;
  let series = (numer / alpha) * (factor + 1 / alpha);
  for (let i = 1; i <= 10; i++) {
    numer *= ((i - beta) * x) / i;
    const den = alpha + i;
    series += (numer / den) * (factor + 1 / den);
  }
  const r = x * (1 - x) ** -beta * series;
  return Number.isNaN(r) ? 0 : r;
}

function betaGradBetaSmall(x: number, alpha: number, beta: number): number {
  const factor = digammaOne(alpha + beta) - digammaOne(beta);
  let numer = 1, betas = 1, dbetas = 0, series = factor / alpha;
  for (let i = 1; i <= 8; i++) {
    numer *= -x / i;
    dbetas = dbetas * (beta - i) + betas;
    betas = betas * (beta - i);
    series += (numer / (alpha + i)) * (dbetas + factor * betas);
  }
  const r = -((1 - x) ** (1 - beta)) * series;
  return Number.isNaN(r) ? 0 : r;
}

function betaGradAlphaMid(x: number, alpha: number, beta: number): number {
  const total = alpha + beta, mean = alpha / total;
  const std = Math.sqrt((alpha * beta) / (total + 1)) / total;
  if (mean - 0.1 * std <= x && x <= mean + 0.1 * std) {
    const poly = 47 * x * (beta * beta) * (beta * beta) + alpha * ((43 + 20 * (16 + 27 * beta) * x) * (beta * beta) * beta + alpha * (3 * (59 + 180 * beta - 90 * x) * (beta * beta) + alpha * ((453 + 1620 * beta * (1 - x) - 455 * x) * beta + alpha * (8 * (1 - x) * (135 * beta - 11)))));
    const pn = ((1 + 12 * alpha) * (1 + 12 * beta)) / (total * total);
    const pd = 12960 * alpha * alpha * alpha * beta * beta * (1 + 12 * total);
    return ((pn / (1 - x)) * poly) / pd;
  }
  const prefactor = -x / Math.sqrt((2 * alpha * beta) / total);
  const stirling = ((1 + 1 / (12 * alpha) + 1 / (288 * alpha * alpha)) * (1 + 1 / (12 * beta) + 1 / (288 * beta * beta))) / (1 + 1 / (12 * total) + 1 / (288 * total * total));
  const t1n = 2 * (alpha * alpha) * (x - 1) + alpha * beta * (x - 1) - x * (beta * beta);
  const axbx = alpha * (x - 1) + beta * x;
  const t1d = Math.sqrt((2 * alpha) / beta) * total ** 1.5 * axbx * axbx;
  const t1 = t1n / t1d;
  const t2 = 0.5 * Math.log(alpha / (total * x));
  const t3 = Math.sqrt((8 * alpha * beta) / total) / (beta * x + alpha * (x - 1));
  const t4 = (beta * Math.log(beta / (total * (1 - x))) + alpha * Math.log(alpha / (total * x))) ** -1.5;
  return stirling * prefactor * (t1 + t2 * (t3 + (x < mean ? t4 : -t4)));
}

const DC = [
  [[[1.003668233, -0.01061107488, -0.0657888334, 0.01201642863], [0.6336835991, -0.3557432599, 0.05486251648, -0.001465281033], [-0.03276231906, 0.004474107445, 0.002429354597, -0.0001557569013]],
    [[0.221950385, -0.3187676331, 0.01799915743, 0.01074823814], [-0.2951249643, 0.06219954479, 0.01535556598, 0.001550077057], [0.02155310298, 0.004170831599, 0.001292462449, 6.976601077e-5]],
    [[-0.05980841433, 0.008441916499, 0.01085618172, 0.002319392565], [0.02911413504, 0.01400243777, -0.002721828457, 0.000751041181], [0.005900514878, -0.001936558688, -9.495446725e-6, 5.385558597e-5]]],
  [[[1, -0.02924021934, -0.04438342661, 0.007285809825], [0.6357567472, -0.3473456711, 0.05454656494, -0.002407477521], [-0.03301322327, 0.004845219414, 0.00231480583, -0.0002307248149]],
    [[0.5925320577, -0.1757678135, 0.01505928619, 0.000564515273], [0.1014815858, -0.06589186703, 0.01272886114, -0.0007316646956], [-0.007258481865, 0.001096195486, 0.0003934994223, -4.12701925e-5]],
    [[0.06469649321, -0.0236701437, 0.002902096474, -5.896963079e-5], [0.001925008108, -0.002869809258, 0.0008000589141, -6.063713228e-5], [-0.0003477407336, 6.959756487e-5, 1.097287507e-5, -1.650964693e-6]]],
];

/** -(d cdf / d alpha) / pdf / (1 - x) for x ~ Beta(alpha, total - alpha) (PyTorch's dirichlet_grad_one). */
export function dirichletGrad(x: number, alpha: number, total: number): number {
  const beta = total - alpha;
  const boundary = total * x * (1 - x);
  if (x <= 0.5 && boundary < 2.5) return betaGradAlphaSmall(x, alpha, beta);
  if (x >= 0.5 && boundary < 0.75) return -betaGradBetaSmall(1 - x, beta, alpha);
  if (alpha > 6 && beta > 6) return betaGradAlphaMid(x, alpha, beta);
  const u = Math.log(x), a = Math.log(alpha) - u, b = Math.log(total) - a;
  const pu = [1, u, u * u], pa = [1, a, a * a];
  let p = 0, q = 0;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const ua = pu[i] * pa[j], c0 = DC[0][i][j], c1 = DC[1][i][j];
      p += ua * (c0[0] + b * (c0[1] + b * (c0[2] + b * c0[3])));
      q += ua * (c1[0] + b * (c1[1] + b * (c1[2] + b * c1[3])));
    }
  }
  const approx = (x * (digammaOne(total) - digammaOne(alpha))) / beta;
  return (p / q) * approx;
}

const values = (t: Tensor): ArrayLike<number> => t.detach().contiguous().numbers();
const asLike = (d: Float64Array, like: Tensor): Tensor => tensor(Array.from(d), { dtype: "float64" }).reshape([...like.shape]).to(like.dtype);

/** Records the sample `value` of `alpha` with d value / d alpha = `grad` (elementwise), as _standard_gamma's backward. */
const gammaSampleOp = defineOp<{ value: Tensor; grad: () => Tensor }>({
  name: "standardGamma",
  saves: [],
  forward: (_inputs, { value }) => value,
  backward: (g, { attrs }) => [g.mul(attrs.grad())],
});

/**
 * Standard Gamma draws of concentration's shape (PyTorch's torch._standard_gamma), at least the
 * dtype's tiny; differentiable in concentration by standardGammaGrad.
 */
export function standardGamma(concentration: Tensor, generator?: Generator, tiny = 0): Tensor {
  const g = generator ?? defaultGenerator;
  const a = values(concentration);
  const d = new Float64Array(a.length);
  for (let i = 0; i < d.length; i++) d[i] = Math.max(sampleGamma(a[i], g), tiny);
  const value = asLike(d, concentration);
  if (!concentration.requiresGrad) return value;
  const grad = (): Tensor => {
    const x = values(value), out = new Float64Array(x.length);
    for (let i = 0; i < out.length; i++) out[i] = standardGammaGrad(a[i], x[i]);
    return asLike(out, concentration);
  };
  return apply(gammaSampleOp, [concentration], { value: value.detach(), grad });
}

/** PyTorch's _Dirichlet backward: grad * (g - sum(x g)) with grad = _dirichlet_grad(x, alpha, total). */
const dirichletSampleOp = defineOp<{ value: Tensor; grad: () => Tensor }>({
  name: "dirichlet",
  saves: [],
  forward: (_inputs, { value }) => value,
  backward: (g, { attrs }) => [attrs.grad().mul(g.sub(attrs.value.mul(g).sum(-1, { keepdim: true })))],
});

/** Dirichlet draws along the last dim (gammas normalized, clamped to [tiny, 1 - eps] as at::_sample_dirichlet). */
export function sampleDirichlet(concentration: Tensor, generator: Generator | undefined, tiny: number, eps: number): Tensor {
  const g = generator ?? defaultGenerator;
  const a = values(concentration);
  const k = concentration.shape.at(-1)!;
  const d = new Float64Array(a.length);
  for (let r = 0; r < a.length; r += k) {
    let s = 0;
    for (let j = 0; j < k; j++) s += d[r + j] = sampleGamma(a[r + j], g);
    for (let j = 0; j < k; j++) d[r + j] = Math.min(Math.max(d[r + j] / s, tiny), 1 - eps);
  }
  const value = asLike(d, concentration);
  if (!concentration.requiresGrad) return value;
  const grad = (): Tensor => {
    const x = values(value), out = new Float64Array(x.length);
    for (let r = 0; r < a.length; r += k) {
      let total = 0;
      for (let j = 0; j < k; j++) total += a[r + j];
      for (let j = 0; j < k; j++) out[r + j] = dirichletGrad(x[r + j], a[r + j], total);
    }
    return asLike(out, concentration);
  };
  return apply(dirichletSampleOp, [concentration], { value: value.detach(), grad });
}
