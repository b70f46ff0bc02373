/** Scalar functions the reference kernels need and JavaScript's Math lacks. */

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * erf to near double precision: the Maclaurin series for |x| < 2.5 (cancellation costs < 3 digits
 * there), a continued fraction for erfc beyond. Gradient checks difference this function at 1e-6
 * steps, so the usual 1e-7-accurate approximations are not good enough.
 */
export function erf(x: number): number {
  if (Number.isNaN(x) || x === 0) return x; // erf(-0) is -0 (the series' first step would add +0 to it)
  const ax = Math.abs(x);
  if (ax < 2.5) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  if (ax > 6) return Math.sign(x);
  // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated from the tail.
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + k / 2 / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

export function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

/**
 * GELU of a float32 (or 16-bit) tensor as PyTorch 1.13 gives it for a contiguous tensor of two or more
 * elements: +0 at x = -0. (Its float64 kernel gives -0, which \`gelu\` keeps; so does its float32
 * kernel on one element or a strided view: PyTorch itself is not consistent, we follow the common case.)
 */
export function geluF32(x: number): number {
  return gelu(x) + 0; // -0 + 0 is +0; every other value is unchanged
}

/** GELU's tanh approximation (PyTorch's approximate="tanh"). */
export function geluTanh(x: number): number {
  const k = Math.sqrt(2 / Math.PI);
  return 0.5 * x * (1 + Math.tanh(k * (x + 0.044715 * x * x * x)));
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}


/** Python's modulo: the result has the divisor's sign (PyTorch's remainder). */
export function remainder(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

/**
 * erfc without the cancellation of 1 - erf(x) for large x: the continued fraction beyond 2.5
 * (relative accuracy ~1e-16 where erfc is tiny), 1 - erf(x) below.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 2.5) return 1 - erf(x);
  if (x > 27) return 0;
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/**
 * Inverse error function: Giles' single-precision approximation ("Approximating the erfinv
 * function", 2010) refined by two Newton steps on erf, which brings it to double precision.
 */
export function erfinv(y: number): number {
  if (Number.isNaN(y) || y < -1 || y > 1) return NaN;
  if (y === 1) return Infinity;
  if (y === -1) return -Infinity;
  let w = -Math.log((1 - y) * (1 + y));
  let x: number;
  if (w < 5) {
    w -= 2.5;
    let p = 2.81022636e-8;
    for (const c of [3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]) p = c + p * w;
    x = p * y;
  } else {
    w = Math.sqrt(w) - 3;
    let p = -0.000200214257;
    for (const c of [0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]) p = c + p * w;
    x = p * y;
  }
  for (let i = 0; i < 2; i++) {
    const err = (Math.abs(y) > 0.9 ? -(erfc(x) - (1 - y)) : erf(x) - y);
    x -= err / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  }
  return x;
}

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log|Γ(x)| (PyTorch's lgamma): Lanczos approximation (g = 7, ~1e-15), reflection below 0.5. */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity; // poles
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * ψ(x) = d/dx log Γ(x): recurrence up to x ≥ 6, then the asymptotic series; reflection for
 * negative x. PyTorch gives -Inf at 0 and NaN at the negative integers (its poles).
 */
export function digamma(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return Infinity;
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity;
  if (x < 0) {
    if (Number.isInteger(x)) return NaN;
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let r = 0;
  while (x < 6) r -= 1 / x++;
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}

/**
 * ψ'(x) (trigamma), for the gradient of digamma: PyTorch's calc_trigamma step for step (reflection
 * below 1/2, six recurrence steps, the asymptotic series to x⁻⁷), so digamma's gradient is PyTorch's
 * to rounding. Its truncation leaves ~1e-8 relative error (the next term, 1/(30x⁹) at x ≥ 6.5);
 * matching PyTorch was chosen over a longer series (before session 14 this one stopped at x⁻¹¹:
 * ~1e-9, and differed from PyTorch by PyTorch's own error). At a pole (0, -1, ...) it is Infinity
 * where PyTorch's sin(πx) rounding gives a huge finite value (test/opinfo-known.ts).
 */
export function trigamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  let sign = 1;
  let r = 0;
  if (x < 0.5) {
    sign = -1;
    const s = Math.sin(Math.PI * x);
    r -= (Math.PI * Math.PI) / (s * s);
    x = 1 - x;
  }
  for (let i = 0; i < 6; i++, x++) r += 1 / (x * x);
  const ixx = 1 / (x * x);
  r += (1 + 1 / (2 * x) + ixx * (1 / 6 - ixx * (1 / 30 - ixx * (1 / 42)))) / x;
  return sign * r;
}

/**
 * a / b rounded toward -inf, computed as PyTorch's div_floor does ((a - fmod(a, b)) / b, corrected),
 * so it is exact where floor(a / b) would round across an integer. Integer operands: exact too.
 */
export function floorDivide(a: number, b: number): number {
  if (b === 0) return a / b;
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) div -= 1;
  if (div === 0) return Math.sign(a / b) * 0;
  const floored = Math.floor(div);
  return div - floored > 0.5 ? floored + 1 : floored;
}

/** log(exp(a) + exp(b)) without overflow; equal infinities give themselves. */
export function logaddexp(a: number, b: number): number {
  if (a === b && !Number.isFinite(a)) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}
